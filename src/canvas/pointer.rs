//! Mouse gestures on the canvas: click, drag to move, marquee, resize, draw frames and links.

use super::hit::{self, Hit};
use super::{
    CanvasState, EditTarget, Env, Gesture, MIN_BLOCK_SIDE, Notice, Tool, View, kind_size,
    snap_rect_edges,
};
use crate::model::{Anchor, BlockId, Board, Document, Edit, Point, Rect, snap_point};
use crate::theme;
use std::collections::BTreeSet;

impl CanvasState {
    /// What a click at `world` picks, with links fanned out as they are drawn.
    fn pick(
        &mut self,
        doc: &Document,
        ctx: &egui::Context,
        world: Point,
        zoom: f32,
    ) -> Option<Hit> {
        let layout = self.layout(doc, ctx);
        hit::pick(doc, &layout.fans, world, zoom)
    }

    /// Keeps the hovered block while the pointer is on it or near enough to reach its connection
    /// handles, which sit just outside it.
    pub(super) fn update_hover(&mut self, doc: &Document, view: &View) {
        let board = doc.board();
        let Some(p) = self.pointer else {
            self.hover_block = None;
            return;
        };
        let zoom = view.camera.zoom;
        let under = hit::block_at(doc, p, zoom)
            .filter(|id| board.block(*id).is_some_and(|b| !b.is_frame()));
        let reach = (hit::CONNECT_HANDLE_OFFSET_PX + theme::HANDLE_PX) / zoom;
        self.hover_block = under.or_else(|| {
            self.hover_block.filter(|id| {
                board
                    .block(*id)
                    .is_some_and(|b| b.rect.expanded(reach).contains(p))
            })
        });
    }

