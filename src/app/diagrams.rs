//! Other tools' diagrams in the window: choosing another page of an import, Copy as Mermaid,
//! and Arrange → Tidy up. (Pasting them is in `clipboard.rs`.)

use super::ArchboardApp;
use super::lifecycle::After;
use crate::interchange::{self, layered};
use crate::model::{BlockId, Rect, fragment};

impl ArchboardApp {
    /// After importing a file with several pages (or charts), a small window to pick another.
    pub(super) fn show_import_pages(&mut self, ctx: &egui::Context) {
        let Some(pages) = &self.files.import_pages else {
            return;
        };
        let mut open = true;
        let mut pick = None;
        egui::Window::new("Pages")
            .collapsible(true)
            .resizable(false)
            .anchor(egui::Align2::RIGHT_TOP, [-16.0, 80.0])
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label(format!(
                    "{} holds {} diagrams:",
                    crate::text::display_name(&pages.path),
                    pages.names.len()
                ));
                for (i, name) in pages.names.iter().enumerate() {
                    if ui.selectable_label(i == pages.current, name).clicked() && i != pages.current
                    {
                        pick = Some(i);
                    }
                }
            });
        let chosen = pick.map(|page| (pages.path.clone(), page));
        if !open {
            self.files.import_pages = None;
        }
        if let Some((path, page)) = chosen {
            let after = After::Import {
                path: Some(path),
                page,
            };
            self.with_files(ctx, |f, sh| f.request(after, sh));
        }
    }

    /// The selection (or the whole board) as a Mermaid flowchart on the clipboard.
    pub(super) fn copy_mermaid(&mut self, ctx: &egui::Context) {
        let board = self.board.doc.board();
        let selected = &self.canvas.selection.blocks;
        let subject = if selected.is_empty() {
            board.clone()
        } else {
            fragment::extract(board, selected)
        };
        let text = interchange::mermaid::write(&subject, &self.library.palette);
        ctx.copy_text(text);
        self.status.info(format!(
            "Copied {} as a Mermaid flowchart",
            crate::text::counts_line(subject.blocks.len(), subject.links.len())
        ));
    }

    /// Lays the selected blocks (or every block) out in layers along their links, left to
    /// right, keeping the group's top-left corner where it was. Frames and notes stay put.
    pub(super) fn tidy_up(&mut self) {
        let board = self.board.doc.board();
        let selected = &self.canvas.selection.blocks;
        let ids: Vec<BlockId> = board
            .blocks
            .values()
            .filter(|b| !b.is_frame() && !b.is_text() && !b.locked)
            .filter(|b| selected.is_empty() || selected.contains(&b.id))
            .map(|b| b.id)
            .collect();
        if ids.len() < 2 {
            self.status.info("Tidy up needs two or more blocks");
            return;
        }
        let index: std::collections::HashMap<BlockId, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let sizes: Vec<(f32, f32)> = ids
            .iter()
            .filter_map(|id| board.block(*id))
            .map(|b| (b.rect.w, b.rect.h))
            .collect();
        let edges: Vec<(usize, usize)> = board
            .links
            .values()
            .filter_map(|l| Some((*index.get(&l.from.block)?, *index.get(&l.to.block)?)))
            .collect();
        let Some(before) = crate::model::bounds_of(ids.iter().filter_map(|id| board.block(*id)))
        else {
            return;
        };
        let centres = layered::layout(&sizes, &edges, layered::Flow::Right);
        let rects: Vec<Rect> = centres
            .iter()
            .zip(&sizes)
            .map(|(c, (w, h))| Rect::new(c.x - w / 2.0, c.y - h / 2.0, *w, *h))
            .collect();
        let Some(after) = rects.iter().copied().reduce(|a, b| a.union(&b)) else {
            return;
        };
        let (dx, dy) = (before.x - after.x, before.y - after.y);
        let placed: Vec<(BlockId, Rect)> = ids
            .iter()
            .zip(rects)
            .map(|(id, r)| {
                let x = crate::model::snap(r.x + dx, crate::theme::GRID);
                let y = crate::model::snap(r.y + dy, crate::theme::GRID);
                (*id, Rect::new(x, y, r.w, r.h))
            })
            .collect();
        self.canvas.place_blocks(&mut self.board.doc, &placed);
        self.status.info(format!(
            "Tidied {} in layers along their links (Ctrl+Z undoes it)",
            crate::text::count(placed.len(), "block")
        ));
    }
}
