//! Round trips through Excalidraw, draw.io and Mermaid, and the importers under hostile input.

use archboard::interchange::{self, Choice, Format, import_bytes};
use archboard::model::{Board, Direction, LinkStyle};
use archboard::palette::Palette;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

fn example(name: &str) -> Board {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("saves/{name}.ron"));
    archboard::persistence::load_board(&path).expect("example loads")
}

/// What must survive a round trip: each block's kind and label, each link's ends (by their
/// blocks' labels), label, style and arrowheads.
fn essence(board: &Board) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let blocks = board
        .blocks
        .values()
        .map(|b| (b.kind.clone(), b.label.clone()))
        .collect();
    let name = |id| board.block(id).map(|b| b.label.clone()).unwrap_or_default();
    let links = board
        .links
        .values()
        .map(|l| {
            format!(
                "{} -> {} [{}] {:?} {:?}",
                name(l.from.block),
                name(l.to.block),
                l.label,
                l.style,
                l.direction
            )
        })
        .collect();
    (blocks, links)
}

fn round_trip(board: &Board, format: Format, ext: &str) -> Board {
    let palette = Palette::bundled();
    let text = interchange::write(board, format, &palette);
    let name = format!("round.{ext}");
    let back = import_bytes(
        text.as_bytes(),
        Path::new(&name),
        Choice::default(),
        &palette,
    )
    .unwrap_or_else(|e| panic!("{format:?} does not import back: {e}\n{text}"));
    assert_eq!(back.format, format);
    back.board
}

#[test]
fn excalidraw_draw_io_and_mermaid_keep_blocks_links_labels_and_kinds() {
    for name in ["url-shortener", "news-feed", "chat-service"] {
        let board = example(name);
        let want = essence(&board);
        for (format, ext) in [
            (Format::Excalidraw, "excalidraw"),
            (Format::DrawIo, "drawio"),
            (Format::Mermaid, "mmd"),
        ] {
            let back = round_trip(&board, format, ext);
            let got = essence(&back);
            let mut want = want.clone();
            if format != Format::Excalidraw {
                // Freehand ink has no element there: draw.io gets a picture of it, Mermaid
                // nothing.
                want.0.remove(&("ink".to_owned(), String::new()));
            }
            assert_eq!(got.0, want.0, "{name} through {format:?}: blocks");
            assert_eq!(got.1, want.1, "{name} through {format:?}: links");
        }
    }
}

