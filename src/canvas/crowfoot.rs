//! Crow's feet: how many of an entity take part at each end of a relationship, drawn where
//! the line meets the entity (a bar for one, a ring for "or none", a foot for many).

use crate::model::Card;
use egui::{Painter, Pos2, Stroke, Vec2};

/// Draws `card` at `tip` (where the line meets the entity); `from` is the line's previous point,
/// which gives the direction. `size` is the foot's length on screen.
pub fn paint_end(painter: &Painter, from: Pos2, tip: Pos2, card: Card, size: f32, stroke: Stroke) {
    let along = tip - from;
    if along.length() < 1e-3 {
        return;
    }
    let d: Vec2 = along.normalized(); // towards the entity
    let n = d.rot90();
    let half = size * 0.5;
    if card.many() {
        // The foot opens onto the entity: three prongs from a point a foot's length back.
        let heel = tip - d * size;
        for side in [-1.0, 0.0, 1.0] {
            painter.line_segment([heel, tip + n * half * side], stroke);
        }
    }
    // Nearest the foot (or the entity): a bar for "at least one"; further back a bar or a
    // ring for "exactly one" or "or none".
    let first = tip - d * (size * if card.many() { 1.25 } else { 0.5 });
    let second = tip - d * (size * if card.many() { 1.75 } else { 1.0 });
    let bar = |at: Pos2| {
        painter.line_segment([at - n * half, at + n * half], stroke);
    };
    match card {
        Card::ExactlyOne => {
            bar(first);
            bar(second);
        }
        Card::OneOrMany => bar(first),
        Card::ZeroOrOne | Card::ZeroOrMany => {
            if card == Card::ZeroOrOne {
                bar(first);
            }
            let ring = tip - d * (size * if card.many() { 1.25 } else { 1.0 } + half * 0.7);
            painter.circle(ring, half * 0.6, egui::Color32::TRANSPARENT, stroke);
        }
    }
}
