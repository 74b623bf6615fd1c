//! File → Export…: the format, what, scale, background, padding, a live preview, then Export
//! or Copy. The format is the file's extension, as on the command line.

use crate::export::{Background, ExportOptions};
use crate::lens::LensLibrary;
use crate::model::{BlockId, Board};
use crate::palette::Palette;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub enum ExportOutcome {
    Pending,
    Cancel,
    /// Write the file (its extension says the format).
    Export(PathBuf, ExportOptions),
    /// Put the picture on the clipboard.
    Copy(ExportOptions),
}

pub struct ExportDialog {
    pub selection_only: bool,
    pub scale: f32,
    pub background: Background,
    pub padding: f32,
    pub path: String,
    preview: Option<(ExportOptions, egui::TextureHandle, [usize; 2])>,
    error: Option<String>,
    /// The system save dialog, running on its own thread.
    browse: Option<std::sync::mpsc::Receiver<Option<PathBuf>>>,
}

/// The formats the dialog offers, by extension.
const FORMATS: &[(&str, &str)] = &[
    ("png", "PNG"),
    ("svg", "SVG"),
    ("excalidraw", "Excalidraw"),
    ("drawio", "draw.io"),
    ("mmd", "Mermaid"),
];

impl ExportDialog {
    /// The extension the path now has (one of [`FORMATS`]), or png.
    fn format(&self) -> &'static str {
        let ext = Path::new(self.path.trim())
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        FORMATS
            .iter()
            .find(|(e, _)| *e == ext)
            .map_or("png", |(e, _)| e)
    }

    /// A dialog suggesting `NAME.png` next to the board (or in the last export folder).
    pub fn new(board_path: Option<&Path>, last_folder: Option<&Path>, has_selection: bool) -> Self {
        let stem = board_path
            .and_then(|p| p.file_stem())
            .map_or("board".into(), |s| s.to_string_lossy().into_owned());
        let folder = last_folder
            .or_else(|| board_path.and_then(Path::parent))
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Self {
            selection_only: has_selection,
            scale: 2.0,
            background: Background::Light,
            padding: 32.0,
            path: folder.join(format!("{stem}.png")).display().to_string(),
            preview: None,
            error: None,
            browse: None,
        }
    }

    pub fn options(&self, selection: &BTreeSet<BlockId>) -> ExportOptions {
        ExportOptions {
            scale: self.scale,
            background: self.background,
            padding: self.padding,
            selection: (self.selection_only && !selection.is_empty()).then(|| selection.clone()),
        }
    }

    pub fn show(
        &mut self,
        ctx: &egui::Context,
        board: &Board,
        selection: &BTreeSet<BlockId>,
        palette: &Palette,
        lenses: &LensLibrary,
    ) -> ExportOutcome {
        let mut outcome = ExportOutcome::Pending;
        if let Some(picked) = self.browse.as_ref().and_then(|rx| rx.try_recv().ok()) {
            self.browse = None;
            match picked {
                Some(p) => self.path = p.display().to_string(),
                None => self.error = Some(
                    "No file chosen (cancelled, or no system dialog is available): type the path."
                        .into(),
                ),
            }
        }
        let opts = self.options(selection);
        self.refresh_preview(ctx, board, &opts, palette, lenses);
        let modal = egui::Modal::new(egui::Id::unique("archboard-export")).show(ctx, |ui| {
            ui.set_width(440.0);
            ui.heading("Export the board");
            ui.horizontal(|ui| {
                ui.label("Format");
                let current = self.format();
                for (ext, name) in FORMATS {
                    if ui.radio(current == *ext, *name).clicked() && current != *ext {
                        let mut p = PathBuf::from(self.path.trim());
                        p.set_extension(ext);
                        self.path = p.display().to_string();
                    }
                }
            });
            if !matches!(self.format(), "png" | "svg") {
                ui.weak("Blocks, links, labels, kinds and frames; scale and background are for pictures.");
            }
            ui.horizontal(|ui| {
                ui.label("What");
                ui.radio_value(&mut self.selection_only, false, "Whole board");
                ui.add_enabled_ui(!selection.is_empty(), |ui| {
                    ui.radio_value(
                        &mut self.selection_only,
                        true,
                        format!("Selection ({})", selection.len()),
                    );
                });
            });
            ui.horizontal(|ui| {
                ui.label("Scale");
                for s in [1.0, 2.0, 3.0] {
                    ui.radio_value(&mut self.scale, s, format!("{s:.0}×"));
                }
            });
            ui.horizontal(|ui| {
                ui.label("Background");
                ui.radio_value(&mut self.background, Background::Light, "light");
                ui.radio_value(&mut self.background, Background::Dark, "dark");
                ui.radio_value(&mut self.background, Background::Transparent, "transparent");
            });
            ui.horizontal(|ui| {
                ui.label("Padding");
                ui.add(
                    egui::DragValue::new(&mut self.padding)
                        .range(0.0..=400.0)
                        .suffix(" px"),
                );
            });
            if let Some((_, tex, size)) = &self.preview {
                let max = egui::vec2(420.0, 220.0);
                let s = egui::vec2(size[0] as f32, size[1] as f32);
                let k = (max.x / s.x).min(max.y / s.y).min(1.0);
                ui.add(egui::Image::new((tex.id(), s * k)));
            }
            ui.label("Save to:");
            ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(f32::INFINITY));
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.horizontal(|ui| {
                if ui.button("Export").clicked() {
                    let mut p = PathBuf::from(self.path.trim());
                    if p.as_os_str().is_empty() {
                        self.error = Some("Type a file name first.".into());
                    } else {
                        if p.extension().is_none() {
                            p.set_extension("png");
                        }
                        outcome = ExportOutcome::Export(p, self.options(selection));
                    }
                }
                if ui
                    .button("Copy")
                    .on_hover_text("Copy the picture to the clipboard")
                    .clicked()
                {
                    outcome = ExportOutcome::Copy(self.options(selection));
                }
                if ui.button("Cancel").clicked() {
                    outcome = ExportOutcome::Cancel;
                }
                if ui
                    .add_enabled(self.browse.is_none(), egui::Button::new("Browse…"))
                    .clicked()
                {
                    self.start_browse(ctx.clone());
                }
            });
        });
        if modal.should_close() && matches!(outcome, ExportOutcome::Pending) {
            outcome = ExportOutcome::Cancel;
        }
        outcome
    }

    /// A browser tab has no save dialog: Export downloads the file under the name given.
    #[cfg(target_arch = "wasm32")]
    fn start_browse(&mut self, _ctx: egui::Context) {}

    #[cfg(not(target_arch = "wasm32"))]
    fn start_browse(&mut self, ctx: egui::Context) {
        let (tx, rx) = std::sync::mpsc::channel();
        let start = PathBuf::from(self.path.trim());
        let dir = start.parent().filter(|d| d.is_dir()).map(Path::to_path_buf);
        let name = start.file_name().map(|n| n.to_string_lossy().into_owned());
        let spawned = std::thread::Builder::new()
            .name("archboard-browse".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new().add_filter("PNG image", &["png"]);
                if let Some(dir) = dir {
                    dialog = dialog.set_directory(dir);
                }
                if let Some(name) = name {
                    dialog = dialog.set_file_name(name);
                }
                let _ = tx.send(dialog.save_file());
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.browse = Some(rx);
        }
    }

    /// Renders a small preview when the options change. Far-out drawing uses plain tiles, so this
    /// stays cheap even for large boards.
    fn refresh_preview(
        &mut self,
        ctx: &egui::Context,
        board: &Board,
        opts: &ExportOptions,
        palette: &Palette,
        lenses: &LensLibrary,
    ) {
        if self.preview.as_ref().is_some_and(|(o, _, _)| o == opts) {
            return;
        }
        let Some(bounds) = crate::export::subject(board, opts).bounds() else {
            self.preview = None;
            return;
        };
        let world = bounds.expanded(opts.padding);
        let small = ExportOptions {
            scale: (420.0 / world.w).min(220.0 / world.h).min(opts.scale),
            ..opts.clone()
        };
        match crate::export::render(board, &small, palette, Some(lenses)) {
            Ok(pic) => {
                let image =
                    egui::ColorImage::from_rgba_unmultiplied([pic.width, pic.height], &pic.rgba);
                let tex = ctx.load_texture(
                    "archboard-export-preview",
                    image,
                    egui::TextureOptions::LINEAR,
                );
                self.preview = Some((opts.clone(), tex, [pic.width, pic.height]));
                self.error = None;
            }
            Err(e) => {
                self.preview = None;
                self.error = Some(e.to_string());
            }
        }
    }
}
