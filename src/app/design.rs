//! The design review's state in the app: the review of the board as it is (recomputed when the
//! board changes, never every frame, and off the UI thread on a big board), whether the overlay
//! is on, and the failure drill.

use super::lifecycle::Look;
use crate::canvas::design::Design;
use crate::model::{BlockId, Board, Document};
use crate::review::{self, Drill, Review};
use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// The review (when `review`) and the drill of `failed` (when any) of one board state.
fn compute(
    board: &Board,
    look: &Look,
    review: bool,
    failed: &BTreeSet<BlockId>,
) -> (Option<Review>, Option<Drill>) {
    let r = review.then(|| review::review(board, &look.palette, &look.lenses));
    let d = (!failed.is_empty()).then(|| review::drill(board, &look.palette, failed));
    (r, d)
}

#[derive(Default)]
pub struct DesignReview {
    /// Load and capacity drawn on the board.
    pub overlay: bool,
    /// Blocks failed in the drill. Not part of the design: not saved, not undoable.
    pub failed: BTreeSet<BlockId>,
    review: Option<(u64, Rc<Review>)>,
    drill: Option<(u64, BTreeSet<BlockId>, Rc<Drill>)>,
    /// Reviews being computed on workers for a big board, oldest first: at most two, so an
    /// edit made while one runs gets its own at once instead of waiting for the stale one.
    pending: Vec<Pending>,
}

/// A review (and drill) computing on a worker thread.
struct Pending {
    state: u64,
    failed: BTreeSet<BlockId>,
    /// The review (when one was asked for) and the drill (when blocks are failed).
    result: Receiver<(Option<Review>, Option<Drill>)>,
}

/// Boards with at least this many blocks are reviewed on a worker: at 100,000 blocks a review
/// takes a good part of a second, which no frame can spare. Smaller boards are reviewed at once,
/// in well under a millisecond, so what the sidebar says always matches the board.
const BIG_BOARD: usize = 2_000;

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

    /// Whether a review is being computed off the UI thread.
    pub fn is_computing(&self) -> bool {
        !self.pending.is_empty()
    }
}

impl DesignReview {
    /// Brings the review and the drill up to date with the board, when something shows them
    /// (`wanted`). Returns what the canvas should draw, or `None` when that is unchanged from
    /// `shown`, so the canvas keeps the value it has.
    ///
    /// On a big board the work goes to a worker with a snapshot of the board (a cheap clone:
    /// the board's maps are persistent). The previous result stays on screen until the new one
    /// arrives. At most two run at once (one during a drag), and always for the newest state.
    pub fn refresh(
        &mut self,
        doc: &Document,
        look: &Look,
        wanted: bool,
        shown: Option<&Rc<Design>>,
        ctx: &egui::Context,
    ) -> Option<Option<Rc<Design>>> {
        let state = doc.revision();
        // Ids of failed blocks that were deleted mean nothing any more.
        self.failed.retain(|id| doc.board().blocks.contains_key(id));
        self.collect();
        let wanted = wanted || self.overlay || !self.failed.is_empty();
        let review_stale = self.review.as_ref().is_none_or(|(s, _)| *s != state);
        let drill_stale = if self.failed.is_empty() {
            self.drill = None;
            false
        } else {
            self.drill
                .as_ref()
                .is_none_or(|(s, f, _)| *f != self.failed || *s != state)
        };
        let want_review = wanted && review_stale;
        // During a drag the board changes every frame: one review at a time follows it. Once
        // the drag is over (or for a single edit) the newest state gets a second worker.
        let queued = self.pending.iter().any(|p| p.state == state);
        let room = self.pending.is_empty() || (self.pending.len() < 2 && !doc.in_gesture());
        if (want_review || drill_stale) && room && !queued {
            if doc.board().blocks.len() < BIG_BOARD {
                let (r, d) = compute(doc.board(), look, want_review, &self.failed);
                self.accept(state, self.failed.clone(), r, d);
            } else {
                self.start(doc.board().clone(), state, look, want_review, ctx);
            }
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

    /// Starts a review of `board` on a worker; it wakes the UI when it is done.
    fn start(&mut self, board: Board, state: u64, look: &Look, review: bool, ctx: &egui::Context) {
        let (tx, rx) = channel();
        let failed = self.failed.clone();
        let (look, ctx, drill_for) = (look.clone(), ctx.clone(), failed.clone());
        let spawned = crate::platform::background("review", move || {
            let out = compute(&board, &look, review, &drill_for);
            // The app may have closed the board meanwhile; nobody is left to tell then.
            let _ = tx.send(out);
            ctx.request_repaint();
        });
        if spawned.is_ok() {
            self.pending.push(Pending {
                state,
                failed,
                result: rx,
            });
        }
    }

    /// Takes finished workers' results. A result older than the one shown (a second worker
    /// for a newer state finished first) is dropped.
    fn collect(&mut self) {
        let mut i = 0;
        while i < self.pending.len() {
            match self.pending[i].result.try_recv() {
                Ok((review, drill)) => {
                    let p = self.pending.remove(i);
                    let newer = self.review.as_ref().is_none_or(|(s, _)| *s <= p.state);
                    if newer {
                        self.accept(p.state, p.failed, review, drill);
                    }
                }
                Err(TryRecvError::Empty) => i += 1,
                // A worker that panicked left nothing; the next frame starts another.
                Err(TryRecvError::Disconnected) => {
                    self.pending.remove(i);
                }
            }
        }
    }

    fn accept(
        &mut self,
        state: u64,
        failed: BTreeSet<BlockId>,
        review: Option<Review>,
        drill: Option<Drill>,
    ) {
        if let Some(r) = review {
            self.review = Some((state, Rc::new(r)));
        }
        match drill {
            Some(d) if failed == self.failed => self.drill = Some((state, failed, Rc::new(d))),
            _ => {}
        }
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
