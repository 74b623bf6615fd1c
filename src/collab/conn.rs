//! A relay's connection to one client: plain TCP, or TLS (`wss://` without a proxy in front).
//!
//! A plain request's head is only peeked at, so the WebSocket handshake reads it again. TLS
//! cannot be peeked at, so its head is read first and handed back to the handshake from here.

use std::io::{self, Cursor, Read, Write};
use std::net::TcpStream;

pub type TlsStream = rustls::StreamOwned<rustls::ServerConnection, TcpStream>;

pub enum Conn {
    Plain(TcpStream),
    Tls {
        /// The request head already read, given to the first reads.
        head: Cursor<Vec<u8>>,
        stream: Box<TlsStream>,
    },
}

impl Conn {
    /// The TCP socket underneath, for its timeouts and blocking mode.
    pub fn tcp(&self) -> &TcpStream {
        match self {
            Conn::Plain(s) => s,
            Conn::Tls { stream, .. } => &stream.sock,
        }
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls { head, stream } => {
                if (head.position() as usize) < head.get_ref().len() {
                    return head.read(buf);
                }
                stream.read(buf)
            }
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls { stream, .. } => stream.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls { stream, .. } => stream.flush(),
        }
    }
}

/// Reads a request head (up to the blank line) from `stream`, at most `max` bytes; the socket's
/// read timeout bounds the wait. `None` when the client closed or sent too much.
pub fn read_head(stream: &mut impl Read, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::with_capacity(1024);
    let mut byte = [0u8; 1];
    while head.len() < max {
        if stream.read(&mut byte)? == 0 {
            return Ok(None);
        }
        head.push(byte[0]);
        if head.ends_with(b"\r\n\r\n") {
            return Ok(Some(head));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_ends_at_the_blank_line_and_a_long_one_is_refused() {
        let mut input = Cursor::new(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nafter".to_vec());
        let head = read_head(&mut input, 1024).expect("io").expect("a head");
        assert!(head.ends_with(b"\r\n\r\n"));
        let mut rest = String::new();
        input.read_to_string(&mut rest).expect("io");
        assert_eq!(rest, "after", "nothing past the head is taken");
        assert_eq!(
            read_head(&mut Cursor::new(vec![b'a'; 100]), 50).expect("io"),
            None
        );
        assert_eq!(
            read_head(&mut Cursor::new(Vec::new()), 50).expect("io"),
            None
        );
    }
}
