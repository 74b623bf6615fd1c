//! A picture says what the screen says: badges carry their text, the user's palette colours the
//! export as it colours the window, link labels cover nothing, and the three example boards
//! export as their golden pictures.

mod common;

use archboard::canvas::link_labels;
use archboard::canvas::paint::LinkLayout;
use archboard::export::{Background, ExportOptions, encode_png, render};
use archboard::lens::LensLibrary;
use archboard::model::{Board, Rect};
use archboard::palette::Palette;
use archboard::persistence::{load_board, save_board};
use common::{app_harness_with, wait_until};
use egui::Key;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::process::Command;

const EXAMPLES: [&str; 3] = ["url-shortener", "news-feed", "chat-service"];

fn example(name: &str) -> Board {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("saves/{name}.ron"));
    load_board(&path).expect("example")
}

fn opts(background: Background) -> ExportOptions {
    ExportOptions {
        scale: 2.0,
        background,
        padding: 20.0,
        selection: None,
    }
}

/// Pixel of a world point in an export of `b` with `o`.
fn px(b: &Board, o: &ExportOptions, x: f32, y: f32) -> (usize, usize) {
    let bounds = b.bounds().expect("bounds");
    (
        ((x - bounds.x + o.padding) * o.scale) as usize,
        ((y - bounds.y + o.padding) * o.scale) as usize,
    )
}

fn near(a: [u8; 4], b: egui::Color32, tol: u8) -> bool {
    let b = [b.r(), b.g(), b.b()];
    a[3] > 200 && a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tol)
}

#[test]
fn coverage_badges_hold_text_in_light_and_transparent_exports() {
    let palette = Palette::bundled();
    let lenses = LensLibrary::bundled();
    let colors = archboard::theme::Colors::light();
    for name in ["news-feed", "chat-service"] {
        let board = example(name);
        for bg in [Background::Light, Background::Transparent] {
            let o = opts(bg);
            let pic = render(&board, &o, &palette, Some(&lenses)).expect("render");
            let at = |x: usize, y: usize| -> [u8; 4] {
                let i = (y * pic.width + x) * 4;
                [
                    pic.rgba[i],
                    pic.rgba[i + 1],
                    pic.rgba[i + 2],
                    pic.rgba[i + 3],
                ]
            };
            let mut badges = 0;
            for b in covered(&board, &palette, &lenses) {
                // The pill sits in the block's bottom-right corner: find its accent-coloured
                // pixels there, then the text-coloured ones inside them.
                let (x1, y1) = px(&board, &o, b.x + b.w, b.y + b.h);
                let (x0, y0) = (x1.saturating_sub(90), y1.saturating_sub(40));
                let pill: Vec<(usize, usize)> = (y0..y1)
                    .flat_map(|y| (x0..x1).map(move |x| (x, y)))
                    .filter(|&(x, y)| {
                        near(at(x, y), colors.selection, 12) || near(at(x, y), colors.ok, 12)
                    })
                    .collect();
                assert!(pill.len() > 100, "{name} {bg:?}: no pill at {b:?}");
                let (px0, px1) = (
                    pill.iter().map(|p| p.0).min().unwrap_or(0),
                    pill.iter().map(|p| p.0).max().unwrap_or(0),
                );
                let (py0, py1) = (
                    pill.iter().map(|p| p.1).min().unwrap_or(0),
                    pill.iter().map(|p| p.1).max().unwrap_or(0),
                );
                let text = (py0..=py1)
                    .flat_map(|y| (px0..=px1).map(move |x| (x, y)))
                    .filter(|&(x, y)| near(at(x, y), colors.on_accent, 40))
                    .count();
                assert!(
                    text > 20,
                    "{name} {bg:?}: the pill at {b:?} has no text ({text} px)"
                );
                badges += 1;
            }
            assert!(badges >= 4, "{name} has lens work to show");
        }
    }
}

