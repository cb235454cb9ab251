//! What `generate` read, used, skipped and widened: on standard error as text, or as JSON.

use super::{Options, Widening, DETAIL_LIMIT};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A record named in the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecordRef {
    /// The record number, from 1 (0 when unknown).
    pub record: usize,
    /// The line the record starts on.
    pub line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub message: Option<String>,
}

/// The calls skipped for one reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Skip {
    /// Exact.
    pub count: u64,
    /// By service, action, error code, event type or problem (the first [`DETAIL_LIMIT`]
    /// distinct values; the rest counted under `other`).
    pub by: BTreeMap<String, u64>,
    /// Calls counted in `by` under no detail because the list was full.
    pub other: u64,
    /// The first [`DETAIL_LIMIT`] records.
    pub records: Vec<RecordRef>,
}

/// What one `--condition` key became.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConditionReport {
    pub key: String,
    pub operator: &'static str,
    /// The actions that got the condition.
    pub actions: Vec<String>,
    /// Every value used, sorted.
    pub values: Vec<String>,
    /// Actions that did not get it, and why.
    pub omitted: Vec<String>,
}

/// The summary of a generation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Summary {
    /// Records read (events or requests, malformed ones included).
    pub read: u64,
    /// Calls used in the policy.
    pub used: u64,
    /// Distinct used calls: action, account, region, parameters and `--condition` values, told
    /// apart by a 128-bit fingerprint.
    pub distinct_calls: u64,
    /// Skipped records by reason: `malformed`, `no_event_name`, `not_a_call`, `service_event`,
    /// `system_identity`, `service_linked_role`, `not_ecs`, `root_account`,
    /// `not_in_catalog`, `failed`, `other_principal`, `outside_window`, `no_event_time`,
    /// `unresolvable`, `masked`, `no_arn`.
    pub skipped: BTreeMap<&'static str, Skip>,
    pub actions: usize,
    /// Distinct ARNs the used calls resolved to.
    pub arns: usize,
    pub statements: usize,
    /// The size of each policy in characters, counted without insignificant whitespace.
    pub sizes: Vec<usize>,
    pub limit: usize,
    pub generalize: &'static str,
    /// `by_action` or `by_resource`: how statements are grouped (see `docs/generate.md`).
    pub layout: &'static str,
    pub widenings: Vec<Widening>,
    pub conditions: Vec<ConditionReport>,
    pub include_failed: bool,
    /// Lint findings at `warning` or above on the output (expected empty; see
    /// `docs/generate.md` for the cases that can produce some).
    pub lint: Vec<LintNote>,
}

/// A lint finding on a generated policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LintNote {
    /// The policy's number, from 1.
    pub policy: usize,
    pub code: &'static str,
    pub severity: crate::lint::Severity,
    pub message: String,
    pub path: String,
}

impl Summary {
    pub(crate) fn new(options: &Options) -> Self {
        Summary {
            limit: options.max_size,
            generalize: options.generalize.as_str(),
            layout: "by_action",
            include_failed: options.filter.include_failed,
            ..Summary::default()
        }
    }

    pub(crate) fn skip(
        &mut self,
        reason: &'static str,
        detail: Option<String>,
        at: Option<RecordRef>,
    ) {
        let skip = self.skipped.entry(reason).or_default();
        skip.count += 1;
        if let Some(detail) = detail {
            let full = skip.by.len() >= DETAIL_LIMIT;
            match skip.by.get_mut(&detail) {
                Some(count) => *count += 1,
                None if full => skip.other += 1,
                None => {
                    skip.by.insert(detail, 1);
                }
            }
        }
        if let Some(at) = at {
            if skip.records.len() < DETAIL_LIMIT {
                skip.records.push(at);
            }
        }
    }

    /// Records skipped, all reasons together.
    pub fn skipped(&self) -> u64 {
        self.skipped.values().map(|skip| skip.count).sum()
    }

    /// The skip reasons in one line, for an error that has no summary beside it:
    /// `1 not_in_catalog (vpc:DescribeVpcs), 2 malformed`.
    pub fn skip_reasons(&self) -> String {
        let reasons: Vec<String> = self
            .skipped
            .iter()
            .map(|(reason, skip)| {
                let details: Vec<&str> = skip.by.keys().take(3).map(String::as_str).collect();
                if details.is_empty() {
                    format!("{} {reason}", skip.count)
                } else {
                    format!("{} {reason}: {}", skip.count, details.join(", "))
                }
            })
            .collect();
        if reasons.is_empty() {
            "the input holds no record".to_string()
        } else {
            reasons.join("; ")
        }
    }

