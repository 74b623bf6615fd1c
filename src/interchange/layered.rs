//! A layered (Sugiyama) layout: ranks along the flow, crossings reduced, even spacing, by the
//! `rust-sugiyama` crate. Mermaid imports use it, and so does Arrange → Tidy up.
//!
//! The crate lays out each connected part on its own; the parts are put side by side across
//! the flow, largest first, and nodes with no links at all go in a row after them.

use crate::model::Point;

/// Which way the arrows run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Flow {
    #[default]
    Down,
    Up,
    Right,
    Left,
}

/// The largest graph given to the crate (see [`layout`]).
const MAX_SUGIYAMA_NODES: usize = 200;
const MAX_SUGIYAMA_EDGES: usize = 400;

/// Space between nodes across the flow, and between ranks along it.
const GAP_ACROSS: f64 = 60.0;
const GAP_ALONG: f64 = 90.0;

/// The centre of each node (sizes `w × h`, in order), laid out along `flow`. Edges are index
/// pairs; self-loops and repeats are ignored, and cycles are broken by the layout.
pub fn layout(sizes: &[(f32, f32)], edges: &[(usize, usize)], flow: Flow) -> Vec<Point> {
    let n = sizes.len();
    let mut out = vec![Point::new(0.0, 0.0); n];
    if n == 0 {
        return out;
    }
    let across_of = |i: usize| -> f64 {
        let (w, h) = sizes[i];
        f64::from(if matches!(flow, Flow::Down | Flow::Up) {
            w
        } else {
            h
        })
    };
    let along_of = |i: usize| -> f64 {
        let (w, h) = sizes[i];
        f64::from(if matches!(flow, Flow::Down | Flow::Up) {
            h
        } else {
            w
        })
    };
    let mut pairs: Vec<(u32, u32)> = edges
        .iter()
        .filter(|(a, b)| a != b && *a < n && *b < n)
        .map(|(a, b)| (*a as u32, *b as u32))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut linked = vec![false; n];
    for (a, b) in &pairs {
        linked[*a as usize] = true;
        linked[*b as usize] = true;
    }
    // Every node is laid out at the largest size across the flow: the crate spaces by one size
    // per rank, and equal slots keep columns straight.
    let slot_across = (0..n).map(across_of).fold(0.0, f64::max) + GAP_ACROSS;
    let slot_along = (0..n).map(along_of).fold(0.0, f64::max) + GAP_ALONG;
    let vertices: Vec<(u32, (f64, f64))> = (0..n)
        .filter(|i| linked[*i])
        .map(|i| (i as u32, (slot_across, slot_along)))
        .collect();
    // The crate's crossing reduction grows steeply with long edges: a 500-node chart with two
    // random links a node took 5 s, 1,000 nodes 23 s. Past a size no hand-drawn chart reaches,
    // a linear layering keeps an import (or Tidy up) from hanging.
    if vertices.len() > MAX_SUGIYAMA_NODES || pairs.len() > MAX_SUGIYAMA_EDGES {
        return simple(n, &pairs, slot_across, slot_along, flow);
    }
    let config = rust_sugiyama::configure::Config {
        vertex_spacing: 0.0,
        ..Default::default()
    };
    // The crate is not built for hostile input; a panic in it must not take the app down.
    let parts = std::panic::catch_unwind(|| {
        rust_sugiyama::from_vertices_and_edges(&vertices, &pairs, &config)
    })
    .unwrap_or_default();

    let mut placed = vec![false; n];
    let mut offset = 0.0;
    let mut parts = parts;
    parts.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    for (nodes, _, _) in &parts {
        let min_x = nodes
            .iter()
            .map(|(_, (x, _))| *x)
            .fold(f64::INFINITY, f64::min);
        let max_x = nodes
            .iter()
            .map(|(_, (x, _))| *x)
            .fold(f64::NEG_INFINITY, f64::max);
        let min_y = nodes
            .iter()
            .map(|(_, (_, y))| *y)
            .fold(f64::INFINITY, f64::min);
        for (id, (x, y)) in nodes {
            let Some(i) = (*id < n).then_some(*id) else {
                continue;
            };
            // Ranks come out as multiples of the slot; snap to them so rows stay straight.
            let rank = ((y - min_y) / slot_along).round();
            let across = offset + (x - min_x);
            let along = rank * slot_along;
            out[i] = orient(across, along, flow);
            placed[i] = true;
        }
        if max_x.is_finite() {
            offset += (max_x - min_x) + slot_across;
        }
    }
    // Anything the crate did not place (unlinked nodes, or a layout that failed): a row.
    let mut row = 0.0;
    let along = if parts.is_empty() { 0.0 } else { -slot_along };
    for i in 0..n {
        if !placed[i] {
            out[i] = orient(offset + row, along, flow);
            row += slot_across;
        }
    }
    out
}

