//! Reading a sketch the way a person does: icons drawn from grouped or touching strokes become
//! one component each, copies stacked behind each other become instances, and free text beside
//! a nameless shape becomes its name.
//!
//! People draw a database as an ellipse, a rectangle and two lines in one group, servers as three
//! offset rectangles, users as circles, and write the name underneath as loose text. Taken shape
//! by shape, that is a heap of nameless boxes and notes the review cannot read. The reader works on
//! the importer's [`Scene`], before the board is built, so arrows bound to a piece of an icon or to
//! its caption land on the component.

use super::kinds;
use super::scene::{End, Role, Scene, Shape, Understood};
use crate::model::{LabelAt, Point, Rect};
use std::collections::HashMap;

/// Largest side of an icon in the file's units. Icons in real sketches are 20 to 250 px; a
/// bigger group is a diagram of its own (a library item with several captioned icons).
const ICON_MAX: f32 = 320.0;

/// Largest side of a loose stroke that may join its neighbours into an icon.
const CLUSTER_PIECE_MAX: f32 = 160.0;

/// How close (in file units) loose strokes must come to count as touching.
const TOUCH: f32 = 3.0;

/// Captions longer than this many lines are paragraphs, not names.
const CAPTION_MAX_LINES: usize = 4;

/// One shape's part in the reading.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fate {
    /// Stays as it is.
    Keep,
    /// Absorbed into the component or caption at this index.
    Into(usize),
}

/// Reads icons, stacks and captions in `scene`, replacing its shapes and rewriting its edges'
/// ends. Library items arrive as groups named with [`LIBRARY_ITEM`].
pub fn read(scene: &mut Scene) {
    let shapes = std::mem::take(&mut scene.shapes);
    let total = shapes
        .iter()
        .filter(|s| matches!(s.role, Role::Block | Role::Piece))
        .count();
    let boxes: Vec<bool> = shapes
        .iter()
        .map(|s| matches!(s.role, Role::Block | Role::Frame))
        .collect();
    let mut r = Reader {
        fate: vec![Fate::Keep; shapes.len()],
        shapes,
        understood: Understood {
            shapes: total,
            ..Understood::default()
        },
    };
    let all: Vec<usize> = (0..r.shapes.len()).collect();
    r.groups(&all, 0);
    r.clusters();
    r.stacks();
    r.containers();
    r.captions();
    r.badges();
    let Reader {
        shapes,
        fate,
        mut understood,
    } = r;
    // Where each absorbed shape's key now points, for arrows bound to it.
    let mut alias: HashMap<String, String> = HashMap::new();
    let mut kept = Vec::new();
    for (i, shape) in shapes.iter().enumerate() {
        if let Fate::Into(j) = fate[i] {
            alias.insert(shape.key.clone(), shapes[root(&fate, j)].key.clone());
            if boxes[i] {
                understood.merged += 1;
            }
        }
    }
    for (i, shape) in shapes.into_iter().enumerate() {
        if fate[i] == Fate::Keep {
            if !boxes[i] && shape.role == Role::Block {
                understood.from_strokes += 1;
            }
            kept.push(shape);
        }
    }
    understood.components = kept.iter().filter(|s| s.role == Role::Block).count();
    for edge in &mut scene.edges {
        for end in [&mut edge.from, &mut edge.to] {
            if let End::Shape(key) = end
                && let Some(to) = alias.get(key.as_str())
            {
                *key = to.clone();
            }
        }
    }
    scene.shapes = kept;
    scene.understood = Some(understood);
}

/// Follows absorption to the shape that stayed.
fn root(fate: &[Fate], mut i: usize) -> usize {
    for _ in 0..fate.len() {
        match fate[i] {
            Fate::Into(j) if j != i => i = j,
            _ => break,
        }
    }
    i
}

struct Reader {
    shapes: Vec<Shape>,
    fate: Vec<Fate>,
    understood: Understood,
}

impl Reader {
    fn live(&self, i: usize) -> bool {
        self.fate[i] == Fate::Keep
    }

    /// A drawn part with no name of its own: what icons are made of.
    fn is_piece(&self, i: usize) -> bool {
        let s = &self.shapes[i];
        match s.role {
            Role::Piece => true,
            Role::Block => s.label.trim().is_empty() && s.kind.is_none() && s.extra.is_none(),
            _ => false,
        }
    }

