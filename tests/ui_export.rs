//! Export, clipboard and drag-and-drop, driven through the real app.

mod common;

use archboard::persistence::{load_board, save_board};
use common::{app_harness, ctrl, wait_until};
use egui::{Key, Pos2};
use egui_kittest::kittest::Queryable;

fn place_two(h: &mut egui_kittest::Harness<'static, archboard::app::ArchboardApp>) {
    for (x, key) in [(400.0, Key::C), (700.0, Key::D)] {
        h.hover_at(Pos2::new(x, 300.0));
        h.run_steps(1);
        h.key_press(key);
        h.run_steps(2);
        h.key_press(Key::Escape);
        h.run_steps(2);
    }
}

#[test]
fn export_dialog_writes_a_png_that_reopens_as_the_board() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("design.png");
    let mut h = app_harness(None);
    h.run_steps(2);
    place_two(&mut h);
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.key_press_modifiers(ctrl().plus(egui::Modifiers::SHIFT), Key::E);
    h.run_steps(3);
    assert!(
        h.query_by_label("Export the board").is_some(),
        "Ctrl+Shift+E opens the export dialog"
    );
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .last()
        .expect("path field")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(ctrl(), Key::A);
    h.event(egui::Event::Text(out.display().to_string()));
    h.run_steps(1);
    h.get_by_label("1×").click();
    h.run_steps(1);
    h.get_by_label("Export").click();
    wait_until(&mut h, "the export", |_| out.exists());
    wait_until(&mut h, "the status", |app| {
        app.status.text.starts_with("Exported")
    });
    let img = image::open(&out).expect("png").to_rgba8();
    let b = h.state().board.doc.board().bounds().expect("bounds");
    assert!(
        (img.width() as f32 - (b.w + 64.0)).abs() <= 1.0,
        "1× with 32 px padding: {}",
        img.width()
    );
    assert_eq!(
        &load_board(&out).expect("embedded board"),
        h.state().board.doc.board()
    );
}

#[test]
fn copy_as_png_reports_success_or_a_clear_error() {
    let mut h = app_harness(None);
    h.run_steps(2);
    place_two(&mut h);
    h.key_press_modifiers(egui::Modifiers::SHIFT.plus(egui::Modifiers::ALT), Key::C);
    wait_until(&mut h, "the copy", |app| {
        app.status.text.starts_with("Copied a")
            || app.status.text.starts_with("Could not copy the picture")
    });
    let text = h.state().status.text.clone();
    assert!(
        text.contains("px picture to the clipboard") || text.contains("clipboard"),
        "{text}"
    );
}

#[test]
fn dropping_a_board_file_opens_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("dropped.ron");
    let mut board = archboard::model::Board::new("d");
    for i in 0..3 {
        let id = board.alloc_block_id();
        board.blocks.insert(
            id,
            archboard::model::Block::new(
                id,
                "queue",
                format!("q{i}"),
                archboard::model::Rect::new(i as f32 * 200.0, 0.0, 160.0, 60.0),
            ),
        );
    }
    save_board(&path, &board).expect("save");
    let mut h = app_harness(None);
    h.run_steps(2);
    common::drop_file(&mut h, &path);
    wait_until(&mut h, "the load", |app| {
        !app.is_loading() && app.board.doc.board().blocks.len() == 3
    });
    assert_eq!(h.state().board.path.as_deref(), Some(path.as_path()));
}
