//! A board mirrored into a Yjs document: local changes go out as updates, peers' updates come
//! in as validated changes to the board.
//!
//! One thread changes the document: the one that owns the [`SharedBoard`] (the window's, or a
//! command's). Each round it first writes what changed locally ([`SharedBoard::publish`]) and
//! then takes in what peers sent ([`SharedBoard::receive`], [`SharedBoard::absorb`]). Because
//! the document and the board agree after every round, "what differs" is exactly "what changed
//! locally", and writing only that never overwrites a peer's concurrent change to another field.
//! A network thread may read the document (to answer a peer's sync request) but never writes.

use super::layout::{self, EntryError, Roots, id_key};
use crate::model::{BlockId, Board, Changes, Document, LinkId, Remote};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};
use yrs::types::{Event, PathSegment};
use yrs::updates::decoder::Decode;
use yrs::{
    DeepObservable, Doc, Map, OffsetKind, Options, Origin, ReadTxn, StateVector, Transact, Update,
};

/// Origin of the transactions that apply peers' updates; everything else is ours to send.
const FROM_PEER: &str = "archboard:peer";

/// The keys peers' updates touched, gathered by the document's observers.
#[derive(Debug, Default)]
struct Touched {
    blocks: BTreeSet<String>,
    links: BTreeSet<String>,
    board: bool,
    estimate: bool,
    interview: bool,
}

/// Why a peer's update was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("a peer sent an update that could not be read ({0}); it was ignored")]
    Malformed(String),
}

pub struct SharedBoard {
    doc: Doc,
    roots: Roots,
    touched: Arc<Mutex<Touched>>,
    /// Updates our own transactions made, waiting to be sent.
    outbox: Arc<Mutex<Vec<Vec<u8>>>>,
    /// Entries to write again from the board at the next publish: peers' versions that were
    /// refused (so the room gets the last good one back) and links dropped for a missing block.
    repair: Changes,
    /// Updates received while the document waits for others (see [`SharedBoard::receive`]).
    held: Vec<Vec<u8>>,
    held_bytes: usize,
    /// The timer's plan and phase as last written, and when.
    timer_sent: Option<((String, usize), web_time::Instant)>,
    /// The room's clock as last seen, and a change a peer made that the owner has not taken.
    clock: layout::SharedClock,
    clock_changed: Option<layout::SharedClock>,
    /// Whether this peer started the clock's current run: it writes the time spent.
    clock_owner: bool,
}

/// How often a running timer's time is written.
const TIMER_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// At most this much is held for offering again; past it the oldest go (a sync with the relay
/// fills any gap that leaves).
const MAX_HELD_BYTES: usize = 32 * 1024 * 1024;
/// Rounds of offering held updates again after one arrives.
const MAX_RETRIES: usize = 8;

impl SharedBoard {
    /// An empty shared board whose own changes carry `client_id`.
    pub fn new(client_id: u64) -> Self {
        let options = Options {
            // JavaScript peers count text positions in UTF-16 units.
            offset_kind: OffsetKind::Utf16,
            ..Options::with_client_id(yrs::ClientID::new(client_id))
        };
        let doc = Doc::with_options(options);
        let roots = Roots::of(&doc);
        let touched = Arc::new(Mutex::new(Touched::default()));
        let outbox = Arc::new(Mutex::new(Vec::new()));
        observe(&roots, &touched);
        let out = Arc::clone(&outbox);
        // Registration only fails while a transaction is open, and none is yet.
        let _ = doc.observe_update_v1("archboard:outbox", move |txn, e| {
            if !from_peer(txn.origin()) {
                lock(&out).push(e.update.clone());
            }
        });
        Self {
            doc,
            roots,
            touched,
            outbox,
            repair: Changes::default(),
            held: Vec::new(),
            held_bytes: 0,
            timer_sent: None,
            clock: layout::SharedClock::default(),
            clock_changed: None,
            clock_owner: false,
        }
    }

