//! Representative condition-key values: for the entries of some `Condition` blocks, a finite
//! list of contexts such that every combination of entries met that any context could produce
//! is produced by one of them.
//!
//! Per key, the values are the constants the entries compare it with and the values around them:
//! - strings: one string for every combination of the `StringLike` patterns and the
//!   `StringEquals` constants that some string meets (found with the pattern automata), plus
//!   the `StringEqualsIgnoreCase` constants in their letter cases;
//! - numbers and dates: each constant, a value just below and just above, and one between each
//!   two neighbours;
//! - booleans: `true`, `false`;
//! - addresses: the first and last address of each network and the addresses just outside;
//! - and the key absent.
//!
//! Values a request could not carry for the key ([`crate::context::check_value`]) are dropped;
//! values that meet the same entries are kept once. Keys compared with a set qualifier also get
//! sets of two and three values. Where the list may miss a combination (a key compared as two
//! types, `StringEqualsIgnoreCase` beside `StringLike`, qualified sets with more than three
//! distinct values, or more combinations than the limit), [`Contexts::incomplete`] says so and
//! the caller falls back on a search that treats the blocks as free (see `search`).

use crate::condition::keys::KeyType;
use crate::condition::{parse_date, parse_network, parse_number, Comparison, ConditionEntry};
use crate::wildcard::automaton::{signatures, Nfa, Want};
use std::collections::BTreeMap;

/// A condition context: key → values (a key not in the map is absent).
pub type ContextMap = BTreeMap<String, Vec<String>>;

/// The representative contexts of some entries.
#[derive(Debug, Clone, Default)]
pub struct Contexts {
    /// Every context to try, the one with every key absent first.
    pub list: Vec<ContextMap>,
    /// Why the list may miss a combination, if it may.
    pub incomplete: Option<String>,
}

/// The representative contexts of the entries (see the module documentation); at most `limit`.
pub fn contexts(entries: &[&ConditionEntry], limit: usize) -> Contexts {
    let mut keys: BTreeMap<&str, Vec<&ConditionEntry>> = BTreeMap::new();
    for entry in entries {
        keys.entry(entry.key.as_str()).or_default().push(entry);
    }
    let mut incomplete = None;
    // Per key: its choices (None: absent), distinct by the entries they meet.
    let mut choices: Vec<(&str, Vec<Option<Vec<String>>>)> = Vec::new();
    for (key, on_key) in &keys {
        let (values, why) = key_choices(key, on_key);
        if incomplete.is_none() {
            incomplete = why;
        }
        choices.push((key, values));
    }
    let total = choices.iter().try_fold(1usize, |product, (_, values)| {
        product.checked_mul(values.len())
    });
    if total.is_none_or(|total| total > limit) {
        incomplete.get_or_insert_with(|| {
            format!(
                "the condition keys have more than {limit} combinations of representative values"
            )
        });
    }
    // The product, in odometer order (the first choice of each key is "absent").
    let mut list = Vec::new();
    let mut pick = vec![0usize; choices.len()];
    'product: loop {
        if list.len() >= limit {
            break;
        }
        let mut context = ContextMap::new();
        for ((key, values), &index) in choices.iter().zip(&pick) {
            if let Some(Some(chosen)) = values.get(index) {
                context.insert((*key).to_string(), chosen.clone());
            }
        }
        list.push(context);
        let mut position = pick.len();
        loop {
            if position == 0 {
                break 'product;
            }
            position -= 1;
            let count = choices.get(position).map_or(0, |(_, values)| values.len());
            if let Some(slot) = pick.get_mut(position) {
                *slot += 1;
                if *slot < count {
                    break;
                }
                *slot = 0;
            }
        }
    }
    Contexts { list, incomplete }
}

