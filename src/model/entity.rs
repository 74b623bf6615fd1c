//! Entities: the tables a design stores, and their fields.
//!
//! The interview's data model ("which tables, and what is in them") belongs on the board next
//! to the stores that hold it, so the review, the rubric and the report can read it rather than
//! loose notes. An entity is a block of kind [`ENTITY_KIND`] whose label is its name and whose
//! [`Field`]s are its columns; the keys a field takes part in are what a partition or an index
//! is chosen from (version 6 of the file format).

use serde::{Deserialize, Serialize};

/// The kind of block that is an entity (a table, a document type, a record).
pub const ENTITY_KIND: &str = "entity";
/// Height of an entity's name row, in board units.
pub const HEADER_HEIGHT: f32 = 30.0;
/// Height of one field's row.
pub const ROW_HEIGHT: f32 = 20.0;
/// Width an entity is made with.
pub const WIDTH: f32 = 220.0;

/// The height that shows every one of `fields` rows under the name.
pub fn height_for(fields: usize) -> f32 {
    HEADER_HEIGHT + ROW_HEIGHT * fields.max(1) as f32 + 8.0
}

/// Most fields one entity may hold.
pub const MAX_FIELDS: usize = 200;
/// Longest field name or type.
pub const MAX_FIELD_CHARS: usize = 120;

/// One column of an entity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    /// As the candidate writes it: `uuid`, `string(99)`, `timestamp`…
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "Keys::is_empty")]
    pub keys: Keys,
}

/// The keys a field takes part in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Keys {
    /// Primary key.
    pub pk: bool,
    /// Refers to another entity's key.
    pub fk: bool,
    /// Unique.
    pub uk: bool,
    /// Decides which shard or partition a row lives in.
    pub partition: bool,
    /// Orders rows within a partition (a range or clustering key).
    pub sort: bool,
    /// Has a secondary index.
    pub index: bool,
}

impl Keys {
    /// Every mark, with its short name, in the order they are written.
    pub const MARKS: [(&'static str, &'static str); 6] = [
        ("PK", "primary key"),
        ("FK", "foreign key"),
        ("UK", "unique"),
        ("PT", "partition key"),
        ("SK", "sort key"),
        ("IX", "indexed"),
    ];

    pub fn is_empty(&self) -> bool {
        *self == Keys::default()
    }

    /// The mark's flag by its short name (`PK`, `FK`, `UK`, `PT`, `SK`, `IX`).
    pub fn flag(&mut self, mark: &str) -> Option<&mut bool> {
        Some(match mark.to_ascii_uppercase().as_str() {
            "PK" => &mut self.pk,
            "FK" => &mut self.fk,
            "UK" => &mut self.uk,
            "PT" | "PARTITION" => &mut self.partition,
            "SK" | "SORT" => &mut self.sort,
            "IX" | "INDEX" => &mut self.index,
            _ => return None,
        })
    }

    /// Whether the mark is set.
    pub fn has(&self, mark: &str) -> bool {
        match mark.to_ascii_uppercase().as_str() {
            "PK" => self.pk,
            "FK" => self.fk,
            "UK" => self.uk,
            "PT" | "PARTITION" => self.partition,
            "SK" | "SORT" => self.sort,
            "IX" | "INDEX" => self.index,
            _ => false,
        }
    }

    /// Sets every mark `other` has as well.
    pub fn add(&mut self, other: Keys) {
        self.pk |= other.pk;
        self.fk |= other.fk;
        self.uk |= other.uk;
        self.partition |= other.partition;
        self.sort |= other.sort;
        self.index |= other.index;
    }

    /// `PK, FK`: the marks that are set.
    pub fn marks(&self) -> String {
        Self::MARKS
            .iter()
            .filter(|(m, _)| self.has(m))
            .map(|(m, _)| *m)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads marks written as `PK, FK` or `PK FK`; words that are not marks are returned.
    pub fn parse(text: &str) -> (Keys, Vec<String>) {
        let mut keys = Keys::default();
        let mut rest = Vec::new();
        for word in text.split([',', ' ']).filter(|w| !w.is_empty()) {
            match keys.flag(word) {
                Some(f) => *f = true,
                None => rest.push(word.to_owned()),
            }
        }
        (keys, rest)
    }
}

impl Field {
    pub fn new(name: impl Into<String>, ty: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ty: ty.into(),
            keys: Keys::default(),
        }
    }

    pub fn with(mut self, mark: &str) -> Self {
        if let Some(f) = self.keys.flag(mark) {
            *f = true;
        }
        self
    }

    /// Reads [`Field::line`] back: the name, then the type and the marks, two spaces apart.
    pub fn from_line(line: &str) -> Option<Field> {
        let mut parts = line.split("  ").map(str::trim).filter(|p| !p.is_empty());
        let mut field = Field::new(parts.next()?, "");
        for part in parts {
            match Keys::parse(part) {
                (keys, rest) if rest.is_empty() => field.keys = keys,
                _ => field.ty = part.to_owned(),
            }
        }
        let clip = |s: &str| s.chars().take(MAX_FIELD_CHARS).collect::<String>();
        field.name = clip(&field.name);
        field.ty = clip(&field.ty);
        Some(field)
    }

