//! Every user action in one table: its menu, its text, its shortcuts, when it can run and which
//! part of the app carries it out.
//!
//! Menus, context menus, the key handler and the shortcuts overlay all read this table, so they
//! cannot disagree. They never run a command themselves: they push it onto a [`Queue`], and the
//! app's one dispatcher drains the queue once per frame.
//!
//! The table is written once, in [`commands!`], which makes the enum, [`Command::ALL`] and the
//! lookups together: a command cannot exist without its row.

use egui::{Key, KeyboardShortcut, Modifiers};

const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;
const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const SHIFT_ALT: Modifiers = Modifiers::SHIFT.plus(Modifiers::ALT);

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

/// Which menu a command is listed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    Arrange,
    Tools,
    View,
    Interview,
    Review,
}

impl Menu {
    pub const ALL: [(Menu, &'static str); 7] = [
        (Menu::File, "File"),
        (Menu::Edit, "Edit"),
        (Menu::Arrange, "Arrange"),
        (Menu::Tools, "Tools"),
        (Menu::View, "View"),
        (Menu::Interview, "Interview"),
        (Menu::Review, "Review"),
    ];

    pub fn title(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("", |(_, t)| t)
    }
}

/// Which part of the app carries a command out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The open board's file life cycle: new, open, save, quit, export.
    File,
    /// The document's history.
    History,
    /// The canvas: selection, clipboard, arranging, tools, camera.
    Canvas,
    /// How the window looks: panels, overlays, preferences.
    View,
    /// The interview timer.
    Interview,
    /// The design review and the failure drill.
    Review,
    /// The shared room: sharing, joining, leaving.
    Room,
}

/// What must be true for a command to do anything; menus grey it out otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    Nothing,
    /// At least one block selected.
    Blocks,
    /// At least one link selected.
    Links,
    /// A block or a link selected.
    Selection,
    /// Something on the board.
    Content,
    Undo,
    Redo,
    /// Being in a shared room.
    Room,
    /// A board started from a practice problem.
    Practice,
}

impl Needs {
    /// What to tell someone who pressed the shortcut of a command that cannot run now.
    pub fn hint(self) -> &'static str {
        match self {
            Needs::Nothing => "",
            Needs::Blocks => "Select a block first",
            Needs::Links => "Select a link first",
            Needs::Selection => "Select a block or a link first",
            Needs::Content => "The board is empty",
            Needs::Undo => "Nothing to undo",
            Needs::Redo => "Nothing to redo",
            Needs::Room => "You are not in a shared room",
            Needs::Practice => {
                "This board is not a practice problem: start one with File, New from problem…"
            }
        }
    }
}

/// What the app knows when it asks whether a command is enabled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Availability {
    pub selected_blocks: bool,
    pub selected_links: bool,
    pub board_has_content: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub in_room: bool,
    pub practice: bool,
}

/// One row of the table.
pub struct Spec {
    pub menu: Menu,
    /// Menu text; a trailing "…" means the command asks for more before acting.
    pub label: &'static str,
    /// Shortcuts; the first is the one menus show. Shifted digits are listed twice, as the digit
    /// with Shift and as the symbol it types (Shift+1 arrives as "!" on a US layout).
    pub shortcuts: &'static [KeyboardShortcut],
    pub needs: Needs,
    pub scope: Scope,
}

macro_rules! commands {
    ($($name:ident: $menu:ident, $label:literal, [$($key:expr),*], $needs:ident, $scope:ident;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Command {
            $($name,)*
        }

        impl Command {
            /// Every command, in menu order.
            pub const ALL: &'static [Command] = &[$(Command::$name,)*];

            pub fn spec(self) -> &'static Spec {
                match self {
                    $(Command::$name => const {
                        &Spec {
                            menu: Menu::$menu,
                            label: $label,
                            shortcuts: &[$($key),*],
                            needs: Needs::$needs,
                            scope: Scope::$scope,
                        }
                    },)*
                }
            }
        }
    };
}

