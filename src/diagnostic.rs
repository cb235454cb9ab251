//! Reading what RAM said when it denied a call, as `explain --error` takes it.
//!
//! Two inputs, detected by their members:
//! - an ECS error body (`Code`, `Message`, `RequestId`) with `AccessDeniedDetail`, an object or
//!   a JSON string holding one; a bare `AccessDeniedDetail` object is accepted too, and so is an
//!   error body without it (then only `Message` tells the resource and action);
//! - a `ram:DecodeDiagnosticMessage` response, whose `DecodedDiagnosticMessage` is an object or
//!   a JSON string; a bare decoded message is accepted too.
//!
//! Member names are matched ignoring case (`NoPermissionType`, `noPermissionType`).
//!
//! The result is a [`Diagnostic`]: what RAM decided, the ARN it named, and a partial
//! [`Request`] rebuilt from them, with the list of what the input does not tell ([`Gap`]s).

use crate::actiontrail::{is_masked, Gap};
use crate::arn::Arn;
use crate::json::JsonInputError;
use crate::request::{type_name, Request};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Why a denial diagnostic could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiagnosticError {
    /// The text is not JSON, a member has the wrong type, or a member is given twice.
    #[error(transparent)]
    Json(#[from] JsonInputError),
    /// A member holding JSON as a string (`AccessDeniedDetail`, `DecodedDiagnosticMessage`)
    /// does not hold JSON.
    #[error("`{pointer}` is a string but not JSON: {message} at column {column} of the string")]
    EmbeddedJson {
        pointer: String,
        column: usize,
        message: String,
    },
    /// The JSON is neither kind of diagnostic.
    #[error("the input is neither an ECS error body (`Code`, `Message`, `AccessDeniedDetail`) nor a `DecodeDiagnosticMessage` response (`DecodedDiagnosticMessage`)")]
    NotRecognized,
}

impl DiagnosticError {
    /// A short stable kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            DiagnosticError::Json(error) => crate::error::Details::kind(error),
            DiagnosticError::EmbeddedJson { .. } => "malformed_json",
            DiagnosticError::NotRecognized => "unrecognized_diagnostic",
        }
    }
}

impl crate::error::Details for DiagnosticError {
    fn kind(&self) -> &'static str {
        DiagnosticError::kind(self)
    }

    fn locate(&self, body: &mut crate::error::ErrorBody) {
        match self {
            DiagnosticError::Json(error) => error.locate(body),
            DiagnosticError::EmbeddedJson { pointer, .. } => body.pointer = Some(pointer.clone()),
            DiagnosticError::NotRecognized => {}
        }
    }
}

/// Which input the diagnostic came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum DiagnosticSource {
    /// An ECS error body with `AccessDeniedDetail` (or a bare `AccessDeniedDetail`).
    AccessDeniedDetail,
    /// An ECS error body without `AccessDeniedDetail`: only `Code` and `Message`.
    ErrorBody,
    /// A `DecodeDiagnosticMessage` response (or a bare decoded message).
    DecodedDiagnosticMessage,
}

/// How RAM denied the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum DenyKind {
    /// No statement allowed the call (`ImplicitDeny`, `ExplicitDeny: false`).
    Implicit,
    /// A Deny statement matched (`ExplicitDeny`, `ExplicitDeny: true`).
    Explicit,
    /// A `NoPermissionType` this library does not know, as given.
    Other(String),
}

/// The principal RAM checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AuthPrincipal {
    /// `SubUser`, `AssumedRoleUser`, `Federated`, …
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub display_name: Option<String>,
}

/// A policy RAM matched (`MatchedPolicies`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct MatchedPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub effect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub policy_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub policy_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub policy_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub attached_entity_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub attached_scope: Option<String>,
}

