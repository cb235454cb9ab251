//! The evaluator: a policy set and a request → `Allow`, `ExplicitDeny` or `ImplicitDeny`.
//!
//! For each ARN the request resolves to: any matching `Deny` statement → explicit deny; else
//! any matching `Allow` → allowed; else implicit deny. The request is allowed only when every
//! ARN is; an explicit deny on any ARN makes the whole request an explicit deny.
//!
//! A statement matches when its `Action` (or `NotAction`), its `Resource` and its `Condition`
//! all match. Two evaluators share these rules:
//! - [`reference`](mod@reference): plain and slow, one statement at a time with the reference wildcard
//!   matcher; it also records, for every statement that did not apply, the first reason.
//! - [`CompiledPolicySet`]: indexes statements by action and matches resources with compiled pattern
//!   sets, for many requests against one policy set. Property tests check that both agree.
//!
//! ```
//! use ram_policy::eval::{PolicySet, Decision};
//! use ram_policy::Request;
//! let set = PolicySet::parse(&[("mine", r#"{"Version":"1","Statement":[
//!   {"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}"#)]).unwrap();
//! let mut request = Request::new("ecs:DescribeInstances");
//! request.account = Some("123".into());
//! request.region = Some("cn-hangzhou".into());
//! let evaluation = ram_policy::eval::evaluate(&set, &request).unwrap();
//! assert_eq!(evaluation.decision, Decision::Allow);
//! ```

mod compiled;
pub mod reference;

use crate::condition::{Condition, ConditionEntry};
use crate::policy::{ActionKind, Effect, PolicyDocument};
use crate::request::Request;
use crate::resolve::{resolve, resolve_with, Resolution, ResolveError, ResolvedResources};
use serde::Serialize;

pub use compiled::CompiledPolicySet;
// What a condition is evaluated against: the request's context and how each key stands in it.
pub use crate::condition::{Context, KeyState, RequestContext};

/// The answer for a request or one of its ARNs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
    /// The answer depends on condition keys RAM sets from facts the input does not carry (the
    /// tags of an existing resource, an image's owner, …): it may be a deny, and it is never
    /// an allow.
    Indeterminate,
}

impl Decision {
    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
            Decision::Indeterminate => "Indeterminate",
        }
    }

    /// Combines the decisions of several ARNs: any explicit deny wins, then any indeterminate
    /// one (it may be an explicit deny), then any implicit deny; no ARN at all is an implicit
    /// deny (nothing allowed the request).
    pub fn combine(decisions: impl IntoIterator<Item = Decision>) -> Decision {
        let mut combined = Decision::ImplicitDeny;
        for (position, decision) in decisions.into_iter().enumerate() {
            if position == 0 && decision == Decision::Allow {
                combined = Decision::Allow;
            }
            match decision {
                Decision::ExplicitDeny => return Decision::ExplicitDeny,
                Decision::Indeterminate => combined = Decision::Indeterminate,
                Decision::ImplicitDeny if combined != Decision::Indeterminate => {
                    combined = Decision::ImplicitDeny
                }
                Decision::ImplicitDeny | Decision::Allow => {}
            }
        }
        combined
    }
}

/// A statement that decided an ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct StatementRef {
    /// The policy's name.
    pub policy: String,
    /// The statement's index in the policy's `Statement` array (from 0, as in JSON pointers); text
    /// for people says "statement N" from 1.
    pub statement: usize,
    pub effect: Effect,
    pub line: usize,
    pub column: usize,
}

/// The decision for one ARN and the statements that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceDecision {
    pub arn: String,
    pub decision: Decision,
    /// The matching `Deny` statements for an explicit deny, the matching `Allow` statements
    /// for an allow, none for an implicit deny; for an indeterminate answer, the statements
    /// that certainly match (Allows, when a Deny may match).
    pub statements: Vec<StatementRef>,
    /// Statements whose conditions depend on keys not known from the input: whether they
    /// match decides the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub undetermined: Vec<StatementRef>,
}

