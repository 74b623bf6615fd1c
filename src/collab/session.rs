//! Being in a room: the shared board, its connection, and what the owner of the board learns
//! each round. The window runs one round per frame; `push` and `pull` run rounds until done.

use super::net::{Client, Connection, Incoming};
use super::shared::SharedBoard;
use super::url::{RoomUrl, fill_random};
use crate::model::{Board, Document};
use std::sync::Arc;
use web_time::Instant;

/// What a round brought.
#[derive(Debug, Default)]
pub struct Round {
    /// Messages for the status bar: refused changes, lost connections.
    pub notices: Vec<String>,
    /// The room's board, to show instead of the local one (the first sync with a room that
    /// already holds a board).
    pub replace: Option<Board>,
    /// Whether peers' changes reached the board.
    pub changed: bool,
    /// A peer started (`true`) or paused (`false`) the room's interview clock.
    pub clock: Option<bool>,
    /// This round brought the first sync with the room.
    pub joined: bool,
}

pub struct Session {
    pub url: RoomUrl,
    shared: SharedBoard,
    client: Client,
    connection: Connection,
    /// Other peers' awareness states (JSON), by client id.
    peers: Vec<(u64, String)>,
    synced: bool,
    /// Sync replies received, to tell when a requested one has come.
    replies: u64,
    /// Local changes sent since the connection was last in sync: they reach the room only once
    /// it is back (or they are lost with the process).
    unsent: bool,
    /// Put the local board into the room at the first sync if the room turns out empty.
    seed_empty_room: bool,
    /// Our site in the id space (the high 32 bits of the ids we make).
    site: u32,
    /// Why the server seems to be of another kind, when it said nothing after the socket opened.
    silent: Option<String>,
}

