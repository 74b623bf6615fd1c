//! Requirements and API cards edited as text, as a person types them on the canvas.
//!
//! The inline editor shows a card's text form and gives back whatever was typed; this turns
//! that text into the edits that make the card say it, in one step: the card's items, its
//! height (grown or shrunk to its rows) and, for requirements, the scale line's numbers, which
//! are the estimator's inputs.

use super::block::Block;
use super::edit::Edit;
use super::sizing::EstimateInputs;
use super::{api, requirements};

/// The text the inline editor shows for a card, or `None` for other blocks.
pub fn body_text(b: &Block, estimate: &EstimateInputs) -> Option<String> {
    if b.kind == requirements::REQUIREMENTS_KIND {
        Some(requirements::to_text(&b.reqs, estimate))
    } else if b.kind == api::API_KIND {
        Some(api::to_text(&b.endpoints))
    } else {
        None
    }
}

/// What the inline editor opens with, and where its cursor starts (in characters). An empty
/// requirements card opens with its three headings, the cursor on the first functional line,
/// so the first thing typed is the first requirement.
pub fn editor_text(b: &Block, estimate: &EstimateInputs) -> Option<(String, usize)> {
    if b.kind == requirements::REQUIREMENTS_KIND && b.reqs.is_empty() {
        let first = "Functional\n- ";
        let text = format!(
            "{first}\nNon-functional\n- {}\nOut of scope\n- ",
            requirements::scale_line(estimate)
        );
        return Some((text, first.chars().count()));
    }
    let text = body_text(b, estimate)?;
    let end = text.chars().count();
    Some((text, end))
}

/// The edits that make card `b` say `text`; none when it already does.
pub fn edits_for_text(b: &Block, text: &str, estimate: &EstimateInputs) -> Vec<Edit> {
    let mut next = b.clone();
    let mut out = Vec::new();
    if b.kind == requirements::REQUIREMENTS_KIND {
        let parsed = requirements::parse(text);
        next.reqs = parsed.reqs;
        let mut e = estimate.clone();
        if let Some(v) = parsed.daily_users {
            e.daily_active_users = v.min(crate::model::limits::MAX_ESTIMATE);
        }
        if let Some(v) = parsed.reads_per_write {
            e.reads_per_write = v.min(crate::model::limits::MAX_ESTIMATE);
        }
        if e != *estimate {
            out.push(Edit::SetEstimate(e));
        }
    } else if b.kind == api::API_KIND {
        next.endpoints = api::parse(text);
    } else {
        return out;
    }
    next.rect.h = next.body_height();
    let fields = super::patch::block_diff(b, &next);
    if !fields.is_empty() {
        out.insert(0, Edit::PatchBlocks(vec![(b.id, fields)]));
    }
    out
}

