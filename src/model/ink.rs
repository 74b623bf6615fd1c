//! Ink: freehand strokes drawn with the pen, for what is not a component (a sequence of calls,
//! a hash ring, a timeline).
//!
//! A stroke is a block of kind [`INK_KIND`]: that way it is selected, moved, resized, deleted,
//! undone, indexed and shared exactly like every other item, through the one door. Its points
//! are kept in the stroke's own frame (the first point at the origin) and fitted into the
//! block's rectangle when drawn. So a move or a resize changes only the rectangle, and a stroke
//! being drawn only ever appends points: its text form (below) grows at the end, which is what
//! lets a room send a stroke while it is drawn as a trickle of appended characters rather than
//! the whole stroke again and again.
//!
//! Points are kept in quarter units, so the text form is exact and short: a stroke reads back
//! from a file or a peer as the very points that were drawn.

use super::geom::{Point, Rect};

/// The kind of block that is a freehand stroke.
pub const INK_KIND: &str = "ink";
/// Points are kept to this grid, in board units.
pub const QUANTUM: f32 = 0.25;
/// The pen's width, in board units. The block's rectangle is the points' bounds grown by
/// [`PAD`] on each side, so a selection outline or a hit covers the whole painted stroke.
pub const PEN: f32 = 4.0;
pub const PAD: f32 = PEN;
/// Most points one stroke may hold (a minute of steady drawing at 60 points a second is 3,600).
pub const MAX_POINTS: usize = 8_000;
/// Largest offset from the stroke's first point, in board units.
const MAX_REACH: f32 = 1.0e6;

/// `v` on the quarter-unit grid.
pub fn quantize(v: f32) -> f32 {
    (v / QUANTUM).round() * QUANTUM
}

/// The text form: each point as its step from the one before (the first from the origin), in
/// quarter units, `dx,dy` separated by spaces: `0,0 12,-3 10,-2`. Appending a point appends
/// text, which is what the shared document and the wire rely on.
pub fn encode(points: &[Point]) -> String {
    let mut out = String::with_capacity(points.len() * 6);
    let mut prev = (0i64, 0i64);
    for (i, p) in points.iter().enumerate() {
        let q = (
            (p.x / QUANTUM).round() as i64,
            (p.y / QUANTUM).round() as i64,
        );
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{},{}", q.0 - prev.0, q.1 - prev.1));
        prev = q;
    }
    out
}

/// Reads [`encode`]'s text form, refusing anything else (it comes from files and peers).
pub fn decode(text: &str) -> Result<Vec<Point>, String> {
    let mut out = Vec::new();
    let mut at = (0i64, 0i64);
    for (i, pair) in text.split_ascii_whitespace().enumerate() {
        if i >= MAX_POINTS {
            return Err(format!("a stroke has more than {MAX_POINTS} points"));
        }
        let step = pair
            .split_once(',')
            .and_then(|(x, y)| Some((x.parse::<i64>().ok()?, y.parse::<i64>().ok()?)))
            .ok_or_else(|| {
                format!(
                    "stroke point {} ({:?}) is not two whole numbers",
                    i + 1,
                    pair.chars().take(20).collect::<String>()
                )
            })?;
        at = (at.0.saturating_add(step.0), at.1.saturating_add(step.1));
        let p = Point::new(at.0 as f32 * QUANTUM, at.1 as f32 * QUANTUM);
        if p.x.abs() > MAX_REACH || p.y.abs() > MAX_REACH {
            return Err(format!("stroke point {} lies too far away", i + 1));
        }
        out.push(p);
    }
    Ok(out)
}

/// Checks a stroke as a file or a peer gives it.
pub fn check(points: &[Point]) -> Result<(), String> {
    if points.len() > MAX_POINTS {
        return Err(format!(
            "a stroke has {} points; at most {MAX_POINTS} are allowed",
            points.len()
        ));
    }
    if let Some(p) = points.iter().find(|p| {
        !(p.x.is_finite() && p.y.is_finite()) || p.x.abs() > MAX_REACH || p.y.abs() > MAX_REACH
    }) {
        return Err(format!("stroke point ({}, {}) is out of range", p.x, p.y));
    }
    Ok(())
}

/// The points' own bounds (not grown by the pen).
pub fn bounds(points: &[Point]) -> Rect {
    Rect::enclosing(points)
}

/// The block rectangle for points drawn in the world with their first point at `origin`.
pub fn rect_at(origin: Point, points: &[Point]) -> Rect {
    let b = bounds(points);
    Rect::new(
        origin.x + b.x - PAD,
        origin.y + b.y - PAD,
        b.w + 2.0 * PAD,
        b.h + 2.0 * PAD,
    )
}

/// Maps the stroke's own points into the world, fitted into `rect` (a block's, after any move
/// or resize).
#[derive(Clone, Copy, Debug)]
pub struct Placement {
    own: Rect,
    scale: (f32, f32),
    at: Point,
}

