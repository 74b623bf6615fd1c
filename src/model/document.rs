//! The document: a board, its undo history, its spatial index and the record of what changed,
//! behind the one door every change goes through.

use super::board::Board;
use super::changes::Changes;
use super::edit::{Edit, EditError};
use super::history::{History, Step};
use super::ids::{BlockId, LinkId};
use super::interview::TimerState;

/// Hands out revisions: one counter for every document in the process, so a revision names one
/// state of one document. Caches keyed by it (the link layout, the sidebar's list, the review)
/// cannot mistake a newly opened board, or the replay's copy, for the board they were made for.
fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A board together with its undo history: the one door every change goes through.
///
/// Edits go through [`Document::apply`]; while a gesture is open (a drag), its edits are
/// collected into one step that is committed when the gesture ends. The clock changes the timer
/// through [`Document::update_timer`], outside the history. Every change is noted in
/// [`Changes`] for whoever mirrors the board, and new ids come from [`Document::fresh_id`].
#[derive(Debug)]
pub struct Document {
    board: Board,
    history: History,
    changes: Changes,
    /// Where each block and link is, kept up to date with every change below.
    index: super::SpatialIndex,
    ids: IdSource,
    /// Counts every change to the board's content (not the clock's), for caches that must
    /// follow each frame of a drag, which the undo step's id does not.
    revision: u64,
    /// Counts the changes made outside the undo history: those that came from elsewhere
    /// ([`Document::apply_remote`]) and the practice session's ([`Document::update_practice`]).
    remote: u64,
    /// Refuses every local change (a viewer in a shared room).
    read_only: bool,
}

/// Where new ids come from.
///
/// Alone, ids count up from the board's `next_id`, as they always have. When several machines
/// edit one board, each takes ids from its own range (`site` in the high 32 bits), so two
/// peers never hand out the same id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum IdSource {
    #[default]
    Counter,
    Site {
        site: u32,
        next: u32,
    },
}

impl Document {
    pub fn new(board: Board) -> Self {
        Self {
            index: super::SpatialIndex::build(&board),
            board,
            history: History::default(),
            changes: Changes::default(),
            ids: IdSource::Counter,
            revision: next_revision(),
            remote: 0,
            read_only: false,
        }
    }

    /// Makes every local edit, undo and redo refuse (`true`), or allows them again.
    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only;
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Applies changes a peer made: not undoable (undo is personal), not noted in
    /// [`Document::changes`] (they need no mirroring back), but the board is then no longer the
    /// one last saved. Returns the links dropped because a block they join is gone.
    pub fn apply_remote(&mut self, remote: super::Remote) -> Vec<LinkId> {
        if remote.is_empty() {
            return Vec::new();
        }
        self.revision = next_revision();
        self.remote += 1;
        self.begin_recording();
        let mut touched = Changes::default();
        touched
            .blocks
            .extend(remote.blocks.iter().map(|(id, _)| *id));
        touched.links.extend(remote.links.iter().map(|(id, _)| *id));
        let dropped = remote.apply(&mut self.board, &self.index);
        touched.links.extend(dropped.iter().copied());
        self.record(&touched);
        self.index.update(&self.board, &touched);
        dropped
    }

    /// Starts the recording from the board as it is, before its first recorded change.
    fn begin_recording(&mut self) {
        if !self.board.recording.started {
            let mut rec = std::mem::take(&mut self.board.recording);
            rec.begin(&self.board);
            self.board.recording = rec;
        }
    }

    /// Notes the current state of everything `touched` names in the recording.
    fn record(&mut self, touched: &Changes) {
        use super::recording::{Moment, Op};
        if !self.board.recording.is_recording() {
            return;
        }
        let when = Moment {
            at_ms: self.board.timer.elapsed_ms(),
            phase: self.board.timer.phase,
        };
        let mut ops = Vec::with_capacity(touched.blocks.len() + touched.links.len());
        for id in &touched.blocks {
            ops.push(match self.board.blocks.get(id) {
                Some(b) => Op::Block(Box::new(b.clone())),
                None => Op::DropBlock(*id),
            });
        }
        for id in &touched.links {
            ops.push(match self.board.links.get(id) {
                Some(l) => Op::Link(l.clone()),
                None => Op::DropLink(*id),
            });
        }
        for op in ops {
            self.board.recording.push(when, op);
        }
    }

    /// Changes whenever the board's content changes: every edit, undo and redo, also within a
    /// gesture. The clock's ticks do not count. No two documents share a revision.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether a gesture (a drag) is collecting edits into one step.
    pub fn in_gesture(&self) -> bool {
        self.history.in_gesture()
    }

