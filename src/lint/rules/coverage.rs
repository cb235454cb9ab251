//! Statements and list entries covered by others: `UNREACHABLE_ALLOW` (an Allow fully covered
//! by an unconditional Deny), `REDUNDANT_STATEMENT`, `REDUNDANT_ACTION`, `REDUNDANT_RESOURCE`
//! (fix: remove the entry) and `MERGEABLE_STATEMENTS`.
//!
//! Coverage uses [`language::contains`], which is sound but incomplete: a finding here is always
//! right, but some covered entries go unreported. Actions compare without letter case,
//! resources with it. A `NotAction` Deny covers an action pattern when the pattern cannot
//! intersect any of its exceptions. These checks run only on documents without errors, so
//! that a value the reader dropped never makes a statement look covered.
//!
//! Comparing patterns pairwise costs the product of their lengths, and comparing statements or
//! list entries pairwise the square of their number, so a large hostile document could take
//! minutes. The checks therefore share a [`WORK_BUDGET`] of pattern-character pairs (every
//! comparison is charged its worst case, plus one for each pair looked at). Any document within
//! RAM's 6,144-character limit is analysed completely, far within the budget; when a larger one
//! exhausts it, the checks stop and say where with `COVERAGE_CHECK_INCOMPLETE`, so no finding
//! is silently missing.

use crate::json::Span;
use crate::lint::context::{Check, Context};
use crate::policy::{ActionElement, ActionKind, ConditionBlock, Effect, Located, Statement};
use crate::wildcard::language::{self, Token};

/// The work the coverage checks may do on one document, in pattern-character pairs: about a
/// second in a release build, and some 30 times what the largest document RAM accepts can need.
pub const WORK_BUDGET: u64 = 1_000_000_000;

/// The work left, and the comparisons made so far.
struct Budget {
    left: u64,
    comparisons: u64,
}

/// The budget ran out while looking at this part of the document.
struct Exhausted;

impl Budget {
    fn new(work: u64) -> Budget {
        Budget {
            left: work,
            comparisons: 0,
        }
    }

    fn spend(&mut self, units: u64) -> Result<(), Exhausted> {
        if units > self.left {
            self.left = 0;
            return Err(Exhausted);
        }
        self.left -= units;
        self.comparisons += 1;
        Ok(())
    }

    /// The worst-case cost of one comparison of two patterns, plus one for looking at the pair.
    fn compare(&mut self, a: &[Token], b: &[Token]) -> Result<(), Exhausted> {
        self.spend(1 + (a.len() as u64 + 1) * (b.len() as u64 + 1))
    }

    fn contains(&mut self, outer: &[Token], inner: &[Token]) -> Result<bool, Exhausted> {
        self.compare(outer, inner)?;
        Ok(language::contains(outer, inner))
    }

    fn intersects(&mut self, a: &[Token], b: &[Token]) -> Result<bool, Exhausted> {
        self.compare(a, b)?;
        Ok(language::intersects(a, b))
    }
}

/// A statement reduced to what coverage needs.
struct Shape<'s> {
    statement: &'s Statement,
    effect: Effect,
    action: &'s ActionElement,
    actions: &'s [Vec<Token>],
    resources: &'s [Vec<Token>],
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
            crate::sort::sort(&mut values);
            values.dedup();
            entries.push((operator.name.value.clone(), key.key.value.clone(), values));
        }
    }
    crate::sort::sort(&mut entries);
    entries
}

/// A statement's action patterns (letter case folded) and resource patterns as tokens, read once
/// for the list checks and the statement comparisons.
struct Tokens {
    actions: Vec<Vec<Token>>,
    resources: Vec<Vec<Token>>,
}

fn tokenize(statement: &Statement) -> Tokens {
    let read = |patterns: &[Located<String>], fold_case: bool| -> Vec<Vec<Token>> {
        patterns
            .iter()
            .map(|pattern| language::tokens(&pattern.value, fold_case))
            .collect()
    };
    Tokens {
        actions: statement
            .action
            .as_ref()
            .map_or_else(Vec::new, |action| read(&action.patterns, true)),
        resources: statement
            .resource
            .as_ref()
            .map_or_else(Vec::new, |resource| read(&resource.value, false)),
    }
}

fn shape<'s>(statement: &'s Statement, tokens: &'s Tokens) -> Option<Shape<'s>> {
    let effect = statement.effect.as_ref()?.value;
    let action = statement.action.as_ref()?;
    let resource = statement.resource.as_ref()?;
    Some(Shape {
        statement,
        effect,
        action,
        actions: &tokens.actions,
        resources: &tokens.resources,
        resource_texts: resource
            .value
            .iter()
            .map(|pattern| pattern.value.as_str())
            .collect(),
        condition: condition_key(statement.condition.as_ref()),
    })
}

