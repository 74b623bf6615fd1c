//! The page's timer: a callback after a while.
//!
//! There is no handle to cancel with: a callback that is no longer wanted sees that its
//! owner has moved on (a generation number) and does nothing. A handle would have to free its
//! callback when dropped, and the owner often drops it from inside that very callback.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Calls `f` once after `ms` milliseconds; the callback frees itself after it ran.
pub fn after(ms: u32, f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(f);
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    let _ =
        window.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), ms);
}
