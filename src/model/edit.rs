//! Edits: the only way a board changes.
//!
//! Applying an edit returns its inverse, which is what undo applies. Keeping every change in this
//! one enum is what makes undo, dirty tracking and autosave trustworthy: nothing mutates a board
//! behind the history's back.

use super::block::Block;
use super::board::Board;
use super::geom::Point;
use super::ids::{BlockId, LinkId};
use super::link::Link;
use super::patch::{BlockField, LinkField, block_diff, link_diff};
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Adds blocks and links. Their ids must not be on the board; link ends must exist after the
    /// insert.
    Insert {
        blocks: Vec<Block>,
        links: Vec<Link>,
    },
    /// Removes blocks and links. Links touching a removed block go with it, in the same step.
    Remove {
        blocks: Vec<BlockId>,
        links: Vec<LinkId>,
    },
    /// Moves blocks by a displacement.
    Move {
        blocks: Vec<BlockId>,
        delta: Point,
    },
    /// Replaces blocks with new versions carrying the same ids (label, size, notes, ...).
    UpdateBlocks(Vec<Block>),
    /// Replaces a link with a new version carrying the same id.
    UpdateLink(Link),
    /// Sets some fields of blocks: the inverse of an update, naming only what it changed.
    PatchBlocks(Vec<(BlockId, Vec<BlockField>)>),
    /// Sets some fields of a link.
    PatchLink(LinkId, Vec<LinkField>),
    SetTitle(String),
    /// Replaces the estimator's inputs.
    SetEstimate(super::EstimateInputs),
    /// Sets an interviewer's private note about a block (`Some`) or the whole interview.
    SetPrivateNote {
        block: Option<BlockId>,
        text: String,
    },
}

/// Why an edit could not be applied. The board is left unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("{0} does not exist")]
    MissingBlock(BlockId),
    #[error("{0} does not exist")]
    MissingLink(LinkId),
    #[error("{0} already exists")]
    DuplicateBlock(BlockId),
    #[error("{0} already exists")]
    DuplicateLink(LinkId),
    #[error("{0} would end on a missing block")]
    DanglingLink(LinkId),
    #[error("{0} would connect a block to itself")]
    SelfLink(LinkId),
    #[error("this board is read-only: you joined to watch")]
    ReadOnly,
}

impl Edit {
    /// A rough count of the bytes this edit keeps alive, for bounding the undo history.
    pub fn approx_bytes(&self) -> usize {
        const BLOCK: usize = std::mem::size_of::<Block>();
        const LINK: usize = std::mem::size_of::<Link>();
        let block_bytes = |b: &Block| BLOCK + b.kind.len() + b.label.len() + b.notes.len();
        match self {
            Edit::Insert { blocks, links } => {
                blocks.iter().map(block_bytes).sum::<usize>()
                    + links.iter().map(|l| LINK + l.label.len()).sum::<usize>()
            }
            Edit::Remove { blocks, links } => blocks.len() * 8 + links.len() * 8,
            Edit::Move { blocks, .. } => blocks.len() * 8 + 8,
            Edit::UpdateBlocks(blocks) => blocks.iter().map(block_bytes).sum(),
            Edit::UpdateLink(l) => LINK + l.label.len(),
            Edit::PatchBlocks(p) => p
                .iter()
                .map(|(_, f)| 8 + f.iter().map(BlockField::approx_bytes).sum::<usize>())
                .sum(),
            Edit::PatchLink(_, f) => 8 + f.iter().map(LinkField::approx_bytes).sum::<usize>(),
            Edit::SetTitle(t) => t.len(),
            Edit::SetEstimate(_) => std::mem::size_of::<super::EstimateInputs>(),
            Edit::SetPrivateNote { text, .. } => 16 + text.len(),
        }
    }

    /// Whether applying it would change nothing (an empty insert, a move of no blocks, …).
    pub fn is_noop(&self) -> bool {
        match self {
            Edit::Insert { blocks, links } => blocks.is_empty() && links.is_empty(),
            Edit::Remove { blocks, links } => blocks.is_empty() && links.is_empty(),
            Edit::Move { blocks, .. } => blocks.is_empty(),
            Edit::UpdateBlocks(blocks) => blocks.is_empty(),
            Edit::PatchBlocks(p) => p.iter().all(|(_, f)| f.is_empty()),
            Edit::PatchLink(_, f) => f.is_empty(),
            Edit::UpdateLink(_)
            | Edit::SetTitle(_)
            | Edit::SetEstimate(_)
            | Edit::SetPrivateNote { .. } => false,
        }
    }

