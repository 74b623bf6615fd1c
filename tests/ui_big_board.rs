//! A board past the sizes where work leaves the UI thread (2,000 blocks, 2,000 links), driven
//! through the app: the sidebar lists every component but lays out only the rows in view, the
//! review and the link layout arrive from their workers, and what the canvas shows and hits
//! follows edits and undo through the spatial index.

mod common;

use archboard::app::ArchboardApp;
use archboard::model::{BlockId, Document, Edit, Point, generate::synthetic};
use common::{app_with_clock, wait_real};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{Queryable, by};

type H = Harness<'static, ArchboardApp>;

const N: usize = 3_000;

/// Rows of the sidebar's component list naming `label` (links there; the canvas's items are
/// buttons).
fn listed(h: &H, label: &str) -> usize {
    h.query_all(by().role(Role::Link).label_contains(label))
        .count()
}

/// The app (sidebar shown) on a generated board of [`N`] blocks and links.
fn big_board() -> H {
    let (mut h, _clock) = app_with_clock(None);
    h.state_mut().board.doc = Document::new(synthetic(N, N));
    h.state_mut().canvas.fit_on_next_frame(None);
    h.run_steps(2);
    h
}

#[test]
fn the_component_list_lays_out_only_the_rows_in_view() {
    let h = big_board();
    // Every component is listed (the list scrolls), but only a screenful exists as widgets.
    assert!(listed(&h, "client 0") >= 1, "the first component is listed");
    let rows = listed(&h, "cache ") + listed(&h, "database ");
    assert!(rows > 0, "some rows are shown");
    assert!(
        rows < 100,
        "{rows} rows laid out for {N} components: the list is not virtualised"
    );
}

#[test]
fn the_review_of_a_big_board_comes_from_the_worker_and_follows_edits() {
    let mut h = big_board();
    wait_real(&mut h, "the first review", 60, |app| {
        app.design.review().is_some() && !app.design.is_computing()
    });
    let before = h.state().design.review().map(|r| r.findings.len());
    // Remove every database: the review must notice (its findings change).
    let doc = &mut h.state_mut().board.doc;
    let stores: Vec<BlockId> = doc
        .board()
        .blocks
        .values()
        .filter(|b| b.kind == "database")
        .map(|b| b.id)
        .collect();
    assert!(!stores.is_empty());
    doc.apply(Edit::Remove {
        blocks: stores,
        links: vec![],
    })
    .expect("remove");
    h.step();
    wait_real(&mut h, "the review of the edited board", 60, |app| {
        !app.design.is_computing() && app.design.review().map(|r| r.findings.len()) != before
    });
}

/// Where the window would put the labels of `board`, laid out here and now.
fn laid_out(board: &archboard::model::Board) -> archboard::canvas::layout::LinkLayout {
    let ctx = egui::Context::default();
    let mut out = None;
    let mut frame = ctx.run_ui(egui::RawInput::default(), |ui| {
        out = Some(
            ui.ctx()
                .fonts_mut(|f| archboard::canvas::layout::LinkLayout::new(board, f)),
        );
    });
    frame.textures_delta.clear();
    out.expect("laid out")
}

#[test]
fn a_big_boards_labels_follow_a_moved_block_once_the_worker_is_done() {
    let mut h = big_board();
    let doc = &h.state().board.doc;
    let id = *doc.board().blocks.keys().nth(10).expect("a block");
    let link = doc.index().links_of(id)[0];
    let before = laid_out(doc.board())
        .label(link)
        .copied()
        .expect("labelled");
    h.state_mut()
        .board
        .doc
        .apply(Edit::Move {
            blocks: vec![id],
            delta: Point::new(3_000.0, 0.0),
        })
        .expect("move");
    let after = laid_out(h.state().board.doc.board())
        .label(link)
        .copied()
        .expect("labelled");
    assert_ne!(
        before.centre, after.centre,
        "the move changes the label's place"
    );
    // The worker's layout of the moved board arrives and is drawn: the label where the
    // window's own fonts would put it.
    wait_real(&mut h, "the label on the moved link", 60, |app| {
        app.canvas
            .link_layout()
            .and_then(|l| l.label(link).copied())
            == Some(after)
    });
    // Undo brings the index back: the block is found where it was.
    h.state_mut().board.doc.undo();
    let doc = &h.state().board.doc;
    let at = doc.board().block(id).expect("block").rect;
    let found: Vec<BlockId> = doc.index().blocks_in(at).collect();
    assert!(found.contains(&id));
}

/// Opening another board replaces the document: the component list, the link layout and the
/// review must follow the new one, never keep what they made for the old one.
#[test]
fn a_board_opened_after_another_is_listed_laid_out_and_reviewed() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(3);
    assert_eq!(listed(&h, "client 0"), 0);
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("big.ron");
    archboard::persistence::save_board(&path, &synthetic(N, N)).expect("save");
    // File → Open, the path typed into the prompt, Enter: the file worker loads it.
    h.key_press_modifiers(common::ctrl(), egui::Key::O);
    h.run_steps(2);
    h.event(egui::Event::Text(path.display().to_string()));
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    wait_real(&mut h, "the board to open and be reviewed", 60, |app| {
        app.board.doc.board().blocks.len() == N
            && app.design.review().is_some_and(|r| !r.findings.is_empty())
            && app.canvas.link_layout().is_some_and(|l| {
                app.board
                    .doc
                    .board()
                    .links
                    .values()
                    .take(50)
                    .any(|link| l.label(link.id).is_some())
            })
    });
    h.run_steps(2);
    assert!(
        listed(&h, "client 0") >= 1,
        "the opened board's components are listed"
    );
}
