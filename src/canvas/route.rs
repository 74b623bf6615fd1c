//! Where a link runs: its anchor points, straight or elbow path, fan-out of parallel links, and
//! the distance from a point to it (for hit-testing). World space, no UI types.

use crate::model::{Anchor, Block, Board, End, Link, LinkId, Point, Rect, Route, Side};
use std::collections::HashMap;

/// Gap between parallel links joining the same two blocks.
pub const FAN_SPACING: f32 = 16.0;
/// How far an elbow route leaves a block before turning.
pub const ELBOW_STUB: f32 = 20.0;

/// For each link that shares its pair of blocks with others, its offset from the pair's centre
/// line (in multiples of [`FAN_SPACING`]), so parallel links fan out instead of overlapping.
pub fn fan_offsets(board: &Board) -> HashMap<LinkId, f32> {
    let mut pairs: HashMap<(u64, u64), Vec<LinkId>> = HashMap::new();
    for l in board.links.values() {
        let (a, b) = (l.from.block.0, l.to.block.0);
        pairs.entry((a.min(b), a.max(b))).or_default().push(l.id);
    }
    let mut out = HashMap::new();
    for ids in pairs.values().filter(|ids| ids.len() > 1) {
        let n = ids.len() as f32;
        for (k, id) in ids.iter().enumerate() {
            out.insert(*id, (k as f32 - (n - 1.0) / 2.0) * FAN_SPACING);
        }
    }
    out
}

/// The point on `rect` for a fixed side anchor.
pub fn side_point(rect: &Rect, side: Side, t: f32) -> Point {
    let t = t.clamp(0.0, 1.0);
    match side {
        Side::Top => Point::new(rect.x + rect.w * t, rect.y),
        Side::Bottom => Point::new(rect.x + rect.w * t, rect.y + rect.h),
        Side::Left => Point::new(rect.x, rect.y + rect.h * t),
        Side::Right => Point::new(rect.x + rect.w, rect.y + rect.h * t),
    }
}

/// The side of `rect` that faces `toward`, judged relative to the rectangle's proportions.
pub fn facing_side(rect: &Rect, toward: Point) -> Side {
    let c = rect.center();
    let dx = (toward.x - c.x) / rect.w.max(1.0);
    let dy = (toward.y - c.y) / rect.h.max(1.0);
    if dx.abs() >= dy.abs() {
        if dx >= 0.0 { Side::Right } else { Side::Left }
    } else if dy >= 0.0 {
        Side::Bottom
    } else {
        Side::Top
    }
}

fn outward(side: Side) -> Point {
    match side {
        Side::Top => Point::new(0.0, -1.0),
        Side::Bottom => Point::new(0.0, 1.0),
        Side::Left => Point::new(-1.0, 0.0),
        Side::Right => Point::new(1.0, 0.0),
    }
}

/// Where a ray from `start` (inside `rect`) along `dir` leaves the rectangle.
fn exit_point(rect: &Rect, start: Point, dir: Point) -> Point {
    let mut t = f32::INFINITY;
    if dir.x > 0.0 {
        t = t.min((rect.x + rect.w - start.x) / dir.x);
    } else if dir.x < 0.0 {
        t = t.min((rect.x - start.x) / dir.x);
    }
    if dir.y > 0.0 {
        t = t.min((rect.y + rect.h - start.y) / dir.y);
    } else if dir.y < 0.0 {
        t = t.min((rect.y - start.y) / dir.y);
    }
    if t.is_finite() {
        start + dir * t.max(0.0)
    } else {
        start
    }
}

/// The polyline a link is drawn along, from its start to its end, in world space.
pub fn link_path(a: &Block, b: &Block, link: &Link, fan: f32) -> Vec<Point> {
    match link.route {
        Route::Straight => straight(a, b, link, fan),
        Route::Elbow => elbow(a, b, link, fan),
    }
}

