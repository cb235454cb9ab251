//! `explain`: why a call is allowed or denied, where in the policies, and the smallest fix.
//!
//! The explanation is a value ([`Explanation`]) built from a policy set and a call ([`Call`]);
//! [`render::text`] turns it into one screen for a person and [`Explanation`]'s `Serialize`
//! gives the same content as data (`--format json`). `inputs` builds calls from the three
//! inputs of `ram-policy explain`: a request, ActionTrail events and RAM's error bodies.
//!
//! What an explanation holds:
//! - the decision (from the reference evaluator, [`crate::eval::reference`]);
//! - every ARN RAM checks, with the request parameter each value came from;
//! - per ARN, the deciding statements (`file:line:col` and their source lines); for an implicit
//!   deny, the closest `Allow` statements ranked by how many of action, resource and condition
//!   match, with exactly what differs (a near-miss action name with "did you mean", the ARN
//!   segment — service, region, account, resource type, resource id — or the condition key,
//!   operator, values and the request's value);
//! - the context keys the answer depends on, flagging absent keys (RAM does not document how it
//!   treats them);
//! - the fixes, ranked (`fixes`): first those that keep every `Deny` and every condition (a
//!   fact of the request to change, the closest statement to widen, a new statement for exactly
//!   the denied ARNs), then those that weaken a guard rail, labelled; each checked by evaluation;
//! - when the input says what RAM decided, whether this answer agrees, and if not, why it may not.
//!
//! ```
//! use ram_policy::explain::{explain, Call, Policies};
//! use ram_policy::Request;
//! let policies = Policies::parse(&[("p.json", r#"{"Version":"1","Statement":[
//!   {"Effect":"Allow","Action":"ecs:DescribeInstance","Resource":"*"}]}"#)]).unwrap();
//! let mut request = Request::new("ecs:DescribeInstances");
//! request.account = Some("123".into());
//! request.region = Some("cn-hangzhou".into());
//! let call = Call::from_request(&request).unwrap();
//! let explanation = explain(&policies, &call, None);
//! assert_eq!(explanation.headline(), "DENIED (no statement allows it)");
//! let text = ram_policy::explain::text(&explanation);
//! assert!(text.contains("did you mean `ecs:DescribeInstances`?"));
//! ```

mod agreement;
mod analysis;
mod fixes;
pub(crate) mod inputs;
mod render;
mod suggestion;

use crate::actiontrail::Gap;
use crate::catalog::Catalog;
use crate::condition::derived::UnknownKey;
use crate::condition::RequestContext;
use crate::eval::{reference, Decision, PolicyError, PolicySet, StatementRef};
use crate::policy::Effect;
use crate::request::Request;
use crate::resolve::{resolve_with, BoundVariable, ResolveError, SkippedResource};
use agreement::agreement;
pub use agreement::policy_stem;
pub use fixes::{FixKind, FixOption};
pub use inputs::{
    write_events_json, EventInfo, EventOutcome, EventOutcomes, EventsSummary, InputKind, Item,
    Options, RecordError, Report, ReportJson, ReportView, SingleView, Skipped,
};
pub use render::{report, report_with, text, write_events, write_report, Detail};
// The denial messages and ActionTrail records `explain` reads fail with these.
pub use crate::diagnostic::DiagnosticError;
use analysis::{analyse, StatementAnalysis};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use suggestion::fix;

/// How many closest statements are shown per ARN.
pub const CLOSEST_LIMIT: usize = 3;

/// The name given to the suggested statement's policy when it is evaluated.
pub const SUGGESTED_POLICY: &str = "(suggested statement)";

/// Named policy documents with their text, for showing source lines.
#[derive(Debug, Clone)]
pub struct Policies {
    pub set: PolicySet,
    texts: Vec<String>,
}

impl Policies {
    /// Parses `(name, text)` pairs (see [`PolicySet::parse`]).
    pub fn parse<N: AsRef<str>, T: AsRef<str>>(sources: &[(N, T)]) -> Result<Self, PolicyError> {
        Ok(Policies {
            set: PolicySet::parse(sources)?,
            texts: sources
                .iter()
                .map(|(_, text)| text.as_ref().to_string())
                .collect(),
        })
    }

