//! The compiled evaluator: compile a policy set once, evaluate many requests.
//!
//! - Actions: exact action names (lower-cased) in a hash map, wildcard action patterns in one
//!   [`PatternSet`], `NotAction` statements in a list; for every action of the catalog the
//!   candidate statements are computed once at compile time, so a request costs one lookup.
//! - Resources: every resource pattern of every statement in one [`PatternSet`] (literals by
//!   hash, wildcards through one automaton); an ARN's matches are intersected with the
//!   action's candidates, and only those statements' conditions are evaluated.
//!
//! The result equals the reference evaluator's, without the trace.

use super::{Arns, Decided, Decision, Evaluation, Matches, PolicySet, StatementRef};
use crate::catalog::Catalog;
use crate::condition::Context;
use crate::policy::ActionKind;
use crate::wildcard::{has_wildcard, CaseRule, PatternSet};
use std::collections::{BTreeSet, HashMap};

/// A policy set compiled for fast evaluation.
#[derive(Debug, Clone)]
pub struct CompiledPolicySet {
    set: PolicySet,
    references: Vec<StatementRef>,
    exact_actions: HashMap<String, Vec<u32>>,
    wildcard_actions: PatternSet,
    wildcard_action_owners: Vec<u32>,
    not_actions: Vec<(u32, PatternSet)>,
    /// Candidate statements (ascending) of every catalog action, by lower-case name.
    candidates_by_action: HashMap<String, Vec<u32>>,
    resources: PatternSet,
    resource_owners: Vec<u32>,
}

/// Whether a statement's condition is met: yes, no, or it depends on an unknown key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Met {
    Yes,
    No,
    Maybe,
}

