//! The board's rules: what every block, link and board must satisfy, whatever door it came
//! through (a file, a peer's update, an import, a paste). The doors add where the problem is (a
//! file's name, a peer); the rules only say what is wrong and with which item.

use super::limits::*;
use super::{Anchor, Block, BlockId, Board, Link, Rect};
use std::collections::BTreeMap;

/// What is wrong with a board, a block or a link, worded for the person who has to fix it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Invalid {
    #[error("{what} has {chars} characters; at most {max} are allowed")]
    TooLong {
        what: String,
        chars: usize,
        max: usize,
    },
    #[error("{count} {items}; a board holds at most {max}")]
    TooMany {
        count: usize,
        items: &'static str,
        max: usize,
    },
    #[error("id {id} is used twice ({first} and {second})")]
    UsedTwice {
        id: u64,
        first: String,
        second: String,
    },
    #[error("its {end} refers to block #{block}, which does not exist")]
    MissingBlock { end: &'static str, block: u64 },
    #[error("it connects block #{0} to itself")]
    SelfLink(u64),
    #[error("{what} is {value}, not a finite number")]
    NotFinite { what: String, value: f32 },
    /// A number outside what its field allows; the words name the field and the range.
    #[error("{0}")]
    OutOfRange(String),
    #[error("the component kind is empty")]
    EmptyKind,
    #[error("id {0} leaves no room for new ids")]
    NoIdsLeft(u64),
    /// A problem of one item: `block #3 "Cache": the label has …`.
    #[error("{item}: {problem}")]
    In { item: String, problem: Box<Invalid> },
}

impl Invalid {
    /// The same problem, said of `item`.
    pub fn of(self, item: impl Into<String>) -> Self {
        Invalid::In {
            item: item.into(),
            problem: Box::new(self),
        }
    }
}

/// Where a message is wanted as text (a peer's entry, an import's summary).
impl From<Invalid> for String {
    fn from(e: Invalid) -> Self {
        e.to_string()
    }
}

/// A board's parts as they arrive from outside, before they are known to make a board: blocks
/// and links as lists, so an id used twice is seen rather than silently merged.
pub struct Parts {
    pub title: String,
    pub next_id: u64,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    pub timer: crate::model::TimerState,
    pub estimate: crate::model::EstimateInputs,
    pub private: crate::model::PrivateNotes,
    pub practice: Option<crate::model::Practice>,
    pub recording: crate::model::Recording,
}

impl From<Board> for Parts {
    fn from(b: Board) -> Self {
        let Board {
            title,
            blocks,
            links,
            next_id,
            timer,
            estimate,
            private,
            practice,
            recording,
        } = b;
        Parts {
            title,
            next_id,
            blocks: blocks.into_iter().map(|(_, b)| b).collect(),
            links: links.into_iter().map(|(_, l)| l).collect(),
            timer,
            estimate,
            private,
            practice,
            recording,
        }
    }
}

/// Checks a board built in memory from outside data (an import), repairing what a file's load
/// repairs.
pub fn board(b: Board) -> Result<Board, Invalid> {
    assemble(Parts::from(b))
}

/// Checks every field and builds the board. The error says which block or link is wrong.
pub fn assemble(file: Parts) -> Result<Board, Invalid> {
    check_text("the title", &file.title, MAX_TITLE_CHARS)?;
    check_counts(file.blocks.len(), file.links.len())?;
    // Names are only made for the message of a board that fails: a big board has 200,000 ids.
    let mut blocks = BTreeMap::new();
    let mut max_id = 0;
    for block in file.blocks {
        check_block(&block).map_err(|e| e.of(describe_block(&block)))?;
        if let Some(first) = blocks.get(&block.id) {
            return Err(Invalid::UsedTwice {
                id: block.id.0,
                first: describe_block(first),
                second: describe_block(&block),
            });
        }
        max_id = max_id.max(block.id.0);
        blocks.insert(block.id, block);
    }
    let mut links = BTreeMap::new();
    for link in file.links {
        let who = || format!("link #{}", link.id.0);
        check_link(&link, &blocks).map_err(|e| e.of(who()))?;
        let first = match blocks.get(&BlockId(link.id.0)) {
            Some(b) => Some(describe_block(b)),
            None => links.contains_key(&link.id).then(who),
        };
        if let Some(first) = first {
            return Err(Invalid::UsedTwice {
                id: link.id.0,
                first,
                second: who(),
            });
        }
        max_id = max_id.max(link.id.0);
        links.insert(link.id, link);
    }
    let mut timer = file.timer;
    // Time recorded for blocks that no longer exist is meaningless: drop it.
    timer.block_ms.retain(|id, _| blocks.contains_key(id));
    check_timer(&timer)?;
    check_estimate(&file.estimate)?;
    let mut private = file.private;
    check_text("the private notes", &private.board, MAX_NOTES_CHARS)?;
    // A note about a block that is gone means nothing any more.
    private.blocks.retain(|id, _| blocks.contains_key(id));
    for (id, note) in &private.blocks {
        check_text(
            &format!("the private note on block #{}", id.0),
            note,
            MAX_NOTES_CHARS,
        )?;
    }
    if max_id == u64::MAX {
        return Err(Invalid::NoIdsLeft(max_id));
    }
    let mut practice = file.practice;
    if let Some(p) = &mut practice {
        check_text(
            "the practice problem id",
            &p.problem,
            crate::model::practice_state::MAX_ID_CHARS,
        )?;
        p.repair();
    }
    let mut recording = file.recording;
    check_recording(&recording, &blocks)?;
    recording.repair();
    Ok(Board {
        title: file.title,
        blocks: scattered(blocks),
        links: scattered(links),
        // A hand-edited counter below a used id would hand that id out again: repair it.
        next_id: file.next_id.max(max_id + 1),
        timer,
        estimate: file.estimate,
        private,
        practice,
        recording,
    })
}

