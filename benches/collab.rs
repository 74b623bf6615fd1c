//! The shared board on loopback. Targets: a remote edit (applied on one peer, visible on the
//! other) p95 ≤ 50 ms; one block move ≤ 200 bytes on the wire; a new peer joining a
//! 10,000-block room in sync within 1 s; the document of a 10,000-block board ≤ 3× the board's
//! memory.
//!
//! Criterion times the edit round trip and the join; the p95, the bytes and the memory are
//! measured once and printed.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use archboard::collab::relay::{Relay, RelayOptions};
use archboard::collab::{RoomUrl, Session, SharedBoard};
use archboard::model::{Board, Document, Edit, Point, generate::synthetic};
use criterion::{Criterion, criterion_group, criterion_main};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: &stats_alloc::StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;

/// The heap bytes making `T` left allocated.
fn weigh<T>(make: impl FnOnce() -> T) -> (T, usize) {
    let region = stats_alloc::Region::new(GLOBAL);
    let t = make();
    let s = region.change();
    (
        t,
        (s.bytes_allocated + s.bytes_reallocated.max(0) as usize)
            .saturating_sub(s.bytes_deallocated),
    )
}

fn join(url: &RoomUrl) -> (Session, Document) {
    let mut doc = Document::new(Board::default());
    let mut s = Session::join(url.clone(), &mut doc, true, "{}".into(), Arc::new(|| {}));
    let round = s
        .wait_for_sync(&mut doc, Duration::from_secs(10))
        .expect("sync");
    if let Some(b) = round.replace {
        doc = Document::new(b);
        doc.set_id_site(Some(s.site()));
    }
    (s, doc)
}

/// A moves one block; returns how long until B's board shows the move.
fn remote_edit(
    a: &mut (Session, Document),
    b: &mut (Session, Document),
    id: archboard::model::BlockId,
) -> Duration {
    let target = b.1.board().block(id).map_or(0.0, |x| x.rect.x) + 20.0;
    let start = Instant::now();
    a.1.apply(Edit::Move {
        blocks: vec![id],
        delta: Point::new(20.0, 0.0),
    })
    .expect("move");
    a.0.round(&mut a.1);
    loop {
        b.0.round(&mut b.1);
        if b.1.board().block(id).is_some_and(|x| x.rect.x == target) {
            return start.elapsed();
        }
        a.0.round(&mut a.1);
        std::thread::yield_now();
    }
}

fn bench(c: &mut Criterion) {
    let relay = Relay::start(
        RelayOptions {
            port: 0,
            ..RelayOptions::default()
        },
        Arc::new(|_| {}),
    )
    .expect("relay");
    let port = relay.addr().port();
    let url = RoomUrl::parse(&format!("ws://127.0.0.1:{port}/bench")).expect("url");

    // A small room: the latency of one edit.
    let mut a = join(&url);
    let id = a.1.new_block_id();
    a.1.apply(Edit::Insert {
        blocks: vec![archboard::model::Block::new(
            id,
            "cache",
            "c",
            archboard::model::Rect::new(0.0, 0.0, 100.0, 50.0),
        )],
        links: vec![],
    })
    .expect("insert");
    a.0.round(&mut a.1);
    let mut b = join(&url);
    let mut samples: Vec<Duration> = (0..200).map(|_| remote_edit(&mut a, &mut b, id)).collect();
    samples.sort();
    println!(
        "remote edit on loopback: median {:.2} ms, p95 {:.2} ms (target p95 ≤ 50 ms)",
        samples[100].as_secs_f64() * 1e3,
        samples[189].as_secs_f64() * 1e3
    );
    c.bench_function("remote_edit_loopback (target p95 50 ms)", |bch| {
        bch.iter(|| remote_edit(&mut a, &mut b, id))
    });

    // The bytes of one move.
    let board = synthetic(10_000, 10_000);
    let mut doc = Document::new(board.clone());
    let mut shared = SharedBoard::new(7);
    shared.replace_with(doc.board());
    let _ = shared.take_outgoing();
    let some = *doc.board().blocks.keys().nth(500).expect("block");
    doc.apply(Edit::Move {
        blocks: vec![some],
        delta: Point::new(20.0, 0.0),
    })
    .expect("move");
    shared.publish(&mut doc);
    let bytes = shared
        .take_outgoing()
        .map(|u| archboard::collab::protocol::update(u).len())
        .unwrap_or(0);
    println!("one block move on the wire: {bytes} bytes (target ≤ 200)");

    // Memory: the board against its shared document.
    let (board, board_bytes) = weigh(|| synthetic(10_000, 10_000));
    let (shared10k, doc_bytes) = weigh(|| {
        let mut s = SharedBoard::new(9);
        s.replace_with(&board);
        let _ = s.take_outgoing();
        s
    });
    println!(
        "memory, 10,000 blocks + 10,000 links: board {:.1} MB, shared document {:.1} MB ({:.2}×, target ≤ 3×)",
        board_bytes as f64 / 1e6,
        doc_bytes as f64 / 1e6,
        doc_bytes as f64 / board_bytes.max(1) as f64
    );
    drop(shared10k);

    // Joining a 10,000-block room.
    let big = RoomUrl::parse(&format!("ws://127.0.0.1:{port}/big")).expect("url");
    let mut seed = join(&big);
    seed.0.replace_room(&board);
    seed.0
        .confirm(&mut seed.1, Duration::from_secs(10))
        .expect("seeded");
    let start = Instant::now();
    let (_s, joined) = join(&big);
    println!(
        "a new peer in sync with a 10,000-block room: {:.0} ms (target ≤ 1000 ms), {} blocks",
        start.elapsed().as_secs_f64() * 1e3,
        joined.board().blocks.len()
    );
    c.bench_function("join_10k_room (target 1 s)", |bch| {
        bch.iter(|| {
            let (_s, d) = join(&big);
            assert_eq!(d.board().blocks.len(), 10_000);
        })
    });
    drop(relay);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
