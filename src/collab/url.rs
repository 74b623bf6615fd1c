//! Room addresses: `ws://HOST:PORT/ROOM`, optionally `?token=SECRET`, the way y-websocket
//! relays take them (the room is the last path segment).
//!
//! Room names made here carry 128 random bits, as Excalidraw's share links do: knowing the
//! relay is not enough to find a room.

use std::fmt;

/// A parsed room address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoomUrl {
    pub secure: bool,
    pub host: String,
    pub port: u16,
    /// Path before the room, with its leading and trailing `/` (`/` for most relays).
    pub prefix: String,
    pub room: String,
    pub token: Option<String>,
    /// A viewer link (`&role=viewer`): the window opens read-only. The relay enforces it by
    /// the token, whatever the link says.
    pub viewer: bool,
    /// A Hocuspocus server (`hocuspocus+ws://`, `hocuspocus+wss://`): it multiplexes documents
    /// over one socket, so every message carries the room's name, and the token goes in an
    /// auth message rather than in the address.
    pub hocuspocus: bool,
    /// A y-sweet server (`ys://[TOKEN@]HOST:PORT/DOC`, `yss://` with TLS): the room is a
    /// document reached through the server's client-token flow; the token, when given, is
    /// the server's own and is never shown in the address.
    pub ysweet: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("`{0}` is not a room address: use ws://HOST:PORT/ROOM")]
    NotWebSocket(String),
    #[error("`{0}` names no room: add /ROOM after the host")]
    NoRoom(String),
    #[error("`{0}` has a bad port")]
    BadPort(String),
    #[error("room name `{0}` may only use letters, digits, '-' and '_' (at most 128)")]
    BadRoom(String),
}

impl RoomUrl {
    pub fn parse(text: &str) -> Result<Self, UrlError> {
        let text = text.trim();
        let (hocuspocus, bare) = match text.strip_prefix(HOCUSPOCUS) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (secure, ysweet, rest) = if let Some(r) = bare.strip_prefix("ws://") {
            (false, false, r)
        } else if let Some(r) = bare.strip_prefix("wss://") {
            (true, false, r)
        } else if let Some(r) = bare.strip_prefix("ys://").filter(|_| !hocuspocus) {
            (false, true, r)
        } else if let Some(r) = bare.strip_prefix("yss://").filter(|_| !hocuspocus) {
            (true, true, r)
        } else {
            return Err(UrlError::NotWebSocket(text.to_owned()));
        };
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        // y-sweet's connection strings carry the server's token before the host.
        let (server_token, authority) = match authority.rsplit_once('@') {
            Some((t, a)) if ysweet => (Some(t.to_owned()), a),
            _ => (None, authority),
        };
        let (host, port) = match authority.rsplit_once(':') {
            // An IPv6 literal keeps its colons inside brackets.
            Some((h, p)) if !p.contains(']') => (
                h.to_owned(),
                p.parse::<u16>()
                    .map_err(|_| UrlError::BadPort(text.to_owned()))?,
            ),
            _ => (authority.to_owned(), if secure { 443 } else { 80 }),
        };
        if host.is_empty() {
            return Err(UrlError::NotWebSocket(text.to_owned()));
        }
        let path = path.trim_end_matches('/');
        let (prefix, room) = match path.rsplit_once('/') {
            Some((p, r)) => (format!("/{p}/"), r),
            None => ("/".to_owned(), path),
        };
        if room.is_empty() {
            return Err(UrlError::NoRoom(text.to_owned()));
        }
        check_room(room)?;
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_owned())
        };
        Ok(Self {
            secure,
            host,
            port,
            prefix,
            room: room.to_owned(),
            token: server_token.or_else(|| param("token")),
            viewer: param("role").as_deref() == Some("viewer"),
            hocuspocus,
            ysweet,
        })
    }

    /// The WebSocket address to open. A Hocuspocus server takes the room's name in its
    /// messages, so the socket goes to the path before it, without the token.
    pub fn socket_address(&self) -> String {
        let scheme = if self.secure { "wss" } else { "ws" };
        if self.hocuspocus {
            return format!("{scheme}://{}:{}{}", self.host, self.port, self.prefix);
        }
        format!(
            "{scheme}://{}:{}{}",
            self.host,
            self.port,
            self.request_path()
        )
    }

    /// The path and query the WebSocket request asks for.
    pub fn request_path(&self) -> String {
        let mut query = Vec::new();
        if let Some(t) = &self.token {
            query.push(format!("token={t}"));
        }
        if self.viewer {
            query.push("role=viewer".into());
        }
        if query.is_empty() {
            format!("{}{}", self.prefix, self.room)
        } else {
            format!("{}{}?{}", self.prefix, self.room, query.join("&"))
        }
    }
}

