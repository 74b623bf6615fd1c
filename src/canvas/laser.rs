//! The laser pointer: "what happens here?" without touching the board. A trail follows the
//! pointer while the button is held and fades within about a second. It is presence, like the
//! pointer itself: never part of the board, so never saved, exported or undone. Peers draw
//! each other's trails from the pointer positions their awareness states carry.

use super::View;
use crate::model::Point;
use std::collections::VecDeque;
use std::time::Duration;
use web_time::Instant;

/// How long a point of the trail stays visible.
pub const FADE: Duration = Duration::from_millis(1000);
/// A trail never holds more points than this: a second at 240 frames a second.
const MAX_POINTS: usize = 240;
/// Width of the trail's core on screen, in points (it does not grow with the zoom).
const WIDTH: f32 = 4.0;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Mark {
    at: Point,
    when: Instant,
    /// The first point after the button was lifted: no segment joins it to the one before.
    starts: bool,
}

/// One person's trail.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trail {
    marks: VecDeque<Mark>,
    lifted: bool,
}

impl Trail {
    /// Extends the trail to `at` (a point already at the end is not repeated).
    pub fn push(&mut self, at: Point, now: Instant) {
        let starts = self.lifted || self.marks.is_empty();
        if !starts && self.marks.back().is_some_and(|m| m.at == at) {
            return;
        }
        self.lifted = false;
        self.marks.push_back(Mark {
            at,
            when: now,
            starts,
        });
        while self.marks.len() > MAX_POINTS {
            self.marks.pop_front();
        }
    }

    /// The button went up: the next point starts a new stroke.
    pub fn lift(&mut self) {
        self.lifted = true;
    }

    /// Drops the points that have faded; whether any are still visible.
    pub fn prune(&mut self, now: Instant) -> bool {
        while self
            .marks
            .front()
            .is_some_and(|m| now.saturating_duration_since(m.when) >= FADE)
        {
            self.marks.pop_front();
        }
        !self.marks.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    /// The trail as the painter wants it: each point with its opacity (1 new, 0 faded) and
    /// whether it starts a stroke.
    pub fn faded(&self, now: Instant) -> Vec<(Point, f32, bool)> {
        self.marks
            .iter()
            .map(|m| {
                let age = now.saturating_duration_since(m.when).as_secs_f32();
                let opacity = (1.0 - age / FADE.as_secs_f32()).clamp(0.0, 1.0);
                (m.at, opacity, m.starts)
            })
            .collect()
    }
}

/// Draws a trail in `color`: a bright core inside a soft glow, thinning and fading towards
/// its tail.
pub fn paint(
    painter: &egui::Painter,
    view: &View,
    trail: &[(Point, f32, bool)],
    color: egui::Color32,
) {
    for pair in trail.windows(2) {
        let [(a, _, _), (b, opacity, starts)] = [pair[0], pair[1]];
        if starts || opacity <= 0.0 {
            continue;
        }
        let (a, b) = (view.to_screen(a), view.to_screen(b));
        if !view
            .screen
            .expand(WIDTH * 3.0)
            .intersects(egui::Rect::from_two_pos(a, b))
        {
            continue;
        }
        let width = WIDTH * (0.35 + 0.65 * opacity);
        painter.line_segment(
            [a, b],
            egui::Stroke::new(width * 3.0, color.gamma_multiply(0.25 * opacity)),
        );
        painter.line_segment(
            [a, b],
            egui::Stroke::new(width, color.gamma_multiply(opacity)),
        );
    }
    if let Some(&(tip, opacity, _)) = trail.last() {
        let tip = view.to_screen(tip);
        if opacity > 0.0 && view.screen.contains(tip) {
            painter.circle_filled(tip, WIDTH * 1.2, color.gamma_multiply(opacity));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trail_fades_within_a_second_and_strokes_do_not_join() {
        let t0 = Instant::now();
        let mut trail = Trail::default();
        trail.push(Point::new(0.0, 0.0), t0);
        trail.push(Point::new(0.0, 0.0), t0);
        trail.push(Point::new(10.0, 0.0), t0 + Duration::from_millis(100));
        trail.lift();
        trail.push(Point::new(50.0, 50.0), t0 + Duration::from_millis(500));
        let seen = trail.faded(t0 + Duration::from_millis(500));
        assert_eq!(seen.len(), 3, "a repeated point is kept once");
        assert_eq!(
            seen.iter().map(|p| p.2).collect::<Vec<_>>(),
            [true, false, true]
        );
        assert!((seen[0].1 - 0.5).abs() < 1e-3 && seen[2].1 == 1.0);
        assert!(trail.prune(t0 + Duration::from_millis(1050)));
        assert_eq!(trail.faded(t0 + Duration::from_millis(1050)).len(), 2);
        assert!(!trail.prune(t0 + Duration::from_millis(1500)));
        assert!(trail.is_empty());
    }

    #[test]
    fn a_long_stroke_keeps_a_bounded_trail() {
        let t0 = Instant::now();
        let mut trail = Trail::default();
        for i in 0..10_000 {
            trail.push(Point::new(i as f32, 0.0), t0);
        }
        assert_eq!(trail.faded(t0).len(), MAX_POINTS);
        assert_eq!(trail.faded(t0).last().map(|p| p.0.x), Some(9_999.0));
    }
}
