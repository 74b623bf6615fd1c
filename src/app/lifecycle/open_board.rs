//! The board being edited, where it lives on disk, and whether it has unsaved changes.

use crate::model::{Board, Document, TimerState};
use crate::text::display_name;
use std::path::PathBuf;

pub struct OpenBoard {
    pub doc: Document,
    /// The file Ctrl+S writes to; `None` until the board is saved or opened from a file.
    pub path: Option<PathBuf>,
    /// [`Document::state_id`] at the last save or load; `None` when the content was never saved
    /// to `path` (restored unsaved work).
    saved_state: Option<u64>,
    /// The timer as it was saved: the timer changes outside the undo history.
    saved_timer: TimerState,
}

impl OpenBoard {
    pub fn new(board: Board, path: Option<PathBuf>) -> Self {
        Self::from_document(Document::new(board), path)
    }

    /// A board already in its document (built on the worker that read the file).
    pub fn from_document(doc: Document, path: Option<PathBuf>) -> Self {
        let saved_state = Some(doc.state_id());
        let saved_timer = doc.board().timer.clone();
        Self {
            doc,
            path,
            saved_state,
            saved_timer,
        }
    }

    /// A board whose content was never saved to `path` (restored unsaved work): dirty from the
    /// start, and clean again only once saved.
    pub fn unsaved(board: Board, path: Option<PathBuf>) -> Self {
        let mut open = Self::new(board, path);
        open.saved_state = None;
        open
    }

    pub fn is_dirty(&self) -> bool {
        self.saved_state != Some(self.doc.state_id()) || self.doc.board().timer != self.saved_timer
    }

    /// Records that the state with this id is what the file now holds.
    pub fn mark_saved(&mut self, state_id: u64, timer: TimerState, path: PathBuf) {
        self.saved_state = Some(state_id);
        self.saved_timer = timer;
        self.path = Some(path);
    }

    pub fn name(&self) -> String {
        self.path
            .as_deref()
            .map_or_else(|| "Untitled".to_owned(), display_name)
    }

    /// Window title: `archboard — name.ron`, with ` *` while there are unsaved changes.
    pub fn window_title(&self) -> String {
        let star = if self.is_dirty() { " *" } else { "" };
        format!("archboard — {}{star}", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Edit;

    #[test]
    fn title_shows_name_and_unsaved_star() {
        let mut ob = OpenBoard::new(Board::default(), Some(PathBuf::from("/x/design.ron")));
        assert_eq!(ob.window_title(), "archboard — design.ron");
        ob.doc.apply(Edit::SetTitle("t".into())).expect("edit");
        assert_eq!(ob.window_title(), "archboard — design.ron *");
        let id = ob.doc.state_id();
        ob.mark_saved(
            id,
            ob.doc.board().timer.clone(),
            PathBuf::from("/x/design.ron"),
        );
        assert!(!ob.is_dirty());
        ob.doc.undo();
        assert!(ob.is_dirty(), "undoing past the save is a change");
        assert_eq!(
            OpenBoard::new(Board::default(), None).window_title(),
            "archboard — Untitled"
        );
    }
}
