//! Context values: the one rule for a condition key's value that is empty or cannot be read.
//!
//! A negated operator (`NotIpAddress`, `StringNotEquals`, …) is met when the request's value
//! matches none of the policy's values; a value that cannot be read matches nothing. So an
//! unreadable value given for a key would switch off a `Deny` guarded by a negated operator
//! while the same request without the key is denied: a false Allow. Hence one rule, applied by
//! every front end through [`check`]:
//!
//! - **Requests** (request JSON, `--context KEY=VALUE`, the editor's options): a key given with
//!   no value (`[]`), an empty value (`""`, `--context acs:SourceIp=`) or a value invalid for the
//!   key's registered type (`acs:SourceIp` = `abc`, `acs:MFAPresent` = `maybe`) is refused, and
//!   the error names the key (exit code 2).
//! - **ActionTrail events**: such a value (`"sourceIpAddress": "ecs.aliyuncs.com"`, written when
//!   a service calls on a user's behalf) is *not known*: it is left out of the context, as if
//!   absent, and the explanation lists it under "not known from the input".
//!
//! See `docs/semantics.md`, "Context values".
//!
//! ```
//! use ram_policy::{check_context as check, ContextValueError};
//! assert!(check("acs:SourceIp", &["203.0.113.7".to_string()]).is_ok());
//! assert!(matches!(check("acs:SourceIp", &[]), Err(ContextValueError::NoValue { .. })));
//! assert!(matches!(check("acs:SourceIp", &[String::new()]), Err(ContextValueError::Empty { .. })));
//! let error = check("acs:SourceIp", &["ecs.aliyuncs.com".to_string()]).unwrap_err();
//! assert_eq!(error.to_string(), "context key `acs:SourceIp` has the value `ecs.aliyuncs.com`, which is not an IP address");
//! ```

use crate::condition::keys::{self, KeyType};
use crate::condition::valid_for;

/// Why a context value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ContextValueError {
    /// The key's name is empty.
    #[error("a context key is empty")]
    EmptyKey,
    /// The key is given with no value at all (`[]`).
    #[error("context key `{key}` has no value: give a value, or leave the key out")]
    NoValue { key: String },
    /// A value is empty (or only whitespace).
    #[error("context key `{key}` has an empty value: give a value, or leave the key out")]
    Empty { key: String },
    /// A value is not valid for the key's registered type.
    #[error("context key `{key}` has the value `{value}`, which is not {expected}")]
    Invalid {
        key: String,
        value: String,
        expected: &'static str,
    },
    /// A key of the `acs:`, `ecs:` or `vpc:` namespace that RAM does not define (or in another
    /// letter case): no policy condition reads it, so the value given is silently not the one
    /// meant.
    #[error("context key `{key}` is not a known condition key (names are case-sensitive){hint}")]
    UnknownKey { key: String, hint: String },
}

impl ContextValueError {
    /// The key the error is about (empty for [`ContextValueError::EmptyKey`]).
    pub fn key(&self) -> &str {
        match self {
            ContextValueError::EmptyKey => "",
            ContextValueError::NoValue { key }
            | ContextValueError::Empty { key }
            | ContextValueError::Invalid { key, .. }
            | ContextValueError::UnknownKey { key, .. } => key,
        }
    }
}

/// What a value of a type must be, in words.
pub fn expected(value_type: KeyType) -> &'static str {
    match value_type {
        KeyType::String => "a string",
        KeyType::Numeric => "a number",
        KeyType::Date => "an ISO 8601 time",
        KeyType::Bool => "`true` or `false`",
        KeyType::Ip => "an IP address",
    }
}

/// Checks one value of a key: not empty, and valid for the key's registered type (a key the
/// registry does not know takes any non-empty text).
pub fn check_value(key: &str, value: &str) -> Result<(), ContextValueError> {
    if key.is_empty() {
        return Err(ContextValueError::EmptyKey);
    }
    if value.trim().is_empty() {
        return Err(ContextValueError::Empty {
            key: key.to_string(),
        });
    }
    match keys::key_type(key) {
        Some(value_type) if !valid_for(value_type, value) => Err(ContextValueError::Invalid {
            key: key.to_string(),
            value: value.to_string(),
            expected: expected(value_type),
        }),
        _ => Ok(()),
    }
}

