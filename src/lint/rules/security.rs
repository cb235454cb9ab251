//! Security warnings: `FULL_ADMIN_ACCESS`, `SERVICE_WILDCARD`, `ALLOW_WITH_NOT_ACTION`,
//! `PASS_ROLE_WITH_STAR_IN_RESOURCE`, `PERMISSIONS_MANAGEMENT`, `PRIVILEGE_ESCALATION`,
//! `CREDENTIALS_EXPOSURE` and `DESTRUCTIVE_ACTION_ON_ALL_RESOURCES`, and the suggestion
//! `UNSCOPABLE_SENSITIVE_ACTION`. Only `Allow` statements grant anything, so only they are
//! looked at.
//!
//! How actions are recognised: an exact name (letter case ignored) fires when it is in the
//! check's list; a wildcard fires when every catalog action it matches is in the list
//! (`ecs:Delete*` is destructive, `ecs:Describe*` does not expose credentials although it
//! includes `ecs:DescribeUserData`): the service-wide `ecs:*` and `*` are already reported by
//! `SERVICE_WILDCARD` and `FULL_ADMIN_ACCESS`. RAM actions (not in the catalog) fire for any
//! pattern other than `*` and `ram:*` that matches a listed name.
//!
//! "Broad resources": a `Resource` pattern that covers every ARN of at least one kind RAM checks
//! for the action (`*`, `acs:ecs:*:*:disk/*` for `ecs:DeleteDisk`). For `ram:PassRole`: `*`
//! or a pattern covering every `role/…` of an account.
//!
//! Credential and destructive actions that RAM authorizes only on `*` (no resource-level
//! authorization: `ecs:InvokeCommand`, `ecs:DeleteCommand`, …) cannot be narrowed by
//! `Resource`; a warning whose fix is "scope `Resource`" would be noise that no policy needing
//! them can silence, so they get `UNSCOPABLE_SENSITIVE_ACTION`, a suggestion that a
//! `ram-policy.toml` can raise to `security_warning`.

use crate::catalog::Action;
use crate::lint::context::{Check, Context};
use crate::lint::matching::{action_matches, is_all_actions, split_action};
use crate::policy::{ActionKind, Effect, Located, Statement};
use crate::wildcard::language;

/// RAM actions that grant permissions (attach or write policies, change trust, add to groups,
/// make credentials).
pub const PERMISSIONS_MANAGEMENT_ACTIONS: &[&str] = &[
    "ram:AttachPolicyToUser",
    "ram:AttachPolicyToGroup",
    "ram:AttachPolicyToRole",
    "ram:DetachPolicyFromUser",
    "ram:DetachPolicyFromGroup",
    "ram:DetachPolicyFromRole",
    "ram:CreatePolicy",
    "ram:CreatePolicyVersion",
    "ram:SetDefaultPolicyVersion",
    "ram:CreateRole",
    "ram:UpdateRole",
    "ram:AddUserToGroup",
    "ram:CreateAccessKey",
    "ram:CreateLoginProfile",
    "ram:UpdateLoginProfile",
];

/// ECS actions that put a RAM role on an instance.
pub const ROLE_ATTACHING_ACTIONS: &[&str] = &[
    "ecs:AttachInstanceRamRole",
    "ecs:RunInstances",
    "ecs:CreateInstance",
];

/// ECS actions that reveal credentials or run code on instances.
pub const CREDENTIAL_ACTIONS: &[&str] = &[
    "ecs:DescribeInstanceVncUrl",
    "ecs:DescribeInstanceVncPasswd",
    "ecs:ModifyInstanceVncPasswd",
    "ecs:DescribeUserData",
    "ecs:InvokeCommand",
    "ecs:CreateCommand",
];

/// ECS actions that destroy data although their access level is not `delete`: they overwrite a
/// disk. Every action of access level `delete` is destructive too (or, where the catalog has no
/// access level — the seed edition — every `Delete…` action).
pub const DESTRUCTIVE_ACTIONS: &[&str] =
    &["ecs:ResetDisk", "ecs:ReInitDisk", "ecs:ReplaceSystemDisk"];

