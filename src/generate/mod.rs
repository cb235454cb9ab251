//! `ram-policy generate`: least-privilege policies from the calls a principal made.
//!
//! Input calls ([`Request`]s, or ActionTrail [`Event`]s mapped to requests) stream through a
//! [`Generator`]: each call is looked up in the catalog and resolved to the ARNs RAM checks,
//! and only the per-action sets of ARNs (and of observed condition values) are kept, so memory
//! grows with the number of distinct calls, never with the number of events. Nothing is
//! dropped silently: every call that is not used is counted in the [`Summary`] under its
//! reason.
//!
//! [`Generator::finish`] turns the sets into policies (see `layout` for grouping, widening
//! and splitting). The algorithm and the summary are described in `docs/generate.md`.
//!
//! ```
//! use ram_policy::generate::{Generator, Options};
//! use ram_policy::Request;
//! let mut generator = Generator::new(Options::default()).unwrap();
//! let request = Request::from_json(r#"{"action": "ecs:StartInstance", "account": "1234567890123456",
//!     "region": "cn-hangzhou", "params": {"InstanceId": "i-1"}}"#).unwrap();
//! generator.add_request(&request, 1, 1);
//! let generation = generator.finish();
//! let output = generation.result.unwrap();
//! assert!(output.texts[0].contains("acs:ecs:cn-hangzhou:1234567890123456:instance/i-1"));
//! ```

mod calls;
mod calls_file;
mod layout;
mod reader;
mod summary;

pub use calls_file::{read_header as read_calls_header, CallsFileError, CallsHeader, CALLS_FORMAT};
pub use layout::{Statement, Widening, WideningKind};
pub use summary::{ConditionReport, LintNote, RecordRef, Skip, Summary};

use crate::actiontrail::{Event, EventError, EventFilter};
use crate::catalog::{Catalog, CatalogError};
use crate::condition::keys::{self, KeyType};
use crate::condition::parse_network;
use crate::request::Request;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;
use std::str::FromStr;

/// The default `--max-size`: RAM's limit on a custom policy document, in characters.
pub const DEFAULT_MAX_SIZE: usize = crate::facts::POLICY_SIZE_LIMIT;

/// How many records (malformed, masked, …) and distinct details the summary lists per reason;
/// the counts are always exact.
pub const DETAIL_LIMIT: usize = 100;

/// How far ids and regions are replaced by wildcards before any size pressure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Generalize {
    /// Exact ARNs.
    #[default]
    None,
    /// `<type>/<id>` → `<type>/*` within the same service, region and account.
    Ids,
    /// As `ids`, and every region → `*`.
    Regions,
}

impl Generalize {
    /// The option value.
    pub fn as_str(self) -> &'static str {
        match self {
            Generalize::None => "none",
            Generalize::Ids => "ids",
            Generalize::Regions => "regions",
        }
    }
}

impl FromStr for Generalize {
    type Err = GenerateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "none" => Ok(Generalize::None),
            "ids" => Ok(Generalize::Ids),
            "regions" => Ok(Generalize::Regions),
            other => Err(GenerateError::BadOption {
                option: "generalize".into(),
                message: format!("unknown value `{other}`; expected `none`, `ids` or `regions`"),
            }),
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub generalize: Generalize,
    /// The largest policy, in characters without insignificant whitespace.
    pub max_size: usize,
    /// Whether a policy that cannot fit may be split into several.
    pub split: bool,
    /// Condition keys whose observed values become conditions (`acs:SourceIp`).
    pub conditions: Vec<String>,
    /// Which ActionTrail events count (principal, time window, failed calls).
    pub filter: EventFilter,
    /// Threads for reading ActionTrail events: 1 reads on the caller's thread; N above 1 uses
    /// one thread to split the input and N − 1 to parse records; 0 parses on one thread per core
    /// beside the splitter. The output is the same with any number. Ignored on WebAssembly,
    /// which has no threads.
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            generalize: Generalize::None,
            max_size: DEFAULT_MAX_SIZE,
            split: false,
            conditions: Vec::new(),
            filter: EventFilter::default(),
            threads: 1,
        }
    }
}

