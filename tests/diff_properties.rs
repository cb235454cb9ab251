//! Properties of `diff` over random policy pairs: a set compared with itself differs nowhere;
//! every exact witness is allowed by NEW and denied by OLD when the evaluator decides it again;
//! adding a statement only adds access and removing one only removes access; and, on 10,000
//! random requests per pair, every request NEW allows and OLD denies is covered by a reported
//! difference (the same action, an ARN within the difference's template and patterns, or a
//! possible difference).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use ram_policy::diff::{diff, Certainty, DiffReport};
use ram_policy::eval::{evaluate_with, Decision};
use ram_policy::wildcard::reference_match;
use ram_policy::{Catalog, PolicySet};
use ram_policy::{ParamValue, Request};

const ACTIONS: &[&str] = &[
    "ecs:DescribeInstances",
    "ecs:Describe*",
    "ecs:StartInstance",
    "ecs:*Instance",
    "ecs:DeleteInstance",
    "ecs:CreateDisk",
    "ecs:St?pInstance",
];

const RESOURCES: &[&str] = &[
    "*",
    "acs:ecs:*:*:instance/*",
    "acs:ecs:cn-hangzhou:*:instance/i-1*",
    "acs:ecs:*:1234567890123456:instance/i-?",
    "acs:ecs:*:*:disk/*",
    "acs:ecs:cn-beijing:*:*",
];

const CONDITIONS: &[&str] = &[
    r#"{"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}"#,
    r#"{"Bool": {"acs:SecureTransport": "true"}}"#,
    r#"{"NotIpAddress": {"acs:SourceIp": ["10.1.0.0/16"]}}"#,
    r#"{"DateLessThan": {"acs:CurrentTime": "2026-06-01T00:00:00Z"}}"#,
];

fn quoted(items: &[&str]) -> String {
    let list: Vec<String> = items.iter().map(|item| format!("\"{item}\"")).collect();
    format!("[{}]", list.join(","))
}

/// One statement as JSON text.
fn statement() -> impl Strategy<Value = String> {
    (
        prop_oneof![4 => Just("Allow"), 1 => Just("Deny")],
        prop_oneof![5 => Just("Action"), 1 => Just("NotAction")],
        proptest::sample::subsequence(ACTIONS, 1..3),
        proptest::sample::subsequence(RESOURCES, 1..3),
        proptest::option::weighted(0.35, proptest::sample::select(CONDITIONS)),
    )
        .prop_map(|(effect, element, actions, resources, condition)| {
            let condition = condition
                .map(|c| format!(", \"Condition\": {c}"))
                .unwrap_or_default();
            format!(
                r#"{{"Effect": "{effect}", "{element}": {}, "Resource": {}{condition}}}"#,
                quoted(&actions),
                quoted(&resources)
            )
        })
}

fn document(statements: &[String]) -> String {
    format!(
        r#"{{"Version": "1", "Statement": [{}]}}"#,
        statements.join(",\n")
    )
}

fn set(name: &str, statements: &[String]) -> PolicySet {
    PolicySet::parse(&[(name, document(statements))]).unwrap()
}

fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap()
}

/// Every exact witness is decided again: NEW allows it, OLD denies it (and the reverse for
/// removed access).
fn witnesses_hold(
    report: &DiffReport,
    old: &PolicySet,
    new: &PolicySet,
) -> Result<(), TestCaseError> {
    for (actions, grant, other) in [
        (&report.new_access, new, old),
        (&report.removed_access, old, new),
    ] {
        for action in actions {
            for difference in &action.differences {
                if difference.certainty != Certainty::Exact {
                    continue;
                }
                let witness = difference.witness.as_ref().unwrap();
                if !action.in_catalog {
                    let arns: Vec<&str> = witness.arns.iter().map(String::as_str).collect();
                    let decide = |set| {
                        ram_policy::eval::reference::evaluate(
                            set,
                            &witness.action,
                            &arns,
                            &witness.context,
                        )
                        .decision
                    };
                    prop_assert_eq!(decide(grant), Decision::Allow);
                    prop_assert!(matches!(
                        decide(other),
                        Decision::ExplicitDeny | Decision::ImplicitDeny
                    ));
                    continue;
                }
                let request = Request::from_value(&witness.request_json(), "").unwrap();
                let allowed = evaluate_with(catalog(), grant, &request).unwrap();
                let denied = evaluate_with(catalog(), other, &request).unwrap();
                prop_assert_eq!(allowed.decision, Decision::Allow, "{:?}", witness);
                prop_assert!(
                    matches!(
                        denied.decision,
                        Decision::ExplicitDeny | Decision::ImplicitDeny
                    ),
                    "{:?} {:?}",
                    witness,
                    denied.decision
                );
            }
        }
    }
    Ok(())
}

