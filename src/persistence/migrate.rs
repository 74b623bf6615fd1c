//! Upgrading files written by older builds.
//!
//! Each format version that ever shipped keeps a step here that turns its text into the next
//! version's shape, and a test that loads a file of that version. A version below 1 was never
//! written by archboard.
//!
//! To add version N+1: when the new shape only adds optional fields, version N reads as N+1 as it
//! is (as for 1 → 2). Otherwise copy the current `BoardFile` into a `v{N}` module, change
//! `BoardFile`, and add an arm `N => upgrade_v{N}(parse::<v{N}::BoardFile>(..))` below, with a
//! fixture test.

use super::error::LoadError;
use super::format::{BoardFile, FORMAT_VERSION};
use std::path::Path;

/// Brings a file of an older `version` up to [`FORMAT_VERSION`].
pub(super) fn upgrade(text: &str, version: u64, name: &Path) -> Result<BoardFile, LoadError> {
    debug_assert!(version < u64::from(FORMAT_VERSION));
    match version {
        // Version 2 added optional fields only (block properties, link shares, the estimator's
        // inputs), so a version 1 file is a valid version 2 file with those left at defaults.
        // Version 3 added one more optional field (an interviewer's private notes), so a
        // version 2 file is a valid version 3 file too. Version 4 added two more (a practice
        // session and the recording of changes), so the same holds for version 3. Version 5 added
        // where a block's label sits (inside when left out), so a version 4 file reads as is.
        // Version 6 added an entity's fields (none when left out), so the same holds for 5.
        // Version 7 added requirements, endpoints and ink strokes (none when left out), so a
        // version 6 file reads as is too.
        1..=6 => {
            let mut file = super::ron_options()
                .from_str::<BoardFile>(text)
                .map_err(|e| super::syntax_error(e, text, name))?;
            file.format_version = u64::from(FORMAT_VERSION);
            Ok(file)
        }
        _ => Err(LoadError::UnknownVersion {
            name: name.to_path_buf(),
            found: version,
        }),
    }
}

#[cfg(test)]
mod tests {
    use crate::persistence::{parse_board, to_ron_string};
    use std::path::Path;

    #[test]
    fn version_1_files_load_and_save_as_the_current_version() {
        let v1 = "(\n  format_version: 1,\n  title: \"old\",\n  next_id: 3,\n  blocks: [\n    (id: 1, kind: \"cache\", label: \"Redis\", rect: (x: 0.0, y: 0.0, w: 100.0, h: 50.0)),\n    (id: 2, kind: \"database\", label: \"PG\", rect: (x: 200.0, y: 0.0, w: 100.0, h: 50.0)),\n  ],\n  links: [\n    (id: 3, from: (block: 1), to: (block: 2), style: Sync, direction: Forward, route: Straight),\n  ],\n)\n";
        let board = parse_board(v1, Path::new("old.ron")).expect("v1 loads");
        assert_eq!(board.blocks.len(), 2);
        assert!(board.blocks.values().all(|b| b.props.is_default()));
        assert_eq!(board.estimate, Default::default());
        let text = to_ron_string(&board).expect("ser");
        assert!(text.starts_with("(\n  format_version: 7,"), "{text}");
        assert_eq!(parse_board(&text, Path::new("new.ron")).expect("v3"), board);
    }

    #[test]
    fn version_2_files_load_with_no_private_notes_and_save_as_version_3() {
        let v2 = "(\n  format_version: 2,\n  title: \"two\",\n  next_id: 2,\n  blocks: [\n    (id: 1, kind: \"cache\", label: \"Redis\", rect: (x: 0.0, y: 0.0, w: 100.0, h: 50.0), props: (instances: Some(3))),\n  ],\n  links: [],\n  estimate: (daily_active_users: 5000.0),\n)\n";
        let board = parse_board(v2, Path::new("two.ron")).expect("v2 loads");
        assert!(board.private.is_empty());
        assert_eq!(
            board.blocks[&crate::model::BlockId(1)].props.instances,
            Some(3)
        );
        assert_eq!(board.estimate.daily_active_users, 5000.0);
        let text = to_ron_string(&board).expect("ser");
        assert!(text.starts_with("(\n  format_version: 7,"), "{text}");
        assert_eq!(
            parse_board(&text, Path::new("three.ron")).expect("v3"),
            board
        );
    }

