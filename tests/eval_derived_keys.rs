//! Condition keys RAM derives from the request (`ecs:CommandRunAs` ← `Username`, request tags,
//! `ecs:InstanceType`, …) and keys it sets from facts the input does not carry (never guessed:
//! the answer is `Indeterminate`, never `Allow`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ram_policy::eval::{evaluate, request_context, CompiledPolicySet, Decision, PolicySet};
use ram_policy::resolve;
use ram_policy::Request;

/// The reference evaluator's decision, checked against the compiled evaluator's.
fn decide(policy: &str, request: &str) -> Decision {
    let set = PolicySet::parse(&[("policy.json", policy)]).unwrap();
    let request = Request::from_json(request).unwrap();
    let reference = evaluate(&set, &request).unwrap();
    let resolution = resolve(&request).unwrap();
    let context = request_context(&request, &resolution.action).unwrap();
    let arns = resolution.arns();
    let compiled = CompiledPolicySet::new(set).evaluate(&resolution.action, &arns, &context);
    assert_eq!(compiled.decision, reference.decision, "{request:?}");
    assert_eq!(compiled.resources, reference.resources);
    assert_eq!(
        compiled.unknown_context_keys,
        reference.unknown_context_keys
    );
    reference.decision
}

fn invoke(params: &str) -> String {
    format!(
        r#"{{"action": "ecs:InvokeCommand", "account": "1", "region": "cn-hangzhou", "params": {{"CommandId": "c-1", "InstanceId.1": "i-1" {params}}}}}"#
    )
}

/// Cloud Assistant: only run commands as a named non-root user.
const RUN_AS_ECS_USER: &str = r#"{"Version": "1", "Statement": [{"Effect": "Allow",
  "Action": ["ecs:InvokeCommand", "ecs:RunCommand"], "Resource": "*",
  "Condition": {"StringEquals": {"ecs:CommandRunAs": "ecs-user"}}}]}"#;

/// Cloud Assistant: anything but the administrators, in any letter case.
const NOT_AS_ROOT: &str = r#"{"Version": "1", "Statement": [{"Effect": "Allow",
  "Action": ["ecs:InvokeCommand", "ecs:RunCommand"], "Resource": "*",
  "Condition": {"StringNotEqualsIgnoreCase": {"ecs:CommandRunAs": ["system", "root"]}}}]}"#;

/// A guard: allowed in general, denied as anyone but root/system.
const DENY_UNLESS_ADMIN: &str = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "ecs:*", "Resource": "*"},
  {"Effect": "Deny", "Action": "ecs:InvokeCommand", "Resource": "*",
   "Condition": {"StringNotEqualsIgnoreCase": {"ecs:CommandRunAs": ["system", "root"]}}}]}"#;

