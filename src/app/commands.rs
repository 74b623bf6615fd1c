//! The one place commands run: the queue is drained once per frame, each command checked
//! against what it needs, and carried out by the part of the app that owns it. The menu bar is
//! here too, since it is the table turned into widgets.

use super::interview::TimerStep;
use super::lifecycle::After;
use super::sidebar::{PracticeAction, Tab};
use super::{ArchboardApp, ThemeChoice, examples};
use crate::canvas::Tool;
use crate::command::{Availability, Command, Menu};
use crate::export::{Background, ExportOptions};

/// What a replay lets through: looking around, saving the live board, leaving.
fn allowed_in_replay(cmd: Command) -> bool {
    use crate::command::Scope;
    matches!(
        cmd,
        Command::Replay
            | Command::Save
            | Command::SaveAs
            | Command::Quit
            | Command::ToolSelect
            | Command::ToolHand
            | Command::ZoomIn
            | Command::ZoomOut
            | Command::ZoomReset
            | Command::FitBoard
            | Command::FitSelection
    ) || cmd.spec().scope == Scope::View
}

impl ArchboardApp {
    /// What commands can act on right now.
    pub fn availability(&self) -> Availability {
        let doc = &self.board.doc;
        Availability {
            selected_blocks: !self.canvas.selection.blocks.is_empty(),
            selected_links: !self.canvas.selection.links.is_empty(),
            board_has_content: !doc.board().blocks.is_empty(),
            can_undo: doc.can_undo() || self.canvas.editing.is_some(),
            can_redo: doc.can_redo(),
            in_room: self.session().is_some(),
            practice: doc.board().practice.is_some(),
        }
    }

    /// Runs every command queued this frame, in order.
    pub(super) fn run_queued(&mut self, ctx: &egui::Context) {
        for cmd in self.commands.take() {
            self.run(cmd, ctx);
        }
    }

