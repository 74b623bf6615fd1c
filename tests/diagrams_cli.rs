//! `archboard import` and `archboard export` to other formats, as a script uses them: a
//! written file and a summary on success; exit 2 with one line naming the file otherwise.

mod common;

use common::{archboard, os};
use std::path::Path;

#[test]
fn export_to_each_format_and_import_back() {
    let dir = tempfile::tempdir().expect("tmp");
    let board = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/url-shortener.ron");
    let want = archboard::persistence::load_board(&board).expect("example");
    for ext in ["excalidraw", "drawio", "mmd"] {
        let out = dir.path().join(format!("design.{ext}"));
        let run = archboard(&[os("export"), board.as_os_str(), os("-o"), out.as_os_str()]);
        assert!(
            run.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let back = dir.path().join(format!("{ext}.ron"));
        let run = archboard(&[os("import"), out.as_os_str(), os("-o"), back.as_os_str()]);
        assert!(
            run.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let said = String::from_utf8_lossy(&run.stdout);
        assert!(said.contains("imported"), "{said}");
        let got = archboard::persistence::load_board(&back).expect("a valid board");
        // Freehand ink has no element in draw.io or Mermaid: only Excalidraw brings it back.
        let ink = want.blocks.values().filter(|b| b.is_ink()).count();
        let kept = if ext == "excalidraw" { 0 } else { ink };
        assert_eq!(got.blocks.len(), want.blocks.len() - kept, "{ext}");
        assert_eq!(got.links.len(), want.links.len(), "{ext}");
    }
    let svg = dir.path().join("design.svg");
    let run = archboard(&[os("export"), board.as_os_str(), os("-o"), svg.as_os_str()]);
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stdout).contains("SVG"));
    let check = archboard(&[os("check"), svg.as_os_str()]);
    assert!(check.status.success(), "the SVG opens as the board");
}

#[test]
fn bad_imports_exit_2_with_one_line_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let junk = dir.path().join("junk.excalidraw");
    std::fs::write(&junk, b"{\"elements\": [").expect("write");
    let plain = dir.path().join("notes.txt");
    std::fs::write(&plain, b"just some words").expect("write");
    let mmd = dir.path().join("chart.mmd");
    std::fs::write(&mmd, b"flowchart LR\n a --> b\n").expect("write");
    let out = dir.path().join("out.ron");
    let missing = dir.path().join("missing.drawio");
    let cases: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec![os("import"), junk.as_os_str(), os("-o"), out.as_os_str()],
        vec![os("import"), plain.as_os_str(), os("-o"), out.as_os_str()],
        vec![os("import"), missing.as_os_str(), os("-o"), out.as_os_str()],
        vec![
            os("import"),
            mmd.as_os_str(),
            os("-o"),
            out.as_os_str(),
            os("--page"),
            os("0"),
        ],
        vec![
            os("import"),
            mmd.as_os_str(),
            os("-o"),
            out.as_os_str(),
            os("--page"),
            os("3"),
        ],
    ];
    for args in cases {
        let run = archboard(&args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(!out.exists(), "{args:?}: nothing written");
    }
}
