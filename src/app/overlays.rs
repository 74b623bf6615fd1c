//! Floating helpers over the canvas: the quick-add popup and the shortcuts overlay.

use crate::canvas::QuickAdd;
use crate::command::{Command, Menu};
use crate::palette::Palette;

/// What the quick-add popup decided this frame.
pub enum QuickAddOutcome {
    Open,
    Close,
    Place(String),
}

/// Shows the quick-add popup at `screen_pos`: a search field and the best matches.
pub fn quick_add(
    ctx: &egui::Context,
    qa: &mut QuickAdd,
    screen_pos: egui::Pos2,
    palette: &Palette,
) -> QuickAddOutcome {
    let hits = palette.search(&qa.query);
    let mut outcome = QuickAddOutcome::Open;
    let (up, down, enter, esc) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::ArrowUp),
            i.key_pressed(egui::Key::ArrowDown),
            i.key_pressed(egui::Key::Enter),
            i.key_pressed(egui::Key::Escape),
        )
    });
    if down {
        qa.highlighted = (qa.highlighted + 1).min(hits.len().saturating_sub(1));
    }
    if up {
        qa.highlighted = qa.highlighted.saturating_sub(1);
    }
    egui::Area::new(egui::Id::unique("archboard-quick-add"))
        .fixed_pos(screen_pos)
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(260.0);
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut qa.query)
                        .hint_text("Add component: type a name"),
                );
                if !qa.is_focused() {
                    edit.request_focus();
                    qa.mark_focused();
                }
                if edit.changed() {
                    qa.highlighted = 0;
                }
                for (i, kind) in hits.iter().take(8).enumerate() {
                    let text = match kind.key {
                        Some(k) => format!("{}  ({k})", kind.name),
                        None => kind.name.clone(),
                    };
                    if ui.selectable_label(i == qa.highlighted, text).clicked() {
                        outcome = QuickAddOutcome::Place(kind.id.clone());
                    }
                }
                if hits.is_empty() {
                    ui.weak("No component matches");
                }
            });
        });
    if esc {
        outcome = QuickAddOutcome::Close;
    } else if enter && let Some(kind) = hits.get(qa.highlighted) {
        outcome = QuickAddOutcome::Place(kind.id.clone());
    }
    outcome
}

/// The shortcuts overlay, generated from the command table and the palette's keys.
pub fn shortcuts(ctx: &egui::Context, palette: &Palette, open: &mut bool) {
    // The three columns side by side where they fit; a smaller window wraps them and scrolls
    // rather than pushing the table off the screen.
    let screen = ctx.content_rect().size();
    let size = egui::vec2((screen.x - 48.0).min(1000.0), (screen.y - 96.0).min(640.0));
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .fixed_size(size)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| shortcut_table(ui, palette));
        });
}

fn shortcut_table(ui: &mut egui::Ui, palette: &Palette) {
    let ctx = ui.ctx().clone();
    // Side by side when the window is wide enough; the kinds and pointer column below otherwise.
    let wide = ui.available_width() >= 960.0;
    ui.horizontal_top(|ui| {
        for column in [
            &[Menu::File, Menu::Edit][..],
            &[Menu::Arrange, Menu::Tools, Menu::View][..],
        ] {
            ui.vertical(|ui| {
                for &menu in column {
                    let title = Menu::ALL
                        .iter()
                        .find(|(m, _)| *m == menu)
                        .map_or("", |(_, t)| *t);
                    ui.strong(title);
                    egui::Grid::new(("shortcuts", title))
                        .num_columns(2)
                        .spacing([16.0, 2.0])
                        .show(ui, |ui| {
                            for cmd in Command::ALL.iter().filter(|c| c.menu() == menu) {
                                let keys: Vec<String> = cmd
                                    .shortcuts()
                                    .iter()
                                    .map(|s| ctx.format_shortcut(s))
                                    .collect();
                                ui.label(cmd.label());
                                ui.monospace(keys.join(", "));
                                ui.end_row();
                            }
                        });
                    ui.add_space(6.0);
                }
            });
            ui.add_space(12.0);
        }
        if wide {
            ui.vertical(|ui| place_and_pointer(ui, palette));
        }
    });
    if !wide {
        ui.add_space(6.0);
        place_and_pointer(ui, palette);
    }
}

fn place_and_pointer(ui: &mut egui::Ui, palette: &Palette) {
    ui.strong("Place at the pointer");
    egui::Grid::new("shortcuts-place")
        .num_columns(2)
        .spacing([16.0, 2.0])
        .show(ui, |ui| {
            for kind in palette.kinds().iter().filter(|k| k.key.is_some()) {
                ui.label(&kind.name);
                ui.monospace(kind.key.map(String::from).unwrap_or_default());
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.strong("Pointer");
    for line in [
        "Drag empty canvas: select with a marquee",
        "Shift+click: add to / remove from selection",
        "Alt while dragging: no grid snap",
        "Shift while resizing: keep aspect ratio",
        "Middle drag, Space+drag, scroll: pan",
        "Ctrl+scroll, pinch: zoom at the pointer",
        "Double-click a block: edit its label",
        "Double-click empty canvas: text note",
        "Arrows: nudge (Shift: 10×)",
    ] {
        ui.label(line);
    }
}
