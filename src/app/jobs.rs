//! File work off the UI thread.
//!
//! One worker runs jobs in order, so two saves to the same file can never land out of order.
//! Results come back through a channel that the UI polls once per frame.

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
}

pub enum JobDone {
    Loaded {
        path: PathBuf,
        result: Result<Board, LoadError>,
    },
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
                for (job, ctx) in task_rx {
                    let done = run(job);
                    if done_tx.send(done).is_err() {
                        break;
                    }
                    if let Some(ctx) = ctx {
                        ctx.request_repaint();
                    }
                }
            });
        Self {
            tasks: spawned.ok().map(|_| task_tx),
            done: done_rx,
            pending: 0,
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
                Err(e) => Some(run(e.0.0)),
            },
            None => Some(run(job)),
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

fn run(job: Job) -> JobDone {
    match job {
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
