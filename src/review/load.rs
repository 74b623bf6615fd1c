//! Spreading the estimator's peak load from the clients along the links.
//!
//! Each block passes on what it receives: along links that name a share, that percentage; the
//! rest split evenly among its other outgoing links. When every link names a share and they add
//! up to less than 100 %, the block absorbs the remainder (a cache answering its hits). The
//! graph is walked in topological order, so a cycle can never loop: blocks on or after a cycle
//! get no number, and the cycle is reported.

use super::graph::Graph;
use crate::model::LinkId;
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Default)]
pub struct Load {
    /// Requests per second into each node; `None` on or after a cycle.
    pub node: Vec<Option<f64>>,
    pub link: HashMap<LinkId, f64>,
    /// One cycle's nodes, in order, if the graph has any.
    pub cycle: Option<Vec<usize>>,
    /// Nodes whose links' shares add up to more than 100 % (scaled down to 100 %).
    pub overshared: Vec<(usize, f64)>,
}

pub fn propagate(g: &Graph, entry_rps: f64) -> Load {
    let n = g.nodes.len();
    let clients: Vec<usize> = g.clients().collect();
    let mut load = vec![0.0; n];
    if !clients.is_empty() {
        let each = entry_rps / clients.len() as f64;
        for &c in &clients {
            load[c] = each;
        }
    }
    let mut indeg: Vec<usize> = g.inn.iter().map(Vec::len).collect();
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut done = vec![false; n];
    let mut result = Load {
        link: HashMap::with_capacity(g.out.iter().map(Vec::len).sum()),
        ..Load::default()
    };
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
        for e in edges {
            let pct = e.share.map_or(rest, |s| f64::from(s) * scale_named);
            let rps = load[i] * pct / 100.0;
            result.link.insert(e.link, rps);
            load[e.to] += rps;
            indeg[e.to] -= 1;
            if indeg[e.to] == 0 {
                queue.push_back(e.to);
            }
        }
    }
    result.node = (0..n).map(|i| done[i].then_some(load[i])).collect();
    if done.iter().any(|d| !d) {
        result.cycle = find_cycle(g, &done);
    }
    result
}

/// A cycle among the nodes the topological walk could not finish. Every such node has an
/// unfinished predecessor, so walking predecessors must revisit a node: that loop is a cycle.
fn find_cycle(g: &Graph, done: &[bool]) -> Option<Vec<usize>> {
    let start = done.iter().position(|d| !d)?;
    let mut order: Vec<usize> = Vec::new();
    let mut at: HashMap<usize, usize> = HashMap::new();
    let mut cur = start;
    loop {
        if let Some(&pos) = at.get(&cur) {
            let mut cycle = order[pos..].to_vec();
            // Walked backwards along edges: turn it into request order.
            cycle.reverse();
            return Some(cycle);
        }
        at.insert(cur, order.len());
        order.push(cur);
        cur = *g.inn[cur].iter().find(|&&p| !done[p])?;
    }
}
