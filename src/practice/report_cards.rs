//! The report's Requirements and API sections, read from the cards on the board.

use crate::model::requirements::{self, Section};
use crate::model::{API_KIND, Block, Board, REQUIREMENTS_KIND};
use std::fmt::Write;

/// `s` on one line, its runs of white space made single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn cards<'a>(board: &'a Board, kind: &str) -> Vec<&'a Block> {
    let mut out: Vec<&Block> = board.blocks.values().filter(|b| b.kind == kind).collect();
    // Top to bottom, then left to right, as the board reads.
    out.sort_by(|a, b| {
        (a.rect.y, a.rect.x)
            .partial_cmp(&(b.rect.y, b.rect.x))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    out
}

/// Each requirements card's sections, with the scale from the estimator and a mark on targets
/// the review could not check.
pub fn requirements_section(md: &mut String, board: &Board) {
    let all = cards(board, REQUIREMENTS_KIND);
    if all.is_empty() {
        return;
    }
    let _ = writeln!(md, "## Requirements\n");
    for card in all {
        if card.label.trim() != "Requirements" {
            let _ = writeln!(md, "### {}\n", one_line(&card.label));
        }
        for section in Section::ALL {
            let items: Vec<String> = card
                .reqs
                .iter()
                .filter(|r| r.section == section)
                .map(|r| {
                    let mark = if r.is_measurable() {
                        ""
                    } else {
                        " (no target yet)"
                    };
                    format!("- {}{mark}", one_line(&r.line()))
                })
                .collect();
            let scale = section == Section::NonFunctional;
            if items.is_empty() && !scale {
                continue;
            }
            let _ = writeln!(md, "{}:\n", section.heading());
            for item in items {
                let _ = writeln!(md, "{item}");
            }
            if scale {
                let _ = writeln!(md, "- {}", requirements::scale_line(&board.estimate));
            }
            md.push('\n');
        }
    }
}

/// Every API card's endpoints as a table.
pub fn api_section(md: &mut String, board: &Board) {
    let all: Vec<&Block> = cards(board, API_KIND)
        .into_iter()
        .filter(|c| !c.endpoints.is_empty())
        .collect();
    if all.is_empty() {
        return;
    }
    let _ = writeln!(md, "## API\n");
    let cell = |s: &str| one_line(s).replace('|', "\\|");
    for card in all {
        if card.label.trim() != "API" {
            let _ = writeln!(md, "### {}\n", cell(&card.label));
        }
        let _ = writeln!(
            md,
            "| method | path | request | response | entity |\n|---|---|---|---|---|"
        );
        for e in &card.endpoints {
            let entity = if e.entity.is_empty() {
                String::new()
            } else {
                format!(
                    "{} {}",
                    if e.writes { "writes" } else { "reads" },
                    cell(&e.entity)
                )
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {entity} |",
                e.method,
                cell(&e.path),
                cell(&e.request),
                cell(&e.response)
            );
        }
        md.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::requirements::Quality;
    use crate::model::{BlockId, Endpoint, Rect, Requirement};

    #[test]
    fn the_sections_list_the_cards() {
        let mut board = Board::new("t");
        let mut req = Block::new(
            BlockId(1),
            REQUIREMENTS_KIND,
            "Requirements",
            Rect::new(0.0, 0.0, 300.0, 100.0),
        );
        req.reqs = vec![
            Requirement::functional("Shorten a URL"),
            Requirement::non_functional(Quality::Latency, "fast"),
            Requirement::out_of_scope("Analytics"),
        ];
        let mut api = Block::new(
            BlockId(2),
            API_KIND,
            "API",
            Rect::new(0.0, 200.0, 300.0, 60.0),
        );
        api.endpoints = vec![
            Endpoint::new("POST", "/urls")
                .request("{long|url}")
                .response("short")
                .on("Url"),
        ];
        board.blocks.insert(BlockId(1), req);
        board.blocks.insert(BlockId(2), api);
        let mut md = String::new();
        requirements_section(&mut md, &board);
        assert_eq!(
            md,
            "## Requirements\n\nFunctional:\n\n- Shorten a URL\n\nNon-functional:\n\n- latency: fast (no target yet)\n- scale: 1M daily users, 10:1 reads:writes\n\nOut of scope:\n\n- Analytics\n\n"
        );
        let mut md = String::new();
        api_section(&mut md, &board);
        assert!(
            md.contains("| POST | /urls | {long\\|url} | short | writes Url |"),
            "{md}"
        );
        let mut none = String::new();
        api_section(&mut none, &Board::default());
        requirements_section(&mut none, &Board::default());
        assert!(none.is_empty());
    }
}
