//! A requirements or API card in the sidebar: its items one per row, each part its own field.
//! Every change is one edit and the card's height follows its rows. The scale rows are the
//! estimator's own inputs, so changing them here changes the review's numbers too.

use super::context::{SidebarAction, update};
use super::fields::{Field as Draft, Fields, Num, NumField};
use crate::model::api::{self, Endpoint, METHODS};
use crate::model::requirements::{self, Quality, Requirement, Section};
use crate::model::{Block, Board, Edit};

pub fn show(
    drafts: &mut Fields,
    ui: &mut egui::Ui,
    board: &Board,
    block: &Block,
    out: &mut Vec<SidebarAction>,
) {
    if block.kind == requirements::REQUIREMENTS_KIND {
        requirements_rows(drafts, ui, board, block, out);
    } else {
        endpoint_rows(drafts, ui, board, block, out);
    }
    ui.weak("Double-click the card to type it as text, one item per line.");
}

fn requirements_rows(
    drafts: &mut Fields,
    ui: &mut egui::Ui,
    board: &Board,
    block: &Block,
    out: &mut Vec<SidebarAction>,
) {
    let mut next: Option<Vec<Requirement>> = None;
    // Widths come from the panel's width before any row, so no row can widen the panel.
    let full = ui.available_width();
    let gap = ui.spacing().item_spacing.x;
    for section in Section::ALL {
        ui.strong(section.heading());
        for (i, r) in block.reqs.iter().enumerate() {
            if r.section != section {
                continue;
            }
            ui.horizontal(|ui| {
                if section == Section::NonFunctional {
                    let current = r.quality.unwrap_or_default();
                    egui::ComboBox::from_id_salt(("quality", block.id, i))
                        .width(96.0)
                        .selected_text(current.name())
                        .show_ui(ui, |ui| {
                            for q in Quality::ALL {
                                if ui.selectable_label(q == current, q.name()).clicked() {
                                    next.get_or_insert_with(|| block.reqs.clone())[i].quality =
                                        Some(q);
                                }
                            }
                        });
                }
                let hint = match (section, r.quality.unwrap_or_default()) {
                    (Section::NonFunctional, Quality::Latency) => "p99 < 200 ms for reads",
                    (Section::NonFunctional, Quality::Availability) => "99.99 %",
                    (Section::NonFunctional, Quality::Consistency) => "strong for payments",
                    _ => "",
                };
                let taken = if section == Section::NonFunctional {
                    96.0 + 2.0 * gap + 24.0
                } else {
                    0.0
                };
                let width = full - taken - 60.0 - 2.0 * gap;
                let limit = (width.max(80.0), requirements::MAX_ITEM_CHARS);
                if let Some(text) =
                    drafts.draft_narrow(ui, Draft::CardItem(block.id, i, 0), &r.text, limit, hint)
                {
                    next.get_or_insert_with(|| block.reqs.clone())[i].text = text.trim().to_owned();
                }
                if ui.small_button("remove").clicked() {
                    next.get_or_insert_with(|| block.reqs.clone()).remove(i);
                }
            });
            if !r.is_measurable() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "  a target needs a number (or, for consistency, a level)",
                );
            }
        }
        if section == Section::NonFunctional {
            scale_rows(drafts, ui, board, out);
        }
        let room = block.reqs.len() < requirements::MAX_ITEMS;
        let add = format!("+ Add {}", section.heading().to_lowercase());
        if ui.add_enabled(room, egui::Button::new(add)).clicked() {
            let all = next.get_or_insert_with(|| block.reqs.clone());
            all.push(match section {
                Section::Functional => Requirement::functional("Users can …"),
                Section::NonFunctional => {
                    Requirement::non_functional(Quality::Latency, "p99 < 200 ms")
                }
                Section::OutOfScope => Requirement::out_of_scope("…"),
            });
        }
        ui.add_space(4.0);
    }
    if let Some(reqs) = next {
        let mut b = block.clone();
        b.reqs = reqs;
        out.push(resized(block, b));
    }
}