impl ResourceDecision {
    /// The rule for one ARN: any matching Deny → explicit deny (the Denies decide); else any
    /// matching Allow → allowed (the Allows decide); else implicit deny.
    pub fn from_matches(arn: &str, allows: Vec<StatementRef>, denies: Vec<StatementRef>) -> Self {
        Self::from_outcomes(arn, allows, denies, Vec::new(), Vec::new())
    }

    /// The rule with statements whose conditions are undetermined (they depend on keys not
    /// known from the input): a Deny that may match makes the answer indeterminate unless a
    /// Deny certainly matches; an Allow that may match makes it indeterminate unless an Allow
    /// certainly matches (and no Deny may). Never an allow that rests on an unknown key.
    pub fn from_outcomes(
        arn: &str,
        allows: Vec<StatementRef>,
        denies: Vec<StatementRef>,
        maybe_allows: Vec<StatementRef>,
        maybe_denies: Vec<StatementRef>,
    ) -> Self {
        Outcome::new(allows, denies, maybe_allows, maybe_denies).for_arn(arn.to_string())
    }
}

/// An ARN's decision and the statements that made it, without the ARN: what every ARN decided
/// alike shares in [`ResourceDecisions`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Outcome {
    decision: Decision,
    statements: Vec<StatementRef>,
    undetermined: Vec<StatementRef>,
}

impl Outcome {
    /// The rule of [`ResourceDecision::from_outcomes`].
    fn new(
        allows: Vec<StatementRef>,
        denies: Vec<StatementRef>,
        maybe_allows: Vec<StatementRef>,
        maybe_denies: Vec<StatementRef>,
    ) -> Self {
        let (decision, statements, undetermined) = if !denies.is_empty() {
            (Decision::ExplicitDeny, denies, Vec::new())
        } else if !maybe_denies.is_empty() {
            (Decision::Indeterminate, allows, maybe_denies)
        } else if !allows.is_empty() {
            (Decision::Allow, allows, Vec::new())
        } else if !maybe_allows.is_empty() {
            (Decision::Indeterminate, Vec::new(), maybe_allows)
        } else {
            (Decision::ImplicitDeny, Vec::new(), Vec::new())
        };
        Outcome {
            decision,
            statements,
            undetermined,
        }
    }

    fn for_arn(self, arn: String) -> ResourceDecision {
        ResourceDecision {
            arn,
            decision: self.decision,
            statements: self.statements,
            undetermined: self.undetermined,
        }
    }
}

/// The ARNs an evaluator decides: a list the caller gave, or a resolution's, made as they are
/// read.
#[derive(Debug, Clone)]
pub(crate) enum Arns {
    Listed(Vec<String>),
    Resolved(ResolvedResources),
}

impl Default for Arns {
    fn default() -> Self {
        Arns::Listed(Vec::new())
    }
}

impl Arns {
    pub(crate) fn listed<A: AsRef<str>>(arns: &[A]) -> Self {
        Arns::Listed(arns.iter().map(|arn| arn.as_ref().to_string()).collect())
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Arns::Listed(arns) => arns.len(),
            Arns::Resolved(resources) => resources.len(),
        }
    }

    /// Calls `each` with every ARN in order.
    pub(crate) fn visit(&self, mut each: impl FnMut(&str)) {
        match self {
            Arns::Listed(arns) => arns.iter().for_each(|arn| each(arn)),
            Arns::Resolved(resources) => resources.arns().for_each(|arn| each(&arn)),
        }
    }

    fn get(&self, index: usize) -> Option<String> {
        match self {
            Arns::Listed(arns) => arns.get(index).cloned(),
            Arns::Resolved(resources) => resources.arn(index),
        }
    }
}

