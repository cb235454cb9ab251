#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The example policies in `policies/` lint clean (no finding at all) and validate against the
//! JSON Schema in `schemas/`; `docs/lints.md` is exactly `ram-policy rules --format markdown`.

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn policies() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(Path::new(ROOT).join("policies"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect()
}

fn schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(Path::new(ROOT).join("schemas/ram-policy.schema.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn every_example_policy_lints_clean() {
    for (path, text) in policies() {
        let findings = ram_policy::lint::lint(&text);
        assert!(findings.is_empty(), "{path}: {findings:#?}");
    }
}

#[test]
fn every_example_policy_validates_against_the_schema() {
    let validator = schema();
    for (path, text) in policies() {
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
    }
}

#[test]
fn the_schema_rejects_what_ram_rejects() {
    let validator = schema();
    for bad in [
        r#"{"Version": "2012-10-17", "Statement": []}"#,
        r#"{"Version": "1", "Statement": [{"Effect": "allow", "Action": "ecs:A", "Resource": "*"}]}"#,
        r#"{"Version": "1", "Statement": [{"Sid": "x", "Effect": "Allow", "Action": "ecs:A", "Resource": "*"}]}"#,
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:A", "NotAction": "ecs:B", "Resource": "*"}]}"#,
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:A", "Resource": "*", "Condition": {"StringEqualsIfExists": {"acs:SourceVpc": "v"}}}]}"#,
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:A", "Resource": {"arn": "*"}}]}"#,
        r#"{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:A"}]}"#,
    ] {
        let value: serde_json::Value = serde_json::from_str(bad).unwrap();
        assert!(!validator.is_valid(&value), "{bad}");
    }
}

#[test]
fn the_schema_accepts_the_system_policies_and_good_examples() {
    let validator = schema();
    for rule in ram_policy::lint::rules() {
        let value: serde_json::Value = serde_json::from_str(&rule.good).unwrap();
        assert!(validator.is_valid(&value), "{}", rule.code);
    }
}

#[test]
fn docs_lints_md_is_generated_from_the_rules() {
    let committed = std::fs::read_to_string(Path::new(ROOT).join("docs/lints.md")).unwrap();
    assert!(
        committed == ram_policy::lint::rules_markdown(),
        "docs/lints.md is stale: run `cargo run -- rules --format markdown > docs/lints.md`"
    );
}
