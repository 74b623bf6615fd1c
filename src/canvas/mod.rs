//! The infinite canvas: camera, painting and pointer interaction.

pub mod camera;
pub mod paint;

pub use camera::{Camera, View};

use crate::model::Document;
use crate::theme::Palette;

/// Per-session canvas state: never saved in the board.
#[derive(Default)]
pub struct CanvasState {
    pub camera: Camera,
    /// The screen rectangle of the canvas in the last frame.
    pub last_view: Option<View>,
}

impl CanvasState {
    /// Shows the canvas filling `ui` and handles panning and zooming.
    pub fn show(&mut self, ui: &mut egui::Ui, doc: &mut Document, colors: &Palette) {
        let (response, painter) =
            ui.allocate_painter(ui.available_size(), egui::Sense::click_and_drag());
        let screen = response.rect;
        if response.dragged_by(egui::PointerButton::Middle)
            || response.dragged_by(egui::PointerButton::Primary)
        {
            self.camera.pan_by_screen(response.drag_delta());
        }
        if response.hovered() {
            let (scroll, zoom, pointer) =
                ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
            if zoom != 1.0 {
                if let Some(p) = pointer {
                    self.camera.zoom_around(screen, p, zoom);
                }
            } else if scroll != egui::Vec2::ZERO {
                self.camera.pan_by_screen(scroll);
            }
        }
        let view = View::new(self.camera, screen);
        self.last_view = Some(view);
        paint::paint_board(&painter, doc.board(), &view, colors);
    }
}
