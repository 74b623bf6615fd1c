//! The browser's room connection: the page's WebSocket, driven by its callbacks.
//!
//! A page has one thread, so the connection is a state behind `Rc<RefCell<…>>` that the
//! socket's and the timers' callbacks update; the window reads what arrived with
//! [`Client::poll`] as it does natively. Each try at connecting has a generation number:
//! a timer or socket event of an earlier try finds it changed and does nothing.

use super::{
    CONNECT_TIMEOUT, Connection, Ended, Incoming, RENEW, SILENT_FOR, Step, backoff, take_in,
};
use crate::collab::hocuspocus::Wire;
use crate::collab::protocol;
use crate::collab::url::RoomUrl;
use crate::platform::socket::{Event, Socket};
use crate::platform::timer;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::Duration;
use web_time::Instant;
use yrs::sync::Awareness;
use yrs::{Doc, ReadTxn, Transact};

struct State {
    url: RoomUrl,
    wire: Wire,
    doc: Doc,
    presence: String,
    wake: Arc<dyn Fn() + Send + Sync>,
    arrived: Vec<Incoming>,
    socket: Option<Socket>,
    /// Sockets closed from inside their own callbacks, dropped at the next try.
    retired: Vec<Socket>,
    awareness: Option<Awareness>,
    synced: bool,
    /// The current try; bumped when it ends.
    generation: u64,
    attempt: u32,
    down_since: Option<Instant>,
    stopped: bool,
    /// Whether the relay has said anything on this try.
    heard: bool,
}

type Shared = Rc<RefCell<State>>;

/// A room connection in this page.
pub struct Client {
    state: Shared,
}

impl Client {
    /// Connects to `url` and keeps `doc` in sync with the room; `wake` is called whenever
    /// something arrives. `presence` is our awareness state (JSON).
    pub fn start(
        url: RoomUrl,
        doc: Doc,
        presence: String,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Self {
        let state = Rc::new(RefCell::new(State {
            wire: Wire::of(&url),
            url,
            doc,
            presence,
            wake,
            arrived: Vec::new(),
            socket: None,
            retired: Vec::new(),
            awareness: None,
            synced: false,
            generation: 0,
            attempt: 0,
            down_since: None,
            stopped: false,
            heard: false,
        }));
        state
            .borrow_mut()
            .say(Incoming::Connection(Connection::Connecting));
        connect(&state);
        Self { state }
    }

    /// Sends our changes. While offline they are dropped here: the sync after reconnecting
    /// carries everything the room lacks.
    pub fn send_update(&self, update: Vec<u8>) {
        self.state.borrow().send(protocol::update(update));
    }

    pub fn set_presence(&self, json: String) {
        let mut s = self.state.borrow_mut();
        s.presence = json;
        s.send_presence();
    }

    /// Asks the room for a sync; [`Incoming::Synced`] follows once the relay has answered.
    pub fn resync(&self) {
        let s = self.state.borrow();
        let sv = s.doc.transact().state_vector();
        s.send(protocol::sync_step1(&sv));
    }

    /// What arrived since the last call.
    pub fn poll(&self) -> Vec<Incoming> {
        std::mem::take(&mut self.state.borrow_mut().arrived)
    }

    /// A page cannot block: this returns what has already arrived, if anything.
    pub fn wait(&self, _limit: Duration) -> Option<Incoming> {
        let mut s = self.state.borrow_mut();
        (!s.arrived.is_empty()).then(|| s.arrived.remove(0))
    }
}

impl Drop for Client {
    /// Closes the socket, so peers see us leave at once.
    fn drop(&mut self) {
        let mut s = self.state.borrow_mut();
        s.stopped = true;
        s.generation += 1;
        s.socket = None;
        s.retired.clear();
    }
}

impl State {
    fn say(&mut self, m: Incoming) {
        self.arrived.push(m);
        (self.wake)();
    }

    fn send(&self, msg: Vec<u8>) {
        if let Some(socket) = &self.socket {
            socket.send(&self.wire.out(msg));
        }
    }

