//! `RESOURCE_MISMATCH`: for a catalog action of a statement, no `Resource` pattern can match any
//! ARN RAM checks for it, so the statement never allows (or denies) that action.
//!
//! Decided by intersecting glob languages ([`language::intersects`]), never by guessing: each
//! catalog template becomes a pattern whose `$variables` match anything and whose other
//! characters, `*` included, are literal (RAM checks `…:instance/*` as written). An action
//! without resource-level authorization is checked against the literal resource `*`, as the
//! evaluator does: only a pattern matching the one-character string `*` reaches it.
//!
//! A wildcard action (`ecs:Describe*`) is reported only when none of the catalog actions it
//! matches can be reached: a statement scoped to instances that allows `ecs:Describe*` is
//! meant for the instance-related ones. `NotAction` statements are not checked, nor actions whose
//! checked resources are not fully known (a real API without an authorization entry, a reference
//! template no parameter fills), nor an action the other catalog edition's resources reach (that
//! is `AUTHORIZATION_CHANGED`).

use crate::catalog::Action;
use crate::lint::context::{Check, Context};
use crate::lint::matching::{is_all_actions, split_action};
use crate::policy::{ActionElement, ActionKind, Effect, Statement};
use crate::wildcard::language::{self, Token};
use rustc_hash::FxHashMap;

/// Whether one of the resource patterns can match an ARN RAM checks for the action. `seen`
/// remembers the answer per template text (many actions share templates).
pub fn reachable<'c>(
    action: &'c Action,
    resources: &[Vec<Token>],
    seen: &mut FxHashMap<&'c str, bool>,
) -> bool {
    if action.has_resource_level_authorization() {
        action.resources().iter().any(|kind| {
            let text = kind.template().as_str();
            if let Some(known) = seen.get(text) {
                return *known;
            }
            let template = language::catalog_template_tokens(kind.template());
            let found = resources
                .iter()
                .any(|resource| language::intersects(resource, &template));
            seen.insert(text, found);
            found
        })
    } else {
        resources
            .iter()
            .any(|resource| language::matches(resource, &['*']))
    }
}

/// In the `current` edition: whether the seed's table reaches the action with these resources.
fn reachable_in_other_edition(
    context: &Context<'_>,
    action: &Action,
    resources: &[Vec<Token>],
) -> bool {
    use crate::catalog::{Catalog, Edition};
    // In the seed edition its own checks apply unchanged.
    if !context
        .catalog
        .is_some_and(|catalog| catalog.edition_name() == Edition::Current)
    {
        return false;
    }
    let Some(theirs) = Catalog::edition(Edition::Seed)
        .ok()
        .and_then(|other| other.action(action.qualified_name()))
    else {
        return false;
    };
    theirs.authorization_documented()
        && theirs.facts().unbound.is_empty()
        && reachable(theirs, resources, &mut FxHashMap::default())
}

/// A statement that names actions (not `NotAction`) on resources: its action element, its
/// resource patterns as glob tokens, and the verb for messages (`allows`/`denies`). `None` for
/// any other statement. Shared by this check and `AUTHORIZATION_CHANGED`.
pub fn scoped(statement: &Statement) -> Option<(&ActionElement, Vec<Vec<Token>>, &'static str)> {
    let (Some(action), Some(resource)) = (&statement.action, &statement.resource) else {
        return None;
    };
    if action.kind != ActionKind::Action || resource.value.is_empty() {
        return None;
    }
    let resources = resource
        .value
        .iter()
        .map(|pattern| language::tokens(&pattern.value, false))
        .collect();
    let verb = match statement.effect.as_ref().map(|effect| effect.value) {
        Some(Effect::Deny) => "denies",
        _ => "allows",
    };
    Some((action, resources, verb))
}

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &["RESOURCE_MISMATCH"],
    run: check,
};

/// Runs the check.
pub fn check(context: &mut Context<'_>) {
    if context.catalog.is_none() {
        return;
    }
    let statements = &context.document.statements;
    for statement in statements {
        let Some((action, resources, verb)) = scoped(statement) else {
            continue;
        };
        let mut seen = FxHashMap::default();
        for pattern in &action.patterns {
            if is_all_actions(&pattern.value) {
                continue;
            }
            let Some((service, _)) = split_action(&pattern.value) else {
                continue;
            };
            if !context
                .catalog
                .is_some_and(|catalog| catalog.covers(service))
            {
                continue;
            }
            let matched = context.catalog_matches(&pattern.value);
            let Some(first) = matched.first() else {
                continue;
            };
            // Which resources RAM checks is not fully known: no claim.
            if matched.iter().any(|action| {
                !action.authorization_documented() || !action.facts().unbound.is_empty()
            }) {
                continue;
            }
            // Reachable in the other edition: `AUTHORIZATION_CHANGED` says what changed.
            if matched.len() == 1 && reachable_in_other_edition(context, first, &resources) {
                continue;
            }
            if matched
                .iter()
                .any(|action| reachable(action, &resources, &mut seen))
            {
                continue;
            }
            let message = if matched.len() > 1 {
                format!("no `Resource` pattern can match an ARN RAM checks for any action `{}` matches, so the statement never {verb} them; add the resources those actions use (see `ram-policy actions`)", pattern.value)
            } else if first.has_resource_level_authorization() {
                let templates: Vec<String> = first
                    .resources()
                    .iter()
                    .map(|kind| kind.template().as_str().to_string())
                    .collect();
                format!(
                    "no `Resource` pattern can match what RAM checks for `{}` ({}), so the statement never {verb} it; add a matching resource or move the action to another statement",
                    first.qualified_name(),
                    crate::suggest::quoted_list(&templates)
                )
            } else {
                format!(
                    "`{}` has no resource-level authorization: RAM checks the literal resource `*`, which no `Resource` pattern here matches, so the statement never {verb} it; give it `\"Resource\": \"*\"` in its own statement",
                    first.qualified_name()
                )
            };
            context.report(
                "RESOURCE_MISMATCH",
                pattern.span,
                &pattern.pointer,
                message,
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{allow, spans};

    #[test]
    fn decides_by_intersection() {
        let disk = r#""acs:ecs:cn-hangzhou:1234567890123456:disk/*""#;
        assert_eq!(
            spans(
                &allow(
                    r#"["ecs:StartInstance", "ecs:DeleteDisk", "ecs:Describe*"]"#,
                    disk
                ),
                "RESOURCE_MISMATCH"
            ),
            vec!["\"ecs:StartInstance\""]
        );
        // No resource-level authorization: only the literal `*` works.
        assert_eq!(
            spans(
                &allow(r#""ecs:DescribeRegions""#, r#""acs:ecs:*:*:*""#),
                "RESOURCE_MISMATCH"
            ),
            vec!["\"ecs:DescribeRegions\""]
        );
        assert!(spans(
            &allow(r#""ecs:DescribeRegions""#, r#""*""#),
            "RESOURCE_MISMATCH"
        )
        .is_empty());
        // `…:instance/*` (literal star in the template) is not matched by a single instance.
        assert!(spans(
            &allow(
                r#""ecs:DescribeInstances""#,
                r#""acs:ecs:*:*:instance/i-1""#
            ),
            "RESOURCE_MISMATCH"
        )
        .is_empty());
        assert_eq!(
            spans(
                &allow(r#""ecs:Describe*""#, r#""acs:ecs:*:*:nothing""#),
                "RESOURCE_MISMATCH"
            ),
            vec!["\"ecs:Describe*\""]
        );
    }
}