    pub fn board(&self) -> &Board {
        &self.board
    }

    /// Where the board's blocks and links are ([`super::SpatialIndex`]).
    pub fn index(&self) -> &super::SpatialIndex {
        &self.index
    }

    /// Changes the timer state, outside the undo history: undo must not turn back the
    /// interview's clock. Returns what `f` returns.
    pub fn update_timer<R>(&mut self, f: impl FnOnce(&mut TimerState) -> R) -> R {
        let before = self.board.timer.clone();
        let out = f(&mut self.board.timer);
        if self.board.timer != before {
            self.changes.timer = true;
        }
        out
    }

    /// Changes the practice session, outside the undo history: asking a question or taking a
    /// hint is part of what is scored, so undo must not take it back. The board counts as
    /// changed (it needs saving).
    pub fn update_practice<R>(&mut self, f: impl FnOnce(&mut Option<super::Practice>) -> R) -> R {
        let before = self.board.practice.clone();
        let out = f(&mut self.board.practice);
        if self.board.practice != before {
            self.remote += 1;
            self.changes.practice = true;
        }
        out
    }

    /// What changed since the last call.
    pub fn take_changes(&mut self) -> Changes {
        std::mem::take(&mut self.changes)
    }

    /// A fresh id for a block, a link or a group: never handed out before on this board.
    pub fn fresh_id(&mut self) -> u64 {
        match &mut self.ids {
            IdSource::Counter => self.board.alloc_raw(),
            IdSource::Site { site, next } => loop {
                *next = next.checked_add(1).unwrap_or(1);
                let id = (u64::from(*site) << 32) | u64::from(*next);
                let taken = self.board.blocks.contains_key(&BlockId(id))
                    || self.board.links.contains_key(&LinkId(id));
                if !taken {
                    self.board.reserve(id);
                    break id;
                }
            },
        }
    }

    pub fn new_block_id(&mut self) -> BlockId {
        BlockId(self.fresh_id())
    }

    pub fn new_link_id(&mut self) -> LinkId {
        LinkId(self.fresh_id())
    }

    /// Takes ids from `site`'s own range from now on (`None`: back to the board's counter).
    pub fn set_id_site(&mut self, site: Option<u32>) {
        self.ids = match site {
            Some(site) => IdSource::Site { site, next: 0 },
            None => IdSource::Counter,
        };
    }

    /// Identifies the current board state for dirty tracking: it equals the value read right
    /// after a save exactly when undo/redo have led back to the saved state.
    pub fn state_id(&self) -> u64 {
        let step = self.history.current_step();
        // Step ids stay far below 2^40; changes from peers make every later state a new one.
        step | (self.remote << 40)
    }

