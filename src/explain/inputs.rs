//! The three inputs of `explain` turned into calls: a request (as for `resolve`), ActionTrail
//! events (read by [`crate::actiontrail`]) and RAM's error bodies (read by
//! [`crate::diagnostic`]). The last two also say what RAM decided.
//!
//! With several ActionTrail events, the denied ones (`errorCode` set) are explained, or all of
//! them with [`InputKind::ActionTrail`]`{ all: true }`; a single event is always explained.
//! Events that are not ECS API calls are listed as skipped, and events that cannot be resolved
//! (an unknown action, a missing parameter) as errors.

use super::{explain, Call, CallResource, Explanation, Policies, RamVerdict};
use crate::actiontrail::{Event, Gap};
use crate::catalog::Catalog;
use crate::diagnostic::{DenyKind, Diagnostic, DiagnosticSource};
use crate::error::Error;
use crate::eval::Decision;
use crate::request::Request;
use serde::Serialize;
use std::collections::BTreeMap;

/// Which input the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A request as for `resolve`.
    Request,
    /// ActionTrail events; `all` explains every event, not only the denied ones.
    ActionTrail { all: bool },
    /// An ECS error body with `AccessDeniedDetail`, or a `DecodeDiagnosticMessage` response.
    Error,
}

/// Additions to the request's context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--context KEY=VALUE` pairs: they replace the input's values of those keys (a key given
    /// several times gets several values).
    pub context: Vec<(String, String)>,
    /// A value for `acs:CurrentTime` when the input has none. The library never reads the
    /// clock; the CLI passes the current time here and the output says so.
    pub current_time: Option<String>,
}

impl Options {
    /// Adds these options to a call's context: `--context` values replace the context's values
    /// of those keys (key names compare with letter case, as everywhere), and the current time
    /// fills `acs:CurrentTime` when the context has none. Returns whether it did that.
    pub fn apply_to(&self, context: &mut BTreeMap<String, Vec<String>>) -> bool {
        let mut given: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, value) in &self.context {
            given.entry(key.clone()).or_default().push(value.clone());
        }
        context.extend(given);
        match &self.current_time {
            Some(now) if !context.contains_key(CURRENT_TIME) => {
                context.insert(CURRENT_TIME.to_string(), vec![now.clone()]);
                true
            }
            _ => false,
        }
    }
}

/// The condition key the CLI may fill from the clock.
const CURRENT_TIME: &str = "acs:CurrentTime";

/// The event an explanation is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EventInfo {
    pub record: usize,
    pub line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub event_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub event_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub event_name: Option<String>,
    /// `ApiCall`, `ConsoleOperation`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub event_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub principal: Option<String>,
}

/// One explained call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Item {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub event: Option<EventInfo>,
    #[serde(flatten)]
    pub explanation: Explanation,
}

/// An event that is not explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Skipped {
    pub record: usize,
    pub line: usize,
    pub reason: String,
}

/// A record that could not be explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecordError {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub record: Option<usize>,
    pub line: usize,
    pub kind: String,
    pub message: String,
}

/// Everything `explain` says about its input.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Report {
    /// `request`, `actiontrail` or `error`.
    pub input: &'static str,
    pub explanations: Vec<Item>,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<RecordError>,
}

impl Report {
    /// 2 when a record could not be explained, else 1 when a call is denied, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self
            .explanations
            .iter()
            .any(|item| item.explanation.decision != Decision::Allow)
        {
            1
        } else {
            0
        }
    }

    /// The report as data: for a request or an error body, the explanation itself (with
    /// `input`); for ActionTrail, `{input, explanations, skipped, errors}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.view()).unwrap_or_default()
    }

    /// What [`Report::to_json`] gives, as a type (the facade's `explain` answer).
    pub fn view(&self) -> ReportView<'_> {
        match self.explanations.as_slice() {
            [item] if self.input != "actiontrail" => ReportView::One(SingleView {
                input: self.input,
                item,
            }),
            _ => ReportView::Events(self),
        }
    }

    /// What [`Report::to_json`] gives, serialized one explanation at a time: only one item is
    /// a [`serde_json::Value`] at any moment, so the CLI's memory follows the output instead of
    /// a multiple of it (40 MB of ActionTrail events gave 2.4 GB of `Value`s).
    pub fn json(&self) -> ReportJson<'_> {
        ReportJson(self)
    }
}

