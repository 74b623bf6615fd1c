//! The requirements and API cards' gaps: targets without a number, endpoints that no service
//! serves, endpoints that name an entity the board does not have.
//!
//! An API card is served by the services it is linked to (either way round). Like the data
//! model's gaps these are only looked for once the board has such a card: the rubric asks for
//! the card itself.

use super::Target;
use crate::model::{API_KIND, BlockId, Board, ENTITY_KIND, REQUIREMENTS_KIND};
use crate::palette::{Palette, Role};

/// Whether a block serves requests: a service, a function, or a gateway in front of them.
fn serves(board: &Board, palette: &Palette, id: BlockId) -> bool {
    board.block(id).is_some_and(|b| {
        matches!(
            palette.kind_or_fallback(&b.kind).role,
            Role::Compute | Role::Balancer
        )
    })
}

pub fn gaps(
    board: &Board,
    palette: &Palette,
    name: impl Fn(BlockId) -> String,
) -> Vec<(Target, String)> {
    let mut out = Vec::new();
    let entities: Vec<&str> = board
        .blocks
        .values()
        .filter(|b| b.kind == ENTITY_KIND)
        .map(|b| b.label.trim())
        .collect();
    for b in board.blocks.values() {
        if b.kind == REQUIREMENTS_KIND {
            for r in b.reqs.iter().filter(|r| !r.is_measurable()) {
                let q = r.quality.unwrap_or_default();
                let what = if q.wants() == crate::model::requirements::Target::Level {
                    "a level (strong, eventual…)"
                } else {
                    "a number"
                };
                out.push((
                    Target::Block(b.id),
                    format!(
                        "the non-functional requirement \"{}\" has no target: give it {what}",
                        clip(&r.line())
                    ),
                ));
            }
        }
        if b.kind != API_KIND || b.endpoints.is_empty() {
            continue;
        }
        let served = board.links.values().any(|l| {
            (l.from.block == b.id && serves(board, palette, l.to.block))
                || (l.to.block == b.id && serves(board, palette, l.from.block))
        });
        if !served {
            let first = &b.endpoints[0];
            let more = b.endpoints.len() - 1;
            let rest = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            out.push((
                Target::Block(b.id),
                format!(
                    "no service serves {} {}{rest} on {}: link the card to the service behind it",
                    first.method,
                    clip(&first.path),
                    name(b.id)
                ),
            ));
        }
        for e in b.endpoints.iter().filter(|e| {
            !e.entity.is_empty()
                && !entities
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(e.entity.trim()))
        }) {
            out.push((
                Target::Block(b.id),
                format!(
                    "{} {} {} {}, which is not on the board as an entity",
                    e.method,
                    clip(&e.path),
                    if e.writes { "writes" } else { "reads" },
                    clip(&e.entity)
                ),
            ));
        }
    }
    out
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Endpoint, Link, LinkId, Rect, Requirement, requirements::Quality};

    fn board() -> Board {
        let mut b = Board::new("t");
        let mut req = Block::new(
            BlockId(1),
            REQUIREMENTS_KIND,
            "Requirements",
            Rect::new(0.0, 0.0, 300.0, 100.0),
        );
        req.reqs = vec![
            Requirement::non_functional(Quality::Latency, "fast"),
            Requirement::non_functional(Quality::Availability, "99.9 %"),
        ];
        let mut api = Block::new(
            BlockId(2),
            API_KIND,
            "API",
            Rect::new(0.0, 200.0, 300.0, 60.0),
        );
        api.endpoints = vec![Endpoint::new("GET", "/feed").on("Post")];
        b.blocks.insert(BlockId(1), req);
        b.blocks.insert(BlockId(2), api);
        b.blocks.insert(
            BlockId(3),
            Block::new(
                BlockId(3),
                "service",
                "Feed",
                Rect::new(400.0, 200.0, 140.0, 70.0),
            ),
        );
        b.next_id = 10;
        b
    }

    fn texts(b: &Board) -> Vec<String> {
        gaps(b, &Palette::bundled(), |id| format!("#{}", id.0))
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn each_gap_goes_when_it_is_filled() {
        let mut b = board();
        let t = texts(&b);
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(
            t[0].contains("\"latency: fast\" has no target: give it a number"),
            "{t:?}"
        );
        assert!(t[1].contains("no service serves GET /feed"), "{t:?}");
        assert!(
            t[2].contains("reads Post, which is not on the board"),
            "{t:?}"
        );
        b.blocks.get_mut(&BlockId(1)).expect("present").reqs[0].text = "p99 < 300 ms".into();
        b.links
            .insert(LinkId(4), Link::new(LinkId(4), BlockId(2), BlockId(3)));
        b.blocks.insert(
            BlockId(5),
            Block::new(
                BlockId(5),
                ENTITY_KIND,
                "post",
                Rect::new(0.0, 400.0, 200.0, 60.0),
            ),
        );
        assert!(texts(&b).is_empty(), "{:?}", texts(&b));
    }
}
