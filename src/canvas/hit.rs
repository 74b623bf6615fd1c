//! What is under the pointer: blocks and resize handles, topmost first.

use super::camera::View;
use super::route;
use crate::model::{Block, BlockId, Document, LinkId, Point, Rect, Side};
use crate::theme;
use egui::Pos2;
use std::collections::HashMap;

/// How close (screen pixels) a click must be to a link to pick it.
pub const LINK_TOLERANCE_PX: f32 = 6.0;
/// How far (screen pixels) outside a block its connection handles sit.
pub const CONNECT_HANDLE_OFFSET_PX: f32 = 16.0;

/// What a click picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Block(BlockId),
    Link(LinkId),
}

/// The item a click at `p` means. Blocks are drawn over links, so a point well inside a block
/// picks the block; near a block's edge, where links end, a link within reach wins, so clicking
/// a link never selects the block under its end.
pub fn pick(doc: &Document, fans: &HashMap<LinkId, f32>, p: Point, zoom: f32) -> Option<Hit> {
    let tol = LINK_TOLERANCE_PX / zoom;
    let board = doc.board();
    let block = block_at(doc, p, zoom);
    if let Some(b) = block.and_then(|id| board.block(id))
        && !b.is_frame()
        && b.rect.expanded(-tol).contains(p)
    {
        return Some(Hit::Block(b.id));
    }
    if let Some(l) = link_at(doc, fans, p, zoom) {
        return Some(Hit::Link(l));
    }
    block.map(Hit::Block)
}

/// The link nearest to `p` within the click tolerance: bounding box first, exact distance after.
pub fn link_at(doc: &Document, fans: &HashMap<LinkId, f32>, p: Point, zoom: f32) -> Option<LinkId> {
    let (board, index) = (doc.board(), doc.index());
    let tol = LINK_TOLERANCE_PX / zoom;
    let widest = fans.values().fold(0.0f32, |m, f| m.max(f.abs()));
    let near = Rect::new(p.x, p.y, 0.0, 0.0).expanded(route::ELBOW_STUB + widest + tol);
    let mut candidates: Vec<LinkId> = index.links_in(near).collect();
    // Ties go to the newest link, as when every link was tried in id order.
    candidates.sort_unstable();
    let mut best: Option<(f32, LinkId)> = None;
    for link in candidates.iter().filter_map(|id| board.link(*id)) {
        let (Some(a), Some(b)) = (board.block(link.from.block), board.block(link.to.block)) else {
            continue;
        };
        let fan = fans.get(&link.id).copied().unwrap_or(0.0);
        // Every route stays within the two blocks' box plus the elbow stub and fan offset.
        let reach = route::ELBOW_STUB + fan.abs() + tol;
        if !a.rect.union(&b.rect).expanded(reach).contains(p) {
            continue;
        }
        let d = route::distance_to_path(&route::link_path(a, b, link, fan), p);
        if d <= tol && best.is_none_or(|(bd, _)| d <= bd) {
            best = Some((d, link.id));
        }
    }
    best.map(|(_, id)| id)
}

/// Screen positions of a block's four connection handles, just outside the middle of each side.
pub fn connection_handles(view: &View, rect: &Rect) -> [(Side, Pos2); 4] {
    let r = view.rect_to_screen(rect);
    let o = CONNECT_HANDLE_OFFSET_PX;
    [
        (Side::Top, Pos2::new(r.center().x, r.top() - o)),
        (Side::Right, Pos2::new(r.right() + o, r.center().y)),
        (Side::Bottom, Pos2::new(r.center().x, r.bottom() + o)),
        (Side::Left, Pos2::new(r.left() - o, r.center().y)),
    ]
}

/// The connection handle of `rect` under the screen point, if any.
pub fn connection_handle_at(view: &View, rect: &Rect, p: Pos2) -> Option<Side> {
    connection_handles(view, rect)
        .into_iter()
        .find(|(_, c)| c.distance(p) <= theme::HANDLE_PX)
        .map(|(side, _)| side)
}

/// The block drawn on top at `p`. Frames are only hit on their title band and border, so the
/// empty inside of a frame still starts a marquee.
pub fn block_at(doc: &Document, p: Point, zoom: f32) -> Option<BlockId> {
    let (board, slop) = (doc.board(), 3.0 / zoom);
    doc.index()
        .blocks_in(Rect::new(p.x, p.y, 0.0, 0.0).expanded(slop))
        .filter_map(|id| board.block(id))
        .filter(|b| b.rect.expanded(slop).contains(p))
        .filter(|b| !b.is_frame() || frame_edge_hit(b, p, zoom))
        // A stroke is picked on its line, not anywhere in its bounds.
        .filter(|b| !b.is_ink() || crate::model::ink::near(&b.ink, &b.rect, p, slop + 2.0))
        .max_by_key(|b| b.paint_order())
        .map(|b| b.id)
}

fn frame_edge_hit(frame: &Block, p: Point, zoom: f32) -> bool {
    let band = (theme::FRAME_TITLE_SIZE * 2.0).max(8.0 / zoom);
    let edge = 6.0 / zoom;
    let r = frame.rect;
    let inner = Rect::new(
        r.x + edge,
        r.y + band,
        (r.w - 2.0 * edge).max(0.0),
        (r.h - band - edge).max(0.0),
    );
    !inner.contains(p)
}

/// A resize handle: which edges it moves (-1 = left/top, 1 = right/bottom, 0 = neither).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handle {
    pub hx: i8,
    pub hy: i8,
}

