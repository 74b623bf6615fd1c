//! The room the window is in, and what leads in and out of it: the join that waits for the
//! start-up board, the session, peers' pointers and selections as the canvas draws them,
//! following someone's view, what the status bar says, and the Share, Join and unsent-changes
//! dialogs. It owns this state; what it needs of the app comes in as arguments and what the
//! app should do goes back as events.

use super::settings::Profile;
use super::share_dialog::{self, JoinDialog, RoomEvent, ShareDialog, ShareLinks, Step, color_of};
use crate::canvas::{CanvasState, EditTarget, PeerMark};
use crate::collab::presence::{Presence, Role};
use crate::collab::relay::Relay;
use crate::collab::{Connection, RoomUrl, Session};
use crate::model::{BlockId, Board, LinkId, Point};
use std::collections::HashMap;
use std::time::Duration;
use web_time::Instant;

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

pub struct InRoom {
    pub session: Session,
    pub role: Role,
    /// The relay this window hosts, if it hosts one: it stops when the window leaves.
    pub relay: Option<Relay>,
    pub links: Option<ShareLinks>,
    pub(super) seed: Seed,
    pub(super) seeded: bool,
    /// The status line has said why the room could not be reached.
    pub(super) told_unreachable: bool,
    pub(super) cursors: HashMap<u64, Cursor>,
    /// The presence last sent, and when.
    pub(super) sent: Option<(String, Instant)>,
    /// The peer whose view this window follows, and the camera it last set.
    pub follow: Option<(u64, crate::canvas::Camera)>,
}

/// A peer's pointer as drawn: it glides towards where the peer last was, and fades when idle.
pub struct Cursor {
    shown: Option<Point>,
    target: Option<Point>,
    moved: Instant,
    /// Their laser trail, drawn through the smoothed pointer so it curves at the frame rate
    /// even though their positions arrive 20 times a second.
    trail: crate::canvas::laser::Trail,
}

/// At most this many presence updates a second leave this window.
const PRESENCE_EVERY: Duration = Duration::from_millis(50);
/// A pointer starts fading after this long without moving, and is gone after `FADE_GONE`.
const FADE_AFTER: Duration = Duration::from_secs(3);
const FADE_GONE: Duration = Duration::from_secs(8);

/// The room the window is in, and the dialogs that lead in and out of it.
#[derive(Default)]
pub struct RoomUi {
    pub(super) state: Room,
    pub(super) share_dialog: Option<ShareDialog>,
    pub(super) join_dialog: Option<JoinDialog>,
    /// The share links are showing.
    pub(super) show_links: bool,
    /// Asking before quitting with changes the room has not received.
    pub(super) unsent_prompt: bool,
}

impl RoomUi {
    /// The links to hand out, when this window shared the board.
    pub fn share_links(&self) -> Option<&ShareLinks> {
        match &self.state {
            Room::In(r) => r.links.as_ref(),
            Room::Pending(j) => j.links.as_ref(),
            Room::Alone => None,
        }
    }

    pub(super) fn open_share_dialog(&mut self, profile: Profile) {
        self.share_dialog = Some(ShareDialog::new(profile));
    }

    pub(super) fn open_join_dialog(&mut self, profile: Profile) {
        self.join_dialog = Some(JoinDialog::new(profile));
    }

    /// Shows the share links again (File → Share… while sharing).
    pub(super) fn reopen_share_links(&mut self) -> bool {
        self.show_links = self.share_links().is_some();
        self.show_links
    }

    /// Shows whichever room dialog is open; `dirty` says the open board has unsaved changes.
    pub(super) fn show_dialogs(&mut self, ctx: &egui::Context, dirty: bool) -> Option<RoomEvent> {
        let mut event = None;
        if let Some(mut d) = self.share_dialog.take() {
            match d.show(ctx) {
                Step::Open => self.share_dialog = Some(d),
                Step::Closed => {}
                Step::Done(e) => {
                    self.show_links = true;
                    event = Some(*e);
                }
            }
        }
        if let Some(mut d) = self.join_dialog.take() {
            match d.show(ctx, dirty) {
                Step::Open => self.join_dialog = Some(d),
                Step::Closed => {}
                Step::Done(e) => event = Some(*e),
            }
        }
        if self.show_links {
            // Shown once the share is under way (the room then has the links).
            if let Some(links) = self.share_links().cloned() {
                self.show_links = !share_dialog::show_links(ctx, &links);
            } else if event.is_none() {
                self.show_links = false;
            }
        }
        event
    }

