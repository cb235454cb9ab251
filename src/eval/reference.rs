//! The plain reference evaluator: every statement, every pattern, one at a time, with the
//! reference wildcard matcher. Slow but obviously right; it also builds the trace.

use super::{Arns, Decided, Evaluation, Matches, NotApplied, PolicySet, StatementData, TraceEntry};
use crate::condition::{ConditionFailure, Context};
use crate::policy::ActionKind;
use crate::wildcard::reference_match;
use std::collections::BTreeSet;

/// Whether the statement's `Action` / `NotAction` covers the action.
pub(crate) fn action_applies(statement: &StatementData, action: &str) -> bool {
    let action = action.to_ascii_lowercase();
    let listed = statement
        .actions
        .iter()
        .any(|pattern| reference_match(&pattern.to_ascii_lowercase(), &action));
    match statement.action_kind {
        ActionKind::Action => listed,
        ActionKind::NotAction => !listed,
    }
}

fn resource_applies(statement: &StatementData, arn: &str) -> bool {
    statement
        .resources
        .iter()
        .any(|pattern| reference_match(pattern, arn))
}

/// Evaluates an action on resolved ARNs.
pub fn evaluate<A: AsRef<str>, C: Context + ?Sized>(
    set: &PolicySet,
    action: &str,
    arns: &[A],
    context: &C,
) -> Evaluation {
    evaluate_arns(set, action, Arns::listed(arns), context)
}

/// [`evaluate`] keeping `arns` in the evaluation.
pub(crate) fn evaluate_arns<C: Context + ?Sized>(
    set: &PolicySet,
    action: &str,
    arns: Arns,
    context: &C,
) -> Evaluation {
    let mut trace = Vec::new();
    let mut missing = BTreeSet::new();
    let mut unknown_keys = BTreeSet::new();
    let mut decided = Decided::with_capacity(arns.len());
    let entry = |statement: &StatementData, reason: NotApplied| {
        let reference = set.reference_of(statement);
        TraceEntry {
            policy: reference.policy,
            statement: reference.statement,
            effect: reference.effect,
            line: reference.line,
            column: reference.column,
            reason,
        }
    };
    let applicable: Vec<&StatementData> = set
        .statements
        .iter()
        .filter(|statement| {
            let applies = action_applies(statement, action);
            if !applies {
                let element = match statement.action_kind {
                    ActionKind::Action => "Action",
                    ActionKind::NotAction => "NotAction",
                };
                trace.push(entry(statement, NotApplied::Action { element }));
            }
            applies
        })
        .collect();
    arns.visit(|arn| {
        let mut matches = Matches::default();
        for statement in &applicable {
            if !resource_applies(statement, arn) {
                trace.push(entry(
                    statement,
                    NotApplied::Resource {
                        arn: arn.to_string(),
                        literal_star: arn == "*",
                    },
                ));
                continue;
            }
            let mut absent = Vec::new();
            let mut unknown = Vec::new();
            let outcome = statement
                .condition
                .evaluate_tracking(context, &mut absent, &mut unknown);
            missing.extend(absent);
            unknown_keys.extend(unknown);
            match outcome {
                Ok(()) => matches.add(set.reference_of(statement), true),
                Err(ConditionFailure {
                    entry: index,
                    absent,
                    unknown,
                }) => {
                    if unknown {
                        matches.add(set.reference_of(statement), false);
                    }
                    if let Some(failed) = statement.condition.entries.get(index) {
                        trace.push(entry(
                            statement,
                            NotApplied::Condition {
                                arn: arn.to_string(),
                                operator: failed.written_operator(),
                                key: failed.key.clone(),
                                values: failed.values.clone(),
                                absent,
                                unknown,
                            },
                        ));
                    }
                }
            }
        }
        decided.decide(matches);
    });
    let resources = decided.finish(arns);
    Evaluation::from_resources(action, resources, missing, unknown_keys, trace)
}