    /// Applies the edit and returns its inverse. On error the board is untouched.
    pub fn apply(self, board: &mut Board) -> Result<Edit, EditError> {
        self.apply_with(board, Strictness::Strict)
    }

    /// Applies what still applies and skips the rest: for undo and redo once others have
    /// changed the board (a peer deleted a block this edit touches). A link whose block is gone
    /// is never brought back. The inverse covers exactly what was done.
    pub fn apply_lenient(self, board: &mut Board) -> Edit {
        match self.apply_with(board, Strictness::Lenient) {
            Ok(inverse) => inverse,
            // Lenient application refuses nothing; an empty step is the safe answer anyway.
            Err(_) => Edit::PatchBlocks(Vec::new()),
        }
    }

    fn apply_with(self, board: &mut Board, mode: Strictness) -> Result<Edit, EditError> {
        let lenient = mode == Strictness::Lenient;
        match self {
            Edit::Insert { blocks, links } => insert(board, blocks, links, mode),
            Edit::Remove { blocks, links } => remove(board, blocks, links, mode),
            Edit::Move { blocks, delta } => {
                if !lenient
                    && let Some(missing) = blocks.iter().find(|id| !board.blocks.contains_key(*id))
                {
                    return Err(EditError::MissingBlock(*missing));
                }
                let blocks: Vec<BlockId> = blocks
                    .into_iter()
                    .filter(|id| board.blocks.contains_key(id))
                    .collect();
                for id in &blocks {
                    if let Some(b) = board.blocks.get_mut(id) {
                        b.rect = b.rect.translated(delta);
                    }
                }
                Ok(Edit::Move {
                    blocks,
                    delta: -delta,
                })
            }
            Edit::UpdateBlocks(blocks) => {
                if !lenient
                    && let Some(missing) = blocks.iter().find(|b| !board.blocks.contains_key(&b.id))
                {
                    return Err(EditError::MissingBlock(missing.id));
                }
                let patches = blocks
                    .into_iter()
                    .filter_map(|new| {
                        let old = board.blocks.get(&new.id)?;
                        Some((new.id, block_diff(old, &new)))
                    })
                    .collect();
                Ok(patch_blocks(board, patches))
            }
            Edit::PatchBlocks(patches) => {
                if !lenient
                    && let Some((missing, _)) = patches
                        .iter()
                        .find(|(id, _)| !board.blocks.contains_key(id))
                {
                    return Err(EditError::MissingBlock(*missing));
                }
                Ok(patch_blocks(board, patches))
            }
            Edit::UpdateLink(link) => {
                let Some(old) = board.links.get(&link.id) else {
                    return skip_or(lenient, EditError::MissingLink(link.id));
                };
                let fields = link_diff(old, &link);
                patch_link(board, link.id, fields, lenient)
            }
            Edit::PatchLink(id, fields) => {
                if !board.links.contains_key(&id) {
                    return skip_or(lenient, EditError::MissingLink(id));
                }
                patch_link(board, id, fields, lenient)
            }
            Edit::SetTitle(title) => Ok(Edit::SetTitle(std::mem::replace(&mut board.title, title))),
            Edit::SetEstimate(inputs) => Ok(Edit::SetEstimate(std::mem::replace(
                &mut board.estimate,
                inputs,
            ))),
            Edit::SetPrivateNote { block, text } => {
                let notes = &mut board.private;
                let old = match block {
                    None => std::mem::replace(&mut notes.board, text),
                    Some(id) => {
                        if !board.blocks.contains_key(&id) {
                            return skip_or(lenient, EditError::MissingBlock(id));
                        }
                        let old = notes.blocks.remove(&id).unwrap_or_default();
                        if !text.is_empty() {
                            notes.blocks.insert(id, text);
                        }
                        old
                    }
                };
                Ok(Edit::SetPrivateNote { block, text: old })
            }
        }
    }
}

/// Whether an edit may skip what no longer applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strictness {
    Strict,
    Lenient,
}

/// In lenient mode, nothing to do (an empty inverse); else the error.
fn skip_or(lenient: bool, e: EditError) -> Result<Edit, EditError> {
    if lenient {
        Ok(Edit::PatchBlocks(Vec::new()))
    } else {
        Err(e)
    }
}

