//! The problems the policy reader reports, as findings:
//!
//! | problem | code |
//! |---|---|
//! | malformed structure: wrong JSON type | `DATA_TYPE_MISMATCH` |
//! | `Sid`, `Principal`, `NotResource`, any unknown element | `INVALID_POLICY_ELEMENT` (fix: remove it) |
//! | no `Version` / `Statement` / `Effect` / `Action` / `Resource` | `MISSING_*` |
//! | an element twice in one object | `DUPLICATE_ELEMENT` |
//! | `Action` with `NotAction` | `UNSUPPORTED_ELEMENT_COMBINATION` |
//! | `Effect` not `Allow`/`Deny` | `INVALID_EFFECT` (fix: the nearest) |
//! | `Version` not `"1"` | `INVALID_VERSION` (fix: `"1"`) |
//! | `[]` for Action/NotAction, Resource, condition values | `EMPTY_ARRAY_ACTION`, `EMPTY_ARRAY_RESOURCE`, `EMPTY_ARRAY_CONDITION_VALUES` (errors, as for the evaluator) |
//! | an operator RAM does not have | `INVALID_CONDITION_OPERATOR` |
//! | `Statement` as one object | `STATEMENT_NOT_ARRAY` (fix: wrap it in `[…]`) |

use crate::condition::Operator;
use crate::lint::context::{Check, Context};
use crate::lint::finding::Fix;
use crate::policy::Problem;
use crate::request::escape_pointer;
use crate::suggest;
use crate::suggest::quoted_list;

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &[
        "INVALID_POLICY_ELEMENT",
        "MISSING_VERSION",
        "INVALID_VERSION",
        "MISSING_STATEMENT",
        "STATEMENT_NOT_ARRAY",
        "MISSING_EFFECT",
        "INVALID_EFFECT",
        "MISSING_ACTION",
        "UNSUPPORTED_ELEMENT_COMBINATION",
        "DUPLICATE_ELEMENT",
        "MISSING_RESOURCE",
        "DATA_TYPE_MISMATCH",
        "INVALID_CONDITION_OPERATOR",
        "EMPTY_ARRAY_ACTION",
        "EMPTY_ARRAY_RESOURCE",
        "EMPTY_ARRAY_CONDITION_VALUES",
    ],
    run: check,
};

/// Reports every reader problem.
pub fn check(context: &mut Context<'_>) {
    let document = context.document;
    for problem in &document.problems {
        report(context, problem);
    }
}

