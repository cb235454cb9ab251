//! SARIF 2.1.0 output for code-scanning tools (GitHub code scanning, Azure DevOps, …).
//!
//! Every check is listed in `tool.driver.rules` with its help text, so a viewer can explain a
//! finding without this tool. Levels follow [`Severity::sarif_level`]; security findings carry
//! `properties.security-severity` and the `security` tag. Columns count Unicode code points, as
//! the run's `columnKind` says. `partialFingerprints` hash the code, the JSON pointer and the
//! message, so a finding keeps its identity when lines move (rewording a message changes it).

use super::{rules, FileReport, Finding, Severity};
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;

/// The `security-severity` given to security findings (7.0–8.9 is "high" for GitHub).
const SECURITY_SEVERITY: &str = "7.5";

/// Renders the findings of several files as one SARIF log.
pub fn to_sarif(reports: &[FileReport]) -> Value {
    let descriptors: Vec<ReportingDescriptor> = rules()
        .iter()
        .map(|rule| {
            let mut properties = BTreeMap::new();
            if rule.severity == Severity::SecurityWarning {
                properties.insert("security-severity".to_string(), json!(SECURITY_SEVERITY));
            }
            let tags = if rule.severity == Severity::SecurityWarning {
                vec!["security".to_string(), "ram".to_string()]
            } else {
                vec!["ram".to_string()]
            };
            ReportingDescriptor::builder()
                .id(rule.code.clone())
                .name(pascal_case(&rule.code))
                .short_description(
                    MultiformatMessageString::builder()
                        .text(rule.summary.clone())
                        .build(),
                )
                .full_description(
                    MultiformatMessageString::builder()
                        .text(rule.description.clone())
                        .build(),
                )
                .help(
                    MultiformatMessageString::builder()
                        .text(rule.description.clone())
                        .markdown(format!(
                            "{}\n\nBad:\n```json\n{}\n```\n\nGood:\n```json\n{}\n```",
                            rule.description, rule.bad, rule.good
                        ))
                        .build(),
                )
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(rule.severity.sarif_level()))
                        .build(),
                )
                .properties(
                    PropertyBag::builder()
                        .tags(tags)
                        .additional_properties(properties)
                        .build(),
                )
                .build()
        })
        .collect();
    let results: Vec<SarifResult> = reports
        .iter()
        .flat_map(|report| {
            report
                .findings
                .iter()
                .map(move |finding| result(&report.file, finding))
        })
        .collect();
    log(descriptors, results)
}

/// One SARIF 2.1.0 log of this tool's run: its rules and results, columns in code points.
/// `diff`'s SARIF output is written by it too.
pub(crate) fn log(rules: Vec<ReportingDescriptor>, results: Vec<SarifResult>) -> Value {
    let driver = ToolComponent::builder()
        .name("ram-policy")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/ram-policy/ram-policy")
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(json!("unicodeCodePoints"))
        .build();
    let log = Sarif::builder()
        .schema("https://json.schemastore.org/sarif-2.1.0.json")
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_value(log).unwrap_or_else(|error| json!({"error": error.to_string()}))
}

fn result(file: &str, finding: &Finding) -> SarifResult {
    let region = Region::builder()
        .start_line(finding.region.line as i64)
        .start_column(finding.region.column as i64)
        .end_line(finding.region.end_line as i64)
        .end_column(finding.region.end_column as i64)
        .build();
    let location = Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(ArtifactLocation::builder().uri(file_uri(file)).build())
                .region(region)
                .build(),
        )
        .build();
    let level = match finding.severity.sarif_level() {
        "error" => ResultLevel::Error,
        "warning" => ResultLevel::Warning,
        _ => ResultLevel::Note,
    };
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(
        "ramPolicyFinding/v1".to_string(),
        format!(
            "{:016x}",
            fingerprint(&[finding.code, &finding.path, &finding.message])
        ),
    );
    let mut properties = BTreeMap::new();
    properties.insert("severity".to_string(), json!(finding.severity.as_str()));
    properties.insert("path".to_string(), json!(finding.path));
    if finding.severity == Severity::SecurityWarning {
        properties.insert("security-severity".to_string(), json!(SECURITY_SEVERITY));
    }
    let rule_index = rules().iter().position(|rule| rule.code == finding.code);
    let builder = SarifResult::builder()
        .rule_id(finding.code)
        .level(level)
        .message(Message::builder().text(finding.message.clone()).build())
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    match rule_index {
        Some(index) => builder.rule_index(index as i64).build(),
        None => builder.build(),
    }
}

/// The `artifactLocation.uri` of a file: a relative path stays a relative reference (viewers
/// resolve it against the repository root), an absolute one becomes a `file://` URI, and every
/// byte outside RFC 3986's unreserved characters and `/` is percent-encoded (`#`, `?`, `%`,
/// spaces, `:`, non-ASCII). Standard input is `<stdin>` as in the other formats, encoded.
pub fn file_uri(file: &str) -> String {
    let path = file.strip_prefix("./").unwrap_or(file).replace('\\', "/");
    let mut out = String::with_capacity(path.len() + 8);
    let drive = path.as_bytes().get(1) == Some(&b':') && path.as_bytes().get(2) == Some(&b'/');
    if path.starts_with('/') {
        out.push_str("file://");
    } else if drive {
        out.push_str("file:///");
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else if drive && byte == b':' && out.len() == "file:///".len() + 1 {
            out.push(':');
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// FNV-1a over the parts, separated so that ("ab","c") and ("a","bc") differ.
pub(crate) fn fingerprint(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// `FULL_ADMIN_ACCESS` → `FullAdminAccess`.
fn pascal_case(code: &str) -> String {
    code.split('_')
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::file_uri;

    #[test]
    fn uris_are_percent_encoded_per_rfc_3986() {
        assert_eq!(file_uri("./policies/a b.json"), "policies/a%20b.json");
        assert_eq!(file_uri("p#1?x=%.json"), "p%231%3Fx%3D%25.json");
        assert_eq!(file_uri("/tmp/é.json"), "file:///tmp/%C3%A9.json");
        assert_eq!(file_uri("a:b.json"), "a%3Ab.json");
        assert_eq!(file_uri("C:\\p\\x.json"), "file:///C:/p/x.json");
        assert_eq!(file_uri("<stdin>"), "%3Cstdin%3E");
    }
}
