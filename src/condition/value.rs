//! Condition values: parsing each type, and comparing a request value with a policy value as an
//! operator's row of the table says ([`super::operator`]).

use super::keys::KeyType;
use super::operator::{Comparison, Operator};
use crate::wildcard::{CaseRule, Pattern};
use chrono::DateTime;
use ipnet::IpNet;
use std::net::IpAddr;

/// A value parsed for the type of its operator.
#[derive(Debug, Clone)]
pub(super) enum Typed {
    Text(String),
    Folded(String),
    Like(Pattern),
    Number(f64),
    /// Seconds and nanoseconds since the Unix epoch.
    Date(i64, u32),
    Bool(bool),
    Network(IpNet),
    /// The policy value does not parse for the operator: it equals nothing.
    Invalid,
}

/// Parses a number: decimal integers and fractions, finite only.
pub fn parse_number(text: &str) -> Option<f64> {
    let trimmed = text.trim();
    let looks_numeric = !trimmed.is_empty()
        && trimmed
            .bytes()
            .all(|byte| byte.is_ascii_digit() || matches!(byte, b'-' | b'+' | b'.' | b'e' | b'E'));
    if !looks_numeric {
        return None;
    }
    trimmed
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite())
}

/// Parses an ISO 8601 / RFC 3339 time (`2026-01-01T00:00:00Z`, offsets and fractions allowed;
/// a bare date `2026-01-01` means midnight UTC) into seconds and nanoseconds since the epoch.
pub fn parse_date(text: &str) -> Option<(i64, u32)> {
    let trimmed = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(trimmed) {
        return Some((time.timestamp(), time.timestamp_subsec_nanos()));
    }
    let date = crate::time::parse_date(trimmed)?;
    let time = date.and_hms_opt(0, 0, 0)?.and_utc();
    Some((time.timestamp(), 0))
}

/// Parses `true` / `false` (ASCII letter case ignored).
pub fn parse_bool(text: &str) -> Option<bool> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("true") {
        Some(true)
    } else if trimmed.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Parses an IPv4/IPv6 address or CIDR block; an address is a block of one.
pub fn parse_network(text: &str) -> Option<IpNet> {
    let trimmed = text.trim();
    trimmed
        .parse::<IpNet>()
        .ok()
        .or_else(|| trimmed.parse::<IpAddr>().ok().map(IpNet::from))
}

/// Whether a value is valid for a key type.
pub fn valid_for(value_type: KeyType, text: &str) -> bool {
    match value_type {
        KeyType::String => true,
        KeyType::Numeric => parse_number(text).is_some(),
        KeyType::Date => parse_date(text).is_some(),
        KeyType::Bool => parse_bool(text).is_some(),
        KeyType::Ip => text.trim().parse::<IpAddr>().is_ok(),
    }
}

/// A policy value parsed for an operator ([`Typed::Invalid`] when it does not parse).
pub(super) fn typed_policy_value(operator: Operator, text: &str) -> Typed {
    let parsed = match (operator.value_type(), operator.comparison()) {
        (KeyType::String, Comparison::EqualsIgnoreCase) => Some(Typed::Folded(text.to_lowercase())),
        (KeyType::String, Comparison::Like) => {
            Some(Typed::Like(Pattern::new(text, CaseRule::Sensitive)))
        }
        (KeyType::String, _) => Some(Typed::Text(text.to_string())),
        (KeyType::Numeric, _) => parse_number(text).map(Typed::Number),
        (KeyType::Date, _) => parse_date(text).map(|(s, n)| Typed::Date(s, n)),
        (KeyType::Bool, _) => parse_bool(text).map(Typed::Bool),
        (KeyType::Ip, _) => parse_network(text).map(Typed::Network),
    };
    parsed.unwrap_or(Typed::Invalid)
}

/// A request value parsed for an operator; `None` when it does not parse.
#[derive(Debug)]
pub(super) enum RequestValue<'v> {
    Text(&'v str),
    Number(f64),
    Date(i64, u32),
    Bool(bool),
    Address(IpAddr),
}

pub(super) fn typed_request_value(operator: Operator, text: &str) -> Option<RequestValue<'_>> {
    Some(match operator.value_type() {
        KeyType::String => RequestValue::Text(text),
        KeyType::Numeric => RequestValue::Number(parse_number(text)?),
        KeyType::Date => {
            let (seconds, nanos) = parse_date(text)?;
            RequestValue::Date(seconds, nanos)
        }
        KeyType::Bool => RequestValue::Bool(parse_bool(text)?),
        KeyType::Ip => RequestValue::Address(text.trim().parse().ok()?),
    })
}

/// The positive relation of an operator (a negated operator uses its positive counterpart).
pub(super) fn relation(operator: Operator, request: &RequestValue<'_>, policy: &Typed) -> bool {
    use std::cmp::Ordering::*;
    let ordering = match (request, policy) {
        (RequestValue::Text(text), Typed::Text(expected)) => Some((*text).cmp(expected.as_str())),
        (RequestValue::Text(text), Typed::Folded(expected)) => {
            return text.to_lowercase() == *expected
        }
        (RequestValue::Text(text), Typed::Like(pattern)) => return pattern.matches(text),
        (RequestValue::Bool(flag), Typed::Bool(expected)) => return flag == expected,
        (RequestValue::Address(address), Typed::Network(network)) => {
            return network.contains(address)
        }
        (RequestValue::Number(number), Typed::Number(expected)) => number.partial_cmp(expected),
        (RequestValue::Date(s, n), Typed::Date(es, en)) => Some((s, n).cmp(&(es, en))),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return false;
    };
    match operator.comparison() {
        Comparison::LessThan => ordering == Less,
        Comparison::LessThanEquals => ordering != Greater,
        Comparison::GreaterThan => ordering == Greater,
        Comparison::GreaterThanEquals => ordering != Less,
        Comparison::Equals | Comparison::EqualsIgnoreCase | Comparison::Like => ordering == Equal,
    }
}
