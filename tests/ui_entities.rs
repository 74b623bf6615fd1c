//! Entities in the window: a field edited in the sidebar, a store's partition key picked from
//! the fields of the entities it holds, and the review's data-model gap that goes with it.

mod common;

use archboard::app::ArchboardApp;
use archboard::model::{Block, Props};
use archboard::model::{BlockId, ENTITY_KIND, Edit, Field, Link, LinkId, Rect};
use archboard::review::FindingKind;
use common::app_with_clock;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{Queryable, by};

type H = Harness<'static, ArchboardApp>;

fn data_model_gaps(h: &H) -> Vec<String> {
    let found = common::findings(h, FindingKind::DataModel);
    found.into_iter().map(|f| f.text).collect()
}

#[test]
fn a_field_edited_and_a_partition_key_picked_in_the_sidebar_clear_the_review_s_gap() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    let first = h.state().board.doc.board().next_id;
    let (db, user, link) = (BlockId(first), BlockId(first + 1), LinkId(first + 2));
    let mut store = Block::new(
        db,
        "database",
        "Users DB",
        Rect::new(80.0, 200.0, 140.0, 90.0),
    );
    store.props = Props {
        partition_key: "user_id".into(),
        replication: Some(3),
        ..Props::default()
    };
    let mut entity = Block::new(
        user,
        ENTITY_KIND,
        "User",
        Rect::new(320.0, 200.0, 220.0, 98.0),
    );
    entity.fields = vec![
        Field::new("id", "uuid").with("PK"),
        Field::new("email", "text").with("UK"),
    ];
    let doc = &mut h.state_mut().board.doc;
    doc.apply(Edit::Insert {
        blocks: vec![store, entity],
        links: vec![Link::new(link, db, user)],
    })
    .expect("insert");
    h.run_steps(3);
    let gaps = data_model_gaps(&h);
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0].contains("partition key \"user_id\" is not a field"),
        "{gaps:?}"
    );

    // The entity's first field is renamed in the sidebar: one edit, on the board.
    h.state_mut().canvas.selection.only_block(user);
    h.run_steps(3);
    let name_box = || by().role(egui::accesskit::Role::TextInput).value("id");
    h.get(name_box()).click();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get(name_box()).type_text("user_id");
    h.run_steps(1);
    h.key_press(Key::Enter);
    h.run_steps(3);
    // Ctrl+A selected the field's text, not every block on the board.
    assert_eq!(h.state().canvas.selection.blocks.len(), 1);
    let fields = &h.state().board.doc.board().blocks[&user].fields;
    assert_eq!(fields[0].name, "user_id", "{fields:?}");
    // The store's key is a field now: the gap is gone.
    assert!(data_model_gaps(&h).is_empty(), "{:?}", data_model_gaps(&h));

    // The store's partition key is picked from the fields it holds.
    h.state_mut().canvas.selection.only_block(db);
    h.run_steps(3);
    // It shows the key it has, which is one of the fields now.
    h.get(by().role(egui::accesskit::Role::ComboBox).value("user_id"))
        .click();
    h.run_steps(2);
    h.get_by_label("email").click();
    h.run_steps(3);
    let store = &h.state().board.doc.board().blocks[&db];
    assert_eq!(store.props.partition_key, "email");
    assert!(data_model_gaps(&h).is_empty());

    // An entity with no store is a gap of its own.
    h.state_mut()
        .board
        .doc
        .apply(Edit::Remove {
            blocks: vec![],
            links: vec![link],
        })
        .expect("unlink");
    h.run_steps(3);
    let gaps = data_model_gaps(&h);
    assert!(
        gaps.iter()
            .any(|g| g.contains("\"User\" is kept in no store")),
        "{gaps:?}"
    );
    assert!(
        gaps.iter()
            .any(|g| g.contains("\"Users DB\" holds no entity")),
        "{gaps:?}"
    );
}

#[test]
fn an_entity_from_the_palette_starts_with_a_key_and_grows_with_its_fields() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    h.get_by_label("Entity / table").click();
    h.run_steps(3);
    h.key_press(Key::Escape);
    h.run_steps(2);
    let board = h.state().board.doc.board();
    let e = board
        .blocks
        .values()
        .find(|b| b.kind == ENTITY_KIND)
        .expect("an entity");
    assert_eq!(e.fields.len(), 1);
    assert!(e.fields[0].keys.pk);
    let (id, h0) = (e.id, e.rect.h);
    h.state_mut().canvas.selection.only_block(id);
    h.run_steps(3);
    for _ in 0..3 {
        h.get_by_label("+ Add field").click();
        h.run_steps(2);
    }
    let e = &h.state().board.doc.board().blocks[&id];
    assert_eq!(e.fields.len(), 4);
    assert!(e.rect.h > h0 + 50.0, "{} against {h0}", e.rect.h);
    // Marks toggle, and the whole change undoes step by step.
    h.query_all_by_label("PT")
        .nth(3)
        .expect("the fourth field's partition mark")
        .click();
    h.run_steps(2);
    assert!(
        h.state().board.doc.board().blocks[&id].fields[3]
            .keys
            .partition
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert!(
        !h.state().board.doc.board().blocks[&id].fields[3]
            .keys
            .partition
    );
}

#[test]
fn a_relationship_s_crow_s_feet_are_picked_in_the_sidebar() {
    let (mut h, _clock) = app_with_clock(None);
    h.run_steps(2);
    let first = h.state().board.doc.board().next_id;
    let (a, b, link) = (BlockId(first), BlockId(first + 1), LinkId(first + 2));
    let user = Block::new(a, ENTITY_KIND, "User", Rect::new(80.0, 200.0, 220.0, 58.0));
    let order = Block::new(
        b,
        ENTITY_KIND,
        "Order",
        Rect::new(420.0, 200.0, 220.0, 58.0),
    );
    h.state_mut()
        .board
        .doc
        .apply(Edit::Insert {
            blocks: vec![user, order],
            links: vec![Link::new(link, a, b)],
        })
        .expect("insert");
    h.state_mut().canvas.selection.only_link(link);
    h.run_steps(3);
    h.get_by_label("Relationship");
    let pick = |h: &mut H, end: usize, choice: &str| {
        h.query_all(by().role(egui::accesskit::Role::ComboBox).value("not said"))
            .nth(end)
            .or_else(|| {
                h.query_all(by().role(egui::accesskit::Role::ComboBox))
                    .nth(end)
            })
            .expect("the end's picker")
            .click();
        h.run_steps(2);
        h.get_by_label(choice).click();
        h.run_steps(3);
    };
    pick(&mut h, 1, "zero or many");
    let l = &h.state().board.doc.board().links[&link];
    assert_eq!(
        l.cardinality,
        Some((
            archboard::model::Card::ExactlyOne,
            archboard::model::Card::ZeroOrMany
        ))
    );
    assert_eq!(l.direction, archboard::model::Direction::None);
    // One undo step takes the feet away again.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    h.run_steps(2);
    assert_eq!(h.state().board.doc.board().links[&link].cardinality, None);
}
