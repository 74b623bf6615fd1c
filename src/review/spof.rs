//! Single points of failure: blocks that every path from the clients to a data store passes
//! through, and that one failure takes down.
//!
//! "Every path passes through X" is X dominating the store in the request graph, with one
//! virtual root in front of all clients. Dominators come from the iterative algorithm of Cooper,
//! Harvey and Kennedy ("A Simple, Fast Dominance Algorithm"), linear in practice.

use super::graph::Graph;
use crate::palette::Role;

/// (single point of failure, a data store it cuts off), one entry per block, in node order.
pub fn single_points(g: &Graph) -> Vec<(usize, usize)> {
    let n = g.nodes.len();
    let root = n;
    let clients: Vec<usize> = g.clients().collect();
    let succ = |v: usize| -> Vec<usize> {
        if v == root {
            clients.clone()
        } else {
            g.out[v].iter().map(|e| e.to).collect()
        }
    };
    // Post-order numbers by an iterative depth-first search from the root.
    let mut post = vec![usize::MAX; n + 1];
    let mut order: Vec<usize> = Vec::with_capacity(n + 1);
    let mut visited = vec![false; n + 1];
    let mut stack: Vec<(usize, Vec<usize>, usize)> = vec![(root, succ(root), 0)];
    visited[root] = true;
    while let Some((v, next, i)) = stack.last_mut() {
        if let Some(&w) = next.get(*i) {
            *i += 1;
            if !visited[w] {
                visited[w] = true;
                let s = succ(w);
                stack.push((w, s, 0));
            }
        } else {
            post[*v] = order.len();
            order.push(*v);
            stack.pop();
        }
    }
    let mut idom = vec![usize::MAX; n + 1];
    idom[root] = root;
    let preds = |v: usize| -> Vec<usize> {
        let mut p = g.inn[v].to_vec();
        if g.nodes[v].role == Role::Client {
            p.push(root);
        }
        p
    };
    let intersect = |idom: &[usize], mut a: usize, mut b: usize| {
        while a != b {
            while post[a] < post[b] {
                a = idom[a];
            }
            while post[b] < post[a] {
                b = idom[b];
            }
        }
        a
    };
    let mut changed = true;
    while changed {
        changed = false;
        // Reverse post-order, skipping the root.
        for &v in order.iter().rev().skip(1) {
            let mut new = usize::MAX;
            for p in preds(v) {
                if idom[p] == usize::MAX {
                    continue;
                }
                new = if new == usize::MAX {
                    p
                } else {
                    intersect(&idom, p, new)
                };
            }
            if new != usize::MAX && idom[v] != new {
                idom[v] = new;
                changed = true;
            }
        }
    }
    let mut found: Vec<Option<usize>> = vec![None; n];
    for d in g.stores() {
        if idom[d] == usize::MAX {
            continue; // not reachable from any client
        }
        let mut x = idom[d];
        while x != root {
            let node = &g.nodes[x];
            // Stores are judged by their own replication; clients are the users themselves.
            if node.role != Role::Client && node.role != Role::Store && node.single() {
                found[x].get_or_insert(d);
            }
            x = idom[x];
        }
    }
    found
        .into_iter()
        .enumerate()
        .filter_map(|(x, d)| d.map(|d| (x, d)))
        .collect()
}
