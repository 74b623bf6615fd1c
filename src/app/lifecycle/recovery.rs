//! The app's side of never losing a board: autosave to a recovery file, the restore prompt on
//! start, and the lock that warns when a file is already open in another window.

use super::autosave::{Action, Autosave};
use super::jobs::{Job, RecoveryError};
use super::open_board::OpenBoard;
use super::{After, BoardFiles, Shell};
use crate::persistence::lock::{self, NotTaken};
use crate::persistence::recovery::{self, Recoverable, Scan};
use crate::text::{counts_line, display_name};
use std::path::PathBuf;

/// Where the app keeps its own files: recovery files and locks.
#[derive(Clone, Debug)]
pub struct DataDir(pub PathBuf);

impl DataDir {
    pub fn recovery(&self) -> PathBuf {
        recovery::recovery_dir(&self.0)
    }

    fn locks(&self) -> PathBuf {
        recovery::locks_dir(&self.0)
    }
}

impl BoardFiles {
    /// Turns on autosave, the start-up recovery scan and file locks, all under `dir`.
    pub fn use_data_dir(&mut self, dir: PathBuf) {
        let data = DataDir(dir);
        self.autosave = Autosave::new(Some(data.recovery()));
        self.scan_recovery = true;
        self.data_dir = Some(data);
    }

    /// Whether the restore prompt is showing (or about to).
    pub fn has_recovery_offer(&self) -> bool {
        !self.recoverable.is_empty()
    }

    /// The recovery file the open board writes to, once it has written one.
    pub fn recovery_file(&self) -> Option<&PathBuf> {
        self.autosave.file()
    }

    /// Called every frame: writes the recovery file when a change has settled.
    pub fn tick_autosave(&mut self, sh: &mut Shell<'_>) {
        if self.scan_recovery && self.initial_file.is_none() {
            // After the start-up file's load was queued, so the offer can never be overtaken by
            // that load finishing.
            self.scan_recovery = false;
            if let Some(data) = &self.data_dir {
                let job = Job::ScanRecovery {
                    dir: data.recovery(),
                };
                self.submit(job, sh);
            }
        }
        let (action, wake) = self.autosave.tick(sh.board, web_time::Instant::now());
        if let Some(action) = action {
            self.submit(Job::Recovery(action), sh);
        }
        if let Some(wake) = wake {
            sh.ctx.request_repaint_after(wake);
        }
    }

    /// Reports an autosave failure once, until autosave works again.
    pub(super) fn recovery_done(&mut self, result: Result<(), RecoveryError>, sh: &mut Shell<'_>) {
        match result {
            Ok(()) => self.autosave_failed = false,
            Err(e) => {
                if !self.autosave_failed {
                    sh.status.error(format!(
                        "Autosave failed: {e}. Your board is still open; save it with Ctrl+S."
                    ));
                }
                self.autosave_failed = true;
            }
        }
    }

    pub(super) fn scanned(&mut self, scan: Scan, sh: &mut Shell<'_>) {
        let mut notes = Vec::new();
        for (aside, why) in &scan.broken {
            notes.push(format!(
                "A recovery file could not be read ({why}); it was moved to {}",
                aside.display()
            ));
        }
        if let Some(first) = notes.first() {
            sh.status.error(first.clone());
        }
        self.recoverable.extend(scan.offers);
    }

