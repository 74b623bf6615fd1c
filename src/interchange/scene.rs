//! What every importer produces: shapes and edges in the file's own coordinates and ids, before
//! they become a board. One builder turns a scene into a board, so kind guessing, binding loose
//! arrow ends, id allocation, limits and the summary are the same for every format.

use super::kinds;
use crate::model::limits::{MAX_BLOCKS, MAX_LABEL_CHARS, MAX_LINKS, truncate_chars};
use crate::model::{
    BOX_KIND, Block, BlockId, Board, Direction, FRAME_KIND, LabelAt, Link, LinkStyle, Point, Rect,
    Route, TEXT_KIND,
};
use crate::model::{LABEL_ROW, text_size};
use crate::palette::Palette;
use std::collections::{BTreeMap, HashMap};

/// What a shape is on the board.
#[derive(Clone, Debug, PartialEq)]
pub enum Role {
    /// A component: its kind is `kind` when the file says it, otherwise guessed.
    Block,
    /// Free text: a text note.
    Text,
    /// A container, subgraph or frame: drawn behind what it holds.
    Frame,
    /// A stroke of a drawing (a line, a freehand stroke, an image) that is a component only as
    /// part of an icon; the sketch reader absorbs it into one or counts it as skipped.
    Piece,
}

#[derive(Clone, Debug)]
pub struct Shape {
    /// The file's own id, used only to resolve edges and groups.
    pub key: String,
    pub rect: Rect,
    pub label: String,
    pub role: Role,
    /// Style text or shape name from the file (`shape=cylinder3`, `ellipse`, `mxgraph.aws4.rds`),
    /// read by the kind guess.
    pub style: String,
    /// A kind the file names outright (archboard's own data carried in another format).
    pub kind: Option<String>,
    /// The file's group, for shapes that move together.
    pub group: Option<String>,
    /// What archboard wrote into the file beside the shape, restored as it was.
    pub extra: Option<Extra>,
    /// Every group the shape is in, innermost first (Excalidraw nests groups).
    pub groups: Vec<String>,
    /// A drawn stroke's points, in scene coordinates.
    pub points: Vec<Point>,
    /// A freehand stroke's colour, when the file gives one that is not black, white or grey.
    pub ink_color: Option<[u8; 3]>,
    /// Text's font size in the file's units (0 when unknown).
    pub font: f32,
    pub label_at: LabelAt,
    /// Copies drawn stacked behind each other.
    pub instances: Option<u32>,
    /// An entity's columns (a Mermaid `erDiagram`'s attributes).
    pub fields: Vec<crate::model::Field>,
}

impl Shape {
    pub fn new(key: impl Into<String>, rect: Rect, label: impl Into<String>, role: Role) -> Self {
        Self {
            key: key.into(),
            rect,
            label: label.into(),
            role,
            style: String::new(),
            kind: None,
            group: None,
            extra: None,
            groups: Vec::new(),
            points: Vec::new(),
            ink_color: None,
            font: 0.0,
            label_at: LabelAt::Inside,
            instances: None,
            fields: Vec::new(),
        }
    }
}

/// archboard's own block data, carried through another tool (Excalidraw's `customData`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Extra {
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub checked: std::collections::BTreeSet<String>,
    #[serde(default)]
    pub deep_dive: bool,
    #[serde(default)]
    pub props: crate::model::Props,
}

/// Where an edge ends.
#[derive(Clone, Debug, PartialEq)]
pub enum End {
    /// Bound to the shape with this key.
    Shape(String),
    /// Not bound: a point, which binds to a shape it touches.
    Point(Point),
    /// The file gives neither.
    Missing,
}

#[derive(Clone, Debug)]
pub struct Edge {
    pub from: End,
    pub to: End,
    pub label: String,
    pub dashed: bool,
    pub direction: Direction,
    pub elbow: bool,
    /// A relationship's crow's feet.
    pub cardinality: Option<(crate::model::Card, crate::model::Card)>,
}