/// What RAM said about a denied call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Diagnostic {
    pub source: DiagnosticSource,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub request_id: Option<String>,
    /// The error code (`NoPermission`, `Forbidden.RAM`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub message: Option<String>,
    /// `AuthAction`, else the `Action:` named in `Message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub action: Option<String>,
    /// `AuthResource`, else the `Resource:` named in `Message` (an ARN, or `*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub resource: Option<String>,
    /// `NoPermissionType`, or `ExplicitDeny` of a decoded message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub deny: Option<DenyKind>,
    /// `PolicyType` / `NoPermissionPolicyType` (`AccountLevelIdentityBasedPolicy`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub policy_type: Option<String>,
    pub principal: AuthPrincipal,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub encoded_diagnostic_message: Option<String>,
    /// `AuthConditions`: condition keys and the values RAM saw.
    pub conditions: BTreeMap<String, Vec<String>>,
    pub matched_policies: Vec<MatchedPolicy>,
    /// Names of members whose values are masked (`AuthPrincipalOwnerId`, `Resource`, …).
    pub masked: Vec<String>,
}

impl Diagnostic {
    /// Reads a diagnostic from JSON text.
    pub fn from_json(text: &str) -> Result<Diagnostic, DiagnosticError> {
        let value = JsonInputError::parse(text, "an error body")?;
        Diagnostic::from_value(&value)
    }

    /// Reads a diagnostic from a parsed JSON value, detecting its kind.
    pub fn from_value(value: &Value) -> Result<Diagnostic, DiagnosticError> {
        let root = value
            .as_object()
            .ok_or(DiagnosticError::Json(JsonInputError::WrongType {
                pointer: "/".into(),
                expected: "an object",
                found: type_name(value),
            }))?;
        if let Some((key, decoded)) = member(root, "DecodedDiagnosticMessage") {
            let pointer = format!("/{key}");
            let decoded = embedded_object(decoded, &pointer)?;
            let mut diagnostic = Diagnostic::from_decoded(&decoded, &pointer)?;
            diagnostic.request_id = text_member(root, "RequestId", "")?;
            diagnostic.find_masked();
            return Ok(diagnostic);
        }
        if is_decoded(root) {
            let mut diagnostic = Diagnostic::from_decoded(root, "")?;
            diagnostic.find_masked();
            return Ok(diagnostic);
        }
        let mut diagnostic = Diagnostic::empty(DiagnosticSource::ErrorBody);
        if let Some((key, detail)) = member(root, "AccessDeniedDetail") {
            let pointer = format!("/{key}");
            let detail = embedded_object(detail, &pointer)?;
            diagnostic.read_detail(&detail, &pointer)?;
        } else if is_detail(root) {
            diagnostic.read_detail(root, "")?;
        } else if member(root, "Code").is_none() && member(root, "Message").is_none() {
            return Err(DiagnosticError::NotRecognized);
        }
        diagnostic.request_id = text_member(root, "RequestId", "")?;
        diagnostic.code = text_member(root, "Code", "")?;
        diagnostic.message = text_member(root, "Message", "")?;
        if let Some(message) = &diagnostic.message {
            let (resource, action) = parse_message(message);
            if diagnostic.resource.is_none() {
                diagnostic.resource = resource;
            }
            if diagnostic.action.is_none() {
                diagnostic.action = action;
            }
        }
        diagnostic.find_masked();
        Ok(diagnostic)
    }

    fn empty(source: DiagnosticSource) -> Diagnostic {
        Diagnostic {
            source,
            request_id: None,
            code: None,
            message: None,
            action: None,
            resource: None,
            deny: None,
            policy_type: None,
            principal: AuthPrincipal::default(),
            encoded_diagnostic_message: None,
            conditions: BTreeMap::new(),
            matched_policies: Vec::new(),
            masked: Vec::new(),
        }
    }

    fn read_detail(
        &mut self,
        detail: &Map<String, Value>,
        pointer: &str,
    ) -> Result<(), DiagnosticError> {
        self.source = DiagnosticSource::AccessDeniedDetail;
        self.action = text_member(detail, "AuthAction", pointer)?;
        self.deny = text_member(detail, "NoPermissionType", pointer)?.map(|text| deny_kind(&text));
        self.policy_type = text_member(detail, "PolicyType", pointer)?;
        self.principal = AuthPrincipal {
            kind: text_member(detail, "AuthPrincipalType", pointer)?,
            owner_id: text_member(detail, "AuthPrincipalOwnerId", pointer)?,
            display_name: text_member(detail, "AuthPrincipalDisplayName", pointer)?,
        };
        self.encoded_diagnostic_message = text_member(detail, "EncodedDiagnosticMessage", pointer)?;
        Ok(())
    }

