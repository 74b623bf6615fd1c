//! draw.io / diagrams.net: `<mxfile>` and bare `<mxGraphModel>` XML, plain or compressed pages,
//! several pages, and diagrams carried in PNG text chunks and SVG `content` attributes; and
//! writing a board as an uncompressed `.drawio`.
//!
//! The XML reader never processes a DTD, so entity expansion cannot happen, and it streams, so
//! deep nesting costs no stack.

use super::carriers;
use super::scene::{Edge, End, Role, Scene, Shape, rotated_bounds};
use crate::model::{Board, Direction, LabelAt, LinkStyle, Point, Rect, Route};
use crate::palette::{Palette, Shape as Outline};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

/// Style key archboard writes so a round trip keeps each block's kind.
const KIND_KEY: &str = "archboardKind";

/// Whether `text` looks like draw.io XML.
pub fn looks_like(text: &str) -> bool {
    let head: String = text.chars().take(400).collect();
    head.contains("<mxfile") || head.contains("<mxGraphModel")
}

/// The `<mxfile>` inside a draw.io PNG export.
pub fn xml_from_png(bytes: &[u8]) -> Result<String, String> {
    let chunks = carriers::png_text_chunks(bytes)?;
    if let Some(c) = chunks.iter().find(|c| c.keyword == "mxfile") {
        return Ok(carriers::url_decode(&carriers::latin1(&c.text)));
    }
    if let Some(c) = chunks.iter().find(|c| c.keyword == "mxGraphModel") {
        return Ok(carriers::url_decode(&carriers::latin1(&c.text)));
    }
    Err("this PNG holds no draw.io diagram (it was exported without \"Include a copy of my diagram\")".into())
}

/// The `<mxfile>` in a draw.io SVG export's `content` attribute.
pub fn xml_from_svg(text: &str) -> Result<String, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"svg" => {
                let content = attr(&e, "content").ok_or("this SVG holds no draw.io diagram")?;
                let content = content.trim();
                return Ok(if content.starts_with('%') {
                    carriers::url_decode(content)
                } else {
                    content.to_owned()
                });
            }
            Ok(Event::Eof) => return Err("this SVG has no <svg> element".into()),
            Err(e) => {
                return Err(format!(
                    "not valid SVG at byte {}: {e}",
                    reader.error_position()
                ));
            }
            _ => {}
        }
    }
}

/// One `<mxCell>` (or `<object>`/`<UserObject>` wrapping one), as written.
#[derive(Clone, Debug, Default)]
struct Cell {
    id: String,
    value: String,
    style: String,
    parent: Option<String>,
    vertex: bool,
    edge: bool,
    source: Option<String>,
    target: Option<String>,
    geometry: Option<Rect>,
    relative: bool,
    source_point: Option<Point>,
    target_point: Option<Point>,
    /// The wrapper's other attributes, for `%name%` placeholders.
    placeholders: HashMap<String, String>,
}

/// A page: its name and its cells, or the compressed text standing for them.
struct Page {
    name: String,
    cells: Vec<Cell>,
    compressed: Option<String>,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.as_ref() == name.as_bytes()).then(|| {
            a.unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        })
    })
}

fn num(e: &BytesStart<'_>, name: &str) -> f32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<f32>().ok())
        .unwrap_or(0.0)
}

