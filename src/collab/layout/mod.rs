//! The shared document's layout: how a board lives in a Yjs document. This is a contract with
//! every other peer (another archboard, a script using `yjs`), written down in the README.
//!
//! Granularity is chosen so that concurrent edits merge the way a person expects:
//! - each block and link is its own map, so two people moving two blocks both win;
//! - position, size, kind and label are separate keys, so a move and a rename both survive;
//! - labels and notes are `Y.Text`, so two people typing in one label merge letter by letter;
//! - lens ticks are keys of their own map, so ticks on different items both survive.
//!
//! Ids are decimal strings, so JavaScript reads them exactly whatever their size.
//!
//! Reading is untrusted: every entry is checked as strictly as a file's (unknown keys, wrong
//! types, non-finite or absurd numbers, over-long text), by the same validator.
//!
//! `write.rs` puts a board into the document, `read.rs` takes it out and checks it.

mod read;
mod write;

pub use read::*;
pub use write::*;

use yrs::{Doc, MapRef};

/// Prefix of the keys that hold a block's lens ticks (`tick:cache/eviction`).
pub const TICK: &str = "tick:";

/// Names of the root types.
pub const BLOCKS: &str = "blocks";
pub const LINKS: &str = "links";
pub const BOARD: &str = "board";
pub const ESTIMATE: &str = "estimate";
pub const INTERVIEW: &str = "interview";
/// The layout version written under `board.layout`; a newer one is refused.
pub const LAYOUT_VERSION: f64 = 1.0;

/// Handles to the root types of a shared board.
#[derive(Clone)]
pub struct Roots {
    pub blocks: MapRef,
    pub links: MapRef,
    pub board: MapRef,
    pub estimate: MapRef,
    pub interview: MapRef,
}

impl Roots {
    pub fn of(doc: &Doc) -> Self {
        Self {
            blocks: doc.get_or_insert_map(BLOCKS),
            links: doc.get_or_insert_map(LINKS),
            board: doc.get_or_insert_map(BOARD),
            estimate: doc.get_or_insert_map(ESTIMATE),
            interview: doc.get_or_insert_map(INTERVIEW),
        }
    }
}

