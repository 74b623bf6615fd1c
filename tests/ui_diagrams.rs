//! Other tools' diagrams in the window: dropping a draw.io file, pasting Mermaid and
//! Excalidraw, Copy as Mermaid, Tidy up, and exporting to another format from the dialog.

mod common;

use common::{app_harness, ctrl_shift, wait_until};
use egui::{Key, Pos2};
use egui_kittest::kittest::Queryable;

type H = egui_kittest::Harness<'static, archboard::app::ArchboardApp>;

fn paste(h: &mut H, text: &str) {
    h.hover_at(Pos2::new(600.0, 400.0));
    h.run_steps(1);
    h.event(egui::Event::Paste(text.to_owned()));
    h.run_steps(3);
}

const TWO_PAGES: &str = r#"<mxfile><diagram name="Web"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="a" value="nginx" style="rounded=1;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="120" height="60" as="geometry"/></mxCell>
<mxCell id="b" value="orders" style="shape=cylinder3;" vertex="1" parent="1"><mxGeometry x="300" y="0" width="80" height="80" as="geometry"/></mxCell>
<mxCell id="e" value="SQL" style="endArrow=classic;" edge="1" parent="1" source="a" target="b"><mxGeometry relative="1" as="geometry"/></mxCell>
</root></mxGraphModel></diagram><diagram name="Jobs"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="q" value="SQS" vertex="1" parent="1"><mxGeometry x="0" y="0" width="120" height="60" as="geometry"/></mxCell>
</root></mxGraphModel></diagram></mxfile>"#;

#[test]
fn dropping_a_draw_io_file_imports_it_as_a_new_board_and_offers_its_other_page() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("system.drawio");
    std::fs::write(&path, TWO_PAGES).expect("write");
    let mut h = app_harness(None);
    h.run_steps(2);
    common::drop_file(&mut h, &path);
    wait_until(&mut h, "the import", |app| {
        !app.is_loading() && app.board.doc.board().blocks.len() == 2
    });
    let board = h.state().board.doc.board().clone();
    let kinds: Vec<&str> = board.blocks.values().map(|b| b.kind.as_str()).collect();
    assert_eq!(kinds, ["load_balancer", "database"]);
    assert_eq!(
        board.links.values().next().map(|l| l.label.as_str()),
        Some("SQL")
    );
    assert!(
        h.state().board.path.is_none(),
        "an import is untitled: Ctrl+S never overwrites the .drawio"
    );
    assert!(
        h.query_by_label_contains("imported 2 blocks, 1 link")
            .is_some(),
        "the summary shows"
    );
    // The other page is one click away.
    h.get_by_label("Jobs").click();
    h.run_steps(2);
    if h.query_by_label("Discard").is_some() {
        h.get_by_label("Discard").click();
        h.run_steps(2);
    }
    wait_until(&mut h, "page 2", |app| {
        !app.is_loading() && app.board.doc.board().blocks.len() == 1
    });
    let kinds: Vec<String> = common::board(&h)
        .blocks
        .values()
        .map(|b| b.kind.clone())
        .collect();
    assert_eq!(kinds, ["queue"]);
}

#[test]
fn pasting_mermaid_or_excalidraw_adds_blocks_and_copy_as_mermaid_gives_a_chart_back() {
    let mut h = app_harness(None);
    h.run_steps(2);
    paste(
        &mut h,
        "flowchart LR\n  web[Web app] --> api[API] --> cache[(Redis)]\n  api -.->|events| q[Kafka]\n",
    );
    let board = h.state().board.doc.board().clone();
    assert_eq!(board.blocks.len(), 4, "four nodes pasted as blocks");
    assert_eq!(board.links.len(), 3);
    assert_eq!(
        h.state().canvas.selection.blocks.len(),
        4,
        "the pasted blocks are selected"
    );
    assert!(h.query_by_label_contains("Pasted from Mermaid").is_some());

    paste(
        &mut h,
        r#"{"type":"excalidraw/clipboard","elements":[{"id":"x","type":"rectangle","x":0,"y":0,"width":100,"height":50},{"id":"t","type":"text","x":5,"y":5,"width":80,"height":20,"text":"Postgres","containerId":"x"}]}"#,
    );
    assert_eq!(common::board(&h).blocks.len(), 5);
    assert!(
        common::board(&h)
            .blocks
            .values()
            .any(|b| b.kind == "database" && b.label == "Postgres")
    );

    // A broken Excalidraw paste is refused with a message and adds nothing.
    paste(
        &mut h,
        r#"{"type":"excalidraw/clipboard","elements":[{"id":"#,
    );
    assert_eq!(common::board(&h).blocks.len(), 5);

    // Nothing selected: the whole board is copied.
    h.state_mut().canvas.clear_selection();
    h.key_press_modifiers(ctrl_shift(), Key::M);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Copied 5 blocks, 3 links as a Mermaid flowchart")
            .is_some(),
        "the status says what was copied"
    );
    let chart = archboard::interchange::mermaid::write(
        h.state().board.doc.board(),
        &archboard::palette::Palette::bundled(),
    );
    assert!(chart.starts_with("flowchart LR"), "{chart}");
    assert!(chart.contains("Redis") && chart.contains("-.->"), "{chart}");
}