impl Placement {
    pub fn new(points: &[Point], rect: &Rect) -> Self {
        let own = bounds(points);
        let inner = (rect.w - 2.0 * PAD, rect.h - 2.0 * PAD);
        let axis = |inner: f32, own: f32| {
            if own > 0.0 && inner > 0.0 {
                inner / own
            } else {
                1.0
            }
        };
        Self {
            own,
            scale: (axis(inner.0, own.w), axis(inner.1, own.h)),
            at: Point::new(rect.x + PAD, rect.y + PAD),
        }
    }

    pub fn world(&self, p: Point) -> Point {
        Point::new(
            self.at.x + (p.x - self.own.x) * self.scale.0,
            self.at.y + (p.y - self.own.y) * self.scale.1,
        )
    }
}

/// Whether `p` (in the world) lies within `reach` of the stroke drawn in `rect`.
pub fn near(points: &[Point], rect: &Rect, p: Point, reach: f32) -> bool {
    let place = Placement::new(points, rect);
    let mut prev: Option<Point> = None;
    for q in points.iter().map(|q| place.world(*q)) {
        let d = match prev {
            None => dist(q, p),
            Some(a) => segment_distance(a, q, p),
        };
        if d <= reach {
            return true;
        }
        prev = Some(q);
    }
    false
}

fn segment_distance(a: Point, b: Point, p: Point) -> f32 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    dist(Point::new(a.x + t * dx, a.y + t * dy), p)
}

fn dist(a: Point, b: Point) -> f32 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// `#e8590c`: a stroke's colour as the shared document and other tools write it.
pub fn color_text(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Reads `#e8590c` (or `#E8590C`); anything else is not a colour.
pub fn parse_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Serialises a stroke's points in files as the text form, which is several times shorter
/// than a list of coordinate pairs.
pub mod as_text {
    use super::super::geom::Point;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(points: &[Point], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::encode(points))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Point>, D::Error> {
        let text = String::deserialize(d)?;
        super::decode(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn appending_a_point_appends_text() {
        let mut pts = vec![Point::new(0.0, 0.0), Point::new(3.0, -1.25)];
        let before = encode(&pts);
        pts.push(Point::new(5.5, 2.0));
        let after = encode(&pts);
        assert!(after.starts_with(&before), "{before} / {after}");
        assert_eq!(after, "0,0 12,-5 10,13");
    }

    #[test]
    fn hostile_text_is_refused_with_the_point_named() {
        assert!(decode("0,0 1,x").expect_err("refused").contains("point 2"));
        assert!(decode("0,0 1").is_err());
        assert!(
            decode("99999999999,0")
                .expect_err("refused")
                .contains("too far")
        );
        let many = vec!["1,1"; MAX_POINTS + 1].join(" ");
        assert!(decode(&many).expect_err("refused").contains("more than"));
        assert_eq!(decode("").expect("present"), vec![]);
    }

    #[test]
    fn colours_read_back_and_junk_is_not_one() {
        assert_eq!(parse_color(&color_text([232, 89, 12])), Some([232, 89, 12]));
        assert_eq!(parse_color("#E8590C"), Some([232, 89, 12]));
        for bad in ["e8590c", "#e8590", "#gg0000", "#e8590c0", "", "#ééé"] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_stroke_fits_its_rectangle_after_a_resize() {
        let pts = vec![Point::new(0.0, 0.0), Point::new(100.0, 50.0)];
        let mut rect = rect_at(Point::new(10.0, 20.0), &pts);
        assert_eq!(
            rect,
            Rect::new(10.0 - PAD, 20.0 - PAD, 100.0 + 2.0 * PAD, 50.0 + 2.0 * PAD)
        );
        let place = Placement::new(&pts, &rect);
        assert_eq!(place.world(pts[1]), Point::new(110.0, 70.0));
        rect.w = 200.0 + 2.0 * PAD;
        let place = Placement::new(&pts, &rect);
        assert_eq!(place.world(pts[1]), Point::new(210.0, 70.0));
        assert!(near(&pts, &rect, Point::new(110.0, 45.0), 2.0));
        assert!(!near(&pts, &rect, Point::new(110.0, 60.0), 2.0));
    }

    proptest! {
        #[test]
        fn the_text_form_round_trips(raw in prop::collection::vec((-4000i32..4000, -4000i32..4000), 0..200)) {
            let pts: Vec<Point> = raw.iter().map(|(x, y)| Point::new(*x as f32 * QUANTUM, *y as f32 * QUANTUM)).collect();
            prop_assert_eq!(decode(&encode(&pts)).expect("present"), pts);
        }

        #[test]
        fn decoding_any_text_never_panics(text in ".{0,200}") {
            let _ = decode(&text);
        }
    }
}
