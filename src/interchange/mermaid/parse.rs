//! Reading Mermaid flowcharts into a scene.

use crate::interchange::carriers;
use crate::interchange::layered::{self, Flow};
use crate::interchange::scene::{Edge, End, Role, Scene, Shape};
use crate::model::{Direction, Rect};
use std::collections::{BTreeMap, HashMap};

/// Most statements read: far past any hand-written chart.
const MAX_STATEMENTS: usize = 200_000;

#[derive(Clone, Debug, Default)]
struct Node {
    label: Option<String>,
    /// The bracket's shape ("cylinder", "circle"…), read by the kind guess.
    shape: &'static str,
    class: Option<String>,
    /// The innermost subgraph that lists it.
    parent: Option<usize>,
}

#[derive(Clone, Debug)]
struct Subgraph {
    id: String,
    title: String,
    parent: Option<usize>,
}

#[derive(Clone, Debug)]
struct Link {
    from: String,
    to: String,
    label: String,
    dashed: bool,
    direction: Direction,
}

#[derive(Default)]
struct Chart {
    flow: Flow,
    order: Vec<String>,
    nodes: HashMap<String, Node>,
    subgraphs: Vec<Subgraph>,
    links: Vec<Link>,
    skipped: BTreeMap<&'static str, usize>,
    /// The node ids each subgraph's statements mention, to hand out when it closes.
    mentions: HashMap<usize, Vec<String>>,
}

impl Chart {
    /// Closes subgraph `s`: the nodes it mentions that no subgraph closed earlier holds are
    /// its members. Inner subgraphs close first, so they keep their nodes, as in Mermaid.
    fn close(&mut self, s: usize) {
        for id in self.mentions.remove(&s).unwrap_or_default() {
            if let Some(n) = self.nodes.get_mut(&id)
                && n.parent.is_none()
            {
                n.parent = Some(s);
            }
        }
    }
}

/// The flowcharts in `text`: each mermaid fence or shortcode of a Markdown file, each
/// mermaid.live link, or the whole text when it is a chart itself.
pub fn charts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let t = line.trim();
        let fence = t.starts_with("```mermaid") || t.starts_with("~~~mermaid");
        let shortcode = t.starts_with("{{<mermaid") || t.starts_with("{{< mermaid");
        if fence || shortcode {
            let mut body = String::new();
            for inner in lines.by_ref() {
                let it = inner.trim();
                let done = if fence {
                    it.starts_with("```") || it.starts_with("~~~")
                } else {
                    it.starts_with("{{</mermaid") || it.starts_with("{{< /mermaid")
                };
                if done {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            out.push(body);
        }
    }
    for (i, _) in text.match_indices("pako:") {
        let code: String = text[i + 5..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '/' | '='))
            .collect();
        if let Some(chart) = from_pako(&code) {
            out.push(chart);
        }
    }
    if out.is_empty() {
        out.push(text.to_owned());
    }
    out
}

/// The chart inside a mermaid.live `#pako:` link: base64url of zlib of `{"code": …}`.
fn from_pako(code: &str) -> Option<String> {
    let packed = carriers::base64_decode(code).ok()?;
    let json = carriers::inflate_zlib(&packed).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&json).ok()?;
    value.get("code")?.as_str().map(str::to_owned)
}

/// Whether `text` is (or holds) a Mermaid flowchart.
pub fn looks_like(text: &str) -> bool {
    charts(text)
        .iter()
        .any(|c| header(c).is_ok() || super::er::is_er(c))
}

