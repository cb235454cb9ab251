//! ActionTrail events and denial inputs as RAM writes them (issue 13): event kinds, shapes,
//! containers (LookupEvents, gzip), duplicate members, the one rule for unreadable context
//! values, and the messages that name the file, the place and the cause. The event files in
//! `tests/data/actiontrail/` follow the shapes of Alibaba Cloud's documentation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::run;
use serde_json::Value;

const DIR: &str = "tests/data/actiontrail";

fn data(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// `explain --format json` with the given policies and input; returns (exit code, JSON).
fn explain(policies: &[&str], input: &[&str]) -> (i32, Value) {
    let mut args = vec!["explain".to_string(), "--format".into(), "json".into()];
    for policy in policies {
        args.push("--policy".into());
        args.push(data(policy));
    }
    args.extend(input.iter().map(|arg| arg.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run(&args, b"");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap(), json)
}

fn explain_events(policies: &[&str], file: &str, all: bool) -> (i32, Value) {
    let path = data(file);
    let mut input = vec!["--actiontrail", path.as_str()];
    if all {
        input.push("--all");
    }
    explain(policies, &input)
}

/// `generate --actiontrail FILE --summary-format json`; returns (exit code, policy text, summary).
fn generate(file: &str, extra: &[&str]) -> (i32, String, Value) {
    let path = data(file);
    let mut args = vec![
        "generate",
        "--actiontrail",
        path.as_str(),
        "--summary-format",
        "json",
    ];
    args.extend(extra);
    let output = run(&args, b"");
    let summary = serde_json::from_slice(&output.stderr).unwrap_or_else(|_| {
        panic!(
            "summary not JSON: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        summary,
    )
}

fn skipped_reasons(report: &Value) -> Vec<String> {
    report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|skip| skip["reason"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_console_operation_is_a_call_denied_or_allowed() {
    let (code, report) =
        explain_events(&["alice.json"], "console-run-instances-denied.json", false);
    assert_eq!(code, 1, "{report:#}");
    let item = &report["explanations"][0];
    assert_eq!(item["event"]["event_type"], "ConsoleOperation");
    assert_eq!(item["action"], "ecs:RunInstances");
    assert_eq!(item["decision"], "ImplicitDeny");
    assert_eq!(item["ram"]["agrees"], true);
    assert!(report["skipped"].as_array().unwrap().is_empty());

    let (code, report) =
        explain_events(&["alice.json"], "console-stop-instance-allowed.json", false);
    assert_eq!(code, 0, "{report:#}");
    let item = &report["explanations"][0];
    assert_eq!(item["decision"], "Allow");
    assert_eq!(item["ram"]["agrees"], true);
}

#[test]
fn service_events_and_system_callers_are_skipped_with_a_reason() {
    // `"additionalEventData": []` as Alibaba's documentation prints it: read, then skipped.
    let (code, report) = explain_events(&["alice.json"], "service-event.json", false);
    assert_eq!(code, 0, "{report:#}");
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let reasons = skipped_reasons(&report);
    assert!(reasons[0].contains("AliyunServiceEvent"), "{reasons:?}");

    let (code, report) = explain_events(&["alice.json"], "system-identity.json", false);
    assert_eq!(code, 0, "{report:#}");
    assert!(report["errors"].as_array().unwrap().is_empty());
    assert!(skipped_reasons(&report)[0].contains("`system`"));

    let (_, _, summary) = generate("service-event.json", &[]);
    assert_eq!(
        summary["skipped"]["service_event"]["count"], 1,
        "{summary:#}"
    );
    let (_, _, summary) = generate("system-identity.json", &[]);
    assert_eq!(
        summary["skipped"]["system_identity"]["count"], 1,
        "{summary:#}"
    );
}

#[test]
fn the_root_account_is_not_restricted_by_ram_policies() {
    let (_, report) = explain_events(&["office-only.json"], "root-account.json", false);
    let item = &report["explanations"][0];
    let note = item["notes"][0].as_str().unwrap();
    assert!(
        note.contains("RAM policies do not restrict the root account"),
        "{note}"
    );
    assert!(item["ram"]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("root account"));
    // No fix: changing the policies changes nothing for the root account.
    assert!(item.get("fix").is_none(), "{item:#}");

    let (code, _, summary) = generate("root-account.json", &["--include-failed"]);
    assert_eq!(code, 2);
    assert_eq!(
        summary["skipped"]["root_account"]["count"], 1,
        "{summary:#}"
    );
}

#[test]
fn lookup_events_responses_and_gzip_files_are_read() {
    let (code, plain) = explain_events(&["alice.json"], "lookup-events.json", true);
    assert_eq!(code, 1, "{plain:#}");
    assert_eq!(plain["explanations"].as_array().unwrap().len(), 2);
    assert_eq!(skipped_reasons(&plain).len(), 1);
    // Each event's line is where it starts inside `Events`, not the response's first line.
    assert!(plain["explanations"][1]["event"]["line"].as_u64().unwrap() > 7);

    let (code, gzipped) = explain_events(&["alice.json"], "lookup-events.json.gz", true);
    assert_eq!(code, 1);
    assert_eq!(gzipped, plain);

    let (code, lines) = explain_events(&["alice.json"], "events.jsonl.gz", true);
    assert_eq!(code, 1);
    assert_eq!(lines["explanations"].as_array().unwrap().len(), 2);

    let (code, policy, summary) = generate("lookup-events.json.gz", &[]);
    assert_eq!(code, 0, "{summary:#}");
    assert!(policy.contains("ecs:StopInstance"), "{policy}");
    assert_eq!(summary["read"], 3);
    let (_, plain_policy, _) = generate("lookup-events.json", &[]);
    assert_eq!(policy, plain_policy);
}

#[test]
fn duplicate_members_are_errors_naming_both_places() {
    let (code, report) = explain_events(&["alice.json"], "duplicate-member.json", false);
    assert_eq!(code, 2);
    let error = &report["errors"][0];
    assert_eq!(error["kind"], "duplicate_member");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("`eventName` occurs more than once")
            && message.contains("line 9, column 3")
            && message.contains("first at line 4, column 3"),
        "{message}"
    );

    // A request: `{"action": "ecs:DeleteInstance", "action": "ecs:StartInstance"}` is not
    // evaluated as either.
    let request = br#"{"action": "ecs:DeleteInstance", "account": "1234567890123456", "region": "cn-hangzhou",
 "params": {"InstanceId": "i-1"}, "action": "ecs:StartInstance"}"#;
    let output = run(
        &[
            "eval",
            "--policy",
            &data("alice.json"),
            "--request",
            "-",
            "--format",
            "json",
        ],
        request,
    );
    assert_eq!(output.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(error["error"]["kind"], "duplicate_member");
    assert_eq!(error["error"]["pointer"], "/action");
    assert_eq!(error["error"]["line"], 2);
    assert_eq!(error["error"]["first_line"], 1);

    // An error body.
    let body = br#"{"Code": "NoPermission", "Code": "Forbidden.RAM", "Message": "x"}"#;
    let output = run(
        &["explain", "--policy", &data("alice.json"), "--error", "-"],
        body,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`Code` occurs more than once"), "{stderr}");

    // A request in `generate --requests`: the record is refused and said.
    let requests = b"{\"action\": \"ecs:StopInstance\", \"action\": \"ecs:DeleteInstance\", \"account\": \"1234567890123456\", \"region\": \"cn-hangzhou\", \"params\": {\"InstanceId\": \"i-1\"}}\n";
    let output = run(
        &["generate", "--requests", "-", "--summary-format", "json"],
        requests,
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("occurs more than once"), "{stderr}");
}

/// The request of `eval` with a given context (JSON text of the `context` member).
fn source_ip_request(context: &str) -> String {
    format!(
        r#"{{"action": "ecs:StopInstance", "account": "1234567890123456", "region": "cn-hangzhou",
            "params": {{"InstanceId": "i-1"}}{context}}}"#
    )
}

fn eval(request: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "eval".to_string(),
        "--policy".into(),
        data("office-only.json"),
        "--request".into(),
        "-".into(),
        "--format".into(),
        "json".into(),
    ];
    args.extend(extra.iter().map(|arg| arg.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run(&args, request.as_bytes());
    (
        output.status.code().unwrap(),
        serde_json::from_slice(&output.stdout).unwrap(),
    )
}

#[test]
fn an_unreadable_source_ip_never_switches_off_a_not_ip_address_deny() {
    // Without the key the Deny applies (absent key, negated operator).
    let (code, result) = eval(&source_ip_request(""), &[]);
    assert_eq!(
        (code, result["decision"].as_str()),
        (1, Some("ExplicitDeny"))
    );
    // From the office: allowed.
    let (code, _) = eval(
        &source_ip_request(r#", "context": {"acs:SourceIp": "203.0.113.9"}"#),
        &[],
    );
    assert_eq!(code, 0);
    // Empty, invalid or no values in a request are refused, naming the key.
    for context in [
        r#", "context": {"acs:SourceIp": []}"#,
        r#", "context": {"acs:SourceIp": ""}"#,
        r#", "context": {"acs:SourceIp": "ecs.aliyuncs.com"}"#,
        r#", "context": {"acs:SourceIp": ["203.0.113.9", "nope"]}"#,
    ] {
        let (code, result) = eval(&source_ip_request(context), &[]);
        assert_eq!(code, 2, "{context}: {result:#}");
        assert_eq!(
            result["error"]["kind"], "invalid_context_value",
            "{context}"
        );
        assert_eq!(result["error"]["key"], "acs:SourceIp");
        assert_eq!(result["error"]["pointer"], "/context/acs:SourceIp");
    }
    // So is `--context acs:SourceIp=` (and an invalid value).
    for flag in ["acs:SourceIp=", "acs:SourceIp=ecs.aliyuncs.com"] {
        let (code, result) = eval(&source_ip_request(""), &["--context", flag]);
        assert_eq!(code, 2, "{flag}: {result:#}");
        assert_eq!(result["error"]["kind"], "invalid_context_value");
        assert!(result["error"]["message"]
            .as_str()
            .unwrap()
            .contains("`acs:SourceIp`"));
    }
    // An event whose `sourceIpAddress` is a service's name: not known, taken as absent, and
    // said; the Deny still applies.
    let (code, report) =
        explain_events(&["office-only.json"], "source-ip-from-service.json", false);
    assert_eq!(code, 1, "{report:#}");
    let item = &report["explanations"][0];
    assert_eq!(item["decision"], "ExplicitDeny");
    let unknown = item["unknown"].as_array().unwrap();
    let source_ip = unknown
        .iter()
        .find(|gap| gap["subject"] == "acs:SourceIp")
        .unwrap();
    assert!(source_ip["reason"]
        .as_str()
        .unwrap()
        .contains("`ecs.aliyuncs.com`, which is not an IP address"));
    assert!(item["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|note| note.as_str().unwrap().contains("depends on `acs:SourceIp`")));
}

#[test]
fn the_editor_options_follow_the_same_rule() {
    let policies = serde_json::json!([{"name": "p.json", "text": std::fs::read_to_string(data("office-only.json")).unwrap()}]).to_string();
    for options in [
        r#"{"context": {"acs:SourceIp": []}}"#,
        r#"{"context": {"acs:SourceIp": ""}}"#,
        r#"{"context": {"acs:SourceIp": "ecs.aliyuncs.com"}}"#,
    ] {
        let error =
            ram_policy::facade::evaluate_json(&policies, &source_ip_request(""), Some(options))
                .unwrap_err();
        assert_eq!(error.kind(), "invalid_context_value", "{options}");
        assert!(error.to_string().contains("`acs:SourceIp`"), "{error}");
    }
}

#[test]
fn facts_an_event_cannot_carry_are_listed_when_a_matching_statement_consults_them() {
    let policy = r#"{"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "ecs:StopInstance", "Resource": "*",
         "Condition": {"StringEquals": {"acs:ResourceTag/env": "dev", "acs:SourceVpc": "vpc-1"}}},
        {"Effect": "Allow", "Action": "ecs:RunInstances", "Resource": "*",
         "Condition": {"StringEquals": {"ecs:ImageOwnerId": "1"}}}]}"#;
    let dir = std::env::temp_dir().join(format!("ram-policy-facts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tags.json");
    std::fs::write(&file, policy).unwrap();
    let output = run(
        &[
            "explain",
            "--format",
            "json",
            "--policy",
            file.to_str().unwrap(),
            "--actiontrail",
            &data("console-stop-instance-allowed.json"),
        ],
        b"",
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let item = &report["explanations"][0];
    let subjects: Vec<&str> = item["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|gap| gap["subject"].as_str().unwrap())
        .collect();
    // The statement for StopInstance consults the tag and the VPC; the image key is consulted
    // only by a statement for another action, and keys no statement consults are left out.
    assert_eq!(
        subjects,
        vec!["acs:ResourceTag/env", "acs:SourceVpc"],
        "{item:#}"
    );
    let notes = item["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|note| note
            .as_str()
            .unwrap()
            .contains("depends on `acs:ResourceTag/env`, `acs:SourceVpc`")),
        "{notes:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn messages_name_the_file_the_place_and_the_cause() {
    // A byte-order mark in a request.
    let output = run(
        &["resolve", "-"],
        "\u{FEFF}{\"action\": \"ecs:StopInstance\"}".as_bytes(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("<stdin>")
            && stderr.contains("byte order mark")
            && stderr.contains("line 1, column 1"),
        "{stderr}"
    );

    // A policy's error is the policy's, not the request's.
    let dir = std::env::temp_dir().join(format!("ram-policy-messages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"Version\": \"1\", \"Statement\": [").unwrap();
    let request = dir.join("request.json");
    std::fs::write(&request, source_ip_request("")).unwrap();
    let output = run(
        &[
            "explain",
            "--policy",
            broken.to_str().unwrap(),
            "--request",
            request.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.json"), "{stderr}");
    assert!(!stderr.contains("request.json"), "{stderr}");

    // An empty `--error` file.
    let empty = dir.join("empty.json");
    std::fs::write(&empty, "").unwrap();
    let output = run(
        &[
            "explain",
            "--policy",
            &data("alice.json"),
            "--error",
            empty.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("empty.json")
            && stderr.contains("the text is empty")
            && !stderr.contains("column 0"),
        "{stderr}"
    );

    // A truncated `--requests` array: the requests read are used, and the cut is said.
    let truncated = b"[\n  {\"action\": \"ecs:StopInstance\", \"account\": \"1234567890123456\", \"region\": \"cn-hangzhou\", \"params\": {\"InstanceId\": \"i-1\"}},\n  {\"action\": \"ecs:StartInstance\", \"account\": \"1234567890123456\", \"region\": \"cn-hangzhou\", \"params\": {\"InstanceId\": \"i-1\"}}\n";
    let output = run(
        &["generate", "--requests", "-", "--summary-format", "json"],
        truncated,
    );
    let summary: Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(summary["skipped"]["malformed"]["count"], 1, "{summary:#}");
    let text = summary.to_string();
    assert!(
        text.contains("truncated") && text.contains("line 1"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Acceptance: `generate --actiontrail` on a console-made `RunInstances` grants what RAM checks
/// for it — the instance, the image, and the security group the event names only as
/// `NetworkInterface.1.SecurityGroupId` — and the generated policy allows the event's call
/// (checked by the evaluator) and lints clean. Run in the catalog edition the process uses.
#[test]
fn generate_on_a_console_run_instances_grants_what_ram_checks() {
    let (code, policy, summary) =
        generate("console-run-instances-denied.json", &["--include-failed"]);
    assert_eq!(code, 0, "{summary:#}");
    for arn in [
        "acs:ecs:cn-hangzhou:1234567890123456:instance/*",
        "acs:ecs:cn-hangzhou:1234567890123456:image/aliyun_3_x64_20G_alibase_20250101.vhd",
        "acs:ecs:cn-hangzhou:1234567890123456:securitygroup/sg-bp1fg655nh68xyz12345",
    ] {
        assert!(policy.contains(arn), "{arn} not in {policy}");
    }
    // The evaluator allows the event's own call under the generated policy.
    let text = std::fs::read_to_string(data("console-run-instances-denied.json")).unwrap();
    let event = ram_policy::parse_events(&text).remove(0).unwrap();
    let set = ram_policy::eval::PolicySet::parse(&[("generated.json", policy.as_str())]).unwrap();
    let evaluation = ram_policy::eval::evaluate(&set, &event.request()).unwrap();
    assert_eq!(
        evaluation.decision,
        ram_policy::eval::Decision::Allow,
        "{evaluation:#?}"
    );
    assert_eq!(evaluation.resources.len(), 3);
    // And it lints clean: no finding at warning or above.
    let findings: Vec<_> = ram_policy::lint::lint(&policy)
        .into_iter()
        .filter(|finding| finding.severity >= ram_policy::lint::Severity::Warning)
        .collect();
    assert!(findings.is_empty(), "{findings:#?}");
}

/// Shapes Alibaba documents for one field: ids as numbers, a list parameter as a JSON-array
/// string, structures and arrays of structures, `Tags: []`, `additionalEventData: []`; read
/// through the API metadata, so every security group RAM checks is named.
#[test]
fn every_documented_shape_of_a_field_is_read() {
    let (code, report) = explain_events(&["alice.json"], "shapes.json", false);
    assert_eq!(code, 1, "{report:#}");
    let item = &report["explanations"][0];
    assert_eq!(item["account"], "1234567890123456");
    let arns: Vec<&str> = item["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|resource| resource["arn"].as_str().unwrap())
        .collect();
    for group in ["sg-bp1a", "sg-bp1b", "sg-bp1c"] {
        let arn = format!("acs:ecs:cn-hangzhou:1234567890123456:securitygroup/{group}");
        assert!(arns.contains(&arn.as_str()), "{arn} not in {arns:?}");
    }
}

/// Acceptance, in each catalog edition: `generate --actiontrail` on the console-made
/// `RunInstances` gives a policy that allows the event's call (checked by `explain`'s
/// evaluator in the same edition) and lints clean; with the seed's edition it names the
/// instance, the image and the `NetworkInterface.1.SecurityGroupId` group.
#[test]
fn generate_on_a_console_run_instances_in_each_catalog_edition() {
    use std::process::Command;
    let event = data("console-run-instances-denied.json");
    let dir = std::env::temp_dir().join(format!("ram-policy-editions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for edition in ["seed", "current"] {
        let cli = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_ram-policy"))
                .env("RAM_POLICY_CATALOG_EDITION", edition)
                .env("NO_COLOR", "1")
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(args)
                .output()
                .unwrap()
        };
        let output = cli(&["generate", "--actiontrail", &event, "--include-failed"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{edition}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let policy = String::from_utf8(output.stdout).unwrap();
        if edition == "seed" {
            for arn in [
                "acs:ecs:cn-hangzhou:1234567890123456:instance/*",
                "acs:ecs:cn-hangzhou:1234567890123456:image/aliyun_3_x64_20G_alibase_20250101.vhd",
                "acs:ecs:cn-hangzhou:1234567890123456:securitygroup/sg-bp1fg655nh68xyz12345",
            ] {
                assert!(policy.contains(arn), "{edition}: {arn} not in {policy}");
            }
        }
        let file = dir.join(format!("{edition}.json"));
        std::fs::write(&file, &policy).unwrap();
        let file = file.to_str().unwrap();
        let output = cli(&[
            "explain",
            "--format",
            "json",
            "--policy",
            file,
            "--actiontrail",
            &event,
        ]);
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            report["explanations"][0]["decision"], "Allow",
            "{edition}: {report:#}"
        );
        let output = cli(&["lint", file, "--fail-on", "warning"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{edition}: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
