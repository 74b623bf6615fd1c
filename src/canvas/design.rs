//! What the design review shows on the canvas, shared with the app rather than copied each
//! frame: the overlay's loads and the failure drill's verdict.

use crate::model::{BlockId, Link};
use crate::review::{Drill, Review};
use std::rc::Rc;

/// The review state the canvas shows, shared with the app (not copied each frame).
#[derive(Default)]
pub struct Design {
    /// Load numbers and utilisation colours (the review overlay), when it is on.
    pub review: Option<Rc<Review>>,
    /// The failure drill, while blocks are marked failed.
    pub drill: Option<Rc<Drill>>,
}

impl Design {
    pub fn is_empty(&self) -> bool {
        self.review.is_none() && self.drill.is_none()
    }

    /// Failed and down: its only instance is gone.
    pub fn is_down(&self, id: BlockId) -> bool {
        self.drill.as_ref().is_some_and(|d| d.down.contains(&id))
    }

    /// Failed, with other instances still serving.
    pub fn is_degraded(&self, id: BlockId) -> bool {
        self.drill
            .as_ref()
            .is_some_and(|d| d.degraded.contains(&id))
    }

    /// Whether a link touches a block that is down.
    pub fn link_broken(&self, link: &Link) -> bool {
        self.is_down(link.from.block) || self.is_down(link.to.block)
    }
}
