//! The desktop's room connection: a task on the process's network runtime
//! ([`crate::collab::runtime`]) that waits on its socket and on its owner's channel at once, so
//! what arrives is handled the moment it does and an idle room costs nothing.

use super::{
    CONNECT_TIMEOUT, ConnectError, Connection, Ended, Incoming, RENEW, SILENT_FOR, Step, backoff,
    take_in,
};
use crate::collab::hocuspocus::Wire;
use crate::collab::protocol::{self, MAX_MESSAGE_BYTES};
use crate::collab::url::RoomUrl;
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_tungstenite::WebSocketStream;
use tungstenite::Message as WsMessage;
use tungstenite::protocol::WebSocketConfig;
use web_time::Instant;
use yrs::sync::Awareness;
use yrs::{Doc, ReadTxn, Transact};

/// A byte stream a WebSocket runs over: plain TCP or TLS, on either side.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

pub type Socket = WebSocketStream<Box<dyn Io>>;

/// How long dropping a client waits for its goodbye to go out.
const GOODBYE: Duration = Duration::from_secs(2);

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
        let asked =
            tokio::task::spawn_blocking(move || crate::collab::ysweet::room_address(&u)).await;
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
        let config = crate::collab::tls::client_config().map_err(ConnectError::Tls)?;
        let name = crate::collab::tls::server_name(&url.host).map_err(ConnectError::Tls)?;
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
        match crate::collab::runtime::shared() {
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
        let wait = backoff(attempt);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = until_stop(&mut rx, &mut presence) => {
                say(Incoming::Connection(Connection::Closed));
                return;
            }
        }
    }
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
