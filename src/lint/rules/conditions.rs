//! Condition blocks: `EMPTY_OBJECT_CONDITION`, `INVALID_CONDITION_KEY_FORMAT`,
//! `UNKNOWN_CONDITION_KEY` (with the nearest known key and a fix), `CONDITION_TYPE_MISMATCH`
//! (operator and key types differ, or a value does not parse for the operator),
//! `INVALID_CONDITION_MULTIPLE_BOOLEAN`, `WILDCARD_WITHOUT_LIKE_OPERATOR` (fix: use
//! `StringLike`/`StringNotLike`), `PRIVATE_IP_IN_SOURCE_IP` and
//! `UNDOCUMENTED_CONDITION_QUALIFIER` (`ForAllValues:`/`ForAnyValue:`, read but undocumented).
//!
//! Unknown keys of the `acs:`, `ecs:` and `vpc:` namespaces, whose keys the registry
//! ([`crate::condition::keys`]) lists, are reported with the nearest known key; key names are
//! case-sensitive, so a known key in another letter case is reported too. A key of another
//! namespace is reported when no request can carry it: another cloud's namespace (`aws:`), or a
//! namespace that no action of the statement belongs to when all of them are ECS or VPC actions
//! (RAM sets a service's keys only on that service's requests). Keys of other Alibaba Cloud
//! services in statements about those services are not judged: the registry does not know them.

use crate::condition::keys::{self, KeyType};
use crate::condition::{parse_network, valid_for, Comparison, Operator, Qualifier};
use crate::facts::is_private;
use crate::json::JsonValue;
use crate::lint::context::{Check, Context};
use crate::policy::{
    ActionKind, ConditionBlock, ConditionKey, ConditionOperator, ConditionValue, Effect, Statement,
};

/// Whether the registry lists keys of this namespace (`acs`, and the services' own: `ecs`,
/// `vpc`): data, not a hand-written list of services.
fn is_checked_namespace(prefix: &str) -> bool {
    keys::KNOWN_KEYS.iter().any(|known| {
        known
            .name
            .split_once(':')
            .is_some_and(|(namespace, _)| namespace.eq_ignore_ascii_case(prefix))
    })
}

/// Condition-key namespaces of other clouds: never carried by a request to Alibaba Cloud.
const OTHER_CLOUDS: &[&str] = &["aws", "azure", "gcp", "google", "oci", "qcs", "huaweicloud"];

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &[
        "UNDOCUMENTED_CONDITION_QUALIFIER",
        "INVALID_CONDITION_KEY_FORMAT",
        "INVALID_CONDITION_MULTIPLE_BOOLEAN",
        "CONDITION_TYPE_MISMATCH",
        "WILDCARD_WITHOUT_LIKE_OPERATOR",
        "UNKNOWN_CONDITION_KEY",
        "PRIVATE_IP_IN_SOURCE_IP",
        "EMPTY_OBJECT_CONDITION",
    ],
    run: check,
};

/// Checks every condition block.
pub fn check(context: &mut Context<'_>) {
    let statements = &context.document.statements;
    for statement in statements {
        if let Some(block) = &statement.condition {
            check_block(context, block, statement);
        }
    }
}

fn is_empty_object(context: &Context<'_>, pointer: &str) -> Option<crate::json::Span> {
    let node = context.node_at(pointer)?;
    matches!(&node.value, JsonValue::Object(members) if members.is_empty()).then_some(node.span)
}

fn check_block(context: &mut Context<'_>, block: &ConditionBlock, statement: &Statement) {
    if let Some(span) = is_empty_object(context, &block.pointer) {
        context.report(
            "EMPTY_OBJECT_CONDITION",
            span,
            &block.pointer,
            "`Condition` is empty and constrains nothing; remove it or add the intended keys"
                .into(),
            None,
        );
        return;
    }
    for operator in &block.operators {
        if let Some(span) = is_empty_object(context, &operator.name.pointer) {
            context.report(
                "EMPTY_OBJECT_CONDITION",
                span,
                &operator.name.pointer,
                format!(
                    "`{}` has no keys and constrains nothing; remove it or add the intended keys",
                    operator.name.value
                ),
                None,
            );
        }
        if let Some(qualifier) = operator.qualifier {
            context.report(
                "UNDOCUMENTED_CONDITION_QUALIFIER",
                operator.name.span,
                &operator.name.pointer,
                format!(
                    "`{}` is not documented by RAM; this tool reads it with the usual set semantics ({}), so check it in your account before relying on it",
                    qualifier.prefix(),
                    match qualifier {
                        Qualifier::ForAllValues => "met when every request value matches, and when the key has no value",
                        Qualifier::ForAnyValue => "met when any request value matches, not when the key has no value",
                    }
                ),
                None,
            );
        }
        for key in &operator.keys {
            check_key(context, block, operator, key);
            foreign_key(context, operator, key, statement);
        }
    }
}

