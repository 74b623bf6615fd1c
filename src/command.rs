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
    Quit,
    Undo,
    Redo,
}

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
}

impl Command {
    pub const ALL: &'static [Command] = &[
        Command::New,
        Command::Open,
        Command::Save,
        Command::SaveAs,
        Command::Quit,
        Command::Undo,
        Command::Redo,
    ];

    /// Menu text; a trailing "…" means the command asks for more before acting.
    pub fn label(self) -> &'static str {
        match self {
            Command::New => "New",
            Command::Open => "Open…",
            Command::Save => "Save",
            Command::SaveAs => "Save As…",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
        }
    }

    pub fn menu(self) -> Menu {
        match self {
            Command::New | Command::Open | Command::Save | Command::SaveAs | Command::Quit => {
                Menu::File
            }
            Command::Undo | Command::Redo => Menu::Edit,
        }
    }

    /// Shortcuts that trigger the command; the first is the one menus show.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const NEW: &[KeyboardShortcut] = &[key(CTRL, Key::N)];
        const OPEN: &[KeyboardShortcut] = &[key(CTRL, Key::O)];
        const SAVE: &[KeyboardShortcut] = &[key(CTRL, Key::S)];
        const SAVE_AS: &[KeyboardShortcut] = &[key(CTRL_SHIFT, Key::S)];
        const QUIT: &[KeyboardShortcut] = &[key(CTRL, Key::Q)];
        const UNDO: &[KeyboardShortcut] = &[key(CTRL, Key::Z)];
        const REDO: &[KeyboardShortcut] = &[key(CTRL_SHIFT, Key::Z), key(CTRL, Key::Y)];
        match self {
            Command::New => NEW,
            Command::Open => OPEN,
            Command::Save => SAVE,
            Command::SaveAs => SAVE_AS,
            Command::Quit => QUIT,
            Command::Undo => UNDO,
            Command::Redo => REDO,
        }
    }

    /// The shortcut as menus show it, e.g. "Ctrl+Shift+S".
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcuts()
            .first()
            .map(|s| ctx.format_shortcut(s))
            .unwrap_or_default()
    }
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