commands! {
    New: File, "New", [key(CTRL, Key::N)], Nothing, File;
    NewFromProblem: File, "New from problem…", [], Nothing, File;
    Open: File, "Open…", [key(CTRL, Key::O)], Nothing, File;
    ImportDiagram: File, "Import Excalidraw, draw.io or Mermaid…", [key(CTRL_SHIFT, Key::O)], Nothing, File;
    Save: File, "Save", [key(CTRL, Key::S)], Nothing, File;
    SaveAs: File, "Save As…", [key(CTRL_SHIFT, Key::S)], Nothing, File;
    ExportPng: File, "Export (PNG, SVG, Excalidraw, draw.io, Mermaid)…", [key(CTRL_SHIFT, Key::E)], Content, File;
    ExportReport: File, "Export report…", [], Nothing, File;
    CopyPng: File, "Copy as PNG", [key(SHIFT_ALT, Key::C)], Content, File;
    Share: File, "Share…", [], Nothing, Room;
    Join: File, "Join…", [], Nothing, Room;
    Leave: File, "Leave the room", [], Room, Room;
    Quit: File, "Quit", [key(CTRL, Key::Q)], Nothing, File;
    Undo: Edit, "Undo", [key(CTRL, Key::Z)], Undo, History;
    Redo: Edit, "Redo", [key(CTRL_SHIFT, Key::Z), key(CTRL, Key::Y)], Redo, History;
    Cut: Edit, "Cut", [key(CTRL, Key::X)], Blocks, Canvas;
    Copy: Edit, "Copy", [key(CTRL, Key::C)], Blocks, Canvas;
    Paste: Edit, "Paste", [key(CTRL, Key::V)], Nothing, Canvas;
    CopyMermaid: Edit, "Copy as Mermaid", [key(CTRL_SHIFT, Key::M)], Content, File;
    Duplicate: Edit, "Duplicate", [key(CTRL, Key::D)], Blocks, Canvas;
    Delete: Edit, "Delete", [key(NONE, Key::Delete), key(NONE, Key::Backspace)], Selection, Canvas;
    SelectAll: Edit, "Select all", [key(CTRL, Key::A)], Content, Canvas;
    EditLabel: Edit, "Edit label", [key(NONE, Key::Enter), key(NONE, Key::F2)], Selection, Canvas;
    Group: Arrange, "Group", [key(CTRL, Key::G)], Blocks, Canvas;
    Ungroup: Arrange, "Ungroup", [key(CTRL_SHIFT, Key::G)], Blocks, Canvas;
    BringForward: Arrange, "Bring forward", [key(CTRL, Key::CloseBracket)], Blocks, Canvas;
    SendBackward: Arrange, "Send backward", [key(CTRL, Key::OpenBracket)], Blocks, Canvas;
    ToggleLock: Arrange, "Lock / unlock", [key(CTRL_SHIFT, Key::L)], Blocks, Canvas;
    TidyUp: Arrange, "Tidy up (layers along the links)", [key(CTRL_SHIFT, Key::T)], Content, Canvas;
    LinkReverse: Arrange, "Reverse link", [key(SHIFT, Key::R)], Links, Canvas;
    LinkToggleStyle: Arrange, "Link: sync / async", [key(SHIFT, Key::S)], Links, Canvas;
    LinkToggleRoute: Arrange, "Link: straight / elbow", [key(SHIFT, Key::E)], Links, Canvas;
    LinkCycleArrows: Arrange, "Link: arrowheads forward / both / none", [key(SHIFT, Key::A)], Links, Canvas;
    DefaultElbow: Tools, "New links are elbows", [], Nothing, Canvas;
    ToolSelect: Tools, "Select tool", [key(NONE, Key::V)], Nothing, Canvas;
    ToolHand: Tools, "Hand tool (pan)", [key(NONE, Key::H)], Nothing, Canvas;
    ToolConnect: Tools, "Connect tool", [key(NONE, Key::A)], Nothing, Canvas;
    ToolText: Tools, "Text tool", [key(NONE, Key::T)], Nothing, Canvas;
    ToolFrame: Tools, "Frame tool", [key(NONE, Key::F)], Nothing, Canvas;
    ToolLaser: Tools, "Laser pointer (the room sees it fade)", [key(NONE, Key::K)], Nothing, Canvas;
    ToolPen: Tools, "Pen (freehand ink)", [key(NONE, Key::P)], Nothing, Canvas;
    ToolEraser: Tools, "Eraser (removes the ink it crosses)", [key(NONE, Key::E)], Nothing, Canvas;
    QuickAdd: Tools, "Quick add component…", [key(NONE, Key::Tab), key(NONE, Key::Slash)], Nothing, Canvas;
    ZoomIn: View, "Zoom in", [key(CTRL, Key::Equals), key(CTRL, Key::Plus)], Nothing, Canvas;
    ZoomOut: View, "Zoom out", [key(CTRL, Key::Minus)], Nothing, Canvas;
    ZoomReset: View, "Zoom to 100 %", [key(CTRL, Key::Num0), key(SHIFT, Key::Num0)], Nothing, Canvas;
    FitBoard: View, "Fit board", [key(SHIFT, Key::Num1), key(NONE, Key::Exclamationmark)], Content, Canvas;
    FitSelection: View, "Fit selection", [key(SHIFT, Key::Num2)], Blocks, Canvas;
    ToggleSnap: View, "Snap to grid", [key(CTRL, Key::Quote)], Nothing, View;
    Shortcuts: View, "Keyboard shortcuts", [key(NONE, Key::Questionmark)], Nothing, View;
    ToggleSidebar: View, "Sidebar", [key(CTRL, Key::B)], Nothing, View;
    LensOverlay: View, "Lens next to the block", [key(NONE, Key::I)], Nothing, View;
    ToggleBadges: View, "Coverage badges", [], Nothing, View;
    Estimator: View, "Estimator and review panel", [key(SHIFT, Key::F7)], Nothing, View;
    TimerStartPause: Interview, "Start / pause timer", [key(NONE, Key::F5)], Nothing, Interview;
    TimerNext: Interview, "Next phase", [key(NONE, Key::F6)], Nothing, Interview;
    TimerPrevious: Interview, "Previous phase", [key(SHIFT, Key::F6)], Nothing, Interview;
    TimerReset: Interview, "Reset timer", [], Nothing, Interview;
    Replay: Interview, "Replay the interview", [key(CTRL_SHIFT, Key::R)], Nothing, Interview;
    PracticeHint: Interview, "Take a hint", [key(CTRL_SHIFT, Key::H)], Practice, Interview;
    PracticeFinish: Interview, "Finish and score", [key(CTRL_SHIFT, Key::Enter)], Practice, Interview;
    StudyMode: Interview, "Study mode (show the rubric as you work)", [], Nothing, View;
    ReviewOverlay: Review, "Review overlay (load and capacity)", [key(NONE, Key::F7)], Nothing, Review;
    DrillToggle: Review, "Fail or restore selection (drill)", [key(NONE, Key::F8)], Blocks, Review;
    DrillClear: Review, "Clear all failures", [key(SHIFT, Key::F8)], Nothing, Review;
}

