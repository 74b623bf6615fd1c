//! The sidebar with nothing selected: the interview's plan and phase, every component with its
//! coverage and time, and the estimation cheat sheet.

use super::context::{SidebarAction, SidebarContext, display_label};
use crate::model::{Block, BlockId, Board, TimerState};
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

/// The components the overview lists, in its order (deep dives first, then by id), and how many
/// are marked for a deep dive. Kept between frames: on a big board, filtering and sorting every
/// block each frame would cost more than drawing the whole sidebar.
#[derive(Default)]
pub struct Roster {
    /// The board revision this was made for.
    revision: Option<u64>,
    pub ids: Vec<BlockId>,
    pub deep_dives: usize,
}

impl Roster {
    /// Brings the list up to date with the board. While a drag is under way (`in_gesture`)
    /// blocks only move or change size, which changes nothing listed here, so the list waits
    /// for the drag to end instead of being rebuilt on every frame of it.
    pub fn update(&mut self, board: &Board, revision: u64, in_gesture: bool) {
        if self.revision == Some(revision) || (in_gesture && self.revision.is_some()) {
            return;
        }
        let mut listed: Vec<&Block> = board
            .blocks
            .values()
            .filter(|b| !b.is_frame() && !b.is_text() && !b.is_ink())
            .collect();
        listed.sort_by_key(|b| (!b.deep_dive, b.id));
        self.deep_dives = listed.iter().take_while(|b| b.deep_dive).count();
        self.ids = listed.iter().map(|b| b.id).collect();
        self.revision = Some(revision);
    }
}

/// Height of the sidebar's lists of blocks; what does not fit scrolls.
pub const LIST_HEIGHT: f32 = 320.0;

pub fn overview(
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    roster: &Roster,
    out: &mut Vec<SidebarAction>,
) {
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
    if roster.ids.is_empty() {
        ui.weak("Place components with L, C, D, Q, N or Tab.");
        return;
    }
    // Only the rows in view are laid out, however many components the board has.
    let row = ui.text_style_height(&egui::TextStyle::Body);
    egui::ScrollArea::vertical()
        .id_salt("overview-components")
        .max_height(LIST_HEIGHT)
        .auto_shrink([false, true])
        .show_rows(ui, row, roster.ids.len(), |ui, rows| {
            egui::Grid::new("overview-blocks")
                .num_columns(3)
                .striped(true)
                .min_row_height(row)
                .show(ui, |ui| {
                    component_rows(ui, cx, &roster.ids[rows], out);
                });
        });
}

/// One row per component: its name (click to go there), lens coverage and time spent.
fn component_rows(
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    ids: &[BlockId],
    out: &mut Vec<SidebarAction>,
) {
    let timer = &cx.board.timer;
    for b in ids.iter().filter_map(|id| cx.board.block(*id)) {
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