/// Reads back what [`Block::stacked_text`] wrote into a tool without tables or cards: the first
/// line is the label, the rest the entity's fields or the card's items. Blocks of other kinds,
/// and blocks that already hold their rows, are left as they are.
pub fn unstack(b: &mut Block) {
    let kind = b.kind.as_str();
    let has_rows = !(b.fields.is_empty() && b.reqs.is_empty() && b.endpoints.is_empty());
    let Some((label, body)) = b.label.split_once('\n') else {
        return;
    };
    if has_rows {
        return;
    }
    let (label, body) = (label.trim().to_owned(), body.to_owned());
    if kind == super::entity::ENTITY_KIND {
        b.fields = body
            .lines()
            .filter_map(super::entity::Field::from_line)
            .take(super::entity::MAX_FIELDS)
            .collect();
    } else if kind == requirements::REQUIREMENTS_KIND {
        b.reqs = requirements::parse(&body).reqs;
    } else if kind == api::API_KIND {
        b.endpoints = api::parse(&body);
    } else {
        return;
    }
    b.label = label;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::patch::BlockField;
    use crate::model::{BlockId, Rect};

    #[test]
    fn typing_a_card_sets_its_items_height_and_scale() {
        let card = Block::new(
            BlockId(1),
            requirements::REQUIREMENTS_KIND,
            "Requirements",
            Rect::new(0.0, 0.0, 300.0, 80.0),
        );
        let e = EstimateInputs::default();
        let edits = edits_for_text(
            &card,
            "Functional\n- post\n- follow\nNon-functional\n- scale: 20M daily users, 5:1 reads:writes",
            &e,
        );
        assert_eq!(edits.len(), 2, "{edits:?}");
        let Edit::PatchBlocks(p) = &edits[0] else {
            panic!("{edits:?}")
        };
        assert!(p[0].1.contains(&BlockField::Reqs(vec![
            requirements::Requirement::functional("post"),
            requirements::Requirement::functional("follow"),
        ])));
        assert!(p[0].1.iter().any(
            |f| matches!(f, BlockField::Rect(r) if r.h == crate::model::entity::height_for(5))
        ));
        let Edit::SetEstimate(e2) = &edits[1] else {
            panic!()
        };
        assert_eq!((e2.daily_active_users, e2.reads_per_write), (20e6, 5.0));
        // Typing the same text again changes nothing.
        let mut typed = card.clone();
        typed.reqs = vec![requirements::Requirement::functional("post")];
        typed.rect.h = typed.body_height();
        let same = body_text(&typed, &e).expect("present");
        assert!(edits_for_text(&typed, &same, &e).is_empty());
    }

    #[test]
    fn stacked_text_reads_back_as_rows() {
        let e = EstimateInputs::default();
        let mut entity = Block::new(
            BlockId(1),
            crate::model::ENTITY_KIND,
            "User",
            Rect::new(0.0, 0.0, 9.0, 9.0),
        );
        entity.fields = vec![
            crate::model::Field::new("id", "uuid").with("PK").with("PT"),
            crate::model::Field::new("bio", "").with("IX"),
            crate::model::Field::new("email", "text"),
        ];
        let mut api = Block::new(
            BlockId(2),
            api::API_KIND,
            "API",
            Rect::new(0.0, 0.0, 9.0, 9.0),
        );
        api.endpoints = vec![api::Endpoint::new("GET", "/x").response("X").on("User")];
        let mut req = Block::new(
            BlockId(3),
            requirements::REQUIREMENTS_KIND,
            "Needs",
            Rect::new(0.0, 0.0, 9.0, 9.0),
        );
        req.reqs = vec![requirements::Requirement::functional("post")];
        for original in [entity, api, req] {
            let mut b = original.clone();
            b.label = b.stacked_text(&e).into_owned();
            b.fields.clear();
            b.reqs.clear();
            b.endpoints.clear();
            unstack(&mut b);
            assert_eq!(b, original);
        }
        let mut note = Block::new(
            BlockId(4),
            "text",
            "two\nlines",
            Rect::new(0.0, 0.0, 9.0, 9.0),
        );
        unstack(&mut note);
        assert_eq!(note.label, "two\nlines");
    }

    #[test]
    fn an_empty_card_opens_on_its_first_line_and_reads_back_empty() {
        let card = Block::new(
            BlockId(1),
            requirements::REQUIREMENTS_KIND,
            "R",
            Rect::new(0.0, 0.0, 300.0, 78.0),
        );
        let e = EstimateInputs::default();
        let (text, at) = editor_text(&card, &e).expect("a card");
        assert_eq!(&text[..at], "Functional\n- ");
        assert!(
            edits_for_text(&card, &text, &e).is_empty(),
            "the template alone changes nothing"
        );
        let typed = format!("{}post a photo{}", &text[..at], &text[at..]);
        let edits = edits_for_text(&card, &typed, &e);
        let Some(Edit::PatchBlocks(p)) = edits.first() else {
            panic!("{edits:?}")
        };
        assert!(p[0].1.contains(&BlockField::Reqs(vec![
            requirements::Requirement::functional("post a photo")
        ])));
    }

    #[test]
    fn other_blocks_are_not_cards() {
        let b = Block::new(BlockId(1), "cache", "Redis", Rect::new(0.0, 0.0, 1.0, 1.0));
        assert!(body_text(&b, &EstimateInputs::default()).is_none());
        assert!(edits_for_text(&b, "x", &EstimateInputs::default()).is_empty());
    }
}