/// Reads every page of an `<mxfile>` (or the one page of a bare `<mxGraphModel>`).
fn read_pages(xml: &str) -> Result<Vec<Page>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut pages: Vec<Page> = Vec::new();
    let mut in_diagram = false;
    let mut text = String::new();
    // The cell being read (its index in the current page) and whether a wrapper is open.
    let mut current: Option<usize> = None;
    let mut wrapper: Option<Cell> = None;
    let mut in_geometry = false;
    let page = |pages: &mut Vec<Page>| -> usize {
        if pages.is_empty() {
            pages.push(Page {
                name: String::new(),
                cells: Vec::new(),
                compressed: None,
            });
        }
        pages.len() - 1
    };
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not valid XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    b"diagram" => {
                        pages.push(Page {
                            name: attr(e, "name").unwrap_or_default(),
                            cells: Vec::new(),
                            compressed: None,
                        });
                        in_diagram = !empty;
                        text.clear();
                    }
                    b"object" | b"UserObject" => {
                        let mut w = Cell {
                            id: attr(e, "id").unwrap_or_default(),
                            value: attr(e, "label").unwrap_or_default(),
                            ..Cell::default()
                        };
                        for a in e.attributes().flatten() {
                            let k = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                            if let Ok(v) = a.unescape_value() {
                                w.placeholders.insert(k, v.into_owned());
                            }
                        }
                        wrapper = Some(w);
                    }
                    b"mxCell" => {
                        let p = page(&mut pages);
                        let mut cell = wrapper.clone().unwrap_or_default();
                        if cell.id.is_empty() {
                            cell.id = attr(e, "id").unwrap_or_default();
                        }
                        if wrapper.is_none() {
                            cell.value = attr(e, "value").unwrap_or_default();
                        }
                        cell.style = attr(e, "style").unwrap_or_default();
                        cell.parent = attr(e, "parent");
                        cell.vertex = attr(e, "vertex").as_deref() == Some("1");
                        cell.edge = attr(e, "edge").as_deref() == Some("1");
                        cell.source = attr(e, "source");
                        cell.target = attr(e, "target");
                        pages[p].cells.push(cell);
                        current = (!empty).then(|| pages[p].cells.len() - 1);
                    }
                    b"mxGeometry" => {
                        if let Some(i) = current {
                            let p = page(&mut pages);
                            let cell = &mut pages[p].cells[i];
                            cell.geometry = Some(Rect::new(
                                num(e, "x"),
                                num(e, "y"),
                                num(e, "width"),
                                num(e, "height"),
                            ));
                            cell.relative = attr(e, "relative").as_deref() == Some("1");
                            in_geometry = !empty;
                        }
                    }
                    b"mxPoint" if in_geometry => {
                        if let Some(i) = current {
                            let p = page(&mut pages);
                            let point = Point::new(num(e, "x"), num(e, "y"));
                            let cell = &mut pages[p].cells[i];
                            match attr(e, "as").as_deref() {
                                Some("sourcePoint") => cell.source_point = Some(point),
                                Some("targetPoint") => cell.target_point = Some(point),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match e.local_name().as_ref() {
                b"diagram" => {
                    if in_diagram
                        && let Some(p) = pages.last_mut()
                        && p.cells.is_empty()
                        && !text.trim().is_empty()
                    {
                        p.compressed = Some(std::mem::take(&mut text));
                    }
                    in_diagram = false;
                }
                b"mxCell" => current = None,
                b"object" | b"UserObject" => wrapper = None,
                b"mxGeometry" => in_geometry = false,
                _ => {}
            },
            Event::Text(t) if in_diagram => {
                text.push_str(&t.decode().unwrap_or_default());
            }
            Event::GeneralRef(r) if in_diagram => {
                let name = r.decode().unwrap_or_default();
                text.push_str(&entity(&name));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(pages)
}

/// The text an XML entity stands for (only the predefined ones and character references).
fn entity(name: &str) -> String {
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        "nbsp" => " ".into(),
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else {
                    name.strip_prefix('#').and_then(|d| d.parse().ok())
                };
            code.and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        }
    }
}

/// A compressed page: base64, then raw deflate, then URL encoding.
fn decompress(text: &str) -> Result<String, String> {
    let packed = carriers::base64_decode(text.trim())?;
    let inflated = carriers::inflate_raw(&packed)?;
    let encoded = String::from_utf8(inflated).map_err(|_| "a compressed page is not text")?;
    Ok(carriers::url_decode(&encoded))
}

/// The names of the pages of a draw.io file, to choose one.
pub fn page_names(xml: &str) -> Result<Vec<String>, String> {
    Ok(read_pages(xml)?.into_iter().map(|p| p.name).collect())
}

/// Reads page `index` (0-based) of a draw.io file.
pub fn parse(xml: &str, index: usize) -> Result<Scene, String> {
    let pages = read_pages(xml)?;
    let count = pages.len();
    if count == 0 {
        return Err("no diagram in this draw.io file".into());
    }
    let Some(page) = pages.into_iter().nth(index) else {
        return Err(format!(
            "page {} asked for, but the file has {}",
            index + 1,
            crate::text::count(count, "page")
        ));
    };
    let cells = match &page.compressed {
        Some(text) => {
            let inner = decompress(text)?;
            read_pages(&inner)?
                .into_iter()
                .next()
                .map(|p| p.cells)
                .unwrap_or_default()
        }
        None => page.cells,
    };
    let mut scene = scene_of(cells);
    scene.title = page.name.clone();
    if count > 1 {
        let name = if page.name.is_empty() {
            String::new()
        } else {
            format!(": {}", page.name)
        };
        scene.note = Some(format!("page {} of {count}{name}", index + 1));
    }
    Ok(scene)
}

/// `key=value` pairs of a style, and its leading bare name (`text`, `ellipse`, `group`…).
fn style_map(style: &str) -> (String, HashMap<String, String>) {
    let mut base = String::new();
    let mut map = HashMap::new();
    for (i, part) in style.split(';').enumerate() {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match part.split_once('=') {
            Some((k, v)) => {
                map.insert(k.trim().to_owned(), v.trim().to_owned());
            }
            None if i == 0 => base = part.to_owned(),
            None => {
                map.insert(part.to_owned(), "1".to_owned());
            }
        }
    }
    (base, map)
}

/// Plain text from a label that may be HTML (`html=1`).
pub fn plain_label(value: &str, html: bool) -> String {
    if !html {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or("");
        if matches!(name, "br" | "div" | "p" | "li" | "tr")
            && !out.is_empty()
            && !out.ends_with('\n')
        {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(&decode_entities(rest));
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';').filter(|semi| *semi <= 10) {
            Some(semi) => {
                let decoded = entity(&after[..semi]);
                if decoded.is_empty() {
                    out.push('&');
                    rest = after;
                } else {
                    out.push_str(&decoded);
                    rest = &after[semi + 1..];
                }
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace('\u{a0}', " ")
}

fn fill_placeholders(label: &str, cell: &Cell) -> String {
    if cell.placeholders.is_empty() || !label.contains('%') {
        return label.to_owned();
    }
    let mut out = label.to_owned();
    for (k, v) in &cell.placeholders {
        out = out.replace(&format!("%{k}%"), v);
    }
    out
}

fn scene_of(cells: Vec<Cell>) -> Scene {
    let mut scene = Scene::default();
    let by_id: HashMap<&str, &Cell> = cells.iter().map(|c| (c.id.as_str(), c)).collect();
    // A vertex's absolute top-left: its own offset plus its vertex ancestors'.
    let origin = |id: Option<&str>| -> Point {
        let mut at = Point::new(0.0, 0.0);
        let mut cur = id;
        for _ in 0..64 {
            let Some(c) = cur.and_then(|i| by_id.get(i)) else {
                break;
            };
            if !c.vertex {
                break;
            }
            if let Some(g) = c.geometry
                && !c.relative
            {
                at.x += g.x;
                at.y += g.y;
            }
            cur = c.parent.as_deref();
        }
        at
    };
    let mut kept: HashMap<&str, ()> = HashMap::new();
    let mut edge_labels: HashMap<&str, Vec<String>> = HashMap::new();
    for c in &cells {
        // The root and the layers are neither vertices nor edges, and are not drawn.
        if !c.vertex {
            continue;
        }
        let (base, style) = style_map(&c.style);
        let html = style.get("html").is_some_and(|v| v == "1");
        let label = plain_label(&fill_placeholders(&c.value, c), html);
        let parent_is_edge = c
            .parent
            .as_deref()
            .and_then(|p| by_id.get(p))
            .is_some_and(|p| p.edge);
        if base == "edgeLabel" || style.contains_key("edgeLabel") || parent_is_edge {
            if let Some(p) = c.parent.as_deref()
                && !label.is_empty()
            {
                edge_labels.entry(p).or_default().push(label);
            }
            continue;
        }
        let Some(g) = c.geometry else {
            scene.skip("shapes without geometry");
            continue;
        };
        if base == "group" {
            // An invisible box that makes its children move together: they keep it as a group.
            continue;
        }
        let shape_name = style.get("shape").map(String::as_str).unwrap_or("");
        // A labelled picture is an icon standing for a component; a bare one is decoration.
        if (base == "image" || shape_name == "image") && label.trim().is_empty() {
            scene.skip("images");
            continue;
        }
        if base == "line" || shape_name == "line" {
            scene.skip("free lines");
            continue;
        }
        let at = origin(c.parent.as_deref());
        let rotation = style
            .get("rotation")
            .and_then(|r| r.parse::<f32>().ok())
            .unwrap_or(0.0)
            .to_radians();
        let rect = rotated_bounds(Rect::new(at.x + g.x, at.y + g.y, g.w, g.h), rotation);
        let frame = base == "swimlane"
            || style.contains_key("swimlane")
            || style.get("container").is_some_and(|v| v == "1")
            || shape_name.contains("group")
            || style
                .get(KIND_KEY)
                .is_some_and(|k| k == crate::model::FRAME_KIND);
        let text = base == "text"
            || style
                .get(KIND_KEY)
                .is_some_and(|k| k == crate::model::TEXT_KIND);
        let role = if frame {
            Role::Frame
        } else if text {
            if label.trim().is_empty() {
                continue;
            }
            Role::Text
        } else {
            Role::Block
        };
        let mut shape = Shape::new(c.id.clone(), rect, label, role);
        shape.style = c.style.clone();
        shape.kind = style.get(KIND_KEY).cloned();
        shape.label_at = label_at(&style);
        shape.group = c
            .parent
            .as_deref()
            .filter(|p| {
                by_id
                    .get(p)
                    .is_some_and(|pc| style_map(&pc.style).0 == "group")
            })
            .map(str::to_owned);
        kept.insert(c.id.as_str(), ());
        scene.shapes.push(shape);
    }
    for c in &cells {
        if !c.edge {
            continue;
        }
        let (_, style) = style_map(&c.style);
        let at = origin(c.parent.as_deref());
        let end = |id: &Option<String>, point: Option<Point>| -> End {
            if let Some(id) = id
                && kept.contains_key(id.as_str())
            {
                return End::Shape(id.clone());
            }
            match point {
                Some(p) => End::Point(Point::new(at.x + p.x, at.y + p.y)),
                None if id.is_some() => {
                    // Bound to something that is not a block (a group): its middle, so it can
                    // still touch what lies there.
                    let target = id.as_deref().and_then(|i| by_id.get(i));
                    match target.and_then(|t| t.geometry) {
                        Some(g) => {
                            let o = origin(target.and_then(|t| t.parent.as_deref()));
                            End::Point(Point::new(o.x + g.x + g.w / 2.0, o.y + g.y + g.h / 2.0))
                        }
                        None => End::Missing,
                    }
                }
                None => End::Missing,
            }
        };
        let mut edge = Edge::new(
            end(&c.source, c.source_point),
            end(&c.target, c.target_point),
        );
        let html = style.get("html").is_some_and(|v| v == "1");
        let mut label = plain_label(&fill_placeholders(&c.value, c), html);
        if let Some(extra) = edge_labels.remove(c.id.as_str()) {
            for l in extra {
                if !label.is_empty() {
                    label.push('\n');
                }
                label.push_str(&l);
            }
        }
        edge.label = label;
        edge.dashed = style.get("dashed").is_some_and(|v| v == "1");
        let head = |k: &str, default: bool| match style.get(k).map(String::as_str) {
            Some("none") | Some("") => false,
            Some(_) => true,
            None => default,
        };
        let (direction, swap) =
            super::scene::heads(head("startArrow", false), head("endArrow", true));
        edge.direction = direction;
        if swap {
            std::mem::swap(&mut edge.from, &mut edge.to);
        }
        edge.elbow = style.get("edgeStyle").is_some_and(|s| {
            s.contains("orthogonal") || s.contains("elbow") || s.contains("entityRelation")
        });
        scene.edges.push(edge);
    }
    scene
}

/// Escapes text for an XML attribute.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#xa;"),
            c => out.push(c),
        }
    }
    out
}

/// Where draw.io shows a vertex's label: icons put it under themselves with
/// `verticalLabelPosition=bottom`, beside with `labelPosition=left|right`.
fn label_at(style: &HashMap<String, String>) -> LabelAt {
    match (
        style.get("verticalLabelPosition").map(String::as_str),
        style.get("labelPosition").map(String::as_str),
    ) {
        (Some("bottom"), _) => LabelAt::Below,
        (Some("top"), _) => LabelAt::Above,
        (_, Some("left")) => LabelAt::Left,
        (_, Some("right")) => LabelAt::Right,
        _ => LabelAt::Inside,
    }
}

/// The style keys that put a label where `at` says, as draw.io reads them.
fn label_style(at: LabelAt) -> &'static str {
    match at {
        LabelAt::Inside => "",
        LabelAt::Below => "verticalLabelPosition=bottom;verticalAlign=top;",
        LabelAt::Above => "verticalLabelPosition=top;verticalAlign=bottom;",
        LabelAt::Left => "labelPosition=left;align=right;",
        LabelAt::Right => "labelPosition=right;align=left;",
    }
}

