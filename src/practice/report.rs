//! The interview report: a Markdown account of a board's interview that someone who missed it
//! can follow. It is built from what the board file holds (the timer, the recording, the
//! practice session, the lens ticks, the notes) and from the same review the window shows.

use super::Library;
use super::rubric::{self, Standing};
use crate::lens::LensLibrary;
use crate::model::{Block, Board};
use crate::palette::Palette;
use crate::review::{self, Review, Unit};
use crate::text::count;
use crate::timer::{Plan, format_ms};
use std::fmt::Write;

/// What the report is written from.
pub struct Inputs<'a> {
    pub board: &'a Board,
    pub palette: &'a Palette,
    pub lenses: &'a LensLibrary,
    pub plans: &'a [Plan],
    pub problems: &'a Library,
    /// The picture's file name, linked from the report when there is one.
    pub picture: Option<&'a str>,
}

/// Markdown for the board's interview.
pub fn markdown(i: &Inputs<'_>) -> String {
    let board = i.board;
    let review = review::review(board, i.palette, i.lenses);
    let plan = crate::timer::plan_for(&board.timer, i.plans);
    let problem = board
        .practice
        .as_ref()
        .and_then(|p| i.problems.get(&p.problem));
    let mut md = String::new();
    let title = if board.title.trim().is_empty() {
        "Untitled board"
    } else {
        board.title.trim()
    };
    let _ = writeln!(md, "# Interview report: {}\n", one_line(title));
    let _ = writeln!(
        md,
        "{}, {} in all, plan \"{}\".\n",
        crate::text::counts_line(board.blocks.len(), board.links.len()),
        format_ms(board.timer.elapsed_ms()),
        plan.map_or("none", |p| p.name.as_str())
    );
    if let Some(pic) = i.picture {
        let _ = writeln!(md, "![The board at the end]({pic})\n");
    }
    problem_section(&mut md, board, problem);
    phases_section(&mut md, board, plan);
    requirements_section(&mut md, board);
    components_section(&mut md, board, plan, i.palette);
    data_model_section(&mut md, board);
    api_section(&mut md, board);
    lens_section(&mut md, board, i.palette, i.lenses);
    findings_section(&mut md, board, &review);
    rubric_section(&mut md, board, problem, plan);
    estimate_section(&mut md, board);
    notes_section(&mut md, board);
    md
}

use super::report_cards::{api_section, one_line, requirements_section};

fn phase_name(plan: Option<&Plan>, phase: usize) -> String {
    plan.and_then(|p| p.phases.get(phase))
        .map_or_else(|| format!("Phase {}", phase + 1), |p| p.name.clone())
}

fn problem_section(md: &mut String, board: &Board, problem: Option<&super::Problem>) {
    let (Some(practice), Some(problem)) = (&board.practice, problem) else {
        if let Some(p) = &board.practice {
            let _ = writeln!(
                md,
                "## Problem\n\n`{}` (not in this library).\n",
                one_line(&p.problem)
            );
        }
        return;
    };
    let _ = writeln!(
        md,
        "## Problem: {}\n\n> {}\n",
        problem.title,
        one_line(&problem.prompt)
    );
    let _ = writeln!(
        md,
        "### Questions asked ({} of {})\n",
        practice.asked.len(),
        problem.questions.len()
    );
    if practice.asked.is_empty() {
        let _ = writeln!(
            md,
            "None: the design started without clarifying anything.\n"
        );
    }
    for (&q, when) in &practice.asked {
        if let Some(question) = problem.questions.get(q) {
            let _ = writeln!(
                md,
                "- at {}: **{}** {}",
                format_ms(when.at_ms),
                one_line(&question.ask),
                one_line(&question.answer)
            );
        }
    }
    let never: Vec<&str> = problem
        .questions
        .iter()
        .enumerate()
        .filter(|(n, _)| !practice.asked.contains_key(n))
        .map(|(_, q)| q.ask.as_str())
        .collect();
    if !never.is_empty() {
        let _ = writeln!(md, "\nNot asked: {}", never.join(" · "));
    }
    md.push('\n');
}

