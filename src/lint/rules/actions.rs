//! Action names: `INVALID_ACTION_FORMAT` (not `service:Name`), `INVALID_ACTION` (an `ecs:` or
//! `vpc:` action that does not exist, with the nearest names and a fix) and
//! `ACTION_MATCHES_NOTHING` (an `ecs:`/`vpc:` wildcard that matches no action).
//!
//! `ecs:` actions are checked against the catalog (161 actions), `vpc:` actions against
//! [`VPC_ACTIONS`], a short list of VPC API names; actions compare without letter case, as RAM
//! compares them. Actions of other services are not checked for existence.

use crate::catalog::{Action, Catalog};
use crate::lint::engine::Context;
use crate::lint::glob;
use crate::policy::Located;
use crate::suggest;

/// VPC API names this linter knows (from the VPC API reference, 2025). The list is short and
/// deliberately limited to names we are sure of: a `vpc:` action outside it is reported as
/// `INVALID_ACTION`, so extend the list when a real VPC action is reported.
pub const VPC_ACTIONS: &[&str] = &[
    "AllocateEipAddress",
    "AssociateEipAddress",
    "AssociateRouteTable",
    "CreateNatGateway",
    "CreateRouteEntry",
    "CreateRouteTable",
    "CreateVSwitch",
    "CreateVpc",
    "DeleteNatGateway",
    "DeleteRouteEntry",
    "DeleteRouteTable",
    "DeleteVSwitch",
    "DeleteVpc",
    "DescribeEipAddresses",
    "DescribeNatGateways",
    "DescribeRouteEntryList",
    "DescribeRouteTableList",
    "DescribeRouteTables",
    "DescribeVRouters",
    "DescribeVSwitchAttributes",
    "DescribeVSwitches",
    "DescribeVpcAttribute",
    "DescribeVpcs",
    "ModifyEipAddressAttribute",
    "ModifyVSwitchAttribute",
    "ModifyVpcAttribute",
    "ReleaseEipAddress",
    "UnassociateEipAddress",
    "UnassociateRouteTable",
];

/// Whether an action pattern is `*`-only (every action of every service).
pub fn is_all_actions(pattern: &str) -> bool {
    glob::is_everything(pattern)
}

/// The catalog actions an action pattern matches (letter case ignored; `ecs:` patterns only).
pub fn catalog_matches<'c>(catalog: &'c Catalog, pattern: &str) -> Vec<&'c Action> {
    if !crate::pattern::has_wildcard(pattern) {
        return match split_action(pattern) {
            Some((service, name)) if service.eq_ignore_ascii_case("ecs") => {
                catalog.action(name).into_iter().collect()
            }
            _ => Vec::new(),
        };
    }
    let tokens = glob::tokens(pattern, true);
    let prefix = literal_prefix(pattern);
    let mut name: Vec<char> = Vec::with_capacity(64);
    catalog
        .actions()
        .iter()
        .filter(|action| {
            let qualified = action.qualified_name();
            if !starts_with_ignoring_case(qualified, prefix) {
                return false;
            }
            name.clear();
            name.extend(qualified.chars().map(|c| c.to_ascii_lowercase()));
            glob::matches(&tokens, &name)
        })
        .collect()
}

/// The pattern's text before its first wildcard: a name that does not start with it (letter
/// case ignored) is rejected before anything is allocated.
fn literal_prefix(pattern: &str) -> &str {
    pattern
        .find(['*', '?'])
        .and_then(|end| pattern.get(..end))
        .unwrap_or(pattern)
}

fn starts_with_ignoring_case(name: &str, prefix: &str) -> bool {
    name.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Whether an action pattern matches the qualified action name (letter case ignored).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    if !crate::pattern::has_wildcard(pattern) {
        return pattern.eq_ignore_ascii_case(action);
    }
    if !starts_with_ignoring_case(action, literal_prefix(pattern)) {
        return false;
    }
    let name: Vec<char> = action.to_ascii_lowercase().chars().collect();
    glob::matches(&glob::tokens(pattern, true), &name)
}

/// `service:Name` split, when the pattern has that shape.
pub fn split_action(pattern: &str) -> Option<(&str, &str)> {
    let (service, name) = pattern.split_once(':')?;
    let service_ok = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '?'));
    let name_ok = !name.is_empty()
        && !name.contains(':')
        && name.chars().all(|c| !c.is_whitespace() && !c.is_control());
    (service_ok && name_ok).then_some((service, name))
}

/// Checks every action and not-action pattern.
pub fn check(context: &mut Context<'_>) {
    let statements = &context.document.statements;
    for statement in statements {
        let Some(element) = &statement.action else {
            continue;
        };
        for pattern in &element.patterns {
            check_one(context, pattern);
        }
    }
}

