//! What the design review draws on the board: instance and replica badges, load against capacity
//! (the review overlay), and the failure drill's struck-out blocks and broken links.

use super::camera::View;
pub use super::design::Design;
use super::style::Style;
use crate::model::{Block, Link};
use crate::palette::{Kind, Role};
use crate::review::{AMBER, RED, Review, Unit, human};
use crate::theme;
use egui::{Color32, FontId, Painter, Pos2, Rect, Stroke, vec2};

/// `×3` for instances and `R3` for copies of the data, top-left, when more than one.
pub fn paint_sizing_badges(
    painter: &Painter,
    block: &Block,
    kind: &Kind,
    rect: Rect,
    view: &View,
    style: &Style<'_>,
) {
    if kind.role == Role::Annotation || block.is_frame() || block.is_text() || block.is_ink() {
        return;
    }
    let z = view.camera.zoom;
    let size = theme::TAG_SIZE * z;
    if size < theme::MIN_TEXT_PX {
        return;
    }
    let instances = block.props.instances.unwrap_or(kind.instances);
    let replication = block.props.replication.unwrap_or(kind.replication);
    let mut text = String::new();
    if instances > 1 {
        text.push_str(&format!("×{instances}"));
    }
    if kind.role == Role::Store && replication > 1 {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&format!("R{replication}"));
    }
    if text.is_empty() {
        return;
    }
    let galley = painter.layout_no_wrap(text, FontId::proportional(size), style.colors.text);
    let pad = vec2(4.0, 1.0) * z;
    // Astride the top edge, above the kind tag that starts just inside it, so it never covers
    // the tag's letters.
    let size = galley.size() + pad * 2.0;
    let r = Rect::from_min_size(rect.left_top() + vec2(-6.0 * z, 2.0 * z - size.y), size);
    painter.rect(
        r,
        r.height() / 2.0,
        style.colors.label_background,
        Stroke::new(1.0, style.colors.block_stroke),
        egui::StrokeKind::Inside,
    );
    painter.galley(r.min + pad, galley, style.colors.text);
}

/// Utilisation colour: green below 70 %, amber below 100 %, red beyond.
pub fn utilisation_color(util: f64, style: &Style<'_>) -> Color32 {
    if util >= RED {
        style.colors.error
    } else if util >= AMBER {
        style.colors.warning
    } else {
        style.colors.ok
    }
}

/// The overlay's load pill under a block (above it when below `covers_label`, one of the block's
/// link labels on screen), its outline in the utilisation colour, and the drill's
/// strike-through.
pub fn paint_block_design(
    painter: &Painter,
    block: &Block,
    rect: Rect,
    view: &View,
    style: &Style<'_>,
    design: &Design,
    covers_label: &dyn Fn(Rect) -> bool,
) {
    let z = view.camera.zoom;
    if let Some(review) = &design.review
        && let Some(load) = review.load.get(&block.id)
    {
        let util = load.utilisation();
        let color = util.map_or(style.colors.muted_text, |u| utilisation_color(u, style));
        if util.is_some() {
            painter.rect_stroke(
                rect.expand(3.0 * z),
                theme::BLOCK_ROUNDING * z,
                Stroke::new((2.5 * z).max(1.5), color),
                egui::StrokeKind::Outside,
            );
        }
        let size = theme::LINK_LABEL_SIZE * z;
        if size >= theme::MIN_TEXT_PX {
            let text = match (load.capacity, util) {
                (Some(cap), Some(u)) => format!(
                    "{} of {} ({:.0} %)",
                    human(load.rps, Unit::PerSecond),
                    human(cap, Unit::PerSecond),
                    u * 100.0
                ),
                _ => human(load.rps, Unit::PerSecond),
            };
            let galley =
                painter.layout_no_wrap(text, FontId::proportional(size), style.colors.on_accent);
            let pad = vec2(5.0, 2.0) * z;
            let size = galley.size() + pad * 2.0;
            let left = rect.center().x - size.x / 2.0;
            let below = Rect::from_min_size(Pos2::new(left, rect.bottom() + 6.0 * z), size);
            // Above, clear of the sizing badge that straddles the top edge.
            let above = Rect::from_min_size(Pos2::new(left, rect.top() - 14.0 * z - size.y), size);
            let r = [below, above]
                .into_iter()
                .find(|c| !covers_label(*c))
                .unwrap_or(below);
            painter.rect_filled(r, r.height() / 2.0, color);
            painter.galley(r.min + pad, galley, style.colors.on_accent);
        }
    }
    let down = design.is_down(block.id);
    if down || design.is_degraded(block.id) {
        let color = if down {
            style.colors.error
        } else {
            style.colors.warning
        };
        let stroke = Stroke::new((3.0 * z).max(2.0), color);
        if down {
            painter.rect_filled(
                rect,
                theme::BLOCK_ROUNDING * z,
                style.colors.background.gamma_multiply(0.6),
            );
            painter.line_segment([rect.left_top(), rect.right_bottom()], stroke);
        }
        painter.line_segment([rect.left_bottom(), rect.right_top()], stroke);
    }
}

/// The requests per second a link carries, beside its middle (overlay on).
pub fn paint_link_rps(
    painter: &Painter,
    link: &Link,
    mid: Pos2,
    view: &View,
    style: &Style<'_>,
    review: &Review,
) {
    let Some(rps) = review.link_rps.get(&link.id) else {
        return;
    };
    let z = view.camera.zoom;
    let size = theme::LINK_LABEL_SIZE * 0.9 * z;
    if size < theme::MIN_TEXT_PX {
        return;
    }
    let galley = painter.layout_no_wrap(
        human(*rps, Unit::PerSecond),
        FontId::proportional(size),
        style.colors.selection,
    );
    let offset = if link.label.is_empty() {
        0.0
    } else {
        size * 1.4
    };
    let r = Rect::from_center_size(mid + vec2(0.0, offset), galley.size() + vec2(6.0, 2.0) * z);
    painter.rect(
        r,
        3.0 * z,
        style.colors.label_background,
        Stroke::new(1.0, style.colors.selection),
        egui::StrokeKind::Inside,
    );
    painter.galley(
        r.center() - galley.size() / 2.0,
        galley,
        style.colors.selection,
    );
}

/// A cross at the middle of a broken link.
pub fn paint_break(painter: &Painter, mid: Pos2, view: &View, style: &Style<'_>) {
    let s = (7.0 * view.camera.zoom).max(4.0);
    let stroke = Stroke::new((2.5 * view.camera.zoom).max(1.5), style.colors.error);
    // The label background, not the canvas's: an export leaves the canvas transparent.
    painter.circle_filled(mid, s * 1.3, style.colors.label_background);
    painter.line_segment([mid + vec2(-s, -s), mid + vec2(s, s)], stroke);
    painter.line_segment([mid + vec2(-s, s), mid + vec2(s, -s)], stroke);
}