pub fn id_key(id: u64) -> String {
    id.to_string()
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

// ---------------------------------------------------------------------------------------------
// Writing: only what differs, so an unchanged field is never touched (and never conflicts).

/// Longest practice session entry accepted from a peer, in bytes of JSON.
const MAX_PRACTICE_JSON: usize = 64 * 1024;

/// The keys the `board` map may hold.
const BOARD_KEYS: &[&str] = &["title", "layout", "practice"];

/// Whether `key` is one of `known`, or a block's tick.
fn is_known(known: &[&str], key: &str) -> bool {
    known.contains(&key) || (known == BLOCK_KEYS && key.starts_with(TICK))
}

const BLOCK_KEYS: &[&str] = &[
    "kind",
    "label",
    "notes",
    "pos",
    "size",
    "z",
    "group",
    "locked",
    "deep_dive",
    "instances",
    "capacity",
    "replication",
    "partition_key",
    "label_at",
    "fields",
    "reqs",
    "api",
    "ink",
    "ink_color",
];

const LINK_KEYS: &[&str] = &[
    "from",
    "to",
    "from_anchor",
    "to_anchor",
    "label",
    "style",
    "direction",
    "route",
    "share",
    "er",
];

const INTERVIEW_KEYS: [&str; 6] = ["plan", "phase", "phase_ms", "block_ms", "running", "run"];

/// Whether the room's interview clock runs, and which start of it this is.
///
/// Peers agree on the clock without comparing wall clocks (which disagree by seconds): the
/// time spent so far is in the document, and each peer counts on from the moment it learns the
/// clock was started, on its own monotonic clock. The peer that started it writes the time spent
/// every few seconds, so one that joins late is never far off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedClock {
    pub running: bool,
    /// Changes with every start, so a pause and a start in between are not missed.
    pub run: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockId, Rect};
    use yrs::Transact;
    use yrs::{Any, Map, Out};

    fn doc_with(block: &Block) -> (Doc, Roots) {
        let doc = Doc::new();
        let roots = Roots::of(&doc);
        write_block(&mut doc.transact_mut(), &roots, block);
        (doc, roots)
    }

    #[test]
    fn a_block_reads_back_as_written() {
        let mut b = Block::new(
            BlockId(7),
            "cache",
            "Redis",
            Rect::new(1.0, 2.0, 30.0, 40.0),
        );
        b.checked.insert("cache/eviction".into());
        b.props.instances = Some(3);
        b.group = Some(99);
        b.label_at = crate::model::LabelAt::Below;
        let (doc, roots) = doc_with(&b);
        let txn = doc.transact();
        let v = roots.blocks.get(&txn, "7").expect("entry");
        assert_eq!(read_block(&txn, "7", v), Ok(b));
    }

    /// A cache block written into a document, with the map that holds it.
    fn redis_entry() -> (Doc, Roots, yrs::MapRef) {
        let b = Block::new(
            BlockId(7),
            "cache",
            "Redis",
            Rect::new(1.0, 2.0, 30.0, 40.0),
        );
        let (doc, roots) = doc_with(&b);
        let Some(Out::YMap(m)) = roots.blocks.get(&doc.transact(), "7") else {
            panic!("a map");
        };
        (doc, roots, m)
    }

    #[test]
    fn an_entity_s_fields_cross_and_a_peer_s_bad_fields_are_refused() {
        let mut b = Block::new(
            BlockId(7),
            crate::model::ENTITY_KIND,
            "User",
            Rect::new(0.0, 0.0, 220.0, 78.0),
        );
        b.fields = vec![
            crate::model::Field::new("id", "uuid").with("PK").with("PT"),
            crate::model::Field::new("email", "text").with("UK"),
        ];
        let (doc, roots) = doc_with(&b);
        {
            let txn = doc.transact();
            let v = roots.blocks.get(&txn, "7").expect("entry");
            assert_eq!(read_block(&txn, "7", v), Ok(b));
        }
        let Some(Out::YMap(m)) = roots.blocks.get(&doc.transact(), "7") else {
            panic!("a map");
        };
        for bad in [
            r#"{"x":1}"#,
            r#"[{"name":"id","keys":"ZZ"}]"#,
            r#"[{"name":"a\u0007"}]"#,
        ] {
            m.insert(&mut doc.transact_mut(), "fields", bad);
            let txn = doc.transact();
            let v = roots.blocks.get(&txn, "7").expect("entry");
            let r = read_block(&txn, "7", v);
            assert!(
                matches!(&r, Err(EntryError::Invalid(e)) if e.contains("fields")),
                "{bad}: {r:?}"
            );
        }
    }

    #[test]
    fn cards_and_ink_cross_and_a_peer_s_bad_ones_are_refused() {
        use crate::model::requirements::Quality;
        use crate::model::{Endpoint, Point, Requirement};
        let mut b = Block::new(
            BlockId(7),
            crate::model::REQUIREMENTS_KIND,
            "Requirements",
            Rect::new(0.0, 0.0, 300.0, 120.0),
        );
        b.reqs = vec![
            Requirement::functional("post"),
            Requirement::non_functional(Quality::Latency, "p99 < 200 ms"),
        ];
        b.endpoints = vec![Endpoint::new("GET", "/feed").on("Post")];
        b.ink = vec![Point::new(0.0, 0.0), Point::new(4.5, -2.25)];
        b.ink_color = Some([232, 89, 12]);
        let (doc, roots) = doc_with(&b);
        {
            let txn = doc.transact();
            let v = roots.blocks.get(&txn, "7").expect("entry");
            assert_eq!(read_block(&txn, "7", v), Ok(b));
        }
        let Some(Out::YMap(m)) = roots.blocks.get(&doc.transact(), "7") else {
            panic!("a map");
        };
        for (key, bad) in [
            ("reqs", r#"[{"section":"someday","text":"x"}]"#),
            (
                "reqs",
                r#"[{"section":"functional","quality":"latency","text":"x"}]"#,
            ),
            ("api", r#"[{"method":"FETCH","path":"/"}]"#),
            ("api", "[1]"),
            ("ink", "0,0 1,one"),
            ("ink", "0,0 99999999999,0"),
            ("ink_color", "orange"),
        ] {
            m.insert(&mut doc.transact_mut(), key, bad);
            let txn = doc.transact();
            let v = roots.blocks.get(&txn, "7").expect("entry");
            let r = read_block(&txn, "7", v);
            assert!(
                matches!(&r, Err(EntryError::Invalid(_))),
                "{key} = {bad}: {r:?}"
            );
            drop(txn);
            m.remove(&mut doc.transact_mut(), key);
        }
    }

    #[test]
    fn a_growing_stroke_sends_only_its_new_points() {
        use crate::model::Point;
        use yrs::ReadTxn;
        let mut b = Block::new(
            BlockId(7),
            crate::model::INK_KIND,
            "",
            Rect::new(0.0, 0.0, 8.0, 8.0),
        );
        b.ink = (0..400)
            .map(|i| Point::new(i as f32 * 3.0, (i % 7) as f32))
            .collect();
        let (doc, roots) = doc_with(&b);
        let before = doc.transact().state_vector();
        b.ink
            .extend((400..410).map(|i| Point::new(i as f32 * 3.0, 0.0)));
        write_block(&mut doc.transact_mut(), &roots, &b);
        let update = doc.transact().encode_diff_v1(&before);
        let whole = crate::model::ink::encode(&b.ink).len();
        assert!(
            update.len() < 120,
            "ten more points cost {} bytes (the whole stroke is {whole})",
            update.len()
        );
    }

    #[test]
    fn a_relationship_s_crow_s_feet_cross_and_a_bad_one_is_refused() {
        use crate::model::{Card, Link, LinkId};
        let mut l = Link::new(LinkId(9), BlockId(1), BlockId(2));
        l.cardinality = Some((Card::ExactlyOne, Card::ZeroOrMany));
        let doc = Doc::new();
        let roots = Roots::of(&doc);
        write_link(&mut doc.transact_mut(), &roots, &l);
        {
            let txn = doc.transact();
            let v = roots.links.get(&txn, "9").expect("entry");
            assert_eq!(read_link(&txn, "9", v), Ok(l));
        }
        let Some(Out::YMap(m)) = roots.links.get(&doc.transact(), "9") else {
            panic!("a map");
        };
        m.insert(&mut doc.transact_mut(), "er", "<>--<>");
        let txn = doc.transact();
        let v = roots.links.get(&txn, "9").expect("entry");
        let r = read_link(&txn, "9", v);
        assert!(
            matches!(&r, Err(EntryError::Invalid(e)) if e.contains("er")),
            "{r:?}"
        );
    }

    #[test]
    fn a_peer_s_unknown_label_place_is_refused() {
        let (doc, roots, m) = redis_entry();
        m.insert(&mut doc.transact_mut(), "label_at", "sideways");
        let txn = doc.transact();
        let v = roots.blocks.get(&txn, "7").expect("entry");
        let r = read_block(&txn, "7", v);
        assert!(
            matches!(&r, Err(EntryError::Invalid(e)) if e.contains("label_at")),
            "{r:?}"
        );
    }

    #[test]
    fn a_half_written_block_is_incomplete_and_a_bad_one_invalid() {
        let (doc, roots, m) = redis_entry();
        m.remove(&mut doc.transact_mut(), "pos");
        let txn = doc.transact();
        let v = roots.blocks.get(&txn, "7").expect("entry");
        let r = read_block(&txn, "7", v);
        assert!(matches!(r, Err(EntryError::Incomplete(_))), "{r:?}");
        drop(txn);
        m.insert(
            &mut doc.transact_mut(),
            "pos",
            Any::Array([Any::from(f64::NAN), Any::from(1.0)].into()),
        );
        let txn = doc.transact();
        let v = roots.blocks.get(&txn, "7").expect("entry");
        assert!(matches!(
            read_block(&txn, "7", v),
            Err(EntryError::Invalid(_))
        ));
    }

    #[test]
    fn text_diffs_keep_the_common_ends() {
        assert_eq!(text_diff("hello", "help"), ("hel", "lo", "p"));
        assert_eq!(text_diff("abc", "abc"), ("abc", "", ""));
        assert_eq!(text_diff("", "x"), ("", "", "x"));
        assert_eq!(text_diff("été", "étè"), ("ét", "é", "è"));
    }
}
