//! What can be wrong in a policy document: one variant per kind, each with the place.

use crate::json::Span;
use serde::Serialize;

/// A problem found while reading a policy document. Every variant carries the JSON pointer
/// and the source span of the offending part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Problem {
    /// A value has the wrong JSON type.
    #[error("`{pointer}` must be {expected}, found {found}")]
    WrongType {
        pointer: String,
        span: Span,
        expected: &'static str,
        found: &'static str,
    },
    /// An element RAM identity policies do not have (`Sid`, `Principal`, `NotResource`, …).
    #[error("unknown element `{element}` at `{pointer}`{}", unknown_hint(.element))]
    UnknownElement {
        element: String,
        pointer: String,
        span: Span,
    },
    /// A required element is absent.
    #[error("`{pointer}` has no `{element}`")]
    MissingElement {
        element: &'static str,
        pointer: String,
        span: Span,
    },
    /// The same member name occurs twice in one object.
    #[error("`{element}` occurs more than once at `{pointer}` (first at line {first_line}, column {first_column})")]
    DuplicateElement {
        element: String,
        pointer: String,
        span: Span,
        first_line: usize,
        first_column: usize,
    },
    /// A statement has both `Action` and `NotAction`.
    #[error("statement `{pointer}` has both `Action` and `NotAction`")]
    ActionAndNotAction { pointer: String, span: Span },
    /// `Effect` is neither `Allow` nor `Deny`.
    #[error("`{pointer}` is `{value}`; expected `Allow` or `Deny` (case-sensitive)")]
    InvalidEffect {
        value: String,
        pointer: String,
        span: Span,
    },
    /// `Version` is not `"1"`.
    #[error("`{pointer}` is `{value}`; the only policy version is `1`")]
    InvalidVersion {
        value: String,
        pointer: String,
        span: Span,
    },
    /// An element that lists values lists none.
    #[error("`{pointer}` is empty")]
    EmptyList {
        element: String,
        pointer: String,
        span: Span,
    },
    /// A condition operator RAM does not document.
    #[error("unknown condition operator `{operator}` at `{pointer}`")]
    UnknownOperator {
        operator: String,
        pointer: String,
        span: Span,
    },
    /// `Statement` is a single object instead of an array: accepted, but worth a lint.
    #[error("`{pointer}` is a single object; RAM documents an array of statements")]
    SingleStatementObject { pointer: String, span: Span },
}

fn unknown_hint(element: &str) -> &'static str {
    match element {
        "Sid" => "; `Sid` is not in the RAM policy grammar",
        "Principal" => "; `Principal` exists only in resource-based policies",
        "NotResource" => "; RAM does not support `NotResource`",
        _ => "",
    }
}

impl Problem {
    /// A stable snake_case name of the kind, e.g. `unknown_element`.
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::WrongType { .. } => "wrong_type",
            Problem::UnknownElement { .. } => "unknown_element",
            Problem::MissingElement { .. } => "missing_element",
            Problem::DuplicateElement { .. } => "duplicate_element",
            Problem::ActionAndNotAction { .. } => "action_and_not_action",
            Problem::InvalidEffect { .. } => "invalid_effect",
            Problem::InvalidVersion { .. } => "invalid_version",
            Problem::EmptyList { .. } => "empty_list",
            Problem::UnknownOperator { .. } => "unknown_operator",
            Problem::SingleStatementObject { .. } => "single_statement_object",
        }
    }

    /// Whether the document cannot be evaluated with this problem (everything but style).
    pub fn is_error(&self) -> bool {
        !matches!(self, Problem::SingleStatementObject { .. })
    }

    /// The JSON pointer of the offending part.
    pub fn pointer(&self) -> &str {
        match self {
            Problem::WrongType { pointer, .. }
            | Problem::UnknownElement { pointer, .. }
            | Problem::MissingElement { pointer, .. }
            | Problem::DuplicateElement { pointer, .. }
            | Problem::ActionAndNotAction { pointer, .. }
            | Problem::InvalidEffect { pointer, .. }
            | Problem::InvalidVersion { pointer, .. }
            | Problem::EmptyList { pointer, .. }
            | Problem::UnknownOperator { pointer, .. }
            | Problem::SingleStatementObject { pointer, .. } => pointer,
        }
    }

    /// The source span of the offending part.
    pub fn span(&self) -> Span {
        match self {
            Problem::WrongType { span, .. }
            | Problem::UnknownElement { span, .. }
            | Problem::MissingElement { span, .. }
            | Problem::DuplicateElement { span, .. }
            | Problem::ActionAndNotAction { span, .. }
            | Problem::InvalidEffect { span, .. }
            | Problem::InvalidVersion { span, .. }
            | Problem::EmptyList { span, .. }
            | Problem::UnknownOperator { span, .. }
            | Problem::SingleStatementObject { span, .. } => *span,
        }
    }
}
