//! The app shell driven headlessly: shortcuts, menus, dialogs, dirty tracking, file errors.

mod common;

use archboard::model::{Block, Edit, Rect};
use archboard::persistence::{load_board, save_board};
use common::{app_harness, ctrl, ctrl_shift, wait_until};
use egui::Key;
use egui_kittest::kittest::Queryable;

/// Types into whichever field has focus (dialogs focus their path field when they open).
fn type_into_focused(
    h: &mut egui_kittest::Harness<'static, archboard::app::ArchboardApp>,
    text: &str,
) {
    h.event(egui::Event::Text(text.to_owned()));
}

fn add_block(h: &mut egui_kittest::Harness<'static, archboard::app::ArchboardApp>, label: &str) {
    let doc = &mut h.state_mut().board.doc;
    let id = archboard::model::BlockId(doc.board().next_id);
    doc.apply(Edit::Insert {
        blocks: vec![Block::new(
            id,
            "cache",
            label,
            Rect::new(0.0, 0.0, 140.0, 60.0),
        )],
        links: vec![],
    })
    .expect("insert");
}

#[test]
fn new_file_path_is_bound_and_ctrl_s_writes_it_without_a_dialog() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("fresh.ron");
    let mut h = app_harness(Some(path.clone()));
    h.run_steps(2);
    assert_eq!(h.state().window_title(), "archboard — fresh.ron");
    add_block(&mut h, "Redis");
    h.step();
    assert_eq!(h.state().window_title(), "archboard — fresh.ron *");
    h.key_press_modifiers(ctrl(), Key::S);
    wait_until(&mut h, "the save", |app| !app.board.is_dirty());
    assert!(!h.state().has_dialog(), "no dialog for a bound file");
    let saved = load_board(&path).expect("saved file loads");
    assert_eq!(saved.blocks.len(), 1);
    assert_eq!(h.state().window_title(), "archboard — fresh.ron");
}

#[test]
fn undo_and_redo_by_keyboard_and_menu() {
    let mut h = app_harness(None);
    h.step();
    add_block(&mut h, "A");
    add_block(&mut h, "B");
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().board.doc.board().blocks.len(), 1);
    h.key_press_modifiers(ctrl_shift(), Key::Z);
    h.run_steps(2);
    assert_eq!(
        h.state().board.doc.board().blocks.len(),
        2,
        "Ctrl+Shift+Z redoes, not undoes"
    );
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    h.key_press_modifiers(ctrl(), Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().board.doc.board().blocks.len(), 2, "Ctrl+Y redoes");
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label("Undo Ctrl+Z").click();
    h.run_steps(2);
    assert_eq!(h.state().board.doc.board().blocks.len(), 1, "Edit → Undo");
}

#[test]
fn quitting_with_unsaved_changes_asks_and_save_writes_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("q.ron");
    let mut h = app_harness(Some(path.clone()));
    h.step();
    add_block(&mut h, "LB");
    h.key_press_modifiers(ctrl(), Key::Q);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Save the changes to q.ron")
            .is_some(),
        "prompt shown"
    );
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(!h.state().has_dialog());
    assert!(!path.exists(), "cancel wrote nothing");

    h.key_press_modifiers(ctrl(), Key::Q);
    h.run_steps(2);
    h.get_by_label("Save").click();
    wait_until(&mut h, "the save", |app| !app.board.is_dirty());
    assert_eq!(load_board(&path).expect("load").blocks.len(), 1);
}

#[test]
fn new_board_with_unsaved_changes_can_discard() {
    let mut h = app_harness(None);
    h.step();
    add_block(&mut h, "X");
    h.key_press_modifiers(ctrl(), Key::N);
    h.run_steps(2);
    h.get_by_label("Discard").click();
    h.run_steps(2);
    assert!(h.state().board.doc.board().is_empty());
    assert!(!h.state().board.is_dirty());
}

#[test]
fn a_bad_file_at_startup_shows_the_error_and_is_not_bound() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "(format_version: 1, blocks: [").expect("write");
    let mut h = app_harness(Some(path.clone()));
    wait_until(&mut h, "the load", |app| !app.is_loading());
    let app = h.state();
    assert_eq!(app.status.level, archboard::app::Level::Error);
    assert!(
        app.status.text.contains("broken.ron:1:"),
        "{}",
        app.status.text
    );
    assert!(
        app.board.path.is_none(),
        "Ctrl+S must not overwrite the broken file"
    );
    assert!(
        h.query_by_label_contains("broken.ron:1:").is_some(),
        "error shown in the status bar"
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "(format_version: 1, blocks: ["
    );
}

#[test]
fn open_dialog_loads_a_typed_path_and_a_failed_open_keeps_the_board() {
    let dir = tempfile::tempdir().expect("tmp");
    let good = dir.path().join("good.ron");
    let mut board = archboard::model::Board::new("g");
    let id = board.alloc_block_id();
    board.blocks.insert(
        id,
        Block::new(id, "queue", "Jobs", Rect::new(0.0, 0.0, 160.0, 50.0)),
    );
    save_board(&good, &board).expect("save");
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "garbage").expect("write");

    let mut h = app_harness(None);
    h.step();
    h.key_press_modifiers(ctrl(), Key::O);
    h.run_steps(2);
    type_into_focused(&mut h, &good.display().to_string());
    h.run_steps(1);
    h.key_press(Key::Enter);
    wait_until(&mut h, "the load", |app| {
        !app.is_loading() && !app.board.doc.board().is_empty()
    });
    assert_eq!(h.state().board.path.as_deref(), Some(good.as_path()));

    add_block(&mut h, "unsaved");
    h.key_press_modifiers(ctrl(), Key::O);
    h.run_steps(2);
    h.get_by_label("Discard").click();
    h.run_steps(2);
    // The dialog starts in the folder of the most recent file: typing the name is enough.
    type_into_focused(&mut h, "bad.ron");
    h.run_steps(1);
    h.get_by_label("Open").click();
    wait_until(&mut h, "the load", |app| {
        !app.is_loading() && app.status.level == archboard::app::Level::Error
    });
    assert_eq!(
        h.state().board.doc.board().blocks.len(),
        2,
        "the board in memory is untouched"
    );
    assert_eq!(h.state().board.path.as_deref(), Some(good.as_path()));
    assert!(
        h.state().status.text.contains("bad.ron:1:1"),
        "{}",
        h.state().status.text
    );
}

#[test]
fn save_as_into_a_missing_folder_reports_and_keeps_unsaved() {
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("no/such/folder/x.ron");
    let mut h = app_harness(None);
    h.step();
    add_block(&mut h, "A");
    h.key_press_modifiers(ctrl_shift(), Key::S);
    h.run_steps(2);
    type_into_focused(&mut h, &target.display().to_string());
    h.run_steps(1);
    h.key_press(Key::Enter);
    wait_until(&mut h, "the failed save", |app| {
        app.status.level == archboard::app::Level::Error
    });
    assert!(h.state().board.is_dirty());
    assert!(
        h.state().status.text.contains("cannot save"),
        "{}",
        h.state().status.text
    );
}