/// `explain`'s answer: for a request or an error body with one explanation, the explanation
/// itself with `input`; otherwise the whole report.
#[derive(Debug, Serialize)]
#[serde(untagged)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ExplainOutput"))]
pub enum ReportView<'a> {
    One(SingleView<'a>),
    Events(&'a Report),
}

/// One explained call: `ram-policy explain --format json` for a request or an error body.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "Explanation"))]
pub struct SingleView<'a> {
    /// `request` or `error`.
    #[cfg_attr(test, ts(type = "\"request\" | \"error\""))]
    pub input: &'static str,
    #[serde(flatten)]
    pub item: &'a Item,
}

/// Each element as a `Value` (keys sorted, as in [`Report::to_json`]), one at a time.
struct Sorted<'a, T>(&'a [T]);

impl<T: Serialize> Serialize for Sorted<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&serde_json::to_value(item).map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// See [`Report::json`]. Members are in alphabetical order, as in a [`serde_json::Value`].
pub struct ReportJson<'a>(&'a Report);

impl Serialize for ReportJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let report = self.0;
        if let ReportView::One(single) = report.view() {
            return single_json(single, serializer);
        }
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("errors", &Sorted(&report.errors))?;
        map.serialize_entry("explanations", &Sorted(&report.explanations))?;
        map.serialize_entry("input", report.input)?;
        map.serialize_entry("skipped", &Sorted(&report.skipped))?;
        map.end()
    }
}

/// One explanation as [`Report::to_json`] gives it, with its ARNs made values one at a time: the
/// rest of it is made a value (to sort its members) without the ARNs, whose place in that
/// order is kept by an empty list (a request naming 600,000 security groups is one explanation
/// of 600,000 ARNs).
fn single_json<S: serde::Serializer>(
    single: SingleView<'_>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::{Error as _, SerializeMap};
    let explanation = &single.item.explanation;
    let without_arns = Item {
        event: single.item.event.clone(),
        explanation: Explanation {
            headline: explanation.headline.clone(),
            decision: explanation.decision,
            action: explanation.action.clone(),
            account: explanation.account.clone(),
            region: explanation.region.clone(),
            resources: Vec::new(),
            skipped: explanation.skipped.clone(),
            context_keys: explanation.context_keys.clone(),
            fix: explanation.fix.clone(),
            ram: explanation.ram.clone(),
            unknown: explanation.unknown.clone(),
            notes: explanation.notes.clone(),
        },
    };
    let rest = serde_json::to_value(SingleView {
        input: single.input,
        item: &without_arns,
    })
    .map_err(S::Error::custom)?;
    let serde_json::Value::Object(members) = rest else {
        return rest.serialize(serializer);
    };
    let mut map = serializer.serialize_map(Some(members.len()))?;
    for (key, value) in &members {
        if key == "resources" {
            map.serialize_entry(key, &Sorted(&explanation.resources))?;
        } else {
            map.serialize_entry(key, value)?;
        }
    }
    map.end()
}

/// Explains an input against policies.
pub fn run(
    policies: &Policies,
    kind: InputKind,
    text: &str,
    options: &Options,
) -> Result<Report, Error> {
    match kind {
        InputKind::Request => run_request(policies, text, options),
        InputKind::Error => {
            let diagnostic = Diagnostic::from_json(text)?;
            let mut call = diagnostic_call(&diagnostic)?;
            let verdict = diagnostic_verdict(&diagnostic);
            let explanation = explain_call(
                policies,
                &mut call,
                options,
                Some(&verdict),
                Some((diagnostic.gaps(), not_in_diagnostic)),
            );
            Ok(single("error", explanation))
        }
        InputKind::ActionTrail { all } => Ok(actiontrail(policies, text, all, options)),
    }
}

