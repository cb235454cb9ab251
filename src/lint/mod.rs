//! `ram-policy lint`: findings for security reviewers and CI.
//!
//! Each finding has a stable code, one of four severities (those of the RAM console's own
//! validator), a message, the JSON pointer and the source region of the offending value, and,
//! where one exists, a machine-applicable fix. The checks and their documentation are listed in
//! `src/lint/rules.json` and `docs/lints.md`.

pub mod finding;
pub mod meta;
pub mod severity;

pub use finding::{Edit, Finding, Fix, Region};
pub use meta::{rule, rules, RuleMeta};
pub use severity::Severity;
#[cfg(feature = "config")]
pub mod config;
#[cfg(feature = "render")]
pub mod sarif;

/// The findings of one linted file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileReport {
    /// The path as given (`-` is shown as `<stdin>`).
    pub file: String,
    pub findings: Vec<Finding>,
}
pub mod engine;
#[cfg(feature = "render")]
pub mod render;
pub mod rules;

pub use engine::{lint, lint_with};