impl Session {
    /// Joins `url`. Ids made on `doc` from now on cannot collide with other peers'. With
    /// `seed_empty_room`, an empty room receives the local board at the first sync; otherwise
    /// the room's board replaces the local one.
    pub fn join(
        url: RoomUrl,
        doc: &mut Document,
        seed_empty_room: bool,
        presence: String,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Self {
        let mut b = [0u8; 12];
        fill_random(&mut b);
        let site = u32::from_le_bytes([b[0], b[1], b[2], b[3]]).max(1);
        // Yjs client ids are 53-bit numbers, safe in JavaScript.
        let client_id = u64::from_le_bytes([b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]])
            & ((1 << 53) - 1);
        doc.set_id_site(Some(site));
        let shared = SharedBoard::new(client_id.max(1));
        let client = Client::start(url.clone(), shared.doc().clone(), presence, wake);
        Self {
            url,
            shared,
            client,
            connection: Connection::Connecting,
            peers: Vec::new(),
            synced: false,
            replies: 0,
            unsent: false,
            seed_empty_room,
            site,
            silent: None,
        }
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    pub fn peers(&self) -> &[(u64, String)] {
        &self.peers
    }

    pub fn is_synced(&self) -> bool {
        self.synced
    }

    /// Whether some local changes have not reached the room yet.
    pub fn has_unsent_changes(&self) -> bool {
        self.unsent && self.connection != Connection::Connected
    }

    pub fn site(&self) -> u32 {
        self.site
    }

    pub fn set_presence(&self, json: String) {
        self.client.set_presence(json);
    }

    /// The shared document, for tests and tools that inspect it.
    pub fn shared(&self) -> &SharedBoard {
        &self.shared
    }

    /// One round: send what changed on `doc`, take in what peers sent.
    pub fn round(&mut self, doc: &mut Document) -> Round {
        let mut round = Round::default();
        let mut first_sync = false;
        let mut got = false;
        for m in self.client.poll() {
            match m {
                Incoming::Update(u) => match self.shared.receive(&u) {
                    Ok(()) => got = true,
                    Err(e) => round.notices.push(e.to_string()),
                },
                Incoming::Synced => {
                    self.replies += 1;
                    if !self.synced {
                        first_sync = true;
                    }
                    self.synced = true;
                }
                Incoming::Connection(c) => {
                    if c == Connection::Connected {
                        self.unsent = false;
                    }
                    if let Connection::Refused(why) = &c {
                        round.notices.push(format!("Not in the room: {why}"));
                    }
                    self.connection = c;
                }
                Incoming::Peers(p) => self.peers = p,
                Incoming::Problem(p) => round.notices.push(p),
                Incoming::Silent(why) => {
                    round.notices.push(why.clone());
                    self.silent = Some(why);
                }
            }
        }
        round.joined = first_sync;
        if first_sync {
            if self.shared.is_empty() && self.seed_empty_room {
                // The room is new: it gets the local board.
                let _ = doc.take_changes();
                self.shared.replace_with(doc.board());
            } else {
                // The room's board is what everyone sees; what was local before goes.
                let _ = doc.take_changes();
                let (board, problems) = self.shared.board().unwrap_or_else(|e| {
                    round.notices.push(e);
                    (Board::default(), Vec::new())
                });
                round.notices.extend(problems.into_iter().map(refused));
                round.replace = Some(board);
                self.shared.forget_touched();
                // A clock already running in the room runs here too.
                round.clock = Some(self.shared.clock().running);
                got = false;
            }
        }
        if self.synced {
            if got {
                let problems = self.shared.absorb(doc);
                round.changed = true;
                round.notices.extend(problems.into_iter().map(refused));
                if let Some(c) = self.shared.take_clock_change() {
                    round.clock = Some(c.running);
                }
            }
            self.shared.publish(doc);
        }
        if let Some(u) = self.shared.take_outgoing() {
            self.client.send_update(u);
            if self.connection != Connection::Connected {
                self.unsent = true;
            }
        }
        round
    }

    /// Starts or pauses the room's interview clock at `timer`'s time spent.
    pub fn set_clock(&mut self, running: bool, timer: &crate::model::TimerState) {
        self.shared.set_clock(running, timer);
    }

    /// Makes the room hold exactly `board` (`archboard push`).
    pub fn replace_room(&mut self, board: &Board) {
        self.shared.replace_with(board);
        if let Some(u) = self.shared.take_outgoing() {
            self.client.send_update(u);
        }
    }

    /// Waits until the relay has everything sent so far: it answers a sync request only after
    /// the messages before it.
    pub fn confirm(
        &mut self,
        doc: &mut Document,
        limit: std::time::Duration,
    ) -> Result<(), String> {
        let before = self.replies;
        self.client.resync();
        let until = Instant::now() + limit;
        while Instant::now() < until {
            self.round(doc);
            if self.replies > before {
                return Ok(());
            }
            if let Connection::Refused(why) = &self.connection {
                return Err(why.clone());
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Err("the relay did not confirm the changes in time".into())
    }

    /// Waits for the first sync with the room, for at most `limit`, for commands run by hand
    /// or by scripts: a relay that cannot be reached is an error at once, not after the limit.
    pub fn wait_for_sync(
        &mut self,
        doc: &mut Document,
        limit: std::time::Duration,
    ) -> Result<Round, String> {
        let until = Instant::now() + limit;
        let mut last = Round::default();
        while Instant::now() < until {
            let r = self.round(doc);
            last.notices.extend(r.notices);
            if r.replace.is_some() {
                last.replace = r.replace;
            }
            match &self.connection {
                Connection::Refused(why) => return Err(why.clone()),
                Connection::Reconnecting { why, .. } if !self.synced => return Err(why.clone()),
                _ => {}
            }
            if let Some(why) = self.silent.as_ref().filter(|_| !self.synced) {
                return Err(format!("{}:{}: {why}", self.url.host, self.url.port));
            }
            if self.synced {
                return Ok(last);
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // Silence is what each kind of server gives a client of the other kind.
        let hint = if self.url.hocuspocus {
            "if it is a y-websocket relay (archboard serve, y-websocket), write the address as ws://…"
        } else {
            "if it is a Hocuspocus server, write the address as hocuspocus+ws://…"
        };
        Err(format!(
            "{}:{} did not answer within {} s; {hint}",
            self.url.host,
            self.url.port,
            limit.as_secs()
        ))
    }
}

fn refused(problem: String) -> String {
    format!("Refused a change from a peer: {problem}")
}