    fn from_decoded(
        decoded: &Map<String, Value>,
        pointer: &str,
    ) -> Result<Diagnostic, DiagnosticError> {
        let mut diagnostic = Diagnostic::empty(DiagnosticSource::DecodedDiagnosticMessage);
        diagnostic.action = text_member(decoded, "AuthAction", pointer)?;
        diagnostic.resource = text_member(decoded, "AuthResource", pointer)?;
        diagnostic.policy_type = text_member(decoded, "NoPermissionPolicyType", pointer)?;
        diagnostic.deny = text_member(decoded, "ExplicitDeny", pointer)?.map(|text| {
            if text.eq_ignore_ascii_case("true") {
                DenyKind::Explicit
            } else if text.eq_ignore_ascii_case("false") {
                DenyKind::Implicit
            } else {
                DenyKind::Other(text)
            }
        });
        if let Some((key, principal)) = member(decoded, "AuthPrincipal") {
            let here = format!("{pointer}/{key}");
            let principal = embedded_object(principal, &here)?;
            diagnostic.principal = AuthPrincipal {
                kind: text_member(&principal, "AuthPrincipalType", &here)?,
                owner_id: text_member(&principal, "AuthPrincipalOwnerId", &here)?,
                display_name: text_member(&principal, "AuthPrincipalDisplayName", &here)?,
            };
        }
        if let Some((key, conditions)) = member(decoded, "AuthConditions") {
            let here = format!("{pointer}/{key}");
            for (index, condition) in array(conditions, &here)?.iter().enumerate() {
                let at = format!("{here}/{index}");
                let condition = object(condition, &at)?;
                let Some(name) = text_member(condition, "ConditionKey", &at)? else {
                    continue;
                };
                let values = match member(condition, "ConditionValues") {
                    None => Vec::new(),
                    Some((key, Value::Array(items))) => items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| scalar(item, &format!("{at}/{key}/{i}")))
                        .collect::<Result<Vec<_>, _>>()?
                        .into_iter()
                        .flatten()
                        .collect(),
                    Some((key, other)) => {
                        scalar(other, &format!("{at}/{key}"))?.into_iter().collect()
                    }
                };
                diagnostic
                    .conditions
                    .entry(name)
                    .or_default()
                    .extend(values);
            }
        }
        if let Some((key, policies)) = member(decoded, "MatchedPolicies") {
            let here = format!("{pointer}/{key}");
            for (index, policy) in array(policies, &here)?.iter().enumerate() {
                let at = format!("{here}/{index}");
                let policy = object(policy, &at)?;
                diagnostic.matched_policies.push(MatchedPolicy {
                    effect: text_member(policy, "Effect", &at)?,
                    policy_identifier: text_member(policy, "PolicyIdentifier", &at)?,
                    policy_type: text_member(policy, "PolicyType", &at)?,
                    policy_version: text_member(policy, "PolicyVersion", &at)?,
                    attached_entity_type: text_member(policy, "AttachedEntityType", &at)?,
                    attached_scope: text_member(policy, "AttachedScope", &at)?,
                });
            }
        }
        Ok(diagnostic)
    }

    fn find_masked(&mut self) {
        let mut masked = Vec::new();
        let fields = [
            ("AuthResource", &self.resource),
            ("AuthPrincipalOwnerId", &self.principal.owner_id),
            ("AuthPrincipalDisplayName", &self.principal.display_name),
        ];
        for (name, value) in fields {
            if value.as_deref().is_some_and(is_masked) {
                masked.push(name.to_string());
            }
        }
        for (key, values) in &self.conditions {
            if values.iter().any(|value| is_masked(value)) {
                masked.push(format!("AuthConditions/{key}"));
            }
        }
        self.masked = masked;
    }

    /// The resource RAM named, parsed, when it is an ARN (not `*`).
    pub fn resource_arn(&self) -> Option<Arn> {
        self.resource.as_deref()?.parse().ok()
    }

    /// The account: the resource ARN's, else the principal's owner.
    pub fn account(&self) -> Option<String> {
        match self.resource_arn() {
            Some(arn) if !arn.account().is_empty() && arn.account() != "*" => {
                Some(arn.account().to_string())
            }
            _ => self.principal.owner_id.clone(),
        }
    }

    /// The call as far as the diagnostic tells it: the action, the account and region of the
    /// ARN RAM named (the account falls back to the principal's owner), and the condition
    /// values RAM saw. Request parameters are never known.
    pub fn request(&self) -> Request {
        let region = self
            .resource_arn()
            .map(|arn| arn.region().to_string())
            .filter(|region| !region.is_empty() && region != "*");
        Request {
            action: self.action.clone().unwrap_or_default(),
            account: self.account(),
            region,
            params: BTreeMap::new(),
            context: self
                .conditions
                .iter()
                .map(|(key, values)| {
                    let usable: Vec<String> = values
                        .iter()
                        .filter(|value| !is_masked(value))
                        .cloned()
                        .collect();
                    (key.clone(), usable)
                })
                .filter(|(_, values)| !values.is_empty())
                .collect(),
        }
    }

    /// What the diagnostic does not tell, for `explain` to say.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut gaps = Vec::new();
        match (&self.resource, self.resource_arn()) {
            (Some(_), Some(_)) => gaps.push(Gap::new(
                "params",
                "request parameters are unknown: the resource is taken from the ARN RAM named",
            )),
            (Some(resource), None) => gaps.push(Gap::new(
                "params",
                format!("request parameters are unknown, and RAM named the resource `{resource}`, not an ARN"),
            )),
            (None, _) => gaps.push(Gap::new(
                "resource",
                "the input names no resource: request parameters and the ARNs RAM checked are unknown",
            )),
        }
        if self.action.is_none() {
            gaps.push(Gap::new("action", "the input names no action"));
        }
        if self.deny.is_none() {
            gaps.push(Gap::new(
                "deny",
                "the input does not say whether the deny was explicit or implicit",
            ));
        }
        if self.account().is_none() {
            gaps.push(Gap::new("account", "the input names no account"));
        }
        if self.source != DiagnosticSource::DecodedDiagnosticMessage {
            gaps.push(Gap::new(
                "context",
                "condition values are unknown (source IP, MFA, time…): decode `EncodedDiagnosticMessage` with `ram:DecodeDiagnosticMessage` to see them",
            ));
            gaps.push(Gap::new("policies", "the policies RAM matched are unknown"));
        } else {
            for key in ["acs:SourceIp", "acs:MFAPresent", "acs:SecureTransport"] {
                if !self.conditions.contains_key(key) {
                    gaps.push(Gap::new(
                        key,
                        format!("`{key}` is not among the conditions RAM reported"),
                    ));
                }
            }
        }
        for name in &self.masked {
            gaps.push(Gap::new(
                name.clone(),
                "the value is masked (`****`): it cannot be matched against a policy",
            ));
        }
        gaps
    }
}

