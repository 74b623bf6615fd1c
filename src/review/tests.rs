use super::*;
use crate::model::{Block, Board, EstimateInputs, Link, Props, Rect};
use std::collections::BTreeSet;

struct Fixture {
    board: Board,
    palette: Palette,
    lenses: LensLibrary,
}

impl Fixture {
    /// Peak load exactly 1,000 req/s: 86.4M requests a day, peak factor 1.
    fn new() -> Self {
        let mut board = Board::new("fixture");
        board.estimate = EstimateInputs {
            daily_active_users: 86_400_000.0,
            requests_per_user: 1.0,
            reads_per_write: 10.0,
            peak_factor: 1.0,
            ..Default::default()
        };
        Self {
            board,
            palette: Palette::bundled(),
            lenses: LensLibrary::bundled(),
        }
    }

    fn block(&mut self, kind: &str, label: &str) -> BlockId {
        self.block_with(kind, label, Props::default())
    }

    fn block_with(&mut self, kind: &str, label: &str, props: Props) -> BlockId {
        let id = self.board.alloc_block_id();
        let x = id.0 as f32 * 200.0;
        let mut b = Block::new(id, kind, label, Rect::new(x, 0.0, 140.0, 60.0));
        b.props = props;
        self.board.blocks.insert(id, b);
        id
    }

    fn link(&mut self, from: BlockId, to: BlockId) -> LinkId {
        self.link_share(from, to, None)
    }

    fn link_share(&mut self, from: BlockId, to: BlockId, share: Option<f32>) -> LinkId {
        let id = self.board.alloc_link_id();
        let mut l = Link::new(id, from, to);
        l.label = "calls".into();
        l.share = share;
        self.board.links.insert(id, l);
        id
    }

    fn review(&self) -> Review {
        review(&self.board, &self.palette, &self.lenses)
    }

    fn drill(&self, failed: &[BlockId]) -> Drill {
        let set: BTreeSet<BlockId> = failed.iter().copied().collect();
        drill(&self.board, &self.palette, &set)
    }
}

fn replicated() -> Props {
    Props {
        replication: Some(3),
        ..Props::default()
    }
}

fn instances(n: u32) -> Props {
    Props {
        instances: Some(n),
        ..Props::default()
    }
}

fn kinds(r: &Review, kind: FindingKind) -> Vec<Target> {
    r.findings
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| f.target)
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn load_splits_evenly_follows_shares_and_sums_where_paths_meet() {
    let mut f = Fixture::new();
    let c = f.block("client", "Browser");
    let lb = f.block("load_balancer", "LB");
    let s1 = f.block("service", "S1");
    let s2 = f.block("service", "S2");
    let cache = f.block("cache", "Redis");
    let db = f.block("database", "PG");
    f.link(c, lb);
    let to_s1 = f.link(lb, s1);
    f.link(lb, s2);
    f.link(s1, cache);
    // Cache hits are answered there: 20 % go on to the database.
    let miss = f.link_share(cache, db, Some(20.0));
    f.link(s2, db);
    let r = f.review();
    assert!(close(r.load[&lb].rps, 1_000.0));
    assert!(close(r.link_rps[&to_s1], 500.0));
    assert!(close(r.load[&cache].rps, 500.0));
    assert!(close(r.link_rps[&miss], 100.0));
    // Fan-in: 100 from the cache's misses plus 500 from S2.
    assert!(close(r.load[&db].rps, 600.0));
}

#[test]
fn a_named_share_leaves_the_rest_to_the_other_links() {
    let mut f = Fixture::new();
    let c = f.block("client", "C");
    let s = f.block("service", "S");
    let a = f.block("cache", "A");
    let b = f.block("database", "B");
    let d = f.block("nosql", "D");
    f.link(c, s);
    f.link_share(s, a, Some(40.0));
    let to_b = f.link(s, b);
    let to_d = f.link(s, d);
    let r = f.review();
    assert!(close(r.load[&a].rps, 400.0));
    assert!(close(r.link_rps[&to_b], 300.0));
    assert!(close(r.link_rps[&to_d], 300.0));
}