/// Explains a request (JSON text) against policies: [`run`] with [`InputKind::Request`], which the
/// editor's `evaluateAndExplain` calls directly so that its module holds no reader of ActionTrail
/// events or error bodies.
pub fn run_request(policies: &Policies, text: &str, options: &Options) -> Result<Report, Error> {
    // The call has what the explanation needs: the request goes before it is made.
    let mut call = Call::from_request(&Request::from_json(text)?)?;
    let explanation = explain_call(policies, &mut call, options, None, None);
    Ok(single("request", explanation))
}

fn single(input: &'static str, explanation: Explanation) -> Report {
    Report {
        input,
        explanations: vec![Item {
            event: None,
            explanation,
        }],
        skipped: Vec::new(),
        errors: Vec::new(),
    }
}

/// What an input does not tell: its gaps, and the words for a consulted key it says nothing
/// about (`None` for a request, whose context is whatever the user gave).
type Unknowns = Option<(Vec<Gap>, fn(&str) -> String)>;

/// Explains a call, filling `acs:CurrentTime` from the options when the input lacks it, and
/// listing what the input does not tell that the answer depends on.
fn explain_call(
    policies: &Policies,
    call: &mut Call,
    options: &Options,
    verdict: Option<&RamVerdict>,
    unknowns: Unknowns,
) -> Explanation {
    let filled = options.apply_to(&mut call.context);
    let mut explanation = explain(policies, call, verdict);
    if filled {
        for key in &mut explanation.context_keys {
            if key.key == CURRENT_TIME {
                key.filled_by = Some("the CLI, from the clock".to_string());
            }
        }
    }
    if let Some((gaps, not_told)) = unknowns {
        explanation.unknown = relevant_gaps(&explanation, gaps, not_told);
        let depends: Vec<String> = explanation
            .unknown
            .iter()
            .filter(|gap| is_condition_key(&gap.subject))
            .map(|gap| format!("`{}`", gap.subject))
            .collect();
        if !depends.is_empty() {
            explanation.notes.push(format!(
                "the decision depends on {}, which the input does not tell (see \"Not known from the input\"): with {} value{} the answer may differ",
                depends.join(", "),
                if depends.len() == 1 { "its real" } else { "their real" },
                if depends.len() == 1 { "" } else { "s" },
            ));
        }
    }
    explanation
}

/// Whether a gap's subject is a condition key (`acs:SourceIp`, `ecs:tag/env`) rather than a
/// place in the input (`/requestParameters/InstanceId`) or a part of the call (`params`).
fn is_condition_key(subject: &str) -> bool {
    !subject.starts_with('/') && subject.contains(':')
}

/// The gaps the answer depends on: every condition key consulted by a statement whose action
/// and resource match and that the call's context lacks (with the input's reason, or
/// `not_told`'s words for facts the input cannot carry: resource tags, the source VPC, image
/// properties), and every gap that is not about a condition key (masked ids, unknown
/// parameters). Gaps about keys no such statement consults are left out.
fn relevant_gaps(
    explanation: &Explanation,
    gaps: Vec<Gap>,
    not_told: fn(&str) -> String,
) -> Vec<Gap> {
    let mut relevant: Vec<Gap> = Vec::new();
    for key in explanation
        .context_keys
        .iter()
        .filter(|key| key.values.is_none())
    {
        let gap = gaps
            .iter()
            .find(|gap| gap.subject == key.key)
            .cloned()
            .unwrap_or_else(|| Gap::new(key.key.clone(), not_told(&key.key)));
        relevant.push(gap);
    }
    relevant.extend(
        gaps.into_iter()
            .filter(|gap| !is_condition_key(&gap.subject)),
    );
    relevant
}

/// A consulted key an error body does not carry.
fn not_in_diagnostic(key: &str) -> String {
    format!("the error input does not carry `{key}`")
}

/// Whether an error code says RAM refused the call.
pub fn is_permission_error(code: &str) -> bool {
    let lower = code.to_ascii_lowercase();
    lower.starts_with("nopermission")
        || lower.starts_with("forbidden")
        || lower.contains("passroleforbidden")
        || lower.contains("notauthorized")
        || lower.contains("accessdenied")
}

