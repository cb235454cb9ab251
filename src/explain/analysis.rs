//! Statement by statement: which of action, resource and condition match a call, and exactly
//! what differs when one does not.
//!
//! This walks the policy documents themselves (with their spans) under the evaluator's rules:
//! the evaluator says what the decision is, this module says why, and a unit test checks that
//! both agree on which statements match.

use super::{Difference, Place, SegmentDiff};
use crate::catalog::Catalog;
use crate::condition::{keys, ConditionEntry, Context, KeyState, RequestContext};
use crate::eval::PolicySet;
use crate::policy::{ActionKind, Effect, Statement};
use crate::wildcard::reference_match;

/// One statement against one call.
#[derive(Debug, Clone)]
pub(crate) struct StatementAnalysis<'s> {
    pub policy: &'s str,
    pub policy_index: usize,
    pub statement: &'s Statement,
    pub effect: Effect,
    /// `None` when the action matches; otherwise what differs.
    pub action: Option<Difference>,
    /// The pattern that covers the action (for `Action`), for showing why a statement matched.
    pub action_pattern: Option<String>,
    /// Per ARN (in call order): `Ok(pattern that matched)` or `Err(what differs)`.
    pub resources: Vec<Result<String, Box<Difference>>>,
    /// Every condition entry with whether it is met.
    pub conditions: Vec<ConditionCheck>,
}

/// One `operator → key → values` entry checked against the request's context.
#[derive(Debug, Clone)]
pub(crate) struct ConditionCheck {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
    /// The request's values, `None` when the key is absent or not known.
    pub request_values: Option<Vec<String>>,
    /// Not met, because not known: RAM sets the key from the facts this says, which the input
    /// does not carry.
    pub not_known: Option<String>,
    pub met: bool,
    pub known_key: bool,
    pub place: Place,
}

impl ConditionCheck {
    /// The difference this entry makes when it is not met.
    pub fn difference(&self) -> Difference {
        let quoted: Vec<String> = self.values.iter().map(|v| format!("`{v}`")).collect();
        let message = match (&self.request_values, &self.not_known) {
            (None, Some(reason)) => format!(
                "condition `{}` on `{}` [{}] may or may not be met: RAM sets `{}` from {}, which the input does not give",
                self.operator,
                self.key,
                quoted.join(", "),
                self.key,
                reason
            ),
            (None, None) => format!(
                "condition `{}` on `{}` [{}] is not met: the request has no `{}` (an absent key meets only negated operators: undocumented, this tool's choice)",
                self.operator,
                self.key,
                quoted.join(", "),
                self.key
            ),
            (Some(given), _) => {
                let given: Vec<String> = given.iter().map(|v| format!("`{v}`")).collect();
                format!(
                    "condition `{}` on `{}` [{}] is not met by the request's {}",
                    self.operator,
                    self.key,
                    quoted.join(", "),
                    given.join(", ")
                )
            }
        };
        Difference::Condition {
            operator: self.operator.clone(),
            key: self.key.clone(),
            values: self.values.clone(),
            request_values: self.request_values.clone(),
            absent: self.request_values.is_none(),
            message,
            place: self.place.clone(),
        }
    }

    /// How the entry was met, for a statement that matched.
    pub fn met_message(&self) -> String {
        let quoted: Vec<String> = self.values.iter().map(|v| format!("`{v}`")).collect();
        match &self.request_values {
            None => format!(
                "condition `{}` on `{}` [{}] is met because the request has no `{}` (absent key with a negated operator: undocumented, this tool's choice)",
                self.operator,
                self.key,
                quoted.join(", "),
                self.key
            ),
            Some(given) => {
                let given: Vec<String> = given.iter().map(|v| format!("`{v}`")).collect();
                format!(
                    "condition `{}` on `{}` [{}] is met by the request's {}",
                    self.operator,
                    self.key,
                    quoted.join(", "),
                    given.join(", ")
                )
            }
        }
    }
}

