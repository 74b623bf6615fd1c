//! Two app windows in one test, in one room through an in-process relay on 127.0.0.1: what one
//! person does, the other sees.

mod common;

use archboard::app::{ArchboardApp, Profile, Settings};
use archboard::collab::presence::Role;
use archboard::collab::relay::{Relay, RelayOptions};
use archboard::collab::{RoomUrl, Session};
use archboard::model::{Board, Document, Edit};
use egui::{Key, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;
use std::time::{Duration, Instant};

type H = Harness<'static, ArchboardApp>;

fn window(name: &str, color: &str, setup: impl FnOnce(ArchboardApp) -> ArchboardApp) -> H {
    let settings = Settings {
        profile: Some(Profile {
            name: name.into(),
            color: color.into(),
        }),
        ..Settings::default()
    };
    let app = setup(ArchboardApp::with_settings(settings, None));
    Harness::builder()
        .with_size(common::SIZE)
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut ArchboardApp| app.show(ui), app)
}

/// Steps both windows until `cond` holds, failing after 10 s.
fn until(a: &mut H, b: &mut H, what: &str, cond: impl Fn(&ArchboardApp, &ArchboardApp) -> bool) {
    let start = Instant::now();
    while !cond(a.state(), b.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        a.step();
        b.step();
        std::thread::sleep(Duration::from_millis(3));
    }
}

fn relay(opts: RelayOptions) -> Relay {
    Relay::start(
        RelayOptions {
            bind: "127.0.0.1".into(),
            port: 0,
            ..opts
        },
        Arc::new(|_| {}),
    )
    .expect("relay")
}

fn url(relay: &Relay, room: &str, query: &str) -> RoomUrl {
    RoomUrl::parse(&format!(
        "ws://127.0.0.1:{}/{room}{query}",
        relay.addr().port()
    ))
    .expect("url")
}

fn synced(app: &ArchboardApp) -> bool {
    app.session().is_some_and(Session::is_synced)
}

/// The room's board as a third peer pulls it.
fn pull(url: &RoomUrl) -> Board {
    let mut doc = Document::new(Board::default());
    let mut s = Session::join(url.clone(), &mut doc, false, "{}".into(), Arc::new(|| {}));
    let round = s
        .wait_for_sync(&mut doc, Duration::from_secs(5))
        .expect("sync");
    round.replace.unwrap_or_default()
}

#[test]
fn two_windows_share_blocks_moves_pointers_ticks_and_the_timer() {
    let server = relay(RelayOptions::default());
    let room = url(&server, "mock", "");
    let mut a = window("Ana", "#e8590c", |app| app.join_on_start(room.clone()));
    let mut b = window("Ben", "#2b8a3e", |app| app.join_on_start(room.clone()));
    until(&mut a, &mut b, "both in the room", |a, b| {
        synced(a) && synced(b)
    });

    // A places a load balancer: B shows it.
    a.hover_at(Pos2::new(600.0, 400.0));
    a.run_steps(1);
    a.key_press(Key::L);
    a.run_steps(2);
    a.key_press(Key::Escape);
    a.run_steps(1);
    until(&mut a, &mut b, "the block on B", |_, b| {
        b.board.doc.board().blocks.len() == 1
    });
    let id = *b
        .state()
        .board
        .doc
        .board()
        .blocks
        .keys()
        .next()
        .expect("block");
    assert_eq!(
        b.state().board.doc.board().blocks[&id].kind,
        "load_balancer"
    );

    // B drags it: A's block moves.
    let before = a.state().board.doc.board().blocks[&id].rect;
    let from = b.state().canvas.view().to_screen(before.center());
    common::drag(&mut b, from, from + egui::vec2(120.0, 60.0));
    until(&mut a, &mut b, "the move on A", |a, b| {
        let (ra, rb) = (
            a.board.doc.board().blocks[&id].rect,
            b.board.doc.board().blocks[&id].rect,
        );
        ra == rb && ra != before
    });

    // A's pointer shows on B's canvas, with A's name.
    a.hover_at(Pos2::new(420.0, 300.0));
    until(&mut a, &mut b, "A's pointer on B", |_, b| {
        b.canvas
            .peers
            .iter()
            .any(|p| p.name == "Ana" && p.pointer.is_some())
    });
    b.run_steps(2);
    assert!(
        b.query_by_label("Pointer of Ana").is_some(),
        "B's canvas shows A's pointer, named"
    );

    // B ticks a lens item: A sees it ticked.
    b.state_mut().canvas.selection.only_block(id);
    b.run_steps(3);
    b.get_by_role_and_label(
        egui::accesskit::Role::CheckBox,
        "Which balancing algorithm?",
    )
    .click();
    b.run_steps(2);
    until(&mut a, &mut b, "the tick on A", |a, _| {
        !a.board.doc.board().blocks[&id].checked.is_empty()
    });

    // A starts the timer: it runs in B.
    a.key_press(Key::F5);
    a.run_steps(2);
    assert!(a.state().timer.is_running());
    until(&mut a, &mut b, "B's timer to run", |_, b| {
        b.timer.is_running()
    });
    a.key_press(Key::F5);
    a.run_steps(2);
    until(&mut a, &mut b, "B's timer to pause", |_, b| {
        !b.timer.is_running()
    });
    assert!(
        b.state().board.doc.board().timer.elapsed_ms() > 0,
        "the time spent is shared"
    );
}