    /// Applies an edit as its own undo step, or as part of the open gesture.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        if self.read_only {
            return Err(EditError::ReadOnly);
        }
        let mut touched = Changes::default();
        touched.note(&edit);
        self.begin_recording();
        let inverse = edit.apply(&mut self.board)?;
        touched.note(&inverse);
        self.record(&touched);
        self.index.update(&self.board, &touched);
        self.changes.merge(touched);
        self.revision = next_revision();
        self.history.record(vec![inverse]);
        Ok(())
    }

    /// Applies several edits as one undo step. If one fails, the ones before it are rolled back.
    pub fn apply_all(&mut self, edits: impl IntoIterator<Item = Edit>) -> Result<(), EditError> {
        if self.read_only {
            return Err(EditError::ReadOnly);
        }
        let was_open = self.history.in_gesture();
        if !was_open {
            self.history.begin_gesture();
        }
        let mut done = Vec::new();
        let mut touched = Changes::default();
        self.begin_recording();
        for edit in edits {
            touched.note(&edit);
            match edit.apply(&mut self.board) {
                Ok(inv) => {
                    touched.note(&inv);
                    done.push(inv);
                }
                Err(e) => {
                    for inv in done.into_iter().rev() {
                        // Inverses of edits just applied cannot fail on the board they produced.
                        let _ = inv.apply(&mut self.board);
                    }
                    if !was_open {
                        self.history.cancel_gesture();
                    }
                    return Err(e);
                }
            }
        }
        self.record(&touched);
        self.index.update(&self.board, &touched);
        self.changes.merge(touched);
        self.revision = next_revision();
        self.history.record(done);
        if !was_open {
            self.history.end_gesture();
        }
        Ok(())
    }

    /// Starts collecting edits into one undo step (e.g. on drag start).
    pub fn begin_gesture(&mut self) {
        self.history.begin_gesture();
    }

    /// Commits the open gesture as one undo step; an empty gesture leaves no step.
    pub fn end_gesture(&mut self) {
        self.history.end_gesture();
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Undoes the newest step that still changes something (steps whose every change others
    /// have undone or deleted are dropped on the way). Returns false when there is nothing to
    /// undo.
    pub fn undo(&mut self) -> bool {
        self.step_through(History::pop_undo, History::push_redo)
    }

    /// Redoes the newest undone step. Returns false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        self.step_through(History::pop_redo, History::push_undo)
    }

    /// Undo and redo alike: takes steps from one stack until one still changes something, and
    /// puts its inverse on the other.
    fn step_through(
        &mut self,
        take: fn(&mut History) -> Option<Step>,
        put: fn(&mut History, Step),
    ) -> bool {
        self.end_gesture();
        if self.read_only {
            return false;
        }
        self.begin_recording();
        while let Some(step) = take(&mut self.history) {
            self.revision = next_revision();
            let mut touched = Changes::default();
            let inverse = step.unapply(&mut self.board, &mut touched);
            self.record(&touched);
            self.index.update(&self.board, &touched);
            self.changes.merge(touched);
            if !inverse.inverses.is_empty() {
                put(&mut self.history, inverse);
                return true;
            }
        }
        false
    }

    pub fn undo_len(&self) -> usize {
        self.history.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockId, Link, Point, Rect};

    #[test]
    fn a_peer_deleting_a_block_takes_its_links_and_a_link_to_nothing_is_left_out() {
        let mut doc = Document::new(Board::default());
        let (a, b, c) = (
            add_block(&mut doc, "cache"),
            add_block(&mut doc, "queue"),
            add_block(&mut doc, "worker"),
        );
        let ab = LinkId(100);
        let bc = LinkId(101);
        doc.apply(Edit::Insert {
            blocks: vec![],
            links: vec![Link::new(ab, a, b), Link::new(bc, b, c)],
        })
        .expect("links");
        let dropped = doc.apply_remote(super::super::Remote {
            blocks: vec![(a, None)],
            links: vec![(LinkId(102), Some(Link::new(LinkId(102), c, BlockId(999))))],
            ..Default::default()
        });
        assert_eq!(dropped, vec![ab, LinkId(102)]);
        let left: Vec<LinkId> = doc.board().links.keys().copied().collect();
        assert_eq!(left, vec![bc]);
        assert_eq!(doc.index().links_of(b), &[bc]);
    }

    #[test]
    fn no_two_documents_share_a_revision() {
        let mut a = Document::new(Board::default());
        let b = Document::new(Board::default());
        assert_ne!(
            a.revision(),
            b.revision(),
            "a newly opened board is a new state"
        );
        let before = a.revision();
        add_block(&mut a, "cache");
        assert_ne!(a.revision(), before);
        assert_ne!(a.revision(), b.revision());
    }

    fn add_block(doc: &mut Document, kind: &str) -> BlockId {
        let id = doc.new_block_id();
        doc.apply(Edit::Insert {
            blocks: vec![Block::new(id, kind, kind, Rect::new(0.0, 0.0, 100.0, 60.0))],
            links: vec![],
        })
        .expect("insert");
        id
    }

    #[test]
    fn undo_redo_round_trip() {
        let mut doc = Document::new(Board::default());
        let a = add_block(&mut doc, "cache");
        let b = add_block(&mut doc, "database");
        let after_two = doc.board().clone();
        assert!(doc.undo());
        assert!(doc.board().block(b).is_none());
        assert!(doc.board().block(a).is_some());
        assert!(doc.undo());
        assert!(doc.board().is_empty());
        assert!(!doc.undo(), "nothing left");
        assert!(doc.redo());
        assert!(doc.redo());
        assert!(!doc.redo());
        assert_eq!(doc.board(), &after_two);
    }

    #[test]
    fn delete_block_with_links_is_one_step() {
        let mut doc = Document::new(Board::default());
        let a = add_block(&mut doc, "cache");
        let b = add_block(&mut doc, "database");
        let lid = doc.new_link_id();
        doc.apply(Edit::Insert {
            blocks: vec![],
            links: vec![Link::new(lid, a, b)],
        })
        .expect("link");
        let before = doc.board().clone();
        doc.apply(Edit::Remove {
            blocks: vec![a],
            links: vec![],
        })
        .expect("delete");
        assert_eq!(doc.board().links.len(), 0);
        assert!(doc.undo());
        assert_eq!(doc.board(), &before, "one undo restores block and link");
    }

    #[test]
    fn a_drag_is_one_step_and_its_moves_merge() {
        let mut doc = Document::new(Board::default());
        let a = add_block(&mut doc, "cache");
        let steps_before = doc.undo_len();
        doc.begin_gesture();
        for _ in 0..100 {
            doc.apply(Edit::Move {
                blocks: vec![a],
                delta: Point::new(1.0, 2.0),
            })
            .expect("move");
        }
        doc.end_gesture();
        assert_eq!(doc.undo_len(), steps_before + 1);
        assert_eq!(doc.board().blocks[&a].rect.min(), Point::new(100.0, 200.0));
        assert!(doc.undo());
        assert_eq!(doc.board().blocks[&a].rect.min(), Point::ZERO);
        assert!(doc.redo());
        assert_eq!(doc.board().blocks[&a].rect.min(), Point::new(100.0, 200.0));
    }

    #[test]
    fn empty_gesture_leaves_no_step() {
        let mut doc = Document::new(Board::default());
        doc.begin_gesture();
        doc.end_gesture();
        assert!(!doc.can_undo());
    }

    #[test]
    fn state_id_tracks_saved_state_through_undo_and_redo() {
        let mut doc = Document::new(Board::default());
        let clean = doc.state_id();
        add_block(&mut doc, "cache");
        let saved = doc.state_id();
        assert_ne!(saved, clean);
        doc.undo();
        assert_eq!(doc.state_id(), clean);
        doc.redo();
        assert_eq!(doc.state_id(), saved);
        doc.undo();
        add_block(&mut doc, "queue");
        assert_ne!(
            doc.state_id(),
            saved,
            "a new branch is never the saved state"
        );
    }

    #[test]
    fn apply_all_rolls_back_on_failure() {
        let mut doc = Document::new(Board::default());
        let a = add_block(&mut doc, "cache");
        let before = doc.board().clone();
        let steps = doc.undo_len();
        let err = doc.apply_all([
            Edit::Move {
                blocks: vec![a],
                delta: Point::new(5.0, 5.0),
            },
            Edit::Remove {
                blocks: vec![BlockId(999)],
                links: vec![],
            },
        ]);
        assert!(err.is_err());
        assert_eq!(doc.board(), &before);
        assert_eq!(doc.undo_len(), steps);
    }

    #[test]
    fn changes_name_what_edits_undo_and_the_clock_touched() {
        let mut doc = Document::new(Board::default());
        let a = add_block(&mut doc, "cache");
        let b = add_block(&mut doc, "database");
        let l = doc.new_link_id();
        doc.apply(Edit::Insert {
            blocks: vec![],
            links: vec![Link::new(l, a, b)],
        })
        .expect("link");
        let first = doc.take_changes();
        assert_eq!(first.blocks, [a, b].into_iter().collect());
        assert_eq!(first.links, [l].into_iter().collect());
        assert!(doc.take_changes().is_empty(), "taken once");
        doc.apply(Edit::Remove {
            blocks: vec![a],
            links: vec![],
        })
        .expect("delete");
        let removed = doc.take_changes();
        assert!(removed.links.contains(&l), "the link went with its block");
        doc.undo();
        assert!(doc.take_changes().blocks.contains(&a));
        doc.update_timer(|t| t.phase = 2);
        assert!(doc.take_changes().timer);
        doc.update_timer(|t| t.phase = 2);
        assert!(doc.take_changes().is_empty(), "no change, nothing noted");
    }

    #[test]
    fn site_ids_never_collide_with_each_other_or_the_board() {
        let mut one = Document::new(Board::default());
        let mut two = Document::new(Board::default());
        let local = one.new_block_id();
        assert_eq!(local, BlockId(1), "alone, ids count up as before");
        one.set_id_site(Some(7));
        two.set_id_site(Some(9));
        let (x, y) = (one.new_block_id(), two.new_block_id());
        assert_ne!(x, y);
        assert_eq!(x.0 >> 32, 7);
        assert!(
            one.board().next_id > x.0,
            "the counter stays above every id"
        );
        one.set_id_site(None);
        assert!(one.new_block_id().0 > x.0);
    }

    #[test]
    fn history_keeps_at_least_a_thousand_steps() {
        let mut doc = Document::new(Board::default());
        let a = add_block(&mut doc, "cache");
        for i in 0..1_500 {
            doc.apply(Edit::SetTitle(format!("t{i}"))).expect("title");
        }
        let mut undone = 0;
        while doc.undo() {
            undone += 1;
        }
        assert!(undone >= 1_000);
        assert!(doc.board().block(a).is_none(), "all 1,501 steps were kept");
    }
}