/// Sets the fields of the blocks that exist; returns the fields' previous values.
fn patch_blocks(board: &mut Board, patches: Vec<(BlockId, Vec<BlockField>)>) -> Edit {
    let inverse = patches
        .into_iter()
        .filter_map(|(id, fields)| {
            let b = board.blocks.get_mut(&id)?;
            let old: Vec<BlockField> = fields.into_iter().map(|f| f.set(b)).collect();
            Some((id, old))
        })
        .collect();
    Edit::PatchBlocks(inverse)
}

/// Sets a link's fields, unless its ends would then be wrong (in lenient mode such a change is
/// left out, never applied half).
fn patch_link(
    board: &mut Board,
    id: LinkId,
    fields: Vec<LinkField>,
    lenient: bool,
) -> Result<Edit, EditError> {
    let Some(current) = board.links.get(&id) else {
        return skip_or(lenient, EditError::MissingLink(id));
    };
    let mut next = current.clone();
    let old: Vec<LinkField> = fields.into_iter().map(|f| f.set(&mut next)).collect();
    if let Err(e) = check_ends(board, &next, &BTreeSet::new()) {
        return skip_or(lenient, e);
    }
    board.links.insert(id, next);
    Ok(Edit::PatchLink(id, old))
}

fn check_ends(board: &Board, link: &Link, incoming: &BTreeSet<BlockId>) -> Result<(), EditError> {
    let exists = |id: BlockId| board.blocks.contains_key(&id) || incoming.contains(&id);
    if !exists(link.from.block) || !exists(link.to.block) {
        return Err(EditError::DanglingLink(link.id));
    }
    if link.from.block == link.to.block {
        return Err(EditError::SelfLink(link.id));
    }
    Ok(())
}

fn insert(
    board: &mut Board,
    mut blocks: Vec<Block>,
    mut links: Vec<Link>,
    mode: Strictness,
) -> Result<Edit, EditError> {
    if mode == Strictness::Lenient {
        // What is there already stays; links whose blocks are gone stay gone.
        let mut seen = BTreeSet::new();
        blocks.retain(|b| !board.blocks.contains_key(&b.id) && seen.insert(b.id));
        let incoming: BTreeSet<BlockId> = blocks.iter().map(|b| b.id).collect();
        let mut seen = BTreeSet::new();
        links.retain(|l| {
            !board.links.contains_key(&l.id)
                && check_ends(board, l, &incoming).is_ok()
                && seen.insert(l.id)
        });
    }
    let mut incoming = BTreeSet::new();
    for b in &blocks {
        if board.blocks.contains_key(&b.id) || !incoming.insert(b.id) {
            return Err(EditError::DuplicateBlock(b.id));
        }
    }
    let mut incoming_links = BTreeSet::new();
    for l in &links {
        if board.links.contains_key(&l.id) || !incoming_links.insert(l.id) {
            return Err(EditError::DuplicateLink(l.id));
        }
        check_ends(board, l, &incoming)?;
    }
    let inverse = Edit::Remove {
        blocks: blocks.iter().map(|b| b.id).collect(),
        links: links.iter().map(|l| l.id).collect(),
    };
    for b in blocks {
        board.reserve(b.id.0);
        board.blocks.insert(b.id, b);
    }
    for l in links {
        board.reserve(l.id.0);
        board.links.insert(l.id, l);
    }
    Ok(inverse)
}