    /// Icons from the file's groups, outermost first: a group that is small and made only of
    /// nameless parts is one icon; a bigger one is searched for icons inside.
    fn groups(&mut self, members: &[usize], level: usize) {
        let mut by_group: Vec<(String, Vec<usize>)> = Vec::new();
        for &i in members {
            let g = &self.shapes[i].groups;
            if g.len() > level {
                let id = &g[g.len() - 1 - level];
                match by_group.iter_mut().find(|(k, _)| k == id) {
                    Some((_, v)) => v.push(i),
                    None => by_group.push((id.clone(), vec![i])),
                }
            }
        }
        for (id, group) in by_group {
            let item = id.starts_with(LIBRARY_ITEM);
            if self.is_icon(&group, item) {
                self.make_icon(&group);
            } else {
                self.groups(&group, level + 1);
            }
        }
    }

    /// Whether `group` reads as one icon: two or more nameless parts, small, with no frame or
    /// named component among them. A library item may be bigger (it is one thing by definition)
    /// but then holds at most one text.
    fn is_icon(&self, group: &[usize], item: bool) -> bool {
        let parts: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| self.shapes[i].role != Role::Text)
            .collect();
        if parts.iter().any(|&i| !self.is_piece(i) || !self.live(i)) {
            return false;
        }
        // One picture grouped with its caption is an icon too.
        let texts = group.len() - parts.len();
        let picture = parts.len() == 1 && self.shapes[parts[0]].style == "image" && texts > 0;
        if parts.len() < 2 && !picture {
            return false;
        }
        let Some(b) = bounds(parts.iter().map(|&i| self.shapes[i].rect)) else {
            return false;
        };
        b.w.max(b.h) <= ICON_MAX || (item && texts <= 1)
    }

    /// Turns the parts of `group` into one component: the first part becomes it, with the
    /// bounds, kind, caption and instances the parts say; the others are absorbed.
    fn make_icon(&mut self, group: &[usize]) {
        let (parts, texts): (Vec<usize>, Vec<usize>) = group
            .iter()
            .copied()
            .filter(|&i| self.live(i))
            .partition(|&i| self.shapes[i].role != Role::Text);
        let Some(&head) = parts.first() else {
            return;
        };
        let Some(rect) = bounds(parts.iter().map(|&i| self.shapes[i].rect)) else {
            return;
        };
        let look = look_of(&parts.iter().map(|&i| &self.shapes[i]).collect::<Vec<_>>());
        for &i in parts.iter().skip(1) {
            self.fate[i] = Fate::Into(head);
        }
        let caption = pick_caption(&self.shapes, &texts, rect);
        for &t in &texts {
            self.fate[t] = Fate::Into(head);
        }
        let shape = &mut self.shapes[head];
        shape.role = Role::Block;
        shape.rect = rect;
        shape.style = look.style().to_owned();
        shape.instances = look.instances();
        if look.instances().is_some() {
            self.understood.stacks += 1;
        }
        self.understood.icon_groups += 1;
        if let Some((t, at)) = caption {
            let words = self.shapes[t].label.trim().to_owned();
            let shape = &mut self.shapes[head];
            shape.label = words;
            shape.label_at = at;
            shape.kind = choose_kind(look, &shape.label).map(str::to_owned);
            self.understood.captions += 1;
        } else {
            let shape = &mut self.shapes[head];
            shape.kind = look.kind().map(str::to_owned);
        }
    }

    /// Icons from loose strokes that touch or overlap: a person of a circle and two lines, a
    /// cloud of circles. Only small, nameless, ungrouped parts join.
    fn clusters(&mut self) {
        let loose: Vec<usize> = (0..self.shapes.len())
            .filter(|&i| self.live(i) && self.is_piece(i) && self.shapes[i].groups.is_empty())
            .filter(|&i| {
                let r = self.shapes[i].rect;
                r.w.max(r.h) <= CLUSTER_PIECE_MAX
            })
            .collect();
        let rects: Vec<Rect> = loose.iter().map(|&i| self.shapes[i].rect).collect();
        let index = super::scene::Outlines::new(rects.iter());
        let mut parent: Vec<usize> = (0..loose.len()).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for (a, r) in rects.iter().enumerate() {
            let grown = Rect::new(
                r.x - TOUCH,
                r.y - TOUCH,
                r.w + 2.0 * TOUCH,
                r.h + 2.0 * TOUCH,
            );
            for b in index.overlapping(grown) {
                if b != a && touches(&self.shapes[loose[a]], &self.shapes[loose[b]]) {
                    let (x, y) = (find(&mut parent, a), find(&mut parent, b));
                    parent[x] = y;
                }
            }
        }
        let mut sets: HashMap<usize, Vec<usize>> = HashMap::new();
        for (a, &shape) in loose.iter().enumerate() {
            let r = find(&mut parent, a);
            sets.entry(r).or_default().push(shape);
        }
        let mut sets: Vec<Vec<usize>> = sets.into_values().filter(|s| s.len() >= 2).collect();
        sets.sort();
        for set in sets {
            let Some(b) = bounds(set.iter().map(|&i| self.shapes[i].rect)) else {
                continue;
            };
            // A stroke crossing a box is not an icon; only parts that stay small together are.
            if b.w.max(b.h) <= ICON_MAX && !self.only_lines(&set) {
                self.make_icon(&set);
            }
        }
    }

    /// Whether the set is only lines, without any closed shape: loose lines that touch are
    /// connectors more often than icons.
    fn only_lines(&self, set: &[usize]) -> bool {
        set.iter()
            .all(|&i| self.shapes[i].role == Role::Piece && self.shapes[i].style == "line")
    }

    /// Copies of one nameless box stacked with a small offset, too big to be an icon part (a
    /// stack of frames, a stack of big boxes): one shape with instances.
    fn stacks(&mut self) {
        let boxes: Vec<usize> = (0..self.shapes.len())
            .filter(|&i| {
                self.live(i)
                    && matches!(self.shapes[i].role, Role::Block | Role::Frame)
                    && self.shapes[i].style == "rectangle"
                    && self.shapes[i].label.trim().is_empty()
            })
            .collect();
        let mut used = vec![false; boxes.len()];
        for a in 0..boxes.len() {
            if used[a] {
                continue;
            }
            let mut stack = vec![boxes[a]];
            for b in a + 1..boxes.len() {
                if !used[b]
                    && self.shapes[boxes[b]].groups == self.shapes[boxes[a]].groups
                    && stack
                        .iter()
                        .any(|&s| copies(self.shapes[s].rect, self.shapes[boxes[b]].rect))
                {
                    stack.push(boxes[b]);
                    used[b] = true;
                }
            }
            if stack.len() < 2 {
                continue;
            }
            let Some(rect) = bounds(stack.iter().map(|&i| self.shapes[i].rect)) else {
                continue;
            };
            let head = stack[0];
            for &i in &stack[1..] {
                self.fate[i] = Fate::Into(head);
            }
            let s = &mut self.shapes[head];
            s.rect = rect;
            s.instances = Some(stack.len() as u32);
            self.understood.stacks += 1;
        }
    }

    /// A nameless box that holds other components is a region: a frame drawn behind them.
    fn containers(&mut self) {
        let inner: Vec<Rect> = (0..self.shapes.len())
            .filter(|&i| {
                self.live(i)
                    && (self.shapes[i].role == Role::Block || self.shapes[i].style == "image")
            })
            .map(|i| self.shapes[i].rect)
            .collect();
        for i in 0..self.shapes.len() {
            if !self.live(i) || !self.is_piece(i) || self.shapes[i].role != Role::Block {
                continue;
            }
            let r = self.shapes[i].rect;
            if !matches!(self.shapes[i].style.as_str(), "rectangle" | "ellipse") {
                continue;
            }
            let held: Vec<&Rect> = inner
                .iter()
                .filter(|o| **o != r && r.contains_rect(o) && o.w * o.h < r.w * r.h * 0.5)
                .collect();
            // One small mark inside a box is a badge on it, not a region around it.
            let region = held.len() >= 2 || held.iter().any(|o| o.w * o.h >= r.w * r.h * 0.1);
            if region {
                let s = &mut self.shapes[i];
                s.role = Role::Frame;
                s.instances = None;
            }
        }
    }

    /// A small nameless mark drawn inside a named component (a database symbol in the corner of
    /// a service) is part of that component's drawing, not a component of its own.
    fn badges(&mut self) {
        let named: Vec<usize> = (0..self.shapes.len())
            .filter(|&i| {
                self.live(i)
                    && self.shapes[i].role == Role::Block
                    && !self.shapes[i].label.trim().is_empty()
            })
            .collect();
        let rects: Vec<Rect> = named.iter().map(|&i| self.shapes[i].rect).collect();
        let index = super::scene::Outlines::new(rects.iter());
        for i in 0..self.shapes.len() {
            let s = &self.shapes[i];
            if !self.live(i) || s.role != Role::Block || !s.label.trim().is_empty() {
                continue;
            }
            if s.kind.is_some() && s.style == "rectangle" || s.extra.is_some() {
                continue;
            }
            let r = s.rect;
            let host = index
                .overlapping(r)
                .map(|k| named[k])
                .filter(|&h| {
                    let o = self.shapes[h].rect;
                    o.contains_rect(&r) && r.w * r.h < o.w * o.h * 0.2
                })
                .min_by(|&a, &b| {
                    let area = |k: usize| self.shapes[k].rect.w * self.shapes[k].rect.h;
                    area(a)
                        .partial_cmp(&area(b))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
            if let Some(h) = host {
                self.fate[i] = Fate::Into(h);
            }
        }
    }

    /// Free text next to a nameless shape names it: under, above, beside or inside, within a
    /// distance measured in the text's own line height. Each text names one shape and each
    /// shape takes one text, nearest pairs first.
    fn captions(&mut self) {
        let texts: Vec<usize> = (0..self.shapes.len())
            .filter(|&i| self.live(i) && self.shapes[i].role == Role::Text)
            .filter(|&i| {
                let s = &self.shapes[i];
                !s.label.trim().is_empty() && s.label.lines().count() <= CAPTION_MAX_LINES
            })
            .collect();
        let targets: Vec<usize> = (0..self.shapes.len())
            .filter(|&i| self.live(i) && self.shapes[i].label.trim().is_empty())
            .filter(|&i| match self.shapes[i].role {
                Role::Block => true,
                Role::Frame => true,
                Role::Piece => self.shapes[i].style == "image",
                Role::Text => false,
            })
            .collect();
        let named: Vec<Rect> = (0..self.shapes.len())
            .filter(|&i| {
                self.live(i)
                    && self.shapes[i].role == Role::Block
                    && !self.shapes[i].label.trim().is_empty()
            })
            .map(|i| self.shapes[i].rect)
            .collect();
        let rects: Vec<Rect> = targets.iter().map(|&i| self.shapes[i].rect).collect();
        let index = super::scene::Outlines::new(rects.iter());
        let mut pairs: Vec<(f32, usize, usize, LabelAt)> = Vec::new();
        for &t in &texts {
            let tr = self.shapes[t].rect;
            let line = line_height(&self.shapes[t]);
            let reach = Rect::new(
                tr.x - 2.0 * line,
                tr.y - 2.0 * line,
                tr.w + 4.0 * line,
                tr.h + 4.0 * line,
            );
            for k in index.overlapping(reach) {
                let c = targets[k];
                let s = &self.shapes[c];
                let Some((score, at)) = relation(tr, line, s.rect, s.role == Role::Frame) else {
                    continue;
                };
                // Text inside a named component belongs to it, not to a shape around it.
                let centre = tr.center();
                let claimed = named
                    .iter()
                    .any(|n| n.contains(centre) && !n.contains_rect(&s.rect));
                if !claimed {
                    pairs.push((score, t, c, at));
                }
            }
        }
        pairs.sort_by(|a, b| {
            (a.0, a.1, a.2)
                .partial_cmp(&(b.0, b.1, b.2))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut text_done = vec![false; self.shapes.len()];
        let mut shape_done = vec![false; self.shapes.len()];
        for (_, t, c, at) in pairs {
            if text_done[t] || shape_done[c] {
                continue;
            }
            text_done[t] = true;
            shape_done[c] = true;
            let words = self.shapes[t].label.trim().to_owned();
            self.fate[t] = Fate::Into(c);
            let s = &mut self.shapes[c];
            s.label = words;
            if s.role == Role::Piece {
                s.role = Role::Block;
            }
            if s.role != Role::Frame {
                s.label_at = at;
                // An icon's look gave it a kind before it had a name; the name may refine it.
                if s.kind.is_none() || s.style.starts_with("icon") {
                    s.kind = choose_kind(Look::from_style(&s.style), &s.label).map(str::to_owned);
                }
            }
            self.understood.captions += 1;
        }
    }
}

/// Prefix of the group the Excalidraw reader gives each library item.
pub const LIBRARY_ITEM: &str = "\u{1}library-item-";

/// How a caption at `text` (with rows `line` high) stands to a shape at `r`, and how good a
/// match it is (lower is better), or `None` when it is too far. Under is the usual place for a
/// caption, so it wins ties; a frame takes only text at its top or bottom edge.
fn relation(text: Rect, line: f32, r: Rect, frame: bool) -> Option<(f32, LabelAt)> {
    let c = text.center();
    let within_x = c.x >= r.x - r.w * 0.25 && c.x <= r.x + r.w * 1.25;
    let within_y = c.y >= r.y && c.y <= r.y + r.h;
    if r.contains(c) {
        if frame {
            let edge = (c.y - r.y).min(r.y + r.h - c.y);
            return (edge <= 2.5 * line).then_some((1.0 + edge / line, LabelAt::Inside));
        }
        return Some((0.0, LabelAt::Inside));
    }
    let below = text.y - (r.y + r.h);
    if within_x && below >= -0.5 * line && below <= 1.5 * line {
        return Some((0.1 + below.max(0.0) / line, LabelAt::Below));
    }
    let above = r.y - (text.y + text.h);
    if within_x && above >= -0.5 * line && above <= 1.0 * line {
        return Some((0.3 + above.max(0.0) / line, LabelAt::Above));
    }
    if frame {
        return None;
    }
    let right = text.x - (r.x + r.w);
    if within_y && right >= -0.5 * line && right <= 1.0 * line {
        return Some((0.5 + right.max(0.0) / line, LabelAt::Right));
    }
    let left = r.x - (text.x + text.w);
    if within_y && left >= -0.5 * line && left <= 1.0 * line {
        return Some((0.5 + left.max(0.0) / line, LabelAt::Left));
    }
    None
}

/// A text's row height: its font size when the file says it, else its box over its rows.
fn line_height(s: &Shape) -> f32 {
    if s.font > 0.0 {
        return s.font * 1.25;
    }
    let rows = s.label.lines().count().max(1) as f32;
    (s.rect.h / rows).max(8.0)
}

/// The caption among an icon's own texts, and where it stands: the biggest text, preferring
/// one outside the strokes (under, above, beside) over words drawn inside the icon.
fn pick_caption(shapes: &[Shape], texts: &[usize], icon: Rect) -> Option<(usize, LabelAt)> {
    let usable: Vec<usize> = texts
        .iter()
        .copied()
        .filter(|&t| {
            let s = &shapes[t];
            !s.label.trim().is_empty() && s.label.lines().count() <= CAPTION_MAX_LINES
        })
        .collect();
    let biggest = usable
        .iter()
        .map(|&t| line_height(&shapes[t]))
        .fold(0.0_f32, f32::max);
    let place = |t: usize| {
        let r = shapes[t].rect;
        let c = r.center();
        if c.y > icon.y + icon.h {
            LabelAt::Below
        } else if c.y < icon.y {
            LabelAt::Above
        } else if c.x > icon.x + icon.w {
            LabelAt::Right
        } else if c.x < icon.x {
            LabelAt::Left
        } else {
            LabelAt::Inside
        }
    };
    usable
        .iter()
        .copied()
        .filter(|&t| line_height(&shapes[t]) >= biggest * 0.5)
        .min_by(|&a, &b| {
            let rank = |t: usize| {
                (
                    place(t) == LabelAt::Inside,
                    -line_height(&shapes[t]),
                    shapes[t].rect.y,
                )
            };
            rank(a)
                .partial_cmp(&rank(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|t| (t, place(t)))
}

/// What an icon's strokes look like.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Look {
    Cylinder,
    Stack(u32),
    Person,
    Cloud,
    Envelope,
    Hexagon,
    Unknown,
}

impl Look {
    fn kind(self) -> Option<&'static str> {
        match self {
            Look::Cylinder => Some("database"),
            Look::Stack(_) => Some("web_server"),
            Look::Person => Some("client"),
            Look::Cloud => Some("external"),
            Look::Envelope => Some("notification"),
            Look::Hexagon => Some("service"),
            Look::Unknown => None,
        }
    }

    /// The style an icon carries into the builder, so it can be told apart later.
    fn style(self) -> &'static str {
        match self {
            Look::Cylinder => "icon:cylinder",
            Look::Stack(_) => "icon:stack",
            Look::Person => "icon:person",
            Look::Cloud => "icon:cloud",
            Look::Envelope => "icon:envelope",
            Look::Hexagon => "icon:hexagon",
            Look::Unknown => "icon",
        }
    }

    fn from_style(style: &str) -> Look {
        match style {
            "icon:cylinder" => Look::Cylinder,
            "icon:stack" => Look::Stack(2),
            "icon:person" => Look::Person,
            "icon:cloud" => Look::Cloud,
            "icon:envelope" => Look::Envelope,
            "icon:hexagon" => Look::Hexagon,
            _ => Look::Unknown,
        }
    }

    fn instances(self) -> Option<u32> {
        match self {
            Look::Stack(n) => Some(n),
            _ => None,
        }
    }

    /// Kinds a caption may name for this look: a cylinder is some data store, and the caption
    /// says which ("Redis" under a cylinder is a cache); a person is some client.
    fn refines(self, kind: &str) -> bool {
        match self {
            Look::Cylinder => matches!(
                kind,
                "database"
                    | "nosql"
                    | "cache"
                    | "warehouse"
                    | "search"
                    | "object_storage"
                    | "stream"
                    | "queue"
                    | "logging"
            ),
            Look::Envelope => matches!(kind, "notification" | "queue" | "stream"),
            Look::Stack(_) => kind != "client",
            Look::Person | Look::Cloud | Look::Hexagon | Look::Unknown => true,
        }
    }
}

/// The kind from the caption's words where they name one the look allows, else from the look.
/// A cylinder stays a data store whatever its caption says ("Users" on a cylinder is the users
/// table); a person, a cloud or a stack of boxes is only a hint, and the words decide.
fn choose_kind(look: Look, caption: &str) -> Option<&'static str> {
    let said = kinds::guess("", caption);
    match (look.kind(), said) {
        (Some(_), Some(k)) if look.refines(k) => Some(k),
        (Some(k), _) => Some(k),
        (None, said) => said,
    }
}

/// Reads an icon's strokes.
fn look_of(parts: &[&Shape]) -> Look {
    let ellipses: Vec<Rect> = parts
        .iter()
        .filter(|s| s.style == "ellipse")
        .map(|s| s.rect)
        .collect();
    let rects: Vec<Rect> = parts
        .iter()
        .filter(|s| s.style == "rectangle")
        .map(|s| s.rect)
        .collect();
    let lines: Vec<&Shape> = parts
        .iter()
        .copied()
        .filter(|s| s.style == "line")
        .collect();
    let Some(all) = bounds(parts.iter().map(|s| s.rect)) else {
        return Look::Unknown;
    };
    // Stacked copies of one box.
    if rects.len() >= 2 && rects.len() == parts.len() && stacked(&rects) {
        return Look::Stack(rects.len() as u32);
    }
    // Two flat ellipses of one width above each other, or one capping a box: a cylinder.
    let flat: Vec<Rect> = ellipses
        .iter()
        .copied()
        .filter(|e| e.w >= e.h * 1.4)
        .collect();
    let aligned = |a: &Rect, b: &Rect| {
        (a.w - b.w).abs() <= a.w.max(b.w) * 0.2
            && (a.center().x - b.center().x).abs() <= a.w.max(b.w) * 0.15
    };
    let two_rims = flat.iter().enumerate().any(|(i, a)| {
        flat.iter()
            .skip(i + 1)
            .any(|b| aligned(a, b) && (a.center().y - b.center().y).abs() > a.h * 0.8)
    });
    let capped = flat.iter().any(|e| {
        rects
            .iter()
            .any(|r| aligned(e, r) && (e.center().y - r.y).abs() <= e.h * 0.75 && r.h >= e.h)
    });
    if two_rims || capped {
        return Look::Cylinder;
    }
    let round: Vec<Rect> = ellipses
        .iter()
        .copied()
        .filter(|e| e.w <= e.h * 1.3 && e.h <= e.w * 1.3)
        .collect();
    // Many overlapping circles making one wide blob: a cloud.
    if ellipses.len() >= 5 && ellipses.len() * 2 >= parts.len() && all.w >= all.h * 1.4 {
        return Look::Cloud;
    }
    // A head with something under it: a person (several people side by side are users).
    let person = round.iter().any(|head| {
        head.w <= all.w * 0.75
            && parts.iter().any(|p| {
                let r = p.rect;
                r != *head
                    && r.y >= head.y + head.h * 0.6
                    && r.center().x >= head.x - head.w
                    && r.center().x <= head.x + head.w * 2.0
            })
    });
    if person && rects.is_empty() {
        return Look::Person;
    }
    // A box with a flap drawn from its top corners to its middle: an envelope.
    if let [envelope] = rects.as_slice()
        && envelope.w >= envelope.h * 1.1
        && !lines.is_empty()
        && lines.iter().any(|l| flap(l, *envelope))
    {
        return Look::Envelope;
    }
    // A closed line of six corners: a hexagon.
    if lines.iter().any(|l| {
        let p = &l.points;
        (p.len() == 7 && near(p[0], p[6], 0.1 * l.rect.w.max(l.rect.h)))
            || (p.len() == 6 && parts.len() == 1)
    }) {
        return Look::Hexagon;
    }
    Look::Unknown
}

/// Whether a line goes from a top corner of `r` down towards its middle.
fn flap(line: &Shape, r: Rect) -> bool {
    let tol = r.w.max(r.h) * 0.15;
    let corner =
        |p: Point| near(p, Point::new(r.x, r.y), tol) || near(p, Point::new(r.x + r.w, r.y), tol);
    let middle = |p: Point| {
        (p.x - r.center().x).abs() <= r.w * 0.2 && p.y > r.y + r.h * 0.2 && p.y < r.y + r.h
    };
    let p = &line.points;
    p.iter().any(|a| corner(*a)) && p.iter().any(|a| middle(*a))
}

fn near(a: Point, b: Point, tol: f32) -> bool {
    (a.x - b.x).abs() <= tol && (a.y - b.y).abs() <= tol
}

/// Whether boxes are copies of one box, each offset a little from another.
fn stacked(rects: &[Rect]) -> bool {
    rects
        .iter()
        .all(|a| rects.iter().any(|b| a != b && copies(*a, *b)))
}

/// Two boxes of about one size, one shifted from the other by a small part of that size.
fn copies(a: Rect, b: Rect) -> bool {
    let same = |x: f32, y: f32| (x - y).abs() <= x.max(y) * 0.08;
    let (dx, dy) = ((a.x - b.x).abs(), (a.y - b.y).abs());
    same(a.w, b.w)
        && same(a.h, b.h)
        && dx <= a.w * 0.25
        && dy <= a.h * 0.3
        && dx + dy > 0.5
        && dx + dy >= (a.w.min(a.h)) * 0.02
}

/// Whether two loose strokes touch: their outlines come within [`TOUCH`] of each other.
fn touches(a: &Shape, b: &Shape) -> bool {
    let (ra, rb) = (a.rect, b.rect);
    let gap_x = (ra.x - (rb.x + rb.w)).max(rb.x - (ra.x + ra.w));
    let gap_y = (ra.y - (rb.y + rb.h)).max(rb.y - (ra.y + ra.h));
    if gap_x > TOUCH || gap_y > TOUCH {
        return false;
    }
    // Two closed shapes where one holds the other whole are a badge on a box, not one icon,
    // unless they are about the same size (rims of a cylinder, stacked copies).
    let small = |r: Rect| r.w * r.h;
    let (big, little) = if small(ra) >= small(rb) {
        (ra, rb)
    } else {
        (rb, ra)
    };
    !(big.contains_rect(&little) && small(little) < small(big) * 0.15 && a.role == b.role)
}

fn bounds(rects: impl Iterator<Item = Rect>) -> Option<Rect> {
    rects.reduce(|a, b| a.union(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(key: &str, style: &str, r: Rect) -> Shape {
        let mut s = Shape::new(key, r, "", Role::Block);
        s.style = style.into();
        s
    }

    fn text(key: &str, r: Rect, words: &str) -> Shape {
        let mut s = Shape::new(key, r, words, Role::Text);
        s.font = 16.0;
        s
    }

    fn grouped(mut s: Shape, g: &str) -> Shape {
        s.groups = vec![g.into()];
        s
    }

    #[test]
    fn a_grouped_cylinder_with_a_caption_under_it_is_one_named_database() {
        let mut scene = Scene {
            shapes: vec![
                grouped(part("top", "ellipse", Rect::new(0.0, 0.0, 60.0, 20.0)), "g"),
                grouped(
                    part("body", "rectangle", Rect::new(0.0, 10.0, 60.0, 60.0)),
                    "g",
                ),
                grouped(
                    part("foot", "ellipse", Rect::new(0.0, 60.0, 60.0, 20.0)),
                    "g",
                ),
                text("cap", Rect::new(5.0, 86.0, 50.0, 20.0), "Orders"),
            ],
            edges: vec![super::super::scene::Edge::new(
                End::Shape("foot".into()),
                End::Shape("cap".into()),
            )],
            ..Scene::default()
        };
        read(&mut scene);
        assert_eq!(scene.shapes.len(), 1, "{:?}", scene.shapes);
        let s = &scene.shapes[0];
        assert_eq!(s.label, "Orders");
        assert_eq!(s.kind.as_deref(), Some("database"));
        assert_eq!(s.label_at, LabelAt::Below);
        assert_eq!(s.rect, Rect::new(0.0, 0.0, 60.0, 80.0));
        // Both ends of the arrow now name the component.
        assert_eq!(scene.edges[0].from, End::Shape("top".into()));
        assert_eq!(scene.edges[0].to, End::Shape("top".into()));
        let u = scene.understood.expect("read");
        assert_eq!(
            (u.components, u.shapes, u.icon_groups, u.captions),
            (1, 3, 1, 1)
        );
        assert_eq!(u.merged, 2);
    }

    #[test]
    fn loose_stacked_boxes_are_one_component_with_instances() {
        let mut scene = Scene {
            shapes: vec![
                part("a", "rectangle", Rect::new(0.0, 0.0, 100.0, 100.0)),
                part("b", "rectangle", Rect::new(8.0, 8.0, 100.0, 100.0)),
                part("c", "rectangle", Rect::new(16.0, 16.0, 100.0, 100.0)),
                text("t", Rect::new(30.0, 120.0, 60.0, 20.0), "Servers"),
            ],
            ..Scene::default()
        };
        read(&mut scene);
        assert_eq!(scene.shapes.len(), 1, "{:?}", scene.shapes);
        assert_eq!(scene.shapes[0].instances, Some(3));
        assert_eq!(scene.shapes[0].label, "Servers");
        assert_eq!(scene.shapes[0].kind.as_deref(), Some("web_server"));
    }

    #[test]
    fn a_caption_names_the_nearest_shape_only_and_far_text_stays_a_note() {
        let mut scene = Scene {
            shapes: vec![
                part("l", "ellipse", Rect::new(0.0, 0.0, 80.0, 80.0)),
                part("r", "ellipse", Rect::new(200.0, 0.0, 80.0, 80.0)),
                text("near", Rect::new(10.0, 84.0, 60.0, 20.0), "Users"),
                text("far", Rect::new(100.0, 400.0, 60.0, 20.0), "a remark"),
            ],
            ..Scene::default()
        };
        read(&mut scene);
        let labels: Vec<(&str, &str)> = scene
            .shapes
            .iter()
            .map(|s| (s.key.as_str(), s.label.as_str()))
            .collect();
        assert_eq!(labels, [("l", "Users"), ("r", ""), ("far", "a remark")]);
        assert_eq!(scene.shapes[0].kind.as_deref(), Some("client"));
    }

    #[test]
    fn a_nameless_box_around_components_is_a_frame_and_takes_its_title() {
        let mut scene = Scene {
            shapes: vec![
                part("region", "rectangle", Rect::new(0.0, 0.0, 600.0, 400.0)),
                text("title", Rect::new(10.0, 8.0, 200.0, 25.0), "Private cloud"),
                {
                    let mut b = part("api", "rectangle", Rect::new(100.0, 100.0, 120.0, 60.0));
                    b.label = "API".into();
                    b
                },
                {
                    let mut b = part("db", "rectangle", Rect::new(300.0, 100.0, 120.0, 60.0));
                    b.label = "DB".into();
                    b
                },
            ],
            ..Scene::default()
        };
        read(&mut scene);
        assert_eq!(scene.shapes[0].role, Role::Frame);
        assert_eq!(scene.shapes[0].label, "Private cloud");
        assert_eq!(scene.shapes.len(), 3);
    }

    #[test]
    fn the_summary_says_what_was_understood() {
        let u = Understood {
            components: 14,
            shapes: 60,
            icon_groups: 12,
            captions: 9,
            stacks: 2,
            merged: 30,
            from_strokes: 3,
        };
        assert_eq!(
            u.to_string(),
            "recognised 14 components from 60 shapes (12 icon groups, 9 captions, 2 stacks)"
        );
    }
}
