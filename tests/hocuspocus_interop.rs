//! archboard on Hocuspocus (npm `@hocuspocus/server` 4), the Yjs engine teams scale out with:
//! `push`, `pull` and a live edit between two peers through a real server; a token checked by
//! its `onAuthenticate` hook (a wrong one is a clear refusal, quickly); and two Hocuspocus
//! instances joined by `@hocuspocus/extension-redis` on a real `redis-server`, where a board
//! pushed to one is pulled from the other and peers on different instances converge.
//!
//! A room on Hocuspocus is addressed `hocuspocus+ws://HOST:PORT/ROOM` (see the README).
//! Needs Node.js and the npm packages `.ci/run` installs in `ARCHBOARD_NPM_DIR`, and
//! `redis-server` for the Redis part. Without them the test says so and passes, unless
//! `ARCHBOARD_INTEROP_REQUIRED` is set (CI sets it). Everything is on 127.0.0.1 and stops by
//! itself.

mod common;

use common::peer::{Peer, until};
use common::process::{Running, free_port};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The npm folder with Hocuspocus, or why the test cannot run.
fn tools(redis: bool) -> Result<PathBuf, String> {
    let dir = common::npm_dir();
    let mut needed = vec!["@hocuspocus/server"];
    if redis {
        needed.push("@hocuspocus/extension-redis");
    }
    for n in needed {
        if !dir.join("node_modules").join(n).exists() {
            return Err(format!("{n} is not installed in {}", dir.display()));
        }
    }
    if !Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Err("node is not installed".into());
    }
    if redis
        && !Command::new("redis-server")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        return Err("redis-server is not installed".into());
    }
    Ok(dir)
}

fn required(what: &str, r: Result<PathBuf, String>) -> Option<PathBuf> {
    match r {
        Ok(d) => Some(d),
        Err(why) if std::env::var_os("ARCHBOARD_INTEROP_REQUIRED").is_none() => {
            eprintln!("skipping {what}: {why}");
            None
        }
        Err(why) => panic!("{what} must run here, but {why}"),
    }
}

/// Waits (at most 15 s) for a line of `child`'s output containing `marker`; returns the line.
fn wait_for_line(child: &mut Child, marker: &str) -> String {
    let out = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let marker = marker.to_owned();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.contains(&marker) {
                let _ = tx.send(line);
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(15))
        .expect("the server started within 15 s")
}

/// A Hocuspocus server; returns it and its port.
fn hocuspocus(npm: &Path, token: Option<&str>, redis: Option<u16>) -> (Running, u16) {
    let script = common::npm_script("hocuspocus_server.mjs");
    let mut cmd = Command::new("node");
    cmd.arg(&script)
        .current_dir(npm)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(t) = token {
        cmd.env("HOCUSPOCUS_TOKEN", t);
    }
    if let Some(p) = redis {
        cmd.env("REDIS_PORT", p.to_string());
    }
    let mut child = cmd.spawn().expect("node starts");
    let line = wait_for_line(&mut child, "listening on ");
    let port = line
        .rsplit(' ')
        .next()
        .and_then(|p| p.trim().parse().ok())
        .expect("a port");
    (Running(child), port)
}

