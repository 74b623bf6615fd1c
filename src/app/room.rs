//! The window in a shared room: joining, hosting a relay, one sync round per frame, presence
//! (ours out, theirs drawn), following someone's view, the room's interview clock, and what
//! the status bar says.

use super::ArchboardApp;
use super::lifecycle::OpenBoard;
use super::settings::Profile;
use crate::canvas::{EditTarget, PeerMark};
use crate::collab::presence::{self, Presence, Role, User};
use crate::collab::relay::{Relay, RelayOptions};
use crate::collab::{Connection, RoomUrl, Session};
use crate::model::{BlockId, LinkId, Point};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The room the window is in, or is about to join.
#[derive(Default)]
pub enum Room {
    #[default]
    Alone,
    /// Join once the board the window opens on has loaded.
    Pending(Box<Joining>),
    In(Box<InRoom>),
}

/// A join that waits for the start-up board.
pub struct Joining {
    pub url: RoomUrl,
    pub role: Role,
    /// Put this window's board into the room if the room is empty (or always, when sharing).
    pub seed: Seed,
    pub relay: Option<Relay>,
    pub links: Option<ShareLinks>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seed {
    /// The room's board replaces this window's; an empty room gets this window's.
    IfEmpty,
    /// The room's board replaces this window's, whatever it holds.
    Never,
    /// This window's board becomes the room's (sharing it).
    Always,
}

/// The links to hand out when sharing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareLinks {
    pub edit: String,
    /// To watch without editing, when the relay can tell viewers apart.
    pub view: Option<String>,
}

pub struct InRoom {
    pub session: Session,
    pub role: Role,
    /// The relay this window hosts, if it hosts one: it stops when the window leaves.
    pub relay: Option<Relay>,
    pub links: Option<ShareLinks>,
    seed: Seed,
    seeded: bool,
    cursors: HashMap<u64, Cursor>,
    /// The presence last sent, and when.
    sent: Option<(String, Instant)>,
    /// The peer whose view this window follows, and the camera it last set.
    pub follow: Option<(u64, crate::canvas::Camera)>,
}

/// A peer's pointer as drawn: it glides towards where the peer last was, and fades when idle.
struct Cursor {
    shown: Option<Point>,
    target: Option<Point>,
    moved: Instant,
}

/// At most this many presence updates a second leave this window.
const PRESENCE_EVERY: Duration = Duration::from_millis(50);
/// A pointer starts fading after this long without moving, and is gone after `FADE_GONE`.
const FADE_AFTER: Duration = Duration::from_secs(3);
const FADE_GONE: Duration = Duration::from_secs(8);

impl ArchboardApp {
    /// Asks to join `url` as soon as the start-up board is open (`archboard FILE --join URL`).
    pub fn join_on_start(self, url: RoomUrl) -> Self {
        self.join_on_start_as(url, Role::Candidate)
    }

    /// As [`Self::join_on_start`], in `role` (a viewer's link makes anyone a viewer).
    pub fn join_on_start_as(mut self, url: RoomUrl, role: Role) -> Self {
        let role = if url.viewer { Role::Viewer } else { role };
        self.settings.profile = Some(self.profile());
        self.room = Room::Pending(Box::new(Joining {
            url,
            role,
            seed: Seed::IfEmpty,
            relay: None,
            links: None,
        }));
        self
    }

    /// Joins `url` in `role` (from the Join dialog): the room's board replaces this one.
    pub fn join(&mut self, url: RoomUrl, role: Role) {
        self.leave_room();
        let role = if url.viewer { Role::Viewer } else { role };
        self.settings.profile = Some(self.profile());
        self.room = Room::Pending(Box::new(Joining {
            url,
            role,
            seed: Seed::Never,
            relay: None,
            links: None,
        }));
    }

    /// Shares this board: through `relay` hosted here, or a server's room `url`; the board
    /// becomes the room's content.
    pub fn share(&mut self, url: RoomUrl, role: Role, relay: Option<Relay>, links: ShareLinks) {
        self.leave_room();
        self.settings.profile = Some(self.profile());
        self.room = Room::Pending(Box::new(Joining {
            url,
            role,
            seed: Seed::Always,
            relay,
            links: Some(links),
        }));
    }

