//! The client's side of the wire: connecting to a relay, and a thread that keeps a shared board
//! in sync with its room, reconnecting with backoff when the connection drops.
//!
//! The thread only reads the shared document (to answer a relay's sync request). What arrives
//! is handed to the owner of the [`super::SharedBoard`] through a channel, with a wake-up call
//! so a window repaints; what the owner sends goes the other way. The window never waits on
//! the network.

use super::hocuspocus::{Inbound, Wire};
use super::protocol::{self, MAX_MESSAGE_BYTES};
use super::url::RoomUrl;
use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message as WsMessage, WebSocket};
use yrs::sync::{Awareness, Message, SyncMessage};
use yrs::{Doc, ReadTxn, Transact};

/// Why a connection could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot reach {0}: {1}")]
    Unreachable(String, #[source] io::Error),
    #[error("{0} refused to join the room: {1}")]
    Refused(String, String),
    #[error("{0} did not answer as a WebSocket relay: {1}")]
    Handshake(String, String),
    #[error("wss:// needs TLS: {0}")]
    Tls(String),
    #[error(
        "{0}: its certificate was refused ({1}); to trust a certificate authority of your own, \
         set ARCHBOARD_TLS_CA to its PEM file"
    )]
    Certificate(String, String),
}

impl ConnectError {
    /// Whether trying again cannot help (a wrong token, a refused room).
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            ConnectError::Refused(..) | ConnectError::Certificate(..)
        )
    }
}

pub type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// How long connecting may take before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);

fn config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
        .read_buffer_size(READ_BUFFER)
}

/// The socket's read buffer. tungstenite zeroes a buffer of this size on every read, and the
/// connection thread reads every millisecond while a room is busy: at the default 128 KiB that
/// zeroing was half of all the CPU a load test of 200 peers used (measured with perf).
pub const READ_BUFFER: usize = 4 * 1024;

/// Opens a WebSocket to the room, within [`CONNECT_TIMEOUT`].
pub fn connect(url: &RoomUrl) -> Result<Socket, ConnectError> {
    if url.ysweet {
        let room = super::ysweet::room_address(url)
            .map_err(|e| ConnectError::Handshake(format!("{}:{}", url.host, url.port), e))?;
        return connect(&room);
    }
    let where_ = format!("{}:{}", url.host, url.port);
    let addrs: Vec<_> = (url.host.as_str(), url.port)
        .to_socket_addrs()
        .map_err(|e| ConnectError::Unreachable(where_.clone(), e))?
        .collect();
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
    let mut stream = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, CONNECT_TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = e,
        }
    }
    let stream = stream.ok_or_else(|| ConnectError::Unreachable(where_.clone(), last))?;
    let _ = stream.set_nodelay(true);
    // The handshake must not hang on a server that accepts and then says nothing.
    let _ = stream.set_read_timeout(Some(CONNECT_TIMEOUT));
    let _ = stream.set_write_timeout(Some(CONNECT_TIMEOUT));
    let stream = wrap_tls(url, stream)?;
    let request = url.socket_address();
    let (ws, _) = tungstenite::client::client_with_config(request.as_str(), stream, Some(config()))
        .map_err(|e| match e {
            tungstenite::HandshakeError::Failure(tungstenite::Error::Http(resp)) => {
                let body = resp
                    .body()
                    .as_ref()
                    .map(|b| String::from_utf8_lossy(b).trim().to_owned())
                    .filter(|b| !b.is_empty())
                    .unwrap_or_else(|| resp.status().to_string());
                ConnectError::Refused(where_.clone(), body)
            }
            tungstenite::HandshakeError::Failure(tungstenite::Error::Io(e))
                if e.to_string().contains("invalid peer certificate") =>
            {
                let why = e.to_string();
                let why = why
                    .trim_start_matches("invalid peer certificate: ")
                    .to_owned();
                ConnectError::Certificate(where_.clone(), why)
            }
            other => ConnectError::Handshake(where_.clone(), other.to_string()),
        })?;
    Ok(ws)
}

fn wrap_tls(url: &RoomUrl, stream: TcpStream) -> Result<MaybeTlsStream<TcpStream>, ConnectError> {
    if !url.secure {
        return Ok(MaybeTlsStream::Plain(stream));
    }
    super::tls::wrap(&url.host, stream).map_err(ConnectError::Tls)
}

