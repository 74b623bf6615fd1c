//! The canvas driven like a user would: keys at the pointer, drags, marquee, clipboard, labels.

mod common;

use archboard::app::ArchboardApp;
use archboard::model::{BlockId, Point, Rect};
use common::{app_harness, click, ctrl, drag, key_at, place};
use egui::{Key, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

type H = Harness<'static, ArchboardApp>;

fn blocks(h: &H) -> Vec<(BlockId, String, Rect, String)> {
    common::board(h)
        .blocks
        .values()
        .map(|b| (b.id, b.kind.clone(), b.rect, b.label.clone()))
        .collect()
}

fn screen_of(h: &H, p: Point) -> Pos2 {
    h.state().canvas.view().to_screen(p)
}

fn world_of(h: &H, p: Pos2) -> Point {
    h.state().canvas.view().to_world(p)
}

fn app() -> H {
    let mut h = app_harness(None);
    h.run_steps(2);
    h
}

#[test]
fn headline_keys_place_their_kinds_at_the_pointer() {
    let mut h = app();
    let spots = [
        (Key::L, "load_balancer", Pos2::new(400.0, 200.0)),
        (Key::C, "cache", Pos2::new(700.0, 200.0)),
        (Key::D, "database", Pos2::new(1000.0, 200.0)),
        (Key::Q, "queue", Pos2::new(400.0, 500.0)),
        (Key::N, "cdn", Pos2::new(700.0, 500.0)),
        (Key::R, "box", Pos2::new(1000.0, 500.0)),
    ];
    for (key, kind, pos) in spots {
        let id = place(&mut h, pos, key);
        let board = h.state().board.doc.board();
        let b = board.block(id).expect("exists");
        assert_eq!(b.kind, kind);
        let want = world_of(&h, pos);
        let c = b.rect.center();
        assert!(
            (c.x - want.x).abs() <= 20.0 && (c.y - want.y).abs() <= 20.0,
            "{kind} centred on the pointer (snapped): {c:?} vs {want:?}"
        );
        assert_eq!(b.rect.x % 20.0, 0.0, "snapped to the grid");
    }
    assert_eq!(blocks(&h).len(), 6);
    assert!(
        h.query_by_label("Load balancer").is_some(),
        "blocks are findable by label"
    );
}

#[test]
fn typing_after_placing_replaces_the_default_label_and_esc_keeps_it() {
    let mut h = app();
    key_at(&mut h, Pos2::new(600.0, 300.0), Key::C);
    h.get_by_role(egui::accesskit::Role::MultilineTextInput)
        .type_text("Redis");
    h.run_steps(1);
    h.key_press(Key::Escape);
    h.run_steps(2);
    let labels: Vec<String> = blocks(&h).into_iter().map(|b| b.3).collect();
    assert_eq!(labels, vec!["Redis".to_owned()]);

    key_at(&mut h, Pos2::new(900.0, 300.0), Key::D);
    h.key_press(Key::Escape);
    h.run_steps(2);
    assert!(
        blocks(&h).iter().any(|b| b.3 == "SQL database"),
        "Esc before typing keeps the default label"
    );
    assert_eq!(blocks(&h).len(), 2, "and the block stays");
}

#[test]
fn dragging_moves_a_block_by_the_dragged_distance_snapped() {
    let mut h = app();
    let id = place(&mut h, Pos2::new(500.0, 300.0), Key::R);
    let before = common::board(&h).blocks[&id].rect;
    let from = screen_of(&h, before.center());
    drag(&mut h, from, from + egui::vec2(103.0, 58.0));
    let after = common::board(&h).blocks[&id].rect;
    assert_eq!(after.x - before.x, 100.0, "103 px snaps to 100");
    assert_eq!(after.y - before.y, 60.0, "58 px snaps to 60");
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    assert_eq!(
        common::board(&h).blocks[&id].rect,
        before,
        "the whole drag is one undo step"
    );
}

#[test]
fn marquee_selects_exactly_the_blocks_inside() {
    let mut h = app();
    let a = place(&mut h, Pos2::new(400.0, 250.0), Key::R);
    let b = place(&mut h, Pos2::new(600.0, 250.0), Key::C);
    let _far = place(&mut h, Pos2::new(1000.0, 600.0), Key::D);
    click(&mut h, Pos2::new(800.0, 650.0));
    assert!(h.state().canvas.selection.blocks.is_empty());
    drag(&mut h, Pos2::new(300.0, 150.0), Pos2::new(750.0, 350.0));
    let sel: Vec<BlockId> = h.state().canvas.selection.blocks.iter().copied().collect();
    assert_eq!(sel, vec![a, b]);
}

#[test]
fn delete_then_undo_restores_blocks_and_their_links() {
    let mut h = app();
    let a = place(&mut h, Pos2::new(400.0, 300.0), Key::R);
    let b = place(&mut h, Pos2::new(800.0, 300.0), Key::D);
    {
        let app = h.state_mut();
        let link = app
            .canvas
            .connect(&mut app.board.doc, &app.library.palette, a, b, None);
        assert!(link.is_some());
    }
    let before = h.state().board.doc.board().clone();
    let at = screen_of(&h, before.blocks[&a].rect.center());
    click(&mut h, at);
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert_eq!(common::board(&h).blocks.len(), 1);
    assert_eq!(
        h.state().board.doc.board().links.len(),
        0,
        "the link went with its block"
    );
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().board.doc.board(), &before);
}

