//! The practice subcommands: `problems`, `new` and `report`.

use super::{EXIT_INVALID, user_palette};
use crate::persistence;
use crate::practice::Library;
use std::io::Write;
use std::path::Path;

fn library(err: &mut dyn Write) -> Library {
    let (lib, problems) = Library::for_user();
    for p in problems {
        let _ = writeln!(err, "note: problems not loaded: {p}");
    }
    lib
}

/// `archboard problems`: one line per problem, id then title.
pub fn problems(out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let lib = library(err);
    let width = lib.problems().iter().map(|p| p.id.len()).max().unwrap_or(0);
    for p in lib.problems() {
        let _ = writeln!(out, "{:width$}  {}", p.id, p.title);
    }
    0
}

/// `archboard new FILE --problem ID`: a board that answers the problem, never over a file.
pub fn new(file: &Path, id: &str, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let lib = library(err);
    let Some(problem) = lib.get(id) else {
        let ids: Vec<&str> = lib.problems().iter().map(|p| p.id.as_str()).collect();
        let _ = writeln!(
            err,
            "error: no problem `{id}`; `archboard problems` lists them ({})",
            ids.join(", ")
        );
        return EXIT_INVALID;
    };
    if file.exists() {
        let _ = writeln!(
            err,
            "error: {} exists already; choose a new file name",
            file.display()
        );
        return EXIT_INVALID;
    }
    let board = crate::practice::new_board(problem);
    match persistence::save_board(file, &board) {
        Ok(()) => {
            let _ = writeln!(out, "{}: {}", file.display(), problem.title);
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_INVALID
        }
    }
}

/// `archboard report FILE -o OUT.md`: the Markdown report and, beside it, the board's PNG.
pub fn report(file: &Path, output: &Path, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let board = match super::load(file, err) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let palette = user_palette(err);
    let lenses = crate::lens::LensLibrary::bundled();
    let plans = crate::timer::bundled_plans();
    let problems = library(err);
    match crate::export::report::write_report(&board, &palette, &lenses, &plans, &problems, output)
    {
        Ok(picture) => {
            let beside = picture.map_or(String::new(), |p| format!(" and {}", p.display()));
            let _ = writeln!(out, "wrote {}{beside}", output.display());
            0
        }
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_INVALID
        }
    }
}