/// Longest-path layers in linear time (a node in a cycle goes one past the ranks it already
/// has placed before it), ordered in each rank by their predecessors' mean position.
fn simple(
    n: usize,
    pairs: &[(u32, u32)],
    slot_across: f64,
    slot_along: f64,
    flow: Flow,
) -> Vec<Point> {
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (a, b) in pairs {
        succ[*a as usize].push(*b as usize);
        pred[*b as usize].push(*a as usize);
        indegree[*b as usize] += 1;
    }
    let mut rank: Vec<Option<usize>> = vec![None; n];
    let mut ready: std::collections::VecDeque<usize> =
        (0..n).filter(|i| indegree[*i] == 0).collect();
    let mut left = n;
    let mut next_pick = 0;
    while left > 0 {
        let Some(v) = ready.pop_front().or_else(|| {
            // Only cycles remain: take the next unranked node in order.
            while next_pick < n && rank[next_pick].is_some() {
                next_pick += 1;
            }
            (next_pick < n).then_some(next_pick)
        }) else {
            break;
        };
        if rank[v].is_some() {
            continue;
        }
        let r = pred[v]
            .iter()
            .filter_map(|p| rank[*p])
            .map(|r| r + 1)
            .max()
            .unwrap_or(0);
        rank[v] = Some(r);
        left -= 1;
        for w in &succ[v] {
            indegree[*w] = indegree[*w].saturating_sub(1);
            if indegree[*w] == 0 && rank[*w].is_none() {
                ready.push_back(*w);
            }
        }
    }
    let ranks: Vec<usize> = rank.iter().map(|r| r.unwrap_or(0)).collect();
    let depth = ranks.iter().copied().max().unwrap_or(0) + 1;
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (i, r) in ranks.iter().enumerate() {
        layers[*r].push(i);
    }
    let mut slot = vec![0.0f64; n];
    for layer in &mut layers {
        let key = |i: usize| -> f64 {
            let placed: Vec<f64> = pred[i]
                .iter()
                .filter(|p| ranks[**p] < ranks[i])
                .map(|p| slot[*p])
                .collect();
            if placed.is_empty() {
                i as f64
            } else {
                placed.iter().sum::<f64>() / placed.len() as f64
            }
        };
        let mut keyed: Vec<(f64, usize)> = layer.iter().map(|i| (key(*i), *i)).collect();
        keyed.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        for (pos, (_, i)) in keyed.iter().enumerate() {
            slot[*i] = pos as f64;
        }
    }
    (0..n)
        .map(|i| orient(slot[i] * slot_across, ranks[i] as f64 * slot_along, flow))
        .collect()
}

fn orient(across: f64, along: f64, flow: Flow) -> Point {
    let (x, y) = match flow {
        Flow::Down => (across, along),
        Flow::Up => (across, -along),
        Flow::Right => (along, across),
        Flow::Left => (-along, across),
    };
    Point::new(x as f32, y as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_runs_along_the_flow_and_a_fork_spreads_across() {
        let sizes = vec![(120.0, 60.0); 4];
        // 0 → 1 → 2, 1 → 3
        let pos = layout(&sizes, &[(0, 1), (1, 2), (1, 3)], Flow::Right);
        assert!(pos[0].x < pos[1].x && pos[1].x < pos[2].x, "{pos:?}");
        assert!(
            (pos[2].x - pos[3].x).abs() < 1.0,
            "2 and 3 share a rank: {pos:?}"
        );
        assert!(
            (pos[2].y - pos[3].y).abs() >= 60.0,
            "and do not overlap: {pos:?}"
        );
        let down = layout(&sizes, &[(0, 1), (1, 2), (1, 3)], Flow::Down);
        assert!(down[0].y < down[1].y && down[1].y < down[2].y, "{down:?}");
    }

    #[test]
    fn a_big_dense_graph_is_laid_out_without_hanging_and_without_overlaps() {
        // 3,000 nodes, each linked to two others at random: the size that hung the crate.
        let n = 3_000;
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 33) as usize % n
        };
        let edges: Vec<(usize, usize)> = (0..n).flat_map(|i| [(i, next()), (i, next())]).collect();
        let start = web_time::Instant::now();
        let pos = layout(&vec![(120.0, 60.0); n], &edges, Flow::Right);
        // A hang guard, not a speed test (the fallback is linear).
        assert!(start.elapsed() < std::time::Duration::from_secs(30));
        let mut seen = std::collections::HashSet::new();
        for p in &pos {
            assert!(
                seen.insert((p.x as i64, p.y as i64)),
                "two nodes in one place: {p:?}"
            );
        }
    }

    #[test]
    fn cycles_loops_repeats_and_loners_all_get_places_that_do_not_overlap() {
        let sizes = vec![(100.0, 50.0); 6];
        let pos = layout(
            &sizes,
            &[(0, 1), (1, 2), (2, 0), (3, 3), (0, 1), (9, 1)],
            Flow::Down,
        );
        assert_eq!(pos.len(), 6);
        for i in 0..6 {
            for j in i + 1..6 {
                let apart =
                    (pos[i].x - pos[j].x).abs() >= 100.0 || (pos[i].y - pos[j].y).abs() >= 50.0;
                assert!(apart, "{i} and {j} overlap: {pos:?}");
            }
        }
    }
}