#[test]
fn ink_goes_to_excalidraw_as_freedraw_and_comes_back_as_the_same_stroke() {
    let board = example("url-shortener");
    let palette = Palette::bundled();
    let text = interchange::write(&board, Format::Excalidraw, &palette);
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let freedraw: Vec<&serde_json::Value> = json["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .filter(|e| e["type"] == "freedraw")
        .collect();
    let stroke = board
        .blocks
        .values()
        .find(|b| b.is_ink())
        .expect("the example has ink");
    assert_eq!(freedraw.len(), 1);
    let points = freedraw[0]["points"].as_array().expect("points");
    assert_eq!(points.len(), stroke.ink.len());
    assert_eq!(points[0], serde_json::json!([0.0, 0.0]));

    // A stroke drawn in a room keeps its drawer's colour through Excalidraw.
    let mut board = board.clone();
    if let Some(s) = board.blocks.get_mut(&stroke.id) {
        s.ink_color = Some([0x2b, 0x8a, 0x3e]);
    }
    let text = interchange::write(&board, Format::Excalidraw, &palette);
    assert!(text.contains("#2b8a3e"), "the colour is written");
    let back = round_trip(&board, Format::Excalidraw, "excalidraw");
    let again = back
        .blocks
        .values()
        .find(|b| b.is_ink())
        .expect("ink came back");
    assert_eq!(again.ink_color, Some([0x2b, 0x8a, 0x3e]));
    assert_eq!(again.ink.len(), stroke.ink.len());
    for (a, b) in [
        (again.rect.x, stroke.rect.x),
        (again.rect.y, stroke.rect.y),
        (again.rect.w, stroke.rect.w),
        (again.rect.h, stroke.rect.h),
    ] {
        assert!(
            (a - b).abs() <= 0.5,
            "{:?} vs {:?}",
            again.rect,
            stroke.rect
        );
    }
}

#[test]
fn a_label_outside_its_block_stays_outside_through_excalidraw_and_draw_io() {
    use archboard::model::{Block, BlockId, LabelAt, Rect};
    let mut board = Board::new("captions");
    for (i, (kind, label, at)) in [
        ("database", "Orders", LabelAt::Below),
        ("cache", "Sessions", LabelAt::Right),
        ("service", "API", LabelAt::Inside),
    ]
    .into_iter()
    .enumerate()
    {
        let mut b = Block::new(
            BlockId(i as u64 + 1),
            kind,
            label,
            Rect::new(i as f32 * 300.0, 0.0, 60.0, 60.0),
        );
        b.label_at = at;
        board.blocks.insert(b.id, b);
    }
    board.next_id = 4;
    for (format, ext) in [
        (Format::Excalidraw, "excalidraw"),
        (Format::DrawIo, "drawio"),
    ] {
        let back = round_trip(&board, format, ext);
        let got: BTreeSet<(String, String, String)> = back
            .blocks
            .values()
            .map(|b| (b.kind.clone(), b.label.clone(), format!("{:?}", b.label_at)))
            .collect();
        let want: BTreeSet<(String, String, String)> = [
            ("database", "Orders", "Below"),
            ("cache", "Sessions", "Right"),
            ("service", "API", "Inside"),
        ]
        .into_iter()
        .map(|(a, b, c)| (a.into(), b.into(), c.into()))
        .collect();
        assert_eq!(got, want, "through {format:?}");
    }
}

#[test]
fn excalidraw_and_draw_io_keep_the_layout_and_excalidraw_keeps_archboard_data() {
    let mut board = example("news-feed");
    let first = *board
        .blocks
        .keys()
        .find(|id| !board.blocks[*id].is_frame())
        .expect("a block");
    if let Some(b) = board.blocks.get_mut(&first) {
        b.notes = "hot keys go to a separate tier".into();
        b.checked.insert("cache/eviction".into());
        b.deep_dive = true;
    }
    for (format, ext) in [
        (Format::Excalidraw, "excalidraw"),
        (Format::DrawIo, "drawio"),
    ] {
        let back = round_trip(&board, format, ext);
        let mut rects_a: Vec<String> = board
            .blocks
            .values()
            .map(|b| format!("{} {:?}", b.label, b.rect))
            .collect();
        let mut rects_b: Vec<String> = back
            .blocks
            .values()
            .map(|b| format!("{} {:?}", b.label, b.rect))
            .collect();
        rects_a.sort();
        rects_b.sort();
        assert_eq!(
            rects_a, rects_b,
            "{format:?} keeps every block where it was"
        );
    }
    let back = round_trip(&board, Format::Excalidraw, "excalidraw");
    let label = &board.blocks[&first].label;
    let same = back
        .blocks
        .values()
        .find(|b| &b.label == label)
        .expect("the block");
    assert_eq!(same.notes, "hot keys go to a separate tier");
    assert!(same.checked.contains("cache/eviction"));
    assert!(same.deep_dive);
    assert_eq!(same.props, board.blocks[&first].props);
}

#[test]
fn excalidraw_to_archboard_to_excalidraw_keeps_bound_arrows_bound() {
    let scene = r##"{"type":"excalidraw","version":2,"elements":[
      {"id":"r1","type":"rectangle","x":0,"y":0,"width":100,"height":60,"boundElements":[{"id":"t1","type":"text"},{"id":"a1","type":"arrow"}]},
      {"id":"t1","type":"text","x":10,"y":20,"width":80,"height":20,"text":"API","containerId":"r1"},
      {"id":"e1","type":"ellipse","x":300,"y":0,"width":100,"height":60,"boundElements":[{"id":"a1","type":"arrow"}]},
      {"id":"t2","type":"text","x":310,"y":20,"width":80,"height":20,"text":"Redis","containerId":"e1"},
      {"id":"a1","type":"arrow","x":100,"y":30,"width":200,"height":0,"points":[[0,0],[200,0]],
       "startBinding":{"elementId":"r1","focus":0,"gap":1},"endBinding":{"elementId":"e1","fixedPoint":[0,0.5],"mode":"orbit"},
       "strokeStyle":"dashed","endArrowhead":"arrow"},
      {"id":"gone","type":"rectangle","x":0,"y":300,"width":10,"height":10,"isDeleted":true}
    ]}"##;
    let palette = Palette::bundled();
    let first = import_bytes(
        scene.as_bytes(),
        Path::new("s.excalidraw"),
        Choice::default(),
        &palette,
    )
    .expect("imports");
    assert_eq!(first.summary.blocks, 2);
    let link = first.board.links.values().next().expect("one link");
    assert_eq!(link.style, LinkStyle::Async);
    assert_eq!(link.direction, Direction::Forward);
    let kinds: BTreeSet<&str> = first
        .board
        .blocks
        .values()
        .map(|b| b.kind.as_str())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["cache", "service"]));

    let out = interchange::write(&first.board, Format::Excalidraw, &palette);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let elements = json["elements"].as_array().expect("elements");
    let ids: BTreeSet<&str> = elements.iter().filter_map(|e| e["id"].as_str()).collect();
    let arrows: Vec<&serde_json::Value> =
        elements.iter().filter(|e| e["type"] == "arrow").collect();
    assert_eq!(arrows.len(), 1);
    for a in arrows {
        for end in ["startBinding", "endBinding"] {
            let target = a[end]["elementId"].as_str().expect("bound");
            assert!(ids.contains(target), "{end} names a real element");
            let shape = elements.iter().find(|e| e["id"] == target).expect("shape");
            let back = shape["boundElements"].as_array().expect("back-references");
            assert!(
                back.iter().any(|r| r["id"] == a["id"]),
                "{target} lists the arrow, so it drags it"
            );
        }
    }
    // Each label is a text bound to its shape both ways.
    for t in elements.iter().filter(|e| e["type"] == "text") {
        let c = t["containerId"].as_str().expect("bound text");
        let shape = elements.iter().find(|e| e["id"] == c).expect("container");
        assert!(
            shape["boundElements"]
                .as_array()
                .expect("refs")
                .iter()
                .any(|r| r["id"] == t["id"])
        );
    }
}

