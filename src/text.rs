//! Renderings for people: what the CLI prints without `--format json`.

use crate::catalog::Catalog;
use crate::eval::Evaluation;
use crate::resolve::Resolution;
use std::fmt::Write;

/// `1 file`, `2 files`: a count with the word that fits it.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The catalog as a table: one action a line, then its templates indented.
pub fn catalog(catalog: &Catalog) -> String {
    let mut out = String::new();
    for action in catalog.actions() {
        let entry = action.entry();
        let _ = writeln!(
            out,
            "{}  [{}]  {}",
            action.qualified_name(),
            entry.category,
            entry.description
        );
        if !action.has_resource_level_authorization() {
            let _ = writeln!(out, "    *  (no resource-level authorization)");
        }
        for resource in action.resources() {
            let data = resource.entry();
            let mut notes = Vec::new();
            if data.optional {
                notes.push("optional".to_string());
            }
            if !data.unless_params.is_empty() {
                notes.push(format!("only without {}", data.unless_params.join(", ")));
            }
            if !data.errata.is_empty() {
                notes.push(format!("corrected: {}", data.errata.join(", ")));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", notes.join("; "))
            };
            let _ = writeln!(out, "    {}{}", data.template, notes);
        }
    }
    let _ = writeln!(
        out,
        "\n{} actions, {} with resource-level authorization, {} errata (see docs/catalog.md)",
        catalog.actions().len(),
        catalog
            .actions()
            .iter()
            .filter(|action| action.has_resource_level_authorization())
            .count(),
        catalog.errata().len()
    );
    out
}

/// A resolution: the ARNs and where each value came from, then skipped resources.
pub fn resolution(resolution: &Resolution) -> String {
    let mut out = format!("{}\n", resolution.action);
    for resource in &resolution.resources {
        let _ = writeln!(out, "  {}", resource.arn);
        let sources: Vec<String> = resource
            .bindings
            .iter()
            .filter(|bound| bound.source != "account")
            .map(|bound| {
                format!(
                    "${} = {} (from {})",
                    bound.variable, bound.value, bound.source
                )
            })
            .collect();
        if !sources.is_empty() {
            let _ = writeln!(out, "      {}", sources.join(", "));
        } else if resource.template_index.is_none() {
            let _ = writeln!(out, "      no resource-level authorization: RAM checks `*`");
        }
    }
    for skipped in &resolution.skipped {
        let _ = writeln!(out, "  skipped {}: {}", skipped.template, skipped.reason);
    }
    out
}

/// An evaluation: the decision first, then per ARN its decision and deciding statements as
/// `policy:line:column`, then absent context keys and the statements that did not apply.
pub fn evaluation(evaluation: &Evaluation) -> String {
    let mut out = format!("{}\n", evaluation.decision.name());
    let _ = writeln!(out, "action {}", evaluation.action);
    for note in &evaluation.notes {
        let _ = writeln!(out, "note: {note}");
    }
    for resource in &evaluation.resources {
        let _ = writeln!(out, "  {}: {}", resource.arn, resource.decision.name());
        if resource.arn == "*" {
            let _ = writeln!(
                out,
                "      no resource-level authorization: RAM checks the literal resource `*`"
            );
        }
        for statement in &resource.statements {
            let _ = writeln!(
                out,
                "      {}:{}:{}  statement {} ({})",
                statement.policy,
                statement.line,
                statement.column,
                statement.statement + 1,
                statement.effect.name()
            );
        }
    }
    if !evaluation.missing_context_keys.is_empty() {
        let _ = writeln!(
            out,
            "absent context keys (negated operators treat them as met): {}",
            evaluation.missing_context_keys.join(", ")
        );
    }
    if !evaluation.trace.is_empty() {
        let _ = writeln!(out, "not applied:");
        for entry in &evaluation.trace {
            let _ = writeln!(
                out,
                "  {}:{}:{}  statement {}: {}",
                entry.policy,
                entry.line,
                entry.column,
                entry.statement + 1,
                entry.reason
            );
        }
    }
    out
}