#[test]
fn private_notes_never_enter_the_room_and_viewers_cannot_edit_it() {
    let server = relay(RelayOptions {
        token: Some("edit".into()),
        view_token: Some("watch".into()),
        ..RelayOptions::default()
    });
    let room = url(&server, "interview", "?token=edit");
    let mut cand = window("Cleo", "#1098ad", |app| app.join_on_start(room.clone()));
    let mut int = window("Ivan", "#ae3ec9", |mut app| {
        app.join(room.clone(), Role::Interviewer);
        app
    });
    until(&mut cand, &mut int, "both in the room", |a, b| {
        synced(a) && synced(b)
    });
    cand.hover_at(Pos2::new(600.0, 400.0));
    cand.run_steps(1);
    cand.key_press(Key::D);
    cand.run_steps(2);
    cand.key_press(Key::Escape);
    until(
        &mut cand,
        &mut int,
        "the block on the interviewer's board",
        |_, b| b.board.doc.board().blocks.len() == 1,
    );
    let id = *int
        .state()
        .board
        .doc
        .board()
        .blocks
        .keys()
        .next()
        .expect("block");

    // The interviewer writes a private note in the sidebar.
    int.state_mut().canvas.selection.only_block(id);
    int.run_steps(3);
    assert!(
        int.query_by_label_contains("never shared").is_some(),
        "the sidebar says it stays here"
    );
    let secret = "weak on replication: probe failover";
    int.state_mut()
        .board
        .doc
        .apply(Edit::SetPrivateNote {
            block: Some(id),
            text: secret.into(),
        })
        .expect("note");
    for _ in 0..30 {
        int.step();
        cand.step();
    }
    // The shared document, inspected directly, has no trace of it; the candidate has none.
    let shared = int.state().session().expect("in the room").shared();
    let state = shared.diff(&yrs::StateVector::default());
    assert!(!String::from_utf8_lossy(&state).contains("probe failover"));
    let pulled = pull(&room);
    assert!(pulled.private.is_empty());
    assert!(cand.state().board.doc.board().private.is_empty());
    assert_eq!(
        int.state().board.doc.board().private.blocks[&id],
        secret,
        "it stays on the interviewer's board"
    );

    // A viewer's window is read-only, and the relay refuses a viewer's edits anyway.
    let watch = url(&server, "interview", "?token=watch&role=viewer");
    let mut viewer = window("Vera", "#495057", |app| app.join_on_start(watch.clone()));
    until(&mut viewer, &mut cand, "the viewer in the room", |v, _| {
        synced(v) && v.board.doc.board().blocks.len() == 1
    });
    viewer.hover_at(Pos2::new(300.0, 300.0));
    viewer.run_steps(1);
    viewer.key_press(Key::Q);
    viewer.run_steps(3);
    assert_eq!(
        viewer.state().board.doc.board().blocks.len(),
        1,
        "a viewer's window places nothing"
    );
    // Even a client that ignores the link's role gets nowhere: the relay goes by the token.
    let sneaky = url(&server, "interview", "?token=watch");
    let mut doc = Document::new(Board::default());
    let mut s = Session::join(sneaky, &mut doc, false, "{}".into(), Arc::new(|| {}));
    let round = s
        .wait_for_sync(&mut doc, Duration::from_secs(5))
        .expect("sync");
    let mut doc = Document::new(round.replace.unwrap_or_default());
    let nid = doc.new_block_id();
    doc.apply(Edit::Insert {
        blocks: vec![archboard::model::Block::new(
            nid,
            "queue",
            "sneaky",
            archboard::model::Rect::new(0.0, 0.0, 100.0, 50.0),
        )],
        links: vec![],
    })
    .expect("locally it applies");
    s.round(&mut doc);
    s.confirm(&mut doc, Duration::from_secs(5))
        .expect("the relay answered");
    let on_relay = pull(&room);
    assert_eq!(
        on_relay.blocks.len(),
        1,
        "the relay kept the viewer's block out"
    );
}

