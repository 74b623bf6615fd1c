//! What commands and keys do to the board: place, connect, label, paste, arrange, zoom.
//!
//! The app's dispatcher calls these; none of them reads the clipboard or a file. Copy hands out
//! the fragment to copy and paste takes a fragment already parsed, so serialising lives at the
//! app's edge.

use super::{
    CanvasState, Clip, DUPLICATE_OFFSET, EditTarget, Env, LabelEdit, Notice, QuickAdd, Tool,
    ZOOM_STEP, default_label, key_letter, kind_size,
};
use crate::model::limits::{MAX_LABEL_CHARS, truncate_chars};
use crate::model::{
    Anchor, Block, BlockId, Board, Document, Edit, Link, LinkId, LinkStyle, Point, Rect, Side,
    fragment, snap_point,
};
use crate::palette::Palette;
use crate::theme;

impl CanvasState {
    /// Links `from` → `to` (from a side handle when `side` is set). Links into or out of a queue
    /// or stream start as async.
    pub fn connect(
        &mut self,
        doc: &mut Document,
        palette: &Palette,
        from: BlockId,
        to: BlockId,
        side: Option<Side>,
    ) -> Option<LinkId> {
        if from == to {
            self.notices
                .push(Notice::Info("A block cannot link to itself".into()));
            return None;
        }
        let id = doc.new_link_id();
        let board = doc.board();
        let mut link = Link::new(id, from, to);
        link.route = self.default_route;
        if let Some(side) = side {
            link.from.anchor = Anchor::Side { side, t: 0.5 };
        }
        let queue_like = |b: BlockId| {
            board.block(b).is_some_and(|b| {
                matches!(
                    palette.kind_or_fallback(&b.kind).shape,
                    crate::palette::Shape::Queue
                )
            })
        };
        if queue_like(from) || queue_like(to) {
            link.style = LinkStyle::Async;
        }
        let inserted = self.apply(
            doc,
            Edit::Insert {
                blocks: vec![],
                links: vec![link],
            },
        );
        inserted.then(|| {
            self.selection.only_link(id);
            id
        })
    }

    /// Places a block of `kind_id` centred on `at` (snapped), selects it and opens its label.
    pub fn place(
        &mut self,
        doc: &mut Document,
        env: &Env<'_>,
        kind_id: &str,
        at: Point,
    ) -> Option<BlockId> {
        self.commit_label(doc);
        let kind = env.palette.get(kind_id);
        let (w, h) = kind_size(kind);
        let mut rect = Rect::from_center_size(at, w, h);
        if env.prefs.snap {
            let min = snap_point(rect.min(), theme::GRID);
            rect = Rect::new(min.x, min.y, w, h);
        }
        let label = default_label(kind, kind_id);
        let id = self.insert_block(doc, kind_id, &label, rect)?;
        self.start_label_edit(doc.board(), EditTarget::Block(id), true);
        Some(id)
    }

    pub(super) fn insert_block(
        &mut self,
        doc: &mut Document,
        kind: &str,
        label: &str,
        rect: Rect,
    ) -> Option<BlockId> {
        let id = doc.new_block_id();
        let mut block = Block::new(id, kind, label, rect);
        // A new entity starts with the key every table has, sized to show it.
        if kind == crate::model::ENTITY_KIND {
            block.fields = vec![crate::model::Field::new("id", "uuid").with("PK")];
            block.rect.h = crate::model::entity::height_for(1);
        }
        // A card is named for what it holds and sized for its rows.
        if block.is_card() {
            block.label = if kind == crate::model::API_KIND {
                "API".into()
            } else {
                "Requirements".into()
            };
            block.rect.h = block.body_height();
        }
        let inserted = self.apply(
            doc,
            Edit::Insert {
                blocks: vec![block],
                links: vec![],
            },
        );
        inserted.then(|| {
            self.selection.only_block(id);
            id
        })
    }

