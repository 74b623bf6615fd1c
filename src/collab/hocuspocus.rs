//! The wire as Hocuspocus (version 2 and later) speaks it: one socket may carry several
//! documents, so every message starts with the document's name (a lib0 var-string), then the
//! same tag and payload as y-websocket (0 sync, 1 awareness). A client says who it is with an
//! auth message (tag 2) before anything else; the server answers "authenticated" or
//! "permission denied". Tags Hocuspocus adds (query awareness, stateless, close, sync status)
//! are read safely and left alone.
//!
//! With y-websocket the room is the socket's path and messages are bare; [`Wire`] hides the
//! difference from the connection's loop.

/// Tags of the messages Hocuspocus adds to the y-protocols ones.
const TAG_AUTH: u64 = 2;
const TAG_CLOSE: u64 = 7;
/// Auth message kinds.
const AUTH_TOKEN: u64 = 0;
const AUTH_DENIED: u64 = 1;

/// How messages are framed for one room.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wire {
    /// y-websocket and archboard's relay: bare y-protocols messages.
    Plain,
    /// Hocuspocus: each message carries `document`; `token` goes in the auth message.
    Hocuspocus {
        document: String,
        token: Option<String>,
    },
}

/// What a message from the server is, once its framing is read.
#[derive(Debug, PartialEq, Eq)]
pub enum Inbound<'a> {
    /// A y-protocols message (sync, awareness) for the room.
    Protocol(&'a [u8]),
    /// The server refused us, with its reason.
    Denied(String),
    /// The server closed the room's connection.
    Closed,
    /// Not for us, or nothing to act on (another document, "authenticated", a sync status).
    Skip,
    /// A bare y-websocket message (it reads as a document with no name, which Hocuspocus never
    /// sends): the server is a y-websocket relay, not Hocuspocus.
    Bare,
}

impl Wire {
    pub fn of(url: &super::url::RoomUrl) -> Self {
        if url.hocuspocus {
            Wire::Hocuspocus {
                document: url.room.clone(),
                token: url.token.clone(),
            }
        } else {
            Wire::Plain
        }
    }

    /// What to send before the first sync: Hocuspocus's auth message (with an empty token
    /// when there is none: the server expects one either way).
    pub fn hello(&self) -> Option<Vec<u8>> {
        let Wire::Hocuspocus { document, token } = self else {
            return None;
        };
        let mut msg = Vec::new();
        write_var_uint(&mut msg, TAG_AUTH);
        write_var_uint(&mut msg, AUTH_TOKEN);
        write_var_string(&mut msg, token.as_deref().unwrap_or(""));
        Some(frame(document, &msg))
    }

    /// A y-protocols message as this server takes it.
    pub fn out(&self, msg: Vec<u8>) -> Vec<u8> {
        match self {
            Wire::Plain => msg,
            Wire::Hocuspocus { document, .. } => frame(document, &msg),
        }
    }

    /// Reads a message's framing. Malformed framing is skipped, like an unknown message.
    pub fn inbound<'a>(&self, bytes: &'a [u8]) -> Inbound<'a> {
        let Wire::Hocuspocus { document, .. } = self else {
            return Inbound::Protocol(bytes);
        };
        let Some((name, rest)) = read_var_string(bytes) else {
            return Inbound::Skip;
        };
        if name.is_empty() && !document.is_empty() {
            return Inbound::Bare;
        }
        if name != document.as_str() {
            return Inbound::Skip;
        }
        let Some((tag, body)) = read_var_uint(rest) else {
            return Inbound::Skip;
        };
        match tag {
            0 | 1 => Inbound::Protocol(rest),
            TAG_AUTH => match read_var_uint(body) {
                Some((AUTH_DENIED, reason)) => Inbound::Denied(
                    read_var_string(reason)
                        .map(|(r, _)| r.to_owned())
                        .filter(|r| !r.is_empty())
                        .unwrap_or_else(|| "permission denied".to_owned()),
                ),
                _ => Inbound::Skip,
            },
            TAG_CLOSE => Inbound::Closed,
            _ => Inbound::Skip,
        }
    }
}

fn frame(document: &str, msg: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(msg.len() + document.len() + 2);
    write_var_string(&mut out, document);
    out.extend_from_slice(msg);
    out
}

/// lib0's unsigned varint: 7 bits a byte, low first, the top bit set on all but the last.
fn write_var_uint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_var_uint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut n: u64 = 0;
    for (i, b) in bytes.iter().enumerate().take(10) {
        n |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, &bytes[i + 1..]));
        }
    }
    None
}

fn write_var_string(out: &mut Vec<u8>, s: &str) {
    write_var_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn read_var_string(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let (len, rest) = read_var_uint(bytes)?;
    let len = usize::try_from(len).ok()?;
    let text = rest.get(..len)?;
    Some((std::str::from_utf8(text).ok()?, &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire() -> Wire {
        Wire::Hocuspocus {
            document: "room-1".into(),
            token: Some("t0k".into()),
        }
    }

    #[test]
    fn messages_carry_the_document_and_the_auth_message_the_token() {
        let w = wire();
        assert_eq!(
            w.out(vec![0, 0, 1, 0]),
            b"\x06room-1\x00\x00\x01\x00".to_vec()
        );
        assert_eq!(w.hello(), Some(b"\x06room-1\x02\x00\x03t0k".to_vec()));
        assert_eq!(Wire::Plain.hello(), None);
        assert_eq!(Wire::Plain.out(vec![1, 2]), vec![1, 2]);
    }

    #[test]
    fn what_comes_back_is_sorted_and_nothing_malformed_is_trusted() {
        let w = wire();
        assert_eq!(
            w.inbound(b"\x06room-1\x00\x00\x01\x00"),
            Inbound::Protocol(b"\x00\x00\x01\x00")
        );
        assert_eq!(w.inbound(b"\x05other\x00\x00\x01\x00"), Inbound::Skip);
        // What a y-websocket relay sends first: a bare sync step 1.
        assert_eq!(w.inbound(b"\x00\x00\x01\x00"), Inbound::Bare);
        assert_eq!(
            w.inbound(b"\x06room-1\x02\x01\x0dwrong token!!"),
            Inbound::Denied("wrong token!!".into())
        );
        assert_eq!(
            w.inbound(b"\x06room-1\x02\x02\x09read-write"),
            Inbound::Skip
        );
        assert_eq!(
            w.inbound(b"\x06room-1\x08\x01"),
            Inbound::Skip,
            "sync status"
        );
        assert_eq!(w.inbound(b"\x06room-1\x07"), Inbound::Closed);
        for bad in [
            &b""[..],
            b"\x7f",
            b"\x06roo",
            b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
        ] {
            assert_eq!(w.inbound(bad), Inbound::Skip, "{bad:?}");
        }
        let mut n = Vec::new();
        write_var_uint(&mut n, 300);
        assert_eq!(read_var_uint(&n), Some((300, &[][..])));
    }
}
