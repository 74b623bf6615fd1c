//! PNG export: the board drawn by the same painter as the screen, rasterized on the CPU, with the
//! board embedded so the picture opens again as an editable board. Runs without a display.

mod raster;
pub mod report;
pub mod svg;

pub use raster::{Pixmap, Textures};

use crate::canvas::{Camera, View, paint};
use crate::lens::LensLibrary;
use crate::model::{BlockId, Board, fragment};
use crate::palette::Palette;
use crate::persistence;
use crate::theme::Colors;
use std::collections::BTreeSet;
use std::path::Path;

/// Longest side a picture may have.
pub const MAX_SIDE: f32 = 16_384.0;
/// Most pixels a picture may have (64 megapixels).
pub const MAX_PIXELS: f32 = 64_000_000.0;
/// Keyword of the PNG text chunk that carries the board.
pub const PNG_KEYWORD: &str = "archboard";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Background {
    #[default]
    Light,
    Dark,
    Transparent,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExportOptions {
    pub scale: f32,
    pub background: Background,
    /// Margin around the content, in pixels at scale 1.
    pub padding: f32,
    /// Export only these blocks (and the links between them); `None` exports the whole board.
    pub selection: Option<BTreeSet<BlockId>>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            scale: 2.0,
            background: Background::Light,
            padding: 32.0,
            selection: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("nothing to export: the {0} is empty")]
    Empty(&'static str),
    #[error("scale must be a positive number, not {0}")]
    BadScale(f32),
    #[error("padding must be between 0 and 10000 pixels, not {0}")]
    BadPadding(f32),
    #[error("cannot encode the PNG: {0}")]
    Encode(String),
    #[error(transparent)]
    Save(#[from] persistence::SaveError),
}

/// A rendered picture, ready to encode.
pub struct Picture {
    pub width: usize,
    pub height: usize,
    /// Straight (not premultiplied) RGBA.
    pub rgba: Vec<u8>,
    /// The scale used; lower than asked when the picture would have been too large.
    pub scale: f32,
    /// The board that was drawn (the selection, when exporting one).
    pub board: Board,
}

/// The part of `board` the options ask for.
pub fn subject(board: &Board, opts: &ExportOptions) -> Board {
    match &opts.selection {
        Some(ids) => fragment::extract(board, ids),
        None => board.clone(),
    }
}

/// The board drawn by the screen's painter, as egui shapes, before any rasterizing: the PNG
/// tessellates and fills them, the SVG writes them out as vector elements.
pub struct Drawn {
    pub shapes: Vec<egui::epaint::ClippedShape>,
    pub textures_delta: egui::TexturesDelta,
    pub pixels_per_point: f32,
    pub width: usize,
    pub height: usize,
    pub scale: f32,
    pub background: egui::Color32,
    pub board: Board,
    ctx: egui::Context,
}

/// Runs the canvas painter headless over the board (or selection) at the export's scale.
pub fn draw(
    board: &Board,
    opts: &ExportOptions,
    palette: &Palette,
    lenses: Option<&LensLibrary>,
) -> Result<Drawn, ExportError> {
    if !(opts.scale.is_finite() && opts.scale > 0.0) {
        return Err(ExportError::BadScale(opts.scale));
    }
    if !(0.0..=10_000.0).contains(&opts.padding) {
        return Err(ExportError::BadPadding(opts.padding));
    }
    let board = subject(board, opts);
    let bounds = board
        .bounds()
        .ok_or(ExportError::Empty(if opts.selection.is_some() {
            "selection"
        } else {
            "board"
        }))?;
    let world = bounds.expanded(opts.padding);
    let scale = fit_scale(world.w, world.h, opts.scale);
    let (w, h) = (
        (world.w * scale).round().max(1.0) as usize,
        (world.h * scale).round().max(1.0) as usize,
    );
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w as f32, h as f32));
    let view = View::new(
        Camera {
            origin: world.min(),
            zoom: scale,
        },
        screen,
    );
    let dark = opts.background == Background::Dark;
    let mut colors = Colors::for_dark_mode(dark);
    // The background is filled up front (or left out); drawing a picture-sized rectangle
    // through the rasterizer would cost a blend per pixel.
    let background = match opts.background {
        Background::Transparent => egui::Color32::TRANSPARENT,
        _ => colors.background,
    };
    colors.label_background = if background.a() == 0 {
        Colors::light().background
    } else {
        background
    };
    colors.background = egui::Color32::TRANSPARENT;
    let ctx = egui::Context::default();
    let input = egui::RawInput {
        screen_rect: Some(screen),
        max_texture_side: Some(8_192),
        ..Default::default()
    };
    let out = ctx.run_ui(input, |ui| {
        // The same layout as the screen's: labels land where the window puts them.
        let layout = ui
            .ctx()
            .fonts_mut(|f| crate::canvas::layout::LinkLayout::new(&board, f));
        let style = paint::Style {
            colors: &colors,
            dark,
            palette,
            grid: false,
            layout: &layout,
            badges: lenses,
            design: None,
        };
        let index = crate::model::SpatialIndex::build(&board);
        paint::paint_board(ui.painter(), &board, &index, &view, &style);
    });
    Ok(Drawn {
        shapes: out.shapes,
        textures_delta: out.textures_delta,
        pixels_per_point: out.pixels_per_point,
        width: w,
        height: h,
        scale,
        background,
        board,
        ctx,
    })
}