#[test]
fn joining_on_start_with_a_file_puts_that_board_in_an_empty_room() {
    let server = relay(RelayOptions::default());
    let room = url(&server, "seeded", "");
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("mine.ron");
    let mut board = Board::default();
    board.blocks.insert(
        archboard::model::BlockId(1),
        archboard::model::Block::new(
            archboard::model::BlockId(1),
            "cache",
            "Redis",
            archboard::model::Rect::new(0.0, 0.0, 120.0, 60.0),
        ),
    );
    archboard::persistence::save_board(&file, &board).expect("save");
    let settings = Settings::default();
    let app = ArchboardApp::with_settings(settings, Some(file)).join_on_start(room.clone());
    let mut a: H = Harness::builder()
        .with_size(common::SIZE)
        .build_ui_state(|ui, app: &mut ArchboardApp| app.show(ui), app);
    let start = Instant::now();
    while !synced(a.state()) {
        assert!(start.elapsed() < Duration::from_secs(10), "never joined");
        a.step();
        std::thread::sleep(Duration::from_millis(3));
    }
    a.run_steps(3);
    let pulled = pull(&room);
    assert_eq!(
        pulled.blocks.len(),
        1,
        "the opened file's board is the room's"
    );
    assert_eq!(
        pulled.blocks.values().next().map(|b| b.label.as_str()),
        Some("Redis")
    );
}

#[test]
fn following_someone_tracks_their_view_until_you_move_yourself() {
    let server = relay(RelayOptions::default());
    let room = url(&server, "follow", "");
    let mut a = window("Ana", "#e8590c", |app| app.join_on_start(room.clone()));
    let mut b = window("Ben", "#2b8a3e", |app| app.join_on_start(room.clone()));
    until(&mut a, &mut b, "both in the room", |a, b| {
        synced(a) && synced(b)
    });
    until(&mut a, &mut b, "Ana in Ben's list", |_, b| {
        b.people().iter().any(|(_, name, ..)| name == "Ana")
    });
    b.run_steps(2);
    // Ben clicks Ana's name in the status bar.
    b.get_by_label("Ana").click();
    b.run_steps(2);
    assert!(b.state().following().is_some(), "Ben follows Ana");

    // Ana looks somewhere else, zoomed in: Ben's view goes there too.
    let target = archboard::model::Point::new(5_000.0, -3_000.0);
    {
        let view = a.state().canvas.view();
        let mut cam = a.state().canvas.camera;
        cam.zoom = 2.0;
        a.state_mut().canvas.camera = cam.centred_on(view.screen, target);
    }
    until(&mut a, &mut b, "Ben's view on Ana's", |_, b| {
        let c = b.canvas.view().center_world();
        (c.x - target.x).abs() < 5.0 && (c.y - target.y).abs() < 5.0 && b.canvas.camera.zoom == 2.0
    });

    // Ben zooms out himself: following stops, and Ana's later moves leave his view alone.
    b.hover_at(Pos2::new(500.0, 400.0));
    b.key_press_modifiers(egui::Modifiers::COMMAND, Key::Minus);
    b.run_steps(2);
    assert!(
        b.state().following().is_none(),
        "moving yourself stops following"
    );
    let mine = b.state().canvas.camera;
    {
        let view = a.state().canvas.view();
        let cam = a.state().canvas.camera;
        a.state_mut().canvas.camera =
            cam.centred_on(view.screen, archboard::model::Point::new(0.0, 0.0));
    }
    for _ in 0..30 {
        a.step();
        b.step();
        std::thread::sleep(Duration::from_millis(3));
    }
    assert_eq!(b.state().canvas.camera, mine);
}