impl fmt::Display for RoomUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ysweet {
            let scheme = if self.secure { "yss" } else { "ys" };
            return write!(
                f,
                "{scheme}://{}:{}{}{}",
                self.host, self.port, self.prefix, self.room
            );
        }
        let scheme = match (self.hocuspocus, self.secure) {
            (false, false) => "ws",
            (false, true) => "wss",
            (true, false) => "hocuspocus+ws",
            (true, true) => "hocuspocus+wss",
        };
        write!(
            f,
            "{scheme}://{}:{}{}",
            self.host,
            self.port,
            self.request_path()
        )
    }
}

/// The scheme prefix that marks a Hocuspocus server.
const HOCUSPOCUS: &str = "hocuspocus+";

/// Whether `room` is a name relays and file systems both take safely.
pub fn check_room(room: &str) -> Result<(), UrlError> {
    let ok = !room.is_empty()
        && room.len() <= 128
        && room
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(UrlError::BadRoom(room.chars().take(40).collect()))
    }
}

/// A fresh room name: 128 random bits, as 32 hex digits.
pub fn new_room_name() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fills `buf` from the system's random source, falling back to a time-seeded mix when there is
/// none (never a panic: a room name is not worth crashing for).
pub fn fill_random(buf: &mut [u8]) {
    if getrandom::fill(buf).is_err() {
        let mut x = web_time::SystemTime::now()
            .duration_since(web_time::UNIX_EPOCH)
            .map_or(0x9e37_79b9_7f4a_7c15, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id());
        for b in buf {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rooms_ports_tokens_and_prefixes() {
        let u = RoomUrl::parse("ws://127.0.0.1:7317/abc-1?token=s3cret").expect("url");
        assert_eq!(
            (u.host.as_str(), u.port, u.room.as_str()),
            ("127.0.0.1", 7317, "abc-1")
        );
        assert_eq!(u.token.as_deref(), Some("s3cret"));
        assert!(!u.viewer);
        let v = RoomUrl::parse("ws://h:1/r?token=v&role=viewer").expect("viewer link");
        assert!(v.viewer);
        assert_eq!(
            v.to_string(),
            "ws://h:1:1/r?token=v&role=viewer".replace(":1:1", ":1")
        );
        assert_eq!(u.request_path(), "/abc-1?token=s3cret");
        let u = RoomUrl::parse("wss://relay.example/yjs/room_9").expect("url");
        assert!(u.secure);
        assert_eq!((u.port, u.prefix.as_str()), (443, "/yjs/"));
        assert_eq!(u.to_string(), "wss://relay.example:443/yjs/room_9");
    }

    #[test]
    fn a_hocuspocus_address_names_the_document_and_keeps_the_token_out_of_the_socket() {
        let u = RoomUrl::parse("hocuspocus+ws://127.0.0.1:1234/collab/interview-7?token=t0k")
            .expect("url");
        assert!(u.hocuspocus && !u.secure);
        assert_eq!(
            (u.room.as_str(), u.token.as_deref()),
            ("interview-7", Some("t0k"))
        );
        assert_eq!(u.socket_address(), "ws://127.0.0.1:1234/collab/");
        assert_eq!(
            u.to_string(),
            "hocuspocus+ws://127.0.0.1:1234/collab/interview-7?token=t0k"
        );
        let s = RoomUrl::parse("hocuspocus+wss://h/room").expect("url");
        assert!(s.secure && s.port == 443);
        let plain = RoomUrl::parse("ws://h:1/r?token=x").expect("url");
        assert_eq!(plain.socket_address(), "ws://h:1/r?token=x");
    }

    #[test]
    fn a_y_sweet_address_keeps_the_server_token_out_of_sight() {
        let u = RoomUrl::parse("ys://s3cret@127.0.0.1:8080/interview").expect("url");
        assert!(u.ysweet && !u.secure && !u.hocuspocus);
        assert_eq!((u.host.as_str(), u.port), ("127.0.0.1", 8080));
        assert_eq!(
            (u.room.as_str(), u.token.as_deref()),
            ("interview", Some("s3cret"))
        );
        assert_eq!(u.to_string(), "ys://127.0.0.1:8080/interview");
        assert!(RoomUrl::parse("yss://y.example/doc").expect("url").secure);
        assert!(RoomUrl::parse("hocuspocus+ys://h/doc").is_err());
    }

    #[test]
    fn refuses_what_is_not_a_room() {
        assert!(matches!(
            RoomUrl::parse("http://x/y"),
            Err(UrlError::NotWebSocket(_))
        ));
        assert!(matches!(
            RoomUrl::parse("ws://x:99999/y"),
            Err(UrlError::BadPort(_))
        ));
        assert!(matches!(
            RoomUrl::parse("ws://x:1/"),
            Err(UrlError::NoRoom(_))
        ));
        assert!(matches!(
            RoomUrl::parse("ws://x:1/a.b"),
            Err(UrlError::BadRoom(_))
        ));
    }

    #[test]
    fn new_rooms_are_long_and_differ() {
        let (a, b) = (new_room_name(), new_room_name());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(check_room(&a).is_ok());
    }
}
