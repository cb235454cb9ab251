//! The explanation for a person: one screen, the decision on the first line.

use super::inputs::{
    EventOutcome, EventOutcomes, EventsSummary, Item, Options, RecordError, Report, Skipped,
};
use super::{Difference, Explanation, Fix, Policies, SourceLine, StatementView};
use crate::eval::Decision;
use std::collections::BTreeSet;
use std::fmt::Write;

/// A statement's source longer than this many lines is shortened to the lines that matter.
const MAX_SOURCE_LINES: usize = 12;

/// How much source to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Each statement's source lines once, the first time it is named (the default: a call that
    /// checks five ARNs against one statement shows that statement once, not five times).
    #[default]
    Brief,
    /// A statement's source lines under every ARN it is named for (`explain --verbose`).
    Verbose,
}

/// A whole report: each explanation, then what was skipped and what failed.
pub fn report(report: &Report) -> String {
    report_with(report, Detail::Brief)
}

/// [`report`] with the given [`Detail`].
pub fn report_with(report: &Report, detail: Detail) -> String {
    let mut out = String::new();
    write_report(report, detail, |part| out.push_str(part));
    out
}

/// [`report_with`] in parts, one explanation at a time (each escaped), so that a caller writing
/// to a stream holds one explanation in memory, not the whole report.
pub fn write_report(report: &Report, detail: Detail, mut write: impl FnMut(&str)) {
    for (index, item) in report.explanations.iter().enumerate() {
        write_item(index, item, detail, &mut write);
    }
    write_trailer(
        report.input,
        report.explanations.is_empty(),
        &report.skipped,
        &report.errors,
        write,
    );
}

/// `explain --actiontrail` as text, written as the explanations are made (the same text as
/// [`write_report`] of the whole [`Report`]), with one explanation in memory at a time.
pub fn write_events(
    policies: &Policies,
    text: &str,
    all: bool,
    options: &Options,
    detail: Detail,
    mut write: impl FnMut(&str),
) -> EventsSummary {
    let mut summary = EventsSummary::default();
    for outcome in EventOutcomes::new(policies, text, all, options, true) {
        match outcome {
            EventOutcome::Explained(item) => {
                write_item(summary.explained, &item, detail, &mut write);
                summary.count(&item);
            }
            EventOutcome::Skipped(skipped) => summary.skipped.push(skipped),
            EventOutcome::Error(error) => summary.errors.push(error),
        }
    }
    write_trailer(
        "actiontrail",
        summary.explained == 0,
        &summary.skipped,
        &summary.errors,
        write,
    );
    summary
}

/// The explanation numbered `index` (from 0), after a separator from the one before.
fn write_item(index: usize, item: &Item, detail: Detail, write: &mut impl FnMut(&str)) {
    if index > 0 {
        write("\n----------------------------------------\n\n");
    }
    item_with(item, detail, write);
}

/// What follows the explanations: the skipped records and the errors.
fn write_trailer(
    input: &str,
    nothing_explained: bool,
    skipped: &[Skipped],
    errors: &[RecordError],
    mut write: impl FnMut(&str),
) {
    let mut out = String::new();
    if nothing_explained {
        let _ = writeln!(
            out,
            "NOTHING TO EXPLAIN (no {}event in the input)",
            if input == "actiontrail" {
                "denied ECS "
            } else {
                ""
            }
        );
    }
    if !skipped.is_empty() || !errors.is_empty() {
        out.push('\n');
    }
    for skipped in skipped {
        let _ = writeln!(
            out,
            "skipped line {} (record {}): {}",
            skipped.line, skipped.record, skipped.reason
        );
    }
    for error in errors {
        let _ = writeln!(out, "error: {}", error.message);
    }
    write(&crate::text::escape_output(&out));
}

/// One explanation, handed to `write` in escaped pieces as it is rendered (one of 600,000 ARNs
/// is not one string).
fn item_with(item: &Item, detail: Detail, write: &mut impl FnMut(&str)) {
    let mut out = crate::text::Escaping::new(|piece: &str| write(piece));
    let explanation = &item.explanation;
    let _ = writeln!(out, "{}", explanation.headline);
    if let Some(event) = &item.event {
        let mut parts = vec![format!("line {}, record {}", event.line, event.record)];
        if let Some(id) = &event.event_id {
            parts.push(format!("eventId {id}"));
        }
        if let Some(time) = &event.event_time {
            parts.push(time.clone());
        }
        if let Some(kind) = event
            .event_type
            .as_deref()
            .filter(|kind| !kind.eq_ignore_ascii_case("ApiCall"))
        {
            parts.push(kind.to_string());
        }
        if let Some(principal) = &event.principal {
            parts.push(format!("by {principal}"));
        }
        if let Some(code) = &event.error_code {
            parts.push(format!("errorCode {code}"));
        }
        let _ = writeln!(out, "Event: {}", parts.join(", "));
    }
    body(&mut out, explanation, detail);
    out.finish();
}

