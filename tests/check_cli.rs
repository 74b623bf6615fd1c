//! `archboard check` as a script would run it: the real binary, no display.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs `archboard check FILES...` with no display and returns its output and how long it took.
fn check(files: &[&Path]) -> (Output, Duration) {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .arg("check")
        .args(files)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run archboard");
    (out, start.elapsed())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts the file is refused quickly, with exit 2, no panic, and a message naming it and `needle`.
fn assert_refused(path: &Path, needle: &str) {
    let (out, took) = check(&[path]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {err}", path.display());
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout for an invalid file"
    );
    assert!(
        err.contains(&path.display().to_string()),
        "names the file: {err}"
    );
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    // A guard against hangs (and reading a huge file whole), not a speed test: speed is in
    // the benchmarks, and a loaded CI machine must not make this fail.
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn valid_board_prints_counts_and_exits_zero() {
    let (out, _) = check(&[&fixture("five_blocks.ron")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "5 blocks, 0 links\n");
    let (out, _) = check(&[&fixture("linked.ron")]);
    assert_eq!(text(&out.stdout), "3 blocks, 2 links\n");
}

#[test]
fn several_files_one_bad_exits_two_but_reports_the_good_ones() {
    let (out, _) = check(&[
        &fixture("five_blocks.ron"),
        &fixture("empty.ron"),
        &fixture("linked.ron"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "5 blocks, 0 links\n3 blocks, 2 links\n");
    assert!(text(&out.stderr).contains("empty.ron"));
}

#[test]
fn empty_file() {
    assert_refused(&fixture("empty.ron"), "empty");
}

#[test]
fn random_bytes() {
    assert_refused(&fixture("random_bytes.ron"), "not text");
}

#[test]
fn truncated_board() {
    assert_refused(&fixture("truncated.ron"), "truncated");
}

#[test]
fn newer_format_version() {
    assert_refused(&fixture("newer_version.ron"), "format version 99");
}

#[test]
fn link_to_missing_block() {
    assert_refused(&fixture("missing_block.ron"), "link #3");
}

#[test]
fn duplicate_ids() {
    assert_refused(&fixture("duplicate_ids.ron"), "id 1 is used twice");
}

#[test]
fn nan_coordinates() {
    assert_refused(&fixture("nan_coordinates.ron"), "NaN");
}

#[test]
fn ten_thousand_nested_brackets() {
    assert_refused(&fixture("nested_brackets.ron"), "nested_brackets.ron:1:1");
}

#[test]
fn deep_nesting_inside_a_board() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("deep.ron");
    let body = format!(
        "(format_version: 1, blocks: {}{})",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    std::fs::write(&p, body).expect("write");
    assert_refused(&p, "deep.ron:1:");
}

#[test]
fn hundred_mebibyte_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("huge.ron");
    let f = std::fs::File::create(&p).expect("create");
    // Sparse: costs no disk, but reports 100 MiB.
    f.set_len(100 * 1024 * 1024).expect("set_len");
    drop(f);
    assert_refused(&p, "limit");
}

#[test]
fn missing_file_and_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_refused(&dir.path().join("nope.ron"), "cannot read");
    assert_refused(dir.path(), "folder");
}

#[test]
fn loading_never_changes_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    for name in ["truncated.ron", "newer_version.ron", "duplicate_ids.ron"] {
        let p = dir.path().join(name);
        std::fs::copy(fixture(name), &p).expect("copy");
        let before = std::fs::read(&p).expect("read");
        let _ = check(&[&p]);
        assert_eq!(std::fs::read(&p).expect("read"), before, "{name} untouched");
    }
}

#[test]
fn help_and_version() {
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .arg("--help")
        .output()
        .expect("run");
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("check"));
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .arg("--version")
        .output()
        .expect("run");
    assert_eq!(
        text(&out.stdout).trim(),
        format!("archboard {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn generate_writes_a_board_that_checks() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("gen.ron");
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["generate", "250", "--links", "300", "-o"])
        .arg(&p)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "250 blocks, 300 links\n");
    let (out, _) = check(&[&p]);
    assert_eq!(text(&out.stdout), "250 blocks, 300 links\n");
    let bad = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["generate", "0", "-o"])
        .arg(&p)
        .output()
        .expect("run");
    assert_eq!(
        bad.status.code(),
        Some(2),
        "zero blocks is refused by the argument parser"
    );
}

