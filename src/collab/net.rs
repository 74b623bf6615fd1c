//! The client's side of the wire: connecting to a relay, and a task that keeps a shared board
//! in sync with its room, reconnecting with backoff when the connection drops.
//!
//! The task runs on the process's network runtime ([`super::runtime`]) and waits on its socket
//! and on its owner's channel at once, so what arrives is handled the moment it does and an
//! idle room costs nothing. It only reads the shared document (to answer a relay's sync
//! request). What arrives is handed to the owner of the [`super::SharedBoard`] through a
//! channel, with a wake-up call so a window repaints; what the owner sends goes the other way.
//! The window never waits on the network.

use super::hocuspocus::{Inbound, Wire};
use super::protocol::{self, MAX_MESSAGE_BYTES};
use super::url::RoomUrl;
use futures_util::{SinkExt, StreamExt};
use std::io;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_tungstenite::WebSocketStream;
use tungstenite::Message as WsMessage;
use tungstenite::protocol::WebSocketConfig;
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

/// A byte stream a WebSocket runs over: plain TCP or TLS, on either side.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub type Socket = WebSocketStream<Box<dyn Io>>;

/// How long connecting may take before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);

/// The WebSocket limits both sides use: a message over [`MAX_MESSAGE_BYTES`] ends the
/// connection instead of filling memory.
pub fn config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
        .read_buffer_size(READ_BUFFER)
}

/// The socket's read buffer. tungstenite zeroes a buffer of this size for reads; a relay holds
/// one per peer, so the default 128 KiB would be most of its memory.
pub const READ_BUFFER: usize = 4 * 1024;

/// Opens a WebSocket to the room, within [`CONNECT_TIMEOUT`] (plus y-sweet's token requests).
pub async fn connect(url: &RoomUrl) -> Result<Socket, ConnectError> {
    let url = if url.ysweet {
        let u = url.clone();
        let asked = tokio::task::spawn_blocking(move || super::ysweet::room_address(&u)).await;
        let where_ = format!("{}:{}", url.host, url.port);
        asked
            .map_err(|e| ConnectError::Handshake(where_.clone(), e.to_string()))?
            .map_err(|e| ConnectError::Handshake(where_, e))?
    } else {
        url.clone()
    };
    let where_ = format!("{}:{}", url.host, url.port);
    match tokio::time::timeout(CONNECT_TIMEOUT, open(&url, &where_)).await {
        Ok(r) => r,
        Err(_) => Err(ConnectError::Handshake(
            where_,
            format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        )),
    }
}

async fn open(url: &RoomUrl, where_: &str) -> Result<Socket, ConnectError> {
    let tcp = tokio::net::TcpStream::connect((url.host.as_str(), url.port))
        .await
        .map_err(|e| ConnectError::Unreachable(where_.to_owned(), e))?;
    let _ = tcp.set_nodelay(true);
    let stream: Box<dyn Io> = if url.secure {
        let config = super::tls::client_config().map_err(ConnectError::Tls)?;
        let name = super::tls::server_name(&url.host).map_err(ConnectError::Tls)?;
        let tls = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(
                |e| match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                    Some(rustls::Error::InvalidCertificate(why)) => {
                        ConnectError::Certificate(where_.to_owned(), format!("{why:?}"))
                    }
                    _ => ConnectError::Tls(e.to_string()),
                },
            )?;
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    let request = url.socket_address();
    let (ws, _) =
        tokio_tungstenite::client_async_with_config(request.as_str(), stream, Some(config()))
            .await
            .map_err(|e| match e {
                tungstenite::Error::Http(resp) => {
                    let body = resp
                        .body()
                        .as_ref()
                        .map(|b| String::from_utf8_lossy(b).trim().to_owned())
                        .filter(|b| !b.is_empty())
                        .unwrap_or_else(|| resp.status().to_string());
                    ConnectError::Refused(where_.to_owned(), body)
                }
                other => ConnectError::Handshake(where_.to_owned(), other.to_string()),
            })?;
    Ok(ws)
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
    /// The socket opened but the server has said nothing, as a server of another kind would;
    /// the connection carries on in case it is only slow.
    Silent(String),
}

enum Outgoing {
    Update(Vec<u8>),
    Presence(String),
    /// Ask the relay for what we lack; its answer comes after everything we sent before.
    Resync,
    Stop,
}

