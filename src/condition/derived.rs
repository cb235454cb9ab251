//! Service condition keys that RAM derives from the request itself.
//!
//! RAM sets `ecs:InstanceType` from a `RunInstances` request's `InstanceType`, `ecs:CommandRunAs`
//! from an `InvokeCommand`'s `Username`, `acs:RequestTag/<key>` from its `Tag.N.Key` /
//! `Tag.N.Value`, and so on. [`DERIVED_KEYS`] is the one table of how each key gets its value;
//! [`derive`] applies it to a request, for the actions that today's authorization reference says
//! support the key ([`crate::catalog::authorization`]).
//!
//! Some keys depend on facts the request does not carry: the tags of existing resources, the
//! owner or platform of an image, whether a VSwitch is the default one, the user a command runs
//! as when `Username` is not given (`root` or `system`, by operating system). Those are never
//! guessed: they are *unknown*, and the evaluator answers "depends" rather than deciding as if the
//! key were absent (an absent key meets a negated operator, which could turn a `Deny` off).
//!
//! Every mapping is listed in `docs/semantics.md`, marked [D] or [U].
//!
//! (The example is the test `documented_example` below, this module being private.)

use crate::catalog::authorization;
use crate::request::params::{Format, ParamError, ParamReader};
use crate::request::Request;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a key's value comes from a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The values of these parameters (every one given, in order).
    Values(&'static [&'static str]),
    /// `true` when any of these numeric parameters is above zero, `false` when they are given
    /// and none is.
    AboveZero(&'static [&'static str]),
    /// `true` when any of these parameters carries a value, `false` when none does.
    Given(&'static [&'static str]),
    /// `true` when none of these parameters carries a value, `false` when one does.
    NoneGiven(&'static [&'static str]),
    /// `true` when the parameter equals the value (ASCII letter case ignored), `false` otherwise.
    Equals(&'static str, &'static str),
    /// The family of an instance type: its first two dot-separated parts (`ecs.g6.large` →
    /// `ecs.g6`).
    TypeFamily(&'static str),
    /// The request's tags (`Tag.N.Key` → key suffix, `Tag.N.Value` → value).
    RequestTags,
    /// A fact outside the request (the reason says which); never guessed.
    Outside(&'static str),
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct DerivedKey {
    /// The key, or a family written with `<key>` (`acs:RequestTag/<key>`).
    pub key: &'static str,
    pub rule: Rule,
    /// The value when the request gives none of the rule's parameters, for an action that creates
    /// a resource (the API's default); otherwise, and for other actions, the key is unknown.
    pub default: Option<&'static str>,
    /// Whether Alibaba Cloud documents the mapping ([D]) or it is this project's reading ([U]).
    /// Nothing branches on it: it is the row's provenance, kept as data beside the rule it
    /// qualifies so that the table and docs/semantics.md say the same.
    #[expect(
        dead_code,
        reason = "the row's provenance, for the reader of the table"
    )]
    pub documented: bool,
}

macro_rules! derived {
    ($key:expr, $rule:expr, $default:expr, $documented:expr) => {
        DerivedKey {
            key: $key,
            rule: $rule,
            default: $default,
            documented: $documented,
        }
    };
}

/// Parameters through which a request names security groups.
const SECURITY_GROUP_PARAMS: &[&str] = &[
    "SecurityGroupId",
    "SecurityGroupIds",
    "NetworkInterface.N.SecurityGroupId",
    "NetworkInterface.N.SecurityGroupIds",
];

