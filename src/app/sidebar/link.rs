//! A selected link in the sidebar: label, style, arrowheads, route, and its share of traffic.

use super::context::{SidebarAction, SidebarContext, display_label};
use super::fields::{Field, Fields, Num, NumField};
use crate::model::{BlockId, Direction, Edit, Link, LinkStyle, Route};
use crate::review::{Unit, human};

pub fn show(
    fields: &mut Fields,
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
    if let Some(label) = fields.draft_field(
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
        l.reverse();
        l.cardinality = l.cardinality.map(|(a, b)| (b, a));
    }
    let entity = |id: BlockId| {
        cx.board
            .block(id)
            .is_some_and(|b| b.kind == crate::model::ENTITY_KIND)
    };
    if entity(link.from.block) && entity(link.to.block) {
        relationship(ui, &name(link.from.block), &name(link.to.block), &mut l);
        return finish(link, l, out);
    }
    share(fields, ui, cx, link, &mut l);
    finish(link, l, out);
}

fn finish(link: &Link, l: Link, out: &mut Vec<SidebarAction>) {
    if l != *link {
        out.push(SidebarAction::Edit(Edit::UpdateLink(l)));
    }
}

/// Between two entities: how many of each take part, drawn as crow's feet.
fn relationship(ui: &mut egui::Ui, from: &str, to: &str, l: &mut Link) {
    use crate::model::Card;
    ui.separator();
    ui.strong("Relationship");
    let words = |c: Option<Card>| match c {
        None => "not said",
        Some(Card::ExactlyOne) => "exactly one",
        Some(Card::ZeroOrOne) => "zero or one",
        Some(Card::OneOrMany) => "one or many",
        Some(Card::ZeroOrMany) => "zero or many",
    };
    let (mut a, mut b) = match l.cardinality {
        Some((a, b)) => (Some(a), Some(b)),
        None => (None, None),
    };
    for (end, name, card) in [("from", from, &mut a), ("to", to, &mut b)] {
        ui.horizontal(|ui| {
            ui.label(format!("{name}:"));
            egui::ComboBox::from_id_salt(("cardinality", end, l.id))
                .selected_text(words(*card))
                .show_ui(ui, |ui| {
                    for c in Card::ALL {
                        ui.selectable_value(card, Some(c), words(Some(c)));
                    }
                });
        });
    }
    l.cardinality = match (a, b) {
        (Some(a), Some(b)) => Some((a, b)),
        (Some(a), None) => Some((a, Card::ZeroOrMany)),
        (None, Some(b)) => Some((Card::ExactlyOne, b)),
        (None, None) => None,
    };
    if l.cardinality.is_some() {
        l.direction = Direction::None;
    }
}

/// The percentage of its source's traffic a link carries.
fn share(
    fields: &mut Fields,
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
            && let Some(v) = fields.number(
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
