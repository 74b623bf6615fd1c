//! Where the interview stood: the part of the timer that is saved with a board.
//!
//! It lives with the model because a board file holds it; the clock that advances it, and the
//! time plans it follows, live in `timer`.

use super::ids::BlockId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest time one phase or one block may have collected (100 hours): a hostile file cannot
/// make the sums overflow.
pub const MAX_RECORDED_MS: u64 = 100 * 3_600_000;

/// Where an interview stands; saved in the board. The saved state never records "running": a
/// reopened board shows where the interview stood, paused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimerState {
    /// Plan id; empty means the default plan.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub plan: String,
    pub phase: usize,
    /// Milliseconds spent in each phase so far.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phase_ms: Vec<u64>,
    /// Milliseconds the timer ran while each block was selected.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub block_ms: BTreeMap<BlockId, u64>,
}

impl TimerState {
    pub fn is_default(&self) -> bool {
        *self == TimerState::default()
    }

    pub fn elapsed_ms(&self) -> u64 {
        self.phase_ms.iter().sum()
    }

    pub fn phase_elapsed(&self, phase: usize) -> u64 {
        self.phase_ms.get(phase).copied().unwrap_or(0)
    }

    /// Keeps indexes and numbers inside what a plan of `phases` phases allows (files and peers
    /// are untrusted).
    pub fn repair(&mut self, phases: usize) {
        let n = phases.max(1);
        self.phase = self.phase.min(n - 1);
        self.phase_ms.resize(n, 0);
        for v in self.phase_ms.iter_mut().chain(self.block_ms.values_mut()) {
            *v = (*v).min(MAX_RECORDED_MS);
        }
    }
}

/// An interviewer's own notes: kept on the interviewer's machine and in their saved copy, never
/// in a shared room (the shared document has no place for them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivateNotes {
    /// About the interview as a whole.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub board: String,
    /// About one block each.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub blocks: BTreeMap<BlockId, String>,
}

impl PrivateNotes {
    pub fn is_empty(&self) -> bool {
        self.board.is_empty() && self.blocks.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repair_clamps_hostile_values() {
        let mut s = TimerState {
            phase: 99,
            phase_ms: vec![u64::MAX; 9],
            ..Default::default()
        };
        s.repair(4);
        assert_eq!(s.phase, 3);
        assert_eq!(s.phase_ms.len(), 4);
        assert!(s.phase_ms.iter().all(|v| *v <= MAX_RECORDED_MS));
    }
}