    /// Another board was opened here: it is not the room's, so the room is left. A join that
    /// waits for the start-up board goes ahead with it.
    pub(super) fn board_replaced(&mut self) {
        if matches!(self.room, Room::In(_)) {
            self.leave_room();
        }
    }

    /// The session, when in a room.
    pub fn session(&self) -> Option<&Session> {
        match &self.room {
            Room::In(r) => Some(&r.session),
            _ => None,
        }
    }

    /// Our role in the room, when in one.
    pub fn role(&self) -> Option<Role> {
        match &self.room {
            Room::In(r) => Some(r.role),
            Room::Pending(j) => Some(j.role),
            Room::Alone => None,
        }
    }

    /// The links to hand out, when this window shared the board.
    pub fn share_links(&self) -> Option<&ShareLinks> {
        match &self.room {
            Room::In(r) => r.links.as_ref(),
            Room::Pending(j) => j.links.as_ref(),
            Room::Alone => None,
        }
    }

    /// How others see us: the settings' profile, or a first one made from the account name
    /// (kept in the settings on joining, so the colour stays put).
    pub fn profile(&self) -> Profile {
        self.settings.profile.clone().unwrap_or_else(|| {
            let name = std::env::var("USER").unwrap_or_else(|_| "Guest".into());
            let mut b = [0u8; 1];
            crate::collab::url::fill_random(&mut b);
            Profile {
                name: name.chars().filter(|c| !c.is_control()).take(40).collect(),
                color: presence::COLORS[usize::from(b[0]) % presence::COLORS.len()].into(),
            }
        })
    }

