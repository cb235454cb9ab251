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

use super::context::Check;

/// The code the engine reports itself when the text is not JSON ([`syntax::finding`]); every other
/// code belongs to one check of [`CHECKS`].
pub const SYNTAX_CODE: &str = "JSON_SYNTAX_ERROR";

/// Every check, in the order they run on a parsed document. Adding a check: write its file with
/// a `check` function and a `CHECK` entry listing its codes, add the codes' metadata to
/// `rules.json`, and list the entry here.
pub const CHECKS: &[Check] = &[
    problems::CHECK,
    size::CHECK,
    actions::CHECK,
    arns::CHECK,
    conditions::CHECK,
    security::CHECK,
    resource_mismatch::CHECK,
    authorization::CHECK,
    coverage::CHECK,
];

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn every_code_of_rules_json_belongs_to_exactly_one_check() {
        let mut registered: Vec<&str> = CHECKS
            .iter()
            .flat_map(|check| check.codes.iter().copied())
            .chain([SYNTAX_CODE])
            .collect();
        let count = registered.len();
        crate::sort::sort_unstable(&mut registered);
        registered.dedup();
        assert_eq!(registered.len(), count, "a code is listed by two checks");
        let mut documented: Vec<&str> = crate::lint::rules()
            .iter()
            .map(|rule| rule.code.as_str())
            .collect();
        crate::sort::sort_unstable(&mut documented);
        assert_eq!(registered, documented);
        for check in CHECKS {
            assert_eq!(check.rules().count(), check.codes.len());
        }
    }
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
