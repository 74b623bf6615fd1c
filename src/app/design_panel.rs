//! The design review in the sidebar: a block's sizing, a link's share of traffic, the
//! estimator, the list of findings and the failure drill's verdict.

use super::sidebar::{Num, NumField, Sidebar, SidebarAction, SidebarContext};
use crate::model::{Block, BlockId, Board, EstimateInputs, Link, Props};
use crate::palette::{Kind, Role};
use crate::review::{self, Drill, FindingKind, Survival, Target, Unit, human};

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn stepper(ui: &mut egui::Ui, text: &str, name: &str) -> bool {
    let r = ui.small_button(text);
    let r = r.on_hover_text(name);
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    r.clicked()
}

/// Instances, capacity, replication and partition key of one block, with its load and findings.
pub fn sizing(
    sb: &mut Sidebar,
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
    let instances = props.instances.unwrap_or(kind.instances);
    let capacity = props.capacity.unwrap_or(kind.capacity);
    let replication = props.replication.unwrap_or(kind.replication);
    egui::CollapsingHeader::new("Sizing")
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("sizing").num_columns(2).show(ui, |ui| {
                let label = ui.label("Instances").id;
                ui.horizontal(|ui| {
                    let spec = Num::whole(1.0..=f64::from(crate::persistence::MAX_INSTANCES), "");
                    if let Some(v) = sb.number(
                        ui,
                        NumField::Instances(block.id),
                        f64::from(instances),
                        spec,
                        label,
                    ) {
                        props.instances = Some(v.round() as u32);
                    }
                    if stepper(ui, "−", "One instance fewer") && instances > 1 {
                        props.instances = Some(instances - 1);
                    }
                    if stepper(ui, "+", "One more instance") {
                        props.instances = Some(instances + 1);
                    }
                });
                ui.end_row();
                let label = ui.label("Capacity each").id;
                let spec = Num {
                    speed: capacity.max(100.0) / 100.0,
                    ..Num::whole(0.0..=1e12, " req/s")
                };
                if let Some(v) = sb.number(ui, NumField::Capacity(block.id), capacity, spec, label)
                {
                    props.capacity = Some(v.round());
                }
                ui.end_row();
                if kind.role == Role::Store {
                    let label = ui.label("Copies of data").id;
                    ui.horizontal(|ui| {
                        if let Some(v) = sb.number(
                            ui,
                            NumField::Replication(block.id),
                            f64::from(replication),
                            Num::whole(1.0..=100.0, ""),
                            label,
                        ) {
                            props.replication = Some(v.round() as u32);
                        }
                        if stepper(ui, "−", "One copy fewer") && replication > 1 {
                            props.replication = Some(replication - 1);
                        }
                        if stepper(ui, "+", "One more copy") {
                            props.replication = Some(replication + 1);
                        }
                    });
                    ui.end_row();
                    ui.label("Partition key");
                    if let Some(key) = sb.partition_key(ui, block) {
                        props.partition_key = key;
                    }
                    ui.end_row();
                }
            });
            if !block.props.is_default() && ui.small_button("Use the palette's defaults").clicked()
            {
                props = Props::default();
            }
            if let Some(review) = cx.review {
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
                    finding_line(ui, cx, f, false, out);
                }
            }
            let failed = cx.failed.contains(&block.id);
            let text = if failed {
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
        out.push(SidebarAction::Edit(crate::model::Edit::UpdateBlocks(vec![
            b,
        ])));
    }
}

/// The percentage of its source's traffic a link carries.
pub fn link_share(
    sb: &mut Sidebar,
    ui: &mut egui::Ui,
    cx: &SidebarContext<'_>,
    link: &Link,
    l: &mut Link,
) {
    ui.separator();
    ui.strong("Traffic");
    let mut named = link.share.is_some();
    ui.horizontal(|ui| {
        let check = ui.checkbox(&mut named, "Share of the source's traffic");
        let label = check.id;
        if check
            .on_hover_text(
                "Unset: the source splits its traffic evenly over its links. Set it for a cache's \
                 misses (e.g. 20 %), a fan-out to one shard, or a sampled stream.",
            )
            .changed()
        {
            l.share = named.then_some(100.0);
        }
        if named
            && let Some(v) = sb.number(
                ui,
                NumField::Share(link.id),
                f64::from(link.share.unwrap_or(100.0)),
                Num {
                    range: 0.0..=100.0,
                    speed: 0.5,
                    suffix: " %",
                    whole: false,
                },
                label,
            )
        {
            l.share = Some(v as f32);
        }
    });
    if let Some(rps) = cx.review.and_then(|r| r.link_rps.get(&link.id)) {
        ui.label(format!("Carries {} at peak", human(*rps, Unit::PerSecond)));
    }
}

/// The estimator's inputs and outputs; each output shows its formula on hover.
pub fn estimator(sb: &mut Sidebar, ui: &mut egui::Ui, board: &Board, out: &mut Vec<SidebarAction>) {
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
                        if let Some(v) = sb.number(ui, NumField::Estimate(i), value, spec, label) {
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
        out.push(SidebarAction::Edit(crate::model::Edit::SetEstimate(next)));
    }
}

/// The review's findings, risks first; each one selects and centres what it is about.
pub fn findings(ui: &mut egui::Ui, cx: &SidebarContext<'_>, out: &mut Vec<SidebarAction>) {
    let Some(review) = cx.review else {
        return;
    };
    let (risks, gaps) = review.counts();
    egui::CollapsingHeader::new(format!(
        "Review: {}, {}",
        count(risks, "risk", "risks"),
        count(gaps, "gap", "gaps")
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

fn finding_line(
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
        let lost = match drill.lost.len() {
            1 => "1 path lost".to_owned(),
            n => format!("{n} paths lost"),
        };
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
        ui.weak(format!("{} other paths are not affected.", drill.untouched));
    }
    if ui.button("Clear all failures").clicked() {
        out.push(SidebarAction::ClearDrill);
    }
}