impl Command {
    pub fn label(self) -> &'static str {
        // A browser tab has no file system: opening picks a file, saving downloads one.
        if cfg!(target_arch = "wasm32") {
            match self {
                Command::Open => return "Open file…",
                Command::SaveAs => return "Download .ron…",
                _ => {}
            }
        }
        self.spec().label
    }

    pub fn menu(self) -> Menu {
        self.spec().menu
    }

    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        self.spec().shortcuts
    }

    pub fn scope(self) -> Scope {
        self.spec().scope
    }

    /// Whether the command can do anything now. Disabled commands are greyed out in menus and
    /// ignored when their shortcut is pressed.
    pub fn enabled(self, a: &Availability) -> bool {
        match self.spec().needs {
            Needs::Nothing => true,
            Needs::Blocks => a.selected_blocks,
            Needs::Links => a.selected_links,
            Needs::Selection => a.selected_blocks || a.selected_links,
            Needs::Content => a.board_has_content,
            Needs::Undo => a.can_undo,
            Needs::Redo => a.can_redo,
            Needs::Room => a.in_room,
            Needs::Practice => a.practice,
        }
    }

    /// The shortcut as menus show it, e.g. "Ctrl+Shift+S" or "Ctrl+]".
    pub fn shortcut_text(self, _ctx: &egui::Context) -> String {
        self.shortcuts()
            .first()
            .map(format_shortcut)
            .unwrap_or_default()
    }
}

/// Commands chosen this frame, waiting for the dispatcher.
#[derive(Debug, Default)]
pub struct Queue(Vec<Command>);

