//! What every check sees and reports through: the parsed document, its text and positions, the
//! catalog, and the findings so far. The checks ([`super::rules`]) and the engine
//! ([`super::engine`]) both depend on this file, never on each other's internals.

use super::finding::{Edit, Finding, Fix, Region};
use super::{rule, Severity};
use crate::catalog::{Action, Catalog};
use crate::json::{JsonMember, JsonNode, JsonValue, LineIndex, Span};
use crate::policy::PolicyDocument;
use std::collections::HashMap;

/// One entry of the check registry ([`super::rules::CHECKS`]): the codes a check reports (their
/// metadata is `rules.json`'s entry of the same code) and the function that runs it. A check
/// reports only its own codes (debug builds assert it), and a test checks that every code of
/// `rules.json` belongs to exactly one check.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// The codes this check reports.
    pub codes: &'static [&'static str],
    /// Runs the check over a parsed document.
    pub run: fn(&mut Context<'_>),
}

impl Check {
    /// The metadata of each code of the check (what the registry's test compares).
    #[cfg(test)]
    pub fn rules(&self) -> impl Iterator<Item = &'static super::RuleMeta> {
        self.codes.iter().filter_map(|code| rule(code))
    }
}

/// What the checks see, and where they put their findings.
pub struct Context<'a> {
    pub text: &'a str,
    pub lines: LineIndex<'a>,
    pub root: &'a JsonNode,
    pub document: &'a PolicyDocument,
    pub catalog: Option<&'a Catalog>,
    findings: Vec<Finding>,
    /// The codes of the check running now: it may report only those (see [`Check`]).
    codes: &'static [&'static str],
    /// The catalog actions each action pattern matches: several checks ask for the same
    /// pattern, and matching scans the whole catalog.
    matches: HashMap<String, Vec<&'a Action>>,
    /// Which resource patterns reach which catalog templates, for the whole document.
    pub reach: super::reach::Reach<'a>,
}

/// The severity a code has by default (`error` for a code missing from `rules.json`, which a test
/// forbids).
pub fn default_severity(code: &str) -> Severity {
    rule(code).map_or(Severity::Error, |meta| meta.severity)
}

/// A region from a span.
pub fn region(span: Span) -> Region {
    Region {
        line: span.start.line,
        column: span.start.column,
        end_line: span.end.line,
        end_column: span.end.column,
        offset: span.offset,
        end_offset: span.end_offset,
    }
}

/// JSON pointers of the policy reader use `/` for the document; findings use the empty pointer.
fn finding_pointer(pointer: &str) -> String {
    if pointer == "/" {
        String::new()
    } else {
        pointer.to_string()
    }
}

impl<'a> Context<'a> {
    /// The context of one parsed document, with no finding yet.
    pub fn new(
        text: &'a str,
        lines: LineIndex<'a>,
        root: &'a JsonNode,
        document: &'a PolicyDocument,
        catalog: Option<&'a Catalog>,
    ) -> Self {
        Context {
            text,
            lines,
            root,
            document,
            catalog,
            findings: Vec::new(),
            codes: &[],
            matches: HashMap::new(),
            reach: Default::default(),
        }
    }

    /// Runs one check over the document.
    pub fn run(&mut self, check: &Check) {
        self.codes = check.codes;
        (check.run)(self);
        self.codes = &[];
    }

