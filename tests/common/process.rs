//! Servers the interop tests start: killed when the test ends, however it ends.

use std::process::Child;

pub struct Running(pub Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on now (the system picks it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits for a server the test started to answer (`ready`), failing after `limit`.
pub fn wait_for(what: &str, limit: std::time::Duration, ready: impl Fn() -> bool) {
    let since = std::time::Instant::now();
    while !ready() {
        assert!(since.elapsed() < limit, "{what} did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
