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

use crate::model::limits::MAX_LABEL_CHARS;
use crate::model::{
    Anchor, Block, BlockId, Board, Direction, End, EstimateInputs, Link, LinkId, LinkStyle, Props,
    Rect, Route, Side, TimerState,
};
use crate::persistence::validate;
use std::collections::BTreeMap;
use yrs::types::map::MapPrelim;
use yrs::types::text::TextPrelim;
use yrs::{Any, Doc, GetString, Map, MapRef, Out, ReadTxn, Text, TextRef, TransactionMut};

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

fn parse_id(key: &str) -> Result<u64, String> {
    key.parse::<u64>()
        .map_err(|_| format!("\"{}\" is not an id", clip(key)))
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

// ---------------------------------------------------------------------------------------------
// Writing: only what differs, so an unchanged field is never touched (and never conflicts).

/// Writes `block` into the document: a new entry, or just the fields that differ.
pub fn write_block(txn: &mut TransactionMut, roots: &Roots, block: &Block) {
    let key = id_key(block.id.0);
    match roots.blocks.get(txn, &key) {
        Some(Out::YMap(map)) => update_block(txn, &map, block),
        _ => {
            let map = roots.blocks.insert(txn, key, MapPrelim::default());
            map.insert(txn, "label", TextPrelim::new(""));
            update_block(txn, &map, block);
        }
    }
}

fn update_block(txn: &mut TransactionMut, map: &MapRef, b: &Block) {
    drop_unknown(txn, map, BLOCK_KEYS);
    let Block {
        id: _,
        kind,
        label,
        rect,
        notes,
        z,
        group,
        locked,
        checked,
        deep_dive,
        props,
    } = b;
    set_str(txn, map, "kind", Some(kind));
    set_text(txn, map, "label", label);
    // Most blocks never get notes: their text is made when the first note is written.
    if !notes.is_empty() || map.contains_key(txn, "notes") {
        set_text(txn, map, "notes", notes);
    }
    // Position and size are a key each: a move and a resize from the far side both survive,
    // and a block costs two items, not four (each item costs some 300 bytes).
    set_pair(txn, map, "pos", rect.x, rect.y);
    set_pair(txn, map, "size", rect.w, rect.h);
    set_num(txn, map, "z", (*z != 0).then_some(f64::from(*z)));
    set_str(txn, map, "group", group.map(id_key).as_deref());
    set_bool(txn, map, "locked", *locked);
    set_bool(txn, map, "deep_dive", *deep_dive);
    // Each tick is a key of its own, so ticks on different items never conflict.
    let have: Vec<String> = map
        .keys(txn)
        .filter_map(|k| k.strip_prefix(TICK))
        .map(str::to_owned)
        .collect();
    for k in have.iter().filter(|k| !checked.contains(*k)) {
        map.remove(txn, &format!("{TICK}{k}"));
    }
    for k in checked.iter().filter(|k| !have.contains(k)) {
        map.insert(txn, format!("{TICK}{k}"), true);
    }
    let Props {
        instances,
        capacity,
        replication,
        partition_key,
    } = props;
    set_num(txn, map, "instances", instances.map(f64::from));
    set_num(txn, map, "capacity", *capacity);
    set_num(txn, map, "replication", replication.map(f64::from));
    set_str(
        txn,
        map,
        "partition_key",
        (!partition_key.is_empty()).then_some(partition_key.as_str()),
    );
}

/// Writes `link` into the document: a new entry, or just the fields that differ.
pub fn write_link(txn: &mut TransactionMut, roots: &Roots, link: &Link) {
    let key = id_key(link.id.0);
    let map = match roots.links.get(txn, &key) {
        Some(Out::YMap(map)) => map,
        _ => {
            let map = roots.links.insert(txn, key, MapPrelim::default());
            map.insert(txn, "label", TextPrelim::new(""));
            map
        }
    };
    drop_unknown(txn, &map, LINK_KEYS);
    let Link {
        id: _,
        from,
        to,
        label,
        style,
        direction,
        route,
        share,
    } = link;
    set_str(txn, &map, "from", Some(&id_key(from.block.0)));
    set_str(txn, &map, "to", Some(&id_key(to.block.0)));
    set_str(
        txn,
        &map,
        "from_anchor",
        anchor_text(from.anchor).as_deref(),
    );
    set_str(txn, &map, "to_anchor", anchor_text(to.anchor).as_deref());
    set_text(txn, &map, "label", label);
    // The usual values are left out, as in a file.
    let style = match style {
        LinkStyle::Sync => None,
        LinkStyle::Async => Some("async"),
    };
    set_str(txn, &map, "style", style);
    let direction = match direction {
        Direction::Forward => None,
        Direction::Both => Some("both"),
        Direction::None => Some("none"),
    };
    set_str(txn, &map, "direction", direction);
    let route = match route {
        Route::Straight => None,
        Route::Elbow => Some("elbow"),
    };
    set_str(txn, &map, "route", route);
    set_num(txn, &map, "share", share.map(f64::from));
}

pub fn remove_block(txn: &mut TransactionMut, roots: &Roots, id: BlockId) {
    roots.blocks.remove(txn, &id_key(id.0));
}

pub fn remove_link(txn: &mut TransactionMut, roots: &Roots, id: LinkId) {
    roots.links.remove(txn, &id_key(id.0));
}

pub fn write_title(txn: &mut TransactionMut, roots: &Roots, title: &str) {
    set_num(txn, &roots.board, "layout", Some(LAYOUT_VERSION));
    set_str(txn, &roots.board, "title", Some(title));
}

/// Longest practice session entry accepted from a peer, in bytes of JSON.
const MAX_PRACTICE_JSON: usize = 64 * 1024;

/// The practice session as one JSON string under `board.practice` (absent on boards that are
/// not practice boards). It is one value: the candidate is the one who asks and takes hints,
/// so whole-value merging loses nothing a person would expect to keep.
pub fn write_practice(
    txn: &mut TransactionMut,
    roots: &Roots,
    practice: Option<&crate::model::Practice>,
) {
    let json = practice.and_then(|p| serde_json::to_string(p).ok());
    set_str(txn, &roots.board, "practice", json.as_deref());
}

pub fn read_practice<T: ReadTxn>(
    txn: &T,
    roots: &Roots,
) -> Result<Option<crate::model::Practice>, String> {
    let f = Fields::new(txn, &roots.board, BOARD_KEYS)?;
    let Some(json) = f.string("practice")? else {
        return Ok(None);
    };
    if json.len() > MAX_PRACTICE_JSON {
        return Err("the practice session is too large".into());
    }
    let mut p: crate::model::Practice = serde_json::from_str(&json).map_err(|e| {
        format!(
            "the practice session is not valid: {}",
            clip(&e.to_string())
        )
    })?;
    validate::check_text(
        "the practice problem id",
        &p.problem,
        crate::model::practice_state::MAX_ID_CHARS,
    )?;
    p.repair();
    Ok(Some(p))
}

/// The keys the `board` map may hold.
const BOARD_KEYS: &[&str] = &["title", "layout", "practice"];

pub fn write_estimate(txn: &mut TransactionMut, roots: &Roots, e: &EstimateInputs) {
    for (name, v) in e.fields() {
        set_num(txn, &roots.estimate, name, Some(v));
    }
}

/// The saved interview state: plan, phase and the time spent per phase and per block.
pub fn write_timer(txn: &mut TransactionMut, roots: &Roots, t: &TimerState) {
    let TimerState {
        plan,
        phase,
        phase_ms,
        block_ms,
    } = t;
    let m = &roots.interview;
    set_str(txn, m, "plan", (!plan.is_empty()).then_some(plan.as_str()));
    set_num(txn, m, "phase", Some(*phase as f64));
    let phases: Vec<Any> = phase_ms.iter().map(|v| Any::from(*v as f64)).collect();
    let same = match m.get(txn, "phase_ms") {
        Some(Out::Any(Any::Array(a))) => *a == *phases,
        _ => false,
    };
    if !same {
        m.insert(txn, "phase_ms", Any::Array(phases.into()));
    }
    let blocks = match m.get(txn, "block_ms") {
        Some(Out::YMap(b)) => b,
        _ => m.insert(txn, "block_ms", MapPrelim::default()),
    };
    let have: Vec<String> = blocks.keys(txn).map(str::to_owned).collect();
    for k in &have {
        let keep = k
            .parse()
            .ok()
            .is_some_and(|id| block_ms.contains_key(&BlockId(id)));
        if !keep {
            blocks.remove(txn, k);
        }
    }
    for (id, ms) in block_ms {
        set_num(txn, &blocks, &id_key(id.0), Some(*ms as f64));
    }
}

/// Makes the document hold exactly `board`: every entry written, every other entry removed.
pub fn write_board(txn: &mut TransactionMut, roots: &Roots, board: &Board) {
    for (root, keep) in [
        (
            &roots.blocks,
            board.blocks.keys().map(|id| id.0).collect::<Vec<_>>(),
        ),
        (&roots.links, board.links.keys().map(|id| id.0).collect()),
    ] {
        let gone: Vec<String> = root
            .keys(txn)
            .filter(|k| {
                k.parse()
                    .ok()
                    .is_none_or(|id| keep.binary_search(&id).is_err())
            })
            .map(str::to_owned)
            .collect();
        for k in gone {
            root.remove(txn, &k);
        }
    }
    for b in board.blocks.values() {
        write_block(txn, roots, b);
    }
    for l in board.links.values() {
        write_link(txn, roots, l);
    }
    write_title(txn, roots, &board.title);
    write_estimate(txn, roots, &board.estimate);
    write_timer(txn, roots, &board.timer);
    write_practice(txn, roots, board.practice.as_ref());
}

/// Writes a two-number array, `[a, b]`, unless it holds those already.
fn set_pair(txn: &mut TransactionMut, map: &MapRef, key: &str, a: f32, b: f32) {
    let want = [f64::from(a), f64::from(b)];
    let same = match map.get(txn, key) {
        Some(Out::Any(Any::Array(v))) => {
            v.len() == 2
                && v.iter()
                    .zip(want)
                    .all(|(x, w)| matches!(x, Any::Number(n) if n.as_f64() == Some(w)))
        }
        _ => false,
    };
    if !same {
        map.insert(txn, key, Any::Array(want.map(Any::from).into()));
    }
}

/// Whether `key` is one of `known`, or a block's tick.
fn is_known(known: &[&str], key: &str) -> bool {
    known.contains(&key) || (known == BLOCK_KEYS && key.starts_with(TICK))
}

/// Removes keys no archboard writes: writing a refused entry back must leave it readable.
fn drop_unknown(txn: &mut TransactionMut, map: &MapRef, known: &[&str]) {
    let junk: Vec<String> = map
        .keys(txn)
        .filter(|k| !is_known(known, k))
        .map(str::to_owned)
        .collect();
    for k in junk {
        map.remove(txn, &k);
    }
}

fn set_num(txn: &mut TransactionMut, map: &MapRef, key: &str, v: Option<f64>) {
    let current = match map.get(txn, key) {
        Some(Out::Any(Any::Number(n))) => n.as_f64(),
        _ => None,
    };
    match v {
        Some(v) if current != Some(v) => {
            map.insert(txn, key, v);
        }
        None if map.contains_key(txn, key) => {
            map.remove(txn, key);
        }
        _ => {}
    }
}

fn set_str(txn: &mut TransactionMut, map: &MapRef, key: &str, v: Option<&str>) {
    let current = match map.get(txn, key) {
        Some(Out::Any(Any::String(s))) => Some(s),
        _ => None,
    };
    match v {
        Some(v) if current.as_deref() != Some(v) => {
            map.insert(txn, key, v);
        }
        None if map.contains_key(txn, key) => {
            map.remove(txn, key);
        }
        _ => {}
    }
}

/// `false` is written as absence, as in a file.
fn set_bool(txn: &mut TransactionMut, map: &MapRef, key: &str, v: bool) {
    let current = matches!(map.get(txn, key), Some(Out::Any(Any::Bool(true))));
    if v && !current {
        map.insert(txn, key, true);
    } else if !v && map.contains_key(txn, key) {
        map.remove(txn, key);
    }
}

/// Edits a `Y.Text` into `new` by the smallest change: the common start and end are kept, so
/// what someone else typed elsewhere in it meanwhile survives.
fn set_text(txn: &mut TransactionMut, map: &MapRef, key: &str, new: &str) {
    let text: TextRef = match map.get(txn, key) {
        Some(Out::YText(t)) => t,
        _ => map.insert(txn, key, TextPrelim::new("")),
    };
    let old = text.get_string(txn);
    if old == new {
        return;
    }
    let (start, old_mid, new_mid) = text_diff(&old, new);
    // Offsets are in UTF-16 units, as JavaScript counts them (the document is made so).
    let at = utf16_len(start);
    let removed = utf16_len(old_mid);
    if removed > 0 {
        text.remove_range(txn, at, removed);
    }
    if !new_mid.is_empty() {
        text.insert(txn, at, new_mid);
    }
}

fn utf16_len(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

/// Splits the change from `old` to `new` into (common start, removed middle, inserted middle).
pub fn text_diff<'a>(old: &'a str, new: &'a str) -> (&'a str, &'a str, &'a str) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((i, c), _)| i + c.len_utf8());
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    let suffix = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(c, _)| c.len_utf8())
        .sum::<usize>();
    (
        &old[..prefix],
        &old_rest[..old_rest.len() - suffix],
        &new_rest[..new_rest.len() - suffix],
    )
}

