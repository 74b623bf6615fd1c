//! The design review in the sidebar: the list of findings and the failure drill's verdict.

use super::context::{SidebarAction, SidebarContext};
use crate::model::BlockId;
use crate::review::{self, Drill, FindingKind, Survival, Target};
use crate::text::{count, count_with};

/// The review's findings, risks first; each one selects and centres what it is about.
pub fn findings(ui: &mut egui::Ui, cx: &SidebarContext<'_>, out: &mut Vec<SidebarAction>) {
    let Some(review) = cx.review else {
        return;
    };
    let (risks, gaps) = review.counts();
    egui::CollapsingHeader::new(format!(
        "Review: {}, {}",
        count(risks, "risk"),
        count(gaps, "gap")
    ))
        .id_salt("review-findings")
        .default_open(true)
        .show(ui, |ui| {
            if review.findings.is_empty() {
                ui.colored_label(cx.colors.ok, "Nothing to flag: no single points of failure, no bottlenecks, no gaps.");
            }
            let mut last: Option<bool> = None;
            for f in &review.findings {
                let risk = f.kind.is_risk();
                if last != Some(risk) {
                    ui.strong(if risk { "Risks" } else { "Gaps a strong candidate covers" });
                    last = Some(risk);
                }
                finding_line(ui, cx, f, true, out);
            }
            for cycle in &review.cycles {
                let names: Vec<String> = cycle
                    .iter()
                    .map(|id| review::block_name(cx.board, *id))
                    .collect();
                ui.colored_label(
                    cx.colors.warning,
                    format!(
                        "Loop: {}, then back to the first. The link that closes it shows its load, which is not counted again.",
                        names.join(", then ")
                    ),
                );
            }
            let more: usize = review.more.values().sum();
            if more > 0 {
                ui.weak(format!("… and {more} more of the same kinds"));
            }
            ui.weak("F7 shows load and capacity on the board.");
        });
}

pub fn finding_line(
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    f: &review::Finding,
    clickable: bool,
    out: &mut Vec<SidebarAction>,
) {
    let color = match f.kind {
        FindingKind::SinglePoint | FindingKind::Unreplicated | FindingKind::Bottleneck => {
            cx.colors.error
        }
        FindingKind::Overshared => cx.colors.warning,
        _ => cx.colors.muted_text,
    };
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(color, "•");
        if clickable {
            if ui.link(&f.text).clicked() {
                out.push(match f.target {
                    Target::Block(id) => SidebarAction::Focus(id),
                    Target::Link(id) => SidebarAction::FocusLink(id),
                });
            }
        } else {
            ui.label(&f.text);
        }
    });
    if let Some(q) = f.lens.as_deref().and_then(|k| cx.lenses.question(k)) {
        ui.indent(("lens", ui.next_auto_id()), |ui| {
            ui.weak(format!("Lens: {q}"));
        });
    }
}

/// What the failure drill did to the client-to-data-store paths.
pub fn drill(ui: &mut egui::Ui, cx: &SidebarContext<'_>, out: &mut Vec<SidebarAction>) {
    let Some(drill) = cx.drill else {
        return;
    };
    egui::CollapsingHeader::new("Failure drill")
        .default_open(true)
        .show(ui, |ui| drill_report(ui, cx, drill, out));
}

fn drill_report(
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    drill: &Drill,
    out: &mut Vec<SidebarAction>,
) {
    let name = |id: BlockId| review::block_name(cx.board, id);
    let failed: Vec<String> = cx.failed.iter().map(|id| name(*id)).collect();
    ui.label(format!("Failed: {}", failed.join(", ")));
    if drill.lost.is_empty() {
        ui.colored_label(cx.colors.ok, "Every client still reaches every data store.");
    } else {
        let lost = format!("{} lost", count(drill.lost.len(), "path"));
        ui.colored_label(cx.colors.error, lost);
        for (c, d) in drill.lost.iter().take(100) {
            ui.label(format!("Lost: {} to {}", name(*c), name(*d)));
        }
    }
    for (c, d, how) in drill.survived.iter().take(100) {
        let how = match how {
            Survival::Alternative => "by another path".to_owned(),
            Survival::Replicas(r) => format!("on the other instances of {}", name(*r)),
        };
        ui.label(format!("Survives: {} to {} {how}", name(*c), name(*d)));
    }
    if drill.untouched > 0 {
        let verb = if drill.untouched == 1 { "is" } else { "are" };
        ui.weak(format!(
            "{} {verb} not affected.",
            count_with(drill.untouched, "other path", "other paths")
        ));
    }
    if ui.button("Clear all failures").clicked() {
        out.push(SidebarAction::ClearDrill);
    }
}
