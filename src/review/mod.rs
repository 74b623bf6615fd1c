//! The design review: what an interviewer would ask of the board, computed from it.
//!
//! Headless and pure: (board, palette, lenses) in, numbers and findings out. The app recomputes
//! it when the board changes, not every frame; a 10,000-block board takes a few milliseconds.

pub mod drill;
pub mod estimator;
mod graph;
pub mod load;
mod spof;

pub use drill::{Drill, Survival, drill};
pub use estimator::{Estimate, Output, Unit, estimate, human};

use crate::lens::LensLibrary;
use crate::model::{BlockId, Board, LinkId};
use crate::palette::{Palette, Role};
use graph::Graph;
use std::collections::HashMap;

/// Utilisation above which a block is drawn amber, and above which it is a bottleneck.
pub const AMBER: f64 = 0.7;
pub const RED: f64 = 1.0;
/// At most this many findings of one kind are listed; the rest are counted. A long list is
/// noise to a reader (and costs the panel every frame).
pub const MAX_PER_KIND: usize = 25;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    SinglePoint,
    Unreplicated,
    Bottleneck,
    Overshared,
    NoCache,
    NoConsumer,
    UnlabelledLink,
    Uncovered,
}

impl FindingKind {
    /// Risks come first; gaps are what a strong candidate also covers.
    pub fn is_risk(self) -> bool {
        matches!(
            self,
            FindingKind::SinglePoint | FindingKind::Unreplicated | FindingKind::Bottleneck
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Block(BlockId),
    Link(LinkId),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub target: Target,
    pub text: String,
    /// The lens item (`lens/item`) that addresses it.
    pub lens: Option<String>,
}

/// Load on one block against what it can take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BlockLoad {
    pub rps: f64,
    /// All instances together; `None` when the kind is not sized.
    pub capacity: Option<f64>,
    pub instances: u32,
    pub replication: u32,
}

impl BlockLoad {
    pub fn utilisation(&self) -> Option<f64> {
        self.capacity.filter(|c| *c > 0.0).map(|c| self.rps / c)
    }
}

#[derive(Debug, Default)]
pub struct Review {
    pub load: HashMap<BlockId, BlockLoad>,
    pub link_rps: HashMap<LinkId, f64>,
    pub findings: Vec<Finding>,
    /// Findings left out of `findings` beyond [`MAX_PER_KIND`], per kind.
    pub more: HashMap<FindingKind, usize>,
    pub has_clients: bool,
    /// Loops in the request graph, as block ids in request order: their closing link's load
    /// is shown but not counted again.
    pub cycles: Vec<Vec<BlockId>>,
}

impl Review {
    pub fn findings_for(&self, id: BlockId) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.target == Target::Block(id))
    }

    /// (risks, gaps) in all, counting those left out of the list.
    pub fn counts(&self) -> (usize, usize) {
        let all = self
            .findings
            .iter()
            .map(|f| (f.kind, 1))
            .chain(self.more.iter().map(|(k, n)| (*k, *n)));
        all.fold((0, 0), |(risks, gaps), (kind, n)| {
            if kind.is_risk() {
                (risks + n, gaps)
            } else {
                (risks, gaps + n)
            }
        })
    }
}

