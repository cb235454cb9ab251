//! The ways to get a denied call allowed, ranked by what they cost.
//!
//! First come the fixes that keep every `Deny` statement and every condition: change a fact of
//! the request so that the policies as written allow it ("the resource must carry the tag
//! `team=payments`"), add the action or the ARN to the `Allow` statement that came closest, add
//! the request's value to a condition that is otherwise met, or add a statement that grants
//! nothing a condition was guarding. Then, labelled as weakening a guard rail, a new statement
//! that bypasses a condition the call fails, and the removal or narrowing of a `Deny`. Every fix
//! is checked by evaluating the policies (or the request) with the change; a fix that does not
//! allow the call is not offered, except the last resort, which says so.

use super::analysis::{ConditionCheck, StatementAnalysis};
use super::{Call, Fix, Policies};
use crate::condition::keys::KeyType;
use crate::condition::{Comparison, Operator};
use crate::eval::{reference, Decision, PolicySet};
use crate::policy::Effect;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// What a fix changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum FixKind {
    /// A fact of the request (a context value, a tag of the resource); no policy changes.
    ChangeRequest,
    /// Add the action or the ARN to the closest `Allow` statement.
    WidenStatement,
    /// Add the request's value to a condition of the closest `Allow` statement.
    AddConditionValue,
    /// Add a new `Allow` statement (`Fix::statement_text`).
    AddStatement,
    /// Remove or narrow the `Deny` statements that match (`Fix::change_deny`).
    ChangeDeny,
}

/// One way to get the call allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FixOption {
    pub kind: FixKind,
    /// The fix in one sentence, the same in every output.
    pub sentence: String,
    /// The guard rail this fix weakens; `None` when it keeps every `Deny` and every condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub weakens: Option<String>,
    /// The statement to add, for [`FixKind::AddStatement`] (and [`FixKind::ChangeDeny`] when an
    /// ARN also needs an `Allow`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub statement_text: Option<String>,
    /// Checked by evaluation: with this change the call is allowed.
    pub allowed_after: bool,
}

/// Where a statement is, for sentences: `statement 2 at p.json:4:5`.
fn place(analysis: &StatementAnalysis<'_>) -> String {
    format!(
        "statement {} at {}:{}:{}",
        analysis.statement.index + 1,
        analysis.policy,
        analysis.statement.span.start.line,
        analysis.statement.span.start.column
    )
}

/// What the request must carry for `key` to have `value`, in words.
fn requirement(key: &str, value: &str, operator: Operator) -> String {
    let lower = key.to_ascii_lowercase();
    let tag = ["ecs:tag/", "acs:resourcetag/"]
        .iter()
        .find_map(|prefix| lower.starts_with(prefix).then(|| &key[prefix.len()..]));
    match (tag, operator) {
        (Some(tag), _) => format!("the resource must carry the tag `{tag}={value}`"),
        (None, operator) if operator.value_type() == KeyType::Ip => {
            format!("the call must come from an address such as `{value}` (`{key}`)")
        }
        _ => format!("`{key}` must be `{value}`"),
    }
}

/// The first address of a CIDR block (or the address itself).
fn first_address(value: &str) -> String {
    value.split('/').next().unwrap_or(value).to_string()
}

/// A value that meets an unmet condition entry, when one can be named without guessing.
fn value_meeting(check: &ConditionCheck) -> Option<(String, Operator)> {
    let operator = Operator::parse(&check.operator)?;
    let first = check.values.first()?;
    let value = match (operator.is_negated(), operator.comparison()) {
        (false, Comparison::Equals) if operator.value_type() == KeyType::Ip => first_address(first),
        (false, Comparison::Equals | Comparison::EqualsIgnoreCase) => first.clone(),
        (false, Comparison::Like) if !first.contains(['*', '?']) => first.clone(),
        _ => return None,
    };
    Some((value, operator))
}

/// A value that makes a met condition entry of a `Deny` unmet, when one can be named.
fn value_unmeeting(check: &ConditionCheck) -> Option<(String, Operator)> {
    let operator = Operator::parse(&check.operator)?;
    let first = check.values.first()?;
    let value = match (operator.is_negated(), operator.comparison()) {
        (false, Comparison::Equals) if operator.value_type() == KeyType::Bool => {
            match first.to_ascii_lowercase().as_str() {
                "true" => "false".to_string(),
                "false" => "true".to_string(),
                _ => return None,
            }
        }
        (true, Comparison::Equals) if operator.value_type() == KeyType::Ip => first_address(first),
        (true, Comparison::Equals | Comparison::EqualsIgnoreCase) => first.clone(),
        (true, Comparison::Like) if !first.contains(['*', '?']) => first.clone(),
        _ => return None,
    };
    Some((value, operator))
}

