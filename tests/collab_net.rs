//! Shared boards over a real relay on loopback: edits flow between clients, survive the relay's
//! restart and the time offline, and hostile peers are refused without disturbing anyone.
//! Everything talks to 127.0.0.1 only, on ports the system picks, and stops by itself.

mod common;

use archboard::collab::relay::{Log, Relay, RelayOptions};
use archboard::collab::{Connection, RoomUrl, Session};
use archboard::model::{Board, Document};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::peer::{Peer, until};

fn relay(port: u16, dir: Option<&std::path::Path>) -> (Relay, Arc<Mutex<Vec<String>>>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let l = Arc::clone(&lines);
    let log: Log = Arc::new(move |line| l.lock().expect("log").push(line));
    let opts = RelayOptions {
        bind: "127.0.0.1".into(),
        port,
        dir: dir.map(|d| d.to_path_buf()),
        ..RelayOptions::default()
    };
    (Relay::start(opts, log).expect("relay starts"), lines)
}

fn room(relay: &Relay) -> RoomUrl {
    RoomUrl::parse(&format!(
        "ws://127.0.0.1:{}/{}",
        relay.addr().port(),
        archboard::collab::url::new_room_name()
    ))
    .expect("url")
}

#[test]
fn edits_flow_both_ways_survive_a_restart_and_time_offline() {
    let dir = tempfile::tempdir().expect("tmp");
    let (server, _) = relay(0, Some(dir.path()));
    let port = server.addr().port();
    let url = room(&server);
    let (mut a, mut b) = (Peer::join(&url), Peer::join(&url));
    until(&mut [&mut a, &mut b], "both in sync", |p| {
        p.iter().all(|p| p.session.is_synced())
    });
    a.add("from A");
    until(&mut [&mut a, &mut b], "A's block on B", |p| {
        p[1].labels() == ["from A"]
    });
    b.add("from B");
    until(&mut [&mut a, &mut b], "B's block on A", |p| {
        p[0].labels().len() == 2
    });

    // The relay goes away; both keep editing.
    server.stop();
    until(&mut [&mut a, &mut b], "both to notice", |p| {
        p.iter()
            .all(|p| matches!(p.session.connection(), Connection::Reconnecting { .. }))
    });
    a.add("offline A");
    b.add("offline B");
    for _ in 0..20 {
        a.round();
        b.round();
    }
    assert!(
        a.session.has_unsent_changes(),
        "A knows its edit has not reached the room"
    );

    // It comes back from its folder, on the same port: both reconnect and merge.
    let (server, _) = relay(port, Some(dir.path()));
    until(&mut [&mut a, &mut b], "both to converge", |p| {
        p.iter().all(|p| p.labels().len() == 4)
    });
    assert_eq!(a.labels(), b.labels());
    assert_eq!(a.labels(), ["from A", "from B", "offline A", "offline B"]);
    until(&mut [&mut a, &mut b], "nothing unsent", |p| {
        p.iter().all(|p| !p.session.has_unsent_changes())
    });

    // A newcomer gets the same board, and it is one a file can hold.
    let mut c = Peer::join(&url);
    until(&mut [&mut c], "the newcomer's sync", |p| {
        p[0].labels().len() == 4
    });
    let text = archboard::persistence::to_ron_string(c.doc.board()).expect("ser");
    archboard::persistence::parse_board(&text, std::path::Path::new("pulled")).expect("valid");
    drop(server);
}

#[test]
fn a_token_is_required_when_set_and_a_wrong_one_is_a_clear_refusal() {
    let opts = RelayOptions {
        bind: "127.0.0.1".into(),
        port: 0,
        token: Some("s3cret".into()),
        ..RelayOptions::default()
    };
    let server = Relay::start(opts, Arc::new(|_| {})).expect("relay");
    let port = server.addr().port();
    for (query, ok) in [("", false), ("?token=nope", false), ("?token=s3cret", true)] {
        let url = RoomUrl::parse(&format!("ws://127.0.0.1:{port}/room1{query}")).expect("url");
        let mut doc = Document::new(Board::default());
        let mut s = Session::join(url, &mut doc, false, "{}".into(), Arc::new(|| {}));
        let r = s.wait_for_sync(&mut doc, Duration::from_secs(5));
        assert_eq!(r.is_ok(), ok, "{query}: {:?}", r.err());
        if let Err(e) = r {
            assert!(e.contains("token"), "{e}");
        }
    }
}