/// The chart's direction, from its header line, or why it is not a flowchart.
fn header(chart: &str) -> Result<(Flow, usize), String> {
    let (n, t) = super::first_statement(chart).ok_or("no Mermaid chart in this text")?;
    let mut words = t.split(|c: char| c.is_whitespace() || c == ';');
    let first = words.next().unwrap_or("");
    if !matches!(first, "graph" | "flowchart" | "flowchart-elk") {
        let what: String = first.chars().take(40).collect();
        return Err(format!(
            "not a Mermaid flowchart: it starts with `{what}` (`flowchart`, `graph` and `erDiagram` charts import)"
        ));
    }
    let flow = match words.find(|w| !w.is_empty()).unwrap_or("TB") {
        "LR" => Flow::Right,
        "RL" => Flow::Left,
        "BT" => Flow::Up,
        _ => Flow::Down,
    };
    Ok((flow, n + 1))
}

/// Splits the chart body into statements at newlines and `;`, except inside quotes and
/// brackets (a quoted label may span lines).
fn statements(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote = false;
    let mut depth: i32 = 0;
    for c in body.chars() {
        match c {
            '"' => {
                quote = !quote;
                cur.push(c);
            }
            '[' | '(' | '{' if !quote => {
                depth += 1;
                cur.push(c);
            }
            ']' | ')' | '}' if !quote => {
                depth = (depth - 1).max(0);
                cur.push(c);
            }
            '\n' | ';' if !quote && depth == 0 => {
                out.push(std::mem::take(&mut cur));
            }
            '\n' if !quote => {
                // A newline inside unquoted brackets (a bad chart) ends the statement anyway.
                depth = 0;
                out.push(std::mem::take(&mut cur));
            }
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Reads chart number `index` of `text` (a Markdown file may hold several).
pub fn parse(text: &str, index: usize) -> Result<Scene, String> {
    let all = charts(text);
    let count = all.len();
    let Some(chart) = all.into_iter().nth(index) else {
        return Err(format!(
            "chart {} asked for, but the text holds {}",
            index + 1,
            crate::text::count(count, "chart")
        ));
    };
    if super::er::is_er(&chart) {
        return super::er::parse(&chart);
    }
    let (flow, skip) = header(&chart)?;
    let body: String = chart.lines().skip(skip).collect::<Vec<_>>().join("\n");
    let mut c = Chart {
        flow,
        ..Chart::default()
    };
    let mut open: Vec<usize> = Vec::new();
    // A link at the end of a line goes on with the next line's first node.
    let mut pending: Option<(Vec<String>, LinkOp)> = None;
    for (n, st) in statements(&body).into_iter().enumerate() {
        if n >= MAX_STATEMENTS {
            return Err(format!("more than {MAX_STATEMENTS} statements"));
        }
        let t = st.trim();
        if t.is_empty() || t.starts_with("%%") {
            continue;
        }
        let word = t.split_whitespace().next().unwrap_or("");
        match word {
            "subgraph" => {
                let (id, title) = subgraph_head(t["subgraph".len()..].trim());
                c.subgraphs.push(Subgraph {
                    id,
                    title,
                    parent: open.last().copied(),
                });
                open.push(c.subgraphs.len() - 1);
                continue;
            }
            "end" if t == "end" => {
                if let Some(s) = open.pop() {
                    c.close(s);
                }
                continue;
            }
            "direction" | "classDef" | "class" | "style" | "linkStyle" | "click" | "accTitle"
            | "accDescr" | "accTitle:" | "accDescr:" => continue,
            _ => {}
        }
        let mut p = Cursor::new(t);
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut ops: Vec<LinkOp> = Vec::new();
        if let Some((from, op)) = pending.take() {
            groups.push(from);
            ops.push(op);
        }
        loop {
            let group = p.node_group(&mut c, open.last().copied());
            if group.is_empty() {
                break;
            }
            groups.push(group);
            match p.link() {
                Some(op) => ops.push(op),
                None => break,
            }
        }
        if ops.len() == groups.len() && !ops.is_empty() {
            // The statement ends in a link: it continues on the next line.
            if let (Some(last), Some(op)) = (groups.last().cloned(), ops.pop()) {
                pending = Some((last, op));
            }
        }
        for (i, op) in ops.iter().enumerate() {
            let (Some(from), Some(to)) = (groups.get(i), groups.get(i + 1)) else {
                continue;
            };
            if op.invisible {
                *c.skipped.entry("invisible links").or_default() += from.len() * to.len();
                continue;
            }
            for a in from {
                for b in to {
                    let (a, b) = if op.reversed { (b, a) } else { (a, b) };
                    c.links.push(Link {
                        from: a.clone(),
                        to: b.clone(),
                        label: op.label.clone(),
                        dashed: op.dashed,
                        direction: op.direction,
                    });
                }
            }
        }
    }
    while let Some(s) = open.pop() {
        c.close(s);
    }
    Ok(scene_of(c))
}

/// `id [Title]`, `id["Title"]`, `Title With Spaces` or `id`.
fn subgraph_head(rest: &str) -> (String, String) {
    if let Some(open) = rest.find('[') {
        let id = rest[..open].trim().to_owned();
        let inner = rest[open + 1..].trim_end().trim_end_matches(']');
        let title = clean_label(inner);
        let id = if id.is_empty() { title.clone() } else { id };
        return (id, title);
    }
    let title = clean_label(rest);
    (rest.trim().to_owned(), title)
}

/// A label as Mermaid shows it: quotes and markdown marks off, `<br>` as new lines, entities
/// decoded (even the ones missing their `;`).
fn clean_label(raw: &str) -> String {
    let mut t = raw.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        t = &t[1..t.len() - 1];
    }
    let t = t.trim().trim_matches('`');
    let mut out = t
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("<br>", "\n")
        .replace("**", "")
        .replace("#quot;", "\"")
        .replace("#35;", "#");
    // Other tags go; `&#40` and `&nbsp` decode with or without their `;`.
    out = crate::interchange::drawio::plain_label(&out.replace('\n', "<br>"), true);
    let mut fixed = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(amp) = rest.find('&') {
        fixed.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        if let Some(num) = after.strip_prefix('#') {
            let digits: String = num.chars().take_while(char::is_ascii_digit).collect();
            if let Some(ch) = digits.parse::<u32>().ok().and_then(char::from_u32) {
                fixed.push(ch);
                rest = num[digits.len()..]
                    .strip_prefix(';')
                    .unwrap_or(&num[digits.len()..]);
                continue;
            }
        }
        if let Some(r) = after.strip_prefix("nbsp") {
            fixed.push(' ');
            rest = r.strip_prefix(';').unwrap_or(r);
            continue;
        }
        fixed.push('&');
        rest = after;
    }
    fixed.push_str(rest);
    fixed.trim().to_owned()
}

/// One link operator and its text.
#[derive(Clone, Debug)]
struct LinkOp {
    label: String,
    dashed: bool,
    invisible: bool,
    direction: Direction,
    /// Only the start has a head: the link points backwards.
    reversed: bool,
}

struct Cursor<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Self { s, at: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }

    fn skip_space(&mut self) {
        let r = self.rest();
        self.at += r.len() - r.trim_start().len();
    }

    fn starts_link(r: &str) -> bool {
        let r = r.strip_prefix('<').unwrap_or(r);
        r.starts_with("--") || r.starts_with("==") || r.starts_with("-.") || r.starts_with("~~")
    }

    /// `a & b & c`: the node ids, each registered.
    fn node_group(&mut self, c: &mut Chart, parent: Option<usize>) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            self.skip_space();
            let Some(id) = self.node(c, parent) else {
                break;
            };
            out.push(id);
            self.skip_space();
            if self.rest().starts_with('&') {
                self.at += 1;
            } else {
                break;
            }
        }
        out
    }

    fn node(&mut self, c: &mut Chart, parent: Option<usize>) -> Option<String> {
        let start = self.at;
        loop {
            let r = self.rest();
            let Some(ch) = r.chars().next() else { break };
            if Self::starts_link(r) || r.starts_with(":::") {
                break;
            }
            if ch.is_alphanumeric()
                || matches!(
                    ch,
                    '_' | '-' | '.' | '/' | '$' | '\'' | '!' | '?' | '+' | '*' | '#' | ':'
                )
            {
                self.at += ch.len_utf8();
            } else {
                break;
            }
        }
        let id = self.s[start..self.at]
            .trim_end_matches([':', '.'])
            .to_owned();
        self.at = start + id.len();
        if id.is_empty() {
            return None;
        }
        let (label, shape) = self.shape();
        let mut class = None;
        if self.rest().starts_with(":::") {
            self.at += 3;
            let from = self.at;
            while let Some(ch) = self.rest().chars().next() {
                if ch.is_alphanumeric() || matches!(ch, '_' | '-') {
                    self.at += ch.len_utf8();
                } else {
                    break;
                }
            }
            class = Some(self.s[from..self.at].to_owned());
        }
        if !c.nodes.contains_key(&id) {
            c.order.push(id.clone());
        }
        let node = c.nodes.entry(id.clone()).or_default();
        if node.label.is_none()
            && let Some(l) = label
        {
            node.label = Some(l);
            node.shape = shape;
        }
        if class.is_some() {
            node.class = class;
        }
        if let Some(s) = parent {
            c.mentions.entry(s).or_default().push(id.clone());
        }
        Some(id)
    }

    /// The bracket after an id: its label and shape name.
    fn shape(&mut self) -> (Option<String>, &'static str) {
        const BRACKETS: &[(&str, &str, &str)] = &[
            ("(((", ")))", "circle"),
            ("((", "))", "circle"),
            ("([", "])", "stadium"),
            ("[(", ")]", "cylinder"),
            ("[[", "]]", "subroutine"),
            ("[/", "/]", "parallelogram"),
            ("[/", "\\]", "trapezoid"),
            ("[\\", "\\]", "parallelogram"),
            ("[\\", "/]", "trapezoid"),
            ("{{", "}}", "hexagon"),
            ("[", "]", "rectangle"),
            ("(", ")", "rounded"),
            ("{", "}", "diamond"),
            (">", "]", "flag"),
        ];
        let r = self.rest();
        if let Some(data) = r.strip_prefix("@{") {
            let end = data.find('}').unwrap_or(data.len());
            let body = &data[..end];
            self.at += 2 + end + usize::from(end < data.len());
            let field = |name: &str| -> Option<String> {
                let at = body.find(&format!("{name}:"))? + name.len() + 1;
                let v = body[at..].trim_start();
                let v = if let Some(q) = v.strip_prefix('"') {
                    &q[..q.find('"').unwrap_or(q.len())]
                } else {
                    v.split([',', '}']).next().unwrap_or("").trim()
                };
                Some(v.to_owned())
            };
            let shape = match field("shape").as_deref() {
                Some("cyl" | "cylinder" | "database" | "db" | "das" | "h-cyl" | "lin-cyl") => {
                    "cylinder"
                }
                Some(_) | None => "rectangle",
            };
            return (field("label").map(|l| clean_label(&l)), shape);
        }
        for (open, close, name) in BRACKETS {
            let Some(after) = r.strip_prefix(open) else {
                continue;
            };
            // A quoted label may hold the closing bracket's characters.
            let (label, len) = if let Some(q) = after.trim_start().strip_prefix('"') {
                let lead = after.len() - after.trim_start().len();
                match q.find('"') {
                    Some(end) => {
                        let tail = &q[end + 1..];
                        let Some(close_at) = tail.find(close) else {
                            continue;
                        };
                        (
                            &after[..lead + 1 + end + 1],
                            lead + 1 + end + 1 + close_at + close.len(),
                        )
                    }
                    None => continue,
                }
            } else {
                match after.find(close) {
                    Some(end) => (&after[..end], end + close.len()),
                    None => continue,
                }
            };
            self.at += open.len() + len;
            return (Some(clean_label(label)), name);
        }
        (None, "")
    }

    /// A link operator, with its text in any of the three ways Mermaid allows.
    fn link(&mut self) -> Option<LinkOp> {
        self.skip_space();
        let r = self.rest();
        let (head, body_start) = match r.chars().next() {
            Some('<') => (true, 1),
            Some('x' | 'o') if Self::starts_link(&r[1..]) => (true, 1),
            _ => (false, 0),
        };
        if !Self::starts_link(&r[body_start..]) {
            return None;
        }
        let body: String = r[body_start..]
            .chars()
            .take_while(|c| matches!(c, '-' | '=' | '.' | '~'))
            .collect();
        let mut len = body_start + body.len();
        let mut tail = r[len..]
            .chars()
            .next()
            .filter(|c| matches!(c, '>' | 'x' | 'o'));
        // `x`/`o` after a body are heads only when a node does not go on from them.
        if let Some(t) = tail
            && t != '>'
            && r[len + 1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_alphanumeric() || n == '_')
        {
            tail = None;
        }
        if tail.is_some() {
            len += 1;
        }
        let mut op_text = body.clone();
        let mut label = String::new();
        let open_ended = tail.is_none() && body.len() <= 2 && !body.starts_with('~');
        self.at += len;
        if open_ended {
            // `-- text -->`, `== text ==>`, `-. text .->`: the text runs to the closing part.
            let rest = self.rest();
            let close = rest
                .char_indices()
                .find(|(i, _)| {
                    let t = &rest[*i..];
                    t.starts_with("--") || t.starts_with("==") || t.starts_with(".-")
                })
                .map(|(i, _)| i);
            if let Some(close) = close {
                label = clean_label(&rest[..close]);
                let after = &rest[close..];
                let run: String = after
                    .chars()
                    .take_while(|c| matches!(c, '-' | '=' | '.'))
                    .collect();
                let mut n = run.len();
                let t = after[n..]
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '>' | 'x' | 'o'));
                if t.is_some() {
                    n += 1;
                    tail = t;
                }
                op_text.push_str(&run);
                self.at += close + n;
            }
        }
        self.skip_space();
        if let Some(inner) = self.rest().strip_prefix('|') {
            let end = inner.find('|').unwrap_or(inner.len());
            label = clean_label(&inner[..end]);
            self.at += 1 + end + usize::from(end < inner.len());
        }
        let end_head = tail.is_some();
        let invisible = op_text.contains('~');
        let (direction, reversed) = crate::interchange::scene::heads(head, end_head);
        Some(LinkOp {
            label,
            dashed: op_text.contains('.'),
            invisible,
            direction,
            reversed,
        })
    }
}

