//! The window in a shared room: joining once the start-up board is open, one sync round per
//! frame, and what the status bar says about the connection.

use super::ArchboardApp;
use super::lifecycle::OpenBoard;
use crate::collab::{Connection, RoomUrl, Session};
use std::sync::Arc;

/// The room the window is in, or is about to join.
#[derive(Default)]
pub enum Room {
    #[default]
    Alone,
    /// Join once the board the window opens on has loaded.
    Pending(RoomUrl),
    In(Box<Session>),
}

impl ArchboardApp {
    /// Asks to join `url` as soon as the start-up board is open.
    pub fn join_on_start(mut self, url: RoomUrl) -> Self {
        self.room = Room::Pending(url);
        self
    }

    /// The session, when in a room.
    pub fn session(&self) -> Option<&Session> {
        match &self.room {
            Room::In(s) => Some(s),
            _ => None,
        }
    }

    /// Runs one round with the room: joins when due, sends local changes, takes in peers'.
    pub(super) fn tick_room(&mut self, ctx: &egui::Context) {
        if let Room::Pending(url) = &self.room
            && !self.files.is_loading()
            && !self.files.starting()
        {
            let url = url.clone();
            let wake_ctx = ctx.clone();
            let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(move || wake_ctx.request_repaint());
            let presence = self.presence_json();
            let session = Session::join(url.clone(), &mut self.board.doc, true, presence, wake);
            self.status.info(format!("Joining {url}…"));
            self.room = Room::In(Box::new(session));
        }
        let Room::In(session) = &mut self.room else {
            return;
        };
        let round = session.round(&mut self.board.doc);
        let site = session.site();
        for n in round.notices {
            self.status.error(n);
        }
        if let Some(board) = round.replace {
            let fit = board.bounds();
            let path = self.board.path.clone();
            self.board = OpenBoard::unsaved(board, path);
            self.board.doc.set_id_site(Some(site));
            self.canvas.reset_for_new_board();
            self.canvas.fit_on_next_frame(fit);
            self.design.reset();
            self.status
                .info("In the room: its board is open (Ctrl+S keeps a local copy)");
        }
        // While reconnecting, look again now and then to update the time shown.
        if matches!(session.connection(), Connection::Reconnecting { .. }) {
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
    }

    /// Leaves the room; the board stays open as a local, unsaved board.
    pub fn leave_room(&mut self) {
        if matches!(self.room, Room::In(_)) {
            self.room = Room::Alone;
            self.board.doc.set_id_site(None);
            self.status
                .info("Left the room; the board stays open here, unsaved");
        }
    }

    /// Our presence for the room's other peers (y-websocket's `user` convention).
    fn presence_json(&self) -> String {
        let name = std::env::var("USER").unwrap_or_else(|_| "archboard".into());
        let name: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
        format!(
            "{{\"user\":{{\"name\":{},\"color\":\"#2f6feb\"}}}}",
            json_string(&name)
        )
    }

    /// "Shared · 2 people here", for the status bar (and a longer line to show on hover);
    /// `None` when alone.
    pub(super) fn room_status(&self) -> Option<(String, bool)> {
        let Room::In(s) = &self.room else {
            return matches!(self.room, Room::Pending(_)).then(|| ("Joining…".into(), true));
        };
        let others = s.peers().len();
        Some(match s.connection() {
            Connection::Connected => (
                format!(
                    "Shared · {} here",
                    crate::text::count_with(others + 1, "person", "people")
                ),
                true,
            ),
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
}

impl ArchboardApp {
    /// The room's address and what the connection last said, for the status bar's tooltip.
    pub(super) fn room_detail(&self) -> String {
        match &self.room {
            Room::Alone => String::new(),
            Room::Pending(url) => format!("Joining {url} once the board is open"),
            Room::In(s) => {
                let state = match s.connection() {
                    Connection::Reconnecting { attempt, why, .. } => {
                        format!("\nAttempt {attempt}: {why}")
                    }
                    Connection::Refused(why) => format!("\n{why}"),
                    _ => String::new(),
                };
                format!("Room {}{state}", s.url)
            }
        }
    }
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
