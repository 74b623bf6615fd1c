//! Excalidraw scenes: `.excalidraw` JSON, clipboard JSON, and scenes embedded in PNG and SVG
//! exports; and writing a board as a scene that opens on excalidraw.com.
//!
//! Every field is read defensively: real files mix three binding formats, legacy
//! `boundElementIds` and stale back-references, so an arrow's own binding is the truth.

use super::carriers;
use super::scene::{End, Extra, Role, Scene, Shape, rotated_bounds};
use crate::model::{Block, Board, Direction, LinkStyle, Point, Rect, Route};
use crate::palette::{Palette, Shape as Outline};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The PNG text chunk keyword and SVG payload type Excalidraw uses.
pub const MIME: &str = "application/vnd.excalidraw+json";

/// Whether `text` looks like an Excalidraw scene or clipboard (cheap: no parsing).
pub fn looks_like(text: &str) -> bool {
    let head: String = text.chars().take(200).collect();
    head.trim_start().starts_with('{')
        && (head.contains("\"excalidraw") || head.contains("\"elements\""))
}

/// The scene JSON inside an Excalidraw PNG export.
pub fn json_from_png(bytes: &[u8]) -> Result<String, String> {
    let chunks = carriers::png_text_chunks(bytes)?;
    let chunk = chunks
        .iter()
        .find(|c| c.keyword == MIME)
        .ok_or("this PNG holds no Excalidraw scene (it was exported without \"Embed scene\")")?;
    unwrap_envelope(&carriers::latin1(&chunk.text))
}

/// The scene JSON inside an Excalidraw SVG export.
pub fn json_from_svg(text: &str) -> Result<String, String> {
    let start = text
        .find("<!-- payload-start -->")
        .ok_or("this SVG holds no Excalidraw scene")?
        + "<!-- payload-start -->".len();
    let end = text[start..]
        .find("<!-- payload-end -->")
        .ok_or("the Excalidraw scene in this SVG is cut off")?
        + start;
    let bytes = carriers::base64_decode(&text[start..end])?;
    // Version 2 payloads are byte strings (each char one byte); version 1 is UTF-8 text.
    let v2 = text.contains("<!-- payload-version:2 -->");
    let inner = if v2 {
        carriers::latin1(&bytes)
    } else {
        String::from_utf8(bytes.clone()).unwrap_or_else(|_| carriers::latin1(&bytes))
    };
    unwrap_envelope(&inner)
}

/// The scene inside Excalidraw's `{"encoded": …, "compressed": …}` envelope, or the text itself
/// when it is a bare scene.
fn unwrap_envelope(text: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("the embedded Excalidraw data is not JSON ({e})"))?;
    let Some(encoded) = value.get("encoded").and_then(Value::as_str) else {
        return Ok(text.to_owned());
    };
    let bytes: Vec<u8> = encoded
        .chars()
        .map(|c| u8::try_from(u32::from(c)).map_err(|_| "the embedded scene is not a byte string"))
        .collect::<Result<_, _>>()?;
    let plain = if value.get("compressed").and_then(Value::as_bool) == Some(true) {
        carriers::inflate_zlib(&bytes)?
    } else {
        bytes
    };
    String::from_utf8(plain).map_err(|_| "the embedded scene is not UTF-8 text".to_owned())
}

fn num(v: &Value, key: &str) -> f32 {
    v.get(key).and_then(Value::as_f64).unwrap_or(0.0) as f32
}

fn text_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn kind_of(e: &Value) -> &str {
    text_of(e, "type").unwrap_or("")
}

