//! The architecture, written down and checked: which module may use which.
//!
//! Every source file's references to `crate::…` and `super::…` (outside comments and tests)
//! become edges between modules. Two rules hold:
//! - between top-level modules, an edge must be allowed by [`LAYERS`]: arrows point down, so
//!   the model imports nothing of the app, the canvas, persistence or export, and persistence
//!   and export never import the window;
//! - among the children of one module (the files of one folder), there are no cycles.
//!
//! A child may use its own parent (`super::Thing` in `mod.rs`): that is how a type's methods
//! are split over files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module and the modules it may use. The order is the layering, lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    ("platform", &[]),
    ("text", &[]),
    ("model", &[]),
    ("command", &[]),
    ("persistence", &["model", "text", "platform"]),
    ("palette", &["model", "persistence", "platform"]),
    ("lens", &["model"]),
    ("timer", &["model"]),
    ("theme", &["palette"]),
    ("review", &["model", "palette", "lens", "text"]),
    ("collab", &["model", "persistence", "text", "platform"]),
    ("interchange", &["model", "palette", "persistence", "text"]),
    (
        "practice",
        &[
            "model",
            "palette",
            "lens",
            "review",
            "timer",
            "text",
            "persistence",
            "platform",
        ],
    ),
    (
        "canvas",
        &[
            "model", "palette", "lens", "theme", "review", "command", "text", "platform",
        ],
    ),
    (
        "export",
        &[
            "model",
            "palette",
            "lens",
            "theme",
            "canvas",
            "persistence",
            "practice",
            "timer",
            "interchange",
        ],
    ),
    (
        "app",
        &[
            "model",
            "palette",
            "lens",
            "timer",
            "theme",
            "review",
            "canvas",
            "export",
            "persistence",
            "command",
            "text",
            "collab",
            "practice",
            "interchange",
            "platform",
        ],
    ),
    (
        "cli",
        &[
            "model",
            "palette",
            "lens",
            "review",
            "export",
            "persistence",
            "text",
            "app",
            "collab",
            "interchange",
            "timer",
            "practice",
        ],
    ),
];

/// The module a file holds: `src/app/sidebar/block.rs` is `app::sidebar::block`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_owned();
        if stem != "mod" && stem != "lib" {
            parts.push(stem);
        }
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without what `#[cfg(test)]` marks (the item after
/// it: a `mod tests { … }` block, a `mod tests;` line or a single `use`).
fn code(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "#[cfg(test)]" {
            out.push(lines[i]);
            i += 1;
            continue;
        }
        // Skip the marked item: up to its matching closing brace, or to its `;`.
        i += 1;
        let mut depth = 0i32;
        while i < lines.len() {
            let l = lines[i];
            depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
            i += 1;
            if depth <= 0 && (l.contains('}') || l.trim_end().ends_with(';')) {
                break;
            }
        }
    }
    out.join("\n")
}

/// The module paths `code` refers to, resolved against the module `here`.
fn references(code: &str, here: &[String]) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| w.contains("::"))
        .collect();
    for w in words {
        let segs: Vec<&str> = w.split("::").filter(|s| !s.is_empty()).collect();
        let (mut path, rest): (Vec<String>, &[&str]) = match segs.first() {
            Some(&"crate") => (Vec::new(), &segs[1..]),
            Some(&"super") => {
                let mut base: Vec<String> = here.to_vec();
                let mut i = 0;
                while segs.get(i) == Some(&"super") {
                    base.pop();
                    i += 1;
                }
                (base, &segs[i..])
            }
            _ => continue,
        };
        // Module names are lower case; the first capitalised segment is an item.
        for s in rest {
            if s.chars().next().is_some_and(|c| c.is_lowercase()) {
                path.push((*s).to_owned());
            } else {
                break;
            }
        }
        out.insert(path);
    }
    out
}

/// Every edge between modules: (from, to), each the longest module path that exists.
fn edges() -> Vec<(Vec<String>, Vec<String>)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n != "main.rs" && n != "tests.rs")
        })
        .map(|f| (module_of(&src, f), f.clone()))
        .collect();
    let mut out = Vec::new();
    for (here, file) in &modules {
        if here.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read");
        for mut target in references(&code(&text), here) {
            while !target.is_empty() && !modules.contains_key(&target) {
                target.pop();
            }
            if !target.is_empty() && &target != here {
                out.push((here.clone(), target));
            }
        }
    }
    out
}

