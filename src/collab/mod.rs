//! Live collaboration: the board as a shared Yjs document, synced over the standard y-protocols
//! (sync step 1 and 2, updates, awareness) through any y-websocket compatible relay, ours
//! (`archboard serve`) or the Yjs ecosystem's.
//!
//! `layout` is the document's shape (a contract with other peers), `shared` mirrors a board
//! into it, `protocol` frames messages, `net` is the client's connection task, `relay` the
//! server, `url` room addresses. Both sides wait on their sockets in tokio tasks (`runtime`
//! holds the client's), so an idle room costs no wake-ups and a busy one no polling delay.

#[cfg(not(target_arch = "wasm32"))]
mod conn;
pub mod hocuspocus;
#[cfg(not(target_arch = "wasm32"))]
mod http;
pub mod layout;
#[cfg(not(target_arch = "wasm32"))]
pub mod loadtest;
pub mod net;
pub mod presence;
pub mod protocol;
#[cfg(not(target_arch = "wasm32"))]
pub mod relay;
/// A relay a window hosts. A browser tab cannot listen on a port, so there it never exists.
#[cfg(target_arch = "wasm32")]
pub mod relay {
    pub enum Relay {}
    impl Relay {
        pub fn addr(&self) -> std::net::SocketAddr {
            match *self {}
        }
    }
}
#[cfg(not(target_arch = "wasm32"))]
mod runtime;
pub mod session;
pub mod shared;
#[cfg(not(target_arch = "wasm32"))]
pub mod site;
#[cfg(not(target_arch = "wasm32"))]
pub mod tls;
pub mod url;
#[cfg(not(target_arch = "wasm32"))]
mod ysweet;

pub use net::Connection;
pub use session::{Round, Session};
pub use shared::{Refused, SharedBoard};
pub use url::{RoomUrl, UrlError};
