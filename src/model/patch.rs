//! Field-by-field changes to blocks and links: what an update changed, and how to put back
//! just that.
//!
//! Undo must be personal when several people edit one board. If undoing my rename put back the
//! whole block as it was, it would also undo the move a peer made meanwhile. So an update's
//! inverse names only the fields it changed (and, for lens ticks, only the items it ticked).

use super::block::{Block, LabelAt};
use super::geom::Rect;
use super::link::{Direction, End, Link, LinkStyle, Route};
use super::sizing::Props;

/// One field of a block, with its value.
#[derive(Clone, Debug, PartialEq)]
pub enum BlockField {
    Kind(String),
    Label(String),
    Rect(Rect),
    Notes(String),
    Z(i32),
    Group(Option<u64>),
    Locked(bool),
    /// One lens item ticked (`true`) or not.
    Tick(String, bool),
    DeepDive(bool),
    Props(Props),
    LabelAt(LabelAt),
    Fields(Vec<super::entity::Field>),
    Reqs(Vec<super::requirements::Requirement>),
    Endpoints(Vec<super::api::Endpoint>),
    Ink(Vec<super::geom::Point>),
    InkColor(Option<[u8; 3]>),
}

impl BlockField {
    /// Sets the field on `b` and returns what it held before.
    pub fn set(self, b: &mut Block) -> BlockField {
        use std::mem::replace;
        match self {
            BlockField::Kind(v) => BlockField::Kind(replace(&mut b.kind, v)),
            BlockField::Label(v) => BlockField::Label(replace(&mut b.label, v)),
            BlockField::Rect(v) => BlockField::Rect(replace(&mut b.rect, v)),
            BlockField::Notes(v) => BlockField::Notes(replace(&mut b.notes, v)),
            BlockField::Z(v) => BlockField::Z(replace(&mut b.z, v)),
            BlockField::Group(v) => BlockField::Group(replace(&mut b.group, v)),
            BlockField::Locked(v) => BlockField::Locked(replace(&mut b.locked, v)),
            BlockField::Tick(key, on) => {
                let was = if on {
                    !b.checked.insert(key.clone())
                } else {
                    b.checked.remove(&key)
                };
                BlockField::Tick(key, was)
            }
            BlockField::DeepDive(v) => BlockField::DeepDive(replace(&mut b.deep_dive, v)),
            BlockField::Props(v) => BlockField::Props(replace(&mut b.props, v)),
            BlockField::LabelAt(v) => BlockField::LabelAt(replace(&mut b.label_at, v)),
            BlockField::Fields(v) => BlockField::Fields(replace(&mut b.fields, v)),
            BlockField::Reqs(v) => BlockField::Reqs(replace(&mut b.reqs, v)),
            BlockField::Endpoints(v) => BlockField::Endpoints(replace(&mut b.endpoints, v)),
            BlockField::Ink(v) => BlockField::Ink(replace(&mut b.ink, v)),
            BlockField::InkColor(v) => BlockField::InkColor(replace(&mut b.ink_color, v)),
        }
    }

    /// A rough count of the bytes the field keeps alive.
    pub fn approx_bytes(&self) -> usize {
        match self {
            BlockField::Kind(s) | BlockField::Label(s) | BlockField::Notes(s) => 24 + s.len(),
            BlockField::Tick(s, _) => 32 + s.len(),
            BlockField::Props(p) => 64 + p.partition_key.len(),
            BlockField::Fields(f) => {
                24 + f
                    .iter()
                    .map(|f| 48 + f.name.len() + f.ty.len())
                    .sum::<usize>()
            }
            BlockField::Reqs(r) => 24 + r.iter().map(|r| 40 + r.text.len()).sum::<usize>(),
            BlockField::Endpoints(e) => {
                24 + e
                    .iter()
                    .map(|e| 128 + e.path.len() + e.request.len() + e.response.len())
                    .sum::<usize>()
            }
            BlockField::Ink(p) => 24 + 8 * p.len(),
            _ => 24,
        }
    }
}

/// The fields in which `new` differs from `old`, with `new`'s values.
pub fn block_diff(old: &Block, new: &Block) -> Vec<BlockField> {
    let mut out = Vec::new();
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
    } = new;
    if *kind != old.kind {
        out.push(BlockField::Kind(kind.clone()));
    }
    if *label != old.label {
        out.push(BlockField::Label(label.clone()));
    }
    if *rect != old.rect {
        out.push(BlockField::Rect(*rect));
    }
    if *notes != old.notes {
        out.push(BlockField::Notes(notes.clone()));
    }
    if *z != old.z {
        out.push(BlockField::Z(*z));
    }
    if *group != old.group {
        out.push(BlockField::Group(*group));
    }
    if *locked != old.locked {
        out.push(BlockField::Locked(*locked));
    }
    for key in checked.symmetric_difference(&old.checked) {
        out.push(BlockField::Tick(key.clone(), checked.contains(key)));
    }
    if *deep_dive != old.deep_dive {
        out.push(BlockField::DeepDive(*deep_dive));
    }
    if *props != old.props {
        out.push(BlockField::Props(props.clone()));
    }
    if *label_at != old.label_at {
        out.push(BlockField::LabelAt(*label_at));
    }
    if *fields != old.fields {
        out.push(BlockField::Fields(fields.clone()));
    }
    if *reqs != old.reqs {
        out.push(BlockField::Reqs(reqs.clone()));
    }
    if *endpoints != old.endpoints {
        out.push(BlockField::Endpoints(endpoints.clone()));
    }
    if *ink != old.ink {
        out.push(BlockField::Ink(ink.clone()));
    }
    if *ink_color != old.ink_color {
        out.push(BlockField::InkColor(*ink_color));
    }
    out
}

