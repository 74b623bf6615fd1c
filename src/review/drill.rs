//! The failure drill: mark blocks failed and see which client-to-data-store paths are lost.
//!
//! Failing a block fails one of its instances. A block with one instance (or a store with one
//! copy) goes down, and paths through it are lost unless another path exists; a block with more
//! instances keeps serving on the others, so paths through it survive through its replicas.

use super::graph::Graph;
use crate::model::{BlockId, Board};
use crate::palette::Palette;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Survival {
    /// Another route avoids every failed block.
    Alternative,
    /// The failed block has other instances (or copies) that carry on.
    Replicas(BlockId),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drill {
    /// (client, store) pairs that can no longer be reached.
    pub lost: Vec<(BlockId, BlockId)>,
    /// Pairs a failed block was on, that still work, and how.
    pub survived: Vec<(BlockId, BlockId, Survival)>,
    /// Pairs no failed block was on.
    pub untouched: usize,
    /// Failed blocks that are down (their only instance failed).
    pub down: BTreeSet<BlockId>,
    /// Failed blocks that lost one instance of several.
    pub degraded: BTreeSet<BlockId>,
}

pub fn drill(board: &Board, palette: &Palette, failed: &BTreeSet<BlockId>) -> Drill {
    let g = Graph::build(board, palette);
    let n = g.nodes.len();
    let mut out = Drill::default();
    let mut is_failed = vec![false; n];
    let mut is_down = vec![false; n];
    for id in failed {
        let Some(i) = g.node_of(*id) else {
            continue;
        };
        is_failed[i] = true;
        if g.nodes[i].single() {
            is_down[i] = true;
            out.down.insert(*id);
        } else {
            out.degraded.insert(*id);
        }
    }
    let failed_idx: Vec<usize> = (0..n).filter(|&i| is_failed[i]).collect();
    let none = vec![false; n];
    // What each failed block leads to (itself included): a pair is touched when a failed block
    // lies between its client and its store.
    let downstream: Vec<Vec<bool>> = failed_idx.iter().map(|&f| g.reach(&[f], &none)).collect();
    let stores: Vec<usize> = g.stores().collect();
    for c in g.clients() {
        let all = g.reach(&[c], &none);
        let without_down = g.reach(&[c], &is_down);
        let without_failed = g.reach(&[c], &is_failed);
        for &d in &stores {
            if !all[d] {
                continue;
            }
            let on_path: Vec<usize> = failed_idx
                .iter()
                .zip(&downstream)
                .filter(|(f, reach)| all[**f] && reach[d])
                .map(|(f, _)| *f)
                .collect();
            let pair = (g.nodes[c].id, g.nodes[d].id);
            if on_path.is_empty() {
                out.untouched += 1;
            } else if !without_down[d] {
                out.lost.push(pair);
            } else if without_failed[d] {
                out.survived.push((pair.0, pair.1, Survival::Alternative));
            } else {
                let replica = on_path
                    .iter()
                    .copied()
                    .find(|&f| !is_down[f])
                    .map_or(pair.1, |f| g.nodes[f].id);
                out.survived
                    .push((pair.0, pair.1, Survival::Replicas(replica)));
            }
        }
    }
    out
}
