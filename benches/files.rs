//! File work on generated boards with as many labelled links as blocks. Targets (2 cores):
//! 10,000 blocks: load from RON ≤ 250 ms, save (serialize + atomic write) ≤ 100 ms, export to PNG
//! at 2× ≤ 2 s; 100,000 blocks: open (load, then the document and its spatial index, as the
//! window's worker does) ≤ 1 s, save ≤ 0.5 s.
//!
//! `cargo test --benches` runs each once to prove it works; a debug build of the rasterizer is
//! far slower than release, so the export there uses a smaller board.

use archboard::export::{ExportOptions, export_png};
use archboard::lens::LensLibrary;
use archboard::model::Document;
use archboard::model::generate::synthetic;
use archboard::palette::Palette;
use archboard::persistence::{load_board, save_board};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

fn bench_load_save(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.ron");
    let board = synthetic(10_000, 10_000);
    save_board(&path, &board).expect("save the generated board");
    let mut group = c.benchmark_group("files");
    group.sample_size(20);
    group.bench_function("load_10k_ron (target 250 ms)", |b| {
        b.iter(|| black_box(load_board(&path).expect("load")))
    });
    let out = dir.path().join("saved.ron");
    group.bench_function("save_10k_ron (target 100 ms)", |b| {
        b.iter(|| save_board(&out, black_box(&board)).expect("save"))
    });
    group.finish();
    let path = dir.path().join("huge.ron");
    let board = synthetic(100_000, 100_000);
    save_board(&path, &board).expect("save the generated board");
    let mut group = c.benchmark_group("files");
    group.sample_size(10);
    group.bench_function("open_100k_ron (target 1 s)", |b| {
        b.iter(|| black_box(Document::new(load_board(&path).expect("load"))))
    });
    group.bench_function("save_100k_ron (target 0.5 s)", |b| {
        b.iter(|| save_board(&out, black_box(&board)).expect("save"))
    });
    group.finish();
}

fn bench_export(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let n = if cfg!(debug_assertions) { 200 } else { 10_000 };
    let board = synthetic(n, n);
    let palette = Palette::bundled();
    let lenses = LensLibrary::bundled();
    let opts = ExportOptions {
        scale: 2.0,
        ..Default::default()
    };
    let out = dir.path().join("board.png");
    let mut group = c.benchmark_group("files");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(25));
    group.bench_function(format!("export_png_2x_{n}_blocks (target 10k: 2 s)"), |b| {
        b.iter(|| {
            black_box(export_png(&board, &opts, &palette, Some(&lenses), &out).expect("export"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_load_save, bench_export);
criterion_main!(benches);
