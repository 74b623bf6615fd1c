//! The interview as it happened: every change to the board's blocks and links, with the
//! interview time and phase it happened in, so a replay can show the board at any moment and a
//! report can say what was drawn in each phase.
//!
//! It is kept forward: `base` is the board when recording began (empty for a new board), and
//! each entry sets or drops one block or link. The board at entry `k` is `base` with the first
//! `k` entries applied, which needs nothing but this data. Entries keep what the canvas shows,
//! not the deep-dive notes (the final board has those), and a run of changes to one thing
//! within a second (a drag) folds into its last state, so two hours of fast drawing stay well
//! under [`MAX_BYTES`].

use super::block::Block;
use super::board::Board;
use super::ids::{BlockId, LinkId};
use super::link::Link;
use serde::{Deserialize, Serialize};

/// Rough budget for a recording in a file. Past it, recording stops (and says so), rather than
/// letting a board file grow without bound.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most entries a recording holds (from a file or made here).
pub const MAX_ENTRIES: usize = 50_000;
/// Largest board a recording starts from: a bigger one is not recorded (its copy alone would
/// break the budget).
pub const MAX_BASE: usize = 2_000;
/// Changes to the same thing closer together than this fold into one entry.
const FOLD_MS: u64 = 1_000;

/// When something happened: interview time (the timer's elapsed milliseconds) and phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    pub at_ms: u64,
    pub phase: usize,
}

/// One change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Op {
    Block(Box<Block>),
    DropBlock(BlockId),
    Link(Link),
    DropLink(LinkId),
}

impl Op {
    fn target(&self) -> (bool, u64) {
        match self {
            Op::Block(b) => (true, b.id.0),
            Op::DropBlock(id) => (true, id.0),
            Op::Link(l) => (false, l.id.0),
            Op::DropLink(id) => (false, id.0),
        }
    }

