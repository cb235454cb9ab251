//! A finding: what is wrong, where, how serious, and how to fix it.

use super::Severity;
use serde::Serialize;

/// A place in the source: byte offsets (end exclusive) and 1-based line:column (columns count
/// characters). `end_line:end_column` is the position just past the last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Region {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub offset: usize,
    pub end_offset: usize,
}

/// One problem found in a policy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Finding {
    /// Stable UPPER_SNAKE_CASE code (see `ram-policy rules`).
    pub code: &'static str,
    pub severity: Severity,
    /// What is wrong and what to do, in one or two sentences.
    pub message: String,
    /// JSON pointer to the offending value (`/Statement/0/Action/1`); empty for the document.
    pub path: String,
    #[serde(flatten)]
    pub region: Region,
    /// A machine-applicable fix, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub fix: Option<Fix>,
}

/// Text edits that resolve a finding. Offsets refer to the linted text; edits never overlap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Fix {
    /// What the fix does, e.g. "replace with `ecs:DescribeInstances`".
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Replace the text of `region` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Edit {
    #[serde(flatten)]
    pub region: Region,
    pub replacement: String,
}

impl Fix {
    /// Applies the edits to `text`, last edit first so that earlier offsets stay valid.
    /// Returns `None` when an edit does not fit the text (a fix for another version of it).
    pub fn apply(&self, text: &str) -> Option<String> {
        let mut edits: Vec<&Edit> = self.edits.iter().collect();
        crate::sort::sort_by_key(&mut edits, |edit| std::cmp::Reverse(edit.region.offset));
        let mut out = text.to_string();
        for edit in edits {
            let range = edit.region.offset..edit.region.end_offset;
            if range.start > range.end
                || !out.is_char_boundary(range.start)
                || !out.is_char_boundary(range.end)
                || range.end > out.len()
            {
                return None;
            }
            out.replace_range(range, &edit.replacement);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(offset: usize, end_offset: usize, replacement: &str) -> Edit {
        Edit {
            region: Region {
                offset,
                end_offset,
                ..Region::default()
            },
            replacement: replacement.into(),
        }
    }

    #[test]
    fn applies_edits_from_the_end() {
        let fix = Fix {
            title: "t".into(),
            edits: vec![edit(0, 1, "AB"), edit(4, 5, "")],
        };
        assert_eq!(fix.apply("abcdef").as_deref(), Some("ABbcdf"));
        let out_of_range = Fix {
            title: "t".into(),
            edits: vec![edit(4, 99, "")],
        };
        assert_eq!(out_of_range.apply("abc"), None);
    }
}