fn anchor_text(a: Anchor) -> Option<String> {
    match a {
        Anchor::Auto => None,
        Anchor::Side { side, t } => {
            let side = match side {
                Side::Top => "top",
                Side::Right => "right",
                Side::Bottom => "bottom",
                Side::Left => "left",
            };
            Some(format!("{side}:{t}"))
        }
    }
}

fn parse_anchor(s: &str) -> Result<Anchor, String> {
    let (side, t) = s
        .split_once(':')
        .ok_or_else(|| format!("anchor \"{}\" is not side:position", clip(s)))?;
    let side = match side {
        "top" => Side::Top,
        "right" => Side::Right,
        "bottom" => Side::Bottom,
        "left" => Side::Left,
        _ => return Err(format!("anchor side \"{}\" is unknown", clip(side))),
    };
    let t: f32 = t
        .parse()
        .map_err(|_| format!("anchor position \"{}\" is not a number", clip(t)))?;
    Ok(Anchor::Side { side, t })
}

// ---------------------------------------------------------------------------------------------
// Reading: strict, because anyone in the room may have written it.

/// The fields of an entry, checked for names and types as they are taken.
struct Fields<'a, T: ReadTxn> {
    txn: &'a T,
    map: &'a MapRef,
    known: &'static [&'static str],
}