/// Whether every action of `inner` (an `Action` list) is covered by `outer`.
fn actions_covered(
    inner: &Shape<'_>,
    outer: &Shape<'_>,
    budget: &mut Budget,
) -> Result<bool, Exhausted> {
    if inner.action.kind != ActionKind::Action || inner.actions.is_empty() {
        return Ok(false);
    }
    for pattern in inner.actions {
        let covered = match outer.action.kind {
            ActionKind::Action => {
                let mut any = false;
                for other in outer.actions {
                    if budget.contains(other, pattern)? {
                        any = true;
                        break;
                    }
                }
                any
            }
            ActionKind::NotAction => {
                let mut none = true;
                for exception in outer.actions {
                    if budget.intersects(exception, pattern)? {
                        none = false;
                        break;
                    }
                }
                none
            }
        };
        if !covered {
            return Ok(false);
        }
    }
    Ok(true)
}

fn resources_covered(
    inner: &Shape<'_>,
    outer: &Shape<'_>,
    budget: &mut Budget,
) -> Result<bool, Exhausted> {
    if inner.resources.is_empty() {
        return Ok(false);
    }
    for pattern in inner.resources {
        let mut any = false;
        for other in outer.resources {
            if budget.contains(other, pattern)? {
                any = true;
                break;
            }
        }
        if !any {
            return Ok(false);
        }
    }
    Ok(true)
}

fn covers(outer: &Shape<'_>, inner: &Shape<'_>, budget: &mut Budget) -> Result<bool, Exhausted> {
    Ok(actions_covered(inner, outer, budget)? && resources_covered(inner, outer, budget)?)
}

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &[
        "UNREACHABLE_ALLOW",
        "REDUNDANT_ACTION",
        "REDUNDANT_RESOURCE",
        "REDUNDANT_STATEMENT",
        "MERGEABLE_STATEMENTS",
        "COVERAGE_CHECK_INCOMPLETE",
    ],
    run: check,
};

/// Runs the coverage checks.
pub fn check(context: &mut Context<'_>) {
    check_with_budget(context, WORK_BUDGET);
}

fn check_with_budget(context: &mut Context<'_>, work: u64) {
    if context.document.errors().next().is_some() {
        return;
    }
    let mut budget = Budget::new(work);
    if let Err(Stopped { span, pointer }) = run(context, &mut budget) {
        context.report(
            "COVERAGE_CHECK_INCOMPLETE",
            span,
            &pointer,
            format!("the coverage checks (REDUNDANT_*, UNREACHABLE_ALLOW, MERGEABLE_STATEMENTS) stopped here after {} comparisons, their work budget of {} pattern-character pairs spent; findings of theirs from here on are not reported (the document is far larger than RAM accepts)", budget.comparisons, work),
            None,
        );
    }
}

/// Where the budget ran out.
struct Stopped {
    span: Span,
    pointer: String,
}

fn stopped_at(span: Span, pointer: &str) -> impl FnOnce(Exhausted) -> Stopped + '_ {
    move |Exhausted| Stopped {
        span,
        pointer: pointer.to_string(),
    }
}

