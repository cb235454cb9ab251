//! One ActionTrail event: its fields, and how a record (parsed JSON) becomes an [`Event`].

use crate::json::JsonInputError;
use crate::request::{escape_pointer, type_name, ParamValue};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

// ---------------------------------------------------------------------------------------------
// Errors

/// Why a record of an ActionTrail input could not be read. Every variant names the record
/// (counted from 1 over the whole input, errors included) and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
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
    /// A field has the wrong JSON type, or a member occurs twice in one object (the last would
    /// silently win): the shared [`JsonInputError`]. For a Log Service record's `event` string
    /// (`in_event_string`), a duplicate's places are within that string.
    #[error("line {line} (record {record}): {error}{}", if *in_event_string { " (within the Log Service field `event`'s string)" } else { "" })]
    Value {
        record: usize,
        line: usize,
        error: JsonInputError,
        in_event_string: bool,
    },
    /// `eventTime` is not an ISO 8601 / RFC 3339 time.
    #[error("line {line} (record {record}): `{pointer}` is not an ISO 8601 time: `{text}`")]
    BadTime {
        record: usize,
        line: usize,
        pointer: String,
        text: String,
    },
    /// The record is larger than `MAX_RECORD_BYTES`.
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
    /// Adds `base` to the record number (numbering records that were parsed apart from the
    /// records before them, on another thread).
    pub(crate) fn shift_record(&mut self, base: usize) {
        match self {
            EventError::Json { record, .. }
            | EventError::Incomplete { record, .. }
            | EventError::NotAnObject { record, .. }
            | EventError::EmbeddedJson { record, .. }
            | EventError::Value { record, .. }
            | EventError::BadTime { record, .. }
            | EventError::TooLarge { record, .. } => *record += base,
            EventError::Io { .. } => {}
        }
    }

    /// The record number (counted from 1), when the error is about one record.
    pub fn record(&self) -> Option<usize> {
        match self {
            EventError::Json { record, .. }
            | EventError::Incomplete { record, .. }
            | EventError::NotAnObject { record, .. }
            | EventError::EmbeddedJson { record, .. }
            | EventError::Value { record, .. }
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
            | EventError::Value { line, .. }
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
            EventError::Value { error, .. } => crate::error::Details::kind(error),
            EventError::NotAnObject { .. } => "wrong_type",
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
    /// `mfaAuthenticated` when it is neither `true` nor `false`: not known (see
    /// `crate::context`), kept to say so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_unreadable: Option<String>,
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

/// Whether a value was masked by the log or the documentation (`104758519118****`,
/// `10.10.**.**`, `11.168.XX.XX`): it holds `**`, or it is an IP address with an `X`-only part.
/// A lone `*` (RAM's "any resource") is not a mask.
pub fn is_masked(text: &str) -> bool {
    // (Most texts hold no `*`: `memchr` rules them out before the substring search.)
    if text.as_bytes().contains(&b'*') && text.contains("**") {
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
                    if let Some(duplicate) = crate::json::find_duplicate_member(&text) {
                        return Err(EventError::Value {
                            record,
                            line,
                            error: JsonInputError::Duplicate(Box::new(
                                crate::json::DuplicateMember {
                                    pointer: format!("/event{}", duplicate.pointer),
                                    ..duplicate
                                },
                            )),
                            in_event_string: true,
                        });
                    }
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
                None => {
                    // An EventBridge delivery: a CloudEvents envelope whose `data` is the event.
                    if is_cloud_event(&object) {
                        if let Some(data) = object.remove("data") {
                            match at.object(data, "/data")? {
                                Some(inner) => {
                                    object = inner;
                                    base = "/data";
                                }
                                None => object = Map::new(),
                            }
                        }
                    }
                }
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
                    flatten(&mut event.params, name, value);
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

/// Flattens one request parameter into ECS's dotted form. Every JSON value has one, so this
/// cannot fail.
pub(super) fn flatten(params: &mut BTreeMap<String, ParamValue>, name: String, value: Value) {
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
                flatten(params, format!("{name}.{key}"), member);
            }
        }
        // An empty list (`"Tags": []`) gives no value: the parameter is absent.
        Value::Array(items) if items.is_empty() => {}
        Value::Array(items) => {
            if items
                .iter()
                .all(|item| !item.is_object() && !item.is_array())
            {
                // Scalars and nulls only; a null gives no value.
                let values = items.into_iter().filter_map(scalar_text).collect();
                params.insert(name, ParamValue::Many(values));
            } else {
                for (index, item) in items.into_iter().enumerate() {
                    flatten(params, format!("{name}.{}", index + 1), item);
                }
            }
        }
    }
}

/// A string, number or boolean as text; `null`, an array or an object as `None`.
fn scalar_text(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Whether a record is a CloudEvents envelope from EventBridge (`specversion`, or a `type`
/// such as `actiontrail:ActionTrail:ApiCall`) holding the event in `data`.
fn is_cloud_event(object: &Map<String, Value>) -> bool {
    object.contains_key("data")
        && (object.contains_key("specversion")
            || object
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|kind| kind.starts_with("actiontrail:")))
}

/// `mfaAuthenticated`: `true` / `false` (ASCII case ignored), else not known and kept as text.
fn read_mfa(text: Option<String>) -> (Option<bool>, Option<String>) {
    match text {
        None => (None, None),
        Some(text) if text.eq_ignore_ascii_case("true") => (Some(true), None),
        Some(text) if text.eq_ignore_ascii_case("false") => (Some(false), None),
        Some(text) => (None, Some(text)),
    }
}

/// Where a record is, for errors.
pub(super) struct Place {
    record: usize,
    line: usize,
}

impl Place {
    fn wrong_type(&self, pointer: &str, expected: &'static str, found: &Value) -> EventError {
        self.value_error(JsonInputError::WrongType {
            pointer: pointer.to_string(),
            expected,
            found: type_name(found),
        })
    }

    fn value_error(&self, error: JsonInputError) -> EventError {
        EventError::Value {
            record: self.record,
            line: self.line,
            error,
            in_event_string: false,
        }
    }

    /// A string, number or boolean as text; `null` as absent.
    fn text(&self, value: Value, pointer: &str) -> Result<Option<String>, EventError> {
        match value {
            Value::Array(_) | Value::Object(_) => {
                Err(self.wrong_type(pointer, "a string, number or boolean", &value))
            }
            scalar => Ok(scalar_text(scalar)),
        }
    }

    /// An object; `null` and `[]` as absent; a string holding a JSON object is accepted too
    /// (Log Service exports sometimes encode nested fields that way).
    fn object(
        &self,
        value: Value,
        pointer: &str,
    ) -> Result<Option<Map<String, Value>>, EventError> {
        match value {
            Value::Null => Ok(None),
            Value::Object(object) => Ok(Some(object)),
            // Alibaba's documentation prints an empty object as `[]`
            // (`"additionalEventData": []`), as PHP-style encoders write an empty map.
            Value::Array(items) if items.is_empty() => Ok(None),
            Value::String(text) if text.trim().is_empty() => Ok(None),
            Value::String(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(object)) => Ok(Some(object)),
                Ok(Value::Null) => Ok(None),
                _ => Err(self.value_error(JsonInputError::WrongType {
                    pointer: pointer.to_string(),
                    expected: "an object (or a string holding a JSON object)",
                    found: "a string",
                })),
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
            mfa_unreadable: None,
        };
        if let Some(session) = identity.remove("sessionContext") {
            let here = format!("{pointer}/sessionContext");
            if let Some(mut session) = self.object(session, &here)? {
                if let Some(attributes) = session.remove("attributes") {
                    let here = format!("{here}/attributes");
                    if let Some(mut attributes) = self.object(attributes, &here)? {
                        if let Some(mfa) = attributes.remove("mfaAuthenticated") {
                            let here = format!("{here}/mfaAuthenticated");
                            (user.mfa_authenticated, user.mfa_unreadable) =
                                read_mfa(self.text(mfa, &here)?);
                        }
                    }
                }
            }
        }
        Ok(user)
    }
}

/// The fast path: one typed parse of a plain event, with no intermediate `Value` for the event's
/// own members, that also checks every object of the record for duplicate members (the members
/// it skips too, by [`crate::json::Checked`]), so the record is parsed once. Anything unusual (a
/// Log Service wrapper, a wrong type, a member given as a JSON string, duplicate members, text
/// that is not JSON) returns `None`, and the record is read again by the full path
/// (`reader::parse_record`: the duplicate check, then [`Event::from_value`]), which gives the
/// same event or the exact error.
pub(super) mod fast {
    use super::*;
    use crate::json::{Checked, MemberNames, Name};
    use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use std::marker::PhantomData;

    /// The error of a member name that occurs twice (never shown: the full path names it).
    fn duplicate<E: de::Error>() -> E {
        E::custom("duplicate member")
    }

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

    fn text(value: Option<Text>) -> Option<String> {
        value.map(|Text(text)| text)
    }

    /// A JSON value in which no object holds a member name twice (a `Value` keeps the last).
    struct Unique(Value);

    impl<'de> Deserialize<'de> for Unique {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(UniqueVisitor)
        }
    }

    struct UniqueVisitor;

    impl<'de> Visitor<'de> for UniqueVisitor {
        type Value = Unique;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Unique, E> {
            Ok(Unique(Value::Bool(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Unique, E> {
            Ok(Unique(Value::Number(v.into())))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Unique, E> {
            Ok(Unique(Value::Number(v.into())))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Unique, E> {
            // As `Value` reads it (JSON has no other numbers).
            Ok(Unique(Value::from(v)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Unique, E> {
            Ok(Unique(Value::String(v.to_string())))
        }
        fn visit_string<E>(self, v: String) -> Result<Unique, E> {
            Ok(Unique(Value::String(v)))
        }
        fn visit_unit<E>(self) -> Result<Unique, E> {
            Ok(Unique(Value::Null))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(Unique(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Unique(Value::Array(items)))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
            let mut object = Map::new();
            while let Some(name) = map.next_key::<String>()? {
                let Unique(value) = map.next_value()?;
                if object.insert(name, value).is_some() {
                    return Err(duplicate());
                }
            }
            Ok(Unique(Value::Object(object)))
        }
    }

    /// A struct read from a JSON object by a table of member names: the members it reads, by
    /// their index in `NAMES`; every other member is checked ([`Checked`]) and dropped. A name
    /// that occurs twice, read or not, is an error, as is a value that is not an object.
    trait Members: Default {
        const NAMES: &'static [&'static str];
        fn read<'de, A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> Result<(), A::Error>;
    }

    struct Object<T>(T);

    impl<'de, T: Members> Deserialize<'de> for Object<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_map(ObjectVisitor(PhantomData))
        }
    }

    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: Members> Visitor<'de> for ObjectVisitor<T> {
        type Value = Object<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<T>, A::Error> {
            let mut value = T::default();
            // The members read so far, one bit each (`NAMES` has at most 32).
            let mut read: u32 = 0;
            let mut others = MemberNames::default();
            while let Some(Name(name)) = map.next_key()? {
                match T::NAMES.iter().position(|known| *known == name) {
                    Some(index) => {
                        let bit = 1u32 << index;
                        if read & bit != 0 {
                            return Err(duplicate());
                        }
                        read |= bit;
                        value.read(index, &mut map)?;
                    }
                    None => {
                        map.next_value::<Checked>()?;
                        if !others.insert(name) {
                            return Err(duplicate());
                        }
                    }
                }
            }
            Ok(Object(value))
        }
    }

    /// An event's members, as `generate` needs them.
    #[derive(Default)]
    struct Raw {
        /// The first 13 of `NAMES`, in that order.
        texts: [Option<Text>; 13],
        scheme: Option<Text>,
        identity: Option<Identity>,
        params: Option<Unique>,
    }

    impl Members for Raw {
        const NAMES: &'static [&'static str] = &[
            "eventId",
            "eventName",
            "eventType",
            "eventSource",
            "serviceName",
            "eventTime",
            "acsRegion",
            "recipientAccountId",
            "sourceIpAddress",
            "userAgent",
            "requestId",
            "errorCode",
            "errorMessage",
            "additionalEventData",
            "userIdentity",
            "requestParameters",
        ];
        fn read<'de, A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match index {
                13 => {
                    let data: Option<Object<Additional>> = map.next_value()?;
                    self.scheme = data.and_then(|Object(data)| data.scheme);
                }
                14 => {
                    let identity: Option<Object<Identity>> = map.next_value()?;
                    self.identity = identity.map(|Object(identity)| identity);
                }
                15 => self.params = map.next_value()?,
                _ => {
                    if let Some(slot) = self.texts.get_mut(index) {
                        *slot = map.next_value()?;
                    }
                }
            }
            Ok(())
        }
    }

    /// `additionalEventData`.
    #[derive(Default)]
    struct Additional {
        scheme: Option<Text>,
    }

    impl Members for Additional {
        const NAMES: &'static [&'static str] = &["Scheme"];
        fn read<'de, A: MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> Result<(), A::Error> {
            self.scheme = map.next_value()?;
            Ok(())
        }
    }

    /// `userIdentity`.
    #[derive(Default)]
    struct Identity {
        /// The first 6 of `NAMES`, in that order.
        texts: [Option<Text>; 6],
        /// `sessionContext.attributes.mfaAuthenticated`.
        mfa: Option<Text>,
    }

    impl Members for Identity {
        const NAMES: &'static [&'static str] = &[
            "type",
            "principalId",
            "accountId",
            "userName",
            "accessKeyId",
            "arn",
            "sessionContext",
        ];
        fn read<'de, A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match self.texts.get_mut(index) {
                Some(slot) => *slot = map.next_value()?,
                None => {
                    let session: Option<Object<Session>> = map.next_value()?;
                    self.mfa = session.and_then(|Object(session)| session.mfa);
                }
            }
            Ok(())
        }
    }

    /// `userIdentity.sessionContext`.
    #[derive(Default)]
    struct Session {
        /// `attributes.mfaAuthenticated`.
        mfa: Option<Text>,
    }

    impl Members for Session {
        const NAMES: &'static [&'static str] = &["attributes"];
        fn read<'de, A: MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> Result<(), A::Error> {
            let attributes: Option<Object<Attributes>> = map.next_value()?;
            self.mfa = attributes.and_then(|Object(attributes)| attributes.mfa);
            Ok(())
        }
    }

    /// `userIdentity.sessionContext.attributes`.
    #[derive(Default)]
    struct Attributes {
        mfa: Option<Text>,
    }

    impl Members for Attributes {
        const NAMES: &'static [&'static str] = &["mfaAuthenticated"];
        fn read<'de, A: MapAccess<'de>>(&mut self, _: usize, map: &mut A) -> Result<(), A::Error> {
            self.mfa = map.next_value()?;
            Ok(())
        }
    }

    pub(crate) fn read(bytes: &[u8], record: usize, line: usize) -> Option<Event> {
        let Object(raw) = serde_json::from_slice::<Object<Raw>>(bytes).ok()?;
        let [event_id, event_name, event_type, event_source, service_name, event_time, acs_region, recipient_account_id, source_ip, user_agent, request_id, error_code, error_message] =
            raw.texts;
        if event_name.is_none() && event_id.is_none() {
            return None; // perhaps a Log Service record: the full path knows
        }
        let event_time = match text(event_time) {
            Some(time) => Some(parse_time(&time)?),
            None => None,
        };
        let mut user_identity = UserIdentity::default();
        if let Some(identity) = raw.identity {
            let [kind, principal_id, account_id, user_name, access_key_id, arn] = identity.texts;
            let (mfa_authenticated, mfa_unreadable) = read_mfa(text(identity.mfa));
            user_identity = UserIdentity {
                kind: text(kind),
                principal_id: text(principal_id),
                account_id: text(account_id),
                user_name: text(user_name),
                access_key_id: text(access_key_id),
                arn: text(arn),
                mfa_authenticated,
                mfa_unreadable,
            };
        }
        let mut params = BTreeMap::new();
        match raw.params {
            None | Some(Unique(Value::Null)) => {}
            Some(Unique(Value::Object(members))) => {
                for (name, value) in members {
                    flatten(&mut params, name, value);
                }
            }
            // `[]`, or an object given as a JSON string: the full path reads them.
            Some(_) => return None,
        }
        let mut event = Event {
            record,
            line,
            from_log_service: false,
            event_id: text(event_id),
            event_name: text(event_name),
            event_type: text(event_type),
            event_source: text(event_source),
            service_name: text(service_name),
            event_time,
            acs_region: text(acs_region),
            recipient_account_id: text(recipient_account_id),
            source_ip: text(source_ip),
            user_agent: text(user_agent),
            scheme: text(raw.scheme),
            request_id: text(request_id),
            error_code: text(error_code).filter(|code| !code.is_empty()),
            error_message: text(error_message),
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
    if let Some(time) = crate::time::parse_date_time(&spaced) {
        return Some(time.and_utc());
    }
    crate::time::parse_date(text)
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

impl crate::error::Details for EventError {
    fn kind(&self) -> &'static str {
        EventError::kind(self)
    }

    fn locate(&self, body: &mut crate::error::ErrorBody) {
        body.record = self.record();
        body.line = Some(self.line());
        match self {
            EventError::Json { column, .. } | EventError::EmbeddedJson { column, .. } => {
                body.column = Some(*column);
            }
            EventError::BadTime { pointer, .. } => body.pointer = Some(pointer.clone()),
            EventError::Value { error, .. } => error.locate(body),
            _ => {}
        }
    }
}
