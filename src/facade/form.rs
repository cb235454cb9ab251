//! The editor's request form turned into a request: each parameter's typed text encoded by its
//! arity (`Name.1`, `Name.2`, …; a JSON array in a string; a comma-separated list), so the
//! encoding of request parameters lives here, beside the reader that decodes it, and not in the
//! editor's JavaScript.

use super::types::{OneOrMany, RequestDocument};
use crate::catalog::Arity;
use serde::Deserialize;

#[cfg(test)]
use ts_rs::TS;

/// `buildRequest`'s input: what the editor's request panel holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(TS))]
pub struct RequestForm {
    /// The action as picked (`ecs:Name`).
    pub action: String,
    /// Left out of the request when blank.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub account: Option<String>,
    /// Left out of the request when blank.
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub region: Option<String>,
    /// The action's parameter fields, in order, with what was typed in each.
    #[serde(default)]
    #[cfg_attr(test, ts(optional, as = "Option<Vec<FormParameter>>"))]
    pub parameters: Vec<FormParameter>,
    /// Context rows; a row with a blank key is left out, a key given twice gets both values.
    #[serde(default)]
    #[cfg_attr(test, ts(optional, as = "Option<Vec<ContextRow>>"))]
    pub context: Vec<ContextRow>,
}

/// One parameter field of the form: the catalog's name (`SecurityGroupIds.N`) and arity, and
/// the typed text (several values separated by commas or white space, or a JSON array).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(TS))]
pub struct FormParameter {
    pub name: String,
    pub arity: Arity,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub text: Option<String>,
}

/// One context row of the form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(TS))]
pub struct ContextRow {
    pub key: String,
    #[serde(default)]
    #[cfg_attr(test, ts(optional))]
    pub value: Option<String>,
}

/// The request a form makes (members in the order a person reads them: `action`, `account`,
/// `region`, `params`, `context`). Empty values are left out.
pub fn build_request(form: &RequestForm) -> RequestDocument {
    let blank_to_none = |text: &Option<String>| {
        let trimmed = text.as_deref().unwrap_or("").trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    };
    let mut params = Vec::new();
    for parameter in &form.parameters {
        params.extend(encode_parameter(
            &parameter.name,
            parameter.arity,
            parameter.text.as_deref().unwrap_or(""),
        ));
    }
    let mut context: Vec<(String, OneOrMany)> = Vec::new();
    for row in &form.context {
        let key = row.key.trim();
        if key.is_empty() {
            continue;
        }
        let value = row.value.clone().unwrap_or_default();
        match context.iter_mut().find(|(given, _)| given == key) {
            Some((_, values)) => {
                *values = match std::mem::replace(values, OneOrMany::Many(Vec::new())) {
                    OneOrMany::One(first) => OneOrMany::Many(vec![first, value]),
                    OneOrMany::Many(mut all) => {
                        all.push(value);
                        OneOrMany::Many(all)
                    }
                }
            }
            None => context.push((key.to_string(), OneOrMany::One(value))),
        }
    }
    RequestDocument {
        action: form.action.clone(),
        account: blank_to_none(&form.account),
        region: blank_to_none(&form.region),
        params,
        context,
    }
}

/// The request parameters for one field's typed text, by the field's arity: a `single` value is
/// trimmed; several values become `Name.1`, `Name.2`, … (`repeat`, replacing the first `.N`
/// that ends the name or is followed by `.`), a JSON array in a string (`json_array`) or a
/// comma-separated string (`comma_list`). Blank text gives nothing.
pub fn encode_parameter(name: &str, arity: Arity, text: &str) -> Vec<(String, String)> {
    if arity == Arity::Single {
        let value = text.trim();
        return if value.is_empty() {
            Vec::new()
        } else {
            vec![(name.to_string(), value.to_string())]
        };
    }
    let values = split_values(text);
    if values.is_empty() {
        return Vec::new();
    }
    match arity {
        Arity::Repeat => values
            .into_iter()
            .enumerate()
            .map(|(index, value)| (numbered(name, index + 1), value))
            .collect(),
        Arity::JsonArray => vec![(
            name.to_string(),
            serde_json::to_string(&values).unwrap_or_default(),
        )],
        Arity::CommaList | Arity::Single => vec![(name.to_string(), values.join(","))],
    }
}

