//! What the screen shows on top of the board: selection, handles, gesture previews, the label
//! editor, accessibility nodes and the context menu. None of it appears in exports.

use super::hit::{self, Handle};
use super::paint::{self, Style};
use super::{CanvasState, EditTarget, Gesture, Tool, View};
use crate::command::{Command, Queue};
use crate::model::{Block, Board, Document, Link};
use crate::theme;
use egui::{Stroke, StrokeKind};

impl CanvasState {
    pub(super) fn paint_overlays(
        &self,
        painter: &egui::Painter,
        doc: &Document,
        view: &View,
        style: &Style<'_>,
    ) {
        let board = doc.board();
        let colors = style.colors;
        let stroke = Stroke::new(1.5, colors.selection);
        // Select all on a big board selects thousands: only what is on screen is outlined.
        let visible = view.world_rect().expanded(theme::LABEL_SIZE);
        for id in &self.selection.blocks {
            if let Some(b) = board.block(*id).filter(|b| b.rect.intersects(&visible)) {
                let r = view.rect_to_screen(&b.rect).expand(3.0);
                painter.rect_stroke(r, 4.0, stroke, StrokeKind::Outside);
            }
        }
        for id in &self.selection.links {
            let Some(l) = board.link(*id) else { continue };
            let (Some(a), Some(b)) = (board.block(l.from.block), board.block(l.to.block)) else {
                continue;
            };
            if !a.rect.union(&b.rect).intersects(&visible) {
                continue;
            }
            let pts = paint::link_screen_path(a, b, l, view, style);
            painter.add(egui::Shape::line(
                pts.clone(),
                Stroke::new(6.0, colors.selection_fill),
            ));
            if self.selection.links.len() == 1 {
                for p in [pts[0], pts[pts.len() - 1]] {
                    painter.circle(p, theme::HANDLE_PX / 2.0 + 1.0, colors.background, stroke);
                }
            }
        }
        if let [only] = self.selection.blocks.iter().collect::<Vec<_>>()[..]
            && let Some(b) = board.block(*only).filter(|b| !b.locked)
        {
            let r = view.rect_to_screen(&b.rect);
            for h in Handle::ALL {
                let hr = egui::Rect::from_center_size(
                    h.screen_pos(r),
                    egui::Vec2::splat(theme::HANDLE_PX),
                );
                painter.rect(hr, 2.0, colors.background, stroke, StrokeKind::Middle);
            }
        }
        // Connection handles: on the hovered block in select mode, or any block with the connect tool.
        let idle = matches!(self.gesture, Gesture::None);
        if idle
            && matches!(self.tool, Tool::Select | Tool::Connect)
            && let Some(b) = self.hover_block.and_then(|id| board.block(id))
        {
            for (_, c) in hit::connection_handles(view, &b.rect) {
                painter.circle(
                    c,
                    theme::HANDLE_PX / 2.0,
                    colors.selection_fill,
                    Stroke::new(1.2, colors.selection),
                );
            }
        }
        self.paint_peers(painter, board, view, style);
        if let Some((_, origin, points)) = self.pen_preview() {
            let rect = crate::model::ink::rect_at(origin, points);
            let mut coarse = egui::Mesh::default();
            let ink = self.laser_color.unwrap_or(colors.text);
            super::ink_paint::paint_ink(painter, points, &rect, view, ink, &mut coarse, false);
            painter.add(egui::Shape::mesh(coarse));
        }
        // Strokes the eraser crossed fade until it lifts and they go.
        for b in self.erasing().iter().filter_map(|id| board.block(*id)) {
            let pts = super::ink_paint::screen_points(&b.ink, &b.rect, view);
            let width = crate::model::ink::PEN * view.camera.zoom + 3.0;
            painter.add(egui::Shape::line(
                pts,
                Stroke::new(width, colors.background.gamma_multiply(0.75)),
            ));
        }
        if !self.laser.is_empty() {
            let color = self
                .laser_color
                .unwrap_or(egui::Color32::from_rgb(0xe0, 0x31, 0x31));
            let trail = self.laser.faded(web_time::Instant::now());
            super::laser::paint(painter, view, &trail, color);
        }
        match &self.gesture {
            Gesture::Marquee { start, now, .. } => {
                let r = egui::Rect::from_two_pos(view.to_screen(*start), view.to_screen(*now));
                painter.rect(r, 0.0, colors.selection_fill, stroke, StrokeKind::Middle);
            }
            Gesture::DrawFrame { start, now } => {
                let r = egui::Rect::from_two_pos(view.to_screen(*start), view.to_screen(*now));
                painter.rect(
                    r,
                    6.0,
                    colors.frame_fill,
                    Stroke::new(1.5, colors.frame_stroke),
                    StrokeKind::Middle,
                );
            }
            Gesture::Connect { from, now, .. } => {
                if let Some(b) = board.block(*from) {
                    let p = view.to_screen(b.rect.boundary_toward(*now));
                    painter.line_segment(
                        [p, view.to_screen(*now)],
                        Stroke::new(2.0, colors.selection),
                    );
                    self.highlight_target(painter, doc, view, *now, *from, style);
                }
            }
            Gesture::Reconnect {
                link,
                start_end,
                now,
            } => {
                if let Some(l) = board.link(*link) {
                    let fixed = if *start_end { l.to.block } else { l.from.block };
                    if let Some(b) = board.block(fixed) {
                        let p = view.to_screen(b.rect.boundary_toward(*now));
                        painter.line_segment(
                            [p, view.to_screen(*now)],
                            Stroke::new(2.0, colors.selection),
                        );
                    }
                    self.highlight_target(painter, doc, view, *now, fixed, style);
                }
            }
            _ => {}
        }
    }

