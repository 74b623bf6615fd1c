//! What is selected: blocks and links, with the few ways a selection changes.
//!
//! Session state, never saved. Every "select exactly this", "add its group", "drop what was
//! deleted" goes through here, so a block and a link are never half-selected together by
//! accident and groups always move as one.

use crate::model::{BlockId, Board, LinkId};
use std::collections::BTreeSet;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub blocks: BTreeSet<BlockId>,
    pub links: BTreeSet<LinkId>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && self.links.is_empty()
    }

    pub fn clear(&mut self) {
        self.blocks.clear();
        self.links.clear();
    }

    /// Selects exactly `id`.
    pub fn only_block(&mut self, id: BlockId) {
        self.only_blocks(BTreeSet::from([id]));
    }

    /// Selects exactly these blocks.
    pub fn only_blocks(&mut self, ids: BTreeSet<BlockId>) {
        self.links.clear();
        self.blocks = ids;
    }

    /// Selects exactly the link `id`.
    pub fn only_link(&mut self, id: LinkId) {
        self.blocks.clear();
        self.links = BTreeSet::from([id]);
    }

    /// The selected block when exactly one is selected (and no link).
    pub fn only_selected(&self) -> Option<BlockId> {
        match (self.blocks.len(), self.links.is_empty()) {
            (1, true) => self.blocks.iter().next().copied(),
            _ => None,
        }
    }

    /// The selected link when exactly one is selected.
    pub fn only_selected_link(&self) -> Option<LinkId> {
        match self.links.len() {
            1 => self.links.iter().next().copied(),
            _ => None,
        }
    }

    /// Adds `id` with its group, or removes them all when `id` is selected already.
    pub fn toggle_block(&mut self, board: &Board, id: BlockId) {
        let group = group_of(board, id);
        if self.blocks.contains(&id) {
            for g in group {
                self.blocks.remove(&g);
            }
        } else {
            self.blocks.extend(group);
        }
    }

    pub fn toggle_link(&mut self, id: LinkId) {
        if !self.links.remove(&id) {
            self.links.insert(id);
        }
    }

    /// Selects `id` and the rest of its group: alone, or added to what is selected.
    pub fn extend_to_group(&mut self, board: &Board, id: BlockId, add: bool) {
        let group = group_of(board, id);
        if add {
            self.blocks.extend(group);
        } else {
            self.only_blocks(group);
        }
    }

    /// Forgets what is no longer on the board (deleted here, or by undo, or by a peer).
    pub fn prune(&mut self, board: &Board) {
        self.blocks.retain(|id| board.blocks.contains_key(id));
        self.links.retain(|id| board.links.contains_key(id));
    }
}

/// `id` and every block in its group.
pub fn group_of(board: &Board, id: BlockId) -> BTreeSet<BlockId> {
    match board.block(id).and_then(|b| b.group) {
        Some(g) => board
            .blocks
            .values()
            .filter(|b| b.group == Some(g))
            .map(|b| b.id)
            .collect(),
        None => BTreeSet::from([id]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Link, Rect};

    fn board() -> (Board, [BlockId; 3], LinkId) {
        let mut b = Board::default();
        let ids = [b.alloc_block_id(), b.alloc_block_id(), b.alloc_block_id()];
        for (i, id) in ids.iter().enumerate() {
            let mut block = Block::new(
                *id,
                "box",
                "",
                Rect::new(i as f32 * 200.0, 0.0, 100.0, 50.0),
            );
            block.group = (i < 2).then_some(99);
            b.blocks.insert(*id, block);
        }
        let l = b.alloc_link_id();
        b.links.insert(l, Link::new(l, ids[0], ids[2]));
        (b, ids, l)
    }

    #[test]
    fn only_and_toggle_keep_blocks_and_links_apart() {
        let (b, [x, y, z], l) = board();
        let mut s = Selection::default();
        s.only_link(l);
        s.only_block(z);
        assert!(s.links.is_empty());
        assert_eq!(s.only_selected(), Some(z));
        s.toggle_block(&b, x);
        assert_eq!(s.blocks, BTreeSet::from([x, y, z]), "the group comes along");
        s.toggle_block(&b, y);
        assert_eq!(s.blocks, BTreeSet::from([z]), "and leaves together");
        s.toggle_link(l);
        assert_eq!(s.only_selected(), None);
        s.only_link(l);
        assert_eq!(s.only_selected_link(), Some(l));
    }

    #[test]
    fn extend_to_group_and_prune() {
        let (mut b, [x, y, z], l) = board();
        let mut s = Selection::default();
        s.extend_to_group(&b, z, false);
        s.extend_to_group(&b, x, true);
        assert_eq!(s.blocks.len(), 3);
        s.links.insert(l);
        b.blocks.remove(&x);
        b.links.remove(&l);
        s.prune(&b);
        assert_eq!(s.blocks, BTreeSet::from([y, z]));
        assert!(s.links.is_empty());
    }
}
