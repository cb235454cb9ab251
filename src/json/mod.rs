//! Span-aware JSON: a JSON tree whose every value and member key knows its byte range and its
//! 1-based line:column, so that later messages can point at the exact place.
//!
//! Strict JSON only (no comments, no trailing commas, no unquoted keys). Objects keep their
//! members in source order *including duplicates*: [`JsonNode::duplicate_keys`] reports them
//! instead of silently keeping one. Nesting is limited to [`MAX_DEPTH`] levels, checked by a
//! cheap byte scan before parsing, so that hostile input never exhausts the stack.
//!
//! (The example is the test `documented_example` below, this module being private.)

use serde::Serialize;

mod duplicates;

pub(crate) use duplicates::unique::{Checked, MemberNames, Name};
pub use duplicates::{find_duplicate_member, has_duplicate_members, DuplicateMember};

/// The deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 256;

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// A source range: byte offsets (end exclusive) and the matching positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub offset: usize,
    /// Byte offset one past the last byte.
    pub end_offset: usize,
    /// Position of the first character.
    pub start: Position,
    /// Position just past the last character.
    pub end: Position,
}

/// Maps byte offsets of one text to line:column positions.
///
/// Every lookup is cheap whatever the text: a column on an ASCII line is a byte difference; on
/// other lines it is a difference of character counts, taken from counts stored every
/// `CHECKPOINT` bytes plus at most that many bytes counted. (Counting from the line start
/// made a long non-ASCII line quadratic: a 50 MB one-line policy never finished.)
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// Whether each line is pure ASCII (then a column is a byte difference).
    ascii_lines: Vec<bool>,
    /// `chars_at[k]`: the number of characters in the first `k * CHECKPOINT` bytes.
    chars_at: Vec<usize>,
}

/// Bytes between stored character counts in a [`LineIndex`].
const CHECKPOINT: usize = 1024;

impl<'t> LineIndex<'t> {
    /// Indexes the lines of `text` (a line ends after `\n`).
    pub fn new(text: &'t str) -> Self {
        let mut line_starts = vec![0];
        let mut ascii_lines = Vec::new();
        let mut chars_at = Vec::with_capacity(text.len() / CHECKPOINT + 1);
        let mut chars = 0usize;
        let mut ascii = true;
        for (offset, byte) in text.bytes().enumerate() {
            if offset % CHECKPOINT == 0 {
                chars_at.push(chars);
            }
            if !is_continuation(byte) {
                chars += 1;
            }
            if byte >= 0x80 {
                ascii = false;
            }
            if byte == b'\n' {
                line_starts.push(offset + 1);
                ascii_lines.push(ascii);
                ascii = true;
            }
        }
        // The end of a text whose length is a multiple of the checkpoint interval is a
        // checkpoint too (`position(text.len())` asks for it).
        if text.len().is_multiple_of(CHECKPOINT) {
            chars_at.push(chars);
        }
        ascii_lines.push(ascii);
        LineIndex {
            text,
            line_starts,
            ascii_lines,
            chars_at,
        }
    }

    /// The number of characters that start before a byte offset (at most the text's length).
    fn chars_before(&self, offset: usize) -> usize {
        let checkpoint = offset / CHECKPOINT;
        let base = self.chars_at.get(checkpoint).copied().unwrap_or(0);
        let counted = self
            .text
            .as_bytes()
            .get(checkpoint * CHECKPOINT..offset)
            .map_or(0, |bytes| {
                bytes.iter().filter(|byte| !is_continuation(**byte)).count()
            });
        base + counted
    }

    /// The position of a byte offset (clamped to the text; inside a character → that character).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line_index = self
            .line_starts
            .partition_point(|start| *start <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = if self.ascii_lines.get(line_index).copied().unwrap_or(false) {
            offset - line_start
        } else {
            // Characters that start in `line_start..offset` (inside a character → that one).
            self.chars_before(offset) - self.chars_before(line_start)
        };
        Position {
            line: line_index + 1,
            column: column + 1,
        }
    }

    /// The span of a byte range.
    pub fn span(&self, offset: usize, end_offset: usize) -> Span {
        Span {
            offset,
            end_offset,
            start: self.position(offset),
            end: self.position(end_offset),
        }
    }
}

/// Whether a byte continues a UTF-8 character (`10xxxxxx`) rather than starting one.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

/// A JSON value with its source range.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonNode {
    pub value: JsonValue,
    pub span: Span,
}

