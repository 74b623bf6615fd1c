//! Recomputing the design review after an edit, on generated boards with as many links as
//! blocks: load along the links, single points of failure, bottlenecks and gaps. Target at
//! 10,000 blocks ≤ 20 ms. At 100,000 the window runs it on a worker; the target there is that
//! its result follows an edit within 250 ms.

use archboard::lens::LensLibrary;
use archboard::model::{Edit, Point, generate::synthetic};
use archboard::palette::Palette;
use archboard::review::review;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bench_review(c: &mut Criterion) {
    let palette = Palette::bundled();
    let lenses = LensLibrary::bundled();
    for (n, target) in [(10_000, "20 ms"), (100_000, "250 ms, on a worker")] {
        let mut board = synthetic(n, n);
        let id = *board
            .blocks
            .keys()
            .nth(n / 2)
            .unwrap_or(&archboard::model::BlockId(1));
        let mut group = c.benchmark_group("review");
        group.sample_size(10);
        group.bench_function(
            format!("review_after_edit_{n}_blocks (target {target})"),
            |b| {
                b.iter(|| {
                    // An edit, then the review the app recomputes for the new state.
                    let _ = Edit::Move {
                        blocks: vec![id],
                        delta: Point::new(10.0, 0.0),
                    }
                    .apply(&mut board);
                    black_box(review(&board, &palette, &lenses).findings.len())
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, bench_review);
criterion_main!(benches);
