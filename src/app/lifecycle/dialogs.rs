//! Small in-app dialogs: the path dialog for Open / Save As, and the unsaved-changes prompt.
//!
//! The path field always works on its own: without a desktop portal the native dialog (rfd)
//! returns "cancelled" at once and cannot say why, so it is only an optional Browse… helper. It
//! runs on its own thread so the UI never blocks on it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Open,
    SaveAs,
    /// Where to write the interview report (Markdown, with the PNG beside it).
    Report,
    /// Another tool's diagram to import.
    Import,
}

pub struct FileDialog {
    pub purpose: Purpose,
    pub path: String,
    browse: Option<Receiver<Option<PathBuf>>>,
    /// Set while asking whether to replace an existing file.
    confirm_replace: Option<PathBuf>,
    error: Option<String>,
    focused_once: bool,
}

pub enum DialogOutcome {
    Pending,
    Cancel,
    Confirm(PathBuf),
}

impl FileDialog {
    pub fn new(purpose: Purpose, start: Option<&Path>) -> Self {
        Self {
            purpose,
            path: start.map(|p| p.display().to_string()).unwrap_or_default(),
            browse: None,
            confirm_replace: None,
            error: None,
            focused_once: false,
        }
    }

    pub fn title(&self) -> &'static str {
        match self.purpose {
            Purpose::Open => "Open board",
            Purpose::Import => "Import an Excalidraw, draw.io or Mermaid diagram",
            Purpose::SaveAs => "Save board as",
            Purpose::Report => "Export the interview report",
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, recent: &[PathBuf]) -> DialogOutcome {
        if let Some(outcome) = self.poll_browse() {
            return outcome;
        }
        let mut outcome = DialogOutcome::Pending;
        let modal = egui::Modal::new(egui::Id::unique("archboard-file-dialog")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(self.title());
            if let Some(target) = self.confirm_replace.clone() {
                ui.label(format!("{} already exists. Replace it?", target.display()));
                ui.horizontal(|ui| {
                    if ui.button("Replace").clicked() {
                        outcome = DialogOutcome::Confirm(target.clone());
                    }
                    if ui.button("Back").clicked() {
                        self.confirm_replace = None;
                    }
                });
                return;
            }
            ui.label(match self.purpose {
                Purpose::Import => {
                    "Path of the diagram (.excalidraw, .drawio, .xml, .mmd, .md, or their .png/.svg):"
                }
                Purpose::Report => {
                    "Path of the report (.md, its picture beside it; or .html, one page):"
                }
                Purpose::SaveAs if crate::platform::WEB => "Name of the file to download (.ron):",
                Purpose::Open | Purpose::SaveAs => "Path of the board file (.ron):",
            });
            let edit = ui.add(
                egui::TextEdit::singleline(&mut self.path)
                    .hint_text("e.g. saves/url-shortener.ron")
                    .desired_width(f32::INFINITY),
            );
            if !self.focused_once {
                edit.request_focus();
                self.focused_once = true;
            }
            let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if let Some(err) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, err);
            }
            if !recent.is_empty() {
                ui.add_space(4.0);
                ui.label("Recent:");
                for p in recent.iter().take(8) {
                    if ui
                        .selectable_label(false, p.display().to_string())
                        .clicked()
                    {
                        self.path = p.display().to_string();
                        if self.purpose == Purpose::Open {
                            outcome = self.confirm();
                        }
                    }
                }
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let ok = match self.purpose {
                    Purpose::Open => "Open",
                    Purpose::Import => "Import",
                    Purpose::SaveAs if crate::platform::WEB => "Download",
                    Purpose::SaveAs => "Save",
                    Purpose::Report if crate::platform::WEB => "Download",
                    Purpose::Report => "Export",
                };
                if ui.button(ok).clicked() || entered {
                    outcome = self.confirm();
                }
                if ui.button("Cancel").clicked() {
                    outcome = DialogOutcome::Cancel;
                }
                let browsing = self.browse.is_some();
                if !crate::platform::WEB
                    && ui
                    .add_enabled(!browsing, egui::Button::new("Browse…"))
                    .on_hover_text("Use the system file dialog")
                    .clicked()
                {
                    self.start_browse(ctx.clone());
                }
                if browsing {
                    ui.spinner();
                }
            });
        });
        if modal.should_close() && matches!(outcome, DialogOutcome::Pending) {
            outcome = DialogOutcome::Cancel;
        }
        outcome
    }

    /// Checks the typed path; returns `Pending` with an explanation when it cannot be used yet.
    fn confirm(&mut self) -> DialogOutcome {
        let typed = self.path.trim();
        if typed.is_empty() {
            self.error = Some("Type a path first.".into());
            return DialogOutcome::Pending;
        }
        let mut path = PathBuf::from(expand_home(typed));
        match self.purpose {
            Purpose::Open | Purpose::Import => {
                if !path.is_file() {
                    self.error = Some(format!("{} is not a file.", path.display()));
                    return DialogOutcome::Pending;
                }
            }
            Purpose::SaveAs | Purpose::Report => {
                if path.extension().is_none() {
                    path.set_extension(if self.purpose == Purpose::Report {
                        "md"
                    } else {
                        "ron"
                    });
                }
                if path.is_dir() {
                    self.error = Some(format!("{} is a folder; add a file name.", path.display()));
                    return DialogOutcome::Pending;
                }
                if path.exists() && self.confirm_replace.is_none() {
                    self.confirm_replace = Some(path);
                    return DialogOutcome::Pending;
                }
            }
        }
        DialogOutcome::Confirm(path)
    }

    #[cfg(target_arch = "wasm32")]
    fn start_browse(&mut self, _ctx: egui::Context) {
        self.error =
            Some("A browser tab has no file dialog: drop a file on the board instead.".into());
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn start_browse(&mut self, ctx: egui::Context) {
        let (tx, rx) = std::sync::mpsc::channel();
        let purpose = self.purpose;
        let start_dir = PathBuf::from(self.path.trim())
            .parent()
            .filter(|p| p.is_dir())
            .map(Path::to_path_buf);
        let spawned = std::thread::Builder::new()
            .name("archboard-browse".into())
            .spawn(move || {
                let mut dialog =
                    rfd::FileDialog::new().add_filter("archboard board", &["ron", "png"]);
                if let Some(dir) = start_dir {
                    dialog = dialog.set_directory(dir);
                }
                let picked = match purpose {
                    Purpose::Open => dialog.pick_file(),
                    Purpose::Import => rfd::FileDialog::new()
                        .add_filter(
                            "Excalidraw, draw.io, Mermaid",
                            &[
                                "excalidraw",
                                "drawio",
                                "dio",
                                "xml",
                                "mmd",
                                "mermaid",
                                "md",
                                "svg",
                                "png",
                                "json",
                            ],
                        )
                        .pick_file(),
                    Purpose::SaveAs => dialog.set_file_name("board.ron").save_file(),
                    Purpose::Report => rfd::FileDialog::new()
                        .add_filter("Markdown", &["md"])
                        .add_filter("HTML page", &["html"])
                        .set_file_name("report.md")
                        .save_file(),
                };
                let _ = tx.send(picked);
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => self.browse = Some(rx),
            Err(e) => self.error = Some(format!("Could not open the system dialog: {e}")),
        }
    }

    fn poll_browse(&mut self) -> Option<DialogOutcome> {
        let picked = self.browse.as_ref()?.try_recv().ok()?;
        self.browse = None;
        match picked {
            Some(path) => {
                self.path = path.display().to_string();
                match self.confirm() {
                    DialogOutcome::Pending => None,
                    done => Some(done),
                }
            }
            None => {
                self.error = Some(
                    "No file chosen (cancelled, or no system file dialog is available). Type the path above."
                        .into(),
                );
                None
            }
        }
    }
}

/// `~/x` → `$HOME/x`, as a shell would.
fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest).display().to_string(),
        _ => path.to_owned(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptChoice {
    Save,
    Discard,
    Cancel,
}

/// Asks what to do with unsaved changes before `action` (e.g. "quitting").
pub fn unsaved_prompt(ctx: &egui::Context, name: &str, action: &str) -> Option<PromptChoice> {
    let mut choice = None;
    let modal = egui::Modal::new(egui::Id::unique("archboard-unsaved")).show(ctx, |ui| {
        ui.set_width(420.0);
        ui.heading("Unsaved changes");
        ui.label(format!("Save the changes to {name} before {action}?"));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                choice = Some(PromptChoice::Save);
            }
            if ui.button("Discard").clicked() {
                choice = Some(PromptChoice::Discard);
            }
            if ui.button("Cancel").clicked() {
                choice = Some(PromptChoice::Cancel);
            }
        });
    });
    if modal.should_close() && choice.is_none() {
        choice = Some(PromptChoice::Cancel);
    }
    choice
}