fn is_destructive(action: &Action) -> bool {
    let by_level = match &action.facts().access {
        Some(access) => access == "delete",
        None => action.name().starts_with("Delete"),
    };
    by_level
        || DESTRUCTIVE_ACTIONS
            .iter()
            .any(|name| name.eq_ignore_ascii_case(action.qualified_name()))
}

fn is_credential(action: &Action) -> bool {
    CREDENTIAL_ACTIONS
        .iter()
        .any(|name| name.eq_ignore_ascii_case(action.qualified_name()))
}

/// What the checks ask of one action pattern, found once per pattern.
struct Pattern<'p> {
    text: &'p str,
    /// `*` only.
    everything: bool,
    /// `service:*`.
    service_wide: bool,
    wildcard: bool,
}

impl<'p> Pattern<'p> {
    fn new(text: &'p str) -> Self {
        Pattern {
            text,
            everything: is_all_actions(text),
            service_wide: is_service_wildcard(text),
            wildcard: crate::wildcard::has_wildcard(text),
        }
    }

    /// Whether the pattern matches the action name ([`action_matches`], with the wildcard test
    /// done once).
    fn matches(&self, name: &str) -> bool {
        if self.wildcard {
            action_matches(self.text, name)
        } else {
            self.text.eq_ignore_ascii_case(name)
        }
    }
}

/// The catalog actions of a pattern when all of them satisfy `listed` (and there is one).
fn listed_actions<'c>(matched: &[&'c Action], listed: impl Fn(&Action) -> bool) -> Vec<&'c Action> {
    if matched.iter().all(|action| listed(action)) {
        matched.to_vec()
    } else {
        Vec::new()
    }
}

/// `service:*`.
pub fn is_service_wildcard(pattern: &str) -> bool {
    split_action(pattern).is_some_and(|(service, name)| {
        !crate::wildcard::has_wildcard(service) && crate::wildcard::is_everything(name)
    })
}

/// Whether a resource pattern covers every ARN of some kind RAM checks for the action.
pub fn covers_all(resource: &str, action: &Action) -> bool {
    let outer = language::tokens(resource, false);
    if action.has_resource_level_authorization() {
        action.resources().iter().any(|kind| {
            language::contains(&outer, &language::catalog_template_tokens(kind.template()))
        })
    } else {
        language::matches(&outer, &['*'])
    }
}

/// Whether a resource pattern covers every role of an account.
fn covers_all_roles(resource: &str) -> bool {
    if crate::wildcard::is_everything(resource) {
        return true;
    }
    match resource.splitn(5, ':').nth(4) {
        Some(relative) => language::contains(
            &language::tokens(relative, false),
            &language::tokens("role/*", false),
        ),
        None => false,
    }
}

fn allow_actions(statement: &Statement) -> Option<&[Located<String>]> {
    let effect = statement.effect.as_ref()?;
    let action = statement.action.as_ref()?;
    (effect.value == Effect::Allow && action.kind == ActionKind::Action)
        .then_some(action.patterns.as_slice())
}

fn resources(statement: &Statement) -> &[Located<String>] {
    statement
        .resource
        .as_ref()
        .map_or(&[], |resource| resource.value.as_slice())
}

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &[
        "FULL_ADMIN_ACCESS",
        "SERVICE_WILDCARD",
        "ALLOW_WITH_NOT_ACTION",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        "PERMISSIONS_MANAGEMENT",
        "PRIVILEGE_ESCALATION",
        "CREDENTIALS_EXPOSURE",
        "DESTRUCTIVE_ACTION_ON_ALL_RESOURCES",
        "UNSCOPABLE_SENSITIVE_ACTION",
    ],
    run: check,
};

