//! The infinite canvas: camera, painting, and turning pointer and keyboard input into edits.
//!
//! The canvas reads the board and emits [`Edit`]s through the document; it never mutates the
//! board itself. Its own state (camera, tool, selection, gesture) is session state, never saved.

pub mod camera;
pub mod hit;
pub mod paint;

pub use camera::{Camera, View};

use crate::command::Command;
use crate::model::{
    Block, BlockId, Board, Document, Edit, Link, Point, Rect, fragment, snap, snap_point,
};
use crate::palette::{Kind, Palette};
use crate::persistence;
use crate::theme::{self, Colors};
use hit::Handle;
use std::collections::BTreeSet;
use std::path::Path;

/// Zoom factor of one Ctrl+= / Ctrl+- step.
const ZOOM_STEP: f32 = 1.25;
/// Offset of a duplicate from its original, in world units.
const DUPLICATE_OFFSET: f32 = 20.0;
const MIN_BLOCK_SIDE: f32 = 20.0;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    #[default]
    Select,
    Hand,
    Connect,
    Text,
    Frame,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Select => "Select",
            Tool::Hand => "Hand",
            Tool::Connect => "Connect",
            Tool::Text => "Text",
            Tool::Frame => "Frame",
        }
    }
}

/// A pointer gesture in progress.
#[derive(Clone, Debug, Default)]
enum Gesture {
    #[default]
    None,
    Pan,
    Marquee {
        start: Point,
        now: Point,
        additive: bool,
    },
    /// `lead` is the grabbed block: it is the one snapped to the grid, the rest follow it.
    Move {
        ids: Vec<BlockId>,
        lead_start: Point,
        grab: Point,
        applied: Point,
    },
    Resize {
        id: BlockId,
        handle: Handle,
        start: Rect,
        grab: Point,
    },
    DrawFrame {
        start: Point,
        now: Point,
    },
    Connect {
        from: BlockId,
        now: Point,
    },
}

/// A label being edited in place.
#[derive(Clone, Debug)]
pub struct LabelEdit {
    pub id: BlockId,
    pub text: String,
    /// Select the whole text on the first frame, so typing replaces the default label.
    select_all: bool,
    /// False until the editor has been shown and focused once.
    started: bool,
}

/// The quick-add popup: type a few letters of a kind's name, Enter places it.
#[derive(Clone, Debug)]
pub struct QuickAdd {
    pub query: String,
    pub at: Point,
    pub highlighted: usize,
    focused: bool,
}

impl QuickAdd {
    pub fn is_focused(&self) -> bool {
        self.focused
    }

    /// Records that the search field got focus once; later frames leave focus to the user.
    pub fn mark_focused(&mut self) {
        self.focused = true;
    }
}

/// Something the canvas wants the status bar to say.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    Info(String),
    Error(String),
}

/// Per-session canvas state: never saved in the board.
#[derive(Default)]
pub struct CanvasState {
    pub camera: Camera,
    /// The view in the last frame: where the canvas is on screen.
    pub last_view: Option<View>,
    pub tool: Tool,
    pub selection: BTreeSet<BlockId>,
    pub editing: Option<LabelEdit>,
    pub quick_add: Option<QuickAdd>,
    pub show_shortcuts: bool,
    pub snap: bool,
    /// The pointer in world space, while it is over the canvas.
    pub pointer: Option<Point>,
    gesture: Gesture,
    notices: Vec<Notice>,
}

/// The palette drag-and-drop payload: a kind id.
#[derive(Clone, Debug)]
pub struct KindPayload(pub String);

impl CanvasState {
    pub fn new() -> Self {
        Self {
            snap: true,
            ..Self::default()
        }
    }