/// Every key RAM derives from a request, and the keys that depend on facts outside it.
pub static DERIVED_KEYS: &[DerivedKey] = &[
    derived!(
        "ecs:AssociatePublicIpAddress",
        Rule::AboveZero(&["InternetMaxBandwidthOut"]),
        Some("false"),
        false
    ),
    derived!("ecs:CommandRunAs", Rule::Values(&["Username"]), None, false),
    derived!(
        "ecs:ImageOwnerId",
        Rule::Outside("the account that owns the image"),
        None,
        true
    ),
    derived!(
        "ecs:ImagePlatform",
        Rule::Outside("the operating system of the image"),
        None,
        true
    ),
    derived!(
        "ecs:ImageSource",
        Rule::Outside("where the image comes from"),
        None,
        true
    ),
    derived!(
        "ecs:InstanceType",
        Rule::Values(&["InstanceType"]),
        None,
        false
    ),
    derived!(
        "ecs:InstanceTypeFamily",
        Rule::TypeFamily("InstanceType"),
        None,
        false
    ),
    derived!(
        "ecs:IsDiskEncrypted",
        Rule::Values(&["DataDisk.N.Encrypted", "Encrypted"]),
        None,
        false
    ),
    derived!(
        "ecs:IsSystemDiskEncrypted",
        Rule::Values(&["SystemDisk.Encrypted", "Encrypted"]),
        None,
        false
    ),
    derived!(
        "ecs:IsDiskByokEncrypted",
        Rule::Given(&["DataDisk.N.KMSKeyId", "KMSKeyId"]),
        None,
        false
    ),
    derived!(
        "ecs:IsSystemDiskByokEncrypted",
        Rule::Given(&["SystemDisk.KMSKeyId", "KMSKeyId"]),
        None,
        false
    ),
    derived!(
        "ecs:LoginAsNonRoot",
        Rule::Values(&["ImageOptions.LoginAsNonRoot"]),
        Some("false"),
        false
    ),
    derived!(
        "ecs:NotSpecifySecurityGroupId",
        Rule::NoneGiven(SECURITY_GROUP_PARAMS),
        Some("true"),
        false
    ),
    derived!(
        "ecs:PasswordCustomized",
        Rule::Given(&["Password"]),
        Some("false"),
        false
    ),
    derived!(
        "ecs:PasswordInherit",
        Rule::Values(&["PasswordInherit"]),
        Some("false"),
        false
    ),
    derived!(
        "ecs:SecurityEnhancementStrategy",
        Rule::Values(&["SecurityEnhancementStrategy"]),
        None,
        false
    ),
    derived!(
        "ecs:SecurityGroupIpProtocols",
        Rule::Values(&["IpProtocol", "Permissions.N.IpProtocol"]),
        None,
        false
    ),
    derived!(
        "ecs:SecurityGroupSourceCidrIps",
        Rule::Values(&["SourceCidrIp", "Permissions.N.SourceCidrIp"]),
        None,
        false
    ),
    derived!(
        "ecs:SecurityHardeningMode",
        Rule::Equals("HttpTokens", "required"),
        Some("false"),
        false
    ),
    derived!(
        "vpc:CreateDefaultVpc",
        Rule::Outside("whether the region still needs a default VPC"),
        None,
        true
    ),
    derived!(
        "vpc:IsDefaultVSwitch",
        Rule::Outside("whether the VSwitch is the zone's default"),
        None,
        true
    ),
    derived!(
        "vpc:IsDefaultVpc",
        Rule::Outside("whether the VPC is the region's default"),
        None,
        true
    ),
    derived!(
        "vpc:VPC",
        Rule::Outside("the VPC of the VSwitch or instance"),
        None,
        true
    ),
    derived!("acs:RequestTag/<key>", Rule::RequestTags, None, true),
    derived!("ecs:tag/<key>", Rule::RequestTags, None, false),
    derived!(
        "acs:ResourceTag/<key>",
        Rule::Outside("the tags of the existing resource"),
        None,
        true
    ),
    derived!(
        "vpc:tag/<key>",
        Rule::Outside("the tags of the existing VPC resource"),
        None,
        true
    ),
];

