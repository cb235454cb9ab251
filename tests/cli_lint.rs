//! `ram-policy lint` and `ram-policy rules`, driven as a user would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::run_in;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/lint");

fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_in(Path::new(DATA), args, stdin)
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

fn codes(value: &Value) -> Vec<String> {
    value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

/// A scratch directory of its own for a test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("ram-policy-cli-lint-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn text_output_annotates_the_source_and_summarises_on_stderr() {
    let output = run(&["lint", "typos.json"], b"");
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.contains("typos.json:4:36"), "{text}");
    assert!(text.contains("[INVALID_ACTION]"));
    assert!(text.contains("^^^^"));
    assert!(
        !text.contains('\u{1b}'),
        "no colour when NO_COLOR is set or not a terminal"
    );
    assert_eq!(
        stderr(&output).trim(),
        "1 file, 3 findings: 2 errors, 0 security warnings, 1 warning, 0 suggestions"
    );
}

#[test]
fn json_output_carries_file_and_position() {
    let output = run(&["lint", "--format", "json", "typos.json"], b"");
    assert_eq!(code(&output), 1);
    let value = json(&output);
    let first = &value["findings"][0];
    assert_eq!(first["file"], "typos.json");
    assert_eq!(first["code"], "INVALID_ACTION");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "/Statement/0/Action/0");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 36);
    assert_eq!(first["end_line"], 4);
    assert_eq!(first["end_column"], 58);
    assert_eq!(
        first["fix"]["edits"][0]["replacement"],
        "\"ecs:DescribeInstances\""
    );
    assert_eq!(
        codes(&value),
        vec!["INVALID_ACTION", "INVALID_REGION", "UNKNOWN_CONDITION_KEY"]
    );
    assert!(stderr(&output).is_empty());
}

#[test]
fn fail_on_sets_the_threshold() {
    // Only suggestions: 0 by default, 1 with --fail-on suggestion.
    let file = "nested/deeper/mergeable.json";
    assert_eq!(code(&run(&["lint", file], b"")), 0);
    assert_eq!(
        code(&run(&["lint", "--fail-on", "suggestion", file], b"")),
        1
    );
    // A security warning: 1 by default, 0 with --fail-on error.
    assert_eq!(code(&run(&["lint", "admin.json"], b"")), 1);
    assert_eq!(
        code(&run(&["lint", "--fail-on", "error", "admin.json"], b"")),
        0
    );
    assert_eq!(
        code(&run(
            &["lint", "--fail-on", "security_warning", "admin.json"],
            b""
        )),
        1
    );
    assert_eq!(
        code(&run(&["lint", "--fail-on", "fatal", "admin.json"], b"")),
        2
    );
}

#[test]
fn directories_are_searched_recursively_in_order() {
    let output = run(&["lint", "--format", "json", "."], b"");
    assert_eq!(code(&output), 1);
    let value = json(&output);
    let mut files: Vec<String> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    files.dedup();
    assert_eq!(
        files,
        vec![
            "./admin.json",
            "./nested/deeper/mergeable.json",
            "./not-json.json",
            "./typos.json"
        ]
    );
}

#[test]
fn standard_input_and_invalid_json_are_findings() {
    let output = run(&["lint", "--format", "json", "-"], b"{\"Version\": ");
    assert_eq!(code(&output), 1);
    let value = json(&output);
    assert_eq!(codes(&value), vec!["JSON_SYNTAX_ERROR"]);
    assert_eq!(value["findings"][0]["file"], "<stdin>");
    let output = run(&["lint", "not-json.json"], b"");
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).contains("[JSON_SYNTAX_ERROR]"));
}

#[test]
fn unreadable_paths_and_usage_errors_exit_2() {
    let output = run(&["lint", "missing.json", "admin.json"], b"");
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("cannot read `missing.json`"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("FULL_ADMIN_ACCESS"),
        "the other files are still linted"
    );
    assert_eq!(code(&run(&["lint"], b"")), 2);
    assert_eq!(
        code(&run(&["lint", "--format", "xml", "admin.json"], b"")),
        2
    );
    assert_eq!(
        code(&run(
            &["lint", "--config", "missing.toml", "admin.json"],
            b""
        )),
        2
    );
}