/// Runs the security checks.
pub fn check(context: &mut Context<'_>) {
    let statements = &context.document.statements;
    let mut pass_role_broad = false;
    for statement in statements {
        not_action(context, statement);
        let Some(patterns) = allow_actions(statement) else {
            continue;
        };
        for pattern in patterns {
            let shape = Pattern::new(&pattern.value);
            wildcards(context, statement, pattern, &shape);
            permissions(context, pattern, &shape);
            if !shape.everything && shape.matches("ram:PassRole") {
                for resource in resources(statement) {
                    if covers_all_roles(&resource.value) {
                        pass_role_broad = true;
                        context.report(
                            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                            resource.span,
                            &resource.pointer,
                            format!("`{}` lets the caller pass every role, administrator roles included, to ECS or another service; name the roles (`acs:ram::<account>:role/<name>`)", resource.value),
                            None,
                        );
                    }
                }
            }
            if context.catalog.is_some() {
                catalog_checks(context, statement, pattern, &shape);
            }
        }
    }
    if pass_role_broad {
        escalation(context, statements);
    }
}

fn not_action(context: &mut Context<'_>, statement: &Statement) {
    let (Some(effect), Some(action)) = (&statement.effect, &statement.action) else {
        return;
    };
    if effect.value == Effect::Allow && action.kind == ActionKind::NotAction {
        let span = context.key_span(&action.pointer, action.span);
        context.report(
            "ALLOW_WITH_NOT_ACTION",
            span,
            &action.pointer,
            "`Allow` with `NotAction` grants every action of every service except those listed, including actions added later; list the allowed actions with `Action` instead".into(),
            None,
        );
    }
}

fn wildcards(
    context: &mut Context<'_>,
    statement: &Statement,
    pattern: &Located<String>,
    shape: &Pattern<'_>,
) {
    if shape.everything {
        if resources(statement)
            .iter()
            .any(|resource| crate::wildcard::is_everything(&resource.value))
        {
            context.report(
                "FULL_ADMIN_ACCESS",
                pattern.span,
                &pattern.pointer,
                "the statement allows every action on every resource (full administrator access); grant only the actions and resources needed".into(),
                None,
            );
        }
    } else if shape.service_wide {
        context.report(
            "SERVICE_WILDCARD",
            pattern.span,
            &pattern.pointer,
            format!("`{}` allows every present and future action of the service, destructive ones included; list the actions needed", pattern.value),
            None,
        );
    }
}

fn permissions(context: &mut Context<'_>, pattern: &Located<String>, shape: &Pattern<'_>) {
    let text = pattern.value.as_str();
    if shape.everything || shape.service_wide {
        return;
    }
    let granted: Vec<&str> = PERMISSIONS_MANAGEMENT_ACTIONS
        .iter()
        .copied()
        .filter(|name| shape.matches(name))
        .collect();
    if let Some(first) = granted.first() {
        let what = if granted.len() == 1 && !shape.wildcard {
            format!("`{first}`")
        } else {
            format!("`{text}` (which includes `{first}`)")
        };
        context.report(
            "PERMISSIONS_MANAGEMENT",
            pattern.span,
            &pattern.pointer,
            format!("{what} lets the caller grant permissions, to themselves too; keep it for administrators, or scope it to named users, groups or roles"),
            None,
        );
    }
}

