//! The `ram-policy explain` command, driven as a user would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::run;
use std::path::{Path, PathBuf};
use std::process::Output;

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn case(name: &str) -> String {
    format!("tests/data/explain/{name}")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ram-policy-cli-explain-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_denied_request_exits_1_with_the_decision_first() {
    let dir = case("near-miss-action");
    let output = run(
        &[
            "explain",
            "--policy",
            &format!("{dir}/policies"),
            "--request",
            &format!("{dir}/request.json"),
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("DENIED (no statement allows it)\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{dir}/policies/readonly.json:4:5")),
        "{text}"
    );
    assert!(
        text.contains("did you mean `ecs:DescribeInstances`?"),
        "{text}"
    );
}

#[test]
fn an_allowed_call_exits_0_and_json_has_the_same_content() {
    let dir = case("actiontrail-describe-instances");
    let args = [
        "explain",
        "--policy",
        &format!("{dir}/policies/AliyunECSReadOnlyAccess.json"),
        "--actiontrail",
        "-",
    ];
    let event = std::fs::read(format!(
        "{}/{dir}/actiontrail.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let output = run(&args, &event);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("ALLOWED\n"));
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let output = run(&json_args, &event);
    assert_eq!(output.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["input"], "actiontrail");
    assert_eq!(value["explanations"][0]["headline"], "ALLOWED");
    assert_eq!(value["explanations"][0]["ram"]["agrees"], true);
}

#[test]
fn context_overrides_the_request_and_directories_are_walked_sorted() {
    let dir = temp_dir("walk");
    std::fs::create_dir_all(dir.join("b/nested")).unwrap();
    std::fs::write(
        dir.join("b/nested/allow.json"),
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RebootInstance","Resource":"*",
           "Condition":{"IpAddress":{"acs:SourceIp":"198.51.100.0/24"}}}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("a.json"),
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:StopInstance","Resource":"*"}]}"#,
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "not a policy").unwrap();
    let request = case("ip-condition") + "/request.json";
    let policy_dir = dir.to_string_lossy().into_owned();
    let output = run(
        &["explain", "--policy", &policy_dir, "--request", &request],
        b"",
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    let allow = Path::new(&policy_dir).join("b/nested/allow.json");
    assert!(
        text.contains(&allow.to_string_lossy().into_owned()),
        "{text}"
    );
    let output = run(
        &[
            "explain",
            "--policy",
            &policy_dir,
            "--request",
            &request,
            "--context",
            "acs:SourceIp=198.51.100.7",
            "--format",
            "json",
        ],
        b"",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["decision"], "Allow");
    assert_eq!(value["context_keys"][0]["values"][0], "198.51.100.7");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_2() {
    let dir = case("near-miss-action");
    let policy = format!("{dir}/policies");
    for (args, stdin, needle) in [
        (
            vec!["explain", "--policy", &policy, "--request", "-"],
            &b"{not json"[..],
            "malformed JSON",
        ),
        (
            vec!["explain", "--policy", &policy, "--request", "-"],
            br#"{"action":"ecs:DescribeInstancez","account":"1","region":"cn-hangzhou"}"#,
            "did you mean",
        ),
        (
            vec!["explain", "--policy", "no/such/dir", "--request", "-"],
            b"{}",
            "cannot read",
        ),
        (
            vec!["explain", "--policy", &policy, "--error", "-"],
            br#"{"hello": 1}"#,
            "neither an ECS error body",
        ),
        (
            vec![
                "explain",
                "--policy",
                &policy,
                "--request",
                "-",
                "--context",
                "novalue",
            ],
            b"{}",
            "KEY=VALUE",
        ),
        (
            vec![
                "explain",
                "--policy",
                &policy,
                "--request",
                "-",
                "--context",
                "=value",
            ],
            b"{}",
            "has an empty key",
        ),
        (vec!["explain", "--policy", &policy], b"", "required"),
    ] {
        let output = run(&args, stdin);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(needle),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let bad_policy = temp_dir("bad-policy");
    std::fs::write(
        bad_policy.join("p.json"),
        r#"{"Version":"1","Statement":[{"Effect":"Allow"}]}"#,
    )
    .unwrap();
    let output = run(
        &[
            "explain",
            "--policy",
            &bad_policy.to_string_lossy(),
            "--request",
            "-",
            "--format",
            "json",
        ],
        br#"{"action":"ecs:DescribeRegions"}"#,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["error"]["kind"], "invalid_policy");
    let _ = std::fs::remove_dir_all(&bad_policy);
}

#[test]
fn help_documents_inputs_and_exit_codes() {
    let output = run(&["explain", "--help"], b"");
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for needle in [
        "--request",
        "--actiontrail",
        "--error",
        "--all",
        "--context",
        "0  the call is allowed",
        "1  the call is denied",
        "2  bad input",
        "acs:CurrentTime",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
}

/// The default text shows a statement's source once; `--verbose` under every ARN it is named for.
#[test]
fn statement_sources_are_shown_once_unless_verbose() {
    let args = [
        "explain",
        "--policy",
        "policies/ecs-operator-start-stop.json",
        "--request",
        "tests/data/examples/run-instances.json",
    ];
    let brief = stdout(&run(&args, b""));
    let verbose = stdout(&run(&[&args[..], &["--verbose"]].concat(), b""));
    let excerpt = r#"      6 |       "Action": ["#;
    assert_eq!(brief.matches(excerpt).count(), 1, "{brief}");
    assert_eq!(verbose.matches(excerpt).count(), 5, "{verbose}");
    assert!(brief.contains("(its source is shown above; --verbose shows it here too)"));
    // Nothing else differs: every difference is still listed with its line and column.
    assert_eq!(
        brief
            .matches("does not cover `ecs:RunInstances` (line 6:17)")
            .count(),
        verbose
            .matches("does not cover `ecs:RunInstances` (line 6:17)")
            .count()
    );
}
