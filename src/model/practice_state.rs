//! A practice session on a board: which problem it answers, what the candidate asked, how many
//! hints they took, what the rubric found and when. Saved with the board, so a report written
//! tomorrow tells the same story.
//!
//! The problem itself (prompt, questions, rubric) lives in the problem library; this holds only
//! ids and indexes into it, checked against the library when used.

use super::recording::Moment;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Most questions, hints or rubric items a saved session may name.
pub const MAX_ITEMS: usize = 200;
/// Longest problem or rubric item id.
pub const MAX_ID_CHARS: usize = 64;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Practice {
    /// The problem's id in the library.
    pub problem: String,
    /// Clarifying questions asked, by index, with when.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub asked: BTreeMap<usize, Moment>,
    /// Hints taken, in order (the first `hints.len()` of the problem's).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Moment>,
    /// Rubric items the candidate ticked by hand (the ones the board cannot show).
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub ticked: BTreeSet<String>,
    /// When each rubric item was first met, by item id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub met: BTreeMap<String, Moment>,
    /// Set by Finish: the rubric and the score are shown from then on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished: Option<Moment>,
    /// Whether the estimator was filled from the problem's numbers (once scale was asked).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub estimate_filled: bool,
    /// In a shared room: the interviewer has shown the candidate the answers and the rubric.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub revealed: bool,
}

impl Practice {
    pub fn new(problem: impl Into<String>) -> Self {
        Self {
            problem: problem.into(),
            ..Self::default()
        }
    }

    /// Keeps a session from a file within bounds (files are untrusted).
    pub fn repair(&mut self) {
        self.problem = super::limits::truncate_chars(&self.problem, MAX_ID_CHARS);
        while self.asked.len() > MAX_ITEMS {
            self.asked.pop_last();
        }
        self.hints.truncate(MAX_ITEMS);
        while self.ticked.len() > MAX_ITEMS {
            self.ticked.pop_last();
        }
        self.ticked.retain(|k| k.chars().count() <= MAX_ID_CHARS);
        while self.met.len() > MAX_ITEMS {
            self.met.pop_last();
        }
        self.met.retain(|k, _| k.chars().count() <= MAX_ID_CHARS);
    }
}