#[test]
fn ctrl_d_duplicates_with_an_offset() {
    let mut h = app();
    let a = place(&mut h, Pos2::new(500.0, 300.0), Key::Q);
    h.key_press_modifiers(ctrl(), Key::D);
    h.run_steps(2);
    let board = h.state().board.doc.board();
    assert_eq!(board.blocks.len(), 2);
    let copy = board.blocks.values().find(|b| b.id != a).expect("copy");
    assert_eq!(
        copy.rect.min() - board.blocks[&a].rect.min(),
        Point::new(20.0, 20.0)
    );
    assert_eq!(copy.kind, "queue");
    assert_eq!(common::selected(&h), vec![copy.id], "the copy is selected");
}

#[test]
fn copy_and_paste_through_the_clipboard_keeps_inner_links() {
    let mut h = app();
    let a = place(&mut h, Pos2::new(400.0, 300.0), Key::R);
    let b = place(&mut h, Pos2::new(700.0, 300.0), Key::C);
    {
        let app = h.state_mut();
        app.canvas
            .connect(&mut app.board.doc, &app.library.palette, a, b, None);
    }
    h.key_press_modifiers(ctrl(), Key::A);
    h.run_steps(1);
    h.event(egui::Event::Copy);
    h.run_steps(1);
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
        .expect("copy put text on the clipboard");
    assert!(copied.contains("format_version"));
    h.hover_at(Pos2::new(600.0, 600.0));
    h.run_steps(1);
    h.event(egui::Event::Paste(copied));
    h.run_steps(2);
    let board = h.state().board.doc.board();
    assert_eq!(board.blocks.len(), 4);
    assert_eq!(
        board.links.len(),
        2,
        "the link between the pasted blocks came along"
    );
    let pasted: Vec<_> = h.state().canvas.selection.blocks.iter().copied().collect();
    assert_eq!(pasted.len(), 2);
    let centre = archboard::model::bounds_of(pasted.iter().map(|id| &board.blocks[id]))
        .expect("bounds")
        .center();
    let pointer = world_of(&h, Pos2::new(600.0, 600.0));
    assert!((centre - pointer).length() < 30.0, "pasted at the pointer");

    h.event(egui::Event::Paste("just some words".into()));
    h.run_steps(2);
    let note = common::board(&h)
        .blocks
        .values()
        .next_back()
        .expect("note")
        .clone();
    assert_eq!(
        (note.kind.as_str(), note.label.as_str()),
        ("text", "just some words")
    );
}

