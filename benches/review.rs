//! Recomputing the design review after an edit, on a generated 10,000-block board with 10,000
//! links: load along the links, single points of failure, bottlenecks and gaps. Target ≤ 20 ms.

use archboard::lens::LensLibrary;
use archboard::model::{Edit, Point, generate::synthetic};
use archboard::palette::Palette;
use archboard::review::review;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn bench_review(c: &mut Criterion) {
    let palette = Palette::bundled();
    let lenses = LensLibrary::bundled();
    let mut board = synthetic(10_000, 10_000);
    let id = *board
        .blocks
        .keys()
        .nth(5_000)
        .unwrap_or(&archboard::model::BlockId(1));
    c.bench_function("review_after_edit_10k_blocks (target 20 ms)", |b| {
        b.iter(|| {
            // An edit, then the review the app recomputes for the new state.
            let _ = Edit::Move {
                blocks: vec![id],
                delta: Point::new(10.0, 0.0),
            }
            .apply(&mut board);
            black_box(review(&board, &palette, &lenses).findings.len())
        })
    });
}

criterion_group!(benches, bench_review);
criterion_main!(benches);
