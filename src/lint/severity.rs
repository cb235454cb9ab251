//! The four levels of the RAM console's own validator, from most to least serious.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How serious a finding is. Ordered: `Suggestion < Warning < SecurityWarning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Severity {
    /// Could be simpler, smaller or tighter; nothing is wrong.
    Suggestion,
    /// Probably not what the author meant: part of the policy never takes effect.
    Warning,
    /// Grants more than it should: a reviewer must look.
    SecurityWarning,
    /// RAM rejects the document, or a part of it can never match.
    Error,
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::SecurityWarning,
        Severity::Warning,
        Severity::Suggestion,
    ];

    /// The name used in JSON, configuration and `--fail-on`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::SecurityWarning => "security_warning",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }

    /// The SARIF `level` for this severity.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::SecurityWarning | Severity::Warning => "warning",
            Severity::Suggestion => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str() == text)
            .ok_or_else(|| {
                format!("unknown severity `{text}`; expected `error`, `security_warning`, `warning` or `suggestion`")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_from_suggestion_to_error() {
        assert!(Severity::Suggestion < Severity::Warning);
        assert!(Severity::Warning < Severity::SecurityWarning);
        assert!(Severity::SecurityWarning < Severity::Error);
        for severity in Severity::ALL {
            assert_eq!(severity.as_str().parse::<Severity>(), Ok(severity));
        }
        assert!("fatal".parse::<Severity>().is_err());
    }
}
