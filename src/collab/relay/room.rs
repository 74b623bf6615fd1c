//! A relay's rooms: each keeps its document (to answer a newcomer's sync request), its peers'
//! outboxes and their latest presence. With a folder, a room is read from it when first opened
//! and written back when changed.
//!
//! The state is behind plain mutexes, held only while a message is applied or fanned out,
//! never across a wait.

use crate::collab::protocol;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc::Sender;
use tokio::sync::mpsc::error::TrySendError;
use tungstenite::Bytes;
use yrs::sync::AwarenessUpdate;
use yrs::sync::awareness::AwarenessUpdateEntry;
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

/// Most rooms one relay keeps.
pub const MAX_ROOMS: usize = 1_000;
/// Most bytes of updates a room's document takes in (its size on disk stays below this).
pub const MAX_ROOM_BYTES: usize = 128 * 1024 * 1024;
/// Most peers in one room.
pub const MAX_PEERS: usize = 64;

pub struct Rooms {
    map: Mutex<HashMap<String, Arc<Room>>>,
    pub dir: Option<PathBuf>,
}

pub struct Room {
    pub name: String,
    pub doc: Doc,
    state: Mutex<RoomState>,
}

#[derive(Default)]
struct RoomState {
    /// Each peer's outbox. A peer whose outbox is full reads slower than its room writes: it
    /// is let go (it syncs again when it comes back) rather than left to fill the memory.
    peers: HashMap<u64, Sender<Bytes>>,
    /// The latest awareness entry of each awareness client, and which connection owns it.
    awareness: HashMap<u64, (u32, String, u64)>,
    bytes: usize,
    dirty: bool,
}

/// Why a peer could not join its room.
pub enum Full {
    Rooms,
    Peers,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Rooms {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self {
            map: Mutex::new(HashMap::new()),
            dir,
        }
    }

    fn all(&self) -> Vec<Arc<Room>> {
        lock(&self.map).values().cloned().collect()
    }

    /// Rooms open and peers connected.
    pub fn census(&self) -> (usize, usize) {
        let rooms = self.all();
        let peers = rooms.iter().map(|r| lock(&r.state).peers.len()).sum();
        (rooms.len(), peers)
    }

    /// Bytes of document updates every room has taken in: what peers' edits cost on the wire.
    pub fn update_bytes(&self) -> usize {
        self.all().iter().map(|r| lock(&r.state).bytes).sum()
    }

    /// Rooms with changes not yet written.
    pub fn changed(&self) -> usize {
        self.all().iter().filter(|r| lock(&r.state).dirty).count()
    }

    fn file(&self, room: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(format!("{room}.ydoc")))
    }

    /// Puts peer `id` in room `name` (made, and read from the folder, on first use), with its
    /// outbox; the room and how many peers are in it now.
    pub fn join(
        &self,
        name: &str,
        id: u64,
        outbox: Sender<Bytes>,
        log: &dyn Fn(String),
    ) -> Result<(Arc<Room>, usize), Full> {
        let room = self.get(name, log).ok_or(Full::Rooms)?;
        let mut st = lock(&room.state);
        if st.peers.len() >= MAX_PEERS {
            return Err(Full::Peers);
        }
        st.peers.insert(id, outbox);
        let here = st.peers.len();
        drop(st);
        Ok((room, here))
    }

    fn get(&self, name: &str, log: &dyn Fn(String)) -> Option<Arc<Room>> {
        let mut map = lock(&self.map);
        if let Some(r) = map.get(name) {
            return Some(Arc::clone(r));
        }
        if map.len() >= MAX_ROOMS {
            return None;
        }
        let doc = Doc::new();
        let mut bytes = 0;
        if let Some(file) = self.file(name)
            && let Ok(saved) = std::fs::read(&file)
        {
            match Update::decode_v1(&saved).map(|u| doc.transact_mut().apply_update(u)) {
                Ok(Ok(())) => {
                    bytes = saved.len();
                    log(format!("room {name}: loaded from {}", file.display()));
                }
                _ => log(format!(
                    "room {name}: {} could not be read; starting empty",
                    file.display()
                )),
            }
        }
        let room = Arc::new(Room {
            name: name.to_owned(),
            doc,
            state: Mutex::new(RoomState {
                bytes,
                ..RoomState::default()
            }),
        });
        map.insert(name.to_owned(), Arc::clone(&room));
        Some(room)
    }

    /// Writes every changed room to the folder (atomically, synced to disk).
    pub fn save_dirty(&self, log: &dyn Fn(String)) {
        for room in self.all() {
            let dirty = std::mem::take(&mut lock(&room.state).dirty);
            let Some(file) = self.file(&room.name).filter(|_| dirty) else {
                continue;
            };
            let bytes = room
                .doc
                .transact()
                .encode_state_as_update_v1(&StateVector::default());
            if let Err(e) = crate::persistence::write_atomic(&file, &bytes) {
                lock(&room.state).dirty = true;
                log(format!(
                    "room {}: cannot write {}: {e}",
                    room.name,
                    file.display()
                ));
            }
        }
    }
}