/// Reviews the board: load along the links, single points of failure, bottlenecks and gaps.
pub fn review(board: &Board, palette: &Palette, lenses: &LensLibrary) -> Review {
    let g = Graph::build(board, palette);
    let est = estimate(&board.estimate);
    let load = load::propagate(&g, est.peak_rps());
    let mut r = Review {
        has_clients: g.clients().next().is_some(),
        cycles: load
            .cycles
            .iter()
            .map(|c| c.iter().map(|&i| g.nodes[i].id).collect())
            .collect(),
        link_rps: load.link.clone(),
        ..Review::default()
    };
    let name = |i: usize| block_name(board, g.nodes[i].id);
    // Counting per kind and formatting only what is listed keeps a board with thousands of
    // findings (a generated one) cheap.
    let mut listed: HashMap<FindingKind, usize> = HashMap::new();
    let mut add = |r: &mut Review,
                   kind: FindingKind,
                   target: Target,
                   lens: Option<&str>,
                   text: &dyn Fn() -> String| {
        let n = listed.entry(kind).or_default();
        if *n < MAX_PER_KIND {
            *n += 1;
            r.findings.push(Finding {
                kind,
                target,
                text: text(),
                lens: lens.map(str::to_owned),
            });
        } else {
            *r.more.entry(kind).or_default() += 1;
        }
    };
    for (i, node) in g.nodes.iter().enumerate() {
        if let Some(rps) = load.node[i] {
            r.load.insert(
                node.id,
                BlockLoad {
                    rps,
                    capacity: node.capacity_total(),
                    instances: node.instances,
                    replication: node.replication,
                },
            );
        }
    }

    for (x, store) in spof::single_points(&g) {
        let node = &g.nodes[x];
        add(
            &mut r,
            FindingKind::SinglePoint,
            Target::Block(node.id),
            Some(match node.role {
                Role::Balancer if node.kind == "load_balancer" => "load_balancer/redundancy",
                _ => "any/spof",
            }),
            &|| {
                format!(
                    "{} is a single point of failure: one instance, and every path from the clients to {} goes through it",
                    name(x),
                    name(store)
                )
            },
        );
    }
    for d in g.stores() {
        let node = &g.nodes[d];
        if node.single() {
            add(
                &mut r,
                FindingKind::Unreplicated,
                Target::Block(node.id),
                Some(if node.kind == "object_storage" {
                    "object_storage/durability"
                } else {
                    "database/replication"
                }),
                &|| {
                    format!(
                        "{} keeps a single copy of its data: losing the machine loses the data",
                        name(d)
                    )
                },
            );
        }
    }
    for (i, node) in g.nodes.iter().enumerate() {
        let (Some(rps), Some(cap)) = (load.node[i], node.capacity_total()) else {
            continue;
        };
        if cap > 0.0 && rps > cap * RED {
            add(
                &mut r,
                FindingKind::Bottleneck,
                Target::Block(node.id),
                Some("any/bottleneck"),
                &|| {
                    format!(
                        "{} is over capacity: {} at peak against {} ({} × {})",
                        name(i),
                        human(rps, Unit::PerSecond),
                        human(cap, Unit::PerSecond),
                        node.instances,
                        human(node.capacity, Unit::PerSecond)
                    )
                },
            );
        }
    }
    for &(i, pct) in &load.overshared {
        add(
            &mut r,
            FindingKind::Overshared,
            Target::Block(g.nodes[i].id),
            Some("any/bottleneck"),
            &|| {
                format!(
                    "The shares on {}'s outgoing links add up to {pct:.0} %; they were scaled to 100 %",
                    name(i)
                )
            },
        );
    }
    if est.read_heavy() {
        // A store is covered when a cache (or CDN) sits in front of it, or when something in
        // front of it also reads through a cache (cache-aside: the service calls both). One
        // search from all of those covers every store at once.
        let fronts: Vec<usize> = (0..g.nodes.len())
            .filter(|&i| g.nodes[i].caches() || g.out[i].iter().any(|e| g.nodes[e.to].caches()))
            .collect();
        let none = vec![false; g.nodes.len()];
        let covered = g.reach(&fronts, &none);
        let clients: Vec<usize> = g.clients().collect();
        let reached = g.reach(&clients, &none);
        for d in g.stores() {
            if reached[d] && !covered[d] {
                add(
                    &mut r,
                    FindingKind::NoCache,
                    Target::Block(g.nodes[d].id),
                    Some("cache/where"),
                    &|| {
                        format!(
                            "Reads reach {} with no cache on the way, in a read-heavy system ({}:1)",
                            name(d),
                            board.estimate.reads_per_write
                        )
                    },
                );
            }
        }
    }
    for (i, node) in g.nodes.iter().enumerate() {
        if node.role == Role::Queue && g.out[i].is_empty() {
            add(
                &mut r,
                FindingKind::NoConsumer,
                Target::Block(node.id),
                Some("queue/consumers"),
                &|| {
                    format!(
                        "Nothing consumes {}: draw the workers that read it",
                        name(i)
                    )
                },
            );
        }
    }
    for link in board.links.values() {
        let both_in =
            g.index.contains_key(&link.from.block) && g.index.contains_key(&link.to.block);
        if both_in && link.label.trim().is_empty() {
            add(
                &mut r,
                FindingKind::UnlabelledLink,
                Target::Link(link.id),
                Some("api/contract"),
                &|| {
                    format!(
                        "The link from {} to {} has no label: say what travels on it",
                        block_name(board, link.from.block),
                        block_name(board, link.to.block)
                    )
                },
            );
        }
    }
    for block in board.blocks.values() {
        let kind = palette.kind_or_fallback(&block.kind);
        if !g.index.contains_key(&block.id) || kind.lens.is_empty() {
            continue;
        }
        if lenses.coverage(block, &kind.lens).0 == 0 {
            add(
                &mut r,
                FindingKind::Uncovered,
                Target::Block(block.id),
                // The lens's first question is where a deep dive starts.
                lenses.keys_for(&kind.lens).first().map(String::as_str),
                &|| {
                    format!(
                        "{} has no deep-dive question covered yet",
                        block_name(board, block.id)
                    )
                },
            );
        }
    }
    r.findings.sort_by_key(|f| f.kind);
    r
}

/// A block as findings name it: its label in quotes (`"Postgres"`), or its kind when unlabelled.
pub fn block_name(board: &Board, id: BlockId) -> String {
    match board.block(id) {
        Some(b) if !b.label.trim().is_empty() => {
            let label: String = b.label.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = label.chars().take(40).collect();
            format!("\"{short}\"")
        }
        Some(b) => b.kind.replace('_', " "),
        None => format!("block #{}", id.0),
    }
}

#[cfg(test)]
mod tests;
