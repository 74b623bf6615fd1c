//! Where things are: an R-tree of blocks and of links, and which links touch each block.
//!
//! A frame must cost what is on screen, not what is on the board: the painter, hit-testing and
//! the marquee ask this index for what lies in a rectangle instead of filtering every block.
//! The document keeps it up to date from the [`Changes`] each edit, undo, redo and peer's
//! update notes, so it is never rebuilt per frame and never disagrees with the board.
//!
//! Queries return exactly what a linear filter with [`Rect::intersects`] / [`Rect::contains`]
//! would: the tree only narrows the candidates, the same predicate decides.

use super::board::Board;
use super::changes::Changes;
use super::geom::{Point, Rect};
use super::ids::{BlockId, LinkId};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use std::collections::{BTreeSet, HashMap};

type Entry<T> = GeomWithData<Rectangle<[f32; 2]>, T>;

/// Past this share of the board changed at once, building the trees again beats editing them.
const REBUILD_SHARE: usize = 4;
/// Boards with this many links build their two trees on two threads.
const PARALLEL_FROM: usize = 10_000;

/// The blocks' tree and what each block was indexed with.
type BlockPart = (RTree<Entry<BlockId>>, HashMap<BlockId, Rect>);
/// The links' tree, what each link was indexed with, and the links of each block.
type LinkPart = (
    RTree<Entry<LinkId>>,
    HashMap<LinkId, (BlockId, BlockId, Rect)>,
    HashMap<BlockId, Touching>,
);

#[derive(Clone, Debug, Default)]
pub struct SpatialIndex {
    blocks: RTree<Entry<BlockId>>,
    links: RTree<Entry<LinkId>>,
    /// What each block was indexed with, to find its entry again when it moves.
    block_rects: HashMap<BlockId, Rect>,
    /// What each link was indexed with: its ends and the box the two blocks span.
    link_boxes: HashMap<LinkId, (BlockId, BlockId, Rect)>,
    /// Links with an end on each block: most blocks have one or two, kept inline rather than
    /// in an allocation of their own.
    touching: HashMap<BlockId, Touching>,
}

type Touching = smallvec::SmallVec<[LinkId; 2]>;

fn entry<T>(r: &Rect, data: T) -> Entry<T> {
    GeomWithData::new(
        Rectangle::from_corners([r.x, r.y], [r.x + r.w, r.y + r.h]),
        data,
    )
}

fn envelope(r: &Rect) -> AABB<[f32; 2]> {
    AABB::from_corners([r.x, r.y], [r.x + r.w, r.y + r.h])
}

/// The box a link's route stays near: the two blocks it joins, together.
fn link_box(board: &Board, from: BlockId, to: BlockId) -> Option<Rect> {
    Some(board.block(from)?.rect.union(&board.block(to)?.rect))
}

impl SpatialIndex {
    pub fn build(board: &Board) -> Self {
        // The two trees are independent: on a big board each takes tens of milliseconds, so
        // they are built side by side (opening a file waits for this).
        if board.links.len() < PARALLEL_FROM {
            let blocks = Self::build_blocks(board);
            return Self::from_parts(blocks, Self::build_links(board));
        }
        std::thread::scope(|scope| {
            let links =
                std::thread::Builder::new().spawn_scoped(scope, || Self::build_links(board));
            let blocks = Self::build_blocks(board);
            // Without a second thread (or if it failed), the links are indexed here.
            let links = links
                .ok()
                .and_then(|h| h.join().ok())
                .unwrap_or_else(|| Self::build_links(board));
            Self::from_parts(blocks, links)
        })
    }

    fn from_parts(blocks: BlockPart, links: LinkPart) -> Self {
        let (blocks, block_rects) = blocks;
        let (links, link_boxes, touching) = links;
        Self {
            blocks,
            links,
            block_rects,
            link_boxes,
            touching,
        }
    }

    fn build_blocks(board: &Board) -> BlockPart {
        let block_rects: HashMap<BlockId, Rect> =
            board.blocks.values().map(|b| (b.id, b.rect)).collect();
        let tree = RTree::bulk_load(block_rects.iter().map(|(id, r)| entry(r, *id)).collect());
        (tree, block_rects)
    }

    fn build_links(board: &Board) -> LinkPart {
        let mut link_boxes = HashMap::with_capacity(board.links.len());
        let mut touching: HashMap<BlockId, Touching> = HashMap::new();
        for l in board.links.values() {
            let Some(r) = link_box(board, l.from.block, l.to.block) else {
                continue;
            };
            link_boxes.insert(l.id, (l.from.block, l.to.block, r));
            touching.entry(l.from.block).or_default().push(l.id);
            if l.to.block != l.from.block {
                touching.entry(l.to.block).or_default().push(l.id);
            }
        }
        let tree = RTree::bulk_load(
            link_boxes
                .iter()
                .map(|(id, (_, _, r))| entry(r, *id))
                .collect(),
        );
        (tree, link_boxes, touching)
    }