impl Room {
    /// Applies an update to the document, refusing one that does not decode or would make the
    /// room too large.
    pub fn apply(&self, bytes: &[u8]) -> Result<(), String> {
        let update = Update::decode_v1(bytes)
            .map_err(|e| format!("an update that does not decode ({e})"))?;
        if lock(&self.state).bytes + bytes.len() > MAX_ROOM_BYTES {
            return Err(format!(
                "an update that would take the room past {MAX_ROOM_BYTES} bytes"
            ));
        }
        self.doc
            .transact_mut()
            .apply_update(update)
            .map_err(|e| format!("an update that does not apply ({e})"))?;
        let mut st = lock(&self.state);
        st.bytes += bytes.len();
        st.dirty = true;
        Ok(())
    }

    /// Hands `bytes` to every peer but `from`; the peers let go because their outbox was full.
    pub fn broadcast(&self, from: u64, bytes: &Bytes) -> Vec<u64> {
        let mut st = lock(&self.state);
        let mut behind = Vec::new();
        for (peer, tx) in &st.peers {
            if *peer != from
                && let Err(TrySendError::Full(_)) = tx.try_send(bytes.clone())
            {
                behind.push(*peer);
            }
        }
        for p in &behind {
            st.peers.remove(p);
        }
        behind
    }

    /// Keeps the newest presence of each awareness client in `update`, owned by `from`.
    pub fn note_awareness(&self, from: u64, update: &AwarenessUpdate) {
        let mut st = lock(&self.state);
        for (client, e) in &update.clients {
            let newer = st
                .awareness
                .get(&client.get())
                .is_none_or(|(c, _, _)| e.clock >= *c);
            if newer {
                st.awareness
                    .insert(client.get(), (e.clock, e.json.to_string(), from));
            }
        }
    }

    /// Every known presence in the room, for a newcomer.
    pub fn awareness_states(&self) -> Option<Vec<u8>> {
        let st = lock(&self.state);
        if st.awareness.is_empty() {
            return None;
        }
        let update = AwarenessUpdate {
            clients: st
                .awareness
                .iter()
                .map(|(c, (clock, json, _))| {
                    (
                        yrs::ClientID::new(*c),
                        AwarenessUpdateEntry {
                            clock: *clock,
                            json: json.as_str().into(),
                        },
                    )
                })
                .collect(),
        };
        Some(protocol::awareness(update))
    }

    /// Takes peer `id` out, telling the others that its presence is gone (y-websocket does the
    /// same); how many peers are left.
    pub fn leave(&self, id: u64) -> usize {
        let mut st = lock(&self.state);
        st.peers.remove(&id);
        let gone: Vec<(u64, u32)> = st
            .awareness
            .iter()
            .filter(|(_, (_, _, owner))| *owner == id)
            .map(|(client, (clock, _, _))| (*client, *clock))
            .collect();
        if !gone.is_empty() {
            let update = AwarenessUpdate {
                clients: gone
                    .iter()
                    .map(|(c, clock)| {
                        (
                            yrs::ClientID::new(*c),
                            AwarenessUpdateEntry {
                                clock: clock + 1,
                                json: "null".into(),
                            },
                        )
                    })
                    .collect(),
            };
            for (c, _) in &gone {
                st.awareness.remove(c);
            }
            let bytes = Bytes::from(protocol::awareness(update));
            for tx in st.peers.values() {
                let _ = tx.try_send(bytes.clone());
            }
        }
        st.peers.len()
    }
}
