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
    fn other_blocks_are_not_cards() {
        let b = Block::new(BlockId(1), "cache", "Redis", Rect::new(0.0, 0.0, 1.0, 1.0));
        assert!(body_text(&b, &EstimateInputs::default()).is_none());
        assert!(edits_for_text(&b, "x", &EstimateInputs::default()).is_empty());
    }
}
