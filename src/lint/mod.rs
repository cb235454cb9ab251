//! `ram-policy lint`: findings for security reviewers and CI.
//!
//! Each finding has a stable code, one of four severities (those of the RAM console's own
//! validator), a message, the JSON pointer and the source region of the offending value, and,
//! where one exists, a machine-applicable fix. The checks and their documentation are listed in
//! `src/lint/rules.json` and `docs/lints.md`.
//!
//! A check is one entry of the registry `rules::CHECKS`: its codes and its function, joined by
//! code to the metadata in `rules.json` (a test keeps the two in step). The checks see the
//! document through `context::Context`; the `engine` runs them in registry order.

pub(crate) mod finding;
pub(crate) mod meta;
mod severity;

pub use finding::{Edit, Finding, Fix, Region};
pub use meta::{markdown as rules_markdown, rule, rules, text_list as rules_text, RuleMeta};
pub use severity::Severity;
#[cfg(feature = "config")]
mod config;
#[cfg(feature = "config")]
pub use config::{ConfigError, LintConfig, CONFIG_FILE};
#[cfg(feature = "render")]
pub(crate) mod sarif;
#[cfg(feature = "render")]
pub use sarif::to_sarif;

/// The findings of one linted file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileReport {
    /// The path as given (`-` is shown as `<stdin>`).
    pub file: String,
    pub findings: Vec<Finding>,
}
pub(crate) mod context;
mod engine;
pub(crate) mod matching;
mod reach;
#[cfg(feature = "render")]
mod render;
pub(crate) mod rules;

#[cfg(feature = "render")]
pub use render::render_text;

pub use engine::{lint, lint_with};
