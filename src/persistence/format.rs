//! The on-disk shape of a board: what a `.ron` file holds.
//!
//! This is kept apart from [`Board`] so the file can list blocks and links in order (making
//! duplicate ids detectable, which a map would silently merge) while the model keeps maps.

use crate::model::{
    Block, Board, EstimateInputs, Link, Practice, PrivateNotes, Recording, TimerState,
};
use serde::{Deserialize, Serialize};

/// The version this build writes. Bump it, and add a migration step in `migrate.rs`, whenever an
/// older build could misread the new shape.
pub const FORMAT_VERSION: u32 = 7;

/// The board as written to disk. Unknown fields are refused, so a typo is reported rather than
/// silently dropped on the next save.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardFile {
    pub format_version: u64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub next_id: u64,
    #[serde(default)]
    pub blocks: Vec<Block>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "TimerState::is_default")]
    pub timer: TimerState,
    /// The estimator's inputs (version 2).
    #[serde(default, skip_serializing_if = "EstimateInputs::is_default")]
    pub estimate: EstimateInputs,
    /// An interviewer's private notes (version 3): in their own copy only.
    #[serde(default, skip_serializing_if = "PrivateNotes::is_empty")]
    pub private: PrivateNotes,
    /// The practice session, for a board started from a problem (version 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practice: Option<Practice>,
    /// Every change with its interview time, for replay and the report (version 4).
    #[serde(default, skip_serializing_if = "Recording::is_default")]
    pub recording: Recording,
    /// Present only in autosaved recovery files: whose unsaved work this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<RecoveryInfo>,
}

/// What a recovery file records about the board it rescues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryInfo {
    /// The file the board was bound to; `None` for an untitled board.
    #[serde(default)]
    pub original: Option<std::path::PathBuf>,
    /// When it was written, in milliseconds since the Unix epoch.
    pub written_ms: u64,
}

impl BoardFile {
    /// The board's parts, for the model's rules to check ([`crate::model::validate::assemble`]).
    pub fn into_parts(self) -> crate::model::validate::Parts {
        let BoardFile {
            format_version: _,
            title,
            next_id,
            blocks,
            links,
            timer,
            estimate,
            private,
            practice,
            recording,
            recovery: _,
        } = self;
        crate::model::validate::Parts {
            title,
            next_id,
            blocks,
            links,
            timer,
            estimate,
            private,
            practice,
            recording,
        }
    }

    pub fn from_board(board: &Board) -> Self {
        Self {
            format_version: u64::from(FORMAT_VERSION),
            title: board.title.clone(),
            next_id: board.next_id,
            blocks: board.blocks.values().cloned().collect(),
            links: board.links.values().cloned().collect(),
            timer: board.timer.clone(),
            estimate: board.estimate.clone(),
            private: board.private.clone(),
            practice: board.practice.clone(),
            recording: board.recording.clone(),
            recovery: None,
        }
    }
}

/// Serialises a board as pretty RON: one line per block and link, so files diff well.
pub fn to_ron_string(board: &Board) -> Result<String, ron::Error> {
    file_to_ron_string(&BoardFile::from_board(board))
}

/// [`to_ron_string`] for a file that carries more than the board (a recovery file).
pub fn file_to_ron_string(file: &BoardFile) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(2)
        .indentor("  ")
        .new_line("\n");
    let mut text = ron::ser::to_string_pretty(file, config)?;
    text.push('\n');
    Ok(text)
}
