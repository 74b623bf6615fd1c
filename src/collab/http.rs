//! Plain HTTP on the rooms' port: a request that does not ask to upgrade to a WebSocket is
//! answered here (`GET /health` for process managers and load balancers) instead of being
//! refused by the WebSocket handshake.

use std::io::{self, Write};

/// Longest request head read; a longer one is left to the WebSocket handshake to refuse.
pub const MAX_HEAD: usize = 8 * 1024;

/// The parts of a request head the relay looks at.
#[derive(Debug, PartialEq)]
pub struct Head {
    pub method: String,
    pub path: String,
    /// Whether it asks for a WebSocket (`Upgrade: websocket`).
    pub upgrade: bool,
    /// The encodings the client takes (`Accept-Encoding`), for precompressed files.
    pub accept_encoding: String,
    /// Bytes up to and including the blank line.
    pub len: usize,
}

/// Reads a complete head from the start of `bytes`, or `None` while it is incomplete.
pub fn parse_head(bytes: &[u8]) -> Option<Head> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let text = String::from_utf8_lossy(&bytes[..end]);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let mut upgrade = false;
    let mut accept_encoding = String::new();
    for (k, v) in lines.filter_map(|l| l.split_once(':')) {
        let (k, v) = (k.trim(), v.trim());
        if k.eq_ignore_ascii_case("upgrade") && v.eq_ignore_ascii_case("websocket") {
            upgrade = true;
        } else if k.eq_ignore_ascii_case("accept-encoding") {
            v.clone_into(&mut accept_encoding);
        }
    }
    Some(Head {
        method,
        path,
        upgrade,
        accept_encoding,
        len: end,
    })
}

/// Writes a complete response to a request whose head has been read.
pub fn respond(
    stream: &mut impl Write,
    head: &Head,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    respond_with(
        stream,
        head,
        status,
        &[("Content-Type", content_type)],
        body,
    )
}

/// [`respond`] with the headers given (a type, an encoding…).
pub fn respond_with(
    stream: &mut impl Write,
    head: &Head,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<()> {
    let len = body.len();
    let body = if head.method == "HEAD" { &[][..] } else { body };
    write!(stream, "HTTP/1.1 {status}\r\n")?;
    for (k, v) in headers {
        write!(stream, "{k}: {v}\r\n")?;
    }
    write!(
        stream,
        "Content-Length: {len}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
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
