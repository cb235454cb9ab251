//! `ForAllValues:` / `ForAnyValue:`: read with the usual set semantics (undocumented by RAM, used
//! by Alibaba Cloud's own templates), and reported by lint.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ram_policy::eval::{evaluate, reference, Decision, PolicySet};
use ram_policy::Request;
use std::collections::BTreeMap;

/// A PowerUserAccess-style document: everything but account and RAM administration, plus
/// creating roles that only services may assume.
const POWER_USER: &str = r#"{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "NotAction": ["ram:*", "ims:*", "resourcedirectory:*"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["ram:GetRole", "ram:ListRoles", "ram:CreateServiceLinkedRole"], "Resource": "*"},
    {"Effect": "Allow", "Action": "ram:CreateRole", "Resource": "*",
     "Condition": {"ForAllValues:StringEquals": {"ram:TrustedPrincipalTypes": ["Service"]}}}
  ]
}"#;

fn context(values: &[&str]) -> BTreeMap<String, Vec<String>> {
    let mut context = BTreeMap::new();
    context.insert(
        "ram:TrustedPrincipalTypes".to_string(),
        values.iter().map(|v| v.to_string()).collect(),
    );
    context
}

#[test]
fn the_power_user_template_is_evaluated() {
    let set = PolicySet::parse(&[("power-user.json", POWER_USER)]).unwrap();
    // An ECS call through the whole pipeline: the `NotAction` statement allows it.
    let request = Request::from_json(
        r#"{"action": "ecs:DescribeInstances", "account": "1", "region": "cn-hangzhou"}"#,
    )
    .unwrap();
    assert_eq!(evaluate(&set, &request).unwrap().decision, Decision::Allow);
    // `ram:CreateRole`: every trusted principal type must be `Service`.
    let decide = |context: &BTreeMap<String, Vec<String>>| {
        reference::evaluate(&set, "ram:CreateRole", &["*"], context).decision
    };
    assert_eq!(decide(&context(&["Service"])), Decision::Allow);
    assert_eq!(decide(&context(&["Service", "Service"])), Decision::Allow);
    assert_eq!(
        decide(&context(&["Service", "Account"])),
        Decision::ImplicitDeny
    );
    assert_eq!(decide(&context(&["Account"])), Decision::ImplicitDeny);
    // No value at all: nothing fails `ForAllValues:` (the usual, and risky, reading).
    assert_eq!(decide(&BTreeMap::new()), Decision::Allow);
    let trace = reference::evaluate(&set, "ram:CreateRole", &["*"], &context(&["Account"])).trace;
    assert!(
        trace.iter().any(|entry| entry
            .reason
            .to_string()
            .contains("`ForAllValues:StringEquals`")),
        "{trace:?}"
    );
}

#[test]
fn for_any_value_needs_one_matching_value() {
    let policy = r#"{"Version": "1", "Statement": [{"Effect": "Deny", "Action": "ram:CreateRole",
      "Resource": "*", "Condition": {"ForAnyValue:StringEqualsIgnoreCase": {"ram:TrustedPrincipalTypes": "account"}}},
      {"Effect": "Allow", "Action": "ram:*", "Resource": "*"}]}"#;
    let set = PolicySet::parse(&[("p.json", policy)]).unwrap();
    let decide = |context: &BTreeMap<String, Vec<String>>| {
        reference::evaluate(&set, "ram:CreateRole", &["*"], context).decision
    };
    assert_eq!(
        decide(&context(&["Service", "Account"])),
        Decision::ExplicitDeny
    );
    assert_eq!(decide(&context(&["Service"])), Decision::Allow);
    // No value: `ForAnyValue:` is not met, so the Deny does not apply.
    assert_eq!(decide(&BTreeMap::new()), Decision::Allow);
}

#[test]
fn lint_warns_that_ram_does_not_document_qualifiers() {
    let findings = ram_policy::lint::lint(POWER_USER);
    let found: Vec<_> = findings
        .iter()
        .filter(|finding| finding.code == "UNDOCUMENTED_CONDITION_QUALIFIER")
        .collect();
    assert_eq!(found.len(), 1, "{findings:?}");
    assert!(found[0].message.contains("`ForAllValues:`"));
    assert!(
        !findings
            .iter()
            .any(|finding| finding.code == "INVALID_CONDITION_OPERATOR"),
        "{findings:?}"
    );
}