impl<'a, T: ReadTxn> Fields<'a, T> {
    fn new(txn: &'a T, map: &'a MapRef, known: &'static [&'static str]) -> Result<Self, String> {
        if let Some(k) = map.keys(txn).find(|k| !is_known(known, k)) {
            return Err(format!("unknown field `{}`", clip(k)));
        }
        Ok(Self { txn, map, known })
    }

    fn get(&self, key: &str) -> Option<Out> {
        debug_assert!(self.known.contains(&key));
        self.map.get(self.txn, key)
    }

    fn num(&self, key: &str) -> Result<Option<f64>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Out::Any(Any::Number(n))) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| format!("{key} is not a number")),
            Some(_) => Err(format!("{key} is not a number")),
        }
    }

    fn string(&self, key: &str) -> Result<Option<String>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Out::Any(Any::String(s))) => {
                if s.chars().count() > MAX_LABEL_CHARS {
                    return Err(format!("{key} is too long"));
                }
                Ok(Some(s.to_string()))
            }
            Some(_) => Err(format!("{key} is not a string")),
        }
    }

    /// A two-number array, `[a, b]`.
    fn need_pair(&self, key: &str) -> Result<(f64, f64), EntryError> {
        match self.get(key) {
            None => Err(EntryError::Incomplete(format!("{key} is missing"))),
            Some(Out::Any(Any::Array(v))) => match &v[..] {
                [Any::Number(a), Any::Number(b)] => match (a.as_f64(), b.as_f64()) {
                    (Some(a), Some(b)) => Ok((a, b)),
                    _ => Err(format!("{key} is not two numbers").into()),
                },
                _ => Err(format!("{key} is not two numbers").into()),
            },
            Some(_) => Err(format!("{key} is not two numbers").into()),
        }
    }

    fn need_string(&self, key: &str) -> Result<String, EntryError> {
        self.string(key)?
            .ok_or_else(|| EntryError::Incomplete(format!("{key} is missing")))
    }

    fn flag(&self, key: &str) -> Result<bool, String> {
        match self.get(key) {
            None => Ok(false),
            Some(Out::Any(Any::Bool(b))) => Ok(b),
            Some(_) => Err(format!("{key} is not true or false")),
        }
    }

    /// A `Y.Text` (or, from a lenient writer, a plain string), bounded by `max` characters.
    fn text(&self, key: &str, max: usize) -> Result<String, String> {
        let s = match self.get(key) {
            None => String::new(),
            Some(Out::YText(t)) => {
                // Length first (cheap), so a hostile megabyte of text is never copied out.
                if t.len(self.txn) as usize > max * 4 {
                    return Err(format!("{key} is too long"));
                }
                t.get_string(self.txn)
            }
            Some(Out::Any(Any::String(s))) => s.to_string(),
            Some(_) => return Err(format!("{key} is not text")),
        };
        Ok(s)
    }

    fn map(&self, key: &str) -> Result<Option<MapRef>, String> {
        match self.get(key) {
            None => Ok(None),
            Some(Out::YMap(m)) => Ok(Some(m)),
            Some(_) => Err(format!("{key} is not a map")),
        }
    }
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
];