impl StatementAnalysis<'_> {
    pub fn conditions_met(&self) -> bool {
        self.conditions.iter().all(|check| check.met)
    }

    /// Whether the statement matches the call on the ARN at `index`.
    pub fn matches(&self, index: usize) -> bool {
        self.action.is_none()
            && matches!(self.resources.get(index), Some(Ok(_)))
            && self.conditions_met()
    }

    /// How many of the three dimensions (action, resource, condition) match for an ARN.
    pub fn score(&self, index: usize) -> usize {
        usize::from(self.action.is_none())
            + usize::from(matches!(self.resources.get(index), Some(Ok(_))))
            + usize::from(self.conditions_met())
    }

    /// Everything that differs for an ARN, in statement order (action, resource, conditions).
    pub fn differences(&self, index: usize) -> Vec<Difference> {
        let mut out = Vec::new();
        if let Some(action) = &self.action {
            out.push(action.clone());
        }
        if let Some(Err(resource)) = self.resources.get(index) {
            out.push(resource.as_ref().clone());
        }
        out.extend(
            self.conditions
                .iter()
                .filter(|check| !check.met)
                .map(ConditionCheck::difference),
        );
        out
    }

    /// A number for ordering equally scored statements: the fewer differing details, the closer.
    pub fn distance(&self, index: usize) -> usize {
        let mut distance = 0;
        if let Some(Difference::Action { did_you_mean, .. }) = &self.action {
            distance += if did_you_mean.is_some() { 1 } else { 4 };
        }
        if let Some(Err(difference)) = self.resources.get(index) {
            if let Difference::Resource { segments, .. } = difference.as_ref() {
                distance += weight(segments);
            }
        }
        distance + self.conditions.iter().filter(|check| !check.met).count()
    }
}

pub(crate) fn place(span: &crate::json::Span, pointer: &str) -> Place {
    Place {
        line: span.start.line,
        column: span.start.column,
        end_line: span.end.line,
        end_column: span.end.column,
        pointer: pointer.to_string(),
    }
}

/// Analyses every usable statement of the set (those the evaluator uses: with `Effect`, an
/// action element and `Resource`), in policy and statement order.
pub(crate) fn analyse<'s>(
    set: &'s PolicySet,
    action: &str,
    arns: &[&str],
    context: &RequestContext,
) -> Vec<StatementAnalysis<'s>> {
    let mut out = Vec::new();
    for (policy_index, policy) in set.policies.iter().enumerate() {
        for statement in &policy.document.statements {
            let (Some(effect), Some(action_element), Some(resource)) =
                (&statement.effect, &statement.action, &statement.resource)
            else {
                continue;
            };
            let lower = action.to_ascii_lowercase();
            let covering = action_element
                .patterns
                .iter()
                .find(|pattern| reference_match(&pattern.value.to_ascii_lowercase(), &lower));
            let (action_difference, action_pattern) = match (action_element.kind, covering) {
                (ActionKind::Action, Some(pattern)) => (None, Some(pattern.value.clone())),
                (ActionKind::NotAction, None) => (None, None),
                (ActionKind::Action, None) => (Some(action_difference(action_element, action)), None),
                (ActionKind::NotAction, Some(pattern)) => (
                    Some(Difference::Action {
                        element: "NotAction",
                        patterns: vec![pattern.value.clone()],
                        requested: action.to_string(),
                        did_you_mean: None,
                        message: format!(
                            "the action is excluded: `NotAction` lists `{}`, which covers `{action}`",
                            pattern.value
                        ),
                        place: place(&pattern.span, &pattern.pointer),
                    }),
                    None,
                ),
            };
            let resources = arns
                .iter()
                .map(|arn| {
                    match resource
                        .value
                        .iter()
                        .find(|pattern| reference_match(&pattern.value, arn))
                    {
                        Some(pattern) => Ok(pattern.value.clone()),
                        None => Err(Box::new(resource_difference(resource, arn))),
                    }
                })
                .collect();
            let mut conditions = Vec::new();
            if let Some(block) = &statement.condition {
                for operator in &block.operators {
                    let Some(op) = operator.operator else {
                        continue;
                    };
                    for key in &operator.keys {
                        let values: Vec<String> =
                            key.values.iter().map(|v| v.value.as_text()).collect();
                        let entry = ConditionEntry::qualified(
                            operator.qualifier,
                            op,
                            key.key.value.clone(),
                            values.clone(),
                        );
                        let (given, not_known) = match context.key(&key.key.value) {
                            KeyState::Given(values) => (Some(values), None),
                            KeyState::Absent => (None, None),
                            KeyState::Unknown => (
                                None,
                                Some(
                                    context
                                        .derivation
                                        .unknown_reason(&key.key.value)
                                        .unwrap_or("facts outside the request")
                                        .to_string(),
                                ),
                            ),
                        };
                        conditions.push(ConditionCheck {
                            operator: entry.written_operator(),
                            key: key.key.value.clone(),
                            values,
                            request_values: given.map(<[String]>::to_vec),
                            met: not_known.is_none() && entry.is_met(given),
                            not_known,
                            known_key: keys::lookup(&key.key.value).is_some(),
                            place: place(&key.key.span, &key.key.pointer),
                        });
                    }
                }
            }
            out.push(StatementAnalysis {
                policy: &policy.name,
                policy_index,
                statement,
                effect: effect.value,
                action: action_difference,
                action_pattern,
                resources,
                conditions,
            });
        }
    }
    out
}

