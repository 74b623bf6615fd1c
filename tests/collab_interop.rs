//! archboard with the Yjs ecosystem's own relay (the npm `y-websocket` 1.5 server) and its own
//! library (`yjs`, read from Node): `push` then `pull` through it gives back the same board, and
//! a JavaScript peer sees the document layout the README describes.
//!
//! Needs Node.js and `npm install y-websocket@1.5.4 yjs@13 ws` in the folder named by
//! `ARCHBOARD_NPM_DIR` (default `$HOME/.cache/archboard/npm`), as `.ci/run` prepares it. Where
//! they are missing the test says so and passes, unless `ARCHBOARD_INTEROP_REQUIRED` is set
//! (CI sets it).

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The relay's server script and Node, or why the test cannot run.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let modules = common::npm_dir().join("node_modules");
    let server = modules.join("y-websocket/bin/server.js");
    if !server.exists() {
        return Err(format!("{} is missing", server.display()));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not installed".into());
    }
    Ok((PathBuf::from("node"), modules))
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_relay(node: &Path, modules: &Path) -> (Server, u16) {
    let port = free_port();
    let mut child = Command::new(node)
        .arg(modules.join("y-websocket/bin/server.js"))
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env_remove("YPERSISTENCE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start y-websocket-server");
    let out = child.stdout.take().expect("stdout");
    let server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.contains("running at") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("y-websocket-server to say it is running");
    (server, port)
}

fn archboard(args: &[&str]) -> std::process::Output {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(args)
        .env_remove("DISPLAY")
        .output()
        .expect("run archboard");
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{args:?} took too long"
    );
    out
}

#[test]
fn push_and_pull_through_the_npm_relay_and_read_it_from_yjs() {
    let (node, modules) = match tools() {
        Ok(t) => t,
        Err(why) if std::env::var_os("ARCHBOARD_INTEROP_REQUIRED").is_none() => {
            eprintln!("skipping the y-websocket interop test: {why}");
            return;
        }
        Err(why) => panic!("the interop test must run here, but {why}"),
    };
    let (_server, port) = start_relay(&node, &modules);
    let dir = tempfile::tempdir().expect("tmp");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/url-shortener.ron");
    let url = format!(
        "ws://127.0.0.1:{port}/interop-{}",
        archboard::collab::url::new_room_name()
    );
    let push = archboard(&["push", example.to_str().expect("utf8"), &url]);
    assert!(
        push.status.success(),
        "{}",
        String::from_utf8_lossy(&push.stderr)
    );
    let pulled = dir.path().join("pulled.ron");
    // The same room written as a Hocuspocus address: refused at once, with the fix.
    let wrong = url.replace("ws://", "hocuspocus+ws://");
    let start = Instant::now();
    let refused = archboard(&["pull", &wrong, "-o", pulled.to_str().expect("utf8")]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && said.contains("ws://HOST:PORT/ROOM"),
        "{said}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(!pulled.exists(), "nothing written");
    let pull = archboard(&["pull", &url, "-o", pulled.to_str().expect("utf8")]);
    assert!(
        pull.status.success(),
        "{}",
        String::from_utf8_lossy(&pull.stderr)
    );

    let original = archboard::persistence::load_board(&example).expect("example");
    let back = archboard::persistence::load_board(&pulled).expect("the pulled board checks");
    assert_eq!(back.blocks, original.blocks);
    assert_eq!(back.links, original.links);
    assert_eq!(back.estimate, original.estimate);
    assert_eq!(back.title, original.title);

    // A JavaScript peer reading the same room with Yjs sees the README's layout.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/read_room.js");
    let room = url.rsplit('/').next().expect("room");
    let js = Command::new(&node)
        .arg(&script)
        .arg(format!("ws://127.0.0.1:{port}"))
        .arg(room)
        .env("NODE_PATH", &modules)
        .output()
        .expect("run node");
    assert!(
        js.status.success(),
        "{}",
        String::from_utf8_lossy(&js.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&js.stdout).expect("JSON from the script");
    for (id, b) in &original.blocks {
        let entry = &doc["blocks"][id.0.to_string()]["map"];
        assert_eq!(entry["kind"], b.kind.as_str(), "{id}");
        assert_eq!(entry["label"]["text"], b.label.as_str(), "{id}");
        assert_eq!(entry["pos"][0].as_f64(), Some(f64::from(b.rect.x)), "{id}");
        assert_eq!(entry["pos"][1].as_f64(), Some(f64::from(b.rect.y)), "{id}");
        assert_eq!(entry["size"][0].as_f64(), Some(f64::from(b.rect.w)), "{id}");
        for tick in &b.checked {
            assert_eq!(entry[format!("tick:{tick}")], true, "{id} {tick}");
        }
    }
    for (id, l) in &original.links {
        let entry = &doc["links"][id.0.to_string()]["map"];
        assert_eq!(entry["from"], l.from.block.0.to_string());
        assert_eq!(entry["to"], l.to.block.0.to_string());
        assert_eq!(entry["label"]["text"], l.label.as_str());
    }
    assert_eq!(doc["board"]["layout"].as_f64(), Some(1.0));
    assert_eq!(
        doc["estimate"]["daily_active_users"].as_f64(),
        Some(original.estimate.daily_active_users)
    );
}
