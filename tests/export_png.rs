//! PNG export, headless: the real binary and the library, checked by decoding the pictures.

use archboard::export::{Background, ExportOptions, encode_png, render};
use archboard::lens::LensLibrary;
use archboard::model::{BlockId, Board};
use archboard::palette::Palette;
use archboard::persistence::{load_board, parse_board_bytes};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn board() -> Board {
    load_board(&fixture("export_small.ron")).expect("fixture")
}

fn export(args: &[&str], out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_archboard"))
        .arg("export")
        .args(args)
        .arg("-o")
        .arg(out)
        // No user palettes: the bundled one is what these tests reason about.
        .env("XDG_CONFIG_HOME", "/nonexistent-archboard-config")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run archboard export")
}

fn decode(path: &Path) -> image::RgbaImage {
    image::open(path).expect("a PNG").to_rgba8()
}

/// Pixel position of a world point in an export with `padding` and `scale`.
fn at(b: &Board, padding: f32, scale: f32, x: f32, y: f32) -> (u32, u32) {
    let bounds = b.bounds().expect("bounds");
    (
        ((x - bounds.x + padding) * scale) as u32,
        ((y - bounds.y + padding) * scale) as u32,
    )
}

#[test]
fn dimensions_follow_bounds_padding_and_scale() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("x.png");
    let r = export(
        &[
            fixture("export_small.ron").to_str().expect("utf8"),
            "--scale",
            "2",
            "--padding",
            "10",
        ],
        &out,
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let img = decode(&out);
    let b = board().bounds().expect("bounds");
    let (w, h) = ((b.w + 20.0) * 2.0, (b.h + 20.0) * 2.0);
    assert!(
        (img.width() as f32 - w).abs() <= 1.0 && (img.height() as f32 - h).abs() <= 1.0,
        "{}×{} vs {w}×{h}",
        img.width(),
        img.height()
    );
}

#[test]
fn backgrounds_block_fills_and_labels_show_up() {
    let b = board();
    let palette = Palette::bundled();
    for (bg, expect) in [
        (Background::Light, [248, 249, 251, 255]),
        (Background::Dark, [27, 29, 34, 255]),
    ] {
        let opts = ExportOptions {
            scale: 1.0,
            background: bg,
            padding: 20.0,
            selection: None,
        };
        let pic = render(&b, &opts, &palette, None).expect("render");
        let img =
            image::RgbaImage::from_raw(pic.width as u32, pic.height as u32, pic.rgba).expect("img");
        assert_eq!(img.get_pixel(2, 2).0, expect, "{bg:?} background");
        // The unlabelled box's centre shows its fill colour.
        let (x, y) = at(&b, 20.0, 1.0, 70.0, 40.0);
        let (fill, _) =
            archboard::theme::tint_colors(archboard::palette::Tint::Slate, bg == Background::Dark);
        assert_eq!(img.get_pixel(x, y).0, fill.to_array(), "{bg:?} box fill");
    }
    let opts = ExportOptions {
        scale: 1.0,
        background: Background::Light,
        padding: 20.0,
        selection: None,
    };
    let pic = render(&b, &opts, &palette, None).expect("render");
    let img =
        image::RgbaImage::from_raw(pic.width as u32, pic.height as u32, pic.rgba).expect("img");
    // "Redis" is drawn in dark text inside the cache block.
    let (x0, y0) = at(&b, 20.0, 1.0, 250.0, 20.0);
    let (x1, y1) = at(&b, 20.0, 1.0, 390.0, 75.0);
    let dark = (x0..x1)
        .flat_map(|x| (y0..y1).map(move |y| (x, y)))
        .filter(|(x, y)| img.get_pixel(*x, *y).0[0] < 90)
        .count();
    assert!(dark > 30, "the label left dark pixels: {dark}");

    let opts = ExportOptions {
        background: Background::Transparent,
        ..opts
    };
    let pic = render(&b, &opts, &palette, None).expect("render");
    assert_eq!(pic.rgba[3], 0, "transparent background has alpha 0");
}

#[test]
fn the_embedded_board_reads_back_equal_and_opens_with_check() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("board.png");
    let r = export(&[fixture("export_small.ron").to_str().expect("utf8")], &out);
    assert!(r.status.success());
    let back = load_board(&out).expect("the PNG opens as a board");
    assert_eq!(back, board());
    let check = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .arg("check")
        .arg(&out)
        .output()
        .expect("check");
    assert_eq!(String::from_utf8_lossy(&check.stdout), "3 blocks, 1 link\n");
    // Exporting the PNG itself works too.
    let again = dir.path().join("again.png");
    assert!(
        export(&[out.to_str().expect("utf8"), "--scale", "1"], &again)
            .status
            .success()
    );
}

