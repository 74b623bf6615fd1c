//! The data model on the board: which stores hold which entities, and what is missing.
//!
//! An entity is held by a store when a link joins them (either way round). The gaps are only
//! looked for once the board has an entity: a board without a data model is not asked for one
//! store by store, the rubric asks for it once.

use super::Target;
use crate::model::{BlockId, Board, ENTITY_KIND};
use crate::palette::{Palette, Role};

/// Whether `id` is a block that keeps records (a database, a key-value store, a cache, a
/// search index…). An object store keeps files, which no table describes.
fn keeps_data(board: &Board, palette: &Palette, id: BlockId) -> bool {
    board.block(id).is_some_and(|b| {
        b.kind != "object_storage"
            && matches!(
                palette.kind_or_fallback(&b.kind).role,
                Role::Store | Role::Cache
            )
    })
}

fn is_entity(board: &Board, id: BlockId) -> bool {
    board.block(id).is_some_and(|b| b.kind == ENTITY_KIND)
}

/// The blocks linked to `id`.
fn linked(board: &Board, id: BlockId) -> impl Iterator<Item = BlockId> + '_ {
    board.links.values().filter_map(move |l| {
        if l.from.block == id {
            Some(l.to.block)
        } else if l.to.block == id {
            Some(l.from.block)
        } else {
            None
        }
    })
}

/// The names of the fields of the entities `store` holds, each once, in the entities' order.
pub fn fields_held(board: &Board, store: BlockId) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in linked(board, store).filter(|e| is_entity(board, *e)) {
        for f in board
            .block(e)
            .map(|b| b.fields.as_slice())
            .unwrap_or_default()
        {
            if !out.contains(&f.name) {
                out.push(f.name.clone());
            }
        }
    }
    out
}

/// The data model's gaps: what each finding points at, and what it says (`name` names a block
/// as the review does).
pub fn gaps(
    board: &Board,
    palette: &Palette,
    name: impl Fn(BlockId) -> String,
) -> Vec<(Target, String)> {
    let mut out = Vec::new();
    if !board.blocks.values().any(|b| b.kind == ENTITY_KIND) {
        return out;
    }
    for b in board.blocks.values() {
        if b.kind == ENTITY_KIND {
            if !linked(board, b.id).any(|s| keeps_data(board, palette, s)) {
                out.push((
                    Target::Block(b.id),
                    format!(
                        "{} is kept in no store: link it to the database that holds it",
                        name(b.id)
                    ),
                ));
            }
            continue;
        }
        if !keeps_data(board, palette, b.id) {
            continue;
        }
        let held = fields_held(board, b.id);
        if !linked(board, b.id).any(|e| is_entity(board, e)) {
            out.push((
                Target::Block(b.id),
                format!(
                    "{} holds no entity: which tables or records live here?",
                    name(b.id)
                ),
            ));
            continue;
        }
        let key = b.props.partition_key.trim();
        if !key.is_empty() && !held.iter().any(|f| f == key) {
            out.push((
                Target::Block(b.id),
                format!(
                    "{}'s partition key \"{key}\" is not a field of the entities it holds",
                    name(b.id)
                ),
            ));
        }
    }
    out
}
