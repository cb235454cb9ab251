//! Conditions: the 21 operators (one table, [`Operator`]), typed values, and how a `Condition`
//! block is met.
//!
//! A block is met when every operator in it is met; an operator is met when every key under it
//! is met; a key is met when **any** of the request's values for it matches. A value matches a
//! positive operator when it matches any of the policy's values, and a negated operator
//! (`StringNotEquals`, `NotIpAddress`, …) when it matches **none** of them.
//!
//! A key absent from the request: a positive operator is not met, a negated operator is met, and
//! the key is reported as absent either way, so the caller can show what the answer depends on.
//! A request value that does not parse as the operator's type (`NumericEquals` on `abc`), or is
//! not valid for the key's registered type ([`keys`]), matches nothing, for negated operators
//! too. The details are in `docs/semantics.md`.
//!
//! (The example is the test `documented_example` below, this module being private.)

pub mod derived;
pub mod keys;
mod operator;
mod value;

pub use operator::{parse_qualified, Comparison, Operator, OperatorSpec, Qualifier};
pub use value::{parse_bool, parse_date, parse_network, parse_number, valid_for};

use keys::KeyType;
use std::collections::BTreeMap;
use value::{relation, typed_policy_value, typed_request_value, Typed};

/// What the evaluator knows about a condition key of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState<'c> {
    /// The request carries these values.
    Given(&'c [String]),
    /// RAM does not set the key for this request.
    Absent,
    /// RAM sets the key from facts the input does not carry: the answer depends on it.
    Unknown,
}

/// The condition keys of a request, as the evaluator looks them up.
pub trait Context {
    /// The state of one key (key names compare with letter case).
    fn key(&self, key: &str) -> KeyState<'_>;
}

/// A plain map knows every key it has and nothing else: a key it lacks is absent.
impl Context for BTreeMap<String, Vec<String>> {
    fn key(&self, key: &str) -> KeyState<'_> {
        match self.get(key) {
            Some(values) => KeyState::Given(values),
            None => KeyState::Absent,
        }
    }
}

/// The keys of a request: those it gives in `context`, those RAM derives from its parameters
/// (`derived`), and those RAM sets from facts the input does not carry (unknown). A value
/// given in `context` wins over a derived one and over an unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// Every known key with its values.
    pub values: BTreeMap<String, Vec<String>>,
    /// What was derived, and what is unknown.
    pub derivation: derived::Derivation,
}

impl RequestContext {
    /// The context of a request: its `context` over the keys derived from its parameters.
    pub fn of(
        request: &crate::request::Request,
    ) -> Result<Self, crate::request::params::ParamError> {
        Ok(Self::with_derivation(
            derived::derive(request)?,
            &request.context,
        ))
    }

    /// The context of a request whose keys are already derived: `given` (the request's own
    /// `context`) over the derived values.
    pub fn with_derivation(
        derivation: derived::Derivation,
        given: &BTreeMap<String, Vec<String>>,
    ) -> Self {
        let mut values = derivation.values.clone();
        for (key, given) in given {
            values.insert(key.clone(), given.clone());
        }
        RequestContext { values, derivation }
    }

    /// Only the given values, nothing derived or unknown.
    pub fn given(values: BTreeMap<String, Vec<String>>) -> Self {
        RequestContext {
            values,
            derivation: derived::Derivation::default(),
        }
    }
}

impl Context for RequestContext {
    fn key(&self, key: &str) -> KeyState<'_> {
        if let Some(values) = self.values.get(key) {
            return KeyState::Given(values);
        }
        if self.derivation.unknown_reason(key).is_some() {
            KeyState::Unknown
        } else {
            KeyState::Absent
        }
    }
}

/// One `operator → key → values` entry of a condition block, compiled.
#[derive(Debug, Clone)]
pub struct ConditionEntry {
    /// `ForAllValues:` / `ForAnyValue:` before the operator, if written.
    pub qualifier: Option<Qualifier>,
    pub operator: Operator,
    pub key: String,
    /// The key's registered type, `None` for keys the registry does not know.
    pub key_type: Option<KeyType>,
    /// The policy's values as written.
    pub values: Vec<String>,
    typed: Vec<Typed>,
}

impl ConditionEntry {
    /// Compiles one entry (the tests' shorthand for an unqualified one).
    #[cfg(test)]
    pub fn new(operator: Operator, key: String, values: Vec<String>) -> Self {
        Self::qualified(None, operator, key, values)
    }