fn event_verdict(event: &Event) -> RamVerdict {
    let source = "ActionTrail `errorCode`".to_string();
    match event.error_code.as_deref().filter(|code| !code.is_empty()) {
        None => RamVerdict {
            source,
            said: "allowed (the event has no `errorCode`)".into(),
            denied: Some(false),
            deny_kind: None,
            matched_policies: Vec::new(),
        },
        Some(code) if is_permission_error(code) => RamVerdict {
            source,
            said: format!("denied (`{code}`)"),
            denied: Some(true),
            deny_kind: None,
            matched_policies: Vec::new(),
        },
        Some(code) => RamVerdict {
            source,
            said: format!("the call failed with `{code}`, which is not a permission error"),
            denied: None,
            deny_kind: None,
            matched_policies: Vec::new(),
        },
    }
}

fn diagnostic_verdict(diagnostic: &Diagnostic) -> RamVerdict {
    let matched_policies = diagnostic
        .matched_policies
        .iter()
        .filter_map(|policy| policy.policy_identifier.clone())
        .collect();
    let (source, field) = match diagnostic.source {
        DiagnosticSource::DecodedDiagnosticMessage => (
            "`DecodedDiagnosticMessage.ExplicitDeny`".to_string(),
            "ExplicitDeny",
        ),
        DiagnosticSource::AccessDeniedDetail => (
            "`AccessDeniedDetail.NoPermissionType`".to_string(),
            "NoPermissionType",
        ),
        DiagnosticSource::ErrorBody => ("the error `Code`".to_string(), "Code"),
    };
    let (said, denied, deny_kind) = match &diagnostic.deny {
        Some(DenyKind::Implicit) => (
            "ImplicitDeny".to_string(),
            Some(true),
            Some(Decision::ImplicitDeny),
        ),
        Some(DenyKind::Explicit) => (
            "ExplicitDeny".to_string(),
            Some(true),
            Some(Decision::ExplicitDeny),
        ),
        Some(DenyKind::Other(text)) => (format!("denied (`{field}` `{text}`)"), Some(true), None),
        None => match diagnostic.code.as_deref() {
            Some(code) if is_permission_error(code) => {
                (format!("denied (`{code}`)"), Some(true), None)
            }
            Some(code) => (
                format!("the call failed with `{code}`, which is not a permission error"),
                None,
                None,
            ),
            None => ("denied".to_string(), Some(true), None),
        },
    };
    RamVerdict {
        source,
        said,
        denied,
        deny_kind,
        matched_policies,
    }
}

/// The call a diagnostic tells: its action and the ARN RAM named (or, when it names none, the
/// ARNs the catalog gives for the action without parameters).
fn diagnostic_call(diagnostic: &Diagnostic) -> Result<Call, Error> {
    let request = diagnostic.request();
    let Some(action) = diagnostic.action.clone().filter(|a| !a.is_empty()) else {
        return Err(Error::Input {
            message: "the error input names no action (`AuthAction`, or `Action:` in `Message`), so the call cannot be rebuilt".into(),
        });
    };
    let catalog = Catalog::embedded()?;
    let in_catalog = action
        .split_once(':')
        .is_none_or(|(service, _)| catalog.covers(service));
    let action = if in_catalog {
        catalog
            .lookup(&action)
            .map_err(crate::resolve::ResolveError::from)?
            .qualified_name()
            .to_string()
    } else {
        action
    };
    match &diagnostic.resource {
        Some(resource) => Ok(Call {
            unknown_keys: crate::eval::request_context(&request, &action)?
                .derivation
                .unknown,
            action,
            account: request.account.clone(),
            region: request.region.clone(),
            resources: vec![CallResource {
                arn: resource.clone(),
                template: std::sync::Arc::from(""),
                bindings: Vec::new(),
                named_by: Some(match diagnostic.source {
                    DiagnosticSource::DecodedDiagnosticMessage => "AuthResource".to_string(),
                    _ => "Message".to_string(),
                }),
            }],
            skipped: Vec::new(),
            context: request.context.clone(),
        }),
        None if in_catalog => {
            let mut request = request;
            request.action = action;
            Call::from_request(&request).map_err(|error| Error::Input {
                message: format!(
                    "the error input names no resource, and the call's ARNs cannot be rebuilt without its parameters ({error}); give the request with `--request`"
                ),
            })
        }
        None => Err(Error::Input {
            message: format!(
                "the error input names no resource for `{action}`, and the catalog covers ECS only; give the request with `--request`"
            ),
        }),
    }
}

