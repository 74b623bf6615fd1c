//! `archboard serve` as a server process: stopped the way process managers stop it, SIGTERM
//! (systemd, `docker stop`) or SIGINT (Ctrl+C), right after a push, it writes every changed
//! room, exits 0, and a new relay on the same folder serves the pushed board; it serves
//! `wss://` itself with a certificate; and `archboard loadtest` against it loses no edit.
//! Loopback only; every wait is bounded.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A relay process and the lines it printed so far.
struct Serve {
    child: Child,
    port: u16,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path) -> Serve {
    serve_with(dir, &[])
}

fn serve_with(dir: &Path, extra: &[&std::ffi::OsStr]) -> Serve {
    let mut child = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["serve", "--bind", "127.0.0.1", "--port", "0", "--dir"])
        .arg(dir)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let out = child.stdout.take().expect("stdout");
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let port = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .expect("the relay says where it listens");
        // "2026-12-04T23:40:00Z archboard relay listening on 127.0.0.1:PORT"
        if let Some(addr) = line.split("listening on ").nth(1) {
            let port = addr.rsplit(':').next().and_then(|p| p.trim().parse().ok());
            break port.expect("a port");
        }
    };
    Serve { child, port, lines }
}

/// Sends `signal` (`TERM`, `INT`) and waits, at most 10 s, for the relay to exit.
fn stop_with(serve: &mut Serve, signal: &str) -> (std::process::ExitStatus, Vec<String>) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(serve.child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = serve.child.try_wait().expect("wait") {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the relay did not stop within 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut said = Vec::new();
    while let Ok(line) = serve.lines.recv_timeout(Duration::from_millis(200)) {
        said.push(line);
    }
    (exit, said)
}

fn run(args: &[&std::ffi::OsStr]) -> String {
    let out = common::archboard(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn sigterm_and_sigint_right_after_a_push_write_every_room() {
    let os = common::os;
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/news-feed.ron");
    for signal in ["TERM", "INT"] {
        let dir = tempfile::tempdir().expect("tmp");
        let rooms = ["one", "two", "three"];
        let mut relay = serve(dir.path());
        for room in rooms {
            let url = format!("ws://127.0.0.1:{}/{room}", relay.port);
            run(&[os("push"), example.as_os_str(), os(&url)]);
        }
        // At once: rooms are written every 250 ms, so without the handler they were lost.
        let (exit, said) = stop_with(&mut relay, signal);
        assert!(exit.success(), "SIG{signal}: exit {exit:?}; said {said:?}");
        assert!(
            said.iter().any(|l| l.contains("stopping: no new peers")),
            "SIG{signal}: {said:?}"
        );
        assert!(said.iter().any(|l| l.ends_with(" stopped")), "{said:?}");
        // Every line is stamped with the time.
        assert!(
            said.iter().all(|l| l.starts_with("20") && l.contains('T')),
            "{said:?}"
        );
        for room in rooms {
            assert!(
                dir.path().join(format!("{room}.ydoc")).exists(),
                "SIG{signal}: room {room} was not written"
            );
        }
        drop(relay);
        let relay = serve(dir.path());
        for room in rooms {
            let out = dir.path().join(format!("{room}.ron"));
            let url = format!("ws://127.0.0.1:{}/{room}", relay.port);
            run(&[os("pull"), os(&url), os("-o"), out.as_os_str()]);
            let check = run(&[os("check"), out.as_os_str()]);
            assert!(
                check.contains("18 blocks, 21 links"),
                "SIG{signal} {room}: {check}"
            );
        }
    }
}

/// `archboard loadtest` against a relay: every edit reaches the other peer of its room, and
/// the numbers come out in the documented form.
#[test]
fn a_small_load_test_loses_no_edit() {
    let dir = tempfile::tempdir().expect("tmp");
    let relay = serve(dir.path());
    let url = format!("ws://127.0.0.1:{}", relay.port);
    let os = common::os;
    let out = run(&[
        os("loadtest"),
        os(&url),
        os("--rooms"),
        os("3"),
        os("--peers"),
        os("2"),
        os("--rate"),
        os("5"),
        os("--seconds"),
        os("2"),
    ]);
    assert!(
        out.starts_with("3 rooms × 2 peers × 5 edits/s for 2 s: "),
        "{out}"
    );
    assert!(out.contains(" p99 ") && out.contains(" ms;"), "{out}");
    assert!(out.trim_end().ends_with("; 0 lost"), "{out}");
    // 3 rooms × 2 peers × 5 a second × 2 s, give or take the last tick.
    let edits: usize = out
        .split(": ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("an edit count");
    assert!((54..=60).contains(&edits), "{out}");
}

/// A certificate authority and a certificate it signed for `localhost`, as PEM files in `dir`:
/// (authority, certificate, key).
fn certificates(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let ca_key = KeyPair::generate().expect("key");
    let mut ca_params = CertificateParams::new(Vec::new()).expect("params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("authority");
    let key = KeyPair::generate().expect("key");
    let cert = CertificateParams::new(vec!["localhost".to_owned()])
        .expect("params")
        .signed_by(&key, &ca, &ca_key)
        .expect("certificate");
    let paths = (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&paths.0, ca.pem()).expect("write");
    std::fs::write(&paths.1, cert.pem()).expect("write");
    std::fs::write(&paths.2, key.serialize_pem()).expect("write");
    paths
}

#[test]
fn the_relay_serves_wss_itself_to_clients_that_trust_its_certificate() {
    let dir = tempfile::tempdir().expect("tmp");
    let (ca, cert, key) = certificates(dir.path());
    let rooms = dir.path().join("rooms");
    let relay = serve_with(
        &rooms,
        &[
            common::os("--tls-cert"),
            cert.as_os_str(),
            common::os("--tls-key"),
            key.as_os_str(),
        ],
    );
    let url = format!("wss://localhost:{}/secure", relay.port);
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/news-feed.ron");
    let archboard_trusting = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_archboard"))
            .args(args)
            .env("ARCHBOARD_TLS_CA", &ca)
            .output()
            .expect("runs")
    };
    let out = archboard_trusting(&[common::os("push"), example.as_os_str(), common::os(&url)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back = dir.path().join("back.ron");
    let out = archboard_trusting(&[
        common::os("pull"),
        common::os(&url),
        common::os("-o"),
        back.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = run(&[common::os("check"), back.as_os_str()]);
    assert!(check.contains("18 blocks, 21 links"), "{check}");
    // A client that does not trust the certificate is told so, and quickly.
    let start = Instant::now();
    let out = common::archboard(&[common::os("push"), example.as_os_str(), common::os(&url)]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "an untrusted certificate was accepted"
    );
    assert!(
        said.contains("its certificate was refused") && said.contains("ARCHBOARD_TLS_CA"),
        "{said}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "{:?}",
        start.elapsed()
    );
    // A missing key file is a one-line error.
    let out = common::archboard(&[
        common::os("serve"),
        common::os("--tls-cert"),
        cert.as_os_str(),
        common::os("--tls-key"),
        dir.path().join("none.pem").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.starts_with("error: cannot serve TLS:") && said.trim().lines().count() == 1,
        "{said}"
    );
}
