//! Practice mode in the window: starting a board from a problem, the problem tab's actions, and
//! keeping the rubric's "first met" times as the board changes.

use super::ArchboardApp;
use super::lifecycle::After;
use super::sidebar::{PracticeAction, Tab};
use crate::model::{Edit, Moment};
use crate::practice::{self, Problem};

impl ArchboardApp {
    /// The problem the open board answers, when it is a practice board.
    pub(super) fn current_problem(&self) -> Option<&Problem> {
        let id = &self.board.doc.board().practice.as_ref()?.problem;
        self.library.problems.get(id)
    }

    /// The interviewer sees answers and the rubric all along; so does a candidate in study
    /// mode.
    /// A candidate in a room also sees them once the interviewer reveals them.
    pub(super) fn practice_open_book(&self) -> bool {
        let revealed = self
            .board
            .doc
            .board()
            .practice
            .as_ref()
            .is_some_and(|p| p.revealed);
        self.settings.study_mode || self.is_interviewer() || revealed
    }

    pub(super) fn is_interviewer(&self) -> bool {
        self.role() == Some(crate::collab::presence::Role::Interviewer)
    }

    fn moment(&self) -> Moment {
        let t = &self.board.doc.board().timer;
        Moment {
            at_ms: t.elapsed_ms(),
            phase: t.phase,
        }
    }

    /// Asks where to write the interview report of the board as it is now.
    pub(super) fn ask_report(&mut self) {
        let board = self.board.doc.board().clone();
        let look = self.look();
        let plans = self.library.plans.clone();
        let problems = self.library.problems.clone();
        let start = self
            .board
            .path
            .as_ref()
            .map(|p| p.with_extension("report.md"));
        self.files.ask_report(
            start.as_deref(),
            Box::new(move |path| super::lifecycle::Job::Report {
                board,
                path,
                look,
                plans,
                problems,
            }),
        );
    }

    /// Replaces the board (asking to save first) with a new one answering problem `id`.
    pub fn start_problem(&mut self, id: &str, ctx: &egui::Context) {
        let Some(problem) = self.library.problems.get(id) else {
            self.status.error(format!("No problem `{id}`"));
            return;
        };
        let board = practice::new_board(problem);
        let message = format!(
            "{}: ask your clarifying questions in the Problem tab, then start the timer",
            problem.title
        );
        self.panels.sidebar.tab = Tab::Problem;
        self.settings.sidebar = true;
        self.with_files(ctx, |f, sh| {
            f.request(
                After::Untitled {
                    board: Box::new(board),
                    message,
                },
                sh,
            )
        });
    }

    pub(super) fn practice_action(&mut self, action: PracticeAction) {
        let Some(problem) = self.current_problem().cloned() else {
            return;
        };
        let now = self.moment();
        if self.board.doc.is_read_only() && action != PracticeAction::Report {
            self.status
                .info("Watching: the candidate and the interviewer run the problem");
            return;
        }
        match action {
            PracticeAction::Report => self.ask_report(),
            PracticeAction::Reveal(on) => {
                self.board.doc.update_practice(|p| {
                    if let Some(p) = p {
                        p.revealed = on;
                    }
                });
            }
            PracticeAction::Ask(q) => {
                let fill = self.board.doc.update_practice(|p| {
                    p.as_mut().and_then(|p| practice::ask(p, &problem, q, now))
                });
                if let Some(inputs) = fill
                    && let Err(e) = self.board.doc.apply(Edit::SetEstimate(inputs))
                {
                    self.status.error(e.to_string());
                }
            }
            PracticeAction::Hint => {
                let hint = self.board.doc.update_practice(|p| {
                    p.as_mut()
                        .and_then(|p| practice::take_hint(p, &problem, now).map(str::to_owned))
                });
                match hint {
                    Some(text) => self.status.info(format!("Hint: {text}")),
                    None => self.status.info("No hints left"),
                }
            }
            PracticeAction::Tick(id, on) => {
                self.board.doc.update_practice(|p| {
                    if let Some(p) = p {
                        if on {
                            p.ticked.insert(id);
                        } else {
                            p.ticked.remove(&id);
                        }
                    }
                });
                self.track_rubric();
            }
            PracticeAction::Finish => {
                self.track_rubric();
                self.board.doc.update_practice(|p| {
                    if let Some(p) = p {
                        p.finished = Some(now);
                    }
                });
                if self.timer.is_running() {
                    self.run_timer(super::interview::TimerStep::StartPause);
                }
                self.status
                    .info("Finished: the score is in the Problem tab");
            }
        }
    }