    /// Runs one round with the room: joins when due, sends local changes and our presence,
    /// takes in peers' changes and presence.
    pub(super) fn tick_room(&mut self, ctx: &egui::Context) {
        self.start_pending_join(ctx);
        let Room::In(room) = &mut self.room else {
            self.canvas.peers.clear();
            return;
        };
        let round = room.session.round(&mut self.board.doc);
        for n in round.notices {
            self.status.error(n);
        }
        if let Some(board) = round.replace {
            if room.seed == Seed::Always && !room.seeded {
                // Sharing: this board is the room's, whatever the room held.
                room.session.replace_room(self.board.doc.board());
            } else {
                let fit = board.bounds();
                let path = self.board.path.clone();
                // The interviewer's private notes stay theirs.
                let mut board = board;
                board.private = self.board.doc.board().private.clone();
                self.board = OpenBoard::unsaved(board, path);
                self.board.doc.set_id_site(Some(room.session.site()));
                self.board.doc.set_read_only(room.role == Role::Viewer);
                self.canvas.reset_for_new_board();
                self.canvas.fit_on_next_frame(fit);
                self.design.reset();
                self.status
                    .info("In the room: its board is open here (Ctrl+S keeps a local copy)");
            }
            room.seeded = true;
        } else if round.joined {
            self.status
                .info("In the room: this board is the room's now");
        }
        if let Some(running) = round.clock {
            self.follow_clock(running);
        }
        self.exchange_presence(ctx);
        let Room::In(room) = &self.room else { return };
        if matches!(room.session.connection(), Connection::Reconnecting { .. }) {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }

    fn start_pending_join(&mut self, ctx: &egui::Context) {
        if !matches!(self.room, Room::Pending(_))
            || self.files.is_loading()
            || self.files.starting()
        {
            return;
        }
        let Room::Pending(j) = std::mem::take(&mut self.room) else {
            return;
        };
        let Joining {
            url,
            role,
            seed,
            relay,
            links,
        } = *j;
        let wake_ctx = ctx.clone();
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(move || wake_ctx.request_repaint());
        let json = self.presence(role).to_json();
        let session = Session::join(
            url.clone(),
            &mut self.board.doc,
            seed != Seed::Never,
            json,
            wake,
        );
        self.board.doc.set_read_only(role == Role::Viewer);
        self.status.info(format!("Joining {url}…"));
        self.room = Room::In(Box::new(InRoom {
            session,
            role,
            relay,
            links,
            seed,
            seeded: false,
            cursors: HashMap::new(),
            sent: None,
            follow: None,
        }));
    }

    /// A peer started or paused the room's clock: the timer here does the same, counting on
    /// from now (the clock base every peer agrees on without comparing wall clocks).
    fn follow_clock(&mut self, running: bool) {
        if running && !self.timer.is_running() {
            self.timer.start();
            self.status
                .info("The interview timer is running (started in the room)");
        } else if !running && self.timer.is_running() {
            self.timer.pause();
            self.status
                .info("The interview timer was paused in the room");
        }
    }

    /// Tells the room that the timer here was started or paused.
    pub(super) fn share_clock(&mut self) {
        let running = self.timer.is_running();
        if let Room::In(room) = &mut self.room {
            room.session
                .set_clock(running, &self.board.doc.board().timer);
        }
    }

    fn presence(&self, role: Role) -> Presence {
        let p = self.profile();
        let selection: Vec<String> = self
            .canvas
            .selection
            .blocks
            .iter()
            .map(|b| b.0)
            .chain(self.canvas.selection.links.iter().map(|l| l.0))
            .take(200)
            .map(|id| id.to_string())
            .collect();
        let editing = self.canvas.editing.as_ref().map(|e| match e.target {
            EditTarget::Block(id) => id.0.to_string(),
            EditTarget::Link(id) => id.0.to_string(),
        });
        let view = self.canvas.view();
        let c = view.center_world();
        Presence {
            user: User {
                name: p.name,
                color: p.color,
            },
            role,
            pointer: self.canvas.pointer.map(|p| [p.x, p.y]),
            selection,
            editing,
            view: Some([c.x, c.y, view.camera.zoom]),
        }
    }

    /// Sends our presence when it changed (at most 20 times a second) and turns the peers'
    /// into what the canvas draws, following someone's view when asked.
    fn exchange_presence(&mut self, ctx: &egui::Context) {
        let Some(role) = self.role() else { return };
        let json = self.presence(role).to_json();
        let Room::In(room) = &mut self.room else {
            return;
        };
        let due = room
            .sent
            .as_ref()
            .is_none_or(|(last, at)| *last != json && at.elapsed() >= PRESENCE_EVERY);
        if due {
            room.session.set_presence(json.clone());
            room.sent = Some((json, Instant::now()));
        } else if room.sent.as_ref().is_some_and(|(last, _)| *last != json) {
            ctx.request_repaint_after(PRESENCE_EVERY);
        }
        let board = self.board.doc.board();
        let now = Instant::now();
        let mut marks = Vec::new();
        let mut animating = false;
        let mut seen = Vec::new();
        for (id, state) in room.session.peers() {
            let Some(p) = Presence::parse(state) else {
                continue;
            };
            seen.push(*id);
            let target = p.pointer.map(|[x, y]| Point::new(x, y));
            let c = room.cursors.entry(*id).or_insert(Cursor {
                shown: target,
                target,
                moved: now,
            });
            if c.target != target {
                c.target = target;
                c.moved = now;
            }
            // Glide a third of the way each frame: smooth at 60 fps, settled in a few frames.
            c.shown = match (c.shown, c.target) {
                (Some(s), Some(t)) => {
                    let d = t - s;
                    if d.length() > 0.5 {
                        animating = true;
                        Some(s + d * 0.35)
                    } else {
                        Some(t)
                    }
                }
                (_, t) => t,
            };
            let idle = c.moved.elapsed();
            let opacity = if idle <= FADE_AFTER {
                1.0
            } else {
                animating = true;
                (1.0 - (idle - FADE_AFTER).as_secs_f32() / (FADE_GONE - FADE_AFTER).as_secs_f32())
                    .max(0.0)
            };
            let ids = |s: &str| s.parse::<u64>().ok();
            let blocks: Vec<BlockId> = p
                .selection
                .iter()
                .filter_map(|s| ids(s))
                .map(BlockId)
                .filter(|b| board.blocks.contains_key(b))
                .collect();
            let links: Vec<LinkId> = p
                .selection
                .iter()
                .filter_map(|s| ids(s))
                .map(LinkId)
                .filter(|l| board.links.contains_key(l))
                .collect();
            let editing = p.editing.as_deref().and_then(ids).and_then(|id| {
                if board.blocks.contains_key(&BlockId(id)) {
                    Some(EditTarget::Block(BlockId(id)))
                } else if board.links.contains_key(&LinkId(id)) {
                    Some(EditTarget::Link(LinkId(id)))
                } else {
                    None
                }
            });
            let rgb = presence::parse_color(&p.user.color).unwrap_or([128, 128, 128]);
            marks.push(PeerMark {
                name: p.user.name.clone(),
                color: egui::Color32::from_rgb(rgb[0], rgb[1], rgb[2]),
                pointer: c.shown,
                opacity,
                blocks,
                links,
                editing,
            });
            // Following: our view tracks theirs until we move ourselves.
            if let Some((fid, set)) = room.follow
                && fid == *id
            {
                if self.canvas.camera != set {
                    room.follow = None;
                    self.status
                        .info(format!("Stopped following {}", p.user.name));
                } else if let Some([x, y, zoom]) = p.view {
                    let cam = crate::canvas::Camera {
                        zoom: zoom.clamp(
                            crate::canvas::camera::MIN_ZOOM,
                            crate::canvas::camera::MAX_ZOOM,
                        ),
                        ..self.canvas.camera
                    }
                    .centred_on(self.canvas.view().screen, Point::new(x, y));
                    self.canvas.camera = cam;
                    room.follow = Some((fid, cam));
                }
            }
        }
        room.cursors.retain(|id, _| seen.contains(id));
        if room.follow.is_some_and(|(f, _)| !seen.contains(&f)) {
            room.follow = None;
        }
        self.canvas.peers = marks;
        if animating {
            ctx.request_repaint();
        }
    }

    /// Makes this window's view follow `peer`'s (or stop following when it already does).
    pub fn follow(&mut self, peer: u64) {
        if let Room::In(room) = &mut self.room {
            room.follow = match room.follow {
                Some((f, _)) if f == peer => None,
                _ => Some((peer, self.canvas.camera)),
            };
        }
    }

    /// Who is here: (client id, name, colour, role), for the status bar.
    pub fn people(&self) -> Vec<(u64, String, egui::Color32, Role)> {
        let Room::In(room) = &self.room else {
            return Vec::new();
        };
        room.session
            .peers()
            .iter()
            .filter_map(|(id, json)| {
                let p = Presence::parse(json)?;
                let rgb = presence::parse_color(&p.user.color).unwrap_or([128, 128, 128]);
                Some((
                    *id,
                    p.user.name,
                    egui::Color32::from_rgb(rgb[0], rgb[1], rgb[2]),
                    p.role,
                ))
            })
            .collect()
    }

    /// The peer this window follows.
    pub fn following(&self) -> Option<u64> {
        match &self.room {
            Room::In(r) => r.follow.map(|(f, _)| f),
            _ => None,
        }
    }

    /// Leaves the room; the board stays open as a local, unsaved board. A relay this window
    /// hosted stops.
    pub fn leave_room(&mut self) {
        if matches!(self.room, Room::Alone) {
            return;
        }
        self.room = Room::Alone;
        self.canvas.peers.clear();
        self.board.doc.set_id_site(None);
        self.board.doc.set_read_only(false);
        self.status
            .info("Left the room; the board stays open here, unsaved");
    }

    /// "Shared · 2 people here", for the status bar (the second value says whether all is
    /// well); `None` when alone.
    pub(super) fn room_status(&self) -> Option<(String, bool)> {
        let Room::In(room) = &self.room else {
            return matches!(self.room, Room::Pending(_)).then(|| ("Joining…".into(), true));
        };
        let watching = if room.role == Role::Viewer {
            " · watching"
        } else {
            ""
        };
        Some(match room.session.connection() {
            Connection::Connected => (format!("Shared{watching}"), true),
            Connection::Connecting => ("Shared · connecting…".into(), true),
            Connection::Reconnecting { since, .. } => (
                format!(
                    "Offline {} s · reconnecting · edits kept",
                    since.elapsed().as_secs()
                ),
                false,
            ),
            Connection::Refused(_) => ("Not in the room".into(), false),
            Connection::Closed => ("Shared · closed".into(), false),
        })
    }

    /// The room's address and what the connection last said, for the status bar's tooltip.
    pub(super) fn room_detail(&self) -> String {
        match &self.room {
            Room::Alone => String::new(),
            Room::Pending(j) => format!("Joining {} once the board is open", j.url),
            Room::In(r) => {
                let state = match r.session.connection() {
                    Connection::Reconnecting { attempt, why, .. } => {
                        format!("\nAttempt {attempt}: {why}")
                    }
                    Connection::Refused(why) => format!("\n{why}"),
                    _ => String::new(),
                };
                let hosting = r.relay.as_ref().map_or(String::new(), |relay| {
                    format!("\nHosting the relay on port {}", relay.addr().port())
                });
                format!("Room {}{state}{hosting}", r.session.url)
            }
        }
    }

    /// Quit, but first ask when some changes have not reached the room yet.
    pub(super) fn quit(&mut self, ctx: &egui::Context) {
        if self.session().is_some_and(Session::has_unsent_changes) {
            self.unsent_prompt = true;
        } else {
            self.with_files(ctx, |f, sh| f.request(super::lifecycle::After::Quit, sh));
        }
    }

    /// The question asked before quitting with changes the room has not received.
    pub(super) fn show_unsent_prompt(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && self.session().is_some_and(Session::has_unsent_changes)
            && !self.unsent_prompt
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.unsent_prompt = true;
        }
        if !self.unsent_prompt {
            return;
        }
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("archboard-unsent")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Changes not yet shared");
            ui.label("The connection to the room is down: your latest changes have not reached it. Quit anyway and they stay only in this window's board (save it to keep them).");
            ui.horizontal(|ui| {
                if ui.button("Wait").clicked() {
                    choice = Some(false);
                }
                if ui.button("Quit anyway").clicked() {
                    choice = Some(true);
                }
            });
        });
        match choice {
            Some(true) => {
                self.unsent_prompt = false;
                self.leave_room();
                self.with_files(ctx, |f, sh| f.request(super::lifecycle::After::Quit, sh));
            }
            Some(false) => self.unsent_prompt = false,
            None => {}
        }
    }
}

/// A relay for sharing from this computer: a free port, a room name nobody can guess, an edit
/// token and a viewer token. Bound to every network interface only when the user said so.
pub fn host(open_to_network: bool) -> Result<(Relay, RoomUrl, ShareLinks), String> {
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
        },
        Arc::new(|_| {}),
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
    let links = ShareLinks {
        edit: format!("ws://{host}:{port}/{room}?token={token}"),
        view: Some(format!(
            "ws://{host}:{port}/{room}?token={view}&role=viewer"
        )),
    };
    let url = RoomUrl::parse(&here).map_err(|e| e.to_string())?;
    Ok((relay, url, links))
}

/// This computer's address on its network, as others would reach it. Connecting a UDP socket
/// only picks the route: nothing is sent.
fn lan_address() -> Option<String> {
    let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("10.255.255.255:1").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then(|| ip.to_string())
}

/// A room on a server the user named: their address plus a fresh room name and the token.
pub fn on_server(server: &str, token: &str) -> Result<(RoomUrl, ShareLinks), String> {
    let base = server.trim().trim_end_matches('/');
    if !(base.starts_with("ws://") || base.starts_with("wss://")) {
        return Err("the server's address starts with ws:// or wss://".into());
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
        },
    ))
}