fn report(context: &mut Context<'_>, problem: &Problem) {
    let span = problem.span();
    let pointer = problem.pointer().to_string();
    match problem {
        Problem::WrongType { .. } => context.report(
            "DATA_TYPE_MISMATCH",
            span,
            &pointer,
            format!("{problem}; RAM rejects the document until the value has that type"),
            None,
        ),
        Problem::UnknownElement { element, .. } => {
            let fix = context.member_at(&pointer).map(|member| {
                context.removal(
                    member.key_span.offset,
                    member.value.span.end_offset,
                    format!("remove `{element}`"),
                )
            });
            let advice = match element.as_str() {
                "Sid" | "Principal" | "NotResource" => "; remove it",
                _ => "; remove it or fix the name (element names are case-sensitive)",
            };
            context.report(
                "INVALID_POLICY_ELEMENT",
                span,
                &pointer,
                format!("{problem}{advice}"),
                fix,
            );
        }
        Problem::MissingElement { element, .. } => missing(context, element, span, &pointer),
        Problem::DuplicateElement {
            element,
            first_line,
            first_column,
            ..
        } => context.report(
            "DUPLICATE_ELEMENT",
            span,
            &pointer,
            format!("`{element}` occurs again (first at line {first_line}, column {first_column}); parsers disagree on which one counts, so keep one"),
            None,
        ),
        Problem::ActionAndNotAction { .. } => {
            let key = context
                .text
                .get(span.offset..span.end_offset)
                .unwrap_or("")
                .trim_matches('"')
                .to_string();
            context.report(
                "UNSUPPORTED_ELEMENT_COMBINATION",
                span,
                &format!("{pointer}/{}", escape_pointer(&key)),
                "the statement has both `Action` and `NotAction`; keep one of them".into(),
                None,
            );
        }
        Problem::InvalidEffect { value, .. } => {
            let suggestion = if value.eq_ignore_ascii_case("allow") {
                Some("Allow".to_string())
            } else if value.eq_ignore_ascii_case("deny") {
                Some("Deny".to_string())
            } else {
                suggest::nearest(value, ["Allow", "Deny"], 1).into_iter().next()
            };
            let hint = suggestion
                .as_ref()
                .map_or(String::new(), |name| format!("; did you mean `{name}`?"));
            let fix = suggestion.map(|name| {
                context.replace_with_string(span, &name, format!("replace with `\"{name}\"`"))
            });
            context.report(
                "INVALID_EFFECT",
                span,
                &pointer,
                format!("`Effect` is `{value}`; use `Allow` or `Deny` (case-sensitive){hint}"),
                fix,
            );
        }
        Problem::InvalidVersion { value, .. } => {
            let fix = Some(context.replace_with_string(span, "1", "replace with `\"1\"`".into()));
            context.report(
                "INVALID_VERSION",
                span,
                &pointer,
                format!("`Version` is `{value}`; the only RAM policy version is the string `1`"),
                fix,
            );
        }
        Problem::EmptyList { element, .. } => {
            // One rule with the evaluator (docs/semantics.md): an empty array is an error, so
            // these findings are errors and `eval`/`explain` refuse the same document.
            let (code, message) = match element.as_str() {
                "Action" | "NotAction" => (
                    "EMPTY_ARRAY_ACTION",
                    format!("`{element}` is an empty array, which RAM does not accept; list the actions or remove the statement"),
                ),
                "Resource" => (
                    "EMPTY_ARRAY_RESOURCE",
                    "`Resource` is an empty array, which RAM does not accept; list the resources or remove the statement".to_string(),
                ),
                _ => (
                    "EMPTY_ARRAY_CONDITION_VALUES",
                    "the condition key's value list is an empty array, which RAM does not accept; list the values or remove the key".to_string(),
                ),
            };
            context.report(code, span, &pointer, message, None);
        }
        Problem::UnknownOperator { operator, .. } => {
            let message = operator_message(operator);
            context.report("INVALID_CONDITION_OPERATOR", span, &pointer, message, None);
        }
        Problem::SingleStatementObject { .. } => {
            let fix = Fix {
                title: "wrap the statement in an array".into(),
                edits: vec![
                    context.edit(span.offset, span.offset, "["),
                    context.edit(span.end_offset, span.end_offset, "]"),
                ],
            };
            context.report(
                "STATEMENT_NOT_ARRAY",
                span,
                &pointer,
                "`Statement` is a single object; RAM documents an array of statements, so wrap it in `[` `]`".into(),
                Some(fix),
            );
        }
    }
}

fn missing(context: &mut Context<'_>, element: &str, span: crate::json::Span, pointer: &str) {
    let (code, message, fix) = match element {
        "Version" => {
            let empty = context
                .text
                .get(span.offset..span.end_offset)
                .is_some_and(|object| {
                    object
                        .trim_start_matches('{')
                        .trim_end_matches('}')
                        .trim()
                        .is_empty()
                });
            let insertion = if empty {
                "\"Version\": \"1\""
            } else {
                "\"Version\": \"1\", "
            };
            let fix = Fix {
                title: "add `\"Version\": \"1\"`".into(),
                edits: vec![context.edit(span.offset + 1, span.offset + 1, insertion)],
            };
            (
                "MISSING_VERSION",
                "the document has no `Version`; add `\"Version\": \"1\"`".to_string(),
                Some(fix),
            )
        }
        "Statement" => (
            "MISSING_STATEMENT",
            "the document has no `Statement`; add an array of statements".to_string(),
            None,
        ),
        "Effect" => (
            "MISSING_EFFECT",
            "the statement has no `Effect`; add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"
                .to_string(),
            None,
        ),
        "Action" => (
            "MISSING_ACTION",
            "the statement has neither `Action` nor `NotAction`; add the actions it covers"
                .to_string(),
            None,
        ),
        _ => (
            "MISSING_RESOURCE",
            "the statement has no `Resource`; add the resources it covers (`*` for all)"
                .to_string(),
            None,
        ),
    };
    context.report(code, span, pointer, message, fix);
}

