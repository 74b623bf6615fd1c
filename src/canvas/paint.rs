//! Turns (board, view, theme) into egui shapes. The screen and the PNG export both draw with this
//! one path, so a picture always looks like the screen.
//!
//! Work is proportional to what is visible: blocks and links outside the view are skipped by a
//! bounds check, and text that would be under [`theme::MIN_TEXT_PX`] on screen is not laid out.

use super::camera::View;
use super::ink_paint::thin_line;
pub use super::layout::LinkLayout;
use super::link_labels;
use super::route;
pub use super::style::Style;
use crate::model::{Block, Board, Direction, Link, LinkId, LinkStyle, Point, SpatialIndex};
use crate::palette::Shape as KindShape;
use crate::theme::{self, Colors};
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, pos2, vec2};

/// Draws the background, grid, frames, links and blocks that intersect the view.
pub fn paint_board(
    painter: &Painter,
    board: &Board,
    index: &SpatialIndex,
    view: &View,
    style: &Style<'_>,
) {
    // A fully transparent background is left to the caller (exports fill their buffer directly).
    if style.colors.background.a() > 0 {
        painter.rect_filled(view.screen, 0.0, style.colors.background);
    }
    if style.grid {
        paint_grid(painter, view, style.colors);
    }
    let visible = view.world_rect().expanded(theme::LABEL_SIZE);
    // With the whole board in view every block and link is drawn: walking the maps in order
    // then beats looking each one up by id from the index.
    let everything = index.bounds().is_none_or(|b| visible.contains_rect(&b));
    let blocks: Vec<&Block> = if everything {
        board.blocks.values().collect()
    } else {
        index
            .blocks_in(visible)
            .filter_map(|id| board.block(id))
            .collect()
    };
    // Ink lies on top of the blocks it marks up, in the order it was drawn: it is kept out of
    // the sort, which thousands of strokes would otherwise slow.
    let mut ink: Vec<&Block> = Vec::new();
    let mut blocks = blocks;
    blocks.retain(|b| {
        let stroke = b.is_ink();
        if stroke {
            ink.push(b);
        }
        !stroke
    });
    blocks.sort_by_key(|b| b.paint_order());
    let split = blocks.partition_point(|b| b.is_frame());
    // Far-out tiles and lines go into one mesh each: thousands of tiny shapes cost far more to
    // tessellate one by one than as a single batch.
    let mut tiles = egui::Mesh::default();
    for block in &blocks[..split] {
        paint_block(painter, block, board, index, view, style, &mut tiles);
    }
    painter.add(Shape::mesh(std::mem::take(&mut tiles)));
    let mut lines = egui::Mesh::default();
    // In id order, as the board holds them, so overlapping links stack the same way each frame.
    let links: Vec<&Link> = if everything {
        board.links.values().collect()
    } else {
        let mut ids: Vec<LinkId> = index.links_in(visible).collect();
        ids.sort_unstable();
        ids.iter().filter_map(|id| board.link(*id)).collect()
    };
    for link in links {
        let (Some(a), Some(b)) = (board.block(link.from.block), board.block(link.to.block)) else {
            continue;
        };
        paint_link(painter, a, b, link, view, style, &mut lines);
    }
    painter.add(Shape::mesh(lines));
    for block in &blocks[split..] {
        paint_block(painter, block, board, index, view, style, &mut tiles);
    }
    for stroke in ink {
        super::ink_paint::paint_ink(
            painter,
            &stroke.ink,
            &stroke.rect,
            view,
            ink_color(stroke, style),
            &mut tiles,
            true,
        );
    }
    painter.add(Shape::mesh(tiles));
}

fn paint_grid(painter: &Painter, view: &View, colors: &Colors) {
    let mut step = theme::GRID;
    while step * view.camera.zoom < 14.0 {
        step *= 5.0;
    }
    let world = view.world_rect();
    let x0 = (world.x / step).floor() * step;
    let y0 = (world.y / step).floor() * step;
    let dot = vec2(1.5, 1.5);
    let mut mesh = egui::Mesh::default();
    let mut y = y0;
    while y <= world.y + world.h {
        let mut x = x0;
        while x <= world.x + world.w {
            let c = view.to_screen(Point::new(x, y));
            mesh.add_colored_rect(Rect::from_center_size(c, dot), colors.grid);
            x += step;
        }
        y += step;
    }
    painter.add(Shape::mesh(mesh));
}

