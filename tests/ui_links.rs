//! Connections driven like a user would: connect tool, handles, selection, reconnect, labels.

mod common;

use archboard::app::ArchboardApp;
use archboard::canvas::route;
use archboard::model::{Anchor, BlockId, Direction, LinkId, LinkStyle, Point, Route, Side};
use common::{app_harness, click, ctrl, drag, place};
use egui::{Key, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

type H = Harness<'static, ArchboardApp>;

fn app() -> H {
    let mut h = app_harness(None);
    h.run_steps(2);
    h
}

fn screen(h: &H, p: Point) -> Pos2 {
    h.state().canvas.view().to_screen(p)
}

fn centre(h: &H, id: BlockId) -> Pos2 {
    screen(h, h.state().board.doc.board().blocks[&id].rect.center())
}

/// Three blocks in a row: A (box), B (database) and C (cache) below.
fn three(h: &mut H) -> (BlockId, BlockId, BlockId) {
    let a = place(h, Pos2::new(400.0, 300.0), Key::R);
    let b = place(h, Pos2::new(800.0, 300.0), Key::D);
    let c = place(h, Pos2::new(800.0, 600.0), Key::C);
    (a, b, c)
}

fn connect_with_tool(h: &mut H, a: BlockId, b: BlockId) -> LinkId {
    h.key_press(Key::A);
    h.run_steps(1);
    let (pa, pb) = (centre(h, a), centre(h, b));
    drag(h, pa, pb);
    h.key_press(Key::Escape);
    h.run_steps(1);
    *h.state()
        .board
        .doc
        .board()
        .links
        .keys()
        .next_back()
        .expect("a link")
}

fn link_path(h: &H, id: LinkId) -> Vec<Point> {
    let board = h.state().board.doc.board();
    let l = &board.links[&id];
    route::link_path(
        &board.blocks[&l.from.block],
        &board.blocks[&l.to.block],
        l,
        0.0,
    )
}

#[test]
fn connect_tool_drag_creates_exactly_one_link() {
    let mut h = app();
    let (a, b, _) = three(&mut h);
    let l = connect_with_tool(&mut h, a, b);
    let board = h.state().board.doc.board();
    assert_eq!(board.links.len(), 1);
    let link = &board.links[&l];
    assert_eq!((link.from.block, link.to.block), (a, b));
    assert_eq!(link.direction, Direction::Forward);
}

#[test]
fn releasing_on_empty_canvas_or_the_same_block_makes_no_link() {
    let mut h = app();
    let (a, _, _) = three(&mut h);
    h.key_press(Key::A);
    h.run_steps(1);
    let pa = centre(&h, a);
    drag(&mut h, pa, Pos2::new(600.0, 700.0));
    drag(&mut h, pa, pa + egui::vec2(10.0, 5.0));
    assert!(h.state().board.doc.board().links.is_empty());
}

#[test]
fn ctrl_release_on_empty_canvas_adds_a_linked_block_of_the_same_kind() {
    let mut h = app();
    let (a, _, _) = three(&mut h);
    h.key_press(Key::A);
    h.run_steps(1);
    let pa = centre(&h, a);
    common::drag_with(&mut h, pa, Pos2::new(400.0, 650.0), ctrl());
    let board = h.state().board.doc.board();
    assert_eq!(board.blocks.len(), 4);
    let link = board.links.values().next().expect("linked");
    assert_eq!(link.from.block, a);
    assert_eq!(board.blocks[&link.to.block].kind, "box");
}

#[test]
fn dragging_from_a_side_handle_connects_from_that_side() {
    let mut h = app();
    let (a, b, _) = three(&mut h);
    click(&mut h, Pos2::new(600.0, 750.0));
    let r = h.state().board.doc.board().blocks[&a].rect;
    let handle = screen(&h, Point::new(r.x + r.w, r.center().y)) + egui::vec2(16.0, 0.0);
    // Hover the block first: its handles appear.
    h.hover_at(centre(&h, a));
    h.run_steps(2);
    let pb = centre(&h, b);
    drag(&mut h, handle, pb);
    let board = h.state().board.doc.board();
    assert_eq!(
        board.links.len(),
        1,
        "the handle drag connected instead of moving"
    );
    let link = board.links.values().next().expect("link");
    assert_eq!((link.from.block, link.to.block), (a, b));
    assert_eq!(
        link.from.anchor,
        Anchor::Side {
            side: Side::Right,
            t: 0.5
        }
    );
    assert_eq!(board.blocks[&a].rect, r, "A did not move");
}

#[test]
fn moving_a_block_moves_its_link_end() {
    let mut h = app();
    let (a, b, _) = three(&mut h);
    let l = connect_with_tool(&mut h, a, b);
    let before = *link_path(&h, l).last().expect("end");
    let pb = centre(&h, b);
    drag(&mut h, pb, pb + egui::vec2(0.0, 200.0));
    let after = *link_path(&h, l).last().expect("end");
    assert!(
        (after.y - before.y) > 100.0,
        "the end followed B: {before:?} → {after:?}"
    );
    let rb = h.state().board.doc.board().blocks[&b].rect;
    assert!(
        rb.expanded(0.5).contains(after),
        "the end stays on B's outline"
    );
}

#[test]
fn deleting_a_block_removes_its_link_and_undo_brings_both_back() {
    let mut h = app();
    let (a, b, _) = three(&mut h);
    connect_with_tool(&mut h, a, b);
    let before = h.state().board.doc.board().clone();
    let pa = centre(&h, a);
    click(&mut h, pa);
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert!(h.state().board.doc.board().links.is_empty());
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().board.doc.board(), &before);
}