#[test]
fn two_clients_share_the_peak_load() {
    let mut f = Fixture::new();
    let web = f.block("client", "Web");
    let app = f.block("mobile", "App");
    let s = f.block("service", "API");
    f.link(web, s);
    f.link(app, s);
    let r = f.review();
    assert!(close(r.load[&web].rps, 500.0));
    assert!(close(r.load[&s].rps, 1_000.0));
}

#[test]
fn a_loop_is_reported_and_its_closing_link_is_not_counted_again() {
    let mut f = Fixture::new();
    let c = f.block("client", "C");
    let a = f.block("service", "A");
    let b = f.block("worker", "B");
    let q = f.block("queue", "Q");
    f.link(c, a);
    f.link(a, q);
    f.link(q, b);
    let back = f.link(b, a);
    let r = f.review();
    assert_eq!(r.cycles, vec![vec![a, q, b]]);
    // Each block is counted once: the loop's closing link carries its load, but it is not
    // fed back into A.
    assert!(close(r.load[&a].rps, 1_000.0));
    assert!(close(r.load[&b].rps, 1_000.0));
    assert!(close(r.link_rps[&back], 1_000.0));
}

/// Browser, one load balancer, two services, one replicated database.
fn classic(lbs: u32, lb_instances: u32) -> (Fixture, Vec<BlockId>, Vec<BlockId>, BlockId) {
    let mut f = Fixture::new();
    let c = f.block("client", "Browser");
    let lb: Vec<BlockId> = (0..lbs)
        .map(|i| f.block_with("load_balancer", &format!("LB{i}"), instances(lb_instances)))
        .collect();
    let s: Vec<BlockId> = (0..2)
        .map(|i| f.block("service", &format!("S{i}")))
        .collect();
    let db = f.block_with("database", "PG", replicated());
    for &l in &lb {
        f.link(c, l);
        for &x in &s {
            f.link(l, x);
        }
    }
    for &x in &s {
        f.link(x, db);
    }
    (f, lb, s, db)
}

#[test]
fn a_single_load_balancer_is_flagged_two_are_not() {
    let (f, lb, s, _) = classic(1, 1);
    let r = f.review();
    assert_eq!(
        kinds(&r, FindingKind::SinglePoint),
        vec![Target::Block(lb[0])]
    );
    let finding = r.findings_for(lb[0]).next().expect("finding");
    assert_eq!(finding.lens.as_deref(), Some("load_balancer/redundancy"));
    assert!(
        r.findings_for(s[0])
            .all(|x| x.kind != FindingKind::SinglePoint)
    );

    let (f, _, _, _) = classic(2, 1);
    assert!(kinds(&f.review(), FindingKind::SinglePoint).is_empty());
    let (f, _, _, _) = classic(1, 2);
    assert!(
        kinds(&f.review(), FindingKind::SinglePoint).is_empty(),
        "two instances behind one block are redundant"
    );
}

#[test]
fn a_data_store_with_one_copy_is_flagged() {
    let (mut f, _, _, db) = classic(2, 1);
    assert!(kinds(&f.review(), FindingKind::Unreplicated).is_empty());
    if let Some(b) = f.board.blocks.get_mut(&db) {
        b.props.replication = Some(1);
    }
    let r = f.review();
    assert_eq!(
        kinds(&r, FindingKind::Unreplicated),
        vec![Target::Block(db)]
    );
    assert_eq!(
        r.findings_for(db).next().and_then(|x| x.lens.as_deref()),
        Some("database/replication")
    );
}

#[test]
fn blocks_over_capacity_are_bottlenecks() {
    let (mut f, _, s, db) = classic(2, 1);
    if let Some(b) = f.board.blocks.get_mut(&db) {
        b.props.capacity = Some(400.0);
    }
    let r = f.review();
    assert_eq!(kinds(&r, FindingKind::Bottleneck), vec![Target::Block(db)]);
    let util = r.load[&db].utilisation().expect("sized");
    assert!(close(util, 2.5), "{util}");
    assert!(r.load[&s[0]].utilisation().is_some_and(|u| u < AMBER));
}