/// The keys a request sets and those it leaves unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Derivation {
    /// Key → values RAM derives from the request.
    pub values: BTreeMap<String, Vec<String>>,
    /// Where each derived key's values came from (`Username`, `Tag.1.Key`).
    pub sources: BTreeMap<String, KeySources>,
    /// Keys (or families, written `acs:ResourceTag/<key>`) RAM sets for this action from facts
    /// the request does not carry.
    pub unknown: Vec<UnknownKey>,
}

/// Where a derived key's values came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum KeySources {
    /// The parameter of each value, in order (`Username`, `Tag.1.Key`), or `the API's default`.
    Each(Vec<String>),
    /// A flag (`true` or `false`) read from `count` values: the parameters of the first and
    /// the last in request order. A flag read from 600,000 security groups keeps two names, not
    /// 600,000.
    Flag {
        count: usize,
        first: String,
        last: String,
    },
}

/// A key whose value RAM knows and the input does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct UnknownKey {
    /// The key, or a family written with `<key>`.
    pub key: String,
    /// What it depends on.
    pub reason: String,
}

impl Derivation {
    /// Whether a key (or a member of a family) is unknown; its reason.
    pub fn unknown_reason(&self, key: &str) -> Option<&str> {
        self.unknown.iter().find_map(|unknown| {
            let matches = match unknown.key.strip_suffix("<key>") {
                Some(prefix) => key.len() > prefix.len() && key.starts_with(prefix),
                None => unknown.key == key,
            };
            matches.then_some(unknown.reason.as_str())
        })
    }
}

/// Derives the service keys of a request. Parameters the keys read must be in a shape the
/// reader can read (an error names the parameter otherwise).
pub fn derive(request: &Request) -> Result<Derivation, ParamError> {
    derive_for(&request.action, request)
}

/// Like [`derive`] for the request's parameters under `action`, the action's name as the
/// catalog spells it (`ecs:RunInstances`, whatever letter case the request used).
pub fn derive_for(action: &str, request: &Request) -> Result<Derivation, ParamError> {
    let (service, name) = action.split_once(':').unwrap_or(("ecs", action));
    let mut derivation = Derivation::default();
    let reader = ParamReader::new(action, &request.params);
    let table = authorization::service(service).and_then(|data| data.action(name));
    // An action that makes a new resource: the table's `create` access, except the tagging of
    // existing resources (`TagResources` names them in `ResourceId`).
    let tags_existing = reader
        .api()
        .is_some_and(|api| api.param("ResourceId").is_some());
    let creates = table.is_some_and(|action| action.access == "create") && !tags_existing;
    let checks_resources = table.is_some_and(|action| !action.star_only());
    let has_tags = reader.api().is_some_and(|api| api.param("Tag").is_some());
    let from_template = ["LaunchTemplateId", "LaunchTemplateName"]
        .iter()
        .any(|param| reader.is_given(param, Format::Auto));
    for row in DERIVED_KEYS {
        let family = row.key.strip_suffix("<key>");
        let supported = match (row.key, family) {
            ("acs:RequestTag/<key>", _) => has_tags,
            ("ecs:tag/<key>", _) if creates => has_tags,
            ("acs:ResourceTag/<key>", _) => checks_resources,
            (_, Some(prefix)) => table.is_some_and(|action| {
                action
                    .condition_keys
                    .iter()
                    .any(|listed| prefix.trim_end_matches('/') == listed)
            }),
            (key, None) => {
                table.is_some_and(|action| action.condition_keys.iter().any(|listed| listed == key))
            }
        };
        if !supported {
            continue;
        }
        let unknown = |reason: String| UnknownKey {
            key: row.key.to_string(),
            reason,
        };
        let outcome = match row.rule {
            Rule::Outside(reason) => Err(reason.to_string()),
            // A resource tag key (`ecs:tag/<key>`) on an action that does not create the
            // resource: the tags of the existing resource, not the request's (filters, …).
            Rule::RequestTags if row.key != "acs:RequestTag/<key>" && !creates => {
                Err("the tags of the existing resource".to_string())
            }
            Rule::RequestTags => {
                for (key, value) in reader.pairs("Tag", "Key", "Value")? {
                    let prefix = family.unwrap_or_default();
                    let name = format!("{prefix}{}", key.value);
                    let (text, source) = match value {
                        Some(value) => (value.value, value.source),
                        None => (String::new(), key.source),
                    };
                    derivation
                        .values
                        .entry(name.clone())
                        .or_default()
                        .push(text);
                    if let KeySources::Each(sources) = derivation
                        .sources
                        .entry(name)
                        .or_insert_with(|| KeySources::Each(Vec::new()))
                    {
                        sources.push(source);
                    }
                }
                continue;
            }
            rule => match evaluate(rule, &reader)? {
                Some(found) => Ok(found),
                None => match row.default {
                    Some(default) if creates && !from_template => Ok((
                        vec![default.to_string()],
                        KeySources::Each(vec!["the API's default".to_string()]),
                    )),
                    _ if from_template => Err(format!(
                        "the launch template, or {} when the request gives it",
                        describe(rule)
                    )),
                    _ => Err(format!(
                        "what applies when the request gives no {}",
                        describe(rule)
                    )),
                },
            },
        };
        match outcome {
            Ok((values, sources)) => {
                derivation.values.insert(row.key.to_string(), values);
                derivation.sources.insert(row.key.to_string(), sources);
            }
            Err(reason) => derivation.unknown.push(unknown(reason)),
        }
    }
    Ok(derivation)
}

