//! The clipboard at the app's edge: the canvas hands out the fragment to copy and takes in a
//! fragment already parsed, and this file turns them into text and back.
//!
//! Copy, cut and paste arrive two ways: as commands (menus, shortcuts the app reads), and as
//! events from the window's clipboard integration (which turns Ctrl+C into `Event::Copy`). Both
//! end here. Pasted text is untrusted: it passes the same loader as a file.

use super::ArchboardApp;
use crate::canvas::Clip;
use crate::persistence;
use std::path::Path;

impl ArchboardApp {
    /// Takes this frame's clipboard events, unless a text field is using them.
    pub(super) fn take_clipboard_events(&mut self, ctx: &egui::Context) {
        if ctx.memory(|m| m.focused().is_some()) || self.canvas.editing.is_some() {
            return;
        }
        let events: Vec<egui::Event> = ctx.input(|i| {
            i.events
                .iter()
                .filter(|e| {
                    matches!(
                        e,
                        egui::Event::Copy | egui::Event::Cut | egui::Event::Paste(_)
                    )
                })
                .cloned()
                .collect()
        });
        for e in events {
            match e {
                egui::Event::Copy => self.copy(ctx),
                egui::Event::Cut => self.cut(ctx),
                egui::Event::Paste(text) => self.paste_text(&text, ctx),
                _ => {}
            }
        }
    }

    /// Puts the selection (with the links among it) on the clipboard as board text.
    pub(super) fn copy(&mut self, ctx: &egui::Context) {
        let Some(frag) = self.canvas.copy_fragment(self.board.doc.board()) else {
            return;
        };
        match persistence::to_ron_string(&frag) {
            Ok(text) => ctx.copy_text(text),
            Err(e) => self.status.error(format!("Could not copy: {e}")),
        }
    }

    pub(super) fn cut(&mut self, ctx: &egui::Context) {
        self.copy(ctx);
        self.canvas.delete_selection(&mut self.board.doc);
    }

    /// Pastes archboard data at the pointer, an Excalidraw or Mermaid diagram as blocks, or any
    /// other text as a text note.
    pub(super) fn paste_text(&mut self, text: &str, _ctx: &egui::Context) {
        let clip = match parse_clip(text) {
            Some(frag) => Clip::Fragment(Box::new(frag)),
            None => match crate::interchange::import_text(text, &self.library.palette) {
                Some(Ok(imported)) => {
                    self.status.info(format!(
                        "Pasted from {}: {}",
                        imported.format.name(),
                        imported.summary
                    ));
                    Clip::Fragment(Box::new(imported.board))
                }
                // A diagram that does not read is refused whole, not pasted as text.
                Some(Err(e)) => {
                    self.status.error(e.to_string());
                    return;
                }
                None => Clip::Text(text.to_owned()),
            },
        };
        let env = super::canvas_env(&self.library, &self.settings);
        self.canvas.paste(&mut self.board.doc, &env, clip);
    }
}

/// Board text with at least one block, validated like a file; anything else is plain text.
fn parse_clip(text: &str) -> Option<crate::model::Board> {
    if !text.trim_start().starts_with('(') {
        return None;
    }
    persistence::parse_board(text, Path::new("clipboard"))
        .ok()
        .filter(|b| !b.blocks.is_empty())
}
