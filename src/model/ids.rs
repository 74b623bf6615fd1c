//! Identifiers for board items.
//!
//! Ids come from one monotonic counter per board and are never reused, so an undo that
//! re-inserts a deleted block gets back exactly the id its links refer to.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Identifies a block (component, text note or frame) within one board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BlockId(pub u64);

/// Identifies a link (connection) within one board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LinkId(pub u64);

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "block #{}", self.0)
    }
}

impl fmt::Display for LinkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "link #{}", self.0)
    }
}
