//! `diff`: what one policy set allows that another does not, with a witness for each
//! difference.
//!
//! [`diff`] compares OLD with NEW in both directions: **new access** (requests NEW allows and OLD
//! denies) and **removed access** (the reverse). For every catalog action some statement of
//! either side covers, for every action name outside the catalog that a statement names
//! literally, and for the other names outside the catalog that a wildcard or `NotAction` covers,
//! it searches the ARNs RAM would check and the condition-key values a request could carry:
//!
//! - the ARNs with automata (`src/wildcard/automaton.rs`): the catalog template, intersected
//!   with the allowing side's `Resource` patterns, minus the denying side's Allow patterns and
//!   the allowing side's Deny patterns (or within the denying side's Deny patterns);
//! - the condition keys with representative values (`conditions.rs`): every constant the policies
//!   compare a key with, values between and beside them, addresses inside and outside each
//!   network, strings for every combination of `StringLike` patterns, and the key absent.
//!
//! Every difference found becomes a concrete request that the evaluator
//! ([`crate::eval::evaluate_with`]) decides on both sides before it is reported as
//! [`Certainty::Exact`]. When the request cannot be built or the evaluator disagrees, or when the
//! search is bounded or approximate, the difference is [`Certainty::Possible`] with the reason:
//! `diff` never says "no new access" for a request it could not rule out. `docs/diff.md` has the
//! method, its guarantees and its limits.
//!
//! ```
//! use ram_policy::diff::{diff, Certainty};
//! use ram_policy::{Catalog, PolicySet};
//! let old = PolicySet::parse(&[("old.json", r#"{"Version":"1","Statement":[{"Effect":"Allow",
//!     "Action":"ecs:DescribeInstances","Resource":"*"}]}"#)]).unwrap();
//! let new = PolicySet::parse(&[("new.json", r#"{"Version":"1","Statement":[{"Effect":"Allow",
//!     "Action":"ecs:Describe*","Resource":"*"}]}"#)]).unwrap();
//! let report = diff(&old, &new, Catalog::embedded().unwrap());
//! assert!(report.removed_access.is_empty());
//! let disks = report.new_access.iter().find(|a| a.action == "ecs:DescribeDisks").unwrap();
//! assert_eq!(disks.differences[0].certainty, Certainty::Exact);
//! ```

mod conditions;
mod render;
#[cfg(feature = "render")]
mod sarif;
mod search;
mod witness;

pub use render::{summary, to_text};
#[cfg(feature = "render")]
pub use sarif::to_sarif;

use crate::catalog::Catalog;
use crate::eval::PolicySet;
use serde::Serialize;
use std::collections::BTreeMap;

/// Both directions of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DiffReport {
    /// What NEW allows and OLD does not, by action.
    pub new_access: Vec<ActionDiff>,
    /// What OLD allowed and NEW does not, by action.
    pub removed_access: Vec<ActionDiff>,
}

impl DiffReport {
    /// Whether NEW allows anything OLD does not (exactly or possibly).
    pub fn has_new_access(&self) -> bool {
        !self.new_access.is_empty()
    }

    /// Whether access changed in either direction.
    pub fn has_changes(&self) -> bool {
        !self.new_access.is_empty() || !self.removed_access.is_empty()
    }
}

/// The differences of one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ActionDiff {
    /// The catalog's qualified name (`ecs:DescribeInstances`), or the name as a request would
    /// carry it for an action the catalog does not know.
    pub action: String,
    /// Whether the catalog knows the action (its ARNs are then the catalog's templates; for
    /// other actions any resource string is considered).
    pub in_catalog: bool,
    pub differences: Vec<Difference>,
}

/// Whether a difference is proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Certainty {
    /// The witness request was decided by the evaluator: allowed by one side, denied by the
    /// other.
    Exact,
    /// The search could not rule the difference out, nor prove it; `reason` says why.
    Possible,
}

