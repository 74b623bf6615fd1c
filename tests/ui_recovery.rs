//! Never losing a board, driven through the real app: autosave, the restore prompt, backups,
//! disk faults and files open in two windows.

mod common;

use archboard::model::{Block, Board, Rect};
use archboard::persistence::{
    backup_path, load_board, load_board_with_recovery, recovery, save_board,
};
use common::{app_harness, app_with_data, ctrl, place, wait_real, wait_until};
use egui::Key;
use egui_kittest::kittest::Queryable;
use std::path::Path;

fn recovery_files(data: &Path) -> Vec<std::path::PathBuf> {
    recovery::list(&recovery::recovery_dir(data))
}

fn board_with(n: usize) -> Board {
    let mut b = Board::new("rescued");
    for i in 0..n {
        let id = b.alloc_block_id();
        b.blocks.insert(
            id,
            Block::new(
                id,
                "database",
                format!("DB{i}"),
                Rect::new(i as f32 * 200.0, 0.0, 140.0, 60.0),
            ),
        );
    }
    b
}

#[test]
fn changes_are_autosaved_and_saving_removes_the_file() {
    let data = tempfile::tempdir().expect("tmp");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("design.ron");
    let mut h = app_with_data(Some(path.clone()), data.path());
    h.run_steps(2);
    place(&mut h, egui::pos2(500.0, 300.0), Key::L);
    place(&mut h, egui::pos2(700.0, 300.0), Key::D);
    // When it is written (a second after the last change) is checked on `Autosave` with a
    // fake clock; here only that it is written, without a save.
    wait_real(&mut h, "the recovery file", 10, |_| {
        recovery_files(data.path()).len() == 1
    });
    // The worker writes it; wait until its content is complete.
    let file = recovery_files(data.path()).remove(0);
    wait_real(&mut h, "both blocks in the recovery file", 10, |_| {
        load_board(&file).is_ok_and(|b| b.blocks.len() == 2)
    });
    let (_, info) = load_board_with_recovery(&file).expect("loads");
    assert_eq!(
        info.expect("record").original.as_deref(),
        Some(path.as_path())
    );
    assert!(!path.exists(), "autosave never writes the board's own file");

    h.key_press_modifiers(ctrl(), Key::S);
    wait_until(&mut h, "the save", |app| !app.board.is_dirty());
    wait_real(&mut h, "the recovery file to go", 10, |_| {
        recovery_files(data.path()).is_empty()
    });
    assert_eq!(load_board(&path).expect("saved").blocks.len(), 2);

    // A second save keeps the first as NAME.bak.
    place(&mut h, egui::pos2(600.0, 500.0), Key::Q);
    h.key_press_modifiers(ctrl(), Key::S);
    wait_until(&mut h, "the second save", |app| !app.board.is_dirty());
    assert_eq!(load_board(&path).expect("saved").blocks.len(), 3);
    assert_eq!(
        load_board(&backup_path(&path))
            .expect("backup")
            .blocks
            .len(),
        2
    );
}

#[test]
fn start_up_offers_unsaved_work_and_restore_brings_it_back_unsaved() {
    let data = tempfile::tempdir().expect("tmp");
    let dir = tempfile::tempdir().expect("tmp");
    let original = dir.path().join("design.ron");
    save_board(&original, &board_with(1)).expect("older save");
    std::thread::sleep(std::time::Duration::from_millis(20));
    // What a crashed window left behind: newer than the file, lock released.
    let (file, lock) = recovery::new_file(&recovery::recovery_dir(data.path()), Some(&original));
    recovery::write(&file, &board_with(3), Some(&original)).expect("write");
    drop(lock);

    let mut h = app_with_data(None, data.path());
    wait_until(&mut h, "the offer", |app| app.has_recovery_offer());
    h.get_by_label_contains("Unsaved work found");
    h.get_by_label_contains("design.ron, autosaved");
    h.get_by_label("Restore").click();
    h.run_steps(3);
    let app = h.state();
    assert!(!app.has_recovery_offer());
    assert_eq!(app.board.doc.board().blocks.len(), 3);
    assert_eq!(app.board.path.as_deref(), Some(original.as_path()));
    assert!(app.board.is_dirty(), "restored work is unsaved until saved");
    assert_eq!(load_board(&original).expect("untouched").blocks.len(), 1);
    // The restored board keeps writing to the same recovery file; saving removes it.
    h.key_press_modifiers(ctrl(), Key::S);
    wait_until(&mut h, "the save", |app| !app.board.is_dirty());
    assert_eq!(load_board(&original).expect("saved").blocks.len(), 3);
    wait_real(&mut h, "the recovery file to go", 10, |_| !file.exists());
}

#[test]
fn discard_removes_the_recovery_file_and_later_keeps_it() {
    let data = tempfile::tempdir().expect("tmp");
    let rdir = recovery::recovery_dir(data.path());
    let (keep, lock) = recovery::new_file(&rdir, None);
    recovery::write(&keep, &board_with(2), None).expect("write");
    drop(lock);

    let mut h = app_with_data(None, data.path());
    wait_until(&mut h, "the offer", |app| app.has_recovery_offer());
    h.get_by_label("Later").click();
    h.run_steps(2);
    assert!(!h.state().has_recovery_offer());
    assert!(keep.exists(), "later keeps the file");
    assert!(h.state().board.doc.board().blocks.is_empty());
    drop(h);

    let mut h = app_with_data(None, data.path());
    wait_until(&mut h, "the offer again", |app| app.has_recovery_offer());
    h.get_by_label("Discard").click();
    wait_real(&mut h, "the file to go", 10, |_| !keep.exists());
    assert!(h.state().board.doc.board().blocks.is_empty());
}