fn check_one(context: &mut Context<'_>, pattern: &Located<String>) {
    let text = pattern.value.as_str();
    if is_all_actions(text) {
        return;
    }
    let Some((service, name)) = split_action(text) else {
        format_finding(context, pattern);
        return;
    };
    let wildcard = crate::pattern::has_wildcard(name);
    if service.eq_ignore_ascii_case("ecs") {
        let Some(catalog) = context.catalog else {
            return;
        };
        if wildcard {
            if context.catalog_matches(text).is_empty() {
                context.report(
                    "ACTION_MATCHES_NOTHING",
                    pattern.span,
                    &pattern.pointer,
                    format!("`{text}` matches no ECS action, so it grants or denies nothing; check the spelling (see `ram-policy actions`)"),
                    None,
                );
            }
        } else if catalog.action(name).is_none() {
            let suggestions = catalog.suggest(name);
            unknown(context, pattern, "ECS", suggestions);
        }
    } else if service.eq_ignore_ascii_case("vpc") {
        if wildcard {
            let tokens = glob::tokens(&name.to_ascii_lowercase(), false);
            let any = VPC_ACTIONS.iter().any(|known| {
                let chars: Vec<char> = known.to_ascii_lowercase().chars().collect();
                glob::matches(&tokens, &chars)
            });
            if !any {
                context.report(
                    "ACTION_MATCHES_NOTHING",
                    pattern.span,
                    &pattern.pointer,
                    format!("`{text}` matches no VPC action this linter knows; check the spelling"),
                    None,
                );
            }
        } else if !VPC_ACTIONS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(name))
        {
            let suggestions = suggest::nearest(name, VPC_ACTIONS.iter().copied(), 3)
                .into_iter()
                .map(|found| format!("vpc:{found}"))
                .collect();
            unknown(context, pattern, "VPC", suggestions);
        }
    }
}

fn unknown(
    context: &mut Context<'_>,
    pattern: &Located<String>,
    service: &str,
    suggestions: Vec<String>,
) {
    let hint = crate::suggest::did_you_mean_or_check(&suggestions);
    let fix = suggestions.first().map(|best| {
        context.replace_with_string(pattern.span, best, format!("replace with `{best}`"))
    });
    context.report(
        "INVALID_ACTION",
        pattern.span,
        &pattern.pointer,
        format!(
            "`{}` is not a known {service} action: a misspelt action matches no API, so the statement grants nothing for it (an API newer than the catalog is reported too){hint}",
            pattern.value
        ),
        fix,
    );
}

fn format_finding(context: &mut Context<'_>, pattern: &Located<String>) {
    let text = pattern.value.as_str();
    let bare = text.trim();
    let mut suggestion = None;
    if !bare.contains(':') {
        if let Some(action) = context.catalog.and_then(|catalog| catalog.action(bare)) {
            suggestion = Some(action.qualified_name().to_string());
        } else if let Some(known) = VPC_ACTIONS
            .iter()
            .find(|known| known.eq_ignore_ascii_case(bare))
        {
            suggestion = Some(format!("vpc:{known}"));
        }
    }
    let hint = suggestion
        .as_ref()
        .map_or(String::new(), |name| format!("; did you mean `{name}`?"));
    let fix = suggestion.map(|name| {
        context.replace_with_string(pattern.span, &name, format!("replace with `{name}`"))
    });
    context.report(
        "INVALID_ACTION_FORMAT",
        pattern.span,
        &pattern.pointer,
        format!("`{text}` is not an action: write `<service>:<ApiName>` (e.g. `ecs:StartInstance`) or `*`{hint}"),
        fix,
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{found, policy, spans};

    fn actions(list: &str) -> String {
        policy(&format!(
            r#"{{"Effect": "Allow", "Action": {list}, "Resource": "*"}}"#
        ))
    }

    #[test]
    fn unknown_ecs_and_vpc_actions_get_suggestions_and_fixes() {
        let text = actions(
            r#"["ecs:DescribeInstnces", "vpc:DescribeVpc", "oss:GetObject", "ECS:describeinstances"]"#,
        );
        let hits = found(&text, "INVALID_ACTION");
        assert_eq!(hits.len(), 2);
        assert!(hits[0].1.message.contains("`ecs:DescribeInstances`"));
        let fixed = hits[0].1.fix.as_ref().unwrap().apply(&text).unwrap();
        assert_eq!(found(&fixed, "INVALID_ACTION").len(), 1);
        assert!(hits[1].1.message.contains("`vpc:DescribeVpcs`"));
        assert_eq!(hits[1].1.path, "/Statement/0/Action/1");
    }

    #[test]
    fn wildcards_that_match_nothing() {
        let text = actions(
            r#"["ecs:Descirbe*", "ecs:Describe*", "vpc:Descr?beVpcs", "vpc:Nothing*", "ecs:*"]"#,
        );
        assert_eq!(
            spans(&text, "ACTION_MATCHES_NOTHING"),
            vec!["\"ecs:Descirbe*\"", "\"vpc:Nothing*\""]
        );
    }

    #[test]
    fn malformed_actions_get_the_prefix() {
        let text = actions(r#"["StartInstance", "ecs:", "ecs:a:b", "*", "DescribeVpcs"]"#);
        let hits = found(&text, "INVALID_ACTION_FORMAT");
        assert_eq!(hits.len(), 4);
        let fixed = hits[0].1.fix.as_ref().unwrap().apply(&text).unwrap();
        assert!(fixed.contains("\"ecs:StartInstance\""));
        assert!(hits[3].1.message.contains("vpc:DescribeVpcs"));
    }
}
