//! The real `erDiagram` charts in `../shared/corpus/mermaid-er/` (read in place, never copied):
//! each imports as entity blocks with their fields and relationship links with crow's feet,
//! with the counts their sources list (SOURCES.tsv). Skipped when the corpus is not beside
//! the project.

use archboard::interchange::{self, Choice};
use archboard::model::{Board, ENTITY_KIND};
use archboard::palette::Palette;
use std::path::PathBuf;

fn folder() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/mermaid-er");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("erDiagram corpus test skipped: ../shared/corpus/mermaid-er is not here");
        None
    }
}

fn import(name: &str) -> Board {
    let dir = folder().expect("the corpus");
    interchange::import_file(&dir.join(name), Choice::default(), &Palette::bundled())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .board
}

/// (file, entities, fields, relationships, fields with a PK or FK mark)
const EXPECTED: &[(&str, usize, usize, usize, usize)] = &[
    ("mermaid-docs_erd-keys-comments-example.mmd", 4, 11, 3, 4),
    ("next-auth_database-models.mmd", 4, 24, 3, 0),
    ("next-auth_better-auth-schema.mmd", 4, 34, 3, 0),
    ("catalyst-data_erd.mmd", 5, 23, 4, 10),
    ("healthcare-sql-joins-demo_erd.mmd", 15, 66, 13, 29),
    ("tbls_sample-mermaid-README.mmd", 10, 51, 10, 14),
    ("web-app-template_prisma-ERD.mmd", 5, 37, 5, 0),
    // 185 relationships, two of them of an entity with itself: a link joins two blocks, so
    // those two are counted in the summary as skipped.
    ("OpenSplitTime_erd.mmd", 81, 489, 183, 0),
];

#[test]
fn every_er_chart_imports_as_entities_fields_and_relationships() {
    if folder().is_none() {
        return;
    }
    for &(name, entities, fields, links, keyed) in EXPECTED {
        let board = import(name);
        let blocks: Vec<_> = board.blocks.values().collect();
        assert!(
            blocks.iter().all(|b| b.kind == ENTITY_KIND),
            "{name}: every block is an entity"
        );
        let got = (
            blocks.len(),
            blocks.iter().map(|b| b.fields.len()).sum::<usize>(),
            board.links.len(),
            blocks
                .iter()
                .flat_map(|b| &b.fields)
                .filter(|f| f.keys.pk || f.keys.fk)
                .count(),
        );
        assert_eq!(got, (entities, fields, links, keyed), "{name}");
        assert!(
            board.links.values().all(|l| l.cardinality.is_some()),
            "{name}: every relationship has its crow's feet"
        );
        // Laid out: no two entities on top of each other.
        let mut rects: Vec<_> = blocks.iter().map(|b| b.rect).collect();
        rects.sort_by(|a, b| a.x.total_cmp(&b.x));
        for (i, a) in rects.iter().enumerate() {
            for b in rects[i + 1..].iter().take_while(|b| b.x < a.x + a.w) {
                assert!(!a.intersects(b), "{name}: {a:?} overlaps {b:?}");
            }
        }
    }
}

#[test]
fn every_er_chart_in_the_folder_is_listed() {
    let Some(dir) = folder() else { return };
    let mut listed: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    listed.sort_unstable();
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("read the folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".mmd"))
        .collect();
    found.sort_unstable();
    assert_eq!(found, listed);
}

#[test]
fn the_fenced_chart_and_the_inline_attributes_read_as_their_authors_meant() {
    if folder().is_none() {
        return;
    }
    let catalyst = import("catalyst-data_erd.mmd");
    let entities = catalyst
        .blocks
        .values()
        .find(|b| b.label == "ENTITIES")
        .expect("ENTITIES");
    assert_eq!(entities.fields[0].line(), "id  int  PK");
    let health = import("healthcare-sql-joins-demo_erd.mmd");
    let visits = health
        .blocks
        .values()
        .find(|b| b.label == "Visits")
        .expect("Visits");
    let names: Vec<&str> = visits.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "visit_ID",
            "patient_ID",
            "nurse_ID",
            "provider_ID",
            "bill_ID",
            "facility_ID",
            "visit_date"
        ]
    );
    assert!(visits.fields[1].keys.fk && visits.fields[0].keys.pk);
}
