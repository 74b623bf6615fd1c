//! `archboard serve`: a relay that speaks the y-websocket protocol, so archboard windows, the
//! `push`/`pull` commands and any Yjs client can share rooms through it.
//!
//! Each room keeps its document (answering a newcomer's sync request) and relays updates and
//! awareness between its peers. With a folder, each room's document is written there and read
//! back on restart. It binds to loopback unless told otherwise.
//!
//! Peers are untrusted: messages are size-capped and decoded before they are applied or passed
//! on; one that does not decode is refused and reported, and the other peers never notice. A
//! room's document and the number of rooms are capped. A token, when set, is required; a
//! viewer token lets an observer watch without editing, enforced here, not in the client.

use super::conn::Conn;
use super::protocol::{self, MAX_MESSAGE_BYTES};
use super::url::check_room;
use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message as WsMessage, WebSocket};
use yrs::sync::{AwarenessUpdate, Message, SyncMessage};
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

/// Most rooms one relay keeps.
pub const MAX_ROOMS: usize = 1_000;
/// Most bytes of updates a room's document takes in (its size on disk stays below this).
pub const MAX_ROOM_BYTES: usize = 128 * 1024 * 1024;
/// Most peers in one room.
pub const MAX_PEERS: usize = 64;
/// Malformed messages a peer may send before the relay stops listening to it.
const MAX_STRIKES: u32 = 50;

#[derive(Clone, Debug)]
pub struct RelayOptions {
    pub bind: String,
    pub port: u16,
    /// Where rooms are kept across restarts.
    pub dir: Option<PathBuf>,
    /// Required of every peer that edits.
    pub token: Option<String>,
    /// Lets a peer in to watch: its updates are refused.
    pub view_token: Option<String>,
    /// Most connections open at once from one address (0: no cap), so one client cannot take
    /// every thread.
    pub max_per_address: usize,
    /// Serves `wss://` itself when set (`--tls-cert`, `--tls-key`).
    pub tls: Option<Arc<rustls::ServerConfig>>,
}

/// The default cap on connections from one address: far more than the people behind one
/// office's address open, far fewer than a flood.
pub const MAX_PER_ADDRESS: usize = 64;

impl Default for RelayOptions {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1".into(),
            port: 7317,
            dir: None,
            token: None,
            view_token: None,
            max_per_address: MAX_PER_ADDRESS,
            tls: None,
        }
    }
}

/// Open connections by address; a connection's [`Slot`] gives its place back when it ends.
#[derive(Default)]
struct PerAddress(Mutex<HashMap<std::net::IpAddr, usize>>);

struct Slot(Arc<PerAddress>, std::net::IpAddr);

impl PerAddress {
    /// A place for a connection from `ip`, or `None` when `cap` are open already.
    fn take(this: &Arc<Self>, ip: std::net::IpAddr, cap: usize) -> Option<Slot> {
        let mut open = lock(&this.0);
        let n = open.entry(ip).or_default();
        if cap > 0 && *n >= cap {
            return None;
        }
        *n += 1;
        Some(Slot(Arc::clone(this), ip))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = lock(&(self.0).0);
        if let Some(n) = open.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.1);
            }
        }
    }
}

