//! The open board's life on disk: new, open, save, save as, quit, the prompts they need, the
//! worker that does the file work, autosave and recovery, and the lock on an open file.
//!
//! [`BoardFiles`] owns all of it. It works on the app's [`OpenBoard`] through a [`Shell`] and
//! says what happened to the board through [`FileEvent`]s, so the rest of the app (canvas,
//! review, timer) reacts in one place without this module reaching into it.

mod autosave;
mod dialogs;
mod jobs;
mod open_board;
mod recovery;

pub use jobs::{Job, Look};

pub use open_board::OpenBoard;
pub use recovery::DataDir;

use super::settings::Settings;
use super::status::Status;
use crate::export::ExportOptions;
use crate::model::{Board, Rect};
use crate::text::{counts_line, display_name};
use autosave::Autosave;
use dialogs::{DialogOutcome, FileDialog, PromptChoice, Purpose};
use jobs::{JobDone, Jobs};
use std::path::{Path, PathBuf};

/// What to do once unsaved changes are dealt with.
#[derive(Clone, Debug, PartialEq)]
pub enum After {
    Quit,
    New,
    /// Open a file; `None` asks for the path first.
    Open(Option<PathBuf>),
    /// Open a board that is not a file (an example) as a new, untitled board.
    Untitled {
        board: Box<Board>,
        message: String,
    },
    /// Open the first unsaved work found on start-up.
    Restore,
    /// Import another tool's diagram as a new, untitled board; `None` asks for the file.
    Import {
        path: Option<PathBuf>,
        page: usize,
    },
    /// Open a file that came without a path (dropped on a browser tab): a board, or another
    /// tool's diagram to import.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    Dropped {
        name: PathBuf,
        bytes: std::sync::Arc<[u8]>,
    },
}

impl After {
    fn describe(&self) -> &'static str {
        match self {
            After::Quit => "quitting",
            After::New => "starting a new board",
            After::Open(_)
            | After::Untitled { .. }
            | After::Restore
            | After::Import { .. }
            | After::Dropped { .. } => "opening another board",
        }
    }
}

/// What happened to the open board, for the rest of the app to follow.
#[derive(Clone, Debug, PartialEq)]
pub enum FileEvent {
    /// Another board replaced it: forget the selection and the review, frame `fit` (or reset the
    /// camera when `None`), pause the clock.
    Replaced { fit: Option<Rect> },
}

/// The parts of the app a file operation reads and reports to.
pub struct Shell<'a> {
    pub board: &'a mut OpenBoard,
    /// What imports and exports draw with: the screen's palette and lenses.
    pub look: Look,
    pub status: &'a mut Status,
    pub settings: &'a mut Settings,
    pub ctx: &'a egui::Context,
    pub events: &'a mut Vec<FileEvent>,
}

enum Prompt {
    File(FileDialog),
    Unsaved(After),
}

#[derive(Default)]
pub struct BoardFiles {
    jobs: Jobs,
    prompt: Option<Prompt>,
    /// The file being opened; the canvas is locked until it arrives.
    loading: Option<PathBuf>,
    /// Runs when the save in flight succeeds (e.g. quit after "Save" in the prompt).
    after_save: Option<After>,
    allow_close: bool,
    /// Start-up file to open on the first frame (needs a context to wake the UI when done).
    initial_file: Option<PathBuf>,
    autosave: Autosave,
    /// Unsaved work found on start-up, offered one at a time.
    recoverable: Vec<crate::persistence::recovery::Recoverable>,
    /// Where recovery files and locks live; `None` (tests) turns those off.
    data_dir: Option<DataDir>,
    /// Look for recovery files once the start-up file is queued.
    scan_recovery: bool,
    /// Says that another window should know this board's file is open here.
    board_lock: Option<crate::persistence::lock::Held>,
    autosave_failed: bool,
    /// The report to write once its path is chosen.
    report_job: Option<Box<dyn FnOnce(PathBuf) -> Job>>,
    /// The pages (or charts) of the file just imported, to pick another.
    pub import_pages: Option<ImportPages>,
    /// Files dropped on a browser tab, once the browser has read them.
    #[cfg(target_arch = "wasm32")]
    dropped: std::sync::Arc<std::sync::Mutex<Vec<(PathBuf, Result<Vec<u8>, String>)>>>,
}