/// What is wrong with an operator name, with the nearest RAM operator.
fn operator_message(operator: &str) -> String {
    let names: Vec<&str> = Operator::ALL.iter().map(|op| op.name()).collect();
    let exact_case = names
        .iter()
        .find(|name| name.eq_ignore_ascii_case(operator))
        .map(|name| name.to_string());
    let base = operator
        .strip_prefix("ForAnyValue:")
        .or_else(|| operator.strip_prefix("ForAllValues:"))
        .unwrap_or(operator);
    let base = base.strip_suffix("IfExists").unwrap_or(base);
    let reason = if let Some(name) = &exact_case {
        format!("operator names are case-sensitive: use `{name}`")
    } else if operator.ends_with("IfExists") {
        "RAM has no `…IfExists` operators".to_string()
    } else if operator.starts_with("ForAnyValue:") || operator.starts_with("ForAllValues:") {
        "`ForAnyValue:`/`ForAllValues:` must qualify one of RAM's 21 operators".to_string()
    } else if operator == "Null" {
        "RAM has no `Null` operator".to_string()
    } else if operator.starts_with("Arn") {
        "RAM has no `Arn…` operators; use `StringLike` on the ARN".to_string()
    } else {
        "RAM has 21 operators (String…, Numeric…, Date…, `Bool`, `IpAddress`, `NotIpAddress`)"
            .to_string()
    };
    let mut suggestions: Vec<String> = if exact_case.is_some() {
        Vec::new()
    } else if Operator::parse(base).is_some() {
        vec![base.to_string()]
    } else {
        suggest::nearest(base, names.iter().copied(), 2)
    };
    suggestions.dedup();
    let hint = if suggestions.is_empty() {
        String::new()
    } else {
        format!("; use {}", quoted_list(&suggestions))
    };
    format!("`{operator}` is not a RAM condition operator: {reason}{hint}")
}

#[cfg(test)]
mod tests {
    use crate::lint::rules::test_support::{found, policy, spans};

    /// The one rule shared with the evaluator: a reader problem that makes `eval` and `explain`
    /// refuse the document is an error finding, and the others are not errors.
    #[test]
    fn findings_of_reader_problems_are_errors_exactly_when_the_evaluator_refuses() {
        let statements = [
            r#"{"Effect": "Allow", "Action": [], "Resource": "*"}"#,
            r#"{"Effect": "Allow", "NotAction": [], "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": []}"#,
            r#"{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*", "Condition": {"StringNotEquals": {"acs:SourceVpc": []}}}"#,
            r#"{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*", "Condition": {"StringEquals": {"acs:SourceVpc": []}}}"#,
            r#"{"Effect": "allow", "Action": "ecs:DescribeInstances", "Resource": "*"}"#,
            r#"{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*", "Sid": "x"}"#,
            r#"{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": 1}"#,
        ];
        for statement in statements {
            let text = policy(statement);
            let document = crate::policy::PolicyDocument::parse(&text).unwrap();
            assert!(document.errors().next().is_some(), "{text}");
            assert!(crate::eval::PolicySet::parse(&[("p", text.as_str())]).is_err());
            let errors = crate::lint::lint(&text)
                .into_iter()
                .filter(|finding| finding.severity == crate::lint::Severity::Error)
                .count();
            assert!(errors > 0, "{text}");
        }
        let object = r#"{"Version": "1", "Statement": {"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*"}}"#;
        assert!(crate::eval::PolicySet::parse(&[("p", object)]).is_ok());
        assert!(crate::lint::lint(object)
            .iter()
            .all(|finding| finding.severity != crate::lint::Severity::Error));
    }

