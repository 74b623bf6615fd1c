//! Links: connections between two blocks.
//!
//! A link binds to block ids and anchors rather than storing coordinates, so moving or resizing a
//! block keeps its links attached without touching them.

use super::ids::{BlockId, LinkId};
use serde::{Deserialize, Serialize};

/// A side of a block's outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Side {
    Top,
    Right,
    Bottom,
    Left,
}

/// Where on its block a link end attaches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Anchor {
    /// Where the line between the two block centres crosses the outline.
    #[default]
    Auto,
    /// A fixed point on one side, `t` in 0..=1 along it (left to right, top to bottom).
    Side { side: Side, t: f32 },
}

/// One end of a link.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct End {
    pub block: BlockId,
    #[serde(default, skip_serializing_if = "is_auto")]
    pub anchor: Anchor,
}

fn is_auto(a: &Anchor) -> bool {
    *a == Anchor::Auto
}

impl End {
    pub fn auto(block: BlockId) -> Self {
        Self {
            block,
            anchor: Anchor::Auto,
        }
    }
}

/// Synchronous calls are drawn solid, asynchronous messages dashed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkStyle {
    #[default]
    Sync,
    Async,
}

impl LinkStyle {
    pub fn toggled(self) -> Self {
        match self {
            LinkStyle::Sync => LinkStyle::Async,
            LinkStyle::Async => LinkStyle::Sync,
        }
    }
}

/// Which ends carry an arrowhead.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    #[default]
    Forward,
    Both,
    None,
}

impl Direction {
    /// Forward, then both, then none, then forward again.
    pub fn next(self) -> Self {
        match self {
            Direction::Forward => Direction::Both,
            Direction::Both => Direction::None,
            Direction::None => Direction::Forward,
        }
    }
}

/// How the line travels between its ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Route {
    #[default]
    Straight,
    /// Orthogonal segments leaving and entering perpendicular to the block sides.
    Elbow,
}

impl Route {
    pub fn toggled(self) -> Self {
        match self {
            Route::Straight => Route::Elbow,
            Route::Elbow => Route::Straight,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub id: LinkId,
    pub from: End,
    pub to: End,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(default)]
    pub style: LinkStyle,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub route: Route,
    /// Percent of the source block's outgoing load sent along this link (e.g. a cache's misses);
    /// `None` shares what other links leave evenly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f32>,
    /// A relationship between entities: how many take part at the `from` and the `to` end,
    /// drawn as crow's feet (version 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cardinality: Option<(Card, Card)>,
}

/// How many of an entity take part at one end of a relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Card {
    ExactlyOne,
    ZeroOrOne,
    OneOrMany,
    ZeroOrMany,
}

impl Card {
    pub const ALL: [Card; 4] = [
        Card::ExactlyOne,
        Card::ZeroOrOne,
        Card::OneOrMany,
        Card::ZeroOrMany,
    ];

    pub fn many(self) -> bool {
        matches!(self, Card::OneOrMany | Card::ZeroOrMany)
    }

    pub fn optional(self) -> bool {
        matches!(self, Card::ZeroOrOne | Card::ZeroOrMany)
    }

    /// `1`, `0..1`, `1..N`, `0..N`.
    pub fn short(self) -> &'static str {
        match self {
            Card::ExactlyOne => "1",
            Card::ZeroOrOne => "0..1",
            Card::OneOrMany => "1..N",
            Card::ZeroOrMany => "0..N",
        }
    }

    /// Mermaid's marks for this end, written on the left of `--` (`||`, `|o`, `}|`, `}o`);
    /// the right side's are the same read backwards.
    pub fn left_marks(self) -> &'static str {
        match self {
            Card::ExactlyOne => "||",
            Card::ZeroOrOne => "|o",
            Card::OneOrMany => "}|",
            Card::ZeroOrMany => "}o",
        }
    }

    pub fn right_marks(self) -> &'static str {
        match self {
            Card::ExactlyOne => "||",
            Card::ZeroOrOne => "o|",
            Card::OneOrMany => "|{",
            Card::ZeroOrMany => "o{",
        }
    }

    /// Reads either side's marks.
    pub fn from_marks(marks: &str) -> Option<Card> {
        Some(match marks {
            "||" => Card::ExactlyOne,
            "|o" | "o|" => Card::ZeroOrOne,
            "}|" | "|{" => Card::OneOrMany,
            "}o" | "o{" => Card::ZeroOrMany,
            _ => return None,
        })
    }
}

/// `||--o{`: a relationship's two ends in Mermaid's notation (the shared document's form).
pub fn cardinality_key((from, to): (Card, Card)) -> String {
    format!("{}--{}", from.left_marks(), to.right_marks())
}

/// Reads [`cardinality_key`]'s form (`..` for a non-identifying relationship reads too).
pub fn parse_cardinality(key: &str) -> Option<(Card, Card)> {
    let (l, r) = key.split_once("--").or_else(|| key.split_once(".."))?;
    Some((Card::from_marks(l)?, Card::from_marks(r)?))
}

impl Link {
    pub fn new(id: LinkId, from: BlockId, to: BlockId) -> Self {
        Self {
            id,
            from: End::auto(from),
            to: End::auto(to),
            label: String::new(),
            style: LinkStyle::Sync,
            direction: Direction::Forward,
            route: Route::Straight,
            share: None,
            cardinality: None,
        }
    }

    pub fn touches(&self, block: BlockId) -> bool {
        self.from.block == block || self.to.block == block
    }

    /// The same link drawn the other way round.
    pub fn reverse(&mut self) {
        std::mem::swap(&mut self.from, &mut self.to);
    }
}