    #[test]
    fn version_3_files_load_with_no_practice_or_recording_and_save_as_version_4() {
        let v3 = "(\n  format_version: 3,\n  title: \"three\",\n  next_id: 2,\n  blocks: [\n    (id: 1, kind: \"queue\", label: \"Kafka\", rect: (x: 0.0, y: 0.0, w: 100.0, h: 50.0)),\n  ],\n  links: [],\n  private: (board: \"ask about retries\"),\n)\n";
        let board = parse_board(v3, Path::new("three.ron")).expect("v3 loads");
        assert_eq!(board.private.board, "ask about retries");
        assert!(board.practice.is_none());
        assert!(board.recording.is_default());
        let text = to_ron_string(&board).expect("ser");
        assert!(text.starts_with("(\n  format_version: 7,"), "{text}");
        assert_eq!(
            parse_board(&text, Path::new("four.ron")).expect("v4"),
            board
        );
    }

    #[test]
    fn version_4_files_load_with_labels_inside_and_save_as_version_5() {
        let v4 = "(\n  format_version: 4,\n  title: \"four\",\n  next_id: 2,\n  blocks: [\n    (id: 1, kind: \"database\", label: \"Orders\", rect: (x: 0.0, y: 0.0, w: 60.0, h: 60.0), props: (instances: Some(2))),\n  ],\n  links: [],\n)\n";
        let mut board = parse_board(v4, Path::new("four.ron")).expect("v4 loads");
        let id = crate::model::BlockId(1);
        assert_eq!(board.blocks[&id].label_at, crate::model::LabelAt::Inside);
        let text = to_ron_string(&board).expect("ser");
        assert!(text.starts_with("(\n  format_version: 7,"), "{text}");
        assert!(
            !text.contains("label_at"),
            "the default is left out: {text}"
        );
        // A label under its block is written and read back.
        if let Some(b) = board.blocks.get_mut(&id) {
            b.label_at = crate::model::LabelAt::Below;
        }
        let text = to_ron_string(&board).expect("ser");
        assert!(text.contains("label_at: Below"), "{text}");
        assert_eq!(
            parse_board(&text, Path::new("five.ron")).expect("v5"),
            board
        );
    }

    #[test]
    fn version_5_files_load_with_no_entity_fields_and_save_as_version_6() {
        let v5 = "(\n  format_version: 5,\n  title: \"five\",\n  next_id: 2,\n  blocks: [\n    (id: 1, kind: \"entity\", label: \"User\", rect: (x: 0.0, y: 0.0, w: 180.0, h: 90.0), label_at: Above),\n  ],\n  links: [],\n)\n";
        let mut board = parse_board(v5, Path::new("five.ron")).expect("v5 loads");
        let id = crate::model::BlockId(1);
        assert!(board.blocks[&id].fields.is_empty());
        let text = to_ron_string(&board).expect("ser");
        assert!(text.starts_with("(\n  format_version: 7,"), "{text}");
        assert!(!text.contains("fields"), "no fields, none written: {text}");
        if let Some(b) = board.blocks.get_mut(&id) {
            b.fields = vec![
                crate::model::Field::new("id", "uuid").with("PK").with("PT"),
                crate::model::Field::new("email", "text").with("UK"),
            ];
        }
        let text = to_ron_string(&board).expect("ser");
        assert!(text.contains("fields: ["), "{text}");
        assert_eq!(parse_board(&text, Path::new("six.ron")).expect("v6"), board);
    }

    #[test]
    fn version_6_files_load_with_no_cards_or_ink_and_save_as_version_7() {
        let v6 = "(\n  format_version: 6,\n  title: \"six\",\n  next_id: 2,\n  blocks: [\n    (id: 1, kind: \"entity\", label: \"User\", rect: (x: 0.0, y: 0.0, w: 180.0, h: 90.0), fields: [(name: \"id\", ty: \"uuid\", keys: (pk: true))]),\n  ],\n  links: [],\n)\n";
        let mut board = parse_board(v6, Path::new("six.ron")).expect("v6 loads");
        let id = crate::model::BlockId(1);
        assert_eq!(board.blocks[&id].fields.len(), 1);
        assert!(board.blocks[&id].reqs.is_empty() && board.blocks[&id].ink.is_empty());
        let text = to_ron_string(&board).expect("ser");
        assert!(text.starts_with("(\n  format_version: 7,"), "{text}");
        assert!(!text.contains(" ink:") && !text.contains("reqs"), "{text}");
        if let Some(b) = board.blocks.get_mut(&id) {
            b.reqs = vec![crate::model::Requirement::functional("sign up")];
            b.endpoints = vec![crate::model::Endpoint::new("GET", "/users/{id}")];
            b.ink = vec![
                crate::model::Point::new(0.0, 0.0),
                crate::model::Point::new(2.5, -1.0),
            ];
        }
        let text = to_ron_string(&board).expect("ser");
        assert!(text.contains("ink: \"0,0 10,-4\""), "{text}");
        assert_eq!(
            parse_board(&text, Path::new("seven.ron")).expect("v7"),
            board
        );
    }
}
