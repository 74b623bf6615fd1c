//! Who is in the room and what they are doing: each peer's awareness state, as JSON in the
//! y-protocols' awareness messages. `user.name` and `user.color` follow the convention the Yjs
//! ecosystem uses, so other tools show archboard peers by name.
//!
//! A peer's state is untrusted like the rest: it is parsed leniently (unknown fields are other
//! tools' business) and then bounded (names cut to 40 characters, colours checked, coordinates
//! finite, at most 1,000 selected ids).

use serde::{Deserialize, Serialize};

/// What a peer is in the interview.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Candidate,
    Interviewer,
    Viewer,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Candidate => "candidate",
            Role::Interviewer => "interviewer",
            Role::Viewer => "viewer",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
}

/// One peer's state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    pub user: User,
    #[serde(default)]
    pub role: Role,
    /// Where the pointer is, in world coordinates; absent when it is off the canvas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<[f32; 2]>,
    /// Ids of the selected blocks and links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selection: Vec<String>,
    /// The id of the block or link whose label is being typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editing: Option<String>,
    /// What the peer sees: the world point at the middle of its view, and its zoom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<[f32; 3]>,
    /// The laser pointer is down: the pointer leaves a fading trail. Receivers draw the trail
    /// from the pointer positions they see, so it costs nothing on the wire beyond this flag.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub laser: bool,
}

/// Most ids a peer's selection may carry.
const MAX_SELECTION: usize = 1_000;

impl Presence {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// A peer's state, or `None` when it is not one (another tool's, or garbage). What it
    /// holds is bounded before anyone draws it.
    pub fn parse(json: &str) -> Option<Self> {
        if json.len() > 256 * 1024 {
            return None;
        }
        let mut p: Presence = serde_json::from_str(json).ok()?;
        p.user.name = p
            .user
            .name
            .chars()
            .filter(|c| !c.is_control())
            .take(40)
            .collect();
        if p.user.name.trim().is_empty() {
            p.user.name = "Someone".into();
        }
        if parse_color(&p.user.color).is_none() {
            p.user.color = "#808080".into();
        }
        let finite = |v: &[f32]| v.iter().all(|x| x.is_finite() && x.abs() < 1e7);
        if p.pointer.is_some_and(|v| !finite(&v)) {
            p.pointer = None;
        }
        if p.view.is_some_and(|v| !finite(&v) || v[2] <= 0.0) {
            p.view = None;
        }
        p.selection.truncate(MAX_SELECTION);
        p.selection.retain(|id| id.len() <= 24);
        if p.editing.as_ref().is_some_and(|id| id.len() > 24) {
            p.editing = None;
        }
        Some(p)
    }
}

/// `#rrggbb` as bytes.
pub fn parse_color(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

/// Colours peers pick from: distinct from each other and from the selection blue.
pub const COLORS: [&str; 8] = [
    "#e8590c", "#2b8a3e", "#ae3ec9", "#c2255c", "#1098ad", "#f08c00", "#5f3dc4", "#495057",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_hostile_ones_are_bounded() {
        let p = Presence {
            user: User {
                name: "Ana".into(),
                color: "#e8590c".into(),
            },
            role: Role::Interviewer,
            pointer: Some([10.0, 20.0]),
            selection: vec!["42".into()],
            editing: None,
            view: Some([0.0, 0.0, 1.0]),
            laser: true,
        };
        assert!(p.to_json().contains(r#""laser":true"#));
        assert_eq!(Presence::parse(&p.to_json()), Some(p));
        let hostile = format!(
            r#"{{"user":{{"name":"{}","color":"red"}},"pointer":[1e30,0],"view":[0,0,-1],"other_tool":1}}"#,
            "x".repeat(500)
        );
        let q = Presence::parse(&hostile).expect("parsed leniently");
        assert_eq!(q.user.name.chars().count(), 40);
        assert_eq!(q.user.color, "#808080");
        assert_eq!((q.pointer, q.view), (None, None));
        assert_eq!(Presence::parse("not json"), None);
        assert_eq!(
            Presence::parse(r#"{"cursor":1}"#),
            None,
            "another tool's state"
        );
    }
}