fn straight(a: &Block, b: &Block, link: &Link, fan: f32) -> Vec<Point> {
    let (ca, cb) = (a.rect.center(), b.rect.center());
    let d = cb - ca;
    let len = d.length().max(1e-3);
    let normal = Point::new(-d.y / len, d.x / len);
    // Offsets are measured along the normal of the lower-id → higher-id direction, so links in
    // opposite directions between the same pair still fan apart.
    let sign = if link.from.block <= link.to.block {
        1.0
    } else {
        -1.0
    };
    let off = normal * (fan * sign);
    let end_point = |end: &End, block: &Block, from: Point, dir: Point| match end.anchor {
        Anchor::Side { side, t } => side_point(&block.rect, side, t),
        Anchor::Auto => {
            let inner = clamp_inside(&block.rect, from);
            exit_point(&block.rect, inner, dir)
        }
    };
    let p = end_point(&link.from, a, ca + off, d);
    let q = end_point(&link.to, b, cb + off, -d);
    vec![p, q]
}

fn clamp_inside(r: &Rect, p: Point) -> Point {
    Point::new(
        p.x.clamp(r.x + 1.0, r.x + r.w - 1.0),
        p.y.clamp(r.y + 1.0, r.y + r.h - 1.0),
    )
}

fn end_side(end: &End, block: &Block, other: &Block) -> (Side, f32) {
    match end.anchor {
        Anchor::Side { side, t } => (side, t),
        Anchor::Auto => (facing_side(&block.rect, other.rect.center()), 0.5),
    }
}

fn elbow(a: &Block, b: &Block, link: &Link, fan: f32) -> Vec<Point> {
    let (sa, ta) = end_side(&link.from, a, b);
    let (sb, tb) = end_side(&link.to, b, a);
    let shift = |side: Side, rect: &Rect, t: f32| {
        let len = if matches!(side, Side::Top | Side::Bottom) {
            rect.w
        } else {
            rect.h
        };
        (t + fan / len.max(1.0)).clamp(0.05, 0.95)
    };
    let p = side_point(&a.rect, sa, shift(sa, &a.rect, ta));
    let q = side_point(&b.rect, sb, shift(sb, &b.rect, tb));
    let (da, db) = (outward(sa), outward(sb));
    let horizontal = |s: Side| matches!(s, Side::Left | Side::Right);
    let mut pts = vec![p];
    // Facing sides with room between them: one bend pair through the middle.
    if horizontal(sa) && horizontal(sb) && da.x * (q.x - p.x) > 0.0 && db.x * (p.x - q.x) > 0.0 {
        let mx = (p.x + q.x) / 2.0;
        pts.extend([Point::new(mx, p.y), Point::new(mx, q.y)]);
    } else if !horizontal(sa)
        && !horizontal(sb)
        && da.y * (q.y - p.y) > 0.0
        && db.y * (p.y - q.y) > 0.0
    {
        let my = (p.y + q.y) / 2.0;
        pts.extend([Point::new(p.x, my), Point::new(q.x, my)]);
    } else if horizontal(sa) != horizontal(sb) {
        // One bend where the two directions meet, if it lies ahead of both ends.
        let corner = if horizontal(sa) {
            Point::new(q.x, p.y)
        } else {
            Point::new(p.x, q.y)
        };
        let ahead =
            |from: Point, dir: Point| (corner - from).x * dir.x + (corner - from).y * dir.y > 0.0;
        if ahead(p, da) && ahead(q, db) {
            pts.push(corner);
        } else {
            pts.extend(stub_route(p, da, q, db, a, b));
        }
    } else {
        pts.extend(stub_route(p, da, q, db, a, b));
    }
    pts.push(q);
    simplify(pts)
}

