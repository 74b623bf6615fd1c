//! The infinite canvas: camera, painting, and turning pointer and keyboard input into edits.
//!
//! The canvas reads the board and changes it only through the document's one door
//! ([`CanvasState::apply`]). Its own state (camera, tool, selection, gesture) is session state,
//! never saved. `pointer.rs` turns mouse gestures into edits, `actions.rs` holds what commands
//! and keys do, `overlay.rs` draws selection, handles and the in-place label editor.
//! Commands chosen in the canvas (its context menu) are queued for the app's dispatcher.

mod actions;
pub mod camera;
mod card_paint;
mod crowfoot;
pub mod design;
pub mod design_paint;
mod entity_paint;
pub mod hit;
mod ink_paint;
pub mod laser;
pub mod layout;
pub mod link_labels;
mod overlay;
pub mod paint;
mod pen;
mod pointer;
pub mod route;
pub mod selection;
pub mod style;

pub use camera::{Camera, View};
pub use selection::Selection;

use crate::command::Queue;
use crate::lens::LensLibrary;
use crate::model::{BlockId, Board, Document, Edit, LinkId, Point, Rect, Route, Side, snap};
use crate::palette::{Kind, Palette};
use crate::theme::Colors;
use hit::Handle;
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
    /// Points without editing: a fading trail everyone in the room sees.
    Laser,
    /// Draws freehand strokes (ink) onto the board.
    Pen,
    /// Removes the strokes it is dragged across.
    Eraser,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Select => "Select",
            Tool::Hand => "Hand",
            Tool::Connect => "Connect",
            Tool::Text => "Text",
            Tool::Frame => "Frame",
            Tool::Laser => "Laser pointer",
            Tool::Pen => "Pen",
            Tool::Eraser => "Eraser",
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
    /// A card's body (its requirements or endpoints as text) rather than a label.
    pub body: bool,
    /// Select the whole text on the first frame, so typing replaces the default label.
    select_all: bool,
    /// Where the cursor starts, in characters (the end when not set).
    cursor: Option<usize>,
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

/// What the clipboard held, as the app read it: a piece of a board, or plain text.
#[derive(Clone, Debug)]
pub enum Clip {
    Fragment(Box<Board>),
    Text(String),
}

/// The user's preferences the canvas works with. The app's settings own them; the canvas is
/// handed them each time it acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefs {
    /// Snap moves, resizes and placements to the grid.
    pub snap: bool,
    /// Show lens coverage badges and note markers on blocks.
    pub badges: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            snap: true,
            badges: true,
        }
    }
}

/// What the canvas reads besides the board: the component kinds, the lenses, the preferences.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub palette: &'a Palette,
    pub lenses: &'a LensLibrary,
    pub prefs: Prefs,
}

/// Another person in a shared room, as the canvas draws them: their pointer (already smoothed
/// by the app), what they have selected and the label they are typing in, in their colour.
#[derive(Clone, Debug, PartialEq)]
pub struct PeerMark {
    pub name: String,
    pub color: egui::Color32,
    pub pointer: Option<Point>,
    /// 1 while they move, fading to 0 when idle.
    pub opacity: f32,
    pub blocks: Vec<BlockId>,
    pub links: Vec<LinkId>,
    pub editing: Option<EditTarget>,
    /// Their laser trail: points with their opacity, and whether each starts a stroke.
    pub laser: Vec<(Point, f32, bool)>,
}

/// The board state a cached layout was computed for: (revision, whether a gesture was open).
type LayoutKey = (u64, bool);