/// `prefix:name` with a non-empty prefix of letters, digits, `-` and `_`.
pub fn key_format_ok(key: &str) -> bool {
    key.split_once(':').is_some_and(|(prefix, name)| {
        !prefix.is_empty()
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            && !name.is_empty()
            && !name.chars().any(char::is_whitespace)
    })
}

/// For a key in a checked namespace that is unknown or in the wrong letter case: the suggested
/// key names (possibly none).
fn unknown_key(key: &str) -> Option<Vec<String>> {
    let (prefix, _) = key.split_once(':')?;
    if !is_checked_namespace(prefix) {
        return None;
    }
    match keys::lookup_ignoring_case(key) {
        Some(known) => {
            let canonical = match known.family_prefix() {
                Some(family) => format!("{family}{}", key.get(family.len()..).unwrap_or("")),
                None => known.name.to_string(),
            };
            (canonical != key).then(|| vec![canonical])
        }
        None => Some(keys::nearest(key, 2)),
    }
}

/// `UNKNOWN_CONDITION_KEY` for a key outside the checked namespaces that no request of the
/// statement can carry, with what that does to the statement.
fn foreign_key(
    context: &mut Context<'_>,
    operator: &ConditionOperator,
    key: &ConditionKey,
    statement: &Statement,
) {
    let name = key.key.value.as_str();
    let Some((prefix, rest)) = name.split_once(':') else {
        return;
    };
    if is_checked_namespace(prefix) {
        return;
    }
    let why = if OTHER_CLOUDS
        .iter()
        .any(|cloud| cloud.eq_ignore_ascii_case(prefix))
    {
        format!("`{prefix}:` is another cloud's namespace, which RAM does not define")
    } else if only_checked_services(statement) {
        format!("no action of this statement belongs to `{prefix}`, and RAM sets a service's keys only on that service's requests")
    } else {
        return;
    };
    let effect = match operator.operator.map(Operator::is_negated) {
        Some(true) => "the negated operator is always met, so this condition constrains nothing",
        Some(false) => match statement.effect.as_ref().map(|effect| effect.value) {
            Some(Effect::Deny) => "the condition is never met, so this `Deny` never applies",
            _ => "the condition is never met, so this statement never applies",
        },
        None => "the condition cannot be met as written",
    };
    let acs = format!("acs:{rest}");
    let hint = if keys::lookup(&acs).is_some() || keys::lookup_ignoring_case(&acs).is_some() {
        format!("; did you mean `{acs}`?")
    } else {
        String::new()
    };
    context.report(
        "UNKNOWN_CONDITION_KEY",
        key.key.span,
        &key.key.pointer,
        format!("`{name}` is never carried by a request here: {why}; {effect}{hint}"),
        None,
    );
}

/// Whether every action pattern of the statement names an action of a catalogued service
/// (`ecs:…`, `vpc:…`), so that only those services' keys can be set.
fn only_checked_services(statement: &Statement) -> bool {
    statement.action.as_ref().is_some_and(|action| {
        action.kind == ActionKind::Action
            && !action.patterns.is_empty()
            && action.patterns.iter().all(|pattern| {
                pattern
                    .value
                    .split_once(':')
                    .is_some_and(|(service, _)| service != "acs" && is_checked_namespace(service))
            })
    })
}