/// The room's board replacing this window's goes through the same reset as opening a file: the
/// replay of the old board closes, its clock stops, and a practice board opens on its problem.
#[test]
fn the_rooms_board_replaces_this_one_as_an_opened_file_would() {
    let server = relay(RelayOptions::default());
    let room = url(&server, "practice", "");
    // The room holds a practice board, put there by a third peer.
    let library = archboard::practice::Library::bundled();
    let problem = library.get("url-shortener").expect("problem");
    let practice = archboard::practice::new_board(problem);
    let mut doc = Document::new(Board::default());
    let mut pusher = Session::join(room.clone(), &mut doc, false, "{}".into(), Arc::new(|| {}));
    pusher
        .wait_for_sync(&mut doc, Duration::from_secs(5))
        .expect("sync");
    pusher.replace_room(&practice);
    pusher
        .confirm(&mut doc, Duration::from_secs(5))
        .expect("pushed");

    // This window has a board with history, is replaying it, and its clock runs.
    let mut a = window("Ana", "#e8590c", |app| app);
    a.run_steps(2);
    common::place(&mut a, egui::pos2(500.0, 300.0), Key::L);
    let ctx = a.ctx.clone();
    a.state_mut()
        .run(archboard::command::Command::TimerStartPause, &ctx);
    a.state_mut().run(archboard::command::Command::Replay, &ctx);
    a.run_steps(2);
    assert!(a.state().is_replaying() && a.state().timer.is_running());

    a.state_mut().join(room, Role::Candidate);
    let start = Instant::now();
    while a.state().board.doc.board().practice.is_none() {
        assert!(start.elapsed() < Duration::from_secs(10), "never joined");
        a.step();
        std::thread::sleep(Duration::from_millis(3));
    }
    a.run_steps(3);
    let app = a.state();
    assert!(!app.is_replaying(), "the old board's replay is closed");
    assert!(!app.timer.is_running(), "the old board's clock stopped");
    a.get_by_label_contains("Clarifying questions");
}