/// Reads a scene (or clipboard) JSON into shapes and edges.
pub fn parse(text: &str) -> Result<Scene, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "not valid Excalidraw JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    let library;
    let elements = match value.get("elements").and_then(Value::as_array) {
        Some(elements) => elements,
        None => {
            library = library_elements(&value)
                .ok_or("no \"elements\" list: this is neither an Excalidraw scene nor a library")?;
            &library
        }
    };
    let live: Vec<&Value> = elements
        .iter()
        .filter(|e| e.get("isDeleted").and_then(Value::as_bool) != Some(true))
        .filter(|e| e.get("id").and_then(Value::as_str).is_some())
        .collect();
    let by_id: HashMap<&str, &Value> = live
        .iter()
        .filter_map(|e| Some((text_of(e, "id")?, *e)))
        .collect();

    let mut scene = Scene::default();
    let mut shapes: Vec<Shape> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Text that binds to something else: labels of shapes and arrows.
    let mut arrow_labels: HashMap<&str, String> = HashMap::new();
    let mut free_text: Vec<&Value> = Vec::new();
    for e in &live {
        let id = text_of(e, "id").unwrap_or_default();
        match kind_of(e) {
            "line" | "freedraw" | "image" => {
                let points = points_of(e);
                let rect = if kind_of(e) == "image" || points.is_empty() {
                    rotated_bounds(
                        Rect::new(num(e, "x"), num(e, "y"), num(e, "width"), num(e, "height")),
                        num(e, "angle"),
                    )
                } else {
                    Rect::enclosing(&points)
                };
                let mut piece = Shape::new(id, rect, "", Role::Piece);
                piece.style = kind_of(e).to_owned();
                piece.points = points;
                // A coloured stroke keeps its colour; black, white and grey follow the theme.
                piece.ink_color = text_of(e, "strokeColor")
                    .and_then(crate::model::ink::parse_color)
                    .filter(|[r, g, b]| {
                        r.abs_diff(*g).max(g.abs_diff(*b)).max(r.abs_diff(*b)) > 24
                    });
                piece.groups = groups_of(e);
                index.insert(id.to_owned(), shapes.len());
                shapes.push(piece);
            }
            "rectangle" | "ellipse" | "diamond" | "frame" | "magicframe" => {
                let rect = rotated_bounds(
                    Rect::new(num(e, "x"), num(e, "y"), num(e, "width"), num(e, "height")),
                    num(e, "angle"),
                );
                let frame = matches!(kind_of(e), "frame" | "magicframe");
                let label = if frame {
                    text_of(e, "name").unwrap_or("Frame").to_owned()
                } else {
                    String::new()
                };
                let mut shape = Shape::new(
                    id,
                    rect,
                    label,
                    if frame { Role::Frame } else { Role::Block },
                );
                shape.style = kind_of(e).to_owned();
                shape.groups = groups_of(e);
                shape.group = outermost_drawn_group(&shape.groups);
                if let Some(ours) = e.get("customData").and_then(|c| c.get("archboard")) {
                    shape.kind = text_of(ours, "kind").map(str::to_owned);
                    shape.label_at = text_of(ours, "label_at")
                        .and_then(crate::model::LabelAt::from_key)
                        .unwrap_or_default();
                    shape.extra = serde_json::from_value::<Extra>(ours.clone()).ok();
                    if shape.kind.as_deref() == Some(crate::model::TEXT_KIND) {
                        shape.role = Role::Text;
                    }
                }
                index.insert(id.to_owned(), shapes.len());
                shapes.push(shape);
            }
            "text" => {
                let words = text_of(e, "originalText")
                    .or_else(|| text_of(e, "text"))
                    .unwrap_or_default();
                match text_of(e, "containerId").and_then(|c| by_id.get(c)) {
                    Some(c) if kind_of(c) == "arrow" => {
                        arrow_labels.insert(text_of(c, "id").unwrap_or_default(), words.to_owned());
                    }
                    Some(_) => {} // taken below, once the shapes are known
                    None => free_text.push(e),
                }
            }
            "arrow" => {}
            "embeddable" | "iframe" => scene.skip("embeds"),
            _ => scene.skip("elements of unknown types"),
        }
    }
    // Labels of shapes.
    for e in &live {
        if kind_of(e) != "text" {
            continue;
        }
        if let Some(c) = text_of(e, "containerId")
            && let Some(&i) = index.get(c)
        {
            let words = text_of(e, "originalText")
                .or_else(|| text_of(e, "text"))
                .unwrap_or_default();
            let shape = &mut shapes[i];
            if shape.label.is_empty() {
                shape.label = words.to_owned();
            } else {
                shape.label = format!("{}\n{words}", shape.label);
            }
        }
    }
    // Free text is a note here; the sketch reader decides which notes are captions of shapes.
    for e in free_text {
        let id = text_of(e, "id").unwrap_or_default();
        let words = text_of(e, "originalText")
            .or_else(|| text_of(e, "text"))
            .unwrap_or_default();
        if words.trim().is_empty() {
            continue;
        }
        let rect = rotated_bounds(
            Rect::new(num(e, "x"), num(e, "y"), num(e, "width"), num(e, "height")),
            num(e, "angle"),
        );
        let mut note = Shape::new(id, rect, words, Role::Text);
        note.groups = groups_of(e);
        note.group = outermost_drawn_group(&note.groups);
        note.font = e.get("fontSize").and_then(Value::as_f64).unwrap_or(0.0) as f32;
        if let Some(ours) = e.get("customData").and_then(|c| c.get("archboard")) {
            note.extra = serde_json::from_value::<Extra>(ours.clone()).ok();
        }
        index.insert(id.to_owned(), shapes.len());
        shapes.push(note);
    }
    // Arrows: bound ends name a shape (or the shape whose label the bound text is); loose ends
    // are points that may touch one.
    for e in &live {
        if kind_of(e) != "arrow" {
            continue;
        }
        let id = text_of(e, "id").unwrap_or_default();
        let points: Vec<Point> = e
            .get("points")
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| {
                        let p = p.as_array()?;
                        Some(Point::new(
                            num(e, "x") + p.first()?.as_f64()? as f32,
                            num(e, "y") + p.get(1)?.as_f64()? as f32,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let end_of = |binding: &str, point: Option<&Point>| -> End {
            let bound = e
                .get(binding)
                .and_then(|b| b.get("elementId"))
                .and_then(Value::as_str);
            if let Some(target) = bound {
                let target = by_id
                    .get(target)
                    .filter(|t| kind_of(t) == "text")
                    .and_then(|t| text_of(t, "containerId"))
                    .unwrap_or(target);
                if index.contains_key(target) {
                    return End::Shape(target.to_owned());
                }
            }
            match point {
                Some(p) => End::Point(*p),
                None => End::Missing,
            }
        };
        let from = end_of("startBinding", points.first());
        let to = end_of("endBinding", points.last());
        let mut edge = super::scene::Edge::new(from, to);
        edge.label = arrow_labels.remove(id).unwrap_or_default();
        edge.dashed = matches!(text_of(e, "strokeStyle"), Some("dashed" | "dotted"));
        edge.elbow = e.get("elbowed").and_then(Value::as_bool) == Some(true);
        let head = |k: &str| e.get(k).is_some_and(|v| !v.is_null());
        let (direction, swap) = super::scene::heads(head("startArrowhead"), head("endArrowhead"));
        edge.direction = direction;
        if swap {
            std::mem::swap(&mut edge.from, &mut edge.to);
        }
        scene.edges.push(edge);
    }
    scene.shapes = shapes;
    super::sketch::read(&mut scene);
    Ok(scene)
}

/// A stroke's points in scene coordinates.
fn points_of(e: &Value) -> Vec<Point> {
    let (x, y) = (num(e, "x"), num(e, "y"));
    e.get("points")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter_map(|p| {
                    let p = p.as_array()?;
                    let px = x + p.first()?.as_f64()? as f32;
                    let py = y + p.get(1)?.as_f64()? as f32;
                    (px.is_finite() && py.is_finite()).then(|| Point::new(px, py))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The group a shape moves with on the board: its outermost group as drawn, not the group
/// the library reader puts each item in (a library's items are separate things).
fn outermost_drawn_group(groups: &[String]) -> Option<String> {
    groups
        .iter()
        .rev()
        .find(|g| !g.starts_with(super::sketch::LIBRARY_ITEM))
        .cloned()
}

/// An element's groups, innermost first, as Excalidraw lists them.
fn groups_of(e: &Value) -> Vec<String> {
    e.get("groupIds")
        .and_then(Value::as_array)
        .map(|g| {
            g.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Room between library items laid out on the board.
const LIBRARY_GAP: f64 = 80.0;

/// A library's items as one list of elements: each item moved to its own place in rows, its
/// elements put in one outermost group (so the sketch reader takes it as one thing), and a
/// named item without any text given its name as a caption under it. Version 2 libraries list
/// `libraryItems` with `elements`; version 1 lists `library` as arrays of elements.
fn library_elements(value: &Value) -> Option<Vec<Value>> {
    let items: Vec<(String, &Vec<Value>)> =
        if let Some(items) = value.get("libraryItems").and_then(Value::as_array) {
            items
                .iter()
                .filter(|i| i.get("status").and_then(Value::as_str) != Some("deleted"))
                .filter_map(|i| {
                    let name = text_of(i, "name").unwrap_or_default().trim().to_owned();
                    Some((name, i.get("elements")?.as_array()?))
                })
                .collect()
        } else {
            value
                .get("library")?
                .as_array()?
                .iter()
                .filter_map(|i| Some((String::new(), i.as_array()?)))
                .collect()
        };
    let mut out = Vec::new();
    let (mut x, mut y, mut row) = (0.0_f64, 0.0_f64, 0.0_f64);
    let f = |e: &Value, k: &str| e.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let width = 1600.0;
    for (n, (name, elements)) in items.iter().enumerate() {
        let live: Vec<&Value> = elements
            .iter()
            .filter(|e| e.get("isDeleted").and_then(Value::as_bool) != Some(true))
            .filter(|e| f(e, "x").is_finite() && f(e, "y").is_finite())
            .collect();
        if live.is_empty() {
            continue;
        }
        let x0 = live.iter().map(|e| f(e, "x")).fold(f64::MAX, f64::min);
        let y0 = live.iter().map(|e| f(e, "y")).fold(f64::MAX, f64::min);
        let x1 = live
            .iter()
            .map(|e| f(e, "x") + f(e, "width").max(0.0))
            .fold(f64::MIN, f64::max);
        let y1 = live
            .iter()
            .map(|e| f(e, "y") + f(e, "height").max(0.0))
            .fold(f64::MIN, f64::max);
        let (w, h) = ((x1 - x0).min(1e6), (y1 - y0).min(1e6));
        if x > 0.0 && x + w > width {
            x = 0.0;
            y += row + LIBRARY_GAP;
            row = 0.0;
        }
        let item = format!("{}{n}", super::sketch::LIBRARY_ITEM);
        for e in &live {
            let (ex, ey) = (f(e, "x"), f(e, "y"));
            let mut e = (*e).clone();
            if let Some(o) = e.as_object_mut() {
                o.insert("x".into(), json!(ex - x0 + x));
                o.insert("y".into(), json!(ey - y0 + y));
                let mut groups = o
                    .get("groupIds")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                groups.push(json!(item));
                o.insert("groupIds".into(), Value::Array(groups));
                // Ids repeat across items (they were copied from one scene).
                if let Some(id) = o.get("id").and_then(Value::as_str) {
                    let id = format!("{id}#{n}");
                    o.insert("id".into(), json!(id));
                }
                for k in ["containerId", "frameId"] {
                    if let Some(id) = o.get(k).and_then(Value::as_str) {
                        let id = format!("{id}#{n}");
                        o.insert(k.into(), json!(id));
                    }
                }
                for k in ["startBinding", "endBinding"] {
                    if let Some(b) = o.get_mut(k).and_then(Value::as_object_mut)
                        && let Some(id) = b.get("elementId").and_then(Value::as_str)
                    {
                        let id = format!("{id}#{n}");
                        b.insert("elementId".into(), json!(id));
                    }
                }
            }
            out.push(e);
        }
        let has_text = live.iter().any(|e| kind_of(e) == "text");
        if !name.is_empty() && !has_text {
            out.push(json!({
                "id": format!("{item}-name"),
                "type": "text",
                "x": x,
                "y": y + h + 8.0,
                "width": w.max(40.0),
                "height": 25.0,
                "fontSize": 20,
                "text": name,
                "groupIds": [item],
            }));
        }
        x += w + LIBRARY_GAP;
        row = row.max(h + 40.0);
    }
    Some(out)
}

/// Writes `board` as an Excalidraw scene: shapes with bound text, arrows bound at both ends
/// (with the back-references Excalidraw needs to drag them along), frames as frames. archboard's
/// own data rides in `customData.archboard`, so the scene comes back with kinds and sizing.
pub fn write(board: &Board, palette: &Palette) -> String {
    let mut elements: Vec<Value> = Vec::new();
    let key = |id: u64| format!("ab-{id}");
    // Back-references, filled as arrows and labels are made.
    let mut bound: HashMap<u64, Vec<Value>> = HashMap::new();
    let frame_of = |b: &Block| -> Option<String> {
        if b.is_frame() {
            return None;
        }
        super::scene::innermost_frame(board, b).map(|f| key(f.id.0))
    };
    let mut seed: u64 = 1;
    let mut next_seed = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as i64
    };
    for link in board.links.values() {
        for end in [link.from.block, link.to.block] {
            bound
                .entry(end.0)
                .or_default()
                .push(json!({"id": key(link.id.0), "type": "arrow"}));
        }
        if !link.label.is_empty() {
            bound
                .entry(link.id.0)
                .or_default()
                .push(json!({"id": format!("{}-label", key(link.id.0)), "type": "text"}));
        }
    }
    for b in board.blocks_in_paint_order() {
        let id = key(b.id.0);
        let kind = palette.kind_or_fallback(&b.kind);
        let r = b.rect;
        let ours = json!({
            "kind": b.kind,
            "notes": b.notes,
            "checked": b.checked,
            "deep_dive": b.deep_dive,
            "props": b.props,
            "label_at": b.label_at.key(),
        });
        if b.is_ink() {
            elements.push(freedraw_element(&id, b, next_seed()));
            continue;
        }
        if b.is_text() {
            let mut t = text_element(&id, &b.label, r, next_seed(), ("left", "top"), None);
            t.insert("frameId".into(), json!(frame_of(b)));
            t.insert("customData".into(), json!({"archboard": ours}));
            elements.push(Value::Object(t));
            continue;
        }
        let shape_type = if b.is_frame() {
            "frame"
        } else {
            match kind.shape {
                Outline::Cylinder | Outline::Cloud => "ellipse",
                Outline::Hexagon => "diamond",
                _ => "rectangle",
            }
        };
        let mut s = base(&id, shape_type, r, next_seed());
        if b.is_frame() {
            s.insert("name".into(), json!(b.label));
        } else {
            s.insert("backgroundColor".into(), json!(kind_fill(&b.kind)));
            s.insert("fillStyle".into(), json!("solid"));
            s.insert("roundness".into(), json!({"type": 3}));
            s.insert("frameId".into(), json!(frame_of(b)));
        }
        s.insert("customData".into(), json!({"archboard": ours}));
        let mut refs = bound.remove(&b.id.0).unwrap_or_default();
        if !b.is_frame() && !b.label.is_empty() && !b.label_at.is_inside() {
            // Excalidraw binds text only inside a shape: a caption outside is free text grouped
            // with it, as icon sketches draw it (and as the sketch reader reads it back).
            let group = format!("{id}-with-label");
            s.insert("groupIds".into(), json!([group]));
            s.insert("boundElements".into(), Value::Array(refs));
            elements.push(Value::Object(s));
            let extent = b.extent();
            let tr = match b.label_at {
                crate::model::LabelAt::Below => {
                    Rect::new(extent.x, r.y + r.h + 4.0, extent.w, extent.h - r.h - 4.0)
                }
                crate::model::LabelAt::Above => {
                    Rect::new(extent.x, extent.y, extent.w, r.y - extent.y - 4.0)
                }
                crate::model::LabelAt::Left => Rect::new(extent.x, r.y, r.x - extent.x - 4.0, r.h),
                _ => Rect::new(r.x + r.w + 4.0, r.y, extent.x + extent.w - r.x - r.w, r.h),
            };
            let label_id = format!("{id}-label");
            let mut t = text_element(
                &label_id,
                &b.label,
                tr,
                next_seed(),
                ("center", "top"),
                None,
            );
            t.insert("groupIds".into(), json!([group]));
            elements.push(Value::Object(t));
        } else if !b.is_frame() && !b.label.is_empty() {
            let text_id = format!("{id}-label");
            refs.push(json!({"id": text_id, "type": "text"}));
            s.insert("boundElements".into(), Value::Array(refs));
            elements.push(Value::Object(s));
            let text = b.stacked_text(&board.estimate);
            let lines = text.lines().count().max(1) as f32;
            let th = 20.0 * lines;
            let tr = Rect::new(r.x + 4.0, r.y + (r.h - th) / 2.0, (r.w - 8.0).max(8.0), th);
            elements.push(label_text(&text_id, &text, tr, &id, next_seed()));
        } else {
            s.insert("boundElements".into(), Value::Array(refs));
            elements.push(Value::Object(s));
        }
    }
    for link in board.links.values() {
        let (Some(a), Some(b)) = (board.block(link.from.block), board.block(link.to.block)) else {
            continue;
        };
        let elbow = link.route == Route::Elbow;
        let (start, end, points) = if elbow {
            elbow_path(a.rect, b.rect)
        } else {
            let start = border_point(a.rect, b.rect.center());
            let end = border_point(b.rect, a.rect.center());
            (
                start,
                end,
                vec![
                    Point::new(0.0, 0.0),
                    Point::new(end.x - start.x, end.y - start.y),
                ],
            )
        };
        let id = key(link.id.0);
        let rect = Rect::new(
            start.x.min(end.x),
            start.y.min(end.y),
            (end.x - start.x).abs(),
            (end.y - start.y).abs(),
        );
        let mut arrow = base(&id, "arrow", rect, next_seed());
        arrow.insert("x".into(), json!(start.x));
        arrow.insert("y".into(), json!(start.y));
        arrow.insert(
            "points".into(),
            Value::Array(points.iter().map(|p| json!([p.x, p.y])).collect()),
        );
        arrow.insert("lastCommittedPoint".into(), Value::Null);
        // Excalidraw keeps an elbow arrow's binding only with a `fixedPoint`: where on the
        // shape (as fractions of its width and height) the arrow is pinned.
        let binding = |r: Rect, id: u64, at: Point| {
            if elbow {
                json!({
                    "elementId": key(id),
                    "focus": 0,
                    "gap": 0,
                    "fixedPoint": [(at.x - r.x) / r.w.max(1.0), (at.y - r.y) / r.h.max(1.0)],
                })
            } else {
                json!({"elementId": key(id), "focus": 0, "gap": 4})
            }
        };
        arrow.insert("startBinding".into(), binding(a.rect, a.id.0, start));
        arrow.insert("endBinding".into(), binding(b.rect, b.id.0, end));
        if elbow {
            arrow.insert("fixedSegments".into(), Value::Null);
            arrow.insert("startIsSpecial".into(), json!(false));
            arrow.insert("endIsSpecial".into(), json!(false));
        }
        let (start_head, end_head) = match link.direction {
            Direction::Forward => (Value::Null, json!("arrow")),
            Direction::Both => (json!("arrow"), json!("arrow")),
            Direction::None => (Value::Null, Value::Null),
        };
        arrow.insert("startArrowhead".into(), start_head);
        arrow.insert("endArrowhead".into(), end_head);
        arrow.insert("elbowed".into(), json!(elbow));
        arrow.insert(
            "roundness".into(),
            if elbow {
                Value::Null
            } else {
                json!({"type": 2})
            },
        );
        if link.style == LinkStyle::Async {
            arrow.insert("strokeStyle".into(), json!("dashed"));
        }
        arrow.insert(
            "boundElements".into(),
            Value::Array(bound.remove(&link.id.0).unwrap_or_default()),
        );
        elements.push(Value::Object(arrow));
        if !link.label.is_empty() {
            let mid = Point::new((start.x + end.x) / 2.0, (start.y + end.y) / 2.0);
            let w = (link.label.chars().count() as f32 * 8.0).max(20.0);
            let tr = Rect::new(mid.x - w / 2.0, mid.y - 10.0, w, 20.0);
            elements.push(label_text(
                &format!("{id}-label"),
                &link.label,
                tr,
                &id,
                next_seed(),
            ));
        }
    }
    let scene = json!({
        "type": "excalidraw",
        "version": 2,
        "source": "archboard",
        "elements": elements,
        "appState": {"viewBackgroundColor": "#ffffff", "gridSize": null},
        "files": {},
    });
    serde_json::to_string_pretty(&scene).unwrap_or_default()
}

/// The fields every element has.
/// An ink stroke as Excalidraw's own freehand element: points relative to the first, and
/// pressure simulated from speed, as Excalidraw draws a mouse stroke.
fn freedraw_element(id: &str, b: &crate::model::Block, seed: i64) -> Value {
    let place = crate::model::ink::Placement::new(&b.ink, &b.rect);
    let world: Vec<crate::model::Point> = b.ink.iter().map(|p| place.world(*p)).collect();
    let origin = world.first().copied().unwrap_or_default();
    let points: Vec<Value> = world
        .iter()
        .map(|p| json!([p.x - origin.x, p.y - origin.y]))
        .collect();
    let own = crate::model::ink::bounds(&world);
    let mut e = base(
        id,
        "freedraw",
        Rect::new(origin.x, origin.y, own.w, own.h),
        seed,
    );
    if let Some(c) = b.ink_color {
        e.insert(
            "strokeColor".into(),
            json!(crate::model::ink::color_text(c)),
        );
    }
    e.insert("strokeWidth".into(), json!(1));
    e.insert("points".into(), Value::Array(points));
    e.insert("pressures".into(), json!([]));
    e.insert("simulatePressure".into(), json!(true));
    e.insert("lastCommittedPoint".into(), Value::Null);
    Value::Object(e)
}

fn base(id: &str, kind: &str, r: Rect, seed: i64) -> Map<String, Value> {
    let v = json!({
        "id": id,
        "type": kind,
        "x": r.x,
        "y": r.y,
        "width": r.w,
        "height": r.h,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 0,
        "opacity": 100,
        "groupIds": [],
        "frameId": null,
        "roundness": null,
        "seed": seed,
        "version": 1,
        "versionNonce": seed ^ 0x5bd1e995,
        "isDeleted": false,
        "boundElements": [],
        "updated": 1,
        "link": null,
        "locked": false,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn label_text(id: &str, text: &str, r: Rect, container: &str, seed: i64) -> Value {
    Value::Object(text_element(
        id,
        text,
        r,
        seed,
        ("center", "middle"),
        Some(container),
    ))
}

/// A text element in archboard's one text style; `align` is (horizontal, vertical).
fn text_element(
    id: &str,
    text: &str,
    r: Rect,
    seed: i64,
    (align, valign): (&str, &str),
    container: Option<&str>,
) -> Map<String, Value> {
    let mut t = base(id, "text", r, seed);
    t.insert("text".into(), json!(text));
    t.insert("originalText".into(), json!(text));
    t.insert("fontSize".into(), json!(16));
    t.insert("fontFamily".into(), json!(2));
    t.insert("textAlign".into(), json!(align));
    t.insert("verticalAlign".into(), json!(valign));
    t.insert("containerId".into(), json!(container));
    t.insert("lineHeight".into(), json!(1.25));
    t.insert("autoResize".into(), json!(true));
    t
}

/// A light fill per family of kinds, so the scene reads like the board.
fn kind_fill(kind: &str) -> &'static str {
    match kind {
        "database" | "nosql" | "warehouse" | "search" | "object_storage" => "#ffec99",
        "cache" => "#ffc9c9",
        "queue" | "stream" | "processor" => "#d0bfff",
        "load_balancer" | "api_gateway" | "cdn" | "dns" | "rate_limiter" => "#a5d8ff",
        "client" | "mobile" => "#e9ecef",
        _ => "#b2f2bb",
    }
}

/// An elbow arrow from `a` to `b` as Excalidraw draws one: leaving the middle of the side that
/// faces `b`, in straight horizontal and vertical runs, turning halfway. Returns the start, the
/// end and the points relative to the start.
fn elbow_path(a: Rect, b: Rect) -> (Point, Point, Vec<Point>) {
    let (ca, cb) = (a.center(), b.center());
    let (dx, dy) = (cb.x - ca.x, cb.y - ca.y);
    let across = dx.abs() >= dy.abs();
    let (start, end) = if across {
        let sx = if dx >= 0.0 { a.x + a.w } else { a.x };
        let ex = if dx >= 0.0 { b.x } else { b.x + b.w };
        (Point::new(sx, ca.y), Point::new(ex, cb.y))
    } else {
        let sy = if dy >= 0.0 { a.y + a.h } else { a.y };
        let ey = if dy >= 0.0 { b.y } else { b.y + b.h };
        (Point::new(ca.x, sy), Point::new(cb.x, ey))
    };
    let rel = |p: Point| Point::new(p.x - start.x, p.y - start.y);
    let mut points = vec![Point::new(0.0, 0.0)];
    if across && (end.y - start.y).abs() > 0.5 {
        let mid = (start.x + end.x) / 2.0;
        points.push(rel(Point::new(mid, start.y)));
        points.push(rel(Point::new(mid, end.y)));
    } else if !across && (end.x - start.x).abs() > 0.5 {
        let mid = (start.y + end.y) / 2.0;
        points.push(rel(Point::new(start.x, mid)));
        points.push(rel(Point::new(end.x, mid)));
    }
    points.push(rel(end));
    (start, end, points)
}

/// Where the line from `r`'s centre towards `toward` leaves `r`.
pub fn border_point(r: Rect, toward: Point) -> Point {
    let c = r.center();
    let (dx, dy) = (toward.x - c.x, toward.y - c.y);
    if dx.abs() < 1e-6 && dy.abs() < 1e-6 {
        return c;
    }
    let sx = if dx.abs() > 1e-6 {
        (r.w / 2.0) / dx.abs()
    } else {
        f32::INFINITY
    };
    let sy = if dy.abs() > 1e-6 {
        (r.h / 2.0) / dy.abs()
    } else {
        f32::INFINITY
    };
    let s = sx.min(sy).min(1.0);
    Point::new(c.x + dx * s, c.y + dy * s)
}