/// The draw.io style for a block of `kind`.
fn style_for(kind: &str, palette: &Palette) -> String {
    let k = palette.kind_or_fallback(kind);
    let look = match kind {
        crate::model::FRAME_KIND => {
            "swimlane;startSize=24;fillColor=none;container=1;collapsible=0;"
        }
        crate::model::TEXT_KIND => "text;align=left;verticalAlign=top;whiteSpace=wrap;",
        _ => match k.shape {
            Outline::Cylinder => {
                "shape=cylinder3;boundedLbl=1;size=12;whiteSpace=wrap;fillColor=#fff2cc;strokeColor=#d6b656;"
            }
            Outline::Queue => {
                "shape=process;whiteSpace=wrap;fillColor=#e1d5e7;strokeColor=#9673a6;"
            }
            Outline::Hexagon => {
                "shape=hexagon;perimeter=hexagonPerimeter2;whiteSpace=wrap;fillColor=#dae8fc;strokeColor=#6c8ebf;"
            }
            Outline::Cloud => "ellipse;shape=cloud;whiteSpace=wrap;fillColor=#f5f5f5;",
            Outline::Bucket => "shape=trapezoid;flipV=1;whiteSpace=wrap;fillColor=#fff2cc;",
            _ => "rounded=1;whiteSpace=wrap;fillColor=#d5e8d4;strokeColor=#82b366;",
        },
    };
    format!("{look}html=1;{KIND_KEY}={kind};")
}

