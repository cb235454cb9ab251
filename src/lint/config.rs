//! `ram-policy.toml`: turning checks off, changing their severity, and ignoring codes for some
//! paths.
//!
//! ```toml
//! # The lowest severity that makes `ram-policy lint` exit 1 (the command line wins).
//! fail-on = "warning"
//!
//! [rules]
//! disable = ["MERGEABLE_STATEMENTS"]
//!
//! [rules.severity]
//! PRIVATE_IP_IN_SOURCE_IP = "error"
//!
//! [[ignore]]
//! paths = ["policies/legacy/**"]
//! codes = ["FULL_ADMIN_ACCESS", "SERVICE_WILDCARD"]
//! ```
//!
//! Every code named must exist; unknown keys are errors, so a typo never silently disables
//! nothing.

use super::{rule, Finding, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The file name looked for in the current directory.
pub const CONFIG_FILE: &str = "ram-policy.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConfigFile {
    fail_on: Option<String>,
    #[serde(default)]
    rules: RulesSection,
    #[serde(default)]
    ignore: Vec<IgnoreSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesSection {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreSection {
    paths: Vec<String>,
    codes: Vec<String>,
}

/// A checked configuration.
#[derive(Debug, Default, Clone)]
pub struct LintConfig {
    /// The `fail-on` threshold, when the file sets one.
    pub fail_on: Option<Severity>,
    disabled: BTreeSet<String>,
    severities: BTreeMap<String, Severity>,
    ignores: Vec<(GlobSet, BTreeSet<String>)>,
}

/// Why a configuration file is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Not TOML of the expected shape.
    #[error("{message}")]
    Malformed { message: String },
    /// A code that no check has.
    #[error("unknown check `{code}` in `{place}`; `ram-policy rules` lists them")]
    UnknownCode { code: String, place: String },
    /// A severity name that does not exist.
    #[error("{message} in `{place}`")]
    BadSeverity { message: String, place: String },
    /// A path glob that does not parse.
    #[error("invalid path glob `{glob}` in `ignore`: {message}")]
    BadGlob { glob: String, message: String },
}

impl LintConfig {
    /// Parses and checks a configuration file's text.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|error| {
            let mut message = error.to_string().trim_end().to_string();
            // toml names only the second place of a duplicate key: add the first.
            if let Some(first) = error
                .span()
                .filter(|_| error.message().contains("duplicate key"))
                .and_then(|span| first_definition(text, span))
            {
                message.push_str(&format!("\n(first defined at line {first})"));
            }
            ConfigError::Malformed { message }
        })?;
        let known = |code: &String, place: &str| {
            if rule(code).is_some() {
                Ok(code.clone())
            } else {
                Err(ConfigError::UnknownCode {
                    code: code.clone(),
                    place: place.into(),
                })
            }
        };
        let severity = |name: &str, place: &str| {
            name.parse::<Severity>()
                .map_err(|message| ConfigError::BadSeverity {
                    message,
                    place: place.into(),
                })
        };
        let mut config = LintConfig {
            fail_on: file
                .fail_on
                .as_deref()
                .map(|name| severity(name, "fail-on"))
                .transpose()?,
            ..LintConfig::default()
        };
        for code in &file.rules.disable {
            config.disabled.insert(known(code, "rules.disable")?);
        }
        for (code, name) in &file.rules.severity {
            let place = format!("rules.severity.{code}");
            config
                .severities
                .insert(known(code, &place)?, severity(name, &place)?);
        }
        for section in &file.ignore {
            let mut builder = GlobSetBuilder::new();
            for glob in &section.paths {
                let compiled = Glob::new(glob).map_err(|error| ConfigError::BadGlob {
                    glob: glob.clone(),
                    message: error.kind().to_string(),
                })?;
                builder.add(compiled);
            }
            let set = builder.build().map_err(|error| ConfigError::BadGlob {
                glob: section.paths.join(", "),
                message: error.to_string(),
            })?;
            let codes = section
                .codes
                .iter()
                .map(|code| known(code, "ignore.codes"))
                .collect::<Result<BTreeSet<_>, _>>()?;
            config.ignores.push((set, codes));
        }
        Ok(config)
    }

    /// Applies the configuration to the findings of one file: drops disabled and ignored codes
    /// and sets configured severities.
    pub fn apply(&self, path: &str, findings: Vec<Finding>) -> Vec<Finding> {
        let normalized = path.strip_prefix("./").unwrap_or(path);
        findings
            .into_iter()
            .filter(|finding| !self.disabled.contains(finding.code))
            .filter(|finding| {
                !self.ignores.iter().any(|(paths, codes)| {
                    codes.contains(finding.code) && paths.is_match(normalized)
                })
            })
            .map(|mut finding| {
                if let Some(severity) = self.severities.get(finding.code) {
                    finding.severity = *severity;
                }
                finding
            })
            .collect()
    }
}

