//! Reading ActionTrail events: the audit log of API calls, as `explain --actiontrail` and
//! `generate --actiontrail` take it.
//!
//! # Input forms
//! [`EventReader`] detects the form by itself:
//! - a single event object (pretty-printed over many lines or on one line);
//! - a JSON array of events (streamed element by element: the array is never held whole);
//! - JSON Lines: one event per line, blank lines allowed; a line holding an array counts as
//!   several records;
//! - a Log Service export: records whose field `event` holds the event as a JSON string (or as
//!   an object), the records themselves given in any of the forms above.
//!
//! The form is decided at the first line break after the first value: when a whole value ended
//! on the first line, the input is JSON Lines and every line is parsed alone, so a broken line
//! yields one error and the next line is read normally. Otherwise (a pretty-printed document, a
//! top-level array) the input is split into values by tracking brackets and strings; a record
//! with a syntax error yields one error and the next record is read normally, but a record whose
//! brackets or quotes never close swallows the rest of the input and is reported once at its end.
//!
//! Memory holds one record at a time (records above [`MAX_RECORD_BYTES`] are refused), never
//! the whole input.
//!
//! # From event to request
//! See `docs/inputs.md` for every rule; in short: the action is `<service>:<eventName>`, the
//! account is `recipientAccountId` else `userIdentity.accountId`, the region is `acsRegion`, the
//! parameters are `requestParameters` (nested objects and arrays of objects flattened to ECS's
//! dotted form, `SystemDisk.Category`, `Tag.1.Key`), and the context carries `acs:SourceIp`,
//! `acs:MFAPresent`, `acs:AccessId`, `acs:UserAgent`, `acs:CurrentTime` and `acs:SecureTransport`
//! when the event tells them. Masked values (`10.10.**.**`, `11.168.XX.XX`, `STS.abc****`) are
//! kept out of the context and listed in [`Event::masked`].

use crate::request::{escape_pointer, type_name, ParamValue, Request};
use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::io::{BufRead, Read};

/// The largest record read, in bytes (16 MiB); a larger record is reported and skipped.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Errors

/// Why a record of an ActionTrail input could not be read. Every variant names the record
/// (counted from 1 over the whole input, errors included) and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// The record is not valid JSON.
    #[error("line {line} (record {record}): malformed JSON at column {column}: {message}")]
    Json {
        record: usize,
        line: usize,
        column: usize,
        message: String,
    },
    /// The record's brackets or quotes do not close before the line (JSON Lines) or the input ends.
    #[error("line {line} (record {record}): the JSON value is not complete: {what}")]
    Incomplete {
        record: usize,
        line: usize,
        what: &'static str,
    },
    /// The record is JSON but not an object.
    #[error("line {line} (record {record}): expected an event object, found {found}")]
    NotAnObject {
        record: usize,
        line: usize,
        found: &'static str,
    },
    /// A Log Service record whose `event` string is not JSON.
    #[error("line {line} (record {record}): the Log Service field `event` is not JSON: {message} at column {column} of the string")]
    EmbeddedJson {
        record: usize,
        line: usize,
        column: usize,
        message: String,
    },
    /// A field has the wrong JSON type.
    #[error("line {line} (record {record}): `{pointer}` must be {expected}, found {found}")]
    WrongType {
        record: usize,
        line: usize,
        pointer: String,
        expected: &'static str,
        found: &'static str,
    },
    /// `eventTime` is not an ISO 8601 / RFC 3339 time.
    #[error("line {line} (record {record}): `{pointer}` is not an ISO 8601 time: `{text}`")]
    BadTime {
        record: usize,
        line: usize,
        pointer: String,
        text: String,
    },
    /// The record is larger than [`MAX_RECORD_BYTES`].
    #[error("line {line} (record {record}): the record is larger than {limit} bytes")]
    TooLarge {
        record: usize,
        line: usize,
        limit: usize,
    },
    /// The input could not be read; the stream ends here.
    #[error("cannot read the ActionTrail input after line {line}: {message}")]
    Io { line: usize, message: String },
}

impl EventError {
    /// The record number (counted from 1), when the error is about one record.
    pub fn record(&self) -> Option<usize> {
        match self {
            EventError::Json { record, .. }
            | EventError::Incomplete { record, .. }
            | EventError::NotAnObject { record, .. }
            | EventError::EmbeddedJson { record, .. }
            | EventError::WrongType { record, .. }
            | EventError::BadTime { record, .. }
            | EventError::TooLarge { record, .. } => Some(*record),
            EventError::Io { .. } => None,
        }
    }

    /// The line the record starts on (or the last line read, for [`EventError::Io`]).
    pub fn line(&self) -> usize {
        match self {
            EventError::Json { line, .. }
            | EventError::Incomplete { line, .. }
            | EventError::NotAnObject { line, .. }
            | EventError::EmbeddedJson { line, .. }
            | EventError::WrongType { line, .. }
            | EventError::BadTime { line, .. }
            | EventError::TooLarge { line, .. }
            | EventError::Io { line, .. } => *line,
        }
    }

    /// A short stable kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            EventError::Json { .. } | EventError::Incomplete { .. } => "malformed_json",
            EventError::EmbeddedJson { .. } => "malformed_json",
            EventError::NotAnObject { .. } | EventError::WrongType { .. } => "wrong_type",
            EventError::BadTime { .. } => "bad_time",
            EventError::TooLarge { .. } | EventError::Io { .. } => "input",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Events

/// Who made the call (`userIdentity`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UserIdentity {
    /// `type`: `root-account`, `ram-user`, `assumed-role`, `system`, …
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// For an assumed role, `<role>:<session>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    /// `sessionContext.attributes.mfaAuthenticated`, as `true` / `false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_authenticated: Option<bool>,
    /// `arn`, when the event carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
}

impl UserIdentity {
    /// ARN-like names of the principal, most specific first:
    /// `acs:ram::<account>:user/<name>` for a RAM user,
    /// `acs:ram::<account>:assumed-role/<role>/<session>` and `acs:ram::<account>:role/<role>`
    /// for an assumed role (its `userName` is `<role>:<session>`), `acs:ram::<account>:root` for
    /// the account itself; plus the event's own `arn`, if any.
    pub fn arns(&self) -> Vec<String> {
        let mut arns = Vec::new();
        if let Some(arn) = &self.arn {
            arns.push(arn.clone());
        }
        let (Some(account), Some(kind)) = (&self.account_id, &self.kind) else {
            return arns;
        };
        match (kind.as_str(), &self.user_name) {
            ("ram-user", Some(name)) => arns.push(format!("acs:ram::{account}:user/{name}")),
            ("assumed-role", Some(name)) => {
                let (role, session) = name.split_once(':').unwrap_or((name.as_str(), ""));
                if !session.is_empty() {
                    arns.push(format!("acs:ram::{account}:assumed-role/{role}/{session}"));
                }
                arns.push(format!("acs:ram::{account}:role/{role}"));
            }
            ("root-account", _) => arns.push(format!("acs:ram::{account}:root")),
            _ => {}
        }
        arns
    }

    /// The role name of an assumed role (`userName` up to its first `:`).
    pub fn role_name(&self) -> Option<&str> {
        if self.kind.as_deref() != Some("assumed-role") {
            return None;
        }
        let name = self.user_name.as_deref()?;
        Some(name.split_once(':').map_or(name, |(role, _)| role))
    }
}

/// One ActionTrail event, with what the request mapping needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Event {
    /// The record number in the input (from 1; errors count too).
    pub record: usize,
    /// The line the record starts on.
    pub line: usize,
    /// Whether the record was a Log Service export record (`event` field).
    pub from_log_service: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// `ApiCall`, `ConsoleOperation`, `AliyunServiceEvent`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// `eventTime`, parsed (UTC).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_time"
    )]
    pub event_time: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acs_region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// `additionalEventData.Scheme` (`http` / `https`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Set when the call failed (`NoPermission`, `Forbidden.RAM`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    pub user_identity: UserIdentity,
    /// `requestParameters`, flattened (see the module docs).
    pub params: BTreeMap<String, ParamValue>,
    /// JSON pointers (into the event) of masked values: `/sourceIpAddress`,
    /// `/requestParameters/SecurityGroupId`, `/userIdentity/accountId`, …
    pub masked: Vec<String>,
}

/// Why an event is not used as an ECS call (or is filtered out).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// The event has no `eventName`.
    NoEventName,
    /// `eventType` is not `ApiCall` (console operations, service events).
    NotApiCall { event_type: String },
    /// The call is to a service the catalog does not cover (short name `not_ecs`, kept for
    /// the summaries' stability: the catalog's first service is ECS).
    OtherService { service: String },
    /// The call failed (`errorCode` set) and failed calls are not counted.
    Failed { error_code: String },
    /// The event's principal does not match `--principal`.
    OtherPrincipal,
    /// The event time is outside `--since` / `--until`.
    OutsideWindow,
    /// A time window is set and the event has no `eventTime`.
    NoEventTime,
}