/// The blocks of a board that show a coverage badge.
fn covered(board: &Board, palette: &Palette, lenses: &LensLibrary) -> Vec<Rect> {
    board
        .blocks
        .values()
        .filter(|b| !b.is_frame() && !b.is_text())
        .filter(|b| {
            lenses
                .coverage(b, &palette.kind_or_fallback(&b.kind).lens)
                .0
                > 0
        })
        .map(|b| b.rect)
        .collect()
}

/// A config folder holding a palette with a red "ledger" kind and a service that handles one
/// request a second.
fn user_config() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let palettes = dir.path().join("archboard/palettes");
    std::fs::create_dir_all(&palettes).expect("mkdir");
    std::fs::write(palettes.join("mine.ron"), PALETTE).expect("palette");
    dir
}

const PALETTE: &str = r#"(kinds: [
    (id: "ledger", name: "Ledger", tag: "LDG", shape: Rounded, tint: Red, size: (160, 80), lens: "database", category: "Payments"),
    (id: "service", name: "Service", tag: "SVC", shape: Rounded, tint: Slate, size: (140, 70), lens: "api", category: "Compute", role: Compute, capacity: 1.0),
])"#;

fn ledger_board(dir: &Path) -> PathBuf {
    let mut b = Board::new("ledger");
    let id = b.alloc_block_id();
    b.blocks.insert(
        id,
        archboard::model::Block::new(id, "ledger", "", Rect::new(0.0, 0.0, 160.0, 80.0)),
    );
    let path = dir.join("ledger.ron");
    save_board(&path, &b).expect("save");
    path
}

/// The light fill of the red tint, and of the grey stand-in for unknown kinds.
fn red_fill() -> egui::Color32 {
    archboard::theme::tint_colors(archboard::palette::Tint::Red, false).0
}

fn run(args: &[&str], config: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(args)
        .env("XDG_CONFIG_HOME", config)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run archboard")
}

