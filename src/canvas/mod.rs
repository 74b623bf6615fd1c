//! The infinite canvas: camera, painting, and turning pointer and keyboard input into edits.
//!
//! The canvas reads the board and emits [`Edit`]s through the document; it never mutates the
//! board itself. Its own state (camera, tool, selection, gesture) is session state, never saved.
//! `pointer.rs` turns mouse gestures into edits, `actions.rs` holds what commands and keys do,
//! `overlay.rs` draws selection, handles and the in-place label editor.

mod actions;
pub mod camera;
pub mod design_paint;
pub mod hit;
mod overlay;
pub mod paint;
mod pointer;
pub mod route;

pub use camera::{Camera, View};

use crate::model::{BlockId, Board, Document, Edit, LinkId, Point, Rect, Route, Side, snap};
use crate::palette::{Kind, Palette};
use crate::theme::Colors;
use hit::Handle;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

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
    /// `lead_start` is where the grabbed block began: it is the one snapped to the grid, the
    /// rest of the selection follows it.
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
    /// Drawing a new link; `side` is set when it started from a connection handle.
    Connect {
        from: BlockId,
        side: Option<Side>,
        now: Point,
    },
    /// Dragging one end of an existing link to another block.
    Reconnect {
        link: LinkId,
        start_end: bool,
        now: Point,
    },
}

/// What a label editor edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditTarget {
    Block(BlockId),
    Link(LinkId),
}

/// A label being edited in place.
#[derive(Clone, Debug)]
pub struct LabelEdit {
    pub target: EditTarget,
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

/// The palette drag-and-drop payload: a kind id.
#[derive(Clone, Debug)]
pub struct KindPayload(pub String);

/// The board state a fan-out table was computed for: (state id, link count).
type FanKey = (u64, usize);

/// Per-session canvas state: never saved in the board.
#[derive(Default)]
pub struct CanvasState {
    pub camera: Camera,
    /// The view in the last frame: where the canvas is on screen.
    pub last_view: Option<View>,
    pub tool: Tool,
    pub selection: BTreeSet<BlockId>,
    pub selected_links: BTreeSet<LinkId>,
    pub editing: Option<LabelEdit>,
    pub quick_add: Option<QuickAdd>,
    pub show_shortcuts: bool,
    pub snap: bool,
    /// Show lens coverage badges and note markers on blocks.
    pub badges: bool,
    /// Route given to new links.
    pub default_route: Route,
    /// The pointer in world space, while it is over the canvas.
    pub pointer: Option<Point>,
    /// The block under the pointer, which shows connection handles.
    hover_block: Option<BlockId>,
    /// The hovered block when the button went down: a drag starts after the pointer has moved
    /// away from it, so its connection handles are judged by where the press began.
    press_hover: Option<BlockId>,
    gesture: Gesture,
    notices: Vec<Notice>,
    /// A world rectangle to frame as soon as the canvas knows its size on screen.
    pending_fit: Option<Rect>,
    /// Fan-out offsets of parallel links, cached for the board state they were computed for.
    /// Shared so a frame or a click can hold it while the canvas changes its other state.
    fans: Option<(FanKey, Rc<HashMap<LinkId, f32>>)>,
    /// The design review's overlay and drill to draw, set by the app each frame.
    pub design: Option<Rc<design_paint::Design>>,
    /// Commands chosen in the canvas that the app carries out (the drill).
    pub requests: Vec<crate::command::Command>,
}

impl CanvasState {
    pub fn new() -> Self {
        Self {
            snap: true,
            badges: true,
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

    /// Frames `world` (a freshly opened board) on the next frame, when the view size is known.
    pub fn fit_on_next_frame(&mut self, world: Option<Rect>) {
        self.pending_fit = world;
        if world.is_none() {
            self.camera = Camera::default();
        }
    }

    /// The selected block when exactly one is selected (and no link).
    pub fn only_selected(&self) -> Option<BlockId> {
        match (self.selection.len(), self.selected_links.is_empty()) {
            (1, true) => self.selection.iter().next().copied(),
            _ => None,
        }
    }

    pub fn clear_selection(&mut self) {
        self.selection.clear();
        self.selected_links.clear();
    }

    /// Fan-out offsets for the current board, recomputed only when the board changed.
    fn fans(&mut self, doc: &Document) -> Rc<HashMap<LinkId, f32>> {
        let key = (doc.state_id(), doc.board().links.len());
        match &self.fans {
            Some((k, fans)) if *k == key => Rc::clone(fans),
            _ => {
                let fans = Rc::new(route::fan_offsets(doc.board()));
                self.fans = Some((key, Rc::clone(&fans)));
                fans
            }
        }
    }

    /// Shows the canvas filling `ui` and turns input into edits on `doc`.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        doc: &mut Document,
        palette: &Palette,
        lenses: &crate::lens::LensLibrary,
        colors: &Colors,
    ) {
        let (response, painter) =
            ui.allocate_painter(ui.available_size(), egui::Sense::click_and_drag());
        let response = response.on_hover_cursor(self.cursor_for(ui));
        let screen = response.rect;
        self.prune_selection(doc.board());
        let ctx = ui.ctx().clone();

        if let Some(world) = self.pending_fit.take() {
            self.camera = Camera::fit(screen, &world, 40.0, 1.0);
        }
        let hover = response.hover_pos();
        self.pointer = hover.map(|p| View::new(self.camera, screen).to_world(p));
        self.handle_wheel(ui, &response, screen);
        let view = View::new(self.camera, screen);
        self.last_view = Some(view);
        self.update_hover(doc.board(), &view);

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

        let fans = self.fans(doc);
        let design = self.design.clone();
        let style = paint::Style {
            colors,
            dark: ui.visuals().dark_mode,
            palette,
            grid: true,
            fans: &fans,
            badges: self.badges.then_some(lenses),
            design: design.as_deref(),
        };
        paint::paint_board(&painter, doc.board(), &view, &style);
        self.paint_overlays(&painter, doc.board(), &view, &style);
        self.expose_items(ui, doc.board(), &view, &style);
        self.show_label_editor(ui, doc, &view, &style);
        response.context_menu(|ui| self.context_menu(ui, doc, palette));
    }

    fn cursor_for(&self, ui: &egui::Ui) -> egui::CursorIcon {
        let space = ui.input(|i| i.key_down(egui::Key::Space));
        match (&self.gesture, self.tool) {
            (Gesture::Pan, _) => egui::CursorIcon::Grabbing,
            (_, Tool::Hand) => egui::CursorIcon::Grab,
            _ if space => egui::CursorIcon::Grab,
            (Gesture::Move { .. }, _) => egui::CursorIcon::Move,
            (Gesture::Resize { handle, .. }, _) => handle.cursor(),
            (Gesture::Connect { .. } | Gesture::Reconnect { .. }, _) => egui::CursorIcon::Crosshair,
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

    fn prune_selection(&mut self, board: &Board) {
        self.selection.retain(|id| board.blocks.contains_key(id));
        self.selected_links
            .retain(|id| board.links.contains_key(id));
        let gone = match self.editing.as_ref().map(|e| e.target) {
            Some(EditTarget::Block(id)) => !board.blocks.contains_key(&id),
            Some(EditTarget::Link(id)) => !board.links.contains_key(&id),
            None => false,
        };
        if gone {
            self.editing = None;
        }
    }

    /// Applies an edit, reporting (not panicking on) one the board refuses.
    fn apply(&mut self, doc: &mut Document, edit: Edit) -> bool {
        match doc.apply(edit) {
            Ok(()) => true,
            Err(e) => {
                self.notices.push(Notice::Error(e.to_string()));
                false
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
