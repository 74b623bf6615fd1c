//! Writing a board into the shared document, key by key, changing only what differs so that
//! peers' concurrent edits to other keys survive.

use super::*;
use crate::model::{
    Anchor, Block, BlockId, Board, Direction, EstimateInputs, Link, LinkId, LinkStyle, Props,
    Route, Side, TimerState,
};
use yrs::types::map::MapPrelim;
use yrs::types::text::TextPrelim;
use yrs::{Any, GetString, Map, MapRef, Out, Text, TextRef, TransactionMut};

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
        label_at,
        fields,
        reqs,
        endpoints,
        ink,
        ink_color,
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
    set_str(
        txn,
        map,
        "label_at",
        (!label_at.is_inside()).then_some(label_at.key()),
    );
    // An entity's fields travel as one JSON value: a peer's edit replaces the list.
    let fields = (!fields.is_empty()).then(|| crate::model::entity::to_json(fields));
    set_str(txn, map, "fields", fields.as_deref());
    let reqs = (!reqs.is_empty()).then(|| crate::model::requirements::to_json(reqs));
    set_str(txn, map, "reqs", reqs.as_deref());
    let api = (!endpoints.is_empty()).then(|| crate::model::api::to_json(endpoints));
    set_str(txn, map, "api", api.as_deref());
    // A stroke is text that only grows while it is drawn: each update carries the new points.
    if !ink.is_empty() || map.contains_key(txn, "ink") {
        set_text(txn, map, "ink", &crate::model::ink::encode(ink));
    }
    let color = ink_color.map(crate::model::ink::color_text);
    set_str(txn, map, "ink_color", color.as_deref());
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
        cardinality,
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
    let er = cardinality.map(crate::model::link::cardinality_key);
    set_str(txn, &map, "er", er.as_deref());
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

pub fn write_clock(txn: &mut TransactionMut, roots: &Roots, c: &SharedClock) {
    set_bool(txn, &roots.interview, "running", c.running);
    set_str(
        txn,
        &roots.interview,
        "run",
        (!c.run.is_empty()).then_some(c.run.as_str()),
    );
}