/// A stroke's colour: its drawer's, or the theme's text colour.
fn ink_color(stroke: &Block, style: &Style<'_>) -> Color32 {
    stroke
        .ink_color
        .map_or(style.colors.text, |[r, g, b]| Color32::from_rgb(r, g, b))
}

/// Stroke width on screen for a world-space width, kept visible when zoomed far out.
fn stroke_px(view: &View) -> f32 {
    (theme::STROKE_WIDTH * view.camera.zoom).clamp(0.6, 4.0)
}

/// Draws one block: outline by kind, tag, wrapped label, badges. Far out it becomes a plain
/// tile added to `tiles`. Ink never comes here: [`paint_board`] draws strokes over every block,
/// in the order they were drawn.
fn paint_block(
    painter: &Painter,
    block: &Block,
    board: &Board,
    index: &SpatialIndex,
    view: &View,
    style: &Style<'_>,
    tiles: &mut egui::Mesh,
) {
    let rect = view.rect_to_screen(&block.rect);
    let z = view.camera.zoom;
    let kind = style.palette.kind_or_fallback(&block.kind);
    let (fill, stroke_color) = theme::tint_colors(kind.tint, style.dark);
    // Far out, a block is a small tile: outlines, tags and labels would not be readable, and
    // drawing them costs many times more. A filled rectangle in the kind's colour reads the same.
    if rect.width().max(rect.height()) < theme::LOD_BLOCK_PX {
        if block.is_frame() {
            painter.rect_stroke(
                rect,
                0.0,
                Stroke::new(1.0, style.colors.frame_stroke),
                StrokeKind::Inside,
            );
        } else if !block.is_text() {
            tiles.add_colored_rect(rect, stroke_color.gamma_multiply(0.7));
        }
        return;
    }
    let stroke = Stroke::new(stroke_px(view), stroke_color);
    paint_outline(painter, kind.shape, rect, fill, stroke, z, style);
    if block.locked {
        let c = rect.right_top() + vec2(-8.0 * z, 8.0 * z);
        painter.circle_stroke(
            c,
            3.0 * z,
            Stroke::new(stroke.width * 0.8, style.colors.muted_text),
        );
    }
    if block.is_card() {
        super::card_paint::paint_card(
            painter,
            block,
            &board.estimate,
            rect,
            view,
            style,
            stroke_color,
        );
    } else if block.fields.is_empty() {
        paint_block_text(
            painter,
            block,
            &kind.tag,
            kind.shape,
            rect,
            view,
            style,
            stroke_color,
        );
    } else {
        super::entity_paint::paint_entity(painter, block, rect, view, style, stroke_color);
    }
    if let Some(lenses) = style.badges {
        paint_badges(painter, block, &kind.lens, lenses, rect, view, style);
    }
    super::design_paint::paint_sizing_badges(painter, block, kind, rect, view, style);
    if let Some(design) = style.design {
        // The labels of its own links, which the review's load pill must not cover.
        let covers_label = |r: Rect| {
            index
                .links_of(block.id)
                .iter()
                .filter_map(|id| style.layout.label(*id))
                .any(|p| view.rect_to_screen(&p.rect()).intersects(r))
        };
        super::design_paint::paint_block_design(
            painter,
            block,
            rect,
            view,
            style,
            design,
            &covers_label,
        );
    }
}

