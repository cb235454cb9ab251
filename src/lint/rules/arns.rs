//! Resource patterns: `INVALID_ARN` (neither `*` nor a five-field `acs:` ARN), `INVALID_REGION`,
//! `INVALID_ARN_ACCOUNT`, `TEMPLATE_VARIABLE_IN_RESOURCE` (documentation placeholders such as
//! `$regionid`, `{#regionId}`, `[ECS RAM Action Resource]`, `<account-id>`) and
//! `MASKED_ID_IN_RESOURCE` (ids masked with `***` in documentation).
//!
//! A resource with a placeholder gets only the placeholder finding: its other fields are not
//! meaningful. `acs:ecs:*` (fewer fields, the last one with a wildcard) covers every ARN of the
//! service and is accepted. The region may be empty for services without API metadata (RAM's own ARNs,
//! `acs:ram::…`, have none), and so may the account; for `ecs` and `vpc`, whose ARNs always have
//! both, an empty field matches nothing and is reported.

use crate::facts::{account_ok, placeholder, region_ok, REGIONS};
use crate::lint::context::{Check, Context};
use crate::policy::Located;
use crate::suggest;

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &[
        "INVALID_ARN",
        "INVALID_REGION",
        "INVALID_ARN_ACCOUNT",
        "TEMPLATE_VARIABLE_IN_RESOURCE",
        "MASKED_ID_IN_RESOURCE",
    ],
    run: check,
};

/// Checks every resource pattern.
pub fn check(context: &mut Context<'_>) {
    let statements = &context.document.statements;
    for statement in statements {
        let Some(resource) = &statement.resource else {
            continue;
        };
        for pattern in &resource.value {
            check_one(context, pattern);
        }
    }
}

/// The masked id (`i-bp1…*****`) in a resource, if any: three or more `*` right after a letter,
/// digit or `-`.
pub fn masked_id(text: &str) -> Option<&str> {
    let relative = text.splitn(5, ':').nth(4).unwrap_or(text);
    let chars: Vec<(usize, char)> = relative.char_indices().collect();
    let mut index = 0;
    while index < chars.len() {
        let Some(&(start, character)) = chars.get(index) else {
            break;
        };
        if character == '*' {
            let run = chars
                .get(index..)
                .unwrap_or_default()
                .iter()
                .take_while(|(_, c)| *c == '*')
                .count();
            let before = index
                .checked_sub(1)
                .and_then(|previous| chars.get(previous))
                .map(|(_, c)| *c);
            if run >= 3 && before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-') {
                return relative.get(start..start + run);
            }
            index += run;
        } else {
            index += 1;
        }
    }
    None
}

fn check_one(context: &mut Context<'_>, pattern: &Located<String>) {
    let text = pattern.value.as_str();
    if crate::wildcard::is_everything(text) {
        return;
    }
    if let Some(found) = placeholder(text) {
        context.report(
            "TEMPLATE_VARIABLE_IN_RESOURCE",
            pattern.span,
            &pattern.pointer,
            format!("`{found}` in `{text}` is a documentation placeholder; RAM compares it literally, so it never matches: put the real value or `*` there"),
            None,
        );
        return;
    }
    let fields: Vec<&str> = text.splitn(5, ':').collect();
    // `acs:ecs:*`: a wildcard in the last field spans the remaining `:`s, so the pattern covers
    // every ARN of the service (RAM and `eval` match it so).
    if fields.len() < 5
        && fields.first() == Some(&"acs")
        && fields.get(1).is_some_and(|service| !service.is_empty())
        && fields.last().is_some_and(|last| last.contains('*'))
    {
        return;
    }
    let [prefix, service, region, account, relative] = fields.as_slice() else {
        invalid_arn(
            context,
            pattern,
            "it has fewer than five `:`-separated fields",
        );
        return;
    };
    if *prefix != "acs" {
        invalid_arn(context, pattern, "it does not start with `acs:`");
        return;
    }
    if service.is_empty() || relative.is_empty() {
        invalid_arn(context, pattern, "its service or resource field is empty");
        return;
    }
    if !region_ok(service, region) {
        let candidates = suggest::nearest(region, REGIONS.iter().copied(), 2);
        let hint = suggest::did_you_mean(&candidates);
        // One candidate: the fix writes it (the ARN matched nothing, so the author's intent is
        // the only reading); several: the author chooses.
        let fix = match candidates.as_slice() {
            [only] if !region.is_empty() => {
                let fixed = format!("{prefix}:{service}:{only}:{account}:{relative}");
                Some(context.replace_with_string(
                    pattern.span,
                    &fixed,
                    format!("replace `{region}` with `{only}`"),
                ))
            }
            _ => None,
        };
        let what = if region.is_empty() {
            format!("`{service}` ARNs always have a region, so an empty region matches nothing")
        } else {
            format!("`{region}` is not an Alibaba Cloud region id, so the ARN matches nothing")
        };
        context.report(
            "INVALID_REGION",
            pattern.span,
            &pattern.pointer,
            format!("{what}: use a region id such as `cn-hangzhou`, or `*`{hint}"),
            fix,
        );
    }
    if !account_ok(service, account) {
        context.report(
            "INVALID_ARN_ACCOUNT",
            pattern.span,
            &pattern.pointer,
            format!("the account field `{account}` of `{text}` is not an account id; use the numeric account id (e.g. `1234567890123456`) or `*`"),
            None,
        );
    }
    if let Some(masked) = masked_id(text) {
        context.report(
            "MASKED_ID_IN_RESOURCE",
            pattern.span,
            &pattern.pointer,
            format!("`{masked}` in `{text}` looks like an id masked in documentation; in a policy `*` is a wildcard, so it matches many resources: put the full id"),
            None,
        );
    }
}