/// A raw WebSocket peer that sends whatever it is told to.
fn raw(
    port: u16,
    room: &str,
) -> tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>> {
    let (ws, _) =
        tungstenite::connect(format!("ws://127.0.0.1:{port}/{room}")).expect("raw peer connects");
    ws
}

fn send(
    ws: &mut tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>,
    bytes: Vec<u8>,
) {
    let _ = ws.send(tungstenite::Message::Binary(bytes.into()));
}

#[test]
fn hostile_peers_are_refused_and_honest_ones_never_notice() {
    use yrs::{Map, Out, Transact};
    let (server, log) = relay(0, None);
    let port = server.addr().port();
    let url = room(&server);
    let mut honest = Peer::join(&url);
    until(&mut [&mut honest], "sync", |p| p[0].session.is_synced());
    honest.add("Cache");
    until(&mut [&mut honest], "sent", |p| {
        !p[0].session.has_unsent_changes()
    });
    let id = *honest.doc.board().blocks.keys().next().expect("block");

    let mut evil = raw(port, &url.room);
    // Random bytes, a truncated update, an unknown message kind.
    send(&mut evil, vec![0xde, 0xad, 0xbe, 0xef, 0x42]);
    send(&mut evil, vec![0, 2, 200, 1, 5]);
    send(&mut evil, vec![9, 9, 9]);
    // An update that is valid Yjs but sets a coordinate to NaN: made by a document that first
    // takes the room's state, so it edits the honest peer's block.
    let shadow = yrs::Doc::new();
    let state = honest.session.shared().diff(&yrs::StateVector::default());
    shadow
        .transact_mut()
        .apply_update(
            <yrs::Update as yrs::updates::decoder::Decode>::decode_v1(&state).expect("state"),
        )
        .expect("apply");
    let before = yrs::ReadTxn::state_vector(&shadow.transact());
    {
        let blocks = shadow.get_or_insert_map("blocks");
        let mut txn = shadow.transact_mut();
        let Some(Out::YMap(b)) = blocks.get(&txn, &id.0.to_string()) else {
            panic!("the block")
        };
        b.insert(
            &mut txn,
            "pos",
            yrs::Any::Array([yrs::Any::from(f64::NAN), yrs::Any::from(0.0)].into()),
        );
        b.insert(&mut txn, "bogus_field", "x");
    }
    let nan = yrs::ReadTxn::encode_diff_v1(&shadow.transact(), &before);
    send(&mut evil, archboard::collab::protocol::update(nan));
    // A message over the size limit: an update inserting ten million blocks would be hundreds
    // of megabytes, far past it.
    send(
        &mut evil,
        vec![0u8; archboard::collab::protocol::MAX_MESSAGE_BYTES + 16],
    );

    let notices = until(&mut [&mut honest], "the refusal", |p| {
        p[0].doc
            .board()
            .block(id)
            .is_some_and(|b| b.rect.x.is_finite())
    });
    // The honest peer refused the NaN, kept its block and stays connected.
    let start = Instant::now();
    let mut seen = notices;
    while !seen.iter().any(|n| n.contains("Refused a change"))
        && start.elapsed() < Duration::from_secs(5)
    {
        seen.extend(honest.round());
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        seen.iter().any(|n| n.contains("Refused a change")),
        "{seen:?}"
    );
    assert_eq!(honest.session.connection(), &Connection::Connected);
    let b = honest.doc.board().block(id).expect("kept");
    assert_eq!((b.label.as_str(), b.rect.x), ("Cache", 0.0));
    // The relay logged each refusal and dropped only the one that went over the limit.
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        let l = log.lock().expect("log");
        if l.iter().any(|x| x.contains("over the limit")) {
            break;
        }
        drop(l);
        std::thread::sleep(Duration::from_millis(20));
    }
    let lines = log.lock().expect("log").clone();
    assert!(
        lines.iter().filter(|l| l.contains("refused")).count() >= 2,
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("over the limit")),
        "{lines:?}"
    );
    // The honest peer wrote its good value back: a newcomer sees a finite position and no junk.
    let mut late = Peer::join(&url);
    until(&mut [&mut honest, &mut late], "the repaired board", |p| {
        p[1].doc.board().block(id).is_some_and(|b| b.rect.x == 0.0)
    });
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("saved.ron");
    archboard::persistence::save_board(&file, honest.doc.board()).expect("save");
    archboard::persistence::load_board(&file).expect("the saved file is valid");
}