fn run(context: &mut Context<'_>, budget: &mut Budget) -> Result<(), Stopped> {
    let document = context.document;
    let tokens: Vec<Tokens> = document.statements.iter().map(tokenize).collect();
    for (statement, tokens) in document.statements.iter().zip(&tokens) {
        if let Some(action) = &statement.action {
            redundant_entries(
                context,
                budget,
                &action.patterns,
                &tokens.actions,
                "REDUNDANT_ACTION",
                "action",
            )?;
        }
        if let Some(resource) = &statement.resource {
            redundant_entries(
                context,
                budget,
                &resource.value,
                &tokens.resources,
                "REDUNDANT_RESOURCE",
                "resource",
            )?;
        }
    }
    let shapes: Vec<Shape<'_>> = document
        .statements
        .iter()
        .zip(&tokens)
        .filter_map(|(statement, tokens)| shape(statement, tokens))
        .collect();
    for (index, inner) in shapes.iter().enumerate() {
        let here = stopped_at(inner.statement.span, &inner.statement.pointer);
        let (deny, redundant, mergeable) =
            compare_statement(&shapes, index, inner, budget).map_err(here)?;
        let number = |shape: &Shape<'_>| shape.statement.index + 1;
        if let Some(deny) = deny {
            context.report(
                "UNREACHABLE_ALLOW",
                inner.statement.span,
                &inner.statement.pointer,
                format!("the unconditional `Deny` of statement {} covers every action and resource of this `Allow`, so it never takes effect; narrow the `Deny` or remove this statement", number(deny)),
                None,
            );
        }
        if let Some(outer) = redundant {
            context.report(
                "REDUNDANT_STATEMENT",
                inner.statement.span,
                &inner.statement.pointer,
                format!("statement {} already covers every action and resource of this statement with the same effect, so removing it changes nothing", number(outer)),
                None,
            );
            continue;
        }
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
    Ok(())
}

/// The statements that make `inner` unreachable, redundant or mergeable (the first of each).
type Covering<'a, 's> = (
    Option<&'a Shape<'s>>,
    Option<&'a Shape<'s>>,
    Option<&'a Shape<'s>>,
);

fn compare_statement<'a, 's>(
    shapes: &'a [Shape<'s>],
    index: usize,
    inner: &Shape<'s>,
    budget: &mut Budget,
) -> Result<Covering<'a, 's>, Exhausted> {
    let mut deny = None;
    if inner.effect == Effect::Allow {
        for outer in shapes {
            budget.spend(1)?;
            if outer.effect == Effect::Deny
                && outer.statement.condition.is_none()
                && covers(outer, inner, budget)?
            {
                deny = Some(outer);
                break;
            }
        }
    }
    let mut redundant = None;
    for (other_index, outer) in shapes.iter().enumerate() {
        budget.spend(1)?;
        if other_index != index
            && outer.effect == inner.effect
            && (outer.statement.condition.is_none() || outer.condition == inner.condition)
            && covers(outer, inner, budget)?
            && (other_index < index || !covers(inner, outer, budget)?)
        {
            redundant = Some(outer);
            break;
        }
    }
    let mut mergeable = None;
    if redundant.is_none() && inner.action.kind == ActionKind::Action {
        for outer in shapes.iter().take(index) {
            budget.spend(1 + (outer.resource_texts.len() + inner.resource_texts.len()) as u64)?;
            if outer.effect == inner.effect
                && outer.action.kind == ActionKind::Action
                && outer.condition == inner.condition
                && same_set(&outer.resource_texts, &inner.resource_texts)
            {
                mergeable = Some(outer);
                break;
            }
        }
    }
    Ok((deny, redundant, mergeable))
}

fn same_set(a: &[&str], b: &[&str]) -> bool {
    let mut x = a.to_vec();
    let mut y = b.to_vec();
    crate::sort::sort_unstable(&mut x);
    x.dedup();
    crate::sort::sort_unstable(&mut y);
    y.dedup();
    x == y
}

fn redundant_entries(
    context: &mut Context<'_>,
    budget: &mut Budget,
    patterns: &[Located<String>],
    tokens: &[Vec<Token>],
    code: &'static str,
    what: &str,
) -> Result<(), Stopped> {
    if patterns.len() < 2 {
        return Ok(());
    }
    // A literal contains only itself, so only wildcard patterns can cover another entry; equal
    // literals are found by sorting.
    let wildcards: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, tokens)| tokens.iter().any(|token| !matches!(token, Token::Lit(_))))
        .map(|(index, _)| index)
        .collect();
    let first_equal = first_equal_literals(tokens, &wildcards);
    for (index, (pattern, inner)) in patterns.iter().zip(tokens).enumerate() {
        let mut covering = first_equal.get(index).copied().flatten();
        if covering.is_none() {
            covering = covering_wildcard(budget, tokens, &wildcards, index, inner)
                .map_err(stopped_at(pattern.span, &pattern.pointer))?;
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
    Ok(())
}

/// The first wildcard entry that covers entry `index` (an earlier one, or a later one that the
/// entry does not cover back).
fn covering_wildcard(
    budget: &mut Budget,
    tokens: &[Vec<Token>],
    wildcards: &[usize],
    index: usize,
    inner: &[Token],
) -> Result<Option<usize>, Exhausted> {
    for &other in wildcards {
        let Some(outer) = tokens.get(other) else {
            continue;
        };
        if other != index
            && budget.contains(outer, inner)?
            && (other < index || !budget.contains(inner, outer)?)
        {
            return Ok(Some(other));
        }
    }
    Ok(None)
}

/// For each literal entry equal to an earlier one, the index of the first: found by sorting
/// (no hashing of user input, and no allocation per entry).
fn first_equal_literals(tokens: &[Vec<Token>], wildcards: &[usize]) -> Vec<Option<usize>> {
    let mut literals: Vec<usize> = (0..tokens.len())
        .filter(|index| wildcards.binary_search(index).is_err())
        .collect();
    let key = |index: &usize| tokens.get(*index).map(Vec::as_slice);
    crate::sort::sort_by(&mut literals, |a, b| key(a).cmp(&key(b)).then(a.cmp(b)));
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
            .map(|text| crate::wildcard::language::tokens(text, false))
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