/// A number that must be a whole count within `u32`.
fn count(v: Option<f64>, key: &str) -> Result<Option<u32>, String> {
    match v {
        None => Ok(None),
        Some(v) if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) => {
            Ok(Some(v as u32))
        }
        Some(v) => Err(format!("{key} = {v} is not a whole number")),
    }
}

/// A coordinate: finite, and within f32 (the validator then bounds it further).
fn coord(v: f64, key: &str) -> Result<f32, String> {
    if !v.is_finite() || v.abs() > f64::from(f32::MAX) {
        return Err(format!("{key} is {v}, not a finite number"));
    }
    Ok(v as f32)
}

/// Why an entry of the document cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    /// A required field is not there (yet): its update may still be on its way.
    #[error("{0}")]
    Incomplete(String),
    /// Something no archboard writes: a wrong type, an unknown field, an absurd value.
    #[error("{0}")]
    Invalid(String),
}

impl From<String> for EntryError {
    fn from(e: String) -> Self {
        EntryError::Invalid(e)
    }
}

impl From<&str> for EntryError {
    fn from(e: &str) -> Self {
        EntryError::Invalid(e.to_owned())
    }
}

impl EntryError {
    fn within(self, whose: &str) -> Self {
        match self {
            EntryError::Incomplete(e) => EntryError::Incomplete(format!("{whose}: {e}")),
            EntryError::Invalid(e) => EntryError::Invalid(format!("{whose}: {e}")),
        }
    }
}

