//! `diff` of two realistic ~6 KB policies (the lint benchmark's operator policy and a pull
//! request to it: one region widened to `*`, a condition value added, the Deny guard dropped),
//! and of two 100-statement policy sets that differ in five statements.
//!
//! `cargo bench --bench diff`; the figures are recorded in `docs/PERFORMANCE.md`.
// Indexing fixed tables and JSON values built here cannot fail.
#![allow(clippy::indexing_slicing)]

#[path = "common/policy.rs"]
mod common_policy;
use common_policy::policy;
use ram_policy::diff::diff;
use ram_policy::{Catalog, PolicySet};

fn main() {
    divan::main();
}

/// The operator policy after a pull request: `cn-beijing` becomes `*`, a second VPC is
/// trusted, `ecs:tag/team` also admits `ops`, and the Deny guard on deletions is gone.
fn widened() -> String {
    let text = policy()
        .replacen("acs:ecs:cn-beijing:", "acs:ecs:*:", 3)
        .replace("\"api\"", "\"api\", \"ops\"");
    let mut document: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if let Some(statements) = document["Statement"].as_array_mut() {
        statements.pop();
    }
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// 100 statements over the catalog's actions, resources in three regions and a few
/// conditions; `changed` alters five of them (a wider action, a wider resource, a removed
/// condition, a Deny turned into an Allow, a new action list).
fn hundred(changed: bool) -> Vec<(String, String)> {
    let catalog = Catalog::embedded().ok();
    let names: Vec<String> = catalog
        .map(|c| {
            c.actions()
                .iter()
                .map(|a| a.qualified_name().to_string())
                .collect()
        })
        .unwrap_or_default();
    let regions = ["cn-hangzhou", "cn-shanghai", "cn-beijing"];
    let kinds = ["instance", "disk", "snapshot", "securitygroup", "image"];
    let mut statements = Vec::new();
    for index in 0..100usize {
        let action = |offset: usize| {
            names
                .get((index * 7 + offset) % names.len().max(1))
                .cloned()
                .unwrap_or_default()
        };
        let region = regions[index % regions.len()];
        let kind = kinds[index % kinds.len()];
        let mut statement = serde_json::json!({
            "Effect": if index % 10 == 9 { "Deny" } else { "Allow" },
            "Action": [action(0), action(1), action(2)],
            "Resource": format!("acs:ecs:{region}:1234567890123456:{kind}/{kind}-{index}*"),
        });
        if index % 4 == 0 {
            statement["Condition"] =
                serde_json::json!({"IpAddress": {"acs:SourceIp": format!("10.{index}.0.0/16")}});
        }
        if changed {
            match index {
                10 => statement["Action"] = serde_json::json!(["ecs:Describe*"]),
                20 => {
                    statement["Resource"] =
                        serde_json::json!(format!("acs:ecs:*:1234567890123456:{kind}/*"))
                }
                40 => {
                    if let Some(object) = statement.as_object_mut() {
                        object.remove("Condition");
                    }
                }
                59 => statement["Effect"] = serde_json::json!("Allow"),
                70 => statement["Action"] = serde_json::json!([action(3), action(4)]),
                _ => {}
            }
        }
        statements.push(statement);
    }
    statements
        .chunks(25)
        .enumerate()
        .map(|(part, chunk)| {
            let text = serde_json::to_string_pretty(
                &serde_json::json!({"Version": "1", "Statement": chunk}),
            )
            .unwrap_or_default();
            (format!("policy-{part}.json"), text)
        })
        .collect()
}

#[divan::bench]
fn diff_6kb_pair(bencher: divan::Bencher) {
    let catalog = Catalog::embedded().ok();
    let old = PolicySet::parse(&[("old.json", policy())])
        .ok()
        .unwrap_or_default();
    let new = PolicySet::parse(&[("new.json", widened())])
        .ok()
        .unwrap_or_default();
    bencher.bench(|| {
        catalog.map(|catalog| diff(divan::black_box(&old), divan::black_box(&new), catalog))
    });
}

#[divan::bench]
fn diff_100_statement_sets(bencher: divan::Bencher) {
    let catalog = Catalog::embedded().ok();
    let old = PolicySet::parse(&hundred(false)).ok().unwrap_or_default();
    let new = PolicySet::parse(&hundred(true)).ok().unwrap_or_default();
    bencher.bench(|| {
        catalog.map(|catalog| diff(divan::black_box(&old), divan::black_box(&new), catalog))
    });
}

#[divan::bench]
fn sizes_and_differences() -> (usize, usize) {
    // Keeps the inputs honest: two policies of about 6 KB that differ, and two sets that do.
    let (old, new) = (policy(), widened());
    assert!((5_000..7_500).contains(&old.len()) && (4_500..7_500).contains(&new.len()));
    let catalog = Catalog::embedded().ok();
    let sets = |a: &[(String, String)], b: &[(String, String)]| -> usize {
        let (Ok(a), Ok(b)) = (PolicySet::parse(a), PolicySet::parse(b)) else {
            return 0;
        };
        catalog.map_or(0, |catalog| diff(&a, &b, catalog).new_access.len())
    };
    (
        sets(&[("old".into(), old)], &[("new".into(), new)]),
        sets(&hundred(false), &hundred(true)),
    )
}