/// RAM policies do not restrict the root account: say so first, and, when RAM denied the call,
/// give it as the reason rather than the policies.
fn root_account(explanation: &mut Explanation) {
    let note = crate::actiontrail::ROOT_ACCOUNT_NOTE.to_string();
    if let Some(ram) = &mut explanation.ram {
        ram.reasons.insert(0, note.clone());
    }
    explanation.notes.insert(0, note);
    // A fix to the policies would change nothing for the root account (and removing a Deny
    // would weaken them for everyone else).
    explanation.fix = None;
}

fn event_info(event: &Event) -> EventInfo {
    EventInfo {
        record: event.record,
        line: event.line,
        event_id: event.event_id.clone(),
        event_time: event
            .event_time
            .as_ref()
            .map(crate::actiontrail::format_time),
        event_name: event.event_name.clone(),
        event_type: event.event_type.clone(),
        error_code: event.error_code.clone(),
        principal: event.user_identity.arns().into_iter().next(),
    }
}

fn actiontrail(policies: &Policies, text: &str, all: bool, options: &Options) -> Report {
    let mut report = Report {
        input: "actiontrail",
        explanations: Vec::new(),
        skipped: Vec::new(),
        errors: Vec::new(),
    };
    for outcome in EventOutcomes::new(policies, text, all, options, true) {
        match outcome {
            EventOutcome::Explained(item) => report.explanations.push(*item),
            EventOutcome::Skipped(skipped) => report.skipped.push(skipped),
            EventOutcome::Error(error) => report.errors.push(error),
        }
    }
    report
}

/// What one ActionTrail record gives.
#[derive(Debug, Clone, PartialEq)]
pub enum EventOutcome {
    Explained(Box<Item>),
    Skipped(Skipped),
    Error(RecordError),
}

/// The records of an ActionTrail text, explained one at a time in input order: the one place
/// that decides what each record gives, for the whole [`Report`] (`run`) and for the
/// streaming writers ([`write_events_json`], [`super::render::write_events`]), which hold one
/// explanation at a time.
pub struct EventOutcomes<'a> {
    policies: &'a Policies,
    records: std::iter::Peekable<crate::actiontrail::EventReader<&'a [u8]>>,
    /// The first record, read ahead to know whether it is the only one.
    first: Option<Result<Event, crate::actiontrail::EventError>>,
    only_one: bool,
    all: bool,
    options: &'a Options,
    /// Whether to explain the calls (else only resolve them, for their errors).
    explain: bool,
}

impl<'a> EventOutcomes<'a> {
    /// The outcomes of `text`'s records; with `explain` false, explained calls are only
    /// resolved and left out (what remains are the skipped records and the errors).
    pub fn new(
        policies: &'a Policies,
        text: &'a str,
        all: bool,
        options: &'a Options,
        explain: bool,
    ) -> Self {
        let mut records = crate::actiontrail::read_events(text.as_bytes()).peekable();
        let first = records.next();
        let only_one = first.is_some() && records.peek().is_none();
        EventOutcomes {
            policies,
            records,
            first,
            only_one,
            all,
            options,
            explain,
        }
    }

    fn outcome(
        &self,
        record: Result<Event, crate::actiontrail::EventError>,
    ) -> Option<EventOutcome> {
        let event = match record {
            Ok(event) => event,
            Err(error) => {
                return Some(EventOutcome::Error(RecordError {
                    record: error.record(),
                    line: error.line(),
                    kind: error.kind().to_string(),
                    message: error.to_string(),
                }));
            }
        };
        if let Some(reason) = event.skip_reason() {
            return Some(EventOutcome::Skipped(Skipped {
                record: event.record,
                line: event.line,
                reason: reason.to_string(),
            }));
        }
        if !self.all && !self.only_one && !event.is_failed() {
            return Some(EventOutcome::Skipped(Skipped {
                record: event.record,
                line: event.line,
                reason: "the call succeeded (no `errorCode`); use `--all` to explain it too".into(),
            }));
        }
        let request = event.request();
        match Call::from_request(&request) {
            Ok(_) if !self.explain => None,
            Ok(mut call) => {
                let verdict = event_verdict(&event);
                let mut explanation = explain_call(
                    self.policies,
                    &mut call,
                    self.options,
                    Some(&verdict),
                    Some((event.gaps(), crate::actiontrail::not_recorded)),
                );
                if event.is_root_account() {
                    root_account(&mut explanation);
                }
                Some(EventOutcome::Explained(Box::new(Item {
                    event: Some(event_info(&event)),
                    explanation,
                })))
            }
            Err(error) => {
                let error = Error::from(error);
                Some(EventOutcome::Error(RecordError {
                    record: Some(event.record),
                    line: event.line,
                    kind: error.kind().to_string(),
                    message: format!("line {} (record {}): {error}", event.line, event.record),
                }))
            }
        }
    }
}

