//! A selected block in the sidebar: its label, deep-dive mark and time, sizing, the lens
//! checklist and notes.

use super::context::{SidebarAction, SidebarContext, display_label, update};
use super::fields::{Field, Fields};
use crate::lens;
use crate::model::Block;
use crate::model::limits::{MAX_NOTES_CHARS, truncate_chars};
use crate::timer::format_ms;

pub fn show(
    fields: &mut Fields,
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    roster: &super::overview::Roster,
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
        fields.draft_field(ui, Field::BlockLabel(block.id), &block.label, 2, "Label")
    {
        out.push(update(block, |b| b.label = label));
    }
    if block.is_frame() || block.is_text() {
        // Frames and notes organise the drawing; they are not components to deep-dive into.
        return;
    }
    if block.kind == crate::model::ENTITY_KIND {
        super::entity::show(fields, ui, block, out);
        ui.separator();
    } else if block.is_card() {
        super::card::show(fields, ui, cx.board, block, out);
        ui.separator();
    } else if block.is_ink() {
        ui.weak("A freehand stroke: drag to move it, pull a handle to resize, Delete or the eraser (E) to remove it.");
        return;
    } else {
        label_place(ui, block, out);
    }
    let mut deep = block.deep_dive;
    if ui
        .checkbox(&mut deep, "Deep dive on this component")
        .changed()
    {
        out.push(update(block, |b| b.deep_dive = deep));
    }
    time_line(ui, cx, roster.deep_dives, block);
    super::sizing::show(fields, ui, cx, block, kind, out);
    ui.separator();

    checklist(ui, cx, block, &kind.lens, out);
    ui.separator();
    ui.strong("Notes");
    if let Some(notes) = fields.draft_field(
        ui,
        Field::Notes(block.id),
        &block.notes,
        5,
        "What was said about this component",
    ) {
        let notes = truncate_chars(&notes, MAX_NOTES_CHARS);
        out.push(update(block, |b| b.notes = notes));
    }
    if let Some(private) = cx.private {
        let current = private.blocks.get(&block.id).map_or("", String::as_str);
        private_note(fields, ui, Some(block.id), current, out);
    }
}

/// The interviewer's own note, with the promise that it stays on this computer.
pub fn private_note(
    fields: &mut Fields,
    ui: &mut egui::Ui,
    block: Option<crate::model::BlockId>,
    current: &str,
    out: &mut Vec<SidebarAction>,
) {
    ui.separator();
    ui.strong("Private notes");
    ui.weak("Only on this computer, in your saved copy: never shared with the room.");
    if let Some(text) = fields.draft_field(
        ui,
        Field::PrivateNote(block),
        current,
        4,
        "What you think of the answer",
    ) {
        out.push(SidebarAction::Edit(crate::model::Edit::SetPrivateNote {
            block,
            text: truncate_chars(&text, MAX_NOTES_CHARS),
        }));
    }
}

/// The lens's questions, ticked as they are discussed, and the cross-cutting ones.
fn checklist(
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    block: &Block,
    lens_id: &str,
    out: &mut Vec<SidebarAction>,
) {
    let lens = cx.lenses.get(lens_id);
    let (covered, total) = cx.lenses.coverage(block, lens_id);
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
    if lens.is_none_or(|l| l.cross_cutting) {
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
    }
    for (key, on) in toggles {
        out.push(update(block, |b| {
            if on {
                b.checked.insert(key.clone());
            } else {
                b.checked.remove(&key);
            }
        }));
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
fn time_line(ui: &mut egui::Ui, cx: &SidebarContext<'_>, deep_dives: usize, block: &Block) {
    let spent = cx.board.timer.block_ms.get(&block.id).copied().unwrap_or(0);
    let name = display_label(block);
    let plan = crate::timer::plan_for(&cx.board.timer, cx.plans);
    let deep_count = deep_dives.max(1);
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

/// Where the label sits: inside, or beside the block as icon sketches caption their icons.
fn label_place(ui: &mut egui::Ui, block: &Block, out: &mut Vec<SidebarAction>) {
    use crate::model::LabelAt;
    let name = |at: LabelAt| match at {
        LabelAt::Inside => "inside",
        LabelAt::Below => "below",
        LabelAt::Above => "above",
        LabelAt::Left => "on the left",
        LabelAt::Right => "on the right",
    };
    let mut at = block.label_at;
    ui.horizontal(|ui| {
        ui.label("Label sits");
        egui::ComboBox::from_id_salt(("label_at", block.id))
            .selected_text(name(at))
            .show_ui(ui, |ui| {
                for place in LabelAt::ALL {
                    ui.selectable_value(&mut at, place, name(place));
                }
            });
    });
    if at != block.label_at {
        out.push(update(block, |b| b.label_at = at));
    }
}