fn catalog_checks<'c>(
    context: &mut Context<'c>,
    statement: &Statement,
    pattern: &Located<String>,
    shape: &Pattern<'_>,
) {
    let resources = resources(statement);
    let on_everything = |action: &Action| {
        resources
            .iter()
            .any(|resource| covers_all(&resource.value, action))
    };
    let conditioned = statement.condition.is_some();
    let matched = if shape.everything || shape.service_wide {
        Vec::new()
    } else {
        context.catalog_matches(&pattern.value)
    };
    let credential = listed_actions(&matched, is_credential);
    let destructive = if conditioned {
        Vec::new()
    } else {
        listed_actions(&matched, is_destructive)
    };
    // Where RAM can limit the action by resource, a broad `Resource` is a choice and narrowing
    // it is the fix: a security warning.
    // The first action of a list that RAM can (or cannot) limit by resource and that a
    // `Resource` pattern grants in full.
    // An action whose checked resources are not fully known is neither claimed scopable nor
    // claimed `*`-only.
    let broad = |actions: &[&'c Action], scopable: bool| {
        actions.iter().copied().find(|action| {
            action.authorization_documented()
                && action.facts().unbound.is_empty()
                && action.has_resource_level_authorization() == scopable
                && on_everything(action)
        })
    };
    if let Some(action) = broad(&credential, true) {
        context.report(
            "CREDENTIALS_EXPOSURE",
            pattern.span,
            &pattern.pointer,
            format!("`{}` on every resource gives a console, secrets or code execution on every instance; scope `Resource` to the instances that need it", action.qualified_name()),
            None,
        );
        return;
    }
    if let Some(action) = broad(&destructive, true) {
        context.report(
            "DESTRUCTIVE_ACTION_ON_ALL_RESOURCES",
            pattern.span,
            &pattern.pointer,
            format!("`{}` is allowed on every resource with no condition, so one call can destroy data across the account; scope `Resource` or add a condition (e.g. `acs:MFAPresent`)", action.qualified_name()),
            None,
        );
        return;
    }
    // RAM authorizes these only on `*`: no `Resource` can narrow them, so a policy that needs
    // them (a generated least-privilege one too) cannot do otherwise. Said once, as a
    // suggestion, unless a condition already limits the statement.
    if conditioned {
        return;
    }
    let (action, consequence) = if let Some(action) = broad(&credential, false) {
        (
            action,
            "gives secrets or code execution on every instance of the account",
        )
    } else if let Some(action) = broad(&destructive, false) {
        (action, "can delete resources across the whole account")
    } else {
        return;
    };
    context.report(
        "UNSCOPABLE_SENSITIVE_ACTION",
        pattern.span,
        &pattern.pointer,
        format!("`{}` {consequence}, and RAM authorizes it only on `*`, so no `Resource` can narrow it; grant it only to principals that need it, or limit the statement with a condition (e.g. `acs:SourceIp`, `acs:MFAPresent`)", action.qualified_name()),
        None,
    );
}

