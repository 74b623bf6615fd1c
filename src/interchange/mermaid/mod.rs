//! Mermaid flowcharts: `.mmd` files, the mermaid fences of a Markdown file, Hugo shortcodes,
//! mermaid.live links and pasted text (`parse.rs`); and writing a board as a flowchart
//! (`write.rs`).
//!
//! Mermaid has no coordinates, so the nodes are laid out in layers in the chart's direction
//! (see [`super::layered`]) and each subgraph becomes a frame around its nodes. Styling
//! (`classDef`, `style`, `click`…) is read past, not refused; a `:::name` class that names an
//! archboard kind sets the node's kind, which is how archboard's own export keeps kinds.

mod er;
mod parse;
mod write;

pub use parse::{charts, looks_like, parse};
pub use write::write;

/// The chart's first statement and its line's index: front matter (`---` … `---`), blank lines
/// and `%%` comments come before it. Both readers start here, and it says which reader a chart
/// is for.
fn first_statement(chart: &str) -> Option<(usize, &str)> {
    let mut front = false;
    for (n, line) in chart.lines().enumerate() {
        let t = line.trim();
        if n == 0 && t == "---" {
            front = true;
            continue;
        }
        if front {
            front = t != "---";
            continue;
        }
        if t.is_empty() || t.starts_with("%%") {
            continue;
        }
        return Some((n, t));
    }
    None
}
