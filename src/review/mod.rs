//! The design review: what an interviewer would ask of the board, computed from it.
//!
//! Headless and pure: (board, palette, lenses) in, numbers and findings out. The app recomputes
//! it when the board changes, not every frame; a 10,000-block board takes a few milliseconds.

mod cards;
pub mod drill;
pub mod entities;
pub mod estimator;
pub mod graph;
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
    /// The data model: a store without entities, an entity in no store, a partition key that
    /// is not a field.
    DataModel,
    /// The requirements and the API: a target without a number, an endpoint no service
    /// serves or whose entity is not on the board.
    Interview,
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
    let mut f = Findings {
        board,
        g: &g,
        review: r,
        listed: HashMap::new(),
    };
    f.single_points();
    f.unreplicated();
    f.bottlenecks(&load);
    f.overshared(&load);
    if est.read_heavy() {
        f.missing_caches();
    }
    f.unconsumed_queues();
    f.unlabelled_links();
    f.uncovered(palette, lenses);
    for (target, text) in entities::gaps(board, palette, |id| block_name(board, id)) {
        f.add(FindingKind::DataModel, target, None, |_| text);
    }
    for (target, text) in cards::gaps(board, palette, |id| block_name(board, id)) {
        f.add(FindingKind::Interview, target, None, |_| text);
    }
    let mut r = f.review;
    r.findings.sort_by_key(|f| f.kind);
    r
}

/// Collects findings, listing at most [`MAX_PER_KIND`] of each kind and counting the rest.
/// Counting per kind and formatting only what is listed keeps a board with thousands of findings
/// (a generated one) cheap.
struct Findings<'a> {
    board: &'a Board,
    g: &'a Graph,
    review: Review,
    listed: HashMap<FindingKind, usize>,
}

/// What a finding's text needs to name blocks, apart from the collector it is added to.
struct Names<'a> {
    board: &'a Board,
    g: &'a Graph,
}

impl Names<'_> {
    /// The name of graph node `i`.
    fn node(&self, i: usize) -> String {
        block_name(self.board, self.g.nodes[i].id)
    }

    fn block(&self, id: BlockId) -> String {
        block_name(self.board, id)
    }
}