/// What a relay says about joins, leaves and refusals.
pub type Log = Arc<dyn Fn(String) + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("cannot listen on {0}: {1}")]
    Bind(String, #[source] io::Error),
    #[error("{}: cannot use the room folder: {source}", path.display())]
    Dir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// A running relay. Dropping it (or [`Relay::stop`]) shuts it down and writes its rooms.
pub struct Relay {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    threads: Vec<std::thread::JoinHandle<()>>,
    rooms: Arc<Rooms>,
}

struct Rooms {
    map: Mutex<HashMap<String, Arc<Room>>>,
    dir: Option<PathBuf>,
}

struct Room {
    name: String,
    doc: Doc,
    state: Mutex<RoomState>,
    /// When the room last carried a message, in milliseconds since the relay started: its
    /// peers' threads wait briefly for the next one while it is busy.
    last_traffic: AtomicU64,
    born: Instant,
}

/// How long a peer's thread waits for its next message while its room is busy, and when idle.
const POLL_BUSY: Duration = Duration::from_millis(1);
const POLL_IDLE: Duration = Duration::from_millis(20);
const BUSY_FOR: Duration = Duration::from_secs(2);

impl Room {
    fn touch(&self) {
        self.last_traffic
            .store(self.born.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn busy(&self) -> bool {
        let last = Duration::from_millis(self.last_traffic.load(Ordering::Relaxed));
        self.born.elapsed().saturating_sub(last) < BUSY_FOR
    }
}

#[derive(Default)]
struct RoomState {
    peers: HashMap<u64, Sender<Vec<u8>>>,
    /// The latest awareness entry of each awareness client, and which connection owns it.
    awareness: HashMap<u64, (u32, String, u64)>,
    bytes: usize,
    dirty: bool,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Relay {
    /// Starts listening; returns once the port is bound.
    pub fn start(opts: RelayOptions, log: Log) -> Result<Self, RelayError> {
        if let Some(dir) = &opts.dir {
            std::fs::create_dir_all(dir).map_err(|source| RelayError::Dir {
                path: dir.clone(),
                source,
            })?;
        }
        let where_ = format!("{}:{}", opts.bind, opts.port);
        let listener =
            TcpListener::bind(where_.as_str()).map_err(|e| RelayError::Bind(where_.clone(), e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| RelayError::Bind(where_.clone(), e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| RelayError::Bind(where_, e))?;
        let stop = Arc::new(AtomicBool::new(false));
        let rooms = Arc::new(Rooms {
            map: Mutex::new(HashMap::new()),
            dir: opts.dir.clone(),
        });
        let mut threads = Vec::new();
        {
            let (stop, rooms, log) = (Arc::clone(&stop), Arc::clone(&rooms), Arc::clone(&log));
            let opts = Arc::new(opts);
            threads.push(std::thread::spawn(move || {
                accept_loop(listener, opts, rooms, stop, log)
            }));
        }
        if rooms.dir.is_some() {
            let (stop, rooms, log) = (Arc::clone(&stop), Arc::clone(&rooms), log);
            threads.push(std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(250));
                    rooms.save_dirty(&log);
                }
            }));
        }
        Ok(Self {
            addr,
            stop,
            threads,
            rooms,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Rooms with changes not yet written to the folder (none without a folder).
    pub fn changed_rooms(&self) -> usize {
        if self.rooms.dir.is_none() {
            return 0;
        }
        let rooms: Vec<Arc<Room>> = lock(&self.rooms.map).values().cloned().collect();
        rooms.iter().filter(|r| lock(&r.state).dirty).count()
    }

    /// Peers connected now, over every room.
    pub fn peers(&self) -> usize {
        self.rooms.census().1
    }

    /// Stops accepting, closes every connection and writes every changed room.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        self.rooms.save_dirty(&(Arc::new(|_| {}) as Log));
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Rooms {
    /// Rooms open and peers connected.
    fn census(&self) -> (usize, usize) {
        let rooms: Vec<Arc<Room>> = lock(&self.map).values().cloned().collect();
        let peers = rooms.iter().map(|r| lock(&r.state).peers.len()).sum();
        (rooms.len(), peers)
    }

    fn file(&self, room: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join(format!("{room}.ydoc")))
    }

    /// The room, made (and read from the folder) on first use; `None` when there are too many.
    fn get(&self, name: &str, log: &Log) -> Option<Arc<Room>> {
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
            last_traffic: AtomicU64::new(0),
            born: Instant::now(),
            doc,
            state: Mutex::new(RoomState {
                bytes,
                ..RoomState::default()
            }),
        });
        map.insert(name.to_owned(), Arc::clone(&room));
        Some(room)
    }

    fn save_dirty(&self, log: &Log) {
        let rooms: Vec<Arc<Room>> = lock(&self.map).values().cloned().collect();
        for room in rooms {
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

fn accept_loop(
    listener: TcpListener,
    opts: Arc<RelayOptions>,
    rooms: Arc<Rooms>,
    stop: Arc<AtomicBool>,
    log: Log,
) {
    let next = Arc::new(AtomicU64::new(1));
    let per_address = Arc::new(PerAddress::default());
    let mut conns = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, from)) => {
                let Some(slot) = PerAddress::take(&per_address, from.ip(), opts.max_per_address)
                else {
                    log(format!(
                        "refused {from}: {} connections from that address already",
                        opts.max_per_address
                    ));
                    drop(stream);
                    continue;
                };
                let (opts, rooms, stop, log) = (
                    Arc::clone(&opts),
                    Arc::clone(&rooms),
                    Arc::clone(&stop),
                    Arc::clone(&log),
                );
                let id = next.fetch_add(1, Ordering::Relaxed);
                conns.push(std::thread::spawn(move || {
                    let _slot = slot;
                    if let Err(e) = serve_peer(stream, from, id, &opts, &rooms, &stop, &log) {
                        log(format!("peer {id} ({from}): {e}"));
                    }
                }));
                conns.retain(|t: &std::thread::JoinHandle<()>| !t.is_finished());
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(15));
            }
            Err(e) => {
                log(format!("accept failed: {e}"));
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    for c in conns {
        let _ = c.join();
    }
}

/// How long a client may take to send its request: a slower one is refused, so a client that
/// opens a connection and sends nothing cannot hold a thread.
const HANDSHAKE_WAIT: Duration = Duration::from_secs(5);

/// Answers a request that is not a WebSocket: `/health` with the rooms and peers, for process
/// managers and load balancers; anything else with how to reach a room.
fn plain_http(stream: &mut impl Write, head: &super::http::Head, rooms: &Rooms) -> io::Result<()> {
    use super::http::respond;
    let path = head.path.split('?').next().unwrap_or_default();
    if matches!(head.method.as_str(), "GET" | "HEAD") && path == "/health" {
        let (count, peers) = rooms.census();
        let body = format!("{{\"status\":\"ok\",\"rooms\":{count},\"peers\":{peers}}}\n");
        return respond(stream, head, "200 OK", "application/json", body.as_bytes());
    }
    respond(
        stream,
        head,
        "404 Not Found",
        "text/plain; charset=utf-8",
        b"archboard relay: rooms are WebSocket addresses, ws://HOST:PORT/ROOM; GET /health for its state\n",
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Editor,
    Viewer,
}

/// The handshake's check, keeping what it admitted.
struct Admit<'a> {
    opts: &'a RelayOptions,
    admitted: &'a mut Option<(String, Role)>,
}

impl tungstenite::handshake::server::Callback for Admit<'_> {
    fn on_request(self, req: &Request, resp: Response) -> Result<Response, ErrorResponse> {
        match admit(req, self.opts) {
            Ok(a) => {
                *self.admitted = Some(a);
                Ok(resp)
            }
            Err((code, why)) => {
                let mut r = ErrorResponse::new(Some(why));
                *r.status_mut() = tungstenite::http::StatusCode::from_u16(code)
                    .unwrap_or(tungstenite::http::StatusCode::FORBIDDEN);
                Err(r)
            }
        }
    }
}

/// Checks the request: a room name in the path, and a token when one is set. A refusal is an
/// HTTP status and the reason.
fn admit(req: &Request, opts: &RelayOptions) -> Result<(String, Role), (u16, String)> {
    let deny = |code: u16, why: &str| (code, why.to_owned());
    let path = req.uri().path();
    let room = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    check_room(room).map_err(|e| deny(400, &e.to_string()))?;
    let token = req
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "token")
        .map(|(_, v)| v);
    let role = match (&opts.token, &opts.view_token, token) {
        (_, Some(v), Some(t)) if v == t => Role::Viewer,
        (Some(edit), _, Some(t)) if edit == t => Role::Editor,
        (None, _, _) => Role::Editor,
        (Some(_), _, None) => {
            return Err(deny(
                401,
                "this relay needs a token: add ?token=… to the room address",
            ));
        }
        (Some(_), _, Some(_)) => return Err(deny(403, "the token was refused")),
    };
    Ok((room.to_owned(), role))
}

fn serve_peer(
    stream: TcpStream,
    from: SocketAddr,
    id: u64,
    opts: &RelayOptions,
    rooms: &Rooms,
    stop: &AtomicBool,
    log: &Log,
) -> Result<(), String> {
    stream.set_nonblocking(false).map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let Some(conn) = open(stream, opts, rooms, stop)? else {
        return Ok(());
    };
    let mut admitted = None;
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
        .read_buffer_size(super::net::READ_BUFFER);
    let mut ws = tungstenite::accept_hdr_with_config(
        conn,
        Admit {
            opts,
            admitted: &mut admitted,
        },
        Some(config),
    )
    .map_err(|e| format!("refused: {e}"))?;
    let Some((name, role)) = admitted else {
        return Err("refused".into());
    };
    let Some(room) = rooms.get(&name, log) else {
        let _ = ws.close(None);
        return Err(format!(
            "room {name} refused: the relay has {MAX_ROOMS} rooms already"
        ));
    };
    let (tx, rx) = channel();
    {
        let mut st = lock(&room.state);
        if st.peers.len() >= MAX_PEERS {
            let _ = ws.close(None);
            return Err(format!(
                "room {name} refused: it has {MAX_PEERS} peers already"
            ));
        }
        st.peers.insert(id, tx);
        let watching = if role == Role::Viewer {
            " to watch"
        } else {
            ""
        };
        log(format!(
            "room {name}: peer {id} ({from}) joined{watching}; {} here",
            st.peers.len()
        ));
    }
    let _ = ws
        .get_mut()
        .tcp()
        .set_read_timeout(Some(Duration::from_millis(10)));
    let result = relay(&mut ws, id, role, &room, &rx, stop, log);
    let mut st = lock(&room.state);
    st.peers.remove(&id);
    // Tell the others that this peer's presence is gone (y-websocket does the same).
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
                        yrs::sync::awareness::AwarenessUpdateEntry {
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
        let bytes = protocol::awareness(update);
        for tx in st.peers.values() {
            let _ = tx.send(bytes.clone());
        }
    }
    log(format!(
        "room {name}: peer {id} left; {} here",
        st.peers.len()
    ));
    result
}

/// Reads the start of a connection: TLS when the relay has it, then the request. A plain HTTP
/// request is answered here (`None`: nothing more to do); a WebSocket request comes back ready
/// for the handshake. A client that stays silent is refused after [`HANDSHAKE_WAIT`].
fn open(
    stream: TcpStream,
    opts: &RelayOptions,
    rooms: &Rooms,
    stop: &AtomicBool,
) -> Result<Option<Conn>, String> {
    use super::http::{parse_head, peek_head, take_head};
    let silent = || {
        format!(
            "refused: no complete request within {} s",
            HANDSHAKE_WAIT.as_secs()
        )
    };
    let Some(tls) = &opts.tls else {
        let head = peek_head(&stream, HANDSHAKE_WAIT, stop);
        let _ = stream.set_read_timeout(Some(HANDSHAKE_WAIT));
        let mut conn = Conn::Plain(stream);
        return match head {
            Ok(Some(head)) if !head.upgrade => {
                take_head(&mut conn, &head)
                    .and_then(|()| plain_http(&mut conn, &head, rooms))
                    .map_err(|e| format!("HTTP: {e}"))?;
                Ok(None)
            }
            Ok(Some(_)) => Ok(Some(conn)),
            Ok(None) if stop.load(Ordering::Relaxed) => Ok(None),
            Ok(None) => Err(silent()),
            Err(e) => Err(format!("refused: {e}")),
        };
    };
    let _ = stream.set_read_timeout(Some(HANDSHAKE_WAIT));
    let mut tls = super::tls::accept(stream, tls).map_err(|e| format!("refused: TLS: {e}"))?;
    let bytes = super::conn::read_head(&mut tls, super::http::MAX_HEAD)
        .map_err(|e| format!("refused: {e}"))?
        .ok_or_else(silent)?;
    let head = parse_head(&bytes).ok_or_else(silent)?;
    if head.upgrade {
        // The WebSocket handshake reads the head again.
        return Ok(Some(Conn::Tls {
            head: std::io::Cursor::new(bytes),
            stream: Box::new(tls),
        }));
    }
    plain_http(&mut tls, &head, rooms).map_err(|e| format!("HTTP: {e}"))?;
    tls.conn.send_close_notify();
    let _ = tls.flush();
    Ok(None)
}

/// Relays one peer's messages until it leaves or the relay stops.
fn relay(
    ws: &mut WebSocket<Conn>,
    id: u64,
    role: Role,
    room: &Room,
    rx: &Receiver<Vec<u8>>,
    stop: &AtomicBool,
    log: &Log,
) -> Result<(), String> {
    let sv = room.doc.transact().state_vector();
    send(ws, protocol::sync_step1(&sv))?;
    if let Some(states) = awareness_states(room) {
        send(ws, states)?;
    }
    let mut strikes = 0;
    ws.get_mut()
        .tcp()
        .set_nonblocking(true)
        .map_err(|e| e.to_string())?;
    while !stop.load(Ordering::Relaxed) {
        // Wait for what others send (it goes out at once), looking at this peer's socket every
        // millisecond while the room is busy. A socket read timeout would be rounded to the
        // kernel's tick.
        let poll = if room.busy() { POLL_BUSY } else { POLL_IDLE };
        if let Ok(out) = rx.recv_timeout(poll) {
            send(ws, out)?;
            while let Ok(out) = rx.try_recv() {
                send(ws, out)?;
            }
        }
        flush(ws)?;
        let bytes = match ws.read() {
            Ok(WsMessage::Binary(b)) => b.to_vec(),
            Ok(WsMessage::Close(_)) => return Ok(()),
            Ok(_) => continue,
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                continue;
            }
            Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                return Ok(());
            }
            Err(tungstenite::Error::Capacity(e)) => {
                return Err(format!("sent a message over the limit ({e}); disconnected"));
            }
            Err(e) => return Err(e.to_string()),
        };
        room.touch();
        let refuse = |why: String, strikes: &mut u32| -> Result<(), String> {
            *strikes += 1;
            log(format!("room {}: peer {id}: {why}; refused", room.name));
            if *strikes > MAX_STRIKES {
                return Err(format!(
                    "sent {MAX_STRIKES} unreadable messages; disconnected"
                ));
            }
            Ok(())
        };
        match protocol::decode(&bytes) {
            Ok(Message::Sync(SyncMessage::SyncStep1(sv))) => {
                let diff = room.doc.transact().encode_diff_v1(&sv);
                send(ws, protocol::sync_step2(diff))?;
            }
            Ok(Message::Sync(SyncMessage::SyncStep2(u) | SyncMessage::Update(u))) => {
                if role == Role::Viewer {
                    refuse("a viewer tried to edit".into(), &mut strikes)?;
                    continue;
                }
                match apply(room, &u) {
                    Ok(()) => broadcast(room, id, protocol::update(u)),
                    Err(why) => refuse(why, &mut strikes)?,
                }
            }
            Ok(Message::Awareness(update)) => {
                {
                    let mut st = lock(&room.state);
                    for (client, e) in &update.clients {
                        let newer = st
                            .awareness
                            .get(&client.get())
                            .is_none_or(|(c, _, _)| e.clock >= *c);
                        if newer {
                            st.awareness
                                .insert(client.get(), (e.clock, e.json.to_string(), id));
                        }
                    }
                }
                broadcast(room, id, bytes);
            }
            Ok(Message::AwarenessQuery) => {
                if let Some(states) = awareness_states(room) {
                    send(ws, states)?;
                }
            }
            Ok(_) => {}
            Err(e) => refuse(e.to_string(), &mut strikes)?,
        }
    }
    let _ = ws.close(None);
    let _ = ws.flush();
    Ok(())
}