    /// The names of the policies, in order.
    pub fn names(&self) -> Vec<&str> {
        self.set.policies.iter().map(|p| p.name.as_str()).collect()
    }

    fn lines(&self, policy: usize, from: usize, to: usize) -> Vec<SourceLine> {
        let Some(text) = self.texts.get(policy) else {
            return Vec::new();
        };
        text.lines()
            .enumerate()
            .map(|(index, line)| (index + 1, line))
            .filter(|(number, _)| *number >= from && *number <= to)
            .map(|(number, line)| SourceLine {
                line: number,
                text: line.to_string(),
            })
            .collect()
    }
}

/// The call to explain: the action, the ARNs RAM checks (with where their values came from) and
/// the request's context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Call {
    /// `ecs:Name` for catalog actions, else as given (`ram:DecodeDiagnosticMessage`).
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub region: Option<String>,
    pub resources: Vec<CallResource>,
    /// Catalog resources this call does not check, and why.
    pub skipped: Vec<SkippedResource>,
    /// The request's context over the keys RAM derives from its parameters.
    pub context: BTreeMap<String, Vec<String>>,
    /// Keys RAM sets for this call from facts the input does not carry (not known from the
    /// input), with what each depends on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(test, ts(optional, as = "Option<Vec<UnknownKey>>"))]
    pub unknown_keys: Vec<UnknownKey>,
}

/// One ARN of the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CallResource {
    pub arn: String,
    /// The catalog template it was built from (`*` without resource-level authorization), or
    /// empty when the input named the ARN itself.
    #[cfg_attr(test, ts(type = "string"))]
    pub template: std::sync::Arc<str>,
    /// Where each variable's value came from (`SecurityGroupIds.2`, `RegionId`, `region`…).
    pub bindings: Vec<BoundVariable>,
    /// Where the ARN came from when the input named it (`AuthResource`, `Message`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub named_by: Option<String>,
}

impl Call {
    /// Resolves a request against the embedded catalog.
    pub fn from_request(request: &Request) -> Result<Call, ResolveError> {
        let catalog = Catalog::embedded().map_err(|error| ResolveError::BadParameter {
            action: request.action.clone(),
            param: "-".into(),
            problem: error.to_string(),
        })?;
        let mut resolution = resolve_with(catalog, request)?;
        let context = crate::eval::resolution_context(request, &mut resolution);
        Ok(Call {
            action: resolution.action,
            account: request.account.clone(),
            region: request.region.clone(),
            resources: resolution
                .resources
                .iter()
                .map(|resource| CallResource {
                    arn: resource.arn,
                    template: resource.template,
                    bindings: resource.bindings,
                    named_by: None,
                })
                .collect(),
            skipped: resolution.skipped,
            context: context.values,
            unknown_keys: context.derivation.unknown,
        })
    }

    fn arns(&self) -> Vec<&str> {
        self.resources.iter().map(|r| r.arn.as_str()).collect()
    }

    /// The keys as the evaluator looks them up: the context, and the unknown keys (a value
    /// given in the context wins over an unknown).
    pub fn condition_context(&self) -> RequestContext {
        let mut context = RequestContext::given(self.context.clone());
        context.derivation.unknown = self
            .unknown_keys
            .iter()
            .filter(|unknown| !self.context.contains_key(&unknown.key))
            .cloned()
            .collect();
        context
    }
}

/// Where something is written: start and end (1-based line:column) and the JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Place {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub pointer: String,
}

/// One line of a policy's source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SourceLine {
    pub line: usize,
    pub text: String,
}

/// One ARN segment that a Resource pattern does not match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SegmentDiff {
    /// `service`, `region`, `account`, `resource type`, `resource id`, `resource`, `prefix`,
    /// or `arn` (compared as a whole).
    pub segment: String,
    /// The pattern's segment.
    pub pattern: String,
    /// The ARN's segment.
    pub arn: String,
}

