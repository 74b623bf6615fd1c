//! File → Share… and File → Join…: who you are in the room, where the room lives, and the links
//! to hand out.

use super::settings::Profile;
use crate::collab::RoomUrl;
use crate::collab::presence::{COLORS, Role, parse_color};
use crate::collab::relay::Relay;

/// Where a shared board lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A relay inside this window.
    Here,
    /// A y-websocket relay elsewhere.
    Server,
}

/// The links to hand out when sharing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareLinks {
    pub edit: String,
    /// To watch without editing, when the relay can tell viewers apart.
    pub view: Option<String>,
    /// The same two for a guest with only a browser, when this relay serves the web app.
    pub browser: Option<String>,
    pub browser_view: Option<String>,
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

/// What the Share and Join dialogs and the unsent-changes prompt ask of the app.
// Made once per share or join and handed over boxed (`Step::Done`): its size costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum RoomEvent {
    /// Share the board: through `relay` hosted here, or a server's room `url`.
    Share {
        url: RoomUrl,
        role: Role,
        relay: Option<Relay>,
        links: ShareLinks,
        profile: Profile,
    },
    /// Join the room at `url`: its board replaces this one.
    Join {
        url: RoomUrl,
        role: Role,
        profile: Profile,
    },
    /// Quit although the room has not received every change.
    QuitAnyway,
}

/// Where a dialog is after a frame.
pub enum Step {
    Open,
    Closed,
    Done(Box<RoomEvent>),
}

impl ShareDialog {
    pub fn new(p: Profile) -> Self {
        ShareDialog {
            name: p.name,
            color: p.color,
            role: Role::Interviewer,
            place: Place::Here,
            open_to_network: false,
            server: String::new(),
            token: String::new(),
            error: None,
        }
    }
}

impl JoinDialog {
    pub fn new(p: Profile) -> Self {
        JoinDialog {
            link: String::new(),
            name: p.name,
            color: p.color,
            role: Role::Candidate,
            error: None,
        }
    }
}

impl ShareDialog {
    pub fn show(&mut self, ctx: &egui::Context) -> Step {
        let d = self;
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
            return Step::Closed;
        }
        if !start {
            return Step::Open;
        }
        let started = match d.place {
            Place::Here => {
                host(d.open_to_network).map(|(relay, url, links)| (Some(relay), url, links))
            }
            Place::Server => on_server(&d.server, &d.token).map(|(url, links)| (None, url, links)),
        };
        match started {
            Ok((relay, url, links)) => Step::Done(Box::new(RoomEvent::Share {
                url,
                role: d.role,
                relay,
                links,
                profile: Profile {
                    name: d.name.clone(),
                    color: d.color.clone(),
                },
            })),
            Err(e) => {
                d.error = Some(e);
                Step::Open
            }
        }
    }
}

impl JoinDialog {
    /// `dirty`: the open board has unsaved changes, which the room's board would replace.
    pub fn show(&mut self, ctx: &egui::Context, dirty: bool) -> Step {
        let d = self;
        let mut join = false;
        let mut cancel = false;
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
            return Step::Closed;
        }
        if !join {
            return Step::Open;
        }
        match RoomUrl::parse(&d.link) {
            Ok(url) => Step::Done(Box::new(RoomEvent::Join {
                url,
                role: d.role,
                profile: Profile {
                    name: d.name.clone(),
                    color: d.color.clone(),
                },
            })),
            Err(e) => {
                d.error = Some(e.to_string());
                Step::Open
            }
        }
    }
}

