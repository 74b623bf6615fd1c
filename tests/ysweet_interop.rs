//! archboard on y-sweet (the `y-sweet` server from crates.io, 0.9.1), through its documented
//! flow: `ys://HOST:PORT/DOC` creates the document, asks the server for a client token, and
//! opens the WebSocket address the token names. Push, pull and a live edit between two peers.
//!
//! Opt-in: building y-sweet takes minutes, so CI does not. Build it once with
//! `cargo install y-sweet --version 0.9.1 --locked`, then run
//! `ARCHBOARD_YSWEET=$(which y-sweet) cargo test --test ysweet_interop` (or have `y-sweet` on
//! the PATH). Without it the test says so and passes. Loopback only; every wait is bounded.

mod common;

use common::peer::{Peer, until};
use common::process::{Running, free_port};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn binary() -> Option<PathBuf> {
    let chosen = std::env::var_os("ARCHBOARD_YSWEET").map(PathBuf::from);
    let candidate = chosen.unwrap_or_else(|| PathBuf::from("y-sweet"));
    Command::new(&candidate)
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
        .then_some(candidate)
}

/// Whether `GET /ready` answers 200.
fn ready(port: u16) -> bool {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if write!(s, "GET /ready HTTP/1.0\r\nHost: localhost\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200") || answer.starts_with("HTTP/1.0 200")
}

fn start(bin: &Path, store: &Path) -> (Running, u16) {
    let port = free_port();
    let child = Command::new(bin)
        .arg("serve")
        .arg(store)
        .args(["--port", &port.to_string(), "--host", "127.0.0.1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("y-sweet starts");
    let running = Running(child);
    common::process::wait_for("y-sweet", Duration::from_secs(15), || ready(port));
    (running, port)
}

#[test]
fn push_pull_and_a_live_edit_through_y_sweet() {
    let Some(bin) = binary() else {
        eprintln!(
            "skipping the y-sweet test: no y-sweet (cargo install y-sweet --version 0.9.1 --locked)"
        );
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let (_server, port) = start(&bin, &tmp.path().join("store"));
    let os = common::os;
    let url = format!(
        "ys://127.0.0.1:{port}/{}",
        archboard::collab::url::new_room_name()
    );
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/url-shortener.ron");
    let out = common::archboard(&[os("push"), example.as_os_str(), os(&url)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back = tmp.path().join("back.ron");
    let out = common::archboard(&[os("pull"), os(&url), os("-o"), back.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = common::archboard(&[os("check"), back.as_os_str()]);
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("18 blocks, 18 links"),
        "{check:?}"
    );

    let room = archboard::collab::RoomUrl::parse(&format!(
        "ys://127.0.0.1:{port}/{}",
        archboard::collab::url::new_room_name()
    ))
    .expect("url");
    let (mut a, mut b) = (Peer::join(&room), Peer::join(&room));
    a.add("api");
    b.add("db");
    until(&mut [&mut a, &mut b], "both blocks on both peers", |p| {
        p[0].labels() == ["api", "db"] && p[1].labels() == ["api", "db"]
    });
}
