//! The component palette on the left: search, categories, click to place, drag onto the canvas.

use crate::canvas::KindPayload;
use crate::palette::{Kind, Palette};

#[derive(Default)]
pub struct PalettePanel {
    pub query: String,
}

impl PalettePanel {
    /// Shows the panel; returns the kind id the user clicked (to place at the view centre).
    pub fn show(&mut self, ui: &mut egui::Ui, palette: &Palette) -> Option<String> {
        let mut clicked = None;
        ui.add_space(4.0);
        ui.add(
            egui::TextEdit::singleline(&mut self.query)
                .hint_text("Search components")
                .desired_width(f32::INFINITY),
        );
        ui.add_space(4.0);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let hits = palette.search(&self.query);
                for category in palette.categories() {
                    let kinds: Vec<&&Kind> =
                        hits.iter().filter(|k| k.category == category).collect();
                    if kinds.is_empty() {
                        continue;
                    }
                    egui::CollapsingHeader::new(category)
                        .default_open(true)
                        .show(ui, |ui| {
                            for kind in kinds {
                                if let Some(id) = kind_button(ui, kind) {
                                    clicked = Some(id);
                                }
                            }
                        });
                }
            });
        clicked
    }
}

fn kind_button(ui: &mut egui::Ui, kind: &Kind) -> Option<String> {
    let hover = match kind.key {
        Some(k) => format!(
            "{} — press {k} to place at the pointer\nClick: place at the view centre. Drag: place where you drop.",
            kind.name
        ),
        None => format!(
            "{}\nClick: place at the view centre. Drag: place where you drop.",
            kind.name
        ),
    };
    let text = match kind.key {
        Some(k) => format!("{}  ({k})", kind.name),
        None => kind.name.clone(),
    };
    let response = ui
        .add(
            egui::Button::new(text)
                .frame(false)
                .sense(egui::Sense::click_and_drag()),
        )
        .on_hover_text(hover);
    if response.drag_started() {
        egui::DragAndDrop::set_payload(ui.ctx(), KindPayload(kind.id.clone()));
    }
    if response.dragged() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
        if let Some(p) = ui.ctx().pointer_latest_pos() {
            egui::Area::new(egui::Id::unique("palette-drag-ghost"))
                .fixed_pos(p + egui::vec2(12.0, 12.0))
                .order(egui::Order::Tooltip)
                .interactable(false)
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| ui.label(&kind.name));
                });
        }
    }
    response.clicked().then(|| kind.id.clone())
}
