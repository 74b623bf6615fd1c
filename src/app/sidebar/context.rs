//! What the sidebar reads and what it asks the app to do: the sidebar never changes the board
//! itself, it returns actions.

use crate::canvas::Selection;
use crate::lens::LensLibrary;
use crate::model::{Block, BlockId, Board, Edit, LinkId};
use crate::palette::Palette;
use crate::theme::Colors;
use crate::timer::Plan;

/// What the sidebar asks the app to do.
pub enum SidebarAction {
    Edit(Edit),
    /// Select this block and bring it to the centre of the view.
    Focus(BlockId),
    /// Select this link and bring it to the centre of the view.
    FocusLink(LinkId),
    SetPlan(String),
    /// Fail the block in the drill, or restore it.
    ToggleFailed(BlockId),
    ClearDrill,
    Practice(PracticeAction),
}

/// What the problem tab asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum PracticeAction {
    /// Ask clarifying question n.
    Ask(usize),
    Hint,
    /// Tick (or untick) a rubric item the board cannot show.
    Tick(String, bool),
    Finish,
    /// Write the interview report.
    Report,
    /// The interviewer shows (or hides) the answers and the rubric on the candidate's copy.
    Reveal(bool),
}

/// Everything the sidebar reads.
pub struct SidebarContext<'a> {
    pub board: &'a Board,
    /// The board's revision ([`crate::model::Document::revision`]), for what the sidebar keeps
    /// between frames.
    pub revision: u64,
    /// Whether a drag is under way.
    pub in_gesture: bool,
    pub selection: &'a Selection,
    pub palette: &'a Palette,
    pub lenses: &'a LensLibrary,
    pub plans: &'a [Plan],
    pub colors: &'a Colors,
    /// The design review of the board as it is, when computed.
    pub review: Option<&'a crate::review::Review>,
    /// The failure drill's verdict, while blocks are marked failed.
    pub drill: Option<&'a crate::review::Drill>,
    pub failed: &'a std::collections::BTreeSet<BlockId>,
    /// The interviewer's private notes, shown only to the interviewer.
    pub private: Option<&'a crate::model::PrivateNotes>,
    /// The problem this board answers, when it is a practice board.
    pub problem: Option<&'a crate::practice::Problem>,
    /// Show the answers and the rubric all along (the interviewer, or study mode).
    pub practice_open_book: bool,
    /// We are the interviewer in a room: the problem tab offers to reveal the answers.
    pub practice_interviewer: bool,
}

/// An edit replacing `block` with a changed copy.
pub fn update(block: &Block, f: impl FnOnce(&mut Block)) -> SidebarAction {
    let mut b = block.clone();
    f(&mut b);
    SidebarAction::Edit(Edit::UpdateBlocks(vec![b]))
}

/// A block as lists show it: its label on one line, or its kind when it has none.
pub fn display_label(b: &Block) -> String {
    if b.label.trim().is_empty() {
        b.kind.clone()
    } else {
        b.label.replace('\n', " ")
    }
}
