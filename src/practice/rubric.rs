//! Scoring a board against a problem's rubric: the automatic items are predicates over the
//! request graph and the design review; the rest are what the candidate ticked.

use super::{Check, Problem, RubricItem};
use crate::model::{Board, Moment, Practice};
use crate::palette::{Palette, Role};
use crate::review::graph::Graph;
use crate::review::{FindingKind, Review};

/// Where one rubric item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Met,
    /// Met, but after the phase it belonged to.
    Late,
    Missed,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Score<'a> {
    pub items: Vec<(&'a RubricItem, Standing)>,
}

impl Score<'_> {
    pub fn count(&self, s: Standing) -> usize {
        self.items.iter().filter(|(_, x)| *x == s).count()
    }
}

/// Whether `check` holds on `board` now (manual items: whether the candidate ticked `id`).
pub fn holds(
    check: &Check,
    id: &str,
    board: &Board,
    palette: &Palette,
    review: &Review,
    practice: Option<&Practice>,
) -> bool {
    match check {
        Check::Manual => practice.is_some_and(|p| p.ticked.contains(id)),
        Check::Has(kinds) => board.blocks.values().any(|b| kinds.contains(&b.kind)),
        Check::Path(groups) => path_exists(&Graph::build(board, palette), groups),
        Check::Stores {
            kinds,
            partitioned,
            copies,
        } => {
            let mut stores = board
                .blocks
                .values()
                .filter(|b| kinds.contains(&b.kind))
                .peekable();
            stores.peek().is_some()
                && stores.all(|b| {
                    let kind = palette.kind_or_fallback(&b.kind);
                    let replication = b.props.replication.unwrap_or(kind.replication);
                    (!partitioned || !b.props.partition_key.trim().is_empty())
                        && replication >= *copies
                })
        }
        Check::NoSinglePoint => {
            review.has_clients
                && !review
                    .findings
                    .iter()
                    .any(|f| f.kind == FindingKind::SinglePoint)
                && !review.more.contains_key(&FindingKind::SinglePoint)
        }
        Check::Estimated => !board.estimate.is_default(),
        Check::DeepDives(n) => board.blocks.values().filter(|b| b.deep_dive).count() >= *n,
        Check::Entities(groups) => {
            let named: Vec<String> = board
                .blocks
                .values()
                .filter(|b| b.kind == crate::model::ENTITY_KIND && !b.fields.is_empty())
                .map(|b| entity_word(&b.label))
                .collect();
            groups
                .iter()
                .all(|names| names.iter().any(|n| named.contains(&entity_word(n))))
        }
        Check::Requirements => board.blocks.values().any(|b| {
            use crate::model::requirements::Section;
            let has = |s: Section| b.reqs.iter().any(|r| r.section == s);
            b.kind == crate::model::REQUIREMENTS_KIND
                && has(Section::Functional)
                && has(Section::NonFunctional)
                && b.reqs.iter().all(|r| r.is_measurable())
        }),
        Check::Api(n) => board.blocks.values().any(|b| {
            b.kind == crate::model::API_KIND
                && b.endpoints.len() >= *n
                && board.links.values().any(|l| {
                    let other = if l.from.block == b.id {
                        l.to.block
                    } else if l.to.block == b.id {
                        l.from.block
                    } else {
                        return false;
                    };
                    board.block(other).is_some_and(|o| {
                        matches!(
                            palette.kind_or_fallback(&o.kind).role,
                            Role::Compute | Role::Balancer
                        )
                    })
                })
        }),
    }
}

/// An entity's name as the rubric compares it: lower case, words run together, a plural `s`
/// off (`Short URLs` and `short_url` are one entity).
fn entity_word(name: &str) -> String {
    let w: String = name
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match w.strip_suffix('s') {
        Some(one) if one.len() > 2 && !one.ends_with('s') => one.to_owned(),
        _ => w,
    }
}

