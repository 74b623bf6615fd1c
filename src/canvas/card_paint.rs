//! Requirements and API cards drawn as a titled list: the card's name on top, then one row per
//! requirement (under its section's heading) or per endpoint (its method in the accent colour).
//! Part of the one painter, so PNG and SVG exports show the same card.

use super::camera::View;
use super::style::Style;
use crate::model::entity::ROW_HEIGHT;
use crate::model::{Block, EstimateInputs};
use crate::theme;
use egui::{Align2, Color32, FontId, Painter, Rect, pos2};

/// Rows a card draws: (method or heading, rest, whether the first part is a heading).
fn rows(block: &Block, estimate: &EstimateInputs) -> Vec<(String, String, bool)> {
    if block.kind == crate::model::REQUIREMENTS_KIND {
        crate::model::requirements::rows(&block.reqs, estimate)
            .into_iter()
            .map(|r| {
                if r.heading {
                    (r.text, String::new(), true)
                } else {
                    (String::new(), r.text, false)
                }
            })
            .collect()
    } else {
        block
            .endpoints
            .iter()
            .map(|e| {
                let line = e.line();
                let rest = line
                    .strip_prefix(&e.method)
                    .unwrap_or(&line)
                    .trim()
                    .to_owned();
                (e.method.clone(), rest, false)
            })
            .collect()
    }
}

/// Draws `block`'s name and rows inside `rect` (on screen), clipped to it.
pub fn paint_card(
    painter: &Painter,
    block: &Block,
    estimate: &EstimateInputs,
    rect: Rect,
    view: &View,
    style: &Style<'_>,
    accent: Color32,
) {
    let Some((painter, divider)) =
        super::entity_paint::titled(painter, &block.label, rect, view, style, accent)
    else {
        return;
    };
    let z = view.camera.zoom;
    let pad = 8.0 * z;
    let row = ROW_HEIGHT * z;
    let small = (theme::LABEL_SIZE - 2.0) * z;
    let clip = painter.clip_rect();
    let method_width = 58.0 * z;
    for (i, (first, rest, heading)) in rows(block, estimate).into_iter().enumerate() {
        let y = divider + row * (i as f32 + 0.5) + 2.0 * z;
        if y - row / 2.0 > rect.bottom() || y > clip.bottom() + row {
            break;
        }
        if y + row / 2.0 < clip.top() {
            continue;
        }
        let x = rect.left() + pad;
        if heading {
            painter.text(
                pos2(x, y),
                Align2::LEFT_CENTER,
                first,
                FontId::proportional(theme::TAG_SIZE.max(11.0) * z),
                accent,
            );
            continue;
        }
        let text_x = if first.is_empty() {
            x + 4.0 * z
        } else {
            painter.text(
                pos2(x, y),
                Align2::LEFT_CENTER,
                first,
                FontId::monospace(small * 0.9),
                accent,
            );
            x + method_width
        };
        painter.text(
            pos2(text_x, y),
            Align2::LEFT_CENTER,
            rest,
            FontId::proportional(small),
            style.colors.text,
        );
    }
}
