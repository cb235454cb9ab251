//! Evaluation cost for policy sets of 10, 100, 1,000 and 10,000 statements (compiling: up to 1,000).
//!
//! Run: `cargo bench --bench eval`. The generator is deterministic and mixes exact ARNs,
//! wildcard ARNs, `NotAction`, `Deny` and conditions; each statement names its own resources,
//! as a real policy grows by adding resources.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ram_policy::eval::{CompiledPolicySet, Decision, PolicySet};
use std::collections::BTreeMap;

fn main() {
    divan::main();
}

const ACTIONS: &[&str] = &[
    "ecs:RunInstances",
    "ecs:DescribeInstances",
    "ecs:StartInstance",
    "ecs:StopInstance",
    "ecs:DeleteInstance",
    "ecs:Describe*",
    "ecs:ModifyInstanceAttribute",
    "ecs:CreateSecurityGroup",
];

fn statement(index: usize) -> String {
    let action = ACTIONS[index % ACTIONS.len()];
    let effect = if index % 7 == 3 { "Deny" } else { "Allow" };
    let (action_element, actions) = if index % 10 == 9 {
        ("NotAction", format!(r#"["ecs:Delete*", "{action}"]"#))
    } else {
        ("Action", format!(r#"["{action}"]"#))
    };
    let resource = match index % 4 {
        0 => format!(r#""acs:ecs:cn-hangzhou:1234567890:securitygroup/sg-{index:05}""#),
        1 => format!(r#""acs:ecs:*:1234567890:instance/i-{index:05}*""#),
        2 => format!(
            r#"["acs:ecs:cn-hangzhou:1234567890:instance/i-{index:05}", "acs:ecs:cn-*:*:securitygroup/sg-{index:05}?"]"#
        ),
        _ => format!(r#""acs:ecs:cn-hangzhou:*:securitygroup/sg-{index:05}""#),
    };
    let condition = match index % 5 {
        0 => r#","Condition":{"IpAddress":{"acs:SourceIp":["10.0.0.0/8","192.168.0.0/16"]}}"#,
        1 => {
            r#","Condition":{"StringNotEquals":{"acs:SourceVpc":"vpc-x"},"Bool":{"acs:SecureTransport":"true"}}"#
        }
        _ => "",
    };
    format!(
        r#"{{"Effect":"{effect}","{action_element}":{actions},"Resource":{resource}{condition}}}"#
    )
}

fn policy_set(statements: usize) -> CompiledPolicySet {
    // Ten statements a policy, as attached policies are.
    let sources: Vec<(String, String)> = (0..statements)
        .collect::<Vec<_>>()
        .chunks(10)
        .enumerate()
        .map(|(policy, indices)| {
            let body: Vec<String> = indices.iter().map(|index| statement(*index)).collect();
            (
                format!("policy-{policy}"),
                format!(r#"{{"Version":"1","Statement":[{}]}}"#, body.join(",")),
            )
        })
        .collect();
    CompiledPolicySet::new(PolicySet::parse(&sources).unwrap())
}

struct Fixture {
    set: CompiledPolicySet,
    arns: Vec<String>,
    context: BTreeMap<String, Vec<String>>,
}

fn fixture(statements: usize) -> Fixture {
    let mut context = BTreeMap::new();
    context.insert("acs:SourceIp".to_string(), vec!["10.1.2.3".to_string()]);
    context.insert("acs:SecureTransport".to_string(), vec!["true".to_string()]);
    // Two security groups that statement 0 (exact ARN) and statement 4 name.
    Fixture {
        set: policy_set(statements),
        arns: vec![
            "acs:ecs:cn-hangzhou:1234567890:securitygroup/sg-00000".to_string(),
            "acs:ecs:cn-hangzhou:1234567890:securitygroup/sg-00008".to_string(),
        ],
        context,
    }
}

#[divan::bench(args = [10, 100, 1000, 10000])]
fn run_instances_two_groups(bencher: divan::Bencher, statements: usize) {
    let fixture = fixture(statements);
    let arns: Vec<&str> = fixture.arns.iter().map(String::as_str).collect();
    assert_eq!(
        fixture
            .set
            .decide("ecs:RunInstances", &arns, &fixture.context),
        Decision::Allow
    );
    bencher.bench_local(|| {
        fixture.set.decide(
            divan::black_box("ecs:RunInstances"),
            divan::black_box(&arns),
            &fixture.context,
        )
    });
}

#[divan::bench(args = [10, 100, 1000, 10000])]
fn describe_instances_one_arn(bencher: divan::Bencher, statements: usize) {
    let fixture = fixture(statements);
    let arns = ["acs:ecs:cn-hangzhou:1234567890:instance/i-00001"];
    bencher.bench_local(|| {
        fixture.set.decide(
            divan::black_box("ecs:DescribeInstances"),
            divan::black_box(&arns),
            &fixture.context,
        )
    });
}

#[divan::bench(args = [10, 100, 1000])]
fn compile(bencher: divan::Bencher, statements: usize) {
    bencher.bench_local(|| policy_set(divan::black_box(statements)));
}
