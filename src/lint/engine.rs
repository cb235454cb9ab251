//! The lint engine: reads the document once and runs every check of the registry
//! ([`rules::CHECKS`]) over it.
//!
//! Malformed JSON is a `JSON_SYNTAX_ERROR` finding (never an `Err`); the problems the policy
//! reader reports become their findings ([`super::rules::problems`]); the semantic checks then
//! look at what could be read. Findings are sorted by position, then code.

use super::context::Context;
use super::finding::Finding;
use super::rules;
use crate::catalog::Catalog;
use crate::json::{self, LineIndex};
use crate::policy::PolicyDocument;

/// Lints a policy document with the embedded ECS catalog.
pub fn lint(text: &str) -> Vec<Finding> {
    lint_with(text, Catalog::embedded().ok())
}

/// Lints a policy document with the given catalog (`None`: the checks that need one are skipped).
pub fn lint_with(text: &str, catalog: Option<&Catalog>) -> Vec<Finding> {
    let lines = LineIndex::new(text);
    let root = match json::parse_indexed(text, &lines) {
        Ok(root) => root,
        Err(error) => return vec![rules::syntax::finding(text, &lines, &error)],
    };
    let document = PolicyDocument::from_json(&root);
    let mut context = Context::new(text, lines, &root, &document, catalog);
    for check in rules::CHECKS {
        context.run(check);
    }
    let mut findings = context.into_findings();
    crate::sort::sort_by(&mut findings, |a, b| {
        (a.region.offset, a.region.end_offset, a.code).cmp(&(
            b.region.offset,
            b.region.end_offset,
            b.code,
        ))
    });
    findings.dedup_by(|a, b| a.code == b.code && a.region == b.region && a.message == b.message);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_sorted_and_syntax_errors_are_findings() {
        let findings = lint("{\"Version\": \"1\",}");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "JSON_SYNTAX_ERROR");
        let findings = lint(
            r#"{"Statement": [{"Effect": "allow", "Action": "ecs:DescribeInstance", "Resource": "*"}]}"#,
        );
        let offsets: Vec<usize> = findings.iter().map(|f| f.region.offset).collect();
        let mut sorted = offsets.clone();
        crate::sort::sort_unstable(&mut sorted);
        assert_eq!(offsets, sorted);
        assert_eq!(findings[0].code, "MISSING_VERSION");
    }
}
