//! A block's sizing in the sidebar: instances, capacity, copies and partition key, with the load
//! the review computed for it and its findings.

use super::context::{SidebarAction, SidebarContext};
use super::fields::{Fields, Num, NumField};
use crate::model::limits::MAX_INSTANCES;
use crate::model::{Block, Edit, Props};
use crate::palette::{Kind, Role};
use crate::review::{Unit, human};

/// Instances, capacity, replication and partition key of one block, with its load and findings.
pub fn show(
    fields: &mut Fields,
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    block: &Block,
    kind: &Kind,
    out: &mut Vec<SidebarAction>,
) {
    if kind.role == Role::Annotation {
        return;
    }
    let mut props: Props = block.props.clone();
    egui::CollapsingHeader::new("Sizing")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("sizing").num_columns(2).show(ui, |ui| {
                rows(fields, ui, block, kind, &mut props);
            });
            pick_partition_key(ui, cx, block, &mut props);
            if !block.props.is_default() && ui.small_button("Use the palette's defaults").clicked()
            {
                props = Props::default();
            }
            load(ui, cx, block, out);
            let text = if cx.failed.contains(&block.id) {
                "Restore in the drill"
            } else {
                "Fail it in the drill"
            };
            if ui.button(text).clicked() {
                out.push(SidebarAction::ToggleFailed(block.id));
            }
        });
    if props != block.props {
        let mut b = block.clone();
        b.props = props;
        out.push(SidebarAction::Edit(Edit::UpdateBlocks(vec![b])));
    }
}

/// A store's partition key picked from the fields of the entities it holds (linked to it).
fn pick_partition_key(
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    block: &Block,
    props: &mut Props,
) {
    let held = crate::review::entities::fields_held(cx.board, block.id);
    if held.is_empty() {
        return;
    }
    ui.horizontal(|ui| {
        ui.label("Pick it from");
        egui::ComboBox::from_id_salt(("partition_key_pick", block.id))
            .selected_text(if held.contains(&props.partition_key) {
                props.partition_key.as_str()
            } else {
                "a field…"
            })
            .show_ui(ui, |ui| {
                for name in &held {
                    let on = props.partition_key == *name;
                    if ui.selectable_label(on, name).clicked() {
                        props.partition_key = name.clone();
                    }
                }
            });
    });
}

/// The grid of number fields; what is changed lands in `props`.
fn rows(fields: &mut Fields, ui: &mut egui::Ui, block: &Block, kind: &Kind, props: &mut Props) {
    let instances = props.instances.unwrap_or(kind.instances);
    let capacity = props.capacity.unwrap_or(kind.capacity);
    let replication = props.replication.unwrap_or(kind.replication);
    let label = ui.label("Instances").id;
    let spec = Num::whole(1.0..=f64::from(MAX_INSTANCES), "");
    if let Some(v) = counter(
        fields,
        ui,
        NumField::Instances(block.id),
        instances,
        spec,
        label,
        ("One instance fewer", "One more instance"),
    ) {
        props.instances = Some(v);
    }
    ui.end_row();
    let label = ui.label("Capacity each").id;
    let spec = Num {
        speed: capacity.max(100.0) / 100.0,
        ..Num::whole(0.0..=1e12, " req/s")
    };
    if let Some(v) = fields.number(ui, NumField::Capacity(block.id), capacity, spec, label) {
        props.capacity = Some(v.round());
    }
    ui.end_row();
    if kind.role != Role::Store {
        return;
    }
    let label = ui.label("Copies of data").id;
    if let Some(v) = counter(
        fields,
        ui,
        NumField::Replication(block.id),
        replication,
        Num::whole(1.0..=100.0, ""),
        label,
        ("One copy fewer", "One more copy"),
    ) {
        props.replication = Some(v);
    }
    ui.end_row();
    ui.label("Partition key");
    if let Some(key) = fields.partition_key(ui, block) {
        props.partition_key = key;
    }
    ui.end_row();
}

/// A whole-number field with − and + steppers beside it (`names` are their tooltips).
fn counter(
    fields: &mut Fields,
    ui: &mut egui::Ui,
    field: NumField,
    value: u32,
    spec: Num<'_>,
    label: egui::Id,
    names: (&str, &str),
) -> Option<u32> {
    ui.horizontal(|ui| {
        let mut out = fields
            .number(ui, field, f64::from(value), spec, label)
            .map(|v| v.round() as u32);
        if stepper(ui, "−", names.0) && value > 1 {
            out = Some(value - 1);
        }
        if stepper(ui, "+", names.1) {
            out = Some(value + 1);
        }
        out
    })
    .inner
}

fn stepper(ui: &mut egui::Ui, text: &str, name: &str) -> bool {
    let r = ui.small_button(text);
    let r = r.on_hover_text(name);
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    r.clicked()
}

/// The peak load the review found for the block, and its findings.
fn load(ui: &mut egui::Ui, cx: &SidebarContext<'_>, block: &Block, out: &mut Vec<SidebarAction>) {
    let Some(review) = cx.review else {
        return;
    };
    match review.load.get(&block.id) {
        Some(load) => {
            let text = match (load.capacity, load.utilisation()) {
                (Some(cap), Some(u)) => format!(
                    "Peak load {} of {} ({:.0} %)",
                    human(load.rps, Unit::PerSecond),
                    human(cap, Unit::PerSecond),
                    u * 100.0
                ),
                _ => format!("Peak load {}", human(load.rps, Unit::PerSecond)),
            };
            ui.label(text);
        }
        None if review.has_clients => {
            ui.weak("No load reaches it from the clients.");
        }
        None => {
            ui.weak("Add a client to see the load flow.");
        }
    }
    for f in review.findings_for(block.id) {
        super::review::finding_line(ui, cx, f, false, out);
    }
}
