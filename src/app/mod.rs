//! The application window: menus, status bar, dialogs and the canvas, wired to the command table.
//!
//! The app reads the board and emits edits; file work runs on the `jobs` worker so the UI never
//! waits on the disk.

mod autosave;
mod bench;
mod design;
mod design_panel;
mod dialogs;
mod examples;
mod export_dialog;
mod interview;
mod jobs;
mod open_board;
mod overlays;
mod palette_panel;
mod recovery;
mod settings;
mod sidebar;
mod status;

pub use open_board::OpenBoard;
pub use settings::{Settings, ThemeChoice};
pub use status::{Level, Status};

use crate::canvas::{Camera, CanvasState, Notice};
use crate::cli::{counts_line, display_name};
use crate::command::{self, Command, Menu};
use crate::model::Board;
use crate::palette::Palette;
use crate::theme::Colors;
use dialogs::{DialogOutcome, FileDialog, PromptChoice, Purpose};
use jobs::{Job, JobDone, Jobs};
use palette_panel::PalettePanel;
use std::path::PathBuf;

/// How the window was asked for on the command line.
pub struct Launch {
    pub file: Option<PathBuf>,
    /// When the process started.
    pub started: std::time::Instant,
    /// Print start-up timings.
    pub timings: bool,
    /// Run `archboard bench` with this many frames per phase, then quit.
    pub bench: Option<usize>,
}