    pub fn start_label_edit(&mut self, board: &Board, target: EditTarget, select_all: bool) {
        let body = match target {
            EditTarget::Block(id) => board
                .block(id)
                .and_then(|b| crate::model::card::editor_text(b, &board.estimate)),
            EditTarget::Link(_) => None,
        };
        let cursor = body.as_ref().map(|(_, at)| *at);
        let body = body.map(|(text, _)| text);
        let text = match target {
            EditTarget::Block(id) => board.block(id).map(|b| b.label.clone()),
            EditTarget::Link(id) => board.link(id).map(|l| l.label.clone()),
        };
        let Some(text) = text else { return };
        self.editing = Some(LabelEdit {
            target,
            body: body.is_some(),
            text: body.unwrap_or(text),
            select_all: select_all && target_is_label(board, target),
            cursor,
            started: false,
        });
        match target {
            EditTarget::Block(id) => self.selection.only_block(id),
            EditTarget::Link(id) => self.selection.only_link(id),
        }
    }

    /// Edits the label of the first selected block, or else of the selected link.
    pub fn edit_selected_label(&mut self, board: &Board) {
        if let Some(&id) = self.selection.blocks.iter().next() {
            self.start_label_edit(board, EditTarget::Block(id), false);
        } else if let Some(&id) = self.selection.links.iter().next() {
            self.start_label_edit(board, EditTarget::Link(id), false);
        }
    }

    /// Writes the edited label to the board (one undo step), if it changed.
    pub fn commit_label(&mut self, doc: &mut Document) {
        let Some(edit) = self.editing.take() else {
            return;
        };
        if edit.body {
            let board = doc.board();
            if let EditTarget::Block(id) = edit.target
                && let Some(b) = board.block(id)
            {
                let edits = crate::model::card::edits_for_text(b, &edit.text, &board.estimate);
                if !edits.is_empty() {
                    self.apply_all(doc, edits);
                }
            }
            return;
        }
        let text = truncate_chars(&edit.text, MAX_LABEL_CHARS);
        let board = doc.board();
        let change = match edit.target {
            EditTarget::Block(id) => board.block(id).filter(|b| b.label != text).map(|b| {
                let mut nb = b.clone();
                nb.label = text;
                Edit::UpdateBlocks(vec![nb])
            }),
            EditTarget::Link(id) => board.link(id).filter(|l| l.label != text).map(|l| {
                let mut nl = l.clone();
                nl.label = text;
                Edit::UpdateLink(nl)
            }),
        };
        if let Some(change) = change {
            self.apply(doc, change);
        }
    }

    /// Keys that act directly on the canvas rather than through a command: Escape, the arrow
    /// nudges and the palette's placement letters (which are data, not table rows).
    pub(super) fn handle_keys(&mut self, ctx: &egui::Context, doc: &mut Document, env: &Env<'_>) {
        let (pressed, modifiers) = ctx.input(|i| {
            let keys: Vec<egui::Key> = i
                .events
                .iter()
                .filter_map(|e| match e {
                    egui::Event::Key {
                        key, pressed: true, ..
                    } => Some(*key),
                    _ => None,
                })
                .collect();
            (keys, i.modifiers)
        });
        let plain = !modifiers.command && !modifiers.ctrl && !modifiers.alt;
        for key in pressed {
            match key {
                egui::Key::Escape => self.escape(),
                egui::Key::ArrowLeft
                | egui::Key::ArrowRight
                | egui::Key::ArrowUp
                | egui::Key::ArrowDown
                    if plain =>
                {
                    let step = if modifiers.shift { 10.0 } else { 1.0 };
                    let d = match key {
                        egui::Key::ArrowLeft => Point::new(-step, 0.0),
                        egui::Key::ArrowRight => Point::new(step, 0.0),
                        egui::Key::ArrowUp => Point::new(0.0, -step),
                        _ => Point::new(0.0, step),
                    };
                    let ids = self.moving_set(doc.board());
                    if !ids.is_empty() {
                        self.apply(
                            doc,
                            Edit::Move {
                                blocks: ids,
                                delta: d,
                            },
                        );
                    }
                }
                _ if plain && !modifiers.shift => {
                    if let Some(kind) = key_letter(key).and_then(|c| env.palette.by_key(c)) {
                        let id = kind.id.clone();
                        let at = self.placement_point();
                        self.place(doc, env, &id, at);
                    }
                }
                _ => {}
            }
        }
    }

    /// Esc: drops the gesture and popups, then the tool, then the selection.
    fn escape(&mut self) {
        self.gesture = super::Gesture::None;
        self.quick_add = None;
        self.show_shortcuts = false;
        if self.tool != Tool::Select {
            self.tool = Tool::Select;
        } else {
            self.clear_selection();
        }
    }