    /// The findings reported so far, in the order they were reported.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// The catalog actions an action pattern matches (letter case ignored), remembered for the
    /// rest of this document; empty without a catalog.
    pub fn catalog_matches(&mut self, pattern: &str) -> Vec<&'a Action> {
        let Some(catalog) = self.catalog else {
            return Vec::new();
        };
        if let Some(found) = self.matches.get(pattern) {
            return found.clone();
        }
        let found = super::matching::catalog_matches(catalog, pattern);
        self.matches.insert(pattern.to_string(), found.clone());
        found
    }

    /// [`Context::catalog_matches`] in a given catalog: remembered when it is the document's.
    pub fn catalog_matches_in(&mut self, catalog: &'a Catalog, pattern: &str) -> Vec<&'a Action> {
        if self.catalog.is_some_and(|own| std::ptr::eq(own, catalog)) {
            self.catalog_matches(pattern)
        } else {
            super::matching::catalog_matches(catalog, pattern)
        }
    }

    /// Records a finding with the code's default severity.
    pub fn report(
        &mut self,
        code: &'static str,
        span: Span,
        pointer: &str,
        message: String,
        fix: Option<Fix>,
    ) {
        debug_assert!(
            self.codes.contains(&code),
            "a check reported `{code}`, which its registry entry does not list"
        );
        self.findings.push(Finding {
            code,
            severity: default_severity(code),
            message,
            path: finding_pointer(pointer),
            region: region(span),
            fix,
        });
    }

    /// An edit replacing the bytes `offset..end_offset`.
    pub fn edit(&self, offset: usize, end_offset: usize, replacement: impl Into<String>) -> Edit {
        Edit {
            region: region(self.lines.span(offset, end_offset)),
            replacement: replacement.into(),
        }
    }

    /// A one-edit fix replacing a span with a JSON string.
    pub fn replace_with_string(&self, span: Span, value: &str, title: String) -> Fix {
        let quoted = serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""));
        Fix {
            title,
            edits: vec![self.edit(span.offset, span.end_offset, quoted)],
        }
    }

    /// A fix removing `offset..end_offset` (an array element or an object member) together with
    /// one separating comma, so that the document stays valid JSON.
    pub fn removal(&self, offset: usize, end_offset: usize, title: String) -> Fix {
        let bytes = self.text.as_bytes();
        let skip_forward = |mut at: usize| {
            while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            }
            at
        };
        let after = skip_forward(end_offset);
        let (start, end) = if bytes.get(after) == Some(&b',') {
            (offset, skip_forward(after + 1))
        } else {
            let mut before = offset;
            while before > 0 && bytes.get(before - 1).is_some_and(u8::is_ascii_whitespace) {
                before -= 1;
            }
            if before > 0 && bytes.get(before - 1) == Some(&b',') {
                (before - 1, end_offset)
            } else {
                (offset, end_offset)
            }
        };
        Fix {
            title,
            edits: vec![self.edit(start, end, "")],
        }
    }

    /// The JSON value at a pointer (`""` or `"/"` is the document).
    pub fn node_at(&self, pointer: &str) -> Option<&JsonNode> {
        let mut node = self.root;
        for token in pointer_tokens(pointer) {
            node = match &node.value {
                JsonValue::Object(members) => {
                    &members.iter().find(|member| member.key == *token)?.value
                }
                JsonValue::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The object member a pointer names (its key span and value), the first of duplicates.
    pub fn member_at(&self, pointer: &str) -> Option<&JsonMember> {
        let (parent, last) = pointer.rsplit_once('/')?;
        let name = unescape(last);
        match &self.node_at(parent)?.value {
            JsonValue::Object(members) => members.iter().find(|member| member.key == name),
            _ => None,
        }
    }

    /// The span of the member key of a value's pointer, or the value's span when there is none.
    pub fn key_span(&self, pointer: &str, fallback: Span) -> Span {
        self.member_at(pointer)
            .map_or(fallback, |member| member.key_span)
    }
}

fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        std::borrow::Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        std::borrow::Cow::Borrowed(token)
    }
}

fn pointer_tokens(pointer: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> + '_ {
    pointer
        .split('/')
        .skip(1)
        .filter(|token| !token.is_empty())
        .map(unescape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn removal_keeps_valid_json() {
        let text = r#"{"a": ["x", "y", "z"], "b": 1}"#;
        let root = json::parse(text).unwrap();
        let document = PolicyDocument::from_json(&root);
        let context = Context::new(text, LineIndex::new(text), &root, &document, None);
        for (pointer, expected) in [
            ("/a/0", r#"{"a": ["y", "z"], "b": 1}"#),
            ("/a/2", r#"{"a": ["x", "y"], "b": 1}"#),
        ] {
            let span = context.node_at(pointer).unwrap().span;
            let fix = context.removal(span.offset, span.end_offset, "t".into());
            assert_eq!(fix.apply(text).unwrap(), expected);
        }
        let member = context.member_at("/b").unwrap();
        let fix = context.removal(
            member.key_span.offset,
            member.value.span.end_offset,
            "t".into(),
        );
        assert_eq!(fix.apply(text).unwrap(), r#"{"a": ["x", "y", "z"]}"#);
    }
}
