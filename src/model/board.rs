//! The board: everything a save file holds about a design.

use super::block::Block;
use super::geom::Rect;
use super::ids::{BlockId, LinkId};
use super::link::Link;

/// Blocks by id, in id order.
pub type Blocks = imbl::OrdMap<BlockId, Block>;
/// Links by id, in id order.
pub type Links = imbl::OrdMap<LinkId, Link>;

/// A whole design.
///
/// Collections are ordered maps keyed by id so iteration (and thus a save) is deterministic: an
/// unchanged board serialises byte for byte the same. They are persistent maps: cloning a board
/// shares every block with the original, so a snapshot handed to a worker (the review, a save, an
/// export) costs next to nothing however big the board is, and edits copy only the path to what
/// they change. `next_id` only grows; ids are never reused.
#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    pub title: String,
    pub blocks: Blocks,
    pub links: Links,
    pub next_id: u64,
    /// Where the interview stood; changed by the clock, not by edits, so it is not undoable.
    pub timer: super::TimerState,
    /// The estimator's inputs: the numbers the design review starts from.
    pub estimate: super::EstimateInputs,
    /// The interviewer's private notes: saved here, never shared.
    pub private: super::PrivateNotes,
    /// The practice session this board answers, if it was started from a problem.
    pub practice: Option<super::Practice>,
    /// Every change with its interview time, for replay and the report.
    pub recording: super::Recording,
}

impl Default for Board {
    fn default() -> Self {
        Self {
            title: String::new(),
            blocks: Blocks::new(),
            links: Links::new(),
            next_id: 1,
            timer: Default::default(),
            estimate: Default::default(),
            private: Default::default(),
            practice: None,
            recording: Default::default(),
        }
    }
}

impl Board {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// Hands out a fresh block id. Ids share one counter with links.
    pub fn alloc_block_id(&mut self) -> BlockId {
        BlockId(self.alloc_raw())
    }

    /// Hands out a fresh link id.
    pub fn alloc_link_id(&mut self) -> LinkId {
        LinkId(self.alloc_raw())
    }

    pub(crate) fn alloc_raw(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    /// Raises the counter above `id`, so ids that arrive from outside (undo, paste) stay unique.
    pub(crate) fn reserve(&mut self, id: u64) {
        if id >= self.next_id {
            self.next_id = id.saturating_add(1);
        }
    }

    pub fn block(&self, id: BlockId) -> Option<&Block> {
        self.blocks.get(&id)
    }

    pub fn link(&self, id: LinkId) -> Option<&Link> {
        self.links.get(&id)
    }

    /// Links with an end on any of `blocks`.
    pub fn links_touching<'a>(
        &'a self,
        blocks: &'a std::collections::BTreeSet<BlockId>,
    ) -> impl Iterator<Item = &'a Link> + 'a {
        self.links
            .values()
            .filter(move |l| blocks.contains(&l.from.block) || blocks.contains(&l.to.block))
    }

    /// The bounding rectangle of all blocks, or `None` for an empty board.
    pub fn bounds(&self) -> Option<Rect> {
        bounds_of(self.blocks.values())
    }

    /// Blocks in the order they are drawn (frames behind, then by z, then by id).
    pub fn blocks_in_paint_order(&self) -> Vec<&Block> {
        let mut v: Vec<&Block> = self.blocks.values().collect();
        v.sort_by_key(|b| b.paint_order());
        v
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && self.links.is_empty()
    }
}

/// The bounding rectangle of some blocks, or `None` when there are none.
pub fn bounds_of<'a>(blocks: impl IntoIterator<Item = &'a Block>) -> Option<Rect> {
    blocks
        .into_iter()
        .map(Block::extent)
        .reduce(|a, b| a.union(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_monotonic_and_shared() {
        let mut b = Board::default();
        let a = b.alloc_block_id();
        let l = b.alloc_link_id();
        let c = b.alloc_block_id();
        assert_eq!((a.0, l.0, c.0), (1, 2, 3));
        b.reserve(10);
        assert_eq!(b.alloc_block_id().0, 11);
        b.reserve(5);
        assert_eq!(b.alloc_block_id().0, 12);
    }

    #[test]
    fn bounds_cover_all_blocks() {
        let mut b = Board::default();
        assert!(b.bounds().is_none());
        for r in [
            Rect::new(0.0, 0.0, 10.0, 10.0),
            Rect::new(-5.0, 20.0, 10.0, 10.0),
        ] {
            let id = b.alloc_block_id();
            b.blocks.insert(id, Block::new(id, "box", "", r));
        }
        assert_eq!(b.bounds(), Some(Rect::new(-5.0, 0.0, 15.0, 30.0)));
    }

    #[test]
    fn frames_paint_behind_blocks() {
        let mut b = Board::default();
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        let a = b.alloc_block_id();
        b.blocks.insert(a, Block::new(a, "cache", "", r));
        let f = b.alloc_block_id();
        b.blocks
            .insert(f, Block::new(f, crate::model::FRAME_KIND, "", r));
        let order: Vec<BlockId> = b.blocks_in_paint_order().iter().map(|b| b.id).collect();
        assert_eq!(order, vec![f, a]);
    }
}
