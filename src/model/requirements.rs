//! Requirements: what the first minutes of an interview settle before any box is drawn.
//!
//! A requirements card is a block of kind [`REQUIREMENTS_KIND`] holding a list of
//! [`Requirement`]s: functional ones, non-functional ones with a target, and what is out of
//! scope. The scale (daily users, reads per write) is not stored on the card: it is the
//! estimator's inputs, shown on the card and edited from either side, so the card and the
//! review can never disagree about the numbers.
//!
//! The card also has a text form, one requirement per line under its section's heading. It is
//! what the inline editor shows, what the card draws and what exports to tools without cards.

use super::sizing::EstimateInputs;
use serde::{Deserialize, Serialize};

/// The kind of block that is a requirements card.
pub const REQUIREMENTS_KIND: &str = "requirements";
/// Most requirements one card holds.
pub const MAX_ITEMS: usize = 200;
/// Longest requirement.
pub const MAX_ITEM_CHARS: usize = 300;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    #[default]
    Functional,
    NonFunctional,
    OutOfScope,
}

impl Section {
    pub const ALL: [Section; 3] = [
        Section::Functional,
        Section::NonFunctional,
        Section::OutOfScope,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Section::Functional => "Functional",
            Section::NonFunctional => "Non-functional",
            Section::OutOfScope => "Out of scope",
        }
    }

    /// The section a heading line names, however it is spelled.
    fn from_heading(line: &str) -> Option<Section> {
        let l = line
            .trim()
            .trim_end_matches(':')
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], " ");
        let l = l.strip_suffix(" requirements").unwrap_or(&l);
        match l {
            "functional" | "features" => Some(Section::Functional),
            "non functional" | "nonfunctional" | "nfr" | "nfrs" => Some(Section::NonFunctional),
            "out of scope" | "not in scope" | "non goals" => Some(Section::OutOfScope),
            _ => None,
        }
    }
}

/// What a non-functional requirement is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quality {
    Latency,
    Availability,
    Consistency,
    Durability,
    Throughput,
    Security,
    #[default]
    Other,
}

impl Quality {
    pub const ALL: [Quality; 7] = [
        Quality::Latency,
        Quality::Availability,
        Quality::Consistency,
        Quality::Durability,
        Quality::Throughput,
        Quality::Security,
        Quality::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Quality::Latency => "latency",
            Quality::Availability => "availability",
            Quality::Consistency => "consistency",
            Quality::Durability => "durability",
            Quality::Throughput => "throughput",
            Quality::Security => "security",
            Quality::Other => "other",
        }
    }

    fn from_name(word: &str) -> Option<Quality> {
        let w = word.trim().to_ascii_lowercase();
        Quality::ALL
            .into_iter()
            .find(|q| q.name() == w)
            .or(match w.as_str() {
                "p99" | "response time" => Some(Quality::Latency),
                "uptime" | "sla" => Some(Quality::Availability),
                "privacy" => Some(Quality::Security),
                _ => None,
            })
    }

    /// What the review expects the target to say: a number, a consistency level, or nothing.
    pub fn wants(self) -> Target {
        match self {
            Quality::Consistency => Target::Level,
            Quality::Security => Target::Anything,
            _ => Target::Number,
        }
    }
}

/// What a non-functional requirement's target must contain to be checkable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Number,
    Level,
    Anything,
}

/// Words that name a consistency level.
pub const LEVELS: [&str; 8] = [
    "strong",
    "eventual",
    "causal",
    "linearizable",
    "serializable",
    "sequential",
    "read-your-writes",
    "monotonic",
];

/// One requirement.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Requirement {
    pub section: Section,
    /// Only for non-functional requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Quality>,
    pub text: String,
}

impl Requirement {
    pub fn functional(text: impl Into<String>) -> Self {
        Self {
            section: Section::Functional,
            quality: None,
            text: text.into(),
        }
    }

    pub fn non_functional(quality: Quality, text: impl Into<String>) -> Self {
        Self {
            section: Section::NonFunctional,
            quality: Some(quality),
            text: text.into(),
        }
    }

    pub fn out_of_scope(text: impl Into<String>) -> Self {
        Self {
            section: Section::OutOfScope,
            quality: None,
            text: text.into(),
        }
    }

    /// Whether a non-functional requirement says what it needs to be checked: a number for
    /// latency or availability, a level for consistency. Other sections always pass.
    pub fn is_measurable(&self) -> bool {
        if self.section != Section::NonFunctional {
            return true;
        }
        let text = self.text.to_ascii_lowercase();
        match self.quality.unwrap_or_default().wants() {
            Target::Number => text.chars().any(|c| c.is_ascii_digit()),
            Target::Level => LEVELS.iter().any(|l| text.contains(l)),
            Target::Anything => !text.trim().is_empty(),
        }
    }

