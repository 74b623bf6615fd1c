//! Plain HTTP on the rooms' port: a request that does not ask to upgrade to a WebSocket is
//! answered here (`GET /health` for process managers and load balancers) instead of being
//! refused by the WebSocket handshake.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Longest request head read; a longer one is left to the WebSocket handshake to refuse.
pub const MAX_HEAD: usize = 8 * 1024;

/// The parts of a request head the relay looks at.
#[derive(Debug, PartialEq)]
pub struct Head {
    pub method: String,
    pub path: String,
    /// Whether it asks for a WebSocket (`Upgrade: websocket`).
    pub upgrade: bool,
    /// Bytes up to and including the blank line.
    pub len: usize,
}

/// Looks at the request head without taking it off the stream, so a WebSocket handshake can
/// still read it. `None` when the client sent no complete head within `wait` or within
/// [`MAX_HEAD`] bytes (a slow or odd client: the handshake then refuses it), or when `stop`
/// is set (the relay is shutting down and will not wait for it).
pub fn peek_head(
    stream: &TcpStream,
    wait: Duration,
    stop: &AtomicBool,
) -> io::Result<Option<Head>> {
    let deadline = Instant::now() + wait;
    let mut buf = vec![0u8; MAX_HEAD];
    // Short reads, so a shutdown is noticed while a client says nothing.
    stream.set_read_timeout(Some(Duration::from_millis(50)))?;
    loop {
        if stop.load(Ordering::Relaxed) || Instant::now() >= deadline {
            return Ok(None);
        }
        let n = match stream.peek(&mut buf) {
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(e) => return Err(e),
        };
        if n == 0 {
            return Ok(None);
        }
        if let Some(head) = parse_head(&buf[..n]) {
            return Ok(Some(head));
        }
        if n == buf.len() {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Reads a complete head from the start of `bytes`, or `None` while it is incomplete.
pub fn parse_head(bytes: &[u8]) -> Option<Head> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let text = String::from_utf8_lossy(&bytes[..end]);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let upgrade = lines.any(|l| {
        l.split_once(':').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("upgrade") && v.trim().eq_ignore_ascii_case("websocket")
        })
    });
    Some(Head {
        method,
        path,
        upgrade,
        len: end,
    })
}

/// Takes a peeked head off the stream, so what follows it can be written.
pub fn take_head(stream: &mut impl Read, head: &Head) -> io::Result<()> {
    let mut taken = vec![0u8; head.len];
    stream.read_exact(&mut taken)
}

/// Writes a complete response to a request whose head has been read.
pub fn respond(
    stream: &mut impl Write,
    head: &Head,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    let body = if head.method == "HEAD" { &[][..] } else { body };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_is_read_only_once_complete_and_upgrades_are_told_apart() {
        assert_eq!(parse_head(b"GET /health HTTP/1.1\r\nHost: x\r\n"), None);
        let h = parse_head(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\nrest").expect("complete");
        assert_eq!((h.method.as_str(), h.path.as_str()), ("GET", "/health"));
        assert!(!h.upgrade);
        assert_eq!(h.len, 33);
        let ws = parse_head(
            b"GET /room HTTP/1.1\r\nConnection: Upgrade\r\nupgrade:  WebSocket \r\n\r\n",
        )
        .expect("complete");
        assert!(ws.upgrade);
        assert_eq!(parse_head(b"\r\n\r\n"), None, "no request line");
    }
}