#[test]
fn config_disables_changes_severity_and_ignores_paths() {
    let dir = scratch("config");
    std::fs::create_dir_all(dir.join("legacy")).unwrap();
    let admin = std::fs::read_to_string(Path::new(DATA).join("admin.json")).unwrap();
    std::fs::write(dir.join("legacy/admin.json"), &admin).unwrap();
    std::fs::write(dir.join("admin.json"), &admin).unwrap();
    // No config: both fire.
    assert_eq!(code(&run_in(&dir, &["lint", "admin.json"], b"")), 1);
    // ./ram-policy.toml is picked up: ignore for legacy/**, and fail-on from the file.
    std::fs::write(
        dir.join("ram-policy.toml"),
        "fail-on = \"error\"\n[[ignore]]\npaths = [\"legacy/**\"]\ncodes = [\"FULL_ADMIN_ACCESS\"]\n",
    )
    .unwrap();
    let output = run_in(
        &dir,
        &[
            "lint",
            "--format",
            "json",
            "legacy/admin.json",
            "admin.json",
        ],
        b"",
    );
    assert_eq!(code(&output), 0, "fail-on error from the config file");
    let value = json(&output);
    assert_eq!(codes(&value), vec!["FULL_ADMIN_ACCESS"]);
    assert_eq!(value["findings"][0]["file"], "admin.json");
    // The command line wins over the file.
    assert_eq!(
        code(&run_in(
            &dir,
            &["lint", "--fail-on", "warning", "admin.json"],
            b""
        )),
        1
    );
    // --config: disable a check, and raise a severity.
    std::fs::write(
        dir.join("strict.toml"),
        "[rules]\ndisable = [\"FULL_ADMIN_ACCESS\"]\n",
    )
    .unwrap();
    let output = run_in(
        &dir,
        &[
            "lint",
            "--config",
            "strict.toml",
            "--format",
            "json",
            "admin.json",
        ],
        b"",
    );
    assert_eq!(code(&output), 0);
    assert!(codes(&json(&output)).is_empty());
    std::fs::write(
        dir.join("severity.toml"),
        "[rules.severity]\nFULL_ADMIN_ACCESS = \"error\"\n",
    )
    .unwrap();
    let output = run_in(
        &dir,
        &[
            "lint",
            "--config",
            "severity.toml",
            "--format",
            "json",
            "--fail-on",
            "error",
            "admin.json",
        ],
        b"",
    );
    assert_eq!(code(&output), 1);
    assert_eq!(json(&output)["findings"][0]["severity"], "error");
    // An invalid configuration is a usage error.
    std::fs::write(dir.join("bad.toml"), "[rules]\ndisable = [\"NOPE\"]\n").unwrap();
    let output = run_in(&dir, &["lint", "--config", "bad.toml", "admin.json"], b"");
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("unknown check `NOPE`"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_lists_every_check() {
    let output = run(&["rules"], b"");
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert_eq!(text.lines().count(), ram_policy::lint::rules().len());
    assert!(text.contains("SERVICE_WILDCARD"));
    let output = run(&["rules", "--format", "json"], b"");
    assert_eq!(
        json(&output)["rules"].as_array().unwrap().len(),
        ram_policy::lint::rules().len()
    );
    let output = run(&["rules", "--format", "markdown"], b"");
    assert_eq!(stdout(&output), ram_policy::lint::rules_markdown());
}

#[test]
fn sarif_output_lists_the_findings() {
    let output = run(
        &["lint", "--format", "sarif", "typos.json", "admin.json"],
        b"",
    );
    assert_eq!(code(&output), 1);
    let value = json(&output);
    assert_eq!(value["version"], "2.1.0");
    assert_eq!(value["runs"][0]["results"].as_array().unwrap().len(), 4);
}
