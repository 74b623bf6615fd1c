//! The design review driven through the app: sizing in the sidebar clears a finding, the failure
//! drill marks lost paths, the overlay and the estimator show their numbers.

mod common;

use archboard::app::ArchboardApp;
use archboard::model::{Block, BlockId, Edit, Link, Props, Rect};
use archboard::review::FindingKind;
use common::{app_with_clock, click, ctrl};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

type H = Harness<'static, ArchboardApp>;

/// Adds blocks at the given x along one row, as one edit. Returns their ids in order.
fn add_blocks(h: &mut H, blocks: &[(&str, &str, Props)]) -> Vec<BlockId> {
    let doc = &mut h.state_mut().board.doc;
    let first = doc.board().next_id;
    let made: Vec<Block> = blocks
        .iter()
        .enumerate()
        .map(|(i, (kind, label, props))| {
            let id = BlockId(first + i as u64);
            let mut b = Block::new(
                id,
                *kind,
                *label,
                Rect::new(i as f32 * 170.0 + 60.0, 200.0, 140.0, 60.0),
            );
            b.props = props.clone();
            b
        })
        .collect();
    let ids = made.iter().map(|b| b.id).collect();
    doc.apply(Edit::Insert {
        blocks: made,
        links: vec![],
    })
    .expect("insert");
    ids
}

fn connect(h: &mut H, pairs: &[(BlockId, BlockId)]) {
    let doc = &mut h.state_mut().board.doc;
    let first = doc.board().next_id + 100;
    let links = pairs
        .iter()
        .enumerate()
        .map(|(i, (a, b))| {
            let mut l = Link::new(archboard::model::LinkId(first + i as u64), *a, *b);
            l.label = "calls".into();
            l
        })
        .collect();
    doc.apply(Edit::Insert {
        blocks: vec![],
        links,
    })
    .expect("links");
}

fn select(h: &mut H, id: BlockId) {
    let app = h.state_mut();
    app.canvas.clear_selection();
    app.canvas.selection.blocks.insert(id);
    h.run_steps(2);
}

fn replicated() -> Props {
    Props {
        replication: Some(3),
        ..Props::default()
    }
}

fn single_points(h: &H) -> Vec<archboard::review::Target> {
    let found = common::findings(h, FindingKind::SinglePoint);
    found.into_iter().map(|f| f.target).collect()
}

#[test]
fn a_second_instance_clears_the_single_point_of_failure() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    let ids = add_blocks(
        &mut h,
        &[
            ("client", "Browser", Props::default()),
            ("load_balancer", "Edge LB", Props::default()),
            ("service", "API one", Props::default()),
            ("service", "API two", Props::default()),
            ("database", "Orders DB", replicated()),
        ],
    );
    let (c, lb, s1, s2, db) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
    connect(&mut h, &[(c, lb), (lb, s1), (lb, s2), (s1, db), (s2, db)]);
    h.run_steps(2);
    assert_eq!(
        single_points(&h),
        vec![archboard::review::Target::Block(lb)]
    );
    // The overview lists it, naming the lens item that addresses it.
    h.get_by_label_contains("\"Edge LB\" is a single point of failure");
    h.get_by_label_contains("Lens: Is the balancer itself redundant?");

    // The status bar counts it, and a click there opens the review panel.
    h.get_by_label("1 risk");
    select(&mut h, lb);
    h.get_by_label("One more instance").click();
    h.run_steps(3);
    h.get_by_label("No risks");
    let props = &h.state().board.doc.board().blocks[&lb].props;
    assert_eq!(props.instances, Some(2));
    assert!(single_points(&h).is_empty(), "two instances are redundant");
    let left: Vec<String> = h
        .query_all_by_label_contains("\"Edge LB\" is a single point of failure")
        .map(|n| format!("{n:?}").chars().take(300).collect::<String>())
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // One undo step brings the finding back.
    h.key_press_modifiers(ctrl(), Key::Z);
    h.run_steps(3);
    assert_eq!(single_points(&h).len(), 1);
}