#[test]
fn clicking_a_link_selects_it_not_the_block_under_its_end() {
    let mut h = app();
    let (a, b, _) = three(&mut h);
    let l = connect_with_tool(&mut h, a, b);
    click(&mut h, Pos2::new(600.0, 750.0));
    // Just outside B's left edge, on the link, within B's own click slop.
    let end = *link_path(&h, l).last().expect("end");
    let p = screen(&h, end) - egui::vec2(2.0, 0.0);
    click(&mut h, p);
    assert_eq!(
        h.state()
            .canvas
            .selection
            .links
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![l]
    );
    assert!(h.state().canvas.selection.blocks.is_empty());
    h.key_press(Key::Delete);
    h.run_steps(2);
    let board = h.state().board.doc.board();
    assert!(
        board.links.is_empty() && board.blocks.len() == 3,
        "Delete removed only the link"
    );
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().board.doc.board().links.len(), 1);
}

#[test]
fn dragging_a_link_end_reconnects_it() {
    let mut h = app();
    let (a, b, c) = three(&mut h);
    let l = connect_with_tool(&mut h, a, b);
    let mid = screen(&h, route::midpoint(&link_path(&h, l)));
    click(&mut h, mid);
    assert!(h.state().canvas.selection.links.contains(&l));
    let end = screen(&h, *link_path(&h, l).last().expect("end"));
    let pc = centre(&h, c);
    drag(&mut h, end, pc);
    let link = &h.state().board.doc.board().links[&l];
    assert_eq!((link.from.block, link.to.block), (a, c));
}

#[test]
fn link_label_is_edited_in_place() {
    let mut h = app();
    let (a, b, _) = three(&mut h);
    let l = connect_with_tool(&mut h, a, b);
    let mid = screen(&h, route::midpoint(&link_path(&h, l)));
    click(&mut h, mid);
    click(&mut h, mid);
    assert!(
        h.state().canvas.editing.is_some(),
        "double-click on a link edits its label"
    );
    h.event(egui::Event::Text("POST /urls".into()));
    h.run_steps(1);
    click(&mut h, Pos2::new(1100.0, 150.0));
    assert_eq!(h.state().board.doc.board().links[&l].label, "POST /urls");
    assert!(
        h.query_by_label("Link Box → SQL database: POST /urls")
            .is_some(),
        "links are findable by label"
    );
}

#[test]
fn link_commands_change_style_route_direction() {
    let mut h = app();
    let (a, b, _) = three(&mut h);
    let l = connect_with_tool(&mut h, a, b);
    let mid = screen(&h, route::midpoint(&link_path(&h, l)));
    click(&mut h, mid);
    let shift = egui::Modifiers::SHIFT;
    for key in [Key::S, Key::E, Key::A, Key::R] {
        h.key_press_modifiers(shift, key);
        h.run_steps(1);
    }
    let link = &h.state().board.doc.board().links[&l];
    assert_eq!(link.style, LinkStyle::Async);
    assert_eq!(link.route, Route::Elbow);
    assert_eq!(link.direction, Direction::Both);
    assert_eq!((link.from.block, link.to.block), (b, a), "reversed");
    assert_eq!(
        h.state().board.doc.board().blocks.len(),
        3,
        "Shift+R did not place a box"
    );
    let elbow = link_path(&h, l);
    assert!(
        elbow
            .windows(2)
            .all(|w| w[0].x == w[1].x || w[0].y == w[1].y),
        "elbow is orthogonal"
    );
}

#[test]
fn links_into_a_queue_start_async_and_survive_save_and_load() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("links.ron");
    let mut h = app_harness(Some(path.clone()));
    h.run_steps(2);
    let q = place(&mut h, Pos2::new(400.0, 300.0), Key::Q);
    let w = place(&mut h, Pos2::new(800.0, 300.0), Key::R);
    let l = connect_with_tool(&mut h, q, w);
    assert_eq!(
        h.state().board.doc.board().links[&l].style,
        LinkStyle::Async
    );
    h.key_press_modifiers(ctrl(), Key::S);
    common::wait_until(&mut h, "the save", |app| !app.board.is_dirty());
    let loaded = archboard::persistence::load_board(&path).expect("load");
    assert_eq!(loaded.links, h.state().board.doc.board().links);
}
