//! `archboard bench`: the whole app measured in a real window, the way a user feels it.
//!
//! Once the board is open the driver moves the camera by itself, one step per frame, through
//! four phases (pan at 100 %, fit, zoom in and out, pan again), asking for a repaint every frame.
//! Each phase reports the interval between frames (what the eye sees) and the CPU time the app's
//! own update took on the UI thread (what archboard itself costs, without the GL driver).

use crate::canvas::{Camera, CanvasState};
use crate::model::Rect;
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Pan,
    Fit,
    Zoom,
    PanBack,
}

impl Phase {
    const ALL: [Phase; 4] = [Phase::Pan, Phase::Fit, Phase::Zoom, Phase::PanBack];

    fn name(self) -> &'static str {
        match self {
            Phase::Pan => "pan at 100 %",
            Phase::Fit => "whole board",
            Phase::Zoom => "zoom in and out",
            Phase::PanBack => "pan back",
        }
    }
}

/// Frames to wait after the board opens before measuring, so start-up work is not counted.
const SETTLE_FRAMES: usize = 5;

pub struct Bench {
    frames: usize,
    phase: usize,
    frame: usize,
    settle: usize,
    last_start: Option<Instant>,
    intervals: Vec<Duration>,
    update: Vec<Duration>,
    lines: Vec<String>,
}

impl Bench {
    pub fn new(frames: usize) -> Self {
        Self {
            frames: frames.max(2),
            phase: 0,
            frame: 0,
            settle: SETTLE_FRAMES,
            last_start: None,
            intervals: Vec::new(),
            update: Vec::new(),
            lines: Vec::new(),
        }
    }

    pub fn finished(&self) -> bool {
        self.phase >= Phase::ALL.len()
    }

    /// One report line per finished phase.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Moves the camera for the frame about to be drawn. `bounds` is the board's extent.
    pub fn drive(&mut self, canvas: &mut CanvasState, bounds: Option<Rect>) {
        if self.settle > 0 || self.finished() {
            return;
        }
        let Some(bounds) = bounds else {
            return;
        };
        let screen = canvas.view().screen;
        let t = self.frame as f32 / (self.frames - 1) as f32;
        // At 100 % the view crosses the board's diagonal (or stays put on a small board).
        let across = |t: f32| Camera {
            origin: crate::model::Point::new(
                bounds.x + (bounds.w - screen.width()).max(0.0) * t,
                bounds.y + (bounds.h - screen.height()).max(0.0) * t,
            ),
            zoom: 1.0,
        };
        canvas.camera = match Phase::ALL[self.phase] {
            Phase::Pan => across(t),
            Phase::PanBack => across(1.0 - t),
            Phase::Fit => Camera::fit(screen, &bounds, 40.0, 1.0),
            Phase::Zoom => {
                // From the fitted view to 8× closer and back, around the view's centre.
                let fit = Camera::fit(screen, &bounds, 40.0, 1.0);
                let depth = 1.0 - (2.0 * t - 1.0).abs();
                let mut cam = fit;
                cam.zoom_around(screen, screen.center(), 8f32.powf(depth));
                cam
            }
        };
    }

    /// Records a frame that started at `start` and spent `update` in the app's update.
    pub fn record(&mut self, start: Instant, update: Duration, ready: bool) {
        if self.finished() {
            return;
        }
        if !ready {
            return;
        }
        if self.settle > 0 {
            self.settle -= 1;
            self.last_start = None;
            return;
        }
        if let Some(last) = self.last_start {
            self.intervals.push(start - last);
        }
        self.last_start = Some(start);
        self.update.push(update);
        self.frame += 1;
        if self.frame >= self.frames {
            let phase = Phase::ALL[self.phase];
            self.lines.push(format!(
                "{:<16} {} frames  interval median {} p95 {}  update CPU median {} p95 {}",
                format!("{}:", phase.name()),
                self.frames,
                ms(percentile(&mut self.intervals, 0.5)),
                ms(percentile(&mut self.intervals, 0.95)),
                ms(percentile(&mut self.update, 0.5)),
                ms(percentile(&mut self.update, 0.95)),
            ));
            self.intervals.clear();
            self.update.clear();
            self.frame = 0;
            self.phase += 1;
            self.last_start = None;
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:>6.2} ms", d.as_secs_f64() * 1000.0)
}

/// The `q` quantile (0–1) of `values`, nearest rank; zero when empty.
fn percentile(values: &mut [Duration], q: f64) -> Duration {
    if values.is_empty() {
        return Duration::ZERO;
    }
    values.sort_unstable();
    let rank = ((values.len() as f64 * q).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}

/// CPU time this thread has used, where the system says (Linux); `None` elsewhere.
pub fn thread_cpu_time() -> Option<Duration> {
    // The first field of schedstat is the time spent running on a CPU, in nanoseconds.
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let mut v: Vec<Duration> = (1..=20).map(Duration::from_millis).collect();
        assert_eq!(percentile(&mut v, 0.5), Duration::from_millis(10));
        assert_eq!(percentile(&mut v, 0.95), Duration::from_millis(19));
        assert_eq!(percentile(&mut [], 0.5), Duration::ZERO);
    }

    #[test]
    fn runs_four_phases_then_finishes() {
        let mut bench = Bench::new(3);
        let mut canvas = CanvasState::new();
        let bounds = Some(Rect::new(0.0, 0.0, 5000.0, 3000.0));
        let mut now = Instant::now();
        let mut zooms = Vec::new();
        for _ in 0..SETTLE_FRAMES + 4 * 3 {
            bench.drive(&mut canvas, bounds);
            zooms.push(canvas.camera.zoom);
            now += Duration::from_millis(16);
            bench.record(now, Duration::from_millis(2), true);
        }
        assert!(bench.finished());
        assert_eq!(bench.lines().len(), 4);
        assert!(bench.lines()[0].starts_with("pan at 100 %:"));
        assert!(bench.lines()[0].contains("interval median  16.00 ms"));
        // The zoom phase goes closer than the fitted view in its middle frame.
        let fit = zooms[SETTLE_FRAMES + 3];
        assert!(zooms[SETTLE_FRAMES + 7] > fit * 4.0, "{zooms:?}");
    }

    #[test]
    fn waits_while_the_board_is_loading() {
        let mut bench = Bench::new(2);
        for _ in 0..50 {
            bench.record(Instant::now(), Duration::ZERO, false);
        }
        assert!(!bench.finished());
        assert!(bench.lines().is_empty());
    }
}