fn phases_section(md: &mut String, board: &Board, plan: Option<&Plan>) {
    let _ = writeln!(md, "## Time per phase\n");
    let _ = writeln!(md, "| phase | planned | spent | |\n|---|---|---|---|");
    let n = plan.map_or(board.timer.phase_ms.len(), |p| p.phases.len());
    for phase in 0..n.max(board.timer.phase_ms.len()) {
        let spent = board.timer.phase_elapsed(phase);
        let planned = plan
            .and_then(|p| p.phases.get(phase))
            .map(|p| p.planned_ms());
        let verdict = match planned {
            Some(pl) if spent > pl => format!("over by {}", format_ms(spent - pl)),
            Some(_) if spent == 0 => "not reached".to_owned(),
            Some(_) => "on time".to_owned(),
            None => String::new(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            phase_name(plan, phase),
            planned.map_or("–".into(), format_ms),
            format_ms(spent),
            verdict
        );
    }
    md.push('\n');
}

fn components_section(md: &mut String, board: &Board, plan: Option<&Plan>, palette: &Palette) {
    let _ = writeln!(md, "## Components added in each phase\n");
    let added = board.recording.added_by_phase();
    if !board.recording.started && board.blocks.is_empty() {
        let _ = writeln!(md, "Nothing has been drawn yet.\n");
    } else if !board.recording.started {
        let _ = writeln!(
            md,
            "No recording: this board was drawn before archboard kept a record of its changes.\n"
        );
    } else if added.is_empty() && board.recording.base_blocks.is_empty() {
        let _ = writeln!(md, "No components were added.\n");
    }
    if !board.recording.base_blocks.is_empty() {
        let _ = writeln!(
            md,
            "- before the recording began: {}",
            names(board.recording.base_blocks.iter(), board, palette)
        );
    }
    let mut phases: Vec<usize> = added.iter().map(|(p, _)| *p).collect();
    phases.dedup();
    for phase in phases {
        let blocks = added
            .iter()
            .filter(|(p, _)| *p == phase)
            .filter_map(|(_, id)| {
                board.recording.entries.iter().find_map(|e| match &e.op {
                    crate::model::recording::Op::Block(b) if b.id == *id => Some(&**b),
                    _ => None,
                })
            });
        let _ = writeln!(
            md,
            "- {}: {}",
            phase_name(plan, phase),
            names(blocks, board, palette)
        );
    }
    if board.recording.gap == crate::model::recording::Gap::Full {
        let _ = writeln!(
            md,
            "- (the recording filled its budget; later changes are not listed)"
        );
    }
    md.push('\n');
}

/// "Redis (cache), Postgres (database)", using the final label when the block still exists.
fn names<'a>(blocks: impl Iterator<Item = &'a Block>, board: &Board, palette: &Palette) -> String {
    let list: Vec<String> = blocks
        .filter(|b| !b.is_frame() && !b.is_text())
        .map(|b| {
            let b = board.block(b.id).unwrap_or(b);
            let kind = palette.kind_or_fallback(&b.kind).name.clone();
            let label = one_line(&b.label);
            if label.is_empty() || label == kind {
                kind
            } else {
                format!("{label} ({kind})")
            }
        })
        .collect();
    if list.is_empty() {
        "text and frames only".into()
    } else {
        list.join(", ")
    }
}

