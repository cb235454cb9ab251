//! The compiled evaluator: compile a policy set once, evaluate many requests.
//!
//! - Actions: exact action names (lower-cased) in a hash map, wildcard action patterns in one
//!   [`PatternSet`], `NotAction` statements in a list; for every action of the catalog the
//!   candidate statements are computed once at compile time, so a request costs one lookup.
//! - Resources, per action: each catalog action gets its own [`PatternSet`] of its candidates'
//!   resource patterns, so an ARN is matched only against statements that can apply to the
//!   request's action. A set's statements otherwise share resource patterns across actions (a
//!   set of 10,000 grants has hundreds of `…:instance/*` patterns, each for a few actions), and
//!   the ARN would meet all of them whatever the action. A statement whose actions cover much of
//!   the catalog (`ecs:*`, a broad `NotAction`) would be copied into most actions' sets; copies
//!   stop at a budget linear in the set's patterns, and the statements past it stay in one
//!   shared set whose matches are intersected with the action's candidates.
//! - Decisions: [`CompiledPolicySet::decide`] checks an ARN's matching `Deny` statements first
//!   (one met is final) and stops at the first `Allow` met, evaluating each condition block at
//!   most once per request.
//!
//! The result equals the reference evaluator's, without the trace.

use super::{Arns, Decided, Decision, Evaluation, Matches, PolicySet, StatementRef};
use crate::catalog::Catalog;
use crate::condition::Context;
use crate::policy::{ActionKind, Effect};
use crate::wildcard::{has_wildcard, CaseRule, PatternSet};
use rustc_hash::FxHashMap;
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
    /// What a request for each catalog action is matched against.
    plans: Vec<ActionPlan>,
    /// Plans by the catalog's name of the action and by its lower-case form (a request names
    /// the action as the catalog does, or in any case, which is then folded).
    plan_by_name: FxHashMap<String, usize>,
    /// Every statement's resource patterns: for actions outside the catalog.
    resources: ResourceIndex,
    /// The resource patterns of statements not copied into the actions' own plans.
    shared: ResourceIndex,
}

/// Resource patterns and the statement each belongs to.
#[derive(Debug, Clone)]
struct ResourceIndex {
    patterns: PatternSet,
    owners: Vec<u32>,
}

impl ResourceIndex {
    fn new<'a>(patterns: impl Iterator<Item = (u32, &'a String)>) -> Self {
        let (owners, patterns): (Vec<u32>, Vec<&String>) = patterns.unzip();
        ResourceIndex {
            patterns: PatternSet::new(&patterns, CaseRule::Sensitive),
            owners,
        }
    }

    fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }

    /// Calls `found` with the statement of every pattern that matches `arn` (repeats possible).
    fn for_each_owner(&self, arn: &str, mut found: impl FnMut(u32)) {
        if self.is_empty() {
            return;
        }
        self.patterns.for_each_match(arn, |pattern| {
            if let Some(owner) = self.owners.get(pattern) {
                found(*owner);
            }
        });
    }
}

/// One catalog action's share of the set.
#[derive(Debug, Clone)]
struct ActionPlan {
    /// Statements whose `Action` / `NotAction` covers the action, ascending.
    candidates: Vec<u32>,
    /// The candidates' resource patterns, except those of shared statements.
    own: ResourceIndex,
}

