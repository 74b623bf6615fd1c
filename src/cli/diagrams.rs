//! `archboard import`: another tool's diagram into a board file.

use super::{EXIT_INVALID, user_palette};
use crate::interchange::{self, Choice};
use crate::persistence;
use std::io::Write;
use std::path::Path;

/// Imports `input` (Excalidraw, draw.io or Mermaid) into a board file. `page` is 1-based.
pub fn import(
    input: &Path,
    output: &Path,
    page: Option<usize>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    if page == Some(0) {
        let _ = writeln!(err, "error: pages count from 1");
        return EXIT_INVALID;
    }
    let palette = user_palette(err);
    let choice = Choice {
        index: page.map_or(0, |p| p - 1),
    };
    let imported = match interchange::import_file(input, choice, &palette) {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_INVALID;
        }
    };
    match persistence::save_board(output, &imported.board) {
        Ok(()) => {
            let _ = writeln!(
                out,
                "{}: {} from {}; wrote {}",
                input.display(),
                imported.summary,
                imported.format.name(),
                output.display()
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_INVALID
        }
    }
}