/// Parses `Resource: <arn>` and `Action: <action>` out of an error message.
pub fn parse_message(message: &str) -> (Option<String>, Option<String>) {
    let after = |label: &str| -> Option<String> {
        let lower = message.to_ascii_lowercase();
        let index = lower.find(&label.to_ascii_lowercase())?;
        let rest = message.get(index + label.len()..)?;
        let token = rest.split_whitespace().next()?;
        let token = token.trim_end_matches(['.', ',', ';', ')', '"', '\'']);
        (!token.is_empty()).then(|| token.to_string())
    };
    (after("Resource:"), after("Action:"))
}

fn deny_kind(text: &str) -> DenyKind {
    if text.eq_ignore_ascii_case("ImplicitDeny") {
        DenyKind::Implicit
    } else if text.eq_ignore_ascii_case("ExplicitDeny") {
        DenyKind::Explicit
    } else {
        DenyKind::Other(text.to_string())
    }
}

fn is_decoded(object: &Map<String, Value>) -> bool {
    [
        "AuthResource",
        "ExplicitDeny",
        "MatchedPolicies",
        "AuthConditions",
        "NoPermissionPolicyType",
    ]
    .iter()
    .any(|name| member(object, name).is_some())
}

fn is_detail(object: &Map<String, Value>) -> bool {
    [
        "NoPermissionType",
        "EncodedDiagnosticMessage",
        "AuthAction",
        "AuthPrincipalType",
    ]
    .iter()
    .any(|name| member(object, name).is_some())
}

