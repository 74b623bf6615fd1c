//! Mermaid `erDiagram` charts: entities with their attributes become entity blocks with
//! fields, relationships become links with crow's feet, laid out in layers like a flowchart.
//!
//! What Mermaid accepts is read: quoted names (`"ActiveStorage::Blob"`), aliases
//! (`p[Person]`), attributes as `type name PK, FK "comment"`, relationships in marks
//! (`||--o{`, `}o..o|`) or in words (`only one to zero or more`), `direction`. Charts seen in
//! the wild that Mermaid itself would refuse are read too where the meaning is plain:
//! attributes written inline and comma-separated (`Users { INT id PK, TEXT name }`), and a
//! `.mmd` file still wrapped in its Markdown fence.

use super::super::layered::{self, Flow};
use super::super::scene::{Edge, End, Role, Scene, Shape};
use crate::model::entity::{ENTITY_KIND, Field, Keys, MAX_FIELD_CHARS, WIDTH, height_for};
use crate::model::{Card, Direction, Rect};
use std::collections::HashMap;

/// Most statements one chart may hold.
const MAX_STATEMENTS: usize = 100_000;

/// Whether `chart` is an `erDiagram` (its first line that is not front matter or a comment).
pub fn is_er(chart: &str) -> bool {
    first_word(chart).is_some_and(|w| w == "erDiagram")
}

fn first_word(chart: &str) -> Option<&str> {
    super::first_statement(chart).and_then(|(_, t)| t.split_whitespace().next())
}

#[derive(Default)]
struct Entity {
    label: Option<String>,
    fields: Vec<Field>,
}

struct Relation {
    from: String,
    to: String,
    cards: (Card, Card),
    label: String,
}

#[derive(Default)]
struct Chart {
    order: Vec<String>,
    entities: HashMap<String, Entity>,
    relations: Vec<Relation>,
    flow: Flow,
}

impl Chart {
    fn entity(&mut self, name: &str) -> &mut Entity {
        if !self.entities.contains_key(name) {
            self.order.push(name.to_owned());
        }
        self.entities.entry(name.to_owned()).or_default()
    }
}

/// Reads an `erDiagram` chart.
pub fn parse(chart: &str) -> Result<Scene, String> {
    let mut c = Chart::default();
    let mut lines = chart.lines().skip_while(|l| {
        let t = l.trim();
        t != "erDiagram" && !t.starts_with("erDiagram ")
    });
    let head = lines.next().ok_or("not an erDiagram")?;
    // `erDiagram` may be followed by a first statement on its own line.
    let rest_of_head = head
        .trim()
        .trim_start_matches("erDiagram")
        .trim()
        .to_owned();
    let mut body: Vec<String> = Vec::new();
    if !rest_of_head.is_empty() {
        body.push(rest_of_head);
    }
    body.extend(lines.map(str::to_owned));
    let mut open: Option<String> = None;
    for (n, raw) in body.iter().enumerate() {
        if n >= MAX_STATEMENTS {
            return Err(format!("more than {MAX_STATEMENTS} statements"));
        }
        let line = strip_comment(raw).trim().trim_end_matches(';').trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = open.clone() {
            // Inside an entity's braces: attributes until `}`.
            let (inside, closed) = match line.find('}') {
                Some(i) if !in_quotes(line, i) => (&line[..i], true),
                _ => (line, false),
            };
            attributes(inside, &mut c.entity(&name).fields);
            if closed {
                open = None;
            }
            continue;
        }
        let word = line.split_whitespace().next().unwrap_or("");
        match word {
            "direction" => {
                c.flow = match line.split_whitespace().nth(1) {
                    Some("LR") => Flow::Right,
                    Some("RL") => Flow::Left,
                    Some("BT") => Flow::Up,
                    _ => Flow::Down,
                };
                continue;
            }
            "title" | "accTitle" | "accTitle:" | "accDescr" | "accDescr:" | "style"
            | "classDef" | "class" => continue,
            _ => {}
        }
        // A relationship's marks hold braces too (`||--o{`), so it is tried first.
        if let Some(rel) = relation(line) {
            c.entity(&rel.from);
            c.entity(&rel.to);
            c.relations.push(rel);
            continue;
        }
        if let Some(brace) = line.find('{').filter(|i| !in_quotes(line, *i)) {
            let (name, label) = entity_name(&line[..brace]);
            if name.is_empty() {
                continue;
            }
            let e = c.entity(&name);
            if label.is_some() {
                e.label = label;
            }
            let after = &line[brace + 1..];
            match after.find('}') {
                // `Users { INT id PK, TEXT name }`: all on one line.
                Some(end) => attributes(&after[..end], &mut c.entity(&name).fields),
                None => {
                    attributes(after, &mut c.entity(&name).fields);
                    open = Some(name);
                }
            }
            continue;
        }
        // A bare entity name declares it.
        let (name, label) = entity_name(line);
        if !name.is_empty() && !name.contains(char::is_whitespace) {
            let e = c.entity(&name);
            if label.is_some() {
                e.label = label;
            }
        }
    }
    Ok(scene_of(c))
}

