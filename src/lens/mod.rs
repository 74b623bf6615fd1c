//! Deep-dive lenses: the checklist an interviewer probes for each kind of component.
//!
//! The lens texts are data (`assets/lenses.ron`), compiled in so a fresh checkout runs. A block
//! stores the keys of the items it has covered (`"cache/eviction"`, `"any/spof"`), so renaming
//! an item's question never loses a tick, and an unknown key (from a newer archboard) is kept.

use crate::model::Block;
use serde::Deserialize;
use std::collections::HashMap;

const BUNDLED: &str = include_str!("../../assets/lenses.ron");
/// Prefix of the cross-cutting items every block has.
pub const ANY: &str = "any";

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub question: String,
    pub hint: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lens {
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub sections: Vec<Section>,
    /// Whether the questions every component answers (failure, load, scale) apply. They do not
    /// to what is written rather than run: a table, a requirements or an API card.
    #[serde(default = "yes")]
    pub cross_cutting: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossCutting {
    pub title: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LensFile {
    lenses: Vec<Lens>,
    cross_cutting: CrossCutting,
}

/// All lenses, looked up by id.
#[derive(Clone, Debug)]
pub struct LensLibrary {
    lenses: Vec<Lens>,
    by_id: HashMap<String, usize>,
    pub cross_cutting: CrossCutting,
    /// Item keys per lens id (lens items plus cross-cutting), built once: badges read them per
    /// visible block per frame.
    keys: HashMap<String, Vec<String>>,
    cross_keys: Vec<String>,
}

/// The key under which a block records a covered item.
pub fn item_key(lens: &str, item: &str) -> String {
    format!("{lens}/{item}")
}

impl LensLibrary {
    pub fn bundled() -> Self {
        // The bundled file is checked by a unit test; an empty library is the safe fallback.
        let file: LensFile = ron::from_str(BUNDLED).unwrap_or(LensFile {
            lenses: Vec::new(),
            cross_cutting: CrossCutting {
                title: String::new(),
                items: Vec::new(),
            },
        });
        let by_id = file
            .lenses
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), i))
            .collect();
        let cross_keys: Vec<String> = file
            .cross_cutting
            .items
            .iter()
            .map(|i| item_key(ANY, &i.id))
            .collect();
        let keys = file
            .lenses
            .iter()
            .map(|l| {
                let mut k: Vec<String> = l
                    .sections
                    .iter()
                    .flat_map(|s| s.items.iter().map(|i| item_key(&l.id, &i.id)))
                    .collect();
                if l.cross_cutting {
                    k.extend(cross_keys.iter().cloned());
                }
                (l.id.clone(), k)
            })
            .collect();
        Self {
            lenses: file.lenses,
            by_id,
            cross_cutting: file.cross_cutting,
            keys,
            cross_keys,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Lens> {
        self.by_id.get(id).map(|&i| &self.lenses[i])
    }

    pub fn lenses(&self) -> &[Lens] {
        &self.lenses
    }

    /// Every item key that counts for a block with lens `lens_id` (its lens plus cross-cutting).
    pub fn keys_for(&self, lens_id: &str) -> &[String] {
        self.keys
            .get(lens_id)
            .map_or(&self.cross_keys, Vec::as_slice)
    }

    /// The question of the item stored under `key` (`lens/item`, or `any/item`).
    pub fn question(&self, key: &str) -> Option<&str> {
        let (lens, item) = key.split_once('/')?;
        let items: Box<dyn Iterator<Item = &Item>> = if lens == ANY {
            Box::new(self.cross_cutting.items.iter())
        } else {
            Box::new(self.get(lens)?.sections.iter().flat_map(|s| s.items.iter()))
        };
        items
            .into_iter()
            .find(|i| i.id == item)
            .map(|i| i.question.as_str())
    }

    /// (covered, total) for a block whose kind opens `lens_id`.
    pub fn coverage(&self, block: &Block, lens_id: &str) -> (usize, usize) {
        let keys = self.keys_for(lens_id);
        let covered = if block.checked.is_empty() {
            0
        } else {
            keys.iter().filter(|k| block.checked.contains(*k)).count()
        };
        (covered, keys.len())
    }
}

impl Default for LensLibrary {
    fn default() -> Self {
        Self::bundled()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockId, Rect};

    #[test]
    fn bundled_lenses_parse_and_cover_every_palette_lens() {
        let file: LensFile = ron::from_str(BUNDLED).expect("lenses.ron parses");
        assert!(file.lenses.len() >= 10);
        let lib = LensLibrary::bundled();
        for kind in crate::palette::Palette::bundled().kinds() {
            if !kind.lens.is_empty() {
                assert!(
                    lib.get(&kind.lens).is_some(),
                    "{} names missing lens {}",
                    kind.id,
                    kind.lens
                );
            }
        }
        let cache = lib.get("cache").expect("cache lens");
        let items: Vec<&str> = cache
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.id.as_str()))
            .collect();
        for needed in [
            "where",
            "eviction",
            "write-strategy",
            "invalidation",
            "stampede",
            "failure",
            "tradeoffs",
        ] {
            assert!(items.contains(&needed), "cache lens lacks {needed}");
        }
    }

    #[test]
    fn item_ids_are_unique_within_a_lens() {
        let lib = LensLibrary::bundled();
        for lens in lib.lenses() {
            let keys = lib.keys_for(&lens.id);
            let unique: std::collections::HashSet<_> = keys.iter().collect();
            assert_eq!(unique.len(), keys.len(), "{} repeats an item id", lens.id);
        }
    }

    #[test]
    fn coverage_counts_only_known_items() {
        let lib = LensLibrary::bundled();
        let mut b = Block::new(BlockId(1), "cache", "C", Rect::new(0.0, 0.0, 10.0, 10.0));
        let total = lib.keys_for("cache").len();
        assert_eq!(lib.coverage(&b, "cache"), (0, total));
        b.checked.insert(item_key("cache", "eviction"));
        b.checked.insert(item_key(ANY, "spof"));
        b.checked.insert("cache/from-the-future".into());
        assert_eq!(lib.coverage(&b, "cache"), (2, total));
    }
}
