//! The README documents every command: a new shortcut without a README line fails here.

use archboard::command::Command;

#[test]
fn readme_lists_every_command_shortcut() {
    let readme = include_str!("../README.md");
    let ctx = egui::Context::default();
    for cmd in Command::ALL {
        let first = cmd.shortcut_text(&ctx);
        assert!(readme.contains(&first), "README lacks {first} ({cmd:?})");
    }
    for key in ["L, C, D, Q, N, R", "cargo run --release", "cargo test"] {
        assert!(readme.contains(key), "README lacks {key}");
    }
}
