//! The library's top-level error: every way an input can be wrong, with where it is wrong.
//!
//! Front ends (the CLI, the wasm module) turn it into text or JSON through [`Error::to_json`],
//! and the CLI exits with [`Error::exit_code`].

use crate::actiontrail::EventError;
use crate::catalog::CatalogError;
use crate::diagnostic::DiagnosticError;
use crate::eval::PolicyError;
use crate::generate::GenerateError;
use crate::request::RequestError;
use crate::resolve::ResolveError;
use serde_json::{json, Value};

/// Any error the library reports about its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A request could not be read.
    #[error("{0}")]
    Request(#[from] RequestError),
    /// A request could not be resolved.
    #[error("{0}")]
    Resolve(#[from] ResolveError),
    /// The embedded catalog is broken (a build defect, never the user's input).
    #[error("{0}")]
    Catalog(#[from] CatalogError),
    /// A policy document is malformed or has errors.
    #[error("{0}")]
    Policy(Box<PolicyError>),
    /// A record of an ActionTrail input could not be read.
    #[error("{0}")]
    ActionTrail(#[from] EventError),
    /// A denial diagnostic (`--error`) could not be read.
    #[error("{0}")]
    Diagnostic(#[from] DiagnosticError),
    /// No policy could be generated.
    #[error("{0}")]
    Generate(#[from] GenerateError),
    /// A context value given outside a request document (`--context`, the editor's options)
    /// is empty or cannot be read; `place` says where (`--context acs:SourceIp=`).
    #[error("{place}: {error}")]
    Context {
        place: String,
        error: Box<crate::context::ContextValueError>,
    },
    /// An input file or argument is unusable (unreadable, not UTF-8, too large…).
    #[error("{message}")]
    Input { message: String },
}

impl From<PolicyError> for Error {
    fn from(error: PolicyError) -> Self {
        Error::Policy(Box::new(error))
    }
}

/// Exit code for bad input or usage, shared by every command.
pub const EXIT_BAD_INPUT: i32 = 2;

impl Error {
    /// A short stable kind name, e.g. `malformed_json`, `unknown_action`.
    pub fn kind(&self) -> &'static str {
        use crate::catalog::LookupError;
        match self {
            Error::Request(RequestError::Json { .. }) => "malformed_json",
            Error::Request(RequestError::WrongType { .. }) => "wrong_type",
            Error::Request(RequestError::Missing { .. }) => "missing_member",
            Error::Request(RequestError::UnknownMember { .. }) => "unknown_member",
            Error::Request(RequestError::Duplicate(_)) => "duplicate_member",
            Error::Request(RequestError::Context { .. }) | Error::Context { .. } => {
                "invalid_context_value"
            }
            Error::Request(RequestError::InvalidValue { .. }) => "invalid_value",
            Error::Request(RequestError::DuplicateParameter { .. }) => "duplicate_parameter",
            Error::Resolve(ResolveError::Lookup(LookupError::UnknownAction { .. })) => {
                "unknown_action"
            }
            Error::Resolve(ResolveError::Lookup(LookupError::OtherService { .. })) => {
                "unsupported_service"
            }
            Error::Resolve(ResolveError::MissingParameter { .. }) => "missing_parameter",
            Error::Resolve(ResolveError::MissingAccount { .. }) => "missing_account",
            Error::Resolve(ResolveError::MissingRegion { .. }) => "missing_region",
            Error::Resolve(ResolveError::BadParameter { .. }) => "bad_parameter",
            Error::Policy(policy) => match **policy {
                PolicyError::Json { .. } => "malformed_policy_json",
                PolicyError::Invalid { .. } => "invalid_policy",
            },
            Error::ActionTrail(error) => error.kind(),
            Error::Diagnostic(error) => error.kind(),
            Error::Generate(error) => error.kind(),
            Error::Catalog(_) => "catalog",
            Error::Input { .. } => "input",
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        EXIT_BAD_INPUT
    }

    /// The error as data: `{"error": {"kind", "message", …location}}`.
    pub fn to_json(&self) -> Value {
        let mut body = json!({"kind": self.kind(), "message": self.to_string()});
        if let Some(object) = body.as_object_mut() {
            match self {
                Error::Request(RequestError::Json { line, column, .. }) => {
                    object.insert("line".into(), json!(line));
                    object.insert("column".into(), json!(column));
                }
                Error::Request(RequestError::WrongType { pointer, .. })
                | Error::Request(RequestError::UnknownMember { pointer })
                | Error::Request(RequestError::InvalidValue { pointer, .. })
                | Error::Request(RequestError::DuplicateParameter { pointer, .. }) => {
                    object.insert("pointer".into(), json!(pointer));
                }
                Error::Request(RequestError::Duplicate(duplicate)) => {
                    insert_duplicate(object, duplicate);
                }
                Error::Request(RequestError::Context { pointer, error }) => {
                    object.insert("pointer".into(), json!(pointer));
                    object.insert("key".into(), json!(error.key()));
                }
                Error::Context { error, .. } => {
                    object.insert("key".into(), json!(error.key()));
                }
                Error::Resolve(ResolveError::Lookup(
                    crate::catalog::LookupError::UnknownAction { suggestions, .. },
                )) => {
                    object.insert("suggestions".into(), json!(suggestions));
                }
                Error::Policy(policy) => {
                    let (file, line, column, pointer) = match policy.as_ref() {
                        PolicyError::Json {
                            policy,
                            line,
                            column,
                            ..
                        } => (policy, line, column, None),
                        PolicyError::Invalid {
                            policy,
                            line,
                            column,
                            pointer,
                            ..
                        } => (policy, line, column, Some(pointer)),
                    };
                    object.insert("file".into(), json!(file));
                    object.insert("line".into(), json!(line));
                    object.insert("column".into(), json!(column));
                    if let Some(pointer) = pointer {
                        object.insert("pointer".into(), json!(pointer));
                    }
                }
                Error::Resolve(ResolveError::MissingParameter { params, .. }) => {
                    object.insert("parameters".into(), json!(params));
                }
                Error::ActionTrail(error) => {
                    if let Some(record) = error.record() {
                        object.insert("record".into(), json!(record));
                    }
                    object.insert("line".into(), json!(error.line()));
                    match error {
                        EventError::Json { column, .. }
                        | EventError::EmbeddedJson { column, .. } => {
                            object.insert("column".into(), json!(column));
                        }
                        EventError::WrongType { pointer, .. }
                        | EventError::BadTime { pointer, .. } => {
                            object.insert("pointer".into(), json!(pointer));
                        }
                        EventError::Duplicate { duplicate, .. } => {
                            insert_duplicate(object, duplicate);
                        }
                        _ => {}
                    }
                }
                Error::Diagnostic(DiagnosticError::Duplicate(duplicate)) => {
                    insert_duplicate(object, duplicate);
                }
                Error::Diagnostic(DiagnosticError::Json { line, column, .. }) => {
                    object.insert("line".into(), json!(line));
                    object.insert("column".into(), json!(column));
                }
                Error::Diagnostic(DiagnosticError::WrongType { pointer, .. })
                | Error::Diagnostic(DiagnosticError::EmbeddedJson { pointer, .. }) => {
                    object.insert("pointer".into(), json!(pointer));
                }
                _ => {}
            }
        }
        json!({ "error": body })
    }
}

/// A duplicate member's places, as `to_json` gives them.
fn insert_duplicate(
    object: &mut serde_json::Map<String, Value>,
    duplicate: &crate::json::DuplicateMember,
) {
    object.insert("pointer".into(), json!(duplicate.pointer));
    object.insert("line".into(), json!(duplicate.line));
    object.insert("column".into(), json!(duplicate.column));
    object.insert("first_line".into(), json!(duplicate.first_line));
    object.insert("first_column".into(), json!(duplicate.first_column));
}
