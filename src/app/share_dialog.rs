//! File → Share… and File → Join…: who you are in the room, where the room lives, and the links
//! to hand out.

use super::ArchboardApp;
use super::room;
use super::settings::Profile;
use crate::collab::RoomUrl;
use crate::collab::presence::{COLORS, Role, parse_color};

/// Where a shared board lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A relay inside this window.
    Here,
    /// A y-websocket relay elsewhere.
    Server,
}

pub struct ShareDialog {
    pub name: String,
    pub color: String,
    pub role: Role,
    pub place: Place,
    /// Listen on every network interface, not only this computer's.
    pub open_to_network: bool,
    pub server: String,
    pub token: String,
    error: Option<String>,
}

pub struct JoinDialog {
    pub link: String,
    pub name: String,
    pub color: String,
    pub role: Role,
    error: Option<String>,
}

impl ArchboardApp {
    pub(super) fn open_share_dialog(&mut self) {
        let p = self.profile();
        self.share_dialog = Some(ShareDialog {
            name: p.name,
            color: p.color,
            role: Role::Interviewer,
            place: Place::Here,
            open_to_network: false,
            server: String::new(),
            token: String::new(),
            error: None,
        });
    }

    pub(super) fn open_join_dialog(&mut self) {
        let p = self.profile();
        self.join_dialog = Some(JoinDialog {
            link: String::new(),
            name: p.name,
            color: p.color,
            role: Role::Candidate,
            error: None,
        });
    }

    pub(super) fn show_room_dialogs(&mut self, ctx: &egui::Context) {
        self.show_share_dialog(ctx);
        self.show_join_dialog(ctx);
        self.show_share_links(ctx);
    }

    fn show_share_dialog(&mut self, ctx: &egui::Context) {
        let Some(mut d) = self.share_dialog.take() else {
            return;
        };
        let mut start = false;
        let mut cancel = false;
        let modal = egui::Modal::new(egui::Id::unique("archboard-share")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Share this board");
            ui.label("The other person sees and edits it live; this board becomes the room's.");
            ui.add_space(6.0);
            you(ui, &mut d.name, &mut d.color, &mut d.role);
            ui.add_space(6.0);
            ui.strong("Where");
            ui.radio_value(&mut d.place, Place::Here, "Host it on this computer");
            ui.indent("here", |ui| {
                ui.add_enabled(
                    d.place == Place::Here,
                    egui::Checkbox::new(
                        &mut d.open_to_network,
                        "Let others on my network join (listens on all network interfaces)",
                    ),
                );
                if d.place == Place::Here && !d.open_to_network {
                    ui.weak("Only windows on this computer can join.");
                }
            });
            ui.radio_value(
                &mut d.place,
                Place::Server,
                "Use a server (y-websocket, Hocuspocus…)",
            );
            ui.indent("server", |ui| {
                ui.add_enabled_ui(d.place == Place::Server, |ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut d.server)
                            .hint_text("wss://relay.example")
                            .desired_width(f32::INFINITY),
                    );
                    ui.add(
                        egui::TextEdit::singleline(&mut d.token)
                            .hint_text("token (optional)")
                            .desired_width(f32::INFINITY),
                    );
                });
            });
            if let Some(e) = &d.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                start = ui.button("Start sharing").clicked();
                cancel = ui.button("Cancel").clicked();
            });
        });
        if cancel || (modal.should_close() && !start) {
            return;
        }
        if !start {
            self.share_dialog = Some(d);
            return;
        }
        let started = match d.place {
            Place::Here => {
                room::host(d.open_to_network).map(|(relay, url, links)| (Some(relay), url, links))
            }
            Place::Server => {
                room::on_server(&d.server, &d.token).map(|(url, links)| (None, url, links))
            }
        };
        match started {
            Ok((relay, url, links)) => {
                self.settings.profile = Some(Profile {
                    name: d.name.clone(),
                    color: d.color.clone(),
                });
                self.share(url, d.role, relay, links);
                self.show_links = true;
            }
            Err(e) => {
                d.error = Some(e);
                self.share_dialog = Some(d);
            }
        }
    }

    fn show_join_dialog(&mut self, ctx: &egui::Context) {
        let Some(mut d) = self.join_dialog.take() else {
            return;
        };
        let mut join = false;
        let mut cancel = false;
        let dirty = self.board.is_dirty();
        let modal = egui::Modal::new(egui::Id::unique("archboard-join")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Join a shared board");
            ui.label("Paste the link you were sent:");
            let edit = ui.add(
                egui::TextEdit::singleline(&mut d.link)
                    .hint_text("ws://192.168.1.20:7317/3f1c…?token=…")
                    .desired_width(f32::INFINITY),
            );
            let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let viewer = RoomUrl::parse(&d.link).is_ok_and(|u| u.viewer);
            ui.add_space(6.0);
            if viewer {
                ui.label("This link lets you watch: the board is read-only for you.");
                d.role = Role::Viewer;
            } else if d.role == Role::Viewer {
                d.role = Role::Candidate;
            }
            you(ui, &mut d.name, &mut d.color, &mut d.role);
            if dirty {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "The room's board replaces this one, which has unsaved changes: save it first to keep them.",
                );
            }
            if let Some(e) = &d.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.horizontal(|ui| {
                join = ui.button("Join").clicked() || entered;
                cancel = ui.button("Cancel").clicked();
            });
        });
        if cancel || (modal.should_close() && !join) {
            return;
        }
        if !join {
            self.join_dialog = Some(d);
            return;
        }
        match RoomUrl::parse(&d.link) {
            Ok(url) => {
                self.settings.profile = Some(Profile {
                    name: d.name.clone(),
                    color: d.color.clone(),
                });
                self.join(url, d.role);
            }
            Err(e) => {
                d.error = Some(e.to_string());
                self.join_dialog = Some(d);
            }
        }
    }

    /// The links to hand out, with Copy buttons, after sharing.
    fn show_share_links(&mut self, ctx: &egui::Context) {
        if !self.show_links {
            return;
        }
        let Some(links) = self.share_links().cloned() else {
            self.show_links = false;
            return;
        };
        let mut close = false;
        let modal = egui::Modal::new(egui::Id::unique("archboard-share-links")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading("Sharing");
            link_row(ui, "Send this link to the other person:", &links.edit);
            if let Some(view) = &links.view {
                link_row(ui, "To let someone watch without editing:", view);
            }
            ui.weak(
                "Anyone with the first link can edit the board. Sharing (top right) or File, Share… shows these again.",
            );
            close = ui.button("Done").clicked();
        });
        if close || modal.should_close() {
            self.show_links = false;
        }
    }

    /// Shows the share links again (File → Share… while sharing).
    pub(super) fn reopen_share_links(&mut self) -> bool {
        if self.share_links().is_some() {
            self.show_links = true;
            true
        } else {
            false
        }
    }
}