/// A path from any client through a block of each group in turn.
fn path_exists(g: &Graph, groups: &[Vec<String>]) -> bool {
    let mut at: Vec<usize> = g
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.role == Role::Client)
        .map(|(i, _)| i)
        .collect();
    let none = vec![false; g.nodes.len()];
    for group in groups {
        // Blocks reached by at least one link from the current set (not the set itself).
        let next: Vec<usize> = at
            .iter()
            .flat_map(|&i| g.out[i].iter().map(|e| e.to))
            .collect();
        let seen = g.reach(&next, &none);
        at = (0..g.nodes.len())
            .filter(|&i| seen[i] && group.iter().any(|k| **k == *g.nodes[i].kind))
            .collect();
        if at.is_empty() {
            return false;
        }
    }
    true
}

/// Notes the first moment each item holds (and forgets items that stopped holding before the
/// session finished: removing the cache drops the cache item). Returns whether anything changed.
pub fn track(
    problem: &Problem,
    practice: &mut Practice,
    board: &Board,
    palette: &Palette,
    review: &Review,
    now: Moment,
) -> bool {
    if practice.finished.is_some() {
        return false;
    }
    let mut changed = false;
    for item in &problem.rubric {
        let ok = holds(
            &item.check,
            &item.id,
            board,
            palette,
            review,
            Some(practice),
        );
        match (ok, practice.met.contains_key(&item.id)) {
            (true, false) => {
                practice.met.insert(item.id.clone(), now);
                changed = true;
            }
            (false, true) => {
                practice.met.remove(&item.id);
                changed = true;
            }
            _ => {}
        }
    }
    changed
}

