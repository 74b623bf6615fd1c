//! What commands and keys do to the board: place, connect, label, clipboard, arrange, zoom.

use super::{
    CanvasState, DUPLICATE_OFFSET, EditTarget, LabelEdit, Notice, QuickAdd, Tool, View, ZOOM_STEP,
    default_label, key_letter, kind_size,
};
use crate::command::Command;
use crate::model::{
    Anchor, Block, BlockId, Board, Direction, Document, Edit, Link, LinkId, LinkStyle, Point, Rect,
    Route, Side, fragment, snap_point,
};
use crate::palette::Palette;
use crate::persistence;
use crate::theme;
use std::collections::BTreeSet;
use std::path::Path;

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
        let board = doc.board();
        let id = LinkId(board.next_id);
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
        if self.apply(
            doc,
            Edit::Insert {
                blocks: vec![],
                links: vec![link],
            },
        ) {
            self.selection.clear();
            self.selected_links = BTreeSet::from([id]);
            Some(id)
        } else {
            None
        }
    }

    /// Places a block of `kind_id` centred on `at` (snapped), selects it and opens its label.
    pub fn place(
        &mut self,
        doc: &mut Document,
        palette: &Palette,
        kind_id: &str,
        at: Point,
    ) -> Option<BlockId> {
        self.commit_label(doc);
        let kind = palette.get(kind_id);
        let (w, h) = kind_size(kind);
        let mut rect = Rect::from_center_size(at, w, h);
        if self.snap {
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
        let id = BlockId(doc.board().next_id);
        let block = Block::new(id, kind, label, rect);
        if self.apply(
            doc,
            Edit::Insert {
                blocks: vec![block],
                links: vec![],
            },
        ) {
            self.selected_links.clear();
            self.selection = BTreeSet::from([id]);
            Some(id)
        } else {
            None
        }
    }

    pub fn start_label_edit(&mut self, board: &Board, target: EditTarget, select_all: bool) {
        let text = match target {
            EditTarget::Block(id) => board.block(id).map(|b| b.label.clone()),
            EditTarget::Link(id) => board.link(id).map(|l| l.label.clone()),
        };
        let Some(text) = text else { return };
        self.editing = Some(LabelEdit {
            target,
            text,
            select_all,
            started: false,
        });
        match target {
            EditTarget::Block(id) => {
                self.selected_links.clear();
                self.selection = BTreeSet::from([id]);
            }
            EditTarget::Link(id) => {
                self.selection.clear();
                self.selected_links = BTreeSet::from([id]);
            }
        }
    }

    /// Writes the edited label to the board (one undo step), if it changed.
    pub fn commit_label(&mut self, doc: &mut Document) {
        let Some(edit) = self.editing.take() else {
            return;
        };
        let text: String = edit
            .text
            .chars()
            .take(persistence::MAX_LABEL_CHARS)
            .collect();
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

    pub(super) fn handle_keys(
        &mut self,
        ctx: &egui::Context,
        doc: &mut Document,
        palette: &Palette,
    ) {
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
                egui::Key::Escape => {
                    self.gesture = super::Gesture::None;
                    self.quick_add = None;
                    self.show_shortcuts = false;
                    if self.tool != Tool::Select {
                        self.tool = Tool::Select;
                    } else {
                        self.clear_selection();
                    }
                }
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
                    if let Some(kind) = key_letter(key).and_then(|c| palette.by_key(c)) {
                        let id = kind.id.clone();
                        let at = self.placement_point();
                        self.place(doc, palette, &id, at);
                    }
                }
                _ => {}
            }
        }
    }

    /// Copy, cut and paste arrive as events from the window's clipboard integration.
    pub(super) fn handle_clipboard_events(&mut self, ctx: &egui::Context, doc: &mut Document) {
        if ctx.memory(|m| m.focused().is_some()) || self.editing.is_some() {
            return;
        }
        let events: Vec<egui::Event> = ctx.input(|i| {
            i.events
                .iter()
                .filter(|e| {
                    matches!(
                        e,
                        egui::Event::Copy | egui::Event::Cut | egui::Event::Paste(_)
                    )
                })
                .cloned()
                .collect()
        });
        for e in events {
            match e {
                egui::Event::Copy => self.copy(ctx, doc.board()),
                egui::Event::Cut => {
                    self.copy(ctx, doc.board());
                    self.delete_selection(doc);
                }
                egui::Event::Paste(text) => self.paste(doc, &text),
                _ => {}
            }
        }
    }

    /// Puts the selection (with the links among it) on the clipboard as RON text.
    pub fn copy(&mut self, ctx: &egui::Context, board: &Board) {
        if self.selection.is_empty() {
            return;
        }
        let frag = fragment::extract(board, &self.selection);
        match persistence::to_ron_string(&frag) {
            Ok(text) => {
                ctx.copy_text(text);
                let what = crate::cli::counts_line(frag.blocks.len(), frag.links.len());
                self.notices.push(Notice::Info(format!("Copied {what}")));
            }
            Err(e) => self
                .notices
                .push(Notice::Error(format!("Could not copy: {e}"))),
        }
    }

    /// Pastes archboard data at the pointer, or any other text as a text note.
    pub fn paste(&mut self, doc: &mut Document, text: &str) {
        let at = self.placement_point();
        let parsed = if text.trim_start().starts_with('(') {
            persistence::parse_board(text, Path::new("clipboard")).ok()
        } else {
            None
        };
        match parsed {
            Some(frag) if !frag.blocks.is_empty() => {
                let Some(bounds) = frag.bounds() else { return };
                let mut offset = at - bounds.center();
                if self.snap {
                    offset = snap_point(bounds.min() + offset, theme::GRID) - bounds.min();
                }
                self.insert_fragment(doc, &frag, offset);
            }
            _ => {
                let note: String = text.chars().take(persistence::MAX_LABEL_CHARS).collect();
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
        let (edit, ids) = fragment::paste_edit(frag, doc.board(), offset);
        match doc.apply(edit) {
            Ok(()) => {
                self.selected_links.clear();
                self.selection = ids.into_iter().collect();
            }
            Err(e) => self
                .notices
                .push(Notice::Error(format!("Could not paste: {e}"))),
        }
    }

    pub fn duplicate(&mut self, doc: &mut Document) {
        if self.selection.is_empty() {
            return;
        }
        let frag = fragment::extract(doc.board(), &self.selection);
        self.insert_fragment(doc, &frag, Point::new(DUPLICATE_OFFSET, DUPLICATE_OFFSET));
    }

    /// Deletes the selected blocks (with their links) and links, as one undo step.
    pub fn delete_selection(&mut self, doc: &mut Document) {
        let board = doc.board();
        let blocks: Vec<BlockId> = self
            .selection
            .iter()
            .copied()
            .filter(|id| board.block(*id).is_some_and(|b| !b.locked))
            .collect();
        let links: Vec<LinkId> = self
            .selected_links
            .iter()
            .copied()
            .filter(|id| board.link(*id).is_some())
            .collect();
        if blocks.is_empty() && links.is_empty() {
            return;
        }
        self.apply(doc, Edit::Remove { blocks, links });
        self.prune_selection(doc.board());
    }

    /// Runs a canvas command from the menu or a shortcut.
    pub fn run_command(&mut self, cmd: Command, ctx: &egui::Context, doc: &mut Document) {
        let view = self.view();
        match cmd {
            Command::Copy => self.copy(ctx, doc.board()),
            Command::Cut => {
                self.copy(ctx, doc.board());
                self.delete_selection(doc);
            }
            // The window answers with a paste event carrying the clipboard text.
            Command::Paste => ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste),
            Command::Duplicate => self.duplicate(doc),
            Command::Delete => self.delete_selection(doc),
            Command::SelectAll => {
                self.selection = doc.board().blocks.keys().copied().collect();
                self.selected_links.clear();
            }
            Command::EditLabel => {
                if let Some(&id) = self.selection.iter().next() {
                    self.start_label_edit(doc.board(), EditTarget::Block(id), false);
                } else if let Some(&id) = self.selected_links.iter().next() {
                    self.start_label_edit(doc.board(), EditTarget::Link(id), false);
                }
            }
            Command::Group => self.group(doc),
            Command::Ungroup => self.set_blocks(doc, |b| b.group = None),
            Command::BringForward => self.set_blocks(doc, |b| b.z = b.z.saturating_add(1)),
            Command::SendBackward => self.set_blocks(doc, |b| b.z = b.z.saturating_sub(1)),
            Command::ToggleLock => {
                let lock = self
                    .selection
                    .iter()
                    .any(|id| doc.board().block(*id).is_some_and(|b| !b.locked));
                self.set_blocks(doc, |b| b.locked = lock);
                self.notices.push(Notice::Info(
                    if lock { "Locked" } else { "Unlocked" }.into(),
                ));
            }
            Command::LinkReverse => self.set_links(doc, |l| std::mem::swap(&mut l.from, &mut l.to)),
            Command::LinkToggleStyle => self.set_links(doc, |l| {
                l.style = match l.style {
                    LinkStyle::Sync => LinkStyle::Async,
                    LinkStyle::Async => LinkStyle::Sync,
                }
            }),
            Command::LinkToggleRoute => self.set_links(doc, |l| {
                l.route = match l.route {
                    Route::Straight => Route::Elbow,
                    Route::Elbow => Route::Straight,
                }
            }),
            Command::LinkCycleArrows => self.set_links(doc, |l| {
                l.direction = match l.direction {
                    Direction::Forward => Direction::Both,
                    Direction::Both => Direction::None,
                    Direction::None => Direction::Forward,
                }
            }),
            Command::DefaultElbow => {
                self.default_route = match self.default_route {
                    Route::Straight => Route::Elbow,
                    Route::Elbow => Route::Straight,
                };
            }
            Command::ToolSelect => self.tool = Tool::Select,
            Command::ToolHand => self.tool = Tool::Hand,
            Command::ToolConnect => self.tool = Tool::Connect,
            Command::ToolText => self.tool = Tool::Text,
            Command::ToolFrame => self.tool = Tool::Frame,
            Command::QuickAdd => {
                self.quick_add = Some(QuickAdd {
                    query: String::new(),
                    at: self.placement_point(),
                    highlighted: 0,
                    focused: false,
                })
            }
            Command::ZoomIn => self.zoom_step(view, ZOOM_STEP),
            Command::ZoomOut => self.zoom_step(view, 1.0 / ZOOM_STEP),
            Command::ZoomReset => {
                let c = view.center_world();
                self.camera = super::Camera {
                    zoom: 1.0,
                    ..self.camera
                }
                .centred_on(view.screen, c);
            }
            Command::FitBoard => {
                if let Some(b) = doc.board().bounds() {
                    self.camera = super::Camera::fit(view.screen, &b, 40.0, 2.0);
                }
            }
            Command::FitSelection => {
                let sel = doc
                    .board()
                    .blocks
                    .values()
                    .filter(|b| self.selection.contains(&b.id));
                if let Some(b) = crate::model::bounds_of(sel) {
                    self.camera = super::Camera::fit(view.screen, &b, 60.0, 2.0);
                }
            }
            Command::ToggleSnap => {
                self.snap = !self.snap;
                let state = if self.snap { "on" } else { "off" };
                self.notices
                    .push(Notice::Info(format!("Snap to grid {state}")));
            }
            Command::Shortcuts => self.show_shortcuts = !self.show_shortcuts,
            // The app handles these; they never reach the canvas.
            Command::ExportPng
            | Command::CopyPng
            | Command::ToggleSidebar
            | Command::LensOverlay
            | Command::ToggleBadges
            | Command::TimerStartPause
            | Command::TimerNext
            | Command::TimerPrevious
            | Command::TimerReset
            | Command::ReviewOverlay
            | Command::Estimator
            | Command::DrillToggle
            | Command::DrillClear
            | Command::New
            | Command::Open
            | Command::Save
            | Command::SaveAs
            | Command::Quit
            | Command::Undo
            | Command::Redo => {}
        }
    }

    fn zoom_step(&mut self, view: View, factor: f32) {
        let anchor = self
            .pointer
            .map_or(view.screen.center(), |p| view.to_screen(p));
        self.camera.zoom_around(view.screen, anchor, factor);
    }

    fn group(&mut self, doc: &mut Document) {
        if self.selection.len() < 2 {
            self.notices
                .push(Notice::Info("Select two or more blocks to group".into()));
            return;
        }
        // Group ids only need to differ from other groups on this board.
        let g = doc
            .board()
            .blocks
            .values()
            .filter_map(|b| b.group)
            .max()
            .map_or(1, |m| m + 1);
        self.set_blocks(doc, |b| b.group = Some(g));
    }

    /// Applies `f` to each selected block as one undo step.
    fn set_blocks(&mut self, doc: &mut Document, f: impl Fn(&mut Block)) {
        let changed: Vec<Block> = self
            .selection
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

    /// Applies `f` to each selected link, as one undo step.
    fn set_links(&mut self, doc: &mut Document, f: impl Fn(&mut Link)) {
        let changed: Vec<Edit> = self
            .selected_links
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
        } else if let Err(e) = doc.apply_all(changed) {
            self.notices.push(Notice::Error(e.to_string()));
        }
    }
}