/// A multi-page import: which file, its pages' names, and the one on the board.
#[derive(Clone, Debug)]
pub struct ImportPages {
    pub path: PathBuf,
    pub names: Vec<String>,
    pub current: usize,
}

impl BoardFiles {
    /// File handling for a window that opens `file` on its first frame.
    pub fn new(file: Option<PathBuf>) -> Self {
        Self {
            initial_file: file,
            ..Self::default()
        }
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The start-up file has not been looked at yet.
    pub fn starting(&self) -> bool {
        self.initial_file.is_some()
    }

    pub fn has_prompt(&self) -> bool {
        self.prompt.is_some()
    }

    /// Whether file work is queued or running.
    pub fn busy(&self) -> bool {
        self.jobs.busy()
    }

    /// Lets the window close without asking (`archboard bench` ends this way).
    pub fn allow_close(&mut self) {
        self.allow_close = true;
    }

    /// Called first thing every frame: opens the start-up file, takes in finished work, and
    /// answers the window's close button.
    pub fn begin_frame(&mut self, sh: &mut Shell<'_>) {
        if let Some(file) = self.initial_file.take() {
            self.open_initial(file, sh);
        }
        for done in self.jobs.poll() {
            self.finish_job(done, sh);
        }
        if sh.ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && sh.board.is_dirty()
        {
            sh.ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.prompt = Some(Prompt::Unsaved(After::Quit));
        }
        self.handle_dropped_files(sh);
    }

    /// Lets queued work (a save, a recovery file's removal) finish, then releases the lock.
    pub fn shutdown(&mut self) {
        self.jobs.shutdown(std::time::Duration::from_secs(5));
        self.release_board_lock();
    }

    /// Does `after` now, or asks first when there are unsaved changes.
    pub fn request(&mut self, after: After, sh: &mut Shell<'_>) {
        if sh.board.is_dirty() {
            self.prompt = Some(Prompt::Unsaved(after));
        } else {
            self.perform(after, sh);
        }
    }

    /// Saves to the bound file, or asks for a path the first time.
    pub fn save(&mut self, sh: &mut Shell<'_>) {
        match sh.board.path.clone() {
            Some(path) => self.start_save(path, sh),
            None => self.ask_save_as(None),
        }
    }

    pub fn ask_save_as(&mut self, start: Option<&Path>) {
        self.prompt = Some(Prompt::File(FileDialog::new(Purpose::SaveAs, start)));
    }

    /// Asks where to write the interview report, then writes it off the UI thread with what
    /// `job` makes of the chosen path.
    pub fn ask_report(&mut self, start: Option<&Path>, job: Box<dyn FnOnce(PathBuf) -> Job>) {
        self.report_job = Some(job);
        self.prompt = Some(Prompt::File(FileDialog::new(Purpose::Report, start)));
    }

    /// Renders the board off the UI thread and writes it as a PNG.
    pub fn export(
        &mut self,
        board: Board,
        opts: ExportOptions,
        path: PathBuf,
        look: Look,
        sh: &mut Shell<'_>,
    ) {
        sh.status.info(format!("Exporting {}…", path.display()));
        self.submit(
            Job::Export {
                board,
                opts,
                path,
                look,
            },
            sh,
        );
    }

    /// Renders the board off the UI thread and puts it on the clipboard.
    pub fn copy_image(
        &mut self,
        board: Board,
        opts: ExportOptions,
        look: Look,
        sh: &mut Shell<'_>,
    ) {
        if board.blocks.is_empty() {
            sh.status.info("Nothing to copy: the board is empty");
            return;
        }
        sh.status.info("Copying the picture…");
        self.submit(Job::CopyImage { board, opts, look }, sh);
    }

    /// Shows the prompt that is open (file dialog, unsaved changes) or else the restore offer.
    pub fn show_prompts(&mut self, sh: &mut Shell<'_>) {
        match self.prompt.take() {
            None => {
                if self.loading.is_none() {
                    self.show_recovery_prompt(sh);
                }
            }
            Some(Prompt::File(mut fd)) => match fd.show(sh.ctx, &sh.settings.recent) {
                DialogOutcome::Pending => self.prompt = Some(Prompt::File(fd)),
                DialogOutcome::Cancel => self.after_save = None,
                DialogOutcome::Confirm(path) => match fd.purpose {
                    // Unsaved changes were dealt with before the dialog opened.
                    Purpose::Open => self.perform(After::Open(Some(path)), sh),
                    Purpose::Import => self.perform(
                        After::Import {
                            path: Some(path),
                            page: 0,
                        },
                        sh,
                    ),
                    Purpose::SaveAs => self.start_save(path, sh),
                    Purpose::Report => {
                        if let Some(job) = self.report_job.take() {
                            sh.status
                                .info(format!("Writing the report {}…", path.display()));
                            self.submit(job(path), sh);
                        }
                    }
                },
            },
            Some(Prompt::Unsaved(after)) => {
                match dialogs::unsaved_prompt(sh.ctx, &sh.board.name(), after.describe()) {
                    None => self.prompt = Some(Prompt::Unsaved(after)),
                    Some(PromptChoice::Cancel) => {}
                    Some(PromptChoice::Discard) => self.perform(after, sh),
                    Some(PromptChoice::Save) => {
                        self.after_save = Some(after);
                        self.save(sh);
                    }
                }
            }
        }
        if let Some(path) = &self.loading {
            egui::Modal::new(egui::Id::unique("archboard-loading")).show(sh.ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Opening {}…", display_name(path)));
                });
            });
        }
    }

    /// A board dropped onto the window opens like File → Open; another tool's diagram
    /// (Excalidraw, draw.io, Mermaid) is imported as a new board.
    fn handle_dropped_files(&mut self, sh: &mut Shell<'_>) {
        let dropped = sh.ctx.input(|i| i.raw.dropped_files.first().cloned());
        #[cfg(not(target_arch = "wasm32"))]
        let after = dropped.map(|f| {
            let path = f.path().to_path_buf();
            if crate::interchange::Format::by_name(&path).is_some() {
                After::Import {
                    path: Some(path),
                    page: 0,
                }
            } else {
                After::Open(Some(path))
            }
        });
        // A browser reads a dropped file later; it comes back through `dropped`.
        #[cfg(target_arch = "wasm32")]
        let after = {
            if let Some(f) = dropped {
                let arrived = std::sync::Arc::clone(&self.dropped);
                let ctx = sh.ctx.clone();
                crate::platform::spawn(async move {
                    let bytes = f.bytes_async().await;
                    if let Ok(mut a) = arrived.lock() {
                        a.push((f.path().to_path_buf(), bytes));
                    }
                    ctx.request_repaint();
                });
            }
            let read = self.dropped.lock().map(|mut a| a.pop()).ok().flatten();
            match read {
                Some((name, Ok(bytes))) => Some(After::Dropped {
                    name,
                    bytes: bytes.into(),
                }),
                Some((name, Err(e))) => {
                    sh.status.error(format!(
                        "{}: the browser could not read it: {e}",
                        name.display()
                    ));
                    None
                }
                None => None,
            }
        };
        if let Some(after) = after {
            if self.prompt.is_some() || self.loading.is_some() {
                sh.status
                    .info("Finish the open dialog first, then drop the file again");
            } else {
                self.request(after, sh);
            }
        }
    }

    /// Opens `path` (a new board bound to it when it does not exist yet).
    fn open_initial(&mut self, path: PathBuf, sh: &mut Shell<'_>) {
        if path.exists() {
            self.start_load(path, sh);
        } else {
            sh.status
                .info(format!("New board: Ctrl+S saves it to {}", path.display()));
            self.replace(OpenBoard::new(Board::default(), Some(path)), None, sh);
        }
    }

    fn perform(&mut self, after: After, sh: &mut Shell<'_>) {
        match after {
            After::Quit => {
                // Closing on purpose (saved, or changes discarded): the recovery file goes.
                if let Some(action) = self.autosave.end() {
                    self.submit(Job::Recovery(action), sh);
                }
                self.allow_close = true;
                sh.ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            After::New => {
                self.replace(OpenBoard::new(Board::default(), None), None, sh);
                sh.status.info("New board");
            }
            After::Open(Some(path)) if crate::interchange::Format::by_name(&path).is_some() => {
                self.start_import(path, 0, sh);
            }
            After::Open(Some(path)) => self.start_load(path, sh),
            After::Import {
                path: Some(path),
                page,
            } => self.start_import(path, page, sh),
            After::Import { path: None, .. } => self.ask_file(Purpose::Import, sh),
            After::Restore => self.restore(sh),
            After::Dropped { name, bytes } => {
                self.loading = Some(name.clone());
                let look = sh.look.clone();
                self.submit(Job::OpenBytes { name, bytes, look }, sh);
            }
            After::Untitled { board, message } => {
                let fit = board.bounds();
                self.replace(OpenBoard::new(*board, None), fit, sh);
                sh.status.info(message);
            }
            After::Open(None) => self.ask_file(Purpose::Open, sh),
        }
    }

    /// Replaces the open board. The old one was saved or its changes discarded on purpose
    /// (every caller asks first), so its recovery file and lock go with it.
    fn replace(&mut self, board: OpenBoard, fit: Option<Rect>, sh: &mut Shell<'_>) {
        if let Some(action) = self.autosave.end() {
            self.submit(Job::Recovery(action), sh);
        }
        self.release_board_lock();
        *sh.board = board;
        self.take_board_lock(sh);
        sh.events.push(FileEvent::Replaced { fit });
    }

    fn start_save(&mut self, path: PathBuf, sh: &mut Shell<'_>) {
        let job = Job::Save {
            path,
            board: sh.board.doc.board().clone(),
            state_id: sh.board.doc.state_id(),
        };
        self.submit(job, sh);
    }

    /// Asks for a file to read, starting in the folder of the most recent board.
    fn ask_file(&mut self, purpose: Purpose, sh: &mut Shell<'_>) {
        #[cfg(target_arch = "wasm32")]
        if matches!(purpose, Purpose::Open | Purpose::Import) {
            self.pick_in_browser(sh);
            return;
        }
        let start = sh
            .settings
            .recent
            .first()
            .and_then(|p| p.parent())
            .map(|p| p.join(""));
        self.prompt = Some(Prompt::File(FileDialog::new(purpose, start.as_deref())));
    }

    /// A tab opens what its file picker hands over, the way it opens a dropped file.
    #[cfg(target_arch = "wasm32")]
    fn pick_in_browser(&mut self, sh: &mut Shell<'_>) {
        let arrived = std::sync::Arc::clone(&self.dropped);
        let ctx = sh.ctx.clone();
        let accept = ".ron,.excalidraw,.json,.drawio,.dio,.xml,.mmd,.mermaid,.md,.png,.svg";
        let picked = crate::platform::files::pick(accept, move |file| {
            if let Ok(mut a) = arrived.lock() {
                a.push((PathBuf::from(file.name), Ok(file.bytes)));
            }
            ctx.request_repaint();
        });
        if let Err(e) = picked {
            sh.status
                .error(format!("The browser's file picker did not open: {e}"));
        }
    }

    fn start_import(&mut self, path: PathBuf, page: usize, sh: &mut Shell<'_>) {
        self.loading = Some(path.clone());
        let job = Job::Import {
            path,
            choice: crate::interchange::Choice { index: page },
            look: sh.look.clone(),
        };
        self.submit(job, sh);
    }

    fn start_load(&mut self, path: PathBuf, sh: &mut Shell<'_>) {
        self.loading = Some(path.clone());
        let look = sh.look.clone();
        self.submit(Job::Load { path, look }, sh);
    }

    /// Queues a job for the worker (or runs it here when no worker could start).
    fn submit(&mut self, job: Job, sh: &mut Shell<'_>) {
        if let Some(done) = self.jobs.submit(job, Some(sh.ctx.clone())) {
            self.finish_job(done, sh);
        }
    }

    fn finish_job(&mut self, done: JobDone, sh: &mut Shell<'_>) {
        match done {
            JobDone::Loaded { path, result } => {
                self.loading = None;
                match result {
                    Ok(doc) => {
                        let board = doc.board();
                        let counts = counts_line(board.blocks.len(), board.links.len());
                        sh.status
                            .info(format!("Opened {} ({counts})", display_name(&path)));
                        sh.settings.remember(&path);
                        let fit = doc.index().bounds();
                        self.replace(OpenBoard::from_document(*doc, Some(path)), fit, sh);
                    }
                    // The board in memory is untouched, and stays bound to where it was.
                    Err(e) => sh.status.error(e.to_string()),
                }
            }
            JobDone::Imported { path, result, page } => {
                self.loading = None;
                match result {
                    Ok((imported, pages)) => {
                        let name = display_name(&path);
                        sh.status.info(format!(
                            "{name}: {} from {} (untitled: Save As keeps it as a board)",
                            imported.summary,
                            imported.format.name()
                        ));
                        let fit = imported.board.bounds();
                        self.replace(OpenBoard::new(imported.board, None), fit, sh);
                        self.import_pages = (pages.len() > 1).then_some(ImportPages {
                            path,
                            names: pages,
                            current: page,
                        });
                    }
                    Err(e) => sh.status.error(e.to_string()),
                }
            }
            JobDone::Exported {
                path,
                result,
                asked_scale,
            } => match result {
                Ok(written) => {
                    sh.status.info(match written {
                        crate::export::Written::Picture {
                            width: w,
                            height: h,
                            scale,
                            ..
                        } => {
                            let note = if scale < asked_scale {
                                format!(
                                    "; scale lowered to {scale:.2} to stay within 16,384 px and 64 MP"
                                )
                            } else {
                                String::new()
                            };
                            format!("Exported {} ({w}×{h} px{note})", path.display())
                        }
                        crate::export::Written::Diagram(f) => {
                            format!("Exported {} ({})", path.display(), f.name())
                        }
                    });
                    sh.settings.last_export_folder = path.parent().map(Path::to_path_buf);
                }
                Err(e) => sh.status.error(format!("{}: {e}", path.display())),
            },
            JobDone::Reported { path, result } => match result {
                Ok(picture) => {
                    let beside =
                        picture.map_or(String::new(), |p| format!(" with {}", display_name(&p)));
                    sh.status
                        .info(format!("Wrote the report {}{beside}", path.display()));
                }
                Err(e) => sh.status.error(format!("{}: {e}", path.display())),
            },
            JobDone::Recovery { result } => self.recovery_done(result, sh),
            JobDone::Scanned(scan) => self.scanned(scan, sh),
            JobDone::CopiedImage { result } => match result {
                Ok((w, h)) => sh
                    .status
                    .info(format!("Copied a {w}×{h} px picture to the clipboard")),
                Err(e) => sh.status.error(format!("Could not copy the picture: {e}")),
            },
            JobDone::Saved {
                path,
                state_id,
                timer,
                result,
            } => match result {
                Ok(()) => {
                    sh.status.info(format!("Saved {}", path.display()));
                    sh.settings.remember(&path);
                    sh.board.mark_saved(state_id, timer, path);
                    // Save As may have bound the board to another file.
                    self.take_board_lock(sh);
                    if let Some(after) = self.after_save.take() {
                        self.perform(after, sh);
                    }
                }
                Err(e) => {
                    self.after_save = None;
                    sh.status
                        .error(format!("{e}. The board is still open, unsaved."));
                }
            },
        }
    }
}
