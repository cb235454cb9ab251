//! `ram-policy generate` driven as a user would, `facade::generate`, and the documented
//! ActionTrail samples: every used call is allowed by the output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::run;
use ram_policy::eval::{evaluate, Decision, PolicySet};
use ram_policy::parse_events;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const REQUESTS: &str = r#"{"action": "ecs:StartInstance", "account": "1234567890123456", "region": "cn-hangzhou", "params": {"InstanceId": "i-2"}, "context": {"acs:SourceIp": "203.0.113.7"}}
{"action": "ecs:StartInstance", "account": "1234567890123456", "region": "cn-hangzhou", "params": {"InstanceId": "i-1"}, "context": {"acs:SourceIp": "198.51.100.1"}}
{"action": "ecs:DescribeInstances", "account": "1234567890123456", "region": "cn-hangzhou", "context": {"acs:SourceIp": "203.0.113.7"}}
{"action": "vpc:DescribeVpcs", "account": "1234567890123456", "region": "cn-hangzhou"}
{"action": "ecs:DescribeInstance", "account": "1234567890123456", "region": "cn-hangzhou"}
{"action": "ecs:StartInstance", "account": "1234567890123456" "region": "cn-hangzhou"}
"#;

/// The documented samples, inline (the shared copies are read too when present).
const DESCRIBE: &str = r#"{"eventId":"239EB588-D6A8-4C47-9E95-7E8F1F5C0F7D","eventVersion":1,"eventSource":"ecs.cn-hangzhou.aliyuncs.com","sourceIpAddress":"10.10.**.**","eventType":"ApiCall","userIdentity":{"accountId":"104758519118****","principalId":"24549429003625****","type":"ram-user","userName":"alice"},"serviceName":"Ecs","apiVersion":"2016-01-20","requestId":"239EB588-D6A8-4C47-9E95-7E8F1F5C0F7D","eventTime":"2021-08-05T09:21:32Z","isGlobal":false,"acsRegion":"cn-hangzhou","eventName":"DescribeInstances"}"#;
const CREATE_ENI: &str = r#"{"eventId":"F23A3DD5-7842-4EF9-9DA1-3776396A****","responseElements":{"RequestId":"F23A3DD5-7842-4EF9-9DA1-3776396AD58D","NetworkInterfaceId":"eni-bp12f9rjbjqauktz****"},"eventVersion":"1","requestParameters":{"Tag.1.Key":"CreatedBy","RequestId":"F23A3DD5-7842-4EF9-9DA1-3776396AD58D","SecurityGroupId":"sg-bp10mvd8143rlfks****","Tag.1.Value":"StreamCompute","VSwitchId":"vsw-bp1iqqmaj41noh2c8****","RegionId":"cn-hangzhou","SignatureType":"","stsTokenPlayerUid":1652665569470000},"eventSource":"ecs.aliyuncs.com","sourceIpAddress":"11.168.XX.XX","userIdentity":{"sessionContext":{"attributes":{"mfaAuthenticated":"false","creationDate":"2020-01-09T12:12:14Z"}},"accessKeyId":"STS.NUnj6nuqKaEoMZGsT****","accountId":"116214825062****","principalId":"31645666448606****:116214825062****","userName":"aliyunstreamdefaultrole:116214825062****","type":"assumed-role"},"eventType":"ApiCall","referencedResources":{"VSwitch":["vsw-bp1iqqma1noh402c8****"],"SecurityGroup":["sg-bp10mvd143r6lfks****"]},"serviceName":"Ecs","additionalEventData":{"Scheme":"http"},"apiVersion":"2014-05-26","requestId":"F23A3DD5-7842-4EF9-9DA1-3776396AD58D","eventTime":"2020-01-09T12:12:14Z","acsRegion":"cn-hangzhou","eventName":"CreateNetworkInterface"}"#;

fn samples() -> Vec<String> {
    let mut texts = vec![DESCRIBE.to_string(), CREATE_ENI.to_string()];
    for name in [
        "actiontrail-describe-instances.json",
        "actiontrail-create-network-interface.json",
    ] {
        texts.extend(common::shared_sample(name));
    }
    texts
}

/// The samples' ids are masked as published; a policy would read `****` as a wildcard, so the
/// masks are replaced by digits (as the samples' README asks) before they count as calls.
fn unmask(text: &str) -> String {
    text.replace("****", "0000")
        .replace("XX", "12")
        .replace("**", "55")
}

