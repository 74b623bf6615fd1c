//! Fuzzing the loaders (proptest, bounded so it runs in seconds in `cargo test`): arbitrary
//! bytes, mutated real files, and structurally valid boards with wrong values, as RON and inside
//! PNGs. The loader must never panic or hang, and whatever it accepts must be a sound board.
//!
//! A failing input is saved by proptest under `proptest-regressions/`; keep it there (it is
//! replayed first on every run) and add it to `tests/fixtures/` if it deserves a name.

use archboard::model::Board;
use archboard::persistence::{MAX_COORD, parse_board_bytes, to_ron_string};
use proptest::prelude::*;
use std::path::Path;

const NAME: &str = "fuzz.ron";

/// What every accepted board must satisfy, whatever the file said.
fn assert_sound(board: &Board) {
    for (id, block) in &board.blocks {
        assert_eq!(*id, block.id);
        let r = block.rect;
        for v in [r.x, r.y, r.w, r.h] {
            assert!(v.is_finite() && v.abs() <= MAX_COORD, "{r:?}");
        }
        assert!(r.w > 0.0 && r.h > 0.0, "{r:?}");
        assert!(
            board.next_id > id.0,
            "next id {} not above {}",
            board.next_id,
            id.0
        );
    }
    for (id, link) in &board.links {
        assert_eq!(*id, link.id);
        assert!(
            board.blocks.contains_key(&link.from.block),
            "dangling {link:?}"
        );
        assert!(
            board.blocks.contains_key(&link.to.block),
            "dangling {link:?}"
        );
        assert!(
            !board.blocks.contains_key(&archboard::model::BlockId(id.0)),
            "id {} is both a block and a link",
            id.0
        );
        assert!(board.next_id > id.0);
    }
}

fn parse(bytes: &[u8]) {
    if let Ok(board) = parse_board_bytes(bytes, Path::new(NAME)) {
        assert_sound(&board);
    }
}

/// A real board's text to mutate.
fn seed() -> String {
    let mut board = archboard::model::generate::synthetic(12, 12);
    board.title = "seed".into();
    to_ron_string(&board).expect("serialize")
}

/// Fragments that tend to break parsers and validators.
const TOKENS: &[&str] = &[
    "NaN",
    "inf",
    "-inf",
    "1e39",
    "-1e39",
    "0.0",
    "-0.0",
    "18446744073709551615",
    "-1",
    "format_version: 2",
    "format_version: 0",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\\",
    ",",
    ":",
    "Some(",
    "None",
    "id: 1",
    "block: 99",
    "\u{0}",
    "\u{202e}",
    "é",
    "r#\"",
    "/*",
    "*/",
    "//",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, usize),
    Flip(usize, u8),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1..32usize).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut bytes: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Insert(at, t) => {
                let at = at % (bytes.len() + 1);
                let token = TOKENS[t].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            Mutation::Flip(at, b) => {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = b;
                }
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
        }
    }
    bytes
}

/// Mostly a sensible coordinate, sometimes a value that catches validators out.
fn coord() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (-2000.0f32..2000.0).prop_map(|v| format!("{v:?}")),
        1 => nasty_float(),
    ]
}

/// Mostly a sensible size, sometimes not.
fn size() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => (1.0f32..500.0).prop_map(|v| format!("{v:?}")),
        1 => nasty_float(),
    ]
}

/// A float from the values that catch validators out.
fn nasty_float() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("NaN".to_owned()),
        Just("inf".to_owned()),
        Just("-inf".to_owned()),
        Just("0.0".to_owned()),
        Just("-1.0".to_owned()),
        Just("1e30".to_owned()),
        Just("-1e12".to_owned()),
        Just("3.4028235e38".to_owned()),
        (-2000.0f32..2000.0).prop_map(|v| format!("{v:?}")),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(40).collect()),
        (0usize..3).prop_map(|n| "x".repeat(n * 6_000)),
    ]
}

