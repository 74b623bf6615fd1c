//! What changed on a board since someone last looked: the ids and fields edits touched.
//!
//! The document notes every change here as it applies it (edits, undo and redo, the clock), so
//! whoever mirrors the board elsewhere (a shared document, an index, a cached review) updates
//! just those entries instead of comparing whole boards.

use super::edit::Edit;
use super::ids::{BlockId, LinkId};
use std::collections::BTreeSet;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Blocks added, removed or changed.
    pub blocks: BTreeSet<BlockId>,
    /// Links added, removed or changed (including those removed with their blocks).
    pub links: BTreeSet<LinkId>,
    pub title: bool,
    pub estimate: bool,
    /// The interview timer's saved state.
    pub timer: bool,
    /// The interviewer's private notes (never shared: mirrors ignore this).
    pub private: bool,
    /// The practice session (local to each peer for now).
    pub practice: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
            && self.links.is_empty()
            && !self.title
            && !self.estimate
            && !self.timer
            && !self.private
            && !self.practice
    }

    /// Notes what `edit` touches. Called with an edit and with its inverse, so links removed
    /// along with their blocks (which only the inverse names) are counted too.
    pub fn note(&mut self, edit: &Edit) {
        match edit {
            Edit::Insert { blocks, links } => {
                self.blocks.extend(blocks.iter().map(|b| b.id));
                self.links.extend(links.iter().map(|l| l.id));
            }
            Edit::Remove { blocks, links } => {
                self.blocks.extend(blocks.iter().copied());
                self.links.extend(links.iter().copied());
            }
            Edit::Move { blocks, .. } => self.blocks.extend(blocks.iter().copied()),
            Edit::UpdateBlocks(blocks) => self.blocks.extend(blocks.iter().map(|b| b.id)),
            Edit::UpdateLink(link) => {
                self.links.insert(link.id);
            }
            Edit::PatchBlocks(patches) => self.blocks.extend(patches.iter().map(|(id, _)| *id)),
            Edit::PatchLink(id, _) => {
                self.links.insert(*id);
            }
            Edit::SetTitle(_) => self.title = true,
            Edit::SetEstimate(_) => self.estimate = true,
            Edit::SetPrivateNote { .. } => self.private = true,
        }
    }

    /// Adds everything `other` names.
    pub fn merge(&mut self, other: Changes) {
        let Changes {
            blocks,
            links,
            title,
            estimate,
            timer,
            private,
            practice,
        } = other;
        self.blocks.extend(blocks);
        self.links.extend(links);
        self.title |= title;
        self.estimate |= estimate;
        self.timer |= timer;
        self.private |= private;
        self.practice |= practice;
    }
}