impl Handle {
    pub const ALL: [Handle; 8] = [
        Handle { hx: -1, hy: -1 },
        Handle { hx: 0, hy: -1 },
        Handle { hx: 1, hy: -1 },
        Handle { hx: 1, hy: 0 },
        Handle { hx: 1, hy: 1 },
        Handle { hx: 0, hy: 1 },
        Handle { hx: -1, hy: 1 },
        Handle { hx: -1, hy: 0 },
    ];

    /// The handle's centre on screen for a block drawn at `r`.
    pub fn screen_pos(self, r: egui::Rect) -> Pos2 {
        let x = match self.hx {
            -1 => r.left(),
            0 => r.center().x,
            _ => r.right(),
        };
        let y = match self.hy {
            -1 => r.top(),
            0 => r.center().y,
            _ => r.bottom(),
        };
        Pos2::new(x, y)
    }

    pub fn cursor(self) -> egui::CursorIcon {
        use egui::CursorIcon as C;
        match (self.hx, self.hy) {
            (0, _) => C::ResizeVertical,
            (_, 0) => C::ResizeHorizontal,
            (a, b) if a == b => C::ResizeNwSe,
            _ => C::ResizeNeSw,
        }
    }

    /// The rectangle after dragging this handle by `d` (world units), at least `min` in size.
    pub fn resize(self, start: Rect, d: Point, keep_aspect: bool, min: f32) -> Rect {
        let (mut x0, mut y0, mut x1, mut y1) =
            (start.x, start.y, start.x + start.w, start.y + start.h);
        match self.hx {
            -1 => x0 = (x0 + d.x).min(x1 - min),
            1 => x1 = (x1 + d.x).max(x0 + min),
            _ => {}
        }
        match self.hy {
            -1 => y0 = (y0 + d.y).min(y1 - min),
            1 => y1 = (y1 + d.y).max(y0 + min),
            _ => {}
        }
        let mut r = Rect::new(x0, y0, x1 - x0, y1 - y0);
        if keep_aspect && start.h > 0.0 && start.w > 0.0 {
            let aspect = start.w / start.h;
            let scale = if self.hx == 0 {
                r.h / start.h
            } else if self.hy == 0 {
                r.w / start.w
            } else {
                (r.w / start.w).max(r.h / start.h)
            };
            let (w, h) = (
                (start.h * scale * aspect).max(min),
                (start.h * scale).max(min),
            );
            // Keep the corner (or edge) opposite the handle fixed.
            let x = if self.hx == -1 {
                start.x + start.w - w
            } else if self.hx == 0 {
                start.center().x - w / 2.0
            } else {
                start.x
            };
            let y = if self.hy == -1 {
                start.y + start.h - h
            } else if self.hy == 0 {
                start.center().y - h / 2.0
            } else {
                start.y
            };
            r = Rect::new(x, y, w, h);
        }
        r
    }
}

/// The handle of a block's selection frame under the screen point, if any.
pub fn handle_at(view: &View, rect: &Rect, p: Pos2) -> Option<Handle> {
    let r = view.rect_to_screen(rect);
    Handle::ALL
        .into_iter()
        .find(|h| h.screen_pos(r).distance(p) <= theme::HANDLE_PX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Board;

    #[test]
    fn topmost_block_wins_and_frame_inside_is_empty() {
        let mut b = Board::default();
        let f = b.alloc_block_id();
        b.blocks.insert(
            f,
            Block::new(
                f,
                crate::model::FRAME_KIND,
                "Write path",
                Rect::new(0.0, 0.0, 500.0, 400.0),
            ),
        );
        let a = b.alloc_block_id();
        b.blocks.insert(
            a,
            Block::new(a, "cache", "", Rect::new(100.0, 100.0, 100.0, 50.0)),
        );
        let c = b.alloc_block_id();
        b.blocks.insert(
            c,
            Block::new(c, "database", "", Rect::new(150.0, 120.0, 100.0, 50.0)),
        );
        let doc = Document::new(b);
        assert_eq!(block_at(&doc, Point::new(160.0, 130.0), 1.0), Some(c));
        assert_eq!(block_at(&doc, Point::new(110.0, 105.0), 1.0), Some(a));
        assert_eq!(
            block_at(&doc, Point::new(300.0, 300.0), 1.0),
            None,
            "inside a frame is empty canvas"
        );
        assert_eq!(
            block_at(&doc, Point::new(20.0, 10.0), 1.0),
            Some(f),
            "its title band grabs it"
        );
    }

    #[test]
    fn resize_keeps_minimum_and_aspect() {
        let start = Rect::new(0.0, 0.0, 100.0, 50.0);
        let se = Handle { hx: 1, hy: 1 };
        assert_eq!(
            se.resize(start, Point::new(20.0, 10.0), false, 10.0),
            Rect::new(0.0, 0.0, 120.0, 60.0)
        );
        assert_eq!(
            se.resize(start, Point::new(-500.0, 0.0), false, 10.0).w,
            10.0
        );
        let r = se.resize(start, Point::new(100.0, 0.0), true, 10.0);
        assert!((r.w / r.h - 2.0).abs() < 1e-4);
        let nw = Handle { hx: -1, hy: -1 };
        let r = nw.resize(start, Point::new(-10.0, -10.0), false, 10.0);
        assert_eq!(
            (r.x, r.y, r.max().x, r.max().y),
            (-10.0, -10.0, 100.0, 50.0)
        );
    }
}
