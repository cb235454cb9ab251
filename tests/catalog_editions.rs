//! The two catalog editions side by side: what `current` adds (every reference action and every
//! ECS/VPC API), what it keeps from the seed, the resolve cases that differ only where
//! docs/catalog.md names a difference, the option and the environment variable, and a DenyBuy
//! guard on an action only today's data knows.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ram_policy::catalog::{api, authorization, Catalog, Edition};
use ram_policy::eval::{evaluate_with, Decision, PolicySet};
use ram_policy::resolve_with;
use ram_policy::Request;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

mod common;

const CASES: &str = include_str!("data/resolve/cases.jsonl");

fn actions_json(edition: &str) -> Vec<Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_ram-policy"))
        .args(["actions", "--format", "json", "--catalog-edition", edition])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["edition"], edition);
    value["actions"].as_array().unwrap().clone()
}

#[test]
fn current_lists_every_reference_action_every_api_and_the_seed() {
    let listed: BTreeSet<String> = actions_json("current")
        .iter()
        .map(|action| action["action"].as_str().unwrap().to_ascii_lowercase())
        .collect();
    for service in authorization::services().unwrap() {
        for action in &service.actions {
            let name = format!("{}:{}", service.service, action.name).to_ascii_lowercase();
            assert!(listed.contains(&name), "{name}");
        }
    }
    for service in api::services().unwrap() {
        for api in service.apis() {
            let name = format!("{}:{}", service.service(), api.name()).to_ascii_lowercase();
            assert!(listed.contains(&name), "{name}");
        }
    }
    let seed = Catalog::edition(Edition::Seed).unwrap();
    let table = seed
        .actions()
        .iter()
        .filter(|action| action.entry().table_line.is_some())
        .count();
    let overview = seed
        .actions()
        .iter()
        .filter(|action| action.entry().overview_line.is_some())
        .count();
    assert_eq!((table, overview), (80, 150));
    for action in seed.actions() {
        assert!(
            listed.contains(&action.qualified_name().to_ascii_lowercase()),
            "{}",
            action.qualified_name()
        );
    }
    // The seed edition is the 2020 table alone.
    assert_eq!(actions_json("seed").len(), 161);
}

#[test]
fn actions_show_service_access_level_resource_types_keys_and_source() {
    let actions = actions_json("current");
    let invoke = actions
        .iter()
        .find(|action| action["action"] == "ecs:InvokeCommand")
        .unwrap();
    assert_eq!(invoke["service"], "ecs");
    assert_eq!(invoke["access_level"], "update");
    assert_eq!(invoke["source"], "reference");
    assert_eq!(
        invoke["resource_types"],
        serde_json::json!(["Command", "Instance"])
    );
    assert_eq!(
        invoke["condition_keys"],
        serde_json::json!(["ecs:CommandRunAs"])
    );
    assert_eq!(invoke["seed_resources"], serde_json::json!([]));
    let vpc = actions
        .iter()
        .find(|action| action["action"] == "vpc:TagResources")
        .unwrap();
    assert_eq!(vpc["source"], "api_metadata");
    assert_eq!(vpc["authorization_documented"], false);
    let text = common::run(&["--catalog-edition", "current", "actions"], b"");
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("catalog edition: current"));
    assert!(text.contains("condition keys: ecs:CommandRunAs"));
}

/// Each resolve case gives the same ARNs in `current`, except for actions whose checked resources
/// differ between the editions (the table of docs/catalog.md, generated from the same facts).
#[test]
fn resolve_cases_differ_only_where_the_docs_name_a_difference() {
    let current = Catalog::edition(Edition::Current).unwrap();
    let seed = Catalog::edition(Edition::Seed).unwrap();
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/catalog.md"),
    )
    .unwrap();
    let mut differing = BTreeSet::new();
    for line in CASES.lines().filter(|line| !line.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let request = Request::from_value(&case["request"], "").unwrap();
        let before = resolve_with(seed, &request).map(|r| r.arns().join(" "));
        let after = resolve_with(current, &request).map(|r| r.arns().join(" "));
        let same = match (&before, &after) {
            (Ok(a), Ok(b)) => a == b,
            (Err(a), Err(b)) => a.to_string() == b.to_string(),
            _ => false,
        };
        if same {
            continue;
        }
        let name = case["name"].as_str().unwrap();
        match (
            seed.action(&request.action),
            current.action(&request.action),
        ) {
            // Unknown to both: only the suggested names differ (the current edition has more).
            (None, None) => assert!(before.is_err() && after.is_err(), "{name}"),
            // An action only the current edition has (docs/catalog.md: the reference's new
            // actions and the APIs of the metadata): refused by the seed, resolved today.
            (None, Some(_)) => assert!(before.is_err(), "{name}"),
            (Some(_), Some(action)) => {
                differing.insert(action.qualified_name().to_string());
                assert!(
                    docs.contains(&format!("| `{}` |", action.qualified_name())),
                    "{name}: {before:?} → {after:?}, but docs/catalog.md names no difference for `{}`",
                    action.qualified_name()
                );
            }
            (Some(_), None) => panic!("{name}: the current edition lost a seed action"),
        }
    }
    assert!(differing.contains("ecs:RunInstances"), "{differing:?}");
}

