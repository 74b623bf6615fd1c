//! archboard's Excalidraw export opened by the real Excalidraw: its own `restore` (npm
//! `@excalidraw/excalidraw` 0.18, what excalidraw.com runs on a file it opens) keeps every arrow
//! bound, elbow arrows included. Excalidraw drops an elbow arrow's binding unless it is pinned
//! with a `fixedPoint`, which is how 3 of 12 links lost their binding before.
//!
//! Needs Node.js and `npm install @excalidraw/excalidraw@0.18 react@19 react-dom@19 jsdom esbuild`
//! in `ARCHBOARD_NPM_DIR` (default `$HOME/.cache/archboard/npm`), as `.ci/run` prepares it.
//! Without them the test says so and passes, unless `ARCHBOARD_INTEROP_REQUIRED` is set (CI
//! sets it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The npm folder with Excalidraw, jsdom and esbuild, or why the test cannot run.
fn tools() -> Result<PathBuf, String> {
    let dir = common::npm_dir();
    for needed in ["@excalidraw/excalidraw", "jsdom", "esbuild"] {
        if !dir.join("node_modules").join(needed).exists() {
            return Err(format!("{needed} is not installed in {}", dir.display()));
        }
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not installed".into());
    }
    Ok(dir)
}

/// Excalidraw's `restore`, bundled for Node once and kept beside the packages.
fn bundle(dir: &Path) -> PathBuf {
    let out = dir.join("archboard-excalidraw-restore.bundle.mjs");
    if out.exists() {
        return out;
    }
    let entry = dir.join("archboard-excalidraw-entry.mjs");
    std::fs::write(
        &entry,
        "export { restore } from '@excalidraw/excalidraw';\n",
    )
    .expect("write the entry");
    // `.bin/esbuild` is the native binary or its Node launcher, depending on the install.
    let status = Command::new(dir.join("node_modules/.bin/esbuild"))
        .arg(&entry)
        .args([
            "--bundle",
            "--platform=node",
            "--format=esm",
            "--loader:.css=empty",
            "--loader:.woff2=empty",
            "--loader:.png=empty",
            "--log-level=error",
        ])
        .arg(format!("--outfile={}", out.display()))
        .current_dir(dir)
        .status()
        .expect("esbuild runs");
    assert!(
        status.success(),
        "esbuild could not bundle @excalidraw/excalidraw"
    );
    out
}

#[test]
fn the_real_excalidraw_keeps_every_exported_arrow_bound_elbows_included() {
    let dir = match tools() {
        Ok(d) => d,
        Err(why) if std::env::var_os("ARCHBOARD_INTEROP_REQUIRED").is_none() => {
            eprintln!("skipping the Excalidraw restore test: {why}");
            return;
        }
        Err(why) => panic!("the Excalidraw restore test must run here, but {why}"),
    };
    let bundle = bundle(&dir);
    let tmp = tempfile::tempdir().expect("tmp");
    let scene = tmp.path().join("news-feed.excalidraw");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/news-feed.ron");
    let out = common::archboard(&[
        common::os("export"),
        example.as_os_str(),
        common::os("-o"),
        scene.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The runner imports jsdom, so it runs from the npm folder.
    let runner = common::npm_script("excalidraw_restore.mjs");
    let out = Command::new("node")
        .arg(&runner)
        .arg(&bundle)
        .arg(&scene)
        .current_dir(&dir)
        .output()
        .expect("node runs");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = said.lines().last().unwrap_or_default();
    let got: serde_json::Value = serde_json::from_str(line).expect("JSON from the runner");
    // news-feed.ron: 21 links, 3 of them elbow routes.
    assert_eq!(got["arrows"], 21, "{line}");
    assert_eq!(got["elbow"], 3, "{line}");
    assert_eq!(got["bound"], 21, "every arrow stays bound: {line}");
}