#[test]
fn gaps_a_strong_candidate_covers() {
    let mut f = Fixture::new();
    let c = f.block("client", "C");
    let s = f.block("service", "S");
    let db = f.block_with("database", "PG", replicated());
    let q = f.block("queue", "Jobs");
    f.link(c, s);
    f.link(s, db);
    let bare = f.link(s, q);
    if let Some(l) = f.board.links.get_mut(&bare) {
        l.label.clear();
    }
    let r = f.review();
    assert_eq!(kinds(&r, FindingKind::NoCache), vec![Target::Block(db)]);
    assert_eq!(kinds(&r, FindingKind::NoConsumer), vec![Target::Block(q)]);
    assert_eq!(
        kinds(&r, FindingKind::UnlabelledLink),
        vec![Target::Link(bare)]
    );
    assert!(kinds(&r, FindingKind::Uncovered).contains(&Target::Block(s)));
    // Every finding names the lens item that addresses it, and that item exists.
    for x in &r.findings {
        let key = x.lens.as_deref().expect("lens item");
        assert!(f.lenses.question(key).is_some(), "{key}");
    }
    // A cache on the way, a consumer and a write-heavy load clear those gaps.
    let cache = f.block("cache", "Redis");
    f.link(s, cache);
    let into_db = f
        .board
        .links
        .values()
        .find(|l| l.to.block == db)
        .map(|l| l.id);
    if let Some(l) = into_db.and_then(|id| f.board.links.get_mut(&id)) {
        l.from.block = cache;
    }
    let w = f.block("worker", "W");
    f.link(q, w);
    let r = f.review();
    assert!(kinds(&r, FindingKind::NoCache).is_empty());
    assert!(kinds(&r, FindingKind::NoConsumer).is_empty());
    f.board.estimate.reads_per_write = 1.0;
    if let Some(b) = f.board.blocks.get_mut(&s) {
        b.checked.insert("api/style".into());
    }
    let r = f.review();
    assert!(!kinds(&r, FindingKind::Uncovered).contains(&Target::Block(s)));
}

#[test]
fn drill_failing_the_only_database_loses_every_path() {
    let mut f = Fixture::new();
    let web = f.block("client", "Web");
    let app = f.block("mobile", "App");
    let s = f.block_with("service", "API", instances(3));
    let db = f.block("database", "PG");
    f.link(web, s);
    f.link(app, s);
    f.link(s, db);
    let d = f.drill(&[db]);
    assert_eq!(d.lost, vec![(web, db), (app, db)]);
    assert!(d.survived.is_empty());
    assert_eq!(d.down, BTreeSet::from([db]));
}

#[test]
fn drill_reports_survivors_through_replicas_and_alternative_paths() {
    let (f, lb, s, db) = classic(1, 1);
    let c = BlockId(1);
    // One service of two: the other one carries the requests.
    let d = f.drill(&[s[0]]);
    assert!(d.lost.is_empty());
    assert_eq!(d.survived, vec![(c, db, Survival::Alternative)]);
    // Both services: lost.
    let d = f.drill(&[s[0], s[1]]);
    assert_eq!(d.lost, vec![(c, db)]);
    // The single balancer: lost.
    assert_eq!(f.drill(&lb).lost, vec![(c, db)]);
    // A replicated database losing a node keeps serving.
    let d = f.drill(&[db]);
    assert_eq!(d.survived, vec![(c, db, Survival::Replicas(db))]);
    assert_eq!(d.degraded, BTreeSet::from([db]));
    // Failing nothing on the path touches nothing.
    let (f2, lb2, _, _) = classic(1, 2);
    let d = f2.drill(&lb2);
    assert_eq!(
        d.survived,
        vec![(c, BlockId(5), Survival::Replicas(lb2[0]))]
    );
    assert_eq!(f2.drill(&[]).untouched, 1);
}
