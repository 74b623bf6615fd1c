//! The client's side of the wire: a connection that keeps a shared board in sync with its
//! room, reconnecting with backoff when it drops.
//!
//! On a desktop it is a tokio task with a real socket (`native`); in a browser, the page's
//! WebSocket with callbacks (`web`). Both read the relay's messages here ([`take_in`]), so the
//! two speak one protocol. What arrives is handed to the owner of the [`super::SharedBoard`]
//! through a queue, with a wake-up call so a window repaints; the window never waits on the
//! network. The connection only reads the shared document (to answer a relay's sync request).

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
pub use native::{Client, Io, READ_BUFFER, Socket, config, connect};
#[cfg(target_arch = "wasm32")]
pub use web::Client;

use super::hocuspocus::{Inbound, Wire};
use super::protocol;
use std::io;
use std::time::Duration;
use web_time::Instant;
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

/// How long connecting may take before giving up.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);

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

/// How often our presence is sent again, so relays and peers keep it (y-protocols drop states
/// not renewed within 30 s).
const RENEW: Duration = Duration::from_secs(15);

/// Why a session with the relay ended.
enum Ended {
    /// The owner said stop (a desktop client's goodbye; a page just closes its socket).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    Stop,
    Refused,
    Lost(String),
}

/// How long a y-websocket relay may stay silent after the socket opens: every one sends its
/// sync request at once, and Hocuspocus sends nothing until it is spoken to in its framing.
const SILENT_FOR: Duration = Duration::from_secs(3);

/// How long to wait before the next try: 0.25 s, 0.5 s, 1 s, 2 s, 4 s, then every 5 s, with a
/// little jitter so peers that lost one relay do not all come back at once.
fn backoff(attempt: u32) -> Duration {
    let base = Duration::from_millis(250 * (1u64 << attempt.min(5).saturating_sub(1)));
    base.min(Duration::from_secs(5)) + jitter()
}

fn jitter() -> Duration {
    let mut b = [0u8; 1];
    super::url::fill_random(&mut b);
    Duration::from_millis(u64::from(b[0]))
}

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