/// Node sizes: wide enough for the label's longest line.
fn node_size(label: &str) -> (f32, f32) {
    let longest = label.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f32;
    let lines = label.lines().count().max(1) as f32;
    (
        (longest * 8.0 + 40.0).clamp(120.0, 280.0),
        56.0 + (lines - 1.0) * 18.0,
    )
}

fn scene_of(c: Chart) -> Scene {
    let Chart {
        flow,
        order,
        nodes,
        subgraphs,
        links,
        skipped,
        mentions: _,
    } = c;
    let sub_ids: HashMap<&str, usize> = subgraphs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    // A bare id that names a subgraph is the subgraph, not a node.
    let real: Vec<&String> = order
        .iter()
        .filter(|id| {
            !(sub_ids.contains_key(id.as_str())
                && nodes.get(*id).is_some_and(|n| n.label.is_none()))
        })
        .collect();
    let index: HashMap<&str, usize> = real
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let sizes: Vec<(f32, f32)> = real
        .iter()
        .map(|id| node_size(nodes[*id].label.as_deref().unwrap_or(id)))
        .collect();
    // Links to a subgraph pull on its first node, for the layout only.
    let mut first_in: Vec<Option<usize>> = vec![None; subgraphs.len()];
    for (i, id) in real.iter().enumerate() {
        let mut cur = nodes[*id].parent;
        for _ in 0..64 {
            let Some(s) = cur else { break };
            first_in[s].get_or_insert(i);
            cur = subgraphs[s].parent;
        }
    }
    let node_of = |id: &str| -> Option<usize> {
        index
            .get(id)
            .copied()
            .or_else(|| sub_ids.get(id).and_then(|s| first_in[*s]))
    };
    let edges: Vec<(usize, usize)> = links
        .iter()
        .filter_map(|l| Some((node_of(&l.from)?, node_of(&l.to)?)))
        .collect();
    let positions = layered::layout(&sizes, &edges, flow);

    let mut scene = Scene {
        skipped,
        ..Scene::default()
    };
    let mut rects: Vec<Rect> = Vec::with_capacity(real.len());
    for (i, id) in real.iter().enumerate() {
        let node = &nodes[*id];
        let (w, h) = sizes[i];
        let at = positions[i];
        let rect = Rect::new(at.x - w / 2.0, at.y - h / 2.0, w, h);
        rects.push(rect);
        let label = node.label.clone().unwrap_or_else(|| (*id).clone());
        let role = if node.class.as_deref() == Some(crate::model::TEXT_KIND) {
            Role::Text
        } else {
            Role::Block
        };
        let mut shape = Shape::new(format!("n:{id}"), rect, label, role);
        shape.style = node.shape.to_owned();
        shape.kind = node.class.clone();
        scene.shapes.push(shape);
    }
    // Frames around their members, innermost first so each parent can hold its children.
    let mut frame_rects: Vec<Option<Rect>> = vec![None; subgraphs.len()];
    let depth = |mut s: usize| {
        let mut d = 0;
        while let Some(p) = subgraphs[s].parent {
            d += 1;
            s = p;
            if d > 64 {
                break;
            }
        }
        d
    };
    let mut by_depth: Vec<usize> = (0..subgraphs.len()).collect();
    by_depth.sort_by_key(|s| std::cmp::Reverse(depth(*s)));
    // Each subgraph's own nodes, and its child subgraphs, gathered once.
    let mut direct: Vec<Option<Rect>> = vec![None; subgraphs.len()];
    for (i, id) in real.iter().enumerate() {
        if let Some(s) = nodes[*id].parent {
            direct[s] = Some(direct[s].map_or(rects[i], |b| b.union(&rects[i])));
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); subgraphs.len()];
    for (child, sg) in subgraphs.iter().enumerate() {
        if let Some(p) = sg.parent {
            children[p].push(child);
        }
    }
    for s in by_depth {
        let mut bounds = direct[s];
        for child in &children[s] {
            if let Some(r) = frame_rects[*child] {
                bounds = Some(bounds.map_or(r, |b| b.union(&r)));
            }
        }
        if let Some(b) = bounds {
            // Room for the title above the contents.
            let padded = Rect::new(b.x - 24.0, b.y - 48.0, b.w + 48.0, b.h + 72.0);
            frame_rects[s] = Some(padded);
        }
    }
    // Frames first, outermost last, as before the nodes they hold.
    let mut frames: Vec<Shape> = subgraphs
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(s, sg)| {
            let r = frame_rects[s]?;
            Some(Shape::new(
                format!("s:{}", sg.id),
                r,
                sg.title.clone(),
                Role::Frame,
            ))
        })
        .collect();
    frames.append(&mut scene.shapes);
    scene.shapes = frames;
    for l in links {
        let end = |id: &str| -> End {
            if index.contains_key(id) {
                End::Shape(format!("n:{id}"))
            } else if sub_ids.contains_key(id) {
                End::Shape(format!("s:{id}"))
            } else {
                End::Missing
            }
        };
        let mut e = Edge::new(end(&l.from), end(&l.to));
        e.label = l.label;
        e.dashed = l.dashed;
        e.direction = l.direction;
        scene.edges.push(e);
    }
    scene
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Direction;
    use crate::palette::Palette;

    fn kinds_and_labels(scene: &Scene) -> Vec<(String, String)> {
        scene
            .shapes
            .iter()
            .map(|s| (s.key.clone(), s.label.clone()))
            .collect()
    }

    #[test]
    fn shapes_edges_chains_and_fan_out() {
        let scene = parse(
            "flowchart LR\n  %% a comment\n  A[Client] --> B{{LB}} --> C(App) & D[(Orders DB)]\n  C -.->|events| Q>Queue]\n  C -- reads --> D\n  A ==> B\n  B --- C\n  classDef x fill:#f00\n  A:::x\n",
            0,
        )
        .expect("parses");
        let labels = kinds_and_labels(&scene);
        assert_eq!(labels.len(), 5, "{labels:?}");
        assert!(labels.contains(&("n:D".into(), "Orders DB".into())));
        assert_eq!(scene.edges.len(), 7);
        let dashed: Vec<&Edge> = scene.edges.iter().filter(|e| e.dashed).collect();
        assert_eq!(dashed.len(), 1);
        assert_eq!(dashed[0].label, "events");
        assert!(scene.edges.iter().any(|e| e.label == "reads"));
        assert!(scene.edges.iter().any(|e| e.direction == Direction::None));
        let (board, summary) =
            crate::interchange::scene::build(scene, &Palette::bundled()).expect("board");
        assert_eq!(summary.links, 7);
        let db = board
            .blocks
            .values()
            .find(|b| b.label == "Orders DB")
            .expect("db");
        assert_eq!(db.kind, "database");
    }

    #[test]
    fn subgraphs_become_frames_around_their_nodes() {
        let text = "```mermaid\ngraph TD\n  subgraph cloud [Cloud]\n    subgraph data[\"Data tier\"]\n      db[(DB)]\n    end\n    app --> db\n  end\n  user --> app\n  user --> cloud\n```\n";
        let scene = parse(text, 0).expect("parses");
        let frames: Vec<&Shape> = scene
            .shapes
            .iter()
            .filter(|s| s.role == Role::Frame)
            .collect();
        assert_eq!(frames.len(), 2);
        let outer = frames.iter().find(|f| f.label == "Cloud").expect("outer");
        let inner = frames
            .iter()
            .find(|f| f.label == "Data tier")
            .expect("inner");
        assert!(outer.rect.contains_rect(&inner.rect), "nested frames nest");
        let db = scene.shapes.iter().find(|s| s.key == "n:db").expect("db");
        assert!(inner.rect.contains_rect(&db.rect));
        assert!(
            scene
                .edges
                .iter()
                .any(|e| e.to == End::Shape("s:cloud".into())),
            "a link may end on a subgraph"
        );
    }

    #[test]
    fn labels_and_odd_syntax() {
        assert_eq!(clean_label("\"Cache&#40redis&#41\""), "Cache(redis)");
        assert_eq!(clean_label("a<br/>b"), "a\nb");
        assert_eq!(clean_label("\"`**bold** text`\""), "bold text");
        let scene = parse(
            "---\nconfig:\n  layout: elk\n---\nflowchart TB\n  a[\"x (y) [z]\"] ~~~\n  b\n  c@{ shape: cyl, label: \"Store\" }\n  ingest-consumer --> c\n",
            0,
        )
        .expect("parses");
        assert!(scene.shapes.iter().any(|s| s.label == "x (y) [z]"));
        assert_eq!(scene.skipped.get("invisible links"), Some(&1));
        assert!(scene.shapes.iter().any(|s| s.key == "n:ingest-consumer"));
        let store = scene.shapes.iter().find(|s| s.key == "n:c").expect("c");
        assert_eq!(
            (store.label.as_str(), store.style.as_str()),
            ("Store", "cylinder")
        );
        assert!(parse("sequenceDiagram\n A->>B: hi", 0).is_err());
    }
}
