//! The app in a browser tab: what the page's address asks for, and the solo board kept in
//! the browser's storage so a reload loses nothing.
//!
//! `?room=ROOM` joins that room on the relay that served the page (`?relay=wss://HOST/PATH`
//! names another one), with `&token=…` and `&role=viewer` as in a room link; without `room`
//! the page is a solo whiteboard.

use super::page_address::PageRequest;
use super::{ArchboardApp, Launch};
use crate::collab::presence::Role;
use crate::collab::url::RoomUrl;
use crate::platform::storage;
use std::time::Duration;
use wasm_bindgen::JsCast;
use web_time::Instant;

/// Where the solo board lives in the page's storage.
const BOARD_KEY: &str = "archboard.board";

/// How soon after a change the solo board is stored: often enough that a reload loses at
/// most a moment, rarely enough that typing does not serialize the board on every key.
const STORE_AFTER: Duration = Duration::from_millis(800);

/// Starts the app in the page's canvas `#archboard`.
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("archboard stopped: {info}").into());
        show_failure(&format!("archboard stopped: {info}"));
    }));
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let request = PageRequest::from_query(&location.search().unwrap_or_default());
    let host = location.host().unwrap_or_default();
    let secure = location.protocol().is_ok_and(|p| p == "https:");
    let joined = request.room_url(&host, secure);
    let canvas = window
        .document()
        .and_then(|d| d.get_element_by_id("archboard"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok());
    let Some(canvas) = canvas else {
        show_failure("this page has no canvas with the id `archboard`");
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        let started = eframe::WebRunner::new()
            .start(
                canvas,
                eframe::WebOptions::default(),
                Box::new(move |cc| Ok(Box::new(WebApp::new(cc, request, joined)))),
            )
            .await;
        if let Err(e) = started {
            show_failure(&format!(
                "archboard could not start in this browser: {}",
                crate::platform::socket::describe(&e)
            ));
        }
    });
}

/// Shows `text` in the page itself, for when the app cannot draw.
fn show_failure(text: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("failure"));
    if let Some(e) = element {
        e.set_text_content(Some(text));
        let _ = e.set_attribute("style", "display:block");
    }
}

/// The name a guest is asked for before joining (Enter takes the one offered).
struct NamePrompt {
    url: RoomUrl,
    role: Role,
    name: String,
}

/// The window's app, plus the page's own duties.
struct WebApp {
    app: ArchboardApp,
    asking: Option<NamePrompt>,
    /// What the page's `<body>` last said of the board (see [`WebApp::tell_page`]).
    told: (usize, usize, String),
    /// A solo board is kept in the page's storage; a room's lives in the room.
    solo: bool,
    stored: Option<u64>,
    changed: Option<Instant>,
    /// `?timings=1` in a room: the room's board is not yet on screen.
    room_timing: bool,
}

impl WebApp {
    fn new(
        cc: &eframe::CreationContext<'_>,
        request: PageRequest,
        joined: Option<Result<RoomUrl, String>>,
    ) -> Self {
        let (join, refused) = match joined {
            Some(Ok(url)) => (Some(url), None),
            Some(Err(why)) => (None, Some(why)),
            None => (None, None),
        };
        let solo = join.is_none() && refused.is_none();
        let role = if request.viewer {
            Role::Viewer
        } else {
            Role::Candidate
        };
        // Without `&name=` the guest says who they are first; the room waits for that.
        let (join, asking) = match (join, &request.name) {
            (Some(url), None) => (None, Some((url, role))),
            (join, _) => (join, None),
        };
        let launch = Launch {
            file: None,
            started: Instant::now(),
            timings: request.bench.is_some() || request.timings,
            bench: request.bench.map(|_| request.frames.unwrap_or(300)),
            join,
            name: request.name.clone(),
            role,
        };
        let mut app = ArchboardApp::launched(cc, launch);
        if let Some(why) = refused {
            app.status.error(why);
        }
        if let Some(n) = request.bench.filter(|_| solo) {
            let board = crate::model::generate::synthetic_with(n, n, Default::default());
            app.open_untitled(
                board,
                format!("A synthetic board of {n} blocks, for the benchmark"),
                &cc.egui_ctx,
            );
        } else if solo {
            if let Some(text) = storage::get(BOARD_KEY) {
                match crate::persistence::parse_board(
                    &text,
                    std::path::Path::new("browser storage"),
                ) {
                    Ok(board) => app.open_untitled(
                        board,
                        "Opened the board kept in this browser".into(),
                        &cc.egui_ctx,
                    ),
                    Err(e) => app.status.error(format!(
                        "The board kept in this browser could not be read: {e}"
                    )),
                }
            }
        }
        let stored = Some(app.board.doc.state_id());
        let name = app.profile().name;
        Self {
            asking: asking.map(|(url, role)| NamePrompt { url, role, name }),
            app,
            told: (usize::MAX, 0, String::new()),
            solo: solo && request.bench.is_none(),
            stored,
            changed: None,
            room_timing: request.timings && !solo,
        }
    }