    /// The requirement as one line of the card (no bullet).
    pub fn line(&self) -> String {
        match (self.section, self.quality) {
            (Section::NonFunctional, Some(q)) if q != Quality::Other => {
                format!("{}: {}", q.name(), self.text)
            }
            _ => self.text.clone(),
        }
    }
}

/// One row the card draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub text: String,
    pub heading: bool,
}

/// The scale line: the estimator's numbers as the card shows them.
pub fn scale_line(e: &EstimateInputs) -> String {
    format!(
        "scale: {} daily users, {}:1 reads:writes",
        count(e.daily_active_users),
        count(e.reads_per_write)
    )
}

/// The rows a card draws: each section's heading, then its requirements; the scale from the
/// estimator closes the non-functional section.
pub fn rows(reqs: &[Requirement], estimate: &EstimateInputs) -> Vec<Row> {
    let mut out = Vec::new();
    for section in Section::ALL {
        let items: Vec<&Requirement> = reqs.iter().filter(|r| r.section == section).collect();
        let scale = section == Section::NonFunctional;
        if items.is_empty() && !scale {
            continue;
        }
        out.push(Row {
            text: section.heading().to_owned(),
            heading: true,
        });
        for r in items {
            out.push(Row {
                text: format!("- {}", r.line()),
                heading: false,
            });
        }
        if scale {
            out.push(Row {
                text: format!("- {}", scale_line(estimate)),
                heading: false,
            });
        }
    }
    out
}

/// The card as text: what the inline editor edits and what other tools' files carry.
pub fn to_text(reqs: &[Requirement], estimate: &EstimateInputs) -> String {
    rows(reqs, estimate)
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a card's text says: its requirements, and the scale if a line gives it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub reqs: Vec<Requirement>,
    /// Daily users and reads per write from a `scale:` line, where it names them.
    pub daily_users: Option<f64>,
    pub reads_per_write: Option<f64>,
}

/// Reads the text form. Lines before any heading are functional; a bullet (`-`, `*`, `•`, `1.`)
/// is optional; `latency: p99 < 200 ms` under Non-functional names its quality.
pub fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut section = Section::Functional;
    for line in text.lines() {
        if let Some(s) = Section::from_heading(line) {
            section = s;
            continue;
        }
        let item = strip_bullet(line);
        if item.is_empty() {
            continue;
        }
        let item: String = item
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_ITEM_CHARS)
            .collect();
        if section == Section::NonFunctional {
            if let Some((word, rest)) = item.split_once(':') {
                if word.trim().eq_ignore_ascii_case("scale") {
                    read_scale(rest, &mut out);
                    continue;
                }
                if let Some(q) = Quality::from_name(word) {
                    out.reqs
                        .push(Requirement::non_functional(q, rest.trim().to_owned()));
                    continue;
                }
            }
            out.reqs
                .push(Requirement::non_functional(Quality::Other, item));
        } else {
            out.reqs.push(Requirement {
                section,
                quality: None,
                text: item,
            });
        }
        if out.reqs.len() >= MAX_ITEMS {
            break;
        }
    }
    out
}

fn strip_bullet(line: &str) -> &str {
    let t = line.trim();
    for b in ["- ", "* ", "• ", "-", "•"] {
        if let Some(rest) = t.strip_prefix(b) {
            return rest.trim();
        }
    }
    // `1.` or `1)`
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = t[digits..]
            .strip_prefix('.')
            .or_else(|| t[digits..].strip_prefix(')'))
    {
        return rest.trim();
    }
    t
}

/// `300M daily users, 100:1 reads:writes`: the numbers a scale line gives.
fn read_scale(text: &str, out: &mut Parsed) {
    for part in text.split(',') {
        let p = part.trim().to_ascii_lowercase();
        if let Some((reads, _)) = p.split_once(":1") {
            out.reads_per_write = number(reads.trim());
        } else if p.contains("daily") || p.contains("dau") || p.contains("users") {
            let n = p.split_whitespace().next().unwrap_or("");
            out.daily_users = number(n);
        }
    }
}

