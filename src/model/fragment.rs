//! Pieces of a board carried between boards or within one: copy/paste and duplicate.

use super::block::Block;
use super::board::Board;
use super::edit::Edit;
use super::geom::Point;
use super::ids::{BlockId, LinkId};
use super::link::Link;
use std::collections::{BTreeMap, BTreeSet};

/// The selected blocks and the links whose both ends are among them, as a board of its own.
pub fn extract(board: &Board, blocks: &BTreeSet<BlockId>) -> Board {
    let mut out = Board::new(board.title.clone());
    for id in blocks {
        if let Some(b) = board.block(*id) {
            out.blocks.insert(*id, b.clone());
        }
    }
    for link in board.links.values() {
        if blocks.contains(&link.from.block) && blocks.contains(&link.to.block) {
            out.links.insert(link.id, link.clone());
        }
    }
    out.next_id = board.next_id;
    out
}

/// An insert edit that adds `fragment` under ids from `fresh`, moved by `offset`.
///
/// `fresh` is the document's id source ([`super::Document::fresh_id`]), so pasted ids are never
/// reused, even if the paste is undone, nor shared with another peer's. Groups get fresh ids
/// too, so a pasted group is its own group.
pub fn paste_edit(
    fragment: &Board,
    offset: Point,
    mut fresh: impl FnMut() -> u64,
) -> (Edit, Vec<BlockId>) {
    let mut block_map: BTreeMap<BlockId, BlockId> = BTreeMap::new();
    let mut group_map: BTreeMap<u64, u64> = BTreeMap::new();
    let mut blocks = Vec::new();
    for b in fragment.blocks.values() {
        let id = BlockId(fresh());
        block_map.insert(b.id, id);
        let mut nb: Block = b.clone();
        nb.id = id;
        nb.rect = b.rect.translated(offset);
        nb.locked = false;
        nb.group = b
            .group
            .map(|g| *group_map.entry(g).or_insert_with(&mut fresh));
        blocks.push(nb);
    }
    let mut links = Vec::new();
    for l in fragment.links.values() {
        if let (Some(&from), Some(&to)) = (block_map.get(&l.from.block), block_map.get(&l.to.block))
        {
            let mut nl: Link = l.clone();
            nl.id = LinkId(fresh());
            nl.from.block = from;
            nl.to.block = to;
            links.push(nl);
        }
    }
    let ids = blocks.iter().map(|b| b.id).collect();
    (Edit::Insert { blocks, links }, ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rect;

    #[test]
    fn extract_keeps_only_inner_links_and_paste_remaps_ids() {
        let mut b = Board::default();
        let ids: Vec<BlockId> = (0..3).map(|_| b.alloc_block_id()).collect();
        for (i, id) in ids.iter().enumerate() {
            b.blocks.insert(
                *id,
                Block::new(
                    *id,
                    "service",
                    format!("S{i}"),
                    Rect::new(i as f32 * 200.0, 0.0, 100.0, 50.0),
                ),
            );
        }
        let l01 = b.alloc_link_id();
        b.links.insert(l01, Link::new(l01, ids[0], ids[1]));
        let l12 = b.alloc_link_id();
        b.links.insert(l12, Link::new(l12, ids[1], ids[2]));

        let frag = extract(&b, &[ids[0], ids[1]].into_iter().collect());
        assert_eq!(frag.blocks.len(), 2);
        assert_eq!(
            frag.links.len(),
            1,
            "the link to the unselected block stays behind"
        );

        let mut next = b.next_id;
        let (edit, new_ids) = paste_edit(&frag, Point::new(20.0, 20.0), || {
            next += 1;
            next - 1
        });
        let before = b.blocks.len();
        edit.apply(&mut b).expect("paste applies");
        assert_eq!(b.blocks.len(), before + 2);
        assert_eq!(b.links.len(), 3);
        assert!(new_ids.iter().all(|id| !ids.contains(id)), "fresh ids");
        let pasted_link = b.links.values().next_back().expect("link");
        assert!(
            new_ids.contains(&pasted_link.from.block) && new_ids.contains(&pasted_link.to.block)
        );
        assert_eq!(b.blocks[&new_ids[0]].rect.min(), Point::new(20.0, 20.0));
    }
}
