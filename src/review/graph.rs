//! The board as a request graph: blocks that take part in the system (not text or frames), with
//! their roles and effective sizing, and links as edges in the direction requests travel.

use crate::model::{BlockId, Board, LinkId};
use crate::palette::{Palette, Role};
use std::collections::HashMap;
use std::sync::Arc;

pub struct Node {
    pub id: BlockId,
    pub role: Role,
    /// The kind's id, shared by every node of that kind (a board of 100,000 blocks has a few
    /// dozen kinds).
    pub kind: Arc<str>,
    pub instances: u32,
    pub capacity: f64,
    pub replication: u32,
}

impl Node {
    /// Total requests per second all instances handle; `None` when the kind is not sized.
    pub fn capacity_total(&self) -> Option<f64> {
        (self.capacity > 0.0).then(|| self.capacity * f64::from(self.instances))
    }

    /// One failure takes it down: a single instance, holding the only copy (for stores).
    pub fn single(&self) -> bool {
        self.instances <= 1 && (self.role != Role::Store || self.replication <= 1)
    }

    /// Serves reads from memory or the edge, sparing what is behind it.
    pub fn caches(&self) -> bool {
        self.role == Role::Cache || &*self.kind == "cdn"
    }
}

pub struct Edge {
    pub to: usize,
    pub link: LinkId,
    pub share: Option<f32>,
}

/// Each node's list of items, all in one vector: `start[i]..start[i + 1]` are node `i`'s. A vector
/// per node would cost an allocation and 24 bytes for each of 100,000 nodes.
pub struct Adjacency<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Adjacency<T> {
    /// Lists for `n` nodes from (node, item) pairs, each node's items in the order given.
    fn build(n: usize, pairs: Vec<(usize, T)>) -> Self {
        let mut start = vec![0u32; n + 1];
        for (i, _) in &pairs {
            start[i + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut next: Vec<u32> = start[..n].to_vec();
        let mut slots: Vec<Option<T>> = (0..pairs.len()).map(|_| None).collect();
        for (i, item) in pairs {
            slots[next[i] as usize] = Some(item);
            next[i] += 1;
        }
        Self {
            start,
            items: slots.into_iter().flatten().collect(),
        }
    }

    /// Where node `i`'s items begin among all items: a flat index for per-item marks.
    pub fn offset(&self, i: usize) -> usize {
        self.start[i] as usize
    }

    /// Every item of every node.
    pub fn total(&self) -> usize {
        self.items.len()
    }

    /// Each node's items, in node order.
    pub fn iter(&self) -> impl Iterator<Item = &[T]> + '_ {
        (0..self.start.len() - 1).map(|i| &self[i])
    }
}

impl<T> std::ops::Index<usize> for Adjacency<T> {
    type Output = [T];
    fn index(&self, i: usize) -> &[T] {
        &self.items[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// Nodes in board order (so by id), with out- and in-edges by index.
pub struct Graph {
    pub nodes: Vec<Node>,
    pub out: Adjacency<Edge>,
    pub inn: Adjacency<usize>,
}

impl Graph {
    pub fn build(board: &Board, palette: &Palette) -> Self {
        let mut nodes: Vec<Node> = Vec::with_capacity(board.blocks.len());
        let mut kinds: HashMap<&str, Arc<str>> = HashMap::new();
        for block in board.blocks.values() {
            let kind = palette.kind_or_fallback(&block.kind);
            if kind.role == Role::Annotation
                || block.is_frame()
                || block.is_text()
                || block.is_ink()
            {
                continue;
            }
            nodes.push(Node {
                id: block.id,
                role: kind.role,
                kind: Arc::clone(
                    kinds
                        .entry(block.kind.as_str())
                        .or_insert_with(|| Arc::from(block.kind.as_str())),
                ),
                instances: block.props.instances.unwrap_or(kind.instances).max(1),
                capacity: block.props.capacity.unwrap_or(kind.capacity),
                replication: block.props.replication.unwrap_or(kind.replication).max(1),
            });
        }
        let mut out = Vec::new();
        let mut inn = Vec::new();
        for link in board.links.values() {
            let find = |id| nodes.binary_search_by_key(&id, |n: &Node| n.id).ok();
            let (Some(a), Some(b)) = (find(link.from.block), find(link.to.block)) else {
                continue;
            };
            // Clients start requests; an arrow into one (a push, a reply) carries no new load.
            if nodes[b].role == Role::Client {
                continue;
            }
            out.push((
                a,
                Edge {
                    to: b,
                    link: link.id,
                    share: link.share,
                },
            ));
            inn.push((b, a));
        }
        let n = nodes.len();
        Self {
            nodes,
            out: Adjacency::build(n, out),
            inn: Adjacency::build(n, inn),
        }
    }

    /// The node of block `id`, if it takes part. Nodes are in id order (the board's blocks
    /// are kept sorted), so a search finds it without a map of 100,000 entries.
    pub fn node_of(&self, id: BlockId) -> Option<usize> {
        self.nodes.binary_search_by_key(&id, |n| n.id).ok()
    }

    pub fn clients(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].role == Role::Client)
    }

    pub fn stores(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].role == Role::Store)
    }

    /// Nodes reachable from `starts` without entering any node `blocked` marks.
    pub fn reach(&self, starts: &[usize], blocked: &[bool]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = Vec::new();
        for &s in starts {
            if !blocked.get(s).copied().unwrap_or(false) && !seen[s] {
                seen[s] = true;
                stack.push(s);
            }
        }
        while let Some(n) = stack.pop() {
            for e in &self.out[n] {
                if !seen[e.to] && !blocked.get(e.to).copied().unwrap_or(false) {
                    seen[e.to] = true;
                    stack.push(e.to);
                }
            }
        }
        seen
    }
}
