//! The spatial index the canvas draws and hit-tests with must always answer exactly what a scan
//! of the whole board answers, whatever happened to the board: inserts, moves, resizes,
//! deletes, undo, redo and changes from a peer. Random boards, random edit sequences, and after
//! every step a handful of random queries compared with the brute-force answer.

use archboard::model::{
    Block, BlockId, Board, Document, Edit, Link, LinkId, Point, Rect, Remote, SpatialIndex,
};
use proptest::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
enum Step {
    Insert {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    Link {
        a: usize,
        b: usize,
    },
    Move {
        pick: usize,
        dx: f32,
        dy: f32,
    },
    Resize {
        pick: usize,
        w: f32,
        h: f32,
    },
    Delete {
        pick: usize,
    },
    DeleteLink {
        pick: usize,
    },
    Undo,
    Redo,
    /// A peer moves a block and deletes another (which takes its links along).
    Remote {
        move_pick: usize,
        dx: f32,
        delete_pick: usize,
    },
}

fn coord() -> impl Strategy<Value = f32> {
    -2_000.0f32..2_000.0
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (coord(), coord(), 10.0f32..400.0, 10.0f32..300.0)
            .prop_map(|(x, y, w, h)| Step::Insert { x, y, w, h }),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Step::Link { a, b }),
        3 => (any::<usize>(), -800.0f32..800.0, -800.0f32..800.0)
            .prop_map(|(pick, dx, dy)| Step::Move { pick, dx, dy }),
        2 => (any::<usize>(), 10.0f32..900.0, 10.0f32..900.0)
            .prop_map(|(pick, w, h)| Step::Resize { pick, w, h }),
        1 => any::<usize>().prop_map(|pick| Step::Delete { pick }),
        1 => any::<usize>().prop_map(|pick| Step::DeleteLink { pick }),
        2 => Just(Step::Undo),
        1 => Just(Step::Redo),
        1 => (any::<usize>(), -500.0f32..500.0, any::<usize>())
            .prop_map(|(move_pick, dx, delete_pick)| Step::Remote { move_pick, dx, delete_pick }),
    ]
}

fn nth_block(doc: &Document, pick: usize) -> Option<BlockId> {
    let n = doc.board().blocks.len();
    (n > 0).then(|| *doc.board().blocks.keys().nth(pick % n).expect("in range"))
}

fn nth_link(doc: &Document, pick: usize) -> Option<LinkId> {
    let n = doc.board().links.len();
    (n > 0).then(|| *doc.board().links.keys().nth(pick % n).expect("in range"))
}

fn run(doc: &mut Document, step: &Step) {
    match *step {
        Step::Insert { x, y, w, h } => {
            let id = doc.new_block_id();
            let _ = doc.apply(Edit::Insert {
                blocks: vec![Block::new(id, "box", "", Rect::new(x, y, w, h))],
                links: vec![],
            });
        }
        Step::Link { a, b } => {
            if let (Some(a), Some(b)) = (nth_block(doc, a), nth_block(doc, b))
                && a != b
            {
                let id = doc.new_link_id();
                let _ = doc.apply(Edit::Insert {
                    blocks: vec![],
                    links: vec![Link::new(id, a, b)],
                });
            }
        }
        Step::Move { pick, dx, dy } => {
            if let Some(id) = nth_block(doc, pick) {
                let _ = doc.apply(Edit::Move {
                    blocks: vec![id],
                    delta: Point::new(dx, dy),
                });
            }
        }
        Step::Resize { pick, w, h } => {
            if let Some(mut b) = nth_block(doc, pick).and_then(|id| doc.board().block(id).cloned())
            {
                b.rect.w = w;
                b.rect.h = h;
                let _ = doc.apply(Edit::UpdateBlocks(vec![b]));
            }
        }
        Step::Delete { pick } => {
            if let Some(id) = nth_block(doc, pick) {
                let _ = doc.apply(Edit::Remove {
                    blocks: vec![id],
                    links: vec![],
                });
            }
        }
        Step::DeleteLink { pick } => {
            if let Some(id) = nth_link(doc, pick) {
                let _ = doc.apply(Edit::Remove {
                    blocks: vec![],
                    links: vec![id],
                });
            }
        }
        Step::Undo => {
            doc.undo();
        }
        Step::Redo => {
            doc.redo();
        }
        Step::Remote {
            move_pick,
            dx,
            delete_pick,
        } => {
            let mut remote = Remote::default();
            if let Some(mut b) =
                nth_block(doc, move_pick).and_then(|id| doc.board().block(id).cloned())
            {
                b.rect.x += dx;
                remote.blocks.push((b.id, Some(b)));
            }
            if let Some(id) = nth_block(doc, delete_pick) {
                remote.blocks.push((id, None));
            }
            doc.apply_remote(remote);
        }
    }
}

fn sorted<T: Ord>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = it.collect();
    v.sort();
    v
}