/// The map of `sorted`, its entries inserted in a scattered order. The persistent maps split a
/// full leaf in half, so keys inserted in order leave every leaf half empty behind them; a
/// scattered order fills leaves to about two thirds, which at 100,000 blocks is some 15 MB less.
fn scattered<K: Ord + Clone, V: Clone>(sorted: BTreeMap<K, V>) -> imbl::OrdMap<K, V> {
    let mut entries: Vec<Option<(K, V)>> = sorted.into_iter().map(Some).collect();
    let n = entries.len();
    // A prime above any board's item count, so `i * STRIDE mod n` visits every index once.
    const STRIDE: u64 = 1_000_003;
    let mut map = imbl::OrdMap::new();
    for i in 0..n as u64 {
        if let Some((k, v)) = entries[((i * STRIDE) % n as u64) as usize].take() {
            map.insert(k, v);
        }
    }
    map
}

/// A recording replays into boards, so each block and link in it passes the same checks as the
/// board's own (a link in a recording may name a block the recording drops later: replay
/// removes such links, so only its shape is checked here).
fn check_recording(
    r: &crate::model::Recording,
    board_blocks: &BTreeMap<BlockId, Block>,
) -> Result<(), Invalid> {
    use crate::model::recording::{MAX_BASE, MAX_ENTRIES, Op};
    if r.entries.is_empty() && r.base_blocks.is_empty() && r.base_links.is_empty() {
        return Ok(());
    }
    if r.entries.len() > MAX_ENTRIES
        || r.base_blocks.len() > MAX_BASE
        || r.base_links.len() > MAX_BASE
    {
        return Err(Invalid::OutOfRange(format!(
            "the recording holds more than {MAX_ENTRIES} changes or a start of more than {MAX_BASE} items"
        )));
    }
    let blocks = r
        .base_blocks
        .iter()
        .chain(r.entries.iter().filter_map(|e| match &e.op {
            Op::Block(b) => Some(&**b),
            _ => None,
        }));
    let mut known = board_blocks.clone();
    for b in blocks {
        check_block(b).map_err(|e| e.of(format!("the recording's {}", describe_block(b))))?;
        known.insert(b.id, b.clone());
    }
    let links = r
        .base_links
        .iter()
        .chain(r.entries.iter().filter_map(|e| match &e.op {
            Op::Link(l) => Some(l),
            _ => None,
        }));
    for l in links {
        check_link(l, &known).map_err(|e| e.of(format!("the recording's link #{}", l.id.0)))?;
    }
    Ok(())
}

/// Refuses boards larger than [`MAX_BLOCKS`] blocks or [`MAX_LINKS`] links.
pub fn check_counts(blocks: usize, links: usize) -> Result<(), Invalid> {
    if blocks > MAX_BLOCKS {
        return Err(Invalid::TooMany {
            count: blocks,
            items: "blocks",
            max: MAX_BLOCKS,
        });
    }
    if links > MAX_LINKS {
        return Err(Invalid::TooMany {
            count: links,
            items: "links",
            max: MAX_LINKS,
        });
    }
    Ok(())
}

/// `block #3 "Cache"`: how messages name a block.
pub fn describe_block(b: &Block) -> String {
    let label: String = b.label.chars().take(40).collect();
    if label.trim().is_empty() {
        format!(
            "block #{} ({})",
            b.id.0,
            b.kind.chars().take(40).collect::<String>()
        )
    } else {
        format!("block #{} \"{}\"", b.id.0, label.replace('\n', " "))
    }
}

