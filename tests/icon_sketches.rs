//! Icon sketches read as a person reads them: the real Excalidraw sketches and icon libraries in
//! `../shared/corpus/excalidraw-icons/` (referenced in place, skipped when the corpus is not
//! beside the clone).
//!
//! `shares` is the measuring helper: for an imported board, the share of shapes (components,
//! not text notes or frames) without a label, and the share with a kind other than a plain box.
//! `cargo test --test icon_sketches -- --nocapture` prints it for every file;
//! `ARCHBOARD_SKETCH_DUMP=1` also lists every component.

mod common;

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

/// What a person reads in each icon file: the named components and their kinds, and how many
/// components there are. Worked out by hand, not from the importer: each file was drawn on its
/// own (its rectangles, ellipses, lines and texts, with a throwaway script), the icons counted
/// on that picture, and each icon's caption copied from the file's free text under, beside or
/// inside it; the kind is what the icon shows (a cylinder is a data store, stacked boxes are
/// servers, a head and shoulders is a client, an envelope is a notification) or what its
/// caption names ("Redis", "CDN", "Kafka").
const READINGS: &[Reading] = &[
    (
        "TrafficControl_diagram.excalidraw",
        // Six service boxes, the mail icon, two empty circles.
        9,
        &[
            ("Simulation", "box"),
            ("TrafficControl", "box"),
            ("FineCollection", "box"),
            ("PoliceAPI", "box"),
            ("Email", "notification"),
            ("smtp4dev", "notification"),
        ],
    ),
    (
        "excalidraw-libraries_rohanp_system-design.excalidraw",
        24,
        &[
            ("Relational DB", "database"),
            ("Document DB", "database"),
            ("Columnar DB", "database"),
            ("Graph DB", "database"),
            ("Cache", "cache"),
            ("Object Storage", "object_storage"),
            ("Load Balancer", "load_balancer"),
            ("DNS", "dns"),
            ("CDN", "cdn"),
            ("Mobile", "mobile"),
            ("Web Application", "client"),
            ("Message Q", "queue"),
            ("Auth & IAM", "auth"),
        ],
    ),
    (
        "rohanp_system-design.excalidrawlib",
        24,
        &[
            ("Relational DB", "database"),
            ("Cache", "cache"),
            ("Load Balancer", "load_balancer"),
            ("Web Application", "client"),
            ("Message Q", "queue"),
        ],
    ),
    (
        "fortinet-2-elasticsearch_architecture.excalidraw",
        12,
        &[
            ("Victoria Logs", "logging"),
            ("Elasticsearch", "search"),
            ("Loki", "logging"),
            ("Kibana", "monitoring"),
            ("Quickwit", "search"),
            ("GreptimeDB", "database"),
            ("Fortinet", "box"),
            ("Palo Alto", "box"),
        ],
    ),
    (
        "fortinet-2-elasticsearch_roadmap.excalidraw",
        24,
        &[
            ("Grafana", "monitoring"),
            ("S3", "object_storage"),
            ("Elasticsearch", "search"),
            ("kafka", "stream"),
            ("VictoriaLogs", "logging"),
            ("Data lake", "warehouse"),
        ],
    ),
    (
        "gcp-studentscore_architecture.excalidraw",
        7,
        &[
            ("Student", "client"),
            ("Teacher", "client"),
            ("Cloud Run", "service"),
            ("Cloud Function", "function"),
            ("Cloud Firestore", "nosql"),
        ],
    ),
    (
        "ingredients-parser_aws-architecture.excalidraw",
        11,
        &[
            ("ingredients-api-gw", "api_gateway"),
            ("ingredients-cognito", "auth"),
            ("ingredients-distribution", "cdn"),
            ("User's Browser", "client"),
            ("Rekognition", "box"),
        ],
    ),
    (
        "llmariner_architecture.excalidraw",
        65,
        &[
            ("SQL Database", "database"),
            ("Clients", "client"),
            ("Workers", "worker"),
        ],
    ),
    (
        "mlops-drift_architecture.excalidraw",
        6,
        &[("Users", "client"), ("App / API - Layer", "service")],
    ),
    (
        "arach_systems-design-components.excalidrawlib",
        20,
        &[
            ("Users", "client"),
            ("App Servers", "web_server"),
            ("DB (main)", "database"),
            ("DB (Read)", "database"),
            ("Stream", "stream"),
            ("Servers", "web_server"),
            ("S3", "object_storage"),
            ("CDN", "cdn"),
            ("Cloud", "external"),
        ],
    ),
    (
        "pratheeshpm_basic-system-design.excalidrawlib",
        41,
        &[
            ("Media Service", "service"),
            ("Notification Service", "notification"),
            ("API Gateway", "api_gateway"),
            ("Kafka", "stream"),
            ("Object Storage", "object_storage"),
        ],
    ),
];

