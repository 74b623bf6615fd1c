//! Writes the interview report: the Markdown and, beside it, the board's PNG drawn by the same
//! path as every export. The window (off the UI thread) and `archboard report` both call this.

use super::{ExportError, ExportOptions, export_png};
use crate::lens::LensLibrary;
use crate::model::Board;
use crate::palette::Palette;
use crate::practice::Library;
use crate::practice::report::{Inputs, markdown};
use crate::timer::Plan;
use std::path::{Path, PathBuf};

/// Writes `path` (Markdown) and, for a board with blocks, `path` with `.png` beside it, both
/// atomically. Returns the picture's path when one was written.
pub fn write_report(
    board: &Board,
    palette: &Palette,
    lenses: &LensLibrary,
    plans: &[Plan],
    problems: &Library,
    path: &Path,
) -> Result<Option<PathBuf>, ExportError> {
    let picture = path.with_extension("png");
    let drawn = if board.blocks.is_empty() {
        None
    } else {
        export_png(
            board,
            &ExportOptions::default(),
            palette,
            Some(lenses),
            &picture,
        )?;
        Some(picture)
    };
    let name = drawn
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let md = markdown(&Inputs {
        board,
        palette,
        lenses,
        plans,
        problems,
        picture: name.as_deref(),
    });
    crate::persistence::write_atomic(path, md.as_bytes()).map_err(|source| {
        crate::persistence::SaveError {
            path: path.to_path_buf(),
            source,
        }
    })?;
    Ok(drawn)
}
