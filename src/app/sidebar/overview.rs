//! The sidebar with nothing selected: the interview's plan and phase, every component with its
//! coverage and time, and the estimation cheat sheet.

use super::context::{SidebarAction, SidebarContext, display_label};
use crate::model::{Block, TimerState};
use crate::timer::format_ms;
use serde::Deserialize;

const ESTIMATES: &str = include_str!("../../../assets/estimates.ron");

#[derive(Deserialize)]
struct EstimateFile {
    groups: Vec<EstimateGroup>,
}

#[derive(Deserialize)]
struct EstimateGroup {
    title: String,
    rows: Vec<(String, String)>,
}

/// The bundled cheat sheet, parsed once (a unit test keeps the file valid).
fn estimates() -> Option<&'static EstimateFile> {
    static FILE: std::sync::OnceLock<Option<EstimateFile>> = std::sync::OnceLock::new();
    FILE.get_or_init(|| ron::from_str(ESTIMATES).ok()).as_ref()
}

pub fn overview(ui: &mut egui::Ui, cx: &SidebarContext<'_>, out: &mut Vec<SidebarAction>) {
    let timer: &TimerState = &cx.board.timer;
    ui.heading("Interview");
    if let Some(plan) = crate::timer::plan_for(timer, cx.plans) {
        egui::ComboBox::from_label("Plan")
            .selected_text(&plan.name)
            .show_ui(ui, |ui| {
                for p in cx.plans {
                    if ui.selectable_label(p.id == plan.id, &p.name).clicked() && p.id != plan.id {
                        out.push(SidebarAction::SetPlan(p.id.clone()));
                    }
                }
            });
        let phase = timer.phase.min(plan.phases.len().saturating_sub(1));
        if let Some(ph) = plan.phases.get(phase) {
            ui.strong(format!("Now: {} ({} min)", ph.name, ph.minutes));
            for c in &ph.cover {
                ui.label(format!("• {c}"));
            }
        }
    }
    ui.separator();
    ui.strong("Components");
    let mut blocks: Vec<&Block> = cx
        .board
        .blocks
        .values()
        .filter(|b| !b.is_frame() && !b.is_text())
        .collect();
    blocks.sort_by_key(|b| (!b.deep_dive, b.id));
    if blocks.is_empty() {
        ui.weak("Place components with L, C, D, Q, N or Tab.");
    }
    egui::Grid::new("overview-blocks")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for b in blocks.iter().take(500) {
                let lens = &cx.palette.kind_or_fallback(&b.kind).lens;
                let (covered, total) = cx.lenses.coverage(b, lens);
                let star = if b.deep_dive { "* " } else { "" };
                // Imported labels can be paragraphs: the list shows their start, the lens
                // the whole.
                let name = display_label(b);
                let short: String = name.chars().take(40).collect();
                let short = if short.len() < name.len() {
                    format!("{}…", short.trim_end())
                } else {
                    short
                };
                if ui.link(format!("{star}{short}")).clicked() {
                    out.push(SidebarAction::Focus(b.id));
                }
                ui.label(format!("{covered}/{total}"));
                ui.label(format_ms(timer.block_ms.get(&b.id).copied().unwrap_or(0)));
                ui.end_row();
            }
        });
}

/// The estimation numbers to quote, from `assets/estimates.ron`.
pub fn cheat_sheet(ui: &mut egui::Ui) {
    egui::CollapsingHeader::new("Estimation cheat sheet")
        .default_open(true)
        .show(ui, |ui| {
            let Some(file) = estimates() else {
                return;
            };
            for g in &file.groups {
                ui.strong(&g.title);
                egui::Grid::new(("est", ui.next_auto_id()))
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (what, value) in &g.rows {
                            ui.label(what);
                            ui.monospace(value);
                            ui.end_row();
                        }
                    });
                ui.add_space(4.0);
            }
        });
}

#[cfg(test)]
mod tests {
    #[test]
    fn estimates_parse() {
        let f: super::EstimateFile = ron::from_str(super::ESTIMATES).expect("estimates.ron parses");
        assert!(f.groups.iter().any(|g| {
            g.rows
                .iter()
                .any(|(w, v)| w.contains("1 M requests") && v.contains("12"))
        }));
    }
}