/// A member by name: exact first, then ignoring ASCII case.
fn member<'v>(object: &'v Map<String, Value>, name: &str) -> Option<(&'v str, &'v Value)> {
    if let Some((key, value)) = object.get_key_value(name) {
        return Some((key.as_str(), value));
    }
    object
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(key, value)| (key.as_str(), value))
}

fn text_member(
    object: &Map<String, Value>,
    name: &str,
    pointer: &str,
) -> Result<Option<String>, DiagnosticError> {
    match member(object, name) {
        None => Ok(None),
        Some((key, value)) => scalar(
            value,
            &format!("{pointer}/{}", crate::request::escape_pointer(key)),
        ),
    }
}

fn scalar(value: &Value, pointer: &str) -> Result<Option<String>, DiagnosticError> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text.clone())),
        Value::Number(number) => Ok(Some(number.to_string())),
        Value::Bool(flag) => Ok(Some(flag.to_string())),
        other => Err(DiagnosticError::Json(JsonInputError::WrongType {
            pointer: pointer.to_string(),
            expected: "a string, number or boolean",
            found: type_name(other),
        })),
    }
}

fn object<'v>(value: &'v Value, pointer: &str) -> Result<&'v Map<String, Value>, DiagnosticError> {
    value.as_object().ok_or_else(|| {
        DiagnosticError::Json(JsonInputError::WrongType {
            pointer: pointer.to_string(),
            expected: "an object",
            found: type_name(value),
        })
    })
}

fn array<'v>(value: &'v Value, pointer: &str) -> Result<&'v [Value], DiagnosticError> {
    match value {
        Value::Array(items) => Ok(items),
        Value::Null => Ok(&[]),
        other => Err(DiagnosticError::Json(JsonInputError::WrongType {
            pointer: pointer.to_string(),
            expected: "an array",
            found: type_name(other),
        })),
    }
}