/// One explanation, the decision on the first line.
pub fn text(explanation: &Explanation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", explanation.headline);
    body(&mut out, explanation, Detail::Brief);
    crate::text::escape_output(&out).into_owned()
}

fn decision_words(decision: Decision) -> &'static str {
    match decision {
        Decision::Allow => "allowed",
        Decision::ExplicitDeny => "denied by a Deny statement",
        Decision::ImplicitDeny => "no statement allows it",
        Decision::Indeterminate => "depends on condition keys not known from the input",
    }
}

fn body(out: &mut impl Write, explanation: &Explanation, detail: Detail) {
    let mut call = vec![];
    if let Some(account) = &explanation.account {
        call.push(format!("account {account}"));
    }
    if let Some(region) = &explanation.region {
        call.push(format!("region {region}"));
    }
    let call = if call.is_empty() {
        String::new()
    } else {
        format!(" ({})", call.join(", "))
    };
    let _ = writeln!(out, "Call: {}{call}", explanation.action);
    for note in &explanation.notes {
        let _ = writeln!(out, "Note: {note}");
    }

    let _ = writeln!(out, "\nResources RAM checks:");
    for resource in &explanation.resources {
        let _ = writeln!(
            out,
            "  {}  [{}]",
            resource.arn,
            decision_words(resource.decision)
        );
        let mut sources: Vec<String> = resource
            .sources
            .iter()
            .map(|bound| {
                format!(
                    "${} = {} from `{}`",
                    bound.variable, bound.value, bound.source
                )
            })
            .collect();
        if let Some(named) = &resource.named_by {
            sources.push(format!("named by RAM in `{named}`"));
        }
        if resource.arn == "*" && resource.named_by.is_none() {
            sources.push("the action has no resource-level authorization".into());
        }
        if !sources.is_empty() {
            let _ = writeln!(out, "      {}", sources.join("; "));
        }
    }
    for skipped in &explanation.skipped {
        let _ = writeln!(
            out,
            "  not checked: {} ({})",
            skipped.template, skipped.reason
        );
    }

    let mut shown: BTreeSet<String> = BTreeSet::new();
    for resource in &explanation.resources {
        if !resource.deciding.is_empty() {
            let verb = match resource.decision {
                Decision::ExplicitDeny => "Denied by",
                _ => "Allowed by",
            };
            let _ = writeln!(out, "\n{verb} (for {}):", resource.arn);
            for deciding in &resource.deciding {
                statement_header(out, &deciding.statement, None);
                let first_time = shown.insert(deciding.statement.location.clone());
                for reason in &deciding.because {
                    // Once a statement is shown, only the resource pattern is new.
                    if first_time || reason.starts_with("resource pattern") {
                        let _ = writeln!(out, "      - {reason}");
                    }
                }
                if first_time {
                    source(out, &deciding.statement, &[]);
                }
            }
        }
        if resource.decision == Decision::ImplicitDeny {
            if resource.closest.is_empty() {
                let _ = writeln!(
                    out,
                    "\nNo Allow statement in the given policies (for {}).",
                    resource.arn
                );
                continue;
            }
            let _ = writeln!(out, "\nClosest statements (for {}):", resource.arn);
            for closest in &resource.closest {
                let matching = if closest.matching.is_empty() {
                    "nothing".to_string()
                } else {
                    closest.matching.join(", ")
                };
                statement_header(
                    out,
                    &closest.statement,
                    Some(format!("{} of 3 match: {matching}", closest.score)),
                );
                for difference in &closest.differences {
                    let _ = writeln!(
                        out,
                        "      - {} (line {}:{})",
                        difference.message(),
                        difference.place().line,
                        difference.place().column
                    );
                }
                let first_time = shown.insert(closest.statement.location.clone());
                if first_time || detail == Detail::Verbose {
                    source(out, &closest.statement, &closest.differences);
                } else {
                    let _ = writeln!(
                        out,
                        "      (its source is shown above; --verbose shows it here too)"
                    );
                }
            }
        }
    }

    if let Some(fix) = &explanation.fix {
        fixes(out, fix);
        for note in &fix.notes {
            let _ = writeln!(out, "Note: {note}");
        }
    }

    if explanation.context_keys.is_empty() {
        let _ = writeln!(out, "\nContext keys the answer depends on: none");
    } else {
        let _ = writeln!(out, "\nContext keys the answer depends on:");
        for key in &explanation.context_keys {
            let value = match (&key.values, &key.not_known) {
                (Some(values), _) => format!("= {}", values.join(", ")),
                (None, Some(reason)) => format!(
                    "not known from the input (RAM sets it from {reason}; the answer depends on it, give it with --context)"
                ),
                (None, None) => "absent from the request".to_string(),
            };
            let mut flags = Vec::new();
            if let Some(filled) = &key.filled_by {
                flags.push(format!("filled by {filled}"));
            }
            if key.undocumented {
                flags.push("UNDOCUMENTED: RAM does not document absent keys; this tool treats them as not met by positive operators and met by negated ones".to_string());
            }
            if key.unknown_key {
                flags.push("not a documented key".to_string());
            }
            let flags = if flags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", flags.join("; "))
            };
            let _ = writeln!(
                out,
                "  {} {value} (at {}){flags}",
                key.key,
                key.consulted_at.join(", ")
            );
        }
    }

    if let Some(ram) = &explanation.ram {
        let _ = writeln!(out, "\nRAM: {}.", ram.message);
        for reason in &ram.reasons {
            let _ = writeln!(out, "  likely: {reason}");
        }
    }
    if !explanation.unknown.is_empty() {
        let _ = writeln!(out, "\nNot known from the input:");
        for gap in &explanation.unknown {
            let _ = writeln!(out, "  {}: {}", gap.subject, gap.reason);
        }
    }
}