/// A file, how many components a person counts in it, and the (caption, kind) of some of them.
type Reading = (&'static str, usize, &'static [(&'static str, &'static str)]);

/// Labels compared as a person reads them: line breaks and repeated spaces are one space.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn each_icon_file_reads_as_its_components_with_their_names_and_kinds() {
    if corpus().is_none() {
        return;
    }
    let mut wrong = Vec::new();
    for (name, count, named) in READINGS {
        let Some(imported) = import(name) else { return };
        let components: Vec<_> = imported
            .board
            .blocks
            .values()
            .filter(|b| !b.is_text() && !b.is_frame())
            .collect();
        // Within a tenth: a stray mark may or may not read as a component.
        let slack = count.div_ceil(10);
        if components.len().abs_diff(*count) > slack {
            wrong.push(format!(
                "{name}: {} components, expected {count}",
                components.len()
            ));
        }
        for (label, kind) in *named {
            match components.iter().find(|b| words(&b.label) == *label) {
                None => wrong.push(format!("{name}: no component named {label:?}")),
                Some(b) if b.kind != *kind => wrong.push(format!(
                    "{name}: {label:?} is a {}, expected {kind}",
                    b.kind
                )),
                Some(_) => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn stacked_copies_become_instances_and_the_summary_counts_them() {
    let Some(imported) = import("arach_systems-design-components.excalidrawlib") else {
        return;
    };
    let servers = imported
        .board
        .blocks
        .values()
        .find(|b| b.label == "Servers")
        .expect("the Servers item");
    assert_eq!(servers.props.instances, Some(3));
    let u = imported
        .summary
        .understood
        .clone()
        .expect("read as a sketch");
    assert!(u.stacks >= 4, "{u:?}");
    assert!(
        imported
            .summary
            .to_string()
            .starts_with("recognised 20 components from 79 shapes"),
        "{}",
        imported.summary
    );
}

/// A typical interview sketch drawn with icons (`tests/fixtures/icon_sketch.excalidraw`: a
/// person, a diamond, three stacked boxes and two cylinders, every name loose text under its
/// icon, arrows bound to pieces of the icons and to a caption) imports into components the
/// design review can read: it names the load balancer as a single point of failure and the
/// database as a single copy.
#[test]
fn an_imported_icon_sketch_can_be_reviewed() {
    let dir = tempfile::tempdir().expect("tmp");
    let board = dir.path().join("sketch.ron");
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/icon_sketch.excalidraw");
    let out = common::archboard(&[
        common::os("import"),
        fixture.as_os_str(),
        common::os("-o"),
        board.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(
            "recognised 5 components from 12 shapes (4 icon groups, 5 captions, 1 stack)"
        ),
        "{said}"
    );
    let out = common::archboard(&[common::os("review"), board.as_os_str()]);
    let review = String::from_utf8_lossy(&out.stdout);
    assert!(
        review.contains("\"Load balancer\" is a single point of failure"),
        "{review}"
    );
    assert!(
        review.contains("\"Orders\" keeps a single copy of its data"),
        "{review}"
    );
    assert!(review.contains("\"Redis\""), "the cache is named: {review}");
}
