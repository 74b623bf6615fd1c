//! The design review's state in the app: the review of the board as it is (recomputed when the
//! board changes, never every frame), whether the overlay is on, and the failure drill.

use crate::canvas::design::Design;
use crate::lens::LensLibrary;
use crate::model::{BlockId, Board, Document};
use crate::palette::Palette;
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

impl DesignReview {
    /// Brings the review and the drill up to date with the board, when something shows them
    /// (`wanted`). Returns what the canvas should draw, or `None` when that is unchanged from
    /// `shown`, so the canvas keeps the value it has.
    pub fn refresh(
        &mut self,
        doc: &Document,
        palette: &Palette,
        lenses: &LensLibrary,
        wanted: bool,
        shown: Option<&Rc<Design>>,
        ctx: &egui::Context,
    ) -> Option<Option<Rc<Design>>> {
        let state = doc.revision();
        // Ids of failed blocks that were deleted mean nothing any more.
        self.failed.retain(|id| doc.board().blocks.contains_key(id));
        let wanted = wanted || self.overlay || !self.failed.is_empty();
        let stale = self.review.as_ref().is_none_or(|(s, _)| *s != state);
        let wait = match self.computed_at {
            Some(at) if doc.board().blocks.len() >= BIG_BOARD && self.review.is_some() => {
                BIG_INTERVAL.saturating_sub(at.elapsed())
            }
            _ => std::time::Duration::ZERO,
        };
        if wanted && stale {
            if wait.is_zero() {
                let r = review::review(doc.board(), palette, lenses);
                self.review = Some((state, Rc::new(r)));
                self.computed_at = Some(std::time::Instant::now());
            } else {
                ctx.request_repaint_after(wait);
            }
        }
        if self.failed.is_empty() {
            self.drill = None;
        } else if self
            .drill
            .as_ref()
            .is_none_or(|(s, f, _)| *f != self.failed || (*s != state && wait.is_zero()))
        {
            let dr = review::drill(doc.board(), palette, &self.failed);
            self.drill = Some((state, self.failed.clone(), Rc::new(dr)));
        }
        let design = Design {
            review: self
                .overlay
                .then(|| self.review.as_ref().map(|(_, r)| Rc::clone(r)))
                .flatten(),
            drill: self.drill.as_ref().map(|(_, _, x)| Rc::clone(x)),
        };
        // A new `Design` only when what it shows changed.
        let unchanged = match shown {
            Some(shown) => same(&shown.review, &design.review) && same(&shown.drill, &design.drill),
            None => design.is_empty(),
        };
        (!unchanged).then(|| (!design.is_empty()).then(|| Rc::new(design)))
    }

    /// Fails `ids` in the drill, or restores them if all are failed already. Returns what to
    /// tell the user.
    pub fn toggle_failed(&mut self, board: &Board, ids: &[BlockId]) -> String {
        if ids.is_empty() {
            return "Select the blocks to fail in the drill first".into();
        }
        let restore = ids.iter().all(|id| self.failed.contains(id));
        for id in ids {
            if restore {
                self.failed.remove(id);
            } else {
                self.failed.insert(*id);
            }
        }
        let names: Vec<String> = ids
            .iter()
            .map(|id| review::block_name(board, *id))
            .collect();
        format!(
            "Drill: {} {}; Shift+F8 clears every failure",
            names.join(", "),
            if restore { "restored" } else { "failed" }
        )
    }

    /// The number of risks in the review, when it is computed.
    pub fn risks(&self) -> Option<usize> {
        Some(self.review()?.counts().0)
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
