//! The estimator in the sidebar: its inputs as number fields, its outputs with their formulas.

use super::context::SidebarAction;
use super::fields::{Fields, Num, NumField};
use crate::model::{Board, Edit, EstimateInputs};
use crate::review;

/// The estimator's inputs and outputs; each output shows its formula on hover.
pub fn show(fields: &mut Fields, ui: &mut egui::Ui, board: &Board, out: &mut Vec<SidebarAction>) {
    let cur = &board.estimate;
    let mut next: EstimateInputs = cur.clone();
    egui::CollapsingHeader::new("Estimator")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("estimator-inputs")
                .num_columns(2)
                .show(ui, |ui| {
                    // In the order of `EstimateInputs::fields`: label, largest value, suffix,
                    // whole numbers only.
                    const ROWS: [(&str, f64, &str, bool); 8] = [
                        ("Daily active users", 1e15, "", true),
                        ("Requests per user a day", 1e6, "", false),
                        ("Reads per write", 1e6, " : 1", false),
                        ("Payload size", 1e12, " B", true),
                        ("Years kept", 100.0, "", false),
                        ("Peak factor", 1e3, " ×", false),
                        ("Capacity per instance", 1e12, " req/s", true),
                        ("Target utilisation", 100.0, " %", false),
                    ];
                    for (i, ((name, max, suffix, whole), (_, value))) in
                        ROWS.into_iter().zip(cur.fields()).enumerate()
                    {
                        let label = ui.label(name).id;
                        let spec = Num {
                            range: 0.0..=max,
                            speed: (value.abs() / 100.0).max(0.01),
                            suffix,
                            whole,
                        };
                        if let Some(v) =
                            fields.number(ui, NumField::Estimate(i), value, spec, label)
                        {
                            *next.values_mut()[i] = v;
                        }
                        ui.end_row();
                    }
                });
            if !cur.is_default() && ui.small_button("Reset to the defaults").clicked() {
                next = EstimateInputs::default();
            }
            ui.add_space(4.0);
            let est = review::estimate(cur);
            egui::Grid::new("estimator-outputs")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    for o in est.outputs() {
                        ui.label(o.name).on_hover_text(&o.formula);
                        ui.monospace(o.text()).on_hover_text(&o.formula);
                        ui.end_row();
                    }
                });
            ui.weak("Hover a number to see how it was worked out.");
        });
    if next != *cur {
        out.push(SidebarAction::Edit(Edit::SetEstimate(next)));
    }
}