impl Findings<'_> {
    fn add(
        &mut self,
        kind: FindingKind,
        target: Target,
        lens: Option<&str>,
        text: impl FnOnce(&Names) -> String,
    ) {
        let n = self.listed.entry(kind).or_default();
        if *n < MAX_PER_KIND {
            *n += 1;
            self.review.findings.push(Finding {
                kind,
                target,
                text: text(&Names {
                    board: self.board,
                    g: self.g,
                }),
                lens: lens.map(str::to_owned),
            });
        } else {
            *self.review.more.entry(kind).or_default() += 1;
        }
    }

    fn single_points(&mut self) {
        for (x, store) in spof::single_points(self.g) {
            let node = &self.g.nodes[x];
            let lens = match node.role {
                Role::Balancer if &*node.kind == "load_balancer" => "load_balancer/redundancy",
                _ => "any/spof",
            };
            self.add(
                FindingKind::SinglePoint,
                Target::Block(node.id),
                Some(lens),
                |n| format!(
                "{} is a single point of failure: one instance, and every path from the clients to {} goes through it",
                n.node(x),
                n.node(store)
            ),
            );
        }
    }

    fn unreplicated(&mut self) {
        for d in self.g.stores() {
            let node = &self.g.nodes[d];
            if !node.single() {
                continue;
            }
            let lens = if &*node.kind == "object_storage" {
                "object_storage/durability"
            } else {
                "database/replication"
            };
            let id = node.id;
            self.add(
                FindingKind::Unreplicated,
                Target::Block(id),
                Some(lens),
                |n| {
                    format!(
                        "{} keeps a single copy of its data: losing the machine loses the data",
                        n.block(id)
                    )
                },
            );
        }
    }

    fn bottlenecks(&mut self, load: &load::Load) {
        for (i, node) in self.g.nodes.iter().enumerate() {
            let (Some(rps), Some(cap)) = (load.node[i], node.capacity_total()) else {
                continue;
            };
            if cap > 0.0 && rps > cap * RED {
                self.add(
                    FindingKind::Bottleneck,
                    Target::Block(node.id),
                    Some("any/bottleneck"),
                    |n| {
                        format!(
                            "{} is over capacity: {} at peak against {} ({} × {})",
                            n.node(i),
                            human(rps, Unit::PerSecond),
                            human(cap, Unit::PerSecond),
                            node.instances,
                            human(node.capacity, Unit::PerSecond)
                        )
                    },
                );
            }
        }
    }

    fn overshared(&mut self, load: &load::Load) {
        for &(i, pct) in &load.overshared {
            self.add(
                FindingKind::Overshared,
                Target::Block(self.g.nodes[i].id),
                Some("any/bottleneck"),
                |n| format!(
                "The shares on {}'s outgoing links add up to {pct:.0} %; they were scaled to 100 %",
                n.node(i)
            ),
            );
        }
    }

    /// A store is covered when a cache (or CDN) sits in front of it, or when something in front
    /// of it also reads through a cache (cache-aside: the service calls both). One search from
    /// all of those covers every store at once.
    fn missing_caches(&mut self) {
        let g = self.g;
        let fronts: Vec<usize> = (0..g.nodes.len())
            .filter(|&i| g.nodes[i].caches() || g.out[i].iter().any(|e| g.nodes[e.to].caches()))
            .collect();
        let none = vec![false; g.nodes.len()];
        let covered = g.reach(&fronts, &none);
        let clients: Vec<usize> = g.clients().collect();
        let reached = g.reach(&clients, &none);
        for d in g.stores() {
            if reached[d] && !covered[d] {
                self.add(
                    FindingKind::NoCache,
                    Target::Block(g.nodes[d].id),
                    Some("cache/where"),
                    |n| format!(
                    "Reads reach {} with no cache on the way, in a read-heavy system ({}:1)",
                    n.node(d),
                    n.board.estimate.reads_per_write
                ),
                );
            }
        }
    }

    fn unconsumed_queues(&mut self) {
        for (i, node) in self.g.nodes.iter().enumerate() {
            if node.role == Role::Queue && self.g.out[i].is_empty() {
                self.add(
                    FindingKind::NoConsumer,
                    Target::Block(node.id),
                    Some("queue/consumers"),
                    |n| {
                        format!(
                            "Nothing consumes {}: draw the workers that read it",
                            n.node(i)
                        )
                    },
                );
            }
        }
    }

    fn unlabelled_links(&mut self) {
        let (board, g) = (self.board, self.g);
        for link in board.links.values() {
            let both_in =
                g.node_of(link.from.block).is_some() && g.node_of(link.to.block).is_some();
            if both_in && link.label.trim().is_empty() {
                self.add(
                    FindingKind::UnlabelledLink,
                    Target::Link(link.id),
                    Some("api/contract"),
                    |n| {
                        format!(
                            "The link from {} to {} has no label: say what travels on it",
                            n.block(link.from.block),
                            n.block(link.to.block)
                        )
                    },
                );
            }
        }
    }

    fn uncovered(&mut self, palette: &Palette, lenses: &LensLibrary) {
        let (board, g) = (self.board, self.g);
        for block in board.blocks.values() {
            let kind = palette.kind_or_fallback(&block.kind);
            if g.node_of(block.id).is_none() || kind.lens.is_empty() {
                continue;
            }
            if lenses.coverage(block, &kind.lens).0 == 0 {
                // The lens's first question is where a deep dive starts.
                let lens = lenses.keys_for(&kind.lens).first().map(String::as_str);
                self.add(FindingKind::Uncovered, Target::Block(block.id), lens, |n| {
                    format!(
                        "{} has no deep-dive question covered yet",
                        n.block(block.id)
                    )
                });
            }
        }
    }
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