/// The choices for one key, distinct by the entries they meet, and why they may be incomplete.
fn key_choices(
    key: &str,
    entries: &[&ConditionEntry],
) -> (Vec<Option<Vec<String>>>, Option<String>) {
    let mut why = None;
    let types: Vec<KeyType> = {
        let mut types: Vec<KeyType> = entries.iter().map(|e| e.operator.value_type()).collect();
        types.dedup();
        types
    };
    if types.len() > 1 {
        why = Some(format!("`{key}` is compared as more than one type"));
    }
    let mut singles: Vec<String> = Vec::new();
    let strings: Vec<&&ConditionEntry> = entries
        .iter()
        .filter(|e| e.operator.value_type() == KeyType::String)
        .collect();
    if !strings.is_empty() {
        let (values, note) = string_values(key, &strings);
        singles.extend(values);
        if why.is_none() {
            why = note;
        }
    }
    for entry in entries {
        match entry.operator.value_type() {
            KeyType::Numeric => singles.extend(number_values(entry)),
            KeyType::Date => singles.extend(date_values(entry)),
            KeyType::Bool => singles.extend(["true".to_string(), "false".to_string()]),
            KeyType::Ip => singles.extend(address_values(entry)),
            KeyType::String => {}
        }
    }
    // Something no constant is: a value of another shape.
    singles.push("ram-policy-diff".into());
    singles.push("0".into());
    singles.retain(|value| crate::context::check_value(key, value).is_ok());
    let meets = |values: Option<&[String]>| -> Vec<bool> {
        entries.iter().map(|entry| entry.is_met(values)).collect()
    };
    let mut out: Vec<(Vec<bool>, Option<Vec<String>>)> = vec![(meets(None), None)];
    let mut distinct_singles: Vec<String> = Vec::new();
    for value in singles {
        let one = vec![value.clone()];
        let vector = meets(Some(&one));
        if !out.iter().any(|(seen, _)| *seen == vector) {
            out.push((vector, Some(one)));
            distinct_singles.push(value);
        }
    }
    if entries.iter().any(|entry| entry.qualifier.is_some()) {
        if distinct_singles.len() > 3 {
            why.get_or_insert_with(|| {
                format!("`{key}` is compared with a set qualifier and has more than three distinct values")
            });
        }
        let firsts: Vec<&String> = distinct_singles.iter().take(6).collect();
        let mut sets: Vec<Vec<String>> = Vec::new();
        for (i, a) in firsts.iter().enumerate() {
            for (j, b) in firsts.iter().enumerate().skip(i + 1) {
                sets.push(vec![(*a).clone(), (*b).clone()]);
                for c in firsts.iter().skip(j + 1) {
                    sets.push(vec![(*a).clone(), (*b).clone(), (*c).clone()]);
                }
            }
        }
        for set in sets {
            let vector = meets(Some(&set));
            if !out.iter().any(|(seen, _)| *seen == vector) {
                out.push((vector, Some(set)));
            }
        }
    }
    (out.into_iter().map(|(_, values)| values).collect(), why)
}

/// Strings for every combination of the string entries' constants that some string meets.
fn string_values(key: &str, entries: &[&&ConditionEntry]) -> (Vec<String>, Option<String>) {
    let mut automata = Vec::new();
    let mut out = Vec::new();
    let mut like = false;
    let mut ignore_case = false;
    for entry in entries {
        for value in &entry.values {
            match entry.operator.comparison() {
                Comparison::Like => {
                    like = true;
                    automata.push(Nfa::pattern(value, false));
                }
                Comparison::EqualsIgnoreCase => {
                    ignore_case = true;
                    automata.push(Nfa::literal(&value.to_lowercase()));
                    out.push(value.clone());
                    out.push(value.to_uppercase());
                    out.push(value.to_lowercase());
                }
                _ => automata.push(Nfa::literal(value)),
            }
        }
    }
    let parts: Vec<(&Nfa, Want)> = automata.iter().map(|nfa| (nfa, Want::Observe)).collect();
    let mut why = (like && ignore_case).then(|| {
        format!("`{key}` is compared with both `StringLike` and `StringEqualsIgnoreCase`")
    });
    if parts.len() > 24 {
        why.get_or_insert_with(|| format!("`{key}` is compared with more than 24 strings"));
        out.extend(
            entries
                .iter()
                .flat_map(|entry| entry.values.iter().cloned()),
        );
        return (out, why);
    }
    match signatures(&parts, 20_000) {
        Ok(found) => out.extend(found.into_iter().map(|(_, word)| word)),
        Err(_) => {
            why.get_or_insert_with(|| {
                format!("the string patterns on `{key}` have too many combinations to list")
            });
            out.extend(
                entries
                    .iter()
                    .flat_map(|entry| entry.values.iter().cloned()),
            );
        }
    }
    (out, why)
}

/// Each constant, just below, just above, and between neighbours.
fn number_values(entry: &ConditionEntry) -> Vec<String> {
    let mut numbers: Vec<f64> = entry
        .values
        .iter()
        .filter_map(|v| parse_number(v))
        .collect();
    crate::sort::sort_by(&mut numbers, f64::total_cmp);
    let mut out = Vec::new();
    for (index, &number) in numbers.iter().enumerate() {
        out.extend([number, number - 1.0, number + 1.0]);
        if let Some(&next) = numbers.get(index + 1) {
            out.push((number + next) / 2.0);
        }
    }
    out.into_iter()
        .filter(|n| n.is_finite())
        .map(|n| {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{n:.0}")
            } else {
                format!("{n}")
            }
        })
        .collect()
}