    #[test]
    fn unknown_elements_are_removed_by_the_fix() {
        let text = policy(
            r#"{"Sid": "x", "Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*"}"#,
        );
        let hits = found(&text, "INVALID_POLICY_ELEMENT");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "\"Sid\"");
        assert_eq!(hits[0].1.path, "/Statement/0/Sid");
        let fixed = hits[0].1.fix.as_ref().unwrap().apply(&text).unwrap();
        assert!(found(&fixed, "INVALID_POLICY_ELEMENT").is_empty());
        assert!(!fixed.contains("Sid"));
    }

    #[test]
    fn missing_version_fix_adds_it() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*"}]}"#;
        let hits = found(text, "MISSING_VERSION");
        assert_eq!(hits[0].1.path, "");
        let fixed = hits[0].1.fix.as_ref().unwrap().apply(text).unwrap();
        assert!(found(&fixed, "MISSING_VERSION").is_empty());
        let fixed = found("{}", "MISSING_VERSION")[0]
            .1
            .fix
            .as_ref()
            .unwrap()
            .apply("{}")
            .unwrap();
        assert_eq!(fixed, r#"{"Version": "1"}"#);
    }

    #[test]
    fn effect_and_version_fixes() {
        let text = r#"{"Version": 1, "Statement": [{"Effect": "DENY", "Action": "ecs:DescribeInstances", "Resource": "*"}]}"#;
        assert_eq!(spans(text, "DATA_TYPE_MISMATCH"), vec!["1"]);
        let effect = found(text, "INVALID_EFFECT");
        let fixed = effect[0].1.fix.as_ref().unwrap().apply(text).unwrap();
        assert!(fixed.contains(r#""Effect": "Deny""#));
        let text = r#"{"Version": "2012-10-17", "Statement": []}"#;
        let version = found(text, "INVALID_VERSION");
        assert_eq!(
            version[0].1.fix.as_ref().unwrap().apply(text).unwrap(),
            r#"{"Version": "1", "Statement": []}"#
        );
    }

    #[test]
    fn operators_get_hints() {
        let text = policy(
            r#"{"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*", "Condition": {"ForAnyValue:StringEqualsIfExists": {"acs:SourceVpc": "v"}, "stringequals": {"acs:SourceVpc": "v"}, "Null": {"acs:SourceVpc": "true"}}}"#,
        );
        let hits = found(&text, "INVALID_CONDITION_OPERATOR");
        assert_eq!(hits.len(), 3);
        assert!(
            hits[0].1.message.contains("use `StringEquals`"),
            "{}",
            hits[0].1.message
        );
        assert!(hits[1].1.message.contains("case-sensitive"));
        assert!(hits[2].1.message.contains("no `Null`"));
    }

    #[test]
    fn duplicates_and_single_statements() {
        let text = r#"{"Version": "1", "Statement": {"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*", "Effect": "Deny"}}"#;
        let duplicate = found(text, "DUPLICATE_ELEMENT");
        assert_eq!(duplicate[0].0, "\"Effect\"");
        assert_eq!(duplicate[0].1.region.column, 103);
        let single = found(text, "STATEMENT_NOT_ARRAY");
        let fixed = single[0].1.fix.as_ref().unwrap().apply(text).unwrap();
        assert!(found(&fixed, "STATEMENT_NOT_ARRAY").is_empty());
        let both = policy(
            r#"{"Effect": "Deny", "Action": "ecs:DeleteInstance", "NotAction": "ecs:Describe*", "Resource": "*"}"#,
        );
        let combination = found(&both, "UNSUPPORTED_ELEMENT_COMBINATION");
        assert_eq!(combination[0].1.path, "/Statement/0/NotAction");
    }
}