fn remove(
    board: &mut Board,
    mut blocks: Vec<BlockId>,
    mut links: Vec<LinkId>,
    mode: Strictness,
) -> Result<Edit, EditError> {
    if mode == Strictness::Lenient {
        blocks.retain(|id| board.blocks.contains_key(id));
        links.retain(|id| board.links.contains_key(id));
    }
    if let Some(missing) = blocks.iter().find(|id| !board.blocks.contains_key(*id)) {
        return Err(EditError::MissingBlock(*missing));
    }
    if let Some(missing) = links.iter().find(|id| !board.links.contains_key(*id)) {
        return Err(EditError::MissingLink(*missing));
    }
    let block_set: BTreeSet<BlockId> = blocks.iter().copied().collect();
    let mut link_set: BTreeSet<LinkId> = links.into_iter().collect();
    if !block_set.is_empty() {
        link_set.extend(board.links_touching(&block_set).map(|l| l.id));
    }
    let removed_blocks = block_set
        .iter()
        .filter_map(|id| board.blocks.remove(id))
        .collect();
    let removed_links = link_set
        .iter()
        .filter_map(|id| board.links.remove(id))
        .collect();
    Ok(Edit::Insert {
        blocks: removed_blocks,
        links: removed_links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::geom::Rect;

    fn board_with_two_linked() -> (Board, BlockId, BlockId, LinkId) {
        let mut b = Board::default();
        let a = b.alloc_block_id();
        let c = b.alloc_block_id();
        let l = b.alloc_link_id();
        Edit::Insert {
            blocks: vec![
                Block::new(a, "cache", "Cache", Rect::new(0.0, 0.0, 100.0, 60.0)),
                Block::new(c, "database", "DB", Rect::new(200.0, 0.0, 100.0, 60.0)),
            ],
            links: vec![Link::new(l, a, c)],
        }
        .apply(&mut b)
        .expect("insert");
        (b, a, c, l)
    }

    #[test]
    fn insert_then_inverse_restores_empty() {
        let (mut b, ..) = board_with_two_linked();
        let before_ids = b.next_id;
        let all_blocks: Vec<_> = b.blocks.keys().copied().collect();
        let all_links: Vec<_> = b.links.keys().copied().collect();
        let inv = Edit::Remove {
            blocks: all_blocks,
            links: all_links,
        }
        .apply(&mut b)
        .expect("remove");
        assert!(b.is_empty());
        inv.apply(&mut b).expect("reinsert");
        assert_eq!(b.blocks.len(), 2);
        assert_eq!(b.links.len(), 1);
        assert_eq!(b.next_id, before_ids, "undo never lowers the id counter");
    }

    #[test]
    fn removing_a_block_takes_its_links_and_the_inverse_brings_both_back() {
        let (mut b, a, _c, l) = board_with_two_linked();
        let original = b.clone();
        let inv = Edit::Remove {
            blocks: vec![a],
            links: vec![],
        }
        .apply(&mut b)
        .expect("remove");
        assert!(b.block(a).is_none());
        assert!(b.link(l).is_none(), "link went with its block");
        inv.apply(&mut b).expect("undo");
        assert_eq!(b, original);
    }

    #[test]
    fn move_and_its_inverse() {
        let (mut b, a, ..) = board_with_two_linked();
        let inv = Edit::Move {
            blocks: vec![a],
            delta: Point::new(15.0, -5.0),
        }
        .apply(&mut b)
        .expect("move");
        assert_eq!(
            b.block(a).map(|x| x.rect.min()),
            Some(Point::new(15.0, -5.0))
        );
        inv.apply(&mut b).expect("undo");
        assert_eq!(b.block(a).map(|x| x.rect.min()), Some(Point::ZERO));
    }

    #[test]
    fn update_block_returns_old_version() {
        let (mut b, a, ..) = board_with_two_linked();
        let mut changed = b.blocks[&a].clone();
        changed.label = "Redis".into();
        let inv = Edit::UpdateBlocks(vec![changed])
            .apply(&mut b)
            .expect("update");
        assert_eq!(b.blocks[&a].label, "Redis");
        inv.apply(&mut b).expect("undo");
        assert_eq!(b.blocks[&a].label, "Cache");
    }

    #[test]
    fn bad_edits_leave_the_board_untouched() {
        let (mut b, a, c, l) = board_with_two_linked();
        let before = b.clone();
        let dup = Edit::Insert {
            blocks: vec![Block::new(a, "box", "", Rect::default())],
            links: vec![],
        };
        assert_eq!(dup.apply(&mut b), Err(EditError::DuplicateBlock(a)));
        let dangling = Edit::Insert {
            blocks: vec![],
            links: vec![Link::new(LinkId(99), a, BlockId(77))],
        };
        assert_eq!(
            dangling.apply(&mut b),
            Err(EditError::DanglingLink(LinkId(99)))
        );
        let selfie = Edit::Insert {
            blocks: vec![],
            links: vec![Link::new(LinkId(98), c, c)],
        };
        assert_eq!(selfie.apply(&mut b), Err(EditError::SelfLink(LinkId(98))));
        let missing = Edit::Remove {
            blocks: vec![a, BlockId(55)],
            links: vec![l],
        };
        assert_eq!(
            missing.apply(&mut b),
            Err(EditError::MissingBlock(BlockId(55)))
        );
        assert_eq!(b, before);
    }
}
