//! A freehand stroke drawn the way perfect-freehand draws it (through the `freedraw` port):
//! the points are streamlined and given a width that thins as the pen speeds up. Part of the
//! one painter, so PNG and SVG exports draw the same stroke.
//!
//! Far out a stroke is a few pixels: it is drawn as a thin polyline of a few of its points,
//! into the frame's shared mesh, so thousands of strokes cost about what thousands of tiles do.

use super::camera::View;
use crate::model::Point;
use crate::model::ink::{self, Placement};
use egui::{Color32, Mesh, Painter, Pos2, Shape, vec2};
use freedraw::{InputPoint, StrokeOptions, get_stroke_points, get_stroke_radius};

/// Below this size on screen a stroke is drawn as a plain polyline.
const DETAIL_PX: f32 = 24.0;
/// How much pressure follows speed (perfect-freehand's "thinning").
const THINNING: f64 = 0.5;

/// Draws a stroke whose own `points` are fitted into `rect` (world).
pub fn paint_ink(
    painter: &Painter,
    points: &[Point],
    rect: &crate::model::Rect,
    view: &View,
    color: Color32,
    coarse: &mut Mesh,
    finished: bool,
) {
    let screen = view.rect_to_screen(rect);
    if !screen.intersects(painter.clip_rect()) || points.is_empty() {
        return;
    }
    let place = Placement::new(points, rect);
    let zoom = view.camera.zoom;
    if screen.width().max(screen.height()) < DETAIL_PX {
        // A handful of its points, a hairline wide: the shape reads, the cost does not grow.
        let step = (points.len() / 8).max(1);
        let width = (ink::PEN * zoom).clamp(0.8, 2.0);
        let mut prev: Option<Pos2> = None;
        for p in points
            .iter()
            .step_by(step)
            .chain(points.last())
            .map(|p| view.to_screen(place.world(*p)))
        {
            if let Some(a) = prev {
                thin_line(coarse, a, p, width, color);
            }
            prev = Some(p);
        }
        if points.len() == 1 {
            coarse.add_colored_rect(
                egui::Rect::from_center_size(prev.unwrap_or(screen.center()), vec2(width, width)),
                color,
            );
        }
        return;
    }
    let input: Vec<InputPoint> = points
        .iter()
        .map(|p| {
            let w = place.world(*p);
            InputPoint::Array([f64::from(w.x), f64::from(w.y)], None)
        })
        .collect();
    let size = f64::from(ink::PEN);
    let options = StrokeOptions {
        size: Some(size),
        thinning: Some(THINNING),
        smoothing: Some(0.5),
        streamline: Some(0.5),
        simulate_pressure: Some(true),
        last: Some(finished),
        ..StrokeOptions::default()
    };
    let stroke = get_stroke_points(&input, &options);
    let centres: Vec<(Pos2, f32)> = stroke
        .iter()
        .map(|s| {
            let c = view.to_screen(Point::new(s.point[0] as f32, s.point[1] as f32));
            let r = get_stroke_radius(size, THINNING, s.pressure, None) as f32 * zoom;
            (c, r.max(0.5))
        })
        .collect();
    match centres.as_slice() {
        [] => {
            let c = view.to_screen(place.world(points[0]));
            painter.circle_filled(c, ink::PEN * zoom / 2.0, color);
        }
        [(c, r)] => {
            painter.circle_filled(*c, *r, color);
        }
        _ => {
            let mut mesh = Mesh::default();
            ribbon(&mut mesh, &centres, color);
            painter.add(Shape::mesh(mesh));
            // Round ends, as a pen leaves them.
            for (c, r) in [centres[0], centres[centres.len() - 1]] {
                painter.circle_filled(c, r, color);
            }
        }
    }
}

/// A band of varying width through `centres`, with a one-pixel feathered edge on each side so
/// it is anti-aliased like egui's own shapes (a raw mesh is not feathered by the tessellator).
fn ribbon(mesh: &mut Mesh, centres: &[(Pos2, f32)], color: Color32) {
    let clear = Color32::TRANSPARENT;
    let n = centres.len();
    for i in 0..n {
        let (c, r) = centres[i];
        let (a, b) = (
            centres[i.saturating_sub(1)].0,
            centres[(i + 1).min(n - 1)].0,
        );
        let dir = (b - a).normalized();
        let normal = if dir.is_finite() && dir != egui::Vec2::ZERO {
            vec2(-dir.y, dir.x)
        } else {
            vec2(0.0, 1.0)
        };
        let inner = (r - 0.5).max(0.0);
        let outer = r + 0.5;
        let base = mesh.vertices.len() as u32;
        mesh.colored_vertex(c + normal * outer, clear);
        mesh.colored_vertex(c + normal * inner, color);
        mesh.colored_vertex(c - normal * inner, color);
        mesh.colored_vertex(c - normal * outer, clear);
        if i > 0 {
            let prev = base - 4;
            for k in 0..3 {
                mesh.add_triangle(prev + k, prev + k + 1, base + k);
                mesh.add_triangle(prev + k + 1, base + k + 1, base + k);
            }
        }
    }
}

/// The stroke's points on screen, for the eraser's marks.
pub fn screen_points(points: &[Point], rect: &crate::model::Rect, view: &View) -> Vec<Pos2> {
    let place = Placement::new(points, rect);
    points
        .iter()
        .map(|p| view.to_screen(place.world(*p)))
        .collect()
}

/// Adds a line as a plain quad, without feathering: enough for hairlines seen from far out.
pub(super) fn thin_line(mesh: &mut Mesh, p: Pos2, q: Pos2, width: f32, color: Color32) {
    let d = q - p;
    let len = d.length();
    if len < 0.5 {
        return;
    }
    let n = vec2(-d.y, d.x) / len * (width / 2.0);
    let i = mesh.vertices.len() as u32;
    for v in [p + n, p - n, q - n, q + n] {
        mesh.colored_vertex(v, color);
    }
    mesh.add_triangle(i, i + 1, i + 2);
    mesh.add_triangle(i, i + 2, i + 3);
}
