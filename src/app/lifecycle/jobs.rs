//! File work off the UI thread.
//!
//! One worker runs jobs in order, so two saves to the same file can never land out of order.
//! Results come back through a channel that the UI polls once per frame.

use crate::export::{self, ExportError, ExportOptions};
use crate::lens::LensLibrary;
use crate::model::{Board, TimerState};
use crate::palette::Palette;
use crate::persistence::{self, LoadError, SaveError};
use crate::platform::clipboard::Clipboard;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

/// What a picture is drawn with: the very palette and lenses the screen uses (the user's own
/// kinds included), shared rather than copied.
#[derive(Clone)]
pub struct Look {
    pub palette: Arc<Palette>,
    pub lenses: Arc<LensLibrary>,
}

/// Why a picture could not be put on the clipboard.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Render(#[from] ExportError),
    #[error(transparent)]
    Clipboard(#[from] crate::platform::clipboard::ClipboardError),
}

/// Why the recovery file could not be written or removed.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error(transparent)]
    Write(#[from] SaveError),
    #[error("{}: cannot remove: {source}", path.display())]
    Remove {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub enum Job {
    /// Open a board; a picture from another tool (an Excalidraw or draw.io PNG or SVG) that
    /// holds no board is imported instead.
    Load { path: PathBuf, look: Look },
    /// A file that came as bytes (dropped on a browser tab): a board, or else another tool's
    /// diagram, imported.
    OpenBytes {
        name: PathBuf,
        bytes: Arc<[u8]>,
        look: Look,
    },
    /// Read another tool's diagram (page or chart `choice`) as a new board.
    Import {
        path: PathBuf,
        choice: crate::interchange::Choice,
        look: Look,
    },
    Save {
        path: PathBuf,
        board: Board,
        state_id: u64,
    },
    /// Render and write a PNG.
    Export {
        board: Board,
        opts: ExportOptions,
        path: PathBuf,
        look: Look,
    },
    /// Write the interview report and its picture.
    Report {
        board: Board,
        path: PathBuf,
        look: Look,
        plans: Vec<crate::timer::Plan>,
        problems: Arc<crate::practice::Library>,
    },
    /// Render a PNG and put it on the system clipboard.
    CopyImage {
        board: Board,
        opts: ExportOptions,
        look: Look,
    },
    /// Write or remove the open board's recovery file.
    Recovery(super::autosave::Action),
    /// Look for recovery files left by windows that did not close cleanly.
    ScanRecovery { dir: PathBuf },
}

pub enum JobDone {
    /// A board read and validated, in a document whose spatial index is already built: on a
    /// big board that is a tenth of a second the UI thread does not wait for.
    Loaded {
        path: PathBuf,
        result: Result<Box<crate::model::Document>, LoadError>,
    },
    Exported {
        path: PathBuf,
        result: Result<export::Written, ExportError>,
        asked_scale: f32,
    },
    CopiedImage {
        result: Result<(usize, usize), CopyError>,
    },
    Imported {
        path: PathBuf,
        /// The board, and the names of the pages (or charts) the file offers.
        result: Result<
            (Box<crate::interchange::Imported>, Vec<String>),
            crate::interchange::ImportError,
        >,
        page: usize,
    },
    Reported {
        path: PathBuf,
        result: Result<Option<PathBuf>, ExportError>,
    },
    /// A recovery file was written or removed; only failures matter to the UI.
    Recovery {
        result: Result<(), RecoveryError>,
    },
    Scanned(persistence::recovery::Scan),
    Saved {
        path: PathBuf,
        state_id: u64,
        timer: TimerState,
        result: Result<(), SaveError>,
    },
}

pub struct Jobs {
    tasks: Option<Sender<(Job, Option<egui::Context>)>>,
    done: Receiver<JobDone>,
    /// Where a job run without the worker (a browser tab has no threads) reports.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    done_tx: Sender<JobDone>,
    pending: usize,
    worker: Option<std::thread::JoinHandle<()>>,
}

impl Default for Jobs {
    fn default() -> Self {
        Self::new()
    }
}

impl Jobs {
    pub fn new() -> Self {
        let (task_tx, task_rx) = channel::<(Job, Option<egui::Context>)>();
        let (done_tx, done_rx) = channel();
        let report = done_tx.clone();
        let spawned = std::thread::Builder::new()
            .name("archboard-files".into())
            .spawn(move || {
                let mut clipboard = Clipboard::default();
                for (job, ctx) in task_rx {
                    let done = run(job, &mut clipboard);
                    if done_tx.send(done).is_err() {
                        break;
                    }
                    if let Some(ctx) = ctx {
                        ctx.request_repaint();
                    }
                }
            });
        let (tasks, worker) = match spawned {
            Ok(handle) => (Some(task_tx), Some(handle)),
            Err(_) => (None, None),
        };
        Self {
            tasks,
            done: done_rx,
            done_tx: report,
            pending: 0,
            worker,
        }
    }

    /// Lets queued jobs finish (for at most `limit`), then stops the worker. Called on exit, so
    /// a save or a recovery file removal queued just before closing still happens.
    pub fn shutdown(&mut self, limit: std::time::Duration) {
        self.tasks = None;
        let Some(worker) = self.worker.take() else {
            return;
        };
        let start = web_time::Instant::now();
        while !worker.is_finished() && start.elapsed() < limit {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        if worker.is_finished() {
            let _ = worker.join();
        }
    }

    /// Queues a job; `ctx` is woken when it finishes. Runs it inline if no thread could start.
    pub fn submit(&mut self, job: Job, ctx: Option<egui::Context>) -> Option<JobDone> {
        match &self.tasks {
            Some(tx) => match tx.send((job, ctx)) {
                Ok(()) => {
                    self.pending += 1;
                    None
                }
                Err(e) => Some(run(e.0.0, &mut Clipboard::default())),
            },
            None => self.run_elsewhere(job, ctx),
        }
    }

    /// Without a worker: in a browser tab the job runs as a task of its own after this frame
    /// (so the frame shows "Opening…" first); natively, where only a failed thread gets here,
    /// it runs now.
    fn run_elsewhere(&mut self, job: Job, ctx: Option<egui::Context>) -> Option<JobDone> {
        #[cfg(target_arch = "wasm32")]
        {
            let tx = self.done_tx.clone();
            let queued = crate::platform::background("files", move || {
                let _ = tx.send(run(job, &mut Clipboard::default()));
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            });
            if queued.is_ok() {
                self.pending += 1;
            }
            None
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = ctx;
            Some(run(job, &mut Clipboard::default()))
        }
    }

    /// Results that arrived since the last call.
    pub fn poll(&mut self) -> Vec<JobDone> {
        let done: Vec<JobDone> = self.done.try_iter().collect();
        self.pending -= done.len().min(self.pending);
        done
    }

    pub fn busy(&self) -> bool {
        self.pending > 0
    }
}

/// Runs one job. `clipboard` is opened on first use and kept: on X11 the clipboard's contents
/// live only as long as the process (and handle) that owns them.
fn run(job: Job, clipboard: &mut Clipboard) -> JobDone {
    match job {
        Job::Export {
            board,
            opts,
            path,
            look,
        } => {
            let result =
                export::export_file(&board, &opts, &look.palette, Some(&look.lenses), &path);
            JobDone::Exported {
                path,
                result,
                asked_scale: opts.scale,
            }
        }
        Job::CopyImage { board, opts, look } => {
            let result = export::render(&board, &opts, &look.palette, Some(&look.lenses))
                .map_err(CopyError::from)
                .and_then(|pic| copy_image(clipboard, pic));
            JobDone::CopiedImage { result }
        }
        Job::Recovery(super::autosave::Action::Write {
            path,
            board,
            original,
        }) => JobDone::Recovery {
            result: persistence::recovery::write(&path, &board, original.as_deref())
                .map_err(RecoveryError::from),
        },
        Job::Recovery(super::autosave::Action::Remove { path, lock }) => JobDone::Recovery {
            result: persistence::recovery::remove(&path, lock)
                .map_err(|source| RecoveryError::Remove { path, source }),
        },
        Job::Report {
            board,
            path,
            look,
            plans,
            problems,
        } => {
            let result = export::report::write_report(
                &board,
                &look.palette,
                &look.lenses,
                &plans,
                &problems,
                &path,
            );
            JobDone::Reported { path, result }
        }
        Job::Import { path, choice, look } => {
            // One read serves the import and the list of its other pages.
            let result = persistence::read_capped(&path)
                .map_err(crate::interchange::ImportError::from)
                .and_then(|bytes| {
                    let i = crate::interchange::import_bytes(&bytes, &path, choice, &look.palette)?;
                    Ok((Box::new(i), crate::interchange::choices(&bytes, &path)))
                });
            JobDone::Imported {
                path,
                result,
                page: choice.index,
            }
        }
        Job::ScanRecovery { dir } => JobDone::Scanned(persistence::recovery::scan(&dir)),
        Job::OpenBytes { name, bytes, look } => {
            let board = persistence::parse_board_bytes(&bytes, &name);
            let foreign = crate::interchange::Format::of_file(&name, &bytes).is_some();
            match board {
                Err(_) if foreign => {
                    let choice = crate::interchange::Choice::default();
                    let result =
                        crate::interchange::import_bytes(&bytes, &name, choice, &look.palette)
                            .map(|i| (Box::new(i), crate::interchange::choices(&bytes, &name)));
                    JobDone::Imported {
                        path: name,
                        result,
                        page: 0,
                    }
                }
                board => JobDone::Loaded {
                    path: name,
                    result: board.map(|b| Box::new(crate::model::Document::new(b))),
                },
            }
        }
        Job::Load { path, look } => {
            let result =
                persistence::load_board(&path).map(|b| Box::new(crate::model::Document::new(b)));
            let foreign = result.is_err()
                && std::fs::read(&path)
                    .ok()
                    .and_then(|bytes| crate::interchange::sniff(&bytes))
                    .is_some();
            if foreign {
                return run(
                    Job::Import {
                        path,
                        choice: crate::interchange::Choice::default(),
                        look,
                    },
                    clipboard,
                );
            }
            JobDone::Loaded { path, result }
        }
        Job::Save {
            path,
            board,
            state_id,
        } => {
            let result = persistence::save_board(&path, &board);
            JobDone::Saved {
                path,
                state_id,
                timer: board.timer,
                result,
            }
        }
    }
}

fn copy_image(
    clipboard: &mut Clipboard,
    pic: export::Picture,
) -> Result<(usize, usize), CopyError> {
    let (w, h) = (pic.width, pic.height);
    clipboard.put_image(w, h, pic.rgba)?;
    Ok((w, h))
}
