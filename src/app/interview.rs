//! The interview side of the app: the timer bar, ticking the clock, and the sidebar's actions.

use super::ArchboardApp;
use super::sidebar::SidebarAction;
use crate::command::Command;
use crate::theme::Colors;
use crate::timer::{Plan, format_ms};

impl ArchboardApp {
    /// Advances the timer and schedules the next repaint for when the display changes.
    pub(super) fn tick_timer(&mut self, ctx: &egui::Context) {
        let focus = self.canvas.only_selected();
        // Borrow the plan from `self.plans` alone, so the board can be changed meanwhile.
        let Some(plan) = self.board.doc.board().timer.plan_in(&self.plans) else {
            return;
        };
        self.timer.tick(self.board.doc.timer_mut(), plan, focus);
        if self.timer.is_running() {
            let ms = self.timer.ms_to_next_second(&self.board.doc.board().timer);
            ctx.request_repaint_after(std::time::Duration::from_millis(ms));
        }
    }

    pub(super) fn current_plan(&self) -> Option<&Plan> {
        self.board.doc.board().timer.plan_in(&self.plans)
    }

    pub(super) fn run_timer_command(&mut self, cmd: Command) {
        let Some(plan) = self.current_plan().cloned() else {
            return;
        };
        // Bank the time so far before changing anything.
        let focus = self.canvas.only_selected();
        self.timer.tick(self.board.doc.timer_mut(), &plan, focus);
        let state = self.board.doc.timer_mut();
        state.repair(&plan);
        match cmd {
            Command::TimerStartPause => {
                if self.timer.is_running() {
                    self.timer.pause();
                    self.status.info("Timer paused");
                } else {
                    self.timer.start();
                    self.status.info("Timer running");
                }
            }
            Command::TimerNext => {
                state.phase = (state.phase + 1).min(plan.phases.len().saturating_sub(1))
            }
            Command::TimerPrevious => state.phase = state.phase.saturating_sub(1),
            Command::TimerReset => {
                let plan_id = std::mem::take(&mut state.plan);
                *state = crate::timer::TimerState {
                    plan: plan_id,
                    ..Default::default()
                };
                self.timer.pause();
                self.status.info("Timer reset");
            }
            _ => {}
        }
    }

    /// The timer bar under the menu: phase, time left, total, a segmented progress bar, controls.
    pub(super) fn timer_bar(&mut self, ui: &mut egui::Ui, colors: &Colors, ctx: &egui::Context) {
        let Some(plan) = self.board.doc.board().timer.plan_in(&self.plans) else {
            return;
        };
        let state = &self.board.doc.board().timer;
        // Buttons are applied after drawing, so the bar can read the plan and state in place.
        let mut clicked = None;
        let phase = state.phase.min(plan.phases.len().saturating_sub(1));
        let Some(ph) = plan.phases.get(phase) else {
            return;
        };
        let spent = state.phase_elapsed(phase);
        let total = state.elapsed_ms();
        let over_all = total > plan.planned_ms();
        let running = self.timer.is_running();
        let just_advanced = self
            .timer
            .advanced_at
            .is_some_and(|t| self.timer.now_ms().saturating_sub(t) < 5_000);
        ui.horizontal(|ui| {
            let play = if running { "Pause" } else { "Start" };
            let tip = |c: Command| format!("{} ({})", c.label(), c.shortcut_text(ctx));
            if ui
                .button(play)
                .on_hover_text(tip(Command::TimerStartPause))
                .clicked()
            {
                clicked = Some(Command::TimerStartPause);
            }
            if ui
                .small_button("Prev")
                .on_hover_text(tip(Command::TimerPrevious))
                .clicked()
            {
                clicked = Some(Command::TimerPrevious);
            }
            if ui
                .small_button("Next")
                .on_hover_text(tip(Command::TimerNext))
                .clicked()
            {
                clicked = Some(Command::TimerNext);
            }
            if ui
                .small_button("Reset")
                .on_hover_text(Command::TimerReset.label())
                .clicked()
            {
                clicked = Some(Command::TimerReset);
            }
            ui.separator();
            let name_color = if just_advanced {
                colors.selection
            } else {
                colors.text
            };
            ui.label(
                egui::RichText::new(format!("{}/{} · {}", phase + 1, plan.phases.len(), ph.name))
                    .strong()
                    .color(name_color),
            );
            let left = ph.planned_ms() as i64 - spent as i64;
            let (text, color) = if left >= 0 {
                (format!("{} left", format_ms(left as u64)), colors.text)
            } else {
                (
                    format!("{} over", format_ms((-left) as u64)),
                    colors.warning,
                )
            };
            ui.label(egui::RichText::new(text).monospace().color(color));
            ui.separator();
            let total_color = if over_all {
                colors.error
            } else {
                colors.muted_text
            };
            ui.label(
                egui::RichText::new(format!(
                    "{} / {}",
                    format_ms(total),
                    format_ms(plan.planned_ms())
                ))
                .monospace()
                .color(total_color),
            );
            let (rect, _) = ui.allocate_exact_size(
                egui::vec2(ui.available_width().clamp(80.0, 360.0), 10.0),
                egui::Sense::hover(),
            );
            paint_progress(ui.painter(), rect, plan, state, colors);
        });
        if let Some(cmd) = clicked {
            self.run_timer_command(cmd);
        }
    }

