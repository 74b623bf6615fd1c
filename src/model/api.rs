//! The API: the endpoints a design exposes for its crucial reads and writes.
//!
//! An API card is a block of kind [`API_KIND`] holding [`Endpoint`]s. Linking the card to a
//! service says that service serves them, which is what the review checks. REST, RPC, WebSocket
//! and event styles share one shape: a method (`GET`, `RPC`, `WS`, `EVENT`…), a path or name,
//! what goes in and comes out, and the entity it reads or writes.
//!
//! Its text form is one endpoint per line,
//! `POST /v1/tweets {text, media_ids} -> Tweet (writes Tweet)`, which the inline editor edits
//! and exports to tools without cards carry.

use serde::{Deserialize, Serialize};

/// The kind of block that is an API card.
pub const API_KIND: &str = "api";
/// Most endpoints one card holds.
pub const MAX_ENDPOINTS: usize = 200;
/// Longest path, request or response.
pub const MAX_PART_CHARS: usize = 200;

/// The methods a card offers, with the style each belongs to.
pub const METHODS: [(&str, &str); 10] = [
    ("GET", "REST"),
    ("POST", "REST"),
    ("PUT", "REST"),
    ("PATCH", "REST"),
    ("DELETE", "REST"),
    ("RPC", "RPC"),
    ("WS", "WebSocket"),
    ("SUB", "event"),
    ("PUB", "event"),
    ("EVENT", "event"),
];

/// One endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Endpoint {
    pub method: String,
    /// A REST path, an RPC's name, a socket's path or an event's topic.
    pub path: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub request: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub response: String,
    /// The entity it reads or writes, by name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub entity: String,
    /// Whether it writes `entity` (else it reads it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub writes: bool,
}

fn is_false(v: &bool) -> bool {
    !*v
}

/// Whether a method reads by default (`GET`, a subscription).
pub fn reads_by_default(method: &str) -> bool {
    matches!(method, "GET" | "SUB")
}

impl Endpoint {
    pub fn new(method: &str, path: impl Into<String>) -> Self {
        Self {
            method: method.to_owned(),
            path: path.into(),
            writes: !reads_by_default(method),
            ..Self::default()
        }
    }

    pub fn request(mut self, r: impl Into<String>) -> Self {
        self.request = r.into();
        self
    }

    pub fn response(mut self, r: impl Into<String>) -> Self {
        self.response = r.into();
        self
    }

    pub fn on(mut self, entity: impl Into<String>) -> Self {
        self.entity = entity.into();
        self
    }

    /// REST, RPC, WebSocket or event.
    pub fn style(&self) -> &'static str {
        METHODS
            .iter()
            .find(|(m, _)| *m == self.method)
            .map_or("", |(_, s)| s)
    }

    /// The endpoint as one line of the card.
    pub fn line(&self) -> String {
        let mut out = format!("{} {}", self.method, self.path);
        if !self.request.is_empty() {
            out.push(' ');
            out.push_str(&self.request);
        }
        if !self.response.is_empty() {
            out.push_str(" -> ");
            out.push_str(&self.response);
        }
        if !self.entity.is_empty() {
            let verb = if self.writes { "writes" } else { "reads" };
            out.push_str(&format!(" ({verb} {})", self.entity));
        }
        out
    }
}

/// The card as text, one endpoint per line.
pub fn to_text(endpoints: &[Endpoint]) -> String {
    endpoints
        .iter()
        .map(Endpoint::line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the text form: `METHOD PATH [REQUEST] [-> RESPONSE] [(reads|writes ENTITY)]`. A line
/// that does not start with a known method is read as a `GET` of what it says.
pub fn parse(text: &str) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line: String = line
            .trim()
            .trim_start_matches(['-', '*', '•'])
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        let mut rest = line.trim();
        if rest.is_empty() {
            continue;
        }
        let mut ep = Endpoint::default();
        // The entity, from a closing `(reads X)` or `(writes X)`.
        if rest.ends_with(')')
            && let Some(open) = rest.rfind('(')
        {
            let inner = rest[open + 1..rest.len() - 1].trim();
            if let Some((verb, entity)) = inner.split_once(' ') {
                let verb = verb.to_ascii_lowercase();
                if matches!(verb.as_str(), "reads" | "writes") {
                    ep.entity = clip(entity.trim());
                    ep.writes = verb == "writes";
                    rest = rest[..open].trim_end();
                }
            }
        }
        let entity_given = !ep.entity.is_empty();
        let (head, response) = match rest.split_once("->").or_else(|| rest.split_once('→')) {
            Some((h, r)) => (h.trim(), r.trim()),
            None => (rest, ""),
        };
        ep.response = clip(response);
        let (first, after) = head.split_once(' ').unwrap_or((head, ""));
        let method = first.to_ascii_uppercase();
        let path_and_request = if METHODS.iter().any(|(m, _)| *m == method) {
            ep.method = method;
            after.trim()
        } else {
            ep.method = "GET".into();
            head
        };
        let (path, request) = path_and_request
            .split_once(' ')
            .unwrap_or((path_and_request, ""));
        ep.path = clip(path);
        ep.request = clip(request.trim());
        if !entity_given {
            ep.writes = !reads_by_default(&ep.method);
        }
        out.push(ep);
        if out.len() >= MAX_ENDPOINTS {
            break;
        }
    }
    out
}

