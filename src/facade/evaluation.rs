//! `evaluate`'s value ([`EvaluationView`]), serialized straight from an [`Evaluation`]: the CLI
//! writes it to standard output without building a [`serde_json::Value`] first, so memory
//! follows the output.

use crate::catalog::Edition;
use crate::eval::{Decision, Evaluation, ResourceDecisions, StatementRef, TraceEntry};
use crate::policy::Effect;
use serde::{Serialize, Serializer};

#[cfg(test)]
use ts_rs::TS;

/// An evaluation as `ram-policy eval --format json` prints it. Members are in alphabetical
/// order, as in a [`serde_json::Value`], so the streamed bytes equal the value's.
pub struct EvaluationJson<'a>(pub &'a Evaluation);

impl std::fmt::Debug for EvaluationJson<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(formatter)
    }
}

impl Serialize for EvaluationJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        EvaluationView::new(self.0).serialize(serializer)
    }
}

/// `evaluate`'s value: `ram-policy eval --format json`.
#[derive(Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "Evaluation"))]
pub struct EvaluationView<'a> {
    pub action: &'a str,
    pub catalog_edition: Edition,
    /// `Indeterminate`: the answer depends on condition keys RAM sets from facts the input does
    /// not carry (listed in `unknown_context_keys`), or on an undocumented authorization; never
    /// an allow.
    pub decision: Decision,
    /// Why the decision is `Indeterminate` because of the action's authorization.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub depends_on_authorization: Option<&'a str>,
    pub missing_context_keys: &'a [String],
    /// Hints about the request itself; the decision does not depend on them.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    #[cfg_attr(test, ts(optional, as = "Option<Vec<String>>"))]
    pub notes: &'a [String],
    #[serde(serialize_with = "resources")]
    #[cfg_attr(test, ts(as = "Vec<ResourceView<'static>>"))]
    pub resources: &'a ResourceDecisions,
    /// Statements that did not apply, with the first reason.
    #[serde(serialize_with = "traces")]
    #[cfg_attr(test, ts(as = "Vec<Trace<'static>>"))]
    pub trace: &'a [TraceEntry],
    /// Keys RAM sets from facts the input does not carry; the answer depends on them.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    #[cfg_attr(test, ts(optional, as = "Option<Vec<String>>"))]
    pub unknown_context_keys: &'a [String],
}

impl<'a> EvaluationView<'a> {
    /// The view of an evaluation.
    pub fn new(evaluation: &'a Evaluation) -> Self {
        EvaluationView {
            action: &evaluation.action,
            catalog_edition: Edition::default_edition(),
            decision: evaluation.decision,
            depends_on_authorization: evaluation.depends_on_authorization.as_deref(),
            missing_context_keys: &evaluation.missing_context_keys,
            notes: &evaluation.notes,
            resources: &evaluation.resources,
            trace: &evaluation.trace,
            unknown_context_keys: &evaluation.unknown_context_keys,
        }
    }
}

/// A statement that decided an ARN (0-based `statement` index, 1-based line and column).
#[derive(Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "StatementRef"))]
struct StatementView<'a> {
    column: usize,
    effect: Effect,
    line: usize,
    policy: &'a str,
    statement: usize,
}

impl<'a> StatementView<'a> {
    fn new(statement: &'a StatementRef) -> Self {
        StatementView {
            column: statement.column,
            effect: statement.effect,
            line: statement.line,
            policy: &statement.policy,
            statement: statement.statement,
        }
    }
}

/// The decision on one ARN.
#[derive(Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "ResourceDecision"))]
struct ResourceView<'a> {
    arn: &'a str,
    decision: Decision,
    statements: Vec<StatementView<'a>>,
    /// Statements whose conditions depend on keys not known from the input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(test, ts(optional, as = "Option<Vec<StatementView<'a>>>"))]
    undetermined: Vec<StatementView<'a>>,
}

/// A statement that did not apply, and why.
#[derive(Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "TraceEntry"))]
struct Trace<'a> {
    column: usize,
    effect: Effect,
    line: usize,
    /// The reason in words, as the CLI prints it.
    message: String,
    policy: &'a str,
    /// The reason as data (a `Value`, so that its members are sorted).
    #[cfg_attr(test, ts(type = "unknown"))]
    reason: serde_json::Value,
    statement: usize,
}

fn refs(statements: &[StatementRef]) -> Vec<StatementView<'_>> {
    statements.iter().map(StatementView::new).collect()
}

/// Each ARN's decision, made and written one at a time.
fn resources<S: Serializer>(
    resources: &ResourceDecisions,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    struct Made(crate::eval::ResourceDecision);
    impl Serialize for Made {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            ResourceView {
                arn: &self.0.arn,
                decision: self.0.decision,
                statements: refs(&self.0.statements),
                undetermined: refs(&self.0.undetermined),
            }
            .serialize(serializer)
        }
    }
    serializer.collect_seq(resources.iter().map(Made))
}

fn traces<S: Serializer>(trace: &[TraceEntry], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(trace.iter().map(|entry| Trace {
        column: entry.column,
        effect: entry.effect,
        line: entry.line,
        message: entry.reason.to_string(),
        policy: &entry.policy,
        reason: serde_json::to_value(&entry.reason).unwrap_or(serde_json::Value::Null),
        statement: entry.statement,
    }))
}