/// The block stored under `key`, checked like a block in a file.
pub fn read_block<T: ReadTxn>(txn: &T, key: &str, value: Out) -> Result<Block, EntryError> {
    let id = BlockId(parse_id(key)?);
    let Out::YMap(map) = value else {
        return Err(format!("block #{key} is not a map").into());
    };
    let whose = format!("block #{key}");
    let f = Fields::new(txn, &map, BLOCK_KEYS).map_err(|e| EntryError::from(e).within(&whose))?;
    let block = (|| -> Result<Block, EntryError> {
        let (x, y) = f.need_pair("pos")?;
        let (w, h) = f.need_pair("size")?;
        let rect = Rect::new(
            coord(x, "pos")?,
            coord(y, "pos")?,
            coord(w, "size")?,
            coord(h, "size")?,
        );
        let mut b = Block::new(
            id,
            f.need_string("kind")?,
            f.text("label", MAX_LABEL_CHARS)?,
            rect,
        );
        b.notes = f.text("notes", crate::model::limits::MAX_NOTES_CHARS)?;
        b.z = match f.num("z")? {
            None => 0,
            Some(z)
                if z.fract() == 0.0 && (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&z) =>
            {
                z as i32
            }
            Some(z) => return Err(format!("z = {z} is not a whole number").into()),
        };
        b.group = f.string("group")?.map(|g| parse_id(&g)).transpose()?;
        b.locked = f.flag("locked")?;
        b.deep_dive = f.flag("deep_dive")?;
        for (k, v) in map.iter(txn) {
            if let Some(key) = k.strip_prefix(TICK) {
                if !matches!(v, Out::Any(Any::Bool(true))) {
                    return Err(format!("tick {} is not true", clip(key)).into());
                }
                b.checked.insert(key.to_owned());
            }
        }
        b.props = Props {
            instances: count(f.num("instances")?, "instances")?,
            capacity: f.num("capacity")?,
            replication: count(f.num("replication")?, "replication")?,
            partition_key: f.string("partition_key")?.unwrap_or_default(),
        };
        Ok(b)
    })()
    .map_err(|e| e.within(&whose))?;
    validate::check_block(&block)
        .map_err(|e| EntryError::Invalid(format!("{}: {e}", validate::describe_block(&block))))?;
    Ok(block)
}

