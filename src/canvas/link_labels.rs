//! Where each link's label sits, in world space, so no label covers what a reader needs.
//!
//! The rule: a label never covers a block (the link's own ends included, with a few units of
//! room around each), a frame's title, or
//! a label placed before it. Its candidates are, in order of preference: on the line, at the
//! middle of the path and then at points further towards either end (40 %, 60 %, 30 %, 70 %,
//! …); then beside the line on either side at those points, a label's width further out each
//! round, up to 120 units away (so a label on a link too short to hold it steps clear of the
//! blocks it joins). A link fanned out beside parallel links only sits beside its line, on the
//! side away from its siblings, so its text never lies across them. The first free candidate
//! wins; when none is free, the one covering least. Labels are
//! placed in link id order, so the result depends only on the board: the screen and every
//! export agree.

use super::route;
use crate::model::{Board, LinkId, Point, Rect};
use crate::theme;
use std::collections::HashMap;

/// Measures text as the painter will draw it.
pub trait Measure {
    /// Width and height of `text` at font `size` (world units at 100 % zoom), wrapped at
    /// `wrap` when given.
    fn measure(&mut self, text: &str, size: f32, wrap: Option<f32>) -> (f32, f32);
}

/// Padding the painter adds around a link label's text, on each side.
pub const LABEL_PAD: f32 = 2.0;
/// Inner margin of a frame's title.
pub const FRAME_TITLE_PAD: f32 = 6.0;
/// Room kept clear around every block.
const BLOCK_MARGIN: f32 = 6.0;
/// Gap kept between a label moved beside its line and the line.
const BESIDE_GAP: f32 = 3.0;
/// Points along the path tried, as fractions of its length.
const ALONG: [f32; 7] = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8];
/// Rings of candidates beside the line, each one label further out.
const MAX_RINGS: usize = 4;
/// Farthest a label's centre may sit from its line.
const MAX_DISTANCE: f32 = 120.0;
/// Side of the grid cells that bucket obstacles.
const CELL: f32 = 256.0;

/// Where a label sits, in world units at 100 % zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub centre: Point,
    pub size: Point,
    /// The point of the link the label belongs to; when the label had to step away from its
    /// line, the painter draws a faint leader from the label to here.
    pub anchor: Point,
    /// 0 on the line, 1 just beside it, more when it stepped further out.
    pub ring: usize,
}

impl Placed {
    pub fn rect(&self) -> Rect {
        Rect::from_center_size(self.centre, self.size.x, self.size.y)
    }

    /// Whether the label sits away from its line (past the first ring beside it).
    pub fn stepped_away(&self) -> bool {
        self.ring > 1
    }
}

/// The centre of every labelled link's label, and its size.
pub fn place(
    board: &Board,
    fans: &HashMap<LinkId, f32>,
    measure: &mut dyn Measure,
) -> HashMap<LinkId, Placed> {
    let mut obstacles = fixed_obstacles(board, measure);
    let mut out = HashMap::new();
    for link in board.links.values() {
        if let Some(placed) = place_one(board, link, fans, measure, &obstacles) {
            obstacles.insert(placed.rect());
            out.insert(link.id, placed);
        }
    }
    out
}

/// The labels of `redo` placed again (while blocks are being dragged), clear of the blocks and
/// frame titles near them and of each other. Labels of other links are not considered: a full
/// [`place`] follows when the drag ends. Its cost follows `redo`, not the board.
pub fn place_some(
    board: &Board,
    index: &crate::model::SpatialIndex,
    fans: &HashMap<LinkId, f32>,
    measure: &mut dyn Measure,
    redo: &std::collections::BTreeSet<LinkId>,
) -> HashMap<LinkId, Placed> {
    let mut obstacles = Grid::default();
    let reach = MAX_DISTANCE + theme::LABEL_SIZE * 4.0;
    let mut near = std::collections::BTreeSet::new();
    for link in redo.iter().filter_map(|id| board.link(*id)) {
        let (Some(a), Some(b)) = (board.block(link.from.block), board.block(link.to.block)) else {
            continue;
        };
        near.extend(index.blocks_in(a.rect.union(&b.rect).expanded(reach)));
    }
    for b in near.iter().filter_map(|id| board.block(*id)) {
        add_obstacle(&mut obstacles, b, measure);
    }
    let mut out = HashMap::new();
    for link in redo.iter().filter_map(|id| board.link(*id)) {
        if let Some(placed) = place_one(board, link, fans, measure, &obstacles) {
            obstacles.insert(placed.rect());
            out.insert(link.id, placed);
        }
    }
    out
}

