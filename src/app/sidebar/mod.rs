//! The right-hand sidebar: the deep-dive lens of the selected block, the properties of a selected
//! link, or, with nothing selected, the board overview, the review and the estimator.
//!
//! Each view lives in its own file and reads a [`SidebarContext`]; none changes the board, they
//! return [`SidebarAction`]s for the app to carry out.

mod block;
mod card;
mod context;
mod entity;
mod estimator;
mod fields;
mod link;
mod overview;
mod problem;
mod review;
mod sizing;

pub use context::{PracticeAction, SidebarAction, SidebarContext};

use crate::model::{Block, Link};

/// The sidebar's tabs; the problem tab exists on practice boards only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Design,
    Problem,
}

#[derive(Default)]
pub struct Sidebar {
    fields: fields::Fields,
    pub tab: Tab,
    /// Whether something was selected last frame: selecting a block brings its lens forward.
    had_selection: bool,
    roster: overview::Roster,
}

impl Sidebar {
    pub fn show(&mut self, ui: &mut egui::Ui, cx: &SidebarContext<'_>) -> Vec<SidebarAction> {
        let mut out = Vec::new();
        self.roster.update(cx.board, cx.revision, cx.in_gesture);
        let selected = !cx.selection.blocks.is_empty() || !cx.selection.links.is_empty();
        if selected && !self.had_selection {
            self.tab = Tab::Design;
        }
        self.had_selection = selected;
        if let Some(problem) = cx.problem {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.tab, Tab::Problem, "Problem");
                ui.selectable_value(&mut self.tab, Tab::Design, "Design");
            });
            ui.separator();
            if self.tab == Tab::Problem {
                egui::ScrollArea::vertical()
                    .id_salt("problem")
                    .auto_shrink([false, false])
                    .show(ui, |ui| problem::show(ui, cx, problem, &mut out));
                return out;
            }
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let blocks: Vec<&Block> = cx
                    .selection
                    .blocks
                    .iter()
                    .filter_map(|id| cx.board.block(*id))
                    .collect();
                let links: Vec<&Link> = cx
                    .selection
                    .links
                    .iter()
                    .filter_map(|id| cx.board.link(*id))
                    .collect();
                match (blocks.as_slice(), links.as_slice()) {
                    ([block], []) => {
                        block::show(&mut self.fields, ui, cx, &self.roster, block, &mut out)
                    }
                    ([], [link]) => link::show(&mut self.fields, ui, cx, link, &mut out),
                    ([], []) => {
                        review::drill(ui, cx, &mut out);
                        overview::overview(ui, cx, &self.roster, &mut out);
                        if let Some(private) = cx.private {
                            block::private_note(
                                &mut self.fields,
                                ui,
                                None,
                                &private.board,
                                &mut out,
                            );
                        }
                        ui.separator();
                        review::findings(ui, cx, &mut out);
                        estimator::show(&mut self.fields, ui, cx.board, &mut out);
                        ui.separator();
                        overview::cheat_sheet(ui);
                    }
                    _ => {
                        ui.heading(format!("{} selected", blocks.len() + links.len()));
                        // Select all on a big board selects thousands: lay out only what shows.
                        let row = ui.text_style_height(&egui::TextStyle::Body);
                        egui::ScrollArea::vertical()
                            .id_salt("selected-blocks")
                            .max_height(overview::LIST_HEIGHT)
                            .auto_shrink([false, true])
                            .show_rows(ui, row, blocks.len(), |ui, rows| {
                                for b in &blocks[rows] {
                                    if ui.link(context::display_label(b)).clicked() {
                                        out.push(SidebarAction::Focus(b.id));
                                    }
                                }
                            });
                    }
                }
            });
        out
    }
}
