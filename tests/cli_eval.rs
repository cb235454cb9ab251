//! The `eval` command end to end: decisions, exit codes, JSON shape, errors with places.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/eval");

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

fn eval(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ram-policy"))
        .arg("eval")
        .args(args)
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn allowed_request_exits_zero_with_the_documented_json() {
    let output = eval(&[
        "--policy",
        &data("allow-run.json"),
        "--request",
        &data("run-ok.json"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let value = json(&output);
    assert_eq!(value["decision"], "Allow");
    assert_eq!(value["action"], "ecs:RunInstances");
    let resources = value["resources"].as_array().unwrap();
    assert_eq!(
        resources
            .iter()
            .map(|resource| resource["arn"].as_str().unwrap())
            .collect::<Vec<_>>(),
        [
            "acs:ecs:cn-hangzhou:1234567890:instance/*",
            "acs:ecs:cn-hangzhou:1234567890:securitygroup/sg-ok"
        ]
    );
    let resource = &resources[1];
    assert_eq!(resource["decision"], "Allow");
    let statement = &resource["statements"][0];
    assert_eq!(statement["policy"], data("allow-run.json"));
    assert_eq!(statement["statement"], 0);
    assert_eq!(statement["effect"], "Allow");
    assert_eq!(statement["line"], 4);
    assert_eq!(statement["column"], 5);
    assert_eq!(value["missing_context_keys"], serde_json::json!([]));
}

#[test]
fn one_denied_security_group_denies_the_request() {
    let output = eval(&[
        "--policy",
        &data("allow-run.json"),
        "--policy",
        &data("deny-bad-group.json"),
        "--request",
        &data("run-two-groups.json"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().next(), Some("ExplicitDeny"));
    assert!(
        text.contains(&format!("{}:4:5", data("deny-bad-group.json"))),
        "{text}"
    );
}

#[test]
fn directories_are_read_recursively_in_sorted_order() {
    let output = eval(&[
        "--policy",
        &data("dir"),
        "--request",
        &data("run-two-groups.json"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(value["decision"], "ExplicitDeny");
    let denied = value["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|resource| {
            resource["arn"]
                .as_str()
                .unwrap()
                .ends_with("securitygroup/sg-bad")
        })
        .unwrap();
    assert_eq!(denied["decision"], "ExplicitDeny");
    let deny = &denied["statements"][0];
    assert!(deny["policy"]
        .as_str()
        .unwrap()
        .ends_with("dir/nested/b.json"));
}

#[test]
fn context_flags_and_absent_keys() {
    let base = [
        "--policy",
        &data("allow-run.json"),
        "--policy",
        &data("vpc-guard.json"),
        "--request",
        &data("describe.json"),
        "--format",
        "json",
    ];
    let output = eval(&base);
    assert_eq!(output.status.code(), Some(1));
    let value = json(&output);
    assert_eq!(value["decision"], "ExplicitDeny");
    assert_eq!(
        value["missing_context_keys"],
        serde_json::json!(["acs:SourceVpc"])
    );
    let mut args = base.to_vec();
    args.extend(["--context", "acs:SourceVpc=vpc-x"]);
    let output = eval(&args);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(json(&output)["decision"], "Allow");
}

#[test]
fn request_from_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ram-policy"))
        .args([
            "eval",
            "--policy",
            &data("deny-bad-group.json"),
            "--request",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(std::fs::read(data("run-ok.json")).unwrap().as_slice())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .starts_with("ImplicitDeny\n"));
}

#[test]
fn bad_policies_exit_two_and_name_the_place() {
    let output = eval(&[
        "--policy",
        &data("malformed.json"),
        "--request",
        &data("describe.json"),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let value = json(&output);
    assert_eq!(value["error"]["kind"], "malformed_policy_json");
    assert_eq!(value["error"]["line"], 3);
    let output = eval(&[
        "--policy",
        &data("with-sid.json"),
        "--request",
        &data("describe.json"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("line 4, column 6"), "{stderr}");
    assert!(stderr.contains("`Sid`"), "{stderr}");
    let output = eval(&[
        "--policy",
        &data("missing.json"),
        "--request",
        &data("describe.json"),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let output = eval(&[
        "--policy",
        &data("allow-run.json"),
        "--request",
        &data("describe.json"),
        "--context",
        "novalue",
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_seed_example_evaluates() {
    let output = eval(&[
        "--policy",
        &data("seed-example.json"),
        "--request",
        &data("describe.json"),
    ]);
    assert_eq!(output.status.code(), Some(1));
}

/// One numbering: text for people says "statement N" from 1, JSON keeps the 0-based index; the
/// facade (what the editor calls) gives the same index as the CLI's JSON.
#[test]
fn text_numbers_statements_from_one_and_json_from_zero() {
    let dir = std::env::temp_dir().join(format!("ram-policy-numbering-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "ecs:*", "Resource": "*"},
  {"Effect": "Deny", "Action": "ecs:StartInstance", "Resource": "*"}
]}"#;
    let request = r#"{"action": "ecs:StartInstance", "account": "1234567890123456", "region": "cn-hangzhou", "params": {"InstanceId": "i-1"}}"#;
    std::fs::write(dir.join("policy.json"), policy).unwrap();
    std::fs::write(dir.join("request.json"), request).unwrap();
    let (policy_path, request_path) = (dir.join("policy.json"), dir.join("request.json"));
    let args = [
        "--policy",
        policy_path.to_str().unwrap(),
        "--request",
        request_path.to_str().unwrap(),
    ];
    let text = String::from_utf8(eval(&args).stdout).unwrap();
    assert!(
        text.contains("policy.json:3:3  statement 2 (Deny)"),
        "{text}"
    );
    let cli = json(&eval(&[&args[..], &["--format", "json"]].concat()));
    let policies = serde_json::json!([{"name": "policy.json", "text": policy}]).to_string();
    let facade = ram_policy::facade::evaluate_json(&policies, request, None).unwrap();
    for answer in [&cli, &facade] {
        let deciding = &answer["resources"][0]["statements"][0];
        assert_eq!(deciding["statement"], 1, "{answer}");
        assert_eq!(deciding["line"], 3, "{answer}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A request is checked like a policy: a region that does not exist is an error with the
/// nearest region id; an account id of another length than 16 digits gets a note.
#[test]
fn region_and_account_typos_in_requests() {
    let dir = std::env::temp_dir().join(format!("ram-policy-typos-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let request = dir.join("request.json");
    std::fs::write(
        &request,
        r#"{"action": "ecs:StartInstance", "account": "1234567890123456", "region": "cn-shangai", "params": {"InstanceId": "i-1"}}"#,
    )
    .unwrap();
    let policy = data("allow-run.json");
    let output = eval(&["--policy", &policy, "--request", request.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`/region`: `cn-shangai` is not an Alibaba Cloud region id; did you mean `cn-shanghai`?"), "{stderr}");
    std::fs::write(
        &request,
        r#"{"action": "ecs:StartInstance", "account": "123456789012", "region": "cn-hangzhou", "params": {"RegionId": "cn-hangzou", "InstanceId": "i-1"}}"#,
    )
    .unwrap();
    let output = eval(&["--policy", &policy, "--request", request.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("`/params/RegionId`: `cn-hangzou` is not an Alibaba Cloud region id; did you mean `cn-hangzhou`?"));
    std::fs::write(
        &request,
        r#"{"action": "ecs:StartInstance", "account": "123456789012", "region": "cn-hangzhou", "params": {"InstanceId": "i-1"}}"#,
    )
    .unwrap();
    let args = ["--policy", &policy, "--request", request.to_str().unwrap()];
    let text = String::from_utf8(eval(&args).stdout).unwrap();
    assert!(
        text.contains(
            "note: the account `123456789012` has 12 digits; Alibaba Cloud account ids have 16"
        ),
        "{text}"
    );
    let answer = json(&eval(&[&args[..], &["--format", "json"]].concat()));
    assert!(answer["notes"][0]
        .as_str()
        .unwrap()
        .contains("has 12 digits"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A context key of the `acs:`/`ecs:`/`vpc:` namespaces is checked like a policy's: a typo is an
/// error with the nearest key, not a value silently given to a key no policy reads.
#[test]
fn context_key_typos_are_errors_with_the_nearest_key() {
    let policy = data("allow-run.json");
    let request = data("run-ok.json");
    let output = eval(&[
        "--policy",
        &policy,
        "--request",
        &request,
        "--context",
        "acs:SourceIP=203.0.113.7",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("context key `acs:SourceIP` is not a known condition key (names are case-sensitive); did you mean `acs:SourceIp`?"), "{stderr}");
    // A tag key is a family: any tag name is known.
    let output = eval(&[
        "--policy",
        &policy,
        "--request",
        &request,
        "--context",
        "ecs:tag/team=payments",
    ]);
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