fn statement_header(out: &mut impl Write, view: &StatementView, extra: Option<String>) {
    let extra = extra.map(|text| format!(": {text}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "  {}  {} (statement {}){extra}",
        view.location,
        view.effect.name(),
        view.statement + 1
    );
}

/// The statement's source lines, with `^^^` under each difference.
fn source(out: &mut impl Write, view: &StatementView, differences: &[Difference]) {
    let marked: BTreeSet<usize> = differences
        .iter()
        .map(|difference| difference.place().line)
        .collect();
    let keep = |line: &SourceLine| {
        view.source.len() <= MAX_SOURCE_LINES
            || line.line == view.line
            || marked.contains(&line.line)
    };
    let mut previous: Option<usize> = None;
    for line in view.source.iter().filter(|line| keep(line)) {
        if previous.is_some_and(|number| number + 1 != line.line) {
            let _ = writeln!(out, "       … |");
        }
        previous = Some(line.line);
        let _ = writeln!(out, "  {:>5} | {}", line.line, line.text);
        for difference in differences {
            let place = difference.place();
            if place.line != line.line {
                continue;
            }
            let length = line.text.chars().count();
            let start = place.column.max(1);
            let end = if place.end_line == place.line {
                place.end_column.max(start + 1)
            } else {
                length + 1
            };
            let width = end.saturating_sub(start).max(1);
            let _ = writeln!(
                out,
                "        | {}{} {}",
                " ".repeat(start - 1),
                "^".repeat(width),
                short(difference)
            );
        }
    }
}

/// The marker text under a source line: what differs, briefly.
fn short(difference: &Difference) -> String {
    match difference {
        Difference::Action {
            did_you_mean: Some(requested),
            ..
        } => format!("did you mean `{requested}`?"),
        Difference::Action { requested, .. } => format!("does not cover `{requested}`"),
        Difference::Resource { segments, .. } => {
            let parts: Vec<String> = segments.iter().map(ToString::to_string).collect();
            parts.join(", ")
        }
        Difference::Condition {
            request_values: None,
            key,
            ..
        } => format!("`{key}` is absent"),
        Difference::Condition {
            request_values: Some(values),
            ..
        } => format!("not met by `{}`", values.join("`, `")),
    }
}

/// The ranked fixes: those that keep every guard rail first, then the weakening ones, labelled.
fn fixes(out: &mut impl Write, fix: &Fix) {
    if fix.options.is_empty() {
        let _ = writeln!(out, "\nNo fix found.");
        return;
    }
    let _ = writeln!(
        out,
        "\nFixes, those that keep every Deny and condition first (each checked by evaluation):"
    );
    if fix.options.iter().all(|option| option.weakens.is_some()) {
        let _ = writeln!(
            out,
            "  No fix keeps every Deny statement and condition: each one below weakens a guard rail."
        );
    }
    for (number, option) in fix.options.iter().enumerate() {
        let checked = if option.allowed_after {
            ""
        } else {
            " (checked: the call would still not be allowed)"
        };
        let _ = writeln!(out, "  {}. {}{checked}.", number + 1, option.sentence);
        if let Some(weakens) = &option.weakens {
            let _ = writeln!(out, "     Weakens a guard rail: {weakens}.");
        }
        if let Some(statement) = &option.statement_text {
            for line in statement.lines() {
                let _ = writeln!(out, "       {line}");
            }
        }
    }
}