/// Two peers join a room of `server`; one's edit reaches the other.
fn an_edit_between_two_peers(server: &Relay) -> (Peer, Peer) {
    let url = room(server);
    let mut a = Peer::join(&url);
    let mut b = Peer::join(&url);
    a.add("api");
    until(&mut [&mut a, &mut b], "the edit", |p| {
        p[1].labels() == ["api"]
    });
    (a, b)
}

/// A plain GET on the rooms' port, as curl or a load balancer's probe sends it.
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer
}

#[test]
fn health_answers_with_rooms_and_peers_while_a_silent_client_waits() {
    let (server, log) = relay(0, None);
    let port = server.addr().port();
    let empty = http_get(port, "/health");
    assert!(empty.starts_with("HTTP/1.1 200 OK"), "{empty}");
    assert!(
        empty.ends_with("{\"status\":\"ok\",\"rooms\":0,\"peers\":0}\n"),
        "{empty}"
    );
    // A client that connects and says nothing holds no one up.
    let _silent = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let (a, b) = an_edit_between_two_peers(&server);
    let busy = http_get(port, "/health?probe=1");
    assert!(busy.contains("\"rooms\":1,\"peers\":2"), "{busy}");
    let other = http_get(port, "/somewhere");
    assert!(other.starts_with("HTTP/1.1 404"), "{other}");
    assert!(other.contains("ws://HOST:PORT/ROOM"), "{other}");
    drop((a, b));
    server.stop();
    assert!(
        !log.lock().expect("log").iter().any(|l| l.contains("HTTP")),
        "answering HTTP is not an error"
    );
}

