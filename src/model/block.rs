//! Blocks: the components, text notes and frames placed on a board.

use super::geom::Rect;
use super::ids::BlockId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Kind id of a free text note (no outline, just text).
pub const TEXT_KIND: &str = "text";
/// Kind id of a frame: a titled region drawn behind blocks that carries what lies inside it.
pub const FRAME_KIND: &str = "frame";
/// Kind id of the generic box.
pub const BOX_KIND: &str = "box";

/// One item on the board.
///
/// `kind` is a palette id kept as a string, not an enum: palettes grow, and a board made with a
/// newer palette must still load (an unknown kind is drawn as a generic box labelled with its id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub id: BlockId,
    pub kind: String,
    pub label: String,
    pub rect: Rect,
    /// Free-text notes for the deep-dive discussion of this block.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Stacking order among blocks of the same layer class; ties break by id.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub z: i32,
    /// Blocks sharing a group id are selected and moved together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u64>,
    /// Locked blocks cannot be moved, resized or deleted until unlocked.
    #[serde(default, skip_serializing_if = "is_false")]
    pub locked: bool,
    /// Deep-dive lens items discussed for this block, as `lens/item` keys.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub checked: BTreeSet<String>,
    /// Marked by the candidate as one of the few components to deep-dive into.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deep_dive: bool,
    /// Instances, capacity, replication: what the design review computes with.
    #[serde(default, skip_serializing_if = "super::Props::is_default")]
    pub props: super::Props,
}

fn is_false(v: &bool) -> bool {
    !*v
}

fn is_zero(v: &i32) -> bool {
    *v == 0
}

impl Block {
    pub fn new(id: BlockId, kind: impl Into<String>, label: impl Into<String>, rect: Rect) -> Self {
        Self {
            id,
            kind: kind.into(),
            label: label.into(),
            rect,
            notes: String::new(),
            z: 0,
            group: None,
            locked: false,
            checked: BTreeSet::new(),
            deep_dive: false,
            props: super::Props::default(),
        }
    }

    pub fn is_frame(&self) -> bool {
        self.kind == FRAME_KIND
    }

    pub fn is_text(&self) -> bool {
        self.kind == TEXT_KIND
    }

    /// Drawing order: frames first (behind everything), then by `z`, then by id (older below).
    pub fn paint_order(&self) -> (bool, i32, BlockId) {
        (!self.is_frame(), self.z, self.id)
    }
}