/// Blocks and frame titles: what no label may cover.
fn fixed_obstacles(board: &Board, measure: &mut dyn Measure) -> Grid {
    let mut obstacles = Grid::default();
    for b in board.blocks.values() {
        add_obstacle(&mut obstacles, b, measure);
    }
    obstacles
}

/// A frame's title, or a block with a little room around it (where its sizing badge overhangs
/// and where a label would read as part of the block).
fn add_obstacle(obstacles: &mut Grid, b: &crate::model::Block, measure: &mut dyn Measure) {
    if b.is_frame() {
        if let Some(title) = frame_title_rect(b, measure) {
            obstacles.insert(title);
        }
    } else {
        obstacles.insert(b.rect.expanded(BLOCK_MARGIN));
    }
}

fn place_one(
    board: &Board,
    link: &crate::model::Link,
    fans: &HashMap<LinkId, f32>,
    measure: &mut dyn Measure,
    obstacles: &Grid,
) -> Option<Placed> {
    if link.label.is_empty() {
        return None;
    }
    let (a, b) = (board.block(link.from.block)?, board.block(link.to.block)?);
    let (w, h) = measure.measure(&link.label, theme::LINK_LABEL_SIZE, None);
    let size = Point::new(w + 2.0 * LABEL_PAD, h + 2.0 * LABEL_PAD);
    let fan = fans.get(&link.id).copied().unwrap_or(0.0);
    let path = route::link_path(a, b, link, fan);
    // Which side of the line points away from the parallel siblings.
    let away = if fan == 0.0 {
        None
    } else {
        let sign = if link.from.block <= link.to.block {
            1.0
        } else {
            -1.0
        };
        Some(fan * sign)
    };
    let (centre, anchor, ring) = best_spot(&path, size, away, obstacles);
    Some(Placed {
        centre,
        size,
        anchor,
        ring,
    })
}

/// Where a frame's title is drawn: its top-left corner, as wide as the text (wrapped to the
/// frame's width).
pub fn frame_title_rect(frame: &crate::model::Block, measure: &mut dyn Measure) -> Option<Rect> {
    if frame.label.is_empty() {
        return None;
    }
    let wrap = (frame.rect.w - 2.0 * FRAME_TITLE_PAD).max(1.0);
    let (w, h) = measure.measure(&frame.label, theme::FRAME_TITLE_SIZE, Some(wrap));
    Some(Rect::new(
        frame.rect.x + FRAME_TITLE_PAD,
        frame.rect.y + FRAME_TITLE_PAD,
        w.min(wrap),
        h.min((frame.rect.h - 2.0 * FRAME_TITLE_PAD).max(1.0)),
    ))
}

/// The first candidate that covers nothing, else the one covering least: its centre, and the
/// point of the path it stands beside.
fn best_spot(
    path: &[Point],
    size: Point,
    away: Option<f32>,
    obstacles: &Grid,
) -> (Point, Point, usize) {
    let mut best: Option<(f32, Point, Point, usize)> = None;
    let sides: &[f32] = match away {
        None => &[1.0, -1.0],
        Some(s) if s > 0.0 => &[1.0],
        Some(_) => &[-1.0],
    };
    // Ring 0 is on the line (not for fanned links); ring n sits beside it, each ring one label
    // further out, so a label can step clear of the blocks a short link joins.
    for ring in 0..=MAX_RINGS {
        if ring == 0 && away.is_some() {
            continue;
        }
        for f in ALONG {
            let Some((p, dir)) = point_along(path, f) else {
                continue;
            };
            let normal = Point::new(-dir.y, dir.x);
            // How far along the normal the label's centre must move for its box to clear the
            // line, and to clear one more label's width.
            let across = normal.x.abs() * size.x + normal.y.abs() * size.y;
            let distance = if ring == 0 {
                0.0
            } else {
                across / 2.0 + BESIDE_GAP + (ring - 1) as f32 * (across + BESIDE_GAP)
            };
            if distance > MAX_DISTANCE {
                continue;
            }
            let on_line: &[f32] = &[0.0];
            for &side in if ring == 0 { on_line } else { sides } {
                let c = p + normal * (distance * side);
                let covered = obstacles.overlap(&Rect::from_center_size(c, size.x, size.y));
                if covered == 0.0 {
                    return (c, p, ring);
                }
                // A label far from its line reads as someone else's: it must cover much less.
                let cost = covered * (1.0 + ring as f32);
                if best.is_none_or(|(b, ..)| cost < b) {
                    best = Some((cost, c, p, ring));
                }
            }
        }
    }
    best.map_or_else(
        || {
            let m = route::midpoint(path);
            (m, m, 0)
        },
        |(_, c, p, ring)| (c, p, ring),
    )
}

