//! The facade's JSON-text adapters (what the WebAssembly exports call) and the CLI paths that
//! share them: `facade::policies_from_json`, `facade::call_options_from_json`,
//! `facade::evaluate_json`, `facade::explain_json`, `ram-policy eval --context` and
//! `ram-policy generate --format json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ram_policy::facade;
use serde_json::{json, Value};
use std::process::Command;

const ALLOW_OFFICE: &str = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ecs:DescribeInstances",
      "Resource": "*",
      "Condition": {"IpAddress": {"acs:SourceIp": "203.0.113.0/24"}}
    }
  ]
}"#;

const REQUEST: &str = r#"{"action": "ecs:DescribeInstances", "account": "1234567890123456",
  "region": "cn-hangzhou", "context": {"acs:sourceip": "198.51.100.1"}}"#;

fn policies(text: &str) -> String {
    json!([{"name": "office.json", "text": text}]).to_string()
}

fn kind(result: Result<Value, ram_policy::Error>) -> String {
    result.unwrap_err().to_json()["error"]["kind"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn policies_array_is_parsed_or_refused_with_a_message() {
    let parsed =
        facade::policies_from_json(r#"[{"name": "a", "text": "{}"}, {"text": "x", "name": "b"}]"#)
            .unwrap();
    assert_eq!(
        parsed,
        vec![("a".into(), "{}".into()), ("b".into(), "x".into())]
    );
    assert!(facade::policies_from_json("[]").unwrap().is_empty());
    for bad in [
        "",
        "{",
        "{}",
        "[1]",
        r#"[{"name": "a"}]"#,
        r#"[{"name": 1, "text": "x"}]"#,
        r#"[{"name": "a", "text": "x", "extra": 1}]"#,
    ] {
        let error = facade::policies_from_json(bad).unwrap_err();
        assert_eq!(error.to_json()["error"]["kind"], "input", "{bad}");
        assert!(
            error.to_string().contains("JSON array of"),
            "{bad}: {error}"
        );
    }
}

#[test]
fn options_carry_context_time_and_all() {
    let (options, all) = facade::call_options_from_json(Some(
        r#"{"context": {"acs:SourceIp": ["203.0.113.7", "198.51.100.1"], "acs:MFAPresent": true, "n": 3},
            "current_time": "2026-01-01T00:00:00Z", "all": true}"#,
    ))
    .unwrap();
    assert!(all);
    assert_eq!(
        options.current_time.as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    assert_eq!(
        options.context,
        vec![
            ("acs:MFAPresent".to_string(), "true".to_string()),
            ("acs:SourceIp".to_string(), "203.0.113.7".to_string()),
            ("acs:SourceIp".to_string(), "198.51.100.1".to_string()),
            ("n".to_string(), "3".to_string()),
        ]
    );
    for none in [None, Some(""), Some("  "), Some("{}")] {
        let (options, all) = facade::call_options_from_json(none).unwrap();
        assert!(options.context.is_empty() && options.current_time.is_none() && !all);
    }
    for bad in [
        "[]",
        "{",
        r#"{"context": 1}"#,
        r#"{"context": {"k": {"nested": 1}}}"#,
        r#"{"current_time": 5}"#,
        r#"{"all": "yes"}"#,
        r#"{"bogus": 1}"#,
        r#"{"all": true, "all": false}"#,
    ] {
        let error = facade::call_options_from_json(Some(bad)).unwrap_err();
        assert_eq!(error.to_json()["error"]["kind"], "input", "{bad}");
    }
    // Empty or unreadable context values follow the one rule (`ram_policy::check_context`).
    for bad in [
        r#"{"context": {"": "v"}}"#,
        r#"{"context": {"acs:SourceIp": []}}"#,
        r#"{"context": {"acs:MFAPresent": "maybe"}}"#,
    ] {
        let error = facade::call_options_from_json(Some(bad)).unwrap_err();
        assert_eq!(
            error.to_json()["error"]["kind"],
            "invalid_context_value",
            "{bad}"
        );
    }
}

#[test]
fn evaluate_json_applies_context_options_without_ascii_case() {
    let denied = facade::evaluate_json(&policies(ALLOW_OFFICE), REQUEST, None).unwrap();
    assert_eq!(denied["decision"], "ImplicitDeny");
    // The option's key differs in case from the request's: it replaces it.
    let options = r#"{"context": {"acs:SourceIp": "203.0.113.7"}}"#;
    let allowed = facade::evaluate_json(&policies(ALLOW_OFFICE), REQUEST, Some(options)).unwrap();
    assert_eq!(allowed["decision"], "Allow");
    assert_eq!(
        allowed["resources"][0]["statements"][0]["policy"],
        "office.json"
    );
    // The same as the report the CLI prints.
    let report = facade::evaluate_report(
        &[("office.json", ALLOW_OFFICE)],
        REQUEST,
        &facade::call_options_from_json(Some(options)).unwrap().0,
    )
    .unwrap();
    assert_eq!(facade::evaluation_json(&report), allowed);
    // The CLI streams the same JSON, members in the order of a `Value` (sorted), byte for byte.
    for evaluation in [
        &report,
        &facade::evaluate_report(
            &[("office.json", ALLOW_OFFICE)],
            REQUEST,
            &Default::default(),
        )
        .unwrap(),
    ] {
        let streamed = serde_json::to_string_pretty(&facade::EvaluationJson(evaluation)).unwrap();
        let value = serde_json::to_string_pretty(&facade::evaluation_json(evaluation)).unwrap();
        assert_eq!(streamed, value);
    }
    assert_eq!(kind(facade::evaluate_json("[", REQUEST, None)), "input");
    assert_eq!(
        kind(facade::evaluate_json(&policies("{"), REQUEST, None)),
        "malformed_policy_json"
    );
    assert_eq!(
        kind(facade::evaluate_json(&policies(ALLOW_OFFICE), "{", None)),
        "malformed_json"
    );
}

#[test]
fn current_time_fills_only_an_absent_key() {
    let policy = r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:DescribeInstances",
      "Resource": "*", "Condition": {"DateLessThan": {"acs:CurrentTime": "2026-06-01T00:00:00Z"}}}]}"#;
    let request = r#"{"action": "ecs:DescribeInstances", "account": "1", "region": "cn-hangzhou"}"#;
    let early = r#"{"current_time": "2026-01-01T00:00:00Z"}"#;
    let late = r#"{"current_time": "2027-01-01T00:00:00Z"}"#;
    let decide = |request: &str, options: &str| {
        facade::evaluate_json(&policies(policy), request, Some(options)).unwrap()["decision"]
            .clone()
    };
    assert_eq!(decide(request, early), "Allow");
    assert_eq!(decide(request, late), "ImplicitDeny");
    let given = r#"{"action": "ecs:DescribeInstances", "account": "1", "region": "cn-hangzhou",
      "context": {"acs:CurrentTime": "2026-01-01T00:00:00Z"}}"#;
    assert_eq!(decide(given, late), "Allow");
}

