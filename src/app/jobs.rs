//! File work off the UI thread.
//!
//! One worker runs jobs in order, so two saves to the same file can never land out of order.
//! Results come back through a channel that the UI polls once per frame.

use crate::export::{self, ExportOptions};
use crate::model::Board;
use crate::persistence::{self, LoadError, SaveError};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

pub enum Job {
    Load {
        path: PathBuf,
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
    },
    /// Render a PNG and put it on the system clipboard.
    CopyImage {
        board: Board,
        opts: ExportOptions,
    },
    /// Write or remove the open board's recovery file.
    Recovery(super::autosave::Action),
    /// Look for recovery files left by windows that did not close cleanly.
    ScanRecovery {
        dir: PathBuf,
    },
}

pub enum JobDone {
    Loaded {
        path: PathBuf,
        result: Result<Board, LoadError>,
    },
    Exported {
        path: PathBuf,
        /// (width, height, scale used) or the error.
        result: Result<(usize, usize, f32), String>,
        asked_scale: f32,
    },
    CopiedImage {
        result: Result<(usize, usize), String>,
    },
    /// A recovery file was written or removed; only failures matter to the UI.
    Recovery {
        result: Result<(), String>,
    },
    Scanned(persistence::recovery::Scan),
    Saved {
        path: PathBuf,
        state_id: u64,
        timer: crate::timer::TimerState,
        result: Result<(), SaveError>,
    },
}

pub struct Jobs {
    tasks: Option<Sender<(Job, Option<egui::Context>)>>,
    done: Receiver<JobDone>,
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
        let spawned = std::thread::Builder::new()
            .name("archboard-files".into())
            .spawn(move || {
                let mut clipboard: Option<arboard::Clipboard> = None;
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
        let start = std::time::Instant::now();
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
                Err(e) => Some(run(e.0.0, &mut None)),
            },
            None => Some(run(job, &mut None)),
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
fn run(job: Job, clipboard: &mut Option<arboard::Clipboard>) -> JobDone {
    match job {
        Job::Export { board, opts, path } => {
            let palette = crate::palette::Palette::bundled();
            let lenses = crate::lens::LensLibrary::bundled();
            let result = export::export_png(&board, &opts, &palette, Some(&lenses), &path)
                .map(|p| (p.width, p.height, p.scale))
                .map_err(|e| e.to_string());
            JobDone::Exported {
                path,
                result,
                asked_scale: opts.scale,
            }
        }
        Job::CopyImage { board, opts } => {
            let palette = crate::palette::Palette::bundled();
            let lenses = crate::lens::LensLibrary::bundled();
            let result = export::render(&board, &opts, &palette, Some(&lenses))
                .map_err(|e| e.to_string())
                .and_then(|pic| copy_image(clipboard, pic));
            JobDone::CopiedImage { result }
        }
        Job::Recovery(super::autosave::Action::Write {
            path,
            board,
            original,
        }) => JobDone::Recovery {
            result: persistence::recovery::write(&path, &board, original.as_deref())
                .map_err(|e| e.to_string()),
        },
        Job::Recovery(super::autosave::Action::Remove { path, lock }) => JobDone::Recovery {
            result: persistence::recovery::remove(&path, lock)
                .map_err(|e| format!("{}: cannot remove: {e}", path.display())),
        },
        Job::ScanRecovery { dir } => JobDone::Scanned(persistence::recovery::scan(&dir)),
        Job::Load { path } => {
            let result = persistence::load_board(&path);
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
    clipboard: &mut Option<arboard::Clipboard>,
    pic: export::Picture,
) -> Result<(usize, usize), String> {
    if clipboard.is_none() {
        *clipboard = Some(
            arboard::Clipboard::new().map_err(|e| format!("no clipboard is available ({e})"))?,
        );
    }
    let (w, h) = (pic.width, pic.height);
    let image = arboard::ImageData {
        width: w,
        height: h,
        bytes: pic.rgba.into(),
    };
    match clipboard.as_mut() {
        Some(c) => c
            .set_image(image)
            .map_err(|e| format!("the clipboard refused the picture ({e})"))?,
        None => return Err("no clipboard is available".into()),
    }
    Ok((w, h))
}
