//! The status bar: the tool, the last message, the zoom menu, the board's counts, the review's
//! risk count and whether file work is running.

use super::{ArchboardApp, Level};
use crate::command::Command;
use crate::text::{count, counts_line};
use crate::theme::Colors;

impl ArchboardApp {
    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui, colors: &Colors, ctx: &egui::Context) {
        ui.horizontal(|ui| {
            ui.label(format!("{} tool", self.canvas.tool.name()));
            ui.separator();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                self.zoom_menu(ui, ctx);
                ui.separator();
                let board = self.board.doc.board();
                ui.label(counts_line(board.blocks.len(), board.links.len()));
                if let Some((text, ok)) = self.room.room_status() {
                    ui.separator();
                    self.people_list(ui);
                    let color = if ok { colors.ok } else { colors.warning };
                    ui.colored_label(color, text)
                        .on_hover_text(self.room.room_detail());
                }
                if let Some(risks) = self.fresh_risks() {
                    ui.separator();
                    let color = if risks == 0 { colors.ok } else { colors.error };
                    let text = if risks == 0 {
                        "No risks".to_owned()
                    } else {
                        count(risks, "risk")
                    };
                    if ui
                        .link(egui::RichText::new(text).color(color))
                        .on_hover_text("Single points of failure and bottlenecks: open the review panel (Shift+F7)")
                        .clicked()
                    {
                        self.commands.push(Command::Estimator);
                    }
                }
                if !self.canvas.selection.blocks.is_empty() {
                    ui.separator();
                    ui.label(format!("{} selected", self.canvas.selection.blocks.len()));
                }
                if self.files.busy() {
                    ui.spinner();
                }
                // The message takes what the counts and the zoom leave, cut short with "…"
                // (the whole of it on hover) rather than running under them.
                if self.status.visible() {
                    let color = match self.status.level {
                        Level::Info => colors.muted_text,
                        Level::Error => colors.error,
                    };
                    ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(&self.status.text).color(color),
                            )
                            .truncate(),
                        );
                    });
                }
            });
        });
    }

    /// Who else is here, each name in their colour; clicking one follows their view.
    fn people_list(&mut self, ui: &mut egui::Ui) {
        let following = self.following();
        let mut follow = None;
        for (id, name, color, role) in self.people().into_iter().rev() {
            let text = if following == Some(id) {
                format!("{name} (following)")
            } else {
                name.clone()
            };
            let hover = if following == Some(id) {
                format!("{name}, {}: click to stop following", role.name())
            } else {
                format!("{name}, {}: click to follow their view", role.name())
            };
            if ui
                .link(egui::RichText::new(text).color(color).strong())
                .on_hover_text(hover)
                .clicked()
            {
                follow = Some(id);
            }
        }
        if let Some(id) = follow {
            self.follow(id);
        }
    }

    /// The zoom level, as a menu of zoom commands and fixed levels.
    fn zoom_menu(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let zoom = format!("{:.0} %", self.canvas.camera.zoom * 100.0);
        ui.menu_button(zoom, |ui| {
            for cmd in [
                Command::ZoomIn,
                Command::ZoomOut,
                Command::ZoomReset,
                Command::FitBoard,
                Command::FitSelection,
            ] {
                let button = egui::Button::new(cmd.label()).shortcut_text(cmd.shortcut_text(ctx));
                if ui.add(button).clicked() {
                    self.commands.push(cmd);
                }
            }
            ui.separator();
            for pct in [50.0_f32, 100.0, 200.0] {
                if ui.button(format!("{pct:.0} %")).clicked() {
                    self.canvas.zoom_to(pct / 100.0);
                }
            }
        });
    }

    /// The review's risk count, when the review is being kept up to date (sidebar or overlay
    /// showing) and the board has something to review.
    fn fresh_risks(&self) -> Option<usize> {
        if !(self.settings.sidebar || self.design.overlay)
            || self.board.doc.board().blocks.is_empty()
        {
            return None;
        }
        self.design.risks()
    }
}
