//! The process's network runtime: every room connection is a task on it, waiting on its socket
//! and its owner's channel at once. A window holds one; a load test holds thousands, on the
//! same two threads.

use std::sync::OnceLock;
use tokio::runtime::Runtime;

static SHARED: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The runtime, started on first use.
pub fn shared() -> Result<&'static Runtime, String> {
    SHARED
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("archboard-net")
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the network threads: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}
