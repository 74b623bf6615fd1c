//! Every window, dialog, panel and overlay as a person sees it, rendered headless at three window
//! sizes in both themes: no two pieces of text cover each other, no text is cut off by its
//! container, nothing is off the window. The accessibility tree can be right while the screen is
//! unreadable; these look at what was drawn.
//!
//! A few screens are also compared with golden pictures (`tests/fixtures/golden/screens/`), and
//! with `ARCHBOARD_GALLERY` set the same renders are written to `assets/gallery/` for the README
//! (`ARCHBOARD_GALLERY=1 cargo test --test ui_screens`).

mod common;

use archboard::command::Command;
use archboard::model::{Block, Edit, Rect};
use common::screen::{self, ScreenHarness};
use egui::{Theme, Vec2, vec2};
use std::path::{Path, PathBuf};

const SIZES: [Vec2; 3] = [
    vec2(1280.0, 800.0),
    vec2(1920.0, 1080.0),
    vec2(900.0, 700.0),
];
const THEMES: [Theme; 2] = [Theme::Light, Theme::Dark];

/// How a screen is reached: what the window opens on, and what a person does to get there.
struct Scene {
    name: &'static str,
    /// The caption under the picture in the README's gallery.
    caption: &'static str,
    sidebar: bool,
    open: Open,
    setup: fn(&mut ScreenHarness, &Path),
}

