//! Writing a board as a Mermaid flowchart.

use crate::model::{Board, Direction, LinkStyle};
use crate::palette::Palette;
use std::collections::BTreeMap;

/// Escapes a label for `["…"]`: quotes as Mermaid's `#quot;`, new lines as `<br>`.
fn quote(label: &str) -> String {
    let l = label.replace('"', "#quot;").replace('\n', "<br>");
    format!("\"{l}\"")
}

/// Writes `board` as a left-to-right flowchart: frames as subgraphs, async links dashed, and
/// each node's kind as a `:::kind` class, so the chart comes back as the same board.
pub fn write(board: &Board, palette: &Palette) -> String {
    use std::fmt::Write;
    // A data model alone reads best, and round-trips, as an entity-relationship chart.
    if super::er::only_entities(board) {
        return super::er::write(board);
    }
    let mut out = String::from("flowchart LR\n");
    let holder = |b: &crate::model::Block| {
        crate::interchange::scene::innermost_frame(board, b).map(|f| f.id)
    };
    let mut children: BTreeMap<Option<crate::model::BlockId>, Vec<&crate::model::Block>> =
        BTreeMap::new();
    // Left to right, then top to bottom, so the chart reads like the board.
    // Mermaid has nothing to draw freehand ink with: strokes stay on the board.
    let mut blocks: Vec<&crate::model::Block> =
        board.blocks.values().filter(|b| !b.is_ink()).collect();
    blocks.sort_by(|a, b| {
        (a.rect.x, a.rect.y)
            .partial_cmp(&(b.rect.x, b.rect.y))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    for b in blocks {
        children.entry(holder(b)).or_default().push(b);
    }
    fn emit(
        out: &mut String,
        parent: Option<crate::model::BlockId>,
        children: &BTreeMap<Option<crate::model::BlockId>, Vec<&crate::model::Block>>,
        depth: usize,
    ) {
        let pad = "  ".repeat(depth + 1);
        for b in children.get(&parent).map(Vec::as_slice).unwrap_or_default() {
            if b.is_frame() {
                let _ = writeln!(out, "{pad}subgraph f{}[{}]", b.id.0, quote(&b.label));
                if depth < 32 {
                    emit(out, Some(b.id), children, depth + 1);
                }
                let _ = writeln!(out, "{pad}end");
            } else {
                let label = quote(&b.label);
                let node = match b.kind.as_str() {
                    "database" | "nosql" | "warehouse" => format!("[({label})]"),
                    "queue" | "stream" => format!("[[{label}]]"),
                    "client" | "mobile" => format!("([{label}])"),
                    "load_balancer" | "api_gateway" => format!("{{{{{label}}}}}"),
                    _ => format!("[{label}]"),
                };
                let _ = writeln!(out, "{pad}b{}{node}:::{}", b.id.0, b.kind);
            }
        }
    }
    emit(&mut out, None, &children, 0);
    let inked = |id| board.block(id).is_none_or(|b| b.is_ink());
    for l in board
        .links
        .values()
        .filter(|l| !inked(l.from.block) && !inked(l.to.block))
    {
        let dashed = l.style == LinkStyle::Async;
        let op = match (l.direction, dashed) {
            (Direction::Forward, false) => "-->",
            (Direction::Both, false) => "<-->",
            (Direction::None, false) => "---",
            (Direction::Forward, true) => "-.->",
            (Direction::Both, true) => "<-.->",
            (Direction::None, true) => "-.-",
        };
        let text = if l.label.is_empty() {
            String::new()
        } else {
            format!("|{}|", quote(&l.label))
        };
        let _ = writeln!(out, "  b{} {op}{text} b{}", l.from.block.0, l.to.block.0);
    }
    // Colours per kind, as classes, so the chart looks like the board where Mermaid renders it.
    let mut kinds: Vec<&str> = board
        .blocks
        .values()
        .filter(|b| !b.is_frame() && !b.is_ink())
        .map(|b| b.kind.as_str())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    for k in kinds {
        let fill = match palette.get(k).map(|k| k.shape) {
            Some(crate::palette::Shape::Cylinder) => "#fff2cc",
            Some(crate::palette::Shape::Queue) => "#e1d5e7",
            Some(crate::palette::Shape::Text) => "#ffffff00",
            _ => "#dae8fc",
        };
        let _ = writeln!(out, "  classDef {k} fill:{fill}");
    }
    out
}