#[test]
fn requests_give_a_policy_on_stdout_and_a_summary_on_stderr() {
    let output = run(&["generate", "--requests", "-"], REQUESTS.as_bytes());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let policy = text(&output.stdout);
    let summary = text(&output.stderr);
    assert!(policy.starts_with("{\n  \"Version\": \"1\","), "{policy}");
    assert!(policy.contains("acs:ecs:cn-hangzhou:1234567890123456:instance/i-1"));
    assert!(
        summary.starts_with("generate: 6 records read, 3 calls used (3 distinct), 3 skipped"),
        "{summary}"
    );
    assert!(
        summary.contains("skipped 1 calls not to ECS: vpc (1)"),
        "{summary}"
    );
    assert!(
        summary.contains("skipped 1 calls to actions not in the catalog: ecs:DescribeInstance (1)"),
        "{summary}"
    );
    assert!(summary.contains("skipped 1 malformed records"), "{summary}");
    assert!(
        summary.contains("line 6 (record 6): malformed JSON"),
        "{summary}"
    );
    assert!(summary.contains("against a limit of 6144"), "{summary}");
    // Byte-identical for the same calls in another order.
    let mut lines: Vec<&str> = REQUESTS.lines().collect();
    lines.reverse();
    let again = run(
        &["generate", "--requests", "-"],
        lines.join("\n").as_bytes(),
    );
    assert_eq!(again.stdout, output.stdout);
}

#[test]
fn json_summary_and_conditions() {
    let output = run(
        &[
            "generate",
            "--requests",
            "-",
            "--condition",
            "acs:SourceIp",
            "--summary-format",
            "json",
        ],
        REQUESTS.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(summary["read"], 6);
    assert_eq!(summary["used"], 3);
    assert_eq!(summary["skipped_total"], 3);
    assert_eq!(summary["skipped"]["malformed"]["records"][0]["line"], 6);
    assert_eq!(
        summary["conditions"][0]["values"],
        serde_json::json!(["198.51.100.1", "203.0.113.7"])
    );
    assert_eq!(
        summary["size_counting"],
        "characters without insignificant whitespace"
    );
    let policy: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let start = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|statement| statement["Action"][0] == "ecs:StartInstance")
        .unwrap();
    assert_eq!(
        start["Condition"]["IpAddress"]["acs:SourceIp"],
        serde_json::json!(["198.51.100.1", "203.0.113.7"])
    );
}