/// The service and name of an action pattern (`ecs:DescribeInstance` → (`ecs`, `DescribeInstance`)).
fn split_action(text: &str) -> (&str, &str) {
    text.split_once(':').unwrap_or(("", text))
}

fn action_difference(element: &crate::policy::ActionElement, action: &str) -> Difference {
    let (service, name) = split_action(action);
    let catalog = Catalog::embedded().ok();
    // The near miss: a pattern of the same service within a few edits of the requested name.
    let mut near: Option<(&crate::policy::Located<String>, String)> = None;
    for pattern in &element.patterns {
        let (pattern_service, pattern_name) = split_action(&pattern.value);
        if !pattern_service.eq_ignore_ascii_case(service) {
            continue;
        }
        if !crate::suggest::nearest(pattern_name, [name], 1).is_empty() {
            near = Some((pattern, action.to_string()));
            break;
        }
    }
    let patterns: Vec<String> = element.patterns.iter().map(|p| p.value.clone()).collect();
    let quoted: Vec<String> = patterns.iter().map(|p| format!("`{p}`")).collect();
    match near {
        Some((pattern, requested)) => {
            let pattern_service = split_action(&pattern.value).0;
            let unknown = catalog.is_some_and(|catalog| {
                catalog.covers(pattern_service) && catalog.action(&pattern.value).is_none()
            });
            let note = if unknown {
                format!(
                    " (`{}` is not {} action)",
                    pattern.value,
                    crate::catalog::service_noun(pattern_service)
                )
            } else {
                String::new()
            };
            Difference::Action {
                element: "Action",
                patterns,
                requested: requested.clone(),
                did_you_mean: Some(requested.clone()),
                message: format!(
                    "action `{}` is not `{requested}`{note}; did you mean `{requested}`?",
                    pattern.value
                ),
                place: place(&pattern.span, &pattern.pointer),
            }
        }
        None => Difference::Action {
            element: "Action",
            patterns,
            requested: action.to_string(),
            did_you_mean: None,
            message: format!("`Action` [{}] does not cover `{action}`", quoted.join(", ")),
            place: place(&element.span, &element.pointer),
        },
    }
}

/// The Resource pattern closest to the ARN, segment by segment.
fn resource_difference(
    resource: &crate::policy::Located<Vec<crate::policy::Located<String>>>,
    arn: &str,
) -> Difference {
    let mut best: Option<(&crate::policy::Located<String>, Vec<SegmentDiff>)> = None;
    for pattern in &resource.value {
        let segments = segment_diffs(&pattern.value, arn);
        let better = best
            .as_ref()
            .is_none_or(|(_, current)| weight(&segments) < weight(current));
        if better {
            best = Some((pattern, segments));
        }
    }
    match best {
        Some((pattern, segments)) => {
            let parts: Vec<String> = segments.iter().map(ToString::to_string).collect();
            let literal_star = if arn == "*" {
                " (the action has no resource-level authorization: RAM checks the literal resource `*`)"
            } else {
                ""
            };
            Difference::Resource {
                arn: arn.to_string(),
                pattern: pattern.value.clone(),
                segments,
                message: format!(
                    "resource `{}` does not match `{arn}`: {}{literal_star}",
                    pattern.value,
                    parts.join(", ")
                ),
                place: place(&pattern.span, &pattern.pointer),
            }
        }
        None => Difference::Resource {
            arn: arn.to_string(),
            pattern: String::new(),
            segments: Vec::new(),
            message: format!("`Resource` lists no pattern, so nothing matches `{arn}`"),
            place: place(&resource.span, &resource.pointer),
        },
    }
}

