//! The browser's WebSocket, as a handle that reports what happens to one callback.
//!
//! A page cannot see why a connection failed (the browser hides the HTTP answer and the
//! network error alike), so a failure arrives as a close with whatever the page was told.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

/// What happened on the socket.
pub enum Event {
    Open,
    Message(Vec<u8>),
    /// The socket closed, or never opened; the text says what the browser told us.
    Closed(String),
}

/// An open (or opening) WebSocket. Dropping it closes the socket and silences its callback.
pub struct Socket {
    ws: WebSocket,
    _open: Closure<dyn FnMut()>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Opens `url`; `on` hears every event until the socket is dropped.
    pub fn open(url: &str, on: impl FnMut(Event) + 'static) -> Result<Self, String> {
        let ws = WebSocket::new(url).map_err(|e| describe(&e))?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let on = std::rc::Rc::new(std::cell::RefCell::new(on));
        let o = on.clone();
        let open = Closure::<dyn FnMut()>::new(move || {
            if let Ok(mut f) = o.try_borrow_mut() {
                f(Event::Open);
            }
        });
        let o = on.clone();
        let message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Ok(buf) = e.data().dyn_into::<js_sys::ArrayBuffer>() else {
                return; // text frames carry nothing of the protocol
            };
            let bytes = js_sys::Uint8Array::new(&buf).to_vec();
            if let Ok(mut f) = o.try_borrow_mut() {
                f(Event::Message(bytes));
            }
        });
        let o = on;
        let close = Closure::<dyn FnMut(CloseEvent)>::new(move |e: CloseEvent| {
            let why = match (e.code(), e.reason()) {
                (_, r) if !r.is_empty() => r,
                (1000, _) => "the relay closed the connection".to_owned(),
                (1006, _) => "the connection failed or was refused".to_owned(),
                (code, _) => format!("the connection closed (code {code})"),
            };
            if let Ok(mut f) = o.try_borrow_mut() {
                f(Event::Closed(why));
            }
        });
        ws.set_onopen(Some(open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(close.as_ref().unchecked_ref()));
        Ok(Self {
            ws,
            _open: open,
            _message: message,
            _close: close,
        })
    }

    pub fn is_open(&self) -> bool {
        self.ws.ready_state() == WebSocket::OPEN
    }

    /// Sends one binary message; false when the socket is not open.
    pub fn send(&self, bytes: &[u8]) -> bool {
        self.is_open() && self.ws.send_with_u8_array(bytes).is_ok()
    }
}

impl Socket {
    /// Closes the socket and stops its events. Safe inside one of its own callbacks, where
    /// dropping it would free the very callback that is running: keep it until later.
    pub fn silence(&self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.silence();
    }
}

/// A JavaScript error as text.
pub fn describe(e: &wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}