impl Edge {
    pub fn new(from: End, to: End) -> Self {
        Self {
            from,
            to,
            label: String::new(),
            dashed: false,
            direction: Direction::Forward,
            elbow: false,
            cardinality: None,
        }
    }
}

/// Everything a file held, in the file's terms.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    pub title: String,
    pub shapes: Vec<Shape>,
    pub edges: Vec<Edge>,
    /// What the importer could not represent, by what it was ("images", "free lines").
    pub skipped: BTreeMap<&'static str, usize>,
    /// Extra words for the summary ("page 2 of 3: Network").
    pub note: Option<String>,
    /// What the sketch reader made of icons and captions, when it ran.
    pub understood: Option<Understood>,
}

impl Scene {
    pub fn skip(&mut self, what: &'static str) {
        *self.skipped.entry(what).or_default() += 1;
    }
}

/// What the reader understood, for the status bar and the CLI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Understood {
    /// Components on the board after reading.
    pub components: usize,
    /// Shapes and strokes in the file (not text, not arrows).
    pub shapes: usize,
    /// Icons made of several strokes (grouped in the file, or touching).
    pub icon_groups: usize,
    pub captions: usize,
    pub stacks: usize,
    /// Boxes, ellipses and diamonds of the file that became part of another component (the
    /// rest are blocks or frames): every shape is accounted for.
    pub merged: usize,
    /// Components whose first part was a stroke or an image, not a box.
    pub from_strokes: usize,
}

impl std::fmt::Display for Understood {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::count;
        write!(
            f,
            "recognised {} from {} ({}, {}, {})",
            count(self.components, "component"),
            count(self.shapes, "shape"),
            count(self.icon_groups, "icon group"),
            count(self.captions, "caption"),
            count(self.stacks, "stack"),
        )
    }
}