    /// Messages for the status bar since the last call.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    pub fn view(&self) -> View {
        self.last_view.unwrap_or_else(|| {
            View::new(
                self.camera,
                egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 720.0)),
            )
        })
    }

    /// Where new blocks go: the pointer when it is over the canvas, else the view centre.
    pub fn placement_point(&self) -> Point {
        self.pointer.unwrap_or_else(|| self.view().center_world())
    }

    /// Shows the canvas filling `ui` and turns input into edits on `doc`.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        doc: &mut Document,
        palette: &Palette,
        colors: &Colors,
    ) {
        let (response, painter) =
            ui.allocate_painter(ui.available_size(), egui::Sense::click_and_drag());
        let response = response.on_hover_cursor(self.cursor_for(ui));
        let screen = response.rect;
        self.prune_selection(doc.board());
        let ctx = ui.ctx().clone();

        let hover = response.hover_pos();
        self.pointer = hover.map(|p| View::new(self.camera, screen).to_world(p));
        self.handle_wheel(ui, &response, screen);
        let view = View::new(self.camera, screen);
        self.last_view = Some(view);

        if let Some(payload) = response.dnd_release_payload::<KindPayload>()
            && let Some(pos) = hover
        {
            self.place(doc, palette, &payload.0, view.to_world(pos));
        }
        self.handle_pointer(ui, &response, doc, palette, &view);
        if ui.memory(|m| m.focused().is_none()) && self.editing.is_none() {
            self.handle_keys(&ctx, doc, palette);
        }
        self.handle_clipboard_events(&ctx, doc);

        let style = paint::Style {
            colors,
            dark: ui.visuals().dark_mode,
            palette,
            grid: true,
        };
        paint::paint_board(&painter, doc.board(), &view, &style);
        self.paint_overlays(&painter, doc.board(), &view, colors);
        self.expose_blocks(ui, doc.board(), &view);
        self.show_label_editor(ui, doc, &view, colors);
        response.context_menu(|ui| self.context_menu(ui, doc));
    }

    fn cursor_for(&self, ui: &egui::Ui) -> egui::CursorIcon {
        let space = ui.input(|i| i.key_down(egui::Key::Space));
        match (&self.gesture, self.tool) {
            (Gesture::Pan, _) => egui::CursorIcon::Grabbing,
            (_, Tool::Hand) => egui::CursorIcon::Grab,
            _ if space => egui::CursorIcon::Grab,
            (Gesture::Move { .. }, _) => egui::CursorIcon::Move,
            (Gesture::Resize { handle, .. }, _) => handle.cursor(),
            (_, Tool::Text) => egui::CursorIcon::Text,
            (_, Tool::Frame | Tool::Connect) => egui::CursorIcon::Crosshair,
            _ => egui::CursorIcon::Default,
        }
    }

    /// Scroll pans; Ctrl+scroll and pinch zoom around the pointer.
    fn handle_wheel(&mut self, ui: &egui::Ui, response: &egui::Response, screen: egui::Rect) {
        if !response.contains_pointer() {
            return;
        }
        let (scroll, zoom, pointer) =
            ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        if zoom != 1.0 {
            if let Some(p) = pointer {
                self.camera.zoom_around(screen, p, zoom);
            }
        } else if scroll != egui::Vec2::ZERO {
            self.camera.pan_by_screen(scroll);
        }
    }

    fn handle_pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        doc: &mut Document,
        palette: &Palette,
        view: &View,
    ) {
        let (modifiers, space) = ui.input(|i| (i.modifiers, i.key_down(egui::Key::Space)));
        let press_origin = ui.input(|i| i.pointer.press_origin());

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
                self.start_drag(doc, view, origin, world, modifiers)
            } else {
                Gesture::None
            };
        }

        if response.dragged() {
            let pointer = response.interact_pointer_pos().map(|p| view.to_world(p));
            match (&mut self.gesture, pointer) {
                (Gesture::Pan, _) => self.camera.pan_by_screen(response.drag_delta()),
                (
                    Gesture::Marquee { now, .. }
                    | Gesture::DrawFrame { now, .. }
                    | Gesture::Connect { now, .. },
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
                    let snapped = if self.snap && !modifiers.alt {
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
                        if let Err(e) = doc.apply(edit) {
                            self.notices.push(Notice::Error(e.to_string()));
                        }
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
                    if self.snap && !modifiers.alt && !modifiers.shift {
                        r = snap_rect_edges(r, *handle, theme::GRID, MIN_BLOCK_SIDE);
                    }
                    if let Some(block) = doc.board().block(*id)
                        && block.rect != r
                    {
                        let mut b = block.clone();
                        b.rect = r;
                        let _ = doc.apply(Edit::UpdateBlocks(vec![b]));
                    }
                }
                _ => {}
            }
        }

        if response.drag_stopped() {
            self.finish_drag(doc, palette, view);
        }

        if response.clicked() {
            let world = response
                .interact_pointer_pos()
                .map(|p| view.to_world(p))
                .unwrap_or_default();
            self.click(doc, palette, world, modifiers);
        }
        if response.double_clicked() {
            let world = response
                .interact_pointer_pos()
                .map(|p| view.to_world(p))
                .unwrap_or_default();
            match hit::block_at(doc.board(), world, view.camera.zoom) {
                Some(id) => self.start_label_edit(doc.board(), id, false),
                None if self.tool == Tool::Select => {
                    self.place(doc, palette, crate::model::TEXT_KIND, world);
                }
                None => {}
            }
        }
        if response.secondary_clicked() {
            let world = response
                .interact_pointer_pos()
                .map(|p| view.to_world(p))
                .unwrap_or_default();
            if let Some(id) = hit::block_at(doc.board(), world, view.camera.zoom)
                && !self.selection.contains(&id)
            {
                self.selection = self.with_group(doc.board(), id);
            }
        }
    }

    fn start_drag(
        &mut self,
        doc: &mut Document,
        view: &View,
        origin: egui::Pos2,
        world: Point,
        modifiers: egui::Modifiers,
    ) -> Gesture {
        let board = doc.board();
        match self.tool {
            Tool::Frame => {
                return Gesture::DrawFrame {
                    start: world,
                    now: world,
                };
            }
            Tool::Connect => {
                return match hit::block_at(board, world, view.camera.zoom) {
                    Some(from) => Gesture::Connect { from, now: world },
                    None => Gesture::Marquee {
                        start: world,
                        now: world,
                        additive: modifiers.shift,
                    },
                };
            }
            Tool::Select | Tool::Text | Tool::Hand => {}
        }
        if let [only] = self.selection.iter().copied().collect::<Vec<_>>()[..]
            && let Some(b) = board.block(only)
            && !b.locked
            && let Some(handle) = hit::handle_at(view, &b.rect, origin)
        {
            let start = b.rect;
            doc.begin_gesture();
            return Gesture::Resize {
                id: only,
                handle,
                start,
                grab: world,
            };
        }
        match hit::block_at(board, world, view.camera.zoom) {
            Some(id) => {
                if !self.selection.contains(&id) {
                    let group = self.with_group(board, id);
                    if modifiers.shift {
                        self.selection.extend(group);
                    } else {
                        self.selection = group;
                    }
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
            None => Gesture::Marquee {
                start: world,
                now: world,
                additive: modifiers.shift,
            },
        }
    }

    /// The selection plus what selected frames carry, minus locked blocks.
    fn moving_set(&self, board: &Board) -> Vec<BlockId> {
        let mut ids: BTreeSet<BlockId> = self.selection.clone();
        for id in &self.selection {
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

    fn finish_drag(&mut self, doc: &mut Document, palette: &Palette, view: &View) {
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
                    self.selection.clear();
                }
                self.selection.extend(inside);
            }
            Gesture::Move { .. } | Gesture::Resize { .. } => doc.end_gesture(),
            Gesture::DrawFrame { start, now } => {
                let (start, now) = if self.snap {
                    (snap_point(start, theme::GRID), snap_point(now, theme::GRID))
                } else {
                    (start, now)
                };
                let r = Rect::from_corners(start, now);
                let r = if r.w < MIN_BLOCK_SIDE * 2.0 || r.h < MIN_BLOCK_SIDE * 2.0 {
                    let (w, h) = kind_size(palette.get(crate::model::FRAME_KIND));
                    Rect::new(start.x, start.y, w, h)
                } else {
                    r
                };
                let id = self.insert_block(doc, crate::model::FRAME_KIND, "Frame", r);
                if let Some(id) = id {
                    self.tool = Tool::Select;
                    self.start_label_edit(doc.board(), id, true);
                }
            }
            Gesture::Connect { from, now } => {
                if let Some(to) = hit::block_at(doc.board(), now, view.camera.zoom) {
                    self.connect(doc, palette, from, to);
                }
            }
            Gesture::Pan | Gesture::None => {}
        }
    }

    /// Links `from` → `to`; links out of a queue or stream default to async.
    pub fn connect(
        &mut self,
        doc: &mut Document,
        palette: &Palette,
        from: BlockId,
        to: BlockId,
    ) -> Option<crate::model::LinkId> {
        if from == to {
            self.notices
                .push(Notice::Info("A block cannot link to itself".into()));
            return None;
        }
        let board = doc.board();
        let id = crate::model::LinkId(board.next_id);
        let mut link = Link::new(id, from, to);
        let is_async = |b: BlockId| {
            board.block(b).is_some_and(|b| {
                matches!(
                    palette.kind_or_fallback(&b.kind).shape,
                    crate::palette::Shape::Queue
                )
            })
        };
        if is_async(from) || is_async(to) {
            link.style = crate::model::LinkStyle::Async;
        }
        match doc.apply(Edit::Insert {
            blocks: vec![],
            links: vec![link],
        }) {
            Ok(()) => Some(id),
            Err(e) => {
                self.notices.push(Notice::Error(e.to_string()));
                None
            }
        }
    }

    fn click(
        &mut self,
        doc: &mut Document,
        palette: &Palette,
        world: Point,
        modifiers: egui::Modifiers,
    ) {
        self.commit_label(doc);
        self.quick_add = None;
        match self.tool {
            Tool::Text => {
                self.place(doc, palette, crate::model::TEXT_KIND, world);
                self.tool = Tool::Select;
                return;
            }
            Tool::Frame => {
                self.place(doc, palette, crate::model::FRAME_KIND, world);
                self.tool = Tool::Select;
                return;
            }
            _ => {}
        }
        let zoom = self.camera.zoom;
        match hit::block_at(doc.board(), world, zoom) {
            Some(id) => {
                let group = self.with_group(doc.board(), id);
                if modifiers.shift {
                    if self.selection.contains(&id) {
                        for g in group {
                            self.selection.remove(&g);
                        }
                    } else {
                        self.selection.extend(group);
                    }
                } else {
                    self.selection = group;
                }
            }
            None => {
                if !modifiers.shift {
                    self.selection.clear();
                }
            }
        }
    }

    /// `id` and every block in its group.
    fn with_group(&self, board: &Board, id: BlockId) -> BTreeSet<BlockId> {
        match board.block(id).and_then(|b| b.group) {
            Some(g) => board
                .blocks
                .values()
                .filter(|b| b.group == Some(g))
                .map(|b| b.id)
                .collect(),
            None => BTreeSet::from([id]),
        }
    }

    fn prune_selection(&mut self, board: &Board) {
        self.selection.retain(|id| board.blocks.contains_key(id));
        if let Some(e) = &self.editing
            && !board.blocks.contains_key(&e.id)
        {
            self.editing = None;
        }
    }

    /// Places a block of `kind_id` centred on `at` (snapped), selects it and opens its label.
    pub fn place(
        &mut self,
        doc: &mut Document,
        palette: &Palette,
        kind_id: &str,
        at: Point,
    ) -> Option<BlockId> {
        self.commit_label(doc);
        let kind = palette.get(kind_id);
        let (w, h) = kind_size(kind);
        let mut rect = Rect::from_center_size(at, w, h);
        if self.snap {
            let min = snap_point(rect.min(), theme::GRID);
            rect = Rect::new(min.x, min.y, w, h);
        }
        let label = default_label(kind, kind_id);
        let id = self.insert_block(doc, kind_id, &label, rect)?;
        self.start_label_edit(doc.board(), id, true);
        Some(id)
    }

    fn insert_block(
        &mut self,
        doc: &mut Document,
        kind: &str,
        label: &str,
        rect: Rect,
    ) -> Option<BlockId> {
        let id = BlockId(doc.board().next_id);
        let block = Block::new(id, kind, label, rect);
        match doc.apply(Edit::Insert {
            blocks: vec![block],
            links: vec![],
        }) {
            Ok(()) => {
                self.selection = BTreeSet::from([id]);
                Some(id)
            }
            Err(e) => {
                self.notices.push(Notice::Error(e.to_string()));
                None
            }
        }
    }

    pub fn start_label_edit(&mut self, board: &Board, id: BlockId, select_all: bool) {
        if let Some(b) = board.block(id) {
            self.editing = Some(LabelEdit {
                id,
                text: b.label.clone(),
                select_all,
                started: false,
            });
            self.selection = BTreeSet::from([id]);
        }
    }

    /// Writes the edited label to the board (one undo step), if it changed.
    pub fn commit_label(&mut self, doc: &mut Document) {
        let Some(edit) = self.editing.take() else {
            return;
        };
        let text: String = edit
            .text
            .chars()
            .take(persistence::MAX_LABEL_CHARS)
            .collect();
        if let Some(b) = doc.board().block(edit.id)
            && b.label != text
        {
            let mut nb = b.clone();
            nb.label = text;
            let _ = doc.apply(Edit::UpdateBlocks(vec![nb]));
        }
    }

    fn handle_keys(&mut self, ctx: &egui::Context, doc: &mut Document, palette: &Palette) {
        let (pressed, modifiers) = ctx.input(|i| {
            let keys: Vec<egui::Key> = i
                .events
                .iter()
                .filter_map(|e| match e {
                    egui::Event::Key {
                        key, pressed: true, ..
                    } => Some(*key),
                    _ => None,
                })
                .collect();
            (keys, i.modifiers)
        });
        let plain = !modifiers.command && !modifiers.ctrl && !modifiers.alt;
        for key in pressed {
            match key {
                egui::Key::Escape => {
                    self.gesture = Gesture::None;
                    self.quick_add = None;
                    self.show_shortcuts = false;
                    if self.tool != Tool::Select {
                        self.tool = Tool::Select;
                    } else {
                        self.selection.clear();
                    }
                }
                egui::Key::ArrowLeft
                | egui::Key::ArrowRight
                | egui::Key::ArrowUp
                | egui::Key::ArrowDown
                    if plain =>
                {
                    let step = if modifiers.shift { 10.0 } else { 1.0 };
                    let d = match key {
                        egui::Key::ArrowLeft => Point::new(-step, 0.0),
                        egui::Key::ArrowRight => Point::new(step, 0.0),
                        egui::Key::ArrowUp => Point::new(0.0, -step),
                        _ => Point::new(0.0, step),
                    };
                    let ids = self.moving_set(doc.board());
                    if !ids.is_empty() {
                        let _ = doc.apply(Edit::Move {
                            blocks: ids,
                            delta: d,
                        });
                    }
                }
                _ if plain => {
                    if let Some(kind) = key_letter(key).and_then(|c| palette.by_key(c)) {
                        let id = kind.id.clone();
                        let at = self.placement_point();
                        self.place(doc, palette, &id, at);
                    }
                }
                _ => {}
            }
        }
    }

    /// Copy, cut and paste arrive as events from the window's clipboard integration.
    fn handle_clipboard_events(&mut self, ctx: &egui::Context, doc: &mut Document) {
        if ctx.memory(|m| m.focused().is_some()) || self.editing.is_some() {
            return;
        }
        let events: Vec<egui::Event> = ctx.input(|i| {
            i.events
                .iter()
                .filter(|e| {
                    matches!(
                        e,
                        egui::Event::Copy | egui::Event::Cut | egui::Event::Paste(_)
                    )
                })
                .cloned()
                .collect()
        });
        for e in events {
            match e {
                egui::Event::Copy => self.copy(ctx, doc.board()),
                egui::Event::Cut => {
                    self.copy(ctx, doc.board());
                    self.delete_selection(doc);
                }
                egui::Event::Paste(text) => self.paste(doc, &text),
                _ => {}
            }
        }
    }

    /// Puts the selection (with the links among it) on the clipboard as RON text.
    pub fn copy(&mut self, ctx: &egui::Context, board: &Board) {
        if self.selection.is_empty() {
            return;
        }
        let frag = fragment::extract(board, &self.selection);
        match persistence::to_ron_string(&frag) {
            Ok(text) => {
                ctx.copy_text(text);
                self.notices.push(Notice::Info(format!(
                    "Copied {}",
                    crate::cli::counts_line(frag.blocks.len(), frag.links.len())
                )));
            }
            Err(e) => self
                .notices
                .push(Notice::Error(format!("Could not copy: {e}"))),
        }
    }

    /// Pastes archboard data at the pointer, or any other text as a text note.
    pub fn paste(&mut self, doc: &mut Document, text: &str) {
        let at = self.placement_point();
        let parsed = if text.trim_start().starts_with('(') {
            persistence::parse_board(text, Path::new("clipboard")).ok()
        } else {
            None
        };
        match parsed {
            Some(frag) if !frag.blocks.is_empty() => {
                let Some(bounds) = frag.bounds() else { return };
                let mut offset = at - bounds.center();
                if self.snap {
                    offset = snap_point(bounds.min() + offset, theme::GRID) - bounds.min();
                }
                self.insert_fragment(doc, &frag, offset);
            }
            _ => {
                let note: String = text.chars().take(persistence::MAX_LABEL_CHARS).collect();
                if note.trim().is_empty() {
                    return;
                }
                let lines = note.lines().count().max(1) as f32;
                let longest = note.lines().map(|l| l.chars().count()).max().unwrap_or(1) as f32;
                let w = (longest * theme::LABEL_SIZE * 0.6).clamp(80.0, 600.0);
                let h = (lines * theme::LABEL_SIZE * 1.5 + 16.0).min(2000.0);
                let rect = Rect::from_center_size(at, w, h);
                self.insert_block(doc, crate::model::TEXT_KIND, &note, rect);
            }
        }
    }

    fn insert_fragment(&mut self, doc: &mut Document, frag: &Board, offset: Point) {
        let (edit, ids) = fragment::paste_edit(frag, doc.board(), offset);
        match doc.apply(edit) {
            Ok(()) => self.selection = ids.into_iter().collect(),
            Err(e) => self
                .notices
                .push(Notice::Error(format!("Could not paste: {e}"))),
        }
    }

    pub fn duplicate(&mut self, doc: &mut Document) {
        if self.selection.is_empty() {
            return;
        }
        let frag = fragment::extract(doc.board(), &self.selection);
        self.insert_fragment(doc, &frag, Point::new(DUPLICATE_OFFSET, DUPLICATE_OFFSET));
    }

    pub fn delete_selection(&mut self, doc: &mut Document) {
        let ids: Vec<BlockId> = self
            .selection
            .iter()
            .copied()
            .filter(|id| doc.board().block(*id).is_some_and(|b| !b.locked))
            .collect();
        if ids.is_empty() {
            return;
        }
        if let Err(e) = doc.apply(Edit::Remove {
            blocks: ids,
            links: vec![],
        }) {
            self.notices.push(Notice::Error(e.to_string()));
        }
        self.selection.retain(|id| doc.board().block(*id).is_some());
    }

    /// Runs a canvas command from the menu or a shortcut.
    pub fn run_command(&mut self, cmd: Command, ctx: &egui::Context, doc: &mut Document) {
        let view = self.view();
        match cmd {
            Command::Copy => self.copy(ctx, doc.board()),
            Command::Cut => {
                self.copy(ctx, doc.board());
                self.delete_selection(doc);
            }
            // The window answers with a paste event carrying the clipboard text.
            Command::Paste => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            Command::Duplicate => self.duplicate(doc),
            Command::Delete => self.delete_selection(doc),
            Command::SelectAll => self.selection = doc.board().blocks.keys().copied().collect(),
            Command::EditLabel => {
                if let Some(&id) = self.selection.iter().next() {
                    self.start_label_edit(doc.board(), id, false);
                }
            }
            Command::Group => self.group(doc),
            Command::Ungroup => self.set_blocks(doc, |b| b.group = None),
            Command::BringForward => self.set_blocks(doc, |b| b.z = b.z.saturating_add(1)),
            Command::SendBackward => self.set_blocks(doc, |b| b.z = b.z.saturating_sub(1)),
            Command::ToggleLock => {
                let lock = self
                    .selection
                    .iter()
                    .any(|id| doc.board().block(*id).is_some_and(|b| !b.locked));
                self.set_blocks(doc, |b| b.locked = lock);
                self.notices.push(Notice::Info(
                    if lock { "Locked" } else { "Unlocked" }.into(),
                ));
            }
            Command::ToolSelect => self.tool = Tool::Select,
            Command::ToolHand => self.tool = Tool::Hand,
            Command::ToolConnect => self.tool = Tool::Connect,
            Command::ToolText => self.tool = Tool::Text,
            Command::ToolFrame => self.tool = Tool::Frame,
            Command::QuickAdd => {
                self.quick_add = Some(QuickAdd {
                    query: String::new(),
                    at: self.placement_point(),
                    highlighted: 0,
                    focused: false,
                })
            }
            Command::ZoomIn => self.zoom_step(view, ZOOM_STEP),
            Command::ZoomOut => self.zoom_step(view, 1.0 / ZOOM_STEP),
            Command::ZoomReset => {
                let c = view.center_world();
                self.camera = Camera {
                    zoom: 1.0,
                    ..self.camera
                }
                .centred_on(view.screen, c);
            }
            Command::FitBoard => {
                if let Some(b) = doc.board().bounds() {
                    self.camera = Camera::fit(view.screen, &b, 40.0, 2.0);
                }
            }
            Command::FitSelection => {
                let sel = doc
                    .board()
                    .blocks
                    .values()
                    .filter(|b| self.selection.contains(&b.id));
                if let Some(b) = crate::model::bounds_of(sel) {
                    self.camera = Camera::fit(view.screen, &b, 60.0, 2.0);
                }
            }
            Command::ToggleSnap => {
                self.snap = !self.snap;
                self.notices.push(Notice::Info(format!(
                    "Snap to grid {}",
                    if self.snap { "on" } else { "off" }
                )));
            }
            Command::Shortcuts => self.show_shortcuts = !self.show_shortcuts,
            _ => {}
        }
    }

    fn zoom_step(&mut self, view: View, factor: f32) {
        let anchor = self
            .pointer
            .map_or(view.screen.center(), |p| view.to_screen(p));
        self.camera.zoom_around(view.screen, anchor, factor);
    }

    fn group(&mut self, doc: &mut Document) {
        if self.selection.len() < 2 {
            self.notices
                .push(Notice::Info("Select two or more blocks to group".into()));
            return;
        }
        // Group ids only need to differ from other groups on this board.
        let g = doc
            .board()
            .blocks
            .values()
            .filter_map(|b| b.group)
            .max()
            .map_or(1, |m| m + 1);
        self.set_blocks(doc, |b| b.group = Some(g));
    }

    /// Applies `f` to each selected block as one undo step.
    fn set_blocks(&mut self, doc: &mut Document, f: impl Fn(&mut Block)) {
        let changed: Vec<Block> = self
            .selection
            .iter()
            .filter_map(|id| doc.board().block(*id))
            .map(|b| {
                let mut nb = b.clone();
                f(&mut nb);
                nb
            })
            .filter(|nb| doc.board().block(nb.id) != Some(nb))
            .collect();
        if !changed.is_empty() {
            let _ = doc.apply(Edit::UpdateBlocks(changed));
        }
    }

    fn paint_overlays(&self, painter: &egui::Painter, board: &Board, view: &View, colors: &Colors) {
        let stroke = egui::Stroke::new(1.5, colors.selection);
        for id in &self.selection {
            if let Some(b) = board.block(*id) {
                let r = view.rect_to_screen(&b.rect).expand(3.0);
                painter.rect_stroke(r, 4.0, stroke, egui::StrokeKind::Outside);
            }
        }
        if let [only] = self.selection.iter().collect::<Vec<_>>()[..]
            && let Some(b) = board.block(*only).filter(|b| !b.locked)
        {
            let r = view.rect_to_screen(&b.rect);
            for h in Handle::ALL {
                let hr = egui::Rect::from_center_size(
                    h.screen_pos(r),
                    egui::Vec2::splat(theme::HANDLE_PX),
                );
                painter.rect(hr, 2.0, colors.background, stroke, egui::StrokeKind::Middle);
            }
        }
        match &self.gesture {
            Gesture::Marquee { start, now, .. } => {
                let r = egui::Rect::from_two_pos(view.to_screen(*start), view.to_screen(*now));
                painter.rect(
                    r,
                    0.0,
                    colors.selection_fill,
                    stroke,
                    egui::StrokeKind::Middle,
                );
            }
            Gesture::DrawFrame { start, now } => {
                let r = egui::Rect::from_two_pos(view.to_screen(*start), view.to_screen(*now));
                painter.rect(
                    r,
                    6.0,
                    colors.frame_fill,
                    egui::Stroke::new(1.5, colors.frame_stroke),
                    egui::StrokeKind::Middle,
                );
            }
            Gesture::Connect { from, now } => {
                if let Some(b) = board.block(*from) {
                    let p = view.to_screen(b.rect.boundary_toward(*now));
                    painter.line_segment(
                        [p, view.to_screen(*now)],
                        egui::Stroke::new(2.0, colors.selection),
                    );
                }
            }
            _ => {}
        }
    }

    /// Gives each visible block an accessibility node labelled with its text, so screen readers
    /// and UI tests can find blocks by label.
    fn expose_blocks(&self, ui: &mut egui::Ui, board: &Board, view: &View) {
        let visible = view.world_rect();
        let mut shown = 0;
        for b in board
            .blocks
            .values()
            .filter(|b| b.rect.intersects(&visible))
        {
            shown += 1;
            if shown > 2_000 {
                break;
            }
            let rect = view.rect_to_screen(&b.rect).intersect(view.screen);
            let id = ui.scope_id().with(("block", b.id.0));
            let r = ui.interact(rect, id, egui::Sense::hover());
            let label = if b.label.is_empty() {
                b.kind.clone()
            } else {
                b.label.clone()
            };
            let selected = self.selection.contains(&b.id);
            r.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label)
            });
        }
    }

    fn show_label_editor(
        &mut self,
        ui: &mut egui::Ui,
        doc: &mut Document,
        view: &View,
        colors: &Colors,
    ) {
        let Some(edit) = &mut self.editing else {
            return;
        };
        let Some(block) = doc.board().block(edit.id) else {
            self.editing = None;
            return;
        };
        let rect = view.rect_to_screen(&block.rect).intersect(view.screen);
        let size = (theme::LABEL_SIZE * view.camera.zoom).max(10.0);
        let id = ui.scope_id().with("label-editor");
        let mut commit = false;
        let width = (rect.width() - 12.0).max(80.0);
        let top_left = egui::pos2(
            rect.center().x - width / 2.0 - 4.0,
            rect.center().y - size * 0.75 - 4.0,
        );
        egui::Area::new(id.with("area"))
            .fixed_pos(top_left)
            .order(egui::Order::Foreground)
            .show(ui.ctx(), |ui| {
                egui::Frame::new()
                    .fill(colors.block_fill)
                    .stroke(egui::Stroke::new(1.5, colors.selection))
                    .corner_radius(4.0)
                    .inner_margin(4.0)
                    .show(ui, |ui| {
                        let out = egui::TextEdit::multiline(&mut edit.text)
                            .id(id)
                            .font(egui::FontId::proportional(size))
                            .align(egui::Align2::CENTER_TOP)
                            .desired_width(width)
                            .desired_rows(1)
                            .frame(egui::Frame::NONE)
                            .show(ui);
                        if !edit.started {
                            edit.started = true;
                            out.response.request_focus();
                            let range = if edit.select_all {
                                egui::text::CCursorRange::select_all_str(&edit.text)
                            } else {
                                egui::text::CCursorRange::one(egui::text::CCursor::new(
                                    edit.text.chars().count(),
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

    fn context_menu(&mut self, ui: &mut egui::Ui, doc: &mut Document) {
        let ctx = ui.ctx().clone();
        let commands: &[Command] = if self.selection.is_empty() {
            &[
                Command::Paste,
                Command::SelectAll,
                Command::FitBoard,
                Command::QuickAdd,
            ]
        } else {
            &[
                Command::EditLabel,
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
            ]
        };
        for &cmd in commands {
            let button = egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(&ctx));
            if ui.add(button).clicked() {
                self.run_command(cmd, &ctx, doc);
                ui.close();
            }
        }
    }
}

fn kind_size(kind: Option<&Kind>) -> (f32, f32) {
    kind.map_or((140.0, 70.0), |k| {
        (f32::from(k.size.0), f32::from(k.size.1))
    })
}

fn default_label(kind: Option<&Kind>, kind_id: &str) -> String {
    match kind {
        Some(k) if k.id == crate::model::TEXT_KIND => "Text".into(),
        Some(k) => k.name.clone(),
        None => kind_id.to_owned(),
    }
}

/// The letter a key stands for, for palette shortcuts.
fn key_letter(key: egui::Key) -> Option<char> {
    let name = key.name();
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_uppercase()),
        _ => None,
    }
}

/// Snaps the edges a resize handle moves to the grid, keeping the size at least `min`.
fn snap_rect_edges(r: Rect, h: Handle, grid: f32, min: f32) -> Rect {
    let (mut x0, mut y0, mut x1, mut y1) = (r.x, r.y, r.x + r.w, r.y + r.h);
    match h.hx {
        -1 => x0 = snap(x0, grid).min(x1 - min),
        1 => x1 = snap(x1, grid).max(x0 + min),
        _ => {}
    }
    match h.hy {
        -1 => y0 = snap(y0, grid).min(y1 - min),
        1 => y1 = snap(y1, grid).max(y0 + min),
        _ => {}
    }
    Rect::new(x0, y0, x1 - x0, y1 - y0)
}