    /// The session, when in a room.
    pub fn session(&self) -> Option<&Session> {
        match &self.state {
            Room::In(r) => Some(&r.session),
            _ => None,
        }
    }

    /// Our role in the room, when in one.
    pub fn role(&self) -> Option<Role> {
        match &self.state {
            Room::In(r) => Some(r.role),
            Room::Pending(j) => Some(j.role),
            Room::Alone => None,
        }
    }

    /// Who is here: (client id, name, colour, role), for the status bar.
    pub fn people(&self) -> Vec<(u64, String, egui::Color32, Role)> {
        let Room::In(room) = &self.state else {
            return Vec::new();
        };
        room.session
            .peers()
            .iter()
            .filter_map(|(id, json)| {
                let p = Presence::parse(json)?;
                Some((*id, p.user.name, color_of(&p.user.color), p.role))
            })
            .collect()
    }

    /// The peer this window follows.
    pub fn following(&self) -> Option<u64> {
        match &self.state {
            Room::In(r) => r.follow.map(|(f, _)| f),
            _ => None,
        }
    }

    /// Makes this window's view follow `peer`'s (or stop following when it already does).
    pub fn follow(&mut self, peer: u64, camera: crate::canvas::Camera) {
        if let Room::In(room) = &mut self.state {
            room.follow = match room.follow {
                Some((f, _)) if f == peer => None,
                _ => Some((peer, camera)),
            };
        }
    }

    /// "Shared · 2 people here", for the status bar (the second value says whether all is
    /// well); `None` when alone.
    pub(super) fn room_status(&self) -> Option<(String, bool)> {
        let Room::In(room) = &self.state else {
            return matches!(self.state, Room::Pending(_)).then(|| ("Joining…".into(), true));
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
        match &self.state {
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

    /// Sends our presence when it changed (at most 20 times a second) and turns the peers'
    /// into what the canvas draws, following someone's view when asked.
    pub(super) fn exchange_presence(
        &mut self,
        json: String,
        board: &Board,
        canvas: &mut CanvasState,
        ctx: &egui::Context,
    ) -> Option<String> {
        let Room::In(room) = &mut self.state else {
            return None;
        };
        let mut notice = None;
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
                trail: Default::default(),
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
            match c.shown.filter(|_| p.laser) {
                Some(at) => c.trail.push(at, now),
                None => c.trail.lift(),
            }
            if c.trail.prune(now) {
                animating = true;
            }
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
            marks.push(PeerMark {
                name: p.user.name.clone(),
                color: color_of(&p.user.color),
                pointer: c.shown,
                opacity,
                blocks,
                links,
                editing,
                laser: c.trail.faded(now),
            });
            // Following: our view tracks theirs until we move ourselves.
            if let Some((fid, set)) = room.follow
                && fid == *id
            {
                if canvas.camera != set {
                    room.follow = None;
                    notice = Some(format!("Stopped following {}", p.user.name));
                } else if let Some([x, y, zoom]) = p.view {
                    let cam = crate::canvas::Camera {
                        zoom: zoom.clamp(
                            crate::canvas::camera::MIN_ZOOM,
                            crate::canvas::camera::MAX_ZOOM,
                        ),
                        ..canvas.camera
                    }
                    .centred_on(canvas.view().screen, Point::new(x, y));
                    canvas.camera = cam;
                    room.follow = Some((fid, cam));
                }
            }
        }
        room.cursors.retain(|id, _| seen.contains(id));
        if room.follow.is_some_and(|(f, _)| !seen.contains(&f)) {
            room.follow = None;
        }
        canvas.peers = marks;
        if animating {
            ctx.request_repaint();
        }
        notice
    }

    pub fn has_dialog(&self) -> bool {
        self.share_dialog.is_some()
            || self.join_dialog.is_some()
            || self.show_links
            || self.unsent_prompt
    }

    fn unsent_changes(&self) -> bool {
        self.session().is_some_and(Session::has_unsent_changes)
    }

    /// The question asked before quitting with changes the room has not received (also when
    /// the window's close button is pressed).
    pub(super) fn show_unsent_prompt(&mut self, ctx: &egui::Context) -> Option<RoomEvent> {
        if ctx.input(|i| i.viewport().close_requested())
            && self.unsent_changes()
            && !self.unsent_prompt
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.unsent_prompt = true;
        }
        if !self.unsent_prompt {
            return None;
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
                Some(RoomEvent::QuitAnyway)
            }
            Some(false) => {
                self.unsent_prompt = false;
                None
            }
            None => None,
        }
    }
}