    pub(super) fn handle_pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        doc: &mut Document,
        env: &Env<'_>,
        view: &View,
    ) {
        let (modifiers, space) = ui.input(|i| (i.modifiers, i.key_down(egui::Key::Space)));
        if self.tool != Tool::Laser && self.lasering {
            self.lasering = false;
            self.laser.lift();
        }
        if self.tool == Tool::Laser && !space && !matches!(self.gesture, Gesture::Pan) {
            let down =
                ui.input(|i| i.pointer.primary_down()) && response.is_pointer_button_down_on();
            if !response.dragged_by(egui::PointerButton::Middle) {
                self.laser_pointer(ui, response, view, down);
                return;
            }
        }
        if matches!(self.tool, Tool::Pen | Tool::Eraser)
            && !space
            && !response.dragged_by(egui::PointerButton::Middle)
            && !matches!(self.gesture, Gesture::Pan)
        {
            let down =
                ui.input(|i| i.pointer.primary_down()) && response.is_pointer_button_down_on();
            self.pen_pointer(ui, response, doc, view, down);
            return;
        }
        self.finish_pen(doc);
        let press_origin = ui.input(|i| i.pointer.press_origin());
        if ui.input(|i| i.pointer.any_pressed()) {
            self.press_hover = self.hover_block;
        }

        if response.drag_started() {
            self.commit_label(doc);
            let origin = press_origin.unwrap_or_default();
            let world = view.to_world(origin);
            self.gesture = if response.dragged_by(egui::PointerButton::Middle)
                || space
                || self.tool == Tool::Hand
            {
                Gesture::Pan
            } else if response.dragged_by(egui::PointerButton::Primary) {
                self.start_drag(doc, ui.ctx(), view, origin, world, modifiers)
            } else {
                Gesture::None
            };
        }

        if response.dragged() {
            let pointer = response.interact_pointer_pos().map(|p| view.to_world(p));
            self.continue_drag(doc, env, response, pointer, modifiers);
        }

        if response.drag_stopped() {
            self.finish_drag(doc, env, view, modifiers);
        }

        let at = || {
            response
                .interact_pointer_pos()
                .map(|p| view.to_world(p))
                .unwrap_or_default()
        };
        if response.clicked() {
            self.click(doc, env, ui.ctx(), at(), modifiers);
        }
        if response.double_clicked() {
            let world = at();
            match self.pick(doc, ui.ctx(), world, view.camera.zoom) {
                Some(Hit::Block(id)) => {
                    self.start_label_edit(doc.board(), EditTarget::Block(id), false)
                }
                Some(Hit::Link(id)) => {
                    self.start_label_edit(doc.board(), EditTarget::Link(id), false)
                }
                None if self.tool == Tool::Select => {
                    self.place(doc, env, crate::model::TEXT_KIND, world);
                }
                None => {}
            }
        }
        if response.secondary_clicked() {
            let world = at();
            match self.pick(doc, ui.ctx(), world, view.camera.zoom) {
                Some(Hit::Block(id)) if !self.selection.blocks.contains(&id) => {
                    self.selection.extend_to_group(doc.board(), id, false);
                }
                Some(Hit::Link(id)) if !self.selection.links.contains(&id) => {
                    self.selection.only_link(id);
                }
                _ => {}
            }
        }
    }

    /// The laser tool: while the button is held the trail follows the pointer; nothing on the
    /// board is touched.
    fn laser_pointer(&mut self, ui: &egui::Ui, response: &egui::Response, view: &View, down: bool) {
        let at = response
            .interact_pointer_pos()
            .or_else(|| response.hover_pos())
            .map(|p| view.to_world(p));
        let now = web_time::Instant::now();
        self.laser.prune(now);
        match at.filter(|_| down) {
            Some(p) => {
                self.laser.push(p, now);
                self.lasering = true;
            }
            None => {
                self.laser.lift();
                self.lasering = false;
            }
        }
        if !self.laser.is_empty() {
            ui.ctx().request_repaint();
        }
    }

    /// What a primary drag starting at `origin` does: the tool decides first, then what is
    /// under the pointer (a link end, a connection handle, a resize handle, a block, a link).
    fn start_drag(
        &mut self,
        doc: &mut Document,
        ctx: &egui::Context,
        view: &View,
        origin: egui::Pos2,
        world: Point,
        modifiers: egui::Modifiers,
    ) -> Gesture {
        let zoom = view.camera.zoom;
        match self.tool {
            Tool::Frame => {
                return Gesture::DrawFrame {
                    start: world,
                    now: world,
                };
            }
            Tool::Connect => {
                return match hit::block_at(doc, world, zoom) {
                    Some(from) => Gesture::Connect {
                        from,
                        side: None,
                        now: world,
                    },
                    None => marquee(world, modifiers),
                };
            }
            Tool::Select | Tool::Text | Tool::Hand | Tool::Laser | Tool::Pen | Tool::Eraser => {}
        }
        if let Some(g) = self.grab_handle(doc, ctx, view, origin, world) {
            return g;
        }
        match self.pick(doc, ctx, world, zoom) {
            Some(Hit::Block(id)) => self.start_move(doc, id, world, modifiers),
            Some(Hit::Link(id)) => {
                self.selection.only_link(id);
                Gesture::None
            }
            None => marquee(world, modifiers),
        }
    }

    /// A drag that starts on a handle: an end of the selected link, a connection handle of the
    /// hovered block, or a resize handle of the selected block.
    fn grab_handle(
        &mut self,
        doc: &mut Document,
        ctx: &egui::Context,
        view: &View,
        origin: egui::Pos2,
        world: Point,
    ) -> Option<Gesture> {
        if let Some(only) = self.selection.only_selected_link()
            && let Some(ends) = self.link_end_points(doc, ctx, only, view)
        {
            for (start_end, p) in [(true, ends.0), (false, ends.1)] {
                if p.distance(origin) <= theme::HANDLE_PX {
                    return Some(Gesture::Reconnect {
                        link: only,
                        start_end,
                        now: world,
                    });
                }
            }
        }
        let board = doc.board();
        if let Some(id) = self.press_hover
            && let Some(b) = board.block(id)
            && let Some(side) = hit::connection_handle_at(view, &b.rect, origin)
        {
            return Some(Gesture::Connect {
                from: id,
                side: Some(side),
                now: world,
            });
        }
        if let Some(only) = self.selection.only_selected()
            && let Some(b) = board.block(only)
            && !b.locked
            && let Some(handle) = hit::handle_at(view, &b.rect, origin)
        {
            let start = b.rect;
            doc.begin_gesture();
            return Some(Gesture::Resize {
                id: only,
                handle,
                start,
                grab: world,
            });
        }
        None
    }

    /// Grabbing a block: it (with its group) joins or becomes the selection, and the movable
    /// part of the selection starts moving.
    fn start_move(
        &mut self,
        doc: &mut Document,
        id: BlockId,
        world: Point,
        modifiers: egui::Modifiers,
    ) -> Gesture {
        let board = doc.board();
        if !self.selection.blocks.contains(&id) {
            self.selection.extend_to_group(board, id, modifiers.shift);
        }
        let ids = self.moving_set(board);
        if ids.is_empty() {
            return Gesture::None;
        }
        let lead_start = board.block(id).map_or(Point::ZERO, |b| b.rect.min());
        doc.begin_gesture();
        Gesture::Move {
            ids,
            lead_start,
            grab: world,
            applied: Point::ZERO,
        }
    }

    /// Screen positions of a link's two ends.
    pub(super) fn link_end_points(
        &mut self,
        doc: &Document,
        ctx: &egui::Context,
        id: crate::model::LinkId,
        view: &View,
    ) -> Option<(egui::Pos2, egui::Pos2)> {
        let fan = self.layout(doc, ctx).fan(id);
        let board = doc.board();
        let link = board.link(id)?;
        let (a, b) = (board.block(link.from.block)?, board.block(link.to.block)?);
        let path = super::route::link_path(a, b, link, fan);
        Some((
            view.to_screen(*path.first()?),
            view.to_screen(*path.last()?),
        ))
    }

    fn continue_drag(
        &mut self,
        doc: &mut Document,
        env: &Env<'_>,
        response: &egui::Response,
        pointer: Option<Point>,
        modifiers: egui::Modifiers,
    ) {
        match (&mut self.gesture, pointer) {
            (Gesture::Pan, _) => self.camera.pan_by_screen(response.drag_delta()),
            (
                Gesture::Marquee { now, .. }
                | Gesture::DrawFrame { now, .. }
                | Gesture::Connect { now, .. }
                | Gesture::Reconnect { now, .. },
                Some(p),
            ) => *now = p,
            (
                Gesture::Move {
                    ids,
                    lead_start,
                    grab,
                    applied,
                },
                Some(p),
            ) => {
                let target = *lead_start + (p - *grab);
                let snapped = if env.prefs.snap && !modifiers.alt {
                    snap_point(target, theme::GRID)
                } else {
                    target
                };
                let total = snapped - *lead_start;
                let step = total - *applied;
                if step != Point::ZERO {
                    *applied = total;
                    let edit = Edit::Move {
                        blocks: ids.clone(),
                        delta: step,
                    };
                    self.apply(doc, edit);
                }
            }
            (
                Gesture::Resize {
                    id,
                    handle,
                    start,
                    grab,
                },
                Some(p),
            ) => {
                let mut r = handle.resize(*start, p - *grab, modifiers.shift, MIN_BLOCK_SIDE);
                if env.prefs.snap && !modifiers.alt && !modifiers.shift {
                    r = snap_rect_edges(r, *handle, theme::GRID, MIN_BLOCK_SIDE);
                }
                if let Some(block) = doc.board().block(*id)
                    && block.rect != r
                {
                    let mut b = block.clone();
                    b.rect = r;
                    self.apply(doc, Edit::UpdateBlocks(vec![b]));
                }
            }
            _ => {}
        }
    }

    /// The selection plus what selected frames carry, minus locked blocks.
    pub(super) fn moving_set(&self, board: &Board) -> Vec<BlockId> {
        let mut ids: BTreeSet<BlockId> = self.selection.blocks.clone();
        for id in &self.selection.blocks {
            if let Some(frame) = board.block(*id).filter(|b| b.is_frame()) {
                ids.extend(
                    board
                        .blocks
                        .values()
                        .filter(|b| b.id != frame.id && frame.rect.contains_rect(&b.rect))
                        .map(|b| b.id),
                );
            }
        }
        ids.into_iter()
            .filter(|id| board.block(*id).is_some_and(|b| !b.locked))
            .collect()
    }

    fn finish_drag(
        &mut self,
        doc: &mut Document,
        env: &Env<'_>,
        view: &View,
        modifiers: egui::Modifiers,
    ) {
        let zoom = view.camera.zoom;
        match std::mem::take(&mut self.gesture) {
            Gesture::Marquee {
                start,
                now,
                additive,
            } => {
                let area = Rect::from_corners(start, now);
                let inside = doc
                    .board()
                    .blocks
                    .values()
                    .filter(|b| area.contains_rect(&b.rect))
                    .map(|b| b.id);
                if !additive {
                    self.clear_selection();
                }
                self.selection.blocks.extend(inside);
            }
            Gesture::Move { .. } | Gesture::Resize { .. } => doc.end_gesture(),
            Gesture::DrawFrame { start, now } => {
                let (start, now) = if env.prefs.snap {
                    (snap_point(start, theme::GRID), snap_point(now, theme::GRID))
                } else {
                    (start, now)
                };
                let r = Rect::from_corners(start, now);
                let r = if r.w < MIN_BLOCK_SIDE * 2.0 || r.h < MIN_BLOCK_SIDE * 2.0 {
                    let (w, h) = kind_size(env.palette.get(crate::model::FRAME_KIND));
                    Rect::new(start.x, start.y, w, h)
                } else {
                    r
                };
                if let Some(id) = self.insert_block(doc, crate::model::FRAME_KIND, "Frame", r) {
                    self.tool = Tool::Select;
                    self.start_label_edit(doc.board(), EditTarget::Block(id), true);
                }
            }
            Gesture::Connect { from, side, now } => {
                let target = hit::block_at(doc, now, zoom).filter(|id| *id != from);
                match target {
                    Some(to) => {
                        self.connect(doc, env.palette, from, to, side);
                    }
                    // Ctrl on empty canvas: a new block of the same kind, already linked.
                    None if modifiers.command || modifiers.ctrl => {
                        if let Some(kind) = doc.board().block(from).map(|b| b.kind.clone())
                            && let Some(to) = self.place(doc, env, &kind, now)
                        {
                            self.connect(doc, env.palette, from, to, side);
                        }
                    }
                    None => {
                        if hit::block_at(doc, now, zoom) == Some(from) {
                            self.notices
                                .push(Notice::Info("A block cannot link to itself".into()));
                        }
                    }
                }
            }
            Gesture::Reconnect {
                link,
                start_end,
                now,
            } => {
                let board = doc.board();
                let (Some(target), Some(l)) = (hit::block_at(doc, now, zoom), board.link(link))
                else {
                    return;
                };
                let other = if start_end { l.to.block } else { l.from.block };
                if target == other {
                    self.notices
                        .push(Notice::Info("A block cannot link to itself".into()));
                    return;
                }
                let mut nl = l.clone();
                let end = if start_end { &mut nl.from } else { &mut nl.to };
                end.block = target;
                end.anchor = Anchor::Auto;
                if self.apply(doc, Edit::UpdateLink(nl)) {
                    self.selection.only_link(link);
                }
            }
            Gesture::Pan | Gesture::None => {}
        }
    }

    fn click(
        &mut self,
        doc: &mut Document,
        env: &Env<'_>,
        ctx: &egui::Context,
        world: Point,
        modifiers: egui::Modifiers,
    ) {
        self.commit_label(doc);
        self.quick_add = None;
        match self.tool {
            Tool::Text => {
                self.place(doc, env, crate::model::TEXT_KIND, world);
                self.tool = Tool::Select;
                return;
            }
            Tool::Frame => {
                self.place(doc, env, crate::model::FRAME_KIND, world);
                self.tool = Tool::Select;
                return;
            }
            _ => {}
        }
        match self.pick(doc, ctx, world, self.camera.zoom) {
            Some(Hit::Block(id)) if modifiers.shift => self.selection.toggle_block(doc.board(), id),
            Some(Hit::Block(id)) => self.selection.extend_to_group(doc.board(), id, false),
            Some(Hit::Link(id)) if modifiers.shift => self.selection.toggle_link(id),
            Some(Hit::Link(id)) => self.selection.only_link(id),
            None => {
                if !modifiers.shift {
                    self.clear_selection();
                }
            }
        }
    }
}

/// A marquee selection starting at `world`; Shift adds to what is selected.
fn marquee(world: Point, modifiers: egui::Modifiers) -> Gesture {
    Gesture::Marquee {
        start: world,
        now: world,
        additive: modifiers.shift,
    }
}