/// One block's RON, with ids from a small range so duplicates are common.
fn block_ron() -> impl Strategy<Value = String> {
    (
        0u64..30,
        prop_oneof![Just("cache"), Just("frame"), Just(""), Just("database"), Just("zz-unknown")],
        text(),
        (coord(), coord(), size(), size()),
        proptest::option::of(0u64..8),
    )
        .prop_map(|(id, kind, label, (x, y, w, h), group)| {
            let group = group.map_or(String::new(), |g| format!(", group: Some({g})"));
            format!(
                "(id: {id}, kind: {kind:?}, label: {label:?}, rect: (x: {x}, y: {y}, w: {w}, h: {h}){group})"
            )
        })
}

fn link_ron() -> impl Strategy<Value = String> {
    (
        0u64..40,
        0u64..30,
        0u64..30,
        prop_oneof![
            Just(String::new()),
            coord().prop_map(|t| format!(", anchor: Side(side: Top, t: {t})"))
        ],
        prop_oneof![4 => Just("Sync"), 4 => Just("Async"), 1 => Just("Sideways")],
    )
        .prop_map(|(id, from, to, anchor, style)| {
            format!(
                "(id: {id}, from: (block: {from}{anchor}), to: (block: {to}), style: {style}, direction: Forward, route: Straight)"
            )
        })
}

fn board_ron() -> impl Strategy<Value = String> {
    (
        prop_oneof![12 => Just(1u64), 1 => Just(2), 1 => Just(0), 1 => Just(u64::MAX)],
        prop_oneof![Just(0u64), 0u64..20, Just(u64::MAX)],
        proptest::collection::vec(block_ron(), 0..6),
        proptest::collection::vec(link_ron(), 0..4),
    )
        .prop_map(|(version, next_id, blocks, links)| {
            format!(
                "(format_version: {version}, title: \"t\", next_id: {next_id}, blocks: [{}], links: [{}])",
                blocks.join(", "),
                links.join(", ")
            )
        })
}

/// A PNG with `text` in an `archboard` text chunk, compressed or not.
fn png_with(text: &str, compressed: bool) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 1, 1);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().expect("header");
        let mut chunk = png::text_metadata::ITXtChunk::new("archboard", text);
        chunk.compressed = compressed;
        w.write_text_chunk(&chunk).expect("chunk");
        w.write_image_data(&[0, 0, 0, 0]).expect("data");
        w.finish().expect("finish");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, max_shrink_iters: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        parse(&bytes);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&bytes);
        parse(&png);
    }

    #[test]
    fn mutated_boards_never_panic(muts in proptest::collection::vec(mutation(), 1..6)) {
        parse(&mutate(seed().into_bytes(), &muts));
    }

    #[test]
    fn wrong_but_well_formed_boards_are_refused_or_sound(text in board_ron()) {
        parse(text.as_bytes());
    }

    #[test]
    fn boards_inside_pngs_never_panic(
        text in board_ron(),
        muts in proptest::collection::vec(mutation(), 0..4),
        compressed in any::<bool>(),
    ) {
        parse(&png_with(&text, compressed));
        // Damage the PNG itself too: chunk lengths, CRCs, the compressed stream.
        parse(&mutate(png_with(&seed(), compressed), &muts));
    }
}

#[test]
fn a_compression_bomb_in_a_png_is_refused_quickly() {
    // 80 MB of spaces compresses to well under a megabyte: over the 64 MB limit once inflated.
    let bomb = " ".repeat(80 * 1024 * 1024);
    let png = png_with(&bomb, true);
    assert!(png.len() < 2 * 1024 * 1024);
    let start = std::time::Instant::now();
    let err = parse_board_bytes(&png, Path::new("bomb.png")).expect_err("refused");
    assert!(err.to_string().contains("bomb.png"), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn the_seed_itself_loads() {
    let board = parse_board_bytes(seed().as_bytes(), Path::new(NAME)).expect("valid seed");
    assert_sound(&board);
    assert_eq!(board.blocks.len(), 12);
}

/// The generator must reach both outcomes, or the soundness checks above would never run.
#[test]
fn the_board_generator_produces_both_accepted_and_refused_boards() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..500 {
        let text = board_ron().new_tree(&mut runner).expect("value").current();
        match parse_board_bytes(text.as_bytes(), Path::new(NAME)) {
            Ok(board) => {
                assert_sound(&board);
                accepted += 1;
            }
            Err(_) => refused += 1,
        }
    }
    assert!(accepted >= 20, "accepted {accepted} of 500");
    assert!(refused >= 20, "refused {refused} of 500");
}