    /// The restore prompt, one recovery file at a time. Returns true while it is showing.
    pub(super) fn show_recovery_prompt(&mut self, sh: &mut Shell<'_>) -> bool {
        let ctx = sh.ctx;
        let Some(first) = self.recoverable.first() else {
            return false;
        };
        let count = self.recoverable.len();
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("archboard-recovery")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            ui.heading("Unsaved work found");
            if count > 1 {
                ui.label(format!("1 of {count}"));
            }
            ui.add_space(4.0);
            ui.label(describe(first));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    choice = Some(Choice::Restore);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(Choice::Discard);
                }
                if ui.button("Later").clicked() {
                    choice = Some(Choice::Later);
                }
            });
            ui.add_space(4.0);
            ui.weak("Enter restores; Escape decides later (the file is kept and offered again).");
        });
        if choice.is_none() {
            choice = ctx.input_mut(|i| {
                if i.consume_key(egui::Modifiers::NONE, egui::Key::Enter) {
                    Some(Choice::Restore)
                } else if i.consume_key(egui::Modifiers::NONE, egui::Key::Escape) {
                    Some(Choice::Later)
                } else {
                    None
                }
            });
        }
        match choice {
            Some(Choice::Restore) => self.request(After::Restore, sh),
            Some(Choice::Discard) => {
                let r = self.recoverable.remove(0);
                sh.status
                    .info(format!("Discarded the unsaved work for {}", r.name()));
                let remove = Action::Remove {
                    path: r.path,
                    lock: Some(r.lock),
                };
                self.submit(Job::Recovery(remove), sh);
            }
            Some(Choice::Later) => {
                let r = self.recoverable.remove(0);
                sh.status.info(format!(
                    "Kept the unsaved work for {} in {}; it is offered again next start",
                    r.name(),
                    r.path.display()
                ));
            }
            None => {}
        }
        true
    }

    /// Opens the first recovery offer as unsaved changes to its original file.
    pub(super) fn restore(&mut self, sh: &mut Shell<'_>) {
        if self.recoverable.is_empty() {
            return;
        }
        let r = self.recoverable.remove(0);
        let name = r.name();
        let counts = counts_line(r.board.blocks.len(), r.board.links.len());
        let fit = r.board.bounds();
        self.replace(OpenBoard::unsaved(r.board, r.original), fit, sh);
        self.autosave.adopt(r.path, r.lock);
        sh.status.info(format!(
            "Restored unsaved work for {name} ({counts}); Ctrl+S saves it"
        ));
    }

    pub(super) fn release_board_lock(&mut self) {
        if let Some(held) = self.board_lock.take() {
            // Removed while still held, so no other window can take a lock on a file that is
            // about to disappear.
            let _ = std::fs::remove_file(held.path());
        }
    }

    /// Marks the open board's file as in use, warning when another window already has it.
    pub(super) fn take_board_lock(&mut self, sh: &mut Shell<'_>) {
        let (Some(data), Some(path)) = (&self.data_dir, sh.board.path.clone()) else {
            return;
        };
        let lock_path = lock::board_lock_path(&data.locks(), &path);
        if self
            .board_lock
            .as_ref()
            .is_some_and(|held| held.path() == lock_path)
        {
            return;
        }
        self.release_board_lock();
        match lock::try_take(&lock_path) {
            Ok(held) => self.board_lock = Some(held),
            Err(NotTaken::Busy(pid)) => {
                let who = pid.map_or_else(String::new, |p| format!(" (process {p})"));
                sh.status.error(format!(
                    "{} is already open in another archboard window{who}: saving here can overwrite the changes made there",
                    display_name(&path)
                ));
            }
            // Locks are a courtesy: a data folder that cannot be written must not stop work.
            Err(NotTaken::Io(_)) => {}
        }
    }
}

enum Choice {
    Restore,
    Discard,
    Later,
}

/// "design.ron, autosaved 3 min ago: 12 blocks, 4 links. …"
fn describe(r: &Recoverable) -> String {
    let age = age(recovery::now_ms().saturating_sub(r.written_ms));
    let counts = counts_line(r.board.blocks.len(), r.board.links.len());
    let whose = match r.original.as_deref() {
        None => "It was never saved.".to_owned(),
        Some(p) if p.exists() => format!(
            "{} on disk is older; restoring opens this work as unsaved changes to it.",
            display_name(p)
        ),
        Some(p) => format!(
            "It was never saved to {} (that file does not exist).",
            p.display()
        ),
    };
    format!("{}, autosaved {age} ago: {counts}.\n{whose}", r.name())
}

fn age(ms: u64) -> String {
    let s = ms / 1000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        3600..=86_399 => format!("{} h", s / 3600),
        _ => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(5_000), "5 s");
        assert_eq!(age(180_000), "3 min");
        assert_eq!(age(2 * 3_600_000), "2 h");
        assert_eq!(age(3 * 86_400_000), "3 days");
    }
}
