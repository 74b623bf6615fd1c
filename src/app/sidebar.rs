//! The right-hand sidebar: the deep-dive lens of the selected block, the properties of a selected
//! link, or the board overview (phase checklist, coverage per block, estimation cheat sheet).
//!
//! It reads the board and returns edits; it never changes the board itself.

use crate::canvas::CanvasState;
use crate::lens::{self, LensLibrary};
use crate::model::{Block, BlockId, Board, Direction, Edit, Link, LinkStyle, Route};
use crate::palette::Palette;
use crate::theme::Colors;
use crate::timer::{Plan, TimerState, format_ms};
use serde::Deserialize;

const ESTIMATES: &str = include_str!("../../assets/estimates.ron");

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

/// What the sidebar asks the app to do.
pub enum SidebarAction {
    Edit(Edit),
    /// Select this block and bring it to the centre of the view.
    Focus(BlockId),
    /// Select this link and bring it to the centre of the view.
    FocusLink(crate::model::LinkId),
    SetPlan(String),
    /// Fail the block in the drill, or restore it.
    ToggleFailed(BlockId),
    ClearDrill,
}

#[derive(Default)]
pub struct Sidebar {
    /// Text being typed into a field, committed as one edit when the field loses focus.
    draft: Option<(Field, String)>,
    /// A number being dragged or typed, committed as one edit when the drag or typing ends.
    num_draft: Option<(NumField, f64)>,
}

/// The number fields of the design review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumField {
    Instances(BlockId),
    Capacity(BlockId),
    Replication(BlockId),
    Share(crate::model::LinkId),
    /// The estimator's inputs, by their index in `EstimateInputs::fields`.
    Estimate(usize),
}

/// How a number field reads and steps.
pub struct Num<'a> {
    pub range: std::ops::RangeInclusive<f64>,
    /// Change per pixel dragged.
    pub speed: f64,
    pub suffix: &'a str,
    /// Whole numbers only: instances, copies, users, bytes.
    pub whole: bool,
}