#[test]
fn too_large_without_split_fails_and_split_writes_files() {
    let requests: String = (0..60)
        .map(|n| format!("{{\"action\": \"ecs:StartInstance\", \"account\": \"1234567890123456\", \"region\": \"cn-hangzhou\", \"params\": {{\"InstanceId\": \"i-{n:04}\"}}}}\n"))
        .chain((0..60).map(|n| format!("{{\"action\": \"ecs:DeleteDisk\", \"account\": \"1234567890123456\", \"region\": \"cn-beijing\", \"params\": {{\"DiskId\": \"d-{n:04}\"}}}}\n")))
        .collect();
    let output = run(
        &["generate", "--requests", "-", "--max-size", "150"],
        requests.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("it would take 2 policies: give `--split <DIR>`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("widened (size): `acs:ecs:*:1234567890123456:instance/*`"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
    let dir = std::env::temp_dir().join(format!("ram-policy-split-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let output = run(
        &[
            "generate",
            "--requests",
            "-",
            "--max-size",
            "150",
            "--split",
            dir.to_str().unwrap(),
        ],
        requests.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty());
    let first = std::fs::read_to_string(dir.join("policy-1.json")).unwrap();
    let second = std::fs::read_to_string(dir.join("policy-2.json")).unwrap();
    assert!(!dir.join("policy-3.json").exists());
    let set = PolicySet::parse(&[("1", first.as_str()), ("2", second.as_str())]).unwrap();
    for line in requests.lines() {
        let request = ram_policy::Request::from_json(line).unwrap();
        assert_eq!(evaluate(&set, &request).unwrap().decision, Decision::Allow);
    }
    // A second run that needs one policy replaces the first run's files and removes the
    // stale `policy-2.json`, saying so.
    let split = |bytes: &[u8]| {
        run(
            &[
                "generate",
                "--requests",
                "-",
                "--max-size",
                "150",
                "--split",
                dir.to_str().unwrap(),
            ],
            bytes,
        )
    };
    let one = requests.lines().next().unwrap();
    let output = split(one.as_bytes());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("replaced 1 file of an earlier --split run"),
        "{stderr}"
    );
    assert!(
        stderr.contains("policy-2.json (written by an earlier --split run"),
        "{stderr}"
    );
    assert!(dir.join("policy-1.json").exists());
    assert!(!dir.join("policy-2.json").exists());
    // A file the command did not write: refused, and nothing is written or removed.
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let before = std::fs::read_to_string(dir.join("policy-1.json")).unwrap();
    let output = split(requests.as_bytes());
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("holds files an earlier `generate --split` did not write: `notes.txt`"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("policy-1.json")).unwrap(),
        before
    );
    assert!(!dir.join("policy-2.json").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_usage_exits_2() {
    let output = run(
        &["generate", "--requests", "-", "--principal", "alice"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr)
        .contains("option `--principal`: applies to `--actiontrail` input only"));
    let output = run(&["generate", "--requests", "-", "--generalize", "all"], b"");
    assert_eq!(output.status.code(), Some(2));
    let output = run(
        &["generate", "--actiontrail", "-", "--since", "yesterday"],
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("`yesterday` is not an ISO 8601 time"));
    let output = run(&["generate", "--requests", "/nonexistent/file.json"], b"");
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["generate", "--requests", "-"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no call was used"));
    let output = run(&["generate"], b"");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn actiontrail_filters_are_reported() {
    let events = [
        r#"{"eventName":"StartInstance","eventSource":"ecs.aliyuncs.com","eventType":"ApiCall","eventTime":"2024-01-01T10:00:00Z","acsRegion":"cn-hangzhou","recipientAccountId":"1234567890123456","userIdentity":{"type":"ram-user","userName":"alice","accountId":"1234567890123456"},"requestParameters":{"InstanceId":"i-1"}}"#,
        r#"{"eventName":"StopInstance","eventSource":"ecs.aliyuncs.com","eventType":"ApiCall","eventTime":"2024-01-01T10:00:00Z","acsRegion":"cn-hangzhou","recipientAccountId":"1234567890123456","userIdentity":{"type":"ram-user","userName":"bob","accountId":"1234567890123456"},"requestParameters":{"InstanceId":"i-1"}}"#,
        r#"{"eventName":"StopInstance","eventSource":"ecs.aliyuncs.com","eventType":"ApiCall","eventTime":"2023-01-01T10:00:00Z","acsRegion":"cn-hangzhou","recipientAccountId":"1234567890123456","userIdentity":{"type":"ram-user","userName":"alice","accountId":"1234567890123456"},"requestParameters":{"InstanceId":"i-1"}}"#,
        r#"{"eventName":"DeleteInstance","eventSource":"ecs.aliyuncs.com","eventType":"ApiCall","eventTime":"2024-01-02T10:00:00Z","errorCode":"NoPermission","acsRegion":"cn-hangzhou","recipientAccountId":"1234567890123456","userIdentity":{"type":"ram-user","userName":"alice","accountId":"1234567890123456"},"requestParameters":{"InstanceId":"i-1"}}"#,
        r#"{"eventName":"CreateBucket","eventSource":"oss.aliyuncs.com","eventType":"ApiCall","eventTime":"2024-01-02T10:00:00Z","userIdentity":{"type":"ram-user","userName":"alice"}}"#,
        r#"{"eventName":"FrobInstance","eventSource":"ecs.aliyuncs.com","eventType":"ApiCall","eventTime":"2024-01-02T10:00:00Z","acsRegion":"cn-hangzhou","recipientAccountId":"1234567890123456","userIdentity":{"type":"ram-user","userName":"alice"}}"#,
        r#"{"eventName": oops}"#,
    ]
    .join("\n");
    let output = run(
        &[
            "generate",
            "--actiontrail",
            "-",
            "--principal",
            "alice",
            "--since",
            "2024-01-01",
        ],
        events.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let summary = text(&output.stderr);
    for expected in [
        "generate: 7 records read, 1 calls used (1 distinct), 6 skipped",
        "skipped 1 calls by another principal",
        "skipped 1 calls outside the time window",
        "skipped 1 failed calls (give `--include-failed` to count them): NoPermission (1)",
        "skipped 1 calls not to ECS: oss (1)",
        "skipped 1 calls to actions not in the catalog: ecs:FrobInstance (1)",
        "skipped 1 malformed records",
        "line 7 (record 7)",
    ] {
        assert!(summary.contains(expected), "{expected}\n{summary}");
    }
    let policy = text(&output.stdout);
    assert!(policy.contains("ecs:StartInstance") && !policy.contains("ecs:StopInstance"));
    let output = run(
        &[
            "generate",
            "--actiontrail",
            "-",
            "--principal",
            "alice",
            "--since",
            "2024-01-01",
            "--include-failed",
        ],
        events.as_bytes(),
    );
    assert!(text(&output.stdout).contains("ecs:DeleteInstance"));
}

#[test]
fn facade_and_samples_every_used_call_is_allowed() {
    let mut private_samples = 0;
    for sample in samples() {
        // As published, masked ids are not used: the summary says why.
        let raw = ram_policy::facade::generate(&sample, r#"{"input": "actiontrail"}"#);
        if let Ok(value) = &raw {
            assert_eq!(value["summary"]["skipped_total"], 0, "{value}");
        } else {
            let error = raw.unwrap_err();
            assert_eq!(error.kind(), "no_calls", "{error}");
        }
        let unmasked = unmask(&sample);
        let value = ram_policy::facade::generate(
            &unmasked,
            r#"{"input": "actiontrail", "conditions": ["acs:SourceIp"]}"#,
        )
        .unwrap();
        assert_eq!(value["summary"]["used"], 1, "{value}");
        assert_eq!(value["summary"]["lint"], serde_json::json!([]), "{value}");
        // A call from a private address gets no `acs:SourceIp` condition, and the summary says why.
        let condition = &value["summary"]["conditions"][0];
        let private = parse_events(&unmasked).into_iter().any(|event| {
            let request = event.unwrap().into_request();
            request.context.get("acs:SourceIp").is_some_and(|values| {
                values.iter().any(|value| {
                    ram_policy::__private::condition::parse_network(value)
                        .is_some_and(|network| ram_policy::__private::facts::is_private(&network))
                })
            })
        });
        private_samples += usize::from(private);
        assert_eq!(
            condition["omitted"]
                .as_array()
                .unwrap()
                .iter()
                .any(|reason| reason.as_str().unwrap().contains("private address")),
            private,
            "{value}"
        );
        let text = value["policy_text"].as_str().unwrap();
        let set = PolicySet::parse(&[("generated", text)]).unwrap();
        for event in parse_events(&unmasked) {
            let request = event.unwrap().into_request();
            let evaluation = evaluate(&set, &request).unwrap();
            assert_eq!(evaluation.decision, Decision::Allow, "{request:?}\n{text}");
        }
    }
    // The embedded copy of the DescribeInstances sample comes from `10.10.**.**`.
    assert!(private_samples >= 1);
    // Bad options are errors with a kind.
    let error = ram_policy::facade::generate("", r#"{"generalize": "all"}"#).unwrap_err();
    assert_eq!(error.kind(), "bad_option");
    let error = ram_policy::facade::generate("", r#"{"nope": 1}"#).unwrap_err();
    assert_eq!(error.kind(), "bad_option");
    // RAM rejects a document over 6,144 characters, so no larger limit is accepted.
    let error = ram_policy::facade::generate("", r#"{"max_size": 6145}"#).unwrap_err();
    assert_eq!(error.kind(), "bad_option");
    assert!(error.to_string().contains("at most 6144"), "{error}");
    let output = run(
        &["generate", "--requests", "-", "--max-size", "10000"],
        REQUESTS.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--max-size"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn actions_authorized_only_on_star_still_lint_clean() {
    // RAM checks only `*` for these sensitive actions, so `*` is the least privilege there is:
    // lint says so as a suggestion, never at `warning` or above.
    let requests = [
        r#"{"action":"ecs:InvokeCommand","account":"1234567890123456","region":"cn-hangzhou","params":{"CommandId":"c-1","InstanceId":"[\"i-1\"]"}}"#,
        r#"{"action":"ecs:DeleteCommand","account":"1234567890123456","region":"cn-hangzhou","params":{"CommandId":"c-1"}}"#,
        r#"{"action":"ecs:DescribeUserData","account":"1234567890123456","region":"cn-hangzhou","params":{"InstanceId":"i-1"}}"#,
    ]
    .join("\n");
    let output = run(
        &["generate", "--requests", "-", "--summary-format", "json"],
        requests.as_bytes(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap();
    assert_eq!(summary["lint"], serde_json::json!([]), "{summary}");
    let lint = run(
        &["lint", "-", "--fail-on", "warning", "--format", "json"],
        &output.stdout,
    );
    assert_eq!(lint.status.code(), Some(0), "{}", text(&lint.stdout));
    assert_eq!(
        text(&lint.stdout)
            .matches("UNSCOPABLE_SENSITIVE_ACTION")
            .count(),
        3,
        "{}",
        text(&lint.stdout)
    );
}