/// An object given as an object or as a JSON string holding one.
fn embedded_object(value: &Value, pointer: &str) -> Result<Map<String, Value>, DiagnosticError> {
    match value {
        Value::Object(object) => Ok(object.clone()),
        Value::String(text) => {
            let parsed: Value =
                serde_json::from_str(text).map_err(|error| DiagnosticError::EmbeddedJson {
                    pointer: pointer.to_string(),
                    column: error.column(),
                    message: crate::request::strip_position(&error.to_string()),
                })?;
            match parsed {
                Value::Object(object) => Ok(object),
                other => Err(DiagnosticError::Json(JsonInputError::WrongType {
                    pointer: pointer.to_string(),
                    expected: "an object (or a string holding a JSON object)",
                    found: type_name(&other),
                })),
            }
        }
        other => Err(DiagnosticError::Json(JsonInputError::WrongType {
            pointer: pointer.to_string(),
            expected: "an object (or a string holding a JSON object)",
            found: type_name(other),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inline copy of `samples/access-denied-detail.json`.
    const DETAIL: &str = r#"{
  "RequestId": "7C9B0B5B-6A3C-4C7E-8E0B-2F7B3F0C2A11",
  "Code": "NoPermission",
  "Message": "You are not authorized to do this action. Resource: acs:ecs:cn-hangzhou:104758519118****:instance/i-bp1bzvz55uz27hf**** Action: ecs:StopInstance",
  "AccessDeniedDetail": {
    "PolicyType": "AccountLevelIdentityBasedPolicy",
    "AuthPrincipalOwnerId": "104758519118****",
    "EncodedDiagnosticMessage": "AQIBIAAAAOPdwKY2QLOvgMEc7SkkoJfj1kvZwsaRqNYMh10Tv0wTe0fCzaCdrvgazfNb0EnJKETgXyhR+3BIQjx9WAqZryejBsp1Bl4qI5En/D9dEhcXAtKCxCmE2kZCiEzpy8BoEUt+bs0DmlaGWO5xkEpttypLIB4rUhDvZd+zwPg4EXk4KSSWSWsurxtqDkKEMshKlQFBTKvJcKwyhk62IeYly4hQ+5IpXjkh1GQXuDRCQ==",
    "AuthPrincipalType": "SubUser",
    "AuthPrincipalDisplayName": "24549429003625****",
    "NoPermissionType": "ImplicitDeny",
    "AuthAction": "ecs:StopInstance"
  }
}"#;

    /// Inline copy of `samples/decode-diagnostic-message-response.json`.
    const DECODED: &str = r#"{
  "RequestId": "D2331703-AADF-5564-BA9B-26CD51A33BA0",
  "DecodedDiagnosticMessage": {
    "ExplicitDeny": true,
    "NoPermissionPolicyType": "AccountLevelIdentityBasedPolicy",
    "AuthAction": "ram:DecodeDiagnosticMessage",
    "AuthResource": "*",
    "AuthPrincipal": {
      "AuthPrincipalType": "SubUser",
      "AuthPrincipalOwnerId": "196813200012****",
      "AuthPrincipalDisplayName": "28877424437521****"
    },
    "AuthConditions": [
      {"ConditionKey": "acs:SourceIp", "ConditionValues": ["172.16.215.218"]}
    ],
    "MatchedPolicies": [
      {
        "Effect": "Deny",
        "PolicyIdentifier": "MyPolicyName",
        "PolicyType": "Custom",
        "PolicyVersion": "v1",
        "AttachedEntityType": "RamUser",
        "AttachedScope": "Account"
      }
    ]
  }
}"#;

    use crate::test_support::shared_sample as sample;

    fn check_detail(diagnostic: &Diagnostic) {
        assert_eq!(diagnostic.source, DiagnosticSource::AccessDeniedDetail);
        assert_eq!(diagnostic.code.as_deref(), Some("NoPermission"));
        assert_eq!(diagnostic.action.as_deref(), Some("ecs:StopInstance"));
        assert_eq!(diagnostic.deny, Some(DenyKind::Implicit));
        assert_eq!(
            diagnostic.resource.as_deref(),
            Some("acs:ecs:cn-hangzhou:104758519118****:instance/i-bp1bzvz55uz27hf****")
        );
        assert_eq!(
            diagnostic.policy_type.as_deref(),
            Some("AccountLevelIdentityBasedPolicy")
        );
        assert_eq!(diagnostic.principal.kind.as_deref(), Some("SubUser"));
        assert!(diagnostic
            .encoded_diagnostic_message
            .as_deref()
            .is_some_and(|m| m.starts_with("AQIB")));
        let request = diagnostic.request();
        assert_eq!(request.action, "ecs:StopInstance");
        assert_eq!(request.account.as_deref(), Some("104758519118****"));
        assert_eq!(request.region.as_deref(), Some("cn-hangzhou"));
        assert!(request.params.is_empty() && request.context.is_empty());
        assert_eq!(
            diagnostic.masked,
            vec![
                "AuthResource".to_string(),
                "AuthPrincipalOwnerId".into(),
                "AuthPrincipalDisplayName".into()
            ]
        );
        let gaps = diagnostic.gaps();
        assert!(gaps.iter().any(|gap| gap.reason
            == "request parameters are unknown: the resource is taken from the ARN RAM named"));
        assert!(gaps.iter().any(|gap| gap.subject == "context"));
    }

    fn check_decoded(diagnostic: &Diagnostic) {
        assert_eq!(
            diagnostic.source,
            DiagnosticSource::DecodedDiagnosticMessage
        );
        assert_eq!(
            diagnostic.request_id.as_deref(),
            Some("D2331703-AADF-5564-BA9B-26CD51A33BA0")
        );
        assert_eq!(
            diagnostic.action.as_deref(),
            Some("ram:DecodeDiagnosticMessage")
        );
        assert_eq!(diagnostic.resource.as_deref(), Some("*"));
        assert_eq!(diagnostic.resource_arn(), None);
        assert_eq!(diagnostic.deny, Some(DenyKind::Explicit));
        assert_eq!(
            diagnostic.principal.owner_id.as_deref(),
            Some("196813200012****")
        );
        assert_eq!(
            diagnostic.conditions["acs:SourceIp"],
            vec!["172.16.215.218".to_string()]
        );
        assert_eq!(diagnostic.matched_policies.len(), 1);
        let policy = &diagnostic.matched_policies[0];
        assert_eq!(policy.effect.as_deref(), Some("Deny"));
        assert_eq!(policy.policy_identifier.as_deref(), Some("MyPolicyName"));
        assert_eq!(policy.attached_scope.as_deref(), Some("Account"));
        let request = diagnostic.request();
        assert_eq!(request.account.as_deref(), Some("196813200012****"));
        assert_eq!(request.region, None);
        assert_eq!(
            request.context["acs:SourceIp"],
            vec!["172.16.215.218".to_string()]
        );
        assert!(diagnostic
            .masked
            .contains(&"AuthPrincipalOwnerId".to_string()));
        assert!(!diagnostic.masked.contains(&"AuthResource".to_string()));
        assert!(diagnostic
            .gaps()
            .iter()
            .any(|gap| gap.subject == "acs:MFAPresent"));
    }

    #[test]
    fn reads_the_inline_samples() {
        check_detail(&Diagnostic::from_json(DETAIL).unwrap());
        check_decoded(&Diagnostic::from_json(DECODED).unwrap());
    }

    #[test]
    fn reads_the_shared_samples() {
        if let Some(text) = sample("access-denied-detail.json") {
            check_detail(&Diagnostic::from_json(&text).unwrap());
        }
        if let Some(text) = sample("decode-diagnostic-message-response.json") {
            check_decoded(&Diagnostic::from_json(&text).unwrap());
        }
    }

    /// Renames every object key to camelCase, recursively.
    fn camel(value: &Value) -> Value {
        match value {
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let mut chars = key.chars();
                        let first = chars.next().map(|c| c.to_ascii_lowercase());
                        (first.into_iter().chain(chars).collect(), camel(value))
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(camel).collect()),
            other => other.clone(),
        }
    }

    #[test]
    fn accepts_camel_case_keys() {
        let detail = camel(&serde_json::from_str(DETAIL).unwrap());
        assert!(detail.get("accessDeniedDetail").is_some());
        check_detail(&Diagnostic::from_value(&detail).unwrap());
        let decoded = camel(&serde_json::from_str(DECODED).unwrap());
        check_decoded(&Diagnostic::from_value(&decoded).unwrap());
    }

    #[test]
    fn accepts_embedded_json_strings() {
        let mut detail: Value = serde_json::from_str(DETAIL).unwrap();
        let inner = detail["AccessDeniedDetail"].to_string();
        detail["AccessDeniedDetail"] = Value::String(inner);
        check_detail(&Diagnostic::from_value(&detail).unwrap());
        let mut decoded: Value = serde_json::from_str(DECODED).unwrap();
        let inner = decoded["DecodedDiagnosticMessage"].to_string();
        decoded["DecodedDiagnosticMessage"] = Value::String(inner);
        check_decoded(&Diagnostic::from_value(&decoded).unwrap());
    }

    #[test]
    fn accepts_bare_messages_and_plain_error_bodies() {
        let decoded: Value = serde_json::from_str(DECODED).unwrap();
        let bare = Diagnostic::from_value(&decoded["DecodedDiagnosticMessage"]).unwrap();
        assert_eq!(bare.source, DiagnosticSource::DecodedDiagnosticMessage);
        assert_eq!(bare.deny, Some(DenyKind::Explicit));
        let detail: Value = serde_json::from_str(DETAIL).unwrap();
        let bare = Diagnostic::from_value(&detail["AccessDeniedDetail"]).unwrap();
        assert_eq!(bare.source, DiagnosticSource::AccessDeniedDetail);
        assert_eq!(bare.resource, None);
        assert!(bare.gaps().iter().any(|gap| gap.subject == "resource"));
        let plain = Diagnostic::from_json(
            r#"{"Code": "Forbidden.RAM", "Message": "User not authorized. Resource: acs:ecs:cn-beijing:123:disk/d-1, Action: ecs:AttachDisk."}"#,
        )
        .unwrap();
        assert_eq!(plain.source, DiagnosticSource::ErrorBody);
        assert_eq!(
            plain.resource.as_deref(),
            Some("acs:ecs:cn-beijing:123:disk/d-1")
        );
        assert_eq!(plain.action.as_deref(), Some("ecs:AttachDisk"));
        assert_eq!(plain.deny, None);
        assert!(plain.masked.is_empty());
        let request = plain.request();
        assert_eq!(
            (request.account.as_deref(), request.region.as_deref()),
            (Some("123"), Some("cn-beijing"))
        );
    }

    #[test]
    fn deny_values() {
        let read = |text: &str| Diagnostic::from_json(text).unwrap().deny;
        assert_eq!(
            read(r#"{"AccessDeniedDetail": {"NoPermissionType": "explicitdeny"}}"#),
            Some(DenyKind::Explicit)
        );
        assert_eq!(
            read(r#"{"AccessDeniedDetail": {"NoPermissionType": "Weird"}}"#),
            Some(DenyKind::Other("Weird".into()))
        );
        assert_eq!(
            read(r#"{"ExplicitDeny": "false", "AuthResource": "*"}"#),
            Some(DenyKind::Implicit)
        );
    }

    #[test]
    fn errors_name_the_place() {
        let message = |text: &str| Diagnostic::from_json(text).unwrap_err().to_string();
        assert_eq!(message("[]"), "`/` must be an object, found an array");
        assert_eq!(
            message("{\"Code\": "),
            "malformed JSON at line 1, column 9: the text ends before an error body does (an unclosed bracket, brace or string)"
        );
        assert_eq!(
            message(""),
            "malformed JSON at line 1, column 1: the text is empty; an error body is a JSON object"
        );
        assert_eq!(
            message(r#"{"AccessDeniedDetail": "{oops"}"#),
            "`/AccessDeniedDetail` is a string but not JSON: key must be a string at column 2 of the string"
        );
        assert_eq!(
            message(r#"{"AccessDeniedDetail": 3}"#),
            "`/AccessDeniedDetail` must be an object (or a string holding a JSON object), found a number"
        );
        assert_eq!(
            message(r#"{"DecodedDiagnosticMessage": {"AuthConditions": [{"ConditionKey": "k", "ConditionValues": [{}]}]}}"#),
            "`/DecodedDiagnosticMessage/AuthConditions/0/ConditionValues/0` must be a string, number or boolean, found an object"
        );
        assert_eq!(
            message(r#"{"accessDeniedDetail": {"authAction": []}}"#),
            "`/accessDeniedDetail/authAction` must be a string, number or boolean, found an array"
        );
        assert_eq!(
            message(r#"{"hello": 1}"#),
            "the input is neither an ECS error body (`Code`, `Message`, `AccessDeniedDetail`) nor a `DecodeDiagnosticMessage` response (`DecodedDiagnosticMessage`)"
        );
        let error = crate::error::Error::from(
            Diagnostic::from_json(r#"{"AccessDeniedDetail": 3}"#).unwrap_err(),
        );
        assert_eq!(error.kind(), "wrong_type");
        assert_eq!(error.to_json()["error"]["pointer"], "/AccessDeniedDetail");
    }

    #[test]
    fn parses_messages() {
        assert_eq!(parse_message("nothing here"), (None, None));
        assert_eq!(
            parse_message("resource: acs:ecs:*:1:instance/i-1; action: ecs:StartInstance"),
            (
                Some("acs:ecs:*:1:instance/i-1".into()),
                Some("ecs:StartInstance".into())
            )
        );
        assert_eq!(parse_message("Resource:"), (None, None));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "[\\[\\]{}\",:a-zA-Z0-9* ]{0,80}") {
            let _ = Diagnostic::from_json(&text).map(|diagnostic| (diagnostic.request(), diagnostic.gaps()));
        }
    }
}