#[test]
fn failing_the_only_database_loses_every_read_path() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    let ids = add_blocks(
        &mut h,
        &[
            ("client", "Web", Props::default()),
            ("mobile", "App", Props::default()),
            (
                "service",
                "Read API",
                Props {
                    instances: Some(3),
                    ..Props::default()
                },
            ),
            ("database", "Only DB", Props::default()),
        ],
    );
    let (web, app, api, db) = (ids[0], ids[1], ids[2], ids[3]);
    connect(&mut h, &[(web, api), (app, api), (api, db)]);
    select(&mut h, db);
    let before = h.state().board.doc.state_id();
    h.key_press(Key::F8);
    h.run_steps(3);
    let drill = h.state().design.drill().expect("drill running").clone();
    assert_eq!(drill.lost, vec![(web, db), (app, db)]);
    assert!(drill.survived.is_empty());
    let design = h
        .state()
        .canvas
        .design
        .clone()
        .expect("the canvas draws the drill");
    assert!(design.is_down(db), "struck out");
    // With nothing selected the panel lists the lost paths.
    h.state_mut().canvas.clear_selection();
    h.run_steps(2);
    h.get_by_label("2 paths lost");
    h.get_by_label("Lost: \"Web\" to \"Only DB\"");
    h.get_by_label("Lost: \"App\" to \"Only DB\"");
    // The drill is not an edit: nothing to undo, the board is unchanged, and Shift+F8 clears it.
    assert_eq!(
        h.state().board.doc.state_id(),
        before,
        "the drill is not an edit"
    );
    h.key_press_modifiers(egui::Modifiers::SHIFT, Key::F8);
    h.run_steps(2);
    assert!(h.state().design.drill().is_none());
    assert!(h.state().canvas.design.is_none());
}

#[test]
fn a_replicated_service_survives_in_the_drill_from_the_context_menu() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    let ids = add_blocks(
        &mut h,
        &[
            ("client", "Web", Props::default()),
            (
                "service",
                "API",
                Props {
                    instances: Some(2),
                    ..Props::default()
                },
            ),
            ("database", "DB", replicated()),
        ],
    );
    connect(&mut h, &[(ids[0], ids[1]), (ids[1], ids[2])]);
    h.run_steps(2);
    // Right-click the API block, choose the drill item.
    let view = h.state().canvas.view();
    let rect = h.state().board.doc.board().blocks[&ids[1]].rect;
    let at = view.to_screen(rect.center());
    click(&mut h, at);
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Secondary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(1);
    h.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Secondary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(2);
    assert!(egui::Popup::is_any_open(&h.ctx), "the context menu is open");
    h.get_by_label_contains("Fail or restore selection (drill)")
        .click();
    h.run_steps(3);
    let drill = h.state().design.drill().expect("drill").clone();
    assert!(drill.lost.is_empty());
    assert_eq!(
        drill.survived,
        vec![(
            ids[0],
            ids[2],
            archboard::review::Survival::Replicas(ids[1])
        )]
    );
    assert!(drill.degraded.contains(&ids[1]));
}

#[test]
fn the_overlay_shows_load_and_the_estimator_its_numbers() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    let ids = add_blocks(
        &mut h,
        &[
            ("client", "Web", Props::default()),
            ("service", "API", Props::default()),
        ],
    );
    connect(&mut h, &[(ids[0], ids[1])]);
    h.run_steps(2);
    assert!(h.state().canvas.design.is_none(), "off until asked for");
    h.key_press(Key::F7);
    h.run_steps(2);
    let design = h.state().canvas.design.clone().expect("overlay on");
    let review = design.review.clone().expect("with the review");
    // Default estimate: 10M requests a day at a peak factor of 3 ≈ 347 req/s into the API.
    let api = review.load[&ids[1]];
    assert!((api.rps - 347.2).abs() < 0.1, "{}", api.rps);
    // The estimator panel shows its outputs, with the formula on hover.
    h.get_by_label("Reads, average");
    h.get_by_label("Instances needed");
    // Changing an input is one undoable edit, and the numbers follow.
    let mut inputs = h.state().board.doc.board().estimate.clone();
    inputs.peak_factor = 6.0;
    h.state_mut()
        .board
        .doc
        .apply(Edit::SetEstimate(inputs))
        .expect("edit");
    h.run_steps(2);
    let review = h
        .state()
        .canvas
        .design
        .clone()
        .and_then(|d| d.review.clone())
        .expect("review");
    assert!((review.load[&ids[1]].rps - 694.4).abs() < 0.1);
    h.key_press(Key::F7);
    h.run_steps(2);
    assert!(h.state().canvas.design.is_none());
}
