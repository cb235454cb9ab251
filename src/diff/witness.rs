//! Witnesses: from an ARN and a context the search found, a whole request (its account, region
//! and parameters, with an allowed ARN for every other resource RAM checks), decided by the
//! evaluator on both sides. Only a request the granting side allows and the other side denies
//! (explicitly or implicitly) makes an exact difference.

use super::conditions::ContextMap;
use super::search::{context_of, template_nfa, Side, Stmt, TemplateSpec};
use super::{place_of, Certainty, ConditionSetting, Difference, StatementPlace, Witness};
use crate::catalog::{Action, Arity, Binding, Catalog, Resource, Segment};
use crate::eval::reference::action_applies;
use crate::eval::{Decision, Evaluation, PolicySet};
use crate::policy::Effect;
use crate::request::{ParamValue, Request};
use crate::wildcard::automaton::{find, Nfa, Want};
use crate::wildcard::reference_match;
use rustc_hash::FxHashMap;

/// The two sides of one direction.
pub(super) struct Sides<'s> {
    pub grant: &'s PolicySet,
    pub other: &'s PolicySet,
    pub catalog: &'s Catalog,
}

/// An ARN the granting side allows and the other side denies under `context`.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub arn: String,
    /// `None` when the search treated conditions as free (the difference is then possible).
    pub context: Option<ContextMap>,
    /// The granting side's Allow statements in force (indices into the statements).
    pub granting: Vec<usize>,
    /// Why the candidate can only be possible, when it can.
    pub reason: Option<String>,
}