/// Opens the window and runs until it closes.
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
        Box::new(move |cc| {
            let mut app = ArchboardApp::new(cc, launch.file);
            if launch.timings {
                app.startup = Some(Startup::new(launch.started));
            }
            app.bench = launch.bench.map(bench::Bench::new);
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// What to do once unsaved changes are dealt with.
#[derive(Clone, Debug, PartialEq)]
enum After {
    Quit,
    New,
    /// Open a file; `None` asks for the path first.
    Open(Option<PathBuf>),
    /// Open a bundled example as a new, untitled board.
    Example(usize),
    /// Open the first unsaved work found on start-up.
    Restore,
}

impl After {
    fn describe(&self) -> &'static str {
        match self {
            After::Quit => "quitting",
            After::New => "starting a new board",
            After::Open(_) | After::Example(_) | After::Restore => "opening another board",
        }
    }
}

enum Dialog {
    File(FileDialog),
    Unsaved(After),
    Export(export_dialog::ExportDialog),
}

pub struct ArchboardApp {
    pub board: OpenBoard,
    pub settings: Settings,
    pub status: Status,
    pub canvas: CanvasState,
    pub palette: Palette,
    pub lenses: crate::lens::LensLibrary,
    pub plans: Vec<crate::timer::Plan>,
    pub timer: crate::timer::Timer,
    /// Show the lens as a floating window next to the selected block.
    pub lens_overlay: bool,
    /// The design review: overlay, cached review and the failure drill.
    pub design: design::DesignReview,
    sidebar: sidebar::Sidebar,
    palette_panel: PalettePanel,
    dialog: Option<Dialog>,
    jobs: Jobs,
    /// The file being opened; the canvas is locked until it arrives.
    loading: Option<PathBuf>,
    /// Runs when the save in flight succeeds (e.g. quit after "Save" in the prompt).
    after_save: Option<After>,
    allow_close: bool,
    shown_title: String,
    /// Startup file to open on the first frame (needs a context to wake the UI when done).
    initial_file: Option<PathBuf>,
    /// Start-up timings to print (`--timings`).
    startup: Option<Startup>,
    bench: Option<bench::Bench>,
    autosave: autosave::Autosave,
    /// Unsaved work found on start-up, offered one at a time.
    recoverable: Vec<crate::persistence::recovery::Recoverable>,
    /// Where recovery files and locks live; `None` (tests) turns those off.
    data_dir: Option<recovery::DataDir>,
    /// Look for recovery files once the start-up file is queued.
    scan_recovery: bool,
    /// Says that another window should know this board's file is open here.
    board_lock: Option<crate::persistence::lock::Held>,
    autosave_failed: bool,
}

/// Start-up milestones, printed once the first frame is on screen.
struct Startup {
    started: std::time::Instant,
    app_created: std::time::Duration,
    first_built: Option<std::time::Duration>,
}

impl Startup {
    fn new(started: std::time::Instant) -> Self {
        Self {
            started,
            app_created: started.elapsed(),
            first_built: None,
        }
    }
}

impl ArchboardApp {
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
        if let Some(dir) = Palette::user_dir() {
            let (palette, problems) = Palette::with_user_dir(&dir);
            app.palette = palette;
            if let Some(first) = problems.first() {
                app.status.error(format!("Palette not loaded: {first}"));
            }
        }
        app
    }

    /// An app with default settings and no stored state, as tests use it.
    pub fn with_settings(settings: Settings, file: Option<PathBuf>) -> Self {
        Self::with_clock(
            settings,
            file,
            std::sync::Arc::new(crate::timer::SystemClock::default()),
        )
    }

    /// An app whose interview timer reads `clock` (tests pass a fake one).
    pub fn with_clock(
        settings: Settings,
        file: Option<PathBuf>,
        clock: std::sync::Arc<dyn crate::timer::Clock>,
    ) -> Self {
        let mut canvas = CanvasState::new();
        canvas.snap = settings.snap_to_grid;
        canvas.badges = settings.badges;
        Self {
            board: OpenBoard::new(Board::default(), None),
            settings,
            status: Status::default(),
            canvas,
            palette: Palette::bundled(),
            lenses: crate::lens::LensLibrary::bundled(),
            plans: crate::timer::bundled_plans(),
            timer: crate::timer::Timer::new(clock),
            lens_overlay: false,
            design: design::DesignReview::default(),
            sidebar: sidebar::Sidebar::default(),
            palette_panel: PalettePanel::default(),
            dialog: None,
            jobs: Jobs::new(),
            loading: None,
            after_save: None,
            allow_close: false,
            shown_title: String::new(),
            initial_file: file,
            startup: None,
            bench: None,
            autosave: autosave::Autosave::default(),
            recoverable: Vec::new(),
            data_dir: None,
            scan_recovery: false,
            board_lock: None,
            autosave_failed: false,
        }
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn has_dialog(&self) -> bool {
        self.dialog.is_some()
    }

    /// Draws one frame of the whole app.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(file) = self.initial_file.take() {
            self.open_initial(file, &ctx);
        }
        for done in self.jobs.poll() {
            self.finish_job(done, &ctx);
        }
        self.handle_close_request(&ctx);
        self.handle_dropped_files(&ctx);
        if self.dialog.is_none() && self.recoverable.is_empty() {
            for cmd in command::consume_pressed(&ctx) {
                self.run(cmd, &ctx);
            }
        }
        let colors = Colors::for_dark_mode(ui.visuals().dark_mode);
        self.tick_timer(&ctx);
        self.tick_autosave(&ctx);
        self.refresh_design(&ctx);

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &ctx));
        egui::Panel::top("timer").show(ui, |ui| self.timer_bar(ui, &colors, &ctx));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui, &colors, &ctx));
        egui::Panel::left("palette")
            .resizable(true)
            .default_size(210.0)
            .show(ui, |ui| {
                if let Some(kind) = self.palette_panel.show(ui, &self.palette) {
                    let at = self.canvas.view().center_world();
                    self.canvas
                        .place(&mut self.board.doc, &self.palette, &kind, at);
                }
            });
        if self.settings.sidebar {
            let mut sidebar = std::mem::take(&mut self.sidebar);
            let actions = egui::Panel::right("sidebar")
                .resizable(true)
                .default_size(320.0)
                .show(ui, |ui| sidebar.show(ui, &self.sidebar_context(&colors)))
                .inner;
            self.sidebar = sidebar;
            self.handle_sidebar_actions(actions);
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            if self.loading.is_some() {
                ui.disable();
            }
            self.canvas.show(
                ui,
                &mut self.board.doc,
                &self.palette,
                &self.lenses,
                &colors,
            );
        });
        for cmd in std::mem::take(&mut self.canvas.requests) {
            self.run(cmd, &ctx);
        }
        self.show_lens_overlay(&ctx, &colors);
        self.show_overlays(&ctx);
        for notice in self.canvas.take_notices() {
            match notice {
                Notice::Info(t) => self.status.info(t),
                Notice::Error(t) => self.status.error(t),
            }
        }
        self.settings.snap_to_grid = self.canvas.snap;
        self.settings.badges = self.canvas.badges;
        self.show_dialog(&ctx);
        if let Some(path) = &self.loading {
            egui::Modal::new(egui::Id::unique("archboard-loading")).show(&ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Opening {}…", display_name(path)));
                });
            });
        }
        self.update_title(&ctx);
        if self.status.visible() && self.status.level == Level::Info {
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
    }

    /// Runs a command from a menu or a shortcut.
    pub fn run(&mut self, cmd: Command, ctx: &egui::Context) {
        match cmd {
            Command::New => self.request(After::New, ctx),
            Command::Open => self.request(After::Open(None), ctx),
            Command::Save => self.save(ctx),
            Command::SaveAs => {
                self.dialog = Some(Dialog::File(FileDialog::new(
                    Purpose::SaveAs,
                    self.board.path.as_deref(),
                )))
            }
            Command::ExportPng => {
                self.canvas.commit_label(&mut self.board.doc);
                self.dialog = Some(Dialog::Export(export_dialog::ExportDialog::new(
                    self.board.path.as_deref(),
                    self.settings.last_export_folder.as_deref(),
                    !self.canvas.selection.is_empty(),
                )));
            }
            Command::CopyPng => {
                let dark = ctx.theme() == egui::Theme::Dark;
                let opts = crate::export::ExportOptions {
                    background: if dark {
                        crate::export::Background::Dark
                    } else {
                        crate::export::Background::Light
                    },
                    selection: (!self.canvas.selection.is_empty())
                        .then(|| self.canvas.selection.clone()),
                    ..Default::default()
                };
                self.copy_png(opts, ctx);
            }
            Command::Quit => self.request(After::Quit, ctx),
            Command::Undo => {
                self.canvas.commit_label(&mut self.board.doc);
                if !self.board.doc.undo() {
                    self.status.info("Nothing to undo");
                }
            }
            Command::Redo => {
                if !self.board.doc.redo() {
                    self.status.info("Nothing to redo");
                }
            }
            Command::ToggleSidebar => self.settings.sidebar = !self.settings.sidebar,
            Command::LensOverlay => self.lens_overlay = !self.lens_overlay,
            Command::ToggleBadges => self.canvas.badges = !self.canvas.badges,
            Command::ReviewOverlay => {
                self.design.overlay = !self.design.overlay;
                self.status.info(if self.design.overlay {
                    "Review overlay on: load against capacity on every block and link (F7 hides it)"
                } else {
                    "Review overlay off"
                });
            }
            Command::Estimator => {
                self.settings.sidebar = true;
                self.canvas.clear_selection();
            }
            Command::DrillToggle => {
                let ids: Vec<crate::model::BlockId> =
                    self.canvas.selection.iter().copied().collect();
                self.toggle_failed(&ids);
            }
            Command::DrillClear => {
                self.design.failed.clear();
                self.status.info("Drill cleared: every block is back");
            }
            Command::TimerStartPause
            | Command::TimerNext
            | Command::TimerPrevious
            | Command::TimerReset => self.run_timer_command(cmd),
            canvas_cmd => self
                .canvas
                .run_command(canvas_cmd, ctx, &mut self.board.doc),
        }
    }

    /// Renders the selection (or board) off the UI thread and puts it on the clipboard.
    fn copy_png(&mut self, opts: crate::export::ExportOptions, ctx: &egui::Context) {
        if self.board.doc.board().blocks.is_empty() {
            self.status.info("Nothing to copy: the board is empty");
            return;
        }
        self.status.info("Copying the picture…");
        let job = Job::CopyImage {
            board: self.board.doc.board().clone(),
            opts,
        };
        if let Some(done) = self.jobs.submit(job, Some(ctx.clone())) {
            self.finish_job(done, ctx);
        }
    }

    /// A `.ron` or `.png` board dropped onto the window opens like File → Open.
    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            if self.dialog.is_some() || self.loading.is_some() {
                self.status
                    .info("Finish the open dialog first, then drop the file again");
            } else {
                self.request(After::Open(Some(path)), ctx);
            }
        }
    }

    fn sidebar_context<'a>(&'a self, colors: &'a Colors) -> sidebar::SidebarContext<'a> {
        sidebar::SidebarContext {
            board: self.board.doc.board(),
            canvas: &self.canvas,
            palette: &self.palette,
            lenses: &self.lenses,
            plans: &self.plans,
            colors,
            review: self.design.review(),
            drill: self.design.drill(),
            failed: &self.design.failed,
        }
    }

    /// The lens as a floating window beside the selected block, for when the sidebar is hidden.
    fn show_lens_overlay(&mut self, ctx: &egui::Context, colors: &Colors) {
        if !self.lens_overlay {
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
        let mut sidebar = std::mem::take(&mut self.sidebar);
        let actions = egui::Window::new("Lens")
            .id(egui::Id::unique("archboard-lens-overlay"))
            .open(&mut open)
            .default_pos(at)
            .default_size([300.0, 420.0])
            .collapsible(false)
            .show(ctx, |ui| sidebar.show(ui, &self.sidebar_context(colors)))
            .and_then(|r| r.inner)
            .unwrap_or_default();
        self.sidebar = sidebar;
        self.lens_overlay &= open;
        self.handle_sidebar_actions(actions);
    }

    fn show_overlays(&mut self, ctx: &egui::Context) {
        if let Some(mut qa) = self.canvas.quick_add.take() {
            let view = self.canvas.view();
            let pos = view.to_screen(qa.at);
            match overlays::quick_add(ctx, &mut qa, pos, &self.palette) {
                overlays::QuickAddOutcome::Open => self.canvas.quick_add = Some(qa),
                overlays::QuickAddOutcome::Close => {}
                overlays::QuickAddOutcome::Place(kind) => {
                    self.canvas
                        .place(&mut self.board.doc, &self.palette, &kind, qa.at);
                }
            }
        }
        if self.canvas.show_shortcuts {
            let mut open = true;
            overlays::shortcuts(ctx, &self.palette, &mut open);
            self.canvas.show_shortcuts &= open;
        }
    }

    /// Opens `path` (a new board bound to it when it does not exist yet).
    fn open_initial(&mut self, path: PathBuf, ctx: &egui::Context) {
        if path.exists() {
            self.start_load(path, ctx);
        } else {
            self.status
                .info(format!("New board: Ctrl+S saves it to {}", path.display()));
            self.set_board(OpenBoard::new(Board::default(), Some(path)), ctx);
        }
    }

    /// Does `after` now, or asks first when there are unsaved changes.
    fn request(&mut self, after: After, ctx: &egui::Context) {
        if self.board.is_dirty() {
            self.dialog = Some(Dialog::Unsaved(after));
        } else {
            self.perform(after, ctx);
        }
    }

    fn perform(&mut self, after: After, ctx: &egui::Context) {
        match after {
            After::Quit => {
                // Closing on purpose (saved, or changes discarded): the recovery file goes.
                if let Some(action) = self.autosave.end() {
                    self.submit_recovery(action, ctx);
                }
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            After::New => {
                self.set_board(OpenBoard::new(Board::default(), None), ctx);
                self.reset_canvas();
                self.canvas.camera = Camera::default();
                self.status.info("New board");
            }
            After::Open(Some(path)) => self.start_load(path, ctx),
            After::Restore => self.restore(ctx),
            After::Example(i) => {
                let Some((name, text)) = examples::EXAMPLES.get(i) else {
                    return;
                };
                match crate::persistence::parse_board(text, std::path::Path::new(name)) {
                    Ok(board) => {
                        self.reset_canvas();
                        self.canvas.fit_on_next_frame(board.bounds());
                        self.set_board(OpenBoard::new(board, None), ctx);
                        self.status.info(format!(
                            "Opened the {name} example (untitled: Save As keeps your copy)"
                        ));
                    }
                    Err(e) => self.status.error(e.to_string()),
                }
            }
            After::Open(None) => {
                let start = self
                    .settings
                    .recent
                    .first()
                    .and_then(|p| p.parent())
                    .map(|p| p.join(""));
                self.dialog = Some(Dialog::File(FileDialog::new(
                    Purpose::Open,
                    start.as_deref(),
                )));
            }
        }
    }

    fn save(&mut self, ctx: &egui::Context) {
        match self.board.path.clone() {
            Some(path) => self.start_save(path, ctx),
            None => self.dialog = Some(Dialog::File(FileDialog::new(Purpose::SaveAs, None))),
        }
    }

    fn start_save(&mut self, path: PathBuf, ctx: &egui::Context) {
        let job = Job::Save {
            path,
            board: self.board.doc.board().clone(),
            state_id: self.board.doc.state_id(),
        };
        if let Some(done) = self.jobs.submit(job, Some(ctx.clone())) {
            self.finish_job(done, ctx);
        }
    }

    fn start_load(&mut self, path: PathBuf, ctx: &egui::Context) {
        self.loading = Some(path.clone());
        if let Some(done) = self.jobs.submit(Job::Load { path }, Some(ctx.clone())) {
            self.finish_job(done, ctx);
        }
    }

    fn finish_job(&mut self, done: JobDone, ctx: &egui::Context) {
        match done {
            JobDone::Loaded { path, result } => {
                self.loading = None;
                match result {
                    Ok(board) => {
                        let counts = counts_line(board.blocks.len(), board.links.len());
                        self.status
                            .info(format!("Opened {} ({counts})", display_name(&path)));
                        self.settings.remember(&path);
                        self.reset_canvas();
                        self.canvas.fit_on_next_frame(board.bounds());
                        self.set_board(OpenBoard::new(board, Some(path)), ctx);
                    }
                    // The board in memory is untouched, and stays bound to where it was.
                    Err(e) => self.status.error(e.to_string()),
                }
            }
            JobDone::Exported {
                path,
                result,
                asked_scale,
            } => match result {
                Ok((w, h, scale)) => {
                    let note = if scale < asked_scale {
                        format!("; scale lowered to {scale:.2} to stay within 16,384 px and 64 MP")
                    } else {
                        String::new()
                    };
                    self.status
                        .info(format!("Exported {} ({w}×{h} px{note})", path.display()));
                    self.settings.last_export_folder =
                        path.parent().map(std::path::Path::to_path_buf);
                }
                Err(e) => self.status.error(format!("{}: {e}", path.display())),
            },
            JobDone::Recovery { result } => self.recovery_done(result),
            JobDone::Scanned(scan) => self.scanned(scan),
            JobDone::CopiedImage { result } => match result {
                Ok((w, h)) => self
                    .status
                    .info(format!("Copied a {w}×{h} px picture to the clipboard")),
                Err(e) => self
                    .status
                    .error(format!("Could not copy the picture: {e}")),
            },
            JobDone::Saved {
                path,
                state_id,
                timer,
                result,
            } => match result {
                Ok(()) => {
                    self.status.info(format!("Saved {}", path.display()));
                    self.settings.remember(&path);
                    self.board.mark_saved(state_id, timer, path);
                    // Save As may have bound the board to another file.
                    self.take_board_lock();
                    if let Some(after) = self.after_save.take() {
                        self.perform(after, ctx);
                    }
                }
                Err(e) => {
                    self.after_save = None;
                    self.status
                        .error(format!("{e}. The board is still open, unsaved."));
                }
            },
        }
    }

    /// Forgets selection and edits in progress: they belonged to the previous board.
    fn reset_canvas(&mut self) {
        let old = std::mem::take(&mut self.canvas);
        self.canvas = CanvasState::new();
        self.canvas.snap = old.snap;
        self.canvas.badges = old.badges;
        self.canvas.default_route = old.default_route;
        self.canvas.last_view = old.last_view;
        self.timer.pause();
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.board.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved(After::Quit));
        }
    }

    fn show_dialog(&mut self, ctx: &egui::Context) {
        let Some(dialog) = self.dialog.take() else {
            if self.loading.is_none() {
                self.show_recovery_prompt(ctx);
            }
            return;
        };
        match dialog {
            Dialog::Export(mut ed) => {
                let outcome = ed.show(
                    ctx,
                    self.board.doc.board(),
                    &self.canvas.selection,
                    &self.palette,
                    &self.lenses,
                );
                match outcome {
                    export_dialog::ExportOutcome::Pending => self.dialog = Some(Dialog::Export(ed)),
                    export_dialog::ExportOutcome::Cancel => {}
                    export_dialog::ExportOutcome::Export(path, opts) => {
                        self.status.info(format!("Exporting {}…", path.display()));
                        let job = Job::Export {
                            board: self.board.doc.board().clone(),
                            opts,
                            path,
                        };
                        if let Some(done) = self.jobs.submit(job, Some(ctx.clone())) {
                            self.finish_job(done, ctx);
                        }
                    }
                    export_dialog::ExportOutcome::Copy(opts) => self.copy_png(opts, ctx),
                }
            }
            Dialog::File(mut fd) => match fd.show(ctx, &self.settings.recent) {
                DialogOutcome::Pending => self.dialog = Some(Dialog::File(fd)),
                DialogOutcome::Cancel => self.after_save = None,
                DialogOutcome::Confirm(path) => match fd.purpose {
                    // Unsaved changes were dealt with before the dialog opened.
                    Purpose::Open => self.perform(After::Open(Some(path)), ctx),
                    Purpose::SaveAs => self.start_save(path, ctx),
                },
            },
            Dialog::Unsaved(after) => {
                match dialogs::unsaved_prompt(ctx, &self.board.name(), after.describe()) {
                    None => self.dialog = Some(Dialog::Unsaved(after)),
                    Some(PromptChoice::Cancel) => {}
                    Some(PromptChoice::Discard) => self.perform(after, ctx),
                    Some(PromptChoice::Save) => {
                        self.after_save = Some(after);
                        self.save(ctx);
                    }
                }
            }
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        egui::MenuBar::new().ui(ui, |ui| {
            for (menu, title) in Menu::ALL {
                ui.menu_button(title, |ui| {
                    if menu == Menu::File {
                        ui.menu_button("Open example", |ui| {
                            for (i, (name, _)) in examples::EXAMPLES.iter().enumerate() {
                                if ui.button(*name).clicked() {
                                    self.request(After::Example(i), ctx);
                                }
                            }
                        });
                    }
                    for &cmd in Command::ALL.iter().filter(|c| c.menu() == menu) {
                        let enabled = match cmd {
                            Command::Undo => self.board.doc.can_undo(),
                            Command::Redo => self.board.doc.can_redo(),
                            Command::Cut
                            | Command::Copy
                            | Command::Duplicate
                            | Command::Delete
                            | Command::EditLabel => !self.canvas.selection.is_empty(),
                            _ => true,
                        };
                        let text = match cmd {
                            Command::ToggleSnap => check_label(self.canvas.snap, cmd),
                            Command::DefaultElbow => check_label(
                                self.canvas.default_route == crate::model::Route::Elbow,
                                cmd,
                            ),
                            _ => cmd.label().to_owned(),
                        };
                        let button = egui::Button::new(text).shortcut_text(cmd.shortcut_text(ctx));
                        if ui.add_enabled(enabled, button).clicked() {
                            self.run(cmd, ctx);
                        }
                    }
                    if menu == Menu::View {
                        ui.separator();
                        ui.label("Theme");
                        for (choice, text) in [
                            (ThemeChoice::System, "Follow system"),
                            (ThemeChoice::Light, "Light"),
                            (ThemeChoice::Dark, "Dark"),
                        ] {
                            if ui.radio(self.settings.theme == choice, text).clicked() {
                                self.settings.theme = choice;
                                ctx.set_theme(choice.preference());
                            }
                        }
                    }
                });
            }
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui, colors: &Colors, ctx: &egui::Context) {
        let mut open_review = false;
        ui.horizontal(|ui| {
            ui.label(format!("{} tool", self.canvas.tool.name()));
            ui.separator();
            if self.status.visible() {
                let color = match self.status.level {
                    Level::Info => colors.muted_text,
                    Level::Error => colors.error,
                };
                ui.colored_label(color, &self.status.text);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let zoom = format!("{:.0} %", self.canvas.camera.zoom * 100.0);
                ui.menu_button(zoom, |ui| {
                    for cmd in [
                        Command::ZoomIn,
                        Command::ZoomOut,
                        Command::ZoomReset,
                        Command::FitBoard,
                        Command::FitSelection,
                    ] {
                        let button =
                            egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(ctx));
                        if ui.add(button).clicked() {
                            self.run(cmd, ctx);
                        }
                    }
                    ui.separator();
                    for pct in [50.0_f32, 100.0, 200.0] {
                        if ui.button(format!("{pct:.0} %")).clicked() {
                            let view = self.canvas.view();
                            let c = view.center_world();
                            self.canvas.camera = Camera {
                                zoom: pct / 100.0,
                                ..self.canvas.camera
                            }
                            .centred_on(view.screen, c);
                        }
                    }
                });
                ui.separator();
                let board = self.board.doc.board();
                ui.label(counts_line(board.blocks.len(), board.links.len()));
                if let Some(risks) = self.fresh_risks() {
                    ui.separator();
                    let (text, color) = match risks {
                        0 => ("No risks".to_owned(), colors.ok),
                        1 => ("1 risk".to_owned(), colors.error),
                        n => (format!("{n} risks"), colors.error),
                    };
                    if ui
                        .link(egui::RichText::new(text).color(color))
                        .on_hover_text("Single points of failure and bottlenecks: open the review panel (Shift+F7)")
                        .clicked()
                    {
                        open_review = true;
                    }
                }
                if !self.canvas.selection.is_empty() {
                    ui.separator();
                    ui.label(format!("{} selected", self.canvas.selection.len()));
                }
                if self.jobs.busy() {
                    ui.spinner();
                }
            });
        });
        if open_review {
            self.run(Command::Estimator, ctx);
        }
    }

    /// The review's risk count, when the review is being kept up to date (sidebar or overlay
    /// showing) and the board has something to review.
    fn fresh_risks(&self) -> Option<usize> {
        if !(self.settings.sidebar || self.design.overlay)
            || self.board.doc.board().blocks.is_empty()
        {
            return None;
        }
        Some(self.design.review()?.counts().0)
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.board.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    pub fn window_title(&self) -> String {
        self.board.window_title()
    }
}

/// Menu text with a check mark for a toggle that is on.
fn check_label(on: bool, cmd: Command) -> String {
    format!("{} {}", if on { "✔" } else { "   " }, cmd.label())
}

impl ArchboardApp {
    /// Prints the start-up line at the start of the second frame: the first is on screen by then.
    fn note_startup(&mut self, ctx: &egui::Context) {
        let Some(startup) = &mut self.startup else {
            return;
        };
        match startup.first_built {
            None => {
                startup.first_built = Some(startup.started.elapsed());
                ctx.request_repaint();
            }
            Some(built) => {
                let shown = startup.started.elapsed();
                print_line(&format!(
                    "startup: window and app ready {} ms, first frame built {} ms, on screen by {} ms",
                    startup.app_created.as_millis(),
                    built.as_millis(),
                    shown.as_millis()
                ));
                self.startup = None;
            }
        }
    }

    /// Drives and measures one frame of `archboard bench`, then quits when it is done.
    fn bench_frame(&mut self, ui: &mut egui::Ui) {
        let start = std::time::Instant::now();
        let cpu_before = bench::thread_cpu_time();
        let bounds = self.board.doc.board().bounds();
        let ready = !self.is_loading() && self.initial_file.is_none();
        if let Some(b) = &mut self.bench
            && ready
        {
            b.drive(&mut self.canvas, bounds);
        }
        self.show(ui);
        let update = match (cpu_before, bench::thread_cpu_time()) {
            (Some(before), Some(after)) => after.saturating_sub(before),
            _ => start.elapsed(),
        };
        let Some(b) = &mut self.bench else {
            return;
        };
        b.record(start, update, ready);
        ui.ctx().request_repaint();
        if b.finished() {
            for line in b.lines() {
                print_line(line);
            }
            self.bench = None;
            self.allow_close = true;
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

/// One line on stdout; a closed pipe is not worth a panic.
fn print_line(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

impl eframe::App for ArchboardApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.note_startup(ui.ctx());
        if self.bench.is_some() {
            self.bench_frame(ui);
        } else {
            self.show(ui);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::STORAGE_KEY, &self.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A save or a recovery file removal queued just before closing still happens.
        self.jobs.shutdown(std::time::Duration::from_secs(5));
        self.release_board_lock();
    }
}