/// Whether the catalog (of the process's edition) covers a service.
fn covered(service: &str) -> bool {
    crate::catalog::Catalog::embedded().is_ok_and(|catalog| catalog.covers(service))
}

impl SkipReason {
    /// The value a summary counts this reason by, where there is one: the event type, the
    /// service or the error code.
    pub fn detail(&self) -> Option<String> {
        match self {
            SkipReason::NotApiCall { event_type } => Some(event_type.clone()),
            SkipReason::OtherService { service } => Some(service.clone()),
            SkipReason::Failed { error_code } => Some(error_code.clone()),
            _ => None,
        }
    }

    /// A stable short name, for summaries: `no_event_name`, `not_api_call`, `not_ecs`, `failed`,
    /// `other_principal`, `outside_window`, `no_event_time`.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::NoEventName => "no_event_name",
            SkipReason::NotApiCall { .. } => "not_api_call",
            SkipReason::OtherService { .. } => "not_ecs",
            SkipReason::Failed { .. } => "failed",
            SkipReason::OtherPrincipal => "other_principal",
            SkipReason::OutsideWindow => "outside_window",
            SkipReason::NoEventTime => "no_event_time",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NoEventName => write!(f, "the event has no `eventName`"),
            SkipReason::NotApiCall { event_type } => {
                write!(f, "the event is a `{event_type}`, not an `ApiCall`")
            }
            SkipReason::OtherService { service } => {
                write!(f, "the call is to `{service}`, not ECS")
            }
            SkipReason::Failed { error_code } => {
                write!(f, "the call failed with `{error_code}`")
            }
            SkipReason::OtherPrincipal => write!(f, "the principal does not match"),
            SkipReason::OutsideWindow => write!(f, "the event time is outside the time window"),
            SkipReason::NoEventTime => write!(f, "the event has no `eventTime`"),
        }
    }
}

/// Something an event (or a denial diagnostic) does not tell, so an answer that depends on it
/// cannot be judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// What is unknown: a condition key (`acs:SourceIp`), `params`, `account`, …
    pub subject: String,
    /// Why, in words.
    pub reason: String,
}

impl Gap {
    pub(crate) fn new(subject: impl Into<String>, reason: impl Into<String>) -> Self {
        Gap {
            subject: subject.into(),
            reason: reason.into(),
        }
    }
}

/// Whether a value was masked by the log or the documentation (`104758519118****`,
/// `10.10.**.**`, `11.168.XX.XX`): it holds `**`, or it is an IP address with an `X`-only part.
/// A lone `*` (RAM's "any resource") is not a mask.
pub fn is_masked(text: &str) -> bool {
    if text.contains("**") {
        return true;
    }
    let looks_like_ip = text.contains('.') || text.contains(':');
    looks_like_ip
        && text
            .split(['.', ':'])
            .any(|part| !part.is_empty() && part.bytes().all(|b| b == b'X' || b == b'x'))
        && text.split(['.', ':']).all(|part| {
            part.bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b'X' || b == b'x')
        })
}

impl Event {
    /// The service code (`ecs`, `vpc`, …): `serviceName` in lower case, else the first label of
    /// `eventSource` (`ecs.aliyuncs.com`, `ecs.cn-hangzhou.aliyuncs.com`,
    /// `ecs-cn-hangzhou.aliyuncs.com` → `ecs`).
    pub fn service(&self) -> Option<String> {
        if let Some(name) = self.service_name.as_deref().filter(|name| !name.is_empty()) {
            return Some(name.to_ascii_lowercase());
        }
        let source = self.event_source.as_deref()?;
        let label = source.split('.').next().unwrap_or(source);
        // `ecs-cn-hangzhou` is the regional endpoint form: service, `-`, region.
        let label = match label.split_once('-') {
            Some((service, region))
                if region.len() > 3 && region.as_bytes().get(2) == Some(&b'-') =>
            {
                service
            }
            _ => label,
        };
        (!label.is_empty()).then(|| label.to_ascii_lowercase())
    }

    /// Whether the event is a call to a service of the catalog (by [`Event::service`]).
    pub fn is_catalog_service(&self) -> bool {
        self.service().is_some_and(|service| covered(&service))
    }

    /// Whether the call failed (`errorCode` set and not empty).
    pub fn is_failed(&self) -> bool {
        self.error_code
            .as_deref()
            .is_some_and(|code| !code.is_empty())
    }

    /// `<service>:<eventName>` (`ecs:DescribeInstances`), when both are known.
    pub fn action(&self) -> Option<String> {
        let name = self.event_name.as_deref().filter(|name| !name.is_empty())?;
        Some(format!("{}:{name}", self.service()?))
    }

    /// Why this event is not an ECS API call, or `None` when it is one. Failed calls are ECS
    /// calls: whether they count is the caller's choice (see [`EventFilter`]).
    pub fn skip_reason(&self) -> Option<SkipReason> {
        if self.event_name.as_deref().is_none_or(str::is_empty) {
            return Some(SkipReason::NoEventName);
        }
        if let Some(kind) = &self.event_type {
            if !kind.eq_ignore_ascii_case("ApiCall") {
                return Some(SkipReason::NotApiCall {
                    event_type: kind.clone(),
                });
            }
        }
        match self.service() {
            Some(service) if covered(&service) => None,
            Some(service) => Some(SkipReason::OtherService { service }),
            None => Some(SkipReason::OtherService {
                service: "unknown".into(),
            }),
        }
    }

    /// The account the call acted in: `recipientAccountId`, else `userIdentity.accountId`.
    pub fn account(&self) -> Option<&str> {
        self.recipient_account_id
            .as_deref()
            .or(self.user_identity.account_id.as_deref())
    }

    /// The condition keys the event tells, with their values (masked values left out).
    pub fn context(&self) -> BTreeMap<String, Vec<String>> {
        let mut context = BTreeMap::new();
        let mut put = |key: &str, value: String| {
            context.insert(key.to_string(), vec![value]);
        };
        if let Some(ip) = self.source_ip.as_deref().filter(|ip| usable(ip)) {
            put("acs:SourceIp", ip.to_string());
        }
        if let Some(mfa) = self.user_identity.mfa_authenticated {
            put("acs:MFAPresent", mfa.to_string());
        }
        if let Some(key) = self
            .user_identity
            .access_key_id
            .as_deref()
            .filter(|key| usable(key))
        {
            put("acs:AccessId", key.to_string());
        }
        if let Some(agent) = self.user_agent.as_deref().filter(|agent| !agent.is_empty()) {
            put("acs:UserAgent", agent.to_string());
        }
        if let Some(time) = &self.event_time {
            put("acs:CurrentTime", format_time(time));
        }
        if let Some(secure) = self.secure_transport() {
            put("acs:SecureTransport", secure.to_string());
        }
        context
    }

    /// `acs:SecureTransport` from `additionalEventData.Scheme`: `https` → true, `http` → false.
    pub fn secure_transport(&self) -> Option<bool> {
        match self.scheme.as_deref()?.to_ascii_lowercase().as_str() {
            "https" => Some(true),
            "http" => Some(false),
            _ => None,
        }
    }

    /// The request this event records. The action is [`Event::action`] (empty when unknown).
    pub fn request(&self) -> Request {
        Request {
            action: self.action().unwrap_or_default(),
            account: self.account().map(str::to_string),
            region: self.acs_region.clone(),
            params: self.params.clone(),
            context: self.context(),
        }
    }

    /// Like [`Event::request`], without copying the parameters.
    pub fn into_request(self) -> Request {
        self.into_request_with_context(true)
    }

    /// [`Event::into_request`], with an empty context when `context` is false (building the
    /// context formats the event time, which a caller that never reads it can skip).
    pub fn into_request_with_context(self, context: bool) -> Request {
        let context = if context {
            self.context()
        } else {
            BTreeMap::new()
        };
        Request {
            action: self.action().unwrap_or_default(),
            account: self.account().map(str::to_string),
            region: self.acs_region,
            params: self.params,
            context,
        }
    }

