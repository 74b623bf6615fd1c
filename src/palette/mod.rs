//! Component kinds: what can be placed on a board, as data.
//!
//! The bundled palette (`palettes/default.ron`) is compiled in so a fresh checkout runs; extra
//! palettes in the user's config folder add kinds or override bundled ones by id. Adding a
//! component is a data change, not a code change.

use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const BUNDLED: &str = include_str!("../../palettes/default.ron");

/// How a kind is outlined on the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Shape {
    Rounded,
    /// A database drum.
    Cylinder,
    /// A segmented bar, like messages waiting in line.
    Queue,
    /// A soft outline for networks and outside services.
    Cloud,
    /// A browser window.
    Device,
    Phone,
    Hexagon,
    /// An open-topped bucket.
    Bucket,
    /// Free text: no outline.
    Text,
    /// A titled region drawn behind blocks.
    Frame,
}

/// A colour family; `theme.rs` maps it to fill and stroke for light and dark themes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Tint {
    Slate,
    Blue,
    Teal,
    Green,
    Amber,
    Orange,
    Red,
    Purple,
    Pink,
    Gray,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub id: String,
    pub name: String,
    pub tag: String,
    pub shape: Shape,
    pub tint: Tint,
    pub size: (u16, u16),
    #[serde(default)]
    pub key: Option<char>,
    #[serde(default)]
    pub lens: String,
    pub category: String,
    /// What the design review treats it as.
    #[serde(default)]
    pub role: Role,
    /// Default requests per second one instance handles; 0 when not sized.
    #[serde(default)]
    pub capacity: f64,
    /// Default instances.
    #[serde(default = "one")]
    pub instances: u32,
    /// Default copies of the data (data stores).
    #[serde(default = "one")]
    pub replication: u32,
}

fn one() -> u32 {
    1
}

/// A kind's part in the system, for the design review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
pub enum Role {
    /// Where requests come from (browsers, apps): the entry points of the load.
    Client,
    /// DNS, CDN: in front of everything.
    Edge,
    /// Load balancers and gateways.
    Balancer,
    /// Services, servers, workers.
    Compute,
    Cache,
    /// Databases and other stores of record.
    Store,
    /// Queues and streams.
    Queue,
    #[default]
    Other,
    /// Text, frames and entities: drawn on the board, but not machines requests pass through.
    Annotation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PaletteFile {
    kinds: Vec<Kind>,
}

/// Keys taken by tools; a palette may not claim them.
pub const RESERVED_KEYS: &[char] = &['V', 'H', 'A', 'T', 'F', 'I'];

/// All known kinds, in palette order.
#[derive(Clone, Debug)]
pub struct Palette {
    kinds: Vec<Kind>,
    by_id: HashMap<String, usize>,
    fallback: Kind,
}

impl Palette {
    /// The bundled palette only.
    pub fn bundled() -> Self {
        let mut p = Self::empty();
        // The bundled file is checked by a unit test, so this cannot fail in a release.
        if let Ok(file) = ron::from_str::<PaletteFile>(BUNDLED) {
            for k in file.kinds {
                p.add(k);
            }
        }
        p
    }

    /// The bundled palette plus every `*.ron` palette in `dir`. Returns the palette and a message
    /// per file that could not be used; the app starts regardless.
    pub fn with_user_dir(dir: &Path) -> (Self, Vec<String>) {
        let mut p = Self::bundled();
        let mut problems = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return (p, problems);
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        files.sort();
        for file in files {
            if let Err(e) = p.merge_file(&file) {
                problems.push(e);
            }
        }
        (p, problems)
    }

    /// What the user sees, in the window and on the command line alike: the bundled palette
    /// plus the user's own from the config folder, and a message per file that could not be
    /// used.
    pub fn for_user() -> (Self, Vec<String>) {
        match Self::user_dir() {
            Some(dir) => Self::with_user_dir(&dir),
            None => (Self::bundled(), Vec::new()),
        }
    }

    /// The folder where user palettes live (`…/archboard/palettes`).
    pub fn user_dir() -> Option<PathBuf> {
        crate::platform::dirs::config_dir().map(|d| d.join("palettes"))
    }

    fn empty() -> Self {
        Self {
            kinds: Vec::new(),
            by_id: HashMap::new(),
            fallback: Kind {
                id: String::new(),
                name: "Unknown component".into(),
                tag: String::new(),
                shape: Shape::Rounded,
                tint: Tint::Gray,
                size: (140, 70),
                key: None,
                lens: String::new(),
                category: "Other".into(),
                role: Role::Other,
                capacity: 0.0,
                instances: 1,
                replication: 1,
            },
        }
    }