const REQUEST_ACTIONS: &[&str] = &[
    "ecs:DescribeInstances",
    "ecs:StartInstance",
    "ecs:StopInstance",
    "ecs:DeleteInstance",
    "ecs:DescribeDisks",
];
const REGIONS: &[&str] = &["cn-hangzhou", "cn-beijing", "us-east-1"];
const ACCOUNTS: &[&str] = &["1234567890123456", "1111111111111111"];
const IDS: &[&str] = &["i-1", "i-12", "i-2", "i-1a", "x"];
const IPS: &[&str] = &["10.1.1.1", "10.2.0.1", "192.168.1.1"];
const TIMES: &[&str] = &["2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"];

/// A deterministic stream of requests (a small linear congruential generator: the proptest case
/// varies the seed).
fn requests(seed: u64, count: usize) -> Vec<Request> {
    let mut state = seed | 1;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    (0..count)
        .map(|_| {
            let mut request = Request::new(REQUEST_ACTIONS[next(REQUEST_ACTIONS.len())]);
            request.region = Some(REGIONS[next(REGIONS.len())].into());
            request.account = Some(ACCOUNTS[next(ACCOUNTS.len())].into());
            if next(4) > 0 {
                request.params.insert(
                    "InstanceId".into(),
                    ParamValue::One(IDS[next(IDS.len())].into()),
                );
            }
            if next(2) == 0 {
                request
                    .context
                    .insert("acs:SourceIp".into(), vec![IPS[next(IPS.len())].into()]);
            }
            if next(2) == 0 {
                let value = if next(2) == 0 { "true" } else { "false" };
                request
                    .context
                    .insert("acs:SecureTransport".into(), vec![value.into()]);
            }
            if next(2) == 0 {
                request.context.insert(
                    "acs:CurrentTime".into(),
                    vec![TIMES[next(TIMES.len())].into()],
                );
            }
            request
        })
        .collect()
}

/// The template text as a pattern (`$variables` → `*`).
fn template_pattern(template: &str) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' {
            while chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '_')
            {
                chars.next();
            }
            out.push('*');
        } else {
            out.push(c);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_set_compared_with_itself_differs_nowhere(statements in proptest::collection::vec(statement(), 1..5)) {
        let a = set("a.json", &statements);
        let b = set("b.json", &statements);
        let report = diff(&a, &b, catalog());
        prop_assert!(!report.has_changes(), "{:#?}", report);
    }

    #[test]
    fn adding_a_statement_only_adds_access(
        statements in proptest::collection::vec(statement(), 1..4),
        added in statement(),
    ) {
        let old = set("old.json", &statements);
        let mut more = statements.clone();
        more.push(added.clone());
        let new = set("new.json", &more);
        let report = diff(&old, &new, catalog());
        witnesses_hold(&report, &old, &new)?;
        if added.contains("\"Allow\"") {
            prop_assert!(report.removed_access.is_empty(), "{:#?}", report);
        } else {
            prop_assert!(report.new_access.is_empty(), "{:#?}", report);
        }
        // And the reverse comparison: removing it.
        let back = diff(&new, &old, catalog());
        if added.contains("\"Allow\"") {
            prop_assert!(back.new_access.is_empty(), "{:#?}", back);
        } else {
            prop_assert!(back.removed_access.is_empty(), "{:#?}", back);
        }
    }

    #[test]
    fn witnesses_hold_and_newly_allowed_requests_are_covered(
        old in proptest::collection::vec(statement(), 1..4),
        new in proptest::collection::vec(statement(), 1..4),
        seed in any::<u64>(),
    ) {
        let (old, new) = (set("old.json", &old), set("new.json", &new));
        let report = diff(&old, &new, catalog());
        witnesses_hold(&report, &old, &new)?;
        for request in requests(seed, 10_000) {
            let Ok(allowed) = evaluate_with(catalog(), &new, &request) else { continue };
            if allowed.decision != Decision::Allow {
                continue;
            }
            let denied = evaluate_with(catalog(), &old, &request).unwrap();
            if denied.decision == Decision::Allow {
                continue;
            }
            let arns: Vec<String> = allowed.resources.iter().map(|r| r.arn).collect();
            let covered = report.new_access.iter().any(|action| {
                action.action.eq_ignore_ascii_case(&request.action)
                    && action.differences.iter().any(|difference| {
                        difference.certainty == Certainty::Possible
                            || arns.iter().any(|arn| {
                                reference_match(&template_pattern(&difference.template), arn)
                                    && difference.patterns.iter().any(|p| reference_match(p, arn))
                            })
                    })
            });
            prop_assert!(covered, "{:?} ({:?} vs {:?}) is not covered by {:#?}", request, allowed.decision, denied.decision, report.new_access);
        }
    }
}