pub fn check_text(what: &str, text: &str, max: usize) -> Result<(), Invalid> {
    let chars = text.chars().count();
    if chars > max {
        return Err(Invalid::TooLong {
            what: what.to_owned(),
            chars,
            max,
        });
    }
    Ok(())
}

/// Everything a block must satisfy, whatever door it came through.
pub fn check_block(b: &Block) -> Result<(), Invalid> {
    if b.kind.trim().is_empty() {
        return Err(Invalid::EmptyKind);
    }
    check_text("the kind", &b.kind, MAX_KIND_CHARS)?;
    check_text("the label", &b.label, MAX_LABEL_CHARS)?;
    check_text("the notes", &b.notes, MAX_NOTES_CHARS)?;
    if b.checked.len() > MAX_CHECKED {
        return Err(Invalid::OutOfRange(format!(
            "{} lens items are ticked; at most {MAX_CHECKED} are allowed",
            b.checked.len()
        )));
    }
    if let Some(long) = b.checked.iter().find(|k| k.len() > MAX_CHECKED_KEY_BYTES) {
        return Err(Invalid::OutOfRange(format!(
            "lens item key \"{}…\" is longer than {MAX_CHECKED_KEY_BYTES} bytes",
            long.chars().take(20).collect::<String>()
        )));
    }
    check_rect(&b.rect)?;
    super::entity::check_fields(&b.fields).map_err(Invalid::OutOfRange)?;
    super::requirements::check(&b.reqs).map_err(Invalid::OutOfRange)?;
    super::api::check(&b.endpoints).map_err(Invalid::OutOfRange)?;
    super::ink::check(&b.ink).map_err(Invalid::OutOfRange)?;
    check_props(&b.props)
}

/// A saved interview state: a bounded number of phases and a plan id of bounded length.
pub fn check_timer(timer: &crate::model::TimerState) -> Result<(), Invalid> {
    if timer.phase_ms.len() > MAX_PHASES {
        return Err(Invalid::OutOfRange(format!(
            "the timer lists {} phases; at most {MAX_PHASES} are allowed",
            timer.phase_ms.len()
        )));
    }
    check_text("the timer plan", &timer.plan, MAX_KIND_CHARS)
}

/// The estimator's inputs must be finite and within bounds.
pub fn check_estimate(e: &crate::model::EstimateInputs) -> Result<(), Invalid> {
    for (name, v) in e.fields() {
        if !(v.is_finite() && (0.0..=MAX_ESTIMATE).contains(&v)) {
            return Err(Invalid::OutOfRange(format!(
                "the estimate's {name} is {v}; it must be between 0 and {MAX_ESTIMATE:e}"
            )));
        }
    }
    Ok(())
}

fn check_props(p: &crate::model::Props) -> Result<(), Invalid> {
    for (name, v) in [("instances", p.instances), ("replication", p.replication)] {
        if let Some(v) = v
            && !(1..=MAX_INSTANCES).contains(&v)
        {
            return Err(Invalid::OutOfRange(format!(
                "{name} = {v} is outside 1..={MAX_INSTANCES}"
            )));
        }
    }
    if let Some(c) = p.capacity
        && !(c.is_finite() && (0.0..=MAX_ESTIMATE).contains(&c))
    {
        return Err(Invalid::OutOfRange(format!(
            "capacity = {c} is not between 0 and {MAX_ESTIMATE:e}"
        )));
    }
    check_text(
        "the partition key",
        &p.partition_key,
        MAX_PARTITION_KEY_CHARS,
    )
}

fn check_rect(r: &Rect) -> Result<(), Invalid> {
    for (name, v) in [("x", r.x), ("y", r.y)] {
        if !v.is_finite() {
            return Err(Invalid::NotFinite {
                what: format!("position {name}"),
                value: v,
            });
        }
        if v.abs() > MAX_COORD {
            return Err(Invalid::OutOfRange(format!(
                "position {name} = {v} is beyond ±{MAX_COORD}"
            )));
        }
    }
    for (name, v) in [("width", r.w), ("height", r.h)] {
        if !v.is_finite() {
            return Err(Invalid::NotFinite {
                what: name.to_owned(),
                value: v,
            });
        }
        if !(1.0..=MAX_SIDE).contains(&v) {
            return Err(Invalid::OutOfRange(format!(
                "{name} = {v} is outside 1..={MAX_SIDE}"
            )));
        }
    }
    Ok(())
}