/// Why no policy could be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// An option value is unusable.
    #[error("option `--{option}`: {message}")]
    BadOption { option: String, message: String },
    /// A `--condition` key that cannot be observed or has no equality operator.
    #[error("cannot add a condition on `{key}`: {reason}")]
    UnsupportedConditionKey { key: String, reason: String },
    /// Not one call was usable.
    #[error("no call was used: {read} records read, {skipped} skipped ({reasons})")]
    NoCalls {
        read: u64,
        skipped: u64,
        /// The skip reasons with their counts (`1 not_in_catalog: vpc:DescribeVpcs`).
        reasons: String,
    },
    /// The policy does not fit even with every id and region widened, and splitting was not
    /// asked for.
    #[error("the policy takes {size} characters against a limit of {limit} even with every id and region widened; it would take {policies} policies: give `--split <DIR>` to write them as files")]
    TooLarge {
        size: usize,
        limit: usize,
        policies: usize,
    },
    /// One action on one resource alone is larger than the limit.
    #[error("a statement with only `{action}` on `{resource}` takes {size} characters, more than the limit of {limit}: no split can fit")]
    CannotFit {
        action: String,
        resource: String,
        size: usize,
        limit: usize,
    },
    /// The input could not be read to its end.
    #[error("cannot read the input: {message}")]
    Unreadable { message: String },
    /// The embedded catalog is broken.
    #[error("{0}")]
    Catalog(#[from] CatalogError),
}

impl crate::error::Details for GenerateError {
    fn kind(&self) -> &'static str {
        GenerateError::kind(self)
    }
}

impl GenerateError {
    /// A short stable kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            GenerateError::BadOption { .. } => "bad_option",
            GenerateError::UnsupportedConditionKey { .. } => "unsupported_condition_key",
            GenerateError::NoCalls { .. } => "no_calls",
            GenerateError::TooLarge { .. } => "policy_too_large",
            GenerateError::CannotFit { .. } => "cannot_fit",
            GenerateError::Unreadable { .. } => "input",
            GenerateError::Catalog(_) => "catalog",
        }
    }
}

/// A `--condition` key, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConditionKey {
    /// The key as written in the policy (the registry's spelling).
    pub name: String,
    pub value_type: KeyType,
    /// `IpAddress`, `StringEquals`, `Bool`, `NumericEquals`.
    pub operator: &'static str,
}

fn condition_key(name: &str) -> Result<ConditionKey, GenerateError> {
    let unsupported = |reason: String| GenerateError::UnsupportedConditionKey {
        key: name.to_string(),
        reason,
    };
    // The option names a key, so its letter case is forgiven; the policy gets the registry's
    // spelling.
    let Some(known) = keys::lookup_ignoring_case(name) else {
        let near = keys::nearest(name, 3);
        let hint = crate::catalog::did_you_mean(&near);
        return Err(unsupported(format!(
            "it is not a known condition key{hint}"
        )));
    };
    let written = match known.family_prefix() {
        Some(prefix) => format!("{prefix}{}", name.get(prefix.len()..).unwrap_or("")),
        None => known.name.to_string(),
    };
    let operator =
        match known.value_type {
            KeyType::Ip => "IpAddress",
            KeyType::String => "StringEquals",
            KeyType::Bool => "Bool",
            KeyType::Numeric => "NumericEquals",
            KeyType::Date => return Err(unsupported(
                "it is a date: an equality on the observed times would allow only those instants"
                    .into(),
            )),
        };
    Ok(ConditionKey {
        name: written,
        value_type: known.value_type,
        operator,
    })
}

/// What is kept of one action's calls.
#[derive(Debug, Default)]
struct ActionUse {
    calls: u64,
    arns: BTreeSet<String>,
    /// Per `--condition` key: the observed values, and how many calls had none (or an invalid one).
    values: Vec<BTreeSet<String>>,
    without: Vec<u64>,
}

/// Where a call came from: its record number (from 1) and the line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub record: usize,
    pub line: usize,
}

/// The streaming core: feed calls, then [`Generator::finish`].
#[derive(Debug)]
pub struct Generator {
    catalog: &'static Catalog,
    options: Options,
    keys: Vec<ConditionKey>,
    uses: BTreeMap<&'static str, ActionUse>,
    /// Every distinct used call (see [`Generator::fingerprint`]) → its action and which
    /// `--condition` keys it lacked (one bit per key).
    seen: HashMap<u128, (&'static str, u64)>,
    /// With [`Generator::keep_calls`]: each distinct used call, by fingerprint, and how many
    /// times it came (what `--emit-calls` writes).
    emitted: Option<HashMap<u128, (Request, u64)>>,
    summary: Summary,
    /// Why the input could not be read to its end, if it could not.
    unreadable: Option<String>,
}

/// What the input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputKind {
    /// Requests as for `resolve`: a JSON array, JSON Lines, or concatenated documents.
    #[default]
    Requests,
    /// ActionTrail events in any form `crate::actiontrail` reads.
    ActionTrail,
}

