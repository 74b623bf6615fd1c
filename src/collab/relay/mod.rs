//! `archboard serve`: a relay that speaks the y-websocket protocol, so archboard windows, the
//! `push`/`pull` commands and any Yjs client can share rooms through it.
//!
//! Each room keeps its document (answering a newcomer's sync request) and relays updates and
//! awareness between its peers. With a folder, each room's document is written there and read
//! back on restart. It binds to loopback unless told otherwise.
//!
//! Every connection is a task on the relay's own runtime, waiting on its socket and on its
//! outbox at once: a message is passed on the moment it arrives, and an idle room costs
//! nothing. `room` keeps the rooms, `peer` serves one connection.
//!
//! Peers are untrusted: messages are size-capped and decoded before they are applied or passed
//! on; one that does not decode is refused and reported, and the other peers never notice. A
//! room's document and the number of rooms are capped. A token, when set, is required; a
//! viewer token lets an observer watch without editing, enforced here, not in the client.

mod peer;
mod room;

pub use room::{MAX_PEERS, MAX_ROOM_BYTES, MAX_ROOMS};

use room::Rooms;
use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::watch;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

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
    /// The web app's folder (`--web DIR`), served over plain HTTP on the rooms' port.
    pub web: Option<PathBuf>,
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
            web: None,
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
    stop: watch::Sender<bool>,
    /// Disconnects once every connection has ended after a stop.
    drained: std::sync::mpsc::Receiver<()>,
    runtime: Option<tokio::runtime::Runtime>,
    rooms: Arc<Rooms>,
}

/// How long a stop waits for the peers to be let go before the rooms are written anyway.
const LET_GO: Duration = Duration::from_secs(5);

/// How often changed rooms are written to the folder.
const SAVE_EVERY: Duration = Duration::from_millis(250);

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
        let bind_error = |e| RelayError::Bind(where_.clone(), e);
        let listener = std::net::TcpListener::bind(where_.as_str()).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("archboard-relay")
            .enable_all()
            .build()
            .map_err(bind_error)?;
        let listener = {
            let _in = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(bind_error)?
        };
        let (stop, stopped) = watch::channel(false);
        let rooms = Arc::new(Rooms::new(opts.dir.clone()));
        let ctx = Arc::new(peer::Ctx {
            token: opts.token.clone(),
            view_token: opts.view_token.clone(),
            tls: opts.tls.clone().map(tokio_rustls::TlsAcceptor::from),
            rooms: Arc::clone(&rooms),
            log: Arc::clone(&log),
            stop: stopped.clone(),
            web: opts.web.clone(),
        });
        let (drained_tx, drained) = channel();
        runtime.spawn(async move {
            accept(listener, opts.max_per_address, ctx).await;
            drop(drained_tx);
        });
        if rooms.dir.is_some() {
            let (rooms, mut stopped) = (Arc::clone(&rooms), stopped);
            runtime.spawn(async move {
                let mut tick = tokio::time::interval(SAVE_EVERY);
                loop {
                    tokio::select! {
                        _ = tick.tick() => {}
                        _ = peer::stopped(&mut stopped) => return,
                    }
                    let (rooms, log) = (Arc::clone(&rooms), Arc::clone(&log));
                    let _ = tokio::task::spawn_blocking(move || rooms.save_dirty(&*log)).await;
                }
            });
        }
        Ok(Self {
            addr,
            stop,
            drained,
            runtime: Some(runtime),
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
        self.rooms.changed()
    }

    /// Bytes of document updates taken in, over every room (a room read from its folder
    /// counts its saved size).
    pub fn update_bytes(&self) -> usize {
        self.rooms.update_bytes()
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
        let Some(runtime) = self.runtime.take() else {
            return;
        };
        let _ = self.stop.send(true);
        let _ = self.drained.recv_timeout(LET_GO);
        // Not `shutdown_timeout`: that would panic when dropped from within another runtime.
        runtime.shutdown_background();
        self.rooms.save_dirty(&|_| {});
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Accepts connections until the relay stops, then waits for them all to end.
async fn accept(listener: tokio::net::TcpListener, max_per_address: usize, ctx: Arc<peer::Ctx>) {
    let per_address = Arc::new(PerAddress::default());
    let mut conns = tokio::task::JoinSet::new();
    let mut next = 1u64;
    let mut stopped = ctx.stop.clone();
    loop {
        let (stream, from) = tokio::select! {
            _ = peer::stopped(&mut stopped) => break,
            // Reap finished connections as they end, so the set stays as big as what is open.
            Some(_) = conns.join_next(), if !conns.is_empty() => continue,
            a = listener.accept() => match a {
                Ok(a) => a,
                Err(e) => {
                    (ctx.log)(format!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Some(slot) = PerAddress::take(&per_address, from.ip(), max_per_address) else {
            (ctx.log)(format!(
                "refused {from}: {max_per_address} connections from that address already"
            ));
            drop(stream);
            continue;
        };
        let (ctx, id) = (Arc::clone(&ctx), next);
        next += 1;
        conns.spawn(async move {
            let _slot = slot;
            peer::serve(stream, from, id, &ctx).await;
        });
    }
    drop(listener);
    while conns.join_next().await.is_some() {}
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
    let (secure, port) = (opts.tls.is_some(), addr.port());
    let token = |sep: char| {
        opts.token
            .as_ref()
            .map_or(String::new(), |_| format!("{sep}token=…"))
    };
    let ws = if secure { "wss" } else { "ws" };
    out(format!(
        "share a room as {ws}://{host}:{port}/ROOM{} (archboard FILE --join …, or any y-websocket client)",
        token('?')
    ));
    if opts.web.is_some() {
        let http = if secure { "https" } else { "http" };
        out(format!(
            "a browser joins at {http}://{host}:{port}/?room=ROOM{}",
            token('&')
        ));
    }
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
