#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Golden tests for `explain`: every directory under `tests/data/explain/` is a case with
//! `policies/*.json`, one input (`request.json`, `actiontrail.json`/`actiontrail.jsonl` or
//! `error.json`), and the expected `expected.txt` and `expected.json`.
//!
//! `UPDATE_GOLDEN=1 cargo test --test explain_golden` rewrites the expected files (review the
//! diff before committing).
//!
//! For every case, the suggested fix (the `Allow` statement added as a new policy, the `Deny`
//! statements it names removed) makes every explained call allowed, checked by running the
//! evaluator again, and the suggested statement as a policy lints clean at `--fail-on warning`
//! (the lint engine, `ram_policy::lint::lint`).

mod common;

use ram_policy::catalog::Catalog;
use ram_policy::eval::{evaluate, Decision, PolicySet};
use ram_policy::explain::{InputKind, Options, Report};
use ram_policy::facade;
use ram_policy::policy::PolicyDocument;
use ram_policy::Request;
use std::path::{Path, PathBuf};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/explain")
}

struct Case {
    name: String,
    dir: PathBuf,
    policies: Vec<(String, String)>,
    kind: InputKind,
    input: String,
}

fn load(dir: &Path) -> Case {
    let mut policies = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("policies"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    for file in files {
        let name = format!("policies/{}", file.file_name().unwrap().to_string_lossy());
        policies.push((name, std::fs::read_to_string(&file).unwrap()));
    }
    let inputs = [
        ("request.json", InputKind::Request),
        ("actiontrail.json", InputKind::ActionTrail { all: false }),
        ("actiontrail.jsonl", InputKind::ActionTrail { all: false }),
        ("error.json", InputKind::Error),
    ];
    let (file, kind) = inputs
        .iter()
        .find(|(file, _)| dir.join(file).exists())
        .unwrap_or_else(|| panic!("{}: no input file", dir.display()));
    Case {
        name: dir.file_name().unwrap().to_string_lossy().into_owned(),
        dir: dir.to_path_buf(),
        policies,
        kind: *kind,
        input: std::fs::read_to_string(dir.join(file)).unwrap(),
    }
}

fn cases() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs.iter().map(|dir| load(dir)).collect()
}

fn run(case: &Case, policies: &[(String, String)]) -> Report {
    facade::explain_report(policies, case.kind, &case.input, &Options::default())
        .unwrap_or_else(|error| panic!("{}: {error}", case.name))
}

