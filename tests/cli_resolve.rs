//! The `ram-policy resolve` and `actions` commands, driven as a user would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::run;
use std::process::Output;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn resolves_json_exactly_as_documented() {
    let request = br#"{"action": "ecs:runinstances", "account": "1234567890123456", "region": "cn-hangzhou",
        "params": {"ImageId": "m-abc", "SecurityGroupIds.2": "sg-2", "SecurityGroupIds.1": "sg-1"}}"#;
    let output = run(&["resolve", "-", "--format", "json"], request);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let object = value.as_object().unwrap();
    assert_eq!(object.len(), 2, "only `action` and `resources`: {value}");
    assert_eq!(value["action"], "ecs:RunInstances");
    let resources: Vec<&str> = value["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(resources.contains(&"acs:ecs:cn-hangzhou:1234567890123456:securitygroup/sg-1"));
    let first = resources
        .iter()
        .position(|arn| arn.ends_with("sg-1"))
        .unwrap();
    let second = resources
        .iter()
        .position(|arn| arn.ends_with("sg-2"))
        .unwrap();
    assert!(first < second, "values keep request order: {resources:?}");
}

#[test]
fn text_output_names_the_parameter_of_each_value() {
    let request = br#"{"action": "RunInstances", "account": "1", "region": "cn-hangzhou",
        "params": {"ImageId": "m-abc", "SecurityGroupId": "sg-1"}}"#;
    let output = run(&["resolve", "-"], request);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("ecs:RunInstances\n"), "{text}");
    assert!(
        text.contains("acs:ecs:cn-hangzhou:1:securitygroup/sg-1"),
        "{text}"
    );
    assert!(text.contains("(from SecurityGroupId)"), "{text}");
}

#[test]
fn malformed_json_reports_line_and_column() {
    let output = run(
        &["resolve", "-"],
        b"{\n  \"action\": \"ecs:StartInstance\",\n  oops\n}",
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("<stdin>"), "{message}");
    assert!(message.contains("line 3, column 3"), "{message}");
}

#[test]
fn malformed_json_as_data_carries_the_position() {
    let output = run(&["resolve", "-", "--format", "json"], b"{\"action\": }");
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["error"]["kind"], "malformed_json");
    assert_eq!(value["error"]["line"], 1);
    assert_eq!(value["error"]["column"], 12);
}

#[test]
fn unknown_action_suggests_the_nearest_names() {
    let output = run(
        &["resolve", "-"],
        br#"{"action": "ecs:DescribeInstnces", "account": "1", "region": "cn-hangzhou"}"#,
    );
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("unknown action `ecs:DescribeInstnces`"),
        "{message}"
    );
    assert!(
        message.contains("did you mean `ecs:DescribeInstances`"),
        "{message}"
    );
}

#[test]
fn missing_required_parameter_names_action_and_parameter() {
    let output = run(
        &["resolve", "-", "--format", "json"],
        br#"{"action": "ecs:AttachDisk", "account": "1", "region": "cn-hangzhou", "params": {"DiskId": "d-1"}}"#,
    );
    assert_eq!(output.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["error"]["kind"], "missing_parameter");
    let message = value["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("`ecs:AttachDisk`") && message.contains("`InstanceId`"),
        "{message}"
    );
}