    /// Compiles one entry with a set qualifier.
    pub fn qualified(
        qualifier: Option<Qualifier>,
        operator: Operator,
        key: String,
        values: Vec<String>,
    ) -> Self {
        let typed = values
            .iter()
            .map(|value| typed_policy_value(operator, value))
            .collect();
        ConditionEntry {
            qualifier,
            operator,
            key_type: keys::key_type(&key),
            key,
            values,
            typed,
        }
    }

    /// Whether one request value matches this entry (for a negated operator: equals none).
    fn value_matches(&self, text: &str) -> bool {
        if let Some(key_type) = self.key_type {
            if !valid_for(key_type, text) {
                return false;
            }
        }
        let Some(value) = typed_request_value(self.operator, text) else {
            return false;
        };
        let any = self
            .typed
            .iter()
            .any(|policy| relation(self.operator, &value, policy));
        any != self.operator.is_negated()
    }

    /// The operator as written (`ForAllValues:StringEquals`).
    pub fn written_operator(&self) -> String {
        match self.qualifier {
            Some(qualifier) => format!("{}{}", qualifier.prefix(), self.operator.name()),
            None => self.operator.name().to_string(),
        }
    }

    /// Whether the entry is met by the request's values for its key (`None`: the key is absent).
    pub fn is_met(&self, values: Option<&[String]>) -> bool {
        match (self.qualifier, values) {
            (None, None) => self.operator.is_negated(),
            (Some(Qualifier::ForAllValues), None) => true,
            (Some(Qualifier::ForAnyValue), None) => false,
            (None | Some(Qualifier::ForAnyValue), Some(values)) => {
                values.iter().any(|value| self.value_matches(value))
            }
            (Some(Qualifier::ForAllValues), Some(values)) => {
                values.iter().all(|value| self.value_matches(value))
            }
        }
    }
}

/// Why a condition is not met: the first entry that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionFailure {
    /// Index of the entry in the block.
    pub entry: usize,
    /// Whether the key was absent from the request.
    pub absent: bool,
    /// Whether the entry is not known to fail: its key is unknown (RAM sets it from facts the
    /// input does not carry), so the block may or may not be met. Only reported when no entry
    /// definitely fails.
    pub unknown: bool,
}

/// A compiled `Condition` block.
#[derive(Debug, Clone, Default)]
pub struct Condition {
    pub entries: Vec<ConditionEntry>,
}

impl Condition {
    /// A block from `(operator, key, values)` entries (the tests' shorthand; policies compile
    /// their blocks entry by entry with [`ConditionEntry::qualified`]).
    #[cfg(test)]
    pub fn new(entries: Vec<(Operator, String, Vec<String>)>) -> Self {
        Condition {
            entries: entries
                .into_iter()
                .map(|(operator, key, values)| ConditionEntry::new(operator, key, values))
                .collect(),
        }
    }

    /// Whether the block has no entry (always met).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// [`Condition::evaluate_tracking`] without the unknown keys.
    pub fn evaluate<C: Context + ?Sized>(
        &self,
        context: &C,
        absent: &mut Vec<String>,
    ) -> Result<(), ConditionFailure> {
        self.evaluate_tracking(context, absent, &mut Vec::new())
    }

    /// Evaluates every entry (so that every absent key is seen), adds absent keys to `absent`
    /// and unknown keys to `unknown` (once each), and returns the first failing entry. An entry
    /// on an unknown key fails as `unknown` (see [`ConditionFailure::unknown`]) unless another
    /// entry definitely fails.
    pub fn evaluate_tracking<C: Context + ?Sized>(
        &self,
        context: &C,
        absent: &mut Vec<String>,
        unknown: &mut Vec<String>,
    ) -> Result<(), ConditionFailure> {
        self.evaluate_reporting(
            context,
            |key| {
                if !absent.iter().any(|seen| seen == key) {
                    absent.push(key.to_string());
                }
            },
            |key| {
                if !unknown.iter().any(|seen| seen == key) {
                    unknown.push(key.to_string());
                }
            },
        )
    }

    /// The outcome alone, as [`Condition::evaluate_tracking`] decides it (the compiled
    /// evaluator's hot path: nothing is allocated).
    pub fn check<C: Context + ?Sized>(&self, context: &C) -> Result<(), ConditionFailure> {
        self.evaluate_reporting(context, |_| {}, |_| {})
    }