/// The decisions of an evaluation's ARNs, in order, kept compactly: the ARNs are the ones the
/// evaluator was given (a resolution's are made again as they are read) and each ARN's
/// decision and statements are one entry of a table of the distinct ones, so 600,000 ARNs
/// decided by the same statements keep one list of statements and an index each. Read them
/// with [`Self::iter`] or [`Self::get`], which make each [`ResourceDecision`].
#[derive(Debug, Clone, Default)]
pub struct ResourceDecisions {
    arns: Arns,
    outcomes: Vec<Outcome>,
    picks: Vec<usize>,
}

impl ResourceDecisions {
    /// How many ARNs.
    pub fn len(&self) -> usize {
        self.picks.len()
    }

    /// Whether there is no ARN.
    pub fn is_empty(&self) -> bool {
        self.picks.is_empty()
    }

    /// The decision of the ARN at `index`.
    pub fn get(&self, index: usize) -> Option<ResourceDecision> {
        let outcome = self.outcomes.get(*self.picks.get(index)?)?;
        Some(outcome.clone().for_arn(self.arns.get(index)?))
    }

    /// The ARNs' decisions in order, each made as it is read.
    pub fn iter(&self) -> impl Iterator<Item = ResourceDecision> + '_ {
        (0..self.len()).map_while(|index| self.get(index))
    }

    /// The ARNs' decisions alone, in order.
    pub fn decisions(&self) -> impl Iterator<Item = Decision> + '_ {
        self.picks
            .iter()
            .filter_map(|pick| self.outcomes.get(*pick).map(|outcome| outcome.decision))
    }
}

impl PartialEq for ResourceDecisions {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for ResourceDecisions {}

impl Serialize for ResourceDecisions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'a> IntoIterator for &'a ResourceDecisions {
    type Item = ResourceDecision;
    type IntoIter = Box<dyn Iterator<Item = ResourceDecision> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl FromIterator<ResourceDecision> for ResourceDecisions {
    fn from_iter<I: IntoIterator<Item = ResourceDecision>>(resources: I) -> Self {
        let mut arns = Vec::new();
        let mut decided = Decided::default();
        for resource in resources {
            arns.push(resource.arn);
            decided.push(Outcome {
                decision: resource.decision,
                statements: resource.statements,
                undetermined: resource.undetermined,
            });
        }
        decided.finish(Arns::Listed(arns))
    }
}

/// [`ResourceDecisions`] being made, ARN by ARN.
#[derive(Debug, Default)]
pub(crate) struct Decided {
    outcomes: Vec<Outcome>,
    index: std::collections::HashMap<Outcome, usize>,
    picks: Vec<usize>,
}

impl Decided {
    pub(crate) fn with_capacity(arns: usize) -> Self {
        Decided {
            picks: Vec::with_capacity(arns),
            ..Decided::default()
        }
    }

    /// Records the next ARN's outcome.
    fn push(&mut self, outcome: Outcome) {
        let pick = match self.index.get(&outcome) {
            Some(pick) => *pick,
            None => {
                let pick = self.outcomes.len();
                self.outcomes.push(outcome.clone());
                self.index.insert(outcome, pick);
                pick
            }
        };
        self.picks.push(pick);
    }

    /// Records the next ARN's matching statements.
    pub(crate) fn decide(&mut self, matches: Matches) {
        self.push(matches.outcome());
    }

    /// The decisions of `arns`, one recorded for each.
    pub(crate) fn finish(self, arns: Arns) -> ResourceDecisions {
        debug_assert_eq!(arns.len(), self.picks.len());
        ResourceDecisions {
            arns,
            outcomes: self.outcomes,
            picks: self.picks,
        }
    }
}
/// The statements that match one ARN, certainly or depending on keys not known from the
/// input; both evaluators collect them the same way.
#[derive(Debug, Default)]
pub(crate) struct Matches {
    allows: Vec<StatementRef>,
    denies: Vec<StatementRef>,
    maybe_allows: Vec<StatementRef>,
    maybe_denies: Vec<StatementRef>,
}

impl Matches {
    /// Records a statement whose action and resource match: `certain` when its condition is
    /// met, not certain when it depends on an unknown key.
    pub(crate) fn add(&mut self, reference: StatementRef, certain: bool) {
        let list = match (reference.effect, certain) {
            (Effect::Allow, true) => &mut self.allows,
            (Effect::Deny, true) => &mut self.denies,
            (Effect::Allow, false) => &mut self.maybe_allows,
            (Effect::Deny, false) => &mut self.maybe_denies,
        };
        list.push(reference);
    }