    pub(super) fn handle_sidebar_actions(&mut self, actions: Vec<SidebarAction>) {
        for action in actions {
            match action {
                SidebarAction::Edit(edit) => {
                    if let Err(e) = self.board.doc.apply(edit) {
                        self.status.error(e.to_string());
                    }
                }
                SidebarAction::Focus(id) => {
                    if let Some(b) = self.board.doc.board().block(id) {
                        let view = self.canvas.view();
                        self.canvas.camera =
                            self.canvas.camera.centred_on(view.screen, b.rect.center());
                        self.canvas.selected_links.clear();
                        self.canvas.selection = std::collections::BTreeSet::from([id]);
                    }
                }
                SidebarAction::FocusLink(id) => {
                    let board = self.board.doc.board();
                    let ends = board
                        .link(id)
                        .and_then(|l| Some((board.block(l.from.block)?, board.block(l.to.block)?)));
                    if let Some((a, b)) = ends {
                        let mid = a.rect.union(&b.rect).center();
                        let view = self.canvas.view();
                        self.canvas.camera = self.canvas.camera.centred_on(view.screen, mid);
                        self.canvas.selection.clear();
                        self.canvas.selected_links = std::collections::BTreeSet::from([id]);
                    }
                }
                SidebarAction::ToggleFailed(id) => self.toggle_failed(&[id]),
                SidebarAction::ClearDrill => self.design.failed.clear(),
                SidebarAction::SetPlan(id) => {
                    let state = self.board.doc.timer_mut();
                    let blocks = std::mem::take(&mut state.block_ms);
                    *state = crate::timer::TimerState {
                        plan: id,
                        block_ms: blocks,
                        ..Default::default()
                    };
                }
            }
        }
    }
}

/// One segment per phase, its width by planned minutes, filled by the time spent in it.
fn paint_progress(
    painter: &egui::Painter,
    rect: egui::Rect,
    plan: &Plan,
    state: &crate::timer::TimerState,
    colors: &Colors,
) {
    let planned = plan.planned_ms().max(1) as f32;
    let mut x = rect.left();
    for (i, ph) in plan.phases.iter().enumerate() {
        let w = rect.width() * ph.planned_ms() as f32 / planned;
        let seg = egui::Rect::from_min_size(
            egui::pos2(x, rect.top()),
            egui::vec2((w - 2.0).max(1.0), rect.height()),
        );
        painter.rect_filled(seg, 2.0, colors.grid);
        let spent = state.phase_elapsed(i) as f32 / ph.planned_ms().max(1) as f32;
        let fill = egui::Rect::from_min_size(
            seg.min,
            egui::vec2(seg.width() * spent.min(1.0), seg.height()),
        );
        let color = if spent > 1.0 {
            colors.warning
        } else if i == state.phase {
            colors.selection
        } else {
            colors.ok
        };
        painter.rect_filled(fill, 2.0, color);
        x += w;
    }
}
