//! The application window: the panels of one frame, wired to the command queue.
//!
//! Who owns what: [`BoardFiles`] the open board's life on disk, [`Settings`] every preference,
//! [`CanvasState`] the session's view and selection, [`design::DesignReview`] the cached review
//! and drill, [`startup::Startup`] the start-up timing and the bench driver. The board itself
//! changes only through its [`crate::model::Document`]. Menus, the canvas's context menu, the
//! timer bar and shortcuts queue [`Command`]s; `commands.rs` runs them once per frame.

mod bench;
mod clipboard;
mod commands;
mod design;
mod diagrams;
mod examples;
mod export_dialog;
mod interview;
mod lifecycle;
mod overlays;
pub mod page_address;
mod palette_panel;
mod practice;
mod replay;
mod room;
mod room_ui;
mod settings;
mod share_dialog;
mod sidebar;
mod start_card;
mod startup;
mod status;
mod status_bar;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use lifecycle::OpenBoard;
pub use settings::{Profile, Settings, ThemeChoice};
pub use status::{Level, Status};

use crate::canvas::{CanvasState, Env, Notice, Prefs};
use crate::command::{self, Queue};
use crate::lens::LensLibrary;
use crate::model::Board;
use crate::palette::Palette;
use crate::theme::Colors;
use lifecycle::{BoardFiles, FileEvent, Look, Shell};
use palette_panel::PalettePanel;
use sidebar::{SidebarAction, SidebarContext};
use std::path::PathBuf;
use std::sync::Arc;

/// How the window was asked for on the command line.
pub struct Launch {
    pub file: Option<PathBuf>,
    /// When the process started.
    pub started: web_time::Instant,
    /// Print start-up timings.
    pub timings: bool,
    /// Run `archboard bench` with this many frames per phase, then quit.
    pub bench: Option<usize>,
    /// Join this shared room on start.
    pub join: Option<crate::collab::RoomUrl>,
    /// The name to show others in the room (remembered, as the Share dialog's is).
    pub name: Option<String>,
    /// The role to join in.
    pub role: crate::collab::presence::Role,
}

