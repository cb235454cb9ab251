//! The diff as text for people: grouped by direction and action, each difference with the
//! allowing side's statements (`file:line:col`, "statement N" from 1), the witness request and
//! the ARNs RAM checks for it, and what denies it on the other side. JSON is the report's own
//! serialization ([`super::DiffReport`]); SARIF is in [`super::sarif`] (feature `render`).

use super::{ActionDiff, Certainty, DiffReport, StatementPlace};
use crate::text::plural;
use std::fmt::Write;

/// The report as text.
pub fn to_text(report: &DiffReport) -> String {
    let mut out = String::new();
    section(
        &mut out,
        "new access",
        "NEW allows and OLD denies",
        &report.new_access,
    );
    section(
        &mut out,
        "removed access",
        "OLD allowed and NEW denies",
        &report.removed_access,
    );
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// One line: how many actions changed each way, exact and possible.
pub fn summary(report: &DiffReport) -> String {
    let count = |actions: &[ActionDiff]| {
        let exact = actions
            .iter()
            .filter(|a| {
                a.differences
                    .iter()
                    .any(|d| d.certainty == Certainty::Exact)
            })
            .count();
        let possible = actions.len() - exact;
        if actions.is_empty() {
            "none".to_string()
        } else if possible == 0 {
            plural(actions.len(), "action", "actions")
        } else {
            format!(
                "{} ({possible} only possibly)",
                plural(actions.len(), "action", "actions")
            )
        }
    };
    format!(
        "new access: {}; removed access: {}",
        count(&report.new_access),
        count(&report.removed_access)
    )
}

fn section(out: &mut String, title: &str, meaning: &str, actions: &[ActionDiff]) {
    if actions.is_empty() {
        let _ = writeln!(out, "{title}: none\n");
        return;
    }
    let _ = writeln!(
        out,
        "{title} ({meaning}): {}\n",
        plural(actions.len(), "action", "actions")
    );
    for action in actions {
        let known = if action.in_catalog {
            ""
        } else {
            " (not in the catalog)"
        };
        let _ = writeln!(out, "{}{known}", action.action);
        for difference in &action.differences {
            let certainty = match difference.certainty {
                Certainty::Exact => "exact",
                Certainty::Possible => "possible",
            };
            let _ = writeln!(out, "  {certainty}: resources of `{}`", difference.template);
            if !difference.patterns.is_empty() {
                let patterns: Vec<String> = difference
                    .patterns
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect();
                let _ = writeln!(out, "    within {}", patterns.join(", "));
            }
            for statement in &difference.statements {
                let _ = writeln!(out, "    allowed by {}", place(statement));
            }
            if let Some(reason) = &difference.reason {
                let _ = writeln!(out, "    why only possible: {reason}");
            }
            if let Some(witness) = &difference.witness {
                let request = serde_json::to_string(&witness.request_json()).unwrap_or_default();
                let _ = writeln!(out, "    witness: {request}");
                if !witness.arns.is_empty() {
                    let arns: Vec<String> = witness.arns.iter().map(|a| format!("`{a}`")).collect();
                    let _ = writeln!(out, "    ARNs checked: {}", arns.join(", "));
                }
            }
            if difference.certainty == Certainty::Exact {
                if difference.denied_by.is_empty() {
                    let _ = writeln!(
                        out,
                        "    the other side denies it implicitly (no statement allows it)"
                    );
                }
                for statement in &difference.denied_by {
                    let _ = writeln!(out, "    the other side denies it by {}", place(statement));
                }
            }
            if !difference.conditions_only.is_empty() {
                let settings: Vec<String> = difference
                    .conditions_only
                    .iter()
                    .map(|setting| match &setting.values {
                        Some(values) => format!(
                            "`{}` = {}",
                            setting.key,
                            values
                                .iter()
                                .map(|v| format!("`{v}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        None => format!("`{}` absent", setting.key),
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "    only conditions differ: the other side covers these ARNs under other conditions; with {}",
                    settings.join(", ")
                );
            }
        }
        out.push('\n');
    }
}

/// `file:line:col (statement N, Allow)`.
pub fn place(statement: &StatementPlace) -> String {
    format!(
        "{}:{}:{} (statement {}, {})",
        statement.policy,
        statement.line,
        statement.column,
        statement.statement + 1,
        statement.effect.name()
    )
}
