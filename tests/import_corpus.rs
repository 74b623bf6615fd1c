//! Every real diagram in `../shared/corpus` imports without a panic, keeping the shapes and
//! links the file holds.
//!
//! The expected numbers were worked out from the files themselves, not from the importer:
//! - Excalidraw: `blocks` counts the live `rectangle`, `ellipse` and `diamond` elements;
//!   `bound` counts arrows whose start and end bindings both name such a shape (directly, or
//!   through a text bound inside one) and are not the same shape.
//! - draw.io: `blocks` counts vertices that are not edge labels, groups, text, containers
//!   (swimlanes, `container=1`, group shapes), lines or unlabelled images; `bound` counts
//!   edges whose `source` and `target` are two such vertices.
//! - Mermaid: `blocks` counts the node ids (not subgraph ids); `bound` counts the visible links
//!   (one per pair an `&` fans out to), read off each chart by hand.
//!
//! An import must keep blocks within 10 % of that and at least the bound links, and may add
//! links from arrows whose loose ends touch shapes (counted apart). The corpus is referenced
//! where it lies, never copied; without it the test says so and passes.

use archboard::interchange::{Choice, import_file};
use archboard::palette::Palette;
use std::path::PathBuf;

const EXPECTED: &[(&str, usize, usize)] = &[
    ("excalidraw/azure_cleanroom_ccf.excalidraw", 155, 43),
    ("excalidraw/azure_cleanroom_cgs.excalidraw", 135, 32),
    (
        "excalidraw/azure_cleanroom_level1-flow.excalidraw.svg",
        65,
        12,
    ),
    (
        "excalidraw/azure_cleanroom_level2-ccf.excalidraw.svg",
        43,
        14,
    ),
    ("excalidraw/excalidraw_fixture_test_embedded_v1.png", 0, 0),
    ("excalidraw/excalidraw_fixture_test_embedded_v1.svg", 0, 0),
    ("excalidraw/kepler_architecture.excalidraw", 60, 37),
    (
        "excalidraw/kurtosis-cdk_architecture-diagram.excalidraw",
        74,
        16,
    ),
    (
        "excalidraw/tock_gcp_secrets_architecture.excalidraw.png",
        13,
        3,
    ),
    ("drawio/asea_network_architecture.drawio", 149, 8),
    ("drawio/asea_network_architecture.drawio.png", 146, 7),
    ("drawio/asea_organization_structure.drawio", 11, 0),
    ("drawio/asea_perimeter.drawio", 46, 6),
    ("drawio/eks-workshop_ci.drawio", 8, 6),
    ("drawio/jgraph_C4.drawio", 14, 3),
    ("drawio/jgraph_aws-internet-of-things.drawio", 69, 54),
    ("drawio/jgraph_aws-saas-example.drawio", 18, 23),
    ("drawio/jgraph_connect-shapes_legacy.svg", 4, 0),
    ("drawio/jgraph_data-flow.drawio", 20, 30),
    ("drawio/jgraph_flowchart.drawio.svg", 6, 5),
    ("drawio/jgraph_template_aws_10.xml", 72, 22),
    ("drawio/jgraph_template_azure_1.xml", 50, 15),
    (
        "drawio/jgraph_template_gcp_backup_and_archive_hosting_filers.xml",
        90,
        32,
    ),
    ("drawio/jgraph_template_ibm_vpc_architecture.xml", 38, 8),
    ("drawio/jgraph_threat-modelling.drawio", 46, 14),
    ("mermaid/eks_k8s_control_and_data.mmd", 10, 10),
    ("mermaid/jaeger_kafka_ingester.mmd", 6, 5),
    ("mermaid/jaeger_spm_prometheus.mmd", 9, 9),
    ("mermaid/kepler_data_flow.mmd", 11, 10),
    ("mermaid/kepler_msr_fallback.mmd", 6, 5),
    ("mermaid/mermaid_flowchart_code_flow.mmd", 122, 123),
    ("mermaid/otel_demo_services.mmd", 20, 28),
    ("mermaid/otel_demo_telemetry_flow.mmd", 17, 18),
    ("mermaid/otelcol_startup.mmd", 18, 17),
    ("mermaid/temporal_history_atomic_tx.mmd", 4, 1),
    ("mermaid/temporal_nexus_scheduler.mmd", 7, 6),
    ("mermaid/temporal_schedules_execute.mmd", 16, 21),
    ("mermaid/temporal_worker_commands.mmd", 6, 7),
    ("mermaid/temporal_workflow_lifecycle_elk.mmd", 11, 0),
    ("mermaid/temporal_workflow_update.mmd", 19, 21),
];

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus test skipped: ../shared/corpus is not here");
        None
    }
}