/// Everything a link must satisfy; `blocks` are the blocks it may join.
pub fn check_link(l: &Link, blocks: &BTreeMap<BlockId, Block>) -> Result<(), Invalid> {
    for (end, at) in [("start", &l.from), ("end", &l.to)] {
        if !blocks.contains_key(&at.block) {
            return Err(Invalid::MissingBlock {
                end,
                block: at.block.0,
            });
        }
        if let Anchor::Side { t, .. } = at.anchor
            && !(0.0..=1.0).contains(&t)
        {
            return Err(Invalid::OutOfRange(format!(
                "its {end} anchor position {t} is outside 0..=1"
            )));
        }
    }
    if l.from.block == l.to.block {
        return Err(Invalid::SelfLink(l.from.block.0));
    }
    if let Some(s) = l.share
        && !(0.0..=100.0).contains(&s)
    {
        return Err(Invalid::OutOfRange(format!(
            "its share of traffic {s} % is outside 0..=100"
        )));
    }
    check_text("the label", &l.label, MAX_LABEL_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LinkId, Point};

    fn file(blocks: Vec<Block>, links: Vec<Link>) -> Parts {
        Parts {
            title: "t".into(),
            next_id: 100,
            blocks,
            links,
            timer: Default::default(),
            estimate: Default::default(),
            private: Default::default(),
            practice: None,
            recording: Default::default(),
        }
    }

    fn block(id: u64, rect: Rect) -> Block {
        Block::new(BlockId(id), "cache", format!("B{id}"), rect)
    }

    const R: Rect = Rect::new(0.0, 0.0, 100.0, 60.0);

    #[test]
    fn valid_board_passes_and_repairs_a_low_counter() {
        let mut f = file(
            vec![block(1, R), block(7, R)],
            vec![Link::new(LinkId(9), BlockId(1), BlockId(7))],
        );
        f.next_id = 3;
        let b = assemble(f).expect("valid");
        assert_eq!(b.next_id, 10);
    }

    #[test]
    fn rejects_duplicate_ids_naming_both() {
        let e = assemble(file(vec![block(1, R), block(1, R)], vec![]))
            .expect_err("dup")
            .to_string();
        assert!(e.contains("id 1 is used twice"), "{e}");
        let e = assemble(file(
            vec![block(1, R), block(2, R)],
            vec![Link::new(LinkId(2), BlockId(1), BlockId(2))],
        ))
        .expect_err("block/link clash")
        .to_string();
        assert!(e.contains("link #2"), "{e}");
    }

    #[test]
    fn rejects_links_to_missing_blocks_and_self_links() {
        let e = assemble(file(
            vec![block(1, R)],
            vec![Link::new(LinkId(5), BlockId(1), BlockId(4))],
        ))
        .expect_err("dangling")
        .to_string();
        assert!(e.starts_with("link #5"), "{e}");
        assert!(e.contains("block #4"), "{e}");
        let e = assemble(file(
            vec![block(1, R)],
            vec![Link::new(LinkId(5), BlockId(1), BlockId(1))],
        ))
        .expect_err("self")
        .to_string();
        assert!(e.contains("itself"), "{e}");
    }

    #[test]
    fn rejects_non_finite_and_absurd_numbers() {
        for (rect, needle) in [
            (Rect::new(f32::NAN, 0.0, 10.0, 10.0), "NaN"),
            (Rect::new(0.0, f32::INFINITY, 10.0, 10.0), "inf"),
            (Rect::new(1e9, 0.0, 10.0, 10.0), "beyond"),
            (Rect::new(0.0, 0.0, -5.0, 10.0), "width"),
            (Rect::new(0.0, 0.0, 10.0, 0.0), "height"),
        ] {
            let e = assemble(file(vec![block(3, rect)], vec![]))
                .expect_err("bad rect")
                .to_string();
            assert!(e.starts_with("block #3 \"B3\""), "{e}");
            assert!(e.contains(needle), "{e} should mention {needle}");
        }
        let mut link = Link::new(LinkId(9), BlockId(1), BlockId(2));
        link.from.anchor = Anchor::Side {
            side: crate::model::Side::Top,
            t: f32::NAN,
        };
        let e = assemble(file(vec![block(1, R), block(2, R)], vec![link]))
            .expect_err("bad anchor")
            .to_string();
        assert!(e.contains("anchor"), "{e}");
        let _ = Point::ZERO;
    }

    #[test]
    fn rejects_over_long_strings() {
        let mut b = block(2, R);
        b.label = "x".repeat(MAX_LABEL_CHARS + 1);
        let e = assemble(file(vec![b], vec![]))
            .expect_err("long")
            .to_string();
        assert!(e.contains("label has 10001 characters"), "{e}");
    }
}
