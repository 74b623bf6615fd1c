//! The deep-dive lens and the interview timer, driven through the real app.

mod common;

use archboard::model::BlockId;
use archboard::persistence::load_board;
use common::{app_with_clock, ctrl, place, wait_until};
use egui::{Key, Pos2};
use egui_kittest::kittest::Queryable;

type H = egui_kittest::Harness<'static, archboard::app::ArchboardApp>;

fn select(h: &mut H, id: BlockId) {
    let c = h
        .state()
        .canvas
        .view()
        .to_screen(h.state().board.doc.board().blocks[&id].rect.center());
    h.hover_at(c);
    h.run_steps(1);
    h.drag_at(c);
    h.run_steps(1);
    h.drop_at(c);
    h.run_steps(2);
}

fn click_empty(h: &mut H) {
    let p = Pos2::new(300.0, 700.0);
    h.hover_at(p);
    h.run_steps(1);
    h.drag_at(p);
    h.run_steps(1);
    h.drop_at(p);
    h.run_steps(2);
}

fn save_and_reload(h: &mut H, path: &std::path::Path) -> archboard::model::Board {
    h.key_press_modifiers(ctrl(), Key::S);
    wait_until(h, "the save", |app| !app.board.is_dirty());
    load_board(path).expect("reload")
}

#[test]
fn selecting_a_cache_shows_its_lens_and_ticking_counts_and_survives_save() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("lens.ron");
    let (mut h, _clock) = app_with_clock(Some(path.clone()));
    h.run_steps(2);
    let cache = place(&mut h, Pos2::new(500.0, 400.0), Key::C);
    select(&mut h, cache);
    assert!(
        h.query_by_label("Which eviction policy?").is_some(),
        "the cache lens is shown"
    );
    let total = h.state().library.lenses.keys_for("cache").len();
    assert!(h.query_by_label(&format!("0 / {total} covered")).is_some());
    h.get_by_label("Which eviction policy?").click();
    h.run_steps(2);
    assert!(
        h.query_by_label(&format!("1 / {total} covered")).is_some(),
        "coverage counts the tick"
    );
    let block = &h.state().board.doc.board().blocks[&cache];
    assert!(block.checked.contains("cache/eviction"));
    let saved = save_and_reload(&mut h, &path);
    assert!(
        saved.blocks[&cache].checked.contains("cache/eviction"),
        "the tick survives save and load"
    );
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    assert!(
        !h.state().board.doc.board().blocks[&cache]
            .checked
            .contains("cache/eviction"),
        "ticks undo"
    );
}

#[test]
fn notes_typed_for_a_block_survive_save_and_load() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("notes.ron");
    let (mut h, _clock) = app_with_clock(Some(path.clone()));
    h.run_steps(2);
    let db = place(&mut h, Pos2::new(500.0, 400.0), Key::D);
    select(&mut h, db);
    // The sidebar holds the label field, then the notes field.
    h.get_all_by_role(egui::accesskit::Role::MultilineTextInput)
        .last()
        .expect("notes field")
        .focus();
    h.run_steps(1);
    h.event(egui::Event::Text("Shard by user id; 3 replicas".into()));
    h.run_steps(1);
    // Clicking the canvas takes focus away from the notes: that commits them.
    click_empty(&mut h);
    assert_eq!(
        h.state().board.doc.board().blocks[&db].notes,
        "Shard by user id; 3 replicas"
    );
    let saved = save_and_reload(&mut h, &path);
    assert_eq!(saved.blocks[&db].notes, "Shard by user id; 3 replicas");
}

#[test]
fn the_timer_walks_phases_pauses_and_resets() {
    let (mut h, clock) = app_with_clock(None);
    h.run_steps(2);
    h.key_press(Key::F5);
    h.run_steps(1);
    clock.advance_ms(10 * 60_000);
    h.run_steps(2);
    let timer = h.state().board.doc.board().timer.clone();
    assert_eq!(
        timer.phase, 1,
        "ten minutes move the four-step plan into its second phase"
    );
    assert!(
        h.query_by_label_contains("2/4 · High-level design")
            .is_some(),
        "the bar shows the new phase"
    );
    h.key_press(Key::F5);
    h.run_steps(1);
    let paused_at = h.state().board.doc.board().timer.elapsed_ms();
    clock.advance_ms(5 * 60_000);
    h.run_steps(2);
    assert_eq!(
        h.state().board.doc.board().timer.elapsed_ms(),
        paused_at,
        "pause stops the clock"
    );
    h.get_by_label("Reset").click();
    h.run_steps(2);
    let t = &h.state().board.doc.board().timer;
    assert_eq!((t.phase, t.elapsed_ms()), (0, 0));
    assert!(!h.state().timer.is_running());
}