    /// Keeps the solo board in the page's storage a moment after it changes.
    fn keep(&mut self, ctx: &egui::Context) {
        let now = self.app.board.doc.state_id();
        if self.stored == Some(now) {
            self.changed = None;
            return;
        }
        let since = *self.changed.get_or_insert_with(Instant::now);
        if since.elapsed() < STORE_AFTER {
            ctx.request_repaint_after(STORE_AFTER);
            return;
        }
        self.changed = None;
        match crate::persistence::to_ron_string(self.app.board.doc.board()) {
            Ok(text) => match storage::set(BOARD_KEY, &text) {
                Ok(()) => self.stored = Some(now),
                Err(e) => self.app.status.error(e),
            },
            Err(e) => self
                .app
                .status
                .error(format!("The board could not be stored: {e}")),
        }
    }
}

impl WebApp {
    /// Writes the board's counts and the status line onto the page's `<body>`
    /// (`data-blocks`, `data-links`, `data-status`) when they change: a canvas shows nothing
    /// a script can read, and scripts (the browser tests, a host page) want to know.
    fn tell_page(&mut self) {
        let board = self.app.board.doc.board();
        if self.room_timing && !board.blocks.is_empty() {
            // Counted from the page's navigation, so it includes loading the .wasm.
            let since = web_sys::window()
                .and_then(|w| w.performance())
                .map_or(0.0, |p| p.now());
            crate::platform::print_line(&format!(
                "room: {} blocks and {} links in a frame built {since:.0} ms after the page was opened",
                board.blocks.len(),
                board.links.len()
            ));
            self.room_timing = false;
        }
        let now = (
            board.blocks.len(),
            board.links.len(),
            self.app.status.text.clone(),
        );
        if now == self.told {
            return;
        }
        let body = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body());
        if let Some(body) = body {
            let _ = body.set_attribute("data-blocks", &now.0.to_string());
            let _ = body.set_attribute("data-links", &now.1.to_string());
            let _ = body.set_attribute("data-status", &now.2);
        }
        self.told = now;
    }
}

impl WebApp {
    /// Asks the guest's name; joins the room once it is given.
    fn ask_name(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.asking else {
            return;
        };
        let mut join = false;
        egui::Modal::new(egui::Id::unique("archboard-web-name")).show(ctx, |ui| {
            ui.set_width(360.0);
            ui.heading("Join the room");
            ui.label("Your name, as the others will see it:");
            let field = ui.add(
                egui::TextEdit::singleline(&mut prompt.name)
                    .char_limit(40)
                    .desired_width(f32::INFINITY),
            );
            field.request_focus();
            let entered = ui.input(|i| i.key_pressed(egui::Key::Enter));
            join = ui.button("Join").clicked() || entered;
        });
        if join {
            if let Some(prompt) = self.asking.take() {
                let mut profile = self.app.profile();
                let name = prompt.name.trim();
                if !name.is_empty() {
                    profile.name = name.to_owned();
                }
                self.app.settings.profile = Some(profile);
                self.app.join(prompt.url, prompt.role);
            }
        }
    }
}

impl eframe::App for WebApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.app.ui(ui, frame);
        let ctx = ui.ctx().clone();
        self.ask_name(&ctx);
        self.tell_page();
        if self.solo {
            let ctx = ui.ctx().clone();
            self.keep(&ctx);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.app.save(storage);
    }
}

impl ArchboardApp {
    /// Opens a board that came from no file (the browser's storage, the benchmark's
    /// generator), untitled as every board in a browser is.
    fn open_untitled(&mut self, board: crate::model::Board, message: String, ctx: &egui::Context) {
        let after = super::lifecycle::After::Untitled {
            board: Box::new(board),
            message,
        };
        self.with_files(ctx, |f, sh| f.request(after, sh));
    }
}
