//! A concrete API call: what `resolve`, `eval` and `explain` take as input.
//!
//! ```json
//! {"action": "ecs:RunInstances", "account": "1234567890123456", "region": "cn-hangzhou",
//!  "params": {"ImageId": "m-abc", "SecurityGroupIds.1": "sg-1", "SecurityGroupIds.2": "sg-2"},
//!  "context": {"acs:SourceIp": "203.0.113.7", "acs:SecureTransport": "true"}}
//! ```
//!
//! - `action`: with or without the `ecs:` prefix, any letter case.
//! - `account`: the account that owns the resources.
//! - `region`: the endpoint region, used when the parameters carry no `RegionId`.
//! - `params`: parameter values are strings, numbers or booleans (kept as their text); an array
//!   of those is accepted too, as ActionTrail records some list parameters that way. A structure
//!   (`{"LoginAsNonRoot": true}`) or an array of structures is flattened into the API's dotted
//!   names (`ImageOptions.LoginAsNonRoot`, `NetworkInterface.1.SecurityGroupId`), as the API
//!   receives it. [`params::ParamReader`] reads every shape of a parameter.
//! - `context`: condition keys and their values (a single value or an array). An empty or
//!   unreadable value is refused, naming the key ([`crate::context`]).

pub mod params;

use crate::json::JsonInputError;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A parsed request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Request {
    /// The action as given (`ecs:RunInstances`, `runinstances`, …).
    pub action: String,
    /// The account id, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The endpoint region, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Request parameters by name.
    pub params: BTreeMap<String, ParamValue>,
    /// Condition keys by name, each with one or more values.
    pub context: BTreeMap<String, Vec<String>>,
}

/// The value of one request parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A string, number or boolean, as text.
    One(String),
    /// An array of strings, numbers or booleans.
    Many(Vec<String>),
}

/// Why a request could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The text is not JSON, a value has the wrong type, or a member is given twice.
    #[error(transparent)]
    Json(#[from] crate::json::JsonInputError),
    /// A required member is absent.
    #[error("the request has no `{member}`")]
    Missing { member: &'static str },
    /// A member the request format does not have.
    #[error("unknown member `{pointer}` in the request; expected `action`, `account`, `region`, `params` or `context`")]
    UnknownMember { pointer: String },
    /// A context value is empty or cannot be read (see `crate::context`).
    #[error("`{pointer}`: {error}")]
    Context {
        pointer: String,
        error: Box<crate::context::ContextValueError>,
    },
    /// A value no real call can have (a region that does not exist, an account id of the wrong
    /// form): RAM never sees such a call, so deciding it would answer a question nobody asked.
    #[error("`{pointer}`: {message}")]
    InvalidValue { pointer: String, message: String },
    /// Two spellings of a parameter flatten to the same name (`"A.B"` and `"A": {"B": …}`).
    #[error("`{pointer}` gives parameter `{name}` a second time")]
    DuplicateParameter { pointer: String, name: String },
}

impl crate::error::Details for RequestError {
    fn kind(&self) -> &'static str {
        match self {
            RequestError::Json(error) => error.kind(),
            RequestError::Missing { .. } => "missing_member",
            RequestError::UnknownMember { .. } => "unknown_member",
            RequestError::Context { .. } => "invalid_context_value",
            RequestError::InvalidValue { .. } => "invalid_value",
            RequestError::DuplicateParameter { .. } => "duplicate_parameter",
        }
    }

    fn locate(&self, body: &mut crate::error::ErrorBody) {
        match self {
            RequestError::Json(error) => error.locate(body),
            RequestError::UnknownMember { pointer }
            | RequestError::InvalidValue { pointer, .. }
            | RequestError::DuplicateParameter { pointer, .. } => {
                body.pointer = Some(pointer.clone());
            }
            RequestError::Context { pointer, error } => {
                body.pointer = Some(pointer.clone());
                body.key = Some(error.key().to_string());
            }
            RequestError::Missing { .. } => {}
        }
    }
}

impl Request {
    /// A request for `action` with nothing else set.
    pub fn new(action: impl Into<String>) -> Self {
        Request {
            action: action.into(),
            ..Request::default()
        }
    }

    /// Parses a request from JSON text.
    pub fn from_json(text: &str) -> Result<Self, RequestError> {
        let value = crate::json::JsonInputError::parse(text, "a request")?;
        Self::from_owned_value(value, "")
    }

    /// Reads a request from a parsed JSON value; `pointer` locates the value in its document
    /// (empty for a whole document) so that errors point at the right place.
    pub fn from_value(value: &Value, pointer: &str) -> Result<Self, RequestError> {
        Self::from_owned_value(value.clone(), pointer)
    }