    /// The decision for the ARN and the statements that make it.
    fn outcome(self) -> Outcome {
        Outcome::new(
            self.allows,
            self.denies,
            self.maybe_allows,
            self.maybe_denies,
        )
    }
}

impl Evaluation {
    /// The evaluation of an action from its ARNs' decisions.
    pub(crate) fn from_resources(
        action: &str,
        resources: ResourceDecisions,
        missing: std::collections::BTreeSet<String>,
        unknown: std::collections::BTreeSet<String>,
        trace: Vec<TraceEntry>,
    ) -> Evaluation {
        Evaluation {
            decision: Decision::combine(resources.decisions()),
            action: action.to_string(),
            resources,
            missing_context_keys: missing.into_iter().collect(),
            unknown_context_keys: unknown.into_iter().collect(),
            trace,
            notes: Vec::new(),
            depends_on_authorization: None,
        }
    }
}

/// Why a statement did not apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotApplied {
    /// The action is not in `Action` (or is in `NotAction`).
    Action { element: &'static str },
    /// No `Resource` pattern matches the ARN.
    Resource { arn: String, literal_star: bool },
    /// A condition entry is not met.
    Condition {
        arn: String,
        operator: String,
        key: String,
        values: Vec<String>,
        /// The key is absent from the request's context.
        absent: bool,
        /// The key is not known from the input (RAM sets it from facts the input lacks), so
        /// the statement may apply.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        unknown: bool,
    },
}

impl std::fmt::Display for NotApplied {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotApplied::Action { element: "NotAction" } => {
                write!(formatter, "the action is listed in `NotAction`")
            }
            NotApplied::Action { .. } => write!(formatter, "the action is not in `Action`"),
            NotApplied::Resource {
                arn,
                literal_star: true,
            } => write!(
                formatter,
                "no `Resource` pattern matches `{arn}` (the action has no resource-level authorization, so RAM checks the literal resource `*`)"
            ),
            NotApplied::Resource { arn, .. } => {
                write!(formatter, "no `Resource` pattern matches `{arn}`")
            }
            NotApplied::Condition {
                operator,
                key,
                values,
                absent,
                unknown,
                ..
            } => {
                let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                if *unknown {
                    write!(
                        formatter,
                        "condition `{operator}` on `{key}` may or may not be met: RAM sets the key from facts the input does not give"
                    )
                } else if *absent {
                    write!(
                        formatter,
                        "condition `{operator}` on `{key}` is not met: the key is absent from the request"
                    )
                } else {
                    write!(
                        formatter,
                        "condition `{operator}` on `{key}` [{}] is not met",
                        values.join(", ")
                    )
                }
            }
        }
    }
}

/// One line of the trace: a statement that did not apply, and the first reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    pub policy: String,
    pub statement: usize,
    pub effect: Effect,
    pub line: usize,
    pub column: usize,
    pub reason: NotApplied,
}

/// The result of evaluating a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub decision: Decision,
    pub action: String,
    /// Each ARN's decision, in order.
    pub resources: ResourceDecisions,
    /// Context keys that conditions of matching statements consulted and the request lacks,
    /// sorted: the decision depends on how RAM treats them.
    pub missing_context_keys: Vec<String>,
    /// Keys that conditions of matching statements consulted and that RAM sets from facts the
    /// input does not carry (not known from the input), sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_context_keys: Vec<String>,
    /// Statements that did not apply, with the first reason (empty from the compiled evaluator).
    pub trace: Vec<TraceEntry>,
    /// Why the decision is [`Decision::Indeterminate`]: the action's authorization is not
    /// documented (or names resources no request parameter fills) and a statement scoped to
    /// resource ARNs would decide differently if RAM checks them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depends_on_authorization: Option<String>,
    /// Hints about the request itself (an account id of an unusual length, see
    /// `crate::request::account_note`); the decision does not depend on them.
    pub notes: Vec<String>,
}

