//! End to end: the real `archboard` binary in a real X window (Xvfb), driven by xdotool the way a
//! person would, checked through the files it saves.
//!
//! Needs `Xvfb`, `xdotool` and `import` (ImageMagick). Without them the test says why and passes,
//! unless `ARCHBOARD_E2E_REQUIRED` is set (CI sets it), which turns the skip into a failure.

use archboard::persistence::load_board;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills its processes when dropped, so a failing test never leaves Xvfb or the app behind.
struct Session {
    display: String,
    xvfb: Child,
    app: Option<Child>,
    /// More windows and the relay, in tests with more than one process.
    others: Vec<Child>,
    home: tempfile::TempDir,
    /// Xvfb's end of `-displayfd`, kept open: Xvfb writes to it again when it resets, and a
    /// closed pipe would kill it with SIGPIPE.
    _displayfd: Option<std::io::BufReader<std::process::ChildStdout>>,
    /// One window at a time: on two cores with software GL, parallel windows drop input.
    _serial: std::sync::MutexGuard<'static, ()>,
}

static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(app) = &mut self.app {
            let _ = app.kill();
            let _ = app.wait();
        }
        for other in &mut self.others {
            let _ = other.kill();
            let _ = other.wait();
        }
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Polls `cond` every 50 ms until it holds or `secs` pass.
fn wait_for(what: &str, secs: u64, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out after {secs} s waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Session {
    /// Starts Xvfb on a free display, or returns None (with the reason printed) when it cannot.
    fn start() -> Option<Session> {
        let required = std::env::var_os("ARCHBOARD_E2E_REQUIRED").is_some();
        let missing: Vec<&str> = ["Xvfb", "xdotool", "import"]
            .into_iter()
            .filter(|t| !have(t))
            .collect();
        if !missing.is_empty() {
            let why = format!(
                "end-to-end test skipped: {} not installed",
                missing.join(", ")
            );
            assert!(!required, "{why} (ARCHBOARD_E2E_REQUIRED is set)");
            eprintln!("{why}");
            return None;
        }
        // A test that failed while holding the lock poisons it; the next one can still run.
        let serial = SERIAL
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Xvfb picks a free display itself and writes its number to stdout (`-displayfd`), so
        // tests running side by side never race for the same one.
        let mut xvfb = Command::new("Xvfb")
            .args([
                // Without -noreset the server resets whenever its last client leaves (the app
                // quitting or being killed between two launches).
                "-noreset",
                "-displayfd",
                "1",
                "-screen",
                "0",
                // Wide enough for two windows side by side.
                "2600x900x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut line = String::new();
        let mut displayfd = xvfb.stdout.take().map(std::io::BufReader::new);
        if let Some(out) = &mut displayfd {
            let _ = std::io::BufRead::read_line(out, &mut line);
        }
        let display = format!(":{}", line.trim());
        if line.trim().is_empty() {
            let _ = xvfb.kill();
            let _ = xvfb.wait();
            assert!(
                !required,
                "Xvfb did not start (ARCHBOARD_E2E_REQUIRED is set)"
            );
            eprintln!("end-to-end test skipped: Xvfb did not start");
            return None;
        }
        let s = Session {
            display,
            xvfb,
            app: None,
            others: Vec::new(),
            _displayfd: displayfd,
            home: tempfile::tempdir().ok()?,
            _serial: serial,
        };
        wait_for("Xvfb", 10, || s.xdotool(&["getdisplaygeometry"]).is_some());
        Some(s)
    }

    fn xdotool(&self, args: &[&str]) -> Option<String> {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    fn x(&self, args: &[&str]) {
        assert!(self.xdotool(args).is_some(), "xdotool {args:?} failed");
        std::thread::sleep(Duration::from_millis(120));
    }

    /// Launches the app on `file` and focuses its window.
    fn launch(&mut self, file: &Path) {
        self.launch_window(&[file.as_os_str()], "app", true);
    }

    /// Launches the app with `args` as a second (third…) window, with its own settings folder
    /// named `who`; returns its X window id.
    fn launch_another(&mut self, args: &[&std::ffi::OsStr], who: &str) -> String {
        self.launch_window(args, who, false)
    }

    fn launch_window(&mut self, args: &[&std::ffi::OsStr], who: &str, primary: bool) -> String {
        let before: Vec<String> = self
            .xdotool(&["search", "--onlyvisible", "--name", "archboard"])
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        // The app's messages go to a file, shown if its window never appears.
        let log_path = self.home.path().join(format!("{who}.log"));
        let log = std::fs::File::create(&log_path).expect("log file");
        let (config, data) = if primary {
            ("config".to_owned(), "data".to_owned())
        } else {
            (format!("config-{who}"), format!("data-{who}"))
        };
        let child = Command::new(env!("CARGO_BIN_EXE_archboard"))
            .args(args)
            .env("DISPLAY", &self.display)
            .env_remove("WAYLAND_DISPLAY")
            // Keep the app's settings and data away from the developer's own.
            .env("XDG_CONFIG_HOME", self.home.path().join(config))
            .env("XDG_DATA_HOME", self.home.path().join(data))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start archboard");
        if primary {
            self.app = Some(child);
        } else {
            self.others.push(child);
        }
        let start = Instant::now();
        let window = loop {
            let found: Vec<String> = self
                .xdotool(&["search", "--onlyvisible", "--name", "archboard"])
                .unwrap_or_default()
                .lines()
                .filter(|w| !before.iter().any(|b| b == w))
                .map(str::to_owned)
                .collect();
            if let Some(w) = found.into_iter().next() {
                break w;
            }
            if start.elapsed() > Duration::from_secs(30) || self.app_exited() {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!(
                    "no archboard window after {:?} (app exited: {}); its stderr:\n{log}",
                    start.elapsed(),
                    self.app_exited()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        // Give the first frames a moment, then focus (no window manager: windowfocus, not activate).
        std::thread::sleep(Duration::from_millis(800));
        self.x(&["windowfocus", "--sync", &window]);
        window
    }

    fn app_exited(&mut self) -> bool {
        self.app
            .as_mut()
            .is_some_and(|c| c.try_wait().ok().flatten().is_some())
    }

    fn key_at(&self, x: i32, y: i32, key: &str) {
        self.x(&["mousemove", &x.to_string(), &y.to_string()]);
        self.x(&["key", key]);
    }

    /// A drag as a hand makes it: press, several moves, release, with time between.
    fn drag(&self, from: (i32, i32), to: (i32, i32)) {
        self.x(&["mousemove", &from.0.to_string(), &from.1.to_string()]);
        self.x(&["mousedown", "1"]);
        for i in 1..=5 {
            let x = from.0 + (to.0 - from.0) * i / 5;
            let y = from.1 + (to.1 - from.1) * i / 5;
            self.x(&["mousemove", &x.to_string(), &y.to_string()]);
            std::thread::sleep(Duration::from_millis(30));
        }
        self.x(&["mouseup", "1"]);
    }

    fn screenshot(&self, path: &Path) {
        let ok = Command::new("import")
            .args(["-window", "root"])
            .arg(path)
            .env("DISPLAY", &self.display)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "import took no screenshot");
    }
}

/// `archboard check FILE`'s first line, or its error.
fn check(file: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .arg("check")
        .arg(file)
        .output()
        .expect("check");
    let text = if out.status.success() {
        out.stdout
    } else {
        out.stderr
    };
    String::from_utf8_lossy(&text).trim().to_owned()
}

/// Saves with Ctrl+S and waits until `check` reports `expect`.
fn save_and_expect(s: &Session, file: &Path, expect: &str) {
    s.x(&["key", "ctrl+s"]);
    let mut last = String::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        last = check(file);
        if last == expect {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("expected {expect:?} in {}, got {last:?}", file.display());
}

#[test]
fn a_person_draws_connects_labels_saves_and_quits() {
    let Some(mut s) = Session::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");

    // 1. Five headline components by key, at five pointer positions; Ctrl+S writes the bound file.
    let five = dir.path().join("five.ron");
    s.launch(&five);
    for (x, y, key) in [
        (320, 200, "l"),
        (520, 200, "c"),
        (720, 200, "d"),
        (420, 450, "q"),
        (650, 450, "n"),
    ] {
        s.key_at(x, y, key);
        s.x(&["key", "Escape"]);
    }
    save_and_expect(&s, &five, "5 blocks, 0 links");
    let board = load_board(&five).expect("saved board");
    let mut kinds: Vec<String> = board.blocks.values().map(|b| b.kind.clone()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        ["cache", "cdn", "database", "load_balancer", "queue"]
    );

    // 5. The window shows the blocks: a screenshot is not blank.
    let shot = dir.path().join("shot.png");
    s.screenshot(&shot);
    let img = image::open(&shot).expect("screenshot").to_rgba8();
    let mut colours = std::collections::HashSet::new();
    for (x, y, p) in img.enumerate_pixels() {
        if x % 3 == 0 && y % 3 == 0 {
            colours.insert(p.0);
        }
    }
    assert!(
        colours.len() > 50,
        "the screenshot shows a drawing ({} colours)",
        colours.len()
    );

    // 4. Quitting with unsaved changes asks first; Enter picks Save, which writes, then quits.
    s.key_at(820, 600, "r");
    s.x(&["key", "Escape"]);
    s.x(&["key", "ctrl+q"]);
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        !s.app_exited(),
        "the app waits for an answer instead of quitting"
    );
    s.x(&["key", "Return"]);
    wait_for("the app to save and quit", 10, || s.app_exited());
    assert_eq!(check(&five), "6 blocks, 0 links");

    // 2. Connect two blocks with the connect tool; undo removes the link again.
    let linked = dir.path().join("linked.ron");
    s.launch(&linked);
    s.key_at(350, 300, "r");
    s.x(&["key", "Escape"]);
    s.key_at(700, 300, "d");
    s.x(&["key", "Escape"]);
    s.x(&["key", "a"]);
    s.drag((350, 300), (700, 300));
    save_and_expect(&s, &linked, "2 blocks, 1 link");
    s.x(&["key", "ctrl+z"]);
    save_and_expect(&s, &linked, "2 blocks, 0 links");

    // 3. Typing right after placing names the block.
    s.key_at(500, 550, "c");
    s.x(&["type", "--delay", "40", "Redis"]);
    s.x(&["key", "Escape"]);
    save_and_expect(&s, &linked, "3 blocks, 0 links");
    let board = load_board(&linked).expect("saved");
    assert!(
        board
            .blocks
            .values()
            .any(|b| b.kind == "cache" && b.label == "Redis"),
        "the typed label was saved"
    );
}

impl Session {
    /// Runs the binary with `args` in this X session and returns its stdout, killing it after
    /// `secs` seconds.
    fn run_to_end(&self, args: &[&std::ffi::OsStr], secs: u64) -> (bool, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archboard"))
            .args(args)
            .env("DISPLAY", &self.display)
            .env_remove("WAYLAND_DISPLAY")
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start archboard");
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break Some(status);
            }
            if start.elapsed() > Duration::from_secs(secs) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut out = String::new();
        if let Some(mut stdout) = child.stdout.take() {
            let _ = std::io::Read::read_to_string(&mut stdout, &mut out);
        }
        (status.is_some_and(|s| s.success()), out)
    }
}

/// Writes a generated board of `blocks` blocks and as many links to `file`.
fn generate(blocks: usize, file: &std::path::Path) {
    let generated = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["generate", &blocks.to_string(), "-o"])
        .arg(file)
        .output()
        .expect("generate");
    assert!(generated.status.success(), "{generated:?}");
}

#[test]
fn bench_measures_every_phase_in_a_real_window_and_exits() {
    let Some(s) = Session::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("gen.ron");
    generate(300, &file);
    let (ok, out) = s.run_to_end(
        &[
            "bench".as_ref(),
            file.as_os_str(),
            "--frames".as_ref(),
            "8".as_ref(),
        ],
        60,
    );
    assert!(ok, "bench exits by itself with success; printed:\n{out}");
    for phase in [
        "pan at 100 %:",
        "whole board:",
        "zoom in and out:",
        "pan back:",
        "pan, empty view:",
    ] {
        let line = out
            .lines()
            .find(|l| l.starts_with(phase))
            .unwrap_or_else(|| panic!("no {phase:?} line in:\n{out}"));
        assert!(
            line.contains("8 frames") && line.contains("p95") && line.contains("update median"),
            "{line}"
        );
    }
    assert!(
        out.contains("startup: "),
        "bench prints start-up timings:\n{out}"
    );
    // Left alone, the window draws (almost) nothing: no continuous repaint. One frame may come
    // from the status message hiding itself.
    let idle = out
        .lines()
        .find(|l| l.starts_with("idle:"))
        .unwrap_or_else(|| panic!("no idle line in:\n{out}"));
    let frames: usize = idle
        .split(", ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("frames drawn in {idle:?}"));
    assert!(idle.contains("% of a core"), "{idle}");
    assert!(frames <= 2, "an idle window keeps drawing: {idle}");
}

#[test]
fn timings_report_the_first_frame() {
    let Some(s) = Session::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("new.ron");
    // The app keeps running after printing: the run ends at the time limit, then the output is read.
    let (_, out) = s.run_to_end(&["--timings".as_ref(), file.as_os_str()], 8);
    let line = out
        .lines()
        .find(|l| l.starts_with("startup: "))
        .unwrap_or_else(|| panic!("no startup line in {out:?}"));
    let ms: Vec<u64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(ms.len(), 3, "{line}");
    assert!(
        ms[0] <= ms[1] && ms[1] <= ms[2],
        "milestones in order: {line}"
    );

    // A file that exists opens on the worker after the window is up: a second line says when
    // its first frame was built and on screen.
    let file = dir.path().join("gen.ron");
    generate(3000, &file);
    let (_, out) = s.run_to_end(&["--timings".as_ref(), file.as_os_str()], 10);
    let board = out
        .lines()
        .find(|l| l.starts_with("startup: board opened"))
        .unwrap_or_else(|| panic!("no board line in {out:?}"));
    let window = out
        .lines()
        .find(|l| l.starts_with("startup: window"))
        .unwrap_or_else(|| panic!("no window line in {out:?}"));
    let numbers = |l: &str| -> Vec<u64> {
        l.split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect()
    };
    let (w, b) = (numbers(window), numbers(board));
    assert_eq!(b.len(), 2, "{board}");
    assert!(w[2] <= b[0] && b[0] <= b[1], "{window} / {board}");
}

/// The recovery files the app under test has written (its `$XDG_DATA_HOME` is the session's).
fn recovery_files(s: &Session) -> Vec<std::path::PathBuf> {
    // The app's data folder is `$XDG_DATA_HOME/archboard`.
    let data = s.home.path().join("data").join("archboard");
    archboard::persistence::recovery::list(&archboard::persistence::recovery::recovery_dir(&data))
}

#[test]
fn work_survives_a_kill_and_is_restored_on_the_next_start() {
    let Some(mut s) = Session::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("killed.ron");
    s.launch(&file);
    for (x, y, key) in [(350, 250, "l"), (600, 250, "c"), (850, 250, "d")] {
        s.key_at(x, y, key);
        s.x(&["key", "Escape"]);
    }
    // Autosave writes about a second after the last change; the board was never saved.
    let mut rescued = None;
    wait_for("a recovery file with the three blocks", 10, || {
        rescued = recovery_files(&s)
            .into_iter()
            .find_map(|p| load_board(&p).ok().filter(|b| b.blocks.len() == 3));
        rescued.is_some()
    });
    let rescued = rescued.expect("found");
    assert!(!file.exists(), "nothing was saved by hand");

    // SIGKILL: no chance to clean up, as in a crash or a killed process.
    if let Some(app) = &mut s.app {
        app.kill().expect("kill");
        let _ = app.wait();
    }
    s.app = None;

    // Starting again offers the work; Enter restores it, Ctrl+S writes it to the original file.
    // The offer appears once the background scan is done; until then Enter and Ctrl+S do
    // nothing, so keep answering until the file holds the work (no fixed wait to guess).
    s.launch(&file);
    wait_for("the restored work to be saved", 20, || {
        s.x(&["key", "Return"]);
        s.x(&["key", "ctrl+s"]);
        std::thread::sleep(Duration::from_millis(300));
        check(&file) == "3 blocks, 0 links"
    });
    let restored = load_board(&file).expect("restored and saved");
    assert_eq!(restored.blocks, rescued.blocks, "the same board came back");
    wait_for("the recovery file to be removed after the save", 10, || {
        recovery_files(&s).is_empty()
    });
}

/// A relay (`archboard serve`) on 127.0.0.1, on `port` (0: any free one); returns it and its
/// port, read from the line it prints once listening.
fn serve(port: u16) -> (Child, u16) {
    let mut relay = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["serve", "--bind", "127.0.0.1", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the relay");
    let mut out = std::io::BufReader::new(relay.stdout.take().expect("relay stdout"));
    let mut line = String::new();
    let _ = std::io::BufRead::read_line(&mut out, &mut line);
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the relay said {line:?}"));
    // Keep reading so the relay never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    (relay, port)
}

/// `archboard pull URL` as a third peer: the room's `N blocks, M links`, or the error.
fn pull(url: &str, dir: &Path) -> String {
    let file = dir.join("pulled.ron");
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["pull", url, "-o"])
        .arg(&file)
        .output()
        .expect("pull");
    if !out.status.success() {
        return String::from_utf8_lossy(&out.stderr).trim().to_owned();
    }
    check(&file)
}

/// A window's part of the screen, to tell whether it changed.
fn window_pixels(s: &Session, dir: &Path, x0: u32) -> Vec<u8> {
    let shot = dir.join("room.png");
    s.screenshot(&shot);
    let img = image::open(&shot).expect("screenshot").to_rgba8();
    // The canvas of a window at x0 (the palette and the sidebar left out).
    image::imageops::crop_imm(&img, x0 + 220, 60, 600, 640)
        .to_image()
        .into_raw()
}

#[test]
fn two_windows_share_one_room_and_converge_after_the_relay_restarts() {
    let Some(mut s) = Session::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let (relay, port) = serve(0);
    s.others.push(relay);
    let url = format!("ws://127.0.0.1:{port}/mock");

    // Ana (candidate) and Ivan (interviewer), side by side.
    let ana_file = dir.path().join("ana.ron");
    let ivan_file = dir.path().join("ivan.ron");
    let ana = s.launch_another(
        &[
            ana_file.as_os_str(),
            "--join".as_ref(),
            url.as_ref(),
            "--name".as_ref(),
            "Ana".as_ref(),
        ],
        "ana",
    );
    let ivan = s.launch_another(
        &[
            ivan_file.as_os_str(),
            "--join".as_ref(),
            url.as_ref(),
            "--name".as_ref(),
            "Ivan".as_ref(),
            "--role".as_ref(),
            "interviewer".as_ref(),
        ],
        "ivan",
    );
    s.x(&["windowmove", &ivan, "1310", "0"]);
    std::thread::sleep(Duration::from_millis(500));
    let ivan_before = window_pixels(&s, dir.path(), 1310);

    // L in Ana's window: the room has the block, and Ivan's window draws it.
    s.x(&["windowfocus", "--sync", &ana]);
    s.key_at(450, 300, "l");
    s.x(&["key", "Escape"]);
    wait_for("the load balancer in the room", 15, || {
        pull(&url, dir.path()) == "1 block, 0 links"
    });
    wait_for("Ivan's window to draw it", 10, || {
        window_pixels(&s, dir.path(), 1310) != ivan_before
    });

    // The relay goes away; each of them places a database while it is gone.
    // (The relay was the first process pushed.)
    let mut gone = s.others.remove(0);
    let _ = gone.kill();
    let _ = gone.wait();
    s.x(&["windowfocus", "--sync", &ana]);
    s.key_at(450, 550, "d");
    s.x(&["key", "Escape"]);
    s.x(&["windowfocus", "--sync", &ivan]);
    s.key_at(1310 + 750, 550, "d");
    s.x(&["key", "Escape"]);
    std::thread::sleep(Duration::from_millis(500));

    // It comes back on the same port, empty: the two windows bring the board back, merged.
    let (relay, _) = serve(port);
    s.others.push(relay);
    wait_for("both databases in the room", 30, || {
        pull(&url, dir.path()) == "3 blocks, 0 links"
    });
    // Each window has all three: its Ctrl+S writes them to its own file.
    for (window, file) in [(&ana, &ana_file), (&ivan, &ivan_file)] {
        s.x(&["windowfocus", "--sync", window]);
        save_and_expect(&s, file, "3 blocks, 0 links");
    }
    let ana_board = load_board(&ana_file).expect("Ana's copy");
    let ivan_board = load_board(&ivan_file).expect("Ivan's copy");
    assert_eq!(ana_board.blocks, ivan_board.blocks, "the two windows agree");
}

/// The seconds in a report's "m:ss" cell.
fn seconds(cell: &str) -> u64 {
    let (m, s) = cell.trim().split_once(':').expect("m:ss");
    m.parse::<u64>().expect("minutes") * 60 + s.parse::<u64>().expect("seconds")
}

/// The "spent" cell of a phase's row in the report's time table.
fn spent(md: &str, phase: &str) -> u64 {
    let row = md
        .lines()
        .find(|l| l.starts_with(&format!("| {phase} |")))
        .unwrap_or_else(|| panic!("no row for {phase} in:\n{md}"));
    seconds(row.split('|').nth(3).expect("spent cell"))
}

#[test]
fn a_short_practice_interview_in_a_window_shows_in_its_report() {
    let Some(mut s) = Session::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("practice.ron");
    let made = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args([
            "new".as_ref(),
            file.as_os_str(),
            "--problem".as_ref(),
            "url-shortener".as_ref(),
        ])
        .output()
        .expect("archboard new");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    s.launch(&file);

    // Understand and scope: the clock runs for about three seconds, and one hint is taken.
    s.x(&["key", "F5"]);
    s.x(&["key", "ctrl+shift+h"]);
    std::thread::sleep(Duration::from_millis(3000));
    // High-level design: a load balancer, a cache and a database, for about three seconds.
    s.x(&["key", "F6"]);
    for (x, y, key) in [(320, 250, "l"), (520, 250, "c"), (720, 250, "d")] {
        s.key_at(x, y, key);
        s.x(&["key", "Escape"]);
    }
    std::thread::sleep(Duration::from_millis(2500));
    // Deep dive, then finish (which stops the clock) and save.
    s.x(&["key", "F6"]);
    std::thread::sleep(Duration::from_millis(1500));
    s.x(&["key", "ctrl+shift+Return"]);
    save_and_expect(&s, &file, "3 blocks, 0 links");

    let board = load_board(&file).expect("saved board");
    let practice = board.practice.as_ref().expect("still a practice board");
    assert!(practice.finished.is_some(), "Ctrl+Shift+Enter finished it");
    assert_eq!(practice.hints.len(), 1, "one hint taken");

    let md_path = dir.path().join("practice.md");
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args([
            "report".as_ref(),
            file.as_os_str(),
            "-o".as_ref(),
            md_path.as_os_str(),
        ])
        .output()
        .expect("archboard report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(&md_path).expect("report");
    let scope = spent(&md, "Understand and scope");
    let design = spent(&md, "High-level design");
    let deep = spent(&md, "Deep dive");
    assert!((2..=30).contains(&scope), "scoping took about 3 s: {scope}");
    assert!(
        (2..=30).contains(&design),
        "design took about 3 s: {design}"
    );
    assert!(deep <= 30, "deep dive: {deep}");
    assert_eq!(spent(&md, "Wrap-up"), 0, "wrap-up never started");
    // The three components were added in the design phase, and the report says so.
    let added = md
        .split("## Components added in each phase")
        .nth(1)
        .expect("components section");
    let design_line = added
        .lines()
        .find(|l| l.contains("High-level design"))
        .unwrap_or_else(|| panic!("no design phase in:\n{added}"));
    for kind in ["Load balancer", "Cache", "Database"] {
        assert!(
            design_line.to_lowercase().contains(&kind.to_lowercase()),
            "{kind} in {design_line}"
        );
    }
    assert!(md.contains("1 hint of"), "the hint is counted: {md}");
}

/// Pixels in which two pictures of the same size differ.
fn differing_pixels(a: &Path, b: &Path) -> usize {
    let (a, b) = (
        image::open(a).expect("png").to_rgba8(),
        image::open(b).expect("png").to_rgba8(),
    );
    assert_eq!(a.dimensions(), b.dimensions(), "same board bounds");
    a.pixels().zip(b.pixels()).filter(|(p, q)| p != q).count()
}

fn export_png(board: &archboard::model::Board, dir: &Path, name: &str) -> std::path::PathBuf {
    let file = dir.join(format!("{name}.ron"));
    archboard::persistence::save_board(&file, board).expect("save");
    let png = dir.join(format!("{name}.png"));
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .arg("export")
        .arg(&file)
        .arg("-o")
        .arg(&png)
        .output()
        .expect("export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    png
}

#[test]
fn a_requirement_typed_and_a_stroke_drawn_are_saved_and_exported() {
    let Some(mut s) = Session::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("interview.ron");
    s.launch(&file);

    // A requirements card from quick add opens on its first functional line, ready to type.
    s.x(&["mousemove", "450", "260"]);
    s.x(&["key", "Tab"]);
    s.x(&["type", "--delay", "40", "requirements"]);
    s.x(&["key", "Return"]);
    std::thread::sleep(Duration::from_millis(300));
    s.x(&["type", "--delay", "40", "Shorten a long URL"]);
    // Clicking the empty canvas ends the typing; the pen draws a stroke below the card.
    s.x(&["mousemove", "900", "600"]);
    s.x(&["click", "1"]);
    s.x(&["key", "p"]);
    s.x(&["mousemove", "380", "480"]);
    s.x(&["mousedown", "1"]);
    for i in 1..=24 {
        let x = 380 + i * 12;
        let y = 480 + ((i as f32 * 0.6).sin() * 40.0) as i32;
        s.x(&["mousemove", &x.to_string(), &y.to_string()]);
        std::thread::sleep(Duration::from_millis(20));
    }
    s.x(&["mouseup", "1"]);
    save_and_expect(&s, &file, "2 blocks, 0 links");

    let board = load_board(&file).expect("saved board");
    let card = board
        .blocks
        .values()
        .find(|b| b.kind == archboard::model::REQUIREMENTS_KIND)
        .expect("a requirements card");
    assert_eq!(
        card.reqs,
        vec![archboard::model::Requirement::functional(
            "Shorten a long URL"
        )]
    );
    let stroke = board
        .blocks
        .values()
        .find(|b| b.is_ink())
        .expect("an ink stroke");
    assert!(stroke.ink.len() >= 10, "{} points", stroke.ink.len());
    assert!(stroke.rect.w > 200.0, "{:?}", stroke.rect);

    // The PNG shows both: taking either away changes the picture where it was drawn.
    let both = export_png(&board, dir.path(), "both");
    let mut no_req = board.clone();
    if let Some(c) = no_req.blocks.get_mut(&card.id) {
        c.reqs.clear();
    }
    let mut no_ink = board.clone();
    if let Some(st) = no_ink.blocks.get_mut(&stroke.id) {
        // Same bounds, no line: a single point far in a corner is a dot, not the stroke.
        st.ink.truncate(1);
    }
    let without_req = differing_pixels(&both, &export_png(&no_req, dir.path(), "no-req"));
    let without_ink = differing_pixels(&both, &export_png(&no_ink, dir.path(), "no-ink"));
    assert!(
        without_req > 300,
        "the requirement is drawn ({without_req} pixels)"
    );
    assert!(
        without_ink > 500,
        "the stroke is drawn ({without_ink} pixels)"
    );
}