    /// Notes when each rubric item is first met (and forgets ones that stopped holding),
    /// whenever the board or the review has changed.
    pub(super) fn track_rubric(&mut self) {
        let Some(problem) = self.current_problem().cloned() else {
            return;
        };
        let Some(review) = self.design.review() else {
            return;
        };
        // A viewer's copy follows the room's; it does not score on its own.
        if self.board.doc.is_read_only() {
            return;
        }
        let now = self.moment();
        let board = self.board.doc.board();
        let mut session = board.practice.clone();
        let changed = session.as_mut().is_some_and(|p| {
            practice::rubric::track(&problem, p, board, &self.library.palette, review, now)
        });
        if changed {
            self.board.doc.update_practice(|p| *p = session);
        }
    }
}

/// Practice in the window apart from the board: the New from problem dialog and when the rubric
/// was last checked.
#[derive(Default)]
pub struct PracticeUi {
    /// The New from problem dialog is open.
    pub(super) dialog: bool,
    /// The problem chosen in it, kept for the next time it opens.
    pick: Option<String>,
    /// The board revision the rubric was last checked at.
    pub(super) rubric_revision: Option<u64>,
}

impl PracticeUi {
    pub(super) fn open_dialog(&mut self) {
        self.dialog = true;
    }

    /// Whether the rubric needs checking again: the board changed since it last was.
    pub(super) fn rubric_due(&mut self, revision: u64) -> bool {
        let due = self.rubric_revision != Some(revision);
        self.rubric_revision = Some(revision);
        due
    }

    /// The New from problem dialog: the problems on the left, the chosen one's prompt and
    /// Start on the right. Returns the problem to start.
    pub(super) fn show_dialog(
        &mut self,
        ctx: &egui::Context,
        library: &practice::Library,
    ) -> Option<String> {
        if !self.dialog {
            return None;
        }
        let pick = self.pick.get_or_insert_with(|| {
            library
                .problems()
                .first()
                .map(|p| p.id.clone())
                .unwrap_or_default()
        });
        let mut open = true;
        let mut start = false;
        egui::Window::new("New from problem")
            .collapsible(false)
            .resizable(false)
            .fixed_size([680.0, 440.0])
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .open(&mut open)
            .show(ctx, |ui| {
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(220.0);
                        egui::ScrollArea::vertical()
                            .id_salt("problem list")
                            .max_height(430.0)
                            .auto_shrink([false, true])
                            .show(ui, |ui| {
                                for p in library.problems() {
                                    if ui.selectable_label(*pick == p.id, &p.title).clicked() {
                                        *pick = p.id.clone();
                                    }
                                }
                            });
                    });
                    ui.separator();
                    ui.vertical(|ui| {
                        ui.set_width(ui.available_width());
                        let Some(p) = library.get(pick) else { return };
                        egui::ScrollArea::vertical()
                            .id_salt("problem prompt")
                            .max_height(430.0)
                            .show(ui, |ui| {
                                ui.heading(&p.title);
                                ui.label(&p.prompt);
                                ui.add_space(6.0);
                                ui.weak(format!(
                                    "{} · {} · {}",
                                    crate::text::count_with(
                                        p.questions.len(),
                                        "question to ask",
                                        "questions to ask"
                                    ),
                                    crate::text::count(p.hints.len(), "hint"),
                                    crate::text::count(p.rubric.len(), "rubric item")
                                ));
                                ui.weak(
                                    "The board starts paused on the problem's time plan. Ask \
                                     your questions in the Problem tab before you draw.",
                                );
                                ui.add_space(8.0);
                                if ui.button("Start this problem").clicked() {
                                    start = true;
                                }
                            });
                    });
                });
            });
        if start {
            self.dialog = false;
            return Some(pick.clone());
        }
        if !open {
            self.dialog = false;
        }
        None
    }
}