    /// What the event does not tell: masked or absent context values, masked ids.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut gaps = Vec::new();
        match self.source_ip.as_deref() {
            Some(ip) if is_masked(ip) => gaps.push(Gap::new(
                "acs:SourceIp",
                format!("the source IP is masked in the log (`{ip}`): `IpAddress` conditions cannot be judged"),
            )),
            Some(ip) if !ip.is_empty() => {}
            _ => gaps.push(Gap::new("acs:SourceIp", "the event has no `sourceIpAddress`")),
        }
        if self.user_identity.mfa_authenticated.is_none() {
            gaps.push(Gap::new(
                "acs:MFAPresent",
                "the event has no `userIdentity.sessionContext.attributes.mfaAuthenticated`",
            ));
        }
        match self.user_identity.access_key_id.as_deref() {
            Some(key) if is_masked(key) => gaps.push(Gap::new(
                "acs:AccessId",
                format!("the access key id is masked in the log (`{key}`)"),
            )),
            Some(_) => {}
            None => gaps.push(Gap::new(
                "acs:AccessId",
                "the event has no `userIdentity.accessKeyId`",
            )),
        }
        if self.secure_transport().is_none() {
            gaps.push(Gap::new(
                "acs:SecureTransport",
                "the event has no `additionalEventData.Scheme`",
            ));
        }
        gaps.push(Gap::new(
            "acs:SourceVpc",
            "ActionTrail does not record the source VPC",
        ));
        for pointer in &self.masked {
            if pointer != "/sourceIpAddress" && pointer != "/userIdentity/accessKeyId" {
                gaps.push(Gap::new(
                    pointer.clone(),
                    "the value is masked in the log: an ARN built from it names no real resource",
                ));
            }
        }
        gaps
    }

    /// Reads one event from a parsed JSON object. `record` and `line` are only used in errors
    /// and copied into the event.
    pub fn from_value(value: Value, record: usize, line: usize) -> Result<Event, EventError> {
        let at = Place { record, line };
        let Value::Object(mut object) = value else {
            return Err(EventError::NotAnObject {
                record,
                line,
                found: type_name(&value),
            });
        };
        let mut from_log_service = false;
        let mut base = "";
        if !object.contains_key("eventName") && !object.contains_key("eventId") {
            match object.remove("event") {
                Some(Value::String(text)) => {
                    let inner: Value =
                        serde_json::from_str(&text).map_err(|error| EventError::EmbeddedJson {
                            record,
                            line,
                            column: error.column(),
                            message: crate::request::strip_position(&error.to_string()),
                        })?;
                    let Value::Object(inner) = inner else {
                        return Err(at.wrong_type("/event", "an event object", &inner));
                    };
                    object = inner;
                    from_log_service = true;
                    base = "/event";
                }
                Some(Value::Object(inner)) => {
                    object = inner;
                    from_log_service = true;
                    base = "/event";
                }
                Some(other) => {
                    return Err(at.wrong_type("/event", "a JSON string or an object", &other))
                }
                None => {}
            }
        }
        let mut event = Event {
            record,
            line,
            from_log_service,
            ..Event::default()
        };
        let mut take = |key: &str| -> Result<Option<String>, EventError> {
            match object.remove(key) {
                None => Ok(None),
                Some(value) => at.text(value, &format!("{base}/{key}")),
            }
        };
        event.event_id = take("eventId")?;
        event.event_name = take("eventName")?;
        event.event_type = take("eventType")?;
        event.event_source = take("eventSource")?;
        event.service_name = take("serviceName")?;
        let time_text = take("eventTime")?;
        event.acs_region = take("acsRegion")?;
        event.recipient_account_id = take("recipientAccountId")?;
        event.source_ip = take("sourceIpAddress")?;
        event.user_agent = take("userAgent")?;
        event.request_id = take("requestId")?;
        event.error_code = take("errorCode")?.filter(|code| !code.is_empty());
        event.error_message = take("errorMessage")?;
        if let Some(text) = time_text {
            let pointer = format!("{base}/eventTime");
            event.event_time = Some(parse_time(&text).ok_or_else(|| EventError::BadTime {
                record,
                line,
                pointer,
                text: text.clone(),
            })?);
        }
        if let Some(value) = object.remove("additionalEventData") {
            let pointer = format!("{base}/additionalEventData");
            if let Some(mut data) = at.object(value, &pointer)? {
                if let Some(scheme) = data.remove("Scheme") {
                    event.scheme = at.text(scheme, &format!("{pointer}/Scheme"))?;
                }
            }
        }
        if let Some(value) = object.remove("userIdentity") {
            let pointer = format!("{base}/userIdentity");
            if let Some(identity) = at.object(value, &pointer)? {
                event.user_identity = at.identity(identity, &pointer)?;
            }
        }
        if let Some(value) = object.remove("requestParameters") {
            let pointer = format!("{base}/requestParameters");
            if let Some(params) = at.object(value, &pointer)? {
                for (name, value) in params {
                    flatten(&mut event.params, name, value, &at, &pointer)?;
                }
            }
        }
        event.find_masked();
        Ok(event)
    }

    /// Pointers are relative to the event itself (inside a Log Service record's `event`).
    fn find_masked(&mut self) {
        let mut masked = Vec::new();
        let mut check = |value: &Option<String>, key: &str| {
            if value.as_deref().is_some_and(is_masked) {
                masked.push(key.to_string());
            }
        };
        check(&self.source_ip, "/sourceIpAddress");
        check(&self.recipient_account_id, "/recipientAccountId");
        check(&self.user_identity.account_id, "/userIdentity/accountId");
        check(
            &self.user_identity.principal_id,
            "/userIdentity/principalId",
        );
        check(
            &self.user_identity.access_key_id,
            "/userIdentity/accessKeyId",
        );
        check(&self.user_identity.user_name, "/userIdentity/userName");
        for (name, value) in &self.params {
            if value.values().into_iter().any(is_masked) {
                masked.push(format!("/requestParameters/{}", escape_pointer(name)));
            }
        }
        self.masked = masked;
    }
}

/// Masked or empty values are not put in the context.
fn usable(text: &str) -> bool {
    !text.is_empty() && !is_masked(text)
}

/// Flattens one request parameter into ECS's dotted form.
fn flatten(
    params: &mut BTreeMap<String, ParamValue>,
    name: String,
    value: Value,
    at: &Place,
    pointer: &str,
) -> Result<(), EventError> {
    let here = format!("{pointer}/{}", escape_pointer(&name));
    match value {
        Value::Null => {}
        Value::String(text) => {
            params.insert(name, ParamValue::One(text));
        }
        Value::Number(number) => {
            params.insert(name, ParamValue::One(number.to_string()));
        }
        Value::Bool(flag) => {
            params.insert(name, ParamValue::One(flag.to_string()));
        }
        Value::Object(members) => {
            for (key, member) in members {
                flatten(params, format!("{name}.{key}"), member, at, &here)?;
            }
        }
        Value::Array(items) => {
            if items
                .iter()
                .all(|item| !item.is_object() && !item.is_array())
            {
                let mut values = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    if let Some(text) = at.text(item, &format!("{here}/{index}"))? {
                        values.push(text);
                    }
                }
                params.insert(name, ParamValue::Many(values));
            } else {
                for (index, item) in items.into_iter().enumerate() {
                    flatten(params, format!("{name}.{}", index + 1), item, at, &here)?;
                }
            }
        }
    }
    Ok(())
}

/// Where a record is, for errors.
struct Place {
    record: usize,
    line: usize,
}

impl Place {
    fn wrong_type(&self, pointer: &str, expected: &'static str, found: &Value) -> EventError {
        EventError::WrongType {
            record: self.record,
            line: self.line,
            pointer: pointer.to_string(),
            expected,
            found: type_name(found),
        }
    }

    /// A string, number or boolean as text; `null` as absent.
    fn text(&self, value: Value, pointer: &str) -> Result<Option<String>, EventError> {
        match value {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text)),
            Value::Number(number) => Ok(Some(number.to_string())),
            Value::Bool(flag) => Ok(Some(flag.to_string())),
            other => Err(self.wrong_type(pointer, "a string, number or boolean", &other)),
        }
    }

    /// An object; `null` as absent; a string holding a JSON object is accepted too (Log
    /// Service exports sometimes encode nested fields that way).
    fn object(
        &self,
        value: Value,
        pointer: &str,
    ) -> Result<Option<Map<String, Value>>, EventError> {
        match value {
            Value::Null => Ok(None),
            Value::Object(object) => Ok(Some(object)),
            Value::String(text) if text.trim().is_empty() => Ok(None),
            Value::String(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(object)) => Ok(Some(object)),
                Ok(Value::Null) => Ok(None),
                _ => Err(EventError::WrongType {
                    record: self.record,
                    line: self.line,
                    pointer: pointer.to_string(),
                    expected: "an object (or a string holding a JSON object)",
                    found: "a string",
                }),
            },
            other => Err(self.wrong_type(pointer, "an object", &other)),
        }
    }

    fn identity(
        &self,
        mut identity: Map<String, Value>,
        pointer: &str,
    ) -> Result<UserIdentity, EventError> {
        let mut take = |key: &str| -> Result<Option<String>, EventError> {
            match identity.remove(key) {
                None => Ok(None),
                Some(value) => self.text(value, &format!("{pointer}/{key}")),
            }
        };
        let mut user = UserIdentity {
            kind: take("type")?,
            principal_id: take("principalId")?,
            account_id: take("accountId")?,
            user_name: take("userName")?,
            access_key_id: take("accessKeyId")?,
            arn: take("arn")?,
            mfa_authenticated: None,
        };
        if let Some(session) = identity.remove("sessionContext") {
            let here = format!("{pointer}/sessionContext");
            if let Some(mut session) = self.object(session, &here)? {
                if let Some(attributes) = session.remove("attributes") {
                    let here = format!("{here}/attributes");
                    if let Some(mut attributes) = self.object(attributes, &here)? {
                        if let Some(mfa) = attributes.remove("mfaAuthenticated") {
                            let here = format!("{here}/mfaAuthenticated");
                            user.mfa_authenticated = match self.text(mfa.clone(), &here)? {
                                None => None,
                                Some(text) if text.eq_ignore_ascii_case("true") => Some(true),
                                Some(text) if text.eq_ignore_ascii_case("false") => Some(false),
                                Some(_) => {
                                    return Err(self.wrong_type(&here, "`true` or `false`", &mfa))
                                }
                            };
                        }
                    }
                }
            }
        }
        Ok(user)
    }
}