#[test]
fn double_click_edits_a_label_in_place() {
    let mut h = app();
    let a = place(&mut h, Pos2::new(500.0, 300.0), Key::R);
    let c = screen_of(&h, common::board(&h).blocks[&a].rect.center());
    click(&mut h, c);
    click(&mut h, c);
    assert!(
        h.state().canvas.editing.is_some(),
        "double-click opened the editor"
    );
    h.get_by_role(egui::accesskit::Role::MultilineTextInput)
        .type_text(" v2");
    h.run_steps(1);
    click(&mut h, Pos2::new(1100.0, 700.0));
    assert_eq!(
        common::board(&h).blocks[&a].label,
        "Box v2",
        "a click away commits"
    );
}

#[test]
fn zoom_around_the_pointer_keeps_the_world_point_fixed() {
    let mut h = app();
    // Off the middle, where an empty board's start card sits.
    let pointer = Pos2::new(1000.0, 650.0);
    h.hover_at(pointer);
    h.run_steps(1);
    let before = world_of(&h, pointer);
    h.key_press_modifiers(ctrl(), Key::Equals);
    h.run_steps(2);
    assert!((h.state().canvas.camera.zoom - 1.25).abs() < 1e-4);
    let after = world_of(&h, pointer);
    assert!((after - before).length() < 0.01, "{before:?} → {after:?}");
    h.key_press_modifiers(ctrl(), Key::Num0);
    h.run_steps(2);
    assert_eq!(h.state().canvas.camera.zoom, 1.0);
}

#[test]
fn palette_click_places_at_the_view_centre() {
    let mut h = app();
    h.get_by_label("Object storage").click();
    h.run_steps(2);
    let b = blocks(&h);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].1, "object_storage");
    let centre = h.state().canvas.view().center_world();
    assert!((b[0].2.center() - centre).length() < 30.0);
}

#[test]
fn quick_add_places_a_kind_by_name() {
    let mut h = app();
    h.hover_at(Pos2::new(700.0, 400.0));
    h.run_steps(1);
    h.key_press(Key::Slash);
    h.run_steps(2);
    // The quick-add field has focus: typing goes straight to it.
    h.event(egui::Event::Text("rate".into()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    let b = blocks(&h);
    assert_eq!(
        b.iter().map(|b| b.1.as_str()).collect::<Vec<_>>(),
        vec!["rate_limiter"]
    );
}

#[test]
fn frames_carry_what_lies_inside() {
    let mut h = app();
    let inner = place(&mut h, Pos2::new(600.0, 400.0), Key::C);
    // Draw a frame around it with the frame tool.
    h.key_press(Key::F);
    h.run_steps(1);
    drag(&mut h, Pos2::new(400.0, 250.0), Pos2::new(850.0, 600.0));
    h.key_press(Key::Escape);
    h.run_steps(2);
    let board = h.state().board.doc.board();
    let frame = board
        .blocks
        .values()
        .find(|b| b.kind == "frame")
        .expect("frame drawn")
        .clone();
    let inner_before = board.blocks[&inner].rect;
    // Grab the frame by its title band and move it.
    let grab = screen_of(&h, Point::new(frame.rect.x + 40.0, frame.rect.y + 8.0));
    drag(&mut h, grab, grab + egui::vec2(200.0, 0.0));
    let board = h.state().board.doc.board();
    assert_eq!(board.blocks[&frame.id].rect.x - frame.rect.x, 200.0);
    assert_eq!(
        board.blocks[&inner].rect.x - inner_before.x,
        200.0,
        "the block inside moved with its frame"
    );
}

#[test]
fn resize_handle_grows_the_block() {
    let mut h = app();
    let a = place(&mut h, Pos2::new(500.0, 300.0), Key::R);
    let r = common::board(&h).blocks[&a].rect;
    let corner = screen_of(&h, r.max());
    drag(&mut h, corner, corner + egui::vec2(62.0, 48.0));
    let r2 = common::board(&h).blocks[&a].rect;
    // The moved edges snap to the grid: 140+62 → 200, 70+48 = 118 → 120.
    assert_eq!((r2.w, r2.h), (200.0, 120.0));
    assert_eq!(r2.min(), r.min(), "the opposite corner stays");
}