impl InputKind {
    /// The kind of the first record of `text`: a request has `action`; an event has
    /// `eventName`, `eventId` or `userIdentity`, or comes in a LookupEvents `Events` list or a
    /// Log Service export's `event` member. `None` when the first record tells neither.
    pub fn detect(text: &str) -> Option<InputKind> {
        use serde_json::Value;
        fn first_record(value: &Value) -> Option<&serde_json::Map<String, Value>> {
            match value {
                Value::Array(items) => items.first().and_then(first_record),
                Value::Object(object) => match object.get("Events") {
                    Some(events @ Value::Array(_)) => first_record(events),
                    _ => Some(object),
                },
                _ => None,
            }
        }
        let whole = serde_json::from_str::<Value>(text).ok();
        let first_line = || {
            text.lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
                .and_then(|line| serde_json::from_str::<Value>(line).ok())
        };
        let value = whole.or_else(first_line)?;
        let record = first_record(&value)?;
        if record.contains_key("action") {
            Some(InputKind::Requests)
        } else if ["eventName", "eventId", "userIdentity", "event"]
            .iter()
            .any(|key| record.contains_key(*key))
        {
            Some(InputKind::ActionTrail)
        } else {
            None
        }
    }

    /// The name used in options: `requests` or `actiontrail`.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Requests => "requests",
            InputKind::ActionTrail => "actiontrail",
        }
    }
}

/// The options as JSON (the facade) or as parsed from the command line: one validation for both.
///
/// `{"input": "requests" | "actiontrail", "principal": "alice", "since": "2024-01-01",
///   "until": "2024-02-01T00:00:00Z", "include_failed": false, "generalize": "none",
///   "max_size": 6144, "split": false, "conditions": ["acs:SourceIp"]}`, every member optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(
    test,
    derive(ts_rs::TS),
    ts(rename = "GenerateOptions", optional_fields)
)]
pub struct OptionsSpec {
    pub input: Option<String>,
    pub principal: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub include_failed: bool,
    pub generalize: Option<String>,
    pub max_size: Option<usize>,
    pub split: bool,
    pub conditions: Vec<String>,
}

impl OptionsSpec {
    /// Parses the facade's options JSON (an empty text means the defaults).
    pub fn from_json(text: &str) -> Result<Self, GenerateError> {
        if text.trim().is_empty() {
            return Ok(OptionsSpec::default());
        }
        serde_json::from_str(text).map_err(|error| GenerateError::BadOption {
            option: "options".into(),
            message: format!("the options JSON is not usable: {error}"),
        })
    }

    /// Checks the options.
    pub fn resolve(&self) -> Result<(InputKind, Options), GenerateError> {
        let bad = |option: &str, message: String| GenerateError::BadOption {
            option: option.into(),
            message,
        };
        let kind = match self.input.as_deref() {
            None | Some("requests") => InputKind::Requests,
            Some("actiontrail") => InputKind::ActionTrail,
            Some(other) => {
                return Err(bad(
                    "input",
                    format!("unknown input `{other}`; expected `requests` or `actiontrail`"),
                ))
            }
        };
        let time = |option: &str, text: &Option<String>| match text {
            None => Ok(None),
            Some(text) => crate::actiontrail::parse_time(text)
                .map(Some)
                .ok_or_else(|| {
                    bad(
                        option,
                        format!("`{text}` is not an ISO 8601 time such as `2024-01-01T00:00:00Z`"),
                    )
                }),
        };
        let filter = EventFilter {
            principal: self.principal.clone(),
            since: time("since", &self.since)?,
            until: time("until", &self.until)?,
            include_failed: self.include_failed,
        };
        if kind == InputKind::Requests {
            let given = [
                ("principal", self.principal.is_some()),
                ("since", self.since.is_some()),
                ("until", self.until.is_some()),
                ("include-failed", self.include_failed),
            ];
            if let Some((option, _)) = given.iter().find(|(_, set)| *set) {
                return Err(bad(
                    option,
                    "applies to `--actiontrail` input only: requests carry no principal, time or error"
                        .into(),
                ));
            }
        }
        if let (Some(since), Some(until)) = (&filter.since, &filter.until) {
            if since >= until {
                return Err(bad("until", "must be later than `--since`".into()));
            }
        }
        let generalize = match &self.generalize {
            None => Generalize::None,
            Some(text) => text.parse()?,
        };
        let max_size = self.max_size.unwrap_or(DEFAULT_MAX_SIZE);
        if max_size == 0 {
            return Err(bad(
                "max-size",
                "must be a positive number of characters".into(),
            ));
        }
        if max_size > DEFAULT_MAX_SIZE {
            // RAM rejects a longer document, and lint would report `POLICY_SIZE_EXCEEDS_QUOTA`.
            return Err(bad(
                "max-size",
                format!("must be at most {DEFAULT_MAX_SIZE}, RAM's limit on a policy document; use `--split` for more"),
            ));
        }
        Ok((
            kind,
            Options {
                generalize,
                max_size,
                split: self.split,
                conditions: self.conditions.clone(),
                filter,
                threads: 1,
            },
        ))
    }
}