    /// The summary as JSON (`generate --summary-format json`, the facade): see
    /// [`super::SummaryView`].
    pub fn to_json(&self) -> Value {
        serde_json::to_value(super::SummaryView {
            summary: self,
            skipped_total: self.skipped(),
            size_counting: SIZE_COUNTING,
            text: self.to_text(),
        })
        .unwrap_or(Value::Null)
    }

    /// The summary as text, one fact per line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "generate: {} records read, {} calls used ({} distinct), {} skipped",
            self.read,
            self.used,
            self.distinct_calls,
            self.skipped()
        );
        for (reason, skip) in &self.skipped {
            let _ = write!(
                out,
                "  skipped {} {}",
                skip.count,
                reason_text(reason, self.include_failed)
            );
            let mut details: Vec<String> = skip
                .by
                .iter()
                .map(|(detail, count)| format!("{detail} ({count})"))
                .collect();
            if skip.other > 0 {
                details.push(format!("{} more", skip.other));
            }
            if !details.is_empty() {
                let _ = write!(out, ": {}", details.join(", "));
            }
            out.push('\n');
            if matches!(*reason, "malformed" | "masked" | "no_arn" | "invalid_arn") {
                for record in &skip.records {
                    let _ = writeln!(
                        out,
                        "    line {} (record {}): {}",
                        record.line,
                        record.record,
                        record.message.as_deref().unwrap_or_default()
                    );
                }
                if (skip.records.len() as u64) < skip.count {
                    let _ = writeln!(
                        out,
                        "    … and {} more",
                        skip.count - skip.records.len() as u64
                    );
                }
            }
        }
        let sizes: Vec<String> = self.sizes.iter().map(usize::to_string).collect();
        let _ = writeln!(
            out,
            "policy: {} actions, {} ARNs, {} statements grouped {}, {} characters against a limit of {} ({})",
            self.actions,
            self.arns,
            self.statements,
            self.layout.replace('_', " "),
            if sizes.is_empty() { "-".into() } else { sizes.join(" + ") },
            self.limit,
            SIZE_COUNTING
        );
        if self.sizes.len() > 1 {
            let _ = writeln!(out, "split into {} policies", self.sizes.len());
        }
        for widening in &self.widenings {
            let _ = writeln!(
                out,
                "widened ({}): {}",
                widening.reason,
                widening.describe()
            );
        }
        for note in &self.lint {
            let _ = writeln!(
                out,
                "lint: policy {} {} {} at `{}`: {}",
                note.policy, note.severity, note.code, note.path, note.message
            );
        }
        for condition in &self.conditions {
            let _ = writeln!(
                out,
                "condition: {} `{}` on {} actions with {} values: {}",
                condition.operator,
                condition.key,
                condition.actions.len(),
                condition.values.len(),
                condition.values.join(", ")
            );
            for omitted in &condition.omitted {
                let _ = writeln!(out, "  not added to {omitted}");
            }
        }
        crate::text::escape_output(&out).into_owned()
    }
}

/// How sizes are counted, as the summary says it.
pub const SIZE_COUNTING: &str = "characters without insignificant whitespace";

fn reason_text(reason: &str, include_failed: bool) -> &'static str {
    match reason {
        "malformed" => "malformed records",
        "no_event_name" => "events without `eventName`",
        "not_a_call" => "events that are not calls (sign-ins and other non-call kinds)",
        "service_event" => "events of Alibaba Cloud acting on its own (`AliyunServiceEvent`)",
        "system_identity" => "calls by Alibaba Cloud services themselves (`userIdentity.type` `system`)",
        "service_linked_role" => "calls by services on their service-linked roles",
        "root_account" => "calls by the root account (RAM policies do not restrict it)",
        "not_ecs" => "calls not to ECS",
        "not_in_catalog" => "calls to actions not in the catalog",
        "failed" if include_failed => "failed calls",
        "failed" => "failed calls (give `--include-failed` to count them)",
        "other_principal" => "calls by another principal",
        "outside_window" => "calls outside the time window",
        "no_event_time" => "events without `eventTime` (a time window is set)",
        "unresolvable" => "calls whose ARNs cannot be resolved",
        "masked" => "calls with masked or wildcard ids",
        "no_arn" => "calls that resolve to no ARN (no policy can allow them)",
        "invalid_arn" => "calls whose ARNs could not stand in a policy (an invalid region or account, or a value holding the field separator `:`)",
        _ => "records",
    }
}