/// Checks a key typed on the command line (`--context KEY=VALUE`): in the namespaces whose keys
/// the registry lists (`acs:`, `ecs:`, `vpc:`), it must be one of them, in the right letter case,
/// like lint's `UNKNOWN_CONDITION_KEY`; keys of other namespaces are taken as given.
pub fn check_key(key: &str) -> Result<(), ContextValueError> {
    let Some((prefix, _)) = key.split_once(':') else {
        return Ok(());
    };
    let checked = ["acs", "ecs", "vpc"]
        .iter()
        .any(|namespace| namespace.eq_ignore_ascii_case(prefix));
    if !checked || keys::lookup(key).is_some() {
        return Ok(());
    }
    let suggestions = match keys::lookup_ignoring_case(key) {
        Some(known) => match known.family_prefix() {
            Some(family) => vec![format!("{family}{}", key.get(family.len()..).unwrap_or(""))],
            None => vec![known.name.to_string()],
        },
        None => keys::nearest(key, 2),
    };
    if suggestions.iter().any(|suggestion| suggestion == key) {
        return Ok(());
    }
    Err(ContextValueError::UnknownKey {
        key: key.to_string(),
        hint: crate::suggest::did_you_mean_or_check(&suggestions),
    })
}

/// Checks a key and all its values: at least one value, each readable ([`check_value`]).
pub fn check(key: &str, values: &[String]) -> Result<(), ContextValueError> {
    if key.is_empty() {
        return Err(ContextValueError::EmptyKey);
    }
    if values.is_empty() {
        return Err(ContextValueError::NoValue {
            key: key.to_string(),
        });
    }
    values.iter().try_for_each(|value| check_value(key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| item.to_string()).collect()
    }

    #[test]
    fn refuses_empty_and_invalid_values_naming_the_key() {
        assert!(check("acs:SourceIp", &values(&["10.0.0.1", "2001:db8::1"])).is_ok());
        assert!(check("acs:MFAPresent", &values(&["TRUE"])).is_ok());
        assert!(check("acs:CurrentTime", &values(&["2026-01-01T00:00:00Z"])).is_ok());
        assert!(check("acs:Custom", &values(&["anything"])).is_ok());
        for (key, given) in [
            ("acs:SourceIp", values(&[])),
            ("acs:SourceIp", values(&[""])),
            ("acs:SourceIp", values(&["  "])),
            ("acs:SourceIp", values(&["10.0.0.1", "ecs.aliyuncs.com"])),
            ("acs:SourceIp", values(&["10.0.0.0/8"])),
            ("acs:MFAPresent", values(&["maybe"])),
            ("acs:CurrentTime", values(&["yesterday"])),
            ("acs:Custom", values(&[""])),
        ] {
            let error = check(key, &given).unwrap_err();
            assert_eq!(error.key(), key);
            assert!(error.to_string().contains(&format!("`{key}`")), "{error}");
        }
        assert_eq!(check("", &values(&["x"])), Err(ContextValueError::EmptyKey));
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn request_keys_of_the_registered_namespaces_must_be_known() {
        for known in [
            "acs:SourceIp",
            "acs:CurrentTime",
            "ecs:tag/team",
            "acs:ResourceTag/team",
            "acs:RequestTag/env",
            "ecs:CommandRunAs",
            "vpc:IsDefaultVSwitch",
            "oss:Prefix",
            "custom",
        ] {
            assert_eq!(check_key(known), Ok(()), "{known}");
        }
        let error = check_key("acs:SourceIP").unwrap_err();
        assert_eq!(
            error.to_string(),
            "context key `acs:SourceIP` is not a known condition key (names are case-sensitive); did you mean `acs:SourceIp`?"
        );
    }
}