    /// The document, for a network thread to read (never to write).
    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    pub fn client_id(&self) -> u64 {
        self.doc.client_id().get()
    }

    /// Makes the document hold exactly `board` (seeding a room, `archboard push`).
    pub fn replace_with(&mut self, board: &Board) {
        let mut txn = self.doc.transact_mut();
        layout::write_board(&mut txn, &self.roots, board);
    }

    /// Writes what changed on `doc` since the last call (and any pending repairs) into the
    /// document. Returns whether anything was written.
    pub fn publish(&mut self, doc: &mut Document) -> bool {
        let mut changes = doc.take_changes();
        changes.merge(std::mem::take(&mut self.repair));
        if changes.is_empty() {
            return false;
        }
        let board = doc.board();
        let mut txn = self.doc.transact_mut();
        let r = &self.roots;
        for id in &changes.blocks {
            match board.block(*id) {
                Some(b) => layout::write_block(&mut txn, r, b),
                None => layout::remove_block(&mut txn, r, *id),
            }
        }
        for id in &changes.links {
            match board.link(*id) {
                Some(l) => layout::write_link(&mut txn, r, l),
                None => layout::remove_link(&mut txn, r, *id),
            }
        }
        if changes.title {
            layout::write_title(&mut txn, r, &board.title);
        }
        if changes.estimate {
            layout::write_estimate(&mut txn, r, &board.estimate);
        }
        if changes.practice {
            layout::write_practice(&mut txn, r, board.practice.as_ref());
        }
        if changes.timer {
            // A running clock changes the timer every frame; the room hears of a new phase or
            // plan at once and of the time spent every few seconds.
            let t = &board.timer;
            let key = (t.plan.clone(), t.phase);
            let (new_phase, waited) = match &self.timer_sent {
                None => (true, true),
                Some((k, at)) => (*k != key, at.elapsed() >= TIMER_EVERY),
            };
            if new_phase || (waited && self.clock_owner) {
                layout::write_timer(&mut txn, r, t);
                self.timer_sent = Some((key, web_time::Instant::now()));
            } else if self.clock_owner {
                // Written with a later round, when it is due.
                self.repair.timer = true;
            }
        }
        true
    }

    /// The updates our own changes made since the last call, merged into one.
    pub fn take_outgoing(&mut self) -> Option<Vec<u8>> {
        let updates = std::mem::take(&mut *lock(&self.outbox));
        match updates.len() {
            0 => None,
            1 => updates.into_iter().next(),
            _ => yrs::merge_updates_v1(&updates).ok(),
        }
    }

    /// Takes in a peer's update (a sync reply or an incremental update). The board learns of
    /// it at the next [`SharedBoard::absorb`].
    ///
    /// An update that arrives before those it builds on waits inside the document. yrs 0.28
    /// does not always place such waiting updates once their dependencies arrive (when they
    /// build on each other in a chain), so updates are also held here while anything waits, and
    /// offered again until the document has placed everything.
    pub fn receive(&mut self, bytes: &[u8]) -> Result<(), Refused> {
        self.apply(bytes)?;
        if !self.waiting() {
            self.held.clear();
            return Ok(());
        }
        self.held_bytes += bytes.len();
        self.held.push(bytes.to_vec());
        while self.held_bytes > MAX_HELD_BYTES && self.held.len() > 1 {
            self.held_bytes -= self.held.remove(0).len();
        }
        for _ in 0..self.held.len().min(MAX_RETRIES) {
            let before = self.state_vector();
            for u in std::mem::take(&mut self.held) {
                let _ = self.apply(&u);
                self.held.push(u);
            }
            if !self.waiting() {
                self.held.clear();
                self.held_bytes = 0;
                break;
            }
            if self.state_vector() == before {
                break;
            }
        }
        Ok(())
    }

    fn apply(&mut self, bytes: &[u8]) -> Result<(), Refused> {
        let update = Update::decode_v1(bytes).map_err(|e| Refused::Malformed(e.to_string()))?;
        let mut txn = self.doc.transact_mut_with(FROM_PEER);
        txn.apply_update(update)
            .map_err(|e| Refused::Malformed(e.to_string()))
    }