/// `name` with its first `.N` (ending the name or followed by `.`) replaced by `.{number}`.
fn numbered(name: &str, number: usize) -> String {
    let mut from = 0;
    while let Some(found) = name.get(from..).and_then(|rest| rest.find(".N")) {
        let at = from + found;
        let after = name.get(at + 2..).unwrap_or("");
        if after.is_empty() || after.starts_with('.') {
            return format!("{}.{number}{after}", name.get(..at).unwrap_or(""));
        }
        from = at + 2;
    }
    name.to_string()
}

/// Splits what a person typed into values: a JSON array (its non-empty items), or words
/// separated by commas or white space.
pub fn split_values(text: &str) -> Vec<String> {
    let trimmed = text.trim();
    if trimmed.starts_with('[') {
        if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(trimmed) {
            return items
                .into_iter()
                .map(|item| match item {
                    serde_json::Value::String(text) => text,
                    other => other.to_string(),
                })
                .filter(|value| !value.is_empty())
                .collect();
        }
    }
    trimmed
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|value| !value.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn parameters_follow_their_arity() {
        assert_eq!(
            encode_parameter("A", Arity::Single, "  x  "),
            pairs(&[("A", "x")])
        );
        assert!(encode_parameter("A", Arity::Single, " ").is_empty());
        assert_eq!(
            encode_parameter("G.N", Arity::Repeat, "sg-1, sg-2 sg-3"),
            pairs(&[("G.1", "sg-1"), ("G.2", "sg-2"), ("G.3", "sg-3")])
        );
        assert_eq!(
            encode_parameter("D.N.SnapshotId", Arity::Repeat, "s-1,s-2"),
            pairs(&[("D.1.SnapshotId", "s-1"), ("D.2.SnapshotId", "s-2")])
        );
        assert_eq!(
            encode_parameter("I", Arity::JsonArray, "i-1 i-2"),
            pairs(&[("I", r#"["i-1","i-2"]"#)])
        );
        assert_eq!(
            encode_parameter("I", Arity::JsonArray, r#"["i-1", "i-2"]"#),
            pairs(&[("I", r#"["i-1","i-2"]"#)])
        );
        assert_eq!(
            encode_parameter("M", Arity::CommaList, "m-1\nm-2"),
            pairs(&[("M", "m-1,m-2")])
        );
        assert_eq!(split_values("[not json"), vec!["[not", "json"]);
        assert_eq!(numbered("Tag.Name", 1), "Tag.Name");
    }

    #[test]
    fn requests_leave_out_empty_values_and_group_repeated_context_keys() {
        let form: RequestForm = serde_json::from_str(
            r#"{"action": "ecs:Example", "account": " 123 ", "region": "",
                "parameters": [
                  {"name": "DestinationRegionId", "arity": "single"},
                  {"name": "SecurityGroupIds.N", "arity": "repeat", "text": "sg-1,sg-2"},
                  {"name": "ResourceType", "arity": "single", "text": "disk"},
                  {"name": "ResourceIds", "arity": "json_array", "text": ""}
                ],
                "context": [
                  {"key": "acs:SourceIp", "value": "203.0.113.7"},
                  {"key": "acs:SourceIp", "value": "198.51.100.1"},
                  {"key": " ", "value": "dropped"}
                ]}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&build_request(&form)).unwrap(),
            r#"{"action":"ecs:Example","account":"123","params":{"SecurityGroupIds.1":"sg-1","SecurityGroupIds.2":"sg-2","ResourceType":"disk"},"context":{"acs:SourceIp":["203.0.113.7","198.51.100.1"]}}"#
        );
        assert!(serde_json::from_str::<RequestForm>(r#"{"action": "a", "extra": 1}"#).is_err());
    }
}