    /// The selected blocks with the links among them, as a board of their own, for the
    /// clipboard. `None` when nothing is selected.
    pub fn copy_fragment(&mut self, board: &Board) -> Option<Board> {
        if self.selection.blocks.is_empty() {
            return None;
        }
        let frag = fragment::extract(board, &self.selection.blocks);
        let what = crate::text::counts_line(frag.blocks.len(), frag.links.len());
        self.notices.push(Notice::Info(format!("Copied {what}")));
        Some(frag)
    }

    /// Pastes a board fragment at the pointer, or text as a text note.
    pub fn paste(&mut self, doc: &mut Document, env: &Env<'_>, clip: Clip) {
        let at = self.placement_point();
        match clip {
            Clip::Fragment(frag) => {
                let Some(bounds) = frag.bounds() else { return };
                let mut offset = at - bounds.center();
                if env.prefs.snap {
                    offset = snap_point(bounds.min() + offset, theme::GRID) - bounds.min();
                }
                self.insert_fragment(doc, &frag, offset);
            }
            Clip::Text(text) => {
                let note = truncate_chars(&text, MAX_LABEL_CHARS);
                if note.trim().is_empty() {
                    return;
                }
                let lines = note.lines().count().max(1) as f32;
                let longest = note.lines().map(|l| l.chars().count()).max().unwrap_or(1) as f32;
                let w = (longest * theme::LABEL_SIZE * 0.6).clamp(80.0, 600.0);
                let h = (lines * theme::LABEL_SIZE * 1.5 + 16.0).min(2000.0);
                self.insert_block(
                    doc,
                    crate::model::TEXT_KIND,
                    &note,
                    Rect::from_center_size(at, w, h),
                );
            }
        }
    }

    fn insert_fragment(&mut self, doc: &mut Document, frag: &Board, offset: Point) {
        let (edit, ids) = fragment::paste_edit(frag, offset, || doc.fresh_id());
        if self.apply(doc, edit) {
            self.selection.only_blocks(ids.into_iter().collect());
        }
    }

    pub fn duplicate(&mut self, doc: &mut Document) {
        if self.selection.blocks.is_empty() {
            return;
        }
        let frag = fragment::extract(doc.board(), &self.selection.blocks);
        self.insert_fragment(doc, &frag, Point::new(DUPLICATE_OFFSET, DUPLICATE_OFFSET));
    }

    /// Deletes the selected blocks (with their links) and links, as one undo step.
    pub fn delete_selection(&mut self, doc: &mut Document) {
        let board = doc.board();
        let blocks: Vec<BlockId> = self
            .selection
            .blocks
            .iter()
            .copied()
            .filter(|id| board.block(*id).is_some_and(|b| !b.locked))
            .collect();
        let links: Vec<LinkId> = self
            .selection
            .links
            .iter()
            .copied()
            .filter(|id| board.link(*id).is_some())
            .collect();
        if blocks.is_empty() && links.is_empty() {
            return;
        }
        self.apply(doc, Edit::Remove { blocks, links });
        self.selection.prune(doc.board());
    }

    pub fn select_all(&mut self, board: &Board) {
        self.selection
            .only_blocks(board.blocks.keys().copied().collect());
    }

    pub fn set_tool(&mut self, tool: Tool) {
        self.tool = tool;
    }

    pub fn open_quick_add(&mut self) {
        self.quick_add = Some(QuickAdd {
            query: String::new(),
            at: self.placement_point(),
            highlighted: 0,
            focused: false,
        });
    }

    pub fn toggle_default_route(&mut self) {
        self.default_route = self.default_route.toggled();
    }

    /// One zoom step in (`steps` > 0) or out, around the pointer or the view's centre.
    pub fn zoom_step(&mut self, steps: i32) {
        let view = self.view();
        let anchor = self
            .pointer
            .map_or(view.screen.center(), |p| view.to_screen(p));
        let factor = ZOOM_STEP.powi(steps);
        self.camera.zoom_around(view.screen, anchor, factor);
    }

    /// The zoom set to `zoom`, keeping the view's centre where it is.
    pub fn zoom_to(&mut self, zoom: f32) {
        let view = self.view();
        let c = view.center_world();
        self.camera = super::Camera {
            zoom,
            ..self.camera
        }
        .centred_on(view.screen, c);
    }