enum Open {
    Empty,
    Example(&'static str),
    /// A data folder holding a crashed window's unsaved work.
    Recovery,
}

fn run(h: &mut ScreenHarness, cmd: Command) {
    let ctx = h.ctx.clone();
    h.state_mut().app.run(cmd, &ctx);
    h.run_steps(4);
}

/// Steps until `cond` holds (file work and reviews finish on other threads).
fn wait(h: &mut ScreenHarness, what: &str, cond: impl Fn(&archboard::app::ArchboardApp) -> bool) {
    common::wait_until(h, what, |s| cond(&s.app));
    h.run_steps(2);
}

fn add(
    h: &mut ScreenHarness,
    kind: &str,
    label: &str,
    x: f32,
    y: f32,
) -> archboard::model::BlockId {
    let doc = &mut h.state_mut().app.board.doc;
    let id = doc.new_block_id();
    doc.apply(Edit::Insert {
        blocks: vec![Block::new(id, kind, label, Rect::new(x, y, 160.0, 80.0))],
        links: vec![],
    })
    .expect("insert");
    h.run_steps(2);
    id
}

fn select_first(h: &mut ScreenHarness, kind: &str) {
    let app = &mut h.state_mut().app;
    let id = app
        .board
        .doc
        .board()
        .blocks
        .values()
        .find(|b| b.kind == kind)
        .map(|b| b.id)
        .expect("a block of the kind");
    app.canvas.selection.blocks.insert(id);
    h.run_steps(4);
}

/// A draw.io file with two pages, so the import asks which one.
const TWO_PAGES: &str = r#"<mxfile><diagram name="Overview"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="2" value="Web" vertex="1" parent="1"><mxGeometry x="0" y="0" width="120" height="60" as="geometry"/></mxCell></root></mxGraphModel></diagram><diagram name="Storage and caching in the second region"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/><mxCell id="2" value="DB" vertex="1" parent="1"><mxGeometry x="0" y="0" width="120" height="60" as="geometry"/></mxCell></root></mxGraphModel></diagram></mxfile>"#;

fn scenes() -> Vec<Scene> {
    vec![
        Scene {
            name: "start-card",
            caption: "An empty board: the three ways to begin",
            sidebar: true,
            open: Open::Empty,
            setup: |_, _| {},
        },
        Scene {
            name: "problem-picker",
            caption: "New from problem: the problems, and the chosen one's prompt",
            sidebar: true,
            open: Open::Empty,
            setup: |h, _| run(h, Command::NewFromProblem),
        },
        Scene {
            name: "share",
            caption: "Share: host the room here or use a server",
            sidebar: true,
            open: Open::Example("url-shortener"),
            setup: |h, _| run(h, Command::Share),
        },
        Scene {
            name: "join",
            caption: "Join a room from a link",
            sidebar: true,
            open: Open::Empty,
            setup: |h, _| run(h, Command::Join),
        },
        Scene {
            name: "export",
            caption: "Export: PNG, SVG, Excalidraw, draw.io or Mermaid",
            sidebar: true,
            open: Open::Example("url-shortener"),
            setup: |h, _| run(h, Command::ExportPng),
        },
        Scene {
            name: "import-pages",
            caption: "A diagram with several pages: pick one",
            sidebar: true,
            open: Open::Empty,
            setup: |h, dir| {
                let file = dir.join("two pages.drawio");
                std::fs::write(&file, TWO_PAGES).expect("write");
                h.input_mut()
                    .dropped_files
                    .push(std::sync::Arc::new(common::Dropped(file)));
                h.run_steps(1);
                wait(h, "the import", |app| !app.is_loading());
            },
        },
        Scene {
            name: "open-prompt",
            caption: "Open a board: a path, recent files, or the system's dialog",
            sidebar: true,
            open: Open::Empty,
            setup: |h, _| run(h, Command::Open),
        },
        Scene {
            name: "save-prompt",
            caption: "Save As",
            sidebar: true,
            open: Open::Example("url-shortener"),
            setup: |h, _| run(h, Command::SaveAs),
        },
        Scene {
            name: "shortcuts",
            caption: "Every keyboard shortcut (?)",
            sidebar: true,
            open: Open::Example("url-shortener"),
            setup: |h, _| run(h, Command::Shortcuts),
        },
        Scene {
            name: "estimator-review",
            caption: "The estimator and the design review",
            sidebar: true,
            open: Open::Example("url-shortener"),
            setup: |h, _| {
                run(h, Command::Estimator);
                run(h, Command::ReviewOverlay);
                wait(h, "the review", |app| app.design.review().is_some());
            },
        },
        Scene {
            name: "lens",
            caption: "A block's deep-dive lens in the sidebar",
            sidebar: true,
            open: Open::Example("url-shortener"),
            setup: |h, _| select_first(h, "nosql"),
        },
        Scene {
            name: "lens-overlay",
            caption: "The lens beside the block, sidebar hidden",
            sidebar: false,
            open: Open::Example("url-shortener"),
            setup: |h, _| {
                select_first(h, "cache");
                run(h, Command::LensOverlay);
            },
        },
        Scene {
            name: "replay",
            caption: "Replay: the interview's timeline",
            sidebar: true,
            open: Open::Empty,
            setup: |h, _| {
                add(h, "load_balancer", "Load balancer", 0.0, 0.0);
                add(h, "service", "API", 240.0, 0.0);
                add(h, "database", "Users", 480.0, 0.0);
                run(h, Command::FitBoard);
                run(h, Command::Replay);
            },
        },
        Scene {
            name: "report-prompt",
            caption: "Where to write the interview report",
            sidebar: true,
            open: Open::Example("url-shortener"),
            setup: |h, _| run(h, Command::ExportReport),
        },
        Scene {
            name: "restore-prompt",
            caption: "Unsaved work found after a crash",
            sidebar: true,
            open: Open::Recovery,
            setup: |h, _| wait(h, "the offer", |app| app.has_recovery_offer()),
        },
        Scene {
            name: "rubric",
            caption: "Practice: the rubric and score after Finish",
            sidebar: true,
            open: Open::Empty,
            setup: |h, _| {
                let ctx = h.ctx.clone();
                h.state_mut().app.start_problem("url-shortener", &ctx);
                wait(h, "the practice board", |app| {
                    app.board.doc.board().practice.is_some()
                });
                add(h, "load_balancer", "Load balancer", 0.0, 0.0);
                add(h, "cache", "Cache", 240.0, 0.0);
                add(h, "database", "URLs", 480.0, 0.0);
                run(h, Command::FitBoard);
                wait(h, "the review", |app| app.design.review().is_some());
                run(h, Command::PracticeFinish);
            },
        },
        Scene {
            name: "icon-sketch",
            caption: "An Excalidraw icon sketch pasted: each icon one component, named by its caption",
            sidebar: true,
            open: Open::Empty,
            setup: |h, _| {
                let sketch = std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("tests/fixtures/icon_sketch.excalidraw"),
                )
                .expect("the fixture");
                h.hover_at(egui::Pos2::new(500.0, 400.0));
                h.run_steps(1);
                h.event(egui::Event::Paste(sketch));
                h.run_steps(3);
                h.state_mut().app.canvas.clear_selection();
                select_first(h, "database");
                run(h, Command::FitBoard);
            },
        },
        Scene {
            name: "status-long",
            caption: "The status bar with a long message",
            sidebar: true,
            open: Open::Example("url-shortener"),
            setup: |h, _| {
                h.state_mut().app.status.error(
                    "Could not save /home/someone/projects/interviews/2026/december/a very long \
                     folder name/url shortener final version.ron: the disk is full (os error 28); \
                     your changes are kept in this window and in the recovery file",
                );
                h.run_steps(3);
            },
        },
    ]
}

