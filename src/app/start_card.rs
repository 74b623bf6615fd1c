//! The card an empty board shows in the middle of the canvas: the three ways to begin. It goes
//! away with the first block.

use super::{ArchboardApp, examples};
use crate::command::Command;

impl ArchboardApp {
    /// Whether the start card is showing: an empty live board, nothing else on top.
    pub fn shows_start_card(&self) -> bool {
        self.board.doc.board().blocks.is_empty()
            && self.replay.is_none()
            && !self.has_dialog()
            && !self.is_loading()
            && !self.board.doc.is_read_only()
    }

    pub(super) fn start_card(&mut self, ctx: &egui::Context, canvas: egui::Rect) {
        if !self.shows_start_card() {
            return;
        }
        let mut example = None;
        let practice = self.board.doc.board().practice.is_some();
        egui::Area::new(egui::Id::unique("archboard-start-card"))
            .order(egui::Order::Middle)
            .pivot(egui::Align2::CENTER_CENTER)
            .fixed_pos(canvas.center())
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style())
                    .inner_margin(16.0)
                    .show(ui, |ui| {
                        ui.set_max_width(360.0);
                        ui.heading("Start your design");
                        ui.add_space(4.0);
                        ui.label(
                            "Place a component at the pointer: L load balancer, C cache, \
                             D database, Q queue, N CDN, or Tab to search them all.",
                        );
                        ui.add_space(8.0);
                        if practice {
                            ui.label(
                                "Read the problem in the sidebar and ask your clarifying \
                                 questions first: asking is part of the score.",
                            );
                            return;
                        }
                        ui.horizontal_wrapped(|ui| {
                            ui.menu_button("Open an example", |ui| {
                                for (name, text) in examples::EXAMPLES {
                                    if ui.button(*name).clicked() {
                                        example = Some((*name, *text));
                                    }
                                }
                            });
                            if ui.button("Start from a problem…").clicked() {
                                self.commands.push(Command::NewFromProblem);
                            }
                        });
                    });
            });
        if let Some((name, text)) = example {
            self.open_example(name, text, ctx);
        }
    }
}
