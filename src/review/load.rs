//! Spreading the estimator's peak load from the clients along the links.
//!
//! Each block passes on what it receives: along links that name a share, that percentage; the
//! rest split evenly among its other outgoing links. When every link names a share and they add
//! up to less than 100 %, the block absorbs the remainder (a cache answering its hits).
//!
//! A loop (workers pushing results back to the gateways that fed them) would count the same
//! requests again and again. A depth-first search from the clients finds the links that close a
//! loop; they carry their share, shown on the link, but it is not fed back into the loop. The
//! rest is a DAG walked in topological order, so nothing can loop forever, and each loop is
//! reported.

use super::graph::Graph;
use crate::model::LinkId;
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Default)]
pub struct Load {
    /// Requests per second into each node.
    pub node: Vec<Option<f64>>,
    pub link: HashMap<LinkId, f64>,
    /// Loops found, each as its nodes in request order (at most a few are kept).
    pub cycles: Vec<Vec<usize>>,
    /// Nodes whose links' shares add up to more than 100 % (scaled down to 100 %).
    pub overshared: Vec<(usize, f64)>,
}

const MAX_CYCLES: usize = 20;

pub fn propagate(g: &Graph, entry_rps: f64) -> Load {
    let n = g.nodes.len();
    let clients: Vec<usize> = g.clients().collect();
    let (back, cycles) = back_edges(g, &clients);
    let mut load = vec![0.0; n];
    if !clients.is_empty() {
        let each = entry_rps / clients.len() as f64;
        for &c in &clients {
            load[c] = each;
        }
    }
    let mut indeg = vec![0usize; n];
    for (i, edges) in g.out.iter().enumerate() {
        for (k, e) in edges.iter().enumerate() {
            if !back[g.out.offset(i) + k] {
                indeg[e.to] += 1;
            }
        }
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut result = Load {
        link: HashMap::with_capacity(g.out.total()),
        cycles,
        ..Load::default()
    };
    let mut done = vec![false; n];
    while let Some(i) = queue.pop_front() {
        done[i] = true;
        let edges = &g.out[i];
        if edges.is_empty() {
            continue;
        }
        let named: f64 = edges.iter().filter_map(|e| e.share).map(f64::from).sum();
        let unnamed = edges.iter().filter(|e| e.share.is_none()).count();
        let scale_named = if named > 100.0 {
            result.overshared.push((i, named));
            100.0 / named
        } else {
            1.0
        };
        let rest = if unnamed > 0 {
            (100.0 - named).max(0.0) / unnamed as f64
        } else {
            0.0
        };
        for (k, e) in edges.iter().enumerate() {
            let pct = e.share.map_or(rest, |s| f64::from(s) * scale_named);
            let rps = load[i] * pct / 100.0;
            result.link.insert(e.link, rps);
            if back[g.out.offset(i) + k] {
                continue;
            }
            load[e.to] += rps;
            indeg[e.to] -= 1;
            if indeg[e.to] == 0 {
                queue.push_back(e.to);
            }
        }
    }
    result.node = (0..n).map(|i| done[i].then_some(load[i])).collect();
    result
}

/// Marks the links that close a loop (`back[g.out.offset(node) + edge]`), searching from the clients first so
/// that the links pointing back towards them are the ones set aside, and returns some loops.
fn back_edges(g: &Graph, clients: &[usize]) -> (Vec<bool>, Vec<Vec<usize>>) {
    let n = g.nodes.len();
    let mut back = vec![false; g.out.total()];
    let mut cycles = Vec::new();
    // 0 = not seen, 1 = on the current path, 2 = finished.
    let mut state = vec![0u8; n];
    let starts = clients.iter().copied().chain(0..n);
    for s in starts {
        if state[s] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(s, 0)];
        state[s] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(e) = g.out[v].get(*k) {
                let edge = *k;
                *k += 1;
                match state[e.to] {
                    0 => {
                        state[e.to] = 1;
                        stack.push((e.to, 0));
                    }
                    1 => {
                        back[g.out.offset(v) + edge] = true;
                        if cycles.len() < MAX_CYCLES
                            && let Some(pos) = stack.iter().position(|(x, _)| *x == e.to)
                        {
                            cycles.push(stack[pos..].iter().map(|(x, _)| *x).collect());
                        }
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    (back, cycles)
}