impl std::fmt::Display for SegmentDiff {
    /// The segment's name, the pattern's text, then the ARN's (region `cn-beijing` ≠ `cn-hangzhou`).
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(out, "{} `{}` ≠ `{}`", self.segment, self.pattern, self.arn)
    }
}

/// What keeps a statement from matching, in one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "dimension", rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Difference {
    /// The action is not covered (or is excluded by `NotAction`).
    Action {
        element: &'static str,
        patterns: Vec<String>,
        requested: String,
        /// The requested action, when a pattern is a near miss of it.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        did_you_mean: Option<String>,
        message: String,
        place: Place,
    },
    /// No Resource pattern matches the ARN; the closest pattern and its differing segments.
    Resource {
        arn: String,
        pattern: String,
        segments: Vec<SegmentDiff>,
        message: String,
        place: Place,
    },
    /// A condition entry is not met.
    Condition {
        operator: String,
        key: String,
        values: Vec<String>,
        /// The request's values (`None`: absent).
        request_values: Option<Vec<String>>,
        absent: bool,
        message: String,
        place: Place,
    },
}

impl Difference {
    pub fn message(&self) -> &str {
        match self {
            Difference::Action { message, .. }
            | Difference::Resource { message, .. }
            | Difference::Condition { message, .. } => message,
        }
    }

    pub fn place(&self) -> &Place {
        match self {
            Difference::Action { place, .. }
            | Difference::Resource { place, .. }
            | Difference::Condition { place, .. } => place,
        }
    }
}

/// A statement as shown: where it is and its source lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct StatementView {
    pub policy: String,
    /// Index in the policy's `Statement` array (from 0, as in JSON pointers); text
    /// for people says "statement N" from 1.
    pub statement: usize,
    pub effect: Effect,
    /// `file:line:col`.
    pub location: String,
    pub line: usize,
    pub column: usize,
    pub source: Vec<SourceLine>,
}

/// A statement that decided an ARN, and why it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Deciding {
    #[serde(flatten)]
    pub statement: StatementView,
    /// Why it applies: the action pattern, the resource pattern, each condition met.
    pub because: Vec<String>,
}

/// A statement that came close to allowing an ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Closest {
    #[serde(flatten)]
    pub statement: StatementView,
    /// How many of action, resource and condition match (0–3).
    pub score: usize,
    /// The dimensions that match.
    pub matching: Vec<&'static str>,
    pub differences: Vec<Difference>,
}

/// One ARN RAM checks, its decision and the statements behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ArnExplanation {
    pub arn: String,
    pub decision: Decision,
    /// Where the ARN's values came from, e.g. `$groupNo = sg-2 (from SecurityGroupIds.2)`.
    pub sources: Vec<BoundVariable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub named_by: Option<String>,
    /// The matching `Deny` statements (explicit deny) or `Allow` statements (allowed).
    // Each shared by every ARN it decides the same way: 600,000 security groups allowed by one
    // statement hold one view of it (a plain comment: doc comments reach facade.d.ts).
    pub deciding: Vec<Arc<Deciding>>,
    /// For an implicit deny: the `Allow` statements that came closest, best first.
    pub closest: Vec<Closest>,
}

/// A condition key the answer depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ContextKey {
    pub key: String,
    /// The request's values; `None` when the key is absent.
    pub values: Option<Vec<String>>,
    /// The key is absent and a statement's outcome rests on it: RAM's treatment of absent keys
    /// is not documented, so this part of the answer is this tool's choice.
    pub undocumented: bool,
    /// The key is not in the registry of known keys (see `crate::condition::keys`).
    pub unknown_key: bool,
    /// RAM sets the key from facts the input does not carry: not known from the input, and the
    /// answer depends on it. The text says what it depends on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub not_known: Option<String>,
    /// Where the key is consulted (`file:line:col`), in statement order.
    pub consulted_at: Vec<String>,
    /// Filled in by the front end (the CLI fills `acs:CurrentTime` from the clock).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub filled_by: Option<String>,
}