/// The JSON value itself.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    /// A number, as written in the source (`1`, `-2.5e3`).
    Number(String),
    String(String),
    Array(Vec<JsonNode>),
    /// Members in source order, duplicates kept.
    Object(Vec<JsonMember>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonMember {
    pub key: String,
    /// The range of the key, quotes included.
    pub key_span: Span,
    pub value: JsonNode,
}

/// Why a text is not acceptable JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonError {
    /// The text is not well-formed JSON.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
    /// Arrays and objects nest deeper than the limit.
    #[error("JSON nested deeper than {limit} levels at line {line}, column {column}")]
    TooDeep {
        line: usize,
        column: usize,
        limit: usize,
    },
}

/// "This JSON input is wrong here": the one error type of the readers of JSON inputs (a request,
/// a denial diagnostic, a policy document) for a text that is not JSON, a value of the wrong
/// type, or a member given twice. The reader's own error wraps it and adds what only it knows
/// (the policy's name); `JsonInputError::locate` gives the place to the JSON answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonInputError {
    /// The text is not JSON.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
    /// A value has the wrong JSON type.
    #[error("`{pointer}` must be {expected}, found {found}")]
    WrongType {
        /// JSON pointer to the value (`/` for the whole document).
        pointer: String,
        expected: &'static str,
        found: &'static str,
    },
    /// A member occurs twice in one object (the last would silently win).
    #[error("{0}")]
    Duplicate(Box<DuplicateMember>),
}

impl JsonInputError {
    /// Parses a whole input (`what` names it in messages: "a request", "an error body"),
    /// refusing a member given twice.
    pub fn parse(text: &str, what: &str) -> Result<serde_json::Value, JsonInputError> {
        // Looked for before the tree is built, so that the names the check keeps are gone by
        // then (a malformed text is still reported as such first).
        let duplicates = has_duplicate_members(text.as_bytes());
        let value = serde_json::from_str(text).map_err(|error| {
            let (line, column, message) = describe_serde_error(text, &error, what);
            JsonInputError::Malformed {
                line,
                column,
                message,
            }
        })?;
        match duplicates.then(|| find_duplicate_member(text)).flatten() {
            Some(duplicate) => Err(JsonInputError::Duplicate(Box::new(duplicate))),
            None => Ok(value),
        }
    }

    /// `value` at `pointer` is not what was `expected` (`an object`, `a string`).
    pub fn wrong_type(pointer: &str, expected: &'static str, value: &serde_json::Value) -> Self {
        JsonInputError::WrongType {
            pointer: if pointer.is_empty() {
                "/".into()
            } else {
                pointer.into()
            },
            expected,
            found: value_type_name(value),
        }
    }
}

impl crate::error::Details for JsonInputError {
    fn kind(&self) -> &'static str {
        match self {
            JsonInputError::Malformed { .. } => "malformed_json",
            JsonInputError::WrongType { .. } => "wrong_type",
            JsonInputError::Duplicate(_) => "duplicate_member",
        }
    }

    fn locate(&self, body: &mut crate::error::ErrorBody) {
        match self {
            JsonInputError::Malformed { line, column, .. } => {
                body.line = Some(*line);
                body.column = Some(*column);
            }
            JsonInputError::WrongType { pointer, .. } => body.pointer = Some(pointer.clone()),
            JsonInputError::Duplicate(duplicate) => body.duplicate(duplicate),
        }
    }
}

/// The JSON type name of a value, for messages (`a string`, `an array`, …).
pub fn value_type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

impl JsonError {
    /// Where the error is, as (line, column).
    pub fn position(&self) -> (usize, usize) {
        match self {
            JsonError::Malformed { line, column, .. } | JsonError::TooDeep { line, column, .. } => {
                (*line, *column)
            }
        }
    }
}

impl JsonValue {
    /// The JSON type name, for messages (`a string`, `an array`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number(_) => "a number",
            JsonValue::String(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }
}