impl Iterator for EventOutcomes<'_> {
    type Item = EventOutcome;

    fn next(&mut self) -> Option<EventOutcome> {
        loop {
            let record = match self.first.take() {
                Some(first) => first,
                None => self.records.next()?,
            };
            if let Some(outcome) = self.outcome(record) {
                return Some(outcome);
            }
        }
    }
}

/// What remains of streamed events once their explanations are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventsSummary {
    pub explained: usize,
    /// Whether an explained call is not allowed.
    pub denied: bool,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<RecordError>,
}

impl EventsSummary {
    /// [`Report::exit_code`] of the same events.
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            2
        } else if self.denied {
            1
        } else {
            0
        }
    }

    /// Counts an explanation (and keeps nothing of it).
    pub fn count(&mut self, item: &Item) {
        self.explained += 1;
        self.denied |= item.explanation.decision != Decision::Allow;
    }
}

/// `explain --actiontrail --format json`, written as the explanations are made: the same bytes
/// as [`Report::json`] pretty-printed (members in alphabetical order), with one explanation in
/// memory at a time. The errors come first in that order, so the records are read twice: once
/// to find the errors (resolving calls, explaining none), once to explain.
pub fn write_events_json(
    policies: &Policies,
    text: &str,
    all: bool,
    options: &Options,
    writer: impl std::io::Write,
) -> Result<EventsSummary, serde_json::Error> {
    use serde::ser::{Error as _, SerializeMap, SerializeSeq};
    use std::cell::RefCell;
    let errors: Vec<RecordError> = EventOutcomes::new(policies, text, all, options, false)
        .filter_map(|outcome| match outcome {
            EventOutcome::Error(error) => Some(error),
            _ => None,
        })
        .collect();
    let summary = RefCell::new(EventsSummary {
        errors,
        ..EventsSummary::default()
    });
    /// The explanations, made while they are written; skipped records go to the summary.
    struct Explained<'a, 's>(RefCell<EventOutcomes<'a>>, &'s RefCell<EventsSummary>);
    impl Serialize for Explained<'_, '_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut seq = serializer.serialize_seq(None)?;
            for outcome in &mut *self.0.borrow_mut() {
                match outcome {
                    EventOutcome::Explained(item) => {
                        self.1.borrow_mut().count(&item);
                        let value = serde_json::to_value(&item).map_err(S::Error::custom)?;
                        seq.serialize_element(&value)?;
                    }
                    EventOutcome::Skipped(skipped) => self.1.borrow_mut().skipped.push(skipped),
                    // Already listed by the first reading.
                    EventOutcome::Error(_) => {}
                }
            }
            seq.end()
        }
    }
    let explained = Explained(
        RefCell::new(EventOutcomes::new(policies, text, all, options, true)),
        &summary,
    );
    let mut serializer = serde_json::Serializer::pretty(writer);
    let mut map = serde::Serializer::serialize_map(&mut serializer, Some(4))?;
    map.serialize_entry("errors", &Sorted(&summary.borrow().errors))?;
    map.serialize_entry("explanations", &explained)?;
    map.serialize_entry("input", "actiontrail")?;
    map.serialize_entry("skipped", &Sorted(&summary.borrow().skipped))?;
    SerializeMap::end(map)?;
    Ok(summary.into_inner())
}
