//! Helpers shared by the UI tests: a harness around the real app state.

#![allow(dead_code)]

use archboard::app::{ArchboardApp, Settings};
use egui_kittest::Harness;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub mod peer;
pub mod process;
pub mod screen;

pub const SIZE: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// The real app in a headless harness, optionally opened on `file` as `archboard FILE` would.
/// The sidebar is hidden so the whole canvas is free for pointer tests; `app_with_clock` keeps it.
pub fn app_harness(file: Option<PathBuf>) -> Harness<'static, ArchboardApp> {
    let settings = Settings {
        sidebar: false,
        ..Settings::default()
    };
    let app = ArchboardApp::with_settings(settings, file);
    Harness::builder()
        .with_size(SIZE)
        // A real frame interval: double-clicks and drags depend on the time between frames.
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut ArchboardApp| app.show(ui), app)
}

/// [`app_harness`] with the app changed by `f` first (another palette, say).
pub fn app_harness_with(
    file: Option<PathBuf>,
    f: impl FnOnce(ArchboardApp) -> ArchboardApp,
) -> Harness<'static, ArchboardApp> {
    let settings = Settings {
        sidebar: false,
        ..Settings::default()
    };
    let app = f(ArchboardApp::with_settings(settings, file));
    Harness::builder()
        .with_size(SIZE)
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut ArchboardApp| app.show(ui), app)
}

/// Compares a PNG with the golden picture `name` under `tests/fixtures`, allowing 0.2 % of
/// pixels to differ (font rasterising varies a little). With `ARCHBOARD_UPDATE_GOLDEN` set, it
/// writes the picture as the new golden one instead.
pub fn assert_golden(name: &str, png: &[u8]) {
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    if std::env::var_os("ARCHBOARD_UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().expect("dir")).expect("mkdir");
        std::fs::write(&golden, png).expect("write golden");
    }
    let want = image::open(&golden).expect("golden picture").to_rgba8();
    let got = image::load_from_memory(png).expect("png").to_rgba8();
    assert_eq!(want.dimensions(), got.dimensions(), "{name}: size changed");
    let differing = want
        .pixels()
        .zip(got.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0.iter()).any(|(x, y)| x.abs_diff(*y) > 24))
        .count();
    let share = differing as f32 / (want.width() * want.height()) as f32;
    assert!(
        share < 0.002,
        "{name}: {differing} pixels ({:.2} %) differ from the golden picture",
        share * 100.0
    );
}

/// The real app with a fake clock for the interview timer.
pub fn app_with_clock(
    file: Option<PathBuf>,
) -> (Harness<'static, ArchboardApp>, archboard::timer::FakeClock) {
    let clock = archboard::timer::FakeClock::default();
    let app = ArchboardApp::with_clock(
        Settings::default(),
        file,
        std::sync::Arc::new(clock.clone()),
    );
    let h = Harness::builder()
        .with_size(SIZE)
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut ArchboardApp| app.show(ui), app);
    (h, clock)
}

/// Steps frames until `cond` holds (file work finishes on another thread), failing after 10 s.
pub fn wait_until<S>(h: &mut Harness<'static, S>, what: &str, cond: impl Fn(&S) -> bool) {
    let start = Instant::now();
    while !cond(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(2);
}

pub fn ctrl() -> egui::Modifiers {
    egui::Modifiers::COMMAND
}

pub fn ctrl_shift() -> egui::Modifiers {
    egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT)
}

/// A drag in several frames, the way a hand moves, with `modifiers` held throughout.
pub fn drag_with(
    h: &mut Harness<'static, ArchboardApp>,
    from: egui::Pos2,
    to: egui::Pos2,
    modifiers: egui::Modifiers,
) {
    h.hover_at(from);
    h.run_steps(1);
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers,
    };
    h.event_modifiers(button(from, true), modifiers);
    h.run_steps(1);
    for i in 1..=6 {
        h.event_modifiers(
            egui::Event::PointerMoved(from + (to - from) * (i as f32 / 6.0)),
            modifiers,
        );
        h.run_steps(1);
    }
    h.event_modifiers(button(to, false), modifiers);
    h.run_steps(2);
}

pub fn drag(h: &mut Harness<'static, ArchboardApp>, from: egui::Pos2, to: egui::Pos2) {
    drag_with(h, from, to, egui::Modifiers::NONE);
}

