//! The fix part of an explanation: the ARNs no `Allow` covers, the statement that would allow
//! exactly them, and the ranked options ([`super::fixes`]).

use super::analysis::StatementAnalysis;
use super::{
    because, fixes, same_statement, view, ArnExplanation, Call, DenyChange, Fix, Policies,
    SUGGESTED_POLICY,
};
use crate::eval::{reference, Decision};
use crate::policy::{Effect, PolicyDocument};
use std::collections::BTreeSet;

/// The suggested statement as a JSON value.
fn allow_statement(action: &str, arns: &[String]) -> serde_json::Value {
    serde_json::json!({"Effect": "Allow", "Action": action, "Resource": arns})
}

fn statement_text(statement: &serde_json::Value) -> String {
    // Keys in RAM's usual order: Effect, Action, Resource.
    let resources: Vec<String> = statement
        .get("Resource")
        .and_then(serde_json::Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|item| serde_json::to_string(item).unwrap_or_default())
                .collect()
        })
        .unwrap_or_default();
    let action = statement
        .get("Action")
        .map(|action| serde_json::to_string(action).unwrap_or_default())
        .unwrap_or_default();
    let mut out = String::from("{\n  \"Effect\": \"Allow\",\n");
    out.push_str(&format!("  \"Action\": {action},\n  \"Resource\": [\n"));
    let last = resources.len().saturating_sub(1);
    for (index, resource) in resources.iter().enumerate() {
        let comma = if index == last { "" } else { "," };
        out.push_str(&format!("    {resource}{comma}\n"));
    }
    out.push_str("  ]\n}");
    out
}

fn policy_text(statement_text: &str) -> String {
    let indented: Vec<String> = statement_text
        .lines()
        .map(|line| format!("    {line}"))
        .collect();
    format!(
        "{{\n  \"Version\": \"1\",\n  \"Statement\": [\n{}\n  ]\n}}",
        indented.join("\n")
    )
}

pub(super) fn fix(
    policies: &Policies,
    call: &Call,
    analyses: &[StatementAnalysis<'_>],
    resources: &[ArnExplanation],
) -> Fix {
    // ARNs that no Allow statement matches (whatever the Deny statements say).
    let unallowed: Vec<String> = resources
        .iter()
        .enumerate()
        .filter(|(index, _)| {
            !analyses
                .iter()
                .any(|analysis| analysis.effect == Effect::Allow && analysis.matches(*index))
        })
        .map(|(_, resource)| resource.arn.clone())
        .collect();
    // Deny statements that match some ARN.
    let mut change_deny = Vec::new();
    let mut removed: BTreeSet<(usize, usize)> = BTreeSet::new();
    for analysis in analyses
        .iter()
        .filter(|analysis| analysis.effect == Effect::Deny)
    {
        let denied: Vec<usize> = (0..resources.len())
            .filter(|index| analysis.matches(*index))
            .collect();
        let Some(first) = denied.first() else {
            continue;
        };
        removed.insert((analysis.policy_index, analysis.statement.index));
        change_deny.push(DenyChange {
            statement: view(policies, analysis),
            arns: denied
                .iter()
                .filter_map(|index| resources.get(*index).map(|r| r.arn.clone()))
                .collect(),
            because: because(analysis, *first),
        });
    }
    let mut notes = Vec::new();
    let (statement, statement_json, policy_json) = if unallowed.is_empty() {
        (None, None, None)
    } else {
        let statement = allow_statement(&call.action, &unallowed);
        let text = statement_text(&statement);
        let policy = policy_text(&text);
        (Some(statement), Some(text), Some(policy))
    };
    if unallowed
        .iter()
        .any(|arn| crate::actiontrail::is_masked(arn))
    {
        notes.push(
            "an ARN holds an id masked with `****` by the input: replace it with the real id before using the statement (a masked id acts as a wildcard)".to_string(),
        );
    }
    if unallowed.iter().any(|arn| arn.ends_with("/*")) {
        notes.push(
            "an ARN ends in `/*`: that is the resource RAM checks for this call (no ids given), not a wildcard added by the fix".to_string(),
        );
    }
    // Check by evaluation: with the statement added, which ARNs do Deny statements still deny;
    // with those Deny statements removed as well, is the call allowed?
    let mut with_statement = policies.set.clone();
    if let Some(text) = &policy_json {
        if let Ok(document) = PolicyDocument::parse(text) {
            with_statement.add(SUGGESTED_POLICY.to_string(), document);
        }
    }
    let arns = call.arns();
    let evaluation = reference::evaluate(
        &with_statement,
        &call.action,
        &arns,
        &call.condition_context(),
    );
    let mut blocked_by = Vec::new();
    let mut seen = BTreeSet::new();
    for decided in &evaluation.resources {
        if decided.decision != Decision::ExplicitDeny || !unallowed.contains(&decided.arn) {
            continue;
        }
        for reference in &decided.statements {
            if let Some(analysis) = analyses
                .iter()
                .find(|analysis| same_statement(analysis, reference))
            {
                if seen.insert((analysis.policy_index, analysis.statement.index)) {
                    blocked_by.push(view(policies, analysis));
                }
            }
        }
    }
    let mut without_denies = with_statement.clone();
    without_denies
        .statements
        .retain(|statement| !removed.contains(&(statement.policy, statement.index)));
    let allowed_after = reference::evaluate(
        &without_denies,
        &call.action,
        &arns,
        &call.condition_context(),
    )
    .decision
        == Decision::Allow;
    if !allowed_after {
        notes.push(
            "even with this change the call would not be allowed: see the statements above"
                .to_string(),
        );
    }
    let mut fix = Fix {
        statement,
        statement_text: statement_json,
        policy_text: policy_json,
        blocked_by,
        change_deny,
        allowed_after,
        notes,
        options: Vec::new(),
    };
    fix.options = fixes::rank(policies, call, analyses, &fix);
    fix
}