fn invalid_arn(context: &mut Context<'_>, pattern: &Located<String>, reason: &str) {
    context.report(
        "INVALID_ARN",
        pattern.span,
        &pattern.pointer,
        format!(
            "`{}` is not a resource: {reason}; write `*` or `acs:<service>:<region>:<account>:<resource>`",
            pattern.value
        ),
        None,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::test_support::{found, policy, spans};

    fn resources(list: &str) -> String {
        policy(&format!(
            r#"{{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": {list}}}"#
        ))
    }

    #[test]
    fn finds_placeholders_and_masks() {
        assert_eq!(placeholder("acs:ecs:$regionid:1:x"), Some("$regionid"));
        assert_eq!(placeholder("acs:ecs:{#regionId}:1:x"), Some("{#regionId}"));
        assert_eq!(
            placeholder("[ECS RAM Action Resource]"),
            Some("[ECS RAM Action Resource]")
        );
        assert_eq!(
            placeholder("acs:ecs:*:<account-id>:x"),
            Some("<account-id>")
        );
        assert_eq!(placeholder("acs:ecs:*:*:instance/*"), None);
        assert_eq!(masked_id("acs:ecs:*:*:instance/i-bp1*****"), Some("*****"));
        assert_eq!(masked_id("acs:ecs:*:*:instance/***"), None);
        assert_eq!(masked_id("acs:ecs:*:*:instance/i-*"), None);
    }

    #[test]
    fn a_region_typo_with_one_candidate_gets_a_fix() {
        let text = resources(r#"["acs:ecs:cn-shangai:1234567890123456:instance/*"]"#);
        let hits = found(&text, "INVALID_REGION");
        assert!(hits[0].1.message.contains("did you mean `cn-shanghai`?"));
        let fixed = hits[0].1.fix.as_ref().unwrap().apply(&text).unwrap();
        assert!(fixed.contains("\"acs:ecs:cn-shanghai:1234567890123456:instance/*\""));
        assert!(found(&fixed, "INVALID_REGION").is_empty());
    }

    #[test]
    fn checks_the_fields() {
        let text = resources(
            r#"["instance/i-1", "acs:ecs:cn-hangzou:1:instance/*", "acs:ecs:cn-*:1:instance/*", "acs:ecs:xx-*:1:instance/*",
                "acs:ecs::1:instance/*", "acs:ram::1:role/x", "acs:oss:::bucket", "acs:ecs:*:me:instance/*", "acs:ecs:*:12*:instance/*",
                "arn:ecs:*:*:instance/*"]"#,
        );
        assert_eq!(
            spans(&text, "INVALID_ARN"),
            vec!["\"instance/i-1\"", "\"arn:ecs:*:*:instance/*\""]
        );
        assert_eq!(
            spans(&text, "INVALID_REGION"),
            vec![
                "\"acs:ecs:cn-hangzou:1:instance/*\"",
                "\"acs:ecs:xx-*:1:instance/*\"",
                "\"acs:ecs::1:instance/*\""
            ]
        );
        assert_eq!(
            spans(&text, "INVALID_ARN_ACCOUNT"),
            vec!["\"acs:ecs:*:me:instance/*\""]
        );
    }
}
