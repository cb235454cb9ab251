#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! SARIF output validates against the SARIF 2.1.0 schema and carries the same findings as the
//! JSON output; lint never panics, whatever the input.

mod common;

use proptest::prelude::*;
use ram_policy::lint::to_sarif;
use ram_policy::lint::{lint, rules, FileReport};
use serde_json::Value;

/// A report over every bad example of rules.json.
fn reports() -> Vec<FileReport> {
    rules()
        .iter()
        .filter(|rule| !rule.bad.starts_with("$generated:"))
        .map(|rule| FileReport {
            file: format!("examples/{}.json", rule.code.to_ascii_lowercase()),
            findings: lint(&rule.bad),
        })
        .collect()
}

#[test]
fn sarif_validates_against_the_schema() {
    let Some(path) = common::shared_path("schemas/sarif-schema-2.1.0.json") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let sarif = to_sarif(&reports());
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let driver_rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(driver_rules.len(), rules().len());
}

#[test]
fn json_and_sarif_carry_the_same_findings() {
    let reports = reports();
    let mut from_json = Vec::new();
    for report in &reports {
        let value = ram_policy::facade::lint(
            &rules()
                .iter()
                .find(|rule| {
                    report
                        .file
                        .ends_with(&format!("/{}.json", rule.code.to_ascii_lowercase()))
                })
                .unwrap()
                .bad,
        );
        for finding in value["findings"].as_array().unwrap() {
            from_json.push((
                report.file.clone(),
                finding["code"].as_str().unwrap().to_string(),
                finding["line"].as_u64().unwrap(),
                finding["column"].as_u64().unwrap(),
                finding["end_line"].as_u64().unwrap(),
                finding["end_column"].as_u64().unwrap(),
            ));
        }
    }
    let sarif = to_sarif(&reports);
    let mut from_sarif = Vec::new();
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        let region = &location["region"];
        from_sarif.push((
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_string(),
            result["ruleId"].as_str().unwrap().to_string(),
            region["startLine"].as_u64().unwrap(),
            region["startColumn"].as_u64().unwrap(),
            region["endLine"].as_u64().unwrap(),
            region["endColumn"].as_u64().unwrap(),
        ));
        assert!(result["partialFingerprints"].is_object());
    }
    assert!(!from_json.is_empty());
    assert_eq!(from_json, from_sarif);
}

/// Random JSON values, shallow and policy-flavoured.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        prop_oneof![
            Just("*".to_string()),
            Just("Allow".to_string()),
            Just("ecs:Describe*".to_string()),
            Just("acs:ecs:*:*:instance/*".to_string()),
            Just("acs:SourceIp".to_string()),
            Just("10.0.0.0/8".to_string()),
            "[a-zA-Z:*?/$-]{0,12}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("Version".to_string()),
                        Just("Statement".to_string()),
                        Just("Effect".to_string()),
                        Just("Action".to_string()),
                        Just("NotAction".to_string()),
                        Just("Resource".to_string()),
                        Just("Condition".to_string()),
                        Just("StringLike".to_string()),
                        Just("Bool".to_string()),
                        Just("IpAddress".to_string()),
                        "[a-zA-Z:]{1,8}",
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lint_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = lint(&text);
    }

    #[test]
    fn lint_never_panics_on_random_json(value in json_value()) {
        let text = serde_json::to_string_pretty(&value).unwrap();
        for finding in lint(&text) {
            prop_assert!(finding.region.offset <= finding.region.end_offset);
            prop_assert!(text.get(finding.region.offset..finding.region.end_offset).is_some());
            if let Some(fix) = &finding.fix {
                prop_assert!(fix.apply(&text).is_some());
            }
        }
    }

    #[test]
    fn lint_never_panics_on_random_statements(
        effect in prop_oneof![Just("Allow"), Just("Deny")],
        actions in proptest::collection::vec("(ecs|vpc|ram|\\*):[A-Za-z*?]{0,10}", 0..4),
        resources in proptest::collection::vec("(\\*|acs:ecs:[a-z*-]{0,8}:[0-9*]{0,4}:[a-z/*?-]{0,10})", 0..4),
    ) {
        let statement = serde_json::json!({"Effect": effect, "Action": actions, "Resource": resources});
        let text = serde_json::to_string(&serde_json::json!({"Version": "1", "Statement": [statement.clone(), statement]})).unwrap();
        let _ = lint(&text);
    }
}
