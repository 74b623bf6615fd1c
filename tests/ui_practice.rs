//! Practice mode through the real app: new from problem, Ask, Hint, a board that meets rubric
//! items, Finish and the score.

mod common;

use archboard::model::{Block, BlockId, Edit, Link, Rect};
use common::{app_with_clock, place};
use egui::{Key, Pos2};
use egui_kittest::kittest::Queryable;

type H = egui_kittest::Harness<'static, archboard::app::ArchboardApp>;

fn link(h: &mut H, from: BlockId, to: BlockId) {
    let doc = &mut h.state_mut().board.doc;
    let id = doc.new_link_id();
    doc.apply(Edit::Insert {
        blocks: vec![],
        links: vec![Link::new(id, from, to)],
    })
    .expect("link");
    h.run_steps(2);
}

fn add(h: &mut H, kind: &str, x: f32) -> BlockId {
    let doc = &mut h.state_mut().board.doc;
    let id = doc.new_block_id();
    doc.apply(Edit::Insert {
        blocks: vec![Block::new(id, kind, kind, Rect::new(x, 600.0, 140.0, 80.0))],
        links: vec![],
    })
    .expect("block");
    h.run_steps(2);
    id
}

fn met(h: &H, item: &str) -> bool {
    h.state()
        .board
        .doc
        .board()
        .practice
        .as_ref()
        .is_some_and(|p| p.met.contains_key(item))
}

#[test]
fn new_from_problem_ask_hint_build_and_finish_scores_the_board() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label_contains("New from problem").click();
    h.run_steps(2);
    h.run_steps(3);
    h.get_all_by_label("URL shortener and pastebin")
        .next()
        .expect("the problem in the list")
        .click();
    h.run_steps(2);
    h.get_by_label("Start this problem").click();
    h.run_steps(4);
    let board = h.state().board.doc.board();
    assert_eq!(
        board.practice.as_ref().map(|p| p.problem.as_str()),
        Some("url-shortener")
    );
    assert!(
        board.estimate.is_default(),
        "nothing is pre-filled before asking"
    );
    assert!(!h.state().timer.is_running(), "a new problem starts paused");
    assert!(
        h.query_by_label("Problem").is_some(),
        "the problem tab is there"
    );

    // Answers are hidden until asked; asking about scale fills the estimator.
    let answer =
        "About 100 million new links a day. Redirects outnumber creations roughly 100 to 1.";
    assert!(h.query_by_label(answer).is_none());
    h.get_all_by_label("Ask").next().expect("Ask").click();
    h.run_steps(3);
    assert!(
        h.query_by_label(answer).is_some(),
        "the answer shows once asked"
    );
    let est = &h.state().board.doc.board().estimate;
    assert_eq!(est.daily_active_users, 100e6);
    assert_eq!(est.reads_per_write, 100.0);

    h.get_by_label("Hint").click();
    h.run_steps(3);
    let practice = h
        .state()
        .board
        .doc
        .board()
        .practice
        .clone()
        .expect("practice");
    assert_eq!(practice.hints.len(), 1);
    assert!(
        h.query_all_by_label_contains("Reads dwarf writes")
            .next()
            .is_some(),
        "the first hint shows"
    );

    // client → load balancer → service → cache → database
    let client = add(&mut h, "client", 100.0);
    let lb = place(&mut h, Pos2::new(400.0, 300.0), Key::L);
    let service = add(&mut h, "service", 500.0);
    let cache = place(&mut h, Pos2::new(600.0, 300.0), Key::C);
    let db = place(&mut h, Pos2::new(800.0, 300.0), Key::D);
    for (a, b) in [(client, lb), (lb, service), (service, cache), (cache, db)] {
        link(&mut h, a, b);
    }
    h.run_steps(3);
    assert!(met(&h, "lb"), "a load balancer meets the lb item");
    assert!(
        met(&h, "cache-path"),
        "client → … → cache → store meets the cache item"
    );
    assert!(met(&h, "estimated"), "the estimate was filled");

    // Removing the cache drops the cache item.
    h.state_mut()
        .board
        .doc
        .apply(Edit::Remove {
            blocks: vec![cache],
            links: vec![],
        })
        .expect("remove");
    h.run_steps(3);
    assert!(
        !met(&h, "cache-path"),
        "without the cache the item is no longer met"
    );
    h.key_press_modifiers(common::ctrl(), Key::Z);
    h.run_steps(3);
    assert!(
        met(&h, "cache-path"),
        "undo brings the cache and the item back"
    );

    // The rubric is hidden until Finish; then the score lists what the board meets.
    let item = "Puts a cache in front of the URL store on the read path";
    assert!(
        h.query_by_label(item).is_none(),
        "rubric hidden before Finish"
    );
    // Placing blocks brought the Design tab (their lens) forward.
    h.get_by_label("Problem").click();
    h.run_steps(2);
    assert!(
        h.query_by_label(item).is_none(),
        "rubric hidden before Finish"
    );
    h.get_by_label("Finish").click();
    h.run_steps(3);
    assert!(h.query_by_label(item).is_some(), "the score lists the item");
    let practice = h
        .state()
        .board
        .doc
        .board()
        .practice
        .clone()
        .expect("practice");
    assert!(practice.finished.is_some());
    let met = practice.met.len();
    assert!(
        met >= 4,
        "lb, store, cache path and estimate at least: {met}"
    );
    assert!(
        h.query_by_label_contains(&format!("Finished: {met} of 14 met"))
            .is_some(),
        "the score line counts what the board met"
    );
}

