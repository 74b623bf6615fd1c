//! What a browser page's address asks for: `?room=ROOM` joins that room on the relay that
//! served the page (`?relay=wss://HOST/PATH` names another one), with `&token=…` and
//! `&role=viewer` as in a room link; without `room` the page is a solo whiteboard. Plain text
//! in, so it is tested without a browser.

use crate::collab::url::RoomUrl;

/// What the page's address asks for.
#[derive(Debug, Default, PartialEq)]
pub struct PageRequest {
    pub room: Option<String>,
    pub relay: Option<String>,
    pub token: Option<String>,
    pub viewer: bool,
    pub name: Option<String>,
    /// `?bench=N`: measure a synthetic board of N blocks and N links as `archboard bench`
    /// does, `frames` (default 300) per phase.
    pub bench: Option<usize>,
    pub frames: Option<usize>,
    /// `?timings=1`: say in the console when the app and the room's board are first on
    /// screen, as the native window's `ARCHBOARD_TIMINGS` does.
    pub timings: bool,
}

impl PageRequest {
    /// Reads a query string (`?room=…&relay=…`).
    pub fn from_query(query: &str) -> Self {
        let mut r = Self::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_encoding::percent_decode_str(&v.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned();
            let v = (!v.is_empty()).then_some(v);
            match k {
                "room" => r.room = v,
                "relay" => r.relay = v,
                "token" => r.token = v,
                "role" => r.viewer = v.as_deref() == Some("viewer"),
                "name" => r.name = v,
                "bench" => r.bench = v.and_then(|n| n.parse().ok()),
                "frames" => r.frames = v.and_then(|n| n.parse().ok()).filter(|n| *n >= 2),
                "timings" => r.timings = v.as_deref() != Some("0"),
                _ => {}
            }
        }
        r
    }

    /// The room's address: on `relay`, or on the server the page came from (`page_host` is
    /// `HOST:PORT`, `secure` whether the page came over https).
    pub fn room_url(&self, page_host: &str, secure: bool) -> Option<Result<RoomUrl, String>> {
        let room = self.room.as_deref()?;
        let refused =
            |e: crate::collab::url::UrlError| format!("This page's room cannot be joined: {e}");
        if let Err(e) = crate::collab::url::check_room(room) {
            return Some(Err(refused(e)));
        }
        let base = match &self.relay {
            Some(relay) => relay.trim_end_matches('/').to_owned(),
            None => format!("{}://{page_host}", if secure { "wss" } else { "ws" }),
        };
        let mut address = format!("{base}/{room}");
        let mut query = Vec::new();
        if let Some(t) = &self.token {
            query.push(format!("token={t}"));
        }
        if self.viewer {
            query.push("role=viewer".to_owned());
        }
        if !query.is_empty() {
            address = format!("{address}?{}", query.join("&"));
        }
        Some(
            RoomUrl::parse(&address).map_err(|e| format!("This page's room cannot be joined: {e}")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_joins_the_relay_that_served_the_page() {
        let r = PageRequest::from_query("?room=r1&token=t%2B1&name=Ada+L&role=viewer");
        assert_eq!(r.room.as_deref(), Some("r1"));
        assert_eq!(r.name.as_deref(), Some("Ada L"));
        let url = r
            .room_url("example.org:7317", false)
            .expect("a room")
            .expect("valid");
        assert_eq!(
            (url.host.as_str(), url.port, url.room.as_str()),
            ("example.org", 7317, "r1")
        );
        assert_eq!(url.token.as_deref(), Some("t+1"));
        assert!(url.viewer && !url.secure);
        let secure = r
            .room_url("example.org", true)
            .expect("a room")
            .expect("valid");
        assert!(secure.secure);
        assert_eq!(secure.port, 443);
    }

    #[test]
    fn a_relay_elsewhere_and_a_page_without_a_room() {
        let r =
            PageRequest::from_query("relay=hocuspocus%2Bwss%3A%2F%2Fyjs.example%2Fcollab&room=r2");
        let url = r
            .room_url("pages.example", true)
            .expect("a room")
            .expect("valid");
        assert!(url.hocuspocus && url.secure);
        assert_eq!(url.host, "yjs.example");
        assert_eq!(PageRequest::from_query("").room_url("h:1", false), None);
        assert_eq!(PageRequest::from_query("?bench=500").bench, Some(500));
        assert!(PageRequest::from_query("?room=a&timings=1").timings);
        assert!(!PageRequest::from_query("?room=a&timings=0").timings);
        assert!(!PageRequest::from_query("?room=a").timings);
    }

    #[test]
    fn a_room_name_with_characters_not_allowed_is_refused_with_a_message() {
        for bad in ["a%2Fb", "a%20b", "%3Cscript%3E", "..", "r%3Ftoken%3Dx"] {
            let r = PageRequest::from_query(&format!("room={bad}"));
            let e = r.room_url("h:1", false).expect("a room").expect_err(bad);
            assert!(e.contains("cannot be joined"), "{bad}: {e}");
        }
    }
}
