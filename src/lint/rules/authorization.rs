//! Checks on what today's authorization reference says about actions:
//!
//! - `AUTHORIZATION_CHANGED` (edition `current`): the resources RAM checks for an action differ
//!   between the seed's 2020 table (edition `seed`) and today's reference, and the statement's
//!   `Resource` reaches the action in one edition only. The statement then allows (or denies)
//!   the action under one reading and not under the other; the message says which, so that the
//!   editions never disagree silently. (In the `seed` edition the user chose the 2020 table, and
//!   its own checks apply unchanged.)
//! - `UNSUPPORTED_CONDITION_KEY`: a service condition key (`ecs:…`, `vpc:…` of the reference's
//!   Condition section) in a statement none of whose actions supports it by today's reference.
//!   RAM does not set the key for those actions, so the condition is never met (or, negated,
//!   always met). Reported only when every action of the statement is documented by the
//!   reference (a wildcard's matches included); `NotAction` statements are not checked, nor tag
//!   keys (`ecs:tag/<key>`: the reference lists the family for a few actions only).

use super::resource_mismatch::scoped;
use crate::catalog::{authorization, Action, Catalog, Edition};
use crate::lint::context::{Check, Context};
use crate::lint::matching::{is_all_actions, split_action};
use crate::policy::{ActionKind, Statement};

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &["AUTHORIZATION_CHANGED", "UNSUPPORTED_CONDITION_KEY"],
    run: check,
};

/// Runs both checks.
pub fn check(context: &mut Context<'_>) {
    let (Ok(seed), Ok(current)) = (
        Catalog::edition(Edition::Seed),
        Catalog::edition(Edition::Current),
    ) else {
        return;
    };
    if context.catalog.is_none() {
        return;
    }
    let in_current = context
        .catalog
        .is_some_and(|catalog| catalog.edition_name() == Edition::Current);
    let statements = &context.document.statements;
    for statement in statements {
        if in_current {
            changed(context, seed, current, statement);
        }
        key_support(context, current, statement);
    }
}

fn changed<'a>(
    context: &mut Context<'a>,
    seed: &'a Catalog,
    current: &'a Catalog,
    statement: &'a Statement,
) {
    let Some((action, resources, verb)) = scoped(statement) else {
        return;
    };
    let resources = context.reach.numbers(resources);
    for pattern in &action.patterns {
        if is_all_actions(&pattern.value) || crate::wildcard::has_wildcard(&pattern.value) {
            continue;
        }
        let (Some(now), Some(before)) =
            (current.action(&pattern.value), seed.action(&pattern.value))
        else {
            continue;
        };
        let Some(seed_templates) = &now.facts().seed_templates else {
            continue;
        };
        if !now.facts().unbound.is_empty() {
            continue;
        }
        let reaches_now = context.reach.reachable(now, &resources);
        let reached_before = context.reach.reachable(before, &resources);
        if reaches_now == reached_before {
            continue;
        }
        let today = checked(now, &[]);
        let then = checked(before, seed_templates);
        let (works, fails) = if reaches_now {
            (
                "today's reference (edition `current`)",
                "the seed's 2020 table (edition `seed`)",
            )
        } else {
            (
                "the seed's 2020 table (edition `seed`)",
                "today's reference (edition `current`)",
            )
        };
        context.report(
            "AUTHORIZATION_CHANGED",
            pattern.span,
            &pattern.pointer,
            format!(
                "the resources RAM checks for `{}` changed: today's reference lists {today}, the seed's 2020 table {then}; by {works} this statement {verb} it, by {fails} no `Resource` pattern here matches, so the statement never {verb} it; {}",
                now.qualified_name(),
                advice(reaches_now, verb)
            ),
            None,
        );
    }
}

fn checked(action: &Action, fallback: &[String]) -> String {
    let templates: Vec<String> = if action.has_resource_level_authorization() {
        action
            .resources()
            .iter()
            .map(|resource| resource.template().as_str().to_string())
            .collect()
    } else {
        fallback.to_vec()
    };
    if templates.is_empty() {
        "`*` only".to_string()
    } else {
        crate::suggest::quoted_list(&templates)
    }
}

fn advice(reaches_now: bool, verb: &str) -> String {
    if reaches_now {
        format!("today's RAM follows the reference, so the statement {verb} it: check that the resources it names are the intended ones")
    } else if verb == "denies" {
        "a guard scoped like this may no longer stop the call: add `\"*\"` (or the ARNs today's reference lists) to a Deny for this action".to_string()
    } else {
        "give the action the resources today's reference lists (`\"*\"` for an action authorized on `*` only), in a statement of its own if the others must stay scoped".to_string()
    }
}

/// `ecs:tag/env` → `ecs:tag` (the reference prints the family without a key).
fn family(key: &str) -> &str {
    match key.split_once('/') {
        Some((head, _)) => head,
        None => key,
    }
}