/// Writes `board` as an uncompressed draw.io file: vertices, edges bound by `source`/`target`,
/// frames as containers holding the blocks inside them.
pub fn write(board: &Board, palette: &Palette) -> String {
    let mut out = String::new();
    let title = if board.title.is_empty() {
        "archboard"
    } else {
        &board.title
    };
    out.push_str("<mxfile host=\"archboard\" version=\"1\">\n");
    out.push_str(&format!(
        "  <diagram id=\"archboard\" name=\"{}\">\n    <mxGraphModel grid=\"1\" gridSize=\"10\" page=\"0\">\n      <root>\n        <mxCell id=\"0\"/>\n        <mxCell id=\"1\" parent=\"0\"/>\n",
        esc(title)
    ));
    // Containers before their children, as draw.io expects: frames by size, largest first.
    let mut order: Vec<&crate::model::Block> = board.blocks_in_paint_order();
    order.sort_by(|a, b| {
        let key = |x: &crate::model::Block| (!x.is_frame(), -(x.rect.w * x.rect.h) as i64);
        key(a).cmp(&key(b))
    });
    for b in order {
        let (parent, px, py) = match super::scene::innermost_frame(board, b) {
            Some(f) => (format!("b{}", f.id.0), f.rect.x, f.rect.y),
            None => ("1".to_owned(), 0.0, 0.0),
        };
        if b.is_ink() {
            // draw.io has no freehand element a file can carry; an image of the stroke keeps
            // it where it was, the size it was.
            out.push_str(&format!(
                "        <mxCell id=\"b{}\" value=\"\" style=\"shape=image;imageAspect=0;aspect=fixed;image={};\" vertex=\"1\" parent=\"{parent}\">\n          <mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\"/>\n        </mxCell>\n",
                b.id.0,
                ink_image(b),
                b.rect.x - px,
                b.rect.y - py,
                b.rect.w,
                b.rect.h
            ));
            continue;
        }
        out.push_str(&format!(
            "        <mxCell id=\"b{}\" value=\"{}\" style=\"{}\" vertex=\"1\" parent=\"{parent}\">\n          <mxGeometry x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" as=\"geometry\"/>\n        </mxCell>\n",
            b.id.0,
            esc(&b.stacked_text(&board.estimate)),
            esc(&format!(
                "{}{}",
                style_for(&b.kind, palette),
                label_style(b.label_at)
            )),
            b.rect.x - px,
            b.rect.y - py,
            b.rect.w,
            b.rect.h
        ));
    }
    for l in board.links.values() {
        let mut style = String::from("html=1;rounded=1;");
        match l.direction {
            Direction::Forward => style.push_str("endArrow=classic;startArrow=none;"),
            Direction::Both => style.push_str("endArrow=classic;startArrow=classic;"),
            Direction::None => style.push_str("endArrow=none;startArrow=none;"),
        }
        if l.style == LinkStyle::Async {
            style.push_str("dashed=1;");
        }
        if l.route == Route::Elbow {
            style.push_str("edgeStyle=orthogonalEdgeStyle;");
        }
        out.push_str(&format!(
            "        <mxCell id=\"l{}\" value=\"{}\" style=\"{}\" edge=\"1\" parent=\"1\" source=\"b{}\" target=\"b{}\">\n          <mxGeometry relative=\"1\" as=\"geometry\"/>\n        </mxCell>\n",
            l.id.0,
            esc(&l.label),
            esc(&style),
            l.from.block.0,
            l.to.block.0
        ));
    }
    out.push_str("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n");
    out
}

