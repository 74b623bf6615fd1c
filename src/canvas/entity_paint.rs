//! An entity drawn as a table: its name on top, then one row per field with its type and key
//! marks, the way a candidate sketches a schema on a whiteboard. Part of the one painter, so
//! the PNG and SVG exports show the same table.

use super::camera::View;
use super::style::Style;
use crate::model::Block;
use crate::model::entity::{HEADER_HEIGHT, ROW_HEIGHT};
use crate::theme;
use egui::{Align2, Color32, FontId, Painter, Rect, Stroke, pos2};

/// The name row that tables and cards share: `label` over a divider in the `accent` colour.
/// Gives a painter clipped to `rect` and where the rows start, or nothing when the text would
/// be too small to read.
pub(super) fn titled(
    painter: &Painter,
    label: &str,
    rect: Rect,
    view: &View,
    style: &Style<'_>,
    accent: Color32,
) -> Option<(Painter, f32)> {
    let z = view.camera.zoom;
    let size = theme::LABEL_SIZE * z;
    if size < theme::MIN_TEXT_PX {
        return None;
    }
    let painter = painter.with_clip_rect(rect.intersect(painter.clip_rect()));
    let pad = 8.0 * z;
    let header = HEADER_HEIGHT * z;
    painter.text(
        pos2(rect.left() + pad, rect.top() + header / 2.0),
        Align2::LEFT_CENTER,
        label,
        FontId::proportional(size),
        style.colors.text,
    );
    let divider = rect.top() + header;
    painter.line_segment(
        [pos2(rect.left(), divider), pos2(rect.right(), divider)],
        Stroke::new(z.clamp(0.5, 1.5), accent.gamma_multiply(0.7)),
    );
    Some((painter, divider))
}

/// Draws `block`'s name and fields inside `rect` (on screen), clipped to it.
pub fn paint_entity(
    painter: &Painter,
    block: &Block,
    rect: Rect,
    view: &View,
    style: &Style<'_>,
    accent: Color32,
) {
    let Some((painter, divider)) = titled(painter, &block.label, rect, view, style, accent) else {
        return;
    };
    let z = view.camera.zoom;
    let pad = 8.0 * z;
    let row = ROW_HEIGHT * z;
    let small = (theme::LABEL_SIZE - 2.0) * z;
    let marks_size = theme::TAG_SIZE * z;
    // The type column starts after the longest name (laid-out text is cached by egui), but
    // never past the middle, so a very long name is cut rather than the types pushed out.
    let names: Vec<_> = block
        .fields
        .iter()
        .map(|f| {
            painter.layout_no_wrap(
                f.name.clone(),
                FontId::proportional(small),
                style.colors.text,
            )
        })
        .collect();
    let widest = names.iter().map(|g| g.size().x).fold(0.0, f32::max);
    let type_x = (rect.left() + pad + widest + 12.0 * z).min(rect.center().x);
    for (i, (f, name)) in block.fields.iter().zip(names).enumerate() {
        let y = divider + row * (i as f32 + 0.5) + 2.0 * z;
        if y - row / 2.0 > rect.bottom() || y > painter.clip_rect().bottom() + row {
            break;
        }
        if y + row / 2.0 < painter.clip_rect().top() {
            continue;
        }
        let name_clip =
            Rect::from_min_max(pos2(rect.left(), y - row), pos2(type_x - 4.0 * z, y + row));
        painter
            .with_clip_rect(name_clip.intersect(painter.clip_rect()))
            .galley(
                pos2(rect.left() + pad, y - name.size().y / 2.0),
                name,
                style.colors.text,
            );
        if !f.ty.is_empty() {
            painter.text(
                pos2(type_x, y),
                Align2::LEFT_CENTER,
                &f.ty,
                FontId::monospace(small * 0.9),
                style.colors.muted_text,
            );
        }
        let marks = f.keys.marks();
        if !marks.is_empty() && marks_size >= theme::MIN_TEXT_PX {
            painter.text(
                pos2(rect.right() - pad, y),
                Align2::RIGHT_CENTER,
                marks,
                FontId::monospace(marks_size),
                accent,
            );
        }
    }
}