#[test]
fn time_accrues_only_to_the_selected_block() {
    let (mut h, clock) = app_with_clock(None);
    h.run_steps(2);
    let a = place(&mut h, Pos2::new(400.0, 300.0), Key::C);
    let b = place(&mut h, Pos2::new(700.0, 300.0), Key::D);
    select(&mut h, a);
    h.key_press(Key::F5);
    h.run_steps(1);
    clock.advance_ms(3 * 60_000);
    h.run_steps(2);
    let times = &h.state().board.doc.board().timer.block_ms;
    assert_eq!(times.get(&a), Some(&180_000), "3:00 on the selected block");
    assert_eq!(times.get(&b), None, "none on the other");
    assert!(h.query_by_label("Time on Cache: 3:00").is_some());
}

#[test]
fn deep_dive_budget_is_shown_for_marked_blocks() {
    let (mut h, clock) = app_with_clock(None);
    h.run_steps(2);
    let a = place(&mut h, Pos2::new(400.0, 300.0), Key::C);
    let b = place(&mut h, Pos2::new(700.0, 300.0), Key::D);
    for id in [a, b] {
        select(&mut h, id);
        h.get_by_label("Deep dive on this component").click();
        h.run_steps(2);
    }
    select(&mut h, a);
    h.key_press(Key::F5);
    h.run_steps(1);
    clock.advance_ms(252_000);
    h.run_steps(2);
    // The four-step plan's deep dive is 20 minutes, shared by two blocks.
    assert!(
        h.query_by_label("Deep dive on Cache: 4:12 of ~10:00")
            .is_some()
    );
}

#[test]
fn overview_lists_blocks_and_the_cheat_sheet() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    let a = place(&mut h, Pos2::new(400.0, 300.0), Key::Q);
    click_empty(&mut h);
    assert!(h.query_by_label("Estimation cheat sheet").is_some());
    assert!(
        h.query_by_label("≈ 12 per second").is_some(),
        "1M requests/day ≈ 12 rps is on the sheet"
    );
    // The block itself is also labelled "Message queue" on the canvas: take the sidebar's link.
    let sidebar_x = h.state().canvas.view().screen.max.x;
    h.get_all_by_label("Message queue")
        .find(|n| n.rect().min.x >= sidebar_x)
        .expect("the overview lists the block")
        .click();
    h.run_steps(2);
    assert_eq!(
        common::selected(&h),
        vec![a],
        "clicking a block in the overview selects it"
    );
}

#[test]
fn a_reopened_board_shows_the_timer_where_it_stood_paused() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("timer.ron");
    let (mut h, clock) = app_with_clock(Some(path.clone()));
    h.run_steps(2);
    place(&mut h, Pos2::new(400.0, 300.0), Key::R);
    h.key_press(Key::F5);
    h.run_steps(1);
    clock.advance_ms(12 * 60_000);
    h.run_steps(2);
    h.key_press(Key::F5);
    h.run_steps(1);
    let saved = save_and_reload(&mut h, &path);
    assert_eq!(saved.timer.phase, 1);
    assert_eq!(saved.timer.elapsed_ms(), 12 * 60_000);
    let (mut h2, _c) = app_with_clock(Some(path));
    wait_until(&mut h2, "the load", |app| !app.is_loading());
    assert_eq!(h2.state().board.doc.board().timer.elapsed_ms(), 12 * 60_000);
    assert!(!h2.state().timer.is_running(), "reopened paused");
}

#[test]
fn sidebar_edits_a_selected_link_and_the_lens_floats_with_i() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    let a = place(&mut h, Pos2::new(350.0, 300.0), Key::R);
    let b = place(&mut h, Pos2::new(650.0, 300.0), Key::C);
    let l = {
        let app = h.state_mut();
        app.canvas
            .connect(&mut app.board.doc, &app.library.palette, a, b, None)
            .expect("link")
    };
    h.run_steps(2);
    assert!(
        h.query_by_label("Box to Cache").is_some(),
        "the link view names its ends"
    );
    h.get_by_label("async").click();
    h.run_steps(2);
    h.get_by_label("both").click();
    h.run_steps(2);
    let link = &h.state().board.doc.board().links[&l];
    assert_eq!(
        (link.style, link.direction),
        (
            archboard::model::LinkStyle::Async,
            archboard::model::Direction::Both
        )
    );

    select(&mut h, b);
    h.key_press_modifiers(ctrl(), Key::B);
    h.run_steps(2);
    assert!(
        h.query_by_label("Which eviction policy?").is_none(),
        "Ctrl+B hid the sidebar"
    );
    h.key_press(Key::I);
    h.run_steps(2);
    assert!(
        h.query_by_label("Which eviction policy?").is_some(),
        "I floats the lens next to the block"
    );
}