    fn approx_bytes(&self) -> usize {
        match self {
            Op::Block(b) => 120 + b.label.len() + b.kind.len() + 40 * b.checked.len(),
            Op::Link(l) => 120 + l.label.len(),
            Op::DropBlock(_) | Op::DropLink(_) => 30,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at_ms: u64,
    pub phase: usize,
    pub op: Op,
    /// Wall-clock milliseconds since the first entry: what folds a drag, and what the replay
    /// plays when the interview clock did not run.
    #[serde(default)]
    pub wall_ms: u64,
}

/// Why a board has no (complete) recording.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gap {
    #[default]
    None,
    /// The board was too big when recording would have begun.
    TooBig,
    /// The budget ran out; changes after the last entry are not recorded.
    Full,
    /// Never recorded: a replay's own copy of the board.
    Off,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Recording {
    /// Whether recording has begun (and `base` holds the board it began from).
    pub started: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub base_blocks: Vec<Block>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub base_links: Vec<Link>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<Entry>,
    #[serde(skip_serializing_if = "is_no_gap")]
    pub gap: Gap,
    /// Not saved: bytes so far, and when the first entry was made in this process.
    #[serde(skip)]
    bytes: usize,
    #[serde(skip)]
    clock: Option<(web_time::Instant, u64)>,
}

/// Equal when what is saved is equal (the byte count and the clock are this process's own).
impl PartialEq for Recording {
    fn eq(&self, other: &Self) -> bool {
        self.started == other.started
            && self.base_blocks == other.base_blocks
            && self.base_links == other.base_links
            && self.entries == other.entries
            && self.gap == other.gap
    }
}

fn is_no_gap(g: &Gap) -> bool {
    *g == Gap::None
}

impl Recording {
    pub fn is_default(&self) -> bool {
        !self.started && self.entries.is_empty() && self.gap == Gap::None
    }

    /// A recording that never records (for copies of a board that are not the board).
    pub fn off() -> Self {
        Self {
            started: true,
            gap: Gap::Off,
            ..Self::default()
        }
    }

    /// Begins recording from `board` as it is now, unless it has begun already.
    pub fn begin(&mut self, board: &Board) {
        if self.started || self.gap != Gap::None {
            return;
        }
        self.started = true;
        if board.blocks.len() + board.links.len() > MAX_BASE {
            self.gap = Gap::TooBig;
            return;
        }
        self.base_blocks = board.blocks.values().map(canvas_only).collect();
        self.base_links = board.links.values().cloned().collect();
        self.bytes = self.base_blocks.len() * 150 + self.base_links.len() * 120;
    }

    /// Whether changes are being kept.
    pub fn is_recording(&self) -> bool {
        self.started && self.gap == Gap::None
    }

    /// Notes that `op` happened at `when`.
    pub fn push(&mut self, when: Moment, op: Op) {
        if !self.is_recording() {
            return;
        }
        let wall_ms = self.wall_now();
        let op = match op {
            Op::Block(b) => Op::Block(Box::new(canvas_only(&b))),
            other => other,
        };
        // A drag of several blocks changes each in turn, so look a little way back.
        let recent = self
            .entries
            .iter()
            .enumerate()
            .rev()
            .take(64)
            .take_while(|(_, e)| {
                wall_ms.saturating_sub(e.wall_ms) < FOLD_MS && e.phase == when.phase
            })
            .find(|(_, e)| e.op.target() == op.target())
            .map(|(i, _)| i);
        if let Some(i) = recent {
            let last = &mut self.entries[i];
            self.bytes = self.bytes - last.op.approx_bytes().min(self.bytes) + op.approx_bytes();
            last.op = op;
            return;
        }
        let cost = op.approx_bytes() + 30;
        if self.bytes + cost > MAX_BYTES || self.entries.len() >= MAX_ENTRIES {
            self.gap = Gap::Full;
            return;
        }
        self.bytes += cost;
        self.entries.push(Entry {
            at_ms: when.at_ms,
            phase: when.phase,
            op,
            wall_ms,
        });
    }

    /// Milliseconds on this recording's wall clock: it goes on from the last saved entry, so a
    /// board reopened tomorrow continues where it stopped instead of jumping a day.
    fn wall_now(&mut self) -> u64 {
        let last = self.entries.last().map_or(0, |e| e.wall_ms);
        let (since, from) = *self
            .clock
            .get_or_insert_with(|| (web_time::Instant::now(), last));
        from + since.elapsed().as_millis() as u64
    }

    /// The board as it stood after the first `upto` entries, on top of `now`'s title and
    /// interview state (a replay shows the drawing, read-only).
    pub fn board_at(&self, now: &Board, upto: usize) -> Board {
        let mut board = Board {
            title: now.title.clone(),
            next_id: now.next_id,
            timer: now.timer.clone(),
            estimate: now.estimate.clone(),
            recording: Recording::off(),
            ..Board::default()
        };
        for b in &self.base_blocks {
            board.blocks.insert(b.id, b.clone());
        }
        for l in &self.base_links {
            board.links.insert(l.id, l.clone());
        }
        for e in self.entries.iter().take(upto) {
            match &e.op {
                Op::Block(b) => {
                    board.blocks.insert(b.id, (**b).clone());
                }
                Op::DropBlock(id) => {
                    board.blocks.remove(id);
                }
                Op::Link(l) => {
                    board.links.insert(l.id, l.clone());
                }
                Op::DropLink(id) => {
                    board.links.remove(id);
                }
            }
        }
        // The same invariant as everywhere: no link without both its blocks.
        let dangling: Vec<LinkId> = board
            .links
            .values()
            .filter(|l| {
                !board.blocks.contains_key(&l.from.block) || !board.blocks.contains_key(&l.to.block)
            })
            .map(|l| l.id)
            .collect();
        for id in dangling {
            board.links.remove(&id);
        }
        board
    }

    /// How many entries happened at or before interview time `at_ms`.
    pub fn count_until(&self, at_ms: u64) -> usize {
        self.entries.partition_point(|e| e.at_ms <= at_ms)
    }

    /// Blocks added in each phase: ids not in the base, at their first entry.
    pub fn added_by_phase(&self) -> Vec<(usize, BlockId)> {
        let mut seen: std::collections::HashSet<BlockId> =
            self.base_blocks.iter().map(|b| b.id).collect();
        let mut out = Vec::new();
        for e in &self.entries {
            if let Op::Block(b) = &e.op
                && seen.insert(b.id)
            {
                out.push((e.phase, b.id));
            }
        }
        out
    }

    /// Keeps a recording from a file inside what this build would have made (files are
    /// untrusted): entries in time order, within the bounds.
    pub fn repair(&mut self) {
        self.entries.truncate(MAX_ENTRIES);
        self.base_blocks.truncate(MAX_BASE);
        self.base_links.truncate(MAX_BASE);
        let mut last = 0;
        for e in &mut self.entries {
            e.at_ms = e.at_ms.clamp(last, super::MAX_RECORDED_MS);
            last = e.at_ms;
        }
        self.bytes = self.base_blocks.len() * 150
            + self.base_links.len() * 120
            + self
                .entries
                .iter()
                .map(|e| e.op.approx_bytes() + 30)
                .sum::<usize>();
    }
}

/// What a replay needs of a block: the drawing, not the discussion.
fn canvas_only(b: &Block) -> Block {
    let mut b = b.clone();
    b.notes.clear();
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rect;

    fn block(id: u64, x: f32) -> Block {
        Block::new(BlockId(id), "cache", "c", Rect::new(x, 0.0, 10.0, 10.0))
    }

    #[test]
    fn board_at_replays_forward_from_the_base() {
        let mut start = Board::default();
        start.blocks.insert(BlockId(1), block(1, 0.0));
        let mut r = Recording::default();
        r.begin(&start);
        r.push(
            Moment { at_ms: 0, phase: 0 },
            Op::Block(Box::new(block(2, 50.0))),
        );
        r.push(
            Moment {
                at_ms: 1000,
                phase: 1,
            },
            Op::DropBlock(BlockId(1)),
        );
        assert_eq!(r.entries.len(), 2);
        let now = r.board_at(&start, 2);
        assert_eq!(now.blocks.keys().copied().collect::<Vec<_>>(), [BlockId(2)]);
        assert_eq!(r.board_at(&start, 0).blocks.len(), 1);
        assert_eq!(r.count_until(500), 1);
        assert_eq!(r.added_by_phase(), [(0, BlockId(2))]);
    }

    #[test]
    fn a_drag_folds_into_one_entry() {
        let mut r = Recording::default();
        r.begin(&Board::default());
        for x in 0..100 {
            r.push(Moment::default(), Op::Block(Box::new(block(7, x as f32))));
        }
        assert_eq!(r.entries.len(), 1);
        assert!(matches!(&r.entries[0].op, Op::Block(b) if b.rect.x == 99.0));
    }

    #[test]
    fn the_budget_stops_recording_and_says_so() {
        let mut r = Recording::default();
        r.begin(&Board::default());
        for id in 0..100_000u64 {
            r.push(Moment::default(), Op::Block(Box::new(block(id, 0.0))));
        }
        assert_eq!(r.gap, Gap::Full);
        assert!(r.bytes <= MAX_BYTES);
        assert!(!r.is_recording());
    }

    #[test]
    fn a_big_board_is_not_recorded() {
        let mut big = Board::default();
        for id in 0..=MAX_BASE as u64 {
            big.blocks.insert(BlockId(id), block(id, 0.0));
        }
        let mut r = Recording::default();
        r.begin(&big);
        assert_eq!(r.gap, Gap::TooBig);
        r.push(Moment::default(), Op::DropBlock(BlockId(1)));
        assert!(r.entries.is_empty());
    }
}