fn link_row(ui: &mut egui::Ui, what: &str, link: &str) {
    ui.label(what);
    ui.horizontal(|ui| {
        let mut shown = link.to_owned();
        ui.add(
            egui::TextEdit::singleline(&mut shown)
                .desired_width(ui.available_width() - 60.0)
                .interactive(true),
        );
        if ui.button("Copy").clicked() {
            ui.ctx().copy_text(link.to_owned());
        }
    });
}

/// Name, colour and role: how you appear in the room.
fn you(ui: &mut egui::Ui, name: &mut String, color: &mut String, role: &mut Role) {
    egui::Grid::new(("you", ui.next_auto_id()))
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Your name");
            ui.add(egui::TextEdit::singleline(name).char_limit(40));
            ui.end_row();
            ui.label("Your colour");
            ui.horizontal(|ui| {
                for c in COLORS {
                    let rgb = parse_color(c).unwrap_or([128, 128, 128]);
                    let fill = egui::Color32::from_rgb(rgb[0], rgb[1], rgb[2]);
                    let (rect, r) =
                        ui.allocate_exact_size(egui::vec2(18.0, 18.0), egui::Sense::click());
                    let chosen = color.as_str() == c;
                    ui.painter().rect_filled(rect, 4.0, fill);
                    if chosen {
                        ui.painter().rect_stroke(
                            rect.expand(2.0),
                            5.0,
                            egui::Stroke::new(2.0, ui.visuals().text_color()),
                            egui::StrokeKind::Outside,
                        );
                    }
                    if r.clicked() {
                        *color = c.to_owned();
                    }
                }
            });
            ui.end_row();
            if *role != Role::Viewer {
                ui.label("You are");
                ui.horizontal(|ui| {
                    ui.radio_value(role, Role::Candidate, "the candidate");
                    ui.radio_value(role, Role::Interviewer, "the interviewer");
                });
                ui.end_row();
            }
        });
}