/// Each time, a second before and after, and the middle between neighbours.
fn date_values(entry: &ConditionEntry) -> Vec<String> {
    let mut times: Vec<i128> = entry
        .values
        .iter()
        .filter_map(|v| parse_date(v))
        .map(|(seconds, nanos)| i128::from(seconds) * 1_000_000_000 + i128::from(nanos))
        .collect();
    crate::sort::sort_unstable(&mut times);
    let mut out = Vec::new();
    for (index, &time) in times.iter().enumerate() {
        out.extend([time, time - 1_000_000_000, time + 1_000_000_000]);
        if let Some(&next) = times.get(index + 1) {
            out.push(time + (next - time) / 2);
        }
    }
    out.into_iter()
        .filter_map(|nanos| {
            let seconds = i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
            let rest = u32::try_from(nanos.rem_euclid(1_000_000_000)).ok()?;
            let time = chrono::DateTime::from_timestamp(seconds, rest)?;
            Some(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        })
        .collect()
}

/// The first and last address of each network, and the addresses just outside.
fn address_values(entry: &ConditionEntry) -> Vec<String> {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let mut out = vec!["192.0.2.1".to_string(), "2001:db8::1".to_string()];
    for network in entry.values.iter().filter_map(|v| parse_network(v)) {
        let (first, last) = (network.network(), network.broadcast());
        let around: Vec<IpAddr> = match (first, last) {
            (IpAddr::V4(first), IpAddr::V4(last)) => {
                let (a, b) = (u32::from(first), u32::from(last));
                [Some(a), Some(b), a.checked_sub(1), b.checked_add(1)]
                    .into_iter()
                    .flatten()
                    .map(|n| IpAddr::V4(Ipv4Addr::from(n)))
                    .collect()
            }
            (IpAddr::V6(first), IpAddr::V6(last)) => {
                let (a, b) = (u128::from(first), u128::from(last));
                [Some(a), Some(b), a.checked_sub(1), b.checked_add(1)]
                    .into_iter()
                    .flatten()
                    .map(|n| IpAddr::V6(Ipv6Addr::from(n)))
                    .collect()
            }
            _ => Vec::new(),
        };
        out.extend(around.into_iter().map(|address| address.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::Operator;
    use crate::condition::Operator::*;

    fn entry(operator: Operator, key: &str, values: &[&str]) -> ConditionEntry {
        ConditionEntry::new(
            operator,
            key.into(),
            values.iter().map(|v| v.to_string()).collect(),
        )
    }

    /// Every reachable combination of entries met is reached by some listed context.
    fn covers(entries: &[ConditionEntry], samples: &[Option<Vec<&str>>]) {
        let refs: Vec<&ConditionEntry> = entries.iter().collect();
        let found = contexts(&refs, 10_000);
        assert!(found.incomplete.is_none(), "{:?}", found.incomplete);
        let vector = |context: &ContextMap| -> Vec<bool> {
            entries
                .iter()
                .map(|e| e.is_met(context.get(&e.key).map(Vec::as_slice)))
                .collect()
        };
        let listed: Vec<Vec<bool>> = found.list.iter().map(vector).collect();
        for sample in samples {
            let mut context = ContextMap::new();
            if let Some(values) = sample {
                context.insert(
                    entries[0].key.clone(),
                    values.iter().map(|v| v.to_string()).collect(),
                );
            }
            assert!(listed.contains(&vector(&context)), "{sample:?}");
        }
    }

    #[test]
    fn numbers_dates_and_addresses_are_covered() {
        let numbers = [
            entry(NumericLessThan, "custom:n", &["10"]),
            entry(NumericGreaterThanEquals, "custom:n", &["5.5"]),
            entry(NumericNotEquals, "custom:n", &["7"]),
        ];
        covers(
            &numbers,
            &[
                None,
                Some(vec!["6"]),
                Some(vec!["7"]),
                Some(vec!["12"]),
                Some(vec!["1"]),
            ],
        );
        let ips = [
            entry(IpAddress, "acs:SourceIp", &["10.0.0.0/8"]),
            entry(NotIpAddress, "acs:SourceIp", &["10.1.0.0/16"]),
        ];
        covers(
            &ips,
            &[
                Some(vec!["10.1.2.3"]),
                Some(vec!["10.2.0.1"]),
                Some(vec!["11.0.0.1"]),
                None,
            ],
        );
        let dates = [entry(
            DateLessThan,
            "acs:CurrentTime",
            &["2026-01-01T00:00:00Z"],
        )];
        covers(
            &dates,
            &[
                Some(vec!["2025-06-01T00:00:00Z"]),
                Some(vec!["2027-01-01T00:00:00Z"]),
            ],
        );
    }

    #[test]
    fn string_patterns_get_every_combination() {
        let strings = [
            entry(StringLike, "custom:s", &["a*"]),
            entry(StringNotLike, "custom:s", &["*b"]),
            entry(StringEquals, "custom:s", &["ab"]),
        ];
        covers(
            &strings,
            &[
                Some(vec!["ab"]),
                Some(vec!["axb"]),
                Some(vec!["ax"]),
                Some(vec!["xb"]),
                Some(vec!["x"]),
            ],
        );
    }
}