#[test]
fn a_laser_stroke_shows_in_the_other_window_in_its_colour_and_fades_leaving_the_board_alone() {
    let server = relay(RelayOptions::default());
    let room = url(&server, "laser", "");
    let mut a = window("Ana", "#e8590c", |app| app.join_on_start(room.clone()));
    let mut b = window("Ben", "#2b8a3e", |app| app.join_on_start(room.clone()));
    until(&mut a, &mut b, "both in the room", |a, b| {
        synced(a) && synced(b)
    });
    common::key_at(&mut a, Pos2::new(500.0, 400.0), Key::K);
    assert_eq!(a.state().canvas.tool, archboard::canvas::Tool::Laser);

    // A holds the button and sweeps across the canvas: B sees the trail while it is drawn.
    let from = Pos2::new(400.0, 300.0);
    a.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    let start = Instant::now();
    let mut step = 0;
    let lit = |b: &ArchboardApp| {
        b.canvas.peers.iter().any(|p| {
            p.name == "Ana"
                && p.color == egui::Color32::from_rgb(0xe8, 0x59, 0x0c)
                && p.laser.iter().filter(|(_, o, _)| *o > 0.0).count() >= 3
        })
    };
    while !lit(b.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for A's trail on B"
        );
        step += 1;
        let x = 400.0 + (step % 60) as f32 * 5.0;
        a.event(egui::Event::PointerMoved(Pos2::new(
            x,
            300.0 + (step % 7) as f32,
        )));
        a.step();
        b.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(a.state().canvas.lasering && !a.state().canvas.laser.is_empty());
    a.event(egui::Event::PointerButton {
        pos: Pos2::new(450.0, 300.0),
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    // Released: within about a second the trail is gone on both sides.
    until(&mut a, &mut b, "the trail to fade on B", |a, b| {
        !a.canvas.lasering
            && b.canvas
                .peers
                .iter()
                .all(|p| p.laser.iter().all(|(_, o, _)| *o <= 0.0))
    });
    // The laser is presence: nothing on the board, nothing to undo, nothing unsaved.
    for h in [&a, &b] {
        let app = h.state();
        assert!(app.board.doc.board().blocks.is_empty());
        assert!(!app.board.doc.can_undo());
    }
}

#[test]
fn a_pen_stroke_reaches_the_other_window_while_it_is_drawn_at_under_a_kilobyte_a_second() {
    let server = relay(RelayOptions::default());
    let room = url(&server, "ink", "");
    let mut a = window("Ana", "#e8590c", |app| app.join_on_start(room.clone()));
    let mut b = window("Ben", "#2b8a3e", |app| app.join_on_start(room.clone()));
    until(&mut a, &mut b, "both in the room", |a, b| {
        synced(a) && synced(b)
    });
    common::key_at(&mut a, Pos2::new(500.0, 400.0), Key::P);
    assert_eq!(a.state().canvas.tool, archboard::canvas::Tool::Pen);
    let before = server.update_bytes();

    // Ana draws for two seconds, a point a frame, the way a hand moves a mouse.
    let ink_on = |app: &ArchboardApp| {
        app.board
            .doc
            .board()
            .blocks
            .values()
            .find(|b| b.is_ink())
            .map_or(0, |b| b.ink.len())
    };
    let from = Pos2::new(300.0, 300.0);
    a.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    let start = Instant::now();
    let mut seen_while_drawing = 0;
    let mut step = 0;
    let mut at = from;
    while start.elapsed() < Duration::from_secs(2) {
        step += 1;
        let t = step as f32 / 60.0;
        at = Pos2::new(300.0 + t * 250.0, 300.0 + (t * 9.0).sin() * 60.0);
        a.event(egui::Event::PointerMoved(at));
        a.step();
        b.step();
        seen_while_drawing = seen_while_drawing.max(ink_on(b.state()));
        std::thread::sleep(Duration::from_millis(14));
    }
    let drawn_for = start.elapsed().as_secs_f64();
    a.event(egui::Event::PointerButton {
        pos: at,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    let points = {
        a.step();
        ink_on(a.state())
    };
    assert!(points > 60, "{points} points drawn");
    assert!(
        seen_while_drawing > 10 && seen_while_drawing < points,
        "B saw the stroke grow while it was drawn ({seen_while_drawing} of {points} points)"
    );
    until(&mut a, &mut b, "the whole stroke on B", |a, b| {
        ink_on(b) == ink_on(a)
    });
    let on_b: Vec<_> = b
        .state()
        .board
        .doc
        .board()
        .blocks
        .values()
        .filter(|x| x.is_ink())
        .cloned()
        .collect();
    let on_a: Vec<_> = a
        .state()
        .board
        .doc
        .board()
        .blocks
        .values()
        .filter(|x| x.is_ink())
        .cloned()
        .collect();
    assert_eq!(on_a, on_b, "the same stroke on both sides");
    assert_eq!(
        on_b[0].ink_color,
        Some([0xe8, 0x59, 0x0c]),
        "in Ana's colour"
    );
    let per_second = (server.update_bytes() - before) as f64 / drawn_for;
    assert!(
        per_second <= 1024.0,
        "{per_second:.0} bytes a second of drawing reached the relay"
    );
}
