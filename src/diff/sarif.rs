//! The new access of a diff as SARIF 2.1.0, so code scanning annotates a pull request: one
//! result per difference, located on the NEW statements that allow it (the policy file itself
//! when no statement is known), with the lint writer's conventions (`crate::lint::sarif`):
//! percent-encoded relative URIs, `<stdin>` for standard input, code-point columns and
//! fingerprints that survive moved lines. Removed access is not a finding: it is in the text
//! and JSON reports.

use super::{Certainty, DiffReport, Difference, StatementPlace};
use crate::lint::sarif::{file_uri, fingerprint, log};
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel,
};
use std::collections::BTreeMap;

/// The rules: an exact and a possible new access.
const RULES: [(&str, &str, &str, &str); 2] = [
    (
        "NEW_ACCESS",
        "NewAccess",
        "The new policy allows requests the old one denied",
        "warning",
    ),
    (
        "POSSIBLE_NEW_ACCESS",
        "PossibleNewAccess",
        "The new policy may allow requests the old one denied; the comparison could not decide",
        "note",
    ),
];

/// The new access of `report` as one SARIF log; `new_files` are NEW's policy files, where a
/// difference without a known statement is located.
pub fn to_sarif(report: &DiffReport, new_files: &[&str]) -> Value {
    let rules: Vec<ReportingDescriptor> = RULES
        .iter()
        .map(|(id, name, summary, level)| {
            let mut properties = BTreeMap::new();
            properties.insert("security-severity".to_string(), json!("7.5"));
            ReportingDescriptor::builder()
                .id(*id)
                .name(*name)
                .short_description(MultiformatMessageString::builder().text(*summary).build())
                .full_description(
                    MultiformatMessageString::builder()
                        .text(format!("{summary}. Each result names an action, the resources and a witness request (see docs/diff.md)."))
                        .build(),
                )
                .default_configuration(ReportingConfiguration::builder().level(json!(level)).build())
                .properties(
                    PropertyBag::builder()
                        .tags(vec!["security".to_string(), "ram".to_string()])
                        .additional_properties(properties)
                        .build(),
                )
                .build()
        })
        .collect();
    let mut results = Vec::new();
    for action in &report.new_access {
        for difference in &action.differences {
            results.push(result(
                &action.action,
                difference,
                new_files.first().copied(),
            ));
        }
    }
    log(rules, results)
}

fn location(statement: &StatementPlace) -> Location {
    let region = Region::builder()
        .start_line(statement.line as i64)
        .start_column(statement.column as i64)
        .end_line(statement.end_line as i64)
        .end_column(statement.end_column as i64)
        .build();
    Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(
                    ArtifactLocation::builder()
                        .uri(file_uri(&statement.policy))
                        .build(),
                )
                .region(region)
                .build(),
        )
        .build()
}

fn result(action: &str, difference: &Difference, fallback_file: Option<&str>) -> SarifResult {
    let (rule, index, level) = match difference.certainty {
        Certainty::Exact => ("NEW_ACCESS", 0, ResultLevel::Warning),
        Certainty::Possible => ("POSSIBLE_NEW_ACCESS", 1, ResultLevel::Note),
    };
    let mut message = match difference.certainty {
        Certainty::Exact => format!(
            "`{action}` is newly allowed on resources of `{}`",
            difference.template
        ),
        Certainty::Possible => format!(
            "`{action}` may be newly allowed on resources of `{}`",
            difference.template
        ),
    };
    if let Some(witness) = &difference.witness {
        message.push_str(&format!(
            "; witness: {} checking {}",
            serde_json::to_string(&witness.request_json()).unwrap_or_default(),
            witness
                .arns
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(reason) = &difference.reason {
        message.push_str(&format!(" ({reason})"));
    }
    let mut locations: Vec<Location> = difference.statements.iter().map(location).collect();
    if locations.is_empty() {
        if let Some(file) = fallback_file {
            locations.push(
                Location::builder()
                    .physical_location(
                        PhysicalLocation::builder()
                            .artifact_location(
                                ArtifactLocation::builder().uri(file_uri(file)).build(),
                            )
                            .build(),
                    )
                    .build(),
            );
        }
    }
    let pointer = difference
        .statements
        .first()
        .map(|s| s.pointer.as_str())
        .unwrap_or("");
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        "ramPolicyDiff/v1".to_string(),
        format!(
            "{:016x}",
            fingerprint(&[rule, action, &difference.template, pointer])
        ),
    );
    let mut properties = BTreeMap::new();
    properties.insert("action".to_string(), json!(action));
    properties.insert("template".to_string(), json!(difference.template));
    if let Some(witness) = &difference.witness {
        properties.insert("witness".to_string(), witness.request_json());
        properties.insert("arns".to_string(), json!(witness.arns));
    }
    SarifResult::builder()
        .rule_id(rule)
        .rule_index(index)
        .level(level)
        .message(Message::builder().text(message).build())
        .locations(locations)
        .partial_fingerprints(fingerprints)
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build()
}