/// The links to hand out, with Copy buttons, after sharing. Returns whether it was closed.
pub fn show_links(ctx: &egui::Context, links: &ShareLinks) -> bool {
    let mut close = false;
    let modal = egui::Modal::new(egui::Id::unique("archboard-share-links")).show(ctx, |ui| {
        ui.set_width(640.0);
        ui.heading("Sharing");
        link_row(ui, "Send this link to the other person:", &links.edit);
        if let Some(view) = &links.view {
            link_row(ui, "To let someone watch without editing:", view);
        }
        if let Some(browser) = &links.browser {
            link_row(ui, "Or, for someone with only a browser:", browser);
        }
        if let Some(view) = &links.browser_view {
            link_row(ui, "To watch in a browser:", view);
        }
        ui.weak(
            "Anyone with the first link can edit the board. Sharing (top right) or File, Share… shows these again.",
        );
        close = ui.button("Done").clicked();
    });
    close || modal.should_close()
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
                    let fill = color_of(c);
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

#[cfg(target_arch = "wasm32")]
pub fn host(_open_to_network: bool) -> Result<(Relay, RoomUrl, ShareLinks), String> {
    Err("A browser tab cannot host a room: use a server's address.".into())
}

/// A relay for sharing from this computer: a free port, a room name nobody can guess, an edit
/// token and a viewer token. Bound to every network interface only when the user said so.
#[cfg(not(target_arch = "wasm32"))]
pub fn host(open_to_network: bool) -> Result<(Relay, RoomUrl, ShareLinks), String> {
    use crate::collab::relay::RelayOptions;
    let token = crate::collab::url::new_room_name();
    let view = crate::collab::url::new_room_name();
    let relay = Relay::start(
        RelayOptions {
            bind: if open_to_network {
                "0.0.0.0"
            } else {
                "127.0.0.1"
            }
            .into(),
            port: 0,
            dir: None,
            token: Some(token.clone()),
            view_token: Some(view.clone()),
            web: web_app(),
            ..RelayOptions::default()
        },
        std::sync::Arc::new(|_| {}),
    )
    .map_err(|e| e.to_string())?;
    let port = relay.addr().port();
    let room = crate::collab::url::new_room_name();
    let here = format!("ws://127.0.0.1:{port}/{room}?token={token}");
    let host = if open_to_network {
        lan_address().unwrap_or_else(|| "127.0.0.1".into())
    } else {
        "127.0.0.1".into()
    };
    let page = web_app().map(|_| format!("http://{host}:{port}/?room={room}"));
    let links = ShareLinks {
        edit: format!("ws://{host}:{port}/{room}?token={token}"),
        view: Some(format!(
            "ws://{host}:{port}/{room}?token={view}&role=viewer"
        )),
        browser: page.as_ref().map(|p| format!("{p}&token={token}")),
        browser_view: page.map(|p| format!("{p}&token={view}&role=viewer")),
    };
    let url = RoomUrl::parse(&here).map_err(|e| e.to_string())?;
    Ok((relay, url, links))
}

/// The web app this window's relay serves to browser guests, when one is built: the folder
/// `ARCHBOARD_WEB_DIR` names, or `web` beside the executable (where a release puts it).
#[cfg(not(target_arch = "wasm32"))]
fn web_app() -> Option<std::path::PathBuf> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("web")));
    let named = std::env::var_os("ARCHBOARD_WEB_DIR").map(std::path::PathBuf::from);
    first_web_app([named, beside])
}

/// The first folder that holds a built web app.
#[cfg(not(target_arch = "wasm32"))]
fn first_web_app(
    folders: impl IntoIterator<Item = Option<std::path::PathBuf>>,
) -> Option<std::path::PathBuf> {
    folders
        .into_iter()
        .flatten()
        .find(|d| d.join("index.html").is_file() && d.join("archboard_bg.wasm").is_file())
}

/// This computer's address on its network, as others would reach it. Connecting a UDP socket
/// only picks the route: nothing is sent.
#[cfg(not(target_arch = "wasm32"))]
fn lan_address() -> Option<String> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("10.255.255.255:1").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then(|| ip.to_string())
}

/// A room on a server the user named: their address plus a fresh room name and the token.
pub fn on_server(server: &str, token: &str) -> Result<(RoomUrl, ShareLinks), String> {
    let base = server.trim().trim_end_matches('/');
    let bare = base.strip_prefix("hocuspocus+").unwrap_or(base);
    if !["ws://", "wss://", "ys://", "yss://"]
        .iter()
        .any(|s| bare.starts_with(s))
    {
        return Err(
            "the server's address starts with ws:// or wss:// (hocuspocus+ws:// for Hocuspocus, \
             ys:// for y-sweet)"
                .into(),
        );
    }
    let room = crate::collab::url::new_room_name();
    let link = if token.trim().is_empty() {
        format!("{base}/{room}")
    } else {
        format!("{base}/{room}?token={}", token.trim())
    };
    let url = RoomUrl::parse(&link).map_err(|e| e.to_string())?;
    Ok((
        url,
        ShareLinks {
            edit: link,
            view: None,
            browser: None,
            browser_view: None,
        },
    ))
}

/// A person's colour as drawn: their `#rrggbb`, or grey when it cannot be read (a peer's).
pub fn color_of(hex: &str) -> egui::Color32 {
    let [r, g, b] = parse_color(hex).unwrap_or([128, 128, 128]);
    egui::Color32::from_rgb(r, g, b)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_room_on_a_hocuspocus_server_keeps_its_scheme_and_token() {
        let (url, links) = super::on_server("hocuspocus+wss://collab.example/", "t").expect("ok");
        assert!(url.hocuspocus && url.secure);
        assert!(
            links.edit.starts_with("hocuspocus+wss://collab.example/"),
            "{}",
            links.edit
        );
        assert!(links.edit.ends_with("?token=t"));
        assert!(super::on_server("http://x", "").is_err());
    }

    #[test]
    fn the_host_serves_the_first_folder_that_holds_a_built_web_app() {
        let half = tempfile::tempdir().expect("tmp");
        std::fs::write(half.path().join("index.html"), "<html>").expect("write");
        let built = tempfile::tempdir().expect("tmp");
        std::fs::write(built.path().join("index.html"), "<html>").expect("write");
        std::fs::write(built.path().join("archboard_bg.wasm"), b"\0asm").expect("write");
        let found = super::first_web_app([
            None,
            Some(half.path().to_path_buf()),
            Some(built.path().to_path_buf()),
        ]);
        assert_eq!(found.as_deref(), Some(built.path()));
        assert_eq!(
            super::first_web_app([Some(half.path().to_path_buf())]),
            None
        );
    }
}
