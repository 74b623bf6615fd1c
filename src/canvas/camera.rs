//! The view onto the infinite canvas: which world point sits at the view's corner, and the zoom.
//!
//! Camera state belongs to the session, never to the board: panning is not an edit.

use crate::model::{Point, Rect};
use egui::{Pos2, Vec2};

pub const MIN_ZOOM: f32 = 0.05;
pub const MAX_ZOOM: f32 = 8.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// World point shown at the top-left corner of the view.
    pub origin: Point,
    /// Screen points per world unit.
    pub zoom: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            origin: Point::ZERO,
            zoom: 1.0,
        }
    }
}

/// A camera looking through a screen rectangle: the one transform used everywhere.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub camera: Camera,
    pub screen: egui::Rect,
}

impl View {
    pub fn new(camera: Camera, screen: egui::Rect) -> Self {
        Self { camera, screen }
    }

    pub fn to_screen(&self, p: Point) -> Pos2 {
        let z = self.camera.zoom;
        Pos2::new(
            self.screen.min.x + (p.x - self.camera.origin.x) * z,
            self.screen.min.y + (p.y - self.camera.origin.y) * z,
        )
    }

    pub fn to_world(&self, s: Pos2) -> Point {
        let z = self.camera.zoom;
        Point::new(
            self.camera.origin.x + (s.x - self.screen.min.x) / z,
            self.camera.origin.y + (s.y - self.screen.min.y) / z,
        )
    }

    pub fn rect_to_screen(&self, r: &Rect) -> egui::Rect {
        egui::Rect::from_min_max(self.to_screen(r.min()), self.to_screen(r.max()))
    }

    /// The part of the world that is visible.
    pub fn world_rect(&self) -> Rect {
        Rect::from_corners(
            self.to_world(self.screen.min),
            self.to_world(self.screen.max),
        )
    }

    pub fn center_world(&self) -> Point {
        self.to_world(self.screen.center())
    }
}

impl Camera {
    /// Moves the view by a screen-space drag.
    pub fn pan_by_screen(&mut self, delta: Vec2) {
        self.origin.x -= delta.x / self.zoom;
        self.origin.y -= delta.y / self.zoom;
    }

    /// Multiplies the zoom by `factor`, keeping the world point under `anchor` where it is.
    pub fn zoom_around(&mut self, screen: egui::Rect, anchor: Pos2, factor: f32) {
        let before = View::new(*self, screen).to_world(anchor);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        self.origin.x = before.x - (anchor.x - screen.min.x) / self.zoom;
        self.origin.y = before.y - (anchor.y - screen.min.y) / self.zoom;
    }

    /// Frames `world` inside `screen` with a margin, zoomed no further in than `max_zoom`.
    pub fn fit(screen: egui::Rect, world: &Rect, margin: f32, max_zoom: f32) -> Camera {
        let avail = (screen.size() - Vec2::splat(2.0 * margin)).max(Vec2::splat(1.0));
        let zoom = (avail.x / world.w.max(1.0))
            .min(avail.y / world.h.max(1.0))
            .clamp(MIN_ZOOM, max_zoom.min(MAX_ZOOM));
        let c = world.center();
        Camera {
            origin: Point::new(
                c.x - screen.width() / 2.0 / zoom,
                c.y - screen.height() / 2.0 / zoom,
            ),
            zoom,
        }
    }

    /// A camera with `world_point` at the centre of `screen`, at the current zoom.
    pub fn centred_on(&self, screen: egui::Rect, world_point: Point) -> Camera {
        Camera {
            origin: Point::new(
                world_point.x - screen.width() / 2.0 / self.zoom,
                world_point.y - screen.height() / 2.0 / self.zoom,
            ),
            zoom: self.zoom,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen() -> egui::Rect {
        egui::Rect::from_min_size(Pos2::new(100.0, 50.0), Vec2::new(800.0, 600.0))
    }

    #[test]
    fn screen_world_round_trip() {
        let v = View::new(
            Camera {
                origin: Point::new(-30.0, 12.0),
                zoom: 2.5,
            },
            screen(),
        );
        let p = Point::new(123.0, -45.0);
        let back = v.to_world(v.to_screen(p));
        assert!((back - p).length() < 1e-3);
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer() {
        let mut cam = Camera::default();
        let anchor = Pos2::new(400.0, 300.0);
        let before = View::new(cam, screen()).to_world(anchor);
        cam.zoom_around(screen(), anchor, 1.7);
        let after = View::new(cam, screen()).to_world(anchor);
        assert!((after - before).length() < 1e-3);
        assert!((cam.zoom - 1.7).abs() < 1e-6);
    }

    #[test]
    fn zoom_is_clamped() {
        let mut cam = Camera::default();
        cam.zoom_around(screen(), Pos2::ZERO, 1000.0);
        assert_eq!(cam.zoom, MAX_ZOOM);
        cam.zoom_around(screen(), Pos2::ZERO, 1e-9);
        assert_eq!(cam.zoom, MIN_ZOOM);
    }

    #[test]
    fn fit_shows_the_whole_rect() {
        let world = Rect::new(1000.0, 1000.0, 4000.0, 1000.0);
        let cam = Camera::fit(screen(), &world, 20.0, 1.0);
        let v = View::new(cam, screen());
        assert!(v.world_rect().contains_rect(&world));
    }
}