    pub fn fit_board(&mut self, board: &Board) {
        if let Some(b) = board.bounds() {
            self.camera = super::Camera::fit(self.view().screen, &b, 40.0, 2.0);
        }
    }

    pub fn fit_selection(&mut self, board: &Board) {
        let sel = board
            .blocks
            .values()
            .filter(|b| self.selection.blocks.contains(&b.id));
        if let Some(b) = crate::model::bounds_of(sel) {
            self.camera = super::Camera::fit(self.view().screen, &b, 60.0, 2.0);
        }
    }

    /// Selects `id` and brings it to the middle of the view.
    pub fn focus_block(&mut self, board: &Board, id: BlockId) {
        if let Some(b) = board.block(id) {
            let view = self.view();
            self.camera = self.camera.centred_on(view.screen, b.rect.center());
            self.selection.only_block(id);
        }
    }

    /// Selects the link `id` and brings its middle into view.
    pub fn focus_link(&mut self, board: &Board, id: LinkId) {
        let ends = board
            .link(id)
            .and_then(|l| Some((board.block(l.from.block)?, board.block(l.to.block)?)));
        if let Some((a, b)) = ends {
            let mid = a.rect.union(&b.rect).center();
            let view = self.view();
            self.camera = self.camera.centred_on(view.screen, mid);
            self.selection.only_link(id);
        }
    }

    /// Puts the selected blocks in a group of their own.
    pub fn group(&mut self, doc: &mut Document) {
        if self.selection.blocks.len() < 2 {
            self.notices
                .push(Notice::Info("Select two or more blocks to group".into()));
            return;
        }
        let g = doc.fresh_id();
        self.change_blocks(doc, |b| b.group = Some(g));
    }

    /// Locks the selected blocks, or unlocks them when all are locked already.
    pub fn toggle_lock(&mut self, doc: &mut Document) {
        let lock = self
            .selection
            .blocks
            .iter()
            .any(|id| doc.board().block(*id).is_some_and(|b| !b.locked));
        self.change_blocks(doc, |b| b.locked = lock);
        self.notices.push(Notice::Info(
            if lock { "Locked" } else { "Unlocked" }.into(),
        ));
    }

    /// Applies `f` to each selected block as one undo step.
    pub fn change_blocks(&mut self, doc: &mut Document, f: impl Fn(&mut Block)) {
        let changed: Vec<Block> = self
            .selection
            .blocks
            .iter()
            .filter_map(|id| doc.board().block(*id))
            .map(|b| {
                let mut nb = b.clone();
                f(&mut nb);
                nb
            })
            .filter(|nb| doc.board().block(nb.id) != Some(nb))
            .collect();
        if !changed.is_empty() {
            self.apply(doc, Edit::UpdateBlocks(changed));
        }
    }

    /// Puts blocks at new places (a layout computed elsewhere), as one undo step.
    pub fn place_blocks(&mut self, doc: &mut Document, rects: &[(crate::model::BlockId, Rect)]) {
        let changed: Vec<Block> = rects
            .iter()
            .filter_map(|(id, r)| {
                let mut b = doc.board().block(*id)?.clone();
                (b.rect != *r && !b.locked).then(|| {
                    b.rect = *r;
                    b
                })
            })
            .collect();
        if !changed.is_empty() {
            self.apply(doc, Edit::UpdateBlocks(changed));
        }
    }

    /// Applies `f` to each selected link, as one undo step.
    pub fn change_links(&mut self, doc: &mut Document, f: impl Fn(&mut Link)) {
        let changed: Vec<Edit> = self
            .selection
            .links
            .iter()
            .filter_map(|id| doc.board().link(*id))
            .map(|l| {
                let mut nl = l.clone();
                f(&mut nl);
                Edit::UpdateLink(nl)
            })
            .collect();
        if changed.is_empty() {
            self.notices
                .push(Notice::Info("Select a link first".into()));
        } else {
            self.apply_all(doc, changed);
        }
    }
}

/// Whether editing `target` edits a label (a card's body is never selected whole on entry).
fn target_is_label(board: &Board, target: EditTarget) -> bool {
    match target {
        EditTarget::Block(id) => board.block(id).is_none_or(|b| !b.is_card()),
        EditTarget::Link(_) => true,
    }
}