/// Draws the board (or selection) into pixels with the screen's painter.
pub fn render(
    board: &Board,
    opts: &ExportOptions,
    palette: &Palette,
    lenses: Option<&LensLibrary>,
) -> Result<Picture, ExportError> {
    let mut drawn = draw(board, opts, palette, lenses)?;
    let mut textures = Textures::default();
    textures.apply(&mut drawn.textures_delta);
    let prims = drawn.ctx.tessellate(drawn.shapes, drawn.pixels_per_point);
    let mut pixmap = Pixmap::new(drawn.width, drawn.height);
    pixmap.fill(drawn.background);
    pixmap.draw(&prims, &textures);
    Ok(Picture {
        width: drawn.width,
        height: drawn.height,
        rgba: pixmap.into_straight_rgba(),
        scale: drawn.scale,
        board: drawn.board,
    })
}

/// The largest scale up to `asked` that keeps a `w`×`h` world area within the size limits.
pub fn fit_scale(w: f32, h: f32, asked: f32) -> f32 {
    let by_side = MAX_SIDE / w.max(h).max(1.0);
    let by_area = (MAX_PIXELS / (w * h).max(1.0)).sqrt();
    asked.min(by_side).min(by_area)
}

/// Encodes a picture as PNG with its board embedded as a compressed text chunk.
pub fn encode_png(pic: &Picture) -> Result<Vec<u8>, ExportError> {
    let ron =
        persistence::to_ron_string(&pic.board).map_err(|e| ExportError::Encode(e.to_string()))?;
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, pic.width as u32, pic.height as u32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc
            .write_header()
            .map_err(|e| ExportError::Encode(e.to_string()))?;
        let mut chunk = png::text_metadata::ITXtChunk::new(PNG_KEYWORD, ron);
        chunk.compressed = true;
        writer
            .write_text_chunk(&chunk)
            .map_err(|e| ExportError::Encode(e.to_string()))?;
        writer
            .write_image_data(&pic.rgba)
            .map_err(|e| ExportError::Encode(e.to_string()))?;
        writer
            .finish()
            .map_err(|e| ExportError::Encode(e.to_string()))?;
    }
    Ok(out)
}

/// Renders, encodes and writes a PNG atomically. Returns the picture (without its pixels' copy).
pub fn export_png(
    board: &Board,
    opts: &ExportOptions,
    palette: &Palette,
    lenses: Option<&LensLibrary>,
    path: &Path,
) -> Result<Picture, ExportError> {
    let pic = render(board, opts, palette, lenses)?;
    let bytes = encode_png(&pic)?;
    persistence::write_atomic(path, &bytes).map_err(|source| persistence::SaveError {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(pic)
}

/// What [`export_file`] wrote.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Written {
    /// A PNG or SVG of this size, drawn at this scale (lower than asked for a huge board).
    Picture {
        width: usize,
        height: usize,
        scale: f32,
        svg: bool,
    },
    /// Another tool's diagram file.
    Diagram(crate::interchange::Format),
}

/// Writes the board (or selection) in the format `path`'s extension names: `.svg`,
/// `.excalidraw`, `.drawio`, `.mmd`, or else PNG. The window and the CLI both come here.
pub fn export_file(
    board: &Board,
    opts: &ExportOptions,
    palette: &Palette,
    lenses: Option<&LensLibrary>,
    path: &Path,
) -> Result<Written, ExportError> {
    if let Some(format) = crate::interchange::Format::for_output(path) {
        let text = crate::interchange::write(&subject(board, opts), format, palette);
        persistence::write_atomic(path, text.as_bytes()).map_err(|source| {
            persistence::SaveError {
                path: path.to_path_buf(),
                source,
            }
        })?;
        return Ok(Written::Diagram(format));
    }
    let svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    let (width, height, scale) = if svg {
        svg::export_svg(board, opts, palette, lenses, path)?
    } else {
        let pic = export_png(board, opts, palette, lenses, path)?;
        (pic.width, pic.height, pic.scale)
    };
    Ok(Written::Picture {
        width,
        height,
        scale,
        svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_is_lowered_for_huge_boards_only() {
        assert_eq!(fit_scale(1000.0, 500.0, 2.0), 2.0);
        let s = fit_scale(20_000.0, 14_000.0, 2.0);
        assert!(s < 1.0);
        assert!(20_000.0 * s <= MAX_SIDE + 0.5);
        assert!(20_000.0 * s * 14_000.0 * s <= MAX_PIXELS * 1.001);
    }
}