/// The index against a scan of the board, for one query rectangle.
fn check(doc: &Document, q: Rect) -> Result<(), TestCaseError> {
    let board = doc.board();
    let index = doc.index();
    let blocks = sorted(index.blocks_in(q));
    let scan: Vec<BlockId> = board
        .blocks
        .values()
        .filter(|b| b.rect.intersects(&q))
        .map(|b| b.id)
        .collect();
    prop_assert_eq!(blocks, scan, "blocks in {:?}", q);
    let links = sorted(index.links_in(q));
    let scan: Vec<LinkId> = board
        .links
        .values()
        .filter(|l| {
            let (a, b) = (&board.blocks[&l.from.block], &board.blocks[&l.to.block]);
            a.rect.union(&b.rect).intersects(&q)
        })
        .map(|l| l.id)
        .collect();
    prop_assert_eq!(links, scan, "links in {:?}", q);
    let p = Point::new(q.x, q.y);
    let at = sorted(index.blocks_at(p));
    let scan: Vec<BlockId> = board
        .blocks
        .values()
        .filter(|b| b.rect.contains(p))
        .map(|b| b.id)
        .collect();
    prop_assert_eq!(at, scan, "blocks at {:?}", p);
    Ok(())
}

/// Every block's links, from the index, against a scan.
fn check_touching(doc: &Document) -> Result<(), TestCaseError> {
    let board = doc.board();
    let mut want: std::collections::BTreeMap<BlockId, BTreeSet<LinkId>> = Default::default();
    for l in board.links.values() {
        want.entry(l.from.block).or_default().insert(l.id);
        want.entry(l.to.block).or_default().insert(l.id);
    }
    for id in board.blocks.keys() {
        let got: BTreeSet<LinkId> = doc.index().links_of(*id).iter().copied().collect();
        prop_assert_eq!(
            got,
            want.remove(id).unwrap_or_default(),
            "links of {:?}",
            id
        );
    }
    // From corners and back: equal up to float rounding.
    match (doc.index().bounds(), board.bounds()) {
        (Some(a), Some(b)) => {
            let close = |x: f32, y: f32| (x - y).abs() <= 1e-3 * (1.0 + x.abs().max(y.abs()));
            prop_assert!(
                close(a.x, b.x) && close(a.y, b.y) && close(a.w, b.w) && close(a.h, b.h),
                "bounds {:?} against {:?}",
                a,
                b
            );
        }
        (a, b) => prop_assert_eq!(a, b, "bounds"),
    }
    prop_assert_eq!(doc.index().block_count(), board.blocks.len());
    prop_assert_eq!(doc.index().link_count(), board.links.len());
    Ok(())
}

fn query() -> impl Strategy<Value = Rect> {
    (coord(), coord(), 0.0f32..1_500.0, 0.0f32..1_500.0)
        .prop_map(|(x, y, w, h)| Rect::new(x, y, w, h))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_index_answers_what_a_scan_answers_after_every_change(
        steps in prop::collection::vec(step(), 1..60),
        queries in prop::collection::vec(query(), 4),
    ) {
        let mut doc = Document::new(Board::default());
        for s in &steps {
            run(&mut doc, s);
            for q in &queries {
                check(&doc, *q)?;
            }
            check_touching(&doc)?;
        }
        // A fresh build of the same board agrees with the one kept up to date.
        let fresh = SpatialIndex::build(doc.board());
        for q in &queries {
            prop_assert_eq!(sorted(fresh.blocks_in(*q)), sorted(doc.index().blocks_in(*q)));
            prop_assert_eq!(sorted(fresh.links_in(*q)), sorted(doc.index().links_in(*q)));
        }
    }
}

/// A paste of many blocks at once takes the rebuild path; the answers stay exact.
#[test]
fn a_large_insert_rebuilds_and_stays_exact() {
    let mut doc = Document::new(Board::default());
    let first = doc.new_block_id();
    doc.apply(Edit::Insert {
        blocks: vec![Block::new(
            first,
            "box",
            "",
            Rect::new(0.0, 0.0, 50.0, 50.0),
        )],
        links: vec![],
    })
    .expect("insert");
    let blocks: Vec<Block> = (0..500)
        .map(|i| {
            let id = doc.new_block_id();
            let (x, y) = ((i % 25) as f32 * 80.0, (i / 25) as f32 * 80.0);
            Block::new(id, "box", "", Rect::new(x, y, 60.0, 40.0))
        })
        .collect();
    let ids: Vec<BlockId> = blocks.iter().map(|b| b.id).collect();
    let links: Vec<Link> = ids
        .windows(2)
        .map(|w| Link::new(doc.new_link_id(), w[0], w[1]))
        .collect();
    doc.apply(Edit::Insert { blocks, links }).expect("paste");
    let q = Rect::new(100.0, 100.0, 300.0, 200.0);
    check(&doc, q).expect("after the paste");
    check_touching(&doc).expect("after the paste");
    doc.undo();
    check(&doc, q).expect("after undo");
    assert_eq!(doc.index().block_count(), 1);
    doc.redo();
    check_touching(&doc).expect("after redo");
    assert_eq!(doc.index().link_count(), 499);
}

/// A board big enough for the two trees to be built on two threads answers like a scan too,
/// on a layout whose links cross the view.
#[test]
fn a_big_board_built_in_parallel_answers_like_a_scan() {
    use archboard::model::generate::{Layout, synthetic_with};
    let doc = Document::new(synthetic_with(12_000, 12_000, Layout::Clusters));
    assert_eq!(doc.index().link_count(), doc.board().links.len());
    for q in [
        Rect::new(0.0, 0.0, 1920.0, 1080.0),
        Rect::new(5_000.0, 3_000.0, 800.0, 600.0),
        Rect::new(-100.0, -100.0, 50.0, 50.0),
    ] {
        check(&doc, q).expect("the same as a scan");
    }
    check_touching(&doc).expect("the same links per block");
}