#[test]
fn a_second_window_on_the_same_file_is_warned() {
    let data = tempfile::tempdir().expect("tmp");
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("shared.ron");
    save_board(&path, &board_with(1)).expect("save");
    let mut first = app_with_data(Some(path.clone()), data.path());
    wait_until(&mut first, "the first load", |app| {
        app.board.path.is_some() && !app.is_loading()
    });
    assert_ne!(first.state().status.level, archboard::app::Level::Error);
    let mut second = app_with_data(Some(path.clone()), data.path());
    wait_until(&mut second, "the second load", |app| {
        app.board.path.is_some() && !app.is_loading()
    });
    let status = &second.state().status;
    assert_eq!(
        status.level,
        archboard::app::Level::Error,
        "{}",
        status.text
    );
    assert!(
        status
            .text
            .contains("already open in another archboard window"),
        "{}",
        status.text
    );
    // Once the first window closes its board, a new window opens it without a warning.
    drop(first);
    let mut third = app_with_data(Some(path), data.path());
    wait_until(&mut third, "the third load", |app| {
        app.board.path.is_some() && !app.is_loading()
    });
    drop(second);
    assert_ne!(
        third.state().status.level,
        archboard::app::Level::Error,
        "{}",
        third.state().status.text
    );
}

/// A folder nobody can write to, holding `design.ron` with an older board when it can.
/// Permissions do not stop root (CI runs as root), so then a folder of the read-only /proc file
/// system stands in (without an older file: nothing can be put there).
fn read_only_folder(tmp: &Path) -> (std::path::PathBuf, bool) {
    let dir = tmp.join("locked");
    std::fs::create_dir(&dir).expect("mkdir");
    save_board(&dir.join("design.ron"), &board_with(2)).expect("older board");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        if std::fs::write(dir.join("probe"), b"x").is_err() {
            return (dir, true);
        }
        let _ = std::fs::remove_file(dir.join("probe"));
    }
    (std::path::PathBuf::from("/proc/self"), false)
}

#[test]
fn saving_into_a_read_only_folder_keeps_the_board_and_the_old_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (ro, has_old) = read_only_folder(tmp.path());
    let path = ro.join("design.ron");
    let mut h = app_harness(Some(path.clone()));
    if has_old {
        wait_until(&mut h, "the older board", |app| {
            !app.is_loading() && app.board.doc.board().blocks.len() == 2
        });
    }
    h.run_steps(2);
    place(&mut h, egui::pos2(500.0, 300.0), Key::C);
    let blocks = h.state().board.doc.board().blocks.len();
    h.key_press_modifiers(ctrl(), Key::S);
    wait_until(&mut h, "the failed save", |app| {
        app.status.level == archboard::app::Level::Error
    });
    let app = h.state();
    assert!(app.board.is_dirty(), "still unsaved");
    assert_eq!(
        app.board.doc.board().blocks.len(),
        blocks,
        "the board is kept"
    );
    assert!(
        app.status.text.contains("design.ron"),
        "{}",
        app.status.text
    );
    assert!(
        app.status.text.contains("still open, unsaved"),
        "{}",
        app.status.text
    );
    if has_old {
        assert_eq!(
            load_board(&path).expect("old file").blocks.len(),
            2,
            "old file intact"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755));
        }
    } else {
        assert!(!path.exists());
    }
}

#[test]
fn a_save_whose_folder_vanished_reports_and_a_later_save_works() {
    let tmp = tempfile::tempdir().expect("tmp");
    let folder = tmp.path().join("project");
    std::fs::create_dir(&folder).expect("mkdir");
    let path = folder.join("design.ron");
    let mut h = app_harness(Some(path.clone()));
    h.run_steps(2);
    place(&mut h, egui::pos2(500.0, 300.0), Key::C);
    std::fs::remove_dir(&folder).expect("rmdir");
    h.key_press_modifiers(ctrl(), Key::S);
    wait_until(&mut h, "the failed save", |app| {
        app.status.level == archboard::app::Level::Error
    });
    assert!(h.state().board.is_dirty());
    // The folder comes back (a remounted drive): the next save succeeds.
    std::fs::create_dir(&folder).expect("mkdir");
    h.key_press_modifiers(ctrl(), Key::S);
    wait_until(&mut h, "the save", |app| !app.board.is_dirty());
    assert_eq!(load_board(&path).expect("saved").blocks.len(), 1);
}

#[test]
fn an_unreadable_recovery_file_is_moved_aside_and_reported() {
    let data = tempfile::tempdir().expect("tmp");
    let rdir = recovery::recovery_dir(data.path());
    std::fs::create_dir_all(&rdir).expect("mkdir");
    let bad = rdir.join("untitled-1-2-3.ron");
    std::fs::write(&bad, "(format_version: 1, blocks: [(id: 1,").expect("write");
    let mut h = app_with_data(None, data.path());
    wait_until(&mut h, "the report", |app| {
        app.status.level == archboard::app::Level::Error
    });
    assert!(
        h.state().status.text.contains("untitled-1-2-3.ron"),
        "{}",
        h.state().status.text
    );
    assert!(!bad.exists());
    assert!(
        rdir.join("untitled-1-2-3.ron.broken").exists(),
        "moved, not deleted"
    );
    assert!(!h.state().has_recovery_offer());
}
