//! From event to request: the action, account, region, parameters and context an event tells,
//! what it does not tell ([`Gap`]), and which events count ([`SkipReason`], [`EventFilter`]).

use super::event::{format_time, is_masked, Event, UserIdentity};
use crate::request::Request;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Why an event is not used as an ECS call (or is filtered out).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum SkipReason {
    /// The event has no `eventName`.
    NoEventName,
    /// `eventType` is not a call (`ConsoleSignin`, `ConsoleSignout`, `PasswordReset`, …): only
    /// `ApiCall` and console operations (`ConsoleOperation`, `ConsoleCall`) are calls.
    NotACall { event_type: String },
    /// An `AliyunServiceEvent`: something Alibaba Cloud did on its own (a scheduled
    /// maintenance, an automatic release), which RAM does not authorize for a principal.
    ServiceEvent { event_type: String },
    /// The caller is an Alibaba Cloud service itself (`userIdentity.type` `system`).
    SystemIdentity { name: String },
    /// A service acting on its own service-linked role (`AliyunServiceRoleFor…`), whose
    /// permissions the service defines, not the account's policies.
    ServiceLinkedRole { role: String },
    /// The call is to a service the catalog does not cover (short name `not_ecs`, kept for the
    /// summaries' stability: the catalog's first service is ECS).
    OtherService { service: String },
    /// The caller is the account itself (`root-account`): RAM policies do not restrict it, so
    /// its calls say nothing about what a policy must grant (`generate` only).
    RootAccount,
    /// The call failed (`errorCode` set) and failed calls are not counted.
    Failed { error_code: String },
    /// The event's principal does not match `--principal`.
    OtherPrincipal,
    /// The event time is outside `--since` / `--until`.
    OutsideWindow,
    /// A time window is set and the event has no `eventTime`.
    NoEventTime,
}

/// Whether the catalog (of the process's edition) covers a service: ECS, and VPC in the
/// `current` edition.
fn covered(service: &str) -> bool {
    crate::catalog::Catalog::embedded().is_ok_and(|catalog| catalog.covers(service))
}

impl SkipReason {
    /// The value a summary counts this reason by, where there is one: the event type, the
    /// caller's name, the role, the service or the error code.
    pub fn detail(&self) -> Option<String> {
        match self {
            SkipReason::NotACall { event_type } | SkipReason::ServiceEvent { event_type } => {
                Some(event_type.clone())
            }
            SkipReason::SystemIdentity { name } => Some(name.clone()),
            SkipReason::ServiceLinkedRole { role } => Some(role.clone()),
            SkipReason::OtherService { service } => Some(service.clone()),
            SkipReason::Failed { error_code } => Some(error_code.clone()),
            _ => None,
        }
    }

    /// A stable short name, for summaries: `no_event_name`, `not_a_call`, `service_event`,
    /// `system_identity`, `service_linked_role`, `not_ecs`, `root_account`, `failed`,
    /// `other_principal`, `outside_window`, `no_event_time`.
    pub fn kind(&self) -> &'static str {
        match self {
            SkipReason::NoEventName => "no_event_name",
            SkipReason::NotACall { .. } => "not_a_call",
            SkipReason::ServiceEvent { .. } => "service_event",
            SkipReason::SystemIdentity { .. } => "system_identity",
            SkipReason::ServiceLinkedRole { .. } => "service_linked_role",
            SkipReason::OtherService { .. } => "not_ecs",
            SkipReason::RootAccount => "root_account",
            SkipReason::Failed { .. } => "failed",
            SkipReason::OtherPrincipal => "other_principal",
            SkipReason::OutsideWindow => "outside_window",
            SkipReason::NoEventTime => "no_event_time",
        }
    }
}

