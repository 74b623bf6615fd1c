//! The board as a request graph: blocks that take part in the system (not text or frames), with
//! their roles and effective sizing, and links as edges in the direction requests travel.

use crate::model::{BlockId, Board, LinkId};
use crate::palette::{Palette, Role};
use std::collections::HashMap;

pub struct Node {
    pub id: BlockId,
    pub role: Role,
    pub kind: String,
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
        self.role == Role::Cache || self.kind == "cdn"
    }
}

pub struct Edge {
    pub to: usize,
    pub link: LinkId,
    pub share: Option<f32>,
}

/// Nodes in board order, with out- and in-edges by index.
pub struct Graph {
    pub nodes: Vec<Node>,
    pub index: HashMap<BlockId, usize>,
    pub out: Vec<Vec<Edge>>,
    pub inn: Vec<Vec<usize>>,
}

impl Graph {
    pub fn build(board: &Board, palette: &Palette) -> Self {
        let mut nodes = Vec::with_capacity(board.blocks.len());
        let mut index = HashMap::with_capacity(board.blocks.len());
        for block in board.blocks.values() {
            let kind = palette.kind_or_fallback(&block.kind);
            if kind.role == Role::Annotation || block.is_frame() || block.is_text() {
                continue;
            }
            index.insert(block.id, nodes.len());
            nodes.push(Node {
                id: block.id,
                role: kind.role,
                kind: block.kind.clone(),
                instances: block.props.instances.unwrap_or(kind.instances).max(1),
                capacity: block.props.capacity.unwrap_or(kind.capacity),
                replication: block.props.replication.unwrap_or(kind.replication).max(1),
            });
        }
        let mut out: Vec<Vec<Edge>> = (0..nodes.len()).map(|_| Vec::new()).collect();
        let mut inn: Vec<Vec<usize>> = (0..nodes.len()).map(|_| Vec::new()).collect();
        for link in board.links.values() {
            let (Some(&a), Some(&b)) = (index.get(&link.from.block), index.get(&link.to.block))
            else {
                continue;
            };
            // Clients start requests; an arrow into one (a push, a reply) carries no new load.
            if nodes[b].role == Role::Client {
                continue;
            }
            out[a].push(Edge {
                to: b,
                link: link.id,
                share: link.share,
            });
            inn[b].push(a);
        }
        Self {
            nodes,
            index,
            out,
            inn,
        }
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