#[test]
fn non_object_params_are_rejected_with_a_pointer() {
    let output = run(
        &["resolve", "-"],
        br#"{"action": "ecs:RunInstances", "params": ["ImageId"]}"#,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`/params` must be an object, found an array"));
    let output = run(
        &["resolve", "-"],
        br#"{"action": "ecs:RunInstances", "params": {"ImageId": {"a": [[1]]}}}"#,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`/params/ImageId/a/0` must be a string, number or boolean"));
    // A structure where the API takes one value is read as `ImageId.a`, which it cannot place.
    let output = run(
        &["resolve", "-"],
        br#"{"action": "ecs:RunInstances", "account": "1", "region": "cn-hangzhou", "params": {"ImageId": {"a": "m-1"}}}"#,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("parameter `ImageId.a` of `ecs:RunInstances` has parts below `ImageId`"),
        "{}",
        stderr(&output)
    );
}

/// Every shape of RunInstances' `SecurityGroupIds` is either read into the security-group ARNs
/// RAM checks or refused with exit 2 naming the parameter; none is dropped.
#[test]
fn security_group_ids_in_every_shape_are_resolved_or_refused() {
    let resolved = [
        r#""SecurityGroupIds.1": "sg-1", "SecurityGroupIds.2": "sg-2""#,
        r#""SecurityGroupIds": ["sg-1", "sg-2"]"#,
        r#""SecurityGroupIds": "[\"sg-1\",\"sg-2\"]""#,
        r#""SecurityGroupIds.N": ["sg-1", "sg-2"]"#,
        r#""NetworkInterface": [{"SecurityGroupIds": ["sg-1", "sg-2"]}]"#,
        r#""NetworkInterface.1.SecurityGroupId": "sg-2", "SecurityGroupIds": "sg-1""#,
    ];
    for params in resolved {
        let request = format!(
            r#"{{"action": "ecs:RunInstances", "account": "1", "region": "cn-hangzhou", "params": {{"ImageId": "m-1", {params}}}}}"#
        );
        let output = run(&["resolve", "-", "--format", "json"], request.as_bytes());
        assert_eq!(
            output.status.code(),
            Some(0),
            "{params}: {}",
            stderr(&output)
        );
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let arns: Vec<&str> = value["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|arn| arn.as_str())
            .filter(|arn| arn.contains("securitygroup/"))
            .collect();
        assert_eq!(
            arns,
            [
                "acs:ecs:cn-hangzhou:1:securitygroup/sg-1",
                "acs:ecs:cn-hangzhou:1:securitygroup/sg-2"
            ],
            "{params}"
        );
    }
    let refused = [
        (r#""SecurityGroupIds": "sg-1,sg-2""#, "`SecurityGroupIds`"),
        (
            r#""SecurityGroupIds": "[sg-1, sg-2]""#,
            "`SecurityGroupIds`",
        ),
        (
            r#""SecurityGroupIds.1": ["sg-1", "sg-2"]"#,
            "`SecurityGroupIds.1`",
        ),
        (r#""SecurityGroupIds.0": "sg-1""#, "`SecurityGroupIds.0`"),
        (r#""securityGroupIds.1": "sg-1""#, "`securityGroupIds.1`"),
        (
            r#""SecurityGroupId": "[\"sg-1\",\"sg-2\"]""#,
            "`SecurityGroupId`",
        ),
    ];
    for (params, named) in refused {
        let request = format!(
            r#"{{"action": "ecs:RunInstances", "account": "1", "region": "cn-hangzhou", "params": {{"ImageId": "m-1", {params}}}}}"#
        );
        let output = run(&["resolve", "-", "--format", "json"], request.as_bytes());
        assert_eq!(output.status.code(), Some(2), "{params}");
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(value["error"]["kind"], "bad_parameter", "{params}");
        let message = value["error"]["message"].as_str().unwrap();
        assert!(message.contains(named), "{params}: {message}");
    }
}

/// A parameter that only the derived condition keys read (`SecurityGroupIds` of CreateInstance,
/// which the API does not declare, given both as one value and as a list item) is read by
/// `resolve` as `eval` reads it: both refuse the request with the same error (found by the
/// `evaluate` fuzz target), in both catalog editions.
#[test]
fn resolve_refuses_what_eval_refuses_with_the_same_error() {
    let request = br#"{"action": "ecs:CreateInstance", "account": "1234567890123456", "region": "cn-hangzhou",
        "params": {"ImageId": "m-1", "InstanceType": "ecs.g6.large", "SecurityGroupId": "sg-0",
                   "SecurityGroupIds": "sg-1", "SecurityGroupIds.1": "sg-2"}}"#;
    let dir = std::env::temp_dir().join(format!("ram-policy-resolve-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("p.json");
    std::fs::write(
        &policy,
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:*", "Resource": "*"}]}"#,
    )
    .unwrap();
    let policy = policy.to_str().unwrap();
    for edition in ["current", "seed"] {
        let resolved = run(
            &[
                "--catalog-edition",
                edition,
                "resolve",
                "-",
                "--format",
                "json",
            ],
            request,
        );
        let evaluated = run(
            &[
                "--catalog-edition",
                edition,
                "eval",
                "--policy",
                policy,
                "--request",
                "-",
                "--format",
                "json",
            ],
            request,
        );
        assert_eq!(
            resolved.status.code(),
            Some(2),
            "{edition}: {}",
            stderr(&resolved)
        );
        assert_eq!(evaluated.status.code(), Some(2), "{edition}");
        let resolved: serde_json::Value = serde_json::from_slice(&resolved.stdout).unwrap();
        let evaluated: serde_json::Value = serde_json::from_slice(&evaluated.stdout).unwrap();
        assert_eq!(resolved["error"], evaluated["error"], "{edition}");
        assert_eq!(resolved["error"]["kind"], "bad_parameter");
        let message = resolved["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("`SecurityGroupIds.1`") && message.contains("ecs:CreateInstance"),
            "{message}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unreadable_inputs_are_clear_errors() {
    let output = run(&["resolve", "/nonexistent/request.json"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read `/nonexistent/request.json`"));
    let output = run(&["resolve", "-"], &[0xff, 0xfe, b'{']);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not UTF-8"), "{}", stderr(&output));
    let output = run(&["resolve", "-"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("malformed JSON"),
        "{}",
        stderr(&output)
    );
    let output = run(&["resolve", env!("CARGO_MANIFEST_DIR")], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is a directory"));
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    let output = run(&["resolve"], b"");
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["--help"], b"");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(
        help.contains("Exit codes:") && help.contains("2  bad input or usage"),
        "{help}"
    );
}

#[test]
fn actions_lists_the_catalog_as_text_and_json() {
    let output = run(&["actions", "--format", "json"], b"");
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let actions = value["actions"].as_array().unwrap();
    assert!(actions
        .iter()
        .any(|action| action["action"] == "ecs:RunInstances"));
    let output = run(&["actions"], b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .contains("ecs:DescribeInstances"));
}