#[test]
fn every_corpus_file_imports_with_its_shapes_and_links() {
    let Some(dir) = corpus() else { return };
    let palette = Palette::bundled();
    let mut failures = Vec::new();
    for (file, blocks, bound) in EXPECTED {
        let path = dir.join(file);
        let imported = match import_file(&path, Choice::default(), &palette) {
            Ok(i) => i,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        let s = &imported.summary;
        let tolerance = (*blocks as f64 * 0.1).ceil() as usize;
        // The sketch reader merges an icon's parts into one block, turns boxes around others
        // into frames and makes components of captioned strokes; it drops no box, so blocks,
        // frames and merged boxes, less the components drawn from strokes, add up.
        let kept = match &s.understood {
            Some(u) => (s.blocks + s.frames + u.merged).saturating_sub(u.from_strokes),
            None => s.blocks,
        };
        if kept.abs_diff(*blocks) > tolerance {
            failures.push(format!(
                "{file}: {kept} blocks (with frames and merged parts), expected {blocks} ± {tolerance}",
            ));
        }
        if s.links - s.snapped < *bound {
            failures.push(format!(
                "{file}: {} bound links (+{} snapped), expected at least {bound}",
                s.links - s.snapped,
                s.snapped
            ));
        }
        let real = imported
            .board
            .blocks
            .values()
            .filter(|b| !b.is_frame() && !b.is_text())
            .count();
        assert_eq!(
            real, s.blocks,
            "{file}: the summary counts the board's blocks"
        );
        assert_eq!(imported.board.links.len(), s.links, "{file}: and its links");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_file_in_the_corpus_is_listed_and_none_panics() {
    let Some(dir) = corpus() else { return };
    let palette = Palette::bundled();
    for sub in ["excalidraw", "drawio", "mermaid"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = format!("{sub}/{}", entry.file_name().to_string_lossy());
            if name == "drawio/asea_dns.drawio.png" {
                continue;
            }
            assert!(
                EXPECTED.iter().any(|(f, _, _)| *f == name),
                "{name} is in the corpus but not in EXPECTED: work out its numbers"
            );
            // Whatever happens, it must not panic; every page of a draw.io file too.
            for page in 0..4 {
                let _ = import_file(&entry.path(), Choice { index: page }, &palette);
            }
        }
    }
}

#[test]
fn the_png_without_a_diagram_gets_a_clear_error() {
    let Some(dir) = corpus() else { return };
    let path = dir.join("drawio/asea_dns.drawio.png");
    let err = import_file(&path, Choice::default(), &Palette::bundled())
        .expect_err("no diagram inside")
        .to_string();
    assert!(err.contains("asea_dns.drawio.png"), "{err}");
    assert!(err.contains("holds no"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn multi_page_files_import_each_page_and_refuse_a_page_past_the_end() {
    let Some(dir) = corpus() else { return };
    let palette = Palette::bundled();
    let path = dir.join("drawio/jgraph_C4.drawio");
    let mut seen = Vec::new();
    for page in 0..4 {
        let i = import_file(&path, Choice { index: page }, &palette).expect("page imports");
        let note = i.summary.note.clone().unwrap_or_default();
        assert!(
            note.starts_with(&format!("page {} of 4", page + 1)),
            "{note}"
        );
        seen.push(i.board.blocks.len());
    }
    assert!(
        seen.iter().any(|n| *n != seen[0]),
        "the pages differ: {seen:?}"
    );
    let err = import_file(&path, Choice { index: 4 }, &palette).expect_err("no page 5");
    assert!(err.to_string().contains("4 pages"), "{err}");
}