/// For a key defined twice (`span` is the second definition's key, as toml reports it): the
/// line (from 1) of the first definition in the same table, or of the same table header.
fn first_definition(text: &str, span: std::ops::Range<usize>) -> Option<usize> {
    let key = text.get(span.clone())?.trim().trim_matches('"');
    let lines: Vec<&str> = text.lines().collect();
    let second = text.get(..span.start)?.matches('\n').count();
    let header_of = |line: &str| {
        line.trim_start()
            .starts_with('[')
            .then(|| line.trim().to_string())
    };
    if let Some(header) = header_of(lines.get(second)?) {
        return lines
            .iter()
            .take(second)
            .position(|line| line.trim() == header)
            .map(|index| index + 1);
    }
    // The table the second definition is in, and the first definition under the same one.
    let table = lines
        .iter()
        .take(second)
        .rev()
        .find_map(|line| header_of(line))
        .unwrap_or_default();
    let mut current = String::new();
    for (index, line) in lines.iter().enumerate().take(second) {
        if let Some(header) = header_of(line) {
            current = header;
            continue;
        }
        let rest = line.trim_start().strip_prefix(key).map(str::trim_start);
        let defines = rest.is_some_and(|rest| rest.starts_with('=') || rest.starts_with('.'));
        if current == table && defines {
            return Some(index + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Region;

    fn finding(code: &'static str) -> Finding {
        Finding {
            code,
            severity: Severity::Warning,
            message: String::new(),
            path: String::new(),
            region: Region::default(),
            fix: None,
        }
    }

    #[test]
    fn disables_ignores_and_changes_severity() {
        let config = LintConfig::from_toml(
            r#"
fail-on = "error"
[rules]
disable = ["MERGEABLE_STATEMENTS"]
[rules.severity]
PRIVATE_IP_IN_SOURCE_IP = "error"
[[ignore]]
paths = ["legacy/**"]
codes = ["FULL_ADMIN_ACCESS"]
"#,
        )
        .unwrap();
        assert_eq!(config.fail_on, Some(Severity::Error));
        let all = || {
            vec![
                finding("MERGEABLE_STATEMENTS"),
                finding("PRIVATE_IP_IN_SOURCE_IP"),
                finding("FULL_ADMIN_ACCESS"),
            ]
        };
        let kept = config.apply("./legacy/admin.json", all());
        assert_eq!(kept.len(), 1);
        assert_eq!(
            (kept[0].code, kept[0].severity),
            ("PRIVATE_IP_IN_SOURCE_IP", Severity::Error)
        );
        assert_eq!(config.apply("policies/admin.json", all()).len(), 2);
    }

    #[test]
    fn rejects_unknown_codes_keys_and_severities() {
        let error = LintConfig::from_toml("[rules]\ndisable = [\"NO_SUCH_CHECK\"]").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown check `NO_SUCH_CHECK` in `rules.disable`; `ram-policy rules` lists them"
        );
        assert!(matches!(
            LintConfig::from_toml("[rulez]"),
            Err(ConfigError::Malformed { .. })
        ));
        // A duplicate key names both places.
        let error = LintConfig::from_toml(
            "[rules]\ndisable = []\n\n[rules.severity]\nX = \"error\"\nX = \"warning\"\n",
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("line 6")
                && error.to_string().contains("first defined at line 5"),
            "{error}"
        );
        let error = LintConfig::from_toml("[rules]\ndisable = []\n[rules]\n").unwrap_err();
        assert!(
            error.to_string().contains("first defined at line 1"),
            "{error}"
        );
        let error = LintConfig::from_toml("fail-on = \"fatal\"").unwrap_err();
        assert!(
            error.to_string().contains("unknown severity `fatal`"),
            "{error}"
        );
        let error = LintConfig::from_toml("[[ignore]]\npaths = [\"[\"]\ncodes = []").unwrap_err();
        assert!(matches!(error, ConfigError::BadGlob { .. }), "{error}");
    }
}
