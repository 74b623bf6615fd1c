//! When to write the open board's recovery file, and when to remove it.
//!
//! The UI thread only decides and clones the board; the worker serializes and writes. A write
//! happens one second after the last change (so a drag writes once, when it ends), or at the
//! latest five seconds after the first unsaved change (a running interview timer changes the
//! board every frame and would otherwise never settle).

use super::open_board::OpenBoard;
use crate::model::Board;
use crate::model::TimerState;
use crate::persistence::lock::Held;
use crate::persistence::recovery;
use std::path::PathBuf;
use std::time::Duration;
use web_time::Instant;

/// Quiet time after the last change before writing.
pub const DELAY: Duration = Duration::from_millis(900);
/// Longest a change waits while changes keep coming.
pub const MAX_WAIT: Duration = Duration::from_secs(5);

/// File work for the worker thread.
pub enum Action {
    Write {
        path: PathBuf,
        board: Box<Board>,
        original: Option<PathBuf>,
    },
    /// Remove the file, then release the lock that marked it as ours.
    Remove { path: PathBuf, lock: Option<Held> },
}

#[derive(Default)]
pub struct Autosave {
    /// Where recovery files go; `None` turns autosave off (tests that do not test it).
    dir: Option<PathBuf>,
    /// This board's recovery file, once it has one, and the lock saying a live window owns it.
    file: Option<(PathBuf, Option<Held>)>,
    /// The state seen on the previous frame.
    seen: Option<(u64, TimerState)>,
    /// The state last written.
    written: Option<(u64, TimerState)>,
    first_change: Option<Instant>,
    last_change: Option<Instant>,
}

impl Autosave {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self {
            dir,
            ..Self::default()
        }
    }

    /// The recovery file this board writes to, once written.
    pub fn file(&self) -> Option<&PathBuf> {
        self.file.as_ref().map(|(p, _)| p)
    }

    /// Called every frame: returns work to do now, and when to look again if a write is due
    /// later (so the UI wakes up for it without input).
    pub fn tick(&mut self, board: &OpenBoard, now: Instant) -> (Option<Action>, Option<Duration>) {
        let Some(dir) = &self.dir else {
            return (None, None);
        };
        if !board.is_dirty() {
            // Saved, or undone back to the saved state: nothing to rescue any more.
            self.seen = None;
            self.written = None;
            self.first_change = None;
            return (self.take_file_removal(), None);
        }
        let key = (board.doc.state_id(), board.doc.board().timer.clone());
        if self.seen.as_ref() != Some(&key) {
            self.seen = Some(key.clone());
            self.last_change = Some(now);
            self.first_change.get_or_insert(now);
        }
        if self.written.as_ref() == Some(&key) {
            self.first_change = None;
            return (None, None);
        }
        let (Some(first), Some(last)) = (self.first_change, self.last_change) else {
            return (None, None);
        };
        let due = (last + DELAY).min(first + MAX_WAIT);
        if now < due {
            return (None, Some(due - now));
        }
        let path = match &self.file {
            Some((path, _)) => path.clone(),
            None => {
                let (path, lock) = recovery::new_file(dir, board.path.as_deref());
                self.file = Some((path.clone(), lock));
                path
            }
        };
        self.written = Some(key);
        self.first_change = None;
        let action = Action::Write {
            path,
            board: Box::new(board.doc.board().clone()),
            original: board.path.clone(),
        };
        (Some(action), None)
    }

    /// The board is being closed on purpose (saved, or its changes discarded): its recovery file
    /// goes. Returns the removal for the worker.
    pub fn end(&mut self) -> Option<Action> {
        self.seen = None;
        self.written = None;
        self.first_change = None;
        self.last_change = None;
        self.take_file_removal()
    }

    /// Continues writing to a restored recovery file (the lock was taken when it was found).
    pub fn adopt(&mut self, path: PathBuf, lock: Held) {
        self.file = Some((path, Some(lock)));
        self.seen = None;
        self.written = None;
    }

    fn take_file_removal(&mut self) -> Option<Action> {
        self.file
            .take()
            .map(|(path, lock)| Action::Remove { path, lock })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Edit, Rect};

    fn edit(board: &mut OpenBoard, n: u64) {
        let id = crate::model::BlockId(1000 + n);
        board
            .doc
            .apply(Edit::Insert {
                blocks: vec![Block::new(
                    id,
                    "cache",
                    "c",
                    Rect::new(0.0, 0.0, 10.0, 10.0),
                )],
                links: vec![],
            })
            .expect("edit");
    }

    #[test]
    fn writes_once_after_a_quiet_second_then_removes_when_saved() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut auto = Autosave::new(Some(dir.path().to_path_buf()));
        let mut board = OpenBoard::new(Board::default(), None);
        let t0 = Instant::now();
        assert!(
            auto.tick(&board, t0).0.is_none(),
            "a clean board is not written"
        );
        edit(&mut board, 1);
        let (action, wake) = auto.tick(&board, t0);
        assert!(action.is_none());
        assert_eq!(wake, Some(DELAY));
        // More edits push the write back.
        edit(&mut board, 2);
        assert!(auto.tick(&board, t0 + DELAY / 2).0.is_none());
        assert!(auto.tick(&board, t0 + DELAY).0.is_none());
        let (action, _) = auto.tick(&board, t0 + DELAY / 2 + DELAY);
        let Some(Action::Write { path, board: b, .. }) = action else {
            panic!("expected a write");
        };
        assert_eq!(b.blocks.len(), 2);
        assert!(path.starts_with(dir.path()));
        assert!(
            auto.tick(&board, t0 + 3 * DELAY).0.is_none(),
            "written once"
        );
        // Saved: the recovery file is removed.
        let id = board.doc.state_id();
        let timer = board.doc.board().timer.clone();
        board.mark_saved(id, timer, dir.path().join("b.ron"));
        let (action, _) = auto.tick(&board, t0 + 4 * DELAY);
        assert!(matches!(action, Some(Action::Remove { path: p, .. }) if p == path));
    }

    #[test]
    fn constant_changes_still_write_within_the_maximum_wait() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut auto = Autosave::new(Some(dir.path().to_path_buf()));
        let mut board = OpenBoard::new(Board::default(), None);
        let t0 = Instant::now();
        let mut wrote_at = None;
        for frame in 0..600u32 {
            let now = t0 + Duration::from_millis(u64::from(frame) * 16);
            board
                .doc
                .update_timer(|t| t.phase_ms = vec![u64::from(frame)]);
            if let (Some(Action::Write { .. }), _) = auto.tick(&board, now) {
                wrote_at = Some(now - t0);
                break;
            }
        }
        let at = wrote_at.expect("a write while the timer runs");
        assert!(
            at >= MAX_WAIT && at < MAX_WAIT + Duration::from_millis(50),
            "{at:?}"
        );
    }

    #[test]
    fn ending_a_board_removes_its_file_and_disabled_does_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut auto = Autosave::new(Some(dir.path().to_path_buf()));
        let mut board = OpenBoard::new(Board::default(), None);
        assert!(auto.end().is_none(), "nothing written, nothing to remove");
        edit(&mut board, 1);
        let t0 = Instant::now();
        auto.tick(&board, t0);
        assert!(auto.tick(&board, t0 + DELAY).0.is_some());
        assert!(matches!(auto.end(), Some(Action::Remove { .. })));

        let mut off = Autosave::new(None);
        assert!(off.tick(&board, t0 + MAX_WAIT * 2).0.is_none());
    }
}