/// The fast path: a typed parse of a plain event, with no intermediate `Value` for the event's
/// own members. Anything unusual (a Log Service wrapper, a wrong type, a member given as a JSON
/// string, duplicate members) returns `None`, and the record is read again by
/// [`Event::from_value`], which gives the same event or the exact error.
mod fast {
    use super::*;
    use serde::de::{self, Deserializer, Visitor};
    use serde::Deserialize;

    /// A string, number or boolean, as text.
    struct Text(String);

    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct TextVisitor;
            impl Visitor<'_> for TextVisitor {
                type Value = Text;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a string, number or boolean")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                    Ok(Text(v.to_string()))
                }
                fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                    Ok(Text(v))
                }
                fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                    Ok(Text(v.to_string()))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                    Ok(Text(v.to_string()))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                    Ok(Text(v.to_string()))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                    serde_json::Number::from_f64(v)
                        .map(|number| Text(number.to_string()))
                        .ok_or_else(|| E::custom("not a finite number"))
                }
            }
            deserializer.deserialize_any(TextVisitor)
        }
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Raw {
        event_id: Option<Text>,
        event_name: Option<Text>,
        event_type: Option<Text>,
        event_source: Option<Text>,
        service_name: Option<Text>,
        event_time: Option<Text>,
        acs_region: Option<Text>,
        recipient_account_id: Option<Text>,
        source_ip_address: Option<Text>,
        user_agent: Option<Text>,
        request_id: Option<Text>,
        error_code: Option<Text>,
        error_message: Option<Text>,
        additional_event_data: Option<Additional>,
        user_identity: Option<Identity>,
        request_parameters: Option<Map<String, Value>>,
    }

    #[derive(Deserialize)]
    struct Additional {
        #[serde(rename = "Scheme")]
        scheme: Option<Text>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Identity {
        #[serde(rename = "type")]
        kind: Option<Text>,
        principal_id: Option<Text>,
        account_id: Option<Text>,
        user_name: Option<Text>,
        access_key_id: Option<Text>,
        arn: Option<Text>,
        session_context: Option<Session>,
    }

    #[derive(Deserialize)]
    struct Session {
        attributes: Option<Attributes>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Attributes {
        mfa_authenticated: Option<Text>,
    }

    fn text(value: Option<Text>) -> Option<String> {
        value.map(|Text(text)| text)
    }

    pub(super) fn read(bytes: &[u8], record: usize, line: usize) -> Option<Event> {
        let raw: Raw = serde_json::from_slice(bytes).ok()?;
        if raw.event_name.is_none() && raw.event_id.is_none() {
            return None; // perhaps a Log Service record: the slow path knows
        }
        let event_time = match text(raw.event_time) {
            Some(time) => Some(parse_time(&time)?),
            None => None,
        };
        let mut user_identity = UserIdentity::default();
        if let Some(identity) = raw.user_identity {
            let mfa = identity
                .session_context
                .and_then(|session| session.attributes)
                .and_then(|attributes| text(attributes.mfa_authenticated));
            user_identity = UserIdentity {
                kind: text(identity.kind),
                principal_id: text(identity.principal_id),
                account_id: text(identity.account_id),
                user_name: text(identity.user_name),
                access_key_id: text(identity.access_key_id),
                arn: text(identity.arn),
                mfa_authenticated: match mfa {
                    None => None,
                    Some(flag) if flag.eq_ignore_ascii_case("true") => Some(true),
                    Some(flag) if flag.eq_ignore_ascii_case("false") => Some(false),
                    Some(_) => return None,
                },
            };
        }
        let mut params = BTreeMap::new();
        let at = Place { record, line };
        for (name, value) in raw.request_parameters.unwrap_or_default() {
            flatten(&mut params, name, value, &at, "/requestParameters").ok()?;
        }
        let mut event = Event {
            record,
            line,
            from_log_service: false,
            event_id: text(raw.event_id),
            event_name: text(raw.event_name),
            event_type: text(raw.event_type),
            event_source: text(raw.event_source),
            service_name: text(raw.service_name),
            event_time,
            acs_region: text(raw.acs_region),
            recipient_account_id: text(raw.recipient_account_id),
            source_ip: text(raw.source_ip_address),
            user_agent: text(raw.user_agent),
            scheme: raw.additional_event_data.and_then(|data| text(data.scheme)),
            request_id: text(raw.request_id),
            error_code: text(raw.error_code).filter(|code| !code.is_empty()),
            error_message: text(raw.error_message),
            user_identity,
            params,
            masked: Vec::new(),
        };
        event.find_masked();
        Some(event)
    }
}

// ---------------------------------------------------------------------------------------------
// Time

/// Parses an ISO 8601 / RFC 3339 time: `2020-01-09T12:12:14Z`, with fractional seconds or an
/// offset (`+08:00`); without an offset the time is taken as UTC (ActionTrail writes UTC); a
/// space may stand for `T`; a date alone (`2024-01-01`) is its midnight UTC.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    let spaced = text.replacen(' ', "T", 1);
    if let Ok(time) = DateTime::parse_from_rfc3339(&spaced) {
        return Some(time.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(time) = NaiveDateTime::parse_from_str(&spaced, format) {
            return Some(time.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|time| time.and_utc())
}

fn serialize_time<S: serde::Serializer>(
    time: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serializer.serialize_str(&format_time(time)),
        None => serializer.serialize_none(),
    }
}

/// A time as RFC 3339 in UTC with `Z`, fractional seconds only when present.
pub fn format_time(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

// ---------------------------------------------------------------------------------------------
// Filters

/// Which events `generate` keeps: one principal, a time window, failed calls or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// `--principal`: see [`principal_matches`].
    pub principal: Option<String>,
    /// `--since`: events at or after this time (inclusive).
    pub since: Option<DateTime<Utc>>,
    /// `--until`: events strictly before this time (exclusive).
    pub until: Option<DateTime<Utc>>,
    /// Whether failed calls (`errorCode` set) count.
    pub include_failed: bool,
}

impl EventFilter {
    /// Why the event is not kept, or `None` when it is. Checks, in order: [`Event::skip_reason`],
    /// failure, principal, time window.
    pub fn check(&self, event: &Event) -> Option<SkipReason> {
        if let Some(reason) = event.skip_reason() {
            return Some(reason);
        }
        if !self.include_failed {
            if let Some(code) = event.error_code.as_deref().filter(|code| !code.is_empty()) {
                return Some(SkipReason::Failed {
                    error_code: code.to_string(),
                });
            }
        }
        if let Some(pattern) = &self.principal {
            if !principal_matches(pattern, &event.user_identity) {
                return Some(SkipReason::OtherPrincipal);
            }
        }
        if self.since.is_some() || self.until.is_some() {
            let Some(time) = event.event_time else {
                return Some(SkipReason::NoEventTime);
            };
            if !in_window(&time, self.since.as_ref(), self.until.as_ref()) {
                return Some(SkipReason::OutsideWindow);
            }
        }
        None
    }
}

/// Whether `time` is in `[since, until)`: `since` inclusive, `until` exclusive, either open.
pub fn in_window(
    time: &DateTime<Utc>,
    since: Option<&DateTime<Utc>>,
    until: Option<&DateTime<Utc>>,
) -> bool {
    since.is_none_or(|since| time >= since) && until.is_none_or(|until| time < until)
}

/// Whether `--principal <pattern>` names this identity. The pattern is compared, ignoring ASCII
/// case, with `userName`, `principalId`, the role name of an assumed role, and every form of
/// [`UserIdentity::arns`]; `*` and `?` in the pattern are wildcards.
pub fn principal_matches(pattern: &str, identity: &UserIdentity) -> bool {
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return false;
    }
    let candidates = [
        identity.user_name.as_deref(),
        identity.principal_id.as_deref(),
        identity.role_name(),
    ];
    candidates
        .into_iter()
        .flatten()
        .any(|name| glob_matches(pattern, name))
        || identity.arns().iter().any(|arn| glob_matches(pattern, arn))
}

/// `*` (any run) and `?` (one character) matching, ignoring ASCII case.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let text: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || Some(&c) == text.get(t) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

// ---------------------------------------------------------------------------------------------
// Reading

/// How the input is laid out, as detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Not decided yet (nothing read).
    Unknown,
    /// One value per line.
    JsonLines,
    /// A top-level array of records.
    Array,
    /// One or more values, pretty-printed.
    Document,
}