/// Sends a message; what the non-blocking socket cannot take yet goes with the next flush.
fn send(ws: &mut WebSocket<Conn>, bytes: Vec<u8>) -> Result<(), String> {
    would_block_is_fine(ws.send(WsMessage::Binary(bytes.into())))
}

fn flush(ws: &mut WebSocket<Conn>) -> Result<(), String> {
    would_block_is_fine(ws.flush())
}

fn would_block_is_fine(r: Result<(), tungstenite::Error>) -> Result<(), String> {
    match r {
        Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
        other => other.map_err(|e| e.to_string()),
    }
}

/// Applies an update to the room's document, refusing one that does not decode or would make
/// the room too large.
fn apply(room: &Room, bytes: &[u8]) -> Result<(), String> {
    let update =
        Update::decode_v1(bytes).map_err(|e| format!("an update that does not decode ({e})"))?;
    {
        let st = lock(&room.state);
        if st.bytes + bytes.len() > MAX_ROOM_BYTES {
            return Err(format!(
                "an update that would take the room past {MAX_ROOM_BYTES} bytes"
            ));
        }
    }
    room.doc
        .transact_mut()
        .apply_update(update)
        .map_err(|e| format!("an update that does not apply ({e})"))?;
    let mut st = lock(&room.state);
    st.bytes += bytes.len();
    st.dirty = true;
    Ok(())
}

