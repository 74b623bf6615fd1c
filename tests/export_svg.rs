//! The SVG export: drawn by the screen's painter like the PNG, with real text, and reopening as
//! the board it was made from.

use archboard::export::{ExportOptions, render, svg::render_svg};
use archboard::palette::Palette;
use std::path::Path;

fn example(name: &str) -> archboard::model::Board {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("saves/{name}.ron"));
    archboard::persistence::load_board(&path).expect("example loads")
}

/// Renders an SVG with resvg, using the font the screen uses; straight RGBA.
fn rasterize(svg: &str, w: u32, h: u32) -> Vec<u8> {
    let mut opt = resvg::usvg::Options {
        font_family: "Ubuntu".into(),
        ..Default::default()
    };
    opt.fontdb_mut()
        .load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    let tree = resvg::usvg::Tree::from_str(svg, &opt).expect("resvg reads the SVG");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).expect("pixmap");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect()
}

#[test]
fn the_svg_looks_like_the_png_of_the_same_board() {
    let palette = Palette::bundled();
    let lenses = archboard::lens::LensLibrary::bundled();
    for name in ["url-shortener", "news-feed", "chat-service"] {
        let board = example(name);
        let opts = ExportOptions {
            scale: 1.0,
            ..ExportOptions::default()
        };
        let png = render(&board, &opts, &palette, Some(&lenses)).expect("png");
        let (svg, drawn) = render_svg(&board, &opts, &palette, Some(&lenses)).expect("svg");
        assert_eq!((drawn.width, drawn.height), (png.width, png.height));
        let pixels = rasterize(&svg, png.width as u32, png.height as u32);
        let total = png.width * png.height;
        let differing = png
            .rgba
            .chunks_exact(4)
            .zip(pixels.chunks_exact(4))
            .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 64))
            .count();
        let share = differing as f64 / total as f64;
        eprintln!("{name}: {:.3} % of pixels differ", share * 100.0);
        if let Some(dir) = std::env::var_os("ARCHBOARD_SVG_DUMP") {
            let out = Path::new(&dir).join(format!("{name}.svg.png"));
            image::save_buffer(
                &out,
                &pixels,
                png.width as u32,
                png.height as u32,
                image::ColorType::Rgba8,
            )
            .expect("dump");
        }
        // Edges are anti-aliased a little differently and glyphs come from another rasterizer;
        // a missing shape or a misplaced label would differ far more.
        assert!(
            share < 0.012,
            "{name}: {:.2} % of pixels differ",
            share * 100.0
        );
    }
}

#[test]
fn the_svg_has_real_text_and_reopens_as_its_board() {
    let palette = Palette::bundled();
    let board = example("news-feed");
    let (svg, _) = render_svg(&board, &ExportOptions::default(), &palette, None).expect("svg");
    // The words of every text element, in order.
    let shown: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| {
            t.split_once('>')
                .and_then(|(_, rest)| rest.split_once("</text>"))
        })
        .flat_map(|(words, _)| words.split_whitespace())
        .collect();
    let shown = format!(" {} ", shown.join(" "));
    for b in board.blocks.values() {
        let words = b.label.split_whitespace().collect::<Vec<_>>().join(" ");
        if !words.is_empty() {
            assert!(
                shown.contains(&format!(" {words} ")),
                "{words:?} is selectable text"
            );
        }
    }
    let back = archboard::persistence::parse_board_bytes(svg.as_bytes(), Path::new("x.svg"))
        .expect("the SVG opens as a board");
    assert_eq!(back.blocks, board.blocks);
    assert_eq!(back.links, board.links);
}