#[test]
fn explain_json_names_its_input_kinds() {
    let value = facade::explain_json(&policies(ALLOW_OFFICE), REQUEST, "request", None).unwrap();
    assert_eq!(value["input"], "request");
    assert_eq!(value["decision"], "ImplicitDeny");
    assert_eq!(
        kind(facade::explain_json(
            &policies(ALLOW_OFFICE),
            REQUEST,
            "requests",
            None
        )),
        "input"
    );
}

fn cli(args: &[&str], dir: &std::path::Path) -> (i32, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_ram-policy"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{error}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), value)
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ram-policy-facade-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn cli_eval_context_is_the_facade_option() {
    let dir = temp_dir("eval");
    std::fs::write(dir.join("office.json"), ALLOW_OFFICE).unwrap();
    std::fs::write(dir.join("request.json"), REQUEST).unwrap();
    let (code, value) = cli(
        &[
            "eval",
            "--policy",
            "office.json",
            "--request",
            "request.json",
            "--context",
            "acs:SourceIp=203.0.113.7",
            "--format",
            "json",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    let options = r#"{"context": {"acs:SourceIp": "203.0.113.7"}}"#;
    assert_eq!(
        value,
        facade::evaluate_json(&policies(ALLOW_OFFICE), REQUEST, Some(options)).unwrap()
    );
}

#[test]
fn cli_generate_format_json_is_the_facade_value() {
    let dir = temp_dir("generate");
    let requests = r#"[
      {"action": "ecs:StartInstance", "account": "1234567890123456", "region": "cn-hangzhou", "params": {"InstanceId": "i-1"}},
      {"action": "ecs:StopInstance", "account": "1234567890123456", "region": "cn-hangzhou", "params": {"InstanceId": "i-1"}}
    ]"#;
    std::fs::write(dir.join("requests.json"), requests).unwrap();
    let (code, value) = cli(
        &[
            "generate",
            "--requests",
            "requests.json",
            "--generalize",
            "ids",
            "--format",
            "json",
        ],
        &dir,
    );
    assert_eq!(code, 0);
    assert_eq!(
        value,
        facade::generate(requests, r#"{"input": "requests", "generalize": "ids"}"#).unwrap()
    );
    assert!(value["policy_text"]
        .as_str()
        .unwrap()
        .contains("ecs:StartInstance"));
    std::fs::write(dir.join("empty.json"), "").unwrap();
    let (code, value) = cli(
        &["generate", "--requests", "empty.json", "--format", "json"],
        &dir,
    );
    assert_eq!(code, 2);
    assert_eq!(value["error"]["kind"], "no_calls");
}