/// The policies with their texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// One or more policies (several only when splitting was allowed and needed).
    pub policies: Vec<Vec<Statement>>,
    /// Each policy pretty-printed, byte-identical for the same input, ending with a newline.
    pub texts: Vec<String>,
}

/// The result of [`Generator::finish`]: the summary always, the policies when they could be made.
#[derive(Debug, Clone)]
pub struct Generation {
    pub summary: Summary,
    pub result: Result<Output, GenerateError>,
}

impl Generator {
    /// A generator for the embedded catalog; fails on an unusable `--condition` key.
    pub fn new(options: Options) -> Result<Self, GenerateError> {
        let catalog = Catalog::embedded()?;
        let mut keys: Vec<ConditionKey> = Vec::new();
        for name in &options.conditions {
            let key = condition_key(name)?;
            if !keys.iter().any(|known| known.name == key.name) {
                keys.push(key);
            }
        }
        crate::sort::sort_by(&mut keys, |a, b| a.name.cmp(&b.name));
        if keys.len() > 64 {
            return Err(GenerateError::BadOption {
                option: "condition".into(),
                message: format!("at most 64 keys, found {}", keys.len()),
            });
        }
        let summary = Summary::new(&options);
        Ok(Generator {
            catalog,
            options,
            keys,
            uses: BTreeMap::new(),
            seen: HashMap::new(),
            emitted: None,
            summary,
            unreadable: None,
        })
    }

    /// Reads a whole input stream, one record at a time.
    pub fn read<R: std::io::BufRead + Send>(&mut self, kind: InputKind, input: R) {
        match kind {
            InputKind::Requests => {
                for item in reader::read_requests(input) {
                    match item {
                        Ok((request, origin)) => self.use_request(&request, origin, 1),
                        Err(malformed) if malformed.io => {
                            self.unreadable = Some(malformed.message);
                        }
                        Err(malformed) => {
                            self.add_malformed(malformed.record, malformed.line, malformed.message)
                        }
                    }
                }
            }
            InputKind::ActionTrail => {
                #[cfg(not(target_arch = "wasm32"))]
                let workers = crate::actiontrail::parallel::workers_for(self.options.threads);
                let take = |item| match item {
                    Err(EventError::Io { line, message }) => {
                        self.unreadable = Some(format!("after line {line}: {message}"));
                    }
                    other => self.add_event_item(other),
                };
                #[cfg(not(target_arch = "wasm32"))]
                crate::actiontrail::parallel::for_each_event(input, workers, take);
                #[cfg(target_arch = "wasm32")]
                crate::actiontrail::read_events(input).for_each(take);
            }
        }
    }

    /// A record that could not be read.
    fn add_malformed(&mut self, record: usize, line: usize, message: String) {
        self.summary.read += 1;
        self.summary.skip(
            "malformed",
            None,
            Some(RecordRef {
                record,
                line,
                message: Some(message),
            }),
        );
    }

