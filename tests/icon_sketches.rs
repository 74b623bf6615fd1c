//! Icon sketches read as a person reads them: the real Excalidraw sketches and icon libraries in
//! `../shared/corpus/excalidraw-icons/` (referenced in place, skipped when the corpus is not
//! beside the clone).
//!
//! `shares` is the measuring helper: for an imported board, the share of shapes (components,
//! not text notes or frames) without a label, and the share with a kind other than a plain box.
//! `cargo test --test icon_sketches -- --nocapture` prints it for every file;
//! `ARCHBOARD_SKETCH_DUMP=1` also lists every component.

use archboard::interchange::{self, Imported};
use archboard::model::{Board, LabelAt};
use archboard::palette::Palette;
use std::path::PathBuf;

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/excalidraw-icons");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("icon sketch tests skipped: ../shared/corpus/excalidraw-icons is not here");
        None
    }
}

fn import(name: &str) -> Option<Imported> {
    let path = corpus()?.join(name);
    let imported =
        interchange::import_file(&path, interchange::Choice::default(), &Palette::bundled())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    if std::env::var_os("ARCHBOARD_SKETCH_DUMP").is_some() {
        eprintln!("== {name}: {}", imported.summary);
        for b in imported.board.blocks_in_paint_order() {
            eprintln!(
                "  {:>14} {:?} {:?} ({:.0},{:.0} {:.0}x{:.0}) {:?}",
                b.kind,
                b.label,
                b.label_at,
                b.rect.x,
                b.rect.y,
                b.rect.w,
                b.rect.h,
                b.props.instances
            );
        }
    }
    Some(imported)
}

/// The measure: (shapes, share nameless, share typed, text notes).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Shares {
    shapes: usize,
    nameless: usize,
    typed: usize,
    notes: usize,
}

fn shares(board: &Board) -> Shares {
    let shapes: Vec<_> = board
        .blocks
        .values()
        .filter(|b| !b.is_text() && !b.is_frame())
        .collect();
    Shares {
        shapes: shapes.len(),
        nameless: shapes.iter().filter(|b| b.label.trim().is_empty()).count(),
        typed: shapes.iter().filter(|b| b.kind != "box").count(),
        notes: board.blocks.values().filter(|b| b.is_text()).count(),
    }
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

/// The eight real sketches (not the libraries).
const SKETCHES: [&str; 8] = [
    "TrafficControl_diagram.excalidraw",
    "excalidraw-libraries_rohanp_system-design.excalidraw",
    "fortinet-2-elasticsearch_architecture.excalidraw",
    "fortinet-2-elasticsearch_roadmap.excalidraw",
    "gcp-studentscore_architecture.excalidraw",
    "ingredients-parser_aws-architecture.excalidraw",
    "llmariner_architecture.excalidraw",
    "mlops-drift_architecture.excalidraw",
];

const LIBRARIES: [&str; 3] = [
    "arach_systems-design-components.excalidrawlib",
    "pratheeshpm_basic-system-design.excalidrawlib",
    "rohanp_system-design.excalidrawlib",
];

#[test]
fn over_the_eight_sketches_few_shapes_are_nameless_and_most_are_typed() {
    if corpus().is_none() {
        return;
    }
    let mut total = Shares {
        shapes: 0,
        nameless: 0,
        typed: 0,
        notes: 0,
    };
    eprintln!(
        "{:<55} {:>6} {:>9} {:>6} {:>6}",
        "file", "shapes", "nameless", "typed", "notes"
    );
    for name in SKETCHES.iter().chain(LIBRARIES.iter()) {
        let Some(imported) = import(name) else { return };
        let s = shares(&imported.board);
        eprintln!(
            "{name:<55} {:>6} {:>8.0}% {:>5.0}% {:>6}",
            s.shapes,
            pct(s.nameless, s.shapes),
            pct(s.typed, s.shapes),
            s.notes
        );
        if SKETCHES.contains(name) {
            total.shapes += s.shapes;
            total.nameless += s.nameless;
            total.typed += s.typed;
            total.notes += s.notes;
        }
    }
    let (nameless, typed) = (
        pct(total.nameless, total.shapes),
        pct(total.typed, total.shapes),
    );
    eprintln!(
        "eight sketches: {} shapes, {nameless:.0}% nameless, {typed:.0}% typed, {} text notes",
        total.shapes, total.notes
    );
    assert!(nameless <= 15.0, "{nameless:.1}% nameless");
    assert!(typed >= 50.0, "{typed:.1}% typed");
}

#[test]
fn a_label_under_an_icon_is_kept_under_it() {
    let Some(imported) = import("mlops-drift_architecture.excalidraw") else {
        return;
    };
    let users = imported
        .board
        .blocks
        .values()
        .find(|b| b.label == "Users")
        .expect("the Users icon is named");
    assert_eq!(users.kind, "client");
    assert_eq!(users.label_at, LabelAt::Below);
}