/// A `Deny` statement to change for an explicit deny.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DenyChange {
    #[serde(flatten)]
    pub statement: StatementView,
    /// The ARNs it denies.
    pub arns: Vec<String>,
    pub because: Vec<String>,
}

/// The smallest change that allows the call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "ExplainFix"))]
pub struct Fix {
    /// The `Allow` statement for exactly the ARNs no statement allows, when any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "unknown"))]
    pub statement: Option<serde_json::Value>,
    /// The statement as JSON ready to paste.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub statement_text: Option<String>,
    /// A whole policy document holding only the statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub policy_text: Option<String>,
    /// Existing `Deny` statements that would still deny some of the statement's ARNs.
    pub blocked_by: Vec<StatementView>,
    /// For an explicit deny: the `Deny` statements to change (remove, or narrow so that they
    /// no longer match these ARNs).
    pub change_deny: Vec<DenyChange>,
    /// Checked by evaluation: with the statement added and the listed `Deny` statements
    /// removed, the call is allowed.
    pub allowed_after: bool,
    pub notes: Vec<String>,
    /// Every way found to get the call allowed, checked by evaluation: first those that keep every
    /// `Deny` and every condition, then those that weaken a guard rail (see `fixes`).
    pub options: Vec<fixes::FixOption>,
}

/// What the input says RAM decided, and whether this answer agrees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RamVerdict {
    /// Where the input says it: ``ActionTrail `errorCode` ``, ```AccessDeniedDetail.NoPermissionType` ``…
    pub source: String,
    /// What RAM decided, in words (`denied (NoPermission)`, `ExplicitDeny`, `allowed`).
    pub said: String,
    /// Whether RAM denied the call; `None` when the input does not tell (a failure for another
    /// reason than permissions).
    pub denied: Option<bool>,
    /// The kind of deny, when the input tells it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub deny_kind: Option<Decision>,
    /// Policies RAM named (`MatchedPolicies`).
    pub matched_policies: Vec<String>,
}

/// Whether this answer agrees with RAM's, and why it may not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Agreement {
    #[serde(flatten)]
    pub ram: RamVerdict,
    /// `None` when RAM's decision is unknown.
    pub agrees: Option<bool>,
    pub message: String,
    /// Likely reasons for a disagreement.
    pub reasons: Vec<String>,
    /// `MatchedPolicies` that are not among the given files.
    pub policies_not_given: Vec<String>,
}

/// Everything `explain` says about one call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Explanation {
    /// `ALLOWED`, `DENIED (explicit deny)` or `DENIED (no statement allows it)`.
    pub headline: String,
    pub decision: Decision,
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub region: Option<String>,
    pub resources: Vec<ArnExplanation>,
    pub skipped: Vec<SkippedResource>,
    pub context_keys: Vec<ContextKey>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub fix: Option<Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub ram: Option<Agreement>,
    /// What the input does not tell.
    pub unknown: Vec<Gap>,
    pub notes: Vec<String>,
}

impl Explanation {
    /// The first line of the text rendering.
    pub fn headline(&self) -> &str {
        &self.headline
    }
}

/// The first line for a decision.
pub fn headline(decision: Decision) -> &'static str {
    match decision {
        Decision::Allow => "ALLOWED",
        Decision::ExplicitDeny => "DENIED (explicit deny)",
        Decision::ImplicitDeny => "DENIED (no statement allows it)",
        Decision::Indeterminate => "DEPENDS on condition keys not known from the input",
    }
}

fn view(policies: &Policies, analysis: &StatementAnalysis<'_>) -> StatementView {
    let statement = analysis.statement;
    let (line, column) = (statement.span.start.line, statement.span.start.column);
    StatementView {
        policy: analysis.policy.to_string(),
        statement: statement.index,
        effect: analysis.effect,
        location: format!("{}:{line}:{column}", analysis.policy),
        line,
        column,
        source: policies.lines(analysis.policy_index, line, statement.span.end.line),
    }
}