/// A stroke as an SVG picture in a data address, the way draw.io embeds images in its style.
fn ink_image(b: &crate::model::Block) -> String {
    use base64::Engine;
    let r = b.rect;
    let place = crate::model::ink::Placement::new(&b.ink, &r);
    let pts: Vec<String> = b
        .ink
        .iter()
        .map(|p| {
            let w = place.world(*p);
            format!("{:.1},{:.1}", w.x - r.x, w.y - r.y)
        })
        .collect();
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0}\" height=\"{:.0}\"><polyline points=\"{}\" fill=\"none\" stroke=\"#1e1e1e\" stroke-width=\"{}\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>",
        r.w,
        r.h,
        pts.join(" "),
        crate::model::ink::PEN * 0.75
    )
    .replace(
        "#1e1e1e",
        &b.ink_color
            .map_or("#1e1e1e".to_owned(), crate::model::ink::color_text),
    );
    format!(
        "data:image/svg+xml,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_icon_s_label_under_it_stays_under_it_and_free_text_is_never_cut() {
        let xml = r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>
            <mxCell id="s3" value="Shortened URLs" style="shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.s3;verticalLabelPosition=bottom;verticalAlign=top;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="48" height="48" as="geometry"/></mxCell>
            <mxCell id="t" value="1. Get Presigned URL from the API" style="text;whiteSpace=wrap;" vertex="1" parent="1"><mxGeometry x="100" y="0" width="60" height="20" as="geometry"/></mxCell>
            </root></mxGraphModel>"#;
        let scene = parse(xml, 0).expect("parses");
        let icon = scene.shapes.iter().find(|s| s.key == "s3").expect("icon");
        assert_eq!(icon.label_at, LabelAt::Below);
        let (board, _) =
            super::super::scene::build(scene, &crate::palette::Palette::bundled()).expect("builds");
        let note = board
            .blocks
            .values()
            .find(|b| b.is_text())
            .expect("the note");
        // Wide enough for its words at archboard's size: it reads on one line, not "1. Get Pre-".
        assert!(note.rect.w >= 33.0 * 14.0 * 0.6, "{:?}", note.rect);
        let icon = board.blocks.values().find(|b| !b.is_text()).expect("icon");
        assert_eq!(icon.label_at, LabelAt::Below);
        assert_eq!(icon.kind, "object_storage");
    }

    #[test]
    fn html_labels_become_plain_lines() {
        assert_eq!(
            plain_label("<b>Orders</b><br>Postgres&nbsp;15 &amp; replicas", true),
            "Orders\nPostgres 15 & replicas"
        );
        assert_eq!(plain_label("<div>a</div><div>b</div>", true), "a\nb");
        assert_eq!(plain_label("a < b", false), "a < b");
    }

    #[test]
    fn compressed_pages_children_and_floating_edges() {
        let model = r#"<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>
            <mxCell id="vpc" value="VPC" style="swimlane;" vertex="1" parent="1"><mxGeometry x="100" y="100" width="400" height="300" as="geometry"/></mxCell>
            <mxCell id="db" value="&lt;b&gt;orders&lt;/b&gt;" style="shape=cylinder3;html=1;" vertex="1" parent="vpc"><mxGeometry x="20" y="40" width="60" height="80" as="geometry"/></mxCell>
            <mxCell id="app" value="app" style="rounded=1;" vertex="1" parent="1"><mxGeometry x="600" y="140" width="100" height="60" as="geometry"/></mxCell>
            <mxCell id="e1" value="" style="dashed=1;endArrow=classic;" edge="1" parent="1" source="app"><mxGeometry relative="1" as="geometry"><mxPoint x="182" y="180" as="targetPoint"/></mxGeometry></mxCell>
            <mxCell id="lbl" value="writes" style="edgeLabel;html=1;" vertex="1" connectable="0" parent="e1"><mxGeometry x="-0.2" relative="1" as="geometry"/></mxCell>
            </root></mxGraphModel>"#;
        let packed = carriers::base64_encode(&carriers::deflate_raw(
            carriers::url_encode(model).as_bytes(),
        ));
        let file = format!(
            "<mxfile><diagram name=\"Empty\"><mxGraphModel><root><mxCell id=\"0\"/></root></mxGraphModel></diagram><diagram name=\"Net\">{packed}</diagram></mxfile>"
        );
        assert_eq!(page_names(&file).expect("pages"), ["Empty", "Net"]);
        let scene = parse(&file, 1).expect("page 2");
        assert_eq!(scene.note.as_deref(), Some("page 2 of 2: Net"));
        let db = scene.shapes.iter().find(|s| s.key == "db").expect("db");
        assert_eq!(
            (db.rect.x, db.rect.y),
            (120.0, 140.0),
            "relative to its container"
        );
        assert_eq!(db.label, "orders");
        let vpc = scene.shapes.iter().find(|s| s.key == "vpc").expect("vpc");
        assert_eq!(vpc.role, Role::Frame);
        let (board, summary) =
            super::super::scene::build(scene, &Palette::bundled()).expect("board");
        assert_eq!(summary.links, 1);
        assert_eq!(summary.snapped, 1, "the floating end touches the database");
        let link = board.links.values().next().expect("link");
        assert_eq!(link.label, "writes");
        assert_eq!(link.style, LinkStyle::Async);
        assert_eq!(
            board.block(link.to.block).map(|b| b.kind.as_str()),
            Some("database")
        );
        assert!(parse(&file, 5).is_err());
    }
}