    /// One item of an ActionTrail stream: an event, or a record that could not be read.
    fn add_event_item(&mut self, item: Result<Event, EventError>) {
        match item {
            Ok(event) => self.add_event(event),
            Err(error) => {
                let record = error.record().unwrap_or(0);
                let line = error.line();
                // The summary gives the line and record beside the message: not twice.
                let text = error.to_string();
                let place = format!("line {line} (record {record}): ");
                let message = text.strip_prefix(&place).unwrap_or(&text).to_string();
                self.add_malformed(record, line, message);
            }
        }
    }

    /// One ActionTrail event: filtered (not ECS, failed, other principal, outside the window),
    /// then used as a request.
    pub fn add_event(&mut self, event: Event) {
        let origin = Origin {
            record: event.record,
            line: event.line,
        };
        if let Some(reason) = self.options.filter.check(&event) {
            self.summary.read += 1;
            self.summary
                .skip(reason.kind(), reason.detail(), Some(origin.into()));
            return;
        }
        // The context is needed only for `--condition`.
        let request = event.into_request_with_context(!self.keys.is_empty());
        self.use_request(&request, origin, 1);
    }

    /// One request (`--requests`).
    pub fn add_request(&mut self, request: &Request, record: usize, line: usize) {
        self.use_request(request, Origin { record, line }, 1);
    }

    /// Builds the policies: exact grants, `--generalize`, then fitting to `--max-size`
    /// (widening, then splitting when allowed).
    pub fn finish(mut self) -> Generation {
        self.summary.distinct_calls = self.seen.len() as u64;
        if let Some(message) = self.unreadable.take() {
            return Generation {
                summary: self.summary,
                result: Err(GenerateError::Unreadable { message }),
            };
        }
        if self.summary.used == 0 {
            let result = Err(GenerateError::NoCalls {
                read: self.summary.read,
                skipped: self.summary.skipped(),
                reasons: self.summary.skip_reasons(),
            });
            return Generation {
                summary: self.summary,
                result,
            };
        }
        let mut grants = Vec::with_capacity(self.uses.len());
        let mut reports: Vec<ConditionReport> = self
            .keys
            .iter()
            .map(|key| ConditionReport {
                key: key.name.clone(),
                operator: key.operator,
                ..ConditionReport::default()
            })
            .collect();
        let mut arn_total: BTreeSet<&str> = BTreeSet::new();
        for (action, used) in &self.uses {
            arn_total.extend(used.arns.iter().map(String::as_str));
            let mut condition: layout::Condition = BTreeMap::new();
            for (((key, values), without), report) in self
                .keys
                .iter()
                .zip(&used.values)
                .zip(&used.without)
                .zip(reports.iter_mut())
            {
                if *without > 0 {
                    report.omitted.push(format!(
                        "`{action}`: {without} of {} calls had no usable value",
                        used.calls
                    ));
                    continue;
                }
                if key.value_type == KeyType::Bool && values.len() > 1 {
                    report
                        .omitted
                        .push(format!("`{action}`: both `true` and `false` were observed"));
                    continue;
                }
                if let Some(private) = private_source_address(key, values) {
                    report.omitted.push(format!(
                        "`{action}`: calls came from the private address `{private}`, but `acs:SourceIp` is the public address a request comes from (lint's `PRIVATE_IP_IN_SOURCE_IP`); requests over a VPC are limited with `acs:SourceVpc`"
                    ));
                    continue;
                }
                let mut sorted: Vec<String> = values.iter().cloned().collect();
                if key.value_type == KeyType::Ip {
                    crate::sort::sort_by_key(&mut sorted, |value| {
                        (parse_network(value), value.clone())
                    });
                }
                report.actions.push((*action).to_string());
                report.values.extend(sorted.iter().cloned());
                condition
                    .entry(key.operator.to_string())
                    .or_default()
                    .insert(key.name.clone(), sorted);
            }
            grants.push(layout::Grant {
                action: (*action).to_string(),
                resources: used.arns.iter().cloned().collect(),
                condition,
            });
        }
        for report in &mut reports {
            crate::sort::sort(&mut report.values);
            report.values.dedup();
        }
        self.summary.actions = self.uses.len();
        self.summary.arns = arn_total.len();
        self.summary.conditions = reports;
        let fitted = layout::fit(
            grants,
            self.options.generalize,
            self.options.max_size,
            self.options.split,
        );
        let result = match fitted {
            Ok(fitted) => {
                self.summary.widenings = fitted.widenings;
                self.summary.layout = fitted.layout;
                self.summary.sizes = fitted
                    .policies
                    .iter()
                    .map(|policy| layout::policy_size(policy))
                    .collect();
                self.summary.statements = fitted.policies.iter().map(Vec::len).sum();
                let texts: Vec<String> = fitted
                    .policies
                    .iter()
                    .map(|policy| layout::render(policy))
                    .collect();
                for (index, text) in texts.iter().enumerate() {
                    for finding in crate::lint::lint(text) {
                        if finding.severity >= crate::lint::Severity::Warning {
                            self.summary.lint.push(LintNote {
                                policy: index + 1,
                                code: finding.code,
                                severity: finding.severity,
                                message: finding.message,
                                path: finding.path,
                            });
                        }
                    }
                }
                Ok(Output {
                    policies: fitted.policies,
                    texts,
                })
            }
            Err((error, widenings)) => {
                self.summary.widenings = widenings;
                Err(error)
            }
        };
        Generation {
            summary: self.summary,
            result,
        }
    }
}

