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
    let elements = value
        .get("elements")
        .and_then(Value::as_array)
        .ok_or("no \"elements\" list: this is not an Excalidraw scene")?;
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
                shape.group = e
                    .get("groupIds")
                    .and_then(Value::as_array)
                    .and_then(|g| g.last())
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                if let Some(ours) = e.get("customData").and_then(|c| c.get("archboard")) {
                    shape.kind = text_of(ours, "kind").map(str::to_owned);
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
            "line" => scene.skip("free lines"),
            "freedraw" => scene.skip("freehand drawings"),
            "image" => scene.skip("images"),
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
    // Free text inside a shape that has no label is that shape's label (older files never bound
    // text to shapes); elsewhere it is a note. Its key then names the shape, for arrows.
    let mut alias: HashMap<String, String> = HashMap::new();
    let outlines = super::scene::Outlines::new(shapes.iter().map(|s| &s.rect));
    for e in free_text {
        let id = text_of(e, "id").unwrap_or_default();
        let words = text_of(e, "originalText")
            .or_else(|| text_of(e, "text"))
            .unwrap_or_default();
        let rect = Rect::new(num(e, "x"), num(e, "y"), num(e, "width"), num(e, "height"));
        let centre = rect.center();
        let host = outlines
            .near(centre, 0.0)
            .filter(|i| {
                shapes.get(*i).is_some_and(|s| {
                    s.role == Role::Block && s.label.is_empty() && s.rect.contains(centre)
                })
            })
            .min_by(|a, b| {
                let area = |i: usize| (shapes[i].rect.w * shapes[i].rect.h, i);
                area(*a)
                    .partial_cmp(&area(*b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        match host {
            Some(i) => {
                shapes[i].label = words.to_owned();
                alias.insert(id.to_owned(), shapes[i].key.clone());
            }
            None if !words.trim().is_empty() => {
                let mut note = Shape::new(id, rect, words, Role::Text);
                note.group = e
                    .get("groupIds")
                    .and_then(Value::as_array)
                    .and_then(|g| g.last())
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                index.insert(id.to_owned(), shapes.len());
                shapes.push(note);
            }
            None => {}
        }
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
                let target = alias.get(target).map_or(target, String::as_str);
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
    Ok(scene)
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
        });
        if b.is_text() {
            let mut t = base(&id, "text", r, next_seed());
            t.insert("text".into(), json!(b.label));
            t.insert("originalText".into(), json!(b.label));
            t.insert("fontSize".into(), json!(16));
            t.insert("fontFamily".into(), json!(2));
            t.insert("textAlign".into(), json!("left"));
            t.insert("verticalAlign".into(), json!("top"));
            t.insert("containerId".into(), Value::Null);
            t.insert("lineHeight".into(), json!(1.25));
            t.insert("autoResize".into(), json!(true));
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
        if !b.is_frame() && !b.label.is_empty() {
            let text_id = format!("{id}-label");
            refs.push(json!({"id": text_id, "type": "text"}));
            s.insert("boundElements".into(), Value::Array(refs));
            elements.push(Value::Object(s));
            let lines = b.label.lines().count().max(1) as f32;
            let th = 20.0 * lines;
            let tr = Rect::new(r.x + 4.0, r.y + (r.h - th) / 2.0, (r.w - 8.0).max(8.0), th);
            elements.push(label_text(&text_id, &b.label, tr, &id, next_seed()));
        } else {
            s.insert("boundElements".into(), Value::Array(refs));
            elements.push(Value::Object(s));
        }
    }
    for link in board.links.values() {
        let (Some(a), Some(b)) = (board.block(link.from.block), board.block(link.to.block)) else {
            continue;
        };
        let start = border_point(a.rect, b.rect.center());
        let end = border_point(b.rect, a.rect.center());
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
            json!([[0.0, 0.0], [end.x - start.x, end.y - start.y]]),
        );
        arrow.insert("lastCommittedPoint".into(), Value::Null);
        arrow.insert(
            "startBinding".into(),
            json!({"elementId": key(a.id.0), "focus": 0, "gap": 4}),
        );
        arrow.insert(
            "endBinding".into(),
            json!({"elementId": key(b.id.0), "focus": 0, "gap": 4}),
        );
        let (start_head, end_head) = match link.direction {
            Direction::Forward => (Value::Null, json!("arrow")),
            Direction::Both => (json!("arrow"), json!("arrow")),
            Direction::None => (Value::Null, Value::Null),
        };
        arrow.insert("startArrowhead".into(), start_head);
        arrow.insert("endArrowhead".into(), end_head);
        arrow.insert("elbowed".into(), json!(link.route == Route::Elbow));
        arrow.insert("roundness".into(), json!({"type": 2}));
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
    let mut t = base(id, "text", r, seed);
    t.insert("text".into(), json!(text));
    t.insert("originalText".into(), json!(text));
    t.insert("fontSize".into(), json!(16));
    t.insert("fontFamily".into(), json!(2));
    t.insert("textAlign".into(), json!("center"));
    t.insert("verticalAlign".into(), json!("middle"));
    t.insert("containerId".into(), json!(container));
    t.insert("lineHeight".into(), json!(1.25));
    t.insert("autoResize".into(), json!(true));
    Value::Object(t)
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