    /// [`Self::from_value`] taking the value, whose strings become the request's: a request
    /// of 400,000 parameters is not held twice while it is read.
    pub fn from_owned_value(value: Value, pointer: &str) -> Result<Self, RequestError> {
        let object = expect_object(value, pointer)?;
        let mut request = Request::default();
        let mut has_action = false;
        for (key, member) in object {
            let here = format!("{pointer}/{}", escape_pointer(&key));
            match key.as_str() {
                "action" => {
                    request.action = expect_string(member, &here)?;
                    has_action = true;
                }
                "account" => request.account = Some(scalar_text(member, &here)?),
                "region" => request.region = Some(expect_string(member, &here)?),
                "params" => {
                    for (name, raw) in expect_object(member, &here)? {
                        let at = format!("{here}/{}", escape_pointer(&name));
                        flatten_param(&mut request.params, name, raw, &at)?;
                    }
                }
                "context" => {
                    for (name, raw) in expect_object(member, &here)? {
                        let at = format!("{here}/{}", escape_pointer(&name));
                        let values = match param_value(raw, &at)? {
                            ParamValue::One(one) => vec![one],
                            ParamValue::Many(many) => many,
                        };
                        crate::context::check(&name, &values).map_err(|error| {
                            RequestError::Context {
                                pointer: at.clone(),
                                error: Box::new(error),
                            }
                        })?;
                        request.context.insert(name, values);
                    }
                }
                _ => return Err(RequestError::UnknownMember { pointer: here }),
            }
        }
        if !has_action {
            return Err(RequestError::Missing { member: "action" });
        }
        check_place(&request, pointer)?;
        refill(&mut request.params);
        Ok(request)
    }

    /// The values of a parameter, or `None` when it is absent.
    pub fn param(&self, name: &str) -> Option<&ParamValue> {
        self.params.get(name)
    }
}

impl ParamValue {
    /// The values as a slice-like list.
    pub fn values(&self) -> Vec<&str> {
        match self {
            ParamValue::One(one) => vec![one.as_str()],
            ParamValue::Many(many) => many.iter().map(String::as_str).collect(),
        }
    }
}

/// Rebuilds a map with full nodes. The parameters arrive mostly in ascending order of their
/// names, and a `BTreeMap` filled in ascending order keeps its nodes about half full (65 MB of
/// nodes for 600,000 parameters); `append` of two non-empty maps builds one from their merged
/// entries, filling each node before the next (35 MB), and frees the old nodes as it reads them.
/// Not on WebAssembly: the editor's requests are small, and the removal and merge code it needs
/// cost about 2 KB of the gzipped modules (docs/wasm.md); the entries are the same either way.
fn refill<K: Ord, V>(map: &mut BTreeMap<K, V>) {
    if cfg!(target_arch = "wasm32") {
        return;
    }
    if let Some((key, value)) = map.pop_first() {
        let mut full = BTreeMap::from([(key, value)]);
        full.append(map);
        *map = full;
    }
}

/// serde_json appends " at line L column C"; the error variants carry those separately.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message.get(..index).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The JSON type name of a value, for messages (`a string`, `an array`, …).
pub use crate::json::value_type_name as type_name;

fn expect_object(value: Value, pointer: &str) -> Result<Map<String, Value>, RequestError> {
    match value {
        Value::Object(members) => Ok(members),
        other => Err(JsonInputError::wrong_type(pointer, "an object", &other).into()),
    }
}

fn expect_string(value: Value, pointer: &str) -> Result<String, RequestError> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(JsonInputError::wrong_type(pointer, "a string", &other).into()),
    }
}

/// A string, number or boolean as text.
fn scalar_text(value: Value, pointer: &str) -> Result<String, RequestError> {
    match value {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        other => {
            Err(JsonInputError::wrong_type(pointer, "a string, number or boolean", &other).into())
        }
    }
}

/// Puts one parameter into `params` in the API's flattened form: a structure's members as
/// `Name.Member`, an array of structures as `Name.1.Member`, … ; an array of values stays one
/// [`ParamValue::Many`] (the reader knows it stands for `Name.1`, `Name.2`, …).
pub fn flatten_param(
    params: &mut BTreeMap<String, ParamValue>,
    name: String,
    value: Value,
    pointer: &str,
) -> Result<(), RequestError> {
    match value {
        Value::Object(members) => {
            for (member, inner) in members {
                let at = format!("{pointer}/{}", escape_pointer(&member));
                flatten_param(params, format!("{name}.{member}"), inner, &at)?;
            }
            Ok(())
        }
        Value::Array(items) if items.iter().any(Value::is_object) => {
            for (index, item) in items.into_iter().enumerate() {
                let at = format!("{pointer}/{index}");
                if !item.is_object() {
                    return Err(JsonInputError::wrong_type(
                        &at,
                        "a structure like the other items",
                        &item,
                    )
                    .into());
                }
                flatten_param(params, format!("{name}.{}", index + 1), item, &at)?;
            }
            Ok(())
        }
        other => {
            let parsed = param_value(other, pointer)?;
            match params.entry(name) {
                std::collections::btree_map::Entry::Occupied(taken) => {
                    Err(RequestError::DuplicateParameter {
                        pointer: pointer.to_string(),
                        name: taken.key().clone(),
                    })
                }
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(parsed);
                    Ok(())
                }
            }
        }
    }
}

