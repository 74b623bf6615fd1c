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