type Found = (Vec<String>, KeySources);

/// The values a rule reads from the request; `None` when it gives none of the parameters.
fn evaluate(rule: Rule, reader: &ParamReader<'_>) -> Result<Option<Found>, ParamError> {
    let read_all = |params: &[&str]| -> Result<Vec<(String, String)>, ParamError> {
        let mut items = Vec::new();
        for param in params {
            for item in reader.read(param, Format::Auto)? {
                items.push((item.value, item.source));
            }
        }
        Ok(items)
    };
    // A flag: whether any value meets `test`, and how many there are with the first and the
    // last, without keeping the values.
    let flag = |params: &[&str], test: &dyn Fn(&str) -> bool, when_met: bool| {
        let mut met = false;
        let mut count = 0;
        let mut first = None;
        let mut last = None;
        for param in params {
            let survey = reader.survey(param, Format::Auto, |value| met |= test(value))?;
            count += survey.count;
            first = first.or(survey.first);
            last = survey.last.or(last);
        }
        Ok::<_, ParamError>(match (first, last) {
            (Some(first), Some(last)) => Some((
                vec![(met == when_met).to_string()],
                KeySources::Flag {
                    count,
                    first: first.source,
                    last: last.source,
                },
            )),
            _ => None,
        })
    };
    let values = |items: Vec<(String, String)>| {
        (!items.is_empty()).then(|| {
            let (values, sources) = items.into_iter().unzip();
            (values, KeySources::Each(sources))
        })
    };
    Ok(match rule {
        Rule::Values(params) => values(read_all(params)?),
        Rule::AboveZero(params) => flag(
            params,
            &|value| super::parse_number(value).is_some_and(|n| n > 0.0),
            true,
        )?,
        Rule::Given(params) => flag(params, &|_| true, true)?,
        Rule::NoneGiven(params) => flag(params, &|_| true, false)?,
        Rule::Equals(param, expected) => flag(
            &[param],
            &|value| value.eq_ignore_ascii_case(expected),
            true,
        )?,
        Rule::TypeFamily(param) => {
            let items = read_all(&[param])?;
            let families: Vec<(String, String)> = items
                .into_iter()
                .filter_map(|(value, source)| {
                    let mut parts = value.splitn(3, '.');
                    let family = match (parts.next(), parts.next(), parts.next()) {
                        (Some(first), Some(second), Some(_)) => format!("{first}.{second}"),
                        _ => return None,
                    };
                    Some((family, source))
                })
                .collect();
            values(families)
        }
        Rule::RequestTags | Rule::Outside(_) => None,
    })
}