#[test]
fn a_denybuy_guard_on_allocate_dedicated_hosts_is_evaluated() {
    let policy = r#"{"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "ecs:*", "Resource": "*"},
        {"Effect": "Deny", "Action": ["ecs:AllocateDedicatedHosts", "ecs:RunInstances", "ecs:CreateInstance"], "Resource": "*"}]}"#;
    let set = PolicySet::parse(&[("DenyBuy", policy)]).unwrap();
    let request = Request::from_json(
        r#"{"action": "ecs:AllocateDedicatedHosts", "account": "1234567890123456", "region": "cn-hangzhou",
            "params": {"DedicatedHostType": "ddh.g6", "Quantity": 1}}"#,
    )
    .unwrap();
    let current = Catalog::edition(Edition::Current).unwrap();
    let evaluation = evaluate_with(current, &set, &request).unwrap();
    assert_eq!(evaluation.decision, Decision::ExplicitDeny);
    assert_eq!(
        evaluation.resources.get(0).unwrap().arn,
        "acs:ecs:cn-hangzhou:1234567890123456:ddh/*"
    );
    // The seed's table predates the API: the request is refused, not guessed.
    let seed = Catalog::edition(Edition::Seed).unwrap();
    assert!(evaluate_with(seed, &set, &request).is_err());
}

#[test]
fn an_undocumented_authorization_is_undetermined_where_a_scoped_statement_would_decide() {
    let policy = r#"{"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "vpc:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "vpc:DeleteVpc", "Resource": "acs:vpc:*:*:vpc/vpc-prod"}]}"#;
    let set = PolicySet::parse(&[("guard", policy)]).unwrap();
    let request = Request::from_json(
        r#"{"action": "vpc:DeleteVpc", "account": "1", "region": "cn-hangzhou", "params": {"VpcId": "vpc-prod"}}"#,
    )
    .unwrap();
    let current = Catalog::edition(Edition::Current).unwrap();
    let evaluation = evaluate_with(current, &set, &request).unwrap();
    assert_eq!(evaluation.decision, Decision::Indeterminate);
    assert!(evaluation
        .depends_on_authorization
        .unwrap()
        .contains("not documented"));
    // Without a scoped statement the answer does not depend on it.
    let plain = PolicySet::parse(&[(
        "plain",
        r#"{"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "vpc:*", "Resource": "*"}]}"#,
    )])
    .unwrap();
    assert_eq!(
        evaluate_with(current, &plain, &request).unwrap().decision,
        Decision::Allow
    );
}

#[test]
fn the_option_wins_over_the_environment() {
    let run = |args: &[&str], env: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ram-policy"));
        command.args(args).env_remove("RAM_POLICY_CATALOG_EDITION");
        if let Some(value) = env {
            command.env("RAM_POLICY_CATALOG_EDITION", value);
        }
        let output = command.output().unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let first = |text: &str| text.lines().next().unwrap_or("").to_string();
    assert_eq!(
        first(&run(&["actions"], None).1),
        "catalog edition: current"
    );
    assert_eq!(
        first(&run(&["actions"], Some("seed")).1),
        "catalog edition: seed"
    );
    assert_eq!(
        first(&run(&["actions", "--catalog-edition", "current"], Some("seed")).1),
        "catalog edition: current"
    );
    let (code, _, stderr) = run(&["actions"], Some("2020"));
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("unknown catalog edition `2020`"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["--catalog-edition", "x", "actions"], None);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--catalog-edition"), "{stderr}");
}

/// The repository's example policies and Alibaba Cloud's system policies (../shared samples) lint
/// with no error in the `current` edition too (warnings are judged in docs/catalog.md).
#[test]
fn example_and_system_policies_lint_without_errors_in_current() {
    let current = Catalog::edition(Edition::Current).ok();
    let mut texts = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("policies")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "json") {
            texts.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    for name in ["AliyunECSFullAccess.json", "AliyunECSReadOnlyAccess.json"] {
        if let Some(text) = common::shared_sample(name) {
            texts.push((name.to_string(), text));
        }
    }
    assert!(texts.len() >= 10);
    for (name, text) in &texts {
        let errors: Vec<String> = ram_policy::lint::lint_with(text, current)
            .into_iter()
            .filter(|finding| finding.severity == ram_policy::lint::Severity::Error)
            .map(|finding| format!("{}: {}", finding.code, finding.message))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}