impl<'a> Num<'a> {
    pub fn whole(range: std::ops::RangeInclusive<f64>, suffix: &'a str) -> Self {
        Self {
            range,
            speed: 0.05,
            suffix,
            whole: true,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    BlockLabel(BlockId),
    Notes(BlockId),
    LinkLabel(crate::model::LinkId),
    PartitionKey(BlockId),
}

/// Everything the sidebar reads.
pub struct SidebarContext<'a> {
    pub board: &'a Board,
    pub canvas: &'a CanvasState,
    pub palette: &'a Palette,
    pub lenses: &'a LensLibrary,
    pub plans: &'a [Plan],
    pub colors: &'a Colors,
    /// The design review of the board as it is, when computed.
    pub review: Option<&'a crate::review::Review>,
    /// The failure drill's verdict, while blocks are marked failed.
    pub drill: Option<&'a crate::review::Drill>,
    pub failed: &'a std::collections::BTreeSet<BlockId>,
}

impl Sidebar {
    pub fn show(&mut self, ui: &mut egui::Ui, cx: &SidebarContext<'_>) -> Vec<SidebarAction> {
        let mut out = Vec::new();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let blocks: Vec<&Block> = cx
                    .canvas
                    .selection
                    .iter()
                    .filter_map(|id| cx.board.block(*id))
                    .collect();
                let links: Vec<&Link> = cx
                    .canvas
                    .selected_links
                    .iter()
                    .filter_map(|id| cx.board.link(*id))
                    .collect();
                match (blocks.as_slice(), links.as_slice()) {
                    ([block], []) => self.block_view(ui, cx, block, &mut out),
                    ([], [link]) => self.link_view(ui, cx, link, &mut out),
                    ([], []) => {
                        super::design_panel::drill(ui, cx, &mut out);
                        overview(ui, cx, &mut out);
                        ui.separator();
                        super::design_panel::findings(ui, cx, &mut out);
                        super::design_panel::estimator(self, ui, cx.board, &mut out);
                        ui.separator();
                        cheat_sheet(ui);
                    }
                    _ => {
                        ui.heading(format!("{} selected", blocks.len() + links.len()));
                        for b in blocks {
                            if ui.link(display_label(b)).clicked() {
                                out.push(SidebarAction::Focus(b.id));
                            }
                        }
                    }
                }
            });
        out
    }

    /// A number field whose drag or typing becomes one undo step when it ends.
    pub fn number(
        &mut self,
        ui: &mut egui::Ui,
        field: NumField,
        current: f64,
        spec: Num<'_>,
        label: egui::Id,
    ) -> Option<f64> {
        let mut v = match self.num_draft {
            Some((f, v)) if f == field => v,
            _ => current,
        };
        let mut drag = egui::DragValue::new(&mut v)
            .range(spec.range)
            .speed(spec.speed)
            .suffix(spec.suffix);
        if spec.whole {
            drag = drag.max_decimals(0);
        }
        let r = ui.add(drag).labelled_by(label);
        if r.changed() || r.dragged() || r.has_focus() {
            self.num_draft = Some((field, v));
        }
        let ended =
            r.drag_stopped() || r.lost_focus() || (r.changed() && !r.dragged() && !r.has_focus());
        if ended {
            self.num_draft = None;
            if v != current && v.is_finite() {
                return Some(v);
            }
        }
        None
    }

    pub fn partition_key(&mut self, ui: &mut egui::Ui, block: &Block) -> Option<String> {
        self.draft_field(
            ui,
            Field::PartitionKey(block.id),
            &block.props.partition_key,
            1,
            "e.g. user_id",
        )
        .map(|k| k.chars().take(200).collect())
    }

    /// A text field whose edits become one undo step when it loses focus.
    fn draft_field(
        &mut self,
        ui: &mut egui::Ui,
        field: Field,
        current: &str,
        rows: usize,
        hint: &str,
    ) -> Option<String> {
        let mut text = match &self.draft {
            Some((f, t)) if *f == field => t.clone(),
            _ => current.to_owned(),
        };
        let edit = if rows > 1 {
            egui::TextEdit::multiline(&mut text).desired_rows(rows)
        } else {
            egui::TextEdit::singleline(&mut text)
        };
        let r = ui.add(edit.hint_text(hint).desired_width(f32::INFINITY));
        if r.has_focus() || r.changed() {
            self.draft = Some((field, text.clone()));
        }
        if r.lost_focus() {
            self.draft = None;
            if text != current {
                return Some(text);
            }
        }
        None
    }

    fn block_view(
        &mut self,
        ui: &mut egui::Ui,
        cx: &SidebarContext<'_>,
        block: &Block,
        out: &mut Vec<SidebarAction>,
    ) {
        let kind = cx.palette.kind_or_fallback(&block.kind);
        let kind_name = if kind.id.is_empty() {
            block.kind.as_str()
        } else {
            kind.name.as_str()
        };
        ui.heading(kind_name);
        if let Some(label) =
            self.draft_field(ui, Field::BlockLabel(block.id), &block.label, 2, "Label")
        {
            out.push(update(block, |b| b.label = label));
        }
        if block.is_frame() || block.is_text() {
            // Frames and notes organise the drawing; they are not components to deep-dive into.
            return;
        }
        let mut deep = block.deep_dive;
        if ui
            .checkbox(&mut deep, "Deep dive on this component")
            .changed()
        {
            out.push(update(block, |b| b.deep_dive = deep));
        }
        time_line(ui, cx, block);
        super::design_panel::sizing(self, ui, cx, block, kind, out);
        ui.separator();

        let lens = cx.lenses.get(&kind.lens);
        let (covered, total) = cx.lenses.coverage(block, &kind.lens);
        match lens {
            Some(lens) => {
                ui.strong(format!("{} lens", lens.title));
                ui.label(egui::RichText::new(&lens.purpose).weak());
            }
            None => {
                ui.strong("Lens");
            }
        }
        ui.label(
            egui::RichText::new(format!("{covered} / {total} covered")).color(cx.colors.selection),
        );
        let mut toggles: Vec<(String, bool)> = Vec::new();
        if let Some(lens) = lens {
            for section in &lens.sections {
                egui::CollapsingHeader::new(&section.title)
                    .default_open(true)
                    .show(ui, |ui| {
                        for item in &section.items {
                            checklist_item(
                                ui,
                                block,
                                lens::item_key(&lens.id, &item.id),
                                item,
                                &mut toggles,
                            );
                        }
                    });
            }
        }
        let cc = &cx.lenses.cross_cutting;
        egui::CollapsingHeader::new(&cc.title)
            .default_open(true)
            .show(ui, |ui| {
                for item in &cc.items {
                    checklist_item(
                        ui,
                        block,
                        lens::item_key(lens::ANY, &item.id),
                        item,
                        &mut toggles,
                    );
                }
            });
        for (key, on) in toggles {
            out.push(update(block, |b| {
                if on {
                    b.checked.insert(key.clone());
                } else {
                    b.checked.remove(&key);
                }
            }));
        }
        ui.separator();
        ui.strong("Notes");
        if let Some(notes) = self.draft_field(
            ui,
            Field::Notes(block.id),
            &block.notes,
            5,
            "What was said about this component",
        ) {
            let notes: String = notes
                .chars()
                .take(crate::persistence::MAX_NOTES_CHARS)
                .collect();
            out.push(update(block, |b| b.notes = notes));
        }
    }

    fn link_view(
        &mut self,
        ui: &mut egui::Ui,
        cx: &SidebarContext<'_>,
        link: &Link,
        out: &mut Vec<SidebarAction>,
    ) {
        let name = |id: BlockId| {
            cx.board
                .block(id)
                .map_or_else(|| "?".to_owned(), display_label)
        };
        ui.heading("Link");
        ui.label(format!(
            "{} to {}",
            name(link.from.block),
            name(link.to.block)
        ));
        if let Some(label) = self.draft_field(
            ui,
            Field::LinkLabel(link.id),
            &link.label,
            1,
            "Label, e.g. POST /urls",
        ) {
            let mut l = link.clone();
            l.label = label;
            out.push(SidebarAction::Edit(Edit::UpdateLink(l)));
        }
        let mut l = link.clone();
        ui.horizontal(|ui| {
            ui.label("Style");
            ui.radio_value(&mut l.style, LinkStyle::Sync, "sync");
            ui.radio_value(&mut l.style, LinkStyle::Async, "async");
        });
        ui.horizontal(|ui| {
            ui.label("Arrows");
            ui.radio_value(&mut l.direction, Direction::Forward, "forward");
            ui.radio_value(&mut l.direction, Direction::Both, "both");
            ui.radio_value(&mut l.direction, Direction::None, "none");
        });
        ui.horizontal(|ui| {
            ui.label("Route");
            ui.radio_value(&mut l.route, Route::Straight, "straight");
            ui.radio_value(&mut l.route, Route::Elbow, "elbow");
        });
        if ui.button("Reverse").clicked() {
            std::mem::swap(&mut l.from, &mut l.to);
        }
        super::design_panel::link_share(self, ui, cx, link, &mut l);
        if l != *link {
            out.push(SidebarAction::Edit(Edit::UpdateLink(l)));
        }
    }
}