/// The outline a kind's shape draws, filled.
fn paint_outline(
    painter: &Painter,
    shape: KindShape,
    rect: Rect,
    fill: Color32,
    stroke: Stroke,
    z: f32,
    style: &Style<'_>,
) {
    let round = theme::BLOCK_ROUNDING * z;
    match shape {
        KindShape::Rounded => {
            painter.rect(rect, round, fill, stroke, StrokeKind::Inside);
        }
        KindShape::Hexagon => {
            let inset = (rect.height() * 0.35).min(rect.width() * 0.25);
            let pts = vec![
                pos2(rect.left() + inset, rect.top()),
                pos2(rect.right() - inset, rect.top()),
                pos2(rect.right(), rect.center().y),
                pos2(rect.right() - inset, rect.bottom()),
                pos2(rect.left() + inset, rect.bottom()),
                pos2(rect.left(), rect.center().y),
            ];
            painter.add(Shape::convex_polygon(pts, fill, stroke));
        }
        KindShape::Cylinder => paint_cylinder(painter, rect, fill, stroke),
        KindShape::Queue => {
            painter.rect(rect, round * 0.5, fill, stroke, StrokeKind::Inside);
            // Message slots towards the head of the queue.
            let slot = (rect.height() * 0.45).min(rect.width() / 8.0);
            for i in 1..=3 {
                let x = rect.right() - slot * i as f32;
                painter.line_segment(
                    [pos2(x, rect.top() + 3.0), pos2(x, rect.bottom() - 3.0)],
                    stroke,
                );
            }
        }
        KindShape::Cloud => {
            let r = rect.height() / 2.0;
            painter.rect(rect, r, fill, stroke, StrokeKind::Inside);
            let inner = rect.shrink(stroke.width * 2.5);
            painter.rect_stroke(
                inner,
                (r - stroke.width * 2.5).max(0.0),
                Stroke::new(stroke.width * 0.6, stroke.color),
                StrokeKind::Inside,
            );
        }
        KindShape::Device => {
            painter.rect(rect, round * 0.6, fill, stroke, StrokeKind::Inside);
            let bar = (rect.height() * 0.22).min(18.0 * z);
            let y = rect.top() + bar;
            painter.line_segment([pos2(rect.left(), y), pos2(rect.right(), y)], stroke);
            for i in 0..3 {
                let c = pos2(
                    rect.left() + bar * (0.55 + 0.5 * i as f32),
                    rect.top() + bar / 2.0,
                );
                painter.circle_filled(c, bar * 0.12, stroke.color);
            }
        }
        KindShape::Phone => {
            painter.rect(rect, round * 1.5, fill, stroke, StrokeKind::Inside);
            let c = pos2(rect.center().x, rect.bottom() - 8.0 * z);
            painter.line_segment([c - vec2(8.0 * z, 0.0), c + vec2(8.0 * z, 0.0)], stroke);
        }
        KindShape::Bucket => {
            let inset = rect.width() * 0.12;
            let pts = vec![
                rect.left_top(),
                rect.right_top(),
                pos2(rect.right() - inset, rect.bottom()),
                pos2(rect.left() + inset, rect.bottom()),
            ];
            painter.add(Shape::convex_polygon(pts, fill, stroke));
            let rim = rect.top() + rect.height() * 0.18;
            painter.line_segment(
                [
                    pos2(rect.left() + inset * 0.2, rim),
                    pos2(rect.right() - inset * 0.2, rim),
                ],
                stroke,
            );
        }
        KindShape::Text => {}
        KindShape::Frame => {
            painter.rect(
                rect,
                round,
                style.colors.frame_fill,
                Stroke::new(stroke.width, style.colors.frame_stroke),
                StrokeKind::Inside,
            );
        }
    }
}

