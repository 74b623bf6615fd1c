//! The subcommands that read one board file: `check`, `review`, `export`, and `generate`, which
//! writes one.

use super::{EXIT_INVALID, user_palette};
use crate::persistence;
use crate::text::{count, counts_line};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Loads each file and reports its counts (stdout) or its error (stderr). Returns the exit code.
pub fn check(files: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut code = 0;
    for path in files {
        match persistence::load_board(path) {
            Ok(board) => {
                let _ = writeln!(
                    out,
                    "{}",
                    counts_line(board.blocks.len(), board.links.len())
                );
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                code = EXIT_INVALID;
            }
        }
    }
    code
}

/// Prints the design review of `file`. Returns the exit code.
pub fn review(file: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let board = match super::load(file, err) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let palette = user_palette(err);
    let lenses = crate::lens::LensLibrary::bundled();
    let r = crate::review::review(&board, &palette, &lenses);
    let est = crate::review::estimate(&board.estimate);
    let _ = writeln!(
        out,
        "{}; peak {}",
        counts_line(board.blocks.len(), board.links.len()),
        crate::review::human(est.peak_rps(), crate::review::Unit::PerSecond)
    );
    for f in &r.findings {
        let kind = if f.kind.is_risk() { "risk" } else { "gap" };
        let lens = f
            .lens
            .as_deref()
            .map_or(String::new(), |l| format!(" [lens {l}]"));
        let _ = writeln!(out, "{kind}: {}{lens}", f.text);
    }
    let (risks, gaps) = r.counts();
    let _ = writeln!(out, "{}, {}", count(risks, "risk"), count(gaps, "gap"));
    u8::from(risks + gaps > 0)
}

/// Loads `file` and writes it as a PNG. Returns the exit code.
pub fn export(
    file: &Path,
    output: &Path,
    opts: &crate::export::ExportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let board = match super::load(file, err) {
        Ok(b) => b,
        Err(code) => return code,
    };
    if let Some(ids) = &opts.selection
        && let Some(missing) = ids.iter().find(|id| board.block(**id).is_none())
    {
        let _ = writeln!(
            err,
            "error: {}: --selection-ids names block #{}, which does not exist",
            file.display(),
            missing.0
        );
        return EXIT_INVALID;
    }
    let palette = user_palette(err);
    let lenses = crate::lens::LensLibrary::bundled();
    match crate::export::export_file(&board, opts, &palette, Some(&lenses), output) {
        Ok(crate::export::Written::Picture {
            width,
            height,
            scale,
            svg,
        }) => {
            if scale < opts.scale {
                let _ = writeln!(
                    err,
                    "note: scale lowered from {} to {scale:.3} to stay within {} px a side and 64 megapixels",
                    opts.scale,
                    crate::export::MAX_SIDE
                );
            }
            let kind = if svg { ", SVG" } else { "" };
            let _ = writeln!(
                out,
                "wrote {} ({width}×{height} px{kind})",
                output.display()
            );
            0
        }
        Ok(crate::export::Written::Diagram(format)) => {
            let subject = crate::export::subject(&board, opts);
            let _ = writeln!(
                out,
                "wrote {} ({}, {})",
                output.display(),
                format.name(),
                counts_line(subject.blocks.len(), subject.links.len())
            );
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {}: {e}", output.display());
            EXIT_INVALID
        }
    }
}

/// Writes a synthetic board of `blocks` blocks and `links` links to `output`.
pub fn generate(
    blocks: usize,
    links: usize,
    layout: crate::model::generate::Layout,
    output: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let board = crate::model::generate::synthetic_with(blocks, links, layout);
    super::save(output, &board, "", out, err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_use_singular_for_one() {
        assert_eq!(counts_line(5, 0), "5 blocks, 0 links");
        assert_eq!(counts_line(1, 1), "1 block, 1 link");
    }
}
