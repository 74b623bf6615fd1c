//! The web app in real headless Chromium, served by `archboard serve --web`: a guest with only
//! a browser sees a pushed board, edits it with the same keys, sees a native peer's edit; a
//! watch-only link cannot edit; a solo board survives a reload.
//!
//! Needs the web app built (`bash web/build.sh DIR`, with DIR in `ARCHBOARD_WEB_DIR`),
//! Debian's `chromium`, and `puppeteer-core` in the npm folder (`ARCHBOARD_NPM_DIR`), as
//! `.ci/run` prepares them. Where they are missing the test says so and passes, unless
//! `ARCHBOARD_WEB_REQUIRED` is set (CI sets it).

mod common;

use common::peer::{Peer, until};
use common::process::{Running, free_port, wait_for};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// The built web app and the browser, or why the test cannot run.
fn tools() -> Result<PathBuf, String> {
    let web = std::env::var_os("ARCHBOARD_WEB_DIR")
        .map(PathBuf::from)
        .ok_or("ARCHBOARD_WEB_DIR is not set (bash web/build.sh DIR builds the app)")?;
    if !web.join("archboard_bg.wasm").exists() {
        return Err(format!("{} holds no built web app", web.display()));
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !std::path::Path::new(&chromium).exists() {
        return Err(format!("{chromium} is not installed"));
    }
    if !common::npm_dir()
        .join("node_modules/puppeteer-core")
        .exists()
    {
        return Err("puppeteer-core is not installed in the npm folder".into());
    }
    Ok(web)
}

fn web_dir() -> Option<PathBuf> {
    match tools() {
        Ok(web) => Some(web),
        Err(why) if std::env::var_os("ARCHBOARD_WEB_REQUIRED").is_some() => {
            panic!("the browser test must run here: {why}")
        }
        Err(why) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// Chromium behind the driver script, one command and answer at a time.
struct Browser {
    _process: Running,
    /// The driver's input; closing it makes the driver close Chromium and exit.
    to: Option<ChildStdin>,
    from: std::sync::mpsc::Receiver<String>,
}

impl Browser {
    fn start() -> Self {
        let script = common::npm_script("browser_driver.mjs");
        let mut child = Command::new("node")
            .arg(&script)
            .current_dir(common::npm_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the browser driver");
        let to = child.stdin.take().expect("stdin");
        let out: ChildStdout = child.stdout.take().expect("stdout");
        let (tx, from) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            _process: Running(child),
            to: Some(to),
            from,
        }
    }

    /// Sends a command that must succeed.
    fn ask(&mut self, command: Value) -> Value {
        let answer = self.ask_any(&command);
        assert_eq!(answer["ok"], true, "{command} failed: {answer}");
        answer
    }

    /// Sends a command whose failure is an answer too (a wait that must not come true).
    fn ask_any(&mut self, command: &Value) -> Value {
        let to = self.to.as_mut().expect("the driver's input");
        writeln!(to, "{command}").expect("send to the driver");
        let line = self
            .from
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no answer to {command}"));
        let answer: Value = serde_json::from_str(&line).expect("a JSON answer");
        assert_eq!(
            answer["problems"],
            json!([]),
            "the page reported errors: {answer}"
        );
        answer
    }

    /// Waits until the page shows `blocks` blocks.
    fn expect_blocks(&mut self, page: &str, blocks: u64, what: &str) -> Value {
        let answer = self.ask(json!({"wait": {"blocks": blocks}, "page": page}));
        assert_eq!(answer["blocks"], blocks, "{what}: {answer}");
        answer
    }
}

impl Drop for Browser {
    /// Lets the driver close Chromium itself (a killed driver would leave it running), for at
    /// most 10 s; then the driver is killed as any test process is.
    fn drop(&mut self) {
        drop(self.to.take());
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if self._process.0.try_wait().is_ok_and(|s| s.is_some()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Runs archboard headless and insists that it succeeds.
fn archboard(args: &[&str]) -> std::process::Output {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| common::os(a)).collect();
    let out = common::archboard(&args);
    assert!(
        out.status.success(),
        "archboard {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// How many blocks the room holds, as `archboard pull` sees it.
fn pulled_blocks(url: &str) -> usize {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("pulled.ron");
    archboard(&["pull", url, "-o", file.to_str().expect("utf-8")]);
    archboard::persistence::load_board(&file)
        .expect("the pulled board")
        .blocks
        .len()
}

fn start_relay(web: &std::path::Path) -> (Running, u16) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["serve", "--port", &port.to_string(), "--token", "edit1"])
        .args(["--view-token", "view1", "--max-per-address", "0", "--web"])
        .arg(web)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the relay");
    let running = Running(child);
    wait_for("the relay", Duration::from_secs(10), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    (running, port)
}

#[test]
fn a_browser_guest_edits_a_shared_board_and_keeps_a_solo_one() {
    let Some(web) = web_dir() else {
        return;
    };
    let (_relay, port) = start_relay(&web);
    let room = format!("ws://127.0.0.1:{port}/r1?token=edit1");
    let board = concat!(env!("CARGO_MANIFEST_DIR"), "/saves/news-feed.ron");
    archboard(&["push", board, &room]);
    let pushed = pulled_blocks(&room);

    let mut browser = Browser::start();
    let page = format!("http://127.0.0.1:{port}/?room=r1&token=edit1&name=Guest");
    browser.ask(json!({"open": page, "page": "guest"}));
    browser.expect_blocks(
        "guest",
        pushed as u64,
        "the pushed board appears in the browser",
    );

    // L over the canvas places a load balancer, and the room has it.
    browser.ask(json!({"key": "l", "page": "guest"}));
    browser.expect_blocks(
        "guest",
        pushed as u64 + 1,
        "L places a block in the browser",
    );
    let start = Instant::now();
    while pulled_blocks(&room) != pushed + 1 {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the browser's block did not reach the room"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // A native peer's edit appears in the browser.
    let url = archboard::collab::RoomUrl::parse(&room).expect("room url");
    let mut native = Peer::join(&url);
    until(&mut [&mut native], "the native peer syncs", |p| {
        p[0].doc.board().blocks.len() == pushed + 1
    });
    native.add("Added natively");
    until(&mut [&mut native], "the edit goes out", |p| {
        !p[0].session.has_unsent_changes()
    });
    browser.expect_blocks("guest", pushed as u64 + 2, "a native peer's edit appears");

    // A watch-only link shows the room and cannot edit it. Without `&name=` the page asks
    // for a name first, and Enter takes the one offered.
    let watch = format!("http://127.0.0.1:{port}/?room=r1&token=view1&role=viewer");
    browser.ask(json!({"open": watch, "page": "viewer"}));
    let asked =
        browser.ask_any(&json!({"wait": {"blocks": pushed + 2}, "page": "viewer", "ms": 1500}));
    assert_eq!(
        asked["blocks"], 0,
        "the page joined before a name was given: {asked}"
    );
    browser.ask(json!({"press": "Enter", "page": "viewer"}));
    browser.expect_blocks("viewer", pushed as u64 + 2, "the viewer sees the room");
    browser.ask(json!({"key": "l", "page": "viewer"}));
    std::thread::sleep(Duration::from_millis(1500));
    let seen = browser.ask(json!({"wait": {"blocks": pushed + 2}, "page": "viewer", "ms": 100}));
    assert_eq!(
        seen["blocks"],
        pushed as u64 + 2,
        "a viewer placed a block: {seen}"
    );
    assert_eq!(
        pulled_blocks(&room),
        pushed + 2,
        "a viewer's key reached the room"
    );

    // Without a room the page is a solo board, kept across a reload.
    let solo = format!("http://127.0.0.1:{port}/");
    browser.ask(json!({"open": solo, "page": "solo"}));
    browser.expect_blocks("solo", 0, "a new solo board is empty");
    browser.ask(json!({"key": "d", "page": "solo", "at": [500, 650]}));
    browser.expect_blocks("solo", 1, "D places a database on the solo board");
    std::thread::sleep(Duration::from_millis(1500));
    browser.ask(json!({"reload": "solo"}));
    browser.expect_blocks("solo", 1, "the solo board survives a reload");
}

#[test]
fn a_browser_page_says_what_went_wrong_and_copies_to_the_clipboard() {
    let Some(web) = web_dir() else {
        return;
    };
    let (_relay, port) = start_relay(&web);
    let mut browser = Browser::start();
    let status_has = |b: &mut Browser, page: &str, words: &str| {
        let answer = b.ask(json!({"wait": {"status_has": words}, "page": page}));
        assert_eq!(
            answer["ok"], true,
            "the page never said {words:?}: {answer}"
        );
    };

    // A relay that is not there, and a token the relay refuses: the page says so, no panic.
    let closed = free_port();
    let page = format!("http://127.0.0.1:{port}/?room=r&name=A&relay=ws://127.0.0.1:{closed}");
    browser.ask(json!({"open": page, "page": "nowhere"}));
    status_has(&mut browser, "nowhere", "did not let this page in");
    let page = format!("http://127.0.0.1:{port}/?room=r&name=A&token=wrong");
    browser.ask(json!({"open": page, "page": "refused"}));
    status_has(&mut browser, "refused", "refused this room or its token");
    // A room name with characters a room cannot have is refused before anything is sent.
    let page = format!("http://127.0.0.1:{port}/?room=a%20b&name=A");
    browser.ask(json!({"open": page, "page": "bad"}));
    status_has(&mut browser, "bad", "cannot be joined");

    // Ctrl+O opens the page's file picker, and the board picked opens.
    let solo = format!("http://127.0.0.1:{port}/");
    browser.ask(json!({"open": solo, "page": "solo"}));
    let board = concat!(env!("CARGO_MANIFEST_DIR"), "/saves/news-feed.ron");
    let blocks = archboard::persistence::load_board(std::path::Path::new(board))
        .expect("the example")
        .blocks
        .len();
    browser.ask(json!({"pick": board, "page": "solo"}));
    browser.expect_blocks("solo", blocks as u64, "the picked board opens");

    // Copy as Mermaid and Copy as PNG reach the page's clipboard.
    browser.ask(json!({"key": "q", "page": "solo", "at": [500, 400]}));
    browser.expect_blocks("solo", blocks as u64 + 1, "Q places a queue");
    browser.ask(json!({"keys": ["Control", "Shift", "M"], "page": "solo"}));
    // The copy happens in the page's next frames, which a loaded machine draws slowly.
    let start = Instant::now();
    loop {
        let clip = browser.ask(json!({"clipboard": true, "page": "solo"}));
        if clip["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("flowchart"))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "Copy as Mermaid never reached the clipboard: {clip}"
        );
    }
    browser.ask(json!({"keys": ["Shift", "Alt", "C"], "page": "solo"}));
    let start = Instant::now();
    loop {
        let clip = browser.ask(json!({"clipboard": true, "page": "solo"}));
        if clip["png"].as_u64().is_some_and(|n| n > 1000) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "Copy as PNG never reached the clipboard: {clip}"
        );
    }
}

/// The npm y-websocket server on a free port, or `None` (with the reason) when its package
/// is not installed.
fn y_websocket() -> Option<(Running, u16)> {
    let server = common::npm_dir().join("node_modules/y-websocket/bin/server.js");
    if !server.exists() {
        assert!(
            std::env::var_os("ARCHBOARD_INTEROP_REQUIRED").is_none(),
            "{} is missing",
            server.display()
        );
        eprintln!("skipping: {} is missing", server.display());
        return None;
    }
    let port = free_port();
    let child = Command::new("node")
        .arg(server)
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env_remove("YPERSISTENCE")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start y-websocket-server");
    let running = Running(child);
    wait_for("y-websocket-server", Duration::from_secs(10), || {
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    Some((running, port))
}

/// A Hocuspocus server (tests/interop/hocuspocus_server.mjs) and its port.
fn hocuspocus() -> (Running, u16) {
    let script = common::npm_script("hocuspocus_server.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .current_dir(common::npm_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node starts");
    let out = child.stdout.take().expect("stdout");
    let running = Running(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(port) = line
                .strip_prefix("listening on ")
                .or_else(|| line.split("listening on ").nth(1))
            {
                let _ = tx.send(port.trim().parse::<u16>().ok());
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(15))
        .ok()
        .flatten()
        .expect("Hocuspocus says its port");
    (running, port)
}

#[test]
fn a_browser_guest_joins_rooms_on_y_websocket_and_hocuspocus_with_relay() {
    let Some(web) = web_dir() else {
        return;
    };
    let Some((_ys, ys_port)) = y_websocket() else {
        return;
    };
    let (_hp, hp_port) = hocuspocus();
    let (_relay, port) = start_relay(&web);
    let mut browser = Browser::start();
    for (name, relay) in [
        ("ysocket", format!("ws://127.0.0.1:{ys_port}")),
        ("hocus", format!("hocuspocus+ws://127.0.0.1:{hp_port}")),
    ] {
        let encoded: String = url_encode(&relay);
        let page = format!("http://127.0.0.1:{port}/?relay={encoded}&room=elsewhere&name=G");
        browser.ask(json!({"open": page, "page": name}));
        let joined = browser.ask(json!({"wait": {"status_has": "In the room"}, "page": name}));
        assert_eq!(
            joined["ok"], true,
            "{name}: the page did not join: {joined}"
        );
        browser.ask(json!({"key": "l", "page": name}));
        browser.expect_blocks(name, 1, "L places a block");
        let room = format!("{relay}/elsewhere");
        let start = Instant::now();
        while pulled_blocks(&room) != 1 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{name}: the browser's block did not reach {room}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// `text` as a query value.
fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