/// The line without a trailing `%%` comment (outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    for (i, ch) in line.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '%' if !quoted && line[i..].starts_with("%%") => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Whether byte `at` of `line` is inside double quotes.
fn in_quotes(line: &str, at: usize) -> bool {
    line[..at].matches('"').count() % 2 == 1
}

/// `"Quoted Name"`, `name`, or `name[Alias]` / `name["Alias"]`: the name and the label.
fn entity_name(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    if let Some(open) = t.find('[').filter(|_| t.ends_with(']')) {
        let name = unquote(&t[..open]);
        let alias = unquote(&t[open + 1..t.len() - 1]);
        return (name, (!alias.is_empty()).then_some(alias));
    }
    (unquote(t), None)
}

fn unquote(t: &str) -> String {
    let t = t.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(t);
    t.chars()
        .filter(|c| !c.is_control())
        .take(MAX_FIELD_CHARS)
        .collect()
}

/// Reads attributes from `text`: one per line, or several separated by commas on one line.
/// A piece that is only key marks (`FK` of `PK, FK`) belongs to the attribute before it.
fn attributes(text: &str, fields: &mut Vec<Field>) {
    for piece in split_outside_quotes(text, ',') {
        let piece = piece.trim();
        if piece.is_empty() {
            continue;
        }
        // The comment goes, but for the keys Mermaid has no marks for (archboard writes
        // them there); what is left is `type name [keys…]`.
        let (bare, comment) = match piece.find('"') {
            Some(q) => (piece[..q].trim(), piece[q..].to_ascii_lowercase()),
            None => (piece, String::new()),
        };
        let words: Vec<&str> = bare.split_whitespace().collect();
        let (keys, rest) = Keys::parse(bare);
        if rest.is_empty() {
            // `FK` after `PK, `: more marks for the last attribute.
            if let Some(last) = fields.last_mut() {
                last.keys.add(keys);
            }
            continue;
        }
        let (ty, name) = match words.as_slice() {
            [only] => (String::new(), (*only).to_owned()),
            [ty, name, ..] => ((*ty).to_owned(), (*name).to_owned()),
            [] => continue,
        };
        // Marks come after the name; a type or name that happens to read as a mark stays.
        let (mut marks, _) = Keys::parse(&words[words.len().min(2)..].join(" "));
        marks.partition |= comment.contains("partition key");
        marks.sort |= comment.contains("sort key");
        marks.index |= comment.contains("indexed");
        let clip = |s: String| -> String { s.chars().take(MAX_FIELD_CHARS).collect() };
        fields.push(Field {
            name: clip(name),
            ty: clip(ty),
            keys: marks,
        });
    }
}

fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        if ch == '"' {
            quoted = !quoted;
        } else if ch == sep && !quoted {
            out.push(&text[start..i]);
            start = i + ch.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// `A ||--o{ B : label`, `A }o..o| "B" : "label"`, `A only one to zero or more B : label`.
fn relation(line: &str) -> Option<Relation> {
    let (left, label) = match split_outside_quotes(line, ':').as_slice() {
        [left, rest @ ..] if !rest.is_empty() => (left.to_string(), unquote(&rest.join(":"))),
        _ => (line.to_owned(), String::new()),
    };
    let tokens = tokens(&left);
    if tokens.len() < 3 {
        return None;
    }
    let from = unquote(&tokens[0]);
    let to = unquote(tokens.last()?);
    let middle = tokens[1..tokens.len() - 1].join(" ");
    let cards = marks(&middle).or_else(|| words(&middle))?;
    (!from.is_empty() && !to.is_empty()).then_some(Relation {
        from,
        to,
        cards,
        label,
    })
}

/// Words and quoted strings.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in text.chars() {
        match ch {
            '"' => {
                cur.push(ch);
                quoted = !quoted;
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `||--o{` or `|o..}|`.
fn marks(op: &str) -> Option<(Card, Card)> {
    let op = op.trim();
    if op.len() != 6 || !op.is_ascii() {
        return None;
    }
    let (l, mid, r) = (&op[..2], &op[2..4], &op[4..]);
    if mid != "--" && mid != ".." {
        return None;
    }
    Some((Card::from_marks(l)?, Card::from_marks(r)?))
}

/// `only one to zero or more`, `one or many optionally to 1+`.
fn words(middle: &str) -> Option<(Card, Card)> {
    let m = middle.to_ascii_lowercase();
    let (l, r) = m
        .split_once(" optionally to ")
        .or_else(|| m.split_once(" to "))?;
    Some((card_words(l.trim())?, card_words(r.trim())?))
}

fn card_words(w: &str) -> Option<Card> {
    Some(match w {
        "one or zero" | "zero or one" => Card::ZeroOrOne,
        "one or more" | "one or many" | "many(1)" | "1+" => Card::OneOrMany,
        "zero or more" | "zero or many" | "many(0)" | "0+" => Card::ZeroOrMany,
        "only one" | "1" => Card::ExactlyOne,
        _ => return None,
    })
}

/// Wide enough for the longest name, type and marks side by side (about 7 points a
/// character at the board's text size), within reason.
fn width_for(name: &str, fields: &[Field]) -> f32 {
    let longest = |f: fn(&Field) -> usize| fields.iter().map(f).max().unwrap_or(0);
    let names = longest(|f| f.name.chars().count());
    let types = longest(|f| f.ty.chars().count());
    let marks = longest(|f| f.keys.marks().len());
    let chars = (names + types + marks) as f32 * 7.2 + 56.0;
    let title = name.chars().count() as f32 * 8.5 + 24.0;
    chars.max(title).clamp(WIDTH, 520.0)
}

/// Whether every block of `board` (frames and notes aside) is an entity, and there is one.
pub fn only_entities(board: &crate::model::Board) -> bool {
    let mut blocks = board
        .blocks
        .values()
        .filter(|b| !b.is_frame() && !b.is_text() && !b.is_ink())
        .peekable();
    blocks.peek().is_some() && blocks.all(|b| b.kind == ENTITY_KIND)
}

/// Writes `board`'s entities and the relationships between them as an `erDiagram`.
pub fn write(board: &crate::model::Board) -> String {
    use std::fmt::Write;
    let mut out = String::from("erDiagram\n");
    let mut names: HashMap<crate::model::BlockId, String> = HashMap::new();
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut entities: Vec<&crate::model::Block> = board
        .blocks
        .values()
        .filter(|b| b.kind == ENTITY_KIND)
        .collect();
    entities.sort_by(|a, b| {
        (a.rect.y, a.rect.x)
            .partial_cmp(&(b.rect.y, b.rect.x))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    for b in &entities {
        // Names must be unique and quoted when they hold more than word characters.
        let base = b
            .label
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .replace('"', "'");
        let base = if base.is_empty() {
            format!("entity_{}", b.id.0)
        } else {
            base
        };
        let mut name = base.clone();
        let mut n = 2;
        while !used.insert(name.clone()) {
            name = format!("{base} {n}");
            n += 1;
        }
        let written = if name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            name
        } else {
            format!("\"{name}\"")
        };
        names.insert(b.id, written.clone());
        let _ = writeln!(out, "    {written} {{");
        for f in &b.fields {
            let word = |s: &str, empty: &str| {
                let w: String = s
                    .chars()
                    .map(|c| {
                        if c.is_whitespace() || c == '"' {
                            '_'
                        } else {
                            c
                        }
                    })
                    .collect();
                if w.is_empty() { empty.to_owned() } else { w }
            };
            let mut line = format!("        {} {}", word(&f.ty, "any"), word(&f.name, "field"));
            let k = f.keys;
            let mermaid: Vec<&str> = [("PK", k.pk), ("FK", k.fk), ("UK", k.uk)]
                .into_iter()
                .filter_map(|(m, on)| on.then_some(m))
                .collect();
            if !mermaid.is_empty() {
                line.push(' ');
                line.push_str(&mermaid.join(", "));
            }
            // Mermaid has no marks for these; its comment keeps them.
            let more: Vec<&str> = [
                ("partition key", k.partition),
                ("sort key", k.sort),
                ("indexed", k.index),
            ]
            .into_iter()
            .filter_map(|(m, on)| on.then_some(m))
            .collect();
            if !more.is_empty() {
                let _ = write!(line, " \"{}\"", more.join(", "));
            }
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "    }}");
    }
    for l in board.links.values() {
        let (Some(a), Some(b)) = (names.get(&l.from.block), names.get(&l.to.block)) else {
            continue;
        };
        let op = match l.cardinality {
            Some(c) => crate::model::link::cardinality_key(c),
            // Nothing said about how many: a non-identifying many-to-many.
            None => "}o..o{".to_owned(),
        };
        let label = l.label.replace('"', "'").replace('\n', " ");
        let _ = writeln!(out, "    {a} {op} {b} : \"{label}\"");
    }
    out
}

fn scene_of(c: Chart) -> Scene {
    let Chart {
        order,
        mut entities,
        relations,
        flow,
    } = c;
    let index: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let sizes: Vec<(f32, f32)> = order
        .iter()
        .map(|n| {
            let fields = entities.get(n).map_or(&[][..], |e| e.fields.as_slice());
            (width_for(n, fields), height_for(fields.len()))
        })
        .collect();
    let edges: Vec<(usize, usize)> = relations
        .iter()
        .filter_map(|r| Some((*index.get(r.from.as_str())?, *index.get(r.to.as_str())?)))
        .collect();
    let positions = layered::layout(&sizes, &edges, flow);
    let mut scene = Scene::default();
    for (i, name) in order.iter().enumerate() {
        let e = entities.remove(name).unwrap_or_default();
        let (w, h) = sizes[i];
        let at = positions[i];
        let rect = Rect::new(at.x - w / 2.0, at.y - h / 2.0, w, h);
        let label = e.label.unwrap_or_else(|| name.clone());
        let mut shape = Shape::new(format!("e:{name}"), rect, label, Role::Block);
        shape.kind = Some(ENTITY_KIND.to_owned());
        shape.fields = e.fields;
        scene.shapes.push(shape);
    }
    for r in relations {
        let mut edge = Edge::new(
            End::Shape(format!("e:{}", r.from)),
            End::Shape(format!("e:{}", r.to)),
        );
        edge.label = r.label;
        edge.direction = Direction::None;
        edge.cardinality = Some(r.cards);
        scene.edges.push(edge);
    }
    scene
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity<'a>(scene: &'a Scene, name: &str) -> &'a Shape {
        scene
            .shapes
            .iter()
            .find(|s| s.label == name)
            .unwrap_or_else(|| panic!("no entity {name}"))
    }

    #[test]
    fn entities_attributes_keys_and_relationships() {
        let chart = "erDiagram\n  CUSTOMER ||--o{ ORDER : places\n  CUSTOMER {\n    string name\n    string custNumber PK \"the number\"\n  }\n  ORDER {\n    int orderNumber PK\n    string customer FK\n    string(99) note\n  }\n  ORDER }|..|{ LINE-ITEM : contains\n  p[Person] {\n    string id PK, FK\n  }\n  MANUFACTURER only one to zero or more CAR : makes %% words\n";
        assert!(is_er(chart));
        let scene = parse(chart).expect("parses");
        assert_eq!(
            scene.shapes.len(),
            6,
            "{:?}",
            scene.shapes.iter().map(|s| &s.label).collect::<Vec<_>>()
        );
        let customer = entity(&scene, "CUSTOMER");
        assert_eq!(customer.kind.as_deref(), Some(ENTITY_KIND));
        assert_eq!(customer.fields.len(), 2);
        assert!(customer.fields[1].keys.pk && customer.fields[1].name == "custNumber");
        let order = entity(&scene, "ORDER");
        assert_eq!(order.fields[2].ty, "string(99)");
        assert!(order.fields[1].keys.fk);
        let person = entity(&scene, "Person");
        assert!(person.fields[0].keys.pk && person.fields[0].keys.fk);
        assert_eq!(scene.edges.len(), 3);
        assert_eq!(
            scene.edges[0].cardinality,
            Some((Card::ExactlyOne, Card::ZeroOrMany))
        );
        assert_eq!(scene.edges[0].label, "places");
        assert_eq!(
            scene.edges[1].cardinality,
            Some((Card::OneOrMany, Card::OneOrMany))
        );
        assert_eq!(
            scene.edges[2].cardinality,
            Some((Card::ExactlyOne, Card::ZeroOrMany))
        );
        // Laid out apart from each other.
        let rects: Vec<Rect> = scene.shapes.iter().map(|s| s.rect).collect();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.intersects(b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn inline_attributes_and_quoted_names() {
        let chart = "erDiagram\n  Visits { INT visit_ID PK, INT patient_ID FK, DATE visit_date }\n  \"Active::Blob\" {\n\tinteger byte_size\n  }\n  \"Active::Blob\" }o--|| Visits : \"FOREIGN KEY (a) REFERENCES b (c)\"\n";
        let scene = parse(chart).expect("parses");
        let visits = entity(&scene, "Visits");
        let names: Vec<&str> = visits.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["visit_ID", "patient_ID", "visit_date"]);
        assert!(visits.fields[0].keys.pk && visits.fields[1].keys.fk);
        assert_eq!(entity(&scene, "Active::Blob").fields.len(), 1);
        assert_eq!(scene.edges[0].label, "FOREIGN KEY (a) REFERENCES b (c)");
    }

    #[test]
    fn entities_write_as_an_er_diagram_and_read_back_the_same() {
        let chart = "erDiagram\n  USER ||--o{ \"Order Line\" : places\n  USER {\n    uuid id PK\n    text email UK\n  }\n  \"Order Line\" {\n    uuid user_id FK\n  }\n";
        let palette = crate::palette::Palette::bundled();
        let imported = crate::interchange::scene::build(parse(chart).expect("parses"), &palette)
            .expect("builds")
            .0;
        assert!(only_entities(&imported));
        let mut with_partition = imported.clone();
        let user = with_partition
            .blocks
            .values()
            .find(|b| b.label == "USER")
            .map(|b| b.id)
            .expect("USER");
        if let Some(b) = with_partition.blocks.get_mut(&user) {
            b.fields[0].keys.partition = true;
        }
        let text = write(&with_partition);
        assert!(text.starts_with("erDiagram\n"), "{text}");
        assert!(text.contains("uuid id PK \"partition key\""), "{text}");
        assert!(
            text.contains("USER ||--o{ \"Order Line\" : \"places\""),
            "{text}"
        );
        let again = crate::interchange::scene::build(parse(&text).expect("reads back"), &palette)
            .expect("builds")
            .0;
        let fields = |b: &crate::model::Board| {
            let mut v: Vec<(String, Vec<String>)> = b
                .blocks
                .values()
                .map(|e| (e.label.clone(), e.fields.iter().map(|f| f.line()).collect()))
                .collect();
            v.sort();
            v
        };
        assert_eq!(fields(&again), fields(&with_partition));
        let cards = |b: &crate::model::Board| {
            b.links
                .values()
                .map(|l| (l.cardinality, l.label.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(cards(&again), cards(&imported));
    }

    #[test]
    fn hostile_text_never_panics() {
        for bad in [
            "erDiagram\n  A {",
            "erDiagram\n  A }",
            "erDiagram\n  \"",
            "erDiagram\n  A ||--o{",
            "erDiagram\n  A ||--o{ B : \"",
            "erDiagram\n  [] {\n}",
            "erDiagram\n  A[ {\n a b c d e f g\n}",
            "erDiagram ||--||",
        ] {
            let _ = parse(bad);
        }
    }
}
