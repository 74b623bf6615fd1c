//! Reading the shared document back into a board: every entry untrusted, checked as strictly
//! as a file's.

use super::*;
use crate::model::limits::MAX_LABEL_CHARS;
use crate::model::validate;
use crate::model::{
    Anchor, Block, BlockId, Board, Direction, End, EstimateInputs, Link, LinkId, LinkStyle, Props,
    Rect, Route, Side, TimerState,
};
use std::collections::BTreeMap;
use yrs::{Any, GetString, Map, MapRef, Out, ReadTxn, Text};

fn parse_id(key: &str) -> Result<u64, String> {
    key.parse::<u64>()
        .map_err(|_| format!("\"{}\" is not an id", clip(key)))
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

/// Longest stroke text taken from a peer: the most points at their longest steps.
const MAX_INK_CHARS: usize = crate::model::ink::MAX_POINTS * 16;

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
        b.label_at = match f.string("label_at")? {
            None => crate::model::LabelAt::Inside,
            Some(at) => crate::model::LabelAt::from_key(&at)
                .ok_or_else(|| format!("label_at = {:?} is not a place", clip(&at)))?,
        };
        if let Some(json) = f.string("fields")? {
            b.fields = crate::model::entity::from_json(&json)?;
        }
        if let Some(json) = f.string("reqs")? {
            b.reqs = crate::model::requirements::from_json(&json)?;
        }
        if let Some(json) = f.string("api")? {
            b.endpoints = crate::model::api::from_json(&json)?;
        }
        b.ink = crate::model::ink::decode(&f.text("ink", MAX_INK_CHARS)?)?;
        b.ink_color = match f.string("ink_color")? {
            None => None,
            Some(c) => Some(
                crate::model::ink::parse_color(&c)
                    .ok_or_else(|| format!("ink_color = {:?} is not a #rrggbb colour", clip(&c)))?,
            ),
        };
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
        l.cardinality = match f.string("er")? {
            None => None,
            Some(k) => Some(
                crate::model::link::parse_cardinality(&k)
                    .ok_or_else(|| format!("er \"{}\" is not a relationship", clip(&k)))?,
            ),
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