    /// Evaluates every entry, telling `on_absent` and `on_unknown` each absent and unknown key
    /// as it is met, and returns the first failing entry (an unknown one only if none fails).
    fn evaluate_reporting<C: Context + ?Sized>(
        &self,
        context: &C,
        mut on_absent: impl FnMut(&str),
        mut on_unknown: impl FnMut(&str),
    ) -> Result<(), ConditionFailure> {
        let mut failure = None;
        let mut undecided = None;
        for (index, entry) in self.entries.iter().enumerate() {
            let state = context.key(&entry.key);
            let values = match state {
                KeyState::Given(values) => Some(values),
                KeyState::Absent => {
                    on_absent(&entry.key);
                    None
                }
                KeyState::Unknown => {
                    on_unknown(&entry.key);
                    if undecided.is_none() {
                        undecided = Some(ConditionFailure {
                            entry: index,
                            absent: false,
                            unknown: true,
                        });
                    }
                    continue;
                }
            };
            if failure.is_none() && !entry.is_met(values) {
                failure = Some(ConditionFailure {
                    entry: index,
                    absent: values.is_none(),
                    unknown: false,
                });
            }
        }
        match failure.or(undecided) {
            Some(failure) => Err(failure),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn met(operator: Operator, key: &str, policy: &[&str], request: Option<&[&str]>) -> bool {
        let entry = ConditionEntry::new(
            operator,
            key.to_string(),
            policy.iter().map(|v| v.to_string()).collect(),
        );
        let owned: Option<Vec<String>> =
            request.map(|values| values.iter().map(|v| v.to_string()).collect());
        entry.is_met(owned.as_deref())
    }

    use Operator::*;

    #[test]
    fn names_round_trip_and_are_case_sensitive() {
        for operator in Operator::ALL {
            assert_eq!(Operator::parse(operator.name()), Some(operator));
        }
        assert_eq!(Operator::parse("stringequals"), None);
        assert_eq!(Operator::parse("StringEqualsIfExists"), None);
        assert_eq!(Operator::ALL.iter().filter(|o| o.is_negated()).count(), 6);
    }

    #[test]
    fn string_operators() {
        let k = "custom:Key";
        assert!(met(StringEquals, k, &["a", "b"], Some(&["b"])));
        assert!(!met(StringEquals, k, &["a"], Some(&["A"])));
        assert!(met(StringEquals, k, &["a"], Some(&["x", "a"])));
        assert!(!met(StringNotEquals, k, &["a", "b"], Some(&["b"])));
        assert!(met(StringNotEquals, k, &["a", "b"], Some(&["c"])));
        assert!(met(StringEqualsIgnoreCase, k, &["VPC-X"], Some(&["vpc-x"])));
        assert!(!met(
            StringEqualsIgnoreCase,
            k,
            &["vpc-x"],
            Some(&["vpc-y"])
        ));
        assert!(!met(
            StringNotEqualsIgnoreCase,
            k,
            &["VPC-X"],
            Some(&["vpc-x"])
        ));
        assert!(met(
            StringNotEqualsIgnoreCase,
            k,
            &["VPC-X"],
            Some(&["vpc-y"])
        ));
        assert!(met(StringLike, k, &["STS.*"], Some(&["STS.abc"])));
        assert!(!met(StringLike, k, &["STS.*"], Some(&["sts.abc"])));
        assert!(met(StringLike, k, &["a?c"], Some(&["abc"])));
        assert!(!met(StringNotLike, k, &["STS.*", "x"], Some(&["STS.abc"])));
        assert!(met(StringNotLike, k, &["STS.*"], Some(&["LTAI"])));
        // Numbers and booleans in policies are compared as their text.
        assert!(met(StringEquals, k, &["1"], Some(&["1"])));
    }

    #[test]
    fn numeric_operators() {
        let k = "custom:Count";
        assert!(met(NumericEquals, k, &["10"], Some(&["10.0"])));
        assert!(!met(NumericEquals, k, &["10"], Some(&["11"])));
        assert!(met(NumericNotEquals, k, &["10", "11"], Some(&["12"])));
        assert!(!met(NumericNotEquals, k, &["10", "11"], Some(&["11"])));
        assert!(met(NumericLessThan, k, &["10"], Some(&["9"])));
        assert!(!met(NumericLessThan, k, &["10"], Some(&["10"])));
        assert!(met(NumericLessThanEquals, k, &["10"], Some(&["10"])));
        assert!(!met(NumericLessThanEquals, k, &["10"], Some(&["10.5"])));
        assert!(met(NumericGreaterThan, k, &["10"], Some(&["10.5"])));
        assert!(!met(NumericGreaterThan, k, &["10"], Some(&["10"])));
        assert!(met(NumericGreaterThanEquals, k, &["10"], Some(&["10"])));
        assert!(!met(NumericGreaterThanEquals, k, &["10"], Some(&["-3"])));
        // Wrong-typed request values match nothing, negated operators included.
        assert!(!met(NumericEquals, k, &["10"], Some(&["abc"])));
        assert!(!met(NumericNotEquals, k, &["10"], Some(&["abc"])));
        assert!(!met(NumericLessThan, k, &["10"], Some(&["NaN"])));
        // A wrong-typed policy value equals nothing.
        assert!(!met(NumericEquals, k, &["abc"], Some(&["1"])));
        assert!(met(NumericNotEquals, k, &["abc"], Some(&["1"])));
    }

    #[test]
    fn date_operators() {
        let k = "acs:CurrentTime";
        let noon = Some(&["2026-01-01T12:00:00Z"][..]);
        assert!(met(DateEquals, k, &["2026-01-01T13:00:00+01:00"], noon));
        assert!(!met(DateEquals, k, &["2026-01-01T12:00:01Z"], noon));
        assert!(met(DateNotEquals, k, &["2026-01-01T12:00:01Z"], noon));
        assert!(!met(DateNotEquals, k, &["2026-01-01T12:00:00Z"], noon));
        assert!(met(DateLessThan, k, &["2026-01-02"], noon));
        assert!(!met(DateLessThan, k, &["2026-01-01T12:00:00Z"], noon));
        assert!(met(DateLessThanEquals, k, &["2026-01-01T12:00:00Z"], noon));
        assert!(!met(DateLessThanEquals, k, &["2026-01-01"], noon));
        assert!(met(DateGreaterThan, k, &["2026-01-01T00:00:00Z"], noon));
        assert!(!met(DateGreaterThan, k, &["2026-01-01T12:00:00Z"], noon));
        assert!(met(
            DateGreaterThanEquals,
            k,
            &["2026-01-01T12:00:00.000Z"],
            noon
        ));
        assert!(!met(
            DateGreaterThanEquals,
            k,
            &["2027-01-01T00:00:00Z"],
            noon
        ));
        assert!(!met(DateEquals, k, &["2026-01-01"], Some(&["yesterday"])));
        assert!(!met(
            DateNotEquals,
            k,
            &["2026-01-01"],
            Some(&["yesterday"])
        ));
    }

    #[test]
    fn bool_and_ip_operators() {
        assert!(met(Bool, "acs:SecureTransport", &["true"], Some(&["TRUE"])));
        assert!(!met(
            Bool,
            "acs:SecureTransport",
            &["true"],
            Some(&["false"])
        ));
        assert!(!met(Bool, "acs:SecureTransport", &["true"], Some(&["yes"])));
        let ip = "acs:SourceIp";
        assert!(met(
            IpAddress,
            ip,
            &["10.0.0.0/8", "192.168.1.1"],
            Some(&["192.168.1.1"])
        ));
        assert!(met(IpAddress, ip, &["10.0.0.0/8"], Some(&["10.255.0.1"])));
        assert!(!met(IpAddress, ip, &["10.0.0.0/8"], Some(&["11.0.0.1"])));
        assert!(met(
            IpAddress,
            ip,
            &["2001:db8::/32"],
            Some(&["2001:db8::1"])
        ));
        assert!(!met(IpAddress, ip, &["2001:db8::/32"], Some(&["10.0.0.1"])));
        assert!(!met(
            NotIpAddress,
            ip,
            &["10.0.0.0/8", "2001:db8::/32"],
            Some(&["10.0.0.1"])
        ));
        assert!(met(NotIpAddress, ip, &["10.0.0.0/8"], Some(&["11.0.0.1"])));
        assert!(!met(IpAddress, ip, &["10.0.0.0/8"], Some(&["not-an-ip"])));
        assert!(!met(
            NotIpAddress,
            ip,
            &["10.0.0.0/8"],
            Some(&["not-an-ip"])
        ));
    }

    #[test]
    fn key_types_refuse_wrong_values_with_any_operator() {
        // `acs:SourceIp` is an IP key: a string operator on a non-address value matches nothing.
        assert!(!met(StringEquals, "acs:SourceIp", &["abc"], Some(&["abc"])));
        assert!(met(
            StringEquals,
            "acs:SourceIp",
            &["10.0.0.1"],
            Some(&["10.0.0.1"])
        ));
        assert!(!met(
            StringEquals,
            "acs:MFAPresent",
            &["maybe"],
            Some(&["maybe"])
        ));
    }

    #[test]
    fn qualifiers_apply_set_semantics() {
        let entry = |qualifier, operator, policy: &[&str]| {
            ConditionEntry::qualified(
                Some(qualifier),
                operator,
                "custom:Set".into(),
                policy.iter().map(|v| v.to_string()).collect(),
            )
        };
        let owned = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        let all = entry(Qualifier::ForAllValues, StringEquals, &["a", "b"]);
        assert!(all.is_met(Some(&owned(&["a", "b", "a"]))));
        assert!(!all.is_met(Some(&owned(&["a", "c"]))));
        assert!(all.is_met(None));
        assert!(all.is_met(Some(&[])));
        let any = entry(Qualifier::ForAnyValue, StringEquals, &["a"]);
        assert!(any.is_met(Some(&owned(&["c", "a"]))));
        assert!(!any.is_met(Some(&owned(&["c"]))));
        assert!(!any.is_met(None));
        let any_not = entry(Qualifier::ForAnyValue, StringNotEquals, &["a"]);
        assert!(any_not.is_met(Some(&owned(&["a", "c"]))));
        assert!(!any_not.is_met(None));
        let all_not = entry(Qualifier::ForAllValues, StringNotEquals, &["a"]);
        assert!(!all_not.is_met(Some(&owned(&["a", "c"]))));
        assert!(all_not.is_met(Some(&owned(&["b", "c"]))));
        assert_eq!(all.written_operator(), "ForAllValues:StringEquals");
        assert_eq!(
            parse_qualified("ForAnyValue:NumericLessThan"),
            Some((Some(Qualifier::ForAnyValue), NumericLessThan))
        );
        assert_eq!(parse_qualified("forallvalues:StringEquals"), None);
        assert_eq!(parse_qualified("ForAllValues:Null"), None);
    }

    #[test]
    fn unknown_keys_leave_a_block_undetermined_unless_an_entry_fails() {
        let block = Condition::new(vec![
            (StringEquals, "custom:Known".into(), vec!["x".into()]),
            (
                StringNotEquals,
                "custom:Unknown".into(),
                vec!["root".into()],
            ),
        ]);
        let mut context = RequestContext::given(BTreeMap::new());
        context.derivation.unknown.push(derived::UnknownKey {
            key: "custom:Unknown".into(),
            reason: "test".into(),
        });
        context
            .values
            .insert("custom:Known".into(), vec!["x".into()]);
        let (mut absent, mut unknown) = (Vec::new(), Vec::new());
        let failure = block
            .evaluate_tracking(&context, &mut absent, &mut unknown)
            .unwrap_err();
        assert!(failure.unknown);
        assert_eq!(unknown, ["custom:Unknown"]);
        assert!(absent.is_empty());
        context
            .values
            .insert("custom:Known".into(), vec!["y".into()]);
        let failure = block.evaluate(&context, &mut absent).unwrap_err();
        assert_eq!((failure.entry, failure.unknown), (0, false));
    }

    #[test]
    fn absent_keys() {
        for operator in Operator::ALL {
            assert_eq!(
                met(operator, "custom:Absent", &["x"], None),
                operator.is_negated(),
                "{operator}"
            );
        }
    }

    #[test]
    fn blocks_need_every_entry_and_report_absent_keys() {
        let block = Condition::new(vec![
            (StringEquals, "acs:SourceVpc".into(), vec!["vpc-1".into()]),
            (Bool, "acs:SecureTransport".into(), vec!["true".into()]),
            (StringNotEquals, "acs:UserAgent".into(), vec!["bad".into()]),
        ]);
        let mut context = BTreeMap::new();
        context.insert("acs:SourceVpc".to_string(), vec!["vpc-1".to_string()]);
        let mut absent = Vec::new();
        let failure = block.evaluate(&context, &mut absent).unwrap_err();
        assert_eq!(
            failure,
            ConditionFailure {
                entry: 1,
                absent: true,
                unknown: false
            }
        );
        assert_eq!(absent, vec!["acs:SecureTransport", "acs:UserAgent"]);
        context.insert("acs:SecureTransport".to_string(), vec!["true".to_string()]);
        let mut absent = Vec::new();
        assert!(block.evaluate(&context, &mut absent).is_ok());
        assert_eq!(absent, vec!["acs:UserAgent"]);
    }
}

#[cfg(test)]
mod documented_example {
    #[test]
    fn example() {
        use crate::condition::{Condition, Operator};
        use std::collections::BTreeMap;
        let condition = Condition::new(vec![(
            Operator::IpAddress,
            "acs:SourceIp".into(),
            vec!["10.0.0.0/8".into()],
        )]);
        let mut context = BTreeMap::new();
        context.insert("acs:SourceIp".to_string(), vec!["10.1.2.3".to_string()]);
        let mut absent = Vec::new();
        assert!(condition.evaluate(&context, &mut absent).is_ok());
        assert!(condition.evaluate(&BTreeMap::new(), &mut absent).is_err());
        assert_eq!(absent, vec!["acs:SourceIp".to_string()]);
    }
}