impl Queue {
    pub fn push(&mut self, cmd: Command) {
        self.0.push(cmd);
    }

    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Formats a shortcut with key symbols rather than key names ("Ctrl+]", not "Ctrl+CloseBracket").
pub fn format_shortcut(s: &KeyboardShortcut) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if s.modifiers.command || s.modifiers.ctrl || s.modifiers.mac_cmd {
        parts.push(if cfg!(target_os = "macos") {
            "Cmd"
        } else {
            "Ctrl"
        });
    }
    if s.modifiers.shift {
        parts.push("Shift");
    }
    if s.modifiers.alt {
        parts.push("Alt");
    }
    // The character the user types, not egui's typographic minus sign.
    let key = match s.logical_key {
        Key::Minus => "-",
        Key::Quote => "'",
        k => k.symbol_or_name(),
    };
    let mut text = parts.join("+");
    if !text.is_empty() {
        text.push('+');
    }
    text.push_str(key);
    text
}

/// Consumes this frame's key presses that match a command and returns those commands.
///
/// egui matches Shift loosely (a Ctrl+Z pattern also matches Ctrl+Shift+Z), so shortcuts with
/// more modifiers are tried first. While a text field has focus, plain keys and the text's own
/// shortcuts (select all, copy, cut, paste, undo, redo) are left to it.
pub fn consume_pressed(ctx: &egui::Context) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    let mut table: Vec<(Command, KeyboardShortcut)> = Command::ALL
        .iter()
        .flat_map(|&c| c.shortcuts().iter().map(move |&s| (c, s)))
        .filter(|(_, s)| !(typing && (is_plain(s) || edits_text(s))))
        .collect();
    table.sort_by_key(|(_, s)| std::cmp::Reverse(modifier_count(s.modifiers)));
    ctx.input_mut(|i| {
        table
            .into_iter()
            .filter(|(_, s)| i.consume_shortcut(s))
            .map(|(c, _)| c)
            .collect()
    })
}

/// Ctrl+A, C, X, V, Z and Y: what a text field does with its own text.
fn edits_text(s: &KeyboardShortcut) -> bool {
    (s.modifiers.command || s.modifiers.ctrl)
        && !s.modifiers.alt
        && matches!(
            s.logical_key,
            Key::A | Key::C | Key::X | Key::V | Key::Z | Key::Y
        )
}

fn is_plain(s: &KeyboardShortcut) -> bool {
    !s.modifiers.command && !s.modifiers.ctrl && !s.modifiers.alt && !s.modifiers.mac_cmd
}

fn modifier_count(m: Modifiers) -> u8 {
    u8::from(m.alt) + u8::from(m.shift) + u8::from(m.command || m.ctrl || m.mac_cmd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut seen = HashSet::new();
        for c in Command::ALL {
            for s in c.shortcuts() {
                assert!(
                    seen.insert((
                        s.modifiers.command,
                        s.modifiers.shift,
                        s.modifiers.alt,
                        s.logical_key
                    )),
                    "{c:?} reuses {s:?}"
                );
            }
        }
    }

    #[test]
    fn table_lists_every_command_with_text() {
        for c in Command::ALL {
            assert!(!c.label().is_empty());
        }
        let unique: HashSet<&str> = Command::ALL.iter().map(|c| c.label()).collect();
        assert_eq!(
            unique.len(),
            Command::ALL.len(),
            "labels tell commands apart"
        );
    }

    #[test]
    fn enabled_follows_what_the_command_needs() {
        let nothing = Availability::default();
        assert!(Command::New.enabled(&nothing));
        assert!(!Command::Undo.enabled(&nothing));
        assert!(!Command::Copy.enabled(&nothing));
        assert!(!Command::LinkReverse.enabled(&nothing));
        let blocks = Availability {
            selected_blocks: true,
            ..nothing
        };
        assert!(Command::Copy.enabled(&blocks));
        assert!(Command::Delete.enabled(&blocks));
        assert!(!Command::LinkReverse.enabled(&blocks));
        let links = Availability {
            selected_links: true,
            ..nothing
        };
        assert!(Command::Delete.enabled(&links));
        assert!(Command::LinkReverse.enabled(&links));
    }
}