    /// `id uuid PK`: the field as one line of text (the row drawn, the stacked text exports).
    pub fn line(&self) -> String {
        let mut out = self.name.clone();
        for part in [self.ty.as_str(), &self.keys.marks()] {
            if !part.is_empty() {
                out.push_str("  ");
                out.push_str(part);
            }
        }
        out
    }
}

/// Longest JSON text of an entity's fields taken from a peer.
const MAX_JSON_BYTES: usize = 256 * 1024;

/// One field as the shared document holds it: `{"name": "id", "type": "uuid", "keys": "PK"}`,
/// plain enough for a JavaScript peer to read and write.
#[derive(Serialize, Deserialize)]
struct Shared {
    name: String,
    #[serde(default, rename = "type")]
    ty: String,
    #[serde(default)]
    keys: String,
}

/// An entity's fields as JSON, for the shared document.
pub fn to_json(fields: &[Field]) -> String {
    let shared: Vec<Shared> = fields
        .iter()
        .map(|f| Shared {
            name: f.name.clone(),
            ty: f.ty.clone(),
            keys: f.keys.marks(),
        })
        .collect();
    serde_json::to_string(&shared).unwrap_or_else(|_| "[]".into())
}

/// An entity's fields from a peer's JSON, checked like a file's.
pub fn from_json(json: &str) -> Result<Vec<Field>, String> {
    if json.len() > MAX_JSON_BYTES {
        return Err(format!("fields: more than {MAX_JSON_BYTES} bytes"));
    }
    let shared: Vec<Shared> =
        serde_json::from_str(json).map_err(|e| format!("fields: not a list of fields ({e})"))?;
    let fields: Vec<Field> = shared
        .into_iter()
        .map(|s| {
            let (keys, unknown) = Keys::parse(&s.keys);
            match unknown.first() {
                Some(u) => Err(format!("fields: {u:?} is not a key mark")),
                None => Ok(Field {
                    name: s.name,
                    ty: s.ty,
                    keys,
                }),
            }
        })
        .collect::<Result<_, _>>()?;
    check_fields(&fields).map_err(|e| format!("fields: {e}"))?;
    Ok(fields)
}

/// Checks an entity's fields against the bounds every board keeps.
pub fn check_fields(fields: &[Field]) -> Result<(), String> {
    if fields.len() > MAX_FIELDS {
        return Err(format!(
            "{} fields; an entity holds at most {MAX_FIELDS}",
            fields.len()
        ));
    }
    for f in fields {
        for (what, text) in [("name", &f.name), ("type", &f.ty)] {
            if text.chars().count() > MAX_FIELD_CHARS {
                return Err(format!(
                    "a field's {what} is longer than {MAX_FIELD_CHARS} characters"
                ));
            }
            if text.chars().any(char::is_control) {
                return Err(format!("a field's {what} holds a control character"));
            }
        }
        if f.name.trim().is_empty() {
            return Err("a field has no name".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_read_and_write_in_one_order() {
        let (keys, rest) = Keys::parse("FK, pk  idx");
        assert!(keys.pk && keys.fk && !keys.uk);
        assert_eq!(rest, ["idx"]);
        assert_eq!(keys.marks(), "PK, FK");
        let f = Field::new("user_id", "bigint").with("PT").with("SK");
        assert_eq!(f.line(), "user_id  bigint  PT, SK");
        assert_eq!(Field::new("note", "").line(), "note");
    }

    #[test]
    fn fields_cross_the_shared_document_as_json_and_bad_ones_are_refused() {
        let fields = vec![
            Field::new("id", "uuid").with("PK").with("PT"),
            Field::new("created", "timestamp").with("SK"),
        ];
        let json = to_json(&fields);
        assert!(json.contains(r#""keys":"PK, PT""#), "{json}");
        assert_eq!(from_json(&json), Ok(fields));
        assert!(from_json("{}").is_err());
        assert!(
            from_json(r#"[{"name":"a","keys":"XX"}]"#)
                .expect_err("an unknown mark")
                .contains("XX")
        );
        assert!(from_json(r#"[{"name":""}]"#).is_err());
    }

    #[test]
    fn hostile_fields_are_refused() {
        assert!(check_fields(&[Field::new("id", "uuid").with("PK")]).is_ok());
        assert!(check_fields(&[Field::new(" ", "x")]).is_err());
        assert!(check_fields(&[Field::new("a\u{7}", "x")]).is_err());
        assert!(check_fields(&[Field::new("a".repeat(121), "x")]).is_err());
        let many = vec![Field::new("f", "int"); MAX_FIELDS + 1];
        assert!(
            check_fields(&many)
                .expect_err("too many")
                .contains("at most")
        );
    }
}