#[test]
fn replay_shows_the_board_as_it_was_and_leaving_restores_it_byte_for_byte() {
    let (mut h, clock) = app_with_clock(None);
    h.run_steps(2);
    let first = place(&mut h, Pos2::new(400.0, 300.0), Key::D);
    h.key_press(Key::F5);
    h.run_steps(2);
    clock.advance_ms(60_000);
    h.run_steps(2);
    let second = place(&mut h, Pos2::new(700.0, 300.0), Key::C);
    clock.advance_ms(60_000);
    h.run_steps(2);
    h.key_press(Key::F5);
    h.run_steps(2);
    let before = archboard::persistence::to_ron_string(h.state().board.doc.board()).expect("ron");
    let entries = &h.state().board.doc.board().recording.entries;
    let added_at = entries
        .iter()
        .find(|e| matches!(&e.op, archboard::model::recording::Op::Block(b) if b.id == second))
        .expect("the second block is recorded")
        .at_ms;
    assert!(added_at >= 60_000, "recorded at interview time {added_at}");

    h.key_press_modifiers(common::ctrl_shift(), Key::R);
    h.run_steps(2);
    assert!(h.state().is_replaying());
    assert!(
        h.query_by_label("Leave replay").is_some(),
        "the timeline shows"
    );
    h.state_mut().replay_seek(added_at - 1);
    h.run_steps(2);
    let shown: Vec<BlockId> = replay_blocks(&h);
    assert_eq!(
        shown,
        vec![first],
        "before the cache was added, only the database shows"
    );
    h.state_mut().replay_seek(added_at);
    h.run_steps(2);
    assert_eq!(replay_blocks(&h).len(), 2);

    // Replay is read-only: Delete does nothing to either board.
    h.key_press(Key::Delete);
    h.run_steps(2);
    h.get_by_label("Leave replay").click();
    h.run_steps(2);
    assert!(!h.state().is_replaying());
    let after = archboard::persistence::to_ron_string(h.state().board.doc.board()).expect("ron");
    assert_eq!(
        before, after,
        "leaving replay restores the board byte for byte"
    );
}

fn replay_blocks(h: &H) -> Vec<BlockId> {
    h.state()
        .replay_board()
        .expect("replaying")
        .blocks
        .keys()
        .copied()
        .collect()
}

#[test]
fn an_empty_board_shows_the_start_card_until_the_first_block() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(3);
    assert!(h.state().shows_start_card());
    assert!(h.query_by_label("Start your design").is_some());
    h.get_by_label("Start from a problem…").click();
    h.run_steps(4);
    assert!(
        h.query_by_label("Start this problem").is_some(),
        "the card opens the problem dialog"
    );
    assert!(
        h.query_by_label("Start your design").is_none(),
        "the card hides under a dialog"
    );
    h.key_press(Key::Escape);
    h.run_steps(2);
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(3);
    place(&mut h, Pos2::new(1000.0, 650.0), Key::Q);
    h.run_steps(2);
    assert!(!h.state().shows_start_card());
    assert!(
        h.query_by_label("Start your design").is_none(),
        "the first block removes it"
    );
}

#[test]
fn hint_and_finish_have_keys_that_only_act_on_a_practice_board() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    // An ordinary board: the keys say why they do nothing.
    h.key_press_modifiers(common::ctrl_shift(), Key::H);
    h.run_steps(2);
    assert!(h.state().board.doc.board().practice.is_none());
    assert!(
        h.query_by_label_contains("not a practice problem")
            .is_some(),
        "the status says why the key did nothing"
    );

    let ctx = h.ctx.clone();
    h.state_mut().start_problem("rate-limiter", &ctx);
    h.run_steps(4);
    h.key_press_modifiers(common::ctrl_shift(), Key::H);
    h.run_steps(2);
    h.key_press_modifiers(common::ctrl_shift(), Key::H);
    h.run_steps(2);
    let practice = h
        .state()
        .board
        .doc
        .board()
        .practice
        .clone()
        .expect("practice");
    assert_eq!(practice.hints.len(), 2, "two presses, two hints");
    assert!(practice.finished.is_none());
    h.key_press_modifiers(common::ctrl_shift(), Key::Enter);
    h.run_steps(3);
    let practice = h
        .state()
        .board
        .doc
        .board()
        .practice
        .clone()
        .expect("practice");
    assert!(practice.finished.is_some(), "Ctrl+Shift+Enter finishes");
    // The score line, in the Problem tab the key brought forward.
    assert!(
        h.query_by_label_contains("used.").is_some(),
        "the score shows"
    );
}

#[test]
fn a_practice_board_opens_on_its_problem_and_its_start_card_points_there() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("kv.ron");
    let library = archboard::practice::Library::bundled();
    let board = archboard::practice::new_board(library.get("key-value-store").expect("problem"));
    archboard::persistence::save_board(&file, &board).expect("save");
    let (mut h, _clock) = app_with_clock(Some(file));
    common::wait_until(&mut h, "the board loads", |app| {
        app.board.doc.board().practice.is_some()
    });
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Clarifying questions").is_some(),
        "the Problem tab is in front"
    );
    assert!(h.query_by_label("Start your design").is_some());
    assert!(
        h.query_by_label("Start from a problem…").is_none(),
        "a practice board already has its problem"
    );
}