/// A window at `size` in `theme`, brought to `scene`.
fn show(scene: &Scene, size: Vec2, theme: Theme, tmp: &Path) -> ScreenHarness {
    let (file, data) = match scene.open {
        Open::Empty => (None, None),
        Open::Example(name) => (
            Some(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("saves/{name}.ron"))),
            None,
        ),
        Open::Recovery => (None, Some(recovery_data(tmp))),
    };
    let mut h = screen::harness(size, theme, scene.sidebar, file, |app| match data {
        Some(d) => app.with_data_dir(d),
        None => app,
    });
    h.run_steps(2);
    wait(&mut h, "the board", |app| !app.is_loading());
    (scene.setup)(&mut h, tmp);
    h.run_steps(4);
    h
}

/// What a crashed window leaves behind: a recovery file newer than its board, lock released.
fn recovery_data(tmp: &Path) -> PathBuf {
    use archboard::persistence::recovery;
    let data = tmp.join("data");
    let original = tmp.join("payments design.ron");
    let mut board = archboard::model::Board::new("payments");
    let id = board.alloc_block_id();
    board.blocks.insert(
        id,
        Block::new(id, "database", "Ledger", Rect::new(0.0, 0.0, 140.0, 60.0)),
    );
    archboard::persistence::save_board(&original, &board).expect("save");
    let (file, lock) = recovery::new_file(&recovery::recovery_dir(&data), Some(&original));
    recovery::write(&file, &board, Some(&original)).expect("write");
    drop(lock);
    data
}

/// Renders `scene` in every size and theme and returns what is wrong with each.
fn check(scene: &Scene) -> Vec<String> {
    let mut out = Vec::new();
    for size in SIZES {
        for theme in THEMES {
            let tmp = tempfile::tempdir().expect("tmp");
            let h = show(scene, size, theme, tmp.path());
            let drawn = h.state().frame.clone().expect("a frame was drawn");
            for p in screen::problems(&drawn) {
                out.push(format!(
                    "{} {}×{} {theme:?}: {p}",
                    scene.name, size.x, size.y
                ));
            }
        }
    }
    out
}

fn scene(name: &str) -> Scene {
    scenes()
        .into_iter()
        .find(|s| s.name == name)
        .expect("a scene of that name")
}

fn assert_readable(name: &str) {
    let problems = check(&scene(name));
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

macro_rules! readable {
    ($($test:ident: $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                assert_readable($name);
            }
        )*
    };
}

readable! {
    start_card_is_readable: "start-card",
    problem_picker_is_readable: "problem-picker",
    share_dialog_is_readable: "share",
    join_dialog_is_readable: "join",
    export_dialog_is_readable: "export",
    import_pages_window_is_readable: "import-pages",
    open_prompt_is_readable: "open-prompt",
    save_prompt_is_readable: "save-prompt",
    shortcuts_overlay_is_readable: "shortcuts",
    estimator_and_review_are_readable: "estimator-review",
    lens_sidebar_is_readable: "lens",
    lens_overlay_is_readable: "lens-overlay",
    replay_timeline_is_readable: "replay",
    report_prompt_is_readable: "report-prompt",
    restore_prompt_is_readable: "restore-prompt",
    rubric_after_finishing_is_readable: "rubric",
    long_status_message_is_readable: "status-long",
    pasted_icon_sketch_is_readable: "icon-sketch",
}