#[test]
fn recovery_files_check_like_boards() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut board = archboard::model::Board::new("rescued");
    let id = board.alloc_block_id();
    board.blocks.insert(
        id,
        archboard::model::Block::new(
            id,
            "cache",
            "Redis",
            archboard::model::Rect::new(0.0, 0.0, 100.0, 50.0),
        ),
    );
    let (path, _lock) = archboard::persistence::recovery::new_file(dir.path(), None);
    archboard::persistence::recovery::write(&path, &board, Some(Path::new("/x/design.ron")))
        .expect("write");
    let (out, _) = check(&[&path]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "1 block, 0 links\n");
}

/// `archboard review FILE` as a script runs it.
fn review(file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archboard"))
        .arg("review")
        .arg(file)
        // No user palettes: the bundled one is what these tests reason about.
        .env("XDG_CONFIG_HOME", "/nonexistent-archboard-config")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run archboard review")
}

#[test]
fn the_example_boards_review_clean() {
    let saves = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves");
    let mut n = 0;
    for entry in std::fs::read_dir(&saves).expect("saves") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        n += 1;
        let out = review(&path);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}:\n{stdout}", path.display());
        assert!(stdout.ends_with("0 risks, 0 gaps\n"), "{stdout}");
        // The examples carry sizing, so the review has real numbers to work with.
        let board = archboard::persistence::load_board(&path).expect("loads");
        assert!(board.blocks.values().any(|b| !b.props.is_default()));
        assert!(!board.estimate.is_default(), "{}", path.display());
    }
    assert_eq!(n, 3);
}

#[test]
fn review_lists_risks_and_exits_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("spof.ron");
    std::fs::write(
        &path,
        "(format_version: 2, blocks: [\
         (id: 1, kind: \"client\", label: \"Web\", rect: (x: 0.0, y: 0.0, w: 100.0, h: 50.0)),\
         (id: 2, kind: \"load_balancer\", label: \"LB\", rect: (x: 200.0, y: 0.0, w: 100.0, h: 50.0)),\
         (id: 3, kind: \"database\", label: \"DB\", rect: (x: 400.0, y: 0.0, w: 100.0, h: 50.0))],\
         links: [(id: 4, from: (block: 1), to: (block: 2), label: \"a\"), (id: 5, from: (block: 2), to: (block: 3), label: \"b\")])",
    )
    .expect("write");
    let out = review(&path);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("risk: \"LB\" is a single point of failure")
            && stdout.contains("[lens load_balancer/redundancy]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("risk: \"DB\" keeps a single copy"),
        "{stdout}"
    );
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(format_version: 2, blocks: [").expect("write");
    let out = review(&bad);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.ron"));
}

#[test]
fn one_risk_is_said_in_the_singular() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("one.ron");
    // Two load balancers, so only the single-copy database is a risk.
    std::fs::write(
        &path,
        "(format_version: 2, blocks: [\
         (id: 1, kind: \"client\", label: \"Web\", rect: (x: 0.0, y: 0.0, w: 100.0, h: 50.0)),\
         (id: 2, kind: \"load_balancer\", label: \"LB\", rect: (x: 200.0, y: 0.0, w: 100.0, h: 50.0), props: (instances: Some(2))),\
         (id: 3, kind: \"database\", label: \"DB\", rect: (x: 400.0, y: 0.0, w: 100.0, h: 50.0))],\
         links: [(id: 4, from: (block: 1), to: (block: 2), label: \"a\"), (id: 5, from: (block: 2), to: (block: 3), label: \"b\")])",
    )
    .expect("write");
    let out = review(&path);
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.starts_with("1 risk, "), "{stdout}");
    assert!(
        !stdout.contains("1 risks") && !stdout.contains("1 gaps"),
        "{stdout}"
    );
}

#[test]
fn a_misspelt_subcommand_is_refused_with_a_suggestion_and_no_window() {
    let dir = tempfile::tempdir().expect("tmp");
    for args in [
        &["chek", "board.ron"][..],
        &["chek"],
        &["reveiw", "x.ron"],
        &["exprot"],
    ] {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .expect("run archboard");
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(
            err.contains("no such command") && err.contains("did you mean `"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
    let err = text(
        &Command::new(env!("CARGO_BIN_EXE_archboard"))
            .arg("chek")
            .current_dir(dir.path())
            .env_remove("DISPLAY")
            .output()
            .expect("run")
            .stderr,
    );
    assert!(err.contains("did you mean `check`?"), "{err}");
    assert!(!dir.path().join("chek").exists(), "no file was made");
}

#[test]
fn serve_refuses_a_web_folder_that_holds_no_app() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["serve", "--port", "0", "--web"])
        .arg(dir.path())
        .env_remove("DISPLAY")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no web app there"), "{err}");
    assert!(err.contains("web/build.sh"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
