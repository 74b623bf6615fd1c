//! The board model: plain serde data with no UI types and no I/O.

mod block;
mod board;
mod changes;
mod document;
mod edit;
pub mod entity;
pub mod fragment;
pub mod generate;
mod geom;
mod history;
mod ids;
mod index;
mod interview;
pub mod limits;
pub mod link;
pub mod patch;
pub mod practice_state;
pub mod recording;
mod remote;
mod sizing;
pub mod validate;

pub use block::{BOX_KIND, Block, FRAME_KIND, LABEL_ROW, LabelAt, TEXT_KIND, text_size};
pub use board::{Blocks, Board, Links, bounds_of};
pub use changes::Changes;
pub use document::Document;
pub use edit::{Edit, EditError};
pub use entity::{ENTITY_KIND, Field, Keys};
pub use geom::{Point, Rect, snap, snap_point};
pub use ids::{BlockId, LinkId};
pub use index::SpatialIndex;
pub use interview::{MAX_RECORDED_MS, PrivateNotes, TimerState};
pub use link::{Anchor, Card, Direction, End, Link, LinkStyle, Route, Side};
pub use practice_state::Practice;
pub use recording::{Moment, Recording};
pub use remote::Remote;
pub use sizing::{EstimateInputs, Props};
