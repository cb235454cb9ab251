//! `ram-policy lint`: findings for security reviewers and CI.
//!
//! Each finding has a stable code, one of four severities (those of the RAM console's own
//! validator), a message, the JSON pointer and the source region of the offending value, and,
//! where one exists, a machine-applicable fix. The checks and their documentation are listed in
//! `src/lint/rules.json` and `docs/lints.md`.
//!
//! A check is one entry of the registry [`rules::CHECKS`]: its codes and its function, joined by
//! code to the metadata in `rules.json` (a test keeps the two in step). The checks see the
//! document through [`context::Context`]; the [`engine`] runs them in registry order.

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
pub mod context;
pub mod engine;
pub mod matching;
#[cfg(feature = "render")]
pub mod render;
pub mod rules;

pub use engine::{lint, lint_with};