/// Daily users and reads per write: the estimator's first inputs, edited in place.
fn scale_rows(drafts: &mut Fields, ui: &mut egui::Ui, board: &Board, out: &mut Vec<SidebarAction>) {
    let e = &board.estimate;
    let mut next = e.clone();
    ui.horizontal(|ui| {
        let label = ui.label("scale: daily users").id;
        let spec = Num::whole(0.0..=1e15, "");
        if let Some(v) = drafts.number(
            ui,
            NumField::Estimate(0),
            e.daily_active_users,
            Num {
                speed: (e.daily_active_users / 100.0).max(1.0),
                ..spec
            },
            label,
        ) {
            next.daily_active_users = v;
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("reads per write").id;
        let spec = Num {
            range: 0.0..=1e6,
            speed: 0.1,
            suffix: " : 1",
            whole: false,
        };
        if let Some(v) = drafts.number(ui, NumField::Estimate(2), e.reads_per_write, spec, label) {
            next.reads_per_write = v;
        }
    });
    if next != *e {
        out.push(SidebarAction::Edit(Edit::SetEstimate(next)));
    }
}

fn endpoint_rows(
    drafts: &mut Fields,
    ui: &mut egui::Ui,
    board: &Board,
    block: &Block,
    out: &mut Vec<SidebarAction>,
) {
    ui.strong("Endpoints");
    let entities: Vec<&str> = board
        .blocks
        .values()
        .filter(|b| b.kind == crate::model::ENTITY_KIND)
        .map(|b| b.label.as_str())
        .collect();
    let mut next: Option<Vec<Endpoint>> = None;
    let full = ui.available_width();
    let gap = ui.spacing().item_spacing.x;
    for (i, e) in block.endpoints.iter().enumerate() {
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt(("method", block.id, i))
                .width(70.0)
                .selected_text(&e.method)
                .show_ui(ui, |ui| {
                    for (m, style) in METHODS {
                        let r = ui.selectable_label(e.method == m, m).on_hover_text(style);
                        if r.clicked() {
                            let all = next.get_or_insert_with(|| block.endpoints.clone());
                            all[i].method = m.to_owned();
                        }
                    }
                });
            let path_width = full - (70.0 + 24.0) - 60.0 - 3.0 * gap;
            let limit = (path_width.max(80.0), api::MAX_PART_CHARS);
            if let Some(path) =
                drafts.draft_narrow(ui, Draft::CardItem(block.id, i, 0), &e.path, limit, "/v1/…")
            {
                next.get_or_insert_with(|| block.endpoints.clone())[i].path =
                    path.trim().to_owned();
            }
            if ui.small_button("remove").clicked() {
                next.get_or_insert_with(|| block.endpoints.clone())
                    .remove(i);
            }
        });
        ui.horizontal(|ui| {
            ui.add_space(8.0);
            let half = ((full - 8.0 - 3.0 * gap) / 2.0 - 8.0).max(60.0);
            for (part, current, hint) in
                [(1u8, &e.request, "request"), (2, &e.response, "response")]
            {
                if let Some(v) = drafts.draft_narrow(
                    ui,
                    Draft::CardItem(block.id, i, part),
                    current,
                    (half, api::MAX_PART_CHARS),
                    hint,
                ) {
                    let all = next.get_or_insert_with(|| block.endpoints.clone());
                    let v = v.trim().to_owned();
                    if part == 1 {
                        all[i].request = v;
                    } else {
                        all[i].response = v;
                    }
                }
            }
        });
        ui.horizontal(|ui| {
            ui.add_space(8.0);
            let verb = if e.writes { "writes" } else { "reads" };
            if ui
                .selectable_label(false, verb)
                .on_hover_text("Reads or writes: click to switch")
                .clicked()
            {
                let all = next.get_or_insert_with(|| block.endpoints.clone());
                all[i].writes = !e.writes;
            }
            let shown = if e.entity.is_empty() {
                "no entity"
            } else {
                e.entity.as_str()
            };
            egui::ComboBox::from_id_salt(("entity", block.id, i))
                .width(120.0)
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for name in std::iter::once("").chain(entities.iter().copied()) {
                        let text = if name.is_empty() { "no entity" } else { name };
                        if ui.selectable_label(e.entity == name, text).clicked() {
                            let all = next.get_or_insert_with(|| block.endpoints.clone());
                            all[i].entity = name.chars().take(api::MAX_PART_CHARS).collect();
                        }
                    }
                });
        });
    }
    let room = block.endpoints.len() < api::MAX_ENDPOINTS;
    if ui
        .add_enabled(room, egui::Button::new("+ Add endpoint"))
        .clicked()
    {
        let all = next.get_or_insert_with(|| block.endpoints.clone());
        all.push(Endpoint::new("GET", "/v1/"));
    }
    if let Some(endpoints) = next {
        let mut b = block.clone();
        b.endpoints = endpoints;
        out.push(resized(block, b));
    }
}

/// The edit that gives `block` the items of `next`, sized to its rows.
fn resized(block: &Block, next: Block) -> SidebarAction {
    let h = next.body_height();
    update(block, |b| {
        b.reqs = next.reqs;
        b.endpoints = next.endpoints;
        b.rect.h = h;
    })
}