/// The difference a template's candidates make: the first one the evaluator confirms, else a
/// possible one with the first candidate's reason.
#[allow(clippy::too_many_arguments)]
pub(super) fn decide(
    sides: &Sides<'_>,
    statements: &[Stmt<'_>],
    name: &str,
    action: Option<&Action>,
    template: &TemplateSpec<'_>,
    templates: &[TemplateSpec<'_>],
    candidates: &[Candidate],
    granting: &[usize],
    patterns: Vec<String>,
) -> Option<Difference> {
    let granting_places: Vec<StatementPlace> = granting
        .iter()
        .filter_map(|&i| statements.get(i))
        .filter_map(|s| super::place(sides.grant, s.data.policy, s.data.index))
        .collect();
    candidates.first()?;
    let mut fallback: Option<(Option<Witness>, String)> = None;
    for candidate in candidates {
        if let Some(reason) = &candidate.reason {
            fallback.get_or_insert_with(|| (None, reason.clone()));
            continue;
        }
        let context = context_of(candidate);
        let built = match action {
            Some(action) => {
                build_request(statements, action, template, templates, candidate, &context)
            }
            None => Ok(Built::Unknown {
                action: name.to_string(),
                arn: candidate.arn.clone(),
                context: context.clone(),
            }),
        };
        let built = match built {
            Ok(built) => built,
            Err(reason) => {
                fallback.get_or_insert((None, reason));
                continue;
            }
        };
        match built.check(sides) {
            Ok((witness, granted, denied)) => {
                let mut responsible = places(sides.grant, &granted, Some(Decision::Allow));
                for place in &granting_places {
                    if !responsible.contains(place) {
                        responsible.push(place.clone());
                    }
                }
                return Some(Difference {
                    certainty: Certainty::Exact,
                    template: template.text.clone(),
                    patterns,
                    conditions_only: conditions_only(sides, statements, name, &witness, &denied),
                    statements: responsible,
                    denied_by: places(sides.other, &denied, Some(Decision::ExplicitDeny)),
                    witness: Some(witness),
                    reason: None,
                });
            }
            Err(failed) => {
                let (witness, reason) = *failed;
                fallback.get_or_insert((Some(witness), reason));
            }
        }
    }
    let (witness, reason) = fallback.unwrap_or((None, "no request could be built".into()));
    Some(Difference {
        certainty: Certainty::Possible,
        template: template.text.clone(),
        patterns,
        witness,
        statements: granting_places,
        denied_by: Vec::new(),
        conditions_only: Vec::new(),
        reason: Some(reason),
    })
}

/// A request ready for the evaluator.
enum Built {
    /// A catalog action: the whole request, resolved by the evaluator.
    Catalog(Request),
    /// An action outside the catalog: its name, one ARN and the context, for the evaluator's
    /// core (nothing resolves such a name).
    Unknown {
        action: String,
        arn: String,
        context: ContextMap,
    },
}

type Checked = (Witness, Evaluation, Evaluation);

impl Built {
    /// Both sides' decisions: the witness and both evaluations when the granting side allows
    /// and the other side denies, else the witness and what went otherwise.
    fn check(&self, sides: &Sides<'_>) -> Result<Checked, Box<(Witness, String)>> {
        let (witness, granted, denied) = match self {
            Built::Catalog(request) => {
                let resolved =
                    crate::resolve::resolve_with(sides.catalog, request).map_err(|error| {
                        Box::new((
                            witness_of(request, Vec::new()),
                            format!("the request built around the ARN cannot be resolved: {error}"),
                        ))
                    })?;
                let arns: Vec<String> = resolved.arns();
                let witness = witness_of(request, arns);
                let evaluate =
                    |set: &PolicySet| crate::eval::evaluate_with(sides.catalog, set, request);
                match (evaluate(sides.grant), evaluate(sides.other)) {
                    (Ok(granted), Ok(denied)) => (witness, granted, denied),
                    (Err(error), _) | (_, Err(error)) => {
                        return Err(Box::new((
                            witness,
                            format!(
                                "the evaluator refuses the request built around the ARN: {error}"
                            ),
                        )))
                    }
                }
            }
            Built::Unknown {
                action,
                arn,
                context,
            } => {
                let evaluate = |set: &PolicySet| {
                    crate::eval::reference::evaluate(set, action, &[arn.as_str()], context)
                };
                let witness = Witness {
                    action: action.clone(),
                    account: None,
                    region: None,
                    params: Default::default(),
                    context: context.clone(),
                    arns: vec![arn.clone()],
                };
                (witness, evaluate(sides.grant), evaluate(sides.other))
            }
        };
        let denies = matches!(
            denied.decision,
            Decision::ExplicitDeny | Decision::ImplicitDeny
        );
        if granted.decision == Decision::Allow && denies {
            return Ok((witness, granted, denied));
        }
        let why = |evaluation: &Evaluation| {
            let mut text = evaluation.decision.name().to_string();
            if let Some(reason) = &evaluation.depends_on_authorization {
                text.push_str(&format!(" ({reason})"));
            } else if !evaluation.unknown_context_keys.is_empty() {
                text.push_str(&format!(
                    " (it depends on {}, which RAM sets from facts a request does not carry)",
                    evaluation
                        .unknown_context_keys
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            text
        };
        Err(Box::new((
            witness,
            format!(
                "the evaluator decides the request built around the ARN {} on the allowing side and {} on the other",
                why(&granted),
                why(&denied)
            ),
        )))
    }
}

fn witness_of(request: &Request, arns: Vec<String>) -> Witness {
    Witness {
        action: request.action.clone(),
        account: request.account.clone(),
        region: request.region.clone(),
        params: request
            .params
            .iter()
            .map(|(name, value)| (name.clone(), value.values().join(",")))
            .collect(),
        context: request.context.clone(),
        arns,
    }
}

/// The request around a catalog action's ARN: its variables become the account, the region and
/// parameters; every other resource RAM requires gets an ARN the granting side allows.
fn build_request(
    statements: &[Stmt<'_>],
    action: &Action,
    template: &TemplateSpec<'_>,
    templates: &[TemplateSpec<'_>],
    candidate: &Candidate,
    context: &ContextMap,
) -> Result<Built, String> {
    let mut request = Request::new(action.qualified_name());
    request.context = context.clone();
    let Some((chosen, resource)) = template.resource else {
        // Authorized on `*`: nothing to bind.
        return Ok(Built::Catalog(request));
    };
    let values = bind_arn(resource, &candidate.arn).ok_or_else(|| {
        format!(
            "`{}` cannot be read back as `{}`",
            candidate.arn, template.text
        )
    })?;
    apply(&mut request, resource, &values);
    // Statements of the granting side in force under this context.
    let in_force = |effect: Effect| -> Nfa {
        let nfas: Vec<&Nfa> = statements
            .iter()
            .filter(|s| s.side == Side::Grant && s.data.effect == effect)
            .filter(|s| action_applies(s.data, action.qualified_name()))
            .filter(|s| s.data.condition.evaluate(context, &mut Vec::new()).is_ok())
            .map(|s| &s.resources)
            .collect();
        Nfa::union(nfas)
    };
    let (allow, deny) = (in_force(Effect::Allow), in_force(Effect::Deny));
    for other in templates {
        let Some((index, resource)) = other.resource else {
            continue;
        };
        if index == chosen || resource.entry().optional {
            continue;
        }
        let skipped = resource
            .entry()
            .unless_params
            .iter()
            .any(|name| given(&request, name));
        if skipped {
            continue;
        }
        let fixed = fixed_values(&request, resource);
        let nfa = template_nfa(resource, &fixed);
        let arn = find(&[(&nfa, Want::Accept), (&allow, Want::Accept), (&deny, Want::Reject)], 100_000)
            .ok()
            .flatten()
            .ok_or_else(|| {
                format!(
                    "RAM also checks `{}` for the action, and no ARN of it that the allowing side allows was found with the same account and region",
                    resource.template().as_str()
                )
            })?;
        let values =
            bind_arn(resource, &arn).ok_or_else(|| format!("`{arn}` cannot be read back"))?;
        apply(&mut request, resource, &values);
    }
    Ok(Built::Catalog(request))
}

/// Whether a parameter (`Name` or `Name.N`) is given in some shape.
fn given(request: &Request, name: &str) -> bool {
    let stem = name.split(".N").next().unwrap_or(name);
    request
        .params
        .keys()
        .any(|key| key == stem || key.starts_with(&format!("{stem}.")))
}

/// The variables of a resource whose values the request already fixes.
fn fixed_values(request: &Request, resource: &Resource) -> FxHashMap<String, String> {
    let mut fixed = FxHashMap::default();
    for (name, binding) in &resource.entry().bindings {
        let value = match binding {
            Binding::Region { param: None } => request.region.clone(),
            Binding::Region { param: Some(param) } => {
                request.param(param).map(|v| v.values().join(","))
            }
            Binding::Account => request.account.clone(),
            Binding::Param { params } => params
                .first()
                .and_then(|source| request.param(&param_name(&source.name)))
                .map(read_back),
            Binding::ResourceType { .. } => None,
        };
        if let Some(value) = value {
            fixed.insert(name.clone(), value);
        }
    }
    fixed
}

/// The single value written by [`apply`], read back.
fn read_back(value: &ParamValue) -> String {
    let text = value.values().join(",");
    serde_json::from_str::<Vec<String>>(&text)
        .ok()
        .and_then(|list| list.into_iter().next())
        .unwrap_or(text)
}

/// The first item's name of a parameter (`SecurityGroupIds.N` → `SecurityGroupIds.1`).
fn param_name(name: &str) -> String {
    name.replacen(".N", ".1", 1)
}

/// Puts a resource's variable values into the request.
fn apply(request: &mut Request, resource: &Resource, values: &FxHashMap<String, String>) {
    for (variable, value) in values {
        let Some(binding) = resource.entry().bindings.get(variable) else {
            continue;
        };
        match binding {
            Binding::Region { param: None } => request.region = Some(value.clone()),
            Binding::Region { param: Some(param) } => {
                request
                    .params
                    .insert(param.clone(), ParamValue::One(value.clone()));
            }
            Binding::Account => request.account = Some(value.clone()),
            Binding::Param { params } => {
                if let Some(source) = params.first() {
                    let written = match source.arity {
                        Arity::JsonArray => serde_json::to_string(&[value]).unwrap_or_default(),
                        Arity::Single | Arity::Repeat | Arity::CommaList => value.clone(),
                    };
                    request
                        .params
                        .insert(param_name(&source.name), ParamValue::One(written));
                }
            }
            Binding::ResourceType {
                param,
                values: words,
            } => {
                if let Some((given, _)) = words.iter().find(|(_, word)| *word == value) {
                    request
                        .params
                        .insert(param.clone(), ParamValue::One(given.clone()));
                }
            }
        }
    }
}

/// Reads an ARN back as the template's variable values (`None` if it is not one of its ARNs).
pub(super) fn bind_arn(resource: &Resource, arn: &str) -> Option<FxHashMap<String, String>> {
    let segments = resource.template().segments();
    let mut values = FxHashMap::default();
    bind_from(resource, segments, arn, &mut values).then_some(values)
}

fn bind_from(
    resource: &Resource,
    segments: &[Segment],
    text: &str,
    values: &mut FxHashMap<String, String>,
) -> bool {
    let Some((first, rest)) = segments.split_first() else {
        return text.is_empty();
    };
    match first {
        Segment::Literal(literal) => text
            .strip_prefix(literal.as_str())
            .is_some_and(|after| bind_from(resource, rest, after, values)),
        Segment::Variable(name) => {
            let binding = resource.entry().bindings.get(name);
            // Variable values never hold `:`, so the value ends before the next one.
            let ends: Vec<usize> = text
                .char_indices()
                .map(|(index, c)| index + c.len_utf8())
                .collect();
            for end in ends {
                let (value, after) = (
                    text.get(..end).unwrap_or_default(),
                    text.get(end..).unwrap_or_default(),
                );
                if !super::search::variable_accepts(binding, value) {
                    continue;
                }
                if let Some(previous) = values.get(name) {
                    if previous != value {
                        continue;
                    }
                }
                let mut trial = values.clone();
                trial.insert(name.clone(), value.to_string());
                if bind_from(resource, rest, after, &mut trial) {
                    *values = trial;
                    return true;
                }
            }
            false
        }
    }
}

/// The statements of an evaluation that decided it as `decision`, as places.
fn places(
    set: &PolicySet,
    evaluation: &Evaluation,
    decision: Option<Decision>,
) -> Vec<StatementPlace> {
    let mut out: Vec<StatementPlace> = Vec::new();
    for resource in &evaluation.resources {
        if decision.is_some_and(|d| d != resource.decision) {
            continue;
        }
        for reference in &resource.statements {
            if let Some(place) = place_of(set, reference) {
                if !out.contains(&place) {
                    out.push(place);
                }
            }
        }
    }
    out
}

/// When the other side's statements cover the action and every ARN of the witness and only
/// conditions keep them from allowing it (or a conditional `Deny` denies it): the condition
/// keys of the statements involved and the witness's values.
fn conditions_only(
    sides: &Sides<'_>,
    statements: &[Stmt<'_>],
    name: &str,
    witness: &Witness,
    denied: &Evaluation,
) -> Vec<ConditionSetting> {
    let covering = statements.iter().any(|s| {
        s.side == Side::Other
            && s.data.effect == Effect::Allow
            && !s.data.condition.is_empty()
            && action_applies(s.data, name)
            && witness
                .arns
                .iter()
                .all(|arn| s.data.resources.iter().any(|p| reference_match(p, arn)))
    });
    let conditional_deny = denied.decision == Decision::ExplicitDeny
        && denied
            .resources
            .iter()
            .flat_map(|r| r.statements)
            .all(|reference| {
                statements.iter().any(|s| {
                    s.side == Side::Other
                        && s.data.index == reference.statement
                        && sides
                            .other
                            .policies
                            .get(s.data.policy)
                            .is_some_and(|p| p.name == reference.policy)
                        && s.data.effect == Effect::Deny
                        && !s.data.condition.is_empty()
                })
            });
    if !covering && !conditional_deny {
        return Vec::new();
    }
    let mut keys: Vec<String> = statements
        .iter()
        .filter(|s| action_applies(s.data, name))
        .flat_map(|s| s.data.condition.entries.iter().map(|e| e.key.clone()))
        .collect();
    crate::sort::sort(&mut keys);
    keys.dedup();
    keys.into_iter()
        .map(|key| ConditionSetting {
            values: witness.context.get(&key).cloned(),
            key,
        })
        .collect()
}

/// The ARN of a resource with these variable values.
fn render(resource: &Resource, values: &FxHashMap<String, String>) -> String {
    crate::resolve::render_with(resource, |name| values.get(name).map(String::as_str))
}

/// The ARN with a familiar region and a 16-digit account where `still` accepts them: the
/// search finds the shortest ARN, which is correct but reads oddly (`cn-fuzhou`, account `1`).
pub(super) fn familiar(resource: &Resource, arn: String, still: impl Fn(&str) -> bool) -> String {
    let Some(mut values) = bind_arn(resource, &arn) else {
        return arn;
    };
    let mut best = arn;
    for (name, binding) in &resource.entry().bindings {
        let preferred = match binding {
            Binding::Region { .. } => "cn-hangzhou",
            Binding::Account => "1234567890123456",
            _ => continue,
        };
        let Some(previous) = values.insert(name.clone(), preferred.to_string()) else {
            continue;
        };
        let candidate = render(resource, &values);
        if still(&candidate) {
            best = candidate;
        } else {
            values.insert(name.clone(), previous);
        }
    }
    best
}