/// A coverage pill (`4/11`) at the bottom-right corner and a dot when the block has notes.
fn paint_badges(
    painter: &Painter,
    block: &Block,
    lens: &str,
    lenses: &crate::lens::LensLibrary,
    rect: Rect,
    view: &View,
    style: &Style<'_>,
) {
    let z = view.camera.zoom;
    let size = theme::TAG_SIZE * z;
    if size < theme::MIN_TEXT_PX || block.is_frame() || block.is_text() {
        return;
    }
    let (covered, total) = lenses.coverage(block, lens);
    if covered > 0 {
        let text = format!("{covered}/{total}");
        let galley =
            painter.layout_no_wrap(text, FontId::proportional(size), style.colors.on_accent);
        let pad = vec2(4.0, 1.0) * z;
        let r = Rect::from_min_size(
            rect.right_bottom() - galley.size() - pad * 2.0 - vec2(3.0, 3.0) * z,
            galley.size() + pad * 2.0,
        );
        let color = if covered == total {
            style.colors.ok
        } else {
            style.colors.selection
        };
        painter.rect_filled(r, r.height() / 2.0, color);
        painter.galley(r.min + pad, galley, style.colors.on_accent);
    }
    if !block.notes.trim().is_empty() {
        let shift = if block.locked { 10.0 * z } else { 0.0 };
        painter.circle_filled(
            rect.right_top() + vec2(-8.0 * z - shift, 8.0 * z),
            3.5 * z,
            style.colors.warning,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn paint_block_text(
    painter: &Painter,
    block: &Block,
    tag: &str,
    shape: KindShape,
    rect: Rect,
    view: &View,
    style: &Style<'_>,
    tag_color: Color32,
) {
    let z = view.camera.zoom;
    let tag_size = theme::TAG_SIZE * z;
    let pad = link_labels::FRAME_TITLE_PAD * z;
    if shape == KindShape::Frame {
        let size = theme::FRAME_TITLE_SIZE * z;
        if size >= theme::MIN_TEXT_PX && !block.label.is_empty() {
            let galley = painter.layout(
                block.label.clone(),
                FontId::proportional(size),
                style.colors.muted_text,
                (rect.width() - 2.0 * pad).max(1.0),
            );
            painter
                .with_clip_rect(rect.intersect(painter.clip_rect()))
                .galley(rect.min + vec2(pad, pad), galley, style.colors.muted_text);
        }
        return;
    }
    let mut top = rect.top();
    if !tag.is_empty() && tag_size >= theme::MIN_TEXT_PX {
        let offset = match shape {
            KindShape::Cylinder => rect.height() * 0.16,
            KindShape::Device => (rect.height() * 0.22).min(18.0 * z),
            _ => 0.0,
        };
        let inset = match shape {
            KindShape::Hexagon => rect.height() * 0.3,
            KindShape::Cloud => rect.height() * 0.3,
            KindShape::Phone => rect.width() * 0.1,
            _ => 0.0,
        };
        painter.text(
            rect.left_top() + vec2(pad + inset, pad * 0.6 + offset),
            Align2::LEFT_TOP,
            tag,
            FontId::monospace(tag_size),
            tag_color,
        );
        top = rect.top() + offset + tag_size;
    }
    let size = theme::LABEL_SIZE * z;
    if size < theme::MIN_TEXT_PX || block.label.is_empty() {
        return;
    }
    if !block.label_at.is_inside() && shape != KindShape::Text {
        paint_label_outside(painter, block, rect, size, pad, style);
        return;
    }
    let body = Rect::from_min_max(
        pos2(rect.left() + pad, top),
        pos2(rect.right() - pad, rect.bottom() - pad * 0.5),
    );
    if body.width() < 1.0 || body.height() < 1.0 {
        return;
    }
    let mut job = egui::text::LayoutJob::simple(
        block.label.clone(),
        FontId::proportional(size),
        style.colors.text,
        body.width(),
    );
    job.halign = egui::Align::Center;
    let galley = painter.layout_job(job);
    let h = galley.size().y;
    // Centre in the block when it fits, else start under the tag and clip: never spill outside.
    let y = if h <= body.height() {
        (rect.center().y - h / 2.0).max(body.top())
    } else {
        body.top()
    };
    let pos = pos2(body.center().x, y);
    // A text note is only its words: cutting them would hide what the note says.
    if h > body.height() && shape != KindShape::Text {
        painter
            .with_clip_rect(body.intersect(painter.clip_rect()))
            .galley(pos, galley, style.colors.text);
    } else {
        painter.galley(pos, galley, style.colors.text);
    }
}

/// A label beside, above or under its block, the way icon sketches caption an icon. It may be
/// wider than the block (a caption under a small icon), up to a few times the block's width.
fn paint_label_outside(
    painter: &Painter,
    block: &Block,
    rect: Rect,
    size: f32,
    pad: f32,
    style: &Style<'_>,
) {
    use crate::model::LabelAt;
    let wrap = (rect.width() * 2.5).max(LABEL_OUTSIDE_MIN_WRAP * size);
    let mut job = egui::text::LayoutJob::simple(
        block.label.clone(),
        FontId::proportional(size),
        style.colors.text,
        wrap,
    );
    job.halign = match block.label_at {
        LabelAt::Left => egui::Align::RIGHT,
        LabelAt::Right => egui::Align::LEFT,
        _ => egui::Align::Center,
    };
    let galley = painter.layout_job(job);
    // Clear of the selection handles at the middle of each side.
    let gap = pad.max(7.0);
    // With a non-left alignment the galley's anchor is its alignment point, not its left edge.
    let pos = match block.label_at {
        LabelAt::Above => pos2(rect.center().x, rect.top() - gap - galley.size().y),
        LabelAt::Left => pos2(rect.left() - gap, rect.center().y - galley.size().y / 2.0),
        LabelAt::Right => pos2(rect.right() + gap, rect.center().y - galley.size().y / 2.0),
        LabelAt::Below | LabelAt::Inside => pos2(rect.center().x, rect.bottom() + gap),
    };
    painter.galley(pos, galley, style.colors.text);
}

/// How wide (in font sizes) a label outside its block may run before it wraps.
const LABEL_OUTSIDE_MIN_WRAP: f32 = 12.0;

fn paint_cylinder(painter: &Painter, rect: Rect, fill: Color32, stroke: Stroke) {
    let ry = (rect.height() * 0.12).min(rect.width() * 0.25);
    let rx = rect.width() / 2.0;
    let top_c = pos2(rect.center().x, rect.top() + ry);
    let bot_c = pos2(rect.center().x, rect.bottom() - ry);
    let body = Rect::from_min_max(pos2(rect.left(), top_c.y), pos2(rect.right(), bot_c.y));
    painter.add(Shape::ellipse_filled(bot_c, vec2(rx, ry), fill));
    painter.rect_filled(body, 0.0, fill);
    // Lower rim: the front half of the bottom ellipse.
    let arc: Vec<Pos2> = (0..=16)
        .map(|i| {
            let t = std::f32::consts::PI * i as f32 / 16.0;
            pos2(bot_c.x + rx * t.cos(), bot_c.y + ry * t.sin())
        })
        .collect();
    painter.add(Shape::line(arc, stroke));
    painter.line_segment([body.left_top(), body.left_bottom()], stroke);
    painter.line_segment([body.right_top(), body.right_bottom()], stroke);
    painter.add(Shape::ellipse_filled(top_c, vec2(rx, ry), fill));
    painter.add(Shape::ellipse_stroke(top_c, vec2(rx, ry), stroke));
}

/// The screen polyline of a link, with its fan-out offset applied.
pub fn link_screen_path(
    a: &Block,
    b: &Block,
    link: &Link,
    view: &View,
    style: &Style<'_>,
) -> Vec<Pos2> {
    route::link_path(a, b, link, style.layout.fan(link.id))
        .into_iter()
        .map(|p| view.to_screen(p))
        .collect()
}

fn paint_link(
    painter: &Painter,
    a: &Block,
    b: &Block,
    link: &Link,
    view: &View,
    style: &Style<'_>,
    lines: &mut egui::Mesh,
) {
    let pts = link_screen_path(a, b, link, view, style);
    if view.camera.zoom < theme::LOD_LINK_ZOOM {
        // Far out: direction, dashes and labels are below what the eye can tell apart.
        for w in pts.windows(2) {
            thin_line(
                lines,
                w[0],
                w[1],
                1.0,
                style.colors.link.gamma_multiply(0.7),
            );
        }
        return;
    }
    let z = view.camera.zoom;
    let broken = style.design.is_some_and(|d| d.link_broken(link));
    let link_color = if broken {
        style.colors.error
    } else {
        style.colors.link
    };
    let stroke = Stroke::new(stroke_px(view), link_color);
    let head = (10.0 * z).clamp(3.0, 24.0);
    // Stop the line at the arrowhead's base so its end does not poke through the tip.
    let mut body = rounded(&pts, 10.0 * z);
    if matches!(link.direction, Direction::Forward | Direction::Both) {
        shorten_end(&mut body, head * 0.8);
    }
    if link.direction == Direction::Both {
        body.reverse();
        shorten_end(&mut body, head * 0.8);
        body.reverse();
    }
    match link.style {
        LinkStyle::Sync if !broken => {
            painter.add(Shape::line(body, stroke));
        }
        _ => {
            let dash = (8.0 * z).max(2.0);
            painter.extend(Shape::dashed_line(&body, stroke, dash, dash * 0.7));
        }
    }
    let n = pts.len();
    if matches!(link.direction, Direction::Forward | Direction::Both) {
        arrow_head(painter, pts[n - 2], pts[n - 1], head, link_color);
    }
    if link.direction == Direction::Both {
        arrow_head(painter, pts[1], pts[0], head, link_color);
    }
    if let Some((from_card, to_card)) = link.cardinality {
        let foot = (12.0 * z).clamp(4.0, 28.0);
        super::crowfoot::paint_end(painter, pts[1], pts[0], from_card, foot, stroke);
        super::crowfoot::paint_end(painter, pts[n - 2], pts[n - 1], to_card, foot, stroke);
    }
    let size = theme::LINK_LABEL_SIZE * z;
    // The label sits where `link_labels` placed it; what the review draws goes just below it.
    let anchor = {
        let world: Vec<Point> = pts.iter().map(|p| view.to_world(*p)).collect();
        view.to_screen(style.layout.label_anchor(link, &world))
    };
    if let Some(design) = style.design {
        let below = if link.label.is_empty() {
            0.0
        } else {
            size * 1.6
        };
        if broken {
            super::design_paint::paint_break(painter, anchor + vec2(0.0, below), view, style);
        } else if let Some(review) = &design.review {
            super::design_paint::paint_link_rps(painter, link, anchor, view, style, review);
        }
    }
    if !link.label.is_empty() && size >= theme::MIN_TEXT_PX {
        let galley = painter.layout_no_wrap(
            link.label.clone(),
            FontId::proportional(size),
            style.colors.text,
        );
        let pad = link_labels::LABEL_PAD * z;
        let r = Rect::from_center_size(anchor, galley.size() + vec2(2.0 * pad, 2.0 * pad));
        // A label that had to step away from its line is tied back to it.
        if let Some(placed) = style.layout.label(link.id)
            && placed.stepped_away()
        {
            let to = view.to_screen(placed.anchor);
            let v = to - r.center();
            // Leave from the label's edge, where the line towards the anchor crosses it.
            let t =
                (r.width() / 2.0 / v.x.abs().max(1e-3)).min(r.height() / 2.0 / v.y.abs().max(1e-3));
            if t < 1.0 {
                let stroke = Stroke::new(1.0, style.colors.muted_text.gamma_multiply(0.6));
                painter.line_segment([r.center() + v * t, to], stroke);
            }
        }
        painter.rect_filled(r, 3.0 * z, style.colors.label_background);
        painter.galley(r.center() - galley.size() / 2.0, galley, style.colors.text);
    }
}

/// Replaces each corner of a polyline with a short curve of radius up to `radius`.
fn rounded(pts: &[Pos2], radius: f32) -> Vec<Pos2> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut out = vec![pts[0]];
    for w in pts.windows(3) {
        let (a, b, c) = (w[0], w[1], w[2]);
        let r = radius.min(a.distance(b) / 2.0).min(b.distance(c) / 2.0);
        if r < 0.5 {
            out.push(b);
            continue;
        }
        let p0 = b + (a - b).normalized() * r;
        let p2 = b + (c - b).normalized() * r;
        for i in 0..=4 {
            let t = i as f32 / 4.0;
            let u = 1.0 - t;
            out.push(pos2(
                u * u * p0.x + 2.0 * u * t * b.x + t * t * p2.x,
                u * u * p0.y + 2.0 * u * t * b.y + t * t * p2.y,
            ));
        }
    }
    out.push(pts[pts.len() - 1]);
    out
}

fn shorten_end(pts: &mut [Pos2], by: f32) {
    let n = pts.len();
    if n >= 2 {
        let (a, b) = (pts[n - 2], pts[n - 1]);
        let len = a.distance(b);
        if len > by {
            pts[n - 1] = b + (a - b) / len * by;
        }
    }
}

fn arrow_head(painter: &Painter, from: Pos2, tip: Pos2, size: f32, color: Color32) {
    let dir = (tip - from).normalized();
    if !dir.x.is_finite() {
        return;
    }
    let normal = vec2(-dir.y, dir.x);
    let base = tip - dir * size;
    painter.add(Shape::convex_polygon(
        vec![
            tip,
            base + normal * size * 0.45,
            base - normal * size * 0.45,
        ],
        color,
        Stroke::NONE,
    ));
}