pub use crate::policy::PolicyError;

/// One named policy document.
#[derive(Debug, Clone)]
pub struct Policy {
    pub name: String,
    pub document: PolicyDocument,
}

/// A statement ready for evaluation (shared by both evaluators).
#[derive(Debug, Clone)]
pub(crate) struct StatementData {
    pub policy: usize,
    pub index: usize,
    pub effect: Effect,
    pub line: usize,
    pub column: usize,
    pub action_kind: ActionKind,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub condition: Condition,
}

/// Named policy documents, parsed and checked.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub policies: Vec<Policy>,
    pub(crate) statements: Vec<StatementData>,
}

impl PolicySet {
    /// Reads `(name, text)` pairs with [`crate::policy::read_named`]; a document with any error
    /// refuses the whole set, naming the policy, line and column of its first error.
    pub fn parse<N: AsRef<str>, T: AsRef<str>>(
        sources: &[(N, T)],
    ) -> Result<PolicySet, PolicyError> {
        let mut set = PolicySet::default();
        for (name, text) in sources {
            let name = name.as_ref().to_string();
            let document = crate::policy::read_named(&name, text.as_ref())?;
            set.add(name, document);
        }
        Ok(set)
    }

    /// Adds a document that has no errors (problems that are errors are skipped silently by
    /// the evaluator, so callers check [`PolicyDocument::errors`] first, as `parse` does).
    pub fn add(&mut self, name: String, document: PolicyDocument) {
        let policy = self.policies.len();
        for statement in &document.statements {
            let (Some(effect), Some(action), Some(resource)) =
                (&statement.effect, &statement.action, &statement.resource)
            else {
                continue;
            };
            let mut entries = Vec::new();
            if let Some(block) = &statement.condition {
                for operator in &block.operators {
                    let Some(op) = operator.operator else {
                        continue;
                    };
                    for key in &operator.keys {
                        let values = key.values.iter().map(|v| v.value.as_text()).collect();
                        entries.push(ConditionEntry::qualified(
                            operator.qualifier,
                            op,
                            key.key.value.clone(),
                            values,
                        ));
                    }
                }
            }
            self.statements.push(StatementData {
                policy,
                index: statement.index,
                effect: effect.value,
                line: statement.span.start.line,
                column: statement.span.start.column,
                action_kind: action.kind,
                actions: action.patterns.iter().map(|p| p.value.clone()).collect(),
                resources: resource.value.iter().map(|p| p.value.clone()).collect(),
                condition: Condition { entries },
            });
        }
        self.policies.push(Policy { name, document });
    }

    /// The number of statements.
    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }

    pub(crate) fn reference_of(&self, statement: &StatementData) -> StatementRef {
        StatementRef {
            policy: self
                .policies
                .get(statement.policy)
                .map(|policy| policy.name.clone())
                .unwrap_or_default(),
            statement: statement.index,
            effect: statement.effect,
            line: statement.line,
            column: statement.column,
        }
    }
}

/// Resolves the request against the embedded catalog and evaluates it with the reference
/// evaluator (with its trace), with the condition keys RAM derives from the request
/// (`crate::condition::derived`) under the request's own `context`.
pub fn evaluate(set: &PolicySet, request: &Request) -> Result<Evaluation, ResolveError> {
    let mut resolution = resolve(request)?;
    let context = resolution_context(request, &mut resolution);
    let arns = Arns::Resolved(std::mem::take(&mut resolution.resources));
    let mut evaluation = reference::evaluate_arns(set, &resolution.action, arns, &context);
    evaluation.notes.extend(request_notes(request));
    Ok(evaluation)
}