fn id(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

impl CompiledPolicySet {
    /// Compiles a policy set, precomputing candidates for the embedded catalog's actions.
    pub fn new(set: PolicySet) -> Self {
        Self::with_catalog(set, Catalog::embedded().ok())
    }

    /// Compiles a policy set, precomputing candidates for a catalog's actions (if any).
    pub fn with_catalog(set: PolicySet, catalog: Option<&Catalog>) -> Self {
        let mut exact_actions: HashMap<String, Vec<u32>> = HashMap::new();
        let mut wildcard_patterns = Vec::new();
        let mut wildcard_action_owners = Vec::new();
        let mut not_actions = Vec::new();
        let mut resource_patterns = Vec::new();
        let mut resource_owners = Vec::new();
        for (index, statement) in set.statements.iter().enumerate() {
            match statement.action_kind {
                ActionKind::Action => {
                    for pattern in &statement.actions {
                        if has_wildcard(pattern) {
                            wildcard_patterns.push(pattern.clone());
                            wildcard_action_owners.push(id(index));
                        } else {
                            let ids = exact_actions
                                .entry(pattern.to_ascii_lowercase())
                                .or_default();
                            if ids.last() != Some(&id(index)) {
                                ids.push(id(index));
                            }
                        }
                    }
                }
                ActionKind::NotAction => not_actions.push((
                    id(index),
                    PatternSet::new(&statement.actions, CaseRule::IgnoreAsciiCase),
                )),
            }
            for pattern in &statement.resources {
                resource_patterns.push(pattern.clone());
                resource_owners.push(id(index));
            }
        }
        let references = set
            .statements
            .iter()
            .map(|statement| set.reference_of(statement))
            .collect();
        let mut compiled = CompiledPolicySet {
            references,
            exact_actions,
            wildcard_actions: PatternSet::new(&wildcard_patterns, CaseRule::IgnoreAsciiCase),
            wildcard_action_owners,
            not_actions,
            candidates_by_action: HashMap::new(),
            resources: PatternSet::new(&resource_patterns, CaseRule::Sensitive),
            resource_owners,
            set,
        };
        if let Some(catalog) = catalog {
            for action in catalog.actions() {
                let name = action.qualified_name().to_ascii_lowercase();
                let candidates = compiled.compute_candidates(&name);
                compiled.candidates_by_action.insert(name, candidates);
            }
        }
        compiled
    }

    /// The policy set this was compiled from.
    pub fn policy_set(&self) -> &PolicySet {
        &self.set
    }

    /// The statements whose `Action` / `NotAction` covers a (lower-case) action, ascending.
    fn compute_candidates(&self, action: &str) -> Vec<u32> {
        let mut candidates: Vec<u32> = self.exact_actions.get(action).cloned().unwrap_or_default();
        self.wildcard_actions.for_each_match(action, |pattern| {
            if let Some(owner) = self.wildcard_action_owners.get(pattern) {
                candidates.push(*owner);
            }
        });
        for (owner, excluded) in &self.not_actions {
            if !excluded.is_match(action) {
                candidates.push(*owner);
            }
        }
        crate::sort::sort_unstable(&mut candidates);
        candidates.dedup();
        candidates
    }

    /// Evaluates an action on resolved ARNs (no trace).
    pub fn evaluate<A: AsRef<str>, C: Context + ?Sized>(
        &self,
        action: &str,
        arns: &[A],
        context: &C,
    ) -> Evaluation {
        self.evaluate_arns(action, Arns::listed(arns), context)
    }

    /// [`Self::evaluate`] keeping `arns` in the evaluation.
    fn evaluate_arns<C: Context + ?Sized>(
        &self,
        action: &str,
        arns: Arns,
        context: &C,
    ) -> Evaluation {
        let folded = CaseRule::IgnoreAsciiCase.fold(action);
        let computed;
        let candidates: &[u32] = match self.candidates_by_action.get(folded.as_ref()) {
            Some(candidates) => candidates,
            None => {
                computed = self.compute_candidates(&folded);
                &computed
            }
        };
        let mut missing = BTreeSet::new();
        let mut unknown_keys = BTreeSet::new();
        // Condition outcomes per statement, shared by all ARNs of the request.
        let mut condition_cache: Vec<(u32, Met)> = Vec::new();
        let mut decided = Decided::with_capacity(arns.len());
        let mut matched = Vec::new();
        arns.visit(|arn| {
            matched.clear();
            if !candidates.is_empty() {
                self.resources.for_each_match(arn, |pattern| {
                    if let Some(owner) = self.resource_owners.get(pattern) {
                        if candidates.binary_search(owner).is_ok() {
                            matched.push(*owner);
                        }
                    }
                });
            }
            crate::sort::sort_unstable(&mut matched);
            matched.dedup();
            let mut matches = Matches::default();
            for owner in &matched {
                let Some(statement) = self.set.statements.get(*owner as usize) else {
                    continue;
                };
                let met = match condition_cache.iter().find(|(id, _)| id == owner) {
                    Some((_, met)) => *met,
                    None => {
                        let mut absent = Vec::new();
                        let mut unknown = Vec::new();
                        let met = match statement.condition.evaluate_tracking(
                            context,
                            &mut absent,
                            &mut unknown,
                        ) {
                            Ok(()) => Met::Yes,
                            Err(failure) if failure.unknown => Met::Maybe,
                            Err(_) => Met::No,
                        };
                        missing.extend(absent);
                        unknown_keys.extend(unknown);
                        condition_cache.push((*owner, met));
                        met
                    }
                };
                let Some(reference) = self.references.get(*owner as usize) else {
                    continue;
                };
                if met != Met::No {
                    matches.add(reference.clone(), met == Met::Yes);
                }
            }
            decided.decide(matches);
        });
        let resources = decided.finish(arns);
        Evaluation::from_resources(action, resources, missing, unknown_keys, Vec::new())
    }

    /// Only the decision, without building per-ARN statement lists: the hot path.
    pub fn decide<A: AsRef<str>, C: Context + ?Sized>(
        &self,
        action: &str,
        arns: &[A],
        context: &C,
    ) -> Decision {
        self.evaluate(action, arns, context).decision
    }
}
