//! Every user action in one table: its menu text and its shortcuts.
//!
//! Menus, the key handler and the shortcuts overlay all read this table, so they cannot disagree.

use egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    New,
    Open,
    Save,
    SaveAs,
    ExportPng,
    CopyPng,
    Quit,
    Undo,
    Redo,
    Cut,
    Copy,
    Paste,
    Duplicate,
    Delete,
    SelectAll,
    EditLabel,
    Group,
    Ungroup,
    BringForward,
    SendBackward,
    ToggleLock,
    LinkReverse,
    LinkToggleStyle,
    LinkToggleRoute,
    LinkCycleArrows,
    DefaultElbow,
    ToolSelect,
    ToolHand,
    ToolConnect,
    ToolText,
    ToolFrame,
    QuickAdd,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    FitBoard,
    FitSelection,
    ToggleSnap,
    Shortcuts,
    ToggleSidebar,
    LensOverlay,
    ToggleBadges,
    TimerStartPause,
    TimerNext,
    TimerPrevious,
    TimerReset,
    ReviewOverlay,
    Estimator,
    DrillToggle,
    DrillClear,
}

const NONE: Modifiers = Modifiers::NONE;
const SHIFT: Modifiers = Modifiers::SHIFT;
const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

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
}

impl Command {
    pub const ALL: &'static [Command] = &[
        Command::New,
        Command::Open,
        Command::Save,
        Command::SaveAs,
        Command::ExportPng,
        Command::CopyPng,
        Command::Quit,
        Command::Undo,
        Command::Redo,
        Command::Cut,
        Command::Copy,
        Command::Paste,
        Command::Duplicate,
        Command::Delete,
        Command::SelectAll,
        Command::EditLabel,
        Command::Group,
        Command::Ungroup,
        Command::BringForward,
        Command::SendBackward,
        Command::ToggleLock,
        Command::LinkReverse,
        Command::LinkToggleStyle,
        Command::LinkToggleRoute,
        Command::LinkCycleArrows,
        Command::DefaultElbow,
        Command::ToolSelect,
        Command::ToolHand,
        Command::ToolConnect,
        Command::ToolText,
        Command::ToolFrame,
        Command::QuickAdd,
        Command::ZoomIn,
        Command::ZoomOut,
        Command::ZoomReset,
        Command::FitBoard,
        Command::FitSelection,
        Command::ToggleSnap,
        Command::Shortcuts,
        Command::ToggleSidebar,
        Command::LensOverlay,
        Command::ToggleBadges,
        Command::TimerStartPause,
        Command::TimerNext,
        Command::TimerPrevious,
        Command::TimerReset,
        Command::ReviewOverlay,
        Command::Estimator,
        Command::DrillToggle,
        Command::DrillClear,
    ];

    /// Menu text; a trailing "…" means the command asks for more before acting.
    pub fn label(self) -> &'static str {
        match self {
            Command::New => "New",
            Command::Open => "Open…",
            Command::Save => "Save",
            Command::SaveAs => "Save As…",
            Command::ExportPng => "Export PNG…",
            Command::CopyPng => "Copy as PNG",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::Cut => "Cut",
            Command::Copy => "Copy",
            Command::Paste => "Paste",
            Command::Duplicate => "Duplicate",
            Command::Delete => "Delete",
            Command::SelectAll => "Select all",
            Command::EditLabel => "Edit label",
            Command::Group => "Group",
            Command::Ungroup => "Ungroup",
            Command::BringForward => "Bring forward",
            Command::SendBackward => "Send backward",
            Command::ToggleLock => "Lock / unlock",
            Command::LinkReverse => "Reverse link",
            Command::LinkToggleStyle => "Link: sync / async",
            Command::LinkToggleRoute => "Link: straight / elbow",
            Command::LinkCycleArrows => "Link: arrowheads forward / both / none",
            Command::DefaultElbow => "New links are elbows",
            Command::ToolSelect => "Select tool",
            Command::ToolHand => "Hand tool (pan)",
            Command::ToolConnect => "Connect tool",
            Command::ToolText => "Text tool",
            Command::ToolFrame => "Frame tool",
            Command::QuickAdd => "Quick add component…",
            Command::ZoomIn => "Zoom in",
            Command::ZoomOut => "Zoom out",
            Command::ZoomReset => "Zoom to 100 %",
            Command::FitBoard => "Fit board",
            Command::FitSelection => "Fit selection",
            Command::ToggleSnap => "Snap to grid",
            Command::Shortcuts => "Keyboard shortcuts",
            Command::ToggleSidebar => "Sidebar",
            Command::LensOverlay => "Lens next to the block",
            Command::ToggleBadges => "Coverage badges",
            Command::TimerStartPause => "Start / pause timer",
            Command::TimerNext => "Next phase",
            Command::TimerPrevious => "Previous phase",
            Command::TimerReset => "Reset timer",
            Command::ReviewOverlay => "Review overlay (load and capacity)",
            Command::Estimator => "Estimator and review panel",
            Command::DrillToggle => "Fail or restore selection (drill)",
            Command::DrillClear => "Clear all failures",
        }
    }

    pub fn menu(self) -> Menu {
        use Command as C;
        match self {
            C::New | C::Open | C::Save | C::SaveAs | C::ExportPng | C::CopyPng | C::Quit => {
                Menu::File
            }
            C::Undo
            | C::Redo
            | C::Cut
            | C::Copy
            | C::Paste
            | C::Duplicate
            | C::Delete
            | C::SelectAll
            | C::EditLabel => Menu::Edit,
            C::Group
            | C::Ungroup
            | C::BringForward
            | C::SendBackward
            | C::ToggleLock
            | C::LinkReverse
            | C::LinkToggleStyle
            | C::LinkToggleRoute
            | C::LinkCycleArrows => Menu::Arrange,
            C::ToolSelect
            | C::ToolHand
            | C::ToolConnect
            | C::ToolText
            | C::ToolFrame
            | C::QuickAdd
            | C::DefaultElbow => Menu::Tools,
            C::ZoomIn
            | C::ZoomOut
            | C::ZoomReset
            | C::FitBoard
            | C::FitSelection
            | C::ToggleSnap
            | C::Shortcuts
            | C::ToggleSidebar
            | C::LensOverlay
            | C::ToggleBadges => Menu::View,
            C::TimerStartPause | C::TimerNext | C::TimerPrevious | C::TimerReset => Menu::Interview,
            C::Estimator => Menu::View,
            C::ReviewOverlay | C::DrillToggle | C::DrillClear => Menu::Review,
        }
    }

    /// Shortcuts that trigger the command; the first is the one menus show.
    ///
    /// Shifted digits are listed twice, as the digit with Shift and as the symbol it types
    /// (Shift+1 arrives as "!" on a US layout), so they work whatever the keyboard reports.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        use Command as C;
        match self {
            C::New => const { &[key(CTRL, Key::N)] },
            C::Open => const { &[key(CTRL, Key::O)] },
            C::Save => const { &[key(CTRL, Key::S)] },
            C::SaveAs => const { &[key(CTRL_SHIFT, Key::S)] },
            C::ExportPng => const { &[key(CTRL_SHIFT, Key::E)] },
            C::CopyPng => const { &[key(Modifiers::SHIFT.plus(Modifiers::ALT), Key::C)] },
            C::Quit => const { &[key(CTRL, Key::Q)] },
            C::Undo => const { &[key(CTRL, Key::Z)] },
            C::Redo => const { &[key(CTRL_SHIFT, Key::Z), key(CTRL, Key::Y)] },
            C::Cut => const { &[key(CTRL, Key::X)] },
            C::Copy => const { &[key(CTRL, Key::C)] },
            C::Paste => const { &[key(CTRL, Key::V)] },
            C::Duplicate => const { &[key(CTRL, Key::D)] },
            C::Delete => const { &[key(NONE, Key::Delete), key(NONE, Key::Backspace)] },
            C::SelectAll => const { &[key(CTRL, Key::A)] },
            C::EditLabel => const { &[key(NONE, Key::Enter), key(NONE, Key::F2)] },
            C::Group => const { &[key(CTRL, Key::G)] },
            C::Ungroup => const { &[key(CTRL_SHIFT, Key::G)] },
            C::BringForward => const { &[key(CTRL, Key::CloseBracket)] },
            C::SendBackward => const { &[key(CTRL, Key::OpenBracket)] },
            C::ToggleLock => const { &[key(CTRL_SHIFT, Key::L)] },
            C::LinkReverse => const { &[key(SHIFT, Key::R)] },
            C::LinkToggleStyle => const { &[key(SHIFT, Key::S)] },
            C::LinkToggleRoute => const { &[key(SHIFT, Key::E)] },
            C::LinkCycleArrows => const { &[key(SHIFT, Key::A)] },
            C::DefaultElbow => &[],
            C::ToolSelect => const { &[key(NONE, Key::V)] },
            C::ToolHand => const { &[key(NONE, Key::H)] },
            C::ToolConnect => const { &[key(NONE, Key::A)] },
            C::ToolText => const { &[key(NONE, Key::T)] },
            C::ToolFrame => const { &[key(NONE, Key::F)] },
            C::QuickAdd => const { &[key(NONE, Key::Tab), key(NONE, Key::Slash)] },
            C::ZoomIn => const { &[key(CTRL, Key::Equals), key(CTRL, Key::Plus)] },
            C::ZoomOut => const { &[key(CTRL, Key::Minus)] },
            C::ZoomReset => const { &[key(CTRL, Key::Num0), key(SHIFT, Key::Num0)] },
            C::FitBoard => const { &[key(SHIFT, Key::Num1), key(NONE, Key::Exclamationmark)] },
            C::FitSelection => const { &[key(SHIFT, Key::Num2)] },
            C::ToggleSnap => const { &[key(CTRL, Key::Quote)] },
            C::Shortcuts => const { &[key(NONE, Key::Questionmark)] },
            C::ToggleSidebar => const { &[key(CTRL, Key::B)] },
            C::LensOverlay => const { &[key(NONE, Key::I)] },
            C::ToggleBadges => &[],
            C::TimerStartPause => const { &[key(NONE, Key::F5)] },
            C::TimerNext => const { &[key(NONE, Key::F6)] },
            C::TimerPrevious => const { &[key(SHIFT, Key::F6)] },
            C::TimerReset => &[],
            C::ReviewOverlay => const { &[key(NONE, Key::F7)] },
            C::Estimator => const { &[key(SHIFT, Key::F7)] },
            C::DrillToggle => const { &[key(NONE, Key::F8)] },
            C::DrillClear => const { &[key(SHIFT, Key::F8)] },
        }
    }

    /// True for commands that act on the canvas (and so wait while a dialog is open).
    pub fn is_canvas(self) -> bool {
        !matches!(self.menu(), Menu::File | Menu::Interview)
            && !matches!(self, Command::Undo | Command::Redo)
    }

    /// The shortcut as menus show it, e.g. "Ctrl+Shift+S" or "Ctrl+]".
    pub fn shortcut_text(self, _ctx: &egui::Context) -> String {
        self.shortcuts()
            .first()
            .map(format_shortcut)
            .unwrap_or_default()
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
/// more modifiers are tried first. Plain-key shortcuts are left alone while a text field has focus.
pub fn consume_pressed(ctx: &egui::Context) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    let mut table: Vec<(Command, KeyboardShortcut)> = Command::ALL
        .iter()
        .flat_map(|&c| c.shortcuts().iter().map(move |&s| (c, s)))
        .filter(|(_, s)| !(typing && is_plain(s)))
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
    }
}
