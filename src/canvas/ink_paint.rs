//! A freehand stroke drawn the way perfect-freehand draws it (through the `freedraw` port):
//! the points are streamlined and given a width that thins as the pen speeds up. Part of the
//! one painter, so PNG and SVG exports draw the same stroke.
//!
//! Far out a stroke is a few pixels: it is drawn as a thin polyline of a few of its points,
//! into the frame's shared mesh, so thousands of strokes cost about what thousands of tiles do.

use super::camera::View;
use crate::model::Point;
use crate::model::ink::{self, Placement};
use egui::{Color32, Mesh, Painter, Pos2, vec2};
use freedraw::{InputPoint, StrokeOptions, get_stroke_points, get_stroke_radius};

/// Below this size on screen a stroke is drawn as a plain polyline.
const DETAIL_PX: f32 = 24.0;
/// Below this size on screen a stroke is a smudge.
const SMUDGE_PX: f32 = 12.0;
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
    let zoom = view.camera.zoom;
    let span = screen.width().max(screen.height());
    if span < SMUDGE_PX {
        // A few pixels across its shape does not read: a faint smudge where it is, as a
        // far-out block is a tile.
        // A straight stroke's points have no height: its padded box is the smudge then.
        let inner = screen.shrink(ink::PAD * zoom);
        let smudge = if inner.is_positive() { inner } else { screen };
        coarse.add_colored_rect(smudge, color.gamma_multiply(0.35));
        return;
    }
    let place = Placement::new(points, rect);
    if span < DETAIL_PX {
        // A handful of its points, a hairline wide: the shape reads, the cost does not grow.
        // A stroke a few pixels long is a segment or two.
        let pieces = ((screen.width().max(screen.height()) / 3.0) as usize).clamp(1, 8);
        let step = (points.len() / pieces).max(1);
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
    let smoothed = painter.ctx().memory_mut(|m| {
        m.caches
            .cache::<egui::cache::FrameCache<Smoothed, Smoother>>()
            .get(Key::new(points, rect, finished))
            .clone()
    });
    // Points closer than a pixel and a half on screen add vertices, not shape.
    let mut centres: Vec<(Pos2, f32)> = Vec::with_capacity(smoothed.len());
    for (i, (c, r)) in smoothed.iter().enumerate() {
        let p = view.to_screen(*c);
        let last = i + 1 == smoothed.len();
        match centres.last() {
            Some((q, _)) if !last && p.distance_sq(*q) < 2.25 => {}
            _ => centres.push((p, (r * zoom).max(0.5))),
        }
    }
    match centres.as_slice() {
        [] => {
            let c = view.to_screen(place.world(points[0]));
            painter.circle_filled(c, ink::PEN * zoom / 2.0, color);
        }
        [(c, r)] => {
            painter.circle_filled(*c, *r, color);
        }
        _ => {
            // Into the frame's shared mesh, drawn over the blocks: one shape, not thousands.
            ribbon(coarse, &centres, color);
            // Round ends, as a pen leaves them.
            for (c, r) in [centres[0], centres[centres.len() - 1]] {
                painter.circle_filled(c, r, color);
            }
        }
    }
}

/// A stroke's centre line in the world, streamlined, with its radius at each point.
type Smoothed = std::sync::Arc<Vec<(Point, f32)>>;

/// What a smoothed stroke is cached under: its points, where it is fitted, and whether it is
/// finished (a stroke being drawn has no end taper yet). A stroke on screen is smoothed once,
/// not every frame.
#[derive(Clone, Copy)]
struct Key<'a> {
    hash: u64,
    points: &'a [Point],
    rect: &'a crate::model::Rect,
    finished: bool,
}

impl<'a> Key<'a> {
    fn new(points: &'a [Point], rect: &'a crate::model::Rect, finished: bool) -> Self {
        struct Bits<'b>(&'b [Point], &'b crate::model::Rect, bool);
        impl std::hash::Hash for Bits<'_> {
            fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
                for p in self.0 {
                    h.write_u64(u64::from(p.x.to_bits()) << 32 | u64::from(p.y.to_bits()));
                }
                for v in [self.1.x, self.1.y, self.1.w, self.1.h] {
                    h.write_u32(v.to_bits());
                }
                h.write_u8(u8::from(self.2));
            }
        }
        Self {
            hash: egui::util::hash(Bits(points, rect, finished)),
            points,
            rect,
            finished,
        }
    }
}

impl std::hash::Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64(self.hash);
    }
}

#[derive(Default)]
struct Smoother;

impl egui::cache::ComputerMut<Key<'_>, Smoothed> for Smoother {
    fn compute(&mut self, key: Key<'_>) -> Smoothed {
        let place = Placement::new(key.points, key.rect);
        let input: Vec<InputPoint> = key
            .points
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
            last: Some(key.finished),
            ..StrokeOptions::default()
        };
        let stroke = get_stroke_points(&input, &options);
        std::sync::Arc::new(
            stroke
                .iter()
                .map(|s| {
                    let c = Point::new(s.point[0] as f32, s.point[1] as f32);
                    let r = get_stroke_radius(size, THINNING, s.pressure, None) as f32;
                    (c, r)
                })
                .collect(),
        )
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