/// The score: each item met (in time or late) or missed, from when it was first met.
pub fn score<'a>(problem: &'a Problem, practice: &Practice) -> Score<'a> {
    let items = problem
        .rubric
        .iter()
        .map(|item| {
            let standing = match practice.met.get(&item.id) {
                None => Standing::Missed,
                Some(m) if item.by_phase.is_some_and(|p| m.phase > p) => Standing::Late,
                Some(_) => Standing::Met,
            };
            (item, standing)
        })
        .collect();
    Score { items }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lens::LensLibrary;
    use crate::model::{Block, BlockId, Link, LinkId, Rect};

    fn board(kinds: &[&str], links: &[(u64, u64)]) -> Board {
        let mut b = Board::default();
        for (i, k) in kinds.iter().enumerate() {
            let id = BlockId(i as u64 + 1);
            b.blocks.insert(
                id,
                Block::new(id, *k, *k, Rect::new(i as f32 * 200.0, 0.0, 100.0, 60.0)),
            );
        }
        for (n, (a, c)) in links.iter().enumerate() {
            let id = LinkId(100 + n as u64);
            b.links.insert(id, Link::new(id, BlockId(*a), BlockId(*c)));
        }
        b
    }

    fn check(check: &Check, b: &Board) -> bool {
        let palette = Palette::bundled();
        let review = crate::review::review(b, &palette, &LensLibrary::bundled());
        holds(check, "x", b, &palette, &review, None)
    }

    fn kinds(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn has_needs_a_block_of_the_kind() {
        let c = Check::Has(kinds(&["queue", "stream"]));
        assert!(check(&c, &board(&["client", "stream"], &[])));
        assert!(!check(&c, &board(&["client", "cache"], &[])));
    }

    #[test]
    fn a_cache_in_front_of_the_store_is_a_path_through_both_in_order() {
        let c = Check::Path(vec![kinds(&["cache"]), kinds(&["database", "nosql"])]);
        // client → service → cache → database
        let good = board(
            &["client", "service", "cache", "database"],
            &[(1, 2), (2, 3), (3, 4)],
        );
        assert!(check(&c, &good));
        // The cache is there but beside the store, not in front of it.
        let beside = board(
            &["client", "service", "cache", "database"],
            &[(1, 2), (2, 3), (2, 4)],
        );
        assert!(!check(&c, &beside));
        // Not connected to a client at all.
        let loose = board(&["client", "cache", "database"], &[(2, 3)]);
        assert!(!check(&c, &loose));
    }

    #[test]
    fn stores_must_all_be_partitioned_and_replicated() {
        let c = Check::Stores {
            kinds: kinds(&["database"]),
            partitioned: true,
            copies: 3,
        };
        let mut b = board(&["client", "database"], &[(1, 2)]);
        assert!(!check(&c, &b));
        let db = b.blocks.get_mut(&BlockId(2)).expect("db");
        db.props.partition_key = "user_id".into();
        db.props.replication = Some(3);
        assert!(check(&c, &b));
        // No store at all does not count as "every store is partitioned".
        assert!(!check(&c, &board(&["client"], &[])));
    }

    #[test]
    fn entities_count_once_named_with_fields() {
        use crate::model::{Block, ENTITY_KIND, Field, Rect};
        let c = Check::Entities(vec![kinds(&["url", "link"]), kinds(&["user"])]);
        let mut b = Board::default();
        let mut add = |id: u64, label: &str, fields: bool| {
            let mut e = Block::new(
                BlockId(id),
                ENTITY_KIND,
                label,
                Rect::new(0.0, 0.0, 9.0, 9.0),
            );
            if fields {
                e.fields = vec![Field::new("id", "uuid").with("PK")];
            }
            b.blocks.insert(e.id, e);
        };
        add(1, "Short URLs", true);
        add(2, "User", false);
        assert!(
            !check(&c, &b),
            "an entity without fields is not yet a table"
        );
        if let Some(u) = b.blocks.get_mut(&BlockId(2)) {
            u.fields = vec![Field::new("id", "uuid")];
        }
        assert!(!check(&c, &b), "Short URLs is not url");
        if let Some(u) = b.blocks.get_mut(&BlockId(1)) {
            u.label = "Links".into();
        }
        assert!(check(&c, &b));
        assert_eq!(entity_word("Address"), "address");
        assert_eq!(entity_word("short_urls"), "shorturl");
    }

    #[test]
    fn no_single_point_uses_the_review() {
        let c = Check::NoSinglePoint;
        let mut b = board(&["client", "service", "database"], &[(1, 2), (2, 3)]);
        assert!(!check(&c, &b));
        for id in [2, 3] {
            let blk = b.blocks.get_mut(&BlockId(id)).expect("block");
            blk.props.instances = Some(3);
            blk.props.replication = Some(3);
        }
        assert!(check(&c, &b), "{:?}", {
            let p = Palette::bundled();
            crate::review::review(&b, &p, &LensLibrary::bundled()).findings
        });
    }

    #[test]
    fn estimated_means_the_inputs_moved_from_the_defaults() {
        let mut b = board(&["client"], &[]);
        assert!(!check(&Check::Estimated, &b));
        b.estimate.daily_active_users = 5e7;
        assert!(check(&Check::Estimated, &b));
    }

    #[test]
    fn deep_dives_count_marked_blocks() {
        let mut b = board(&["client", "cache", "database"], &[]);
        assert!(!check(&Check::DeepDives(1), &b));
        b.blocks.get_mut(&BlockId(2)).expect("cache").deep_dive = true;
        assert!(check(&Check::DeepDives(1), &b));
        assert!(!check(&Check::DeepDives(2), &b));
    }

    #[test]
    fn manual_items_follow_the_ticks_and_late_ones_are_late() {
        let item = RubricItem {
            id: "consistency".into(),
            text: "t".into(),
            check: Check::Manual,
            by_phase: Some(1),
        };
        let problem = Problem {
            id: "p".into(),
            title: "p".into(),
            prompt: "p".into(),
            questions: vec![],
            estimate: Default::default(),
            plan: "45-four-step".into(),
            hints: vec![],
            rubric: vec![item],
        };
        let palette = Palette::bundled();
        let b = Board::default();
        let review = crate::review::review(&b, &palette, &LensLibrary::bundled());
        let mut p = Practice::new("p");
        assert!(!track(
            &problem,
            &mut p,
            &b,
            &palette,
            &review,
            Moment::default()
        ));
        assert_eq!(score(&problem, &p).count(Standing::Missed), 1);
        p.ticked.insert("consistency".into());
        let late = Moment {
            at_ms: 30 * 60_000,
            phase: 2,
        };
        assert!(track(&problem, &mut p, &b, &palette, &review, late));
        assert_eq!(score(&problem, &p).count(Standing::Late), 1);
    }
}
