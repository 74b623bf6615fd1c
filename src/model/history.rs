//! Undo and redo over [`Edit`]s, with gestures merged into one step. The history only keeps
//! steps; [`super::Document`] applies them to the board and notes what they touched.

use super::board::Board;
use super::changes::Changes;
use super::edit::Edit;
use std::collections::VecDeque;

/// Steps kept at most; older ones are dropped first.
pub const MAX_STEPS: usize = 10_000;
/// Rough memory budget for the undo stack. A step is never dropped while fewer than
/// [`MIN_STEPS`] are kept, so a huge paste cannot erase the recent past.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;
pub const MIN_STEPS: usize = 1_000;

/// One undoable step: the inverses of the edits it applied, in the order they were applied.
#[derive(Clone, Debug)]
pub(super) struct Step {
    /// Identifies the board state right after this step; see [`Document::state_id`].
    pub(super) id: u64,
    pub(super) inverses: Vec<Edit>,
    bytes: usize,
}

impl Step {
    fn new(id: u64) -> Self {
        Self {
            id,
            inverses: Vec::new(),
            bytes: 0,
        }
    }

    pub(super) fn push(&mut self, inverse: Edit) {
        if inverse.is_noop() {
            return;
        }
        // A drag emits a move per frame; fold consecutive moves of the same blocks into one.
        if let (
            Some(Edit::Move { blocks, delta }),
            Edit::Move {
                blocks: b2,
                delta: d2,
            },
        ) = (self.inverses.last_mut(), &inverse)
            && blocks == b2
        {
            *delta = *delta + *d2;
            return;
        }
        self.bytes += inverse.approx_bytes();
        self.inverses.push(inverse);
    }

    /// Applies the inverses (newest first) and returns the step that redoes them.
    ///
    /// Others may have changed the board since (a peer deleted a block this step moved): what
    /// no longer applies is skipped, so undo never fails and never brings back a link to a
    /// block that is gone.
    pub(super) fn unapply(self, board: &mut Board, changes: &mut Changes) -> Step {
        let mut back = Step::new(self.id);
        for inverse in self.inverses.into_iter().rev() {
            changes.note(&inverse);
            let redo = inverse.apply_lenient(board);
            changes.note(&redo);
            back.push(redo);
        }
        back
    }
}

/// The undo and redo stacks and the gesture being collected.
#[derive(Debug, Default)]
pub(super) struct History {
    undo: VecDeque<Step>,
    redo: Vec<Step>,
    open: Option<Step>,
    undo_bytes: usize,
    next_step: u64,
}

impl History {
    /// Keeps `inverse` as part of the open gesture, or as a step of its own. A new change
    /// forgets what could be redone.
    pub(super) fn record(&mut self, inverses: Vec<Edit>) {
        self.redo.clear();
        match &mut self.open {
            Some(step) => inverses.into_iter().for_each(|i| step.push(i)),
            None => {
                let mut step = Step::new(self.fresh_step_id());
                inverses.into_iter().for_each(|i| step.push(i));
                self.push_undo(step);
            }
        }
    }

    pub(super) fn in_gesture(&self) -> bool {
        self.open.is_some()
    }

    pub(super) fn begin_gesture(&mut self) {
        if self.open.is_none() {
            let id = self.fresh_step_id();
            self.open = Some(Step::new(id));
        }
    }

    /// Commits the open gesture as one step; an empty gesture leaves no step.
    pub(super) fn end_gesture(&mut self) {
        if let Some(step) = self.open.take()
            && !step.inverses.is_empty()
        {
            self.push_undo(step);
        }
    }

    /// Drops the open gesture without keeping it (its edits were rolled back).
    pub(super) fn cancel_gesture(&mut self) {
        self.open = None;
    }

    pub(super) fn can_undo(&self) -> bool {
        !self.undo.is_empty() || self.open.as_ref().is_some_and(|s| !s.inverses.is_empty())
    }

    pub(super) fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub(super) fn len(&self) -> usize {
        self.undo.len()
    }

    /// The id of the newest step that shaped the board (0 before any).
    pub(super) fn current_step(&self) -> u64 {
        match &self.open {
            Some(step) if !step.inverses.is_empty() => step.id,
            _ => self.undo.back().map_or(0, |s| s.id),
        }
    }

    pub(super) fn pop_undo(&mut self) -> Option<Step> {
        let step = self.undo.pop_back()?;
        self.undo_bytes -= step.bytes;
        Some(step)
    }

    pub(super) fn pop_redo(&mut self) -> Option<Step> {
        self.redo.pop()
    }

    pub(super) fn push_redo(&mut self, step: Step) {
        self.redo.push(step);
    }

    fn fresh_step_id(&mut self) -> u64 {
        self.next_step += 1;
        self.next_step
    }

    /// Keeps `step` as the newest, dropping the oldest past the limits.
    pub(super) fn push_undo(&mut self, step: Step) {
        self.undo_bytes += step.bytes;
        self.undo.push_back(step);
        while self.undo.len() > MAX_STEPS
            || (self.undo_bytes > MAX_BYTES && self.undo.len() > MIN_STEPS)
        {
            if let Some(old) = self.undo.pop_front() {
                self.undo_bytes -= old.bytes;
            }
        }
    }
}
