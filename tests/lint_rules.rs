#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Every check of `src/lint/rules.json` fires on its `bad` example at exactly `bad_span`, with
//! the JSON pointer of that value, offers its fix when the rule says it has one, and stays
//! silent on its `good` example.

use ram_policy::__private::json;
use ram_policy::catalog::Catalog;
use ram_policy::lint::{rules, Finding, RuleMeta, Severity};
use ram_policy::policy::{JsonNode, JsonValue};

/// Lints a rule's example with the catalog edition the rule needs (the process's otherwise).
fn lint_for(rule: &RuleMeta, text: &str) -> Vec<Finding> {
    match rule.edition {
        Some(edition) => ram_policy::lint::lint_with(text, Catalog::edition(edition).ok()),
        None => ram_policy::lint::lint(text),
    }
}

fn bad_text(rule: &RuleMeta) -> String {
    if rule.bad.starts_with("$generated:") && rule.code == "COVERAGE_CHECK_INCOMPLETE" {
        let resources: Vec<String> = (0..30)
            .map(|n| {
                format!(
                    "\"acs:ecs:cn-hangzhou:1234567890123456:instance/i-{n:02}{}*\"",
                    "x".repeat(1_950)
                )
            })
            .collect();
        format!(
            "{{\n  \"Version\": \"1\",\n  \"Statement\": [\n    {{\"Effect\": \"Allow\", \"Action\": \"ecs:StartInstance\", \"Resource\": [{}]}}\n  ]\n}}",
            resources.join(", ")
        )
    } else if rule.bad.starts_with("$generated:") {
        assert_eq!(rule.code, "POLICY_SIZE_EXCEEDS_QUOTA");
        let actions: Vec<String> = (0..300)
            .map(|n| format!("\"ecs:DescribeInstances{n:03}\""))
            .collect();
        format!(
            "{{\n  \"Version\": \"1\",\n  \"Statement\": [\n    {{\"Effect\": \"Allow\", \"Action\": [{}], \"Resource\": \"*\"}}\n  ]\n}}",
            actions.join(", ")
        )
    } else {
        rule.bad.clone()
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The spans a pointer may name: the value's, and its member key's.
fn pointer_spans(root: &JsonNode, pointer: &str) -> Vec<(usize, usize)> {
    let mut node = root;
    let mut key = None;
    for token in pointer.split('/').skip(1) {
        let token = unescape(token);
        match &node.value {
            JsonValue::Object(members) => {
                let member = members.iter().rev().find(|m| m.key == token).unwrap();
                // Duplicates: the later occurrence is the one reported.
                key = Some((member.key_span.offset, member.key_span.end_offset));
                node = &member.value;
            }
            JsonValue::Array(items) => {
                key = None;
                node = &items[token.parse::<usize>().unwrap()];
            }
            _ => panic!("pointer {pointer} goes through a scalar"),
        }
    }
    let mut spans = vec![(node.span.offset, node.span.end_offset)];
    spans.extend(key);
    spans
}

fn slice<'t>(text: &'t str, finding: &Finding) -> &'t str {
    &text[finding.region.offset..finding.region.end_offset]
}

#[test]
fn every_rule_fires_on_its_bad_example_at_its_span() {
    assert!(rules().len() >= 46);
    let mut failures = Vec::new();
    for rule in rules() {
        let text = bad_text(rule);
        let findings = lint_for(rule, &text);
        let expected = if rule.bad_span == "$document" {
            let root = json::parse(&text).unwrap();
            text[root.span.offset..root.span.end_offset].to_string()
        } else {
            rule.bad_span.clone()
        };
        // `$where-stopped`: wherever a work budget ran out (the pointer is checked below).
        let anywhere = rule.bad_span == "$where-stopped";
        let hits: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.code == rule.code && (anywhere || slice(&text, f) == expected))
            .collect();
        let Some(hit) = hits.first() else {
            failures.push(format!(
                "{}: no finding at {:?}; found {:?}",
                rule.code,
                expected,
                findings
                    .iter()
                    .map(|f| (f.code, slice(&text, f)))
                    .collect::<Vec<_>>()
            ));
            continue;
        };
        assert_eq!(hit.severity, rule.severity, "{}", rule.code);
        assert!(
            hit.message
                .chars()
                .next()
                .is_some_and(|c| !c.is_uppercase())
                && !hit.message.ends_with('.'),
            "{}: {}",
            rule.code,
            hit.message
        );
        if let Ok(root) = json::parse(&text) {
            let spans = pointer_spans(&root, &hit.path);
            assert!(
                spans.contains(&(hit.region.offset, hit.region.end_offset)),
                "{}: pointer {} does not name the span {:?}",
                rule.code,
                hit.path,
                expected
            );
        } else {
            assert_eq!(hit.path, "", "{}", rule.code);
        }
        if rule.fix.is_some() {
            let fix = hit
                .fix
                .as_ref()
                .unwrap_or_else(|| panic!("{}: no fix", rule.code));
            let fixed = fix.apply(&text).unwrap();
            assert!(
                json::parse(&fixed).is_ok(),
                "{}: fixed text is not JSON:\n{fixed}",
                rule.code
            );
            let still = lint_for(rule, &fixed)
                .into_iter()
                .filter(|f| f.code == rule.code)
                .count();
            assert!(
                still < hits.len() || still == 0,
                "{}: the fix did not remove the finding:\n{fixed}",
                rule.code
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_silent_on_its_good_example() {
    let mut failures = Vec::new();
    for rule in rules() {
        let findings = lint_for(rule, &rule.good);
        let own: Vec<&Finding> = findings.iter().filter(|f| f.code == rule.code).collect();
        if !own.is_empty() {
            failures.push(format!("{} fires on its good example: {own:?}", rule.code));
        }
        // Good examples are clean apart from suggestions.
        let serious: Vec<(&str, &str)> = findings
            .iter()
            .filter(|f| f.severity > Severity::Suggestion)
            .map(|f| (f.code, f.message.as_str()))
            .collect();
        if !serious.is_empty() {
            failures.push(format!("{}: good example has {serious:?}", rule.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_reported_code_is_documented() {
    for rule in rules() {
        for text in [bad_text(rule), rule.good.clone()] {
            for finding in lint_for(rule, &text) {
                assert!(
                    ram_policy::lint::rule(finding.code).is_some(),
                    "{}",
                    finding.code
                );
            }
        }
    }
}

mod common;

fn sample(name: &str) -> Option<String> {
    common::shared_sample(name)
}

#[test]
fn the_system_policies_give_the_expected_security_warnings() {
    if let Some(text) = sample("AliyunECSFullAccess.json") {
        let findings = ram_policy::lint::lint(&text);
        let serious: Vec<(&str, &str)> = findings
            .iter()
            .filter(|f| f.severity >= Severity::SecurityWarning)
            .map(|f| (f.code, slice(&text, f)))
            .collect();
        assert_eq!(serious, vec![("SERVICE_WILDCARD", "\"ecs:*\"")]);
        assert!(
            findings.iter().all(|f| f.severity != Severity::Warning),
            "{findings:?}"
        );
    }
    if let Some(text) = sample("AliyunECSReadOnlyAccess.json") {
        let findings = ram_policy::lint::lint(&text);
        assert!(
            findings.iter().all(|f| f.severity < Severity::Warning),
            "{findings:?}"
        );
    }
}
