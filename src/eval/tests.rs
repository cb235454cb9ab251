use super::*;
use crate::catalog::Catalog;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// The three actions the tests rely on, as the real catalog has them.
const CATALOG: &str = r#"{"source":{"service":"ecs","seed":"test","document_version":"1"},"errata":[],"actions":[
{"name":"DescribeInstances","category":"Instances","description":"d","overview_line":1,"table_line":1,"api_page_line":null,"resources":[
 {"printed":"p","line":1,"template":"acs:ecs:$regionid:$accountid:instance/$instanceId","optional":true,
  "bindings":{"regionid":{"from":"region"},"accountid":{"from":"account"},"instanceId":{"from":"param","params":[{"name":"InstanceIds","arity":"json_array"}]}}},
 {"printed":"p","line":2,"template":"acs:ecs:$regionid:$accountid:instance/*","optional":false,"unless_params":["InstanceIds"],
  "bindings":{"regionid":{"from":"region"},"accountid":{"from":"account"}}}]},
{"name":"RunInstances","category":"Instances","description":"d","overview_line":1,"table_line":3,"api_page_line":null,"resources":[
 {"printed":"p","line":3,"template":"acs:ecs:$regionid:$accountid:securitygroup/$groupNo","optional":false,
  "bindings":{"regionid":{"from":"region"},"accountid":{"from":"account"},"groupNo":{"from":"param","params":[{"name":"SecurityGroupId","arity":"single"},{"name":"SecurityGroupIds.N","arity":"repeat"}]}}}]},
{"name":"StartInstance","category":"Instances","description":"d","overview_line":1,"table_line":4,"api_page_line":null,"resources":[]}
]}"#;

fn catalog() -> Catalog {
    Catalog::from_json(CATALOG).unwrap()
}

fn policies(sources: &[(&str, &str)]) -> PolicySet {
    PolicySet::parse(sources).unwrap()
}

fn request(text: &str) -> Request {
    Request::from_json(text).unwrap()
}

fn run(set: &PolicySet, request_text: &str) -> Evaluation {
    let catalog = catalog();
    let request = request(request_text);
    let reference = evaluate_with(&catalog, set, &request).unwrap();
    let resolution = resolve_with(&catalog, &request).unwrap();
    let compiled = CompiledPolicySet::with_catalog(set.clone(), Some(&catalog));
    let context = request_context(&request, &resolution.action).unwrap();
    let arns = resolution.arns();
    let fast = compiled.evaluate(&resolution.action, &arns, &context);
    assert_eq!(fast.decision, reference.decision);
    assert_eq!(fast.resources, reference.resources);
    assert_eq!(fast.missing_context_keys, reference.missing_context_keys);
    reference
}

const RUN_TWO_GROUPS: &str = r#"{"action":"ecs:RunInstances","account":"1","region":"cn-hangzhou",
  "params":{"SecurityGroupIds.1":"sg-ok","SecurityGroupIds.2":"sg-bad"}}"#;

