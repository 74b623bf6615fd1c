//! Per-frame drawing cost: build the canvas shapes for one frame and tessellate them, as the
//! screen does, on generated boards of 1,000, 10,000 and 100,000 blocks (as many links). The
//! frame at 100 % must stay flat as the board grows (100k within 1.5× of 1k): what is drawn is
//! what the spatial index finds on screen. Targets (2 cores, 1920×1080 view) at 100k: 100 % ≤ 8 ms;
//! the whole board in view ≤ 16 ms; one zoom step (every label laid out again at a new font
//! size) ≤ 16 ms. One edit + undo ≤ 1 ms. The clustered layout adds links that cross the view.

use archboard::canvas::{Camera, View, paint};
use archboard::model::generate::{Layout, synthetic, synthetic_with};
use archboard::model::{Document, Edit, Point};
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
    doc: &Document,
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
        paint::paint_board(ui.painter(), doc.board(), doc.index(), &view, &style);
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

/// A context with its font atlas warmed (as a running app has), the board's link layout, and
/// the two cameras measured: at 100 % where the board starts, and the whole board in view.
fn setup(doc: &Document) -> (egui::Context, Fans, Camera, Camera) {
    let ctx = egui::Context::default();
    let mut warm = ctx.run_ui(egui::RawInput::default(), |_| {});
    // Nothing uploads textures here, so the atlas delta is dropped on purpose.
    warm.textures_delta.clear();
    let fans = ctx.fonts_mut(|f| paint::LinkLayout::new(doc.board(), f));
    let bounds = doc.board().bounds().unwrap_or_default();
    let at_100 = Camera {
        origin: Point::new(bounds.x, bounds.y),
        zoom: 1.0,
    };
    let fit = Camera::fit(SCREEN, &bounds, 20.0, 1.0);
    (ctx, fans, at_100, fit)
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
    let sizes = [
        (1_000, Layout::Grid),
        (10_000, Layout::Grid),
        (100_000, Layout::Grid),
        (100_000, Layout::Clusters),
    ];
    for (n, layout) in sizes {
        let doc = Document::new(synthetic_with(n, n, layout));
        let name = match layout {
            Layout::Grid => format!("{n}_blocks"),
            other => format!("{n}_blocks_{}", format!("{other:?}").to_lowercase()),
        };
        let (ctx, fans, at_100, fit) = setup(&doc);
        frame(&ctx, &doc, &fans, at_100, &palette, &colors);
        if n == 10_000 {
            c.bench_function(
                &format!("link_layout_{name} (after an edit; target 8 ms)"),
                |b| {
                    b.iter(|| {
                        black_box(
                            ctx.fonts_mut(|f| {
                                paint::LinkLayout::after(doc.board(), f, Some(&fans))
                            }),
                        )
                    })
                },
            );
        }
        c.bench_function(&format!("frame_100pct_{name} (target 8 ms)"), |b| {
            b.iter(|| black_box(frame(&ctx, &doc, &fans, at_100, &palette, &colors)))
        });
        c.bench_function(&format!("frame_whole_board_{name} (target 16 ms)"), |b| {
            b.iter(|| black_box(frame(&ctx, &doc, &fans, fit, &palette, &colors)))
        });
        // Each frame alternates between two zoom levels a wheel notch apart, so egui's text
        // cache (which keeps only the last frame's layouts) misses for every visible label.
        for (what, base) in [("whole_board", fit), ("100pct", at_100)] {
            let steps = [base, zoomed(base, 1.1)];
            let mut i = 0;
            c.bench_function(&format!("zoom_step_{what}_{name} (target 16 ms)"), |b| {
                b.iter(|| {
                    i += 1;
                    let cam = steps[i % 2];
                    black_box(frame(&ctx, &doc, &fans, cam, &palette, &colors))
                })
            });
        }
    }
}