#[test]
fn top_level_modules_only_use_the_layers_below_them() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut wrong = Vec::new();
    for (from, to) in edges() {
        let (a, b) = (from[0].as_str(), to[0].as_str());
        if a == b {
            continue;
        }
        let Some(ok) = allowed.get(a) else {
            wrong.push(format!("{a} is not in the layer table"));
            continue;
        };
        if !ok.contains(&b) {
            wrong.push(format!("{} uses {}", from.join("::"), to.join("::")));
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "arrows pointing the wrong way:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_layer_table_itself_has_no_cycles() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    for (i, (name, deps)) in LAYERS.iter().enumerate() {
        for d in *deps {
            let below = LAYERS[..i].iter().any(|(n, _)| n == d);
            assert!(below, "{name} may use {d}, which is not below it");
            assert!(allowed.contains_key(d));
        }
    }
}

/// Finds a cycle in a directed graph, as the list of its nodes.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_owned(), 1);
        stack.push(n.to_owned());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut c = stack[start..].to_vec();
                    c.push(m.clone());
                    return Some(c);
                }
                0 => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_two_files_of_one_folder_use_each_other() {
    // parent → (child → children it uses)
    let mut by_parent: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, to) in edges() {
        // The common parent, and the two children of it on each side.
        let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
        if common == from.len() || common == to.len() {
            continue; // a module and its own ancestor or descendant
        }
        by_parent
            .entry(from[..common].to_vec())
            .or_default()
            .entry(from[common].clone())
            .or_default()
            .insert(to[common].clone());
    }
    for (parent, graph) in &by_parent {
        if let Some(c) = cycle(graph) {
            let at = if parent.is_empty() {
                "crate".to_owned()
            } else {
                parent.join("::")
            };
            panic!("modules under {at} use each other: {}", c.join(" → "));
        }
    }
}

#[test]
fn the_checker_sees_cycles_and_wrong_arrows() {
    // The rules must be able to fail: a made-up cycle and made-up references are caught.
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("paint".into())
        .or_default()
        .insert("design_paint".into());
    assert!(cycle(&g).is_none());
    g.entry("design_paint".into())
        .or_default()
        .insert("paint".into());
    assert!(cycle(&g).is_some());
    let here = vec!["model".to_owned(), "board".to_owned()];
    let refs = references(
        "use crate::timer::TimerState;\nlet x = super::edit::Edit::Move;",
        &here,
    );
    assert!(refs.contains(&vec!["timer".to_owned()]));
    assert!(refs.contains(&vec!["model".to_owned(), "edit".to_owned()]));
    assert_eq!(
        code("use a;\n// use crate::app;\n#[cfg(test)]\nuse crate::cli;"),
        "use a;\n"
    );
}

/// The fields of `pub struct NAME {` in `text`: lines at the struct's own indentation that declare
/// one (`name: Type,`), comments and attributes left out.
fn struct_fields(text: &str, name: &str) -> Vec<String> {
    let Some(start) = text.find(&format!("pub struct {name} {{")) else {
        return Vec::new();
    };
    text[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with('}'))
        .filter(|l| l.starts_with("    ") && !l.starts_with("     "))
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('#'))
        .filter_map(|l| l.split(':').next())
        .map(|f| {
            f.trim_start_matches("pub(super) ")
                .trim_start_matches("pub ")
                .to_owned()
        })
        .collect()
}

/// The window's app object holds one field per concern (the room, practice, replay, the panels,
/// the board's files…), each owning its own state, rather than their fields side by side.
#[test]
fn the_app_object_holds_one_field_per_concern() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/mod.rs");
    let text = std::fs::read_to_string(src).expect("read app");
    let fields = struct_fields(&text, "ArchboardApp");
    assert!(fields.len() >= 5, "found the struct: {fields:?}");
    assert!(
        fields.len() <= 15,
        "ArchboardApp has {} fields; give a concern its own struct: {fields:?}",
        fields.len()
    );
    assert_eq!(
        struct_fields(
            "pub struct A {\n    a: u8,\n    /// b: doc\n    pub b: Vec<u8>,\n}\n",
            "A"
        ),
        ["a", "b"]
    );
}

/// A file a newcomer can read through: no file's code, outside comments and tests, runs past
/// 800 lines (a longer one mixes directions, like reading and writing a format).
#[test]
fn no_file_is_too_long_to_read() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        let lines = code(&text).lines().filter(|l| !l.trim().is_empty()).count();
        assert!(lines <= 800, "{} has {lines} lines of code", f.display());
    }
}