fn allowed(set: &PolicySet, call: &Call, context: &BTreeMap<String, Vec<String>>) -> bool {
    reference::evaluate(set, &call.action, &call.arns(), context).decision == Decision::Allow
}

/// The policy set with some statements rewritten (policy index → statement index → edit), or
/// `None` when a policy's text cannot be rewritten.
fn patched_set(
    policies: &Policies,
    edits: &BTreeMap<(usize, usize), Vec<Edit>>,
) -> Option<PolicySet> {
    let mut sources = Vec::new();
    for (policy_index, policy) in policies.set.policies.iter().enumerate() {
        let text = policies.texts.get(policy_index)?;
        let mine: Vec<(&usize, &Vec<Edit>)> = edits
            .iter()
            .filter(|((policy, _), _)| *policy == policy_index)
            .map(|((_, statement), edits)| (statement, edits))
            .collect();
        if mine.is_empty() {
            sources.push((policy.name.clone(), text.clone()));
            continue;
        }
        let mut document: Value = serde_json::from_str(text).ok()?;
        for (statement_index, edits) in mine {
            let statement = match document.get_mut("Statement")? {
                Value::Array(statements) => statements.get_mut(*statement_index)?,
                single @ Value::Object(_) if *statement_index == 0 => single,
                _ => return None,
            };
            for edit in edits {
                edit.apply(statement)?;
            }
        }
        sources.push((policy.name.clone(), document.to_string()));
    }
    PolicySet::parse(&sources).ok()
}

/// One change to a statement's JSON.
#[derive(Debug, Clone)]
enum Edit {
    /// Add a value to `Action` or `Resource`.
    Append {
        element: &'static str,
        value: String,
    },
    /// Add a value to `Condition → operator → key`.
    ConditionValue {
        operator: String,
        key: String,
        value: String,
    },
}

fn push_value(slot: &mut Value, value: &str) -> Option<()> {
    match slot {
        Value::Array(items) => items.push(Value::from(value)),
        Value::String(_) => *slot = Value::Array(vec![slot.take(), Value::from(value)]),
        _ => return None,
    }
    Some(())
}

impl Edit {
    fn apply(&self, statement: &mut Value) -> Option<()> {
        match self {
            Edit::Append { element, value } => push_value(statement.get_mut(*element)?, value),
            Edit::ConditionValue {
                operator,
                key,
                value,
            } => {
                let entries = statement.get_mut("Condition")?.get_mut(operator)?;
                let name = entries
                    .as_object()?
                    .keys()
                    .find(|name| name.eq_ignore_ascii_case(key))?
                    .clone();
                push_value(entries.get_mut(&name)?, value)
            }
        }
    }

    fn describe(&self) -> String {
        match self {
            Edit::Append { element, value } => format!("add `{value}` to its `{element}`"),
            Edit::ConditionValue {
                operator,
                key,
                value,
            } => format!("add `{value}` to the `{operator}` values of `{key}`"),
        }
    }
}