#[test]
fn one_address_cannot_take_more_than_its_share_of_connections() {
    use std::io::Read;
    let lines = Arc::new(Mutex::new(Vec::new()));
    let l = Arc::clone(&lines);
    let opts = RelayOptions {
        bind: "127.0.0.1".into(),
        port: 0,
        max_per_address: 2,
        ..RelayOptions::default()
    };
    let server = Relay::start(
        opts,
        Arc::new(move |line| l.lock().expect("log").push(line)),
    )
    .expect("relay");
    let port = server.addr().port();
    let connect = || std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let (first, _second) = (connect(), connect());
    std::thread::sleep(Duration::from_millis(100));
    let mut third = connect();
    third
        .set_read_timeout(Some(Duration::from_secs(3)))
        .expect("timeout");
    let mut buf = [0u8; 16];
    assert!(
        matches!(third.read(&mut buf), Ok(0)),
        "the third connection is closed at once"
    );
    let refused = |lines: &Arc<Mutex<Vec<String>>>| {
        lines
            .lock()
            .expect("log")
            .iter()
            .any(|l| l.contains("2 connections from that address already"))
    };
    assert!(refused(&lines), "one log line says why");
    // When one goes, there is room again.
    drop(first);
    let start = Instant::now();
    loop {
        let answer = http_get(port, "/health");
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "room again once a connection went: {answer:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server.stop();
}

#[test]
fn a_peer_that_never_reads_is_let_go_and_holds_up_no_one() {
    use yrs::sync::awareness::AwarenessUpdateEntry;
    let (server, log) = relay(0, None);
    let port = server.addr().port();
    let room = "slowreader";
    // Joins and never reads: what the room sends it piles up in the relay.
    let _stuck = raw(port, room);
    let mut loud = raw(port, room);
    // About 40 MB of presence, far more than the sockets' buffers hold.
    let json = format!("{{\"user\":{{\"name\":\"{}\"}}}}", "x".repeat(2_000));
    let start = Instant::now();
    let mut clock = 0;
    while !log
        .lock()
        .expect("log")
        .iter()
        .any(|l| l.contains("reads slower than the room writes"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the reader was never let go: {:?}",
            log.lock().expect("log")
        );
        for _ in 0..100 {
            clock += 1;
            let update = yrs::sync::AwarenessUpdate {
                clients: [(
                    yrs::ClientID::new(7),
                    AwarenessUpdateEntry {
                        clock,
                        json: json.as_str().into(),
                    },
                )]
                .into(),
            };
            send(&mut loud, archboard::collab::protocol::awareness(update));
        }
        assert!(clock < 100_000, "sent {clock} without the reader let go");
    }
    // The room still answers the peer that reads: a sync request gets its reply at once.
    let sv = yrs::StateVector::default();
    send(&mut loud, archboard::collab::protocol::sync_step1(&sv));
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = loud.get_mut() {
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
    }
    let replied = (0..1000).any(|_| match loud.read() {
        Ok(tungstenite::Message::Binary(b)) => b.first() == Some(&0) && b.get(1) == Some(&1),
        _ => false,
    });
    assert!(replied, "the loud peer's sync was answered");
    assert!(
        http_get(port, "/health").contains("\"peers\":1"),
        "only the reading peer is left"
    );
}

#[test]
fn a_hocuspocus_address_at_this_relay_is_told_to_use_ws_within_seconds() {
    let (server, _) = relay(0, None);
    let url = RoomUrl::parse(&format!(
        "hocuspocus+ws://127.0.0.1:{}/room1",
        server.addr().port()
    ))
    .expect("url");
    let mut doc = Document::new(Board::default());
    let mut s = Session::join(url, &mut doc, false, "{}".into(), Arc::new(|| {}));
    let start = Instant::now();
    let err = s
        .wait_for_sync(&mut doc, Duration::from_secs(10))
        .expect_err("not a Hocuspocus server");
    assert!(err.contains("ws://HOST:PORT/ROOM"), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn the_web_app_is_served_on_the_rooms_port_and_nothing_outside_its_folder() {
    let site = tempfile::tempdir().expect("tmp");
    std::fs::write(site.path().join("index.html"), "<canvas id=archboard>").expect("write");
    std::fs::write(site.path().join("archboard_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
    std::fs::write(site.path().join("archboard_bg.wasm.gz"), b"packed").expect("write");
    let secret = site
        .path()
        .parent()
        .expect("parent")
        .join(format!("archboard-secret-{}", std::process::id()));
    std::fs::write(&secret, "secret").expect("write");
    let opts = RelayOptions {
        bind: "127.0.0.1".into(),
        port: 0,
        web: Some(site.path().to_path_buf()),
        ..RelayOptions::default()
    };
    let server = Relay::start(opts, Arc::new(|_| {})).expect("relay starts");
    let port = server.addr().port();
    let page = http_get(port, "/?room=r1&token=x");
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
    assert!(page.contains("Content-Type: text/html"), "{page}");
    assert!(page.ends_with("<canvas id=archboard>"), "{page}");
    let wasm = http_get(port, "/archboard_bg.wasm");
    assert!(wasm.contains("Content-Type: application/wasm"), "{wasm}");
    assert!(!wasm.contains("Content-Encoding"), "{wasm}");
    // A client that takes gzip gets the precompressed copy.
    let packed = {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            s,
            "GET /archboard_bg.wasm HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n"
        )
        .expect("send");
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer
    };
    assert!(packed.contains("Content-Encoding: gzip"), "{packed}");
    assert!(packed.ends_with("packed"), "{packed}");
    let name = secret
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    for path in [
        format!("/../{name}"),
        format!("/%2e%2e/{name}"),
        "/../../../../etc/passwd".to_owned(),
        "/.hidden".to_owned(),
    ] {
        let answer = http_get(port, &path);
        assert!(answer.starts_with("HTTP/1.1 404"), "{path}: {answer}");
        assert!(
            !answer.contains("secret") && !answer.contains("root:"),
            "{path}"
        );
    }
    // Rooms still work on the same port.
    drop(an_edit_between_two_peers(&server));
    server.stop();
    let _ = std::fs::remove_file(secret);
}
