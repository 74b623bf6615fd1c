//! One connection to the relay, from its first byte to its leaving: TLS when the relay has it,
//! the request (a page such as `/health`, or a WebSocket into a room), the admission check,
//! then the peer's messages, each decoded before it is applied or passed on.
//!
//! Peers are untrusted: a message that does not decode is refused and reported, and the other
//! peers never notice; a peer that keeps sending such messages, sends one over the size cap,
//! or reads slower than its room writes is let go. A client that stays silent is refused after
//! [`HANDSHAKE_WAIT`].

use super::room::{Full, MAX_PEERS, MAX_ROOMS, Room, Rooms};
use crate::collab::conn::{Prefixed, read_head};
use crate::collab::http::{Head, MAX_HEAD, parse_head, respond, respond_with};
use crate::collab::net::{Io, config};
use crate::collab::protocol;
use crate::collab::site;
use crate::collab::url::check_room;
use futures_util::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;
use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::{Bytes, Message as WsMessage};
use yrs::sync::{Message, SyncMessage};
use yrs::{ReadTxn, Transact};

/// How long a client may take to finish TLS, its request and the WebSocket handshake.
pub const HANDSHAKE_WAIT: Duration = Duration::from_secs(5);
/// Malformed messages a peer may send before the relay stops listening to it.
const MAX_STRIKES: u32 = 50;
/// Messages waiting for one peer before it counts as too slow to keep.
const OUTBOX: usize = 4_096;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Editor,
    Viewer,
}

/// What every connection shares.
pub struct Ctx {
    pub token: Option<String>,
    pub view_token: Option<String>,
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    pub rooms: Arc<Rooms>,
    pub log: super::Log,
    /// Turns true when the relay stops.
    pub stop: watch::Receiver<bool>,
    /// The web app's folder (`--web DIR`), served to plain HTTP requests.
    pub web: Option<PathBuf>,
}

type Ws = tokio_tungstenite::WebSocketStream<Prefixed<Box<dyn Io>>>;

/// Waits until the relay stops.
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Serves one connection until it ends; a refusal or a fault comes back as one line to log.
pub async fn serve(stream: tokio::net::TcpStream, from: SocketAddr, id: u64, ctx: &Ctx) {
    let _ = stream.set_nodelay(true);
    let mut stop = ctx.stop.clone();
    let opened = tokio::select! {
        o = tokio::time::timeout(HANDSHAKE_WAIT, open(stream, ctx)) => o,
        _ = stopped(&mut stop) => return,
    };
    let (ws, name, role) = match opened {
        Ok(Ok(Some(admitted))) => admitted,
        Ok(Ok(None)) => return,
        Ok(Err(why)) => return (ctx.log)(format!("peer {id} ({from}): refused: {why}")),
        Err(_) => {
            return (ctx.log)(format!(
                "peer {id} ({from}): refused: no complete request within {} s",
                HANDSHAKE_WAIT.as_secs()
            ));
        }
    };
    let (tx, rx) = tokio::sync::mpsc::channel(OUTBOX);
    let joined = tokio::task::block_in_place(|| ctx.rooms.join(&name, id, tx, &*ctx.log));
    let (room, here) = match joined {
        Ok(j) => j,
        Err(full) => {
            let why = match full {
                Full::Rooms => format!("the relay has {MAX_ROOMS} rooms already"),
                Full::Peers => format!("it has {MAX_PEERS} peers already"),
            };
            let mut ws = ws;
            let _ = ws.close(None).await;
            return (ctx.log)(format!("peer {id} ({from}): room {name} refused: {why}"));
        }
    };
    let watching = if role == Role::Viewer {
        " to watch"
    } else {
        ""
    };
    (ctx.log)(format!(
        "room {name}: peer {id} ({from}) joined{watching}; {here} here"
    ));
    let result = relay(ws, id, role, &room, rx, stop, ctx).await;
    let left = room.leave(id);
    if let Err(why) = result {
        (ctx.log)(format!("room {name}: peer {id}: {why}"));
    }
    (ctx.log)(format!("room {name}: peer {id} left; {left} here"));
}