/// 200 entities of 10 fields each against 200 plain blocks of the same size at the same
/// places: a table's rows must not make panning slower than a board of boxes (target: the
/// entities' frame within 1.5× of the plain one, at 100 % and with the whole board in view).
fn bench_entities(c: &mut Criterion) {
    use archboard::model::entity::height_for;
    use archboard::model::{ENTITY_KIND, Field};
    let palette = Palette::bundled();
    let colors = Colors::light();
    let plain = synthetic_with(200, 200, Layout::Grid);
    let mut plain_board = plain.clone();
    let mut entity_board = plain;
    let ids: Vec<_> = entity_board.blocks.keys().copied().collect();
    for id in ids {
        for (board, entity) in [(&mut plain_board, false), (&mut entity_board, true)] {
            let Some(b) = board.blocks.get_mut(&id) else {
                continue;
            };
            b.rect.w = 220.0;
            b.rect.h = height_for(10);
            if entity {
                b.kind = ENTITY_KIND.to_owned();
                b.fields = (0..10)
                    .map(|i| {
                        let f = Field::new(format!("field_{i}"), "varchar(64)");
                        if i == 0 { f.with("PK") } else { f }
                    })
                    .collect();
            }
        }
    }
    for (name, board) in [
        ("200_plain_blocks", plain_board),
        ("200_entities_10_fields", entity_board),
    ] {
        let doc = Document::new(board);
        let (ctx, fans, at_100, fit) = setup(&doc);
        frame(&ctx, &doc, &fans, at_100, &palette, &colors);
        c.bench_function(
            &format!("frame_100pct_{name} (entities within 1.5x of plain)"),
            |b| b.iter(|| black_box(frame(&ctx, &doc, &fans, at_100, &palette, &colors))),
        );
        c.bench_function(
            &format!("frame_whole_board_{name} (entities within 1.5x of plain)"),
            |b| b.iter(|| black_box(frame(&ctx, &doc, &fans, fit, &palette, &colors))),
        );
    }
}

/// 10,000 blocks with and without 10,000 freehand strokes of 60 points, one beside each block:
/// ink must not make a frame slower than 1.3× the same board without it, at 100 % and with the
/// whole board in view.
fn bench_ink(c: &mut Criterion) {
    use archboard::model::ink::{INK_KIND, quantize, rect_at};
    let palette = Palette::bundled();
    let colors = Colors::light();
    let plain = synthetic_with(10_000, 10_000, Layout::Grid);
    let mut inked = plain.clone();
    let places: Vec<_> = plain.blocks.values().map(|b| b.rect).collect();
    for (n, r) in places.into_iter().enumerate() {
        let points: Vec<Point> = (0..60)
            .map(|i| {
                let t = i as f32 / 59.0;
                let y = (t * 9.0 + n as f32).sin() * 14.0;
                Point::new(quantize(t * 90.0), quantize(y))
            })
            .collect();
        let origin = Point::new(r.x, r.y + r.h + 24.0);
        let id = inked.alloc_block_id();
        let mut b = archboard::model::Block::new(id, INK_KIND, "", rect_at(origin, &points));
        b.ink = points;
        inked.blocks.insert(id, b);
    }
    for (name, board) in [
        ("10k_blocks_without_ink", plain),
        ("10k_blocks_10k_strokes", inked),
    ] {
        let doc = Document::new(board);
        let (ctx, fans, at_100, fit) = setup(&doc);
        frame(&ctx, &doc, &fans, at_100, &palette, &colors);
        c.bench_function(
            &format!("frame_100pct_{name} (ink within 1.3x of none)"),
            |b| b.iter(|| black_box(frame(&ctx, &doc, &fans, at_100, &palette, &colors))),
        );
        c.bench_function(
            &format!("frame_whole_board_{name} (ink within 1.3x of none)"),
            |b| b.iter(|| black_box(frame(&ctx, &doc, &fans, fit, &palette, &colors))),
        );
    }
}

fn bench_edit(c: &mut Criterion) {
    let mut doc = Document::new(synthetic(100_000, 100_000));
    let id = *doc
        .board()
        .blocks
        .keys()
        .nth(50_000)
        .unwrap_or(&archboard::model::BlockId(1));
    c.bench_function("move_and_undo_100k_blocks (target 1 ms)", |b| {
        b.iter(|| {
            let _ = doc.apply(Edit::Move {
                blocks: vec![id],
                delta: Point::new(20.0, 0.0),
            });
            doc.undo();
        })
    });
}

criterion_group!(benches, bench_frames, bench_entities, bench_ink, bench_edit);
criterion_main!(benches);