/// What `explain` says about calls of the root account, and `generate` when it skips them.
pub const ROOT_ACCOUNT_NOTE: &str = "the caller is the Alibaba Cloud account itself (`root-account`): RAM policies do not restrict the root account, so what the policies say does not decide its calls, and a denial of its call has another cause than them";

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::NoEventName => write!(f, "the event has no `eventName`"),
            SkipReason::NotACall { event_type } => write!(
                f,
                "the event is a `{event_type}`, not a call (`ApiCall` or `ConsoleOperation`)"
            ),
            SkipReason::ServiceEvent { event_type } => write!(
                f,
                "the event is an `{event_type}`: Alibaba Cloud acted on its own, which RAM does not authorize for a principal"
            ),
            SkipReason::SystemIdentity { name } => write!(
                f,
                "the caller is the Alibaba Cloud service `{name}` itself (`userIdentity.type` `system`), which RAM policies do not govern"
            ),
            SkipReason::ServiceLinkedRole { role } => write!(
                f,
                "the caller is a service on its service-linked role `{role}`, whose permissions the service defines, not the account's policies"
            ),
            SkipReason::OtherService { service } => write!(f, "the call is to `{service}`, not ECS"),
            SkipReason::RootAccount => write!(f, "{ROOT_ACCOUNT_NOTE}"),
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
#[cfg_attr(test, derive(ts_rs::TS))]
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

    /// Why this event is not an ECS call RAM authorized for a principal, or `None` when it is
    /// one. Failed calls are ECS calls: whether they count is the caller's choice (see
    /// [`EventFilter`]); so are the root account's calls (see [`Event::is_root_account`]).
    pub fn skip_reason(&self) -> Option<SkipReason> {
        if self.event_name.as_deref().is_none_or(str::is_empty) {
            return Some(SkipReason::NoEventName);
        }
        if let Some(kind) = self.event_type.as_deref() {
            if kind.eq_ignore_ascii_case("AliyunServiceEvent") {
                return Some(SkipReason::ServiceEvent {
                    event_type: kind.to_string(),
                });
            }
            if !is_call_type(kind) {
                return Some(SkipReason::NotACall {
                    event_type: kind.to_string(),
                });
            }
        }
        let identity = &self.user_identity;
        if identity
            .kind
            .as_deref()
            .is_some_and(|kind| kind.eq_ignore_ascii_case("system"))
        {
            let name = identity
                .user_name
                .clone()
                .or_else(|| identity.principal_id.clone())
                .unwrap_or_else(|| "unknown".into());
            return Some(SkipReason::SystemIdentity { name });
        }
        if let Some(role) = identity
            .role_name()
            .filter(|role| is_service_linked_role(role))
        {
            return Some(SkipReason::ServiceLinkedRole {
                role: role.to_string(),
            });
        }
        match self.service() {
            Some(service) if covered(&service) => None,
            Some(service) => Some(SkipReason::OtherService { service }),
            None => Some(SkipReason::OtherService {
                service: "unknown".into(),
            }),
        }
    }

    /// Whether the caller is the account itself (`userIdentity.type` `root-account`), which RAM
    /// policies do not restrict.
    pub fn is_root_account(&self) -> bool {
        self.user_identity
            .kind
            .as_deref()
            .is_some_and(|kind| kind.eq_ignore_ascii_case("root-account"))
    }

    /// The account the call acted in: `recipientAccountId`, else `userIdentity.accountId`.
    pub fn account(&self) -> Option<&str> {
        self.recipient_account_id
            .as_deref()
            .or(self.user_identity.account_id.as_deref())
    }

    /// The condition keys the event tells, with their values. Masked values and values that
    /// cannot be read (`"sourceIpAddress": "ecs.aliyuncs.com"`) are left out: they are not known
    /// (`crate::context`), and [`Event::gaps`] says so.
    pub fn context(&self) -> BTreeMap<String, Vec<String>> {
        // Inserted one by one: `collect()` would sort the pairs first, with a stable sort
        // instantiated for this type alone (`crate::sort` says why that matters on WebAssembly).
        let mut context = BTreeMap::new();
        for source in self.context_sources() {
            if let Reading::Known(value) = source.reading() {
                context.insert(source.key.to_string(), vec![value]);
            }
        }
        context
    }

    /// Every condition key an event can tell, with the field it comes from and what it holds.
    fn context_sources(&self) -> [ContextSource; 6] {
        let scheme = self.scheme.as_ref().map(|scheme| {
            match self.secure_transport() {
                Some(secure) => secure.to_string(),
                None => scheme.clone(), // neither http nor https: unreadable as a Bool
            }
        });
        let mfa = match (
            self.user_identity.mfa_authenticated,
            &self.user_identity.mfa_unreadable,
        ) {
            (Some(flag), _) => Some(flag.to_string()),
            (None, text) => text.clone(),
        };
        [
            ContextSource::new("acs:SourceIp", "sourceIpAddress", self.source_ip.clone()),
            ContextSource::new(
                "acs:MFAPresent",
                "userIdentity.sessionContext.attributes.mfaAuthenticated",
                mfa,
            ),
            ContextSource::new(
                "acs:AccessId",
                "userIdentity.accessKeyId",
                self.user_identity.access_key_id.clone(),
            ),
            ContextSource::new("acs:UserAgent", "userAgent", self.user_agent.clone()),
            ContextSource::new(
                "acs:CurrentTime",
                "eventTime",
                self.event_time.as_ref().map(format_time),
            ),
            ContextSource {
                raw: self.scheme.clone(),
                ..ContextSource::new("acs:SecureTransport", "additionalEventData.Scheme", scheme)
            },
        ]
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

    /// What the event does not tell: absent, masked or unreadable context values, facts
    /// ActionTrail never records, masked ids.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut gaps = Vec::new();
        for source in self.context_sources() {
            let field = source.field;
            let reason = match source.reading() {
                Reading::Known(_) => continue,
                // The user agent and the time are not worth a line when absent.
                Reading::Absent if matches!(source.key, "acs:UserAgent" | "acs:CurrentTime") => {
                    continue
                }
                Reading::Absent => format!("the event has no `{field}`"),
                Reading::Masked(value) => format!(
                    "`{field}` is masked in the log (`{value}`): conditions on it cannot be judged"
                ),
                Reading::Unreadable(value, why) => format!(
                    "`{field}` is `{value}`, {why}: the value is not known, and is taken as absent"
                ),
            };
            gaps.push(Gap::new(source.key, reason));
        }
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
    /// `--principal`: see `principal_matches`.
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
    /// the root account, failure, principal, time window.
    pub fn check(&self, event: &Event) -> Option<SkipReason> {
        if let Some(reason) = event.skip_reason() {
            return Some(reason);
        }
        if event.is_root_account() {
            return Some(SkipReason::RootAccount);
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
        .any(|name| crate::wildcard::matches_ignoring_ascii_case(pattern, name))
        || identity
            .arns()
            .iter()
            .any(|arn| crate::wildcard::matches_ignoring_ascii_case(pattern, arn))
}

/// A condition key an event tells, the field it comes from, and the value it gives.
struct ContextSource {
    key: &'static str,
    /// The event's field, in dotted form for messages.
    field: &'static str,
    /// The field's text, as written.
    raw: Option<String>,
    /// The value the key gets (the field's text, or its translation: `https` → `true`).
    value: Option<String>,
}

/// What an event tells about one key.
enum Reading {
    Known(String),
    Absent,
    /// Masked in the log (`10.10.**.**`).
    Masked(String),
    /// Present but not readable for the key (the text, and why in words).
    Unreadable(String, String),
}

impl ContextSource {
    fn new(key: &'static str, field: &'static str, value: Option<String>) -> Self {
        ContextSource {
            key,
            field,
            raw: value.clone(),
            value,
        }
    }

    /// The one rule for context values ([`crate::context`]): a value that is empty, masked or
    /// not valid for the key is not known.
    fn reading(&self) -> Reading {
        let (Some(raw), Some(value)) = (&self.raw, &self.value) else {
            return Reading::Absent;
        };
        if raw.trim().is_empty() {
            return Reading::Absent;
        }
        if is_masked(raw) {
            return Reading::Masked(raw.clone());
        }
        match crate::context::check_value(self.key, value) {
            Ok(()) => Reading::Known(value.clone()),
            Err(crate::context::ContextValueError::Invalid { expected, .. }) => {
                let expected = if self.key == "acs:SecureTransport" {
                    "`http` or `https`"
                } else {
                    expected
                };
                Reading::Unreadable(raw.clone(), format!("which is not {expected}"))
            }
            Err(error) => Reading::Unreadable(raw.clone(), error.to_string()),
        }
    }
}

/// Whether an `eventType` is a call RAM authorizes: `ApiCall`, or an operation in the console
/// (`ConsoleOperation`; `ConsoleCall` in some deliveries), which the console makes through the
/// same APIs under the signed-in principal. An absent type counts as a call.
pub fn is_call_type(event_type: &str) -> bool {
    ["ApiCall", "ConsoleOperation", "ConsoleCall"]
        .iter()
        .any(|call| event_type.eq_ignore_ascii_case(call))
}

/// Whether a role is a service-linked role: Alibaba Cloud names them `AliyunServiceRoleFor…`
/// (any letter case in events: `aliyunserviceroleforecs`).
pub fn is_service_linked_role(role: &str) -> bool {
    const PREFIX: &str = "aliyunservicerolefor";
    role.get(..PREFIX.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(PREFIX))
}

/// Why an event does not tell a condition key it has no field for: the facts ActionTrail never
/// records (the source VPC, the resource's tags, the image's and the network's properties).
pub fn not_recorded(key: &str) -> String {
    let lower = key.to_ascii_lowercase();
    if lower == "acs:sourcevpc" {
        "ActionTrail does not record the VPC a call comes from".into()
    } else if lower.starts_with("acs:resourcetag/")
        || lower.starts_with("ecs:tag/")
        || lower.starts_with("vpc:tag/")
    {
        "the resource's tags are not in the event: ActionTrail records the call, not the resource it acts on".into()
    } else if lower.starts_with("ecs:image") {
        "the image's properties are not in the event: ActionTrail records the image id only".into()
    } else if lower.starts_with("vpc:") {
        "the network's properties are not in the event: ActionTrail records the ids only".into()
    } else {
        format!("the event does not tell `{key}`")
    }
}