/// What an import did, for the status bar and the CLI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub blocks: usize,
    pub links: usize,
    pub frames: usize,
    pub notes: usize,
    /// Freehand strokes, kept as ink.
    pub strokes: usize,
    /// Links made from arrows whose loose ends touched shapes.
    pub snapped: usize,
    pub skipped: BTreeMap<&'static str, usize>,
    pub note: Option<String>,
    pub understood: Option<Understood>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::text::count;
        // Only when the sketch reader found something to say (not for a file of plain boxes).
        if let Some(u) = &self.understood
            && u.icon_groups + u.captions + u.stacks > 0
        {
            write!(f, "{u}; ")?;
        }
        write!(
            f,
            "imported {}, {}",
            count(self.blocks, "block"),
            count(self.links, "link")
        )?;
        if self.snapped > 0 {
            write!(f, " ({} from arrows touching shapes)", self.snapped)?;
        }
        if self.frames > 0 {
            write!(f, ", {}", count(self.frames, "frame"))?;
        }
        if self.notes > 0 {
            write!(f, ", {}", count(self.notes, "text note"))?;
        }
        if self.strokes > 0 {
            write!(f, ", {}", count(self.strokes, "ink stroke"))?;
        }
        if !self.skipped.is_empty() {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .map(|(what, n)| {
                    let what = if *n == 1 { singular(what) } else { what };
                    format!("{n} {what}")
                })
                .collect();
            write!(f, "; skipped {}", parts.join(", "))?;
        }
        if let Some(note) = &self.note {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

/// One of what the importers count as skipped (they name them in the plural).
fn singular(plural: &'static str) -> &'static str {
    match plural {
        "free lines" => "free line",
        "freehand drawings" => "freehand drawing",
        "images" => "image",
        "embeds" => "embed",
        "elements of unknown types" => "element of an unknown type",
        "shapes with unusable geometry" => "shape with unusable geometry",
        "shapes without geometry" => "shape without geometry",
        "edges past the link limit" => "edge past the link limit",
        "edges missing an end" => "edge missing an end",
        "unbound arrows" => "unbound arrow",
        "arrows from a shape to itself" => "arrow from a shape to itself",
        "invisible links" => "invisible link",
        other => other,
    }
}

/// How far (in the file's units, about pixels) a loose arrow end may stop short of a shape and
/// still bind to it. Real files hold many arrows drawn to touch a shape that never bound; a few
/// pixels catches those without binding arrows that merely pass nearby.
pub const SNAP_TOLERANCE: f32 = 12.0;

/// Smallest block side an import makes: a zero-sized shape could not be seen or clicked.
const MIN_SIDE: f32 = 8.0;

/// Turns a scene into a board with fresh ids. Blocks come in the file's order (later on top).
pub fn build(scene: Scene, palette: &Palette) -> Result<(Board, Summary), String> {
    let Scene {
        title,
        shapes,
        edges,
        mut skipped,
        note,
        understood,
    } = scene;
    if shapes.len() > MAX_BLOCKS {
        return Err(format!(
            "{} shapes; a board holds at most {MAX_BLOCKS}",
            shapes.len()
        ));
    }
    let mut board = Board::new(truncate_chars(
        &title,
        crate::model::limits::MAX_TITLE_CHARS,
    ));
    let mut summary = Summary {
        note,
        understood,
        ..Summary::default()
    };
    let mut by_key: HashMap<String, BlockId> = HashMap::new();
    let mut groups: HashMap<String, u64> = HashMap::new();
    let mut z = 0;
    for shape in shapes {
        let Some(rect) = clean_rect(shape.rect) else {
            skipped_one(&mut skipped, "shapes with unusable geometry");
            continue;
        };
        let kind = match shape.role {
            Role::Frame => FRAME_KIND.to_owned(),
            Role::Text => TEXT_KIND.to_owned(),
            Role::Piece if shape.style == "freedraw" && !shape.points.is_empty() => {
                let id = board.alloc_block_id();
                let mut stroke = ink_block(id, &shape.points);
                stroke.ink_color = shape.ink_color;
                board.blocks.insert(id, stroke);
                summary.strokes += 1;
                continue;
            }
            Role::Piece => {
                skipped_one(&mut skipped, piece_name(&shape.style));
                continue;
            }
            Role::Block => shape
                .kind
                .filter(|k| palette.get(k).is_some())
                .or_else(|| kinds::guess(&shape.style, &shape.label).map(str::to_owned))
                .filter(|k| palette.get(k).is_some())
                .unwrap_or_else(|| BOX_KIND.to_owned()),
        };
        match shape.role {
            Role::Frame => summary.frames += 1,
            Role::Text => summary.notes += 1,
            Role::Block | Role::Piece => summary.blocks += 1,
        }
        let id = board.alloc_block_id();
        let label = truncate_chars(shape.label.trim(), MAX_LABEL_CHARS);
        let rect = if shape.role == Role::Text {
            fit_text(rect, &label)
        } else {
            rect
        };
        let mut label_at = shape.label_at;
        if shape.role == Role::Block
            && label_at.is_inside()
            && shape.fields.is_empty()
            && !fits_inside(rect, &label)
        {
            label_at = LabelAt::Below;
        }
        let mut block = Block::new(id, kind, label, rect);
        block.label_at = label_at;
        block.fields = shape.fields;
        block.fields.truncate(crate::model::entity::MAX_FIELDS);
        if let Some(n) = shape.instances.filter(|n| *n > 1) {
            block.props.instances = Some(n.min(64));
        }
        if !block.is_frame() {
            z += 1;
            block.z = z.min(i32::MAX as usize) as i32;
        }
        if let Some(g) = shape.group {
            let next = groups.len() as u64 + 1;
            block.group = Some(*groups.entry(g).or_insert(next));
        }
        // Tables and cards come back from tools that carry them as stacked text.
        crate::model::card::unstack(&mut block);
        if let Some(extra) = shape.extra {
            block.notes = truncate_chars(&extra.notes, crate::model::limits::MAX_NOTES_CHARS);
            block.checked = extra.checked;
            block.deep_dive = extra.deep_dive;
            block.props = extra.props;
        }
        by_key.insert(shape.key, id);
        board.blocks.insert(id, block);
    }
    // A group of one is no group.
    let mut members: HashMap<u64, usize> = HashMap::new();
    for b in board.blocks.values() {
        if let Some(g) = b.group {
            *members.entry(g).or_default() += 1;
        }
    }
    // Group ids live in their own space, but start them past the ids so none looks reused.
    let base = board.next_id;
    let ids: Vec<BlockId> = board.blocks.keys().copied().collect();
    for id in &ids {
        let Some(b) = board.blocks.get_mut(id) else {
            continue;
        };
        if b.group.is_some_and(|g| members.get(&g) == Some(&1)) {
            b.group = None;
        }
        if let Some(g) = &mut b.group {
            *g += base;
        }
    }

    let ids: Vec<BlockId> = board.blocks.keys().copied().collect();
    let outlines = (Outlines::new(board.blocks.values().map(|b| &b.rect)), ids);
    for edge in edges {
        if board.links.len() >= MAX_LINKS {
            skipped_one(&mut skipped, "edges past the link limit");
            continue;
        }
        let (from, from_snapped) = resolve(&edge.from, &by_key, &board, &outlines);
        let (to, to_snapped) = resolve(&edge.to, &by_key, &board, &outlines);
        let (Some(from), Some(to)) = (from, to) else {
            let what = if matches!(edge.from, End::Missing) || matches!(edge.to, End::Missing) {
                "edges missing an end"
            } else {
                "unbound arrows"
            };
            skipped_one(&mut skipped, what);
            continue;
        };
        if from == to {
            skipped_one(&mut skipped, "arrows from a shape to itself");
            continue;
        }
        let id = board.alloc_link_id();
        let mut link = Link::new(id, from, to);
        link.label = truncate_chars(edge.label.trim(), MAX_LABEL_CHARS);
        link.style = if edge.dashed {
            LinkStyle::Async
        } else {
            LinkStyle::Sync
        };
        link.direction = edge.direction;
        link.cardinality = edge.cardinality;
        link.route = if edge.elbow {
            Route::Elbow
        } else {
            Route::Straight
        };
        if from_snapped || to_snapped {
            summary.snapped += 1;
        }
        board.links.insert(id, link);
    }
    summary.links = board.links.len();
    summary.skipped = skipped;
    Ok((board, summary))
}

/// A freehand stroke drawn at `points` (scene coordinates) as an ink block.
fn ink_block(id: BlockId, points: &[Point]) -> Block {
    use crate::model::ink;
    let first = points[0];
    let origin = Point::new(ink::quantize(first.x), ink::quantize(first.y));
    let own: Vec<Point> = points
        .iter()
        .take(ink::MAX_POINTS)
        .map(|p| Point::new(ink::quantize(p.x - origin.x), ink::quantize(p.y - origin.y)))
        .collect();
    let mut b = Block::new(id, ink::INK_KIND, "", ink::rect_at(origin, &own));
    b.ink = own;
    b
}

/// What the summary calls a drawn stroke that became no component.
pub fn piece_name(style: &str) -> &'static str {
    match style {
        "freedraw" => "freehand drawings",
        "image" => "images",
        _ => "free lines",
    }
}

/// A note's box grown to hold its words at archboard's size: the source's box was measured with
/// the source's font, and a note is never cut.
fn fit_text(r: Rect, text: &str) -> Rect {
    let (w, rows) = text_size(text);
    Rect::new(r.x, r.y, r.w.max(w + 8.0), r.h.max(rows * LABEL_ROW + 4.0))
}

/// Whether a label's longest word fits across the block without breaking; when it does not,
/// the label goes under the block rather than wrap into a sliver of letters.
fn fits_inside(r: Rect, label: &str) -> bool {
    let longest_word = label
        .split_whitespace()
        .map(|w| text_size(w).0)
        .fold(0.0, f32::max);
    longest_word + 12.0 <= r.w && LABEL_ROW <= r.h
}

fn skipped_one(skipped: &mut BTreeMap<&'static str, usize>, what: &'static str) {
    *skipped.entry(what).or_default() += 1;
}

/// A rect with finite numbers inside the model's limits, or `None`.
fn clean_rect(r: Rect) -> Option<Rect> {
    use crate::model::limits::{MAX_COORD, MAX_SIDE};
    let nums = [r.x, r.y, r.w, r.h];
    if nums.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let (mut x, mut y, mut w, mut h) = (r.x, r.y, r.w, r.h);
    // Negative sizes mean the shape was drawn from its other corner.
    if w < 0.0 {
        x += w;
        w = -w;
    }
    if h < 0.0 {
        y += h;
        h = -h;
    }
    if x.abs() > MAX_COORD || y.abs() > MAX_COORD || w > MAX_SIDE || h > MAX_SIDE {
        return None;
    }
    Some(Rect::new(x, y, w.max(MIN_SIDE), h.max(MIN_SIDE)))
}

/// Blocks by outline, so a loose arrow end finds what it touches without testing every block
/// (a file may hold many thousands of both).
pub struct Outlines {
    tree: rstar::RTree<
        rstar::primitives::GeomWithData<rstar::primitives::Rectangle<[f32; 2]>, usize>,
    >,
}

impl Outlines {
    /// Indexes `rects` by their position in the slice.
    pub fn new<'a>(rects: impl IntoIterator<Item = &'a Rect>) -> Self {
        let items = rects
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                rstar::primitives::GeomWithData::new(
                    rstar::primitives::Rectangle::from_corners([r.x, r.y], [r.x + r.w, r.y + r.h]),
                    i,
                )
            })
            .collect();
        Self {
            tree: rstar::RTree::bulk_load(items),
        }
    }

    /// The indexes of the rects that overlap `r`.
    pub fn overlapping(&self, r: Rect) -> impl Iterator<Item = usize> + '_ {
        let envelope = rstar::AABB::from_corners([r.x, r.y], [r.x + r.w, r.y + r.h]);
        self.tree
            .locate_in_envelope_intersecting(envelope)
            .map(|g| g.data)
    }

    /// The indexes of the rects that hold `p` once grown by `margin`.
    pub fn near(&self, p: Point, margin: f32) -> impl Iterator<Item = usize> + '_ {
        let envelope =
            rstar::AABB::from_corners([p.x - margin, p.y - margin], [p.x + margin, p.y + margin]);
        self.tree
            .locate_in_envelope_intersecting(envelope)
            .map(|g| g.data)
    }
}

