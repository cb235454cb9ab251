//! Action names: `INVALID_ACTION_FORMAT` (not `service:Name`), `INVALID_ACTION` (a name that is
//! no API of its service, with the nearest names), `UNDOCUMENTED_AUTHORIZATION` (a real API that
//! no authorization entry of the catalog's edition documents, in a statement whose `Resource` is
//! scoped, where that matters) and `ACTION_MATCHES_NOTHING` (a
//! wildcard that matches no action and no API).
//!
//! The services checked are data: those of the catalog and of the API metadata
//! ([`crate::catalog::api`]); actions compare without letter case, as RAM compares them. Actions
//! of other services are not checked for existence. A quick fix never changes what a statement
//! denies: a misspelt name inside a `Deny` gets the suggestion in the message only.

use crate::catalog::{api, Catalog};
use crate::lint::context::{Check, Context};
use crate::lint::matching::{is_all_actions, split_action};
use crate::policy::{Effect, Located};
use crate::suggest;
use crate::wildcard::language;

/// Whether the API metadata or the catalog knows this service prefix.
pub fn is_checked_service(catalog: Option<&Catalog>, service: &str) -> bool {
    api::service(service).is_some() || catalog.is_some_and(|catalog| catalog.covers(service))
}

/// Whether `service:name` (no wildcard) is an API of the metadata.
pub fn is_api(service: &str, name: &str) -> bool {
    api::service(service).is_some_and(|apis| apis.api(name).is_some())
}

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &[
        "INVALID_ACTION_FORMAT",
        "INVALID_ACTION",
        "UNDOCUMENTED_AUTHORIZATION",
        "ACTION_MATCHES_NOTHING",
    ],
    run: check,
};

/// Checks every action and not-action pattern.
pub fn check(context: &mut Context<'_>) {
    let statements = &context.document.statements;
    for statement in statements {
        let Some(element) = &statement.action else {
            continue;
        };
        let deny = statement
            .effect
            .as_ref()
            .is_some_and(|effect| effect.value == Effect::Deny);
        // Scoped: no `Resource` pattern matches everything, so which resources RAM checks
        // matters.
        let scoped = statement.resource.as_ref().is_some_and(|resource| {
            !resource
                .value
                .iter()
                .any(|pattern| crate::wildcard::is_everything(&pattern.value))
        });
        for pattern in &element.patterns {
            check_one(context, pattern, deny, scoped);
        }
    }
}

fn check_one(context: &mut Context<'_>, pattern: &Located<String>, deny: bool, scoped: bool) {
    let text = pattern.value.as_str();
    if is_all_actions(text) {
        return;
    }
    let Some((service, name)) = split_action(text) else {
        format_finding(context, pattern);
        return;
    };
    if crate::wildcard::has_wildcard(service) || !is_checked_service(context.catalog, service) {
        return;
    }
    let apis = api::service(service);
    if crate::wildcard::has_wildcard(name) {
        let tokens = language::tokens(&name.to_ascii_lowercase(), false);
        let mut lower: Vec<char> = Vec::with_capacity(64);
        let api_matches = apis.is_some_and(|apis| {
            apis.apis().iter().any(|api| {
                lower.clear();
                lower.extend(api.name().chars().map(|c| c.to_ascii_lowercase()));
                language::matches(&tokens, &lower)
            })
        });
        if !api_matches && context.catalog_matches(text).is_empty() {
            context.report(
                "ACTION_MATCHES_NOTHING",
                pattern.span,
                &pattern.pointer,
                format!("`{text}` matches no `{service}:` action or API, so it grants or denies nothing; check the spelling (see `ram-policy actions`)"),
                None,
            );
        }
        return;
    }
    let in_catalog = context
        .catalog
        .and_then(|catalog| catalog.action(text))
        .filter(|action| action.authorization_documented());
    if in_catalog.is_some() {
        return;
    }
    if is_api(service, name) {
        if !scoped {
            // On `*` the statement matches whatever RAM checks.
            return;
        }
        let edition = context
            .catalog
            .map_or("", |catalog| catalog.edition_name().name());
        context.report(
            "UNDOCUMENTED_AUTHORIZATION",
            pattern.span,
            &pattern.pointer,
            format!("`{text}` is a real API, but no authorization entry of the catalog (edition `{edition}`) says which resources RAM checks for it: it is evaluated on `*`, and where a statement scoped to resource ARNs would decide, `eval` and `explain` answer Indeterminate"),
            None,
        );
        return;
    }
    if context
        .catalog
        .is_some_and(|catalog| catalog.action(text).is_some())
    {
        return;
    }
    // Neither an API nor a catalog action: a misspelling, or an API newer than the metadata.
    let mut suggestions: Vec<String> = match apis {
        Some(apis) => suggest::nearest(name, apis.apis().iter().map(|api| api.name()), 3)
            .into_iter()
            .map(|found| format!("{service}:{found}"))
            .collect(),
        None => Vec::new(),
    };
    if suggestions.is_empty() {
        if let Some(catalog) = context.catalog {
            suggestions = catalog.suggest(text);
        }
    }
    unknown(context, pattern, service, suggestions, deny);
}

fn unknown(
    context: &mut Context<'_>,
    pattern: &Located<String>,
    service: &str,
    suggestions: Vec<String>,
    deny: bool,
) {
    let hint = crate::suggest::did_you_mean_or_check(&suggestions);
    // Inside a Deny, replacing the name would change what the statement denies: the reviewer
    // decides.
    let fix = suggestions.first().filter(|_| !deny).map(|best| {
        context.replace_with_string(pattern.span, best, format!("replace with `{best}`"))
    });
    context.report(
        "INVALID_ACTION",
        pattern.span,
        &pattern.pointer,
        format!(
            "`{}` is not a known {} action: no API of the service's metadata has this name, so a misspelt action matches nothing and the statement grants or denies nothing for it{hint}",
            pattern.value,
            service.to_ascii_uppercase()
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
        } else if let Ok(services) = api::services() {
            // The one service whose metadata has the API, deprecated ones aside (ECS still
            // lists a deprecated `DescribeVpcs`); several: no guess.
            let mut owners = services.iter().filter_map(|apis| {
                apis.api(bare)
                    .filter(|api| !api.deprecated())
                    .map(|api| format!("{}:{}", apis.service(), api.name()))
            });
            if let (Some(only), None) = (owners.next(), owners.next()) {
                suggestion = Some(only);
            }
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