    /// Others in the room: what they selected, the label they type in, their pointer and name.
    fn paint_peers(&self, painter: &egui::Painter, board: &Board, view: &View, style: &Style<'_>) {
        for p in &self.peers {
            let color = p.color;
            super::laser::paint(painter, view, &p.laser, color);
            let outline = Stroke::new(2.0, color);
            for b in p.blocks.iter().filter_map(|id| board.block(*id)) {
                let r = view.rect_to_screen(&b.rect).expand(5.0);
                painter.rect_stroke(r, 5.0, outline, StrokeKind::Outside);
            }
            for l in p.links.iter().filter_map(|id| board.link(*id)) {
                let (Some(a), Some(b)) = (board.block(l.from.block), board.block(l.to.block))
                else {
                    continue;
                };
                let pts = paint::link_screen_path(a, b, l, view, style);
                painter.add(egui::Shape::line(
                    pts,
                    Stroke::new(4.0, color.gamma_multiply(0.5)),
                ));
            }
            match p.editing {
                Some(EditTarget::Block(id)) => {
                    if let Some(b) = board.block(id) {
                        let r = view.rect_to_screen(&b.rect).expand(8.0);
                        painter.rect_stroke(r, 6.0, Stroke::new(3.0, color), StrokeKind::Outside);
                        name_tag(
                            painter,
                            r.left_top() - egui::vec2(0.0, 2.0),
                            &format!("{} is typing", p.name),
                            color,
                            1.0,
                        );
                    }
                }
                Some(EditTarget::Link(id)) => {
                    if let Some(l) = board.link(id)
                        && let (Some(a), Some(b)) =
                            (board.block(l.from.block), board.block(l.to.block))
                    {
                        let c = label_anchor(a, b, l, view, style);
                        let r = egui::Rect::from_center_size(c, egui::vec2(60.0, 22.0));
                        painter.rect_stroke(r, 4.0, Stroke::new(3.0, color), StrokeKind::Outside);
                    }
                }
                None => {}
            }
            if let Some(at) = p.pointer
                && p.opacity > 0.02
            {
                let tip = view.to_screen(at);
                let c = color.gamma_multiply(p.opacity);
                let arrow = vec![
                    tip,
                    tip + egui::vec2(0.0, 16.0),
                    tip + egui::vec2(11.0, 11.0),
                ];
                painter.add(egui::Shape::convex_polygon(
                    arrow,
                    c,
                    Stroke::new(1.0, style.colors.background.gamma_multiply(p.opacity)),
                ));
                name_tag(
                    painter,
                    tip + egui::vec2(12.0, 14.0),
                    &p.name,
                    color,
                    p.opacity,
                );
            }
        }
    }

