//! Reading a named policy text into a checked document, and why that failed: the policy
//! module's own error, so the evaluator takes documents and knows nothing of JSON text.

use super::PolicyDocument;
use crate::error::{Details, ErrorBody};
use crate::json::{JsonError, JsonInputError};

/// A policy could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The policy is not JSON.
    #[error("policy `{policy}`: {error}")]
    Json {
        policy: String,
        error: JsonInputError,
    },
    /// The policy has errors (the first is named; `count` in all).
    #[error("policy `{policy}` at line {line}, column {column}: {message}{}", more(*.count))]
    Invalid {
        policy: String,
        line: usize,
        column: usize,
        pointer: String,
        message: String,
        count: usize,
    },
}

fn more(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " (and 1 more problem)".into(),
        _ => format!(" (and {} more problems)", count - 1),
    }
}

impl Details for PolicyError {
    fn kind(&self) -> &'static str {
        match self {
            PolicyError::Json { .. } => "malformed_policy_json",
            PolicyError::Invalid { .. } => "invalid_policy",
        }
    }

    fn locate(&self, body: &mut ErrorBody) {
        match self {
            PolicyError::Json { policy, error } => {
                body.file = Some(policy.clone());
                error.locate(body);
            }
            PolicyError::Invalid {
                policy,
                line,
                column,
                pointer,
                ..
            } => body.place(policy, *line, *column, Some(pointer)),
        }
    }
}

/// Parses the policy text called `name`; a document with any error is refused, naming the line
/// and column of its first error.
pub fn read_named(name: &str, text: &str) -> Result<PolicyDocument, PolicyError> {
    let document = PolicyDocument::parse(text).map_err(|error| {
        let (line, column) = error.position();
        let message = match error {
            JsonError::Malformed { message, .. } => message,
            other => other.to_string(),
        };
        PolicyError::Json {
            policy: name.to_string(),
            error: JsonInputError::Malformed {
                line,
                column,
                message,
            },
        }
    })?;
    let errors: Vec<_> = document.errors().collect();
    if let Some(first) = errors.first() {
        let span = first.span();
        return Err(PolicyError::Invalid {
            policy: name.to_string(),
            line: span.start.line,
            column: span.start.column,
            pointer: first.pointer().to_string(),
            message: first.to_string(),
            count: errors.len(),
        });
    }
    Ok(document)
}