/// `300M`, `1.5k`, `2B`, `10,000`: a count as people write it.
pub fn number(text: &str) -> Option<f64> {
    let t = text.trim().replace(['_', ','], "");
    let (digits, scale) = match t.chars().last()?.to_ascii_lowercase() {
        'k' => (&t[..t.len() - 1], 1e3),
        'm' => (&t[..t.len() - 1], 1e6),
        'b' => (&t[..t.len() - 1], 1e9),
        _ => (t.as_str(), 1.0),
    };
    let v = digits.parse::<f64>().ok()? * scale;
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// A count written short: `1.5M`, `300K`, `10`.
pub fn count(v: f64) -> String {
    let (n, unit) = if v >= 1e9 {
        (v / 1e9, "B")
    } else if v >= 1e6 {
        (v / 1e6, "M")
    } else if v >= 1e3 {
        (v / 1e3, "K")
    } else {
        (v, "")
    };
    let s = format!("{n:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    format!("{s}{unit}")
}

/// Checks a card's requirements against the bounds every board keeps.
pub fn check(reqs: &[Requirement]) -> Result<(), String> {
    if reqs.len() > MAX_ITEMS {
        return Err(format!(
            "{} requirements; a card holds at most {MAX_ITEMS}",
            reqs.len()
        ));
    }
    for r in reqs {
        if r.text.chars().count() > MAX_ITEM_CHARS {
            return Err(format!(
                "a requirement is longer than {MAX_ITEM_CHARS} characters"
            ));
        }
        if r.text.chars().any(char::is_control) {
            return Err("a requirement holds a control character".into());
        }
        if r.quality.is_some() && r.section != Section::NonFunctional {
            return Err("only a non-functional requirement has a quality".into());
        }
    }
    Ok(())
}

/// Longest JSON text of a card taken from a peer.
const MAX_JSON_BYTES: usize = 128 * 1024;

/// A card's requirements as JSON for the shared document:
/// `[{"section": "non_functional", "quality": "latency", "text": "p99 < 200 ms"}]`.
pub fn to_json(reqs: &[Requirement]) -> String {
    serde_json::to_string(reqs).unwrap_or_else(|_| "[]".into())
}

/// A card's requirements from a peer's JSON, checked like a file's.
pub fn from_json(json: &str) -> Result<Vec<Requirement>, String> {
    if json.len() > MAX_JSON_BYTES {
        return Err(format!("requirements: more than {MAX_JSON_BYTES} bytes"));
    }
    let reqs: Vec<Requirement> = serde_json::from_str(json)
        .map_err(|e| format!("requirements: not a list of requirements ({e})"))?;
    check(&reqs).map_err(|e| format!("requirements: {e}"))?;
    Ok(reqs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn card() -> Vec<Requirement> {
        vec![
            Requirement::functional("Post a tweet"),
            Requirement::non_functional(Quality::Latency, "p99 < 200 ms for timeline reads"),
            Requirement::non_functional(Quality::Consistency, "eventual for timelines"),
            Requirement::out_of_scope("Ads"),
        ]
    }

    #[test]
    fn the_text_form_reads_back_with_the_scale() {
        let e = EstimateInputs {
            daily_active_users: 300e6,
            reads_per_write: 100.0,
            ..Default::default()
        };
        let text = to_text(&card(), &e);
        assert!(
            text.contains("- scale: 300M daily users, 100:1 reads:writes"),
            "{text}"
        );
        let back = parse(&text);
        assert_eq!(back.reqs, card());
        assert_eq!(back.daily_users, Some(300e6));
        assert_eq!(back.reads_per_write, Some(100.0));
    }

    #[test]
    fn loose_text_is_read_generously() {
        let p = parse("post photos\nNFR:\n1. uptime: 99.9%\n* highly available\nNon-goals\n• DMs");
        assert_eq!(
            p.reqs,
            vec![
                Requirement::functional("post photos"),
                Requirement::non_functional(Quality::Availability, "99.9%"),
                Requirement::non_functional(Quality::Other, "highly available"),
                Requirement::out_of_scope("DMs"),
            ]
        );
        assert!(p.reqs[1].is_measurable());
        assert!(!p.reqs[2].is_measurable(), "no number");
        assert!(!Requirement::non_functional(Quality::Consistency, "good").is_measurable());
        assert!(
            Requirement::non_functional(Quality::Consistency, "Strong for payments")
                .is_measurable()
        );
    }

    #[test]
    fn peers_json_is_checked() {
        assert_eq!(from_json(&to_json(&card())).expect("present"), card());
        assert!(from_json("{").is_err());
        assert!(from_json(r#"[{"section":"functional","quality":"latency","text":"x"}]"#).is_err());
        assert!(from_json(r#"[{"section":"nope","text":"x"}]"#).is_err());
        let long = format!(
            r#"[{{"section":"functional","text":"{}"}}]"#,
            "x".repeat(400)
        );
        assert!(from_json(&long).expect_err("refused").contains("longer"));
    }

    #[test]
    fn counts_read_and_write_short() {
        assert_eq!(number("1.5k"), Some(1500.0));
        assert_eq!(number("10,000"), Some(10000.0));
        assert_eq!(number("x"), None);
        assert_eq!(count(1_500_000.0), "1.5M");
        assert_eq!(count(10.0), "10");
    }

    proptest! {
        #[test]
        fn parsing_any_text_gives_a_valid_card(text in "(?s).{0,400}") {
            let p = parse(&text);
            prop_assert!(check(&p.reqs).is_ok());
        }
    }
}