/// The checks themselves: a frame with two labels drawn on top of each other and one cut off
/// by a narrow frame is reported, a tidy one is not.
#[test]
fn the_checks_see_overlapping_and_clipped_text() {
    let mut h = egui_kittest::Harness::builder()
        .with_size(vec2(400.0, 300.0))
        .build_ui_state(
            |ui, drawn: &mut Option<screen::Drawn>| {
                ui.label("Tidy label");
                let at = ui.min_rect().left_top() + vec2(0.0, 40.0);
                ui.put(
                    egui::Rect::from_min_size(at, vec2(200.0, 20.0)),
                    egui::Label::new("First label"),
                );
                ui.put(
                    egui::Rect::from_min_size(at + vec2(10.0, 2.0), vec2(200.0, 20.0)),
                    egui::Label::new("Second label"),
                );
                let clip = egui::Rect::from_min_size(at + vec2(0.0, 80.0), vec2(60.0, 20.0));
                ui.scope_builder(egui::UiBuilder::new().max_rect(clip), |ui| {
                    ui.set_clip_rect(clip);
                    ui.add(egui::Label::new("A label much wider than its frame").extend());
                });
                *drawn = Some(screen::capture(ui.ctx()));
            },
            None,
        );
    h.run();
    let drawn = h.state().clone().expect("a frame");
    let problems = screen::problems(&drawn);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("text overlaps") && p.contains("First label")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("text clipped") && p.contains("A label much wider")),
        "{problems:?}"
    );
    assert!(
        !problems.iter().any(|p| p.contains("Tidy label")),
        "{problems:?}"
    );
}

/// The screens that matter most, compared with golden pictures, and the README's gallery.
#[test]
fn golden_screens_and_the_gallery() {
    let gallery = std::env::var_os("ARCHBOARD_GALLERY").is_some();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut markdown = String::new();
    for s in scenes() {
        let golden = GOLDEN.contains(&s.name);
        if !golden && !gallery {
            continue;
        }
        let tmp = tempfile::tempdir().expect("tmp");
        let theme = if GALLERY_DARK.contains(&s.name) {
            Theme::Dark
        } else {
            Theme::Light
        };
        let h = show(&s, SIZES[0], theme, tmp.path());
        let png = screen::png(&screen::render(&h));
        if golden {
            common::assert_golden(&format!("golden/screens/{}.png", s.name), &png);
        }
        if gallery {
            let dir = root.join("assets/gallery");
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join(format!("{}.png", s.name)), &png).expect("write");
        }
        markdown.push_str(&format!(
            "| ![{}](assets/gallery/{}.png) | {} |\n",
            s.caption, s.name, s.caption
        ));
    }
    if gallery {
        let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
        let table = format!("| Screen | What it shows |\n|---|---|\n{markdown}");
        let updated = replace_between(&readme, GALLERY_START, GALLERY_END, &table);
        std::fs::write(root.join("README.md"), updated).expect("write README");
    }
}

const GOLDEN: [&str; 4] = ["start-card", "problem-picker", "lens", "estimator-review"];
const GALLERY_DARK: [&str; 3] = ["lens", "shortcuts", "replay"];
const GALLERY_START: &str =
    "<!-- gallery: generated by `ARCHBOARD_GALLERY=1 cargo test --test ui_screens` -->";
const GALLERY_END: &str = "<!-- end of gallery -->";

fn replace_between(text: &str, start: &str, end: &str, with: &str) -> String {
    let (Some(a), Some(b)) = (text.find(start), text.find(end)) else {
        panic!("README has no gallery markers");
    };
    format!("{}{start}\n{with}{}", &text[..a], &text[b..])
}

/// Every screen in the gallery is in the README and every picture it names exists.
#[test]
fn the_readme_gallery_shows_every_screen() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let a = readme.find(GALLERY_START).expect("gallery start marker");
    let b = readme.find(GALLERY_END).expect("gallery end marker");
    let section = &readme[a..b];
    for s in scenes() {
        let picture = format!("assets/gallery/{}.png", s.name);
        assert!(section.contains(&picture), "README gallery lacks {picture}");
        assert!(root.join(&picture).exists(), "{picture} is missing");
    }
}