/// Makes the socket's reads and writes return at once (`WouldBlock`) instead of waiting.
pub fn set_nonblocking(ws: &mut Socket) -> io::Result<()> {
    match super::tls::tcp_of(ws.get_mut()) {
        Some(tcp) => tcp.set_nonblocking(true),
        None => Ok(()),
    }
}

/// The next binary message, or `None` when nothing is there (yet).
pub fn recv(ws: &mut Socket) -> Result<Option<Vec<u8>>, tungstenite::Error> {
    match ws.read() {
        Ok(WsMessage::Binary(b)) => Ok(Some(b.to_vec())),
        Ok(WsMessage::Close(_)) => Err(tungstenite::Error::ConnectionClosed),
        Ok(_) => Ok(None),
        Err(tungstenite::Error::Io(e))
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Sends a message; on a non-blocking socket what does not fit yet is kept and goes out with
/// the next [`flush`].
pub fn send(ws: &mut Socket, bytes: Vec<u8>) -> Result<(), tungstenite::Error> {
    would_block_is_fine(ws.send(WsMessage::Binary(bytes.into())))
}

/// Writes out what [`send`] kept.
pub fn flush(ws: &mut Socket) -> Result<(), tungstenite::Error> {
    would_block_is_fine(ws.flush())
}

fn would_block_is_fine(r: Result<(), tungstenite::Error>) -> Result<(), tungstenite::Error> {
    match r {
        Err(tungstenite::Error::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
        other => other,
    }
}

/// Where the connection stands, for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    /// In the room and synced.
    Connected,
    /// The connection dropped (or never came); the next try is under way or waiting.
    Reconnecting {
        since: Instant,
        attempt: u32,
        why: String,
    },
    /// The relay said no (a wrong token): trying again will not help.
    Refused(String),
    Closed,
}

/// What the network thread hands over.
#[derive(Debug)]
pub enum Incoming {
    /// A sync reply or an update from a peer, for [`super::SharedBoard::receive`].
    Update(Vec<u8>),
    /// A sync reply has been handed over: the room's state up to our request is in.
    Synced,
    Connection(Connection),
    /// Who else is here: each peer's awareness state (JSON), by client id.
    Peers(Vec<(u64, String)>),
    /// Something arrived that could not be used; the connection carries on.
    Problem(String),
}

enum Outgoing {
    Update(Vec<u8>),
    Presence(String),
    /// Ask the relay for what we lack; its answer comes after everything we sent before.
    Resync,
    Stop,
}

/// A room connection running on its own thread.
pub struct Client {
    to_net: Sender<Outgoing>,
    from_net: Receiver<Incoming>,
    worker: Option<std::thread::JoinHandle<()>>,
}

/// How often our presence is sent again, so relays and peers keep it (y-protocols drop states
/// not renewed within 30 s).
const RENEW: Duration = Duration::from_secs(15);
/// How long a read waits before the thread looks at what it has to send: briefly while the
/// room is busy (an edit reaches the relay within a millisecond or two), longer when it is
/// quiet (an idle window costs next to nothing).
const POLL_BUSY: Duration = Duration::from_millis(1);
const POLL_IDLE: Duration = Duration::from_millis(20);
/// How long after the last message the room counts as busy.
const BUSY_FOR: Duration = Duration::from_secs(2);

impl Client {
    /// Connects to `url` on a new thread and keeps `doc` in sync with the room; `wake` is
    /// called whenever something arrives. `presence` is our awareness state (JSON).
    pub fn start(
        url: RoomUrl,
        doc: Doc,
        presence: String,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Self {
        let (to_net, net_rx) = channel();
        let (net_tx, from_net) = channel();
        let worker = std::thread::Builder::new()
            .name("archboard-net".into())
            .spawn(move || run(url, doc, presence, net_rx, net_tx, wake))
            .ok();
        Self {
            to_net,
            from_net,
            worker,
        }
    }

    /// Sends our changes. While offline they are dropped here: the sync after reconnecting
    /// carries everything the room lacks.
    pub fn send_update(&self, update: Vec<u8>) {
        let _ = self.to_net.send(Outgoing::Update(update));
    }

    pub fn set_presence(&self, json: String) {
        let _ = self.to_net.send(Outgoing::Presence(json));
    }

    /// Asks the room for a sync; [`Incoming::Synced`] follows once the relay has answered,
    /// which it does only after everything sent before.
    pub fn resync(&self) {
        let _ = self.to_net.send(Outgoing::Resync);
    }

    /// What arrived since the last call.
    pub fn poll(&self) -> Vec<Incoming> {
        self.from_net.try_iter().collect()
    }

    /// Waits up to `limit` for something to arrive (for commands without a window).
    pub fn wait(&self, limit: Duration) -> Option<Incoming> {
        self.from_net.recv_timeout(limit).ok()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.to_net.send(Outgoing::Stop);
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// Why a session with the relay ended.
enum Ended {
    Stop,
    Refused,
    Lost(String),
}

fn run(
    url: RoomUrl,
    doc: Doc,
    mut presence: String,
    rx: Receiver<Outgoing>,
    tx: Sender<Incoming>,
    wake: Arc<dyn Fn() + Send + Sync>,
) {
    let say = |m: Incoming| {
        let _ = tx.send(m);
        wake();
    };
    let wire = Wire::of(&url);
    let mut attempt = 0u32;
    let mut down_since: Option<Instant> = None;
    say(Incoming::Connection(Connection::Connecting));
    loop {
        let why;
        match connect(&url) {
            Ok(mut ws) => {
                attempt = 0;
                down_since = None;
                match session(&mut ws, &wire, &doc, &mut presence, &rx, &say) {
                    Ended::Stop => {
                        let _ = ws.close(None);
                        let _ = ws.flush();
                        say(Incoming::Connection(Connection::Closed));
                        return;
                    }
                    Ended::Refused => return,
                    Ended::Lost(lost) => why = format!("lost the connection: {lost}"),
                }
            }
            Err(e) if e.is_final() => {
                say(Incoming::Connection(Connection::Refused(e.to_string())));
                return;
            }
            Err(e) => why = e.to_string(),
        }
        attempt += 1;
        let since = *down_since.get_or_insert_with(Instant::now);
        say(Incoming::Connection(Connection::Reconnecting {
            since,
            attempt,
            why,
        }));
        // Backoff: 0.25 s, 0.5 s, 1 s, 2 s, 4 s, then every 5 s, with a little jitter so peers
        // that lost one relay do not all come back at once.
        let base = Duration::from_millis(250 * (1u64 << attempt.min(5).saturating_sub(1)));
        let wait = base.min(Duration::from_secs(5)) + jitter();
        let until = Instant::now() + wait;
        while Instant::now() < until {
            match rx.recv_timeout(Duration::from_millis(50)) {
                Ok(Outgoing::Stop) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    say(Incoming::Connection(Connection::Closed));
                    return;
                }
                Ok(Outgoing::Presence(p)) => presence = p,
                Ok(Outgoing::Update(_) | Outgoing::Resync) | Err(_) => {}
            }
        }
    }
}

fn jitter() -> Duration {
    let mut b = [0u8; 1];
    super::url::fill_random(&mut b);
    Duration::from_millis(u64::from(b[0]))
}

/// One connection's life: sync, then relay updates both ways until it drops or we stop.
///
/// The socket does not block: the thread waits on its channel instead, so what the owner sends
/// goes out at once, and it looks at the socket every millisecond while the room is busy
/// (every 20 ms when quiet). A socket read timeout would be coarser: the kernel rounds it to
/// its tick.
fn session(
    ws: &mut Socket,
    wire: &Wire,
    doc: &Doc,
    presence: &mut String,
    rx: &Receiver<Outgoing>,
    say: &dyn Fn(Incoming),
) -> Ended {
    if let Err(e) = set_nonblocking(ws) {
        return Ended::Lost(e.to_string());
    }
    let mut awareness = Awareness::new(doc.clone());
    awareness.set_local_state_raw(presence.as_str());
    let sv = doc.transact().state_vector();
    let mut first: Vec<Vec<u8>> = wire.hello().into_iter().collect();
    first.push(wire.out(protocol::sync_step1(&sv)));
    first.extend(protocol::awareness_of(&awareness).map(|m| wire.out(m)));
    for m in first {
        if let Err(e) = send(ws, m) {
            return Ended::Lost(e.to_string());
        }
    }
    let mut renewed = Instant::now();
    let mut last_traffic = Instant::now();
    let mut synced = false;
    loop {
        // Everything that has arrived.
        loop {
            let bytes = match recv(ws) {
                Ok(Some(b)) => b,
                Ok(None) => break,
                Err(e) => return Ended::Lost(e.to_string()),
            };
            last_traffic = Instant::now();
            if let Some(end) = take_in(ws, wire, doc, &mut awareness, &mut synced, &bytes, say) {
                return end;
            }
        }
        if let Err(e) = flush(ws) {
            return Ended::Lost(e.to_string());
        }
        if renewed.elapsed() > RENEW {
            renewed = Instant::now();
            awareness.set_local_state_raw(presence.as_str());
            if let Some(m) = protocol::awareness_of(&awareness)
                && let Err(e) = send(ws, wire.out(m))
            {
                return Ended::Lost(e.to_string());
            }
        }
        // What the owner sends, or the next look at the socket.
        let poll = if last_traffic.elapsed() < BUSY_FOR {
            POLL_BUSY
        } else {
            POLL_IDLE
        };
        let mut next = rx.recv_timeout(poll).map_err(|e| match e {
            std::sync::mpsc::RecvTimeoutError::Timeout => TryRecvError::Empty,
            std::sync::mpsc::RecvTimeoutError::Disconnected => TryRecvError::Disconnected,
        });
        loop {
            let out = match next {
                Ok(Outgoing::Update(u)) => protocol::update(u),
                Ok(Outgoing::Presence(p)) => {
                    *presence = p;
                    awareness.set_local_state_raw(presence.as_str());
                    renewed = Instant::now();
                    match protocol::awareness_of(&awareness) {
                        Some(m) => m,
                        None => {
                            next = rx.try_recv();
                            continue;
                        }
                    }
                }
                Ok(Outgoing::Resync) => protocol::sync_step1(&doc.transact().state_vector()),
                Ok(Outgoing::Stop) | Err(TryRecvError::Disconnected) => return Ended::Stop,
                Err(TryRecvError::Empty) => break,
            };
            if let Err(e) = send(ws, wire.out(out)) {
                return Ended::Lost(e.to_string());
            }
            last_traffic = Instant::now();
            next = rx.try_recv();
        }
    }
}

/// Handles one message from the relay; `Some` ends the session.
fn take_in(
    ws: &mut Socket,
    wire: &Wire,
    doc: &Doc,
    awareness: &mut Awareness,
    synced: &mut bool,
    bytes: &[u8],
    say: &dyn Fn(Incoming),
) -> Option<Ended> {
    let bytes = match wire.inbound(bytes) {
        Inbound::Protocol(b) => b,
        Inbound::Denied(reason) => {
            say(Incoming::Connection(Connection::Refused(format!(
                "the server refused to let us in ({reason}): check the token"
            ))));
            return Some(Ended::Refused);
        }
        Inbound::Closed => return Some(Ended::Lost("the server closed the room".into())),
        Inbound::Skip => return None,
    };
    match protocol::decode(bytes) {
        Ok(Message::Sync(SyncMessage::SyncStep1(sv))) => {
            let diff = doc.transact().encode_diff_v1(&sv);
            if let Err(e) = send(ws, wire.out(protocol::sync_step2(diff))) {
                return Some(Ended::Lost(e.to_string()));
            }
        }
        Ok(Message::Sync(SyncMessage::SyncStep2(u))) => {
            say(Incoming::Update(u));
            say(Incoming::Synced);
            if !*synced {
                *synced = true;
                say(Incoming::Connection(Connection::Connected));
            }
        }
        Ok(Message::Sync(SyncMessage::Update(u))) => say(Incoming::Update(u)),
        Ok(Message::Awareness(update)) => {
            if awareness.apply_update(update).is_ok() {
                let me = awareness.client_id();
                let peers = awareness
                    .iter()
                    .filter(|(id, _)| *id != me)
                    .filter_map(|(id, state)| {
                        let json = state.data.as_deref()?;
                        (json != "null").then(|| (id.get(), json.to_owned()))
                    })
                    .collect();
                say(Incoming::Peers(peers));
            }
        }
        Ok(Message::Auth(Some(reason))) => {
            say(Incoming::Connection(Connection::Refused(reason)));
            return Some(Ended::Refused);
        }
        Ok(_) => {}
        Err(e) => say(Incoming::Problem(format!(
            "The relay sent something that could not be read ({e}); it was ignored"
        ))),
    }
    None
}