impl Generation {
    /// `{"policy": …, "policy_text": "…", "summary": …}`, or `"policies"` and `"policy_texts"`
    /// when the policy was split; the error when no policy could be made.
    pub fn to_json(&self) -> Result<serde_json::Value, GenerateError> {
        Ok(serde_json::to_value(self.view()?).unwrap_or_default())
    }

    /// What [`Generation::to_json`] gives, as a type (the facade's `generate` answer).
    pub fn view(&self) -> Result<GenerationView<'_>, GenerateError> {
        let output = self.result.as_ref().map_err(Clone::clone)?;
        let summary = SummaryView {
            summary: &self.summary,
            skipped_total: self.summary.skipped(),
            size_counting: summary::SIZE_COUNTING,
            text: self.summary.to_text(),
        };
        Ok(
            match (output.policies.as_slice(), output.texts.as_slice()) {
                ([policy], [text]) => GenerationView::One {
                    policy: layout::to_value(policy),
                    policy_text: text,
                    summary,
                },
                _ => GenerationView::Split {
                    policies: output
                        .policies
                        .iter()
                        .map(|p| layout::to_value(p))
                        .collect(),
                    policy_texts: &output.texts,
                    summary,
                },
            },
        )
    }
}

/// A generated policy, or several when split, with the summary.
#[derive(Debug, serde::Serialize)]
#[serde(untagged)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Generated"))]
pub enum GenerationView<'a> {
    One {
        #[cfg_attr(test, ts(type = "unknown"))]
        policy: serde_json::Value,
        policy_text: &'a str,
        summary: SummaryView<'a>,
    },
    Split {
        #[cfg_attr(test, ts(type = "unknown[]"))]
        policies: Vec<serde_json::Value>,
        policy_texts: &'a [String],
        summary: SummaryView<'a>,
    },
}

/// The summary as JSON (`generate --summary-format json`, the facade), with `text`: the same
/// summary as the CLI writes it, so that the editor shows the same words.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "GenerateSummary"))]
pub struct SummaryView<'a> {
    #[serde(flatten)]
    pub summary: &'a Summary,
    pub skipped_total: u64,
    pub size_counting: &'static str,
    pub text: String,
}

/// Generates from a whole text (the facade and the WebAssembly module).
pub fn generate_text(
    text: &str,
    kind: InputKind,
    options: Options,
) -> Result<Generation, GenerateError> {
    let mut generator = Generator::new(options)?;
    generator.read(kind, text.as_bytes());
    Ok(generator.finish())
}

/// The first observed `acs:SourceIp` value in a private range: a condition on it would not
/// lint clean (`PRIVATE_IP_IN_SOURCE_IP`) and rarely means what it says.
fn private_source_address<'v>(key: &ConditionKey, values: &'v BTreeSet<String>) -> Option<&'v str> {
    if !key.name.eq_ignore_ascii_case("acs:SourceIp") {
        return None;
    }
    values
        .iter()
        .find(|value| {
            parse_network(value).is_some_and(|network| crate::facts::is_private(&network))
        })
        .map(String::as_str)
}

impl From<Origin> for RecordRef {
    fn from(origin: Origin) -> Self {
        RecordRef {
            record: origin.record,
            line: origin.line,
            message: None,
        }
    }
}

#[cfg(test)]
mod tests;
