//! `archboard bench`: the whole app measured in a real window, the way a user feels it.
//!
//! Once the board is open the driver moves the camera by itself, one step per frame, through
//! five phases (pan at 100 %, fit, zoom in and out, pan again, and pan over empty canvas beside
//! the board, which is the same window with nothing to draw), asking for a repaint every frame.
//! Each phase reports the interval between frames (what the eye sees) and the time the app's own
//! update took on the UI thread (what archboard itself costs, without the GL driver).
//! Then it stops asking and measures the whole process's CPU time over five idle seconds.

use crate::canvas::{Camera, CanvasState};
use crate::model::Rect;
use std::time::Duration;
use web_time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Pan,
    Fit,
    Zoom,
    PanBack,
    Empty,
}

impl Phase {
    const ALL: [Phase; 5] = [
        Phase::Pan,
        Phase::Fit,
        Phase::Zoom,
        Phase::PanBack,
        Phase::Empty,
    ];

    fn name(self) -> &'static str {
        match self {
            Phase::Pan => "pan at 100 %",
            Phase::Fit => "whole board",
            Phase::Zoom => "zoom in and out",
            Phase::PanBack => "pan back",
            Phase::Empty => "pan, empty view",
        }
    }
}

/// Frames to wait after the board opens before measuring, so start-up work is not counted.
const SETTLE_FRAMES: usize = 5;
/// How long the idle window is watched.
const IDLE: Duration = Duration::from_secs(5);

/// The idle measurement: when it began, the process's CPU time then, frames drawn since.
struct Idle {
    start: Instant,
    cpu: Option<Duration>,
    frames: usize,
}

pub struct Bench {
    frames: usize,
    phase: usize,
    frame: usize,
    settle: usize,
    last_start: Option<Instant>,
    intervals: Vec<Duration>,
    update: Vec<Duration>,
    lines: Vec<String>,
    idle: Option<Idle>,
    done: bool,
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
            idle: None,
            done: false,
        }
    }

    /// All phases measured, the idle one included.
    pub fn finished(&self) -> bool {
        self.done
    }

    /// The moving phases are over: the window is left alone now.
    pub fn moving_done(&self) -> bool {
        self.phase >= Phase::ALL.len()
    }

    /// Called once per frame after the moving phases: starts the idle watch, counts the frames
    /// something else asked for, and after [`IDLE`] reports the share of a core the whole
    /// process used. Returns how long to sleep before the next look.
    pub fn idle_frame(&mut self, now: Instant, process_cpu: Option<Duration>) -> Option<Duration> {
        if self.done {
            return None;
        }
        let idle = self.idle.get_or_insert(Idle {
            start: now,
            cpu: process_cpu,
            frames: 0,
        });
        let elapsed = now - idle.start;
        if elapsed < IDLE {
            if elapsed > Duration::ZERO {
                idle.frames += 1;
            }
            return Some(IDLE - elapsed);
        }
        let share = match (idle.cpu, process_cpu) {
            (Some(a), Some(b)) => {
                format!(
                    "{:.2} % of a core",
                    b.saturating_sub(a).as_secs_f64() / elapsed.as_secs_f64() * 100.0
                )
            }
            _ => "CPU time unknown".into(),
        };
        self.lines.push(format!(
            "{:<16} {:.1} s  {share}, {} frames drawn",
            "idle:",
            elapsed.as_secs_f64(),
            idle.frames
        ));
        if let Some(peak) = peak_memory() {
            self.lines.push(format!(
                "{:<16} peak resident {} MB",
                "memory:",
                peak / (1024 * 1024)
            ));
        }
        self.done = true;
        None
    }

    /// One report line per finished phase.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Moves the camera for the frame about to be drawn. `bounds` is the board's extent.
    pub fn drive(&mut self, canvas: &mut CanvasState, bounds: Option<Rect>) {
        if self.settle > 0 || self.moving_done() {
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
            Phase::Empty => {
                // The same pan, a board's width to the right of it: nothing there to draw.
                let mut cam = across(t);
                cam.origin.x += bounds.w + screen.width() * 2.0;
                cam
            }
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
        if self.moving_done() {
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
                "{:<16} {} frames  interval median {} p95 {}  update median {} p95 {}",
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

/// The most memory the process has held resident so far, in bytes (Linux); `None` elsewhere.
pub fn peak_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU time the whole process (every thread, the GL driver's included) has used, where the
/// system says (Linux); `None` elsewhere. Clock ticks: 10 ms steps.
pub fn process_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime
    // are fields 14 and 15.
    let rest = text.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
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
    fn runs_the_moving_phases_then_watches_the_idle_window() {
        let mut bench = Bench::new(3);
        let mut canvas = CanvasState::new();
        let bounds = Some(Rect::new(0.0, 0.0, 5000.0, 3000.0));
        let mut now = Instant::now();
        let mut zooms = Vec::new();
        for _ in 0..SETTLE_FRAMES + 5 * 3 {
            bench.drive(&mut canvas, bounds);
            zooms.push(canvas.camera.zoom);
            now += Duration::from_millis(16);
            bench.record(now, Duration::from_millis(2), true);
        }
        assert!(bench.moving_done() && !bench.finished());
        assert_eq!(bench.lines().len(), 5);
        assert!(bench.lines()[0].starts_with("pan at 100 %:"));
        assert!(bench.lines()[0].contains("interval median  16.00 ms"));
        // The zoom phase goes closer than the fitted view in its middle frame.
        let fit = zooms[SETTLE_FRAMES + 3];
        assert!(zooms[SETTLE_FRAMES + 7] > fit * 4.0, "{zooms:?}");
        // Idle: one frame something asked for, then the report after the watch.
        let cpu = Duration::from_millis(1_000);
        assert_eq!(bench.idle_frame(now, Some(cpu)), Some(IDLE));
        assert!(
            bench
                .idle_frame(now + Duration::from_secs(1), None)
                .is_some()
        );
        assert_eq!(
            bench.idle_frame(now + IDLE, Some(cpu + Duration::from_millis(50))),
            None
        );
        assert!(bench.finished());
        let idle = &bench.lines()[5];
        if cfg!(target_os = "linux") {
            assert!(
                bench.lines()[6].starts_with("memory:"),
                "{:?}",
                bench.lines()
            );
        }
        assert!(idle.contains("1.00 % of a core, 1 frames drawn"), "{idle}");
    }

    #[test]
    fn reads_this_process_cpu_time() {
        if cfg!(target_os = "linux") {
            assert!(process_cpu_time().is_some());
        }
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
