//! Killing the process in the middle of a save never leaves a damaged file.
//!
//! The test re-runs its own binary as a child that saves in a loop, kills it with SIGKILL at
//! varying moments, and checks that the target always loads as one of the boards written.

use archboard::model::{Block, Board, Rect};
use archboard::persistence::{load_board, save_board};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

const TARGET_VAR: &str = "ARCHBOARD_CRASH_TARGET";

fn board(blocks: usize, label: &str) -> Board {
    let mut b = Board::new(label);
    for i in 0..blocks {
        let id = b.alloc_block_id();
        let rect = Rect::new(
            (i % 100) as f32 * 160.0,
            (i / 100) as f32 * 100.0,
            140.0,
            60.0,
        );
        b.blocks
            .insert(id, Block::new(id, "service", format!("{label} {i}"), rect));
    }
    b
}

/// The child: saves two different boards alternately until killed. Does nothing in a normal run.
#[test]
fn child_writer() {
    let Some(target) = std::env::var_os(TARGET_VAR) else {
        return;
    };
    let (small, big) = (board(3, "small"), board(3_000, "big"));
    let target = PathBuf::from(target);
    loop {
        save_board(&target, &big).expect("save big");
        save_board(&target, &small).expect("save small");
    }
}

#[test]
fn killed_mid_save_leaves_the_old_or_the_new_board() {
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("board.ron");
    let (small, big) = (board(3, "small"), board(3_000, "big"));
    save_board(&target, &small).expect("seed");
    let me = std::env::current_exe().expect("exe");
    for round in 0..25u64 {
        let mut child = Command::new(&me)
            .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
            .env(TARGET_VAR, &target)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        // Vary the moment of death across the write, fsync and rename steps.
        std::thread::sleep(Duration::from_millis(30 + (round * 37) % 170));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let loaded =
            load_board(&target).unwrap_or_else(|e| panic!("round {round}: damaged file: {e}"));
        assert!(
            loaded == small || loaded == big,
            "round {round}: the file is one of the boards written"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n != "board.ron" && n != "board.ron.bak")
        .collect();
    // The backup of the previous save is whole too.
    let bak = load_board(&archboard::persistence::backup_path(&target)).expect("backup loads");
    assert!(
        bak == small || bak == big,
        "the backup is one of the boards written"
    );
    // A killed writer may leave its temporary file behind; it must never be the target itself.
    assert!(
        leftovers
            .iter()
            .all(|n| n.to_string_lossy().ends_with(".tmp")),
        "{leftovers:?}"
    );
}
