//! Replay: the board as it stood at any moment of the interview, read-only, with a timeline to
//! play, scrub and jump between phases. The live board is never touched: the canvas is handed
//! a separate, read-only document that follows the timeline, and leaving drops it.

use super::ArchboardApp;
use crate::model::{Board, Document, Remote};
use crate::timer::format_ms;

/// Speeds the timeline plays at.
pub const SPEEDS: [u32; 3] = [1, 4, 16];

pub struct Replay {
    /// The board at the cursor, in its own read-only document.
    pub doc: Document,
    /// Where the cursor is, in milliseconds on the timeline's axis.
    cursor_ms: f64,
    /// How many recorded changes the shown board includes.
    shown: usize,
    playing: bool,
    speed: u32,
    /// Whether the axis is interview time (the timer ran) or the recording's wall clock.
    interview_axis: bool,
}

impl Replay {
    fn new(live: &Board) -> Self {
        let interview_axis = live.recording.entries.iter().any(|e| e.at_ms > 0);
        let mut doc = Document::new(live.recording.board_at(live, 0));
        doc.set_read_only(true);
        Self {
            doc,
            cursor_ms: 0.0,
            shown: 0,
            playing: false,
            speed: 4,
            interview_axis,
        }
    }

    fn time_of(&self, e: &crate::model::recording::Entry) -> u64 {
        if self.interview_axis {
            e.at_ms
        } else {
            e.wall_ms
        }
    }

    /// The length of the timeline.
    fn total_ms(&self, live: &Board) -> u64 {
        let last = live.recording.entries.last().map_or(0, |e| self.time_of(e));
        if self.interview_axis {
            last.max(live.timer.elapsed_ms())
        } else {
            last
        }
    }

    /// Brings the shown board to the cursor.
    fn sync(&mut self, live: &Board) {
        let cursor = self.cursor_ms.max(0.0) as u64;
        let upto = live
            .recording
            .entries
            .partition_point(|e| self.time_of(e) <= cursor);
        if upto == self.shown {
            return;
        }
        self.shown = upto;
        let next = live.recording.board_at(live, upto);
        let remote = difference(self.doc.board(), &next);
        self.doc.apply_remote(remote);
    }

    /// Where each phase begins on the axis, after the first.
    fn phase_starts(&self, live: &Board) -> Vec<(usize, u64)> {
        if self.interview_axis {
            let mut at = 0;
            let mut out = Vec::new();
            for (phase, ms) in live.timer.phase_ms.iter().enumerate() {
                if phase > 0 && at > 0 {
                    out.push((phase, at));
                }
                at += ms;
            }
            out
        } else {
            let mut out: Vec<(usize, u64)> = Vec::new();
            for e in &live.recording.entries {
                if out.last().map_or(e.phase > 0, |(p, _)| e.phase != *p) {
                    out.push((e.phase, e.wall_ms));
                }
            }
            out
        }
    }
}

/// What the timeline asks of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayEvent {
    /// Back to the live board.
    Leave,
}