    /// Runs one command; one that cannot act now says why instead.
    pub fn run(&mut self, cmd: Command, ctx: &egui::Context) {
        if !cmd.enabled(&self.availability()) {
            self.status.info(cmd.spec().needs.hint());
            return;
        }
        if self.replay.is_some() && !allowed_in_replay(cmd) {
            self.status
                .info("Replay is read-only: leave it (Ctrl+Shift+R) to change the board");
            return;
        }
        let doc = &mut self.board.doc;
        let canvas = &mut self.canvas;
        match cmd {
            Command::Replay => self.toggle_replay(),
            Command::PracticeHint | Command::PracticeFinish => {
                // The answer shows in the Problem tab, so bring it forward.
                self.panels.sidebar.tab = Tab::Problem;
                self.settings.sidebar = true;
                self.practice_action(if cmd == Command::PracticeHint {
                    PracticeAction::Hint
                } else {
                    PracticeAction::Finish
                });
            }
            Command::New => self.with_files(ctx, |f, sh| f.request(After::New, sh)),
            Command::NewFromProblem => self.practice.open_dialog(),
            Command::StudyMode => {
                self.settings.study_mode = !self.settings.study_mode;
                self.status.info(if self.settings.study_mode {
                    "Study mode: the rubric and the answers show as you work"
                } else {
                    "Interview mode: the rubric shows after Finish"
                });
            }
            Command::Open => self.with_files(ctx, |f, sh| f.request(After::Open(None), sh)),
            Command::ImportDiagram => self.with_files(ctx, |f, sh| {
                f.request(
                    After::Import {
                        path: None,
                        page: 0,
                    },
                    sh,
                )
            }),
            Command::CopyMermaid => self.copy_mermaid(ctx),
            Command::TidyUp => self.tidy_up(),
            Command::Save => self.with_files(ctx, |f, sh| f.save(sh)),
            Command::SaveAs => {
                let start = self.board.path.clone();
                self.files.ask_save_as(start.as_deref());
            }
            Command::ExportPng => self.open_export_dialog(),
            Command::ExportReport => self.ask_report(),
            Command::CopyPng => self.copy_png(self.picture_options(ctx), ctx),
            Command::Quit => self.quit(ctx),
            Command::Share => {
                if !self.room.reopen_share_links() {
                    let profile = self.profile();
                    self.room.open_share_dialog(profile);
                }
            }
            Command::Join => {
                let profile = self.profile();
                self.room.open_join_dialog(profile);
            }
            Command::Leave => self.leave_room(),
            Command::Undo => {
                canvas.commit_label(doc);
                if !doc.undo() {
                    self.status.info("Nothing to undo");
                }
            }
            Command::Redo => {
                doc.redo();
            }
            Command::Cut => self.cut(ctx),
            Command::Copy => self.copy(ctx),
            // The window answers with a paste event carrying the clipboard text.
            Command::Paste => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            Command::Duplicate => canvas.duplicate(doc),
            Command::Delete => canvas.delete_selection(doc),
            Command::SelectAll => canvas.select_all(doc.board()),
            Command::EditLabel => canvas.edit_selected_label(doc.board()),
            Command::Group => canvas.group(doc),
            Command::Ungroup => canvas.change_blocks(doc, |b| b.group = None),
            Command::BringForward => canvas.change_blocks(doc, |b| b.z = b.z.saturating_add(1)),
            Command::SendBackward => canvas.change_blocks(doc, |b| b.z = b.z.saturating_sub(1)),
            Command::ToggleLock => canvas.toggle_lock(doc),
            Command::LinkReverse => canvas.change_links(doc, |l| l.reverse()),
            Command::LinkToggleStyle => canvas.change_links(doc, |l| l.style = l.style.toggled()),
            Command::LinkToggleRoute => canvas.change_links(doc, |l| l.route = l.route.toggled()),
            Command::LinkCycleArrows => {
                canvas.change_links(doc, |l| l.direction = l.direction.next())
            }
            Command::DefaultElbow => canvas.toggle_default_route(),
            Command::ToolSelect => canvas.set_tool(Tool::Select),
            Command::ToolHand => canvas.set_tool(Tool::Hand),
            Command::ToolConnect => canvas.set_tool(Tool::Connect),
            Command::ToolText => canvas.set_tool(Tool::Text),
            Command::ToolFrame => canvas.set_tool(Tool::Frame),
            Command::ToolLaser => canvas.set_tool(Tool::Laser),
            Command::ToolPen => canvas.set_tool(Tool::Pen),
            Command::ToolEraser => canvas.set_tool(Tool::Eraser),
            Command::QuickAdd => canvas.open_quick_add(),
            Command::ZoomIn => canvas.zoom_step(1),
            Command::ZoomOut => canvas.zoom_step(-1),
            Command::ZoomReset => canvas.zoom_to(1.0),
            Command::FitBoard => canvas.fit_board(doc.board()),
            Command::FitSelection => canvas.fit_selection(doc.board()),
            Command::ToggleSnap => {
                let s = &mut self.settings;
                s.snap_to_grid = !s.snap_to_grid;
                let state = if s.snap_to_grid { "on" } else { "off" };
                self.status.info(format!("Snap to grid {state}"));
            }
            Command::Shortcuts => canvas.show_shortcuts = !canvas.show_shortcuts,
            Command::ToggleSidebar => self.settings.sidebar = !self.settings.sidebar,
            Command::LensOverlay => self.panels.lens_overlay = !self.panels.lens_overlay,
            Command::ToggleBadges => self.settings.badges = !self.settings.badges,
            Command::Estimator => {
                self.settings.sidebar = true;
                canvas.clear_selection();
            }
            Command::TimerStartPause => self.run_timer(TimerStep::StartPause),
            Command::TimerNext => self.run_timer(TimerStep::Next),
            Command::TimerPrevious => self.run_timer(TimerStep::Previous),
            Command::TimerReset => self.run_timer(TimerStep::Reset),
            Command::ReviewOverlay => {
                self.design.overlay = !self.design.overlay;
                self.status.info(if self.design.overlay {
                    "Review overlay on: load against capacity on every block and link (F7 hides it)"
                } else {
                    "Review overlay off"
                });
            }
            Command::DrillToggle => {
                let ids: Vec<_> = canvas.selection.blocks.iter().copied().collect();
                self.toggle_failed(&ids);
            }
            Command::DrillClear => {
                self.design.failed.clear();
                self.status.info("Drill cleared: every block is back");
            }
        }
    }

