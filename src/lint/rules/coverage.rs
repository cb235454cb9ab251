//! Statements and list entries covered by others: `UNREACHABLE_ALLOW` (an Allow fully covered
//! by an unconditional Deny), `REDUNDANT_STATEMENT`, `REDUNDANT_ACTION`, `REDUNDANT_RESOURCE`
//! (fix: remove the entry) and `MERGEABLE_STATEMENTS`.
//!
//! Coverage uses [`glob::contains`], which is sound but incomplete: a finding here is always
//! right, but some covered entries go unreported. Actions compare without letter case,
//! resources with it. A `NotAction` Deny covers an action pattern when the pattern cannot
//! intersect any of its exceptions. These checks run only on documents without errors, so
//! that a value the reader dropped never makes a statement look covered.

use crate::lint::engine::Context;
use crate::lint::glob::{self, Token};
use crate::policy::{ActionElement, ActionKind, ConditionBlock, Effect, Located, Statement};

/// A statement reduced to what coverage needs.
struct Shape<'s> {
    statement: &'s Statement,
    effect: Effect,
    action: &'s ActionElement,
    actions: Vec<Vec<Token>>,
    resources: Vec<Vec<Token>>,
    resource_texts: Vec<&'s str>,
    condition: Vec<(String, String, Vec<String>)>,
}

fn condition_key(block: Option<&ConditionBlock>) -> Vec<(String, String, Vec<String>)> {
    let mut entries = Vec::new();
    for operator in block.map_or(&[][..], |block| block.operators.as_slice()) {
        for key in &operator.keys {
            let mut values: Vec<String> = key
                .values
                .iter()
                .map(|value| value.value.as_text())
                .collect();
            values.sort();
            values.dedup();
            entries.push((operator.name.value.clone(), key.key.value.clone(), values));
        }
    }
    entries.sort();
    entries
}

fn shape(statement: &Statement) -> Option<Shape<'_>> {
    let effect = statement.effect.as_ref()?.value;
    let action = statement.action.as_ref()?;
    let resource = statement.resource.as_ref()?;
    Some(Shape {
        statement,
        effect,
        action,
        actions: action
            .patterns
            .iter()
            .map(|pattern| glob::tokens(&pattern.value, true))
            .collect(),
        resources: resource
            .value
            .iter()
            .map(|pattern| glob::tokens(&pattern.value, false))
            .collect(),
        resource_texts: resource
            .value
            .iter()
            .map(|pattern| pattern.value.as_str())
            .collect(),
        condition: condition_key(statement.condition.as_ref()),
    })
}

/// Whether every action of `inner` (an `Action` list) is covered by `outer`.
fn actions_covered(inner: &Shape<'_>, outer: &Shape<'_>) -> bool {
    if inner.action.kind != ActionKind::Action || inner.actions.is_empty() {
        return false;
    }
    inner.actions.iter().all(|pattern| match outer.action.kind {
        ActionKind::Action => outer
            .actions
            .iter()
            .any(|other| glob::contains(other, pattern)),
        ActionKind::NotAction => outer
            .actions
            .iter()
            .all(|exception| !glob::intersects(exception, pattern)),
    })
}

fn resources_covered(inner: &Shape<'_>, outer: &Shape<'_>) -> bool {
    !inner.resources.is_empty()
        && inner.resources.iter().all(|pattern| {
            outer
                .resources
                .iter()
                .any(|other| glob::contains(other, pattern))
        })
}

fn covers(outer: &Shape<'_>, inner: &Shape<'_>) -> bool {
    actions_covered(inner, outer) && resources_covered(inner, outer)
}