/// A room connection running on the network runtime.
pub struct Client {
    to_net: UnboundedSender<Outgoing>,
    from_net: Receiver<Incoming>,
    /// Disconnects when the connection's task has ended (its sender is dropped).
    ended: Receiver<()>,
}

/// How often our presence is sent again, so relays and peers keep it (y-protocols drop states
/// not renewed within 30 s).
const RENEW: Duration = Duration::from_secs(15);

/// How long dropping a client waits for its goodbye to go out.
const GOODBYE: Duration = Duration::from_secs(2);

impl Client {
    /// Connects to `url` in the background and keeps `doc` in sync with the room; `wake` is
    /// called whenever something arrives. `presence` is our awareness state (JSON).
    pub fn start(
        url: RoomUrl,
        doc: Doc,
        presence: String,
        wake: Arc<dyn Fn() + Send + Sync>,
    ) -> Self {
        let (to_net, net_rx) = unbounded_channel();
        let (net_tx, from_net) = channel();
        let (ended_tx, ended) = channel();
        match super::runtime::shared() {
            Ok(rt) => {
                rt.spawn(async move {
                    run(url, doc, presence, net_rx, net_tx, wake).await;
                    drop(ended_tx);
                });
            }
            Err(why) => {
                let _ = net_tx.send(Incoming::Connection(Connection::Refused(why)));
                wake();
            }
        }
        Self {
            to_net,
            from_net,
            ended,
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
    /// Says goodbye to the room (a closing frame, so peers see us leave at once), waiting a
    /// moment for it to go out.
    fn drop(&mut self) {
        let _ = self.to_net.send(Outgoing::Stop);
        let _ = self.ended.recv_timeout(GOODBYE);
    }
}

/// Why a session with the relay ended.
enum Ended {
    Stop,
    Refused,
    Lost(String),
}

/// Waits until the owner says stop (or is gone), keeping the presence it sets meanwhile.
async fn until_stop(rx: &mut UnboundedReceiver<Outgoing>, presence: &mut String) {
    loop {
        match rx.recv().await {
            None | Some(Outgoing::Stop) => return,
            Some(Outgoing::Presence(p)) => *presence = p,
            Some(Outgoing::Update(_) | Outgoing::Resync) => {}
        }
    }
}

async fn run(
    url: RoomUrl,
    doc: Doc,
    mut presence: String,
    mut rx: UnboundedReceiver<Outgoing>,
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
        let connected = tokio::select! {
            c = connect(&url) => c,
            () = until_stop(&mut rx, &mut presence) => {
                say(Incoming::Connection(Connection::Closed));
                return;
            }
        };
        let why = match connected {
            Ok(mut ws) => {
                attempt = 0;
                down_since = None;
                match session(&mut ws, &wire, &doc, &mut presence, &mut rx, &say).await {
                    Ended::Stop => {
                        let _ = tokio::time::timeout(GOODBYE, ws.close(None)).await;
                        say(Incoming::Connection(Connection::Closed));
                        return;
                    }
                    Ended::Refused => return,
                    Ended::Lost(lost) => format!("lost the connection: {lost}"),
                }
            }
            Err(e) if e.is_final() => {
                say(Incoming::Connection(Connection::Refused(e.to_string())));
                return;
            }
            Err(e) => e.to_string(),
        };
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
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = until_stop(&mut rx, &mut presence) => {
                say(Incoming::Connection(Connection::Closed));
                return;
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
async fn session(
    ws: &mut Socket,
    wire: &Wire,
    doc: &Doc,
    presence: &mut String,
    rx: &mut UnboundedReceiver<Outgoing>,
    say: &(dyn Fn(Incoming) + Sync),
) -> Ended {
    let mut awareness = Awareness::new(doc.clone());
    awareness.set_local_state_raw(presence.as_str());
    let sv = doc.transact().state_vector();
    let mut first: Vec<Vec<u8>> = wire.hello().into_iter().collect();
    first.push(wire.out(protocol::sync_step1(&sv)));
    first.extend(protocol::awareness_of(&awareness).map(|m| wire.out(m)));
    for m in first {
        if let Err(e) = ws.feed(WsMessage::Binary(m.into())).await {
            return Ended::Lost(e.to_string());
        }
    }
    if let Err(e) = ws.flush().await {
        return Ended::Lost(e.to_string());
    }
    let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + RENEW, RENEW);
    let mut synced = false;
    let silent = tokio::time::sleep(SILENT_FOR);
    tokio::pin!(silent);
    // Only a bare y-websocket connection can tell a silent server from a slow one.
    let mut listening = *wire == Wire::Plain;
    loop {
        let mut out: Vec<Vec<u8>> = Vec::new();
        tokio::select! {
            () = &mut silent, if listening => {
                listening = false;
                say(Incoming::Silent(format!(
                    "the server accepted the connection but sent nothing within {} s; \
                     if it is a Hocuspocus server, write the address as hocuspocus+ws://…",
                    SILENT_FOR.as_secs()
                )));
            }
            incoming = ws.next() => {
                listening = false;
                let bytes = match incoming {
                    Some(Ok(WsMessage::Binary(b))) => b,
                    Some(Ok(WsMessage::Close(_))) | None => {
                        return Ended::Lost("the relay closed the connection".into());
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Ended::Lost(e.to_string()),
                };
                match take_in(wire, doc, &mut awareness, &mut synced, &bytes, say) {
                    Step::Reply(m) => out.push(m),
                    Step::End(end) => return end,
                    Step::Nothing => {}
                }
            }
            next = rx.recv() => {
                // Everything the owner has queued goes out in one write.
                let mut next = next;
                while let Some(o) = next {
                    let m = match o {
                        Outgoing::Update(u) => Some(protocol::update(u)),
                        Outgoing::Presence(p) => {
                            *presence = p;
                            awareness.set_local_state_raw(presence.as_str());
                            protocol::awareness_of(&awareness)
                        }
                        Outgoing::Resync => Some(protocol::sync_step1(&doc.transact().state_vector())),
                        Outgoing::Stop => return Ended::Stop,
                    };
                    out.extend(m.map(|m| wire.out(m)));
                    next = rx.try_recv().ok();
                }
                if out.is_empty() && rx.is_closed() {
                    return Ended::Stop;
                }
            }
            _ = renew.tick() => {
                awareness.set_local_state_raw(presence.as_str());
                out.extend(protocol::awareness_of(&awareness).map(|m| wire.out(m)));
            }
        }
        if out.is_empty() {
            continue;
        }
        for m in out {
            if let Err(e) = ws.feed(WsMessage::Binary(m.into())).await {
                return Ended::Lost(e.to_string());
            }
        }
        if let Err(e) = ws.flush().await {
            return Ended::Lost(e.to_string());
        }
    }
}

/// How long a y-websocket relay may stay silent after the socket opens: every one sends its
/// sync request at once, and Hocuspocus sends nothing until it is spoken to in its framing.
const SILENT_FOR: Duration = Duration::from_secs(3);

/// What one message from the relay calls for.
enum Step {
    Reply(Vec<u8>),
    End(Ended),
    Nothing,
}

/// Handles one message from the relay.
fn take_in(
    wire: &Wire,
    doc: &Doc,
    awareness: &mut Awareness,
    synced: &mut bool,
    bytes: &[u8],
    say: &dyn Fn(Incoming),
) -> Step {
    let bytes = match wire.inbound(bytes) {
        Inbound::Protocol(b) => b,
        Inbound::Denied(reason) => {
            say(Incoming::Connection(Connection::Refused(format!(
                "the server refused to let us in ({reason}): check the token"
            ))));
            return Step::End(Ended::Refused);
        }
        Inbound::Closed => return Step::End(Ended::Lost("the server closed the room".into())),
        Inbound::Skip => return Step::Nothing,
        Inbound::Bare => {
            say(Incoming::Connection(Connection::Refused(
                "this is a y-websocket relay (archboard serve, y-websocket), not Hocuspocus: \
                 write the address as ws://HOST:PORT/ROOM"
                    .into(),
            )));
            return Step::End(Ended::Refused);
        }
    };
    match protocol::decode(bytes) {
        Ok(Message::Sync(SyncMessage::SyncStep1(sv))) => {
            let diff = doc.transact().encode_diff_v1(&sv);
            return Step::Reply(wire.out(protocol::sync_step2(diff)));
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
            return Step::End(Ended::Refused);
        }
        Ok(_) => {}
        Err(e) => say(Incoming::Problem(format!(
            "The relay sent something that could not be read ({e}); it was ignored"
        ))),
    }
    Step::Nothing
}
