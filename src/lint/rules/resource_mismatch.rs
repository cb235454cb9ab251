//! `RESOURCE_MISMATCH`: for a catalog action of a statement, no `Resource` pattern can match any
//! ARN RAM checks for it, so the statement never allows (or denies) that action.
//!
//! Decided by intersecting glob languages, never by guessing (see `lint::reach`, which the
//! context keeps for the whole document).
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
use crate::policy::{ActionElement, ActionKind, Effect, Located, Statement};

/// In the `current` edition: whether the seed's table reaches the action with these resources.
fn reachable_in_other_edition(
    context: &mut Context<'_>,
    action: &Action,
    resources: &[usize],
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
        && context.reach.reachable(theirs, resources)
}

/// A statement that names actions (not `NotAction`) on resources: its action element, its
/// resource patterns, and the verb for messages (`allows`/`denies`). `None` for any other
/// statement. Shared by this check and `AUTHORIZATION_CHANGED`.
pub fn scoped(statement: &Statement) -> Option<(&ActionElement, &[Located<String>], &'static str)> {
    let (Some(action), Some(resource)) = (&statement.action, &statement.resource) else {
        return None;
    };
    if action.kind != ActionKind::Action || resource.value.is_empty() {
        return None;
    }
    let resources = resource.value.as_slice();
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
        let resources = context.reach.numbers(resources);
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
                .any(|action| context.reach.reachable(action, &resources))
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