    /// Brings the index up to date with `board` after the changes `changed` names. Links
    /// follow their blocks: a moved block moves the boxes of every link touching it.
    pub fn update(&mut self, board: &Board, changed: &Changes) {
        let many = (board.blocks.len() + board.links.len()) / REBUILD_SHARE;
        if changed.blocks.len() + changed.links.len() > many.max(64) {
            *self = Self::build(board);
            return;
        }
        let mut links: BTreeSet<LinkId> = changed.links.iter().copied().collect();
        for id in &changed.blocks {
            if let Some(old) = self.block_rects.remove(id) {
                self.blocks.remove(&entry(&old, *id));
            }
            if let Some(b) = board.block(*id) {
                self.blocks.insert(entry(&b.rect, *id));
                self.block_rects.insert(*id, b.rect);
            }
            if let Some(touching) = self.touching.get(id) {
                links.extend(touching.iter().copied());
            }
        }
        for id in links {
            if let Some((from, to, old)) = self.link_boxes.remove(&id) {
                self.links.remove(&entry(&old, id));
                for end in [from, to] {
                    if let Some(list) = self.touching.get_mut(&end) {
                        list.retain(|l| *l != id);
                        if list.is_empty() {
                            self.touching.remove(&end);
                        }
                    }
                }
            }
            let Some(l) = board.link(id) else { continue };
            let Some(r) = link_box(board, l.from.block, l.to.block) else {
                continue;
            };
            self.links.insert(entry(&r, id));
            self.link_boxes.insert(id, (l.from.block, l.to.block, r));
            self.touching.entry(l.from.block).or_default().push(id);
            if l.to.block != l.from.block {
                self.touching.entry(l.to.block).or_default().push(id);
            }
        }
    }

    /// Blocks whose rectangle intersects `r`, in no particular order.
    pub fn blocks_in(&self, r: Rect) -> impl Iterator<Item = BlockId> + '_ {
        self.blocks
            .locate_in_envelope_intersecting(envelope(&r))
            .filter(move |e| {
                self.block_rects
                    .get(&e.data)
                    .is_some_and(|b| b.intersects(&r))
            })
            .map(|e| e.data)
    }

    /// Blocks whose rectangle contains `p`.
    pub fn blocks_at(&self, p: Point) -> impl Iterator<Item = BlockId> + '_ {
        self.blocks_in(Rect::new(p.x, p.y, 0.0, 0.0))
            .filter(move |id| self.block_rects.get(id).is_some_and(|b| b.contains(p)))
    }

    /// Links whose two blocks together span a box intersecting `r`. A route can leave that box
    /// by its elbow stubs and fan-out offset, so callers widen `r` by that much.
    pub fn links_in(&self, r: Rect) -> impl Iterator<Item = LinkId> + '_ {
        self.links
            .locate_in_envelope_intersecting(envelope(&r))
            .filter(move |e| {
                self.link_boxes
                    .get(&e.data)
                    .is_some_and(|(_, _, b)| b.intersects(&r))
            })
            .map(|e| e.data)
    }

    /// Links with an end on `block`.
    pub fn links_of(&self, block: BlockId) -> &[LinkId] {
        self.touching.get(&block).map_or(&[], |t| t.as_slice())
    }

    /// The rectangle all blocks span ([`Board::bounds`]), without visiting every block.
    pub fn bounds(&self) -> Option<Rect> {
        if self.block_rects.is_empty() {
            return None;
        }
        let e = self.blocks.root().envelope();
        let (lo, hi) = (e.lower(), e.upper());
        Some(Rect::new(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]))
    }

    pub fn block_count(&self) -> usize {
        self.block_rects.len()
    }

    pub fn link_count(&self) -> usize {
        self.link_boxes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Document, Edit, Link};

    fn block(id: u64, x: f32, y: f32) -> Block {
        Block::new(BlockId(id), "box", "", Rect::new(x, y, 100.0, 50.0))
    }

    #[test]
    fn finds_what_a_rectangle_covers_and_follows_a_move() {
        let mut board = Board::default();
        for (id, x) in [(1, 0.0), (2, 500.0), (3, 1000.0)] {
            board.blocks.insert(BlockId(id), block(id, x, 0.0));
        }
        board
            .links
            .insert(LinkId(4), Link::new(LinkId(4), BlockId(1), BlockId(3)));
        board.next_id = 5;
        let mut doc = Document::new(board);
        let near = |doc: &Document, r: Rect| {
            let mut v: Vec<u64> = doc.index().blocks_in(r).map(|b| b.0).collect();
            v.sort();
            v
        };
        assert_eq!(near(&doc, Rect::new(450.0, 0.0, 100.0, 10.0)), vec![2]);
        // The link spans from the first block to the third, so it crosses the middle.
        let links: Vec<LinkId> = doc
            .index()
            .links_in(Rect::new(450.0, 0.0, 10.0, 10.0))
            .collect();
        assert_eq!(links, vec![LinkId(4)]);
        doc.apply(Edit::Move {
            blocks: vec![BlockId(3)],
            delta: Point::new(-1000.0, 0.0),
        })
        .expect("move");
        assert!(
            doc.index()
                .links_in(Rect::new(450.0, 0.0, 10.0, 10.0))
                .next()
                .is_none(),
            "the link followed its block"
        );
        assert_eq!(near(&doc, Rect::new(0.0, 0.0, 10.0, 10.0)), vec![1, 3]);
        doc.undo();
        assert_eq!(near(&doc, Rect::new(0.0, 0.0, 10.0, 10.0)), vec![1]);
        assert_eq!(doc.index().links_of(BlockId(3)), &[LinkId(4)]);
    }
}