fn lens_section(md: &mut String, board: &Board, palette: &Palette, lenses: &LensLibrary) {
    let _ = writeln!(md, "## Lens coverage and deep dives\n");
    let _ = writeln!(
        md,
        "| block | kind | lens items covered | deep dive | time selected |\n|---|---|---|---|---|"
    );
    for b in board
        .blocks
        .values()
        .filter(|b| !b.is_frame() && !b.is_text())
    {
        let kind = palette.kind_or_fallback(&b.kind);
        let (covered, total) = lenses.coverage(b, &kind.lens);
        let label = one_line(&b.label).replace('|', "/");
        let _ = writeln!(
            md,
            "| {} | {} | {covered} / {total} | {} | {} |",
            if label.is_empty() {
                "(no label)".into()
            } else {
                label
            },
            kind.name,
            if b.deep_dive { "yes" } else { "" },
            format_ms(board.timer.block_ms.get(&b.id).copied().unwrap_or(0))
        );
    }
    md.push('\n');
}

/// Each entity as a Markdown table of its fields, and the relationships between them.
fn data_model_section(md: &mut String, board: &Board) {
    let mut entities: Vec<&Block> = board
        .blocks
        .values()
        .filter(|b| b.kind == crate::model::ENTITY_KIND)
        .collect();
    if entities.is_empty() {
        return;
    }
    entities.sort_by(|a, b| a.label.cmp(&b.label));
    let _ = writeln!(
        md,
        "## Data model
"
    );
    let cell = |s: &str| one_line(s).replace('|', "\\|");
    for e in &entities {
        let _ = writeln!(
            md,
            "### {}
",
            cell(&e.label)
        );
        if e.fields.is_empty() {
            let _ = writeln!(md, "No fields yet.\n");
            continue;
        }
        let _ = writeln!(md, "| field | type | keys |\n|---|---|---|");
        for f in &e.fields {
            let keys = f.keys.marks();
            let _ = writeln!(md, "| {} | {} | {} |", cell(&f.name), cell(&f.ty), keys);
        }
        md.push('\n');
    }
    let mut relations = Vec::new();
    for l in board.links.values() {
        let (Some(a), Some(b)) = (board.block(l.from.block), board.block(l.to.block)) else {
            continue;
        };
        if let Some((from, to)) = l.cardinality {
            let label = if l.label.trim().is_empty() {
                String::new()
            } else {
                format!(": {}", one_line(&l.label))
            };
            relations.push(format!(
                "- {} ({}) to {} ({}){label}",
                one_line(&a.label),
                from.short(),
                one_line(&b.label),
                to.short()
            ));
        }
    }
    if !relations.is_empty() {
        relations.sort();
        let _ = writeln!(md, "Relationships:\n\n{}\n", relations.join("\n"));
    }
}

fn findings_section(md: &mut String, board: &Board, r: &Review) {
    let (risks, gaps) = r.counts();
    let _ = writeln!(
        md,
        "## Review at the end: {}, {}\n",
        count(risks, "risk"),
        count(gaps, "gap")
    );
    for f in &r.findings {
        let kind = if f.kind.is_risk() { "risk" } else { "gap" };
        let _ = writeln!(md, "- {kind}: {}", one_line(&f.text));
    }
    for (kind, n) in &r.more {
        let _ = writeln!(md, "- and {} more of the kind {kind:?}", n);
    }
    if r.findings.is_empty() {
        let _ = writeln!(md, "Nothing found.");
    }
    let _ = board;
    md.push('\n');
}

fn rubric_section(
    md: &mut String,
    board: &Board,
    problem: Option<&super::Problem>,
    plan: Option<&Plan>,
) {
    let (Some(practice), Some(problem)) = (&board.practice, problem) else {
        return;
    };
    let score = rubric::score(problem, practice);
    let _ = writeln!(
        md,
        "## Rubric: {} met, {} late, {} missed · {} of {} used\n",
        score.count(Standing::Met),
        score.count(Standing::Late),
        score.count(Standing::Missed),
        count(practice.hints.len(), "hint"),
        problem.hints.len()
    );
    if practice.finished.is_none() {
        let _ = writeln!(
            md,
            "(the session was not finished; this is where it stood)\n"
        );
    }
    for (item, standing) in &score.items {
        let how = if item.check.is_manual() {
            "ticked by hand"
        } else {
            "checked on the board"
        };
        let mark = match standing {
            Standing::Met => "met",
            Standing::Late => "late",
            Standing::Missed => "missed",
        };
        let when = practice.met.get(&item.id).map_or(String::new(), |m| {
            format!(
                ", at {} in {}",
                format_ms(m.at_ms),
                phase_name(plan, m.phase)
            )
        });
        let _ = writeln!(md, "- **{mark}**: {} ({how}{when})", one_line(&item.text));
    }
    md.push('\n');
}