/// Per-session canvas state: never saved in the board.
#[derive(Default)]
pub struct CanvasState {
    pub camera: Camera,
    /// The view in the last frame: where the canvas is on screen.
    pub last_view: Option<View>,
    pub tool: Tool,
    pub selection: Selection,
    pub editing: Option<LabelEdit>,
    pub quick_add: Option<QuickAdd>,
    pub show_shortcuts: bool,
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
    /// A world rectangle to frame as soon as the canvas knows its size on screen, and how many
    /// more frames to frame it on: side panels settle to their width over the first frames.
    pending_fit: Option<(Rect, u8)>,
    /// Fan-out offsets and label places of links, cached for the board state they were
    /// computed for. Shared so a frame or a click can hold them while the canvas changes its
    /// other state.
    layout: Option<(LayoutKey, Rc<layout::LinkLayout>)>,
    /// Lays out big boards off the UI thread.
    layout_worker: layout::LayoutWorker,
    /// The design review's overlay and drill to draw, set by the app each frame.
    pub design: Option<Rc<design::Design>>,
    /// Other people in the room, set by the app each frame.
    pub peers: Vec<PeerMark>,
    /// This person's laser trail, drawn in `laser_color` (theirs in a room).
    pub laser: laser::Trail,
    pub laser_color: Option<egui::Color32>,
    /// The laser is down: the room hears of it with the pointer.
    pub lasering: bool,
    /// The stroke the pen is drawing, or the strokes the eraser has crossed.
    pen: pen::PenState,
}

impl CanvasState {
    pub fn new() -> Self {
        Self::default()
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
        self.pending_fit = world.map(|w| (w, 3));
        if world.is_none() {
            self.camera = Camera::default();
        }
    }

    /// The selected block when exactly one is selected (and no link).
    pub fn only_selected(&self) -> Option<BlockId> {
        self.selection.only_selected()
    }

    pub fn clear_selection(&mut self) {
        self.selection.clear();
    }

    /// Forgets the selection, edits in progress and caches: they belonged to the previous
    /// board. The camera, the tool's preferences and the view size carry over.
    pub fn reset_for_new_board(&mut self) {
        *self = Self {
            camera: self.camera,
            default_route: self.default_route,
            last_view: self.last_view,
            peers: std::mem::take(&mut self.peers),
            laser_color: self.laser_color,
            ..Self::default()
        };
    }

    /// Fan-out offsets and label places for the current board, recomputed only when it changed.
    /// While blocks are dragged only their links' labels move; the whole layout is redone when
    /// the drag ends, so what stays on screen is what an export draws.
    ///
    /// A big board's layout comes from a worker: until it arrives the previous one is drawn
    /// (labels of links just added sit at their middle meanwhile), so no frame waits for it.
    fn layout(&mut self, doc: &Document, ctx: &egui::Context) -> Rc<layout::LinkLayout> {
        if let Some((revision, done)) = self.layout_worker.take() {
            self.layout = Some(((revision, false), Rc::new(done)));
        }
        let key = (doc.revision(), doc.in_gesture());
        if let Some((k, layout)) = &self.layout
            && *k == key
        {
            return Rc::clone(layout);
        }
        let moving = match &self.gesture {
            Gesture::Move { ids, .. } => Some(ids.iter().copied().collect()),
            Gesture::Resize { id, .. } => Some(std::collections::BTreeSet::from([*id])),
            _ => None,
        };
        let previous = self.layout.as_ref().map(|(_, l)| Rc::clone(l));
        let big = doc.board().links.len() >= layout::BIG_LAYOUT;
        let layout = match (&previous, moving) {
            (Some(prev), Some(moving)) if doc.in_gesture() => {
                ctx.fonts_mut(|f| prev.moved(doc.board(), doc.index(), f, &moving))
            }
            _ if big => {
                if !self.layout_worker.is_busy() {
                    let prev = previous.as_deref().cloned();
                    self.layout_worker
                        .start(doc.revision(), doc.board().clone(), prev, ctx);
                }
                // Drawn until the worker's arrives; kept under its own key, so it is not
                // mistaken for the layout of this state.
                return previous.unwrap_or_default();
            }
            _ => ctx.fonts_mut(|f| layout::LinkLayout::after(doc.board(), f, previous.as_deref())),
        };
        let layout = Rc::new(layout);
        self.layout = Some((key, Rc::clone(&layout)));
        layout
    }