/// Opens the window and runs until it closes.
#[cfg(not(target_arch = "wasm32"))]
pub fn run_window(launch: Launch) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("archboard")
            .with_app_id("archboard")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "archboard",
        options,
        Box::new(move |cc| Ok(Box::new(ArchboardApp::launched(cc, launch)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

pub struct ArchboardApp {
    pub board: OpenBoard,
    pub settings: Settings,
    pub status: Status,
    pub canvas: CanvasState,
    /// What the window draws and teaches from: kinds, lenses, time plans, problems.
    pub library: Library,
    pub timer: crate::timer::Timer,
    /// The design review: overlay, cached review and the failure drill.
    pub design: design::DesignReview,
    files: BoardFiles,
    commands: Queue,
    panels: Panels,
    startup: startup::Startup,
    room: room_ui::RoomUi,
    practice: practice::PracticeUi,
    /// The replay of the interview, while it is shown instead of the live board.
    replay: Option<replay::Replay>,
}

/// What the window draws and teaches from, loaded once: shared with workers by `Arc`.
pub struct Library {
    pub palette: Arc<Palette>,
    pub lenses: Arc<LensLibrary>,
    pub plans: Vec<crate::timer::Plan>,
    /// Practice problems, bundled and the user's.
    pub problems: Arc<crate::practice::Library>,
}

impl Library {
    fn bundled() -> Self {
        Self {
            palette: Arc::new(Palette::bundled()),
            lenses: Arc::new(LensLibrary::bundled()),
            plans: crate::timer::bundled_plans(),
            problems: Arc::new(crate::practice::Library::bundled()),
        }
    }
}

/// The window's side panels and floating parts, apart from the canvas.
#[derive(Default)]
struct Panels {
    sidebar: sidebar::Sidebar,
    palette: PalettePanel,
    /// Show the lens as a floating window next to the selected block.
    lens_overlay: bool,
    export: Option<export_dialog::ExportDialog>,
    shown_title: String,
}

/// How a board came to replace the one on screen; [`ArchboardApp::board_opened`] resets what
/// belonged to the old one.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Opened {
    /// A file, an example, a problem or a new board: the room is left.
    File { fit: Option<crate::model::Rect> },
    /// The room's board arrived on joining: the room stays.
    Room { fit: Option<crate::model::Rect> },
    /// Replay was entered or left: the live board and its clock stay as they are.
    Replay,
}

impl ArchboardApp {
    /// The app as the command line (or, in a browser, the page's address) asked for it.
    pub fn launched(cc: &eframe::CreationContext<'_>, launch: Launch) -> Self {
        let mut app = ArchboardApp::new(cc, launch.file);
        app.startup = startup::Startup::new(launch.started, launch.timings, launch.bench);
        if let Some(name) = launch.name {
            let mut profile = app.profile();
            profile.name = name;
            app.settings.profile = Some(profile);
        }
        if let Some(url) = launch.join {
            app = app.join_on_start_as(url, launch.role);
        }
        app
    }

    pub fn new(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, settings::STORAGE_KEY))
            .unwrap_or_default();
        cc.egui_ctx.set_theme(settings.theme.preference());
        let mut app = Self::with_settings(settings, file);
        if let Some(data) = crate::persistence::recovery::data_dir() {
            app = app.with_data_dir(data);
        }
        let (palette, problems) = Palette::for_user();
        app.library.palette = Arc::new(palette);
        if let Some(first) = problems.first() {
            app.status.error(format!("Palette not loaded: {first}"));
        }
        let (library, problems) = crate::practice::Library::for_user();
        app.library.problems = Arc::new(library);
        if let Some(first) = problems.first() {
            app.status.error(format!("Problems not loaded: {first}"));
        }
        app
    }

    /// An app with default settings and no stored state, as tests use it.
    pub fn with_settings(settings: Settings, file: Option<PathBuf>) -> Self {
        Self::with_clock(
            settings,
            file,
            Arc::new(crate::timer::SystemClock::default()),
        )
    }

    /// An app whose interview timer reads `clock` (tests pass a fake one).
    pub fn with_clock(
        settings: Settings,
        file: Option<PathBuf>,
        clock: Arc<dyn crate::timer::Clock>,
    ) -> Self {
        Self {
            board: OpenBoard::new(Board::default(), None),
            settings,
            status: Status::default(),
            canvas: CanvasState::new(),
            library: Library::bundled(),
            timer: crate::timer::Timer::new(clock),
            design: design::DesignReview::default(),
            files: BoardFiles::new(file),
            commands: Queue::default(),
            panels: Panels::default(),
            startup: startup::Startup::default(),
            room: room_ui::RoomUi::default(),
            practice: practice::PracticeUi::default(),
            replay: None,
        }
    }

    /// Turns on autosave, the start-up recovery scan and file locks, all under `dir`.
    pub fn with_data_dir(mut self, dir: PathBuf) -> Self {
        self.files.use_data_dir(dir);
        self
    }

    /// Uses `palette` for everything drawn and placed: the screen, exports and the clipboard.
    pub fn with_palette(mut self, palette: Palette) -> Self {
        self.library.palette = Arc::new(palette);
        self
    }

    pub fn is_loading(&self) -> bool {
        self.files.is_loading()
    }

    pub fn has_dialog(&self) -> bool {
        self.files.has_prompt()
            || self.panels.export.is_some()
            || self.room.has_dialog()
            || self.practice.dialog
    }

    /// Whether the restore prompt is showing (or about to).
    pub fn has_recovery_offer(&self) -> bool {
        self.files.has_recovery_offer()
    }

    /// The recovery file the open board writes to, once it has written one.
    pub fn recovery_file(&self) -> Option<&PathBuf> {
        self.files.recovery_file()
    }

    pub fn window_title(&self) -> String {
        self.board.window_title()
    }

    /// What pictures are drawn with: the screen's own palette and lenses.
    fn look(&self) -> Look {
        Look {
            palette: Arc::clone(&self.library.palette),
            lenses: Arc::clone(&self.library.lenses),
        }
    }

    /// Runs `f` with the board's file life cycle, then follows what it did to the board.
    fn with_files<R>(
        &mut self,
        ctx: &egui::Context,
        f: impl FnOnce(&mut BoardFiles, &mut Shell<'_>) -> R,
    ) -> R {
        let mut events = Vec::new();
        let out = {
            let look = self.look();
            let mut sh = Shell {
                board: &mut self.board,
                look,
                status: &mut self.status,
                settings: &mut self.settings,
                ctx,
                events: &mut events,
            };
            f(&mut self.files, &mut sh)
        };
        for event in events {
            match event {
                FileEvent::Replaced { fit } => self.board_opened(Opened::File { fit }),
            }
        }
        out
    }

    /// The one place that resets what belonged to the board on screen when another takes its
    /// place: a file, an example, a problem, a new board, the room's board, or replay.
    fn board_opened(&mut self, how: Opened) {
        self.canvas.reset_for_new_board();
        match how {
            Opened::File { fit } | Opened::Room { fit } => {
                if matches!(how, Opened::File { .. }) {
                    // Another board is not the room's: the room is left.
                    self.board_replaced();
                }
                self.canvas.fit_on_next_frame(fit);
                self.design.reset();
                self.timer.pause();
                // A replay belongs to the board it was made from.
                self.replay = None;
                self.practice.rubric_revision = None;
                // A practice board opens on its problem: the prompt comes first.
                if self.board.doc.board().practice.is_some() {
                    self.panels.sidebar.tab = sidebar::Tab::Problem;
                }
            }
            Opened::Replay => {}
        }
    }

    /// Draws one frame of the whole app.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.with_files(&ctx, |files, sh| files.begin_frame(sh));
        if !self.has_dialog() && !self.files.has_recovery_offer() {
            for cmd in command::consume_pressed(&ctx) {
                self.commands.push(cmd);
            }
            self.take_clipboard_events(&ctx);
        }
        let colors = Colors::for_dark_mode(ui.visuals().dark_mode);
        self.tick_timer(&ctx);
        self.tick_room(&ctx);
        self.with_files(&ctx, |files, sh| files.tick_autosave(sh));
        self.refresh_design(&ctx);

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &ctx));
        egui::Panel::top("timer").show(ui, |ui| self.timer_bar(ui, &colors, &ctx));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui, &colors, &ctx));
        if let Some(replay) = &mut self.replay {
            let live = self.board.doc.board();
            let plans = &self.library.plans;
            let event = egui::Panel::bottom("replay")
                .show(ui, |ui| replay.bar(ui, live, plans, &colors))
                .inner;
            if event == Some(replay::ReplayEvent::Leave) {
                self.toggle_replay();
            }
        }
        egui::Panel::left("palette")
            .resizable(true)
            .default_size(210.0)
            .show(ui, |ui| {
                if let Some(kind) = self.panels.palette.show(ui, &self.library.palette) {
                    let at = self.canvas.view().center_world();
                    self.place(&kind, at);
                }
            });
        if self.settings.sidebar {
            let mut sidebar = std::mem::take(&mut self.panels.sidebar);
            let actions = egui::Panel::right("sidebar")
                .resizable(true)
                .default_size(320.0)
                .show(ui, |ui| sidebar.show(ui, &self.sidebar_context(&colors)))
                .inner;
            self.panels.sidebar = sidebar;
            self.handle_sidebar_actions(actions);
        }
        let canvas_rect = egui::CentralPanel::no_frame().show(ui, |ui| {
            if self.files.is_loading() {
                ui.disable();
            }
            let env = canvas_env(&self.library, &self.settings);
            let doc = match &mut self.replay {
                Some(replay) => &mut replay.doc,
                None => &mut self.board.doc,
            };
            self.canvas.show(ui, doc, &env, &colors, &mut self.commands);
            ui.max_rect()
        });
        self.start_card(&ctx, canvas_rect.inner);
        self.show_lens_overlay(&ctx, &colors);
        self.show_overlays(&ctx);
        self.show_export_dialog(&ctx);
        self.show_import_pages(&ctx);
        let dirty = self.board.is_dirty();
        if let Some(event) = self.room.show_dialogs(&ctx, dirty) {
            self.apply_room_event(event, &ctx);
        }
        if let Some(event) = self.room.show_unsent_prompt(&ctx) {
            self.apply_room_event(event, &ctx);
        }
        if let Some(id) = self.practice.show_dialog(&ctx, &self.library.problems) {
            self.start_problem(&id, &ctx);
        }
        self.with_files(&ctx, |files, sh| files.show_prompts(sh));
        self.run_queued(&ctx);
        if self.design.review().is_some() && self.practice.rubric_due(self.board.doc.revision()) {
            self.track_rubric();
        }
        for notice in self.canvas.take_notices() {
            match notice {
                Notice::Info(t) => self.status.info(t),
                Notice::Error(t) => self.status.error(t),
            }
        }
        self.update_title(&ctx);
        if let Some(left) = self.status.hides_in() {
            // A little past the moment, so the frame it wakes finds the message gone.
            ctx.request_repaint_after(left + std::time::Duration::from_millis(50));
        }
    }

    /// Places a block of `kind` at `at`, as the palette panel and quick add do.
    fn place(&mut self, kind: &str, at: crate::model::Point) {
        let env = canvas_env(&self.library, &self.settings);
        self.canvas.place(&mut self.board.doc, &env, kind, at);
    }

    fn refresh_design(&mut self, ctx: &egui::Context) {
        let wanted = self.settings.sidebar || self.panels.lens_overlay;
        let look = self.look();
        if let Some(design) = self.design.refresh(
            &self.board.doc,
            &look,
            wanted,
            self.canvas.design.as_ref(),
            ctx,
        ) {
            self.canvas.design = design;
        }
    }

    fn sidebar_context<'a>(&'a self, colors: &'a Colors) -> SidebarContext<'a> {
        SidebarContext {
            board: self.board.doc.board(),
            revision: self.board.doc.revision(),
            in_gesture: self.board.doc.in_gesture(),
            selection: &self.canvas.selection,
            palette: &self.library.palette,
            lenses: &self.library.lenses,
            plans: &self.library.plans,
            colors,
            review: self.design.review(),
            drill: self.design.drill(),
            failed: &self.design.failed,
            private: self
                .private_notes_shown()
                .then_some(&self.board.doc.board().private),
            problem: self.current_problem(),
            practice_open_book: self.practice_open_book(),
            practice_interviewer: self.is_interviewer(),
        }
    }

    /// The interviewer in a room sees their private notes; so does anyone alone with a board
    /// that has some (their saved copy).
    fn private_notes_shown(&self) -> bool {
        match self.role() {
            Some(role) => role == crate::collab::presence::Role::Interviewer,
            None => !self.board.doc.board().private.is_empty(),
        }
    }

    fn handle_sidebar_actions(&mut self, actions: Vec<SidebarAction>) {
        for action in actions {
            match action {
                SidebarAction::Edit(edit) => {
                    if let Err(e) = self.board.doc.apply(edit) {
                        self.status.error(e.to_string());
                    }
                }
                SidebarAction::Focus(id) => self.canvas.focus_block(self.board.doc.board(), id),
                SidebarAction::FocusLink(id) => self.canvas.focus_link(self.board.doc.board(), id),
                SidebarAction::ToggleFailed(id) => self.toggle_failed(&[id]),
                SidebarAction::ClearDrill => self.design.failed.clear(),
                SidebarAction::SetPlan(id) => self.set_plan(id),
                SidebarAction::Practice(action) => self.practice_action(action),
            }
        }
    }

    fn toggle_failed(&mut self, ids: &[crate::model::BlockId]) {
        let message = self.design.toggle_failed(self.board.doc.board(), ids);
        self.status.info(message);
    }

    /// The lens as a floating window beside the selected block, for when the sidebar is hidden.
    fn show_lens_overlay(&mut self, ctx: &egui::Context, colors: &Colors) {
        if !self.panels.lens_overlay {
            return;
        }
        let Some(only) = self.canvas.only_selected() else {
            return;
        };
        let Some(rect) = self.board.doc.board().block(only).map(|b| b.rect) else {
            return;
        };
        let view = self.canvas.view();
        let at =
            view.to_screen(rect.max()) + egui::vec2(16.0, -view.rect_to_screen(&rect).height());
        let mut open = true;
        let mut sidebar = std::mem::take(&mut self.panels.sidebar);
        let actions = egui::Window::new("Lens")
            .id(egui::Id::unique("archboard-lens-overlay"))
            .open(&mut open)
            .default_pos(at)
            .default_size([300.0, 420.0])
            .collapsible(false)
            .show(ctx, |ui| sidebar.show(ui, &self.sidebar_context(colors)))
            .and_then(|r| r.inner)
            .unwrap_or_default();
        self.panels.sidebar = sidebar;
        self.panels.lens_overlay &= open;
        self.handle_sidebar_actions(actions);
    }

    fn show_overlays(&mut self, ctx: &egui::Context) {
        if let Some(mut qa) = self.canvas.quick_add.take() {
            let view = self.canvas.view();
            let pos = view.to_screen(qa.at);
            match overlays::quick_add(ctx, &mut qa, pos, &self.library.palette) {
                overlays::QuickAddOutcome::Open => self.canvas.quick_add = Some(qa),
                overlays::QuickAddOutcome::Close => {}
                overlays::QuickAddOutcome::Place(kind) => self.place(&kind, qa.at),
            }
        }
        if self.canvas.show_shortcuts {
            let mut open = true;
            overlays::shortcuts(ctx, &self.library.palette, &mut open);
            self.canvas.show_shortcuts &= open;
        }
    }

    fn show_export_dialog(&mut self, ctx: &egui::Context) {
        let Some(mut dialog) = self.panels.export.take() else {
            return;
        };
        let outcome = dialog.show(
            ctx,
            self.board.doc.board(),
            &self.canvas.selection.blocks,
            &self.library.palette,
            &self.library.lenses,
        );
        match outcome {
            export_dialog::ExportOutcome::Pending => self.panels.export = Some(dialog),
            export_dialog::ExportOutcome::Cancel => {}
            export_dialog::ExportOutcome::Export(path, opts) => {
                let (board, look) = (self.board.doc.board().clone(), self.look());
                self.with_files(ctx, |files, sh| files.export(board, opts, path, look, sh));
            }
            export_dialog::ExportOutcome::Copy(opts) => self.copy_png(opts, ctx),
        }
    }

    /// Renders the selection (or board) off the UI thread and puts it on the clipboard.
    fn copy_png(&mut self, opts: crate::export::ExportOptions, ctx: &egui::Context) {
        let (board, look) = (self.board.doc.board().clone(), self.look());
        self.with_files(ctx, |files, sh| files.copy_image(board, opts, look, sh));
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.board.window_title();
        if title != self.panels.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.panels.shown_title = title;
        }
    }
}

/// What the canvas works with: the kinds and lenses, and the preferences the settings own.
fn canvas_env<'a>(library: &'a Library, settings: &Settings) -> Env<'a> {
    Env {
        palette: &library.palette,
        lenses: &library.lenses,
        prefs: Prefs {
            snap: settings.snap_to_grid,
            badges: settings.badges,
        },
    }
}

impl eframe::App for ArchboardApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        startup::frame(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::STORAGE_KEY, &self.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A save or a recovery file removal queued just before closing still happens.
        self.files.shutdown();
    }
}