/// What a rule needs, for "unknown" reasons.
fn describe(rule: Rule) -> String {
    let list = |params: &[&str]| {
        params
            .iter()
            .map(|param| format!("`{param}`"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match rule {
        Rule::Values(params) | Rule::AboveZero(params) | Rule::Given(params) => list(params),
        Rule::NoneGiven(params) => format!("whether {} is given", list(params)),
        Rule::Equals(param, _) | Rule::TypeFamily(param) => format!("`{param}`"),
        Rule::RequestTags => "`Tag.N.Key`".into(),
        Rule::Outside(reason) => reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derived(action: &str, params: &str) -> Derivation {
        let request =
            Request::from_json(&format!(r#"{{"action": "{action}", "params": {params}}}"#))
                .unwrap();
        derive(&request).unwrap()
    }

    #[test]
    fn every_key_of_the_condition_section_has_a_row() {
        let ecs = authorization::service("ecs").unwrap();
        for key in &ecs.condition_keys {
            assert!(
                DERIVED_KEYS.iter().any(|row| row.key == key.key),
                "{} has no row",
                key.key
            );
        }
    }

    #[test]
    fn run_instances_keys_come_from_its_parameters() {
        let run = derived(
            "ecs:RunInstances",
            r#"{"InstanceType": "ecs.g6.large", "InternetMaxBandwidthOut": 5,
                "SecurityGroupIds": ["sg-1"], "DataDisk.1.Encrypted": "true",
                "DataDisk.1.KMSKeyId": "key-1", "HttpTokens": "required",
                "Tag.1.Key": "env", "Tag.1.Value": "prod", "Password": "****"}"#,
        );
        let value = |key: &str| run.values.get(key).cloned().unwrap_or_default();
        assert_eq!(value("ecs:InstanceType"), ["ecs.g6.large"]);
        assert_eq!(value("ecs:InstanceTypeFamily"), ["ecs.g6"]);
        assert_eq!(value("ecs:AssociatePublicIpAddress"), ["true"]);
        assert_eq!(value("ecs:NotSpecifySecurityGroupId"), ["false"]);
        assert_eq!(value("ecs:IsDiskEncrypted"), ["true"]);
        assert_eq!(value("ecs:IsDiskByokEncrypted"), ["true"]);
        assert_eq!(value("ecs:SecurityHardeningMode"), ["true"]);
        assert_eq!(value("ecs:PasswordCustomized"), ["true"]);
        assert_eq!(value("ecs:PasswordInherit"), ["false"]);
        assert_eq!(value("ecs:LoginAsNonRoot"), ["false"]);
        assert_eq!(value("acs:RequestTag/env"), ["prod"]);
        assert_eq!(value("ecs:tag/env"), ["prod"]);
        for key in [
            "ecs:ImageOwnerId",
            "vpc:IsDefaultVSwitch",
            "ecs:SecurityEnhancementStrategy",
        ] {
            assert!(run.unknown_reason(key).is_some(), "{key}");
        }
        // A launch template may set what the request leaves out: no default is assumed.
        let templated = derived("ecs:RunInstances", r#"{"LaunchTemplateId": "lt-1"}"#);
        assert!(templated
            .unknown_reason("ecs:AssociatePublicIpAddress")
            .is_some());
        assert!(templated.unknown_reason("ecs:InstanceType").is_some());
    }

    #[test]
    fn keys_apply_only_to_actions_that_support_them() {
        let describe = derived(
            "ecs:DescribeInstances",
            r#"{"InstanceType": "ecs.g6.large"}"#,
        );
        assert!(!describe.values.contains_key("ecs:InstanceType"));
        assert!(describe.unknown_reason("ecs:InstanceType").is_none());
        // Changing an existing instance's bandwidth: without the parameter the current
        // bandwidth decides, which the request does not say.
        let modify = derived("ecs:ModifyInstanceNetworkSpec", r#"{"InstanceId": "i-1"}"#);
        assert!(modify
            .unknown_reason("ecs:AssociatePublicIpAddress")
            .is_some());
        let modify = derived(
            "ecs:ModifyInstanceNetworkSpec",
            r#"{"InternetMaxBandwidthOut": "0"}"#,
        );
        assert_eq!(modify.values["ecs:AssociatePublicIpAddress"], ["false"]);
    }

    #[test]
    fn command_run_as_and_tags() {
        let invoke = derived("ecs:RunCommand", r#"{"Username": "ROOT"}"#);
        assert_eq!(invoke.values["ecs:CommandRunAs"], ["ROOT"]);
        assert_eq!(
            invoke.sources["ecs:CommandRunAs"],
            KeySources::Each(vec!["Username".into()])
        );
        let filter = derived(
            "ecs:DescribeSecurityGroups",
            r#"{"Tag.1.Key": "env", "Tag.1.Value": "prod"}"#,
        );
        assert!(!filter.values.contains_key("ecs:tag/env"));
        assert!(filter.unknown_reason("ecs:tag/env").is_some());
        let tagged = derived("ecs:TagResources", r#"{"Tag": [{"Key": "team"}]}"#);
        assert_eq!(tagged.values["acs:RequestTag/team"], [""]);
        assert!(tagged.unknown_reason("acs:ResourceTag/team").is_some());
        assert!(!tagged.values.contains_key("ecs:tag/team"));
    }

    #[test]
    fn a_flag_keeps_the_count_and_the_first_and_last_source() {
        let run = derived(
            "ecs:RunInstances",
            r#"{"SecurityGroupIds.10": "sg-10", "SecurityGroupIds.9": "sg-9",
                "SecurityGroupIds.1": "sg-1", "NetworkInterface.1.SecurityGroupId": "sg-e"}"#,
        );
        assert_eq!(run.values["ecs:NotSpecifySecurityGroupId"], ["false"]);
        assert_eq!(
            run.sources["ecs:NotSpecifySecurityGroupId"],
            KeySources::Flag {
                count: 4,
                first: "SecurityGroupIds.1".into(),
                last: "NetworkInterface.1.SecurityGroupId".into(),
            }
        );
        let defaulted = derived("ecs:RunInstances", r#"{"ImageId": "m-1"}"#);
        assert_eq!(defaulted.values["ecs:NotSpecifySecurityGroupId"], ["true"]);
        assert_eq!(
            defaulted.sources["ecs:NotSpecifySecurityGroupId"],
            KeySources::Each(vec!["the API's default".into()])
        );
    }

    #[test]
    fn unreadable_parameters_are_errors() {
        let request = Request::from_json(
            r#"{"action": "ecs:RunInstances", "params": {"Tag.first.Key": "env"}}"#,
        )
        .unwrap();
        assert_eq!(derive(&request).unwrap_err().param, "Tag.first.Key");
    }
}

#[cfg(test)]
mod documented_example {
    #[test]
    fn example() {
        use crate::condition::derived::derive;
        use crate::request::Request;
        let request = Request::from_json(
            r#"{"action": "ecs:InvokeCommand",
            "params": {"Username": "root", "InstanceId.1": "i-1"}}"#,
        )
        .unwrap();
        let derived = derive(&request).unwrap();
        assert_eq!(derived.values["ecs:CommandRunAs"], ["root"]);
        let without =
            Request::from_json(r#"{"action": "ecs:InvokeCommand", "params": {}}"#).unwrap();
        assert!(derive(&without)
            .unwrap()
            .unknown
            .iter()
            .any(|u| u.key == "ecs:CommandRunAs"));
    }
}
