//! `ram-policy diff OLD NEW` driven as a user would: the uses of issue 16 (a pull request that
//! widens `Resource`, a removed `Deny`, `generate --generalize ids` against the exact policy it
//! widened, a system policy against a custom one), every exit code, stdin, the error style, and
//! SARIF validated against the SARIF 2.1.0 schema.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::{run, run_in};
use serde_json::Value;
use std::path::Path;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|error| panic!("{error}: {}", text(bytes)))
}

/// A temporary directory with the given files, removed at the end of the test.
struct Dir(std::path::PathBuf);

impl Dir {
    fn new(name: &str, files: &[(&str, &str)]) -> Dir {
        let path =
            std::env::temp_dir().join(format!("ram-policy-cli-diff-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        for (file, content) in files {
            std::fs::write(path.join(file), content).unwrap();
        }
        Dir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const NARROW: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ecs:StartInstance", "ecs:StopInstance"],
      "Resource": "acs:ecs:cn-hangzhou:1234567890123456:instance/i-web1"
    }
  ]
}"#;

const WIDE: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ecs:StartInstance", "ecs:StopInstance"],
      "Resource": "acs:ecs:cn-hangzhou:1234567890123456:instance/*"
    }
  ]
}"#;

/// The actions of a direction of a JSON report.
fn actions(report: &Value, direction: &str) -> Vec<String> {
    report[direction]
        .as_array()
        .unwrap()
        .iter()
        .map(|action| action["action"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_pull_request_that_widens_resource_is_new_access_with_a_witness() {
    let dir = Dir::new("widen", &[("old.json", NARROW), ("new.json", WIDE)]);
    let output = run_in(dir.path(), &["diff", "old.json", "new.json"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(report.contains("ecs:StartInstance\n  exact: resources of `acs:ecs:$regionid:$accountid:instance/$instanceId`"), "{report}");
    assert!(
        report.contains("allowed by new.json:4:5 (statement 1, Allow)"),
        "{report}"
    );
    assert!(
        report.contains("\"account\":\"1234567890123456\""),
        "{report}"
    );
    assert!(
        report.ends_with("new access: 2 actions; removed access: none\n"),
        "{report}"
    );
    // The witness is a request `eval` decides the same way.
    let output = run_in(
        dir.path(),
        &["diff", "old.json", "new.json", "--format", "json"],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output.stdout);
    assert_eq!(
        actions(&report, "new_access"),
        ["ecs:StartInstance", "ecs:StopInstance"]
    );
    let difference = &report["new_access"][0]["differences"][0];
    assert_eq!(difference["certainty"], "exact");
    assert_eq!(difference["statements"][0]["line"], 4);
    let witness = &difference["witness"];
    let arn = witness["arns"][0].as_str().unwrap();
    assert!(
        arn.starts_with("acs:ecs:cn-hangzhou:1234567890123456:instance/")
            && arn != "acs:ecs:cn-hangzhou:1234567890123456:instance/i-web1",
        "{arn}"
    );
    let request = serde_json::json!({
        "action": witness["action"], "account": witness["account"], "region": witness["region"],
        "params": witness["params"], "context": witness["context"]});
    std::fs::write(dir.path().join("request.json"), request.to_string()).unwrap();
    for (policy, code) in [("new.json", 0), ("old.json", 1)] {
        let output = run_in(
            dir.path(),
            &["eval", "--policy", policy, "--request", "request.json"],
            b"",
        );
        assert_eq!(
            output.status.code(),
            Some(code),
            "{policy}: {}",
            text(&output.stdout)
        );
    }
    // The other way round, the same access is removed: exit 0 by default, 1 with any-change.
    let output = run_in(dir.path(), &["diff", "new.json", "old.json"], b"");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(text(&output.stdout).ends_with("new access: none; removed access: 2 actions\n"));
    let output = run_in(
        dir.path(),
        &["diff", "new.json", "old.json", "--fail-on", "any-change"],
        b"",
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn identical_policies_differ_nowhere_and_exit_zero() {
    let dir = Dir::new("same", &[("a.json", WIDE), ("b.json", WIDE)]);
    for fail_on in ["new-access", "any-change"] {
        let output = run_in(
            dir.path(),
            &["diff", "a.json", "b.json", "--fail-on", fail_on],
            b"",
        );
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
        assert_eq!(
            text(&output.stdout),
            "new access: none\n\nremoved access: none\n\nnew access: none; removed access: none\n"
        );
    }
}

#[test]
fn a_removed_deny_is_new_access_denied_by_the_old_deny() {
    let old = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "ecs:*", "Resource": "*"},
  {"Effect": "Deny", "Action": ["ecs:DeleteInstance", "ecs:DeleteDisk"], "Resource": "*"}]}"#;
    let new = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "ecs:*", "Resource": "*"}]}"#;
    // NEW comes from standard input.
    let dir = Dir::new("deny", &[("old.json", old)]);
    let output = run_in(
        dir.path(),
        &["diff", "old.json", "-", "--format", "json"],
        new.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = json(&output.stdout);
    assert_eq!(
        actions(&report, "new_access"),
        ["ecs:DeleteDisk", "ecs:DeleteInstance"]
    );
    assert!(actions(&report, "removed_access").is_empty());
    for action in report["new_access"].as_array().unwrap() {
        let difference = &action["differences"][0];
        assert_eq!(difference["certainty"], "exact");
        assert_eq!(difference["statements"][0]["policy"], "<stdin>");
        assert_eq!(difference["denied_by"][0]["policy"], "old.json");
        assert_eq!(difference["denied_by"][0]["statement"], 1);
    }
}

#[test]
fn a_condition_added_to_a_deny_is_new_access_that_depends_only_on_conditions() {
    let old = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*",
   "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}]}"#;
    let new = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": "ecs:DescribeInstances", "Resource": "*",
   "Condition": {"IpAddress": {"acs:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}}]}"#;
    let dir = Dir::new("conditions", &[("old.json", old), ("new.json", new)]);
    let output = run_in(
        dir.path(),
        &["diff", "old.json", "new.json", "--format", "json"],
        b"",
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = json(&output.stdout);
    assert_eq!(actions(&report, "new_access"), ["ecs:DescribeInstances"]);
    let difference = &report["new_access"][0]["differences"][0];
    let ip = difference["witness"]["context"]["acs:SourceIp"][0]
        .as_str()
        .unwrap();
    assert!(ip.starts_with("192.168."), "{ip}");
    assert_eq!(difference["conditions_only"][0]["key"], "acs:SourceIp");
}

#[test]
fn generalized_ids_are_exactly_the_new_access_of_generate() {
    let requests = r#"{"action": "ecs:StartInstance", "account": "1234567890123456", "region": "cn-hangzhou", "params": {"InstanceId": "i-1"}}
{"action": "ecs:AttachDisk", "account": "1234567890123456", "region": "cn-hangzhou", "params": {"InstanceId": "i-1", "DiskId": "d-1"}}
{"action": "ecs:DescribeInstances", "account": "1234567890123456", "region": "cn-hangzhou"}
"#;
    let dir = Dir::new("generate", &[("requests.jsonl", requests)]);
    for (generalize, file) in [("none", "exact.json"), ("ids", "ids.json")] {
        let output = run_in(
            dir.path(),
            &[
                "generate",
                "--requests",
                "requests.jsonl",
                "--generalize",
                generalize,
            ],
            b"",
        );
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        std::fs::write(dir.path().join(file), &output.stdout).unwrap();
    }
    let output = run_in(
        dir.path(),
        &["diff", "exact.json", "ids.json", "--format", "json"],
        b"",
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = json(&output.stdout);
    assert!(actions(&report, "removed_access").is_empty());
    // DescribeInstances is authorized on `instance/*` without ids: nothing to widen.
    assert_eq!(
        actions(&report, "new_access"),
        ["ecs:AttachDisk", "ecs:StartInstance"]
    );
    let mut widened: Vec<String> = Vec::new();
    for action in report["new_access"].as_array().unwrap() {
        for difference in action["differences"].as_array().unwrap() {
            assert_eq!(difference["certainty"], "exact");
            widened.push(format!(
                "{} {}",
                action["action"].as_str().unwrap(),
                difference["template"].as_str().unwrap()
            ));
        }
    }
    assert_eq!(
        widened,
        [
            "ecs:AttachDisk acs:ecs:$regionid:$accountid:instance/$instanceId",
            "ecs:AttachDisk acs:ecs:$regionid:$accountid:disk/$diskId",
            "ecs:StartInstance acs:ecs:$regionid:$accountid:instance/$instanceId",
        ],
        "{report:#}"
    );
}

#[test]
fn a_system_policy_against_a_custom_one() {
    let Some(full) = common::shared_path("reference/samples/AliyunECSReadOnlyAccess.json") else {
        return;
    };
    let custom = r#"{"Version": "1", "Statement": [
  {"Effect": "Allow", "Action": ["ecs:Describe*", "ecs:StartInstance"], "Resource": "*"}]}"#;
    let dir = Dir::new("system", &[("custom.json", custom)]);
    let output = run_in(
        dir.path(),
        &[
            "diff",
            full.to_str().unwrap(),
            "custom.json",
            "--format",
            "json",
        ],
        b"",
    );
    assert!(output.status.code() == Some(1), "{}", text(&output.stderr));
    let report = json(&output.stdout);
    // The custom policy adds StartInstance to the read-only system policy's describes.
    assert!(
        actions(&report, "new_access").contains(&"ecs:StartInstance".to_string()),
        "{report:#}"
    );
    assert!(
        !actions(&report, "new_access")
            .iter()
            .any(|a| a.starts_with("ecs:Describe")),
        "{report:#}"
    );
}

#[test]
fn bad_input_exits_two_naming_the_place() {
    let dir = Dir::new(
        "bad",
        &[
            ("ok.json", WIDE),
            ("broken.json", "{\"Version\": \"1\",\n  \"Statement\": [}"),
        ],
    );
    let output = run_in(dir.path(), &["diff", "ok.json", "broken.json"], b"");
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    // The same place as `eval --policy` names: the file, line and column.
    assert!(
        stderr.starts_with("error: policy `broken.json`: malformed JSON at line 2, column 17"),
        "{stderr}"
    );
    let output = run_in(
        dir.path(),
        &["diff", "ok.json", "broken.json", "--format", "json"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        json(&output.stdout)["error"]["kind"],
        "malformed_policy_json"
    );
    let output = run_in(dir.path(), &["diff", "-", "-"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("only one of OLD and NEW can be `-`"));
    let output = run_in(dir.path(), &["diff", "ok.json", "missing.json"], b"");
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["diff", "only-one.json"], b"");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn directories_are_policy_sets() {
    let dir = Dir::new("dirs", &[]);
    std::fs::create_dir_all(dir.path().join("old")).unwrap();
    std::fs::create_dir_all(dir.path().join("new")).unwrap();
    std::fs::write(dir.path().join("old/a.json"), NARROW).unwrap();
    std::fs::write(dir.path().join("new/a.json"), NARROW).unwrap();
    std::fs::write(dir.path().join("new/b.json"), WIDE).unwrap();
    let output = run_in(dir.path(), &["diff", "old", "new", "--format", "json"], b"");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = json(&output.stdout);
    let place = &report["new_access"][0]["differences"][0]["statements"][0];
    assert_eq!(place["policy"], "new/b.json");
}

#[test]
fn sarif_validates_and_locates_new_statements() {
    let dir = Dir::new("sarif", &[("old.json", NARROW), ("new policy.json", WIDE)]);
    let output = run_in(
        dir.path(),
        &["diff", "old.json", "new policy.json", "--format", "sarif"],
        b"",
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let sarif = json(&output.stdout);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for result in results {
        assert_eq!(result["ruleId"], "NEW_ACCESS");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "new%20policy.json");
        assert_eq!(location["region"]["startLine"], 4);
    }
    if let Some(path) = common::shared_path("schemas/sarif-schema-2.1.0.json") {
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}