fn param_value(value: Value, pointer: &str) -> Result<ParamValue, RequestError> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(index, item)| scalar_text(item, &format!("{pointer}/{index}")))
            .collect::<Result<Vec<_>, _>>()
            .map(ParamValue::Many),
        other => scalar_text(other, pointer).map(ParamValue::One),
    }
}

/// The region (`region`, or the `RegionId` parameter) must be an Alibaba Cloud region id and the
/// account a number: a typo would otherwise be decided as an ordinary call and denied with no
/// hint. An account of another length than 16 digits is only noted ([`account_note`]): short
/// made-up ids are common in examples and tests.
fn check_place(request: &Request, pointer: &str) -> Result<(), RequestError> {
    let region_id = match request.params.get("RegionId") {
        Some(ParamValue::One(region)) => Some(("params/RegionId", region)),
        _ => None,
    };
    for (member, region) in request
        .region
        .as_ref()
        .map(|region| ("region", region))
        .into_iter()
        .chain(region_id)
    {
        if !crate::facts::REGIONS.contains(&region.as_str()) {
            let near = crate::suggest::nearest(region, crate::facts::REGIONS.iter().copied(), 2);
            return Err(RequestError::InvalidValue {
                pointer: format!("{pointer}/{member}"),
                message: format!(
                    "`{region}` is not an Alibaba Cloud region id{}",
                    crate::suggest::did_you_mean_or_check(&near)
                ),
            });
        }
    }
    if let Some(account) = &request.account {
        if !account.chars().all(|c| c.is_ascii_digit()) || account.is_empty() {
            return Err(RequestError::InvalidValue {
                pointer: format!("{pointer}/account"),
                message: format!(
                    "`{account}` is not an Alibaba Cloud account id, which is a number (16 digits)"
                ),
            });
        }
    }
    Ok(())
}

/// A note for an account id that is not 16 digits long (Alibaba Cloud's account ids are), e.g.
/// a 12-digit id copied from another cloud: ARNs with it match no policy written for the real
/// account.
pub fn account_note(account: &str) -> Option<String> {
    (account.len() != 16 && account.chars().all(|c| c.is_ascii_digit())).then(|| {
        format!(
            "the account `{account}` has {} digits; Alibaba Cloud account ids have 16, so a policy written for a real account will not match it",
            account.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_shape() {
        let request = Request::from_json(
            r#"{"action": "ecs:RunInstances", "account": "123", "region": "cn-hangzhou",
                "params": {"ImageId": "m-abc", "Amount": 2, "DryRun": false, "Ids": ["a", 1]},
                "context": {"acs:SourceIp": "203.0.113.7", "acs:MFAPresent": true}}"#,
        )
        .unwrap();
        assert_eq!(request.action, "ecs:RunInstances");
        assert_eq!(request.param("Amount"), Some(&ParamValue::One("2".into())));
        assert_eq!(
            request.param("DryRun"),
            Some(&ParamValue::One("false".into()))
        );
        assert_eq!(
            request.param("Ids"),
            Some(&ParamValue::Many(vec!["a".into(), "1".into()]))
        );
        assert_eq!(request.context["acs:MFAPresent"], vec!["true".to_string()]);
    }

    #[test]
    fn structures_are_flattened_as_the_api_receives_them() {
        let request = Request::from_json(
            r#"{"action": "ecs:RunInstances", "params": {
                "ImageOptions": {"LoginAsNonRoot": true},
                "NetworkInterface": [{"SecurityGroupId": "sg-1", "SecurityGroupIds": ["sg-2"]}]}}"#,
        )
        .unwrap();
        let names: Vec<&str> = request.params.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "ImageOptions.LoginAsNonRoot",
                "NetworkInterface.1.SecurityGroupId",
                "NetworkInterface.1.SecurityGroupIds"
            ]
        );
    }

    #[test]
    fn errors_name_the_place() {
        let error = Request::from_json("{\"action\": \n  \"x\",, }").unwrap_err();
        assert!(
            matches!(
                error,
                RequestError::Json(JsonInputError::Malformed { line: 2, .. })
            ),
            "{error:?}"
        );
        let error = Request::from_json(r#"{"action":"a","params":[]}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`/params` must be an object, found an array"
        );
        let error =
            Request::from_json(r#"{"action":"a","params":{"A/B":{"x":[1,{}]}}}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`/params/A~1B/x/0` must be a structure like the other items, found a number"
        );
        let error = Request::from_json(r#"{"action":"a","params":{"A":[[1]]}}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`/params/A/0` must be a string, number or boolean, found an array"
        );
        let error =
            Request::from_json(r#"{"action":"a","params":{"A.B":"1","A":{"B":"2"}}}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`/params/A.B` gives parameter `A.B` a second time"
        );
        let error = Request::from_json(r#"{"params":{}}"#).unwrap_err();
        assert_eq!(error, RequestError::Missing { member: "action" });
        let error = Request::from_json(r#"{"action":"a","paramz":{}}"#).unwrap_err();
        assert!(matches!(error, RequestError::UnknownMember { .. }));
        let error = Request::from_json("[1]").unwrap_err();
        assert_eq!(error.to_string(), "`/` must be an object, found an array");
    }
}