pub fn click(h: &mut Harness<'static, ArchboardApp>, pos: egui::Pos2) {
    h.hover_at(pos);
    h.run_steps(1);
    h.drag_at(pos);
    h.run_steps(1);
    h.drop_at(pos);
    h.run_steps(2);
}

/// Moves the pointer to `pos` and presses a plain key there.
pub fn key_at(h: &mut Harness<'static, ArchboardApp>, pos: egui::Pos2, key: egui::Key) {
    h.hover_at(pos);
    h.run_steps(1);
    h.key_press(key);
    h.run_steps(2);
}

/// Places a block with its key at `pos`, leaves label editing with Esc, returns its id.
pub fn place(
    h: &mut Harness<'static, ArchboardApp>,
    pos: egui::Pos2,
    key: egui::Key,
) -> archboard::model::BlockId {
    key_at(h, pos, key);
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    *h.state()
        .canvas
        .selection
        .blocks
        .iter()
        .next()
        .expect("the placed block is selected")
}

/// The selected blocks, in id order.
pub fn selected(h: &Harness<'static, ArchboardApp>) -> Vec<archboard::model::BlockId> {
    h.state().canvas.selection.blocks.iter().copied().collect()
}

/// The real app with autosave, recovery and file locks kept under `data` (as `$XDG_DATA_HOME`
/// would hold them), optionally opened on `file`.
pub fn app_with_data(
    file: Option<PathBuf>,
    data: &std::path::Path,
) -> Harness<'static, ArchboardApp> {
    let settings = Settings {
        sidebar: false,
        ..Settings::default()
    };
    let app = ArchboardApp::with_settings(settings, file).with_data_dir(data.to_path_buf());
    Harness::builder()
        .with_size(SIZE)
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut ArchboardApp| app.show(ui), app)
}

/// Steps frames in real time (autosave waits on the wall clock) until `cond` holds.
pub fn wait_real(
    h: &mut Harness<'static, ArchboardApp>,
    what: &str,
    secs: u64,
    cond: impl Fn(&ArchboardApp) -> bool,
) {
    let start = Instant::now();
    while !cond(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out after {secs} s waiting for {what}"
        );
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Drops `path` onto the window, as a file manager would.
pub fn drop_file(h: &mut Harness<'static, ArchboardApp>, path: &std::path::Path) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_path_buf())));
    h.run_steps(1);
}

/// A file dropped onto the window, as the harness hands it in.
#[derive(Debug)]
pub struct Dropped(pub PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Runs the archboard binary headless, as a script would. The user's own palettes and problems
/// must not change what the test sees, so the config folder points nowhere.
pub fn archboard(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(args)
        .env("XDG_CONFIG_HOME", "/nonexistent-archboard-config")
        .output()
        .expect("run archboard")
}

pub fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// The board the app holds.
/// The review's findings of one kind, as the sidebar has them (none before its first review).
pub fn findings(
    h: &Harness<'static, ArchboardApp>,
    kind: archboard::review::FindingKind,
) -> Vec<archboard::review::Finding> {
    h.state()
        .design
        .review()
        .map(|r| {
            r.findings
                .iter()
                .filter(|f| f.kind == kind)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

pub fn board<'h>(h: &'h Harness<'static, ArchboardApp>) -> &'h archboard::model::Board {
    h.state().board.doc.board()
}

/// The folder holding the npm packages the interop tests use (`ARCHBOARD_NPM_DIR`, default
/// `$HOME/.cache/archboard/npm`), as `.ci/run` prepares it.
pub fn npm_dir() -> PathBuf {
    std::env::var_os("ARCHBOARD_NPM_DIR").map_or_else(
        || {
            let home = std::env::var_os("HOME").unwrap_or_default();
            std::path::Path::new(&home).join(".cache/archboard/npm")
        },
        PathBuf::from,
    )
}

/// A script of `tests/interop/` placed in the npm folder, so Node finds the packages beside it
/// (`archboard-NAME` there). Written under a temporary name and renamed, because tests running
/// at once place the same script.
pub fn npm_script(name: &str) -> PathBuf {
    let dir = npm_dir();
    let target = dir.join(format!("archboard-{name}"));
    let text = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/interop")
            .join(name),
    )
    .expect("the script");
    let tmp = tempfile::NamedTempFile::new_in(&dir).expect("a temporary file");
    std::fs::write(tmp.path(), text).expect("write the script");
    tmp.persist(&target).expect("place the script");
    target
}