fn clip(s: &str) -> String {
    s.chars().take(MAX_PART_CHARS).collect()
}

/// Checks a card's endpoints against the bounds every board keeps.
pub fn check(endpoints: &[Endpoint]) -> Result<(), String> {
    if endpoints.len() > MAX_ENDPOINTS {
        return Err(format!(
            "{} endpoints; a card holds at most {MAX_ENDPOINTS}",
            endpoints.len()
        ));
    }
    for e in endpoints {
        if !METHODS.iter().any(|(m, _)| *m == e.method) {
            return Err(format!(
                "{:?} is not a method ({})",
                clip(&e.method),
                METHODS.map(|(m, _)| m).join(", ")
            ));
        }
        for (what, text) in [
            ("path", &e.path),
            ("request", &e.request),
            ("response", &e.response),
            ("entity", &e.entity),
        ] {
            if text.chars().count() > MAX_PART_CHARS {
                return Err(format!(
                    "an endpoint's {what} is longer than {MAX_PART_CHARS} characters"
                ));
            }
            if text.chars().any(char::is_control) {
                return Err(format!("an endpoint's {what} holds a control character"));
            }
        }
    }
    Ok(())
}

/// Longest JSON text of a card taken from a peer.
const MAX_JSON_BYTES: usize = 256 * 1024;

/// A card's endpoints as JSON for the shared document:
/// `[{"method": "GET", "path": "/v1/feed", "response": "Tweet[]", "entity": "Tweet"}]`.
pub fn to_json(endpoints: &[Endpoint]) -> String {
    serde_json::to_string(endpoints).unwrap_or_else(|_| "[]".into())
}

/// A card's endpoints from a peer's JSON, checked like a file's.
pub fn from_json(json: &str) -> Result<Vec<Endpoint>, String> {
    if json.len() > MAX_JSON_BYTES {
        return Err(format!("api: more than {MAX_JSON_BYTES} bytes"));
    }
    let eps: Vec<Endpoint> =
        serde_json::from_str(json).map_err(|e| format!("api: not a list of endpoints ({e})"))?;
    check(&eps).map_err(|e| format!("api: {e}"))?;
    Ok(eps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn card() -> Vec<Endpoint> {
        vec![
            Endpoint::new("POST", "/v1/tweets")
                .request("{text, media_ids}")
                .response("Tweet")
                .on("Tweet"),
            Endpoint::new("GET", "/v1/timeline?cursor")
                .response("Tweet[]")
                .on("Tweet"),
            Endpoint::new("WS", "/v1/live").response("new tweets"),
            Endpoint::new("EVENT", "tweet.created").on("Tweet"),
        ]
    }

    #[test]
    fn the_text_form_reads_back() {
        let text = to_text(&card());
        assert!(
            text.starts_with("POST /v1/tweets {text, media_ids} -> Tweet (writes Tweet)\n"),
            "{text}"
        );
        assert_eq!(parse(&text), card());
        assert_eq!(card()[2].style(), "WebSocket");
        assert_eq!(card()[3].style(), "event");
    }

    #[test]
    fn loose_lines_are_read_generously() {
        let eps = parse("- get /users/{id} → User\n/health");
        assert_eq!(eps[0], Endpoint::new("GET", "/users/{id}").response("User"));
        assert_eq!(eps[1], Endpoint::new("GET", "/health"));
    }

    #[test]
    fn peers_json_is_checked() {
        assert_eq!(from_json(&to_json(&card())).expect("present"), card());
        assert!(
            from_json(r#"[{"method":"FETCH","path":"/"}]"#)
                .expect_err("refused")
                .contains("method")
        );
        assert!(from_json("[1]").is_err());
    }

    proptest! {
        #[test]
        fn parsing_any_text_gives_a_valid_card(text in "(?s).{0,400}") {
            prop_assert!(check(&parse(&text)).is_ok());
        }
    }
}
