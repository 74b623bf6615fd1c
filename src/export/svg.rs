//! SVG export: the shapes the screen's painter makes, written as vector elements instead of
//! rasterized. Text stays text (`<text>`, selectable and searchable), and the board rides along
//! in a comment so the SVG opens again as a board, like the PNG.

use super::{Drawn, ExportError, ExportOptions, draw};
use crate::lens::LensLibrary;
use crate::model::Board;
use crate::palette::Palette;
use crate::persistence;
use egui::epaint::{Color32, Shape, Stroke, StrokeKind};
use std::fmt::Write;
use std::path::Path;

/// The font the screen uses, named first; any sans-serif stands in where it is missing.
const FONT: &str = "Ubuntu, 'Ubuntu Light', 'DejaVu Sans', Arial, sans-serif";

/// The board as an SVG document, drawn at `opts`' scale and padding.
pub fn render_svg(
    board: &Board,
    opts: &ExportOptions,
    palette: &Palette,
    lenses: Option<&LensLibrary>,
) -> Result<(String, Drawn), ExportError> {
    let mut drawn = draw(board, opts, palette, lenses)?;
    // Glyphs are written as text, so the font atlas is not needed.
    drawn.textures_delta.clear();
    let mut out = String::new();
    let (w, h) = (drawn.width, drawn.height);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT}\">"
    );
    let ron =
        persistence::to_ron_string(&drawn.board).map_err(|e| ExportError::Encode(e.to_string()))?;
    let _ = writeln!(out, "{}", persistence::svg_embed::comment(&ron));
    if drawn.background.a() > 0 {
        let _ = writeln!(
            out,
            "<rect width=\"100%\" height=\"100%\" {}/>",
            fill(drawn.background)
        );
    }
    for clipped in &drawn.shapes {
        shape(&mut out, &clipped.shape);
    }
    out.push_str("</svg>\n");
    Ok((out, drawn))
}

/// Renders and writes an SVG atomically; returns its size in pixels.
pub fn export_svg(
    board: &Board,
    opts: &ExportOptions,
    palette: &Palette,
    lenses: Option<&LensLibrary>,
    path: &Path,
) -> Result<(usize, usize, f32), ExportError> {
    let (text, drawn) = render_svg(board, opts, palette, lenses)?;
    persistence::write_atomic(path, text.as_bytes()).map_err(|source| persistence::SaveError {
        path: path.to_path_buf(),
        source,
    })?;
    Ok((drawn.width, drawn.height, drawn.scale))
}

fn rgb(c: Color32) -> (String, f32) {
    let [r, g, b, a] = c.to_srgba_unmultiplied();
    (format!("#{r:02x}{g:02x}{b:02x}"), f32::from(a) / 255.0)
}

fn fill(c: Color32) -> String {
    if c.a() == 0 {
        return "fill=\"none\"".into();
    }
    let (hex, a) = rgb(c);
    if a < 1.0 {
        format!("fill=\"{hex}\" fill-opacity=\"{a:.3}\"")
    } else {
        format!("fill=\"{hex}\"")
    }
}

fn stroke(s: Stroke) -> String {
    if s.width <= 0.0 || s.color.a() == 0 {
        return String::new();
    }
    let (hex, a) = rgb(s.color);
    let mut out = format!(" stroke=\"{hex}\" stroke-width=\"{:.2}\"", s.width);
    if a < 1.0 {
        let _ = write!(out, " stroke-opacity=\"{a:.3}\"");
    }
    out
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shape(out: &mut String, s: &Shape) {
    match s {
        Shape::Vec(shapes) => {
            for s in shapes {
                shape(out, s);
            }
        }
        Shape::Rect(r) => {
            let grow = match r.stroke_kind {
                StrokeKind::Inside => -r.stroke.width / 2.0,
                StrokeKind::Middle => 0.0,
                StrokeKind::Outside => r.stroke.width / 2.0,
            };
            let rect = r
                .rect
                .expand(grow.max(-r.rect.width().min(r.rect.height()) / 2.0));
            let radius = f32::from(r.corner_radius.nw.max(r.corner_radius.se));
            let _ = writeln!(
                out,
                "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" rx=\"{radius:.1}\" {}{}/>",
                rect.min.x,
                rect.min.y,
                rect.width(),
                rect.height(),
                fill(r.fill),
                stroke(r.stroke)
            );
        }
        Shape::Circle(c) => {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.2}\" cy=\"{:.2}\" r=\"{:.2}\" {}{}/>",
                c.center.x,
                c.center.y,
                c.radius,
                fill(c.fill),
                stroke(c.stroke)
            );
        }
        Shape::Ellipse(e) => {
            let _ = writeln!(
                out,
                "<ellipse cx=\"{:.2}\" cy=\"{:.2}\" rx=\"{:.2}\" ry=\"{:.2}\" {}{}/>",
                e.center.x,
                e.center.y,
                e.radius.x,
                e.radius.y,
                fill(e.fill),
                stroke(e.stroke)
            );
        }
        Shape::LineSegment { points, stroke: s } => {
            let _ = writeln!(
                out,
                "<line x1=\"{:.2}\" y1=\"{:.2}\" x2=\"{:.2}\" y2=\"{:.2}\"{} stroke-linecap=\"round\"/>",
                points[0].x,
                points[0].y,
                points[1].x,
                points[1].y,
                stroke(*s)
            );
        }
        Shape::Path(p) => {
            if p.points.len() < 2 {
                return;
            }
            let pts: Vec<String> = p
                .points
                .iter()
                .map(|q| format!("{:.2},{:.2}", q.x, q.y))
                .collect();
            let color = match &p.stroke.color {
                egui::epaint::ColorMode::Solid(c) => *c,
                egui::epaint::ColorMode::UV(_) => Color32::TRANSPARENT,
            };
            let st = stroke(Stroke::new(p.stroke.width, color));
            let tag = if p.closed { "polygon" } else { "polyline" };
            let f = if p.closed {
                fill(p.fill)
            } else {
                "fill=\"none\"".into()
            };
            let _ = writeln!(
                out,
                "<{tag} points=\"{}\" {f}{st} stroke-linejoin=\"round\"/>",
                pts.join(" ")
            );
        }
        Shape::QuadraticBezier(q) => bezier(out, &q.points, q.closed, q.fill, &q.stroke),
        Shape::CubicBezier(q) => bezier(out, &q.points, q.closed, q.fill, &q.stroke),
        Shape::Mesh(m) => mesh(out, m),
        Shape::Text(t) => text(out, t),
        Shape::Noop | Shape::Band(_) | Shape::Callback(_) => {}
    }
}

