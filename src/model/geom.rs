//! World-space geometry for the board, free of any UI library so the model stays plain data.
//!
//! World units are "pixels at 100 % zoom"; the canvas camera maps them to the screen.

use serde::{Deserialize, Serialize};

/// A point (or a displacement) in world space.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const ZERO: Point = Point { x: 0.0, y: 0.0 };

    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }

    pub fn length(self) -> f32 {
        self.x.hypot(self.y)
    }
}

impl std::ops::Add for Point {
    type Output = Point;
    fn add(self, o: Point) -> Point {
        Point::new(self.x + o.x, self.y + o.y)
    }
}

impl std::ops::Sub for Point {
    type Output = Point;
    fn sub(self, o: Point) -> Point {
        Point::new(self.x - o.x, self.y - o.y)
    }
}

impl std::ops::Neg for Point {
    type Output = Point;
    fn neg(self) -> Point {
        Point::new(-self.x, -self.y)
    }
}

impl std::ops::Mul<f32> for Point {
    type Output = Point;
    fn mul(self, k: f32) -> Point {
        Point::new(self.x * k, self.y * k)
    }
}

/// An axis-aligned rectangle: top-left corner plus size. Size is never negative on a valid board.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }

    /// The rectangle spanned by two corners, in any order.
    pub fn from_corners(a: Point, b: Point) -> Self {
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
        Self::new(x0, y0, x1 - x0, y1 - y0)
    }

    pub fn from_center_size(c: Point, w: f32, h: f32) -> Self {
        Self::new(c.x - w / 2.0, c.y - h / 2.0, w, h)
    }

    /// The smallest rectangle holding every point (zero-sized at the origin for none).
    pub fn enclosing(points: &[Point]) -> Rect {
        let Some(first) = points.first() else {
            return Rect::new(0.0, 0.0, 0.0, 0.0);
        };
        let (mut x0, mut y0, mut x1, mut y1) = (first.x, first.y, first.x, first.y);
        for p in points {
            x0 = x0.min(p.x);
            y0 = y0.min(p.y);
            x1 = x1.max(p.x);
            y1 = y1.max(p.y);
        }
        Rect::new(x0, y0, x1 - x0, y1 - y0)
    }

    pub fn min(&self) -> Point {
        Point::new(self.x, self.y)
    }

    pub fn max(&self) -> Point {
        Point::new(self.x + self.w, self.y + self.h)
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn translated(&self, d: Point) -> Self {
        Self::new(self.x + d.x, self.y + d.y, self.w, self.h)
    }

    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.y >= self.y && p.x <= self.x + self.w && p.y <= self.y + self.h
    }

    /// True when `other` lies wholly inside `self`.
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.w <= self.x + self.w
            && other.y + other.h <= self.y + self.h
    }

    pub fn intersects(&self, other: &Rect) -> bool {
        self.x <= other.x + other.w
            && other.x <= self.x + self.w
            && self.y <= other.y + other.h
            && other.y <= self.y + self.h
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let min = Point::new(self.x.min(other.x), self.y.min(other.y));
        let max = Point::new(
            (self.x + self.w).max(other.x + other.w),
            (self.y + self.h).max(other.y + other.h),
        );
        Rect::from_corners(min, max)
    }

    pub fn expanded(&self, by: f32) -> Rect {
        Rect::new(
            self.x - by,
            self.y - by,
            self.w + 2.0 * by,
            self.h + 2.0 * by,
        )
    }

    pub fn is_finite(&self) -> bool {
        self.x.is_finite() && self.y.is_finite() && self.w.is_finite() && self.h.is_finite()
    }

    /// Where the ray from the centre towards `toward` leaves the rectangle's outline.
    ///
    /// Links with an automatic anchor end here, so they meet the block's edge instead of its middle.
    pub fn boundary_toward(&self, toward: Point) -> Point {
        let c = self.center();
        let d = toward - c;
        if d.x == 0.0 && d.y == 0.0 {
            return c;
        }
        let hw = self.w / 2.0;
        let hh = self.h / 2.0;
        let tx = if d.x != 0.0 {
            hw / d.x.abs()
        } else {
            f32::INFINITY
        };
        let ty = if d.y != 0.0 {
            hh / d.y.abs()
        } else {
            f32::INFINITY
        };
        c + d * tx.min(ty)
    }
}

/// Snaps a coordinate to the nearest multiple of `grid`.
pub fn snap(v: f32, grid: f32) -> f32 {
    if grid <= 0.0 {
        v
    } else {
        (v / grid).round() * grid
    }
}

/// Snaps both coordinates of a point to the grid.
pub fn snap_point(p: Point, grid: f32) -> Point {
    Point::new(snap(p.x, grid), snap(p.y, grid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_corners_normalises_order() {
        let r = Rect::from_corners(Point::new(10.0, 20.0), Point::new(0.0, 5.0));
        assert_eq!(r, Rect::new(0.0, 5.0, 10.0, 15.0));
    }

    #[test]
    fn contains_and_intersects() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(a.contains(Point::new(5.0, 5.0)));
        assert!(!a.contains(Point::new(11.0, 5.0)));
        assert!(a.intersects(&Rect::new(9.0, 9.0, 5.0, 5.0)));
        assert!(!a.intersects(&Rect::new(11.0, 0.0, 5.0, 5.0)));
        assert!(a.contains_rect(&Rect::new(1.0, 1.0, 2.0, 2.0)));
        assert!(!a.contains_rect(&Rect::new(8.0, 8.0, 5.0, 5.0)));
    }

    #[test]
    fn union_covers_both() {
        let u = Rect::new(0.0, 0.0, 1.0, 1.0).union(&Rect::new(5.0, -2.0, 1.0, 1.0));
        assert_eq!(u, Rect::new(0.0, -2.0, 6.0, 3.0));
    }

    #[test]
    fn boundary_toward_hits_the_nearest_side() {
        let r = Rect::new(0.0, 0.0, 100.0, 50.0);
        assert_eq!(
            r.boundary_toward(Point::new(500.0, 25.0)),
            Point::new(100.0, 25.0)
        );
        assert_eq!(
            r.boundary_toward(Point::new(50.0, -500.0)),
            Point::new(50.0, 0.0)
        );
        assert_eq!(r.boundary_toward(r.center()), r.center());
    }

    #[test]
    fn snapping_rounds_to_grid() {
        assert_eq!(snap(14.0, 10.0), 10.0);
        assert_eq!(snap(15.0, 10.0), 20.0);
        assert_eq!(snap(-14.0, 10.0), -10.0);
        assert_eq!(snap(3.3, 0.0), 3.3);
    }
}