impl Replay {
    /// The timeline under the canvas while replaying.
    pub(super) fn bar(
        &mut self,
        ui: &mut egui::Ui,
        live: &Board,
        plans: &[crate::timer::Plan],
        colors: &crate::theme::Colors,
    ) -> Option<ReplayEvent> {
        let replay = self;
        let total = replay.total_ms(live).max(1);
        let mut leave = false;
        if replay.playing {
            let dt = ui.input(|i| i.stable_dt).min(0.1) as f64;
            replay.cursor_ms += dt * 1000.0 * f64::from(replay.speed);
            if replay.cursor_ms >= total as f64 {
                replay.cursor_ms = total as f64;
                replay.playing = false;
            }
            ui.ctx().request_repaint();
        }
        ui.horizontal(|ui| {
            let label = if replay.playing { "Pause" } else { "Play" };
            if ui.button(label).clicked() {
                if !replay.playing && replay.cursor_ms >= total as f64 {
                    replay.cursor_ms = 0.0;
                }
                replay.playing = !replay.playing;
            }
            for s in SPEEDS {
                ui.selectable_value(&mut replay.speed, s, format!("{s}×"));
            }
            ui.label(format!(
                "{} / {}",
                format_ms(replay.cursor_ms as u64),
                format_ms(total)
            ));
            let phase = live
                .recording
                .entries
                .get(replay.shown.saturating_sub(1))
                .map_or(0, |e| e.phase);
            let plan = crate::timer::plan_for(&live.timer, plans);
            if let Some(name) = plan.and_then(|p| p.phases.get(phase)).map(|p| &p.name) {
                ui.weak(name);
            }
            ui.weak(format!(
                "{} of {} changes",
                replay.shown,
                live.recording.entries.len()
            ));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Leave replay").clicked() {
                    leave = true;
                }
            });
        });
        // The scrub bar: phases as segments, every change as a tick, the cursor as a line.
        let (rect, response) = ui.allocate_exact_size(
            egui::vec2(ui.available_width(), 22.0),
            egui::Sense::click_and_drag(),
        );
        let x_of = |ms: f64| rect.left() + rect.width() * (ms / total as f64) as f32;
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 3.0, colors.frame_fill);
        for e in &live.recording.entries {
            let x = x_of(replay.time_of(e) as f64);
            painter.line_segment(
                [
                    egui::pos2(x, rect.bottom() - 6.0),
                    egui::pos2(x, rect.bottom()),
                ],
                egui::Stroke::new(1.0, colors.muted_text),
            );
        }
        let plan = crate::timer::plan_for(&live.timer, plans);
        for (phase, at) in replay.phase_starts(live) {
            let x = x_of(at as f64);
            painter.line_segment(
                [egui::pos2(x, rect.top()), egui::pos2(x, rect.bottom())],
                egui::Stroke::new(1.5, colors.selection),
            );
            if let Some(p) = plan.and_then(|p| p.phases.get(phase)) {
                painter.text(
                    egui::pos2(x + 3.0, rect.top() + 1.0),
                    egui::Align2::LEFT_TOP,
                    &p.name,
                    egui::FontId::proportional(10.0),
                    colors.muted_text,
                );
            }
        }
        let cx = x_of(replay.cursor_ms);
        painter.line_segment(
            [egui::pos2(cx, rect.top()), egui::pos2(cx, rect.bottom())],
            egui::Stroke::new(2.5, colors.text),
        );
        if let Some(p) = response.interact_pointer_pos() {
            let f = ((p.x - rect.left()) / rect.width()).clamp(0.0, 1.0);
            replay.cursor_ms = f64::from(f) * total as f64;
            replay.playing = false;
        }
        replay.sync(live);
        leave.then_some(ReplayEvent::Leave)
    }
}

/// The changes that turn `from` into `to`, as a peer's would arrive.
fn difference(from: &Board, to: &Board) -> Remote {
    let mut r = Remote::default();
    for (id, b) in &to.blocks {
        if from.blocks.get(id) != Some(b) {
            r.blocks.push((*id, Some(b.clone())));
        }
    }
    for id in from.blocks.keys().filter(|id| !to.blocks.contains_key(*id)) {
        r.blocks.push((*id, None));
    }
    for (id, l) in &to.links {
        if from.links.get(id) != Some(l) {
            r.links.push((*id, Some(l.clone())));
        }
    }
    for id in from.links.keys().filter(|id| !to.links.contains_key(*id)) {
        r.links.push((*id, None));
    }
    r
}

impl ArchboardApp {
    pub fn is_replaying(&self) -> bool {
        self.replay.is_some()
    }

    /// Enters replay at the start, or leaves it for the live board.
    pub(super) fn toggle_replay(&mut self) {
        if self.replay.take().is_some() {
            self.board_opened(super::Opened::Replay);
            self.status.info("Back to the live board");
            return;
        }
        let live = self.board.doc.board();
        if live.recording.entries.is_empty() {
            self.status.info(match live.recording.gap {
                crate::model::recording::Gap::TooBig => {
                    "Nothing to replay: this board was too big to record when it was opened"
                }
                _ => "Nothing to replay yet: the recording starts with your first change",
            });
            return;
        }
        self.replay = Some(Replay::new(live));
        self.board_opened(super::Opened::Replay);
        self.status
            .info("Replay: the board as it was, read-only. Leave replay to edit again");
    }

    /// The board the replay shows, while replaying.
    pub fn replay_board(&self) -> Option<&Board> {
        self.replay.as_ref().map(|r| r.doc.board())
    }

    /// Moves the replay's cursor to interview time `ms` (tests and the report's links use it).
    pub fn replay_seek(&mut self, ms: u64) {
        let live = self.board.doc.board();
        if let Some(r) = &mut self.replay {
            r.cursor_ms = ms as f64;
            r.playing = false;
            r.sync(live);
        }
    }
}
