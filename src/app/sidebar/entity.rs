//! An entity's fields in the sidebar: name, type and key marks per row, added, removed and
//! reordered. Each change is one edit (typing is committed when the field loses focus), and
//! the block grows to show every row.

use super::context::{SidebarAction, update};
use super::fields::{Field as Draft, Fields};
use crate::model::Block;
use crate::model::entity::{Field, Keys, MAX_FIELD_CHARS, MAX_FIELDS, height_for};

pub fn show(drafts: &mut Fields, ui: &mut egui::Ui, block: &Block, out: &mut Vec<SidebarAction>) {
    ui.strong("Fields");
    let mut next: Option<Vec<Field>> = None;
    for (i, f) in block.fields.iter().enumerate() {
        ui.horizontal(|ui| {
            let name = drafts.draft_narrow(
                ui,
                Draft::EntityName(block.id, i),
                &f.name,
                (110.0, MAX_FIELD_CHARS),
                "name",
            );
            if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
                next.get_or_insert_with(|| block.fields.clone())[i].name = name.trim().to_owned();
            }
            let ty = drafts.draft_narrow(
                ui,
                Draft::EntityType(block.id, i),
                &f.ty,
                (80.0, MAX_FIELD_CHARS),
                "type",
            );
            if let Some(ty) = ty {
                next.get_or_insert_with(|| block.fields.clone())[i].ty = ty.trim().to_owned();
            }
            if ui
                .small_button("remove")
                .on_hover_text(format!("Remove {}", f.name))
                .clicked()
            {
                next.get_or_insert_with(|| block.fields.clone()).remove(i);
            }
            if i > 0 && ui.small_button("up").on_hover_text("Move up").clicked() {
                next.get_or_insert_with(|| block.fields.clone())
                    .swap(i - 1, i);
            }
        });
        ui.horizontal(|ui| {
            ui.add_space(8.0);
            for (mark, meaning) in Keys::MARKS {
                let on = f.keys.has(mark);
                let r = ui
                    .selectable_label(on, mark)
                    .on_hover_text(format!("{} is a {meaning}", f.name));
                if r.clicked() {
                    let all = next.get_or_insert_with(|| block.fields.clone());
                    if let Some(flag) = all[i].keys.flag(mark) {
                        *flag = !on;
                    }
                }
            }
        });
    }
    let room = block.fields.len() < MAX_FIELDS;
    if ui
        .add_enabled(room, egui::Button::new("+ Add field"))
        .clicked()
    {
        let all = next.get_or_insert_with(|| block.fields.clone());
        let n = all.len() + 1;
        all.push(Field::new(format!("field_{n}"), "text"));
    }
    if let Some(fields) = next {
        out.push(update(block, |b| {
            b.rect.h = b.rect.h.max(height_for(fields.len()));
            b.fields = fields;
        }));
    }
}