/// The link stored under `key`, checked like a link in a file (its blocks are checked when the
/// board is put together, since they may arrive in another update).
pub fn read_link<T: ReadTxn>(txn: &T, key: &str, value: Out) -> Result<Link, EntryError> {
    let id = LinkId(parse_id(key)?);
    let Out::YMap(map) = value else {
        return Err(format!("link #{key} is not a map").into());
    };
    let whose = format!("link #{key}");
    let f = Fields::new(txn, &map, LINK_KEYS).map_err(|e| EntryError::from(e).within(&whose))?;
    let link = (|| -> Result<Link, EntryError> {
        let end = |block: &str, anchor: &str| -> Result<End, EntryError> {
            Ok(End {
                block: BlockId(parse_id(&f.need_string(block)?)?),
                anchor: match f.string(anchor)? {
                    None => Anchor::Auto,
                    Some(a) => parse_anchor(&a)?,
                },
            })
        };
        let mut l = Link::new(id, BlockId(0), BlockId(0));
        l.from = end("from", "from_anchor")?;
        l.to = end("to", "to_anchor")?;
        l.label = f.text("label", MAX_LABEL_CHARS)?;
        l.style = match f.string("style")?.as_deref() {
            None | Some("sync") => LinkStyle::Sync,
            Some("async") => LinkStyle::Async,
            Some(s) => return Err(format!("style \"{}\" is unknown", clip(s)).into()),
        };
        l.direction = match f.string("direction")?.as_deref() {
            None | Some("forward") => Direction::Forward,
            Some("both") => Direction::Both,
            Some("none") => Direction::None,
            Some(s) => return Err(format!("direction \"{}\" is unknown", clip(s)).into()),
        };
        l.route = match f.string("route")?.as_deref() {
            None | Some("straight") => Route::Straight,
            Some("elbow") => Route::Elbow,
            Some(s) => return Err(format!("route \"{}\" is unknown", clip(s)).into()),
        };
        l.share = match f.num("share")? {
            None => None,
            Some(s) if s.is_finite() => Some(s as f32),
            Some(s) => return Err(format!("share is {s}").into()),
        };
        Ok(l)
    })()
    .map_err(|e| e.within(&whose))?;
    // Ends are checked against the board later; here only what the link holds itself.
    let both: BTreeMap<BlockId, Block> = [link.from.block, link.to.block]
        .into_iter()
        .map(|id| (id, Block::new(id, "box", "", Rect::new(0.0, 0.0, 1.0, 1.0))))
        .collect();
    validate::check_link(&link, &both).map_err(|e| EntryError::Invalid(format!("{whose}: {e}")))?;
    Ok(link)
}

pub fn read_title<T: ReadTxn>(txn: &T, roots: &Roots) -> Result<String, String> {
    let f = Fields::new(txn, &roots.board, BOARD_KEYS)?;
    if let Some(v) = f.num("layout")?
        && v > LAYOUT_VERSION
    {
        return Err(format!(
            "the room was written by a newer archboard (layout {v}; this build reads up to {LAYOUT_VERSION}); update archboard to join it"
        ));
    }
    let title = f.string("title")?.unwrap_or_default();
    validate::check_text("the title", &title, crate::model::limits::MAX_TITLE_CHARS)?;
    Ok(title)
}

pub fn read_estimate<T: ReadTxn>(txn: &T, roots: &Roots) -> Result<EstimateInputs, String> {
    let mut e = EstimateInputs::default();
    let names: Vec<&'static str> = e.fields().iter().map(|(n, _)| *n).collect();
    if let Some(k) = roots.estimate.keys(txn).find(|k| !names.contains(k)) {
        return Err(format!("the estimate has an unknown field `{}`", clip(k)));
    }
    for (i, name) in names.iter().enumerate() {
        match roots.estimate.get(txn, name) {
            None => {}
            Some(Out::Any(Any::Number(n))) => {
                *e.values_mut()[i] = n
                    .as_f64()
                    .ok_or_else(|| format!("the estimate's {name} is not a number"))?
            }
            Some(_) => return Err(format!("the estimate's {name} is not a number")),
        }
    }
    validate::check_estimate(&e)?;
    Ok(e)
}

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

