//! The window in a shared room, as the app sees it: joining, sharing and leaving, one sync round
//! per frame, our presence out and the room's clock. The room's own state, the peers and the
//! dialogs are [`RoomUi`]'s (`room_ui.rs`).

use super::ArchboardApp;
use super::lifecycle::OpenBoard;
use super::room_ui::{InRoom, Joining, Room, Seed};
use super::settings::Profile;
use super::share_dialog::{RoomEvent, ShareLinks};
use crate::canvas::EditTarget;
use crate::collab::presence::{self, Presence, Role, User};
use crate::collab::relay::Relay;
use crate::collab::{Connection, RoomUrl, Session};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

impl ArchboardApp {
    /// Asks to join `url` as soon as the start-up board is open (`archboard FILE --join URL`).
    pub fn join_on_start(self, url: RoomUrl) -> Self {
        self.join_on_start_as(url, Role::Candidate)
    }

    /// As [`Self::join_on_start`], in `role` (a viewer's link makes anyone a viewer).
    pub fn join_on_start_as(mut self, url: RoomUrl, role: Role) -> Self {
        let role = if url.viewer { Role::Viewer } else { role };
        self.settings.profile = Some(self.profile());
        self.room.state = Room::Pending(Box::new(Joining {
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
        self.room.state = Room::Pending(Box::new(Joining {
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
        self.room.state = Room::Pending(Box::new(Joining {
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
        if matches!(self.room.state, Room::In(_)) {
            self.leave_room();
        }
    }

    /// The links to hand out, when this window shared the board.
    pub fn share_links(&self) -> Option<&ShareLinks> {
        self.room.share_links()
    }

    /// The session, when in a room.
    pub fn session(&self) -> Option<&Session> {
        self.room.session()
    }

    /// Our role in the room, when in one.
    pub fn role(&self) -> Option<Role> {
        self.room.role()
    }

    /// Who is here: (client id, name, colour, role), for the status bar.
    pub fn people(&self) -> Vec<(u64, String, egui::Color32, Role)> {
        self.room.people()
    }

    /// The peer this window follows.
    pub fn following(&self) -> Option<u64> {
        self.room.following()
    }

    /// Makes this window's view follow `peer`'s (or stop following when it already does).
    pub fn follow(&mut self, peer: u64) {
        self.room.follow(peer, self.canvas.camera);
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
        let Room::In(room) = &mut self.room.state else {
            self.canvas.peers.clear();
            return;
        };
        let round = room.session.round(&mut self.board.doc);
        for n in round.notices {
            self.status.error(n);
        }
        let mut opened = None;
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
                opened = Some(fit);
            }
            room.seeded = true;
        } else if round.joined {
            self.status
                .info("In the room: this board is the room's now");
        }
        if let Some(fit) = opened {
            self.board_opened(super::Opened::Room { fit });
            self.status
                .info("In the room: its board is open here (Ctrl+S keeps a local copy)");
        }
        if let Some(running) = round.clock {
            self.follow_clock(running);
        }
        if let Some(role) = self.role() {
            let presence = self.presence(role);
            // The trail others see in this person's colour is drawn here in the same one.
            self.canvas.laser_color = crate::collab::presence::parse_color(&presence.user.color)
                .map(|[r, g, b]| egui::Color32::from_rgb(r, g, b));
            let json = presence.to_json();
            let board = self.board.doc.board();
            if let Some(notice) = self
                .room
                .exchange_presence(json, board, &mut self.canvas, ctx)
            {
                self.status.info(notice);
            }
        }
        let Room::In(room) = &self.room.state else {
            return;
        };
        if let Connection::Reconnecting { why, .. } = room.session.connection() {
            ctx.request_repaint_after(Duration::from_secs(1));
            // Never in yet: say why where it is seen, once (the tooltip keeps the latest).
            if !room.seeded && !room.told_unreachable {
                let message = format!("Could not join {}: {why}; trying again", room.session.url);
                if let Room::In(room) = &mut self.room.state {
                    room.told_unreachable = true;
                }
                self.status.error(message);
            }
        }
    }

    fn start_pending_join(&mut self, ctx: &egui::Context) {
        if !matches!(self.room.state, Room::Pending(_))
            || self.files.is_loading()
            || self.files.starting()
        {
            return;
        }
        let Room::Pending(j) = std::mem::take(&mut self.room.state) else {
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
        self.room.state = Room::In(Box::new(InRoom {
            session,
            role,
            relay,
            links,
            seed,
            seeded: false,
            told_unreachable: false,
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
        if let Room::In(room) = &mut self.room.state {
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
            laser: self.canvas.lasering,
        }
    }

    /// Leaves the room; the board stays open as a local, unsaved board. A relay this window
    /// hosted stops.
    pub fn leave_room(&mut self) {
        if matches!(self.room.state, Room::Alone) {
            return;
        }
        self.room.state = Room::Alone;
        self.canvas.peers.clear();
        self.board.doc.set_id_site(None);
        self.board.doc.set_read_only(false);
        self.status
            .info("Left the room; the board stays open here, unsaved");
    }

    /// Quit, but first ask when some changes have not reached the room yet.
    pub(super) fn quit(&mut self, ctx: &egui::Context) {
        if self.session().is_some_and(Session::has_unsent_changes) {
            self.room.unsent_prompt = true;
        } else {
            self.with_files(ctx, |f, sh| f.request(super::lifecycle::After::Quit, sh));
        }
    }

    /// Carries out what a room dialog asked for.
    pub(super) fn apply_room_event(&mut self, event: RoomEvent, ctx: &egui::Context) {
        match event {
            RoomEvent::Share {
                url,
                role,
                relay,
                links,
                profile,
            } => {
                self.settings.profile = Some(profile);
                self.share(url, role, relay, links);
            }
            RoomEvent::Join { url, role, profile } => {
                self.settings.profile = Some(profile);
                self.join(url, role);
            }
            RoomEvent::QuitAnyway => {
                self.leave_room();
                self.with_files(ctx, |f, sh| f.request(super::lifecycle::After::Quit, sh));
            }
        }
    }
}