fn compare(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        failures.push(format!(
            "{} differs (rerun with UPDATE_GOLDEN=1 and review the diff)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        ));
    }
}

#[test]
fn every_case_matches_its_expected_output() {
    let cases = cases();
    assert!(cases.len() >= 11, "found {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let report = run(case, &case.policies);
        let text = ram_policy::explain::report(&report);
        let json = serde_json::to_string_pretty(&report.to_json()).unwrap() + "\n";
        compare(&case.dir.join("expected.txt"), &text, &mut failures);
        compare(&case.dir.join("expected.json"), &json, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The policies with the fix applied: the `Deny` statements to change removed from their
/// documents, and the suggested statement added as a policy of its own.
fn with_fix(case: &Case, report: &Report) -> Vec<(String, String)> {
    let mut policies = case.policies.clone();
    let mut removals: Vec<(String, usize)> = Vec::new();
    let mut added = Vec::new();
    for item in &report.explanations {
        let Some(fix) = &item.explanation.fix else {
            continue;
        };
        for change in &fix.change_deny {
            removals.push((change.statement.policy.clone(), change.statement.statement));
        }
        if let Some(policy) = &fix.policy_text {
            added.push(policy.clone());
        }
    }
    removals.sort();
    removals.dedup();
    for (name, text) in &mut policies {
        let mut document: serde_json::Value = serde_json::from_str(text).unwrap();
        let statements = document["Statement"].as_array_mut().unwrap();
        let mut indices: Vec<usize> = removals
            .iter()
            .filter(|(policy, _)| policy == name)
            .map(|(_, index)| *index)
            .collect();
        indices.sort_unstable_by(|a, b| b.cmp(a));
        for index in indices {
            statements.remove(index);
        }
        *text = serde_json::to_string_pretty(&document).unwrap();
    }
    for (index, policy) in added.into_iter().enumerate() {
        policies.push((format!("suggested-{index}.json"), policy));
    }
    policies
}

#[test]
fn the_fix_makes_every_call_allowed() {
    for case in cases() {
        let report = run(&case, &case.policies);
        let fixed = with_fix(&case, &report);
        let after = run(&case, &fixed);
        assert_eq!(
            after.explanations.len(),
            report.explanations.len(),
            "{}",
            case.name
        );
        for (before, item) in report.explanations.iter().zip(&after.explanations) {
            assert_eq!(
                item.explanation.decision,
                Decision::Allow,
                "{}: the fix does not allow {}",
                case.name,
                item.explanation.action
            );
            if let Some(fix) = &before.explanation.fix {
                assert!(fix.allowed_after, "{}", case.name);
                assert!(fix.blocked_by.is_empty() || !fix.change_deny.is_empty());
            }
        }
        // For requests, check with both evaluators directly as well.
        if case.kind == InputKind::Request {
            let request = Request::from_json(&case.input).unwrap();
            let set = PolicySet::parse(&fixed).unwrap();
            let evaluation = evaluate(&set, &request).unwrap();
            assert_eq!(evaluation.decision, Decision::Allow, "{}", case.name);
            let resolution = ram_policy::resolve(&request).unwrap();
            let compiled = ram_policy::eval::CompiledPolicySet::new(set);
            assert_eq!(
                compiled.decide(&resolution.action, &resolution.arns(), &request.context),
                Decision::Allow,
                "{}",
                case.name
            );
        }
    }
}

/// Lint at `--fail-on warning`: every finding of the lint engine at `Warning` or above, plus
/// direct checks of what a generated `Allow` statement must satisfy (no problem at all in the
/// document, a catalog action, ARNs the catalog checks for it, no masked ids or placeholders).
fn lint_findings(text: &str) -> Vec<String> {
    let mut findings: Vec<String> = ram_policy::lint::lint(text)
        .into_iter()
        .filter(|finding| finding.severity >= ram_policy::lint::Severity::Warning)
        .map(|finding| format!("{} {}", finding.code, finding.message))
        .collect();
    let document = PolicyDocument::parse(text).unwrap();
    for problem in &document.problems {
        findings.push(problem.to_string());
    }
    let catalog = Catalog::embedded().unwrap();
    for statement in &document.statements {
        let actions: Vec<&str> = statement
            .action
            .as_ref()
            .unwrap()
            .patterns
            .iter()
            .map(|p| p.value.as_str())
            .collect();
        let resources: Vec<&str> = statement
            .resource
            .as_ref()
            .unwrap()
            .value
            .iter()
            .map(|p| p.value.as_str())
            .collect();
        for action in &actions {
            if action.contains('*') {
                findings.push(format!("SERVICE_WILDCARD / FULL_ADMIN_ACCESS: `{action}`"));
            }
            let ecs = action.to_ascii_lowercase().starts_with("ecs:");
            let Some(known) = catalog.action(action).filter(|_| ecs) else {
                findings.push(format!("INVALID_ACTION: `{action}`"));
                continue;
            };
            for resource in &resources {
                if resource.contains("**") {
                    findings.push(format!("MASKED_ID_IN_RESOURCE: `{resource}`"));
                }
                if resource.contains('$') {
                    findings.push(format!("TEMPLATE_VARIABLE_IN_RESOURCE: `{resource}`"));
                }
                if *resource == "*" {
                    if known.has_resource_level_authorization() {
                        findings.push(format!(
                            "`*` for `{action}`, which has resource-level authorization"
                        ));
                    }
                    continue;
                }
                if resource.parse::<ram_policy::Arn>().is_err() {
                    findings.push(format!("INVALID_ARN: `{resource}`"));
                }
                let fits = known.resources().iter().any(|template| {
                    ram_policy::wildcard::reference_match(
                        &template.template().to_pattern(),
                        resource,
                    )
                });
                if !fits {
                    findings.push(format!(
                        "RESOURCE_MISMATCH: `{resource}` is not checked for `{action}`"
                    ));
                }
            }
        }
    }
    findings
}

#[test]
fn every_suggested_statement_lints_clean() {
    let mut suggested = 0;
    for case in cases() {
        let report = run(&case, &case.policies);
        for item in &report.explanations {
            let Some(policy) = item
                .explanation
                .fix
                .as_ref()
                .and_then(|fix| fix.policy_text.as_ref())
            else {
                continue;
            };
            suggested += 1;
            let findings = lint_findings(policy);
            assert!(findings.is_empty(), "{}: {findings:?}\n{policy}", case.name);
        }
    }
    assert!(suggested >= 7, "{suggested}");
}

#[test]
fn the_samples_in_shared_reference_are_the_case_inputs() {
    // The cases keep their own copies; this checks that they are the published samples.
    let Some(samples) = common::shared_path("reference/samples") else {
        return;
    };
    let cases = cases_dir();
    let same = |sample: &str, case: &str| {
        let sample = std::fs::read_to_string(samples.join(sample)).unwrap();
        let case = std::fs::read_to_string(cases.join(case)).unwrap();
        (sample, case)
    };
    // Copied verbatim.
    for (sample, case) in [
        (
            "actiontrail-create-network-interface.json",
            "actiontrail-disagreement/actiontrail.json",
        ),
        (
            "decode-diagnostic-message-response.json",
            "error-decode-diagnostic/error.json",
        ),
        (
            "decode-diagnostic-message-response.json",
            "error-decode-disagreement/error.json",
        ),
        (
            "AliyunECSReadOnlyAccess.json",
            "actiontrail-describe-instances/policies/AliyunECSReadOnlyAccess.json",
        ),
    ] {
        let (sample, case) = same(sample, case);
        assert_eq!(sample, case);
    }
    // Copied with masked ids replaced (they would become wildcards in a suggested Resource).
    let (sample, case) = same(
        "actiontrail-describe-instances.json",
        "actiontrail-describe-instances/actiontrail.json",
    );
    assert_eq!(sample.replace("104758519118****", "1047585191180000"), case);
    let (sample, case) = same(
        "access-denied-detail.json",
        "error-access-denied-detail/error.json",
    );
    let sample: serde_json::Value = serde_json::from_str(
        &sample
            .replace("104758519118****", "1047585191180000")
            .replace("i-bp1bzvz55uz27hf****", "i-bp1bzvz55uz27hf0000"),
    )
    .unwrap();
    let case: serde_json::Value = serde_json::from_str(&case).unwrap();
    assert_eq!(sample, case);
}