/// A database icon as Excalidraw's clipboard carries it: a rim, a body and a base in one
/// group, and the caption as loose text under it.
const CYLINDER_WITH_CAPTION: &str = r#"{"type":"excalidraw/clipboard","elements":[
{"id":"rim","type":"ellipse","x":0,"y":0,"width":60,"height":18,"groupIds":["db"]},
{"id":"body","type":"rectangle","x":0,"y":9,"width":60,"height":52,"groupIds":["db"]},
{"id":"base","type":"ellipse","x":0,"y":52,"width":60,"height":18,"groupIds":["db"]},
{"id":"l1","type":"line","x":0,"y":9,"width":0,"height":52,"points":[[0,0],[0,52]],"groupIds":["db"]},
{"id":"cap","type":"text","x":2,"y":76,"width":56,"height":20,"fontSize":16,"text":"Orders"}]}"#;

#[test]
fn pasting_an_icon_sketch_gives_one_named_typed_block_with_its_caption_under_it() {
    let mut h = app_harness(None);
    h.run_steps(2);
    paste(&mut h, CYLINDER_WITH_CAPTION);
    let board = common::board(&h);
    assert_eq!(board.blocks.len(), 1, "{:?}", board.blocks);
    let b = board.blocks.values().next().expect("one block");
    assert_eq!((b.kind.as_str(), b.label.as_str()), ("database", "Orders"));
    assert_eq!(b.label_at, archboard::model::LabelAt::Below);
    assert!(
        h.query_by_label_contains("recognised 1 component from 4 shapes (1 icon group, 1 caption")
            .is_some(),
        "the status says what was understood"
    );
}

#[test]
fn tidy_up_lays_the_blocks_out_along_their_links_in_one_undo_step() {
    let mut h = app_harness(None);
    h.run_steps(2);
    // A chain pasted backwards and piled up: c, b, a at one spot.
    paste(&mut h, "flowchart LR\n  a[A] --> b[B] --> c[C]\n");
    let ids: Vec<_> = common::board(&h).blocks.keys().copied().collect();
    let pile = archboard::model::Rect::new(0.0, 0.0, 140.0, 60.0);
    let doc = &mut h.state_mut().board.doc;
    let piled: Vec<archboard::model::Block> = ids
        .iter()
        .filter_map(|id| doc.board().block(*id).cloned())
        .map(|mut b| {
            b.rect = pile;
            b
        })
        .collect();
    doc.apply(archboard::model::Edit::UpdateBlocks(piled))
        .expect("pile");
    h.run_steps(1);
    h.key_press_modifiers(ctrl_shift(), Key::T);
    h.run_steps(2);
    let board = h.state().board.doc.board().clone();
    let x = |label: &str| {
        board
            .blocks
            .values()
            .find(|b| b.label == label)
            .map(|b| b.rect.x)
            .expect(label)
    };
    assert!(
        x("A") < x("B") && x("B") < x("C"),
        "left to right along the links"
    );
    h.key_press_modifiers(common::ctrl(), Key::Z);
    h.run_steps(2);
    assert!(
        common::board(&h).blocks.values().all(|b| b.rect == pile),
        "one undo puts them back"
    );
}

#[test]
fn the_export_dialog_writes_the_format_chosen() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = app_harness(None);
    h.run_steps(2);
    paste(&mut h, "flowchart LR\n  a[API] --> b[(Orders DB)]\n");
    let out = dir.path().join("design.png");
    h.key_press_modifiers(ctrl_shift(), Key::E);
    h.run_steps(3);
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .last()
        .expect("path field")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(common::ctrl(), Key::A);
    h.event(egui::Event::Text(out.display().to_string()));
    h.run_steps(1);
    h.get_by_label("draw.io").click();
    h.run_steps(1);
    h.get_by_label("Export").click();
    let written = dir.path().join("design.drawio");
    wait_until(&mut h, "the export", |_| written.exists());
    let text = std::fs::read_to_string(&written).expect("written");
    assert!(
        text.starts_with("<mxfile") && text.contains("Orders DB"),
        "{text}"
    );
}
