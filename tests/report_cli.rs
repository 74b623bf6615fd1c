//! `archboard report`, `new` and `problems` from the command line: the report names every phase,
//! block and finding, and its numbers are the review's.

mod common;

use common::{archboard, os};
use std::path::Path;

#[test]
fn the_report_of_each_example_names_every_phase_block_and_finding_as_review_does() {
    let dir = tempfile::tempdir().expect("tmp");
    let plans = archboard::timer::bundled_plans();
    for name in ["url-shortener", "news-feed", "chat-service"] {
        let board_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("saves/{name}.ron"));
        let out_md = dir.path().join(format!("{name}.md"));
        let run = archboard(&[
            os("report"),
            board_path.as_os_str(),
            os("-o"),
            out_md.as_os_str(),
        ]);
        assert!(
            run.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let md = std::fs::read_to_string(&out_md).expect("report written");
        assert!(
            out_md.with_extension("png").is_file(),
            "{name}: the picture beside it"
        );
        assert!(
            md.contains(&format!("]({name}.png)")),
            "{name}: the report links its picture"
        );

        let board = archboard::persistence::load_board(&board_path).expect("example loads");
        let plan = archboard::timer::plan_for(&board.timer, &plans).expect("plan");
        for phase in &plan.phases {
            assert!(md.contains(&phase.name), "{name}: phase {}", phase.name);
        }
        for b in board
            .blocks
            .values()
            .filter(|b| !b.is_frame() && !b.is_text())
        {
            let label = b.label.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(md.contains(&label), "{name}: block {label}");
        }

        let review = archboard(&[os("review"), board_path.as_os_str()]);
        let text = String::from_utf8_lossy(&review.stdout);
        let mut lines = text.lines();
        let head = lines.next().expect("review's first line");
        let peak = head.split("; peak ").nth(1).expect("peak in the review");
        assert!(md.contains(&format!("peak {peak}")), "{name}: peak {peak}");
        let mut counts = "";
        for line in lines {
            if let Some(f) = line
                .strip_prefix("risk: ")
                .or_else(|| line.strip_prefix("gap: "))
            {
                let text = f.split(" [lens").next().unwrap_or(f);
                assert!(md.contains(text), "{name}: finding {text}");
            } else {
                counts = line;
            }
        }
        assert!(
            md.contains(&format!("Review at the end: {counts}")),
            "{name}: {counts}"
        );
    }
}

#[test]
fn new_from_a_problem_writes_a_paused_practice_board_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("tmp");
    let list = archboard(&[os("problems")]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert!(listed.lines().count() >= 20, "{listed}");
    assert!(listed.contains("ticketmaster"), "{listed}");

    let file = dir.path().join("tm.ron");
    let made = archboard(&[
        os("new"),
        file.as_os_str(),
        os("--problem"),
        os("ticketmaster"),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let board = archboard::persistence::load_board(&file).expect("a valid board");
    assert_eq!(
        board.practice.as_ref().map(|p| p.problem.as_str()),
        Some("ticketmaster")
    );
    assert!(
        board.estimate.is_default(),
        "pre-filled only once scale is asked"
    );
    let again = archboard(&[os("new"), file.as_os_str(), os("--problem"), os("chat")]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    let unknown = archboard(&[
        os("new"),
        dir.path().join("x.ron").as_os_str(),
        os("--problem"),
        os("nope"),
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(err.lines().count(), 1, "one line: {err}");

    // The report of a fresh practice board names the problem and says nothing was asked.
    let md_path = dir.path().join("tm.md");
    let rep = archboard(&[
        os("report"),
        file.as_os_str(),
        os("-o"),
        md_path.as_os_str(),
    ]);
    assert!(
        rep.status.success(),
        "{}",
        String::from_utf8_lossy(&rep.stderr)
    );
    let md = std::fs::read_to_string(&md_path).expect("md");
    assert!(md.contains("## Problem: Ticketmaster"), "{md}");
    assert!(md.contains("Questions asked (0 of"), "{md}");
    assert!(
        md.contains("missed"),
        "an unfinished rubric lists what is missed: {md}"
    );
}

#[test]
fn report_refuses_a_bad_file_in_one_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(format_version: 99)").expect("write");
    let out = archboard(&[
        os("report"),
        bad.as_os_str(),
        os("-o"),
        dir.path().join("r.md").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.ron"), "{err}");
    assert!(!dir.path().join("r.md").exists(), "nothing is written");
}

#[test]
fn an_html_report_is_one_page_with_the_picture_inside() {
    let dir = tempfile::tempdir().expect("tmp");
    let board_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/chat-service.ron");
    let out = dir.path().join("chat.html");
    let run = archboard(&[
        os("report"),
        board_path.as_os_str(),
        os("-o"),
        out.as_os_str(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(&out).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<img src=\"data:image/png;base64,"),
        "the picture is inline"
    );
    assert!(html.contains("<table>"), "the time table is a table");
    let board = archboard::persistence::load_board(&board_path).expect("example");
    let plans = archboard::timer::bundled_plans();
    let plan = archboard::timer::plan_for(&board.timer, &plans).expect("plan");
    for phase in &plan.phases {
        assert!(html.contains(&phase.name), "phase {}", phase.name);
    }
    assert!(!out.with_extension("png").exists(), "nothing beside it");
}

/// A practice board made a moment ago, with nothing drawn yet: the report says so in those words,
/// not that the board predates recording.
#[test]
fn the_report_of_a_fresh_practice_board_says_nothing_is_drawn_yet() {
    let dir = tempfile::tempdir().expect("tmp");
    let board = dir.path().join("practice.ron");
    let made = archboard(&[
        os("new"),
        board.as_os_str(),
        os("--problem"),
        os("url-shortener"),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let out_md = dir.path().join("practice.md");
    let run = archboard(&[
        os("report"),
        board.as_os_str(),
        os("-o"),
        out_md.as_os_str(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let md = std::fs::read_to_string(&out_md).expect("report written");
    assert!(md.contains("Nothing has been drawn yet."), "{md}");
    assert!(!md.contains("No recording"), "{md}");
    assert!(!md.contains("before archboard kept a record"), "{md}");
}