    fn send_presence(&mut self) {
        let Some(awareness) = &mut self.awareness else {
            return;
        };
        awareness.set_local_state_raw(self.presence.as_str());
        if let Some(m) = protocol::awareness_of(awareness) {
            self.send(m);
        }
    }
}

fn millis(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

/// Runs `f` after `d` if the try `generation` is still the current one.
fn later(state: &Shared, generation: u64, d: Duration, f: impl FnOnce(&Shared) + 'static) {
    let weak = Rc::downgrade(state);
    timer::after(millis(d), move || {
        if let Some(state) = weak.upgrade() {
            let current = {
                let s = state.borrow();
                !s.stopped && s.generation == generation
            };
            if current {
                f(&state);
            }
        }
    });
}

/// Starts a new try (called from the client or a timer, never from a socket's callback).
fn connect(state: &Shared) {
    let (address, generation) = {
        let mut s = state.borrow_mut();
        s.retired.clear();
        s.generation += 1;
        s.heard = false;
        (s.url.socket_address(), s.generation)
    };
    let weak = Rc::downgrade(state);
    match Socket::open(&address, move |event| on_event(&weak, generation, event)) {
        Ok(socket) => {
            state.borrow_mut().socket = Some(socket);
            later(state, generation, CONNECT_TIMEOUT, |state| {
                let open = state.borrow().socket.as_ref().is_some_and(Socket::is_open);
                if !open {
                    let detail = format!("no answer within {} s", CONNECT_TIMEOUT.as_secs());
                    let why = not_let_in(state, &detail);
                    gone(state, why);
                }
            });
        }
        Err(why) => lost(state, why),
    }
}

/// Why a socket that never opened is gone, as far as a page can tell: a browser hides the
/// HTTP answer to a refused upgrade, and a slow refusal looks like no answer at all.
fn not_let_in(state: &Shared, detail: &str) -> String {
    let address = state.borrow().url.socket_address();
    format!(
        "{address} did not let this page in ({detail}): no relay answers there, or it refused \
         this room or its token (a browser is not told which)"
    )
}

fn on_event(weak: &Weak<RefCell<State>>, generation: u64, event: Event) {
    let Some(state) = weak.upgrade() else {
        return;
    };
    if state.borrow().generation != generation || state.borrow().stopped {
        return;
    }
    match event {
        Event::Open => opened(&state, generation),
        Event::Message(bytes) => received(&state, &bytes),
        Event::Closed(why) => {
            // A browser hides the HTTP answer to a refused upgrade: all it knows is that the
            // socket never opened.
            let never_opened = state.borrow().awareness.is_none();
            let why = if never_opened {
                not_let_in(&state, &why)
            } else {
                format!("lost the connection: {why}")
            };
            gone(&state, why)
        }
    }
}

/// Says hello: the auth message where the wire has one, our state vector and our presence.
fn opened(state: &Shared, generation: u64) {
    {
        let mut s = state.borrow_mut();
        s.attempt = 0;
        s.down_since = None;
        s.synced = false;
        let mut awareness = Awareness::with_clock(s.doc.clone(), || js_sys::Date::now() as u64);
        awareness.set_local_state_raw(s.presence.as_str());
        let sv = s.doc.transact().state_vector();
        if let (Some(hello), Some(socket)) = (s.wire.hello(), &s.socket) {
            socket.send(&hello);
        }
        s.send(protocol::sync_step1(&sv));
        if let Some(m) = protocol::awareness_of(&awareness) {
            s.send(m);
        }
        s.awareness = Some(awareness);
    }
    // Only a bare y-websocket connection can tell a silent server from a slow one.
    if state.borrow().wire == Wire::Plain {
        later(state, generation, SILENT_FOR, |state| {
            let mut s = state.borrow_mut();
            if !s.heard {
                let secs = SILENT_FOR.as_secs();
                s.say(Incoming::Silent(format!(
                    "the server accepted the connection but sent nothing within {secs} s; \
                     if it is a Hocuspocus server, write the address as hocuspocus+ws://…"
                )));
            }
        });
    }
    renew(state, generation);
}

/// Sends our presence again every [`RENEW`], so relays and peers keep it.
fn renew(state: &Shared, generation: u64) {
    later(state, generation, RENEW, move |state| {
        state.borrow_mut().send_presence();
        renew(state, generation);
    });
}

fn received(state: &Shared, bytes: &[u8]) {
    let said = RefCell::new(Vec::new());
    let step = {
        let mut s = state.borrow_mut();
        s.heard = true;
        let State {
            wire,
            doc,
            awareness,
            synced,
            ..
        } = &mut *s;
        let Some(awareness) = awareness else {
            return;
        };
        take_in(wire, doc, awareness, synced, bytes, &|m| {
            said.borrow_mut().push(m);
        })
    };
    let mut s = state.borrow_mut();
    for m in said.into_inner() {
        s.say(m);
    }
    match step {
        Step::Reply(m) => {
            if let Some(socket) = &s.socket {
                socket.send(&m);
            }
        }
        Step::End(Ended::Refused) => {
            s.stopped = true;
            retire(&mut s);
        }
        Step::End(Ended::Lost(why)) => {
            drop(s);
            lost(state, why);
        }
        Step::End(Ended::Stop) | Step::Nothing => {}
    }
}

/// Closes the current socket without freeing the callback that may be running.
fn retire(s: &mut State) {
    if let Some(socket) = s.socket.take() {
        socket.silence();
        s.retired.push(socket);
    }
    s.awareness = None;
}

/// The try failed or the connection dropped: report it and try again after a backoff.
fn lost(state: &Shared, why: String) {
    gone(state, format!("lost the connection: {why}"));
}

/// The try ended (`why` says how); the next one starts after the backoff.
fn gone(state: &Shared, why: String) {
    let generation = {
        let mut s = state.borrow_mut();
        if s.stopped {
            return;
        }
        retire(&mut s);
        s.generation += 1;
        s.attempt += 1;
        let since = *s.down_since.get_or_insert_with(Instant::now);
        let attempt = s.attempt;
        s.say(Incoming::Connection(Connection::Reconnecting {
            since,
            attempt,
            why,
        }));
        s.generation
    };
    let wait = backoff(state.borrow().attempt);
    later(state, generation, wait, connect);
}
