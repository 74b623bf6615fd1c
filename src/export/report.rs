//! Writes the interview report: the Markdown and, beside it, the board's PNG drawn by the same
//! path as every export; or, for a `.html` path, one page with the picture inside it. The
//! window (off the UI thread) and `archboard report` both call this.

use super::{ExportError, ExportOptions, export_png};
use crate::lens::LensLibrary;
use crate::model::Board;
use crate::palette::Palette;
use crate::practice::Library;
use crate::practice::report::{Inputs, markdown};
use crate::timer::Plan;
use std::path::{Path, PathBuf};

/// Writes `path` (Markdown) and, for a board with blocks, `path` with `.png` beside it, both
/// atomically. Returns the picture's path when one was written. A `.html` path gets one
/// self-contained page instead, the picture inlined, and nothing beside it.
pub fn write_report(
    board: &Board,
    palette: &Palette,
    lenses: &LensLibrary,
    plans: &[Plan],
    problems: &Library,
    path: &Path,
) -> Result<Option<PathBuf>, ExportError> {
    let html = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    let picture = path.with_extension("png");
    let mut inline = None;
    let drawn = if board.blocks.is_empty() {
        None
    } else if html {
        let pic = super::render(board, &ExportOptions::default(), palette, Some(lenses))?;
        inline = Some(super::encode_png(&pic)?);
        None
    } else {
        export_png(
            board,
            &ExportOptions::default(),
            palette,
            Some(lenses),
            &picture,
        )?;
        Some(picture)
    };
    let name = if inline.is_some() {
        Some("board.png".to_owned())
    } else {
        drawn
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    };
    let md = markdown(&Inputs {
        board,
        palette,
        lenses,
        plans,
        problems,
        picture: name.as_deref(),
    });
    let text = match inline {
        Some(png) => html_page(&board.title, &md, &png),
        None if html => html_page(&board.title, &md, &[]),
        None => md,
    };
    crate::persistence::write_atomic(path, text.as_bytes()).map_err(|source| {
        crate::persistence::SaveError {
            path: path.to_path_buf(),
            source,
        }
    })?;
    Ok(drawn)
}

/// The Markdown as one HTML page; the picture (when given) replaces the `board.png` link.
fn html_page(title: &str, md: &str, png: &[u8]) -> String {
    use base64::Engine;
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, pulldown_cmark::Parser::new_ext(md, options));
    if !png.is_empty() {
        let data = base64::engine::general_purpose::STANDARD.encode(png);
        body = body.replace(
            "src=\"board.png\"",
            &format!("src=\"data:image/png;base64,{data}\""),
        );
    }
    let title = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title><style>\
body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.45}}\
img{{max-width:100%}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em}}\
blockquote{{color:#444;border-left:3px solid #ccc;margin-left:0;padding-left:1em}}\
</style></head><body>\n{body}</body></html>\n"
    )
}