#[test]
fn entities_are_never_expanded_and_files_are_never_read() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/billion_laughs.drawio");
    let start = std::time::Instant::now();
    let result = interchange::import_file(&path, Choice::default(), &Palette::bundled());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "no expansion"
    );
    if let Ok(i) = result {
        for b in i.board.blocks.values() {
            assert!(
                b.label.len() < 100,
                "an entity was expanded: {} bytes",
                b.label.len()
            );
            assert!(!b.label.contains("root:"), "an external entity was read");
        }
    }
}

#[test]
fn compressed_bombs_are_refused_in_draw_io_excalidraw_and_png_carriers() {
    use base64::Engine;
    use std::io::Write;
    let zeros = vec![b'A'; 1024 * 1024];
    let mut raw = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..80 {
        raw.write_all(&zeros).expect("write");
        zlib.write_all(&zeros).expect("write");
    }
    let raw = raw.finish().expect("raw");
    let zlib = zlib.finish().expect("zlib");
    let palette = Palette::bundled();

    let b64 = base64::engine::general_purpose::STANDARD.encode(&raw);
    let drawio = format!("<mxfile><diagram name=\"bomb\">{b64}</diagram></mxfile>");
    let err = import_bytes(
        drawio.as_bytes(),
        Path::new("bomb.drawio"),
        Choice::default(),
        &palette,
    )
    .expect_err("refused");
    assert!(err.to_string().contains("refused"), "{err}");

    let encoded: String = zlib.iter().map(|b| char::from(*b)).collect();
    let envelope = serde_json::json!({"version": "1", "encoding": "bstring", "compressed": true, "encoded": encoded});
    let svg = format!(
        "<svg><!-- payload-type:application/vnd.excalidraw+json --><!-- payload-version:2 --><!-- payload-start -->{}<!-- payload-end --></svg>",
        base64::engine::general_purpose::STANDARD.encode(
            envelope
                .to_string()
                .chars()
                .map(|c| c as u32 as u8)
                .collect::<Vec<u8>>()
        )
    );
    let err = import_bytes(
        svg.as_bytes(),
        Path::new("bomb.excalidraw.svg"),
        Choice::default(),
        &palette,
    )
    .expect_err("refused");
    assert!(err.to_string().contains("refused"), "{err}");
}

fn names() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "x.excalidraw",
        "x.drawio",
        "x.mmd",
        "x.md",
        "x.png",
        "x.svg",
        "x.xml",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// Any bytes, under any name: an import or a one-line error, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512), name in names()) {
        let palette = Palette::bundled();
        if let Err(e) = import_bytes(&bytes, Path::new(name), Choice::default(), &palette) {
            prop_assert_eq!(e.to_string().lines().count(), 1);
        }
    }

    /// Valid files with bytes changed, cut short or repeated: whatever imports is a valid
    /// board, and nothing panics.
    #[test]
    fn damaged_files_never_panic(which in 0usize..3, at in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let palette = Palette::bundled();
        let board = example("chat-service");
        let (format, name) = [(Format::Excalidraw, "d.excalidraw"), (Format::DrawIo, "d.drawio"), (Format::Mermaid, "d.mmd")][which];
        let mut bytes = interchange::write(&board, format, &palette).into_bytes();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        bytes.truncate(cut.index(bytes.len() + 1).max(i / 2));
        if let Ok(imported) = import_bytes(&bytes, Path::new(name), Choice::default(), &palette) {
            let text = archboard::persistence::to_ron_string(&imported.board).expect("ron");
            prop_assert!(archboard::persistence::parse_board(&text, Path::new("again")).is_ok());
        }
    }

    /// Mermaid-like text built from the grammar's pieces: parses or refuses, never panics.
    #[test]
    fn mermaid_pieces_never_panic(parts in prop::collection::vec(prop::sample::select(vec![
        "A", "B[x]", "C((y))", "D[(db)]", "E{{h}}", "-->", "---", "-.->", "==>", "~~~", "|t|", "-- t -->",
        "&", "\n", ";", "subgraph s", "end", "\"q\"", "[", "]", "(", ")", "{", "}", ":::cache", "@{ shape: cyl }",
        "%% c", "<-->", "x", "o", " ",
    ]), 0..60)) {
        let text = format!("flowchart LR\n{}", parts.concat());
        let _ = import_bytes(text.as_bytes(), Path::new("p.mmd"), Choice::default(), &Palette::bundled());
    }
}