#[test]
fn command_run_as_comes_from_username_with_string_equals() {
    assert_eq!(
        decide(RUN_AS_ECS_USER, &invoke(r#", "Username": "ecs-user""#)),
        Decision::Allow
    );
    // StringEquals compares with letter case: `ECS-USER` is another user.
    assert_eq!(
        decide(RUN_AS_ECS_USER, &invoke(r#", "Username": "ECS-USER""#)),
        Decision::ImplicitDeny
    );
    assert_eq!(
        decide(RUN_AS_ECS_USER, &invoke(r#", "Username": "root""#)),
        Decision::ImplicitDeny
    );
    // Without `Username` the command runs as root or system, by the instance's OS: unknown.
    assert_eq!(
        decide(RUN_AS_ECS_USER, &invoke("")),
        Decision::Indeterminate
    );
}

#[test]
fn command_run_as_with_string_not_equals_ignore_case() {
    for admin in ["root", "ROOT", "Root", "system", "SYSTEM", "sYsTeM"] {
        assert_eq!(
            decide(NOT_AS_ROOT, &invoke(&format!(r#", "Username": "{admin}""#))),
            Decision::ImplicitDeny,
            "{admin}"
        );
        assert_eq!(
            decide(
                DENY_UNLESS_ADMIN,
                &invoke(&format!(r#", "Username": "{admin}""#))
            ),
            Decision::Allow,
            "{admin}"
        );
    }
    for user in ["ecs-user", "Admin", "rootkit"] {
        assert_eq!(
            decide(NOT_AS_ROOT, &invoke(&format!(r#", "Username": "{user}""#))),
            Decision::Allow,
            "{user}"
        );
        assert_eq!(
            decide(
                DENY_UNLESS_ADMIN,
                &invoke(&format!(r#", "Username": "{user}""#))
            ),
            Decision::ExplicitDeny,
            "{user}"
        );
    }
    // An absent `Username` never meets the negated operator as an absent key would.
    assert_eq!(decide(NOT_AS_ROOT, &invoke("")), Decision::Indeterminate);
    assert_eq!(
        decide(DENY_UNLESS_ADMIN, &invoke("")),
        Decision::Indeterminate
    );
}

#[test]
fn a_value_given_in_context_wins() {
    let request = r#"{"action": "ecs:InvokeCommand", "account": "1", "region": "cn-hangzhou",
        "params": {"Username": "root"}, "context": {"ecs:CommandRunAs": "ecs-user"}}"#;
    assert_eq!(decide(RUN_AS_ECS_USER, request), Decision::Allow);
    let request = r#"{"action": "ecs:InvokeCommand", "account": "1", "region": "cn-hangzhou",
        "params": {}, "context": {"ecs:CommandRunAs": "root"}}"#;
    assert_eq!(decide(NOT_AS_ROOT, request), Decision::ImplicitDeny);
}

#[test]
fn run_instances_keys_and_request_tags() {
    let policy = r#"{"Version": "1", "Statement": [
      {"Effect": "Allow", "Action": "ecs:RunInstances", "Resource": "*",
       "Condition": {"StringEquals": {"acs:RequestTag/team": "db"}}},
      {"Effect": "Deny", "Action": "ecs:RunInstances", "Resource": "*",
       "Condition": {"StringLike": {"ecs:InstanceType": "ecs.ebm*"}}}]}"#;
    let run = |params: &str| {
        format!(
            r#"{{"action": "ecs:RunInstances", "account": "1", "region": "cn-hangzhou", "params": {{"ImageId": "m-1", "SecurityGroupId": "sg-1" {params}}}}}"#
        )
    };
    assert_eq!(
        decide(
            policy,
            &run(r#", "InstanceType": "ecs.g7.large", "Tag.1.Key": "team", "Tag.1.Value": "db""#)
        ),
        Decision::Allow
    );
    assert_eq!(
        decide(
            policy,
            &run(
                r#", "InstanceType": "ecs.ebmg7.32xlarge", "Tag": [{"Key": "team", "Value": "db"}]"#
            )
        ),
        Decision::ExplicitDeny
    );
    assert_eq!(
        decide(
            policy,
            &run(r#", "InstanceType": "ecs.g7.large", "Tag.1.Key": "team", "Tag.1.Value": "web""#)
        ),
        Decision::ImplicitDeny
    );
    // A launch template may carry the instance type: the Deny may apply, so no Allow.
    assert_eq!(
        decide(
            policy,
            &run(r#", "LaunchTemplateId": "lt-1", "Tag.1.Key": "team", "Tag.1.Value": "db""#)
        ),
        Decision::Indeterminate
    );
}

#[test]
fn keys_outside_the_request_are_never_guessed() {
    // `Deny` unless the image is Alibaba Cloud's own: the owner is a fact about the image.
    let policy = r#"{"Version": "1", "Statement": [
      {"Effect": "Allow", "Action": "ecs:*", "Resource": "*"},
      {"Effect": "Deny", "Action": "ecs:RunInstances", "Resource": "*",
       "Condition": {"StringNotEquals": {"ecs:ImageOwnerId": "system"}}}]}"#;
    let request = r#"{"action": "ecs:RunInstances", "account": "1", "region": "cn-hangzhou",
        "params": {"ImageId": "m-1", "SecurityGroupId": "sg-1", "InstanceType": "ecs.g7.large"}}"#;
    let set = PolicySet::parse(&[("p.json", policy)]).unwrap();
    let evaluation = evaluate(&set, &Request::from_json(request).unwrap()).unwrap();
    assert_eq!(evaluation.decision, Decision::Indeterminate);
    assert_eq!(evaluation.unknown_context_keys, ["ecs:ImageOwnerId"]);
    assert!(evaluation.missing_context_keys.is_empty());
    // Given in the context, it decides.
    let given = r#"{"action": "ecs:RunInstances", "account": "1", "region": "cn-hangzhou",
        "params": {"ImageId": "m-1", "SecurityGroupId": "sg-1"},
        "context": {"ecs:ImageOwnerId": "system"}}"#;
    assert_eq!(decide(policy, given), Decision::Allow);
    // A key RAM does not set for the action stays absent: the existing rule applies.
    let describe =
        r#"{"action": "ecs:DescribeInstances", "account": "1", "region": "cn-hangzhou"}"#;
    let policy = r#"{"Version": "1", "Statement": [
      {"Effect": "Allow", "Action": "ecs:*", "Resource": "*"},
      {"Effect": "Deny", "Action": "ecs:*", "Resource": "*",
       "Condition": {"StringNotEquals": {"ecs:ImageOwnerId": "system"}}}]}"#;
    assert_eq!(decide(policy, describe), Decision::ExplicitDeny);
}

mod soundness {
    use proptest::prelude::*;
    use ram_policy::eval::{reference, Decision, PolicySet};
    use ram_policy::{eval::RequestContext, Derivation, UnknownKey};
    use std::collections::BTreeMap;

    const OPERATORS: &[&str] = &[
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "ForAllValues:StringEquals",
        "ForAnyValue:StringNotEquals",
    ];
    const VALUES: &[&str] = &["root", "ROOT", "system", "ecs-user", "r*"];

    fn statement() -> impl Strategy<Value = String> {
        (
            any::<bool>(),
            0..OPERATORS.len(),
            proptest::collection::vec(0..VALUES.len(), 1..3),
        )
            .prop_map(|(deny, operator, values)| {
                let values: Vec<String> = values
                    .into_iter()
                    .map(|index| format!("\"{}\"", VALUES[index]))
                    .collect();
                format!(
                    r#"{{"Effect": "{}", "Action": "ecs:InvokeCommand", "Resource": "*", "Condition": {{"{}": {{"ecs:CommandRunAs": [{}]}}}}}}"#,
                    if deny { "Deny" } else { "Allow" },
                    OPERATORS[operator],
                    values.join(", ")
                )
            })
    }

    proptest! {
        /// With the key not known, an answer of Allow or ExplicitDeny holds whatever value the
        /// key has (or none): the tool never decides on a value it does not know.
        #[test]
        fn an_unknown_key_never_decides_what_a_known_value_would_not(
            statements in proptest::collection::vec(statement(), 1..4),
        ) {
            let policy = format!(r#"{{"Version": "1", "Statement": [{}]}}"#, statements.join(", "));
            let set = PolicySet::parse(&[("p.json", policy.as_str())]).unwrap();
            let mut unknown = RequestContext::given(BTreeMap::new());
            unknown.derivation = Derivation {
                unknown: vec![UnknownKey { key: "ecs:CommandRunAs".into(), reason: "test".into() }],
                ..Derivation::default()
            };
            let answer = reference::evaluate(&set, "ecs:InvokeCommand", &["*"], &unknown).decision;
            if matches!(answer, Decision::Allow | Decision::ExplicitDeny) {
                let mut contexts: Vec<BTreeMap<String, Vec<String>>> = vec![BTreeMap::new()];
                for value in VALUES {
                    let mut context = BTreeMap::new();
                    context.insert("ecs:CommandRunAs".to_string(), vec![value.to_string()]);
                    contexts.push(context);
                }
                for context in &contexts {
                    let known = reference::evaluate(&set, "ecs:InvokeCommand", &["*"], context).decision;
                    prop_assert_eq!(known, answer, "{} with {:?}", policy, context);
                }
            }
        }
    }
}