/// The ranked fixes for a denied call. `fix` holds the new statement and the `Deny` statements
/// to change, already computed and checked.
pub(super) fn rank(
    policies: &Policies,
    call: &Call,
    analyses: &[StatementAnalysis<'_>],
    fix: &Fix,
) -> Vec<FixOption> {
    let arn_count = call.resources.len();
    let denies: Vec<&StatementAnalysis<'_>> = analyses
        .iter()
        .filter(|a| a.effect == Effect::Deny && (0..arn_count).any(|index| a.matches(index)))
        .collect();
    let unallowed: Vec<usize> = (0..arn_count)
        .filter(|index| {
            !analyses
                .iter()
                .any(|a| a.effect == Effect::Allow && a.matches(*index))
        })
        .collect();
    // For each ARN no statement allows: the Allow statement closest to it (best score, first).
    let closest: Vec<(usize, &StatementAnalysis<'_>)> = unallowed
        .iter()
        .filter_map(|index| {
            analyses
                .iter()
                .filter(|a| a.effect == Effect::Allow)
                .max_by_key(|a| (a.score(*index), std::cmp::Reverse(a.policy_index)))
                .map(|a| (*index, a))
        })
        .collect();
    // Allow statements that match an unallowed ARN by action and resource but fail a condition:
    // a statement without that condition would bypass it.
    let guarded: Vec<&StatementAnalysis<'_>> = analyses
        .iter()
        .filter(|a| {
            a.effect == Effect::Allow
                && a.action.is_none()
                && !a.conditions_met()
                && unallowed
                    .iter()
                    .any(|index| matches!(a.resources.get(*index), Some(Ok(_))))
        })
        .collect();

    let mut safe = Vec::new();
    let mut weakening = Vec::new();
    if let Some(option) = change_request(policies, call, &denies, &unallowed, &closest) {
        safe.push(option);
    }
    if denies.is_empty() {
        safe.extend(change_statements(policies, call, &closest));
    }
    if let Some(text) = &fix.statement_text {
        let mut with_statement = policies.set.clone();
        if let Some(policy) = &fix.policy_text {
            if let Ok(document) = crate::policy::PolicyDocument::parse(policy) {
                with_statement.add(super::SUGGESTED_POLICY.to_string(), document);
            }
        }
        let allowed_after = allowed(&with_statement, call, &call.context);
        if allowed_after {
            let bypassed: Vec<String> = guarded
                .iter()
                .map(|a| {
                    let keys: Vec<String> = a
                        .conditions
                        .iter()
                        .filter(|check| !check.met)
                        .map(|check| format!("`{}`", check.key))
                        .collect();
                    format!("{} (on {})", place(a), keys.join(", "))
                })
                .collect();
            let option = FixOption {
                kind: FixKind::AddStatement,
                sentence: "Add the statement below to a policy of the caller: it allows exactly the ARNs no statement allows".to_string(),
                weakens: (!bypassed.is_empty()).then(|| {
                    format!(
                        "allows the call without the condition that {} requires and the call does not meet",
                        bypassed.join(" and ")
                    )
                }),
                statement_text: Some(text.clone()),
                allowed_after,
            };
            if option.weakens.is_none() {
                safe.push(option);
            } else {
                weakening.push(option);
            }
        }
    }
    if !fix.change_deny.is_empty() {
        let places: Vec<String> = denies.iter().map(|a| place(a)).collect();
        let also = if fix.statement_text.is_some() {
            ", and add the statement below"
        } else {
            ""
        };
        weakening.push(FixOption {
            kind: FixKind::ChangeDeny,
            sentence: format!(
                "Remove the Deny {}, or narrow it so that it no longer matches this call{also}",
                places.join(" and the Deny ")
            ),
            weakens: Some(format!(
                "removes or narrows the Deny {}",
                places.join(" and the Deny ")
            )),
            statement_text: fix.statement_text.clone(),
            allowed_after: fix.allowed_after,
        });
    }
    safe.extend(weakening);
    safe
}

/// Change facts of the request (context values) so that the policies as written allow the call:
/// every matching `Deny` gets a condition it no longer meets, and every ARN no statement allows
/// gets the values its closest statement's conditions ask for.
fn change_request(
    policies: &Policies,
    call: &Call,
    denies: &[&StatementAnalysis<'_>],
    unallowed: &[usize],
    closest: &[(usize, &StatementAnalysis<'_>)],
) -> Option<FixOption> {
    let mut changes: BTreeMap<String, (String, Operator)> = BTreeMap::new();
    let mut reasons = Vec::new();
    for deny in denies {
        let (check, value) = deny
            .conditions
            .iter()
            .find_map(|check| value_unmeeting(check).map(|value| (check, value)))?;
        changes.insert(check.key.clone(), value);
        reasons.push(format!("the Deny {} no longer applies", place(deny)));
    }
    for (index, statement) in closest {
        if statement.action.is_some() || !matches!(statement.resources.get(*index), Some(Ok(_))) {
            return None;
        }
        for check in statement.conditions.iter().filter(|check| !check.met) {
            changes.insert(check.key.clone(), value_meeting(check)?);
        }
        let reason = format!("{} allows it", place(statement));
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    if changes.is_empty() || (unallowed.len() != closest.len()) {
        return None;
    }
    let mut context = call.context.clone();
    for (key, (value, _)) in &changes {
        context.insert(key.clone(), vec![value.clone()]);
    }
    if !allowed(&policies.set, call, &context) {
        return None;
    }
    let requirements: Vec<String> = changes
        .iter()
        .map(|(key, (value, operator))| requirement(key, value, *operator))
        .collect();
    Some(FixOption {
        kind: FixKind::ChangeRequest,
        sentence: format!(
            "Change the request, not the policies: {} (then {})",
            requirements.join("; "),
            reasons.join(", and ")
        ),
        weakens: None,
        statement_text: None,
        allowed_after: true,
    })
}

/// Add the action or ARN to the closest statement that misses only it, or the request's value to
/// the conditions of a statement that misses only them.
fn change_statements(
    policies: &Policies,
    call: &Call,
    closest: &[(usize, &StatementAnalysis<'_>)],
) -> Vec<FixOption> {
    let mut edits: BTreeMap<(usize, usize), Vec<Edit>> = BTreeMap::new();
    let mut places: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut only_conditions = true;
    for (index, statement) in closest {
        let resource_ok = matches!(statement.resources.get(*index), Some(Ok(_)));
        let conditions_ok = statement.conditions_met();
        let mut mine = Vec::new();
        match (&statement.action, resource_ok, conditions_ok) {
            (Some(_), true, true) if has(statement, "Action") => {
                mine.push(Edit::Append {
                    element: "Action",
                    value: call.action.clone(),
                });
            }
            (None, false, true) if has(statement, "Resource") => {
                // An ARN with a wildcard (`*`, or `…/*` when no id was given) would widen every
                // action of the statement to every resource: the new statement is smaller.
                let Some(arn) = call.resources.get(*index).map(|r| r.arn.clone()) else {
                    return Vec::new();
                };
                if arn.contains('*') {
                    return Vec::new();
                }
                mine.push(Edit::Append {
                    element: "Resource",
                    value: arn,
                });
            }
            (None, true, false) => {
                for check in statement.conditions.iter().filter(|check| !check.met) {
                    // The request's value, when it has exactly one and adding it keeps the
                    // condition meaningful (a `Bool` with both values would not be).
                    let Some([value]) = check.request_values.as_deref() else {
                        return Vec::new();
                    };
                    let Some(operator) = Operator::parse(&check.operator) else {
                        return Vec::new();
                    };
                    if operator.is_negated() || operator == Operator::Bool {
                        return Vec::new();
                    }
                    mine.push(Edit::ConditionValue {
                        operator: check.operator.clone(),
                        key: check.key.clone(),
                        value: value.clone(),
                    });
                }
            }
            _ => return Vec::new(),
        }
        only_conditions &= mine
            .iter()
            .all(|edit| matches!(edit, Edit::ConditionValue { .. }));
        let slot = (statement.policy_index, statement.statement.index);
        places.insert(slot, place(statement));
        let list = edits.entry(slot).or_default();
        for edit in mine {
            if !list.iter().any(|known| known.describe() == edit.describe()) {
                list.push(edit);
            }
        }
    }
    if edits.is_empty() {
        return Vec::new();
    }
    let Some(set) = patched_set(policies, &edits) else {
        return Vec::new();
    };
    if !allowed(&set, call, &call.context) {
        return Vec::new();
    }
    let parts: Vec<String> = edits
        .iter()
        .map(|(slot, edits)| {
            let what: Vec<String> = edits.iter().map(Edit::describe).collect();
            format!(
                "in {}, {}",
                places.get(slot).map_or("", String::as_str),
                what.join(" and ")
            )
        })
        .collect();
    vec![FixOption {
        kind: if only_conditions {
            FixKind::AddConditionValue
        } else {
            FixKind::WidenStatement
        },
        sentence: format!(
            "Change the closest statement: {} (every Deny and condition stays as it is)",
            parts.join("; ")
        ),
        weakens: None,
        statement_text: None,
        allowed_after: true,
    }]
}

/// Whether the statement writes `element` (`Action`, `Resource`), not `NotAction`.
fn has(statement: &StatementAnalysis<'_>, element: &str) -> bool {
    match element {
        "Action" => statement
            .statement
            .action
            .as_ref()
            .is_some_and(|action| action.kind == crate::policy::ActionKind::Action),
        _ => statement.statement.resource.is_some(),
    }
}
