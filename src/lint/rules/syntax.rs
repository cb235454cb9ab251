//! `JSON_SYNTAX_ERROR`: the text is not strict JSON. The finding points at the character where
//! the parser stopped (or the end of the text).

use crate::json::{JsonError, LineIndex};
use crate::lint::context::{default_severity, region};
use crate::lint::Finding;

/// The byte offset of a 1-based line and column (columns count characters).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(newline) => start += newline + 1,
            None => return text.len(),
        }
    }
    let rest = text.get(start..).unwrap_or("");
    rest.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(index, _)| start + index)
}

/// The finding for malformed JSON.
pub fn finding(text: &str, lines: &LineIndex<'_>, error: &JsonError) -> Finding {
    let (line, column) = error.position();
    let offset = offset_of(text, line, column);
    let end = text
        .get(offset..)
        .and_then(|rest| rest.chars().next())
        .map_or(offset, |character| offset + character.len_utf8());
    let message = match error {
        JsonError::Malformed { message, .. } => format!(
            "the document is not valid JSON: {message}; RAM accepts strict JSON only (no comments, trailing commas or unquoted keys)"
        ),
        JsonError::TooDeep { limit, .. } => {
            format!("the document nests arrays and objects deeper than {limit} levels; a policy needs at most 5")
        }
    };
    Finding {
        code: super::SYNTAX_CODE,
        severity: default_severity(super::SYNTAX_CODE),
        message,
        path: String::new(),
        region: region(lines.span(offset, end)),
        fix: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::spans;

    #[test]
    fn points_at_the_offending_character() {
        assert_eq!(spans("{\"a\": 1,}", "JSON_SYNTAX_ERROR"), vec![","]);
        assert_eq!(spans("", "JSON_SYNTAX_ERROR"), vec![""]);
        assert_eq!(spans("{\"é\": x}", "JSON_SYNTAX_ERROR"), vec!["x"]);
        assert!(spans("{\"Version\": \"1\"}", "JSON_SYNTAX_ERROR").is_empty());
    }
}