fn broadcast(room: &Room, from: u64, bytes: Vec<u8>) {
    let st = lock(&room.state);
    for (peer, tx) in &st.peers {
        if *peer != from {
            let _ = tx.send(bytes.clone());
        }
    }
}

/// Every known presence in the room, for a newcomer.
fn awareness_states(room: &Room) -> Option<Vec<u8>> {
    let st = lock(&room.state);
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
                    yrs::sync::awareness::AwarenessUpdateEntry {
                        clock: *clock,
                        json: json.as_str().into(),
                    },
                )
            })
            .collect(),
    };
    Some(protocol::awareness(update))
}

/// Runs a relay until Ctrl+C, printing the address to share and what happens.
pub fn serve(opts: RelayOptions, out: Log) -> Result<(), RelayError> {
    let relay = Relay::start(opts.clone(), Arc::clone(&out))?;
    let addr = relay.addr();
    let host = if addr.ip().is_unspecified() {
        "HOST".to_owned()
    } else {
        addr.ip().to_string()
    };
    out(format!("archboard relay listening on {addr}"));
    out(format!(
        "share a room as {}://{host}:{}/ROOM{} (archboard FILE --join …, or any y-websocket client)",
        if opts.tls.is_some() { "wss" } else { "ws" },
        addr.port(),
        if opts.token.is_some() {
            "?token=…"
        } else {
            ""
        }
    ));
    if let Some(dir) = &opts.dir {
        out(format!("rooms are kept in {}", dir.display()));
    }
    let (tx, rx) = channel::<()>();
    // Ctrl+C, SIGTERM and SIGHUP all end here. Without a handler (another already installed)
    // they still end the process, unsaved, so say so.
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(());
    }) {
        out(format!(
            "cannot catch signals ({e}): stopping it will not write the rooms"
        ));
    }
    let _ = rx.recv();
    let changed = relay.changed_rooms();
    out(format!(
        "stopping: no new peers; letting {} go; writing {}",
        crate::text::count(relay.peers(), "peer"),
        crate::text::count(changed, "changed room")
    ));
    relay.stop();
    out("stopped".into());
    Ok(())
}

/// Reads a room file as the relay would, for tests and tools.
pub fn read_room_file(path: &Path) -> Option<Doc> {
    let bytes = std::fs::read(path).ok()?;
    let doc = Doc::new();
    let u = Update::decode_v1(&bytes).ok()?;
    doc.transact_mut().apply_update(u).ok()?;
    Some(doc)
}