/// A streaming reader of ActionTrail events: an iterator of `Result<Event, EventError>`, one
/// item per record (an error does not end the stream, except [`EventError::Io`]).
pub struct EventReader<R> {
    reader: R,
    layout: Layout,
    splitter: Splitter,
    /// Whether something other than whitespace was seen (for deciding the layout).
    started: bool,
    line_buffer: Vec<u8>,
    pending: VecDeque<Result<Event, EventError>>,
    record: usize,
    done: bool,
}

/// Reads events from any buffered reader.
pub fn read_events<R: BufRead>(reader: R) -> EventReader<R> {
    EventReader::new(reader)
}

/// Reads every event of a text (tests, the wasm module).
pub fn parse_events(text: &str) -> Vec<Result<Event, EventError>> {
    EventReader::new(text.as_bytes()).collect()
}

impl<R: BufRead> EventReader<R> {
    pub fn new(reader: R) -> Self {
        EventReader {
            reader,
            layout: Layout::Unknown,
            splitter: Splitter::default(),
            started: false,
            line_buffer: Vec::new(),
            pending: VecDeque::new(),
            record: 0,
            done: false,
        }
    }

    /// The layout detected so far.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    fn next_record(&mut self) -> usize {
        self.record += 1;
        self.record
    }

    /// Turns one complete record's bytes into an item (or several, for an array in a line).
    fn emit(&mut self, bytes: &[u8], line: usize, column: usize, lines_mode: bool) {
        if let Some(event) = fast::read(bytes, self.record + 1, line) {
            self.record += 1;
            self.pending.push_back(Ok(event));
            return;
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Array(items)) if lines_mode => {
                for item in items {
                    let record = self.next_record();
                    self.pending
                        .push_back(Event::from_value(item, record, line));
                }
            }
            Ok(value) => {
                let record = self.next_record();
                self.pending
                    .push_back(Event::from_value(value, record, line));
            }
            Err(error) => {
                let record = self.next_record();
                let item = if error.is_eof() {
                    EventError::Incomplete {
                        record,
                        line,
                        what: if lines_mode {
                            "the line ends before the value does"
                        } else {
                            "the record ends before the value does"
                        },
                    }
                } else {
                    let (error_line, error_column) = (error.line(), error.column());
                    EventError::Json {
                        record,
                        line: line + error_line.saturating_sub(1),
                        column: if error_line <= 1 {
                            error_column + column.saturating_sub(1)
                        } else {
                            error_column
                        },
                        message: crate::request::strip_position(&error.to_string()),
                    }
                };
                self.pending.push_back(Err(item));
            }
        }
    }

    /// JSON Lines: reads and emits one line.
    fn read_line(&mut self) {
        let line = self.splitter.line;
        self.line_buffer.clear();
        let limit = (MAX_RECORD_BYTES + 1) as u64;
        let read = Read::take(&mut self.reader, limit).read_until(b'\n', &mut self.line_buffer);
        match read {
            Err(error) => {
                self.pending.push_back(Err(EventError::Io {
                    line,
                    message: error.to_string(),
                }));
                self.done = true;
                return;
            }
            Ok(0) => {
                self.done = true;
                return;
            }
            Ok(_) => {}
        }
        self.splitter.line += 1;
        if self.line_buffer.len() > MAX_RECORD_BYTES && self.line_buffer.last() != Some(&b'\n') {
            // Skip the rest of the line.
            loop {
                self.line_buffer.clear();
                match Read::take(&mut self.reader, limit).read_until(b'\n', &mut self.line_buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if self.line_buffer.last() == Some(&b'\n') => break,
                    Ok(_) => {}
                }
            }
            let record = self.next_record();
            self.pending.push_back(Err(EventError::TooLarge {
                record,
                line,
                limit: MAX_RECORD_BYTES,
            }));
            return;
        }
        let bytes = std::mem::take(&mut self.line_buffer);
        let trimmed = bytes.trim_ascii();
        if !trimmed.is_empty() {
            let offset = bytes.len() - bytes.trim_ascii_start().len();
            self.emit(trimmed, line, offset + 1, true);
        }
        self.line_buffer = bytes;
    }

    /// Pretty-printed documents and arrays: scans one buffer's worth of bytes.
    fn scan(&mut self) {
        let buffer = match self.reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => return,
            Err(error) => {
                self.pending.push_back(Err(EventError::Io {
                    line: self.splitter.line,
                    message: error.to_string(),
                }));
                self.done = true;
                return;
            }
        };
        if buffer.is_empty() {
            self.done = true;
            let mut outputs = Vec::new();
            self.splitter.finish(&mut outputs);
            self.handle(outputs);
            return;
        }
        if !self.started && buffer.starts_with(b"\xEF\xBB\xBF") {
            // A UTF-8 byte order mark before the first value is skipped.
            self.reader.consume(3);
            return;
        }
        let mut outputs = Vec::new();
        let mut used = 0;
        for &byte in buffer {
            used += 1;
            self.splitter.feed(byte, &mut outputs);
            if !byte.is_ascii_whitespace() {
                self.started = true;
            }
            if self.layout == Layout::Unknown && self.started {
                if self.splitter.in_array {
                    self.layout = Layout::Array;
                } else if byte == b'\n' {
                    self.layout = if self.splitter.between_records() && self.splitter.completed > 0
                    {
                        Layout::JsonLines
                    } else {
                        Layout::Document
                    };
                    break;
                }
            }
        }
        self.reader.consume(used);
        self.handle(outputs);
    }

    fn handle(&mut self, outputs: Vec<Split>) {
        for output in outputs {
            match output {
                Split::Record {
                    bytes,
                    line,
                    column,
                } => self.emit(&bytes, line, column, false),
                Split::Error { kind, line, column } => {
                    let record = self.next_record();
                    self.pending.push_back(Err(match kind {
                        SplitError::Separator(message) => EventError::Json {
                            record,
                            line,
                            column,
                            message: message.into(),
                        },
                        SplitError::Incomplete(what) => {
                            EventError::Incomplete { record, line, what }
                        }
                        SplitError::TooLarge => EventError::TooLarge {
                            record,
                            line,
                            limit: MAX_RECORD_BYTES,
                        },
                    }));
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for EventReader<R> {
    type Item = Result<Event, EventError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            if self.layout == Layout::JsonLines {
                self.read_line();
            } else {
                self.scan();
            }
        }
    }
}

/// What the splitter produces.
enum Split {
    Record {
        bytes: Vec<u8>,
        line: usize,
        column: usize,
    },
    Error {
        kind: SplitError,
        line: usize,
        column: usize,
    },
}

enum SplitError {
    Separator(&'static str),
    Incomplete(&'static str),
    TooLarge,
}

/// Splits a byte stream into top-level JSON values (and the elements of a top-level array) by
/// tracking brackets and strings; the values themselves are parsed by serde_json.
struct Splitter {
    line: usize,
    column: usize,
    buffer: Vec<u8>,
    oversized: bool,
    /// Inside a value: its bracket depth, string state, scalar state.
    in_value: bool,
    depth: usize,
    in_string: bool,
    escape: bool,
    scalar: bool,
    start_line: usize,
    start_column: usize,
    /// Inside a top-level array.
    in_array: bool,
    array_line: usize,
    /// In an array: an element was read and no `,` followed yet.
    need_comma: bool,
    completed: usize,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter {
            line: 1,
            column: 1,
            buffer: Vec::new(),
            oversized: false,
            in_value: false,
            depth: 0,
            in_string: false,
            escape: false,
            scalar: false,
            start_line: 1,
            start_column: 1,
            in_array: false,
            array_line: 1,
            need_comma: false,
            completed: 0,
        }
    }
}

impl Splitter {
    fn between_records(&self) -> bool {
        !self.in_value
    }

    fn push(&mut self, byte: u8) {
        if self.buffer.len() >= MAX_RECORD_BYTES {
            self.oversized = true;
        } else {
            self.buffer.push(byte);
        }
    }

    fn complete(&mut self, outputs: &mut Vec<Split>) {
        self.in_value = false;
        self.scalar = false;
        self.in_string = false;
        self.escape = false;
        self.depth = 0;
        self.completed += 1;
        let bytes = std::mem::take(&mut self.buffer);
        if self.oversized {
            self.oversized = false;
            outputs.push(Split::Error {
                kind: SplitError::TooLarge,
                line: self.start_line,
                column: self.start_column,
            });
        } else {
            outputs.push(Split::Record {
                bytes,
                line: self.start_line,
                column: self.start_column,
            });
        }
    }

    fn advance(&mut self, byte: u8) {
        if byte == b'\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
    }

    fn feed(&mut self, byte: u8, outputs: &mut Vec<Split>) {
        if self.in_value && self.scalar {
            if byte.is_ascii_whitespace() || matches!(byte, b',' | b']' | b'[' | b'{' | b'}') {
                self.complete(outputs);
            } else {
                self.push(byte);
                self.advance(byte);
                return;
            }
        }
        if self.in_value {
            self.push(byte);
            if self.in_string {
                if self.escape {
                    self.escape = false;
                } else if byte == b'\\' {
                    self.escape = true;
                } else if byte == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        self.complete(outputs);
                    }
                }
            } else {
                match byte {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth = self.depth.saturating_sub(1);
                        if self.depth == 0 {
                            self.complete(outputs);
                        }
                    }
                    _ => {}
                }
            }
            self.advance(byte);
            return;
        }
        // Between values.
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'[' if !self.in_array => {
                self.in_array = true;
                self.array_line = self.line;
                self.need_comma = false;
            }
            b']' if self.in_array => {
                self.in_array = false;
                self.need_comma = false;
            }
            b',' if self.in_array && self.need_comma => self.need_comma = false,
            b',' => outputs.push(Split::Error {
                kind: SplitError::Separator("unexpected `,`"),
                line: self.line,
                column: self.column,
            }),
            _ => {
                if self.in_array && self.need_comma {
                    outputs.push(Split::Error {
                        kind: SplitError::Separator("expected `,` or `]` between array elements"),
                        line: self.line,
                        column: self.column,
                    });
                }
                self.start_value(byte);
            }
        }
        self.advance(byte);
    }

    fn start_value(&mut self, byte: u8) {
        self.in_value = true;
        self.start_line = self.line;
        self.start_column = self.column;
        self.need_comma = self.in_array;
        self.buffer.clear();
        self.buffer.push(byte);
        match byte {
            b'{' | b'[' => {
                self.depth = 1;
                self.scalar = false;
            }
            b'"' => {
                self.in_string = true;
                self.depth = 0;
                self.scalar = false;
            }
            _ => self.scalar = true,
        }
    }

    /// End of input.
    fn finish(&mut self, outputs: &mut Vec<Split>) {
        if self.in_value {
            if self.scalar {
                self.complete(outputs);
            } else {
                self.in_value = false;
                self.buffer.clear();
                outputs.push(Split::Error {
                    kind: SplitError::Incomplete("the input ends inside the record"),
                    line: self.start_line,
                    column: self.start_column,
                });
            }
        }
        if self.in_array {
            self.in_array = false;
            outputs.push(Split::Error {
                kind: SplitError::Incomplete("the input ends before the array's closing `]`"),
                line: self.array_line,
                column: 1,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Inline copy of `samples/actiontrail-describe-instances.json`.
    const DESCRIBE: &str = r#"{"eventId":"239EB588-D6A8-4C47-9E95-7E8F1F5C0F7D","eventVersion":1,"eventSource":"ecs.cn-hangzhou.aliyuncs.com","sourceIpAddress":"10.10.**.**","eventType":"ApiCall","userIdentity":{"accountId":"104758519118****","principalId":"24549429003625****","type":"ram-user","userName":"alice"},"serviceName":"Ecs","apiVersion":"2016-01-20","requestId":"239EB588-D6A8-4C47-9E95-7E8F1F5C0F7D","eventTime":"2021-08-05T09:21:32Z","isGlobal":false,"acsRegion":"cn-hangzhou","eventName":"DescribeInstances"}"#;

    /// Inline copy of `samples/actiontrail-create-network-interface.json`.
    const CREATE_ENI: &str = r#"{
  "eventId": "F23A3DD5-7842-4EF9-9DA1-3776396A****",
  "responseElements": {
    "RequestId": "F23A3DD5-7842-4EF9-9DA1-3776396AD58D",
    "NetworkInterfaceId": "eni-bp12f9rjbjqauktz****"
  },
  "eventVersion": "1",
  "requestParameters": {
    "Tag.1.Key": "CreatedBy",
    "RequestId": "F23A3DD5-7842-4EF9-9DA1-3776396AD58D",
    "SecurityGroupId": "sg-bp10mvd8143rlfks****",
    "Tag.1.Value": "StreamCompute",
    "VSwitchId": "vsw-bp1iqqmaj41noh2c8****",
    "RegionId": "cn-hangzhou",
    "SignatureType": "",
    "stsTokenPlayerUid": 1652665569470000
  },
  "eventSource": "ecs.aliyuncs.com",
  "sourceIpAddress": "11.168.XX.XX",
  "userIdentity": {
    "sessionContext": {
      "attributes": {
        "mfaAuthenticated": "false",
        "creationDate": "2020-01-09T12:12:14Z"
      }
    },
    "accessKeyId": "STS.NUnj6nuqKaEoMZGsT****",
    "accountId": "116214825062****",
    "principalId": "31645666448606****:116214825062****",
    "userName": "aliyunstreamdefaultrole:116214825062****",
    "type": "assumed-role"
  },
  "eventType": "ApiCall",
  "referencedResources": {
    "VSwitch": ["vsw-bp1iqqma1noh402c8****"],
    "SecurityGroup": ["sg-bp10mvd143r6lfks****"]
  },
  "serviceName": "Ecs",
  "additionalEventData": {"Scheme": "http"},
  "apiVersion": "2014-05-26",
  "requestId": "F23A3DD5-7842-4EF9-9DA1-3776396AD58D",
  "eventTime": "2020-01-09T12:12:14Z",
  "acsRegion": "cn-hangzhou",
  "eventName": "CreateNetworkInterface"
}
"#;

    fn ok(items: Vec<Result<Event, EventError>>) -> Vec<Event> {
        items.into_iter().map(|item| item.unwrap()).collect()
    }

    use crate::test_support::shared_sample as sample;

    fn check_describe(event: &Event) {
        assert_eq!(event.action().as_deref(), Some("ecs:DescribeInstances"));
        assert!(event.is_catalog_service());
        assert_eq!(event.skip_reason(), None);
        let request = event.request();
        assert_eq!(request.action, "ecs:DescribeInstances");
        assert_eq!(request.account.as_deref(), Some("104758519118****"));
        assert_eq!(request.region.as_deref(), Some("cn-hangzhou"));
        assert!(request.params.is_empty());
        // The masked source IP is kept out of the context, and said.
        assert!(!request.context.contains_key("acs:SourceIp"));
        assert_eq!(
            request.context["acs:CurrentTime"],
            vec!["2021-08-05T09:21:32Z".to_string()]
        );
        assert!(event.masked.contains(&"/sourceIpAddress".to_string()));
        assert!(event
            .gaps()
            .iter()
            .any(|gap| gap.subject == "acs:SourceIp" && gap.reason.contains("masked")));
        assert_eq!(event.user_identity.user_name.as_deref(), Some("alice"));
        assert_eq!(
            event.user_identity.arns(),
            vec!["acs:ram::104758519118****:user/alice".to_string()]
        );
    }

    fn check_create_eni(event: &Event) {
        assert_eq!(
            event.action().as_deref(),
            Some("ecs:CreateNetworkInterface")
        );
        let request = event.request();
        assert_eq!(request.account.as_deref(), Some("116214825062****"));
        assert_eq!(
            request.param("SecurityGroupId"),
            Some(&ParamValue::One("sg-bp10mvd8143rlfks****".into()))
        );
        assert_eq!(
            request.param("stsTokenPlayerUid"),
            Some(&ParamValue::One("1652665569470000".into()))
        );
        assert_eq!(request.context["acs:MFAPresent"], vec!["false".to_string()]);
        assert_eq!(
            request.context["acs:SecureTransport"],
            vec!["false".to_string()]
        );
        assert!(!request.context.contains_key("acs:AccessId"));
        assert!(!request.context.contains_key("acs:SourceIp"));
        for pointer in [
            "/sourceIpAddress",
            "/userIdentity/accessKeyId",
            "/requestParameters/SecurityGroupId",
            "/requestParameters/VSwitchId",
        ] {
            assert!(event.masked.iter().any(|m| m == pointer), "{pointer}");
        }
        assert_eq!(
            event.user_identity.role_name(),
            Some("aliyunstreamdefaultrole")
        );
        assert!(event.user_identity.arns().contains(
            &"acs:ram::116214825062****:assumed-role/aliyunstreamdefaultrole/116214825062****"
                .to_string()
        ));
    }

    #[test]
    fn the_fast_path_agrees_with_the_full_reader() {
        let texts = [
            DESCRIBE.to_string(),
            CREATE_ENI.to_string(),
            r#"{"eventName": "RunInstances", "eventSource": "ecs.aliyuncs.com", "eventTime": "2024-03-01T08:00:00.5+08:00", "recipientAccountId": 12, "errorCode": "",
               "userIdentity": {"type": "ram-user", "sessionContext": {"attributes": {"mfaAuthenticated": true}}}, "additionalEventData": {"Scheme": "https"},
               "requestParameters": {"A": 1.5, "B": [1, true, "x"], "C": {"D": [{"E": null}]}, "F": -3}}"#.to_string(),
        ];
        for text in texts {
            let slow = Event::from_value(serde_json::from_str(&text).unwrap(), 4, 9).unwrap();
            let quick = fast::read(text.as_bytes(), 4, 9).unwrap();
            assert_eq!(slow, quick);
        }
        // Unusual records are left to the full reader.
        for text in [
            r#"{"event": "{}"}"#,
            r#"{"eventName": "A", "requestParameters": "{}"}"#,
            r#"{"eventName": "A", "eventTime": "nope"}"#,
            r#"{"eventName": "A", "eventName": "B"}"#,
        ] {
            assert!(fast::read(text.as_bytes(), 1, 1).is_none(), "{text}");
        }
    }

    #[test]
    fn reads_the_inline_samples() {
        let events = ok(parse_events(DESCRIBE));
        assert_eq!(events.len(), 1);
        check_describe(&events[0]);
        let events = ok(parse_events(CREATE_ENI));
        assert_eq!(events.len(), 1);
        check_create_eni(&events[0]);
        assert_eq!(events[0].line, 1);
    }

    #[test]
    fn reads_the_shared_samples() {
        if let Some(text) = sample("actiontrail-describe-instances.json") {
            let events = ok(parse_events(&text));
            assert_eq!(events.len(), 1);
            check_describe(&events[0]);
        }
        if let Some(text) = sample("actiontrail-create-network-interface.json") {
            let events = ok(parse_events(&text));
            assert_eq!(events.len(), 1);
            check_create_eni(&events[0]);
        }
    }

    #[test]
    fn reads_a_pretty_array_and_detects_the_layout() {
        let text = format!("[\n{CREATE_ENI},\n  {DESCRIBE}\n]\n");
        let mut reader = read_events(text.as_bytes());
        let events: Vec<Event> = reader.by_ref().map(|item| item.unwrap()).collect();
        assert_eq!(reader.layout(), Layout::Array);
        assert_eq!(events.len(), 2);
        check_create_eni(&events[0]);
        check_describe(&events[1]);
        assert_eq!((events[0].record, events[0].line), (1, 2));
        assert_eq!((events[1].record, events[1].line), (2, 48));
        // On one line too, with a byte order mark and an empty array after.
        let text = format!("\u{feff}[{DESCRIBE},{DESCRIBE}] []");
        let events = ok(parse_events(&text));
        assert_eq!(events.len(), 2);
    }

    #[test]
    fn reads_json_lines_with_blank_lines() {
        let text = format!("\n{DESCRIBE}\n\n   \n{DESCRIBE}\r\n{DESCRIBE}");
        let mut reader = read_events(text.as_bytes());
        let events: Vec<Event> = reader.by_ref().map(|item| item.unwrap()).collect();
        assert_eq!(reader.layout(), Layout::JsonLines);
        let places: Vec<(usize, usize)> = events.iter().map(|e| (e.record, e.line)).collect();
        assert_eq!(places, vec![(1, 2), (2, 5), (3, 6)]);
    }

    #[test]
    fn reads_concatenated_pretty_documents() {
        let text = format!("{CREATE_ENI}\n{CREATE_ENI}");
        let mut reader = read_events(text.as_bytes());
        let events: Vec<Event> = reader.by_ref().map(|item| item.unwrap()).collect();
        assert_eq!(reader.layout(), Layout::Document);
        assert_eq!(events.len(), 2);
        assert_eq!(events[1].line, 47);
    }

    #[test]
    fn malformed_records_in_the_middle_of_json_lines_are_reported_and_skipped() {
        let text = format!(
            "{DESCRIBE}\n{{\"eventName\": ,}}\n{{\"eventName\": \"X\"\n[1]\n\"text\"\n{DESCRIBE}\n"
        );
        let items = parse_events(&text);
        assert_eq!(items.len(), 6, "{items:#?}");
        assert!(items[0].is_ok());
        let error = items[1].as_ref().unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2 (record 2): malformed JSON at column 15: expected value"
        );
        assert_eq!(
            items[2].as_ref().unwrap_err().to_string(),
            "line 3 (record 3): the JSON value is not complete: the line ends before the value does"
        );
        // A line holding an array counts each element as a record.
        assert_eq!(
            items[3].as_ref().unwrap_err().to_string(),
            "line 4 (record 4): expected an event object, found a number"
        );
        assert_eq!(
            items[4].as_ref().unwrap_err().to_string(),
            "line 5 (record 5): expected an event object, found a string"
        );
        let last = items[5].as_ref().unwrap();
        assert_eq!((last.record, last.line), (6, 6));
    }

    #[test]
    fn malformed_records_in_an_array_are_reported_and_skipped() {
        let text =
            format!("[\n{DESCRIBE},\n{{\"a\": tru}},\n{DESCRIBE} {DESCRIBE}\n,,{DESCRIBE}\n]");
        let items = parse_events(&text);
        let summary: Vec<String> = items
            .iter()
            .map(|item| match item {
                Ok(event) => format!("ok {}", event.line),
                Err(error) => error.to_string(),
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                "ok 2".to_string(),
                "line 3 (record 2): malformed JSON at column 10: expected ident".into(),
                "ok 4".into(),
                format!("line 4 (record 4): malformed JSON at column {}: expected `,` or `]` between array elements", DESCRIBE.len() + 2),
                "ok 4".into(),
                "line 5 (record 6): malformed JSON at column 2: unexpected `,`".into(),
                "ok 5".into(),
            ]
        );
    }

    #[test]
    fn unclosed_documents_are_reported_once() {
        let items = parse_events("[\n{\"eventName\": \"A\"");
        let errors: Vec<String> = items
            .iter()
            .map(|item| item.as_ref().unwrap_err().to_string())
            .collect();
        assert_eq!(
            errors,
            vec![
                "line 2 (record 1): the JSON value is not complete: the input ends inside the record",
                "line 1 (record 2): the JSON value is not complete: the input ends before the array's closing `]`",
            ]
        );
        assert!(parse_events("").is_empty());
        assert!(parse_events("  \n\n ").is_empty());
    }

    #[test]
    fn reads_log_service_exports() {
        let embedded = serde_json::to_string(DESCRIBE).unwrap();
        let record = format!(
            r#"{{"__topic__": "actiontrail_audit_event", "__time__": 1628155292, "event": {embedded}}}"#
        );
        // As JSON lines.
        let text = format!("{record}\n{record}\n");
        let events = ok(parse_events(&text));
        assert_eq!(events.len(), 2);
        assert!(events[0].from_log_service);
        check_describe(&events[1]);
        // As an array.
        let text = format!("[{record},\n{record}]");
        let events = ok(parse_events(&text));
        assert_eq!(events.len(), 2);
        check_describe(&events[0]);
        // The event as an object.
        let text = format!(r#"{{"event": {DESCRIBE}}}"#);
        check_describe(&ok(parse_events(&text))[0]);
        // A broken embedded event.
        let items = parse_events(r#"{"event": "{\"eventName\": }"}"#);
        assert_eq!(
            items[0].as_ref().unwrap_err().to_string(),
            "line 1 (record 1): the Log Service field `event` is not JSON: expected value at column 15 of the string"
        );
        let items = parse_events(r#"{"event": 5}"#);
        assert!(matches!(
            items[0],
            Err(EventError::WrongType { ref pointer, .. }) if pointer == "/event"
        ));
    }

    #[test]
    fn maps_fields_to_a_request() {
        let text = r#"{"eventName": "RunInstances", "eventSource": "ecs-cn-beijing.aliyuncs.com",
            "eventType": "ApiCall", "recipientAccountId": 1234567890123456, "acsRegion": "cn-beijing",
            "sourceIpAddress": "203.0.113.7", "userAgent": "aliyun-cli/3", "eventTime": "2024-03-01T08:00:00.5+08:00",
            "additionalEventData": {"Scheme": "HTTPS"},
            "userIdentity": {"type": "ram-user", "accountId": "99", "userName": "bob", "accessKeyId": "LTAI5t",
                "sessionContext": {"attributes": {"mfaAuthenticated": true}}},
            "requestParameters": {"ImageId": "m-1", "Amount": 2, "DryRun": false, "Gone": null,
                "SecurityGroupIds": ["sg-1", "sg-2"], "SystemDisk": {"Category": "cloud_essd"},
                "Tag": [{"Key": "k", "Value": "v"}], "DataDisk": [{"Size": 40, "Encrypted": true}]}}"#;
        let event = ok(parse_events(text)).remove(0);
        assert_eq!(event.service().as_deref(), Some("ecs"));
        let request = event.request();
        assert_eq!(request.action, "ecs:RunInstances");
        assert_eq!(request.account.as_deref(), Some("1234567890123456"));
        let one = |text: &str| Some(ParamValue::One(text.into()));
        assert_eq!(request.param("Amount").cloned(), one("2"));
        assert_eq!(request.param("DryRun").cloned(), one("false"));
        assert_eq!(request.param("Gone"), None);
        assert_eq!(
            request.param("SecurityGroupIds").cloned(),
            Some(ParamValue::Many(vec!["sg-1".into(), "sg-2".into()]))
        );
        assert_eq!(
            request.param("SystemDisk.Category").cloned(),
            one("cloud_essd")
        );
        assert_eq!(request.param("Tag.1.Key").cloned(), one("k"));
        assert_eq!(request.param("DataDisk.1.Encrypted").cloned(), one("true"));
        let context = |key: &str| request.context.get(key).map(|v| v[0].as_str());
        assert_eq!(context("acs:SourceIp"), Some("203.0.113.7"));
        assert_eq!(context("acs:MFAPresent"), Some("true"));
        assert_eq!(context("acs:AccessId"), Some("LTAI5t"));
        assert_eq!(context("acs:UserAgent"), Some("aliyun-cli/3"));
        assert_eq!(context("acs:SecureTransport"), Some("true"));
        assert_eq!(context("acs:CurrentTime"), Some("2024-03-01T00:00:00.500Z"));
        assert!(event.masked.is_empty());
        // `into_request` gives the same request.
        assert_eq!(event.clone().into_request(), request);
    }

    #[test]
    fn wrong_types_name_the_pointer() {
        let cases = [
            (r#"{"eventName": ["a"]}"#, "`/eventName` must be a string, number or boolean, found an array"),
            (r#"{"eventName": "A", "requestParameters": [1]}"#, "`/requestParameters` must be an object, found an array"),
            (r#"{"eventName": "A", "userIdentity": {"sessionContext": {"attributes": {"mfaAuthenticated": "maybe"}}}}"#, "`/userIdentity/sessionContext/attributes/mfaAuthenticated` must be `true` or `false`, found a string"),
            (r#"{"eventName": "A", "eventTime": "yesterday"}"#, "`/eventTime` is not an ISO 8601 time: `yesterday`"),
        ];
        for (text, message) in cases {
            let items = parse_events(text);
            assert_eq!(items.len(), 1);
            assert_eq!(
                items[0].as_ref().unwrap_err().to_string(),
                format!("line 1 (record 1): {message}")
            );
        }
        // Arrays of arrays flatten like arrays of objects.
        let event = ok(parse_events(
            r#"{"eventName": "A", "requestParameters": {"X": [{"a": [{}]}, {"b": {"c": [[1]]}}]}}"#,
        ))
        .remove(0);
        assert_eq!(
            event.params["X.2.b.c.1"],
            ParamValue::Many(vec!["1".into()])
        );
        // requestParameters as a JSON string holding an object is accepted.
        let event = ok(parse_events(
            r#"{"eventName":"A","requestParameters":"{\"InstanceId\":\"i-1\"}"}"#,
        ))
        .remove(0);
        assert_eq!(event.params["InstanceId"], ParamValue::One("i-1".into()));
    }

    #[test]
    fn skip_reasons() {
        let reason = |text: &str| ok(parse_events(text)).remove(0).skip_reason();
        assert_eq!(
            reason(r#"{"serviceName": "Ecs"}"#),
            Some(SkipReason::NoEventName)
        );
        assert_eq!(
            reason(r#"{"eventName": "CreateVpc", "serviceName": "Vpc", "eventType": "ApiCall"}"#),
            Some(SkipReason::OtherService {
                service: "vpc".into()
            })
        );
        assert_eq!(
            reason(
                r#"{"eventName": "ConsoleSignin", "eventType": "ConsoleSignin", "serviceName": "AasSub"}"#
            ),
            Some(SkipReason::NotApiCall {
                event_type: "ConsoleSignin".into()
            })
        );
        assert_eq!(
            reason(r#"{"eventName": "StopInstance", "eventSource": "ecs.aliyuncs.com"}"#),
            None
        );
        assert_eq!(
            reason(r#"{"eventName": "StopInstance"}"#),
            Some(SkipReason::OtherService {
                service: "unknown".into()
            })
        );
        assert_eq!(
            SkipReason::OtherService {
                service: "vpc".into()
            }
            .to_string(),
            "the call is to `vpc`, not ECS"
        );
        assert_eq!(SkipReason::OutsideWindow.kind(), "outside_window");
    }

    #[test]
    fn filters_by_failure_principal_and_window() {
        let failed = ok(parse_events(
            r#"{"eventName": "StopInstance", "serviceName": "Ecs", "errorCode": "NoPermission", "eventTime": "2024-01-02T00:00:00Z",
                "userIdentity": {"type": "assumed-role", "accountId": "123", "userName": "ops:alice", "principalId": "3333:alice"}}"#,
        ))
        .remove(0);
        assert!(failed.is_failed());
        let mut filter = EventFilter::default();
        assert_eq!(
            filter.check(&failed),
            Some(SkipReason::Failed {
                error_code: "NoPermission".into()
            })
        );
        filter.include_failed = true;
        assert_eq!(filter.check(&failed), None);
        for principal in [
            "ops:alice",
            "OPS",
            "3333:alice",
            "acs:ram::123:assumed-role/ops/alice",
            "acs:ram::123:role/ops",
            "acs:ram::123:assumed-role/ops/*",
        ] {
            filter.principal = Some(principal.into());
            assert_eq!(filter.check(&failed), None, "{principal}");
        }
        for principal in [
            "alice",
            "acs:ram::123:user/ops",
            "acs:ram::124:role/ops",
            "",
        ] {
            filter.principal = Some(principal.into());
            assert_eq!(
                filter.check(&failed),
                Some(SkipReason::OtherPrincipal),
                "{principal}"
            );
        }
        filter.principal = None;
        filter.since = parse_time("2024-01-02");
        assert_eq!(filter.check(&failed), None, "since is inclusive");
        filter.until = parse_time("2024-01-02T00:00:00Z");
        assert_eq!(
            filter.check(&failed),
            Some(SkipReason::OutsideWindow),
            "until is exclusive"
        );
        let timeless = ok(parse_events(
            r#"{"eventName": "StopInstance", "serviceName": "Ecs"}"#,
        ))
        .remove(0);
        assert_eq!(filter.check(&timeless), Some(SkipReason::NoEventTime));
    }

    #[test]
    fn parses_times() {
        let iso = |text: &str| parse_time(text).map(|time| format_time(&time));
        assert_eq!(
            iso("2020-01-09T12:12:14Z").as_deref(),
            Some("2020-01-09T12:12:14Z")
        );
        assert_eq!(
            iso("2020-01-09T20:12:14+08:00").as_deref(),
            Some("2020-01-09T12:12:14Z")
        );
        assert_eq!(
            iso("2020-01-09 12:12:14").as_deref(),
            Some("2020-01-09T12:12:14Z")
        );
        assert_eq!(
            iso("2020-01-09T12:12:14.250").as_deref(),
            Some("2020-01-09T12:12:14.250Z")
        );
        assert_eq!(iso("2020-01-09").as_deref(), Some("2020-01-09T00:00:00Z"));
        assert_eq!(iso("2020-13-09"), None);
        assert_eq!(iso(""), None);
    }

    #[test]
    fn masks() {
        for masked in [
            "10.10.**.**",
            "11.168.XX.XX",
            "104758519118****",
            "STS.abc****",
            "2001:db8::XX",
        ] {
            assert!(is_masked(masked), "{masked}");
        }
        for plain in [
            "*",
            "203.0.113.7",
            "acs:ecs:*:*:instance/*",
            "i-bp1x",
            "2001:db8::1",
            "STS.XXabc",
        ] {
            assert!(!is_masked(plain), "{plain}");
        }
    }

    #[test]
    fn oversized_lines_are_refused_without_stopping() {
        let big = format!("{{\"eventName\": \"{}\"}}", "a".repeat(MAX_RECORD_BYTES));
        let text = format!("{DESCRIBE}\n{big}\n{DESCRIBE}\n");
        let items = parse_events(&text);
        assert_eq!(items.len(), 3);
        assert!(matches!(
            items[1],
            Err(EventError::TooLarge {
                record: 2,
                line: 2,
                ..
            })
        ));
        assert!(items[2].is_ok());
    }

    #[test]
    fn io_errors_end_the_stream() {
        struct Failing;
        impl std::io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk on fire"))
            }
        }
        let items: Vec<_> = read_events(std::io::BufReader::new(Failing)).collect();
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].as_ref().unwrap_err().to_string(),
            "cannot read the ActionTrail input after line 1: disk on fire"
        );
    }

    proptest! {
        #[test]
        fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let count = read_events(bytes.as_slice()).take(1000).count();
            prop_assert!(count <= 1000);
        }

        #[test]
        fn never_panics_on_json_ish_lines(
            lines in proptest::collection::vec("[\\[\\]{}\",:a-z0-9 \\\\\\n]{0,40}", 0..12)
        ) {
            let text = lines.join("\n");
            for item in parse_events(&text) {
                if let Err(error) = item {
                    prop_assert!(!error.to_string().is_empty());
                }
            }
        }

        #[test]
        fn every_good_line_survives_bad_neighbours(
            bad in proptest::collection::vec("[{}\\[\\]\",:a-z ]{1,20}", 1..6)
        ) {
            // One good event per line after the first good line: each still comes out.
            let mut text = format!("{DESCRIBE}\n");
            for line in &bad {
                text.push_str(&line.replace('\n', " "));
                text.push('\n');
                text.push_str(DESCRIBE);
                text.push('\n');
            }
            let good = parse_events(&text).into_iter().filter(|item| item.is_ok()).count();
            prop_assert!(good > bad.len());
        }
    }
}