/// One field of a link, with its value.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkField {
    From(End),
    To(End),
    Label(String),
    Style(LinkStyle),
    Direction(Direction),
    Route(Route),
    Share(Option<f32>),
    Cardinality(Option<(super::link::Card, super::link::Card)>),
}

impl LinkField {
    /// Sets the field on `l` and returns what it held before.
    pub fn set(self, l: &mut Link) -> LinkField {
        use std::mem::replace;
        match self {
            LinkField::From(v) => LinkField::From(replace(&mut l.from, v)),
            LinkField::To(v) => LinkField::To(replace(&mut l.to, v)),
            LinkField::Label(v) => LinkField::Label(replace(&mut l.label, v)),
            LinkField::Style(v) => LinkField::Style(replace(&mut l.style, v)),
            LinkField::Direction(v) => LinkField::Direction(replace(&mut l.direction, v)),
            LinkField::Route(v) => LinkField::Route(replace(&mut l.route, v)),
            LinkField::Share(v) => LinkField::Share(replace(&mut l.share, v)),
            LinkField::Cardinality(v) => LinkField::Cardinality(replace(&mut l.cardinality, v)),
        }
    }

    pub fn approx_bytes(&self) -> usize {
        match self {
            LinkField::Label(s) => 24 + s.len(),
            _ => 24,
        }
    }
}

/// The fields in which `new` differs from `old`, with `new`'s values.
pub fn link_diff(old: &Link, new: &Link) -> Vec<LinkField> {
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
    } = new;
    let mut out = Vec::new();
    if *from != old.from {
        out.push(LinkField::From(*from));
    }
    if *to != old.to {
        out.push(LinkField::To(*to));
    }
    if *label != old.label {
        out.push(LinkField::Label(label.clone()));
    }
    if *style != old.style {
        out.push(LinkField::Style(*style));
    }
    if *direction != old.direction {
        out.push(LinkField::Direction(*direction));
    }
    if *route != old.route {
        out.push(LinkField::Route(*route));
    }
    if *share != old.share {
        out.push(LinkField::Share(*share));
    }
    if *cardinality != old.cardinality {
        out.push(LinkField::Cardinality(*cardinality));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockId, LinkId};

    #[test]
    fn a_diff_applied_turns_old_into_new_and_its_inverse_back() {
        let old = Block::new(
            BlockId(1),
            "cache",
            "Redis",
            Rect::new(0.0, 0.0, 100.0, 50.0),
        );
        let mut new = old.clone();
        new.label = "Memcached".into();
        new.rect.x = 40.0;
        new.checked.insert("cache/eviction".into());
        let diff = block_diff(&old, &new);
        assert_eq!(diff.len(), 3);
        let mut b = old.clone();
        let inverse: Vec<BlockField> = diff.into_iter().map(|f| f.set(&mut b)).collect();
        assert_eq!(b, new);
        for f in inverse {
            f.set(&mut b);
        }
        assert_eq!(b, old);
    }

    #[test]
    fn ticks_are_per_item_so_an_undo_keeps_a_peers_tick() {
        let old = Block::new(BlockId(1), "cache", "", Rect::new(0.0, 0.0, 10.0, 10.0));
        let mut mine = old.clone();
        mine.checked.insert("cache/eviction".into());
        let undo: Vec<BlockField> = block_diff(&mine, &old);
        let mut now = mine.clone();
        now.checked.insert("cache/where".into()); // a peer's tick, after mine
        for f in undo {
            f.set(&mut now);
        }
        assert!(now.checked.contains("cache/where"));
        assert!(!now.checked.contains("cache/eviction"));
    }

    #[test]
    fn link_diffs_name_only_what_changed() {
        let old = Link::new(LinkId(3), BlockId(1), BlockId(2));
        let mut new = old.clone();
        new.style = LinkStyle::Async;
        assert_eq!(
            link_diff(&old, &new),
            vec![LinkField::Style(LinkStyle::Async)]
        );
        assert!(link_diff(&old, &old).is_empty());
    }
}
