//! Turns (board, view, theme) into egui shapes. The screen and the PNG export both draw with this.

use super::camera::View;
use crate::model::{Block, Board, Link};
use crate::theme::{self, Palette};
use egui::{Align2, FontId, Painter, Shape, Stroke, StrokeKind};

/// Draws the grid, links and blocks that intersect the view.
pub fn paint_board(painter: &Painter, board: &Board, view: &View, colors: &Palette) {
    painter.rect_filled(view.screen, 0.0, colors.background);
    paint_grid(painter, view, colors);
    let visible = view.world_rect().expanded(theme::LABEL_SIZE);
    for link in board.links.values() {
        paint_link(painter, board, link, view, colors);
    }
    let mut blocks: Vec<&Block> = board
        .blocks
        .values()
        .filter(|b| b.rect.intersects(&visible))
        .collect();
    blocks.sort_by_key(|b| b.paint_order());
    for block in blocks {
        paint_block(painter, block, view, colors);
    }
}

fn paint_grid(painter: &Painter, view: &View, colors: &Palette) {
    let mut step = theme::GRID;
    while step * view.camera.zoom < 12.0 {
        step *= 5.0;
    }
    let world = view.world_rect();
    let x0 = (world.x / step).floor() * step;
    let y0 = (world.y / step).floor() * step;
    let r = 1.0_f32.max(view.camera.zoom.min(1.5));
    let mut shapes = Vec::new();
    let mut y = y0;
    while y <= world.y + world.h {
        let mut x = x0;
        while x <= world.x + world.w {
            shapes.push(Shape::circle_filled(
                view.to_screen(crate::model::Point::new(x, y)),
                r * 0.8,
                colors.grid,
            ));
            x += step;
        }
        y += step;
    }
    painter.extend(shapes);
}

fn paint_block(painter: &Painter, block: &Block, view: &View, colors: &Palette) {
    let rect = view.rect_to_screen(&block.rect);
    let z = view.camera.zoom;
    let stroke = Stroke::new(theme::STROKE_WIDTH * z.clamp(0.5, 2.0), colors.block_stroke);
    if block.is_frame() {
        painter.rect(
            rect,
            theme::BLOCK_ROUNDING * z,
            colors.frame_fill,
            Stroke::new(stroke.width, colors.frame_stroke),
            StrokeKind::Inside,
        );
    } else if !block.is_text() {
        painter.rect(
            rect,
            theme::BLOCK_ROUNDING * z,
            colors.block_fill,
            stroke,
            StrokeKind::Inside,
        );
    }
    let size = theme::LABEL_SIZE * z;
    if size >= theme::MIN_TEXT_PX && !block.label.is_empty() {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            &block.label,
            FontId::proportional(size),
            colors.text,
        );
    }
}

fn paint_link(painter: &Painter, board: &Board, link: &Link, view: &View, colors: &Palette) {
    let (Some(a), Some(b)) = (board.block(link.from.block), board.block(link.to.block)) else {
        return;
    };
    let p = a.rect.boundary_toward(b.rect.center());
    let q = b.rect.boundary_toward(a.rect.center());
    let stroke = Stroke::new(
        theme::STROKE_WIDTH * view.camera.zoom.clamp(0.5, 2.0),
        colors.link,
    );
    painter.line_segment([view.to_screen(p), view.to_screen(q)], stroke);
}