/// A quadratic (three points) or cubic (four points) curve.
fn bezier(
    out: &mut String,
    points: &[egui::Pos2],
    closed: bool,
    fill_color: Color32,
    stroke: &egui::epaint::PathStroke,
) {
    let [first, rest @ ..] = points else {
        return;
    };
    let op = if rest.len() == 2 { 'Q' } else { 'C' };
    let mut d = format!("M{:.2} {:.2} {op}", first.x, first.y);
    for p in rest {
        let _ = write!(d, "{:.2} {:.2} ", p.x, p.y);
    }
    if closed {
        d.push('Z');
    }
    let f = if closed {
        fill(fill_color)
    } else {
        "fill=\"none\"".into()
    };
    let _ = writeln!(
        out,
        "<path d=\"{}\" {f}{}/>",
        d.trim_end(),
        path_stroke(stroke)
    );
}

fn path_stroke(s: &egui::epaint::PathStroke) -> String {
    match &s.color {
        egui::epaint::ColorMode::Solid(c) => stroke(Stroke::new(s.width, *c)),
        egui::epaint::ColorMode::UV(_) => String::new(),
    }
}

/// Untextured triangles (batched tiles and link lines), one path per colour.
fn mesh(out: &mut String, m: &egui::epaint::Mesh) {
    let mut by_color: Vec<(Color32, String)> = Vec::new();
    for tri in m.indices.chunks_exact(3) {
        let (Some(a), Some(b), Some(c)) = (
            m.vertices.get(tri[0] as usize),
            m.vertices.get(tri[1] as usize),
            m.vertices.get(tri[2] as usize),
        ) else {
            continue;
        };
        if a.color.a() == 0 && b.color.a() == 0 && c.color.a() == 0 {
            continue;
        }
        let color = a.color;
        let d = format!(
            "M{:.2} {:.2}L{:.2} {:.2}L{:.2} {:.2}Z",
            a.pos.x, a.pos.y, b.pos.x, b.pos.y, c.pos.x, c.pos.y
        );
        match by_color.iter_mut().find(|(c, _)| *c == color) {
            Some((_, path)) => path.push_str(&d),
            None => by_color.push((color, d)),
        }
    }
    for (color, d) in by_color {
        let _ = writeln!(out, "<path d=\"{d}\" {}/>", fill(color));
    }
}

/// A galley as one `<text>` per row, at the row's baseline.
fn text(out: &mut String, t: &egui::epaint::TextShape) {
    let galley = &t.galley;
    let section = galley.job.sections.first();
    let size = section.map_or(14.0, |s| s.format.font_id.size);
    let color = t
        .override_text_color
        .or_else(|| {
            section
                .map(|s| s.format.color)
                .filter(|c| *c != Color32::PLACEHOLDER)
        })
        .unwrap_or(t.fallback_color);
    let color = color.gamma_multiply(t.opacity_factor);
    for placed in &galley.rows {
        let row = &placed.row;
        let Some(first) = row.glyphs.first() else {
            continue;
        };
        // Trailing spaces where a row wrapped carry nothing and would stretch `textLength`.
        let kept = row
            .glyphs
            .iter()
            .rposition(|g| !g.chr.is_whitespace())
            .map_or(0, |i| i + 1);
        let glyphs = &row.glyphs[..kept];
        let words: String = glyphs.iter().map(|g| g.chr).collect();
        if words.is_empty() {
            continue;
        }
        // Each glyph's own colour wins where a row mixes colours (it rarely does).
        let glyph_color = row
            .visuals
            .mesh
            .vertices
            .get(first.first_vertex as usize)
            .map_or(color, |v| v.color);
        let x = t.pos.x + placed.pos.x + first.pos.x;
        let y = t.pos.y + placed.pos.y + first.pos.y;
        let width: f32 = glyphs.iter().map(|g| g.advance_width).sum();
        let _ = writeln!(
            out,
            "<text x=\"{x:.2}\" y=\"{y:.2}\" font-size=\"{size:.2}\" textLength=\"{width:.2}\" lengthAdjust=\"spacingAndGlyphs\" {} xml:space=\"preserve\">{}</text>",
            fill(glyph_color),
            esc(&words)
        );
    }
}