/// The point at fraction `f` of the path's length, and the unit direction there.
fn point_along(path: &[Point], f: f32) -> Option<(Point, Point)> {
    let total: f32 = path.windows(2).map(|w| (w[1] - w[0]).length()).sum();
    if total < 1e-3 {
        return None;
    }
    let mut left = total * f;
    for w in path.windows(2) {
        let d = w[1] - w[0];
        let len = d.length();
        if len < 1e-6 {
            continue;
        }
        if left <= len {
            return Some((w[0] + d * (left / len), d * (1.0 / len)));
        }
        left -= len;
    }
    None
}

/// Obstacle rectangles bucketed by grid cell, for quick overlap sums.
#[derive(Default)]
struct Grid {
    /// Each obstacle with the first cell it lies in.
    rects: Vec<(Rect, (i32, i32))>,
    /// The obstacles in each cell: a handful, kept inline (a board of 100,000 links has
    /// hundreds of thousands of cells).
    cells: HashMap<(i32, i32), smallvec::SmallVec<[u32; 4]>>,
}

impl Grid {
    fn cell(v: f32) -> i32 {
        (v / CELL).floor() as i32
    }

    fn span(r: &Rect) -> ((i32, i32), (i32, i32)) {
        (
            (Self::cell(r.x), Self::cell(r.y)),
            (Self::cell(r.x + r.w), Self::cell(r.y + r.h)),
        )
    }

    fn insert(&mut self, r: Rect) {
        let i = self.rects.len() as u32;
        let (lo, hi) = Self::span(&r);
        self.rects.push((r, lo));
        for x in lo.0..=hi.0 {
            for y in lo.1..=hi.1 {
                self.cells.entry((x, y)).or_default().push(i);
            }
        }
    }

    /// The area of `r` covered by obstacles, each counted once: an obstacle met in several of
    /// the cells `r` spans is counted only in the first cell both share.
    fn overlap(&self, r: &Rect) -> f32 {
        let (lo, hi) = Self::span(r);
        let mut area = 0.0;
        for x in lo.0..=hi.0 {
            for y in lo.1..=hi.1 {
                for &i in self.cells.get(&(x, y)).into_iter().flatten() {
                    let (o, first) = &self.rects[i as usize];
                    if (x, y) == (first.0.max(lo.0), first.1.max(lo.1)) {
                        area += intersection_area(r, o);
                    }
                }
            }
        }
        area
    }
}