fn key_support<'a>(context: &mut Context<'a>, current: &'a Catalog, statement: &Statement) {
    let (Some(action), Some(block)) = (&statement.action, &statement.condition) else {
        return;
    };
    if action.kind != ActionKind::Action {
        return;
    }
    let Ok(services) = authorization::services() else {
        return;
    };
    // Every action of the statement, each documented by the reference.
    let mut actions: Vec<&Action> = Vec::new();
    for pattern in &action.patterns {
        let Some((service, _)) = split_action(&pattern.value) else {
            return;
        };
        if is_all_actions(&pattern.value) || !current.covers(service) {
            return;
        }
        let matched = context.catalog_matches_in(current, &pattern.value);
        if matched.is_empty()
            || matched
                .iter()
                .any(|action| action.facts().source != crate::catalog::FactSource::Reference)
        {
            return;
        }
        actions.extend(matched);
    }
    for operator in &block.operators {
        for entry in &operator.keys {
            let key = entry.key.value.as_str();
            let Some((prefix, _)) = key.split_once(':') else {
                continue;
            };
            // Tag keys (`ecs:tag/<key>`): the reference lists the family for a few actions
            // only, while tag-based authorization is documented more widely; no claim.
            if family(key) != key {
                continue;
            }
            let documented = services
                .iter()
                .any(|service| service.condition_key(key).is_some());
            if !documented || prefix.eq_ignore_ascii_case("acs") {
                continue;
            }
            let supported = actions.iter().any(|action| {
                action
                    .facts()
                    .condition_keys
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(key))
            });
            if supported {
                continue;
            }
            let names: Vec<String> = actions
                .iter()
                .take(3)
                .map(|action| action.qualified_name().to_string())
                .collect();
            let more = if actions.len() > 3 {
                format!(" and {} more", actions.len() - 3)
            } else {
                String::new()
            };
            context.report(
                "UNSUPPORTED_CONDITION_KEY",
                entry.key.span,
                &entry.key.pointer,
                format!(
                    "today's reference lists `{key}` for none of the statement's actions ({}{more}): RAM does not set it for them, so this condition is never met (and a negated operator always is); use a key the actions support (see `ram-policy actions`)",
                    crate::suggest::quoted_list(&names)
                ),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{allow, found, policy};

    /// The findings of `code` with the catalog of `edition`, as `test_support::found` gives them.
    fn found_in<'t>(
        edition: crate::catalog::Edition,
        text: &'t str,
        code: &str,
    ) -> Vec<(&'t str, crate::lint::Finding)> {
        let catalog = crate::catalog::Catalog::edition(edition).ok();
        crate::lint::lint_with(text, catalog)
            .into_iter()
            .filter(|finding| finding.code == code)
            .map(|finding| {
                (
                    &text[finding.region.offset..finding.region.end_offset],
                    finding,
                )
            })
            .collect()
    }

    fn found_seed<'t>(text: &'t str, code: &str) -> Vec<(&'t str, crate::lint::Finding)> {
        found_in(crate::catalog::Edition::Seed, text, code)
    }

    fn found_current<'t>(text: &'t str, code: &str) -> Vec<(&'t str, crate::lint::Finding)> {
        found_in(crate::catalog::Edition::Current, text, code)
    }

    #[test]
    fn scoped_statements_for_actions_whose_authorization_changed() {
        // The seed checks instance, image, … ARNs for RunInstances; today's reference `*` only.
        let text = allow(
            r#"["ecs:RunInstances", "ecs:StartInstance"]"#,
            r#""acs:ecs:*:*:instance/*""#,
        );
        assert!(found_seed(&text, "AUTHORIZATION_CHANGED").is_empty());
        let hits = found_current(&text, "AUTHORIZATION_CHANGED");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "\"ecs:RunInstances\"");
        assert!(hits[0].1.message.contains("`*` only"));
        // On `*` both editions agree.
        assert!(found_current(
            &allow(r#""ecs:RunInstances""#, r#""*""#),
            "AUTHORIZATION_CHANGED"
        )
        .is_empty());
        // InvokeCommand: `*` in the seed, instance and command ARNs today.
        let invoke = allow(r#""ecs:InvokeCommand""#, r#""acs:ecs:*:*:instance/*""#);
        assert!(found_current(&invoke, "AUTHORIZATION_CHANGED")[0]
            .1
            .message
            .contains("by today's reference (edition `current`) this statement allows it"));
    }

    #[test]
    fn keys_the_actions_do_not_support() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*",
                "Condition": {"StringEquals": {"ecs:CommandRunAs": "root"}}}"#,
        );
        assert_eq!(found(&text, "UNSUPPORTED_CONDITION_KEY").len(), 1);
        let ok = policy(
            r#"{"Effect": "Allow", "Action": ["ecs:InvokeCommand", "ecs:DescribeInstances"], "Resource": "*",
                "Condition": {"StringEquals": {"ecs:CommandRunAs": "root", "acs:SourceVpc": "vpc-1"}}}"#,
        );
        assert!(found(&ok, "UNSUPPORTED_CONDITION_KEY").is_empty());
        // Tag keys are not checked (the reference lists the family for a few actions only).
        let tags = policy(
            r#"{"Effect": "Allow", "Action": "ecs:StartInstance", "Resource": "*",
                "Condition": {"StringEquals": {"ecs:tag/env": "prod"}}}"#,
        );
        assert!(found(&tags, "UNSUPPORTED_CONDITION_KEY").is_empty());
        // An action the reference does not document: nothing is claimed.
        let unknown = policy(
            r#"{"Effect": "Allow", "Action": "vpc:DescribeVpcs", "Resource": "*",
                "Condition": {"StringEquals": {"ecs:CommandRunAs": "root"}}}"#,
        );
        assert!(found(&unknown, "UNSUPPORTED_CONDITION_KEY").is_empty());
    }
}