/// Leaves each block by a short stub, then joins the stubs with the simplest orthogonal detour
/// that cuts through neither block: one corner if possible, else around both blocks.
fn stub_route(p: Point, da: Point, q: Point, db: Point, a: &Block, b: &Block) -> Vec<Point> {
    let s1 = p + da * ELBOW_STUB;
    let s2 = q + db * ELBOW_STUB;
    let both = a.rect.union(&b.rect);
    let (top, bottom) = (both.y - ELBOW_STUB, both.y + both.h + ELBOW_STUB);
    let (left, right) = (both.x - ELBOW_STUB, both.x + both.w + ELBOW_STUB);
    let candidates: [Vec<Point>; 6] = [
        vec![Point::new(s2.x, s1.y)],
        vec![Point::new(s1.x, s2.y)],
        vec![Point::new(s1.x, top), Point::new(s2.x, top)],
        vec![Point::new(s1.x, bottom), Point::new(s2.x, bottom)],
        vec![Point::new(left, s1.y), Point::new(left, s2.y)],
        vec![Point::new(right, s1.y), Point::new(right, s2.y)],
    ];
    let length = |mid: &[Point]| {
        let mut pts = vec![s1];
        pts.extend_from_slice(mid);
        pts.push(s2);
        pts.windows(2).map(|w| (w[1] - w[0]).length()).sum::<f32>()
    };
    let clear = |mid: &[Point]| {
        let mut pts = vec![s1];
        pts.extend_from_slice(mid);
        pts.push(s2);
        pts.windows(2).all(|w| {
            !segment_hits_rect(w[0], w[1], &a.rect) && !segment_hits_rect(w[0], w[1], &b.rect)
        })
    };
    let best = candidates
        .iter()
        .filter(|c| clear(c))
        .min_by(|x, y| {
            (x.len(), length(x))
                .partial_cmp(&(y.len(), length(y)))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .cloned()
        .unwrap_or_else(|| candidates[2].clone());
    let mut out = vec![s1];
    out.extend(best);
    out.push(s2);
    out
}

/// True when an axis-aligned segment passes through the inside of `r` (touching its edge is fine).
fn segment_hits_rect(p: Point, q: Point, r: &Rect) -> bool {
    let inner = Rect::new(
        r.x + 0.5,
        r.y + 0.5,
        (r.w - 1.0).max(0.0),
        (r.h - 1.0).max(0.0),
    );
    let seg = Rect::from_corners(p, q);
    seg.x < inner.x + inner.w
        && inner.x < seg.x + seg.w
        && seg.y < inner.y + inner.h
        && inner.y < seg.y + seg.h
}

/// Drops repeated points and points on a straight run.
fn simplify(pts: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(pts.len());
    for p in pts {
        if out.last().is_some_and(|l| (*l - p).length() < 0.01) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let cross = (b.x - a.x) * (p.y - b.y) - (b.y - a.y) * (p.x - b.x);
            if cross.abs() < 1e-3 {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// The point halfway along a polyline, where its label goes.
pub fn midpoint(pts: &[Point]) -> Point {
    let total: f32 = pts.windows(2).map(|w| (w[1] - w[0]).length()).sum();
    let mut left = total / 2.0;
    for w in pts.windows(2) {
        let len = (w[1] - w[0]).length();
        if len >= left && len > 0.0 {
            return w[0] + (w[1] - w[0]) * (left / len);
        }
        left -= len;
    }
    pts.first().copied().unwrap_or(Point::ZERO)
}

/// Distance from `p` to the polyline.
pub fn distance_to_path(pts: &[Point], p: Point) -> f32 {
    pts.windows(2)
        .map(|w| distance_to_segment(w[0], w[1], p))
        .fold(f32::INFINITY, f32::min)
}

fn distance_to_segment(a: Point, b: Point, p: Point) -> f32 {
    let ab = b - a;
    let len2 = ab.x * ab.x + ab.y * ab.y;
    let t = if len2 > 0.0 {
        (((p - a).x * ab.x + (p - a).y * ab.y) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a + ab * t - p).length()
}

/// The bounding rectangle of a polyline.
pub fn path_bounds(pts: &[Point]) -> Rect {
    let mut r = Rect::new(pts[0].x, pts[0].y, 0.0, 0.0);
    for p in &pts[1..] {
        r = r.union(&Rect::new(p.x, p.y, 0.0, 0.0));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockId, Direction, LinkStyle};

    fn block(id: u64, x: f32, y: f32) -> Block {
        Block::new(BlockId(id), "service", "", Rect::new(x, y, 100.0, 60.0))
    }

    fn link(id: u64, from: u64, to: u64, route: Route) -> Link {
        let mut l = Link::new(LinkId(id), BlockId(from), BlockId(to));
        l.route = route;
        l
    }

    #[test]
    fn straight_link_meets_both_outlines() {
        let (a, b) = (block(1, 0.0, 0.0), block(2, 300.0, 0.0));
        let pts = link_path(&a, &b, &link(3, 1, 2, Route::Straight), 0.0);
        assert_eq!(pts, vec![Point::new(100.0, 30.0), Point::new(300.0, 30.0)]);
    }

    #[test]
    fn moving_a_block_moves_the_link_end() {
        let (a, mut b) = (block(1, 0.0, 0.0), block(2, 300.0, 0.0));
        let l = link(3, 1, 2, Route::Straight);
        b.rect = b.rect.translated(Point::new(0.0, 200.0));
        let pts = link_path(&a, &b, &l, 0.0);
        let end = pts[pts.len() - 1];
        assert!(
            b.rect.expanded(0.5).contains(end) && !b.rect.expanded(-0.5).contains(end),
            "ends on B's outline: {end:?}"
        );
    }

    #[test]
    fn side_anchor_is_fixed() {
        let (a, b) = (block(1, 0.0, 0.0), block(2, 300.0, 200.0));
        let mut l = link(3, 1, 2, Route::Straight);
        l.from.anchor = Anchor::Side {
            side: Side::Bottom,
            t: 0.25,
        };
        assert_eq!(link_path(&a, &b, &l, 0.0)[0], Point::new(25.0, 60.0));
    }

    #[test]
    fn elbow_is_orthogonal_and_leaves_perpendicular() {
        let (a, b) = (block(1, 0.0, 0.0), block(2, 300.0, 100.0));
        let pts = link_path(&a, &b, &link(3, 1, 2, Route::Elbow), 0.0);
        for w in pts.windows(2) {
            assert!(
                w[0].x == w[1].x || w[0].y == w[1].y,
                "segment {w:?} is axis-aligned"
            );
        }
        assert_eq!(pts[0], Point::new(100.0, 30.0), "leaves A's right side");
        assert_eq!(
            pts[1].y, pts[0].y,
            "first segment is horizontal, perpendicular to the side"
        );
        assert_eq!(
            *pts.last().expect("end"),
            Point::new(300.0, 130.0),
            "enters B's left side"
        );
    }

    #[test]
    fn elbow_never_cuts_through_its_own_blocks() {
        // B sits to the left of A but the anchors face away from each other.
        let (a, b) = (block(1, 300.0, 0.0), block(2, 0.0, 20.0));
        let mut l = link(3, 1, 2, Route::Elbow);
        l.from.anchor = Anchor::Side {
            side: Side::Right,
            t: 0.5,
        };
        l.to.anchor = Anchor::Side {
            side: Side::Left,
            t: 0.5,
        };
        let pts = link_path(&a, &b, &l, 0.0);
        for w in pts.windows(2) {
            assert!(!segment_hits_rect(w[0], w[1], &a.rect), "{pts:?} cuts A");
            assert!(!segment_hits_rect(w[0], w[1], &b.rect), "{pts:?} cuts B");
        }
    }

    #[test]
    fn parallel_links_fan_out() {
        let mut board = Board::default();
        for b in [block(1, 0.0, 0.0), block(2, 300.0, 0.0)] {
            board.blocks.insert(b.id, b);
        }
        for (id, from, to) in [(3, 1, 2), (4, 2, 1), (5, 1, 2)] {
            board
                .links
                .insert(LinkId(id), link(id, from, to, Route::Straight));
        }
        let fans = fan_offsets(&board);
        let paths: Vec<Vec<Point>> = board
            .links
            .values()
            .map(|l| {
                link_path(
                    &board.blocks[&l.from.block],
                    &board.blocks[&l.to.block],
                    l,
                    fans[&l.id],
                )
            })
            .collect();
        let ys: Vec<f32> = paths.iter().map(|p| (p[0].y + p[1].y) / 2.0).collect();
        assert!(
            ys[0] != ys[1] && ys[1] != ys[2] && ys[0] != ys[2],
            "no two links overlap: {ys:?}"
        );
    }

    #[test]
    fn distance_and_midpoint() {
        let pts = vec![
            Point::new(0.0, 0.0),
            Point::new(100.0, 0.0),
            Point::new(100.0, 100.0),
        ];
        assert_eq!(distance_to_path(&pts, Point::new(50.0, 5.0)), 5.0);
        assert_eq!(midpoint(&pts), Point::new(100.0, 0.0));
        let _ = (Direction::Both, LinkStyle::Sync);
    }
}