impl JsonNode {
    /// Keys that occur more than once in this object: each later occurrence with the first's span.
    pub fn duplicate_keys(members: &[JsonMember]) -> Vec<(&JsonMember, Span)> {
        // Policy objects have a handful of members: comparing them pairwise is cheaper than
        // hashing, and a map keeps large objects linear.
        if members.len() <= 16 {
            return members
                .iter()
                .enumerate()
                .filter_map(|(index, member)| {
                    members
                        .get(..index)?
                        .iter()
                        .find(|earlier| earlier.key == member.key)
                        .map(|first| (member, first.key_span))
                })
                .collect();
        }
        let mut seen: std::collections::HashMap<&str, Span> = std::collections::HashMap::new();
        let mut duplicates = Vec::new();
        for member in members {
            match seen.get(member.key.as_str()) {
                Some(first) => duplicates.push((member, *first)),
                None => {
                    seen.insert(member.key.as_str(), member.key_span);
                }
            }
        }
        duplicates
    }
}

/// Where serde_json stopped in `text`, and why, in words that point the right way: a
/// byte-order mark, an empty text and a text that ends too early are named as such (serde_json
/// says "expected value" or "EOF" at column 0). Returns (line, column, message); the column
/// is at least 1. `what` names the expected value ("a request", "an error body").
pub fn describe_serde_error(
    text: &str,
    error: &serde_json::Error,
    what: &str,
) -> (usize, usize, String) {
    if text.starts_with('\u{FEFF}') {
        return (
            1,
            1,
            "the text starts with a byte order mark (U+FEFF), which strict JSON does not allow: save the file as UTF-8 without a BOM".into(),
        );
    }
    if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return (1, 1, format!("the text is empty; {what} is a JSON object"));
    }
    let message = crate::request::strip_position(&error.to_string());
    let message = if message == "recursion limit exceeded" {
        "JSON nested deeper than 128 levels".to_string()
    } else if error.is_eof() {
        format!("the text ends before {what} does (an unclosed bracket, brace or string)")
    } else {
        message
    };
    (error.line().max(1), error.column().max(1), message)
}

/// Parses strict JSON into a span-aware tree.
pub fn parse(text: &str) -> Result<JsonNode, JsonError> {
    parse_indexed(text, &LineIndex::new(text))
}

/// [`parse`] with the text's line index already built (lint needs it afterwards too).
pub fn parse_indexed(text: &str, lines: &LineIndex<'_>) -> Result<JsonNode, JsonError> {
    let malformed = |offset: usize, message: String| {
        let position = lines.position(offset);
        JsonError::Malformed {
            line: position.line,
            column: position.column,
            message,
        }
    };
    let lenient = check_structure(text, lines)?;
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed =
        jsonc_parser::parse_to_ast(text, &jsonc_parser::CollectOptions::default(), &options)
            .map_err(|error| {
                // The first problem in the text wins, whoever found it.
                let at = error.range().start;
                match &lenient {
                    Some((offset, message)) if *offset <= at => malformed(*offset, message.clone()),
                    _ => malformed(at, lowercase_first(&error.kind().to_string())),
                }
            })?;
    if let Some((offset, message)) = lenient {
        return Err(malformed(offset, message));
    }
    match parsed.value {
        Some(value) => Ok(convert(&value, lines)),
        None => Err(malformed(text.len(), "the text holds no JSON value".into())),
    }
}

fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// In one pass over the bytes, before any recursion: rejects nesting deeper than
/// [`MAX_DEPTH`], raw control characters inside strings, and characters outside strings that
/// the parser would take for whitespace but strict JSON does not (vertical tab, form feed,
/// no-break space, U+2028, …) or that cannot stand outside a string at all (any non-ASCII
/// character). The parser is lenient about these; RAM is not.
///
/// Returns the first such character (offset and message) for the caller to weigh against the
/// parser's own first error; only too deep a nesting is an error at once.
fn check_structure(
    text: &str,
    lines: &LineIndex<'_>,
) -> Result<Option<(usize, String)>, JsonError> {
    let mut first: Option<(usize, String)> = None;
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut offset = 0;
    while let Some(&byte) = bytes.get(offset) {
        if byte == b'"' {
            // Skip the string in one tight loop: only quotes, backslashes and control
            // characters matter inside it.
            offset += 1;
            while let Some(&inner) = bytes.get(offset) {
                match inner {
                    b'"' => break,
                    b'\\' => offset += 1,
                    0..=0x1F if first.is_none() => first = Some((offset, control_in_string(inner))),
                    _ => {}
                }
                offset += 1;
            }
            offset += 1;
            continue;
        }
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let position = lines.position(offset);
                    return Err(JsonError::TooDeep {
                        line: position.line,
                        column: position.column,
                        limit: MAX_DEPTH,
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            0x0B | 0x0C | 0x80.. if first.is_none() => {
                // Only the first byte of a character gets here: the scan moves on by bytes,
                // but continuation bytes fail `text.get(offset..)`.
                if let Some(character) = text.get(offset..).and_then(|rest| rest.chars().next()) {
                    first = Some((offset, outside_string(character)));
                }
            }
            _ => {}
        }
        offset += 1;
    }
    Ok(first)
}

/// Why a raw control character cannot stand in a string.
fn control_in_string(byte: u8) -> String {
    let escaped = match byte {
        b'\t' => "`\\t`".to_string(),
        b'\n' => "`\\n`, or close the string on this line".to_string(),
        b'\r' => "`\\r`".to_string(),
        _ => format!("`\\u{byte:04x}`"),
    };
    format!("a string holds the raw control character U+{byte:04X}; strict JSON needs it escaped ({escaped})")
}

/// Why a character cannot stand outside a string.
fn outside_string(character: char) -> String {
    let code = format!("U+{:04X}", u32::from(character));
    if character == '\u{FEFF}' {
        format!("a byte order mark ({code}) is not allowed in strict JSON")
    } else if character.is_whitespace() {
        format!("`{code}` is not whitespace in strict JSON: only space, tab, line feed and carriage return are")
    } else {
        format!("unexpected character `{character}` ({code}) outside a string")
    }
}

fn convert(value: &jsonc_parser::ast::Value<'_>, lines: &LineIndex<'_>) -> JsonNode {
    use jsonc_parser::ast::{ObjectPropName, Value};
    let (json, range) = match value {
        Value::NullKeyword(node) => (JsonValue::Null, node.range),
        Value::BooleanLit(node) => (JsonValue::Bool(node.value), node.range),
        Value::NumberLit(node) => (JsonValue::Number(node.value.to_string()), node.range),
        Value::StringLit(node) => (JsonValue::String(node.value.to_string()), node.range),
        Value::Array(node) => (
            JsonValue::Array(
                node.elements
                    .iter()
                    .map(|element| convert(element, lines))
                    .collect(),
            ),
            node.range,
        ),
        Value::Object(node) => (
            JsonValue::Object(
                node.properties
                    .iter()
                    .map(|property| {
                        let (key, key_range) = match &property.name {
                            ObjectPropName::String(name) => (name.value.to_string(), name.range),
                            ObjectPropName::Word(name) => (name.value.to_string(), name.range),
                        };
                        JsonMember {
                            key,
                            key_span: lines.span(key_range.start, key_range.end),
                            value: convert(&property.value, lines),
                        }
                    })
                    .collect(),
            ),
            node.range,
        ),
    };
    JsonNode {
        value: json,
        span: lines.span(range.start, range.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "{\"é\": \"ü\", \"b\": 1}";
        let node = parse(text).unwrap();
        let JsonValue::Object(members) = &node.value else {
            panic!("object expected")
        };
        assert_eq!(members[1].key, "b");
        assert_eq!(
            members[1].key_span.start,
            Position {
                line: 1,
                column: 12
            }
        );
        assert_eq!(members[1].key_span.offset, 13);
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        for (text, line, column) in [
            ("{\n  \"a\": 1,\n}", 2, 9),
            ("{\"a\": 1 // c\n}", 1, 9),
            ("{a: 1}", 1, 2),
            ("[1,]", 1, 3),
            ("", 1, 1),
            ("{\"a\": 1} x", 1, 10),
        ] {
            let error = parse(text).unwrap_err();
            match &error {
                JsonError::Malformed {
                    line: l, column: c, ..
                } => assert_eq!((*l, *c), (line, column), "{text:?}: {error}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let error = parse(&deep).unwrap_err();
        assert_eq!(
            error,
            JsonError::TooDeep {
                line: 1,
                column: MAX_DEPTH + 1,
                limit: MAX_DEPTH
            }
        );
        let objects = "{\"a\":".repeat(100_000);
        assert!(matches!(
            parse(&objects).unwrap_err(),
            JsonError::TooDeep { .. }
        ));
        // Brackets inside strings do not count.
        let fine = format!("[\"{}\"]", "[".repeat(1000));
        assert!(parse(&fine).is_ok());
        let limit = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&limit).is_ok());
    }

    #[test]
    fn columns_on_long_non_ascii_lines_count_characters_quickly() {
        // Mixed widths across many checkpoints; compare with counting from the line start.
        let line: String = (0..5000)
            .map(|index| ["a", "é", "€", "𝄞"][index % 4])
            .collect();
        let text = format!("x\n{line}\n{line}");
        let lines = LineIndex::new(&text);
        for offset in (0..=text.len()).step_by(37).chain([text.len()]) {
            let line_start = text.as_bytes()[..offset]
                .iter()
                .rposition(|byte| *byte == b'\n')
                .map_or(0, |at| at + 1);
            let expected = text[line_start..]
                .char_indices()
                .take_while(|(index, _)| line_start + index < offset)
                .count()
                + 1;
            assert_eq!(lines.position(offset).column, expected, "offset {offset}");
        }
        // One line of 200,000 non-ASCII values (this took minutes when columns were counted
        // from the line start; the time is measured by no test, the count is).
        let values: Vec<String> = (0..200_000).map(|index| format!("\"é{index}\"")).collect();
        let node = parse(&format!("[{}]", values.join(","))).unwrap();
        let JsonValue::Array(items) = &node.value else {
            panic!("array expected")
        };
        // Each earlier value has one two-byte `é`: the column is the byte offset less one per value.
        let last = &items[199_999].span;
        assert_eq!(last.start.column, last.offset + 1 - 199_999);
    }

    #[test]
    fn only_strict_json_whitespace_and_escaped_control_characters() {
        // The underlying parser accepts all of these; strict JSON (and RAM) does not.
        for (text, column, expected) in [
            ("{\"a\": 1\u{0B}}", 8, "`U+000B` is not whitespace"),
            ("{\"a\": 1\u{0C}}", 8, "`U+000C` is not whitespace"),
            ("{\"a\":\u{A0}1}", 6, "`U+00A0` is not whitespace"),
            ("{\"a\": 1}\u{2028}", 9, "`U+2028` is not whitespace"),
            ("\u{FEFF}{\"a\": 1}", 1, "a byte order mark"),
            ("{\"a\": é}", 7, "unexpected character `é`"),
            ("{\"a\": \"x\ty\"}", 9, "raw control character U+0009"),
            ("{\"a\": \"x\ny\"}", 9, "raw control character U+000A"),
            ("{\"a\": \"\u{1}\"}", 8, "`\\u0001`"),
        ] {
            let Err(JsonError::Malformed {
                line: 1,
                column: found,
                message,
            }) = parse(text)
            else {
                panic!("{text:?} parsed")
            };
            assert_eq!(found, column, "{text:?}: {message}");
            assert!(message.contains(expected), "{text:?}: {message}");
        }
        // Escaped, and inside strings, they are fine; the parser's earlier error still wins.
        assert!(parse("{\"a\": \"x\\ty\\u000b é\u{A0}\"}").is_ok());
        let Err(JsonError::Malformed { message, .. }) = parse("{\"a\": 1,}\u{0B}") else {
            panic!("parsed")
        };
        assert!(message.contains("trailing comma"), "{message}");
    }

    #[test]
    fn the_end_of_a_text_on_a_checkpoint_has_a_column() {
        // Found by fuzzing: a non-ASCII text whose length is a multiple of the checkpoint
        // interval had no character count stored for its end.
        for length in [CHECKPOINT, 2 * CHECKPOINT] {
            let text = format!("é{}", "a".repeat(length - 2));
            assert_eq!(text.len(), length);
            let lines = LineIndex::new(&text);
            assert_eq!(lines.position(length).column, length - 1 + 1);
        }
    }

    #[test]
    fn duplicate_keys_stay_visible() {
        let node = parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        let JsonValue::Object(members) = &node.value else {
            panic!("object expected")
        };
        assert_eq!(members.len(), 3);
        let duplicates = JsonNode::duplicate_keys(members);
        assert_eq!(duplicates.len(), 1);
        assert_eq!(duplicates[0].0.key, "a");
        assert_eq!(duplicates[0].1.start.column, 2);
    }
}

#[cfg(test)]
mod documented_example {
    #[test]
    fn example() {
        use crate::json::{parse, JsonValue};
        let node = parse("{\n  \"a\": [1, \"x\"]\n}").unwrap();
        let JsonValue::Object(members) = &node.value else {
            unreachable!()
        };
        assert_eq!(members[0].key, "a");
        assert_eq!(members[0].value.span.start.line, 2);
        assert_eq!(members[0].value.span.start.column, 8);
    }
}