fn estimate_section(md: &mut String, board: &Board) {
    let est = review::estimate(&board.estimate);
    let _ = writeln!(
        md,
        "## Estimates{}\n",
        if board.estimate.is_default() {
            " (the estimator's defaults: never changed)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        md,
        "- {} daily active users, {} requests each a day, {} reads per write",
        review::human(board.estimate.daily_active_users, Unit::Count),
        review::human(board.estimate.requests_per_user, Unit::Count),
        review::human(board.estimate.reads_per_write, Unit::Count)
    );
    let _ = writeln!(
        md,
        "- peak {}",
        review::human(est.peak_rps(), Unit::PerSecond)
    );
    for o in est.outputs() {
        let _ = writeln!(md, "- {}: {}", o.name, o.text());
    }
    md.push('\n');
}

fn notes_section(md: &mut String, board: &Board) {
    let noted: Vec<&Block> = board
        .blocks
        .values()
        .filter(|b| !b.notes.trim().is_empty())
        .collect();
    let _ = writeln!(md, "## Notes\n");
    if noted.is_empty() && board.private.is_empty() {
        let _ = writeln!(md, "None.");
    }
    for b in noted {
        let _ = writeln!(md, "- **{}**: {}", one_line(&b.label), one_line(&b.notes));
    }
    if !board.private.board.trim().is_empty() {
        let _ = writeln!(
            md,
            "- interviewer's own notes: {}",
            one_line(&board.private.board)
        );
    }
    for (id, note) in &board.private.blocks {
        let _ = writeln!(
            md,
            "- interviewer on {}: {}",
            review::block_name(board, *id),
            one_line(note)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BlockId, Card, ENTITY_KIND, Field, Link, LinkId, Rect};

    #[test]
    fn the_data_model_is_a_table_per_entity_with_its_relationships() {
        let mut board = Board::default();
        let mut user = Block::new(
            BlockId(1),
            ENTITY_KIND,
            "User",
            Rect::new(0.0, 0.0, 9.0, 9.0),
        );
        user.fields = vec![
            Field::new("id", "uuid").with("PK").with("PT"),
            Field::new("bio", "a|b"),
        ];
        let order = Block::new(
            BlockId(2),
            ENTITY_KIND,
            "Order",
            Rect::new(20.0, 0.0, 9.0, 9.0),
        );
        board.blocks.insert(user.id, user);
        board.blocks.insert(order.id, order);
        let mut l = Link::new(LinkId(3), BlockId(1), BlockId(2));
        l.cardinality = Some((Card::ExactlyOne, Card::ZeroOrMany));
        l.label = "places".into();
        board.links.insert(l.id, l);
        let mut md = String::new();
        data_model_section(&mut md, &board);
        assert!(md.starts_with("## Data model\n"), "{md}");
        assert!(md.contains("### User\n\n| field | type | keys |\n|---|---|---|\n| id | uuid | PK, PT |\n| bio | a\\|b |  |\n"), "{md}");
        assert!(md.contains("### Order\n\nNo fields yet."), "{md}");
        assert!(md.contains("- User (1) to Order (0..N): places"), "{md}");
        let mut none = String::new();
        data_model_section(&mut none, &Board::default());
        assert!(none.is_empty());
    }
}