pub fn write_clock(txn: &mut TransactionMut, roots: &Roots, c: &SharedClock) {
    set_bool(txn, &roots.interview, "running", c.running);
    set_str(
        txn,
        &roots.interview,
        "run",
        (!c.run.is_empty()).then_some(c.run.as_str()),
    );
}

pub fn read_clock<T: ReadTxn>(txn: &T, roots: &Roots) -> SharedClock {
    let running = matches!(
        roots.interview.get(txn, "running"),
        Some(Out::Any(Any::Bool(true)))
    );
    let run = match roots.interview.get(txn, "run") {
        Some(Out::Any(Any::String(s))) => s.chars().take(64).collect(),
        _ => String::new(),
    };
    SharedClock { running, run }
}

pub fn read_timer<T: ReadTxn>(txn: &T, roots: &Roots) -> Result<TimerState, String> {
    let f = Fields::new(txn, &roots.interview, &INTERVIEW_KEYS)?;
    let mut t = TimerState {
        plan: f.string("plan")?.unwrap_or_default(),
        ..Default::default()
    };
    t.phase = count(f.num("phase")?, "phase")?.unwrap_or(0) as usize;
    let ms = |v: &Any| match v {
        Any::Number(n) => n.as_f64().filter(|v| v.is_finite() && *v >= 0.0),
        _ => None,
    };
    if let Some(v) = f.get("phase_ms") {
        let Out::Any(Any::Array(a)) = v else {
            return Err("phase_ms is not a list".into());
        };
        if a.len() > crate::model::limits::MAX_PHASES {
            return Err("the timer lists too many phases".into());
        }
        for x in a.iter() {
            let v = ms(x).ok_or("phase_ms holds something other than times")?;
            t.phase_ms
                .push((v as u64).min(crate::model::MAX_RECORDED_MS));
        }
    }
    if let Some(m) = f.map("block_ms")? {
        for (k, v) in m.iter(txn) {
            let id = BlockId(parse_id(k)?);
            let Out::Any(v) = v else {
                return Err("block_ms holds something other than times".into());
            };
            let v = ms(&v).ok_or("block_ms holds something other than times")?;
            t.block_ms
                .insert(id, (v as u64).min(crate::model::MAX_RECORDED_MS));
        }
    }
    validate::check_timer(&t)?;
    Ok(t)
}

/// The whole board in the document, and what had to be left out (each with its reason).
/// Links whose blocks are missing are left out silently: a peer deleted the block while
/// another linked to it, and every peer drops them alike.
pub fn read_board<T: ReadTxn>(txn: &T, roots: &Roots) -> Result<(Board, Vec<String>), String> {
    validate::check_counts(
        roots.blocks.len(txn) as usize,
        roots.links.len(txn) as usize,
    )?;
    let mut problems = Vec::new();
    let mut board = Board::new(read_title(txn, roots)?);
    for (key, value) in roots.blocks.iter(txn) {
        match read_block(txn, key, value) {
            Ok(b) => {
                board.reserve(b.id.0);
                board.blocks.insert(b.id, b);
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    for (key, value) in roots.links.iter(txn) {
        match read_link(txn, key, value) {
            Ok(l)
                if board.blocks.contains_key(&l.from.block)
                    && board.blocks.contains_key(&l.to.block) =>
            {
                board.reserve(l.id.0);
                board.links.insert(l.id, l);
            }
            Ok(_) => {}
            Err(e) => problems.push(e.to_string()),
        }
    }
    match read_estimate(txn, roots) {
        Ok(e) => board.estimate = e,
        Err(e) => problems.push(e),
    }
    match read_timer(txn, roots) {
        Ok(mut t) => {
            t.block_ms.retain(|id, _| board.blocks.contains_key(id));
            board.timer = t;
        }
        Err(e) => problems.push(e),
    }
    match read_practice(txn, roots) {
        Ok(p) => board.practice = p,
        Err(e) => problems.push(e),
    }
    Ok((board, problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::Transact;

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
        let (doc, roots) = doc_with(&b);
        let txn = doc.transact();
        let v = roots.blocks.get(&txn, "7").expect("entry");
        assert_eq!(read_block(&txn, "7", v), Ok(b));
    }

    #[test]
    fn a_half_written_block_is_incomplete_and_a_bad_one_invalid() {
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
