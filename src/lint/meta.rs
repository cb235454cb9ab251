//! What each check is: its code, severity, summary, documentation and examples, kept as data in
//! `src/lint/rules.json` (as parliament does) so that the docs, `ram-policy rules`, the SARIF
//! rule table and the example tests all read the same text.

use super::Severity;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The rule metadata, embedded at compile time.
pub const RULES_JSON: &str = include_str!("rules.json");

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    /// Stable UPPER_SNAKE_CASE code.
    pub code: String,
    /// Default severity (a configuration file may change it).
    pub severity: Severity,
    /// One line.
    pub summary: String,
    /// Why it matters and what the check looks at.
    pub description: String,
    /// A policy on which the check fires (or, starting with `$generated:`, how the test makes one).
    pub bad: String,
    /// A policy on which it stays silent.
    pub good: String,
    /// The text of the span the finding must point at in `bad` (`$document` for the whole
    /// document).
    pub bad_span: String,
    /// What the machine-applicable fix does, when the check offers one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rules: Vec<RuleMeta>,
}

/// Every rule, in documentation order (errors first).
pub fn rules() -> &'static [RuleMeta] {
    static RULES: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    RULES.get_or_init(|| {
        // The file is part of the build and checked by tests; an unreadable file yields no
        // rules rather than a panic, and the tests then fail loudly.
        serde_json::from_str::<RulesFile>(RULES_JSON)
            .map(|file| file.rules)
            .unwrap_or_default()
    })
}

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static RuleMeta> {
    rules().iter().find(|rule| rule.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_file_loads_with_unique_codes() {
        let parsed: RulesFile = serde_json::from_str(RULES_JSON).unwrap();
        assert!(parsed.rules.len() >= 45);
        let mut codes: Vec<&str> = rules().iter().map(|rule| rule.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), rules().len());
        for code in codes {
            assert!(
                code.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{code}"
            );
        }
    }
}