    /// Carries the entries peers changed into `doc`, checked like a file's. Returns a message
    /// for each refused entry; the board keeps its version of it, which is written back to the
    /// room at the next publish, so a hostile value never stays.
    ///
    /// Updates can arrive before those they build on, and an entry may then look half-written
    /// (a moved block whose new position is still on its way). Such an entry is kept for a later
    /// round, neither taken nor "repaired".
    pub fn absorb(&mut self, doc: &mut Document) -> Vec<String> {
        let touched = std::mem::take(&mut *lock(&self.touched));
        let mut problems = Vec::new();
        let mut later = Touched::default();
        let mut remote = Remote::default();
        {
            let txn = self.doc.transact();
            let r = &self.roots;
            let (blocks, links) = (r.blocks.len(&txn) as usize, r.links.len(&txn) as usize);
            if let Err(e) = crate::model::validate::check_counts(blocks, links) {
                problems.push(format!(
                    "The room is too large ({e}); its new content was not taken"
                ));
                return problems;
            }
            for key in &touched.blocks {
                let Ok(id) = key.parse::<u64>() else { continue };
                match r.blocks.get(&txn, key) {
                    None => remote.blocks.push((BlockId(id), None)),
                    Some(v) => match layout::read_block(&txn, key, v) {
                        Ok(b) => remote.blocks.push((b.id, Some(b))),
                        Err(EntryError::Incomplete(_)) => {
                            later.blocks.insert(key.clone());
                        }
                        Err(EntryError::Invalid(e)) => {
                            problems.push(e);
                            self.repair.blocks.insert(BlockId(id));
                        }
                    },
                }
            }
            for key in &touched.links {
                let Ok(id) = key.parse::<u64>() else { continue };
                match r.links.get(&txn, key) {
                    None => remote.links.push((LinkId(id), None)),
                    Some(v) => match layout::read_link(&txn, key, v) {
                        Ok(l) => remote.links.push((l.id, Some(l))),
                        Err(EntryError::Incomplete(_)) => {
                            later.links.insert(key.clone());
                        }
                        Err(EntryError::Invalid(e)) => {
                            problems.push(e);
                            self.repair.links.insert(LinkId(id));
                        }
                    },
                }
            }
            if touched.board {
                match layout::read_title(&txn, r) {
                    Ok(t) => remote.title = Some(t),
                    Err(e) => {
                        problems.push(e);
                        self.repair.title = true;
                    }
                }
                match layout::read_practice(&txn, r) {
                    Ok(p) => remote.practice = Some(p),
                    Err(e) => {
                        problems.push(e);
                        self.repair.practice = true;
                    }
                }
            }
            if touched.estimate {
                match layout::read_estimate(&txn, r) {
                    Ok(e) => remote.estimate = Some(e),
                    Err(e) => {
                        problems.push(e);
                        self.repair.estimate = true;
                    }
                }
            }
            if touched.interview {
                match layout::read_timer(&txn, r) {
                    Ok(t) => remote.timer = Some(t),
                    Err(e) => {
                        problems.push(e);
                        self.repair.timer = true;
                    }
                }
                let clock = layout::read_clock(&txn, r);
                if clock != self.clock {
                    self.clock = clock.clone();
                    self.clock_changed = Some(clock);
                }
            }
        }
        {
            let mut t = lock(&self.touched);
            t.blocks.extend(later.blocks);
            t.links.extend(later.links);
        }
        // Links a peer drew to a block another peer deleted go on every peer alike.
        let dropped = doc.apply_remote(remote);
        self.repair.links.extend(dropped);
        problems
    }