fn update(block: &Block, f: impl FnOnce(&mut Block)) -> SidebarAction {
    let mut b = block.clone();
    f(&mut b);
    SidebarAction::Edit(Edit::UpdateBlocks(vec![b]))
}

fn display_label(b: &Block) -> String {
    if b.label.trim().is_empty() {
        b.kind.clone()
    } else {
        b.label.replace('\n', " ")
    }
}

fn checklist_item(
    ui: &mut egui::Ui,
    block: &Block,
    key: String,
    item: &lens::Item,
    toggles: &mut Vec<(String, bool)>,
) {
    let mut on = block.checked.contains(&key);
    if ui.checkbox(&mut on, &item.question).changed() {
        toggles.push((key, on));
    }
    ui.indent(("hint", &item.id), |ui| {
        ui.label(egui::RichText::new(&item.hint).small().weak());
    });
}

/// "Deep dive on Cache: 4:12 of ~5:00", coloured as the block's budget runs out.
fn time_line(ui: &mut egui::Ui, cx: &SidebarContext<'_>, block: &Block) {
    let spent = cx.board.timer.block_ms.get(&block.id).copied().unwrap_or(0);
    let name = display_label(block);
    let plan = cx.board.timer.plan_in(cx.plans);
    let deep_count = cx
        .board
        .blocks
        .values()
        .filter(|b| b.deep_dive)
        .count()
        .max(1);
    let budget = plan
        .and_then(|p| p.phases.iter().find(|ph| ph.deep_dive))
        .map(|ph| ph.planned_ms() / deep_count as u64);
    match budget.filter(|_| block.deep_dive) {
        Some(budget) => {
            let color = if spent > budget * 3 / 2 {
                cx.colors.error
            } else if spent > budget {
                cx.colors.warning
            } else {
                cx.colors.muted_text
            };
            ui.colored_label(
                color,
                format!(
                    "Deep dive on {name}: {} of ~{}",
                    format_ms(spent),
                    format_ms(budget)
                ),
            );
        }
        None => {
            ui.colored_label(
                cx.colors.muted_text,
                format!("Time on {name}: {}", format_ms(spent)),
            );
        }
    }
}

fn overview(ui: &mut egui::Ui, cx: &SidebarContext<'_>, out: &mut Vec<SidebarAction>) {
    let timer: &TimerState = &cx.board.timer;
    ui.heading("Interview");
    if let Some(plan) = timer.plan_in(cx.plans) {
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
                if ui.link(format!("{star}{}", display_label(b))).clicked() {
                    out.push(SidebarAction::Focus(b.id));
                }
                ui.label(format!("{covered}/{total}"));
                ui.label(format_ms(timer.block_ms.get(&b.id).copied().unwrap_or(0)));
                ui.end_row();
            }
        });
}

/// The estimation numbers to quote, from `assets/estimates.ron`.
fn cheat_sheet(ui: &mut egui::Ui) {
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
