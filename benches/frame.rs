//! Per-frame drawing cost: build the canvas shapes for one frame and tessellate them, as the
//! screen does, on generated boards. Targets (2 cores, 1920×1080 view): 10k blocks + 10k links
//! at 100 % zoom ≤ 8 ms; the whole board in view ≤ 16 ms; one zoom step (every label laid out
//! again at a new font size) ≤ 16 ms. One edit + undo ≤ 1 ms.

use archboard::canvas::{Camera, View, paint};
use archboard::model::{Board, Document, Edit, Point, generate::synthetic};
use archboard::palette::Palette;
use archboard::theme::Colors;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

type Fans = paint::LinkLayout;

const SCREEN: egui::Rect =
    egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1920.0, 1080.0));

/// One frame: paint the board into egui shapes and tessellate them. Returns the vertex count.
/// The link layout is cached per board state on screen, so it is built outside the frame here.
fn frame(
    ctx: &egui::Context,
    board: &Board,
    fans: &Fans,
    camera: Camera,
    palette: &Palette,
    colors: &Colors,
) -> usize {
    let input = egui::RawInput {
        screen_rect: Some(SCREEN),
        ..Default::default()
    };
    let out = ctx.run_ui(input, |ui| {
        let view = View::new(camera, SCREEN);
        let style = paint::Style {
            colors,
            dark: false,
            palette,
            grid: true,
            layout: fans,
            badges: None,
            design: None,
        };
        paint::paint_board(ui.painter(), board, &view, &style);
    });
    let mut out = out;
    // egui requires texture changes to be handled; a benchmark has nowhere to send them.
    out.textures_delta.clear();
    let prims = ctx.tessellate(out.shapes, out.pixels_per_point);
    prims
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum()
}

/// `camera` zoomed by `factor` around the centre of the screen, as one wheel notch does.
fn zoomed(camera: Camera, factor: f32) -> Camera {
    let mut cam = camera;
    cam.zoom_around(SCREEN, SCREEN.center(), factor);
    cam
}

fn bench_frames(c: &mut Criterion) {
    let palette = Palette::bundled();
    let colors = Colors::light();
    for n in [1_000, 10_000] {
        let board = synthetic(n, n);
        let ctx = egui::Context::default();
        // Warm the font atlas once, as a running app has.
        let mut warm = ctx.run_ui(egui::RawInput::default(), |_| {});
        // Nothing uploads textures here, so the atlas delta is dropped on purpose.
        warm.textures_delta.clear();
        let fans = ctx.fonts_mut(|f| paint::LinkLayout::new(&board, f));
        frame(&ctx, &board, &fans, Camera::default(), &palette, &colors);
        c.bench_function(
            &format!("link_layout_{n}_links (after an edit; target 10k: 8 ms)"),
            |b| {
                b.iter(|| {
                    black_box(ctx.fonts_mut(|f| paint::LinkLayout::after(&board, f, Some(&fans))))
                })
            },
        );
        c.bench_function(
            &format!("frame_100pct_{n}_blocks (target 10k: 8 ms)"),
            |b| {
                b.iter(|| {
                    black_box(frame(
                        &ctx,
                        &board,
                        &fans,
                        Camera::default(),
                        &palette,
                        &colors,
                    ))
                })
            },
        );
        let bounds = board.bounds().unwrap_or_default();
        let fit = Camera::fit(SCREEN, &bounds, 20.0, 1.0);
        c.bench_function(
            &format!("frame_whole_board_{n}_blocks (target 10k: 16 ms)"),
            |b| b.iter(|| black_box(frame(&ctx, &board, &fans, fit, &palette, &colors))),
        );
        // Each frame alternates between two zoom levels a wheel notch apart, so egui's text
        // cache (which keeps only the last frame's layouts) misses for every visible label.
        for (name, base) in [("whole_board", fit), ("100pct", Camera::default())] {
            let steps = [base, zoomed(base, 1.1)];
            let mut i = 0;
            c.bench_function(
                &format!("zoom_step_{name}_{n}_blocks (target 10k: 16 ms)"),
                |b| {
                    b.iter(|| {
                        i += 1;
                        let cam = steps[i % 2];
                        black_box(frame(&ctx, &board, &fans, cam, &palette, &colors))
                    })
                },
            );
        }
    }
}

fn bench_edit(c: &mut Criterion) {
    let mut doc = Document::new(synthetic(10_000, 10_000));
    let id = *doc
        .board()
        .blocks
        .keys()
        .nth(5_000)
        .unwrap_or(&archboard::model::BlockId(1));
    c.bench_function("move_and_undo_10k_blocks (target 1 ms)", |b| {
        b.iter(|| {
            let _ = doc.apply(Edit::Move {
                blocks: vec![id],
                delta: Point::new(20.0, 0.0),
            });
            doc.undo();
        })
    });
}

criterion_group!(benches, bench_frames, bench_edit);
criterion_main!(benches);