fn check_key(
    context: &mut Context<'_>,
    block: &ConditionBlock,
    operator: &ConditionOperator,
    key: &ConditionKey,
) {
    let name = key.key.value.as_str();
    if !key_format_ok(name) {
        context.report(
            "INVALID_CONDITION_KEY_FORMAT",
            key.key.span,
            &key.key.pointer,
            format!("`{name}` is not a condition key: write `<prefix>:<Name>` such as `acs:SourceIp` or `ecs:tag/<key>`"),
            None,
        );
        return;
    }
    if let Some(suggestions) = unknown_key(name) {
        let hint = crate::suggest::did_you_mean_or_check(&suggestions);
        let fix = suggestions.first().map(|best| {
            context.replace_with_string(key.key.span, best, format!("replace with `{best}`"))
        });
        context.report(
            "UNKNOWN_CONDITION_KEY",
            key.key.span,
            &key.key.pointer,
            format!("`{name}` is not a known condition key (names are case-sensitive), so requests never carry it{hint}"),
            fix,
        );
    }
    let Some(op) = operator.operator else {
        return;
    };
    let operator_type = op.value_type();
    if let Some(key_type) = keys::key_type(name) {
        if key_type != operator_type {
            context.report(
                "CONDITION_TYPE_MISMATCH",
                key.key.span,
                &key.key.pointer,
                format!(
                    "`{name}` holds {} values but `{op}` compares {} values, so the condition never matches; use {} operator",
                    key_type.name(),
                    operator_type.name(),
                    operator_family(key_type)
                ),
                None,
            );
        }
    }
    if op == Operator::Bool && key.values.len() > 1 {
        if let Some(node) = context.node_at(&key.key.pointer) {
            let span = node.span;
            context.report(
                "INVALID_CONDITION_MULTIPLE_BOOLEAN",
                span,
                &key.key.pointer,
                format!("`Bool` on `{name}` lists several values, so it is always met; give one value, `true` or `false`"),
                None,
            );
        }
    }
    for value in &key.values {
        let text = value.value.as_text();
        let parses = match operator_type {
            KeyType::Ip => parse_network(&text).is_some(),
            other => valid_for(other, &text),
        };
        if !parses {
            context.report(
                "CONDITION_TYPE_MISMATCH",
                value.span,
                &value.pointer,
                format!(
                    "`{text}` is not {} value, so `{op}` never matches it; {}",
                    article(operator_type),
                    value_advice(operator_type)
                ),
                None,
            );
            continue;
        }
        if let ConditionValue::String(string) = &value.value {
            if is_exact_string(op) && crate::wildcard::has_wildcard(string) {
                let fix = like_fix(context, block, operator, op);
                context.report(
                    "WILDCARD_WITHOUT_LIKE_OPERATOR",
                    value.span,
                    &value.pointer,
                    format!("`{op}` compares `{string}` literally: `*` and `?` are wildcards only for `StringLike` and `StringNotLike`; use one of those, or remove the wildcard"),
                    fix,
                );
            }
        }
        if op.value_type() == KeyType::Ip && name.eq_ignore_ascii_case("acs:SourceIp") {
            if let Some(network) = parse_network(&text) {
                if is_private(&network) {
                    context.report(
                        "PRIVATE_IP_IN_SOURCE_IP",
                        value.span,
                        &value.pointer,
                        format!("`{text}` is a private range, but `acs:SourceIp` is the public address a request comes from (requests over a VPC carry `acs:SourceVpc`); use the public range, or `acs:SourceVpc`"),
                        None,
                    );
                }
            }
        }
    }
}

fn is_exact_string(op: Operator) -> bool {
    op.value_type() == KeyType::String
        && matches!(
            op.comparison(),
            Comparison::Equals | Comparison::EqualsIgnoreCase
        )
}

/// Renames `StringEquals` → `StringLike` (`StringNotEquals` → `StringNotLike`) unless the block
/// already has that operator; the IgnoreCase forms have no case-insensitive Like, so no fix.
fn like_fix(
    context: &Context<'_>,
    block: &ConditionBlock,
    operator: &ConditionOperator,
    op: Operator,
) -> Option<crate::lint::Fix> {
    let target = match op {
        Operator::StringEquals => "StringLike",
        Operator::StringNotEquals => "StringNotLike",
        _ => return None,
    };
    // A qualifier stays: the fix changes only how values compare.
    let target = format!(
        "{}{target}",
        operator.qualifier.map_or("", Qualifier::prefix)
    );
    if block
        .operators
        .iter()
        .any(|other| other.name.value == target)
    {
        return None;
    }
    Some(context.replace_with_string(operator.name.span, &target, format!("use `{target}`")))
}

fn article(value_type: KeyType) -> &'static str {
    match value_type {
        KeyType::String => "a string",
        KeyType::Numeric => "a numeric",
        KeyType::Date => "a date",
        KeyType::Bool => "a boolean",
        KeyType::Ip => "an IP address or CIDR",
    }
}

fn value_advice(value_type: KeyType) -> &'static str {
    match value_type {
        KeyType::String => "write it as a string",
        KeyType::Numeric => "write a decimal number such as `10`",
        KeyType::Date => "write an ISO 8601 time such as `2026-01-01T00:00:00Z`",
        KeyType::Bool => "write `true` or `false`",
        KeyType::Ip => "write an address such as `203.0.113.7` or a block such as `203.0.113.0/24`",
    }
}