/// Hints about the request itself, for [`Evaluation::notes`].
fn request_notes(request: &Request) -> Option<String> {
    request
        .account
        .as_deref()
        .and_then(crate::request::account_note)
}

/// The condition keys of a resolved request: its `context` over the keys RAM derives from its
/// parameters; a parameter those keys read in a shape that cannot be read is an error.
pub fn request_context(request: &Request, action: &str) -> Result<RequestContext, ResolveError> {
    Ok(RequestContext::with_derivation(
        crate::resolve::derive_keys(action, request)?,
        &request.context,
    ))
}

/// The condition keys of a resolved request, from the keys its resolution derived (taken out
/// of it).
pub fn resolution_context(request: &Request, resolution: &mut Resolution) -> RequestContext {
    RequestContext::with_derivation(std::mem::take(&mut resolution.derivation), &request.context)
}

/// Like [`evaluate`] with a given catalog.
pub fn evaluate_with(
    catalog: &crate::catalog::Catalog,
    set: &PolicySet,
    request: &Request,
) -> Result<Evaluation, ResolveError> {
    let mut resolution = resolve_with(catalog, request)?;
    let context = resolution_context(request, &mut resolution);
    // The evaluation keeps the resolution's ARNs as they are (compact) and makes each again
    // when it is read: a request naming 600,000 security groups holds no list of ARNs.
    let arns = Arns::Resolved(std::mem::take(&mut resolution.resources));
    let mut evaluation = reference::evaluate_arns(set, &resolution.action, arns, &context);
    evaluation.notes.extend(request_notes(request));
    check_unknown_authorization(catalog, set, &mut evaluation);
    Ok(evaluation)
}

/// Never a false Allow for an action whose checked resources the catalog does not fully know (a
/// real API without an authorization entry resolves to `*`; a reference template no parameter
/// fills is skipped). When a statement for the action is scoped to resource ARNs (its
/// `Resource` does not match `*`) and would turn the answer (a scoped `Deny` under an Allow, a
/// scoped `Allow` under an implicit deny), the decision becomes [`Decision::Indeterminate`] and
/// [`Evaluation::depends_on_authorization`] says why.
pub fn check_unknown_authorization(
    catalog: &crate::catalog::Catalog,
    set: &PolicySet,
    evaluation: &mut Evaluation,
) {
    let Some(action) = catalog.action(&evaluation.action) else {
        return;
    };
    let undocumented = !action.authorization_documented();
    if !undocumented && action.facts().unbound.is_empty() {
        return;
    }
    let turning = match evaluation.decision {
        Decision::Allow => Effect::Deny,
        Decision::ImplicitDeny => Effect::Allow,
        Decision::ExplicitDeny | Decision::Indeterminate => return,
    };
    let scoped = set.statements.iter().find(|statement| {
        statement.effect == turning
            && reference::action_applies(statement, &evaluation.action)
            && !statement
                .resources
                .iter()
                .any(|pattern| crate::wildcard::reference_match(pattern, "*"))
    });
    let Some(statement) = scoped else {
        return;
    };
    let place = set.reference_of(statement);
    let why = if undocumented {
        format!(
            "RAM's authorization of `{}` is not documented, so it is unknown whether RAM checks `*` or the ARNs of the resources the request names",
            action.qualified_name()
        )
    } else {
        format!(
            "RAM also checks {} for `{}`, which no request parameter fills",
            action.facts().unbound.join(", "),
            action.qualified_name()
        )
    };
    evaluation.depends_on_authorization = Some(format!(
        "{why}; statement {} of `{}` (line {}, {}) is scoped to resource ARNs and would decide if RAM checks them",
        place.statement + 1,
        place.policy,
        place.line,
        place.effect.name()
    ));
    evaluation.decision = Decision::Indeterminate;
}

#[cfg(test)]
mod tests;
