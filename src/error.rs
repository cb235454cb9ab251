//! The library's top-level error: every way an input can be wrong, with where it is wrong.
//!
//! Each module owns its error type and says, through [`Details`], what kind it is and where the
//! input is wrong; [`Error`] gathers them, and front ends (the CLI, the wasm module) turn it into
//! text or JSON through [`Error::output`] ([`ErrorBody`]), and the CLI exits with
//! [`Error::exit_code`].

use crate::actiontrail::EventError;
use crate::catalog::CatalogError;
use crate::diagnostic::DiagnosticError;
use crate::generate::GenerateError;
use crate::policy::PolicyError;
use crate::request::RequestError;
use crate::resolve::ResolveError;
use serde::Serialize;
use serde_json::Value;

/// Any error the library reports about its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
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
        Details::kind(self)
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        EXIT_BAD_INPUT
    }

    /// The error as data: `{"error": {"kind", "message", …location}}`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.output()).unwrap_or(Value::Null)
    }

    /// The error as the facade's typed answer ([`crate::facade::ErrorOutput`]).
    pub fn output(&self) -> crate::facade::ErrorOutput {
        crate::facade::ErrorOutput { error: self.body() }
    }

    /// The body of [`Error::output`]: the kind, the message and where, as the module whose error
    /// it is says (`Details`).
    pub fn body(&self) -> ErrorBody {
        let mut body = ErrorBody::new(self.kind(), self.to_string());
        self.locate(&mut body);
        body
    }

    /// The module's own error, when it is one.
    fn inner(&self) -> Option<&dyn Details> {
        Some(match self {
            Error::Request(error) => error,
            Error::Resolve(error) => error,
            Error::Catalog(error) => error,
            Error::Policy(error) => error.as_ref(),
            Error::ActionTrail(error) => error,
            Error::Diagnostic(error) => error,
            Error::Generate(error) => error,
            Error::Context { .. } | Error::Input { .. } => return None,
        })
    }
}

/// What an error tells the JSON answer beyond its message: a stable kind and where the input
/// is wrong. Each module implements it for its own error type, so the mapping of an error to
/// JSON lives beside the error.
pub trait Details: std::fmt::Display {
    /// A short stable kind name, e.g. `malformed_json`, `unknown_action`.
    fn kind(&self) -> &'static str;

    /// Adds where the input is wrong (line, column, pointer, …) to `body`.
    fn locate(&self, body: &mut ErrorBody) {
        let _ = body;
    }
}

impl Details for Error {
    fn kind(&self) -> &'static str {
        match (self, self.inner()) {
            (_, Some(inner)) => inner.kind(),
            (Error::Context { .. }, None) => "invalid_context_value",
            (_, None) => "input",
        }
    }

    fn locate(&self, body: &mut ErrorBody) {
        match (self, self.inner()) {
            (_, Some(inner)) => inner.locate(body),
            (Error::Context { error, .. }, None) => body.key = Some(error.key().to_string()),
            (_, None) => {}
        }
    }
}

/// What every export answers on failure, inside `{"error": …}`: a stable `kind`, a `message` for
/// people, and where the input is wrong (members present only when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ErrorBody {
    /// Stable, e.g. `malformed_json`, `unknown_action`, `invalid_policy`.
    #[cfg_attr(test, ts(type = "ErrorKind"))]
    pub kind: String,
    pub message: String,
    /// The policy's name (policy errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub file: Option<String>,
    /// The record's number in an ActionTrail input (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub record: Option<usize>,
    /// 1-based position in the input text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub column: Option<usize>,
    /// JSON pointer to the offending value.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub pointer: Option<String>,
    /// A member given twice: where it was first given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub first_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub first_column: Option<usize>,
    /// `invalid_context_value`: the condition key.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub key: Option<String>,
    /// `unknown_action`: the closest action names.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub suggestions: Option<Vec<String>>,
    /// `missing_parameter`: the parameters of which one is needed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub parameters: Option<Vec<String>>,
}

impl ErrorBody {
    /// A body with only a kind and a message.
    pub fn new(kind: &str, message: String) -> Self {
        ErrorBody {
            kind: kind.to_string(),
            message,
            file: None,
            record: None,
            line: None,
            column: None,
            pointer: None,
            first_line: None,
            first_column: None,
            key: None,
            suggestions: None,
            parameters: None,
        }
    }

    /// A member given twice: its pointer, its place and the place of its first value.
    pub fn duplicate(&mut self, duplicate: &crate::json::DuplicateMember) {
        self.pointer = Some(duplicate.pointer.clone());
        self.line = Some(duplicate.line);
        self.column = Some(duplicate.column);
        self.first_line = Some(duplicate.first_line);
        self.first_column = Some(duplicate.first_column);
    }

    /// A place in a named file, with the pointer when known.
    pub fn place(&mut self, file: &str, line: usize, column: usize, pointer: Option<&String>) {
        self.file = Some(file.to_string());
        self.line = Some(line);
        self.column = Some(column);
        self.pointer = pointer.cloned();
    }
}