fn redis_server() -> (Running, u16) {
    let port = free_port();
    let mut child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
        ])
        .args(["--appendonly", "no"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis starts");
    wait_for_line(&mut child, "Ready to accept connections");
    (Running(child), port)
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/url-shortener.ron")
}

/// Runs archboard, returning (success, stdout, stderr), and how long it took.
fn archboard(args: &[&std::ffi::OsStr]) -> (bool, String, String, Duration) {
    let start = Instant::now();
    let out = common::archboard(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed(),
    )
}

fn push(url: &str) -> (bool, String, String, Duration) {
    archboard(&[common::os("push"), example().as_os_str(), common::os(url)])
}

/// Pulls the room into a file and returns `archboard check`'s line for it.
fn pull_counts(url: &str, dir: &Path) -> String {
    let file = dir.join(format!(
        "pulled-{}.ron",
        archboard::collab::url::new_room_name()
    ));
    let (ok, _, err, _) = archboard(&[
        common::os("pull"),
        common::os(url),
        common::os("-o"),
        file.as_os_str(),
    ]);
    assert!(ok, "pull from {url}: {err}");
    let (ok, out, err, _) = archboard(&[common::os("check"), file.as_os_str()]);
    assert!(ok, "{err}");
    out
}

fn room_url(port: u16, token: Option<&str>) -> String {
    let room = archboard::collab::url::new_room_name();
    match token {
        Some(t) => format!("hocuspocus+ws://127.0.0.1:{port}/{room}?token={t}"),
        None => format!("hocuspocus+ws://127.0.0.1:{port}/{room}"),
    }
}

#[test]
fn push_pull_and_a_live_edit_through_hocuspocus() {
    let Some(npm) = required("the Hocuspocus test", tools(false)) else {
        return;
    };
    let (_server, port) = hocuspocus(&npm, None, None);
    let tmp = tempfile::tempdir().expect("tmp");
    let url = room_url(port, None);
    let (ok, out, err, _) = push(&url);
    assert!(ok, "push: {out}{err}");
    assert!(pull_counts(&url, tmp.path()).contains("18 blocks, 18 links"));

    let room = archboard::collab::RoomUrl::parse(&room_url(port, None)).expect("url");
    let (mut a, mut b) = (Peer::join(&room), Peer::join(&room));
    a.add("api");
    until(&mut [&mut a, &mut b], "A's block on B", |p| {
        p[1].labels() == ["api"]
    });
    b.add("db");
    until(&mut [&mut a, &mut b], "B's block on A", |p| {
        p[0].labels() == ["api", "db"]
    });

    // `archboard loadtest` sizes a Hocuspocus server as it does archboard's relay.
    let server = format!("hocuspocus+ws://127.0.0.1:{port}");
    let (ok, out, err, _) = archboard(&[
        common::os("loadtest"),
        common::os(&server),
        common::os("--rooms"),
        common::os("2"),
        common::os("--seconds"),
        common::os("2"),
    ]);
    assert!(ok, "{err}");
    assert!(out.trim_end().ends_with("; 0 lost"), "{out}");
}

#[test]
fn a_javascript_hocuspocus_peer_and_an_archboard_peer_see_each_other_s_edits() {
    let Some(npm) = required("the Hocuspocus provider test", tools(false)) else {
        return;
    };
    let (_server, port) = hocuspocus(&npm, None, None);
    let room = archboard::collab::url::new_room_name();
    let url =
        archboard::collab::RoomUrl::parse(&format!("hocuspocus+ws://127.0.0.1:{port}/{room}"))
            .expect("url");
    let mut ours = Peer::join(&url);
    ours.add("api");
    until(&mut [&mut ours], "our block in the room", |p| {
        p[0].session.is_synced() && p[0].labels() == ["api"]
    });
    let script = common::npm_script("hocuspocus_peer.mjs");
    let js = Command::new("node")
        .arg(&script)
        .arg(format!("ws://127.0.0.1:{port}"))
        .arg(&room)
        .arg("Redis")
        .current_dir(&npm)
        .output()
        .expect("node runs");
    let said = String::from_utf8_lossy(&js.stdout);
    assert!(
        js.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&js.stderr)
    );
    assert_eq!(
        said.trim(),
        r#"["api"]"#,
        "the JavaScript peer reads our block"
    );
    until(&mut [&mut ours], "the JavaScript peer's block", |p| {
        p[0].labels() == ["Redis", "api"]
    });
}

#[test]
fn a_token_checked_by_on_authenticate_lets_the_right_one_in_and_refuses_the_rest() {
    let Some(npm) = required("the Hocuspocus token test", tools(false)) else {
        return;
    };
    let (_server, port) = hocuspocus(&npm, Some("s3cret"), None);
    let tmp = tempfile::tempdir().expect("tmp");
    let url = room_url(port, Some("s3cret"));
    let (ok, out, err, _) = push(&url);
    assert!(ok, "push with the token: {out}{err}");
    assert!(pull_counts(&url, tmp.path()).contains("18 blocks, 18 links"));
    for wrong in [room_url(port, Some("guess")), room_url(port, None)] {
        let (ok, _, err, took) = push(&wrong);
        assert!(!ok, "{wrong} was let in");
        assert!(err.contains("refused") || err.contains("denied"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(
            took < Duration::from_secs(8),
            "refused within seconds: {took:?}"
        );
    }
    // A y-websocket address at a Hocuspocus server: the error names the fix.
    let plain = format!(
        "ws://127.0.0.1:{port}/{}",
        archboard::collab::url::new_room_name()
    );
    let (ok, _, err, took) = push(&plain);
    assert!(!ok && err.contains("hocuspocus+ws://"), "{err}");
    assert!(
        took < Duration::from_secs(6),
        "named within seconds: {took:?}"
    );
}

#[test]
fn two_hocuspocus_instances_on_one_redis_share_a_room() {
    let Some(npm) = required("the Hocuspocus and Redis test", tools(true)) else {
        return;
    };
    let (_redis, redis_port) = redis_server();
    let (_one, port_one) = hocuspocus(&npm, None, Some(redis_port));
    let (_two, port_two) = hocuspocus(&npm, None, Some(redis_port));
    let tmp = tempfile::tempdir().expect("tmp");
    let room = archboard::collab::url::new_room_name();
    let on = |port: u16| format!("hocuspocus+ws://127.0.0.1:{port}/{room}");
    let (ok, out, err, _) = push(&on(port_one));
    assert!(ok, "push to the first instance: {out}{err}");
    assert!(
        pull_counts(&on(port_two), tmp.path()).contains("18 blocks, 18 links"),
        "the second instance serves what was pushed to the first"
    );

    let live = archboard::collab::url::new_room_name();
    let at = |port: u16| {
        archboard::collab::RoomUrl::parse(&format!("hocuspocus+ws://127.0.0.1:{port}/{live}"))
            .expect("url")
    };
    let (mut a, mut b) = (Peer::join(&at(port_one)), Peer::join(&at(port_two)));
    // Both instances hold the document (and listen on Redis for it) once both peers are in;
    // an update published before the other instance subscribed would reach no one.
    until(&mut [&mut a, &mut b], "both peers in the room", |p| {
        p.iter().all(|peer| peer.session.is_synced())
    });
    std::thread::sleep(Duration::from_millis(300));
    a.add("api");
    b.add("cache");
    until(
        &mut [&mut a, &mut b],
        "both blocks on both instances",
        |p| p[0].labels() == ["api", "cache"] && p[1].labels() == ["api", "cache"],
    );
}