fn operator_family(key_type: KeyType) -> &'static str {
    match key_type {
        KeyType::String => "a `String…`",
        KeyType::Numeric => "a `Numeric…`",
        KeyType::Date => "a `Date…`",
        KeyType::Bool => "the `Bool`",
        KeyType::Ip => "an `IpAddress`/`NotIpAddress`",
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{found, policy, spans};

    fn with(condition: &str) -> String {
        policy(&format!(
            r#"{{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*", "Condition": {condition}}}"#
        ))
    }

    #[test]
    fn unknown_keys_get_the_nearest_and_a_fix() {
        let text = with(
            r#"{"IpAddress": {"acs:SourceIP": "203.0.113.0/24"}, "StringEquals": {"acs:Nonsense": "x", "oss:Whatever": "y", "ecs:tag/env": "prod", "ECS:tag/env": "x"}}"#,
        );
        let hits = found(&text, "UNKNOWN_CONDITION_KEY");
        assert_eq!(hits.len(), 4, "{hits:?}");
        assert!(hits[0].1.message.contains("`acs:SourceIp`"));
        let fixed = hits[0].1.fix.as_ref().unwrap().apply(&text).unwrap();
        assert!(fixed.contains("\"acs:SourceIp\""));
        // `oss:` keys are never set on a request for `ecs:DescribeInstances`.
        assert!(hits[2]
            .1
            .message
            .contains("no action of this statement belongs to `oss`"));
        assert_eq!(
            hits[3].1.fix.as_ref().unwrap().edits[0].replacement,
            "\"ecs:tag/env\""
        );
    }

    #[test]
    fn keys_of_other_namespaces_are_reported_when_no_request_carries_them() {
        let aws_text = with(r#"{"StringEquals": {"aws:ResourceTag/team": "payments"}}"#);
        let aws = found(&aws_text, "UNKNOWN_CONDITION_KEY");
        assert_eq!(aws.len(), 1);
        let message = &aws[0].1.message;
        assert!(message.contains("another cloud's namespace"), "{message}");
        assert!(
            message.contains("this statement never applies"),
            "{message}"
        );
        assert!(
            message.contains("did you mean `acs:ResourceTag/team`?"),
            "{message}"
        );
        // No automatic fix: making a statement apply changes what it grants.
        assert!(aws[0].1.fix.is_none());
        let negated_text = with(r#"{"StringNotEquals": {"foo:bar": "x"}}"#);
        let negated = found(&negated_text, "UNKNOWN_CONDITION_KEY");
        assert!(negated[0].1.message.contains("constrains nothing"));
        // A statement about other services may use their keys: not judged.
        for (action, key) in [
            ("ram:PassRole", "acs:Service"),
            ("ram:*", "ram:TrustedPrincipalTypes"),
            ("oss:GetObject", "oss:Prefix"),
        ] {
            let text = policy(&format!(
                r#"{{"Effect": "Allow", "Action": "{action}", "Resource": "*", "Condition": {{"StringEquals": {{"{key}": "x"}}}}}}"#
            ));
            assert!(
                found(&text, "UNKNOWN_CONDITION_KEY").is_empty(),
                "{action} {key}"
            );
        }
    }

    #[test]
    fn types_and_values() {
        let text = with(
            r#"{"NumericEquals": {"acs:SourceIp": "1"}, "DateLessThan": {"acs:CurrentTime": ["yesterday", "2026-01-01T00:00:00Z"]}, "IpAddress": {"acs:SourceIp": ["10.0.0.300", "203.0.113.0/24"]}}"#,
        );
        assert_eq!(
            spans(&text, "CONDITION_TYPE_MISMATCH"),
            vec!["\"acs:SourceIp\"", "\"yesterday\"", "\"10.0.0.300\""]
        );
    }

    #[test]
    fn multiple_booleans_wildcards_and_private_ranges() {
        let text = with(
            r#"{"Bool": {"acs:MFAPresent": [true, false]}, "StringNotEquals": {"acs:UserAgent": "a?"}, "NotIpAddress": {"acs:SourceIp": ["192.168.1.0/24", "fd00::1", "8.8.8.8"]}}"#,
        );
        assert_eq!(
            spans(&text, "INVALID_CONDITION_MULTIPLE_BOOLEAN"),
            vec!["[true, false]"]
        );
        let wildcard = found(&text, "WILDCARD_WITHOUT_LIKE_OPERATOR");
        let fixed = wildcard[0].1.fix.as_ref().unwrap().apply(&text).unwrap();
        assert!(fixed.contains("\"StringNotLike\""));
        assert_eq!(
            spans(&text, "PRIVATE_IP_IN_SOURCE_IP"),
            vec!["\"192.168.1.0/24\"", "\"fd00::1\""]
        );
    }

    #[test]
    fn empty_blocks_operators_and_values() {
        assert_eq!(spans(&with("{}"), "EMPTY_OBJECT_CONDITION"), vec!["{}"]);
        let text = with(r#"{"StringEquals": {}, "StringLike": {"acs:UserAgent": []}}"#);
        assert_eq!(spans(&text, "EMPTY_OBJECT_CONDITION"), vec!["{}"]);
        assert_eq!(spans(&text, "EMPTY_ARRAY_CONDITION_VALUES"), vec!["[]"]);
        assert_eq!(
            spans(
                &with(r#"{"StringEquals": {"SourceVpc": "v", "acs:": "w"}}"#),
                "INVALID_CONDITION_KEY_FORMAT"
            ),
            vec!["\"SourceVpc\"", "\"acs:\""]
        );
    }
}
