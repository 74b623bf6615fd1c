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
    /// Where the label is drawn. Icon sketches put a component's name under its icon, and a
    /// long name on a small block reads better beside it than wrapped into a sliver (version 5).
    #[serde(default, skip_serializing_if = "LabelAt::is_inside")]
    pub label_at: LabelAt,
    /// An entity's columns (version 6); empty for every other kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<super::entity::Field>,
    /// A requirements card's requirements (version 7); empty for every other kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reqs: Vec<super::requirements::Requirement>,
    /// An API card's endpoints (version 7).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<super::api::Endpoint>,
    /// A freehand stroke's points in its own frame (version 7), written as text.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "super::ink::as_text"
    )]
    pub ink: Vec<super::geom::Point>,
    /// The colour of the person who drew a stroke (red, green, blue), so two people's ink stays
    /// told apart; none draws in the theme's text colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ink_color: Option<[u8; 3]>,
}

/// Where a block's label sits relative to its outline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LabelAt {
    #[default]
    Inside,
    Below,
    Above,
    Left,
    Right,
}

impl LabelAt {
    pub const ALL: [LabelAt; 5] = [
        LabelAt::Inside,
        LabelAt::Below,
        LabelAt::Above,
        LabelAt::Left,
        LabelAt::Right,
    ];

    pub fn is_inside(&self) -> bool {
        *self == LabelAt::Inside
    }

    /// The word used in the shared document and in other tools' files.
    pub fn key(self) -> &'static str {
        match self {
            LabelAt::Inside => "inside",
            LabelAt::Below => "below",
            LabelAt::Above => "above",
            LabelAt::Left => "left",
            LabelAt::Right => "right",
        }
    }

    pub fn from_key(key: &str) -> Option<LabelAt> {
        LabelAt::ALL.into_iter().find(|l| l.key() == key)
    }
}

fn is_false(v: &bool) -> bool {
    !*v
}

fn is_zero(v: &i32) -> bool {
    *v == 0
}

/// Size of archboard's label text in world units (the painter's, at 100 %).
pub const LABEL_PX: f32 = 14.0;
/// Height of one row of label text, generously.
pub const LABEL_ROW: f32 = LABEL_PX * 1.35;

/// About how wide `text` runs in archboard's label font (its longest line, unwrapped) and how
/// many rows it has. The model knows no fonts, so this is an estimate for layout decisions
/// (what fits, what an export must hold), never for drawing.
pub fn text_size(text: &str) -> (f32, f32) {
    let longest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let rows = text.lines().count().max(1);
    (longest as f32 * LABEL_PX * 0.6, rows as f32)
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
            label_at: LabelAt::Inside,
            fields: Vec::new(),
            reqs: Vec::new(),
            endpoints: Vec::new(),
            ink: Vec::new(),
            ink_color: None,
        }
    }

    /// The label with an entity's fields or a card's lines under it, one per line: what
    /// exports to tools that have no tables or cards (Excalidraw, draw.io) write, so the table
    /// or card stays readable. A requirements card's scale is the board's `estimate`.
    pub fn stacked_text(&self, estimate: &super::EstimateInputs) -> std::borrow::Cow<'_, str> {
        let body = if !self.fields.is_empty() {
            self.fields
                .iter()
                .map(|f| f.line())
                .collect::<Vec<_>>()
                .join("\n")
        } else if self.kind == super::requirements::REQUIREMENTS_KIND {
            super::requirements::to_text(&self.reqs, estimate)
        } else if !self.endpoints.is_empty() {
            super::api::to_text(&self.endpoints)
        } else {
            return std::borrow::Cow::Borrowed(&self.label);
        };
        std::borrow::Cow::Owned(format!("{}\n{body}", self.label))
    }

    /// Whether the block is a card whose body is edited as text (requirements, API).
    pub fn is_card(&self) -> bool {
        self.kind == super::requirements::REQUIREMENTS_KIND || self.kind == super::api::API_KIND
    }

    /// The height that shows every row of a card or an entity under its name.
    pub fn body_height(&self) -> f32 {
        let rows = if self.kind == super::requirements::REQUIREMENTS_KIND {
            super::requirements::rows(&self.reqs, &Default::default()).len()
        } else if self.kind == super::api::API_KIND {
            self.endpoints.len()
        } else {
            self.fields.len()
        };
        super::entity::height_for(rows)
    }

    pub fn is_ink(&self) -> bool {
        self.kind == super::ink::INK_KIND
    }

    pub fn is_frame(&self) -> bool {
        self.kind == FRAME_KIND
    }

    pub fn is_text(&self) -> bool {
        self.kind == TEXT_KIND
    }

    /// The area the block covers on screen, with a label drawn outside it. The label's size is
    /// estimated (the model knows no fonts), generously, so exports and "fit" never cut it off.
    pub fn extent(&self) -> Rect {
        if self.label_at.is_inside() || self.label.is_empty() || self.is_text() || self.is_frame() {
            return self.rect;
        }
        // Matches the painter: label text wrapped at 2.5 block widths or 12 font sizes.
        let (natural, rows) = text_size(&self.label);
        let wrap = (self.rect.w * 2.5).max(12.0 * LABEL_PX);
        let w = natural.min(wrap);
        let h = (rows + (natural / wrap).floor()) * LABEL_ROW + 4.0;
        let r = self.rect;
        let around = match self.label_at {
            LabelAt::Below => Rect::new(r.x + r.w / 2.0 - w / 2.0, r.y + r.h, w, h),
            LabelAt::Above => Rect::new(r.x + r.w / 2.0 - w / 2.0, r.y - h, w, h),
            LabelAt::Left => Rect::new(r.x - w - 4.0, r.y + r.h / 2.0 - h / 2.0, w + 4.0, h),
            LabelAt::Right => Rect::new(r.x + r.w, r.y + r.h / 2.0 - h / 2.0, w + 4.0, h),
            LabelAt::Inside => r,
        };
        r.union(&around)
    }

    /// Drawing order: frames first (behind everything), then by `z`, then by id (older below).
    pub fn paint_order(&self) -> (bool, i32, BlockId) {
        (!self.is_frame(), self.z, self.id)
    }
}