fn because(analysis: &StatementAnalysis<'_>, index: usize) -> Vec<String> {
    let mut out = Vec::new();
    match &analysis.action_pattern {
        Some(pattern) => out.push(format!("action pattern `{pattern}` covers the action")),
        None => out.push("`NotAction` does not list the action".to_string()),
    }
    if let Some(Ok(pattern)) = analysis.resources.get(index) {
        out.push(format!("resource pattern `{pattern}` matches"));
    }
    out.extend(analysis.conditions.iter().map(|check| check.met_message()));
    out
}

fn same_statement(analysis: &StatementAnalysis<'_>, reference: &StatementRef) -> bool {
    analysis.policy == reference.policy && analysis.statement.index == reference.statement
}

/// Explains a call against a policy set; `ram` is what the input says RAM decided.
pub fn explain(policies: &Policies, call: &Call, ram: Option<&RamVerdict>) -> Explanation {
    let arns = call.arns();
    let context = call.condition_context();
    let mut evaluation = reference::evaluate(&policies.set, &call.action, &arns, &context);
    let catalog = Catalog::embedded().ok();
    if let Some(catalog) = catalog {
        crate::eval::check_unknown_authorization(catalog, &policies.set, &mut evaluation);
    }
    let analyses = analyse(&policies.set, &call.action, &arns, &context);
    let mut resources = Vec::with_capacity(call.resources.len());
    // A deciding statement's view and reasons depend on the statement and the resource pattern
    // that matched, not on the ARN: made once for each pair.
    let mut made: HashMap<(usize, Option<&str>), Arc<Deciding>> = HashMap::new();
    for (index, (resource, decided)) in call.resources.iter().zip(&evaluation.resources).enumerate()
    {
        let deciding: Vec<Arc<Deciding>> = decided
            .statements
            .iter()
            .filter_map(|reference| {
                analyses
                    .iter()
                    .position(|analysis| same_statement(analysis, reference))
            })
            .filter_map(|position| {
                let analysis = analyses.get(position)?;
                let pattern = match analysis.resources.get(index) {
                    Some(Ok(pattern)) => Some(pattern.as_str()),
                    _ => None,
                };
                let shared = made.entry((position, pattern)).or_insert_with(|| {
                    Arc::new(Deciding {
                        statement: view(policies, analysis),
                        because: because(analysis, index),
                    })
                });
                Some(Arc::clone(shared))
            })
            .collect();
        let closest = if decided.decision == Decision::ImplicitDeny {
            closest(policies, &analyses, index)
        } else {
            Vec::new()
        };
        resources.push(ArnExplanation {
            arn: resource.arn.clone(),
            decision: decided.decision,
            sources: resource
                .bindings
                .iter()
                .filter(|bound| &*bound.source != "account")
                .cloned()
                .collect(),
            named_by: resource.named_by.clone(),
            deciding,
            closest,
        });
    }
    let context_keys = context_keys(&analyses);
    // An undetermined answer has no fix to suggest: what it needs is the unknown keys.
    let fix = matches!(
        evaluation.decision,
        Decision::ExplicitDeny | Decision::ImplicitDeny
    )
    .then(|| fix(policies, call, &analyses, &resources));
    let mut notes = Vec::new();
    if call.resources.is_empty() {
        notes.push("the call checks no resource, so nothing can allow it".to_string());
    }
    notes.extend(
        call.account
            .as_deref()
            .and_then(crate::request::account_note),
    );
    if let Some(why) = &evaluation.depends_on_authorization {
        notes.push(why.clone());
    }
    if let Some(note) = catalog.and_then(|catalog| edition_note(catalog, &call.action)) {
        notes.push(note);
    }
    Explanation {
        headline: if evaluation.depends_on_authorization.is_some() {
            "DEPENDS on which resources RAM checks (the action's authorization is not documented)"
                .to_string()
        } else {
            headline(evaluation.decision).to_string()
        },
        decision: evaluation.decision,
        action: call.action.clone(),
        account: call.account.clone(),
        region: call.region.clone(),
        resources,
        skipped: call.skipped.clone(),
        context_keys,
        fix,
        ram: ram.map(|ram| agreement(policies, ram, evaluation.decision, call, &analyses)),
        unknown: Vec::new(),
        notes,
    }
}

