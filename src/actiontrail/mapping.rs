//! From event to request: the action, account, region, parameters and context an event tells,
//! what it does not tell ([`Gap`]), and which events count ([`SkipReason`], [`EventFilter`]).

use super::event::{format_time, is_masked, usable, Event, UserIdentity};
use crate::request::Request;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Why an event is not used as an ECS call (or is filtered out).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// The event has no `eventName`.
    NoEventName,
    /// `eventType` is not `ApiCall` (console operations, service events).
    NotApiCall { event_type: String },
    /// The call is to another service.
    NotEcs { service: String },
    /// The call failed (`errorCode` set) and failed calls are not counted.
    Failed { error_code: String },
    /// The event's principal does not match `--principal`.
    OtherPrincipal,
    /// The event time is outside `--since` / `--until`.
    OutsideWindow,
    /// A time window is set and the event has no `eventTime`.
    NoEventTime,
}

impl SkipReason {
    /// The value a summary counts this reason by, where there is one: the event type, the
    /// service or the error code.
    pub fn detail(&self) -> Option<String> {
        match self {
            SkipReason::NotApiCall { event_type } => Some(event_type.clone()),
            SkipReason::NotEcs { service } => Some(service.clone()),
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
            SkipReason::NotEcs { .. } => "not_ecs",
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
            SkipReason::NotEcs { service } => write!(f, "the call is to `{service}`, not ECS"),
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

    /// Whether the event is a call to ECS (by [`Event::service`]).
    pub fn is_ecs(&self) -> bool {
        self.service().as_deref() == Some("ecs")
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
            Some(service) if service == "ecs" => None,
            Some(service) => Some(SkipReason::NotEcs { service }),
            None => Some(SkipReason::NotEcs {
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
