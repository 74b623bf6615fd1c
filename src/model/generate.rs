//! Synthetic boards for benchmarks and stress tests: deterministic, realistic in shape.

use super::block::Block;
use super::board::Board;
use super::geom::Rect;
use super::ids::BlockId;
use super::link::{Link, LinkStyle};

const KINDS: &[&str] = &[
    "client",
    "cdn",
    "load_balancer",
    "api_gateway",
    "service",
    "cache",
    "database",
    "queue",
    "worker",
    "object_storage",
];

/// A board of `blocks` labelled blocks on a grid (100 per row) and `links` labelled links between
/// near neighbours.
pub fn synthetic(blocks: usize, links: usize) -> Board {
    let mut board = Board::new(format!("Synthetic {blocks} blocks"));
    let ids: Vec<BlockId> = (0..blocks)
        .map(|i| {
            let id = board.alloc_block_id();
            let kind = KINDS[i % KINDS.len()];
            let rect = Rect::new(
                (i % 100) as f32 * 220.0,
                (i / 100) as f32 * 140.0,
                160.0,
                80.0,
            );
            board
                .blocks
                .insert(id, Block::new(id, kind, format!("{kind} {i}"), rect));
            id
        })
        .collect();
    if ids.len() >= 2 {
        for n in 0..links {
            let i = n % ids.len();
            // Alternate between the right neighbour and the one below, wrapping around.
            let j = if (n / ids.len()).is_multiple_of(2) {
                (i + 1) % ids.len()
            } else {
                (i + 100) % ids.len()
            };
            if i == j {
                continue;
            }
            let id = board.alloc_link_id();
            let mut link = Link::new(id, ids[i], ids[j]);
            link.label = format!("call {n}");
            if n % 3 == 0 {
                link.style = LinkStyle::Async;
            }
            board.links.insert(id, link);
        }
    }
    board
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_board_is_sized_and_every_link_joins_two_blocks() {
        let b = synthetic(1_000, 1_000);
        assert_eq!(b.blocks.len(), 1_000);
        assert_eq!(b.links.len(), 1_000);
        for l in b.links.values() {
            assert!(b.block(l.from.block).is_some() && b.block(l.to.block).is_some());
            assert_ne!(l.from.block, l.to.block);
        }
    }
}