    /// Outlines the block a link being drawn would attach to.
    fn highlight_target(
        &self,
        painter: &egui::Painter,
        doc: &Document,
        view: &View,
        at: crate::model::Point,
        not: crate::model::BlockId,
        style: &Style<'_>,
    ) {
        let board = doc.board();
        if let Some(t) = hit::block_at(doc, at, view.camera.zoom).filter(|t| *t != not)
            && let Some(b) = board.block(t)
        {
            let r = view.rect_to_screen(&b.rect).expand(4.0);
            painter.rect_stroke(
                r,
                6.0,
                Stroke::new(2.5, style.colors.selection),
                StrokeKind::Outside,
            );
        }
    }

    /// Gives each visible block and link an accessibility node labelled with its text, so screen
    /// readers and UI tests can find them.
    pub(super) fn expose_items(
        &self,
        ui: &mut egui::Ui,
        doc: &Document,
        view: &View,
        style: &Style<'_>,
    ) {
        let board = doc.board();
        const MAX_NODES: usize = 2_000;
        for p in &self.peers {
            if let Some(at) = p.pointer.filter(|_| p.opacity > 0.02) {
                let rect = egui::Rect::from_min_size(view.to_screen(at), egui::vec2(12.0, 16.0));
                let r = ui.interact(
                    rect,
                    ui.scope_id().with(("peer", &p.name)),
                    egui::Sense::hover(),
                );
                let label = format!("Pointer of {}", p.name);
                r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &label));
            }
        }
        let visible = view.world_rect();
        let mut shown = 0;
        let mut blocks: Vec<_> = doc.index().blocks_in(visible).collect();
        blocks.sort_unstable();
        for b in blocks.iter().filter_map(|id| board.block(*id)) {
            shown += 1;
            if shown > MAX_NODES {
                return;
            }
            let rect = view.rect_to_screen(&b.rect).intersect(view.screen);
            let r = ui.interact(
                rect,
                ui.scope_id().with(("block", b.id.0)),
                egui::Sense::hover(),
            );
            let label = if b.label.is_empty() {
                b.kind.clone()
            } else {
                b.label.clone()
            };
            let selected = self.selection.blocks.contains(&b.id);
            r.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label)
            });
        }
        let mut links: Vec<_> = doc.index().links_in(visible).collect();
        links.sort_unstable();
        for l in links.iter().filter_map(|id| board.link(*id)) {
            let (Some(a), Some(b)) = (board.block(l.from.block), board.block(l.to.block)) else {
                continue;
            };
            shown += 1;
            if shown > MAX_NODES {
                return;
            }
            let mid = label_anchor(a, b, l, view, style);
            let rect = egui::Rect::from_center_size(mid, egui::vec2(8.0, 8.0));
            let r = ui.interact(
                rect,
                ui.scope_id().with(("link", l.id.0)),
                egui::Sense::hover(),
            );
            let name = |blk: &crate::model::Block| {
                if blk.label.is_empty() {
                    blk.kind.clone()
                } else {
                    blk.label.replace('\n', " ")
                }
            };
            let mut label = format!("Link {} → {}", name(a), name(b));
            if !l.label.is_empty() {
                label.push_str(&format!(": {}", l.label));
            }
            let selected = self.selection.links.contains(&l.id);
            r.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label)
            });
        }
    }

    pub(super) fn show_label_editor(
        &mut self,
        ui: &mut egui::Ui,
        doc: &mut Document,
        view: &View,
        style: &Style<'_>,
    ) {
        let Some(edit) = &self.editing else {
            return;
        };
        let board = doc.board();
        // Where the editor sits: over the block, or over the link's midpoint.
        let anchor = match edit.target {
            EditTarget::Block(id) => board.block(id).map(|b| view.rect_to_screen(&b.rect)),
            EditTarget::Link(id) => board.link(id).and_then(|l| {
                let (a, b) = (board.block(l.from.block)?, board.block(l.to.block)?);
                let mid = label_anchor(a, b, l, view, style);
                Some(egui::Rect::from_center_size(mid, egui::vec2(160.0, 24.0)))
            }),
        };
        let Some(rect) = anchor else {
            self.editing = None;
            return;
        };
        let rect = rect.intersect(view.screen);
        let size = (theme::LABEL_SIZE * view.camera.zoom).max(10.0);
        let id = ui.scope_id().with("label-editor");
        let colors = style.colors;
        let mut commit = false;
        let body = edit.body;
        let width = (rect.width() - 12.0).max(if body { 260.0 } else { 80.0 });
        // A card's body is edited where its rows are drawn, left-aligned, one line per row.
        let top_left = if body {
            let header = crate::model::entity::HEADER_HEIGHT * view.camera.zoom;
            egui::pos2(rect.left() + 2.0, rect.top() + header)
        } else {
            egui::pos2(
                rect.center().x - width / 2.0 - 4.0,
                rect.center().y - size * 0.75 - 4.0,
            )
        };
        let (align, rows) = if body {
            (egui::Align2::LEFT_TOP, edit.text.lines().count().max(3) + 1)
        } else {
            (egui::Align2::CENTER_TOP, 1)
        };
        let Some(edit) = &mut self.editing else {
            return;
        };
        egui::Area::new(id.with("area"))
            .fixed_pos(top_left)
            .order(egui::Order::Foreground)
            .show(ui.ctx(), |ui| {
                egui::Frame::new()
                    .fill(colors.block_fill)
                    .stroke(Stroke::new(1.5, colors.selection))
                    .corner_radius(4.0)
                    .inner_margin(4.0)
                    .show(ui, |ui| {
                        let out = egui::TextEdit::multiline(&mut edit.text)
                            .id(id)
                            .font(egui::FontId::proportional(size))
                            .align(align)
                            .desired_width(width)
                            .desired_rows(rows)
                            .frame(egui::Frame::NONE)
                            .show(ui);
                        if !edit.started {
                            edit.started = true;
                            out.response.request_focus();
                            let range = if edit.select_all {
                                egui::text::CCursorRange::select_all_str(&edit.text)
                            } else {
                                egui::text::CCursorRange::one(egui::text::CCursor::new(
                                    edit.cursor.unwrap_or_else(|| edit.text.chars().count()),
                                ))
                            };
                            let mut state = out.state.clone();
                            state.cursor.set_char_range(Some(range));
                            state.store(ui.ctx(), id);
                        } else if out.response.lost_focus() || !out.response.has_focus() {
                            commit = true;
                        }
                    });
            });
        if commit {
            self.commit_label(doc);
        }
    }

    /// The right-click menu: the commands that fit what is selected. Choosing one queues it
    /// for the app's dispatcher, like a menu item or a shortcut.
    pub(super) fn context_menu(&mut self, ui: &mut egui::Ui, queue: &mut Queue) {
        let ctx = ui.ctx().clone();
        let commands: &[Command] = if !self.selection.links.is_empty() {
            &[
                Command::EditLabel,
                Command::LinkReverse,
                Command::LinkToggleStyle,
                Command::LinkToggleRoute,
                Command::LinkCycleArrows,
                Command::Delete,
            ]
        } else if !self.selection.blocks.is_empty() {
            &[
                Command::EditLabel,
                Command::ToolConnect,
                Command::Duplicate,
                Command::Copy,
                Command::Cut,
                Command::Delete,
                Command::BringForward,
                Command::SendBackward,
                Command::Group,
                Command::Ungroup,
                Command::ToggleLock,
                Command::FitSelection,
                Command::DrillToggle,
            ]
        } else {
            &[
                Command::Paste,
                Command::SelectAll,
                Command::FitBoard,
                Command::QuickAdd,
            ]
        };
        for &cmd in commands {
            let button = egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(&ctx));
            if ui.add(button).clicked() {
                queue.push(cmd);
                ui.close();
            }
        }
    }
}

/// A name on a pill of the person's colour.
fn name_tag(
    painter: &egui::Painter,
    at: egui::Pos2,
    name: &str,
    color: egui::Color32,
    opacity: f32,
) {
    let galley = painter.layout_no_wrap(
        name.to_owned(),
        egui::FontId::proportional(12.0),
        egui::Color32::WHITE,
    );
    let r = egui::Rect::from_min_size(at, galley.size() + egui::vec2(10.0, 4.0));
    painter.rect_filled(r, 4.0, color.gamma_multiply(opacity));
    painter.galley(
        r.min + egui::vec2(5.0, 2.0),
        galley,
        egui::Color32::WHITE.gamma_multiply(opacity),
    );
}

/// Where a link's label sits on screen: the place the layout gave it, else its middle.
fn label_anchor(a: &Block, b: &Block, l: &Link, view: &View, style: &Style<'_>) -> egui::Pos2 {
    let pts = paint::link_screen_path(a, b, l, view, style);
    let world: Vec<_> = pts.iter().map(|p| view.to_world(*p)).collect();
    view.to_screen(style.layout.label_anchor(l, &world))
}