    /// Starts or stops the room's clock, with the time spent so far (`timer`); this peer then
    /// owns the run and writes its time every few seconds.
    pub fn set_clock(&mut self, running: bool, timer: &crate::model::TimerState) {
        let run = if running {
            let mut b = [0u8; 8];
            super::url::fill_random(&mut b);
            b.iter().map(|x| format!("{x:02x}")).collect()
        } else {
            self.clock.run.clone()
        };
        self.clock = layout::SharedClock { running, run };
        self.clock_owner = running;
        let mut txn = self.doc.transact_mut();
        layout::write_clock(&mut txn, &self.roots, &self.clock);
        layout::write_timer(&mut txn, &self.roots, timer);
        self.timer_sent = Some(((timer.plan.clone(), timer.phase), web_time::Instant::now()));
    }

    /// A change peers made to the room's clock since the last call.
    pub fn take_clock_change(&mut self) -> Option<layout::SharedClock> {
        let c = self.clock_changed.take()?;
        // Someone else started or stopped it: their run, not ours.
        self.clock_owner = false;
        Some(c)
    }

    /// The room's clock as the document holds it.
    pub fn clock(&self) -> layout::SharedClock {
        layout::read_clock(&self.doc.transact(), &self.roots)
    }

    /// Forgets which entries peers touched (the board was just read whole from the document).
    pub fn forget_touched(&mut self) {
        *lock(&self.touched) = Touched::default();
    }

    /// Whether the document holds updates it cannot place yet (they build on ones that have
    /// not arrived).
    pub fn waiting(&self) -> bool {
        self.doc.transact().has_missing_updates()
    }

    /// The board as the document holds it now, and what had to be left out.
    pub fn board(&self) -> Result<(Board, Vec<String>), String> {
        layout::read_board(&self.doc.transact(), &self.roots)
    }

    pub fn state_vector(&self) -> StateVector {
        self.doc.transact().state_vector()
    }

    /// What a peer with state `sv` lacks.
    pub fn diff(&self, sv: &StateVector) -> Vec<u8> {
        self.doc.transact().encode_diff_v1(sv)
    }

    /// Whether the document holds no board yet (a new room).
    pub fn is_empty(&self) -> bool {
        let txn = self.doc.transact();
        self.roots.blocks.len(&txn) == 0 && self.roots.links.len(&txn) == 0
    }

    /// Bytes of the document's state encoded as one update.
    pub fn encoded_size(&self) -> usize {
        self.diff(&StateVector::default()).len()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn from_peer(origin: Option<&Origin>) -> bool {
    origin.is_some_and(|o| o.as_ref() == FROM_PEER.as_bytes())
}

/// Notes which entries peers' transactions touch: the key of the changed entry for changes
/// inside it, the keys themselves for entries added or removed.
fn observe(roots: &Roots, touched: &Arc<Mutex<Touched>>) {
    for (root, which) in [(&roots.blocks, 0u8), (&roots.links, 1)] {
        let t = Arc::clone(touched);
        root.observe_deep("archboard:touched", move |txn, events| {
            if !from_peer(txn.origin()) {
                return;
            }
            let mut t = lock(&t);
            for e in events.iter() {
                let keys: Vec<String> = match e.path().front() {
                    Some(PathSegment::Key(k)) => vec![k.to_string()],
                    Some(PathSegment::Index(_)) => Vec::new(),
                    None => match e {
                        Event::Map(m) => m.keys(txn).keys().map(|k| k.to_string()).collect(),
                        _ => Vec::new(),
                    },
                };
                let set = if which == 0 {
                    &mut t.blocks
                } else {
                    &mut t.links
                };
                set.extend(keys);
            }
        });
    }
    for (root, which) in [
        (&roots.board, 0u8),
        (&roots.estimate, 1),
        (&roots.interview, 2),
    ] {
        let t = Arc::clone(touched);
        root.observe_deep("archboard:touched", move |txn, _| {
            if from_peer(txn.origin()) {
                let mut t = lock(&t);
                match which {
                    0 => t.board = true,
                    1 => t.estimate = true,
                    _ => t.interview = true,
                }
            }
        });
    }
}

/// The key under which a block or link id lives in the document.
pub fn key_of(id: u64) -> String {
    id_key(id)
}
