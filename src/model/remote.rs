//! Changes that come from elsewhere (a peer editing the same board), already validated: they are
//! applied as they are, outside the undo history, because undo is personal.

use super::block::Block;
use super::board::Board;
use super::ids::{BlockId, LinkId};
use super::interview::TimerState;
use super::link::Link;
use super::sizing::EstimateInputs;

/// Entries to set (`Some`) or remove (`None`) by id, and board-wide fields to replace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Remote {
    pub blocks: Vec<(BlockId, Option<Block>)>,
    pub links: Vec<(LinkId, Option<Link>)>,
    pub title: Option<String>,
    pub estimate: Option<EstimateInputs>,
    pub timer: Option<TimerState>,
    /// The practice session: `Some(None)` means the board has none any more.
    pub practice: Option<Option<super::Practice>>,
}

impl Remote {
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
            && self.links.is_empty()
            && self.title.is_none()
            && self.estimate.is_none()
            && self.timer.is_none()
            && self.practice.is_none()
    }

    /// Applies to `board`, keeping its one invariant: every link joins two blocks on the board.
    /// Returns the links left out or removed because one of their blocks is gone (a peer
    /// deleted it while another linked to it): every peer drops the same ones.
    ///
    /// Only links this update sets, and the links of blocks it removes (from the
    /// document's index), can be left dangling, so only those are checked: a peer's move on a
    /// 100,000-link board does not look at every link.
    pub(super) fn apply(self, board: &mut Board, index: &super::SpatialIndex) -> Vec<LinkId> {
        let Remote {
            blocks,
            links,
            title,
            estimate,
            timer,
            practice,
        } = self;
        let mut suspects: Vec<LinkId> = blocks
            .iter()
            .filter(|(_, b)| b.is_none())
            .flat_map(|(id, _)| index.links_of(*id).iter().copied())
            .collect();
        suspects.extend(links.iter().filter(|(_, l)| l.is_some()).map(|(id, _)| *id));
        for (id, block) in blocks {
            match block {
                Some(b) => {
                    board.reserve(id.0);
                    board.blocks.insert(id, b);
                }
                None => {
                    board.blocks.remove(&id);
                }
            }
        }
        for (id, link) in links {
            match link {
                Some(l) => {
                    board.reserve(id.0);
                    board.links.insert(id, l);
                }
                None => {
                    board.links.remove(&id);
                }
            }
        }
        suspects.sort_unstable();
        suspects.dedup();
        let dangling: Vec<LinkId> = suspects
            .into_iter()
            .filter_map(|id| board.links.get(&id))
            .filter(|l| {
                !board.blocks.contains_key(&l.from.block) || !board.blocks.contains_key(&l.to.block)
            })
            .map(|l| l.id)
            .collect();
        for id in &dangling {
            board.links.remove(id);
        }
        if let Some(t) = title {
            board.title = t;
        }
        if let Some(e) = estimate {
            board.estimate = e;
        }
        if let Some(t) = timer {
            board.timer = t;
        }
        if let Some(p) = practice {
            board.practice = p;
        }
        dangling
    }
}
