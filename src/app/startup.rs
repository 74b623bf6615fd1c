//! Start-up timing (`--timings`) and the driver of `archboard bench`, kept out of the frame's
//! ordinary path: when neither is asked for, a frame is just [`ArchboardApp::show`].

use super::ArchboardApp;
use super::bench::{self, Bench};
use std::time::Duration;
use web_time::Instant;

/// Start-up milestones, printed once the first frame is on screen, and the bench run.
#[derive(Default)]
pub struct Startup {
    timings: Option<Timings>,
    bench: Option<Bench>,
}

struct Timings {
    started: Instant,
    app_created: Duration,
    first_built: Option<Duration>,
    /// Whether the window's line is printed; the board's follows once its file has loaded.
    window_done: bool,
    /// When the first frame showing the opened board was built.
    board_built: Option<Duration>,
}

impl Startup {
    pub fn new(started: Instant, timings: bool, bench: Option<usize>) -> Self {
        Self {
            timings: (timings || bench.is_some()).then(|| Timings {
                started,
                app_created: started.elapsed(),
                first_built: None,
                window_done: false,
                board_built: None,
            }),
            bench: bench.map(Bench::new),
        }
    }
}

/// One frame of the window: the app, measured when timings or a bench run were asked for.
pub fn frame(app: &mut ArchboardApp, ui: &mut egui::Ui) {
    note_startup(app, ui.ctx());
    if app.startup.bench.is_some() {
        bench_frame(app, ui);
    } else {
        app.show(ui);
    }
}

/// Prints the start-up line at the start of the second frame: the first is on screen by then.
/// When a file is opening on the worker, a second line follows the first frame that shows it.
fn note_startup(app: &mut ArchboardApp, ctx: &egui::Context) {
    let loading = app.files.is_loading() || app.files.starting();
    let Some(t) = &mut app.startup.timings else {
        return;
    };
    match t.first_built {
        None => {
            t.first_built = Some(t.started.elapsed());
            ctx.request_repaint();
        }
        Some(built) if !t.window_done => {
            let shown = t.started.elapsed();
            print_line(&format!(
                "startup: window and app ready {} ms, first frame built {} ms, on screen by {} ms",
                t.app_created.as_millis(),
                built.as_millis(),
                shown.as_millis()
            ));
            t.window_done = true;
            if !loading {
                app.startup.timings = None;
            }
        }
        Some(_) => match t.board_built {
            None if !loading => {
                t.board_built = Some(t.started.elapsed());
                ctx.request_repaint();
            }
            None => {}
            Some(built) => {
                print_line(&format!(
                    "startup: board opened, its first frame built {} ms, on screen by {} ms",
                    built.as_millis(),
                    t.started.elapsed().as_millis()
                ));
                app.startup.timings = None;
            }
        },
    }
}

/// Drives and measures one frame of `archboard bench`, then quits when it is done.
fn bench_frame(app: &mut ArchboardApp, ui: &mut egui::Ui) {
    let start = Instant::now();
    let bounds = app.board.doc.index().bounds();
    let ready = !app.files.is_loading() && !app.files.starting();
    if let Some(b) = &mut app.startup.bench
        && ready
    {
        b.drive(&mut app.canvas, bounds);
    }
    app.show(ui);
    // The update never waits on the disk, the network or the GPU, so its wall-clock time is the
    // CPU time it costs; the kernel's per-thread CPU counter only moves in scheduler ticks.
    let update = start.elapsed();
    let Some(b) = &mut app.startup.bench else {
        return;
    };
    b.record(start, update, ready);
    if !b.moving_done() {
        ui.ctx().request_repaint();
    } else if let Some(wait) = b.idle_frame(Instant::now(), bench::process_cpu_time()) {
        ui.ctx().request_repaint_after(wait);
    }
    if b.finished() {
        for line in b.lines() {
            print_line(line);
        }
        app.startup.bench = None;
        app.files.allow_close();
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// One line of output: stdout, or a browser's console (`?bench=`).
fn print_line(line: &str) {
    crate::platform::print_line(line);
}