    fn open_export_dialog(&mut self) {
        self.canvas.commit_label(&mut self.board.doc);
        self.panels.export = Some(super::export_dialog::ExportDialog::new(
            self.board.path.as_deref(),
            self.settings.last_export_folder.as_deref(),
            !self.canvas.selection.blocks.is_empty(),
        ));
    }

    /// Copy as PNG: the selection (or the board) on the window's own background.
    fn picture_options(&self, ctx: &egui::Context) -> ExportOptions {
        let blocks = &self.canvas.selection.blocks;
        ExportOptions {
            background: if ctx.theme() == egui::Theme::Dark {
                Background::Dark
            } else {
                Background::Light
            },
            selection: (!blocks.is_empty()).then(|| blocks.clone()),
            ..Default::default()
        }
    }

    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let availability = self.availability();
        egui::MenuBar::new().ui(ui, |ui| {
            for (menu, title) in Menu::ALL {
                ui.menu_button(title, |ui| {
                    if menu == Menu::File {
                        self.examples_menu(ui, ctx);
                    }
                    for &cmd in Command::ALL.iter().filter(|c| c.menu() == menu) {
                        let text = match cmd {
                            Command::ToggleSnap => check_label(self.settings.snap_to_grid, cmd),
                            Command::ToggleBadges => check_label(self.settings.badges, cmd),
                            Command::DefaultElbow => check_label(
                                self.canvas.default_route == crate::model::Route::Elbow,
                                cmd,
                            ),
                            _ => cmd.label().to_owned(),
                        };
                        let button = egui::Button::new(text).shortcut_text(cmd.shortcut_text(ctx));
                        if ui.add_enabled(cmd.enabled(&availability), button).clicked() {
                            self.commands.push(cmd);
                        }
                    }
                    if menu == Menu::View {
                        self.theme_menu(ui, ctx);
                    }
                });
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let text = if self.session().is_some() {
                    "Sharing"
                } else {
                    "Share…"
                };
                if ui
                    .button(text)
                    .on_hover_text("Share this board live, or show the links to hand out")
                    .clicked()
                {
                    self.commands.push(Command::Share);
                }
            });
        });
    }

    fn examples_menu(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        ui.menu_button("Open example", |ui| {
            for (name, text) in examples::EXAMPLES {
                if ui.button(*name).clicked() {
                    self.open_example(name, text, ctx);
                }
            }
        });
    }

    /// Opens a bundled example as an untitled board (asking to save the current one first).
    pub(super) fn open_example(&mut self, name: &str, text: &str, ctx: &egui::Context) {
        match crate::persistence::parse_board(text, std::path::Path::new(name)) {
            Ok(board) => {
                let after = After::Untitled {
                    board: Box::new(board),
                    message: format!(
                        "Opened the {name} example (untitled: Save As keeps your copy)"
                    ),
                };
                self.with_files(ctx, |f, sh| f.request(after, sh));
            }
            Err(e) => self.status.error(e.to_string()),
        }
    }

    fn theme_menu(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        ui.separator();
        ui.label("Theme");
        for (choice, text) in [
            (ThemeChoice::System, "Follow system"),
            (ThemeChoice::Light, "Light"),
            (ThemeChoice::Dark, "Dark"),
        ] {
            if ui.radio(self.settings.theme == choice, text).clicked() {
                self.settings.theme = choice;
                ctx.set_theme(choice.preference());
            }
        }
    }
}

/// Menu text with a check mark for a toggle that is on.
fn check_label(on: bool, cmd: Command) -> String {
    format!("{} {}", if on { "✔" } else { "   " }, cmd.label())
}