/// The block an end binds to, and whether it was a loose end that touched it.
fn resolve(
    end: &End,
    by_key: &HashMap<String, BlockId>,
    board: &Board,
    outlines: &(Outlines, Vec<BlockId>),
) -> (Option<BlockId>, bool) {
    match end {
        End::Shape(key) => (by_key.get(key).copied(), false),
        End::Point(p) => (touching(*p, board, outlines), true),
        End::Missing => (None, false),
    }
}

/// The smallest block (frames last) whose outline, grown by the tolerance, holds `p`.
fn touching(
    p: Point,
    board: &Board,
    (outlines, ids): &(Outlines, Vec<BlockId>),
) -> Option<BlockId> {
    if !p.x.is_finite() || !p.y.is_finite() {
        return None;
    }
    outlines
        .near(p, SNAP_TOLERANCE)
        .filter_map(|i| board.block(*ids.get(i)?))
        .filter(|b| !b.is_text())
        .min_by(|a, b| {
            (a.is_frame(), a.rect.w * a.rect.h, a.id)
                .partial_cmp(&(b.is_frame(), b.rect.w * b.rect.h, b.id))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .map(|b| b.id)
}

/// The smallest frame holding `b` whole (frames nest, so a frame's holder is a larger frame).
/// Writers use it to nest blocks in containers, subgraphs and Excalidraw frames.
pub fn innermost_frame<'a>(board: &'a Board, b: &Block) -> Option<&'a Block> {
    let area = |r: &Rect| r.w * r.h;
    board
        .blocks
        .values()
        .filter(|f| f.is_frame() && f.id != b.id && f.rect.contains_rect(&b.rect))
        .filter(|f| !(b.is_frame() && area(&b.rect) >= area(&f.rect)))
        .min_by(|a, c| {
            area(&a.rect)
                .partial_cmp(&area(&c.rect))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
}

/// The link direction and whether to swap its ends, from which ends carry an arrowhead: a
/// head only at the start is a forward link drawn the other way.
pub fn heads(start: bool, end: bool) -> (Direction, bool) {
    match (start, end) {
        (true, true) => (Direction::Both, false),
        (false, true) => (Direction::Forward, false),
        (true, false) => (Direction::Forward, true),
        (false, false) => (Direction::None, false),
    }
}

/// The axis-aligned box around `r` turned by `angle` radians about its centre.
pub fn rotated_bounds(r: Rect, angle: f32) -> Rect {
    if !angle.is_finite() || angle.abs() < 1e-4 {
        return r;
    }
    let (s, c) = angle.sin_cos();
    let w = (r.w * c).abs() + (r.h * s).abs();
    let h = (r.w * s).abs() + (r.h * c).abs();
    let cx = r.x + r.w / 2.0;
    let cy = r.y + r.h / 2.0;
    Rect::new(cx - w / 2.0, cy - h / 2.0, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(key: &str, x: f32, label: &str) -> Shape {
        Shape::new(key, Rect::new(x, 0.0, 100.0, 60.0), label, Role::Block)
    }

    #[test]
    fn loose_ends_that_touch_bind_and_are_counted_apart() {
        let scene = Scene {
            shapes: vec![shape("a", 0.0, "Redis"), shape("b", 300.0, "orders db")],
            edges: vec![
                Edge::new(End::Shape("a".into()), End::Shape("b".into())),
                // Stops 5 px short of b's left side.
                Edge::new(End::Shape("a".into()), End::Point(Point::new(295.0, 30.0))),
                // Ends in the middle of nowhere.
                Edge::new(End::Shape("a".into()), End::Point(Point::new(200.0, 500.0))),
                Edge::new(End::Missing, End::Shape("b".into())),
            ],
            ..Scene::default()
        };
        let (board, summary) = build(scene, &Palette::bundled()).expect("builds");
        assert_eq!(summary.blocks, 2);
        assert_eq!(summary.links, 2);
        assert_eq!(summary.snapped, 1);
        assert_eq!(summary.skipped.get("unbound arrows"), Some(&1));
        assert_eq!(summary.skipped.get("edges missing an end"), Some(&1));
        let kinds: Vec<&str> = board.blocks.values().map(|b| b.kind.as_str()).collect();
        assert_eq!(kinds, ["cache", "database"]);
        assert_eq!(
            summary.to_string(),
            "imported 2 blocks, 2 links (1 from arrows touching shapes); skipped 1 edge missing an end, 1 unbound arrow"
        );
    }

    #[test]
    fn bad_geometry_is_skipped_not_saved() {
        let mut nan = shape("n", 0.0, "x");
        nan.rect.x = f32::NAN;
        let mut huge = shape("h", 0.0, "y");
        huge.rect.w = 1e12;
        let scene = Scene {
            shapes: vec![nan, huge, shape("ok", 0.0, "ok")],
            ..Scene::default()
        };
        let (board, summary) = build(scene, &Palette::bundled()).expect("builds");
        assert_eq!(board.blocks.len(), 1);
        assert_eq!(
            summary.skipped.get("shapes with unusable geometry"),
            Some(&2)
        );
    }

    #[test]
    fn rotation_keeps_the_centre_and_swaps_sides_at_a_right_angle() {
        let r = rotated_bounds(
            Rect::new(0.0, 0.0, 100.0, 20.0),
            std::f32::consts::FRAC_PI_2,
        );
        assert!((r.w - 20.0).abs() < 0.01 && (r.h - 100.0).abs() < 0.01);
        assert!((r.x + r.w / 2.0 - 50.0).abs() < 0.01);
    }
}
