//! The checks, one file per check or per tight family of checks, each with its tests.

pub mod actions;
pub mod arns;
pub mod authorization;
pub mod conditions;
pub mod coverage;
pub mod problems;
pub mod resource_mismatch;
pub mod security;
pub mod size;
pub mod syntax;

use super::engine::Context;

/// Runs every check on a parsed document.
pub fn run_all(context: &mut Context<'_>) {
    problems::check(context);
    size::check(context);
    actions::check(context);
    arns::check(context);
    conditions::check(context);
    security::check(context);
    resource_mismatch::check(context);
    authorization::check(context);
    coverage::check(context);
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::lint::{engine::lint, Finding};

    /// The findings of one code, each with the source text it covers.
    pub fn found<'t>(text: &'t str, code: &str) -> Vec<(&'t str, Finding)> {
        lint(text)
            .into_iter()
            .filter(|finding| finding.code == code)
            .map(|finding| {
                let slice = &text[finding.region.offset..finding.region.end_offset];
                (slice, finding)
            })
            .collect()
    }

    /// The source slices of the findings of one code.
    pub fn spans<'t>(text: &'t str, code: &str) -> Vec<&'t str> {
        found(text, code)
            .into_iter()
            .map(|(slice, _)| slice)
            .collect()
    }

    /// A one-statement policy.
    pub fn policy(statement: &str) -> String {
        format!("{{\"Version\": \"1\", \"Statement\": [{statement}]}}")
    }

    /// A document with one unconditional `Allow` of `actions` on `resources` (JSON values).
    pub fn allow(actions: &str, resources: &str) -> String {
        policy(&format!(
            r#"{{"Effect": "Allow", "Action": {actions}, "Resource": {resources}}}"#
        ))
    }
}
