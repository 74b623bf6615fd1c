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

/// Where a synthetic board puts its blocks and which blocks its links join.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// A grid, 100 a row; links join right and lower neighbours (short links only).
    #[default]
    Grid,
    /// Groups of 50 blocks packed in squares far apart, linked inside their group and, one link
    /// in ten, to another group: long links cross the view.
    Clusters,
    /// Blocks scattered over a square, linked at random: links of every length, crossing.
    Random,
}

/// A board of `blocks` labelled blocks on a grid (100 per row) and `links` labelled links between
/// near neighbours.
pub fn synthetic(blocks: usize, links: usize) -> Board {
    synthetic_with(blocks, links, Layout::Grid)
}

/// A small deterministic generator (SplitMix64), so every run makes the same board.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A synthetic board laid out as `layout` says.
pub fn synthetic_with(blocks: usize, links: usize, layout: Layout) -> Board {
    let mut board = Board::new(format!("Synthetic {blocks} blocks"));
    let mut rng = Rng(blocks as u64 ^ 0xA5A5);
    let side = ((blocks as f32).sqrt().ceil() * 220.0).max(220.0);
    const CLUSTER: usize = 50;
    let ids: Vec<BlockId> = (0..blocks)
        .map(|i| {
            let id = board.alloc_block_id();
            let kind = KINDS[i % KINDS.len()];
            let (x, y) = match layout {
                Layout::Grid => ((i % 100) as f32 * 220.0, (i / 100) as f32 * 140.0),
                Layout::Clusters => {
                    let (c, k) = (i / CLUSTER, i % CLUSTER);
                    // Clusters on a grid of their own, 3,000 units apart; 8 blocks a row inside.
                    let cx = (c % 30) as f32 * 3_000.0;
                    let cy = (c / 30) as f32 * 3_000.0;
                    (cx + (k % 8) as f32 * 220.0, cy + (k / 8) as f32 * 140.0)
                }
                Layout::Random => (
                    (rng.below(side as usize) / 20 * 20) as f32,
                    (rng.below(side as usize) / 20 * 20) as f32,
                ),
            };
            let rect = Rect::new(x, y, 160.0, 80.0);
            board
                .blocks
                .insert(id, Block::new(id, kind, format!("{kind} {i}"), rect));
            id
        })
        .collect();
    if ids.len() >= 2 {
        for n in 0..links {
            let i = n % ids.len();
            let j = match layout {
                // Alternate between the right neighbour and the one below, wrapping around.
                Layout::Grid => {
                    if (n / ids.len()).is_multiple_of(2) {
                        (i + 1) % ids.len()
                    } else {
                        (i + 100) % ids.len()
                    }
                }
                Layout::Clusters => {
                    if n % 10 == 9 {
                        rng.below(ids.len())
                    } else {
                        let base = i / CLUSTER * CLUSTER;
                        let size = CLUSTER.min(ids.len() - base);
                        base + rng.below(size)
                    }
                }
                Layout::Random => rng.below(ids.len()),
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

    #[test]
    fn clusters_and_random_boards_are_deterministic_and_have_long_links() {
        for layout in [Layout::Clusters, Layout::Random] {
            let a = synthetic_with(2_000, 2_000, layout);
            let b = synthetic_with(2_000, 2_000, layout);
            assert_eq!(a.blocks, b.blocks, "{layout:?}: the same board every time");
            assert_eq!(a.links, b.links);
            assert!(a.links.len() > 1_900, "{layout:?}: few self-links dropped");
            let long = a
                .links
                .values()
                .filter(|l| {
                    let (p, q) = (a.blocks[&l.from.block].rect, a.blocks[&l.to.block].rect);
                    (p.x - q.x).abs() + (p.y - q.y).abs() > 2_000.0
                })
                .count();
            assert!(long > 50, "{layout:?}: links that cross the view: {long}");
        }
        let grid = synthetic_with(2_000, 2_000, Layout::Grid);
        assert_eq!(
            grid.blocks,
            synthetic(2_000, 2_000).blocks,
            "grid is the old fixture"
        );
    }
}