/// In the `current` edition, when the resources RAM checks for the action differ from the seed's
/// table, says so and which edition decided (`lint` reports a statement the change affects as
/// `AUTHORIZATION_CHANGED` in both editions).
fn edition_note(catalog: &Catalog, action: &str) -> Option<String> {
    use crate::catalog::Edition;
    if catalog.edition_name() != Edition::Current {
        return None;
    }
    let current = Catalog::edition(Edition::Current).ok()?.action(action)?;
    let before = current.facts().seed_templates.as_ref()?;
    let now: Vec<String> = current
        .resources()
        .iter()
        .map(|resource| resource.template().as_str().to_string())
        .collect();
    let list = |templates: Vec<String>| {
        if templates.is_empty() {
            "`*` only".to_string()
        } else {
            crate::suggest::quoted_list(&templates)
        }
    };
    Some(format!(
        "the resources RAM checks for `{}` changed between catalog editions: today's reference (edition `current`) checks {}, the seed's 2020 table (edition `seed`) {}; this answer uses edition `{}` (choose with --catalog-edition)",
        current.qualified_name(),
        list(now),
        list(before.clone()),
        catalog.edition_name()
    ))
}

fn closest(policies: &Policies, analyses: &[StatementAnalysis<'_>], index: usize) -> Vec<Closest> {
    let mut ranked: Vec<&StatementAnalysis<'_>> = analyses
        .iter()
        .filter(|analysis| analysis.effect == Effect::Allow)
        .collect();
    // Best score first; then a matching action before anything else; then the fewest details.
    crate::sort::sort_by_key(&mut ranked, |analysis| {
        (
            std::cmp::Reverse(analysis.score(index)),
            analysis.action.is_some(),
            analysis.distance(index),
        )
    });
    let best = ranked.first().map_or(0, |analysis| analysis.score(index));
    ranked
        .into_iter()
        .take_while(|analysis| analysis.score(index) == best)
        .take(CLOSEST_LIMIT)
        .map(|analysis| {
            let mut matching = Vec::new();
            if analysis.action.is_none() {
                matching.push("action");
            }
            if matches!(analysis.resources.get(index), Some(Ok(_))) {
                matching.push("resource");
            }
            if analysis.conditions_met() {
                matching.push("condition");
            }
            Closest {
                statement: view(policies, analysis),
                score: analysis.score(index),
                matching,
                differences: analysis.differences(index),
            }
        })
        .collect()
}

/// The keys consulted by the conditions of statements whose action and resource match (for at
/// least one ARN): their outcome is part of the answer.
fn context_keys(analyses: &[StatementAnalysis<'_>]) -> Vec<ContextKey> {
    let mut keys: BTreeMap<String, ContextKey> = BTreeMap::new();
    for analysis in analyses {
        let relevant = analysis.action.is_none() && analysis.resources.iter().any(Result::is_ok);
        if !relevant {
            continue;
        }
        for check in &analysis.conditions {
            let entry = keys
                .entry(check.key.to_ascii_lowercase())
                .or_insert_with(|| ContextKey {
                    key: check.key.clone(),
                    values: check.request_values.clone(),
                    undocumented: false,
                    unknown_key: !check.known_key,
                    not_known: check.not_known.clone(),
                    consulted_at: Vec::new(),
                    filled_by: None,
                });
            entry.undocumented |= check.request_values.is_none() && check.not_known.is_none();
            let at = format!(
                "{}:{}:{}",
                analysis.policy, check.place.line, check.place.column
            );
            if !entry.consulted_at.contains(&at) {
                entry.consulted_at.push(at);
            }
        }
    }
    keys.into_values().collect()
}

#[cfg(test)]
mod tests;