/// TLS when the relay has it, then the request: a page is answered here (`None`), a WebSocket
/// comes back admitted to its room.
async fn open(
    stream: tokio::net::TcpStream,
    ctx: &Ctx,
) -> Result<Option<(Ws, String, Role)>, String> {
    let mut io: Box<dyn Io> = match &ctx.tls {
        Some(tls) => Box::new(tls.accept(stream).await.map_err(|e| format!("TLS: {e}"))?),
        None => Box::new(stream),
    };
    let bytes = read_head(&mut io, MAX_HEAD)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no complete request")?;
    let head = parse_head(&bytes).ok_or("not an HTTP request")?;
    if !head.upgrade {
        // Reading a file of the web app is a blocking read.
        let rooms = Arc::clone(&ctx.rooms);
        let web = ctx.web.clone();
        let answer = tokio::task::spawn_blocking(move || {
            let mut answer = Vec::new();
            page(&mut answer, &head, &rooms, web.as_deref()).map(|()| answer)
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
        io.write_all(&answer)
            .await
            .map_err(|e| format!("HTTP: {e}"))?;
        let _ = io.shutdown().await;
        return Ok(None);
    }
    let mut admitted = None;
    let ws = tokio_tungstenite::accept_hdr_async_with_config(
        Prefixed::new(bytes, io),
        Admit {
            ctx,
            admitted: &mut admitted,
        },
        Some(config()),
    )
    .await
    .map_err(|e| e.to_string())?;
    let (name, role) = admitted.ok_or("no room")?;
    Ok(Some((ws, name, role)))
}

/// Answers a request that is not a WebSocket: `/health` with the rooms and peers, for process
/// managers and load balancers; the web app's files when the relay serves them (`web`);
/// anything else with how to reach a room.
fn page(out: &mut Vec<u8>, head: &Head, rooms: &Rooms, web: Option<&Path>) -> std::io::Result<()> {
    let path = head.path.split('?').next().unwrap_or_default();
    let get = matches!(head.method.as_str(), "GET" | "HEAD");
    if get && path == "/health" {
        let (count, peers) = rooms.census();
        let body = format!("{{\"status\":\"ok\",\"rooms\":{count},\"peers\":{peers}}}\n");
        return respond(out, head, "200 OK", "application/json", body.as_bytes());
    }
    let found = web
        .filter(|_| get)
        .and_then(|dir| site::find(dir, &head.path, &head.accept_encoding));
    if let Some(found) = found {
        let body = std::fs::read(&found.file)?;
        let mut headers = vec![
            ("Content-Type", found.content_type),
            ("Vary", "Accept-Encoding"),
        ];
        if let Some(encoding) = found.encoding {
            headers.push(("Content-Encoding", encoding));
        }
        return respond_with(out, head, "200 OK", &headers, &body);
    }
    respond(
        out,
        head,
        "404 Not Found",
        "text/plain; charset=utf-8",
        b"archboard relay: rooms are WebSocket addresses, ws://HOST:PORT/ROOM; GET /health for its state\n",
    )
}

/// The handshake's check, keeping what it admitted.
struct Admit<'a> {
    ctx: &'a Ctx,
    admitted: &'a mut Option<(String, Role)>,
}

impl tungstenite::handshake::server::Callback for Admit<'_> {
    fn on_request(self, req: &Request, resp: Response) -> Result<Response, ErrorResponse> {
        match admit(req, self.ctx) {
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
fn admit(req: &Request, ctx: &Ctx) -> Result<(String, Role), (u16, String)> {
    let deny = |code: u16, why: &str| (code, why.to_owned());
    let path = req.uri().path();
    let room = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    if room.is_empty() {
        return Err(deny(
            400,
            "the address names no room: this is a y-websocket relay, rooms are \
             ws://HOST:PORT/ROOM (not hocuspocus+ws://)",
        ));
    }
    check_room(room).map_err(|e| deny(400, &e.to_string()))?;
    let token = req
        .uri()
        .query()
        .unwrap_or_default()
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "token")
        .map(|(_, v)| v);
    let role = match (&ctx.token, &ctx.view_token, token) {
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

/// Relays one peer's messages until it leaves, falls behind, or the relay stops.
async fn relay(
    mut ws: Ws,
    id: u64,
    role: Role,
    room: &Room,
    mut outbox: tokio::sync::mpsc::Receiver<Bytes>,
    mut stop: watch::Receiver<bool>,
    ctx: &Ctx,
) -> Result<(), String> {
    let sv = room.doc.transact().state_vector();
    let mut first = vec![protocol::sync_step1(&sv)];
    first.extend(room.awareness_states());
    for m in first {
        ws.feed(WsMessage::Binary(m.into()))
            .await
            .map_err(|e| e.to_string())?;
    }
    ws.flush().await.map_err(|e| e.to_string())?;
    let mut strikes = 0;
    loop {
        let mut reply = None;
        tokio::select! {
            _ = stopped(&mut stop) => break,
            next = outbox.recv() => {
                let Some(first) = next else {
                    let _ = ws.close(None).await;
                    return Err(format!("read slower than its room wrote ({OUTBOX} messages waiting); let go"));
                };
                // Everything waiting goes out in one write.
                ws.feed(WsMessage::Binary(first)).await.map_err(|e| e.to_string())?;
                while let Ok(more) = outbox.try_recv() {
                    ws.feed(WsMessage::Binary(more)).await.map_err(|e| e.to_string())?;
                }
                ws.flush().await.map_err(|e| e.to_string())?;
            }
            incoming = ws.next() => {
                let bytes = match incoming {
                    Some(Ok(WsMessage::Binary(b))) => b,
                    Some(Ok(WsMessage::Close(_))) | None => return Ok(()),
                    Some(Ok(_)) => continue,
                    Some(Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed)) => return Ok(()),
                    Some(Err(tungstenite::Error::Capacity(e))) => {
                        return Err(format!("sent a message over the limit ({e}); disconnected"));
                    }
                    Some(Err(e)) => return Err(e.to_string()),
                };
                match take_in(room, id, role, bytes, ctx) {
                    Ok(r) => reply = r,
                    Err(why) => {
                        strikes += 1;
                        (ctx.log)(format!("room {}: peer {id}: {why}; refused", room.name));
                        if strikes > MAX_STRIKES {
                            return Err(format!("sent {MAX_STRIKES} unreadable messages; disconnected"));
                        }
                    }
                }
            }
        }
        if let Some(r) = reply {
            ws.send(WsMessage::Binary(r.into()))
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    let _ = ws.close(None).await;
    Ok(())
}

/// Handles one message from a peer: what to answer it, or why it is refused.
fn take_in(
    room: &Room,
    id: u64,
    role: Role,
    bytes: Bytes,
    ctx: &Ctx,
) -> Result<Option<Vec<u8>>, String> {
    let behind = match protocol::decode(&bytes).map_err(|e| e.to_string())? {
        Message::Sync(SyncMessage::SyncStep1(sv)) => {
            let diff = room.doc.transact().encode_diff_v1(&sv);
            return Ok(Some(protocol::sync_step2(diff)));
        }
        Message::Sync(SyncMessage::SyncStep2(u) | SyncMessage::Update(u)) => {
            if role == Role::Viewer {
                return Err("a viewer tried to edit".into());
            }
            room.apply(&u)?;
            room.broadcast(id, &Bytes::from(protocol::update(u)))
        }
        Message::Awareness(update) => {
            room.note_awareness(id, &update);
            room.broadcast(id, &bytes)
        }
        Message::AwarenessQuery => return Ok(room.awareness_states()),
        _ => return Ok(None),
    };
    for peer in behind {
        (ctx.log)(format!(
            "room {}: peer {peer} reads slower than the room writes; let go",
            room.name
        ));
    }
    Ok(None)
}