/// How far a pattern is from an ARN: a different service or resource type weighs more than a
/// different region, account or id.
pub(crate) fn weight(segments: &[SegmentDiff]) -> usize {
    segments
        .iter()
        .map(|segment| match segment.segment.as_str() {
            "prefix" | "service" | "arn" => 4,
            "resource type" | "resource" => 3,
            _ => 1,
        })
        .sum()
}

/// Compares a Resource pattern with an ARN segment by segment: prefix, service, region,
/// account, then the relative id as resource type and resource id (split at the first `/`).
/// A pattern or ARN that does not have the five fields is compared as a whole (`arn`).
pub(crate) fn segment_diffs(pattern: &str, arn: &str) -> Vec<SegmentDiff> {
    let whole = || {
        if reference_match(pattern, arn) {
            Vec::new()
        } else {
            vec![SegmentDiff {
                segment: "arn".into(),
                pattern: pattern.to_string(),
                arn: arn.to_string(),
            }]
        }
    };
    let pattern_parts: Vec<&str> = pattern.splitn(5, ':').collect();
    let arn_parts: Vec<&str> = arn.splitn(5, ':').collect();
    let (Ok(pattern_parts), Ok(arn_parts)) = (
        <[&str; 5]>::try_from(pattern_parts),
        <[&str; 5]>::try_from(arn_parts),
    ) else {
        return whole();
    };
    let mut out = Vec::new();
    let mut compare = |segment: &str, p: &str, a: &str| {
        if !reference_match(p, a) {
            out.push(SegmentDiff {
                segment: segment.to_string(),
                pattern: p.to_string(),
                arn: a.to_string(),
            });
        }
    };
    let [p_prefix, p_service, p_region, p_account, p_resource] = pattern_parts;
    let [a_prefix, a_service, a_region, a_account, a_resource] = arn_parts;
    compare("prefix", p_prefix, a_prefix);
    compare("service", p_service, a_service);
    compare("region", p_region, a_region);
    compare("account", p_account, a_account);
    match (p_resource.split_once('/'), a_resource.split_once('/')) {
        (Some((p_type, p_id)), Some((a_type, a_id))) if !p_type.contains('*') => {
            compare("resource type", p_type, a_type);
            compare("resource id", p_id, a_id);
        }
        _ => compare("resource", p_resource, a_resource),
    }
    if out.is_empty() {
        whole()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(diffs: &[SegmentDiff]) -> Vec<&str> {
        diffs.iter().map(|d| d.segment.as_str()).collect()
    }

    #[test]
    fn segments_name_what_differs() {
        let arn = "acs:ecs:cn-hangzhou:123:instance/i-1";
        assert!(segment_diffs("acs:ecs:*:*:instance/*", arn).is_empty());
        assert_eq!(
            names(&segment_diffs("acs:ecs:cn-beijing:*:instance/*", arn)),
            vec!["region"]
        );
        assert_eq!(
            names(&segment_diffs("acs:ecs:*:456:disk/*", arn)),
            vec!["account", "resource type"]
        );
        assert_eq!(
            names(&segment_diffs("acs:ecs:*:*:instance/i-2", arn)),
            vec!["resource id"]
        );
        assert_eq!(
            names(&segment_diffs("acs:vpc:*:*:instance/i-1", arn)),
            vec!["service"]
        );
        assert_eq!(
            names(&segment_diffs("acs:ecs:*:*:image*", arn)),
            vec!["resource"]
        );
        assert_eq!(names(&segment_diffs("acs:ram:*", arn)), vec!["arn"]);
        // `*` may cross `:` in a pattern: matched as a whole, no difference.
        assert!(segment_diffs("acs:ecs:*", arn).is_empty());
        assert_eq!(names(&segment_diffs("acs:ecs:*:*:*", "*")), vec!["arn"]);
    }
}
