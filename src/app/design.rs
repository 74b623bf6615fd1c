//! The design review's state in the app: the review of the board as it is (recomputed when the
//! board changes, never every frame), whether the overlay is on, and the failure drill.

use super::ArchboardApp;
use crate::canvas::design_paint::Design;
use crate::model::BlockId;
use crate::review::{self, Drill, Review};
use std::collections::BTreeSet;
use std::rc::Rc;

#[derive(Default)]
pub struct DesignReview {
    /// Load and capacity drawn on the board.
    pub overlay: bool,
    /// Blocks failed in the drill. Not part of the design: not saved, not undoable.
    pub failed: BTreeSet<BlockId>,
    review: Option<(u64, Rc<Review>)>,
    drill: Option<(u64, BTreeSet<BlockId>, Rc<Drill>)>,
    /// When the review was last computed: on a big board a drag changes the board every frame,
    /// and the review then follows a few times a second instead of every frame.
    computed_at: Option<std::time::Instant>,
}

/// Boards with at least this many blocks recompute the review at most every [`BIG_INTERVAL`].
const BIG_BOARD: usize = 2_000;
const BIG_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

impl DesignReview {
    /// Forgets everything about the previous board.
    pub fn reset(&mut self) {
        *self = Self {
            overlay: self.overlay,
            ..Self::default()
        };
    }

    pub fn review(&self) -> Option<&Review> {
        self.review.as_ref().map(|(_, r)| r.as_ref())
    }

    pub fn drill(&self) -> Option<&Drill> {
        self.drill.as_ref().map(|(_, _, d)| d.as_ref())
    }
}

impl ArchboardApp {
    /// Brings the review and the drill up to date with the board, if anything shows them, and
    /// hands the canvas what to draw.
    pub(super) fn refresh_design(&mut self, ctx: &egui::Context) {
        let doc = &self.board.doc;
        let state = doc.state_id();
        let d = &mut self.design;
        // Ids of failed blocks that were deleted mean nothing any more.
        d.failed.retain(|id| doc.board().blocks.contains_key(id));
        let wanted =
            d.overlay || self.settings.sidebar || self.lens_overlay || !d.failed.is_empty();
        let stale = d.review.as_ref().is_none_or(|(s, _)| *s != state);
        let wait = match d.computed_at {
            Some(at) if doc.board().blocks.len() >= BIG_BOARD && d.review.is_some() => {
                BIG_INTERVAL.saturating_sub(at.elapsed())
            }
            _ => std::time::Duration::ZERO,
        };
        if wanted && stale {
            if wait.is_zero() {
                let r = review::review(doc.board(), &self.palette, &self.lenses);
                d.review = Some((state, Rc::new(r)));
                d.computed_at = Some(std::time::Instant::now());
            } else {
                ctx.request_repaint_after(wait);
            }
        }
        if d.failed.is_empty() {
            d.drill = None;
        } else if d
            .drill
            .as_ref()
            .is_none_or(|(s, f, _)| *f != d.failed || (*s != state && wait.is_zero()))
        {
            let dr = review::drill(doc.board(), &self.palette, &d.failed);
            d.drill = Some((state, d.failed.clone(), Rc::new(dr)));
        }
        let design = Design {
            review: d
                .overlay
                .then(|| d.review.as_ref().map(|(_, r)| Rc::clone(r)))
                .flatten(),
            drill: d.drill.as_ref().map(|(_, _, x)| Rc::clone(x)),
        };
        // A new `Design` only when what it shows changed.
        let unchanged = match &self.canvas.design {
            Some(shown) => same(&shown.review, &design.review) && same(&shown.drill, &design.drill),
            None => design.is_empty(),
        };
        if !unchanged {
            self.canvas.design = (!design.is_empty()).then(|| Rc::new(design));
        }
    }

    /// Fails the selected blocks in the drill, or restores them if all are failed already.
    pub(super) fn toggle_failed(&mut self, ids: &[BlockId]) {
        if ids.is_empty() {
            self.status
                .info("Select the blocks to fail in the drill first");
            return;
        }
        let failed = &mut self.design.failed;
        let restore = ids.iter().all(|id| failed.contains(id));
        for id in ids {
            if restore {
                failed.remove(id);
            } else {
                failed.insert(*id);
            }
        }
        let names: Vec<String> = ids
            .iter()
            .map(|id| review::block_name(self.board.doc.board(), *id))
            .collect();
        self.status.info(format!(
            "Drill: {} {}; Shift+F8 clears every failure",
            names.join(", "),
            if restore { "restored" } else { "failed" }
        ));
    }
}

/// Whether two optional shared values are the same one (or both absent).
fn same<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}