fn intersection_area(a: &Rect, b: &Rect) -> f32 {
    let w = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
    let h = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, BlockId, FRAME_KIND, Link};

    /// Text as wide as 7 units a character and 14 high, like the default font.
    struct Fixed;

    impl Measure for Fixed {
        fn measure(&mut self, text: &str, size: f32, wrap: Option<f32>) -> (f32, f32) {
            let w = text.chars().count() as f32 * size * 0.5;
            match wrap {
                Some(max) if w > max => (max, size * 1.2 * (w / max).ceil()),
                _ => (w, size * 1.2),
            }
        }
    }

    fn add(b: &mut Board, kind: &str, label: &str, r: Rect) -> BlockId {
        let id = b.alloc_block_id();
        b.blocks.insert(id, Block::new(id, kind, label, r));
        id
    }

    fn link(b: &mut Board, from: BlockId, to: BlockId, label: &str) -> LinkId {
        let id = b.alloc_link_id();
        let mut l = Link::new(id, from, to);
        l.label = label.into();
        b.links.insert(id, l);
        id
    }

    fn label_rect(placed: &HashMap<LinkId, Placed>, id: LinkId) -> Rect {
        placed[&id].rect()
    }

    fn overlaps(a: &Rect, b: &Rect) -> bool {
        intersection_area(a, b) > 0.0
    }

    #[test]
    fn a_long_label_on_a_short_link_moves_beside_it_clear_of_both_blocks() {
        let mut b = Board::default();
        let x = add(&mut b, "service", "A", Rect::new(0.0, 0.0, 140.0, 60.0));
        let y = add(&mut b, "queue", "B", Rect::new(180.0, 0.0, 140.0, 60.0));
        let l = link(&mut b, x, y, "message-sent events");
        let placed = place(&b, &HashMap::new(), &mut Fixed);
        let r = label_rect(&placed, l);
        assert!(placed[&l].stepped_away(), "it is tied back to its line");
        for id in [x, y] {
            assert!(!overlaps(&r, &b.blocks[&id].rect), "{r:?} covers {id}");
        }
    }

    #[test]
    fn labels_keep_off_frame_titles_and_each_other() {
        let mut b = Board::default();
        let f = add(
            &mut b,
            FRAME_KIND,
            "Write path (fan-out on write)",
            Rect::new(-20.0, -20.0, 600.0, 300.0),
        );
        // A link whose middle runs right through the frame's title.
        let x = add(
            &mut b,
            "service",
            "A",
            Rect::new(-300.0, -40.0, 100.0, 60.0),
        );
        let y = add(
            &mut b,
            "object_storage",
            "B",
            Rect::new(500.0, -40.0, 100.0, 60.0),
        );
        let l1 = link(&mut b, x, y, "object key");
        let l2 = link(&mut b, x, y, "send");
        let placed = place(&b, &route::fan_offsets(&b), &mut Fixed);
        let title = frame_title_rect(&b.blocks[&f], &mut Fixed).expect("titled");
        let (r1, r2) = (label_rect(&placed, l1), label_rect(&placed, l2));
        assert!(!overlaps(&r1, &title), "{r1:?} covers the title {title:?}");
        assert!(!overlaps(&r2, &title));
        assert!(!overlaps(&r1, &r2), "labels do not cover each other");
    }

    #[test]
    fn fanned_links_put_their_labels_outside_the_pair() {
        let mut b = Board::default();
        let x = add(&mut b, "service", "A", Rect::new(0.0, 0.0, 100.0, 60.0));
        let y = add(&mut b, "service", "B", Rect::new(400.0, 0.0, 100.0, 60.0));
        let l1 = link(&mut b, x, y, "send");
        let l2 = link(&mut b, x, y, "ack");
        let fans = route::fan_offsets(&b);
        let placed = place(&b, &fans, &mut Fixed);
        // Each line runs at the pair's centre line (y = 30) plus its fan offset.
        let lines = [30.0 + fans[&l1], 30.0 + fans[&l2]];
        for id in [l1, l2] {
            let r = label_rect(&placed, id);
            for y in lines {
                assert!(
                    !(r.y < y && y < r.y + r.h),
                    "{id}: {r:?} lies across the line at y = {y}"
                );
            }
        }
    }

    #[test]
    fn an_unobstructed_label_stays_in_the_middle() {
        let mut b = Board::default();
        let x = add(&mut b, "service", "A", Rect::new(0.0, 0.0, 100.0, 60.0));
        let y = add(&mut b, "database", "B", Rect::new(600.0, 0.0, 100.0, 60.0));
        let l = link(&mut b, x, y, "SELECT");
        let placed = place(&b, &HashMap::new(), &mut Fixed);
        let c = placed[&l].centre;
        assert!(!placed[&l].stepped_away());
        assert!(
            (c.x - 350.0).abs() < 1.0 && (c.y - 30.0).abs() < 1.0,
            "{c:?}"
        );
    }
}
