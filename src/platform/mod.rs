//! What differs between a desktop and a browser tab, in one place.
//!
//! The rest of the app is written once. Where it needs the outside world it has two kinds of
//! code paths, and the browser's side lives here:
//! - the clock is `web_time` everywhere (std's `Instant` panics in a browser);
//! - background jobs: a desktop runs them on threads; in a browser a thread cannot start, and
//!   every job already runs inline when its thread fails to start;
//! - sockets: a desktop uses tokio-tungstenite (`collab::net`), a browser [`socket`];
//! - files: a desktop has paths and dialogs; a browser has [`files`]: downloads, a file
//!   picker and what is dropped on the page;
//! - settings and the board's recovery copy: files in the user's folders, or [`storage`];
//! - the clipboard: arboard, or the page's clipboard where it allows it.
//!
//! Nothing here knows about boards or windows, so every layer may use it.

pub mod clipboard;
pub mod dirs;
#[cfg(target_arch = "wasm32")]
pub mod files;
#[cfg(target_arch = "wasm32")]
pub mod socket;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod timer;

/// Whether this build runs in a browser tab.
pub const WEB: bool = cfg!(target_arch = "wasm32");

/// Runs `task` on the page's event loop (a browser reads files and answers the clipboard
/// asynchronously).
#[cfg(target_arch = "wasm32")]
pub fn spawn(task: impl std::future::Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(task);
}

/// Runs `work` away from the frame being drawn: on a thread named `name` natively; in a
/// browser tab, which has one thread, as a task of its own after the current frame, so the
/// frame is shown first and input between tasks is answered. Fails only when no thread can
/// start.
pub fn background(name: &str, work: impl FnOnce() + Send + 'static) -> Result<(), String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(work)
            .map(drop)
            .map_err(|e| format!("could not start the {name} worker: {e}"))
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = name;
        timer::after(0, work);
        Ok(())
    }
}

/// One line of a command's output: on stdout (a closed pipe is not worth a panic), or in a
/// browser's console, where `?bench=` prints what `archboard bench` does.
pub fn print_line(line: &str) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::io::Write;
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }
    #[cfg(target_arch = "wasm32")]
    web_sys::console::log_1(&line.into());
}
