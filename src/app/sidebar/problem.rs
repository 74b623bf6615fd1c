//! The problem tab of the sidebar: the prompt, the clarifying questions (answers shown only once
//! asked, because asking is scored), hints one at a time, and the rubric with its score.

use super::context::{PracticeAction, SidebarAction, SidebarContext};
use crate::practice::rubric::{self, Standing};
use crate::practice::{Check, Problem};

pub fn show(
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    problem: &Problem,
    out: &mut Vec<SidebarAction>,
) {
    let Some(practice) = &cx.board.practice else {
        return;
    };
    let finished = practice.finished.is_some();
    // The interviewer (or a candidate in study mode, or after Finish) sees everything.
    let open_book = cx.practice_open_book || finished;
    ui.heading(&problem.title);
    ui.label(&problem.prompt);
    if cx.practice_interviewer {
        ui.add_space(4.0);
        ui.weak("You are the interviewer: you see every answer and the rubric.");
        let mut shown = practice.revealed;
        if ui
            .checkbox(
                &mut shown,
                "Show the answers and the rubric to the candidate",
            )
            .changed()
        {
            out.push(SidebarAction::Practice(PracticeAction::Reveal(shown)));
        }
    }
    ui.separator();

    ui.strong(format!(
        "Clarifying questions ({} of {} asked)",
        practice.asked.len(),
        problem.questions.len()
    ));
    for (n, q) in problem.questions.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            let asked = practice.asked.contains_key(&n);
            if !asked && !finished && ui.small_button("Ask").clicked() {
                out.push(SidebarAction::Practice(PracticeAction::Ask(n)));
            }
            ui.label(egui::RichText::new(&q.ask).strong());
        });
        if practice.asked.contains_key(&n) || open_book {
            ui.indent(("answer", n), |ui| {
                let text = egui::RichText::new(&q.answer);
                ui.label(if practice.asked.contains_key(&n) {
                    text
                } else {
                    text.weak().italics()
                });
            });
        }
    }
    if practice.estimate_filled {
        ui.weak("The estimator now holds the numbers from the answer on scale.");
    }
    ui.separator();

    ui.horizontal(|ui| {
        ui.strong(format!(
            "Hints ({} of {} taken)",
            practice.hints.len(),
            problem.hints.len()
        ));
        let left = practice.hints.len() < problem.hints.len();
        if ui
            .add_enabled(left && !finished, egui::Button::new("Hint"))
            .on_hover_text("Shows the next hint; the report counts them")
            .clicked()
        {
            out.push(SidebarAction::Practice(PracticeAction::Hint));
        }
    });
    for (n, hint) in problem.hints.iter().take(practice.hints.len()).enumerate() {
        ui.label(format!("{}. {hint}", n + 1));
    }
    ui.separator();

    let score = rubric::score(problem, practice);
    if open_book {
        ui.strong(format!(
            "Rubric: {} met, {} late, {} missed",
            score.count(Standing::Met),
            score.count(Standing::Late),
            score.count(Standing::Missed)
        ));
    } else {
        ui.strong("Rubric");
        ui.weak("Hidden until Finish, like in a real interview. Tick what you covered in talk:");
    }
    for (item, standing) in &score.items {
        let manual = matches!(item.check, Check::Manual);
        if !open_book && !manual {
            continue;
        }
        ui.horizontal_wrapped(|ui| {
            if manual {
                let mut on = practice.ticked.contains(&item.id);
                let tick = ui.add_enabled(!finished, egui::Checkbox::without_text(&mut on));
                // The text sits beside the box as its own label; name the box for screen
                // readers (and tests) all the same.
                tick.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::Role::CheckBox,
                        !finished,
                        on,
                        format!("Covered: {}", item.text),
                    )
                });
                if tick.clicked() {
                    out.push(SidebarAction::Practice(PracticeAction::Tick(
                        item.id.clone(),
                        on,
                    )));
                }
            }
            if open_book {
                let (mark, color) = match standing {
                    Standing::Met => ("met", cx.colors.ok),
                    Standing::Late => ("late", cx.colors.warning),
                    Standing::Missed => ("missed", cx.colors.error),
                };
                ui.colored_label(color, mark);
            }
            ui.label(&item.text);
            if !manual {
                ui.weak("(on the board)");
            }
        });
    }
    ui.add_space(6.0);
    if finished {
        ui.label(format!(
            "Finished: {} of {} met ({} late), {} used.",
            score.count(Standing::Met) + score.count(Standing::Late),
            score.items.len(),
            score.count(Standing::Late),
            crate::text::count(practice.hints.len(), "hint")
        ));
        if ui
            .button("Export report…")
            .on_hover_text("A Markdown account of the interview, with the board's picture")
            .clicked()
        {
            out.push(SidebarAction::Practice(PracticeAction::Report));
        }
    } else if ui
        .button("Finish")
        .on_hover_text("Ends the session and shows the score")
        .clicked()
    {
        out.push(SidebarAction::Practice(PracticeAction::Finish));
    }
}