    fn merge_file(&mut self, path: &Path) -> Result<(), String> {
        let name = path.display();
        let bytes = crate::persistence::read_capped(path).map_err(|e| e.to_string())?;
        let text = std::str::from_utf8(&bytes).map_err(|_| format!("{name}: not UTF-8 text"))?;
        let file: PaletteFile = ron::Options::default().from_str(text).map_err(|e| {
            format!(
                "{name}:{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
        for mut kind in file.kinds {
            if kind.id.trim().is_empty() || kind.id.len() > 64 {
                return Err(format!(
                    "{name}: kind \"{}\" needs an id of 1 to 64 characters",
                    kind.name
                ));
            }
            kind.size = (kind.size.0.clamp(10, 4000), kind.size.1.clamp(10, 4000));
            self.add(kind);
        }
        Ok(())
    }

    /// Adds or replaces a kind. A key clashing with a tool or an earlier kind is dropped.
    fn add(&mut self, mut kind: Kind) {
        if let Some(k) = kind.key {
            let k = k.to_ascii_uppercase();
            let taken = RESERVED_KEYS.contains(&k)
                || self
                    .kinds
                    .iter()
                    .any(|o| o.id != kind.id && o.key == Some(k));
            kind.key = (!taken && k.is_ascii_alphabetic()).then_some(k);
        }
        match self.by_id.get(&kind.id) {
            Some(&i) => self.kinds[i] = kind,
            None => {
                self.by_id.insert(kind.id.clone(), self.kinds.len());
                self.kinds.push(kind);
            }
        }
    }

    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    pub fn get(&self, id: &str) -> Option<&Kind> {
        self.by_id.get(id).map(|&i| &self.kinds[i])
    }

    /// The kind for `id`, or a generic stand-in for kinds this palette does not know.
    pub fn kind_or_fallback(&self, id: &str) -> &Kind {
        self.get(id).unwrap_or(&self.fallback)
    }

    /// The kind placed by a plain key press.
    pub fn by_key(&self, key: char) -> Option<&Kind> {
        let key = key.to_ascii_uppercase();
        self.kinds.iter().find(|k| k.key == Some(key))
    }

    /// Categories in first-appearance order.
    pub fn categories(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for k in &self.kinds {
            if !out.contains(&k.category.as_str()) {
                out.push(&k.category);
            }
        }
        out
    }

    /// Kinds whose name, id or tag contains every word of `query`, best matches first.
    pub fn search(&self, query: &str) -> Vec<&Kind> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return self.kinds.iter().collect();
        }
        let mut hits: Vec<(u8, &Kind)> = self
            .kinds
            .iter()
            .filter_map(|k| {
                let name = k.name.to_lowercase();
                let hay = format!("{name} {} {}", k.id.replace('_', " "), k.tag.to_lowercase());
                if !q.split_whitespace().all(|w| hay.contains(w)) {
                    return None;
                }
                let rank = if name.starts_with(&q) || k.tag.to_lowercase() == q {
                    0
                } else if name.split_whitespace().any(|w| w.starts_with(&q)) {
                    1
                } else {
                    2
                };
                Some((rank, k))
            })
            .collect();
        hits.sort_by_key(|(rank, _)| *rank);
        hits.into_iter().map(|(_, k)| k).collect()
    }
}

impl Default for Palette {
    fn default() -> Self {
        Self::bundled()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_palette_parses_and_is_complete() {
        let file: PaletteFile = ron::from_str(BUNDLED).expect("bundled palette parses");
        let p = Palette::bundled();
        assert_eq!(p.kinds().len(), file.kinds.len(), "no duplicate ids");
        assert!(p.kinds().len() >= 24);
        for (key, id) in [
            ('L', "load_balancer"),
            ('C', "cache"),
            ('D', "database"),
            ('Q', "queue"),
            ('N', "cdn"),
            ('R', "box"),
        ] {
            assert_eq!(p.by_key(key).map(|k| k.id.as_str()), Some(id));
        }
        for id in [
            crate::model::TEXT_KIND,
            crate::model::FRAME_KIND,
            crate::model::BOX_KIND,
        ] {
            assert!(p.get(id).is_some(), "{id} is in the palette");
        }
    }

    #[test]
    fn every_component_names_a_lens() {
        for k in Palette::bundled().kinds() {
            if k.category != "Canvas" {
                assert!(!k.lens.is_empty(), "{} has no lens", k.id);
            }
        }
    }

    #[test]
    fn search_ranks_prefix_matches_first() {
        let p = Palette::bundled();
        let hits = p.search("cache");
        assert_eq!(hits.first().map(|k| k.id.as_str()), Some("cache"));
        assert_eq!(
            p.search("load bal").first().map(|k| k.id.as_str()),
            Some("load_balancer")
        );
        assert!(p.search("zzzz").is_empty());
    }

    #[test]
    fn user_palettes_add_override_and_report_errors() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(
            dir.path().join("a.ron"),
            r#"(kinds: [
                (id: "ledger", name: "Ledger", tag: "LDG", shape: Cylinder, tint: Amber, size: (120, 90), key: Some('V'), lens: "database", category: "Payments"),
                (id: "cache", name: "Redis", tag: "REDIS", shape: Rounded, tint: Red, size: (150, 70), key: Some('C'), lens: "cache", category: "Data"),
            ])"#,
        )
        .expect("write");
        std::fs::write(dir.path().join("b.ron"), "(kinds: [ (id: ").expect("write");
        let (p, problems) = Palette::with_user_dir(dir.path());
        assert_eq!(
            p.get("ledger").map(|k| k.key),
            Some(None),
            "V is the select tool: dropped"
        );
        assert_eq!(p.get("cache").map(|k| k.name.as_str()), Some("Redis"));
        assert_eq!(p.by_key('C').map(|k| k.id.as_str()), Some("cache"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("b.ron:1:"), "{}", problems[0]);
    }

    #[test]
    fn unknown_kinds_get_a_generic_stand_in() {
        let p = Palette::bundled();
        assert_eq!(p.kind_or_fallback("quantum").shape, Shape::Rounded);
    }
}