#[test]
fn multi_arn_request_with_one_denied_group_is_denied() {
    let set = policies(&[
        (
            "allow.json",
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunInstances","Resource":"acs:ecs:*:*:securitygroup/*"}]}"#,
        ),
        (
            "deny.json",
            "{\"Version\":\"1\",\"Statement\":[\n  {\"Effect\":\"Deny\",\"Action\":\"ecs:*\",\"Resource\":\"acs:ecs:*:*:securitygroup/sg-bad\"}]}",
        ),
    ]);
    let evaluation = run(&set, RUN_TWO_GROUPS);
    let resources: Vec<_> = evaluation.resources.iter().collect();
    assert_eq!(evaluation.decision, Decision::ExplicitDeny);
    assert_eq!(
        resources[0].arn,
        "acs:ecs:cn-hangzhou:1:securitygroup/sg-ok"
    );
    assert_eq!(resources[0].decision, Decision::Allow);
    assert_eq!(resources[0].statements[0].policy, "allow.json");
    assert_eq!(resources[1].decision, Decision::ExplicitDeny);
    let deny = &resources[1].statements[0];
    assert_eq!(
        (deny.policy.as_str(), deny.statement, deny.line, deny.column),
        ("deny.json", 0, 2, 3)
    );
}

#[test]
fn an_arn_without_an_allow_makes_the_request_an_implicit_deny() {
    let set = policies(&[(
        "p",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunInstances","Resource":"acs:ecs:*:*:securitygroup/sg-ok"}]}"#,
    )]);
    let evaluation = run(&set, RUN_TWO_GROUPS);
    assert_eq!(evaluation.decision, Decision::ImplicitDeny);
    assert_eq!(
        evaluation
            .resources
            .get(1)
            .map(|resource| resource.decision),
        Some(Decision::ImplicitDeny)
    );
    assert!(evaluation.trace.iter().any(|entry| matches!(
        &entry.reason,
        NotApplied::Resource { arn, .. } if arn.ends_with("sg-bad")
    )));
}

#[test]
fn actions_ignore_case_and_resources_do_not() {
    let set = policies(&[(
        "p",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ECS:runINSTANCES","Resource":"acs:ecs:*:*:securitygroup/SG-*"}]}"#,
    )]);
    let evaluation = run(&set, RUN_TWO_GROUPS);
    assert_eq!(evaluation.decision, Decision::ImplicitDeny);
    let upper = r#"{"action":"RunInstances","account":"1","region":"cn-hangzhou","params":{"SecurityGroupId":"SG-1"}}"#;
    assert_eq!(run(&set, upper).decision, Decision::Allow);
}

#[test]
fn not_action_covers_every_other_action() {
    let set = policies(&[(
        "p",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","NotAction":["ecs:Describe*"],"Resource":"*"}]}"#,
    )]);
    let describe = r#"{"action":"ecs:DescribeInstances","account":"1","region":"cn-hangzhou"}"#;
    let evaluation = run(&set, describe);
    assert_eq!(evaluation.decision, Decision::ImplicitDeny);
    assert_eq!(
        evaluation.trace[0].reason,
        NotApplied::Action {
            element: "NotAction"
        }
    );
    let start = r#"{"action":"ecs:StartInstance","account":"1","region":"cn-hangzhou","params":{"InstanceId":"i-1"}}"#;
    assert_eq!(run(&set, start).decision, Decision::Allow);
}

#[test]
fn no_resource_level_authorization_checks_the_literal_star() {
    let set = policies(&[(
        "p",
        r#"{"Version":"1","Statement":[
            {"Effect":"Allow","Action":"ecs:StartInstance","Resource":"acs:ecs:*:*:*"}]}"#,
    )]);
    let start = r#"{"action":"ecs:StartInstance","account":"1","region":"cn-hangzhou","params":{"InstanceId":"i-1"}}"#;
    let evaluation = run(&set, start);
    assert_eq!(evaluation.decision, Decision::ImplicitDeny);
    assert!(evaluation.trace[0]
        .reason
        .to_string()
        .contains("literal resource `*`"));
    let star = policies(&[(
        "p",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:StartInstance","Resource":"*"}]}"#,
    )]);
    assert_eq!(run(&star, start).decision, Decision::Allow);
}

#[test]
fn conditions_decide_and_absent_keys_are_listed() {
    let set = policies(&[(
        "vpc-guard",
        r#"{"Version":"1","Statement":[
            {"Effect":"Allow","Action":"ecs:*","Resource":"*"},
            {"Effect":"Deny","Action":"ecs:*","Resource":"*",
             "Condition":{"StringNotEquals":{"acs:SourceVpc":["vpc-x","vpc-y"]}}}]}"#,
    )]);
    let base = r#"{"action":"ecs:DescribeInstances","account":"1","region":"cn-hangzhou""#;
    let no_vpc = run(&set, &format!("{base}}}"));
    assert_eq!(no_vpc.decision, Decision::ExplicitDeny);
    assert_eq!(no_vpc.missing_context_keys, vec!["acs:SourceVpc"]);
    let in_vpc = run(
        &set,
        &format!(r#"{base},"context":{{"acs:SourceVpc":"vpc-y"}}}}"#),
    );
    assert_eq!(in_vpc.decision, Decision::Allow);
    assert!(in_vpc.missing_context_keys.is_empty());
    let failing = in_vpc
        .trace
        .iter()
        .find_map(|entry| match &entry.reason {
            NotApplied::Condition {
                operator,
                key,
                absent,
                ..
            } => Some((operator.clone(), key.clone(), *absent)),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        failing,
        ("StringNotEquals".into(), "acs:SourceVpc".into(), false)
    );
    let other_vpc = run(
        &set,
        &format!(r#"{base},"context":{{"acs:SourceVpc":"vpc-z"}}}}"#),
    );
    assert_eq!(other_vpc.decision, Decision::ExplicitDeny);
}

#[test]
fn several_policies_combine() {
    let set = policies(&[
        (
            "user",
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}"#,
        ),
        (
            "group",
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunInstances","Resource":"*","Condition":{"Bool":{"acs:MFAPresent":true}}}]}"#,
        ),
    ]);
    let run_mfa = r#"{"action":"ecs:RunInstances","account":"1","region":"cn-hangzhou","params":{"SecurityGroupId":"sg-1"},"context":{"acs:MFAPresent":"true"}}"#;
    let evaluation = run(&set, run_mfa);
    assert_eq!(evaluation.decision, Decision::Allow);
    assert_eq!(
        evaluation.resources.get(0).unwrap().statements[0].policy,
        "group"
    );
    let without = r#"{"action":"ecs:RunInstances","account":"1","region":"cn-hangzhou","params":{"SecurityGroupId":"sg-1"}}"#;
    let evaluation = run(&set, without);
    assert_eq!(evaluation.decision, Decision::ImplicitDeny);
    assert_eq!(evaluation.missing_context_keys, vec!["acs:MFAPresent"]);
}

#[test]
fn the_seed_example_parses_and_its_placeholders_never_match() {
    let text = include_str!("../../tests/data/eval/seed-example.json");
    let set = policies(&[("seed", text)]);
    let describe = r#"{"action":"ecs:DescribeInstances","account":"15619224785","region":"cn-hangzhou","params":{"InstanceIds":"[\"i-bp1bzvz55uz27hf12345\"]"}}"#;
    let evaluation = run(&set, describe);
    // `$regionid` is literal text in a policy, so the ARN pattern does not match.
    assert_eq!(evaluation.decision, Decision::ImplicitDeny);
}

#[test]
fn documents_with_errors_are_refused_with_a_place() {
    let error = PolicySet::parse(&[("bad.json", "{\"Version\":\"1\",\n\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a\",\"Resource\":\"*\",\"Sid\":\"x\"}]}")])
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "policy `bad.json` at line 2, column 60: unknown element `Sid` at `/Statement/0/Sid`; `Sid` is not in the RAM policy grammar"
    );
    let error = PolicySet::parse(&[("broken.json", "{\n  \"Version\": }")]).unwrap_err();
    assert!(
        matches!(
            error,
            PolicyError::Json {
                error: crate::json::JsonInputError::Malformed {
                    line: 2,
                    column: 14,
                    ..
                },
                ..
            }
        ),
        "{error}"
    );
    let ok = PolicySet::parse(&[(
        "single.json",
        r#"{"Version":"1","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
    )]);
    assert_eq!(ok.unwrap().statement_count(), 1);
}

// ---- properties ----

const ACTIONS: &[&str] = &[
    "ecs:RunInstances",
    "ecs:DescribeInstances",
    "ecs:Describe*",
    "ecs:*",
    "*",
    "ECS:runinstances",
    "ecs:Start?nstance",
    "ecs:Stop*",
];
const RESOURCES: &[&str] = &[
    "*",
    "acs:ecs:*:*:instance/*",
    "acs:ecs:cn-hangzhou:1:securitygroup/sg-1",
    "acs:ecs:*:*:securitygroup/sg-?",
    "acs:ecs:*",
    "acs:ecs:cn-hangzhou:1:securitygroup/SG-1",
    "acs:ecs:*:*:instance/i-1*",
];
const CONDITIONS: &[&str] = &[
    r#"{"StringEquals":{"acs:SourceVpc":"vpc-1"}}"#,
    r#"{"StringNotEquals":{"acs:SourceVpc":["vpc-1","vpc-2"]}}"#,
    r#"{"Bool":{"acs:SecureTransport":"true"}}"#,
    r#"{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"},"Bool":{"acs:MFAPresent":true}}"#,
    r#"{"NotIpAddress":{"acs:SourceIp":["10.0.0.0/8"]}}"#,
    r#"{"NumericLessThan":{"custom:n":5}}"#,
];
const TARGET_ACTIONS: &[&str] = &[
    "ecs:RunInstances",
    "ecs:DescribeInstances",
    "ecs:StartInstance",
    "ecs:StopInstance",
];
const ARNS: &[&str] = &[
    "*",
    "acs:ecs:cn-hangzhou:1:securitygroup/sg-1",
    "acs:ecs:cn-hangzhou:1:securitygroup/sg-22",
    "acs:ecs:cn-hangzhou:1:instance/i-10",
    "acs:ecs:cn-hangzhou:1:instance/*",
];
const CONTEXT_KEYS: &[(&str, &[&str])] = &[
    ("acs:SourceVpc", &["vpc-1", "vpc-3"]),
    ("acs:SecureTransport", &["true", "false", "maybe"]),
    ("acs:SourceIp", &["10.1.1.1", "192.168.0.1"]),
    ("acs:MFAPresent", &["true", "false"]),
    ("custom:n", &["3", "7", "x"]),
];

#[derive(Debug, Clone)]
struct GeneratedStatement {
    deny: bool,
    not_action: bool,
    actions: Vec<usize>,
    resources: Vec<usize>,
    condition: Option<usize>,
}

impl GeneratedStatement {
    fn json(&self) -> String {
        let actions: Vec<&str> = self.actions.iter().map(|i| ACTIONS[*i]).collect();
        let resources: Vec<&str> = self.resources.iter().map(|i| RESOURCES[*i]).collect();
        let condition = self
            .condition
            .map(|i| format!(r#","Condition":{}"#, CONDITIONS[i]))
            .unwrap_or_default();
        format!(
            r#"{{"Effect":"{}","{}":{},"Resource":{}{}}}"#,
            if self.deny { "Deny" } else { "Allow" },
            if self.not_action {
                "NotAction"
            } else {
                "Action"
            },
            serde_json::to_string(&actions).unwrap(),
            serde_json::to_string(&resources).unwrap(),
            condition
        )
    }
}

fn statement_strategy() -> impl Strategy<Value = GeneratedStatement> {
    (
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::collection::vec(0..ACTIONS.len(), 1..3),
        prop::collection::vec(0..RESOURCES.len(), 1..3),
        prop::option::weighted(0.4, 0..CONDITIONS.len()),
    )
        .prop_map(
            |(deny, not_action, actions, resources, condition)| GeneratedStatement {
                deny,
                not_action,
                actions,
                resources,
                condition,
            },
        )
}

type Policies = Vec<Vec<GeneratedStatement>>;

fn policies_strategy() -> impl Strategy<Value = Policies> {
    prop::collection::vec(prop::collection::vec(statement_strategy(), 1..4), 1..3)
}

#[derive(Debug, Clone)]
struct GeneratedRequest {
    action: usize,
    arns: Vec<usize>,
    context: BTreeMap<String, Vec<String>>,
}

fn request_strategy() -> impl Strategy<Value = GeneratedRequest> {
    (
        0..TARGET_ACTIONS.len(),
        prop::collection::vec(0..ARNS.len(), 1..3),
        prop::collection::vec((0..CONTEXT_KEYS.len(), 0..3usize), 0..4),
    )
        .prop_map(|(action, arns, picks)| {
            let mut context = BTreeMap::new();
            for (key, value) in picks {
                let (name, values) = CONTEXT_KEYS[key];
                context.insert(
                    name.to_string(),
                    vec![values[value % values.len()].to_string()],
                );
            }
            GeneratedRequest {
                action,
                arns,
                context,
            }
        })
}

fn build(policies: &Policies) -> PolicySet {
    let sources: Vec<(String, String)> = policies
        .iter()
        .enumerate()
        .map(|(index, statements)| {
            let body: Vec<String> = statements.iter().map(GeneratedStatement::json).collect();
            (
                format!("p{index}"),
                format!(r#"{{"Version":"1","Statement":[{}]}}"#, body.join(",")),
            )
        })
        .collect();
    PolicySet::parse(&sources).unwrap()
}

fn decide(set: &PolicySet, request: &GeneratedRequest) -> Evaluation {
    let arns: Vec<&str> = request.arns.iter().map(|i| ARNS[*i]).collect();
    reference::evaluate(set, TARGET_ACTIONS[request.action], &arns, &request.context)
}

fn is_denied(decision: Decision) -> bool {
    decision != Decision::Allow
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]
    #[test]
    fn compiled_agrees_with_reference(policies in policies_strategy(), request in request_strategy()) {
        let set = build(&policies);
        let compiled = CompiledPolicySet::with_catalog(set.clone(), None);
        let arns: Vec<&str> = request.arns.iter().map(|i| ARNS[*i]).collect();
        let action = TARGET_ACTIONS[request.action];
        let expected = reference::evaluate(&set, action, &arns, &request.context);
        let actual = compiled.evaluate(action, &arns, &request.context);
        prop_assert_eq!(actual.decision, expected.decision);
        prop_assert_eq!(&actual.resources, &expected.resources);
        prop_assert_eq!(&actual.missing_context_keys, &expected.missing_context_keys);
        prop_assert_eq!(compiled.decide(action, &arns, &request.context), expected.decision);
        // With a plan per action: every statement copied into its actions' plans, or none.
        for budget in [usize::MAX, 0] {
            let planned = CompiledPolicySet::with_copy_budget(set.clone(), TARGET_ACTIONS, budget);
            let actual = planned.evaluate(action, &arns, &request.context);
            prop_assert_eq!(&actual.resources, &expected.resources);
            prop_assert_eq!(&actual.missing_context_keys, &expected.missing_context_keys);
            prop_assert_eq!(planned.decide(action, &arns, &request.context), expected.decision);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn explicit_deny_always_wins(mut policies in policies_strategy(), request in request_strategy()) {
        policies[0].push(GeneratedStatement {
            deny: true, not_action: false, actions: vec![4], resources: vec![0, 4], condition: None,
        });
        let evaluation = decide(&build(&policies), &request);
        let any_arn_denied = evaluation.resources.iter().any(|r| r.decision == Decision::ExplicitDeny);
        prop_assert_eq!(evaluation.decision, if any_arn_denied { Decision::ExplicitDeny } else { evaluation.decision });
        // The `*` / `acs:ecs:*` deny matches every generated ARN.
        prop_assert_eq!(evaluation.decision, Decision::ExplicitDeny);
    }

    #[test]
    fn order_never_changes_the_decision(policies in policies_strategy(), request in request_strategy()) {
        let before = decide(&build(&policies), &request).decision;
        let reversed: Policies = policies
            .iter()
            .rev()
            .map(|statements| statements.iter().rev().cloned().collect())
            .collect();
        prop_assert_eq!(decide(&build(&reversed), &request).decision, before);
    }

    #[test]
    fn adding_an_allow_never_denies(
        mut policies in policies_strategy(),
        extra in statement_strategy(),
        request in request_strategy(),
    ) {
        let before = decide(&build(&policies), &request).decision;
        policies[0].push(GeneratedStatement { deny: false, ..extra });
        let after = decide(&build(&policies), &request).decision;
        if before == Decision::Allow {
            prop_assert_eq!(after, Decision::Allow);
        }
    }

    #[test]
    fn adding_a_deny_never_allows(
        mut policies in policies_strategy(),
        extra in statement_strategy(),
        request in request_strategy(),
    ) {
        let before = decide(&build(&policies), &request).decision;
        policies[0].push(GeneratedStatement { deny: true, ..extra });
        let after = decide(&build(&policies), &request).decision;
        if is_denied(before) {
            prop_assert!(is_denied(after));
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }
}