#[test]
fn selection_exports_only_those_blocks_and_their_links() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("sel.png");
    let r = export(
        &[
            fixture("export_small.ron").to_str().expect("utf8"),
            "--selection-ids",
            "2,3",
        ],
        &out,
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let back = load_board(&out).expect("embedded");
    assert_eq!(
        back.blocks.keys().copied().collect::<Vec<_>>(),
        vec![BlockId(2), BlockId(3)]
    );
    assert_eq!(back.links.len(), 1);
    let r = export(
        &[
            fixture("export_small.ron").to_str().expect("utf8"),
            "--selection-ids",
            "1",
        ],
        &out,
    );
    assert!(r.status.success());
    assert_eq!(
        load_board(&out).expect("embedded").links.len(),
        0,
        "a link needs both ends exported"
    );
}

#[test]
fn a_png_without_a_board_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("plain.png");
    image::RgbaImage::new(4, 4).save(&p).expect("plain png");
    let e = load_board(&p).expect_err("no board");
    assert!(e.to_string().contains("holds no archboard board"), "{e}");
    let bytes = std::fs::read(&p).expect("read");
    let truncated = &bytes[..bytes.len() / 2];
    assert!(parse_board_bytes(truncated, Path::new("t.png")).is_err());
}

#[test]
fn cli_errors_exit_two_with_a_message() {
    let dir = tempfile::tempdir().expect("tmp");
    let good = fixture("export_small.ron");
    for (args, out, needle) in [
        (
            vec![fixture("truncated.ron").to_str().expect("utf8").to_owned()],
            dir.path().join("a.png"),
            "truncated.ron",
        ),
        (
            vec![good.to_str().expect("utf8").to_owned()],
            dir.path().join("missing/dir/a.png"),
            "cannot save",
        ),
        (
            vec![
                good.to_str().expect("utf8").to_owned(),
                "--scale".into(),
                "-1".into(),
            ],
            dir.path().join("a.png"),
            "scale",
        ),
        (
            vec![
                good.to_str().expect("utf8").to_owned(),
                "--background".into(),
                "blue".into(),
            ],
            dir.path().join("a.png"),
            "blue",
        ),
        (
            vec![
                good.to_str().expect("utf8").to_owned(),
                "--selection-ids".into(),
                "99".into(),
            ],
            dir.path().join("a.png"),
            "#99",
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = export(&args, &out);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn huge_pictures_lower_the_scale_and_say_so() {
    let mut b = Board::default();
    for x in [0.0, 40_000.0] {
        let id = b.alloc_block_id();
        b.blocks.insert(
            id,
            archboard::model::Block::new(
                id,
                "box",
                "",
                archboard::model::Rect::new(x, 0.0, 100.0, 40.0),
            ),
        );
    }
    let dir = tempfile::tempdir().expect("tmp");
    let src = dir.path().join("wide.ron");
    archboard::persistence::save_board(&src, &b).expect("save");
    let out = dir.path().join("wide.png");
    let r = export(&[src.to_str().expect("utf8"), "--scale", "1"], &out);
    assert!(r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("scale lowered"));
    assert!(decode(&out).width() <= 16_384);
}

/// Catches unintended changes in how a board is drawn. Set ARCHBOARD_UPDATE_GOLDEN=1 to accept a
/// deliberate change (and look at the new picture before committing it).
#[test]
fn golden_image() {
    let golden = fixture("golden/export_small.png");
    let opts = ExportOptions {
        scale: 1.0,
        background: Background::Light,
        padding: 16.0,
        selection: None,
    };
    let pic = render(
        &board(),
        &opts,
        &Palette::bundled(),
        Some(&LensLibrary::bundled()),
    )
    .expect("render");
    if std::env::var_os("ARCHBOARD_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().expect("dir")).expect("mkdir");
        std::fs::write(&golden, encode_png(&pic).expect("encode")).expect("write golden");
    }
    let want = decode(&golden);
    assert_eq!(
        (want.width(), want.height()),
        (pic.width as u32, pic.height as u32),
        "size changed"
    );
    let got =
        image::RgbaImage::from_raw(pic.width as u32, pic.height as u32, pic.rgba).expect("img");
    let differing = want
        .pixels()
        .zip(got.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0.iter()).any(|(x, y)| x.abs_diff(*y) > 24))
        .count();
    let share = differing as f32 / (want.width() * want.height()) as f32;
    assert!(
        share < 0.002,
        "{differing} pixels ({:.2} %) differ from the golden image",
        share * 100.0
    );
}
