//! Data-driven resolution tests: each line of `tests/data/resolve/cases.jsonl` is a request and
//! either the exact ARNs RAM checks, in order, or a fragment of the expected error message.
//! The expected ARNs were written from the seed's table (with its errata), not from the catalog.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ram_policy::catalog::Catalog;
use ram_policy::resolve;
use ram_policy::Request;
use serde_json::Value;
use std::collections::BTreeSet;

const CASES: &str = include_str!("data/resolve/cases.jsonl");

#[test]
fn every_case_resolves_as_expected() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (number, line) in CASES
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
    {
        count += 1;
        let case: Value = serde_json::from_str(line).unwrap();
        let name = case["name"].as_str().unwrap();
        let request = Request::from_value(&case["request"], "").unwrap();
        let outcome = resolve(&request);
        match (&outcome, case.get("resources"), case.get("error")) {
            (Ok(resolution), Some(expected), _) => {
                let expected: Vec<&str> = expected
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                if resolution.arns() != expected {
                    failures.push(format!(
                        "line {}: {name}: got {:?}, expected {expected:?}",
                        number + 1,
                        resolution.arns()
                    ));
                }
            }
            (Err(error), _, Some(fragment)) => {
                if !error.to_string().contains(fragment.as_str().unwrap()) {
                    failures.push(format!(
                        "line {}: {name}: error `{error}` lacks `{fragment}`",
                        number + 1
                    ));
                }
            }
            _ => failures.push(format!(
                "line {}: {name}: unexpected outcome {outcome:?}",
                number + 1
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_table_action_has_a_case() {
    let catalog = Catalog::embedded().unwrap();
    let covered: BTreeSet<String> = CASES
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let case: Value = serde_json::from_str(line).unwrap();
            let action = case["request"]["action"].as_str().unwrap().to_string();
            catalog
                .action(&action)
                .map(|found| found.name().to_string())
                .unwrap_or(action)
        })
        .collect();
    let missing: Vec<&str> = catalog
        .actions()
        .iter()
        .filter(|action| action.entry().table_line.is_some() && !covered.contains(action.name()))
        .map(|action| action.name())
        .collect();
    assert!(
        missing.is_empty(),
        "table actions without a resolution case: {missing:?}"
    );
}