/// One difference: a set of resources (one catalog template within the allowing side's
/// patterns) where one side allows what the other denies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Difference {
    pub certainty: Certainty,
    /// The ARN template the difference lies in (`*` for an action RAM authorizes on `*` only;
    /// `any` for an action outside the catalog).
    pub template: String,
    /// The allowing side's `Resource` patterns that admit the witness's ARNs.
    pub patterns: Vec<String>,
    /// A request allowed by one side and denied by the other (for a possible difference: the
    /// candidate that could not be confirmed, when there is one).
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub witness: Option<Witness>,
    /// The allowing side's statements that allow the witness.
    pub statements: Vec<StatementPlace>,
    /// The denying side's `Deny` statements that deny the witness (empty for an implicit deny).
    pub denied_by: Vec<StatementPlace>,
    /// Set when the denying side's statements cover the witness's action and ARNs and only
    /// their conditions (or a conditional `Deny`) keep them from allowing it: the condition keys
    /// and the witness's values (`absent` when the witness does not carry the key).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions_only: Vec<ConditionSetting>,
    /// Why the difference is only possible.
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A request, concretely: what `eval` takes, plus the ARNs RAM checks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Witness {
    pub action: String,
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[cfg_attr(test, ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub params: BTreeMap<String, String>,
    pub context: BTreeMap<String, Vec<String>>,
    /// The ARNs RAM checks for the request, in order.
    pub arns: Vec<String>,
}

impl Witness {
    /// The witness as a request document (`eval --request`).
    pub fn request_json(&self) -> serde_json::Value {
        let mut request = serde_json::json!({"action": self.action});
        if let Some(object) = request.as_object_mut() {
            if let Some(account) = &self.account {
                object.insert("account".into(), account.clone().into());
            }
            if let Some(region) = &self.region {
                object.insert("region".into(), region.clone().into());
            }
            object.insert("params".into(), serde_json::json!(self.params));
            object.insert("context".into(), serde_json::json!(self.context));
        }
        request
    }
}

/// A condition key and the witness's values for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ConditionSetting {
    pub key: String,
    /// `None`: the witness does not carry the key.
    pub values: Option<Vec<String>>,
}

/// Where a statement is: its policy, its index and its span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StatementPlace {
    /// The policy's name (its file, as given).
    pub policy: String,
    /// The index in `Statement` from 0, as in JSON pointers (text says "statement N" from 1).
    pub statement: usize,
    pub effect: crate::policy::Effect,
    /// The JSON pointer of the statement.
    pub pointer: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// How far the search goes before a difference is reported as possible rather than decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Condition-key value combinations tried per action.
    pub contexts: usize,
    /// Combinations of automaton states visited per search.
    pub states: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            contexts: 4096,
            states: 200_000,
        }
    }
}

/// Compares two policy sets in both directions (see the module documentation).
pub fn diff(old: &PolicySet, new: &PolicySet, catalog: &Catalog) -> DiffReport {
    diff_with(old, new, catalog, Limits::default())
}

/// [`diff`] with explicit search limits.
pub fn diff_with(
    old: &PolicySet,
    new: &PolicySet,
    catalog: &Catalog,
    limits: Limits,
) -> DiffReport {
    // The catalog's template automata and the statements covering each action serve both
    // directions.
    let mut templates = search::Templates::new(catalog);
    let old_applicable = search::applicable_by_action(old, catalog);
    let new_applicable = search::applicable_by_action(new, catalog);
    let (old, new) = ((old, &old_applicable[..]), (new, &new_applicable[..]));
    DiffReport {
        new_access: search::one_direction(new, old, catalog, limits, &mut templates),
        removed_access: search::one_direction(old, new, catalog, limits, &mut templates),
    }
}

/// The place of a statement of a set.
pub(crate) fn place(set: &PolicySet, policy: usize, statement: usize) -> Option<StatementPlace> {
    let named = set.policies.get(policy)?;
    let found = named
        .document
        .statements
        .iter()
        .find(|candidate| candidate.index == statement)?;
    Some(StatementPlace {
        policy: named.name.clone(),
        statement,
        effect: found.effect.as_ref().map(|e| e.value)?,
        pointer: found.pointer.clone(),
        line: found.span.start.line,
        column: found.span.start.column,
        end_line: found.span.end.line,
        end_column: found.span.end.column,
    })
}

/// The place of an evaluator's statement reference.
pub(crate) fn place_of(
    set: &PolicySet,
    reference: &crate::eval::StatementRef,
) -> Option<StatementPlace> {
    let policy = set
        .policies
        .iter()
        .position(|named| named.name == reference.policy)?;
    place(set, policy, reference.statement)
}

/// Parses both sides (`(name, text)` pairs, as [`PolicySet::parse`] takes) and compares them
/// with the embedded catalog: what the CLI's `diff` calls.
pub fn diff_sources<N: AsRef<str>, T: AsRef<str>>(
    old: &[(N, T)],
    new: &[(N, T)],
) -> Result<DiffReport, crate::error::Error> {
    let old = PolicySet::parse(old)?;
    let new = PolicySet::parse(new)?;
    Ok(diff(&old, &new, Catalog::embedded()?))
}