    /// The newest link layout the canvas holds (for tests): on a big board it may still be
    /// the one of an earlier state while the worker lays out the current one.
    pub fn link_layout(&self) -> Option<&layout::LinkLayout> {
        self.layout.as_ref().map(|(_, l)| l.as_ref())
    }

    /// Shows the canvas filling `ui` and turns input into edits on `doc`. Commands chosen in
    /// its context menu go onto `queue`.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        doc: &mut Document,
        env: &Env<'_>,
        colors: &Colors,
        queue: &mut Queue,
    ) {
        let (response, painter) =
            ui.allocate_painter(ui.available_size(), egui::Sense::click_and_drag());
        let response = response.on_hover_cursor(self.cursor_for(ui));
        let screen = response.rect;
        self.prune(doc.board());
        let ctx = ui.ctx().clone();

        if let Some((world, frames)) = self.pending_fit.take() {
            self.camera = Camera::fit(screen, &world, 40.0, 1.0);
            if frames > 1 && !response.dragged() {
                self.pending_fit = Some((world, frames - 1));
            }
        }
        let hover = response.hover_pos();
        self.pointer = hover.map(|p| View::new(self.camera, screen).to_world(p));
        self.handle_wheel(ui, &response, screen);
        let view = View::new(self.camera, screen);
        self.last_view = Some(view);
        self.update_hover(doc, &view);

        if let Some(payload) = response.dnd_release_payload::<KindPayload>()
            && let Some(pos) = hover
        {
            self.place(doc, env, &payload.0, view.to_world(pos));
        }
        self.handle_pointer(ui, &response, doc, env, &view);
        if ui.memory(|m| m.focused().is_none()) && self.editing.is_none() {
            self.handle_keys(&ctx, doc, env);
        }

        let layout = self.layout(doc, &ctx);
        let design = self.design.clone();
        let style = style::Style {
            colors,
            dark: ui.visuals().dark_mode,
            palette: env.palette,
            grid: true,
            layout: &layout,
            badges: env.prefs.badges.then_some(env.lenses),
            design: design.as_deref(),
        };
        paint::paint_board(&painter, doc.board(), doc.index(), &view, &style);
        self.paint_overlays(&painter, doc, &view, &style);
        self.expose_items(ui, doc, &view, &style);
        self.show_label_editor(ui, doc, &view, &style);
        response.context_menu(|ui| self.context_menu(ui, queue));
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
            (_, Tool::Frame | Tool::Connect | Tool::Laser | Tool::Pen | Tool::Eraser) => {
                egui::CursorIcon::Crosshair
            }
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

    /// Drops the selection and the label editor of what is no longer on the board.
    fn prune(&mut self, board: &Board) {
        self.selection.prune(board);
        let gone = match self.editing.as_ref().map(|e| e.target) {
            Some(EditTarget::Block(id)) => !board.blocks.contains_key(&id),
            Some(EditTarget::Link(id)) => !board.links.contains_key(&id),
            None => false,
        };
        if gone {
            self.editing = None;
        }
    }

    /// The canvas's one way to change the board: an edit the board refuses is reported in the
    /// status bar, never dropped silently and never a panic.
    fn apply(&mut self, doc: &mut Document, edit: Edit) -> bool {
        self.report(doc.apply(edit))
    }

    /// Several edits as one undo step, through the same door as [`CanvasState::apply`].
    fn apply_all(&mut self, doc: &mut Document, edits: Vec<Edit>) -> bool {
        self.report(doc.apply_all(edits))
    }

    fn report(&mut self, result: Result<(), crate::model::EditError>) -> bool {
        match result {
            Ok(()) => true,
            Err(e) => {
                self.notices
                    .push(Notice::Error(format!("Not changed: {e}")));
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