/// Runs the coverage checks.
pub fn check(context: &mut Context<'_>) {
    if context.document.errors().next().is_some() {
        return;
    }
    let document = context.document;
    for statement in &document.statements {
        if let Some(action) = &statement.action {
            redundant_entries(
                context,
                &action.patterns,
                true,
                "REDUNDANT_ACTION",
                "action",
            );
        }
        if let Some(resource) = &statement.resource {
            redundant_entries(
                context,
                &resource.value,
                false,
                "REDUNDANT_RESOURCE",
                "resource",
            );
        }
    }
    let shapes: Vec<Shape<'_>> = document.statements.iter().filter_map(shape).collect();
    if shapes.len() > MAX_PAIRWISE {
        return;
    }
    for (index, inner) in shapes.iter().enumerate() {
        let number = |shape: &Shape<'_>| shape.statement.index + 1;
        if inner.effect == Effect::Allow {
            if let Some(deny) = shapes.iter().find(|outer| {
                outer.effect == Effect::Deny
                    && outer.statement.condition.is_none()
                    && covers(outer, inner)
            }) {
                context.report(
                    "UNREACHABLE_ALLOW",
                    inner.statement.span,
                    &inner.statement.pointer,
                    format!("the unconditional `Deny` of statement {} covers every action and resource of this `Allow`, so it never takes effect; narrow the `Deny` or remove this statement", number(deny)),
                    None,
                );
            }
        }
        let redundant = shapes.iter().enumerate().find(|(other_index, outer)| {
            *other_index != index
                && outer.effect == inner.effect
                && (outer.statement.condition.is_none() || outer.condition == inner.condition)
                && covers(outer, inner)
                && (*other_index < index || !covers(inner, outer))
        });
        if let Some((_, outer)) = redundant {
            context.report(
                "REDUNDANT_STATEMENT",
                inner.statement.span,
                &inner.statement.pointer,
                format!("statement {} already covers every action and resource of this statement with the same effect, so removing it changes nothing", number(outer)),
                None,
            );
            continue;
        }
        if inner.action.kind != ActionKind::Action {
            continue;
        }
        let mergeable = shapes.iter().take(index).find(|outer| {
            outer.effect == inner.effect
                && outer.action.kind == ActionKind::Action
                && outer.condition == inner.condition
                && same_set(&outer.resource_texts, &inner.resource_texts)
        });
        if let Some(outer) = mergeable {
            context.report(
                "MERGEABLE_STATEMENTS",
                inner.statement.span,
                &inner.statement.pointer,
                format!("this statement has the same effect, resources and conditions as statement {}; merge their `Action` lists into one statement to save size", number(outer)),
                None,
            );
        }
    }
}

fn same_set(a: &[&str], b: &[&str]) -> bool {
    let mut x = a.to_vec();
    let mut y = b.to_vec();
    x.sort_unstable();
    x.dedup();
    y.sort_unstable();
    y.dedup();
    x == y
}

/// The most wildcard patterns in one list, or statements in one document, that are compared
/// pairwise. RAM's 6,144-character limit allows a few hundred at most; beyond this the document
/// is already an error (`POLICY_SIZE_EXCEEDS_QUOTA`), and the quadratic comparison would let a
/// hostile file take hours.
pub const MAX_PAIRWISE: usize = 1_000;

fn redundant_entries(
    context: &mut Context<'_>,
    patterns: &[Located<String>],
    fold_case: bool,
    code: &'static str,
    what: &str,
) {
    if patterns.len() < 2 {
        return;
    }
    let tokens: Vec<Vec<Token>> = patterns
        .iter()
        .map(|pattern| glob::tokens(&pattern.value, fold_case))
        .collect();
    // A literal contains only itself, so only wildcard patterns can cover another entry; equal
    // literals are found by hashing.
    let wildcards: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, tokens)| tokens.iter().any(|token| !matches!(token, Token::Lit(_))))
        .map(|(index, _)| index)
        .collect();
    let compare_wildcards = wildcards.len() <= MAX_PAIRWISE;
    let first_equal = first_equal_literals(&tokens, &wildcards);
    for (index, (pattern, inner)) in patterns.iter().zip(&tokens).enumerate() {
        let mut covering = first_equal.get(index).copied().flatten();
        if covering.is_none() && compare_wildcards {
            covering = wildcards.iter().copied().find(|&other| {
                tokens.get(other).is_some_and(|outer| {
                    other != index
                        && glob::contains(outer, inner)
                        && (other < index || !glob::contains(inner, outer))
                })
            });
        }
        if let Some(other) = covering {
            let by = patterns.get(other).map_or("", |found| found.value.as_str());
            let fix = context.removal(
                pattern.span.offset,
                pattern.span.end_offset,
                format!("remove `{}`", pattern.value),
            );
            context.report(
                code,
                pattern.span,
                &pattern.pointer,
                format!(
                    "`{}` is already covered by `{by}` in the same list; remove this {what}",
                    pattern.value
                ),
                Some(fix),
            );
        }
    }
}

