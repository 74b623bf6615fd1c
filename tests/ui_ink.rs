//! Ink and cards in the window: a pen stroke drawn, undone and redone, an eraser drag, and a
//! requirements card typed inline whose target the review checks.

mod common;

use archboard::app::ArchboardApp;
use archboard::model::{Block, BlockId, REQUIREMENTS_KIND};
use archboard::review::FindingKind;
use common::{app_harness, board, ctrl};
use egui::{Key, Pos2};
use egui_kittest::Harness;

type H = Harness<'static, ArchboardApp>;

fn app() -> H {
    let mut h = app_harness(None);
    h.run_steps(2);
    h
}

/// A hand-drawn wave from `from`, `n` moves long, one frame per move.
fn scribble(h: &mut H, from: Pos2, n: usize) {
    h.hover_at(from);
    h.run_steps(1);
    let button = |pos, pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    h.event(button(from, true));
    h.run_steps(1);
    let mut at = from;
    for i in 1..=n {
        at = from + egui::vec2(i as f32 * 12.0, (i as f32 * 0.7).sin() * 40.0);
        h.event(egui::Event::PointerMoved(at));
        h.run_steps(1);
    }
    h.event(button(at, false));
    h.run_steps(2);
}

fn strokes(h: &H) -> Vec<Block> {
    board(h)
        .blocks
        .values()
        .filter(|b| b.is_ink())
        .cloned()
        .collect()
}

#[test]
fn a_pen_stroke_is_one_board_item_that_undo_takes_back_and_redo_returns() {
    let mut h = app();
    h.hover_at(Pos2::new(400.0, 300.0));
    h.key_press(Key::P);
    h.run_steps(1);
    scribble(&mut h, Pos2::new(400.0, 300.0), 20);
    let drawn = strokes(&h);
    assert_eq!(drawn.len(), 1, "one stroke");
    let s = &drawn[0];
    assert!(s.ink.len() >= 15, "{} points kept", s.ink.len());
    // The stroke lies where it was drawn: its bounds span the scribble.
    let view = h.state().canvas.view();
    let r = view.rect_to_screen(&s.rect);
    assert!(r.left() <= 400.0 && r.right() >= 635.0, "{r:?}");
    assert_eq!(
        h.state().board.doc.undo_len(),
        1,
        "the whole stroke is one step"
    );

    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    assert!(strokes(&h).is_empty(), "undo takes the stroke back");
    h.key_press_modifiers(ctrl(), Key::Y);
    h.run_steps(2);
    assert_eq!(strokes(&h), drawn, "redo returns the same stroke");
}

#[test]
fn the_eraser_removes_the_strokes_it_crosses_and_nothing_else() {
    let mut h = app();
    h.hover_at(Pos2::new(300.0, 500.0));
    h.key_press(Key::R);
    h.run_steps(1);
    h.key_press(Key::Escape);
    h.run_steps(1);
    h.hover_at(Pos2::new(400.0, 300.0));
    h.key_press(Key::P);
    h.run_steps(1);
    scribble(&mut h, Pos2::new(400.0, 300.0), 10);
    scribble(&mut h, Pos2::new(400.0, 420.0), 10);
    assert_eq!(strokes(&h).len(), 2);
    let boxes = board(&h).blocks.len() - 2;

    // A vertical drag across the first stroke's start only.
    h.key_press(Key::E);
    h.run_steps(1);
    common::drag(&mut h, Pos2::new(412.0, 250.0), Pos2::new(412.0, 350.0));
    let left = strokes(&h);
    assert_eq!(left.len(), 1, "one stroke crossed, one erased");
    assert_eq!(board(&h).blocks.len() - 1, boxes, "the box stays");
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(2);
    assert_eq!(strokes(&h).len(), 2, "undo brings it back");
}

fn interview_gaps(h: &H) -> Vec<String> {
    let found = common::findings(h, FindingKind::Interview);
    found.into_iter().map(|f| f.text).collect()
}

fn card(h: &H) -> Option<Block> {
    board(h)
        .blocks
        .values()
        .find(|b| b.kind == REQUIREMENTS_KIND)
        .cloned()
}

#[test]
fn a_requirements_card_typed_inline_sets_its_rows_and_the_estimate() {
    // With the sidebar, whose review reads the card.
    let (mut h, _clock) = common::app_with_clock(None);
    h.run_steps(2);
    // Quick add places a card at the pointer with its text open for typing.
    h.hover_at(Pos2::new(500.0, 300.0));
    h.key_press(Key::Tab);
    h.run_steps(2);
    h.event(egui::Event::Text("requirements".into()));
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    let id: BlockId = card(&h).expect("a card").id;
    assert!(h.state().canvas.editing.as_ref().is_some_and(|e| e.body));
    // It opens on the first functional line: what is typed is the first requirement.
    let editing = h.state().canvas.editing.as_ref().map(|e| e.text.clone());
    assert!(editing.is_some_and(|t| t.starts_with("Functional\n- \nNon-functional")));
    h.event(egui::Event::Text("Shorten a URL".into()));
    h.run_steps(1);
    h.key_press_modifiers(ctrl(), Key::A);
    h.event(egui::Event::Text(
        "Functional\n- Shorten a URL\nNon-functional\n- latency: fast\n- scale: 20M daily users, 50:1 reads:writes".into(),
    ));
    h.run_steps(1);
    h.key_press(Key::Escape);
    h.run_steps(3);
    let c = card(&h).expect("the card");
    assert_eq!(c.id, id);
    assert_eq!(c.reqs.len(), 2, "{:?}", c.reqs);
    assert_eq!(c.rect.h, c.body_height(), "the card grew to its rows");
    let e = &board(&h).estimate;
    assert_eq!((e.daily_active_users, e.reads_per_write), (20e6, 50.0));
    h.run_steps(5);
    let gaps = interview_gaps(&h);
    assert!(
        gaps.iter()
            .any(|g| g.contains("\"latency: fast\" has no target")),
        "{gaps:?}"
    );
    // One undo step takes back the card's rows and the estimate together.
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(3);
    assert!(card(&h).expect("card").reqs.is_empty());
    assert_eq!(board(&h).estimate.daily_active_users, 1e6);
}

#[test]
fn a_read_only_board_takes_no_ink() {
    let mut h = app();
    h.state_mut().board.doc.set_read_only(true);
    h.hover_at(Pos2::new(400.0, 300.0));
    h.key_press(Key::P);
    h.run_steps(1);
    scribble(&mut h, Pos2::new(400.0, 300.0), 10);
    assert!(strokes(&h).is_empty());
    assert!(!h.state().board.doc.can_undo());
}