fn escalation(context: &mut Context<'_>, statements: &[Statement]) {
    for statement in statements {
        let Some(patterns) = allow_actions(statement) else {
            continue;
        };
        for pattern in patterns {
            if is_all_actions(&pattern.value) {
                continue;
            }
            if let Some(action) = ROLE_ATTACHING_ACTIONS
                .iter()
                .find(|name| action_matches(&pattern.value, name))
            {
                context.report(
                    "PRIVILEGE_ESCALATION",
                    pattern.span,
                    &pattern.pointer,
                    format!("`{action}` together with `ram:PassRole` on every role lets the caller put any role on an instance they control and use its credentials; limit `ram:PassRole` to the roles instances need"),
                    None,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{allow, policy, spans};

    #[test]
    fn wildcards_and_admin() {
        let text = allow(r#"["*", "ecs:*", "vpc:*", "ecs:Describe*"]"#, r#""*""#);
        assert_eq!(spans(&text, "FULL_ADMIN_ACCESS"), vec!["\"*\""]);
        assert_eq!(
            spans(&text, "SERVICE_WILDCARD"),
            vec!["\"ecs:*\"", "\"vpc:*\""]
        );
        assert!(spans(
            &allow(r#""*""#, r#""acs:ecs:*:*:instance/*""#),
            "FULL_ADMIN_ACCESS"
        )
        .is_empty());
    }

    #[test]
    fn destructive_and_credentials_need_broad_resources() {
        let text = allow(
            r#"["ecs:Delete*", "ecs:DescribeInstanceVncUrl", "ecs:Describe*", "ecs:DeleteDisk"]"#,
            r#"["acs:ecs:*:*:disk/*", "*"]"#,
        );
        assert_eq!(
            spans(&text, "DESTRUCTIVE_ACTION_ON_ALL_RESOURCES"),
            vec!["\"ecs:Delete*\"", "\"ecs:DeleteDisk\""]
        );
        assert_eq!(
            spans(&text, "CREDENTIALS_EXPOSURE"),
            vec!["\"ecs:DescribeInstanceVncUrl\""]
        );
        assert!(spans(&text, "UNSCOPABLE_SENSITIVE_ACTION").is_empty());
        let scoped = allow(r#""ecs:DeleteDisk""#, r#""acs:ecs:cn-hangzhou:1:disk/d-1""#);
        assert!(spans(&scoped, "DESTRUCTIVE_ACTION_ON_ALL_RESOURCES").is_empty());
        let conditioned = policy(
            r#"{"Effect": "Allow", "Action": "ecs:DeleteDisk", "Resource": "*", "Condition": {"Bool": {"acs:MFAPresent": "true"}}}"#,
        );
        assert!(spans(&conditioned, "DESTRUCTIVE_ACTION_ON_ALL_RESOURCES").is_empty());
    }

    #[test]
    fn actions_only_authorized_on_star_get_a_suggestion() {
        // RAM checks only `*` for these (no resource-level authorization in the catalog).
        let text = allow(
            r#"["ecs:InvokeCommand", "ecs:DescribeUserData", "ecs:DeleteCommand", "ecs:DescribeInstances"]"#,
            r#""*""#,
        );
        assert_eq!(
            spans(&text, "UNSCOPABLE_SENSITIVE_ACTION"),
            vec![
                "\"ecs:InvokeCommand\"",
                "\"ecs:DescribeUserData\"",
                "\"ecs:DeleteCommand\""
            ]
        );
        assert!(spans(&text, "CREDENTIALS_EXPOSURE").is_empty());
        assert!(spans(&text, "DESTRUCTIVE_ACTION_ON_ALL_RESOURCES").is_empty());
        // A wildcard that also covers scopable actions keeps the warning, said once.
        let mixed = allow(r#""ecs:Delete*""#, r#""*""#);
        assert_eq!(
            spans(&mixed, "DESTRUCTIVE_ACTION_ON_ALL_RESOURCES"),
            vec!["\"ecs:Delete*\""]
        );
        assert!(spans(&mixed, "UNSCOPABLE_SENSITIVE_ACTION").is_empty());
        // A condition is the only limit such an action can have.
        let conditioned = policy(
            r#"{"Effect": "Allow", "Action": "ecs:InvokeCommand", "Resource": "*", "Condition": {"IpAddress": {"acs:SourceIp": "203.0.113.0/24"}}}"#,
        );
        assert!(spans(&conditioned, "UNSCOPABLE_SENSITIVE_ACTION").is_empty());
    }

    #[test]
    fn pass_role_and_escalation() {
        let text = allow(
            r#"["ecs:RunInstances", "ram:PassRole", "ram:Attach*"]"#,
            r#"["acs:ram::1:role/*", "acs:ecs:*:*:instance/*"]"#,
        );
        assert_eq!(
            spans(&text, "PASS_ROLE_WITH_STAR_IN_RESOURCE"),
            vec!["\"acs:ram::1:role/*\""]
        );
        assert_eq!(
            spans(&text, "PRIVILEGE_ESCALATION"),
            vec!["\"ecs:RunInstances\""]
        );
        assert_eq!(
            spans(&text, "PERMISSIONS_MANAGEMENT"),
            vec!["\"ram:Attach*\""]
        );
        let scoped = allow(
            r#"["ecs:RunInstances", "ram:PassRole"]"#,
            r#""acs:ram::1:role/app""#,
        );
        assert!(spans(&scoped, "PRIVILEGE_ESCALATION").is_empty());
    }

    #[test]
    fn not_action_points_at_the_key() {
        let text =
            policy(r#"{"Effect": "Allow", "NotAction": "ecs:DeleteInstance", "Resource": "*"}"#);
        assert_eq!(spans(&text, "ALLOW_WITH_NOT_ACTION"), vec!["\"NotAction\""]);
        let deny =
            policy(r#"{"Effect": "Deny", "NotAction": "ecs:DeleteInstance", "Resource": "*"}"#);
        assert!(spans(&deny, "ALLOW_WITH_NOT_ACTION").is_empty());
    }
}