/// For each literal entry equal to an earlier one, the index of the first: found by sorting
/// (no hashing of user input, and no allocation per entry).
fn first_equal_literals(tokens: &[Vec<Token>], wildcards: &[usize]) -> Vec<Option<usize>> {
    let mut literals: Vec<usize> = (0..tokens.len())
        .filter(|index| wildcards.binary_search(index).is_err())
        .collect();
    let key = |index: &usize| tokens.get(*index).map(Vec::as_slice);
    literals.sort_by(|a, b| key(a).cmp(&key(b)).then(a.cmp(b)));
    let mut first = vec![None; tokens.len()];
    for pair in literals.windows(2) {
        if let [earlier, later] = pair {
            if key(earlier) == key(later) {
                let group = first.get(*earlier).copied().flatten().unwrap_or(*earlier);
                if let Some(slot) = first.get_mut(*later) {
                    *slot = Some(group);
                }
            }
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{found, policy, spans};

    #[test]
    fn equal_literals_point_at_the_first() {
        let tokens: Vec<_> = ["b", "a", "b", "x*", "b", "a"]
            .iter()
            .map(|text| crate::lint::glob::tokens(text, false))
            .collect();
        assert_eq!(
            super::first_equal_literals(&tokens, &[3]),
            vec![None, None, Some(0), None, Some(0), Some(1)]
        );
    }

    #[test]
    fn redundant_entries_are_removed_by_their_fix() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": ["ecs:describe*", "ecs:DescribeInstances", "ecs:StartInstance", "ecs:startinstance"], "Resource": ["acs:ecs:*:*:instance/*", "acs:ecs:*:*:instance/i-1", "acs:ecs:*:*:Instance/i-2"]}"#,
        );
        let actions = found(&text, "REDUNDANT_ACTION");
        assert_eq!(
            actions.iter().map(|(slice, _)| *slice).collect::<Vec<_>>(),
            vec!["\"ecs:DescribeInstances\"", "\"ecs:startinstance\""]
        );
        let fixed = actions[1].1.fix.as_ref().unwrap().apply(&text).unwrap();
        assert!(
            fixed.contains(r#""ecs:StartInstance"], "Resource""#),
            "{fixed}"
        );
        assert_eq!(
            spans(&text, "REDUNDANT_RESOURCE"),
            vec!["\"acs:ecs:*:*:instance/i-1\""]
        );
    }

    #[test]
    fn unreachable_redundant_and_mergeable_statements() {
        let text = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "ecs:StopInstance", "Resource": "acs:ecs:*:*:instance/*"},
  {"Effect": "Deny", "NotAction": "ecs:Describe*", "Resource": "*"},
  {"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*", "Condition": {"Bool": {"acs:MFAPresent": "true"}}},
  {"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*"},
  {"Effect": "Allow", "Action": "ecs:DescribeDisks", "Resource": "*", "Condition": {"Bool": {"acs:MFAPresent": "true"}}}
]}"#;
        let unreachable = found(text, "UNREACHABLE_ALLOW");
        assert_eq!(unreachable.len(), 1);
        assert_eq!(unreachable[0].1.path, "/Statement/0");
        let redundant = found(text, "REDUNDANT_STATEMENT");
        assert_eq!(
            redundant
                .iter()
                .map(|(_, f)| f.path.as_str())
                .collect::<Vec<_>>(),
            vec!["/Statement/2", "/Statement/4"]
        );
        let merge = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "ecs:StartInstance", "Resource": ["a", "b"]},
  {"Effect": "Allow", "Action": "ecs:StopInstance", "Resource": ["b", "a"]},
  {"Effect": "Deny", "Action": "ecs:DeleteInstance", "Resource": ["b", "a"]}
]}"#;
        assert_eq!(
            found(merge, "MERGEABLE_STATEMENTS")
                .iter()
                .map(|(_, f)| f.path.as_str())
                .collect::<Vec<_>>(),
            vec!["/Statement/1"]
        );
    }
}
