//! The interview timer in the app: ticking the clock, its commands, and the timer bar.

use super::ArchboardApp;
use crate::command::Command;
use crate::model::TimerState;
use crate::theme::Colors;
use crate::timer::{Plan, format_ms, plan_for};

impl ArchboardApp {
    /// Advances the timer and schedules the next repaint for when the display changes.
    pub(super) fn tick_timer(&mut self, ctx: &egui::Context) {
        let focus = self.canvas.only_selected();
        // Borrow the plan from `self.library.plans` alone, so the board can be changed meanwhile.
        let Some(plan) = plan_for(&self.board.doc.board().timer, &self.library.plans) else {
            return;
        };
        let timer = &mut self.timer;
        self.board
            .doc
            .update_timer(|state| timer.tick(state, plan, focus));
        if self.timer.is_running() {
            let ms = self.timer.ms_to_next_second(&self.board.doc.board().timer);
            ctx.request_repaint_after(std::time::Duration::from_millis(ms));
        }
    }

    pub(super) fn current_plan(&self) -> Option<&Plan> {
        plan_for(&self.board.doc.board().timer, &self.library.plans)
    }

    /// Starts or pauses the clock, or moves between phases. The time so far is banked first.
    pub(super) fn run_timer(&mut self, step: TimerStep) {
        if self.board.doc.is_read_only() {
            self.status
                .info("Watching: the interviewer and the candidate run the timer");
            return;
        }
        let Some(plan) = self.current_plan().cloned() else {
            return;
        };
        let focus = self.canvas.only_selected();
        let timer = &mut self.timer;
        self.board.doc.update_timer(|state| {
            timer.tick(state, &plan, focus);
            state.repair(plan.phases.len());
            match step {
                TimerStep::Next => {
                    state.phase = (state.phase + 1).min(plan.phases.len().saturating_sub(1))
                }
                TimerStep::Previous => state.phase = state.phase.saturating_sub(1),
                TimerStep::Reset => {
                    let plan_id = std::mem::take(&mut state.plan);
                    *state = TimerState {
                        plan: plan_id,
                        ..Default::default()
                    };
                }
                TimerStep::StartPause => {}
            }
        });
        match step {
            TimerStep::StartPause if self.timer.is_running() => {
                self.timer.pause();
                self.status.info("Timer paused");
            }
            TimerStep::StartPause => {
                self.timer.start();
                self.status.info("Timer running");
            }
            TimerStep::Reset => {
                self.timer.pause();
                self.status.info("Timer reset");
            }
            TimerStep::Next | TimerStep::Previous => {}
        }
        if matches!(step, TimerStep::StartPause | TimerStep::Reset) {
            self.share_clock();
        }
    }

    /// Follows another time plan, starting its phases afresh (time per block is kept).
    pub(super) fn set_plan(&mut self, id: String) {
        self.board.doc.update_timer(|state| {
            let blocks = std::mem::take(&mut state.block_ms);
            *state = TimerState {
                plan: id,
                block_ms: blocks,
                ..Default::default()
            };
        });
    }

    /// The timer bar under the menu: phase, time left, total, a segmented progress bar, controls.
    pub(super) fn timer_bar(&mut self, ui: &mut egui::Ui, colors: &Colors, ctx: &egui::Context) {
        let Some(plan) = plan_for(&self.board.doc.board().timer, &self.library.plans) else {
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
            self.commands.push(cmd);
        }
    }
}

/// What a timer command does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TimerStep {
    StartPause,
    Next,
    Previous,
    Reset,
}

/// One segment per phase, its width by planned minutes, filled by the time spent in it.
fn paint_progress(
    painter: &egui::Painter,
    rect: egui::Rect,
    plan: &Plan,
    state: &TimerState,
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