#[test]
fn the_command_line_exports_and_reviews_with_the_users_palette() {
    let config = user_config();
    let dir = tempfile::tempdir().expect("tmp");
    let board = ledger_board(dir.path());
    let out = dir.path().join("ledger.png");
    let r = run(
        &[
            "export",
            board.to_str().expect("utf8"),
            "-o",
            out.to_str().expect("utf8"),
            "--scale",
            "1",
            "--padding",
            "0",
        ],
        config.path(),
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let img = image::open(&out).expect("png").to_rgba8();
    let centre = img.get_pixel(80, 60).0;
    assert!(
        near(centre, red_fill(), 6),
        "{centre:?} is not the user's red"
    );

    // With services that take one request a second, the URL shortener is over capacity.
    let url = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/url-shortener.ron");
    let r = run(&["review", url.to_str().expect("utf8")], config.path());
    let text = String::from_utf8_lossy(&r.stdout);
    assert_eq!(r.status.code(), Some(1), "{text}");
    assert!(text.contains("over capacity"), "{text}");
    let empty = tempfile::tempdir().expect("tmp");
    let r = run(&["review", url.to_str().expect("utf8")], empty.path());
    assert_eq!(
        r.status.code(),
        Some(0),
        "the bundled palette reviews it clean"
    );
}

#[test]
fn the_window_exports_with_its_own_palette() {
    let dir = tempfile::tempdir().expect("tmp");
    let board = ledger_board(dir.path());
    let out = dir.path().join("from-window.png");
    let (palette, problems) =
        Palette::with_user_dir(&user_config().path().join("archboard/palettes"));
    assert!(problems.is_empty(), "{problems:?}");
    let mut h = app_harness_with(Some(board), |app| app.with_palette(palette));
    wait_until(&mut h, "the load", |app| {
        app.board.doc.board().blocks.len() == 1
    });
    h.key_press_modifiers(
        egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
        Key::E,
    );
    h.run_steps(3);
    assert!(
        h.state().has_dialog(),
        "the export dialog is open: {}",
        h.state().status.text
    );
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .last()
        .expect("path field")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.event(egui::Event::Text(out.display().to_string()));
    h.run_steps(1);
    h.get_by_label("1×").click();
    // The preview is drawn again at the new scale; let the dialog settle at its new size.
    h.run_steps(5);
    h.get_by_label("Export").click();
    h.run_steps(1);
    h.run_steps(30);
    wait_until(&mut h, "the export", |app| {
        assert!(!app.status.text.contains("rror"), "{}", app.status.text);
        out.exists() && app.status.text.starts_with("Exported")
    });
    let img = image::open(&out).expect("png").to_rgba8();
    let (w, hgt) = img.dimensions();
    let centre = img.get_pixel(w / 2, hgt / 2).0;
    assert!(
        near(centre, red_fill(), 6),
        "{centre:?} is not the palette's red"
    );
}

/// The layout the painter uses for `board`, measured with egui's own fonts.
fn layout(board: &Board) -> (LinkLayout, Vec<Rect>) {
    let ctx = egui::Context::default();
    let mut first = ctx.run_ui(egui::RawInput::default(), |_| {});
    first.textures_delta.clear();
    struct Fonts<'a, 'b>(&'a mut egui::epaint::text::FontsView<'b>);
    impl link_labels::Measure for Fonts<'_, '_> {
        fn measure(&mut self, text: &str, size: f32, wrap: Option<f32>) -> (f32, f32) {
            let font = egui::FontId::proportional(size);
            let g = match wrap {
                Some(w) => self.0.layout(text.into(), font, egui::Color32::WHITE, w),
                None => self
                    .0
                    .layout_no_wrap(text.into(), font, egui::Color32::WHITE),
            };
            (g.size().x, g.size().y)
        }
    }
    ctx.fonts_mut(|f| {
        let layout = LinkLayout::new(board, f);
        let titles = board
            .blocks
            .values()
            .filter(|b| b.is_frame())
            .filter_map(|b| link_labels::frame_title_rect(b, &mut Fonts(f)))
            .collect();
        (layout, titles)
    })
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

#[test]
fn link_labels_in_the_examples_cover_no_block_title_or_label() {
    for name in EXAMPLES {
        let board = example(name);
        let (layout, titles) = layout(&board);
        let labels: Vec<(String, Rect)> = board
            .links
            .values()
            .filter_map(|l| {
                let placed = layout.label(l.id)?;
                Some((l.label.clone(), placed.rect()))
            })
            .collect();
        assert_eq!(
            labels.len(),
            board.links.values().filter(|l| !l.label.is_empty()).count()
        );
        for (i, (text, r)) in labels.iter().enumerate() {
            for b in board.blocks.values().filter(|b| !b.is_frame()) {
                assert!(
                    !overlap(r, &b.rect),
                    "{name}: \"{text}\" covers {:?}",
                    b.label
                );
            }
            for t in &titles {
                assert!(!overlap(r, t), "{name}: \"{text}\" covers a frame title");
            }
            for (other, o) in &labels[i + 1..] {
                assert!(!overlap(r, o), "{name}: \"{text}\" covers \"{other}\"");
            }
        }
    }
}

/// The three examples as exported pictures. Set ARCHBOARD_UPDATE_GOLDEN=1 to accept a
/// deliberate change, and look at the new pictures before committing them.
#[test]
fn the_examples_export_as_their_golden_pictures() {
    for name in EXAMPLES {
        let pic = render(
            &example(name),
            &ExportOptions {
                scale: 1.0,
                ..opts(Background::Light)
            },
            &Palette::bundled(),
            Some(&LensLibrary::bundled()),
        )
        .expect("render");
        common::assert_golden(
            &format!("golden/{name}.png"),
            &encode_png(&pic).expect("png"),
        );
    }
}