/// How many resource pattern copies the per-action plans may hold in all: four per pattern of
/// the set (at least 65,536), enough for every statement that names a handful of actions, and
/// linear in the set when its statements each name most of the catalog.
fn copy_budget(patterns: usize) -> usize {
    patterns.saturating_mul(4).max(1 << 16)
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
        let actions: Vec<&str> = catalog
            .map(|catalog| {
                catalog
                    .actions()
                    .iter()
                    .map(|action| action.qualified_name())
                    .collect()
            })
            .unwrap_or_default();
        Self::for_actions(set, &actions)
    }

    /// Compiles a policy set with a plan for each of `actions` (qualified names, any case).
    pub fn for_actions(set: PolicySet, actions: &[&str]) -> Self {
        let patterns: usize = set
            .statements
            .iter()
            .map(|statement| statement.resources.len())
            .sum();
        Self::with_copy_budget(set, actions, copy_budget(patterns))
    }

    /// [`CompiledPolicySet::for_actions`] with a given budget of pattern copies (0: every
    /// statement in the shared index; the tests use both ends).
    pub(super) fn with_copy_budget(set: PolicySet, actions: &[&str], budget: usize) -> Self {
        let mut exact_actions: HashMap<String, Vec<u32>> = HashMap::new();
        let mut wildcard_patterns = Vec::new();
        let mut wildcard_action_owners = Vec::new();
        let mut not_actions = Vec::new();
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
        }
        let references = set
            .statements
            .iter()
            .map(|statement| set.reference_of(statement))
            .collect();
        let resources = ResourceIndex::new(resource_patterns(&set, |_| true));
        let mut compiled = CompiledPolicySet {
            references,
            exact_actions,
            wildcard_actions: PatternSet::new(&wildcard_patterns, CaseRule::IgnoreAsciiCase),
            wildcard_action_owners,
            not_actions,
            plans: Vec::new(),
            plan_by_name: FxHashMap::default(),
            resources,
            shared: ResourceIndex::new(std::iter::empty()),
            set,
        };
        let mut names: Vec<String> = Vec::new();
        for action in actions {
            let folded = action.to_ascii_lowercase();
            let plan = *compiled
                .plan_by_name
                .entry(folded.clone())
                .or_insert_with(|| {
                    names.push(folded);
                    names.len() - 1
                });
            compiled.plan_by_name.insert(action.to_string(), plan);
        }
        let candidates: Vec<Vec<u32>> = names
            .iter()
            .map(|name| compiled.compute_candidates(name))
            .collect();
        let shared = compiled.shared_statements(&candidates, budget);
        compiled.shared = ResourceIndex::new(resource_patterns(&compiled.set, |statement| {
            shared.get(statement as usize).copied().unwrap_or(true)
        }));
        for candidates in candidates {
            let own = ResourceIndex::new(
                candidates
                    .iter()
                    .filter_map(|statement| {
                        let copied = !shared.get(*statement as usize).copied().unwrap_or(true);
                        let patterns = &compiled.set.statements.get(*statement as usize)?.resources;
                        copied.then_some(patterns.iter().map(move |pattern| (*statement, pattern)))
                    })
                    .flatten(),
            );
            compiled.plans.push(ActionPlan { candidates, own });
        }
        compiled
    }

    /// Which statements stay in the shared index (by statement): those whose copies into the
    /// actions' plans would pass `budget`, the statements covering the most actions first.
    fn shared_statements(&self, candidates: &[Vec<u32>], budget: usize) -> Vec<bool> {
        let statements = &self.set.statements;
        let mut covered = vec![0usize; statements.len()];
        for list in candidates {
            for statement in list {
                if let Some(count) = covered.get_mut(*statement as usize) {
                    *count += 1;
                }
            }
        }
        let copies = |statement: usize| {
            let patterns = statements.get(statement).map_or(0, |s| s.resources.len());
            covered
                .get(statement)
                .copied()
                .unwrap_or(0)
                .saturating_mul(patterns)
        };
        let mut order: Vec<usize> = (0..statements.len()).collect();
        crate::sort::sort_by_key(&mut order, |statement| copies(*statement));
        let mut shared = vec![false; statements.len()];
        let mut spent = 0usize;
        for statement in order {
            let cost = copies(statement);
            if spent.saturating_add(cost) > budget {
                if let Some(flag) = shared.get_mut(statement) {
                    *flag = true;
                }
            } else {
                spent += cost;
            }
        }
        shared
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

    /// The statements whose action and resource match, ascending and once each.
    fn matching(&self, plan: &PlanRef<'_>, arn: &str, matched: &mut Vec<u32>) {
        matched.clear();
        match plan {
            PlanRef::Catalog(plan) => {
                plan.own.for_each_owner(arn, |owner| matched.push(owner));
                if !plan.candidates.is_empty() {
                    self.shared.for_each_owner(arn, |owner| {
                        if plan.candidates.binary_search(&owner).is_ok() {
                            matched.push(owner);
                        }
                    });
                }
            }
            PlanRef::Computed(candidates) => {
                if !candidates.is_empty() {
                    self.resources.for_each_owner(arn, |owner| {
                        if candidates.binary_search(&owner).is_ok() {
                            matched.push(owner);
                        }
                    });
                }
            }
        }
        crate::sort::sort_unstable(matched);
        matched.dedup();
    }

    fn plan(&self, action: &str) -> PlanRef<'_> {
        let index = self.plan_by_name.get(action).copied().or_else(|| {
            let folded = CaseRule::IgnoreAsciiCase.fold(action);
            self.plan_by_name.get(folded.as_ref()).copied()
        });
        match index.and_then(|index| self.plans.get(index)) {
            Some(plan) => PlanRef::Catalog(plan),
            None => {
                PlanRef::Computed(self.compute_candidates(&CaseRule::IgnoreAsciiCase.fold(action)))
            }
        }
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
        let plan = self.plan(action);
        let mut missing = BTreeSet::new();
        let mut unknown_keys = BTreeSet::new();
        // Condition outcomes per statement, shared by all ARNs of the request.
        let mut outcomes = ConditionOutcomes::for_arns(arns.len());
        let mut decided = Decided::with_capacity(arns.len());
        let mut matched = Vec::new();
        arns.visit(|arn| {
            self.matching(&plan, arn, &mut matched);
            let mut matches = Matches::default();
            for owner in &matched {
                let Some(statement) = self.set.statements.get(*owner as usize) else {
                    continue;
                };
                let met = outcomes.get_or_insert(*owner, || {
                    let mut absent = Vec::new();
                    let mut unknown = Vec::new();
                    let met = met(statement.condition.evaluate_tracking(
                        context,
                        &mut absent,
                        &mut unknown,
                    ));
                    missing.extend(absent);
                    unknown_keys.extend(unknown);
                    met
                });
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

    /// Only the decision: the hot path. Equal to `evaluate(…).decision`, without building the
    /// per-ARN statement lists: an ARN's `Deny` statements are checked first (one that is met
    /// decides the request), then its `Allow` statements until one is met.
    pub fn decide<A: AsRef<str>, C: Context + ?Sized>(
        &self,
        action: &str,
        arns: &[A],
        context: &C,
    ) -> Decision {
        let plan = self.plan(action);
        let mut outcomes = ConditionOutcomes::for_arns(arns.len());
        let mut matched = Vec::new();
        Decision::combine(arns.iter().map(|arn| {
            self.matching(&plan, arn.as_ref(), &mut matched);
            self.decide_matched(&matched, context, &mut outcomes)
        }))
    }

    /// One ARN's decision from its matching statements, as [`super::ResourceDecision`] makes it.
    fn decide_matched<C: Context + ?Sized>(
        &self,
        matched: &[u32],
        context: &C,
        outcomes: &mut ConditionOutcomes,
    ) -> Decision {
        let mut met_of = |owner: u32, statement: &super::StatementData| {
            outcomes.get_or_insert(owner, || met(statement.condition.check(context)))
        };
        let statements = |effect: Effect| {
            matched.iter().filter_map(move |owner| {
                let statement = self.set.statements.get(*owner as usize)?;
                (statement.effect == effect).then_some((*owner, statement))
            })
        };
        let mut maybe_deny = false;
        for (owner, statement) in statements(Effect::Deny) {
            match met_of(owner, statement) {
                Met::Yes => return Decision::ExplicitDeny,
                Met::Maybe => maybe_deny = true,
                Met::No => {}
            }
        }
        if maybe_deny {
            return Decision::Indeterminate;
        }
        let mut maybe_allow = false;
        for (owner, statement) in statements(Effect::Allow) {
            match met_of(owner, statement) {
                Met::Yes => return Decision::Allow,
                Met::Maybe => maybe_allow = true,
                Met::No => {}
            }
        }
        if maybe_allow {
            Decision::Indeterminate
        } else {
            Decision::ImplicitDeny
        }
    }
}

/// A request's action plan: compiled for a catalog action, or the candidates of another.
enum PlanRef<'a> {
    Catalog(&'a ActionPlan),
    Computed(Vec<u32>),
}

/// The resource patterns of the statements `keep` selects, with their statement.
fn resource_patterns(
    set: &PolicySet,
    keep: impl Fn(u32) -> bool,
) -> impl Iterator<Item = (u32, &String)> {
    set.statements
        .iter()
        .enumerate()
        .filter(move |(index, _)| keep(id(*index)))
        .flat_map(|(index, statement)| {
            statement
                .resources
                .iter()
                .map(move |pattern| (id(index), pattern))
        })
}

fn met(outcome: Result<(), crate::condition::ConditionFailure>) -> Met {
    match outcome {
        Ok(()) => Met::Yes,
        Err(failure) if failure.unknown => Met::Maybe,
        Err(_) => Met::No,
    }
}

/// Condition outcomes by statement within one request: a request's ARNs meet the same
/// statements again and again (a broad grant matches every security group of a call). An ARN
/// meets each statement once, so a request of one ARN keeps nothing.
struct ConditionOutcomes {
    keep: bool,
    outcomes: FxHashMap<u32, Met>,
}

impl ConditionOutcomes {
    fn for_arns(arns: usize) -> Self {
        ConditionOutcomes {
            keep: arns > 1,
            outcomes: FxHashMap::default(),
        }
    }

    fn get_or_insert(&mut self, statement: u32, compute: impl FnOnce() -> Met) -> Met {
        if self.keep {
            *self.outcomes.entry(statement).or_insert_with(compute)
        } else {
            compute()
        }
    }
}
