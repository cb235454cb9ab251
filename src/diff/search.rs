//! One direction of a diff: the requests the `grant` side allows and the `other` side denies.
//!
//! Per action, the statements of both sides that cover it; per representative context
//! ([`super::conditions`]), the statements whose conditions it meets; per ARN template, two
//! automaton searches for an ARN that the granting side allows and the other side denies:
//! 1. template ∩ (grant's Allow patterns) − (grant's Deny patterns ∪ other's Allow patterns);
//! 2. template ∩ (grant's Allow patterns) − (grant's Deny patterns) ∩ (other's Deny patterns).
//!
//! A request is allowed only when every ARN it checks is, so the other side denies a request
//! only if it denies one of its ARNs: an ARN found here is necessary, and no ARN found means no
//! request of the action is newly allowed. The witness module then builds a whole request
//! around the ARN and has the evaluator decide it.

use super::conditions::{contexts, ContextMap};
use super::witness::{self, Candidate};
use super::{ActionDiff, Certainty, Difference, Limits};
use crate::catalog::{Action, Binding, Catalog, Resource, Segment};
use crate::eval::{PolicySet, StatementData};
use crate::policy::{ActionKind, Effect};
use crate::wildcard::automaton::{
    find, meets_all, signatures, Class, LimitReached, Nfa, Piece, Want,
};
use crate::wildcard::has_wildcard;
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::rc::Rc;

/// Which side a statement is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Grant,
    Other,
}

/// A statement of either side, with its `Resource` automaton.
pub(super) struct Stmt<'s> {
    pub side: Side,
    pub data: &'s StatementData,
    pub resources: Nfa,
    /// The `Action` / `NotAction` patterns, ASCII letters lowercased once.
    pub folded: Vec<String>,
}

impl Stmt<'_> {
    /// Whether the statement's `Action` / `NotAction` covers an action name already lowercased:
    /// the evaluator's rule ([`crate::eval::reference::action_applies`]), folded once.
    pub fn applies(&self, folded_name: &str) -> bool {
        applies(self.data, &self.folded, folded_name)
    }
}

/// Whether a statement whose patterns are `folded` covers an action name already lowercased.
fn applies(data: &StatementData, folded: &[String], folded_name: &str) -> bool {
    let listed = folded
        .iter()
        .any(|pattern| crate::wildcard::reference_match(pattern, folded_name));
    listed == (data.action_kind == ActionKind::Action)
}

/// Per catalog action (in the catalog's order), the statements of a set that cover it (indices
/// into its statements), as [`applies`] decides: computed once per diff, for both directions.
/// A pattern without wildcards matches only itself, so those (most) are looked up by name.
pub(super) fn applicable_by_action(set: &PolicySet, catalog: &Catalog) -> Vec<Vec<usize>> {
    let mut literal: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    let mut wildcards: Vec<(usize, String)> = Vec::new();
    for (index, data) in set.statements.iter().enumerate() {
        for pattern in &data.actions {
            let folded = pattern.to_ascii_lowercase();
            if has_wildcard(&folded) {
                wildcards.push((index, folded));
            } else {
                literal.entry(folded).or_default().push(index);
            }
        }
    }
    let mut listed = vec![false; set.statements.len()];
    catalog
        .actions()
        .iter()
        .map(|action| {
            let name = action.qualified_name().to_ascii_lowercase();
            listed.fill(false);
            for &index in literal.get(&name).into_iter().flatten() {
                if let Some(slot) = listed.get_mut(index) {
                    *slot = true;
                }
            }
            for (index, pattern) in &wildcards {
                if let Some(slot) = listed.get_mut(*index) {
                    *slot = *slot || crate::wildcard::reference_match(pattern, &name);
                }
            }
            set.statements
                .iter()
                .zip(&listed)
                .enumerate()
                .filter(|(_, (data, &listed))| listed == (data.action_kind == ActionKind::Action))
                .map(|(index, _)| index)
                .collect()
        })
        .collect()
}

/// The ARN language of one action's resource.
#[derive(Clone)]
pub(super) struct TemplateSpec<'c> {
    /// The template as written (`*`, `any`).
    pub text: String,
    /// Shared by every action whose template has the same shape (and so its subset
    /// construction, by every search over it); built when a search first needs it.
    nfa: Rc<OnceCell<Nfa>>,
    /// The catalog resource, for catalog actions with resource-level authorization.
    pub resource: Option<(usize, &'c Resource)>,
    /// The template's shape ([`shape_key`]), numbered: what the language and the ARNs the
    /// search reports depend on (two actions may bind one template text differently).
    pub shape: usize,
}

impl TemplateSpec<'_> {
    /// The template's automaton (a catalog resource's is built here, the `*` and `any`
    /// templates are given theirs).
    pub fn nfa(&self) -> &Nfa {
        self.nfa.get_or_init(|| match self.resource {
            Some((_, resource)) => template_nfa(resource, &FxHashMap::default()),
            None => Nfa::default(),
        })
    }
}

/// What both directions of a diff share: the ARN languages of the catalog's actions (one
/// automaton per template shape), its action names, and the automata bounding the names
/// outside it.
pub(super) struct Templates<'c> {
    /// Shape key → its number and automaton.
    shapes: FxHashMap<String, (usize, Rc<OnceCell<Nfa>>)>,
    /// Per catalog action (by its index), its templates.
    by_action: FxHashMap<usize, Rc<[TemplateSpec<'c>]>>,
    /// The template of actions outside the catalog.
    any: Rc<[TemplateSpec<'c>]>,
    /// The template of catalog actions RAM authorizes on `*` only.
    star: Rc<[TemplateSpec<'c>]>,
    /// The catalog's action names, lowercased.
    known: Rc<[String]>,
    /// What the search for names outside the catalog rules out, by the literal names outside
    /// it (lowercased, in the order the statements name them).
    outside: Option<(Vec<String>, Rc<Outside>)>,
}

/// The automata that bound the names outside the catalog a wildcard may cover.
struct Outside {
    /// `service:Name`: something before and after one colon.
    shape: Nfa,
    /// The catalog's names and the literal ones (searched on their own).
    excluded: Nfa,
    /// The services the catalog covers: it lists every action of them, so no request names
    /// another one.
    covered: Nfa,
}

/// The shape numbers of the templates that are not catalog resources.
const ANY_SHAPE: usize = 0;
const STAR_SHAPE: usize = 1;

impl<'c> Templates<'c> {
    pub fn new(catalog: &Catalog) -> Self {
        Templates {
            known: catalog
                .actions()
                .iter()
                .map(|a| a.qualified_name().to_ascii_lowercase())
                .collect(),
            outside: None,
            shapes: FxHashMap::default(),
            by_action: FxHashMap::default(),
            any: Rc::from([TemplateSpec {
                text: "any".into(),
                nfa: Rc::new(OnceCell::from(Nfa::sequence(&[
                    Piece::One(Class::Any),
                    Piece::Run(Class::Any),
                ]))),
                resource: None,
                shape: ANY_SHAPE,
            }]),
            star: Rc::from([TemplateSpec {
                text: "*".into(),
                nfa: Rc::new(OnceCell::from(Nfa::literal("*"))),
                resource: None,
                shape: STAR_SHAPE,
            }]),
        }
    }

    /// The ARN languages of a catalog action (`index`: its place in the catalog's list).
    fn of(&mut self, index: usize, action: &'c Action) -> Rc<[TemplateSpec<'c>]> {
        if !action.has_resource_level_authorization() {
            return self.star.clone();
        }
        if let Some(found) = self.by_action.get(&index) {
            return found.clone();
        }
        let mut specs = Vec::new();
        for (position, resource) in action.resources().iter().enumerate() {
            let next = self.shapes.len() + 2;
            let (shape, nfa) = self
                .shapes
                .entry(shape_key(resource))
                .or_insert_with(|| (next, Rc::new(OnceCell::new())))
                .clone();
            specs.push(TemplateSpec {
                text: resource.template().as_str().to_string(),
                nfa,
                resource: Some((position, resource)),
                shape,
            });
        }
        let specs: Rc<[TemplateSpec<'c>]> = Rc::from(specs);
        self.by_action.insert(index, specs.clone());
        specs
    }

    /// The automata bounding the names outside the catalog, given the literal ones.
    fn outside(&mut self, catalog: &Catalog, folded: &[String]) -> Rc<Outside> {
        if let Some((literal, outside)) = &self.outside {
            if literal.as_slice() == folded {
                return outside.clone();
            }
        }
        let covered: Vec<Nfa> = catalog
            .services()
            .iter()
            .map(|service| Nfa::pattern(&format!("{service}:*"), true))
            .collect();
        let outside = Rc::new(Outside {
            shape: Nfa::sequence(&[
                Piece::One(Class::NotColon),
                Piece::Run(Class::NotColon),
                Piece::One(Class::Char(':')),
                Piece::One(Class::NotColon),
                Piece::Run(Class::NotColon),
            ]),
            excluded: Nfa::words(self.known.iter().chain(folded).map(String::as_str)),
            covered: Nfa::union(covered.iter()),
        });
        self.outside = Some((folded.to_vec(), outside.clone()));
        outside
    }
}

/// The requests `grant` allows and `other` denies, by action.
pub(super) fn one_direction<'c>(
    (grant, grant_applicable): (&PolicySet, &[Vec<usize>]),
    (other, other_applicable): (&PolicySet, &[Vec<usize>]),
    catalog: &'c Catalog,
    limits: Limits,
    cache: &mut Templates<'c>,
) -> Vec<ActionDiff> {
    let statements: Vec<Stmt<'_>> = grant
        .statements
        .iter()
        .map(|data| (Side::Grant, data))
        .chain(other.statements.iter().map(|data| (Side::Other, data)))
        .map(|(side, data)| Stmt {
            side,
            data,
            folded: data
                .actions
                .iter()
                .map(|p| p.to_ascii_lowercase())
                .collect(),
            resources: Nfa::union(
                data.resources
                    .iter()
                    .map(|p| Nfa::pattern(p, false))
                    .collect::<Vec<_>>()
                    .iter(),
            ),
        })
        .collect();
    if !statements
        .iter()
        .any(|s| s.side == Side::Grant && s.data.effect == Effect::Allow)
    {
        return Vec::new();
    }
    let sides = witness::Sides {
        grant,
        other,
        catalog,
    };
    let mut memo = Memo::default();
    let mut out = Vec::new();
    let offset = grant.statements.len();
    for (index, action) in catalog.actions().iter().enumerate() {
        let name = action.qualified_name();
        // What `applicable_to` gives: the statements in order, the granting side's first.
        let applicable: Vec<usize> = grant_applicable
            .get(index)
            .into_iter()
            .flatten()
            .copied()
            .chain(
                other_applicable
                    .get(index)
                    .into_iter()
                    .flatten()
                    .map(|&i| i + offset),
            )
            .collect();
        if !grants(&statements, &applicable) {
            continue;
        }
        let templates = cache.of(index, action);
        if let Some(found) = analyze(
            &sides,
            &statements,
            name,
            Some(action),
            &templates,
            &applicable,
            limits,
            &mut memo,
        ) {
            out.push(found);
        }
    }
    // Names outside the catalog: each literal one, then the rest of what wildcards cover.
    let known = cache.known.clone();
    let mut literal: Vec<String> = Vec::new();
    for statement in &statements {
        for pattern in &statement.data.actions {
            let folded = pattern.to_ascii_lowercase();
            if !has_wildcard(pattern)
                && !known.contains(&folded)
                && !literal
                    .iter()
                    .any(|seen| seen.eq_ignore_ascii_case(pattern))
            {
                literal.push(pattern.clone());
            }
        }
    }
    let any = cache.any.clone();
    for name in &literal {
        let applicable = applicable_to(&statements, name);
        if let Some(found) = analyze(
            &sides,
            &statements,
            name,
            None,
            &any,
            &applicable,
            limits,
            &mut memo,
        ) {
            out.push(found);
        }
    }
    let folded: Vec<String> = literal
        .iter()
        .map(|name| name.to_ascii_lowercase())
        .collect();
    out.extend(other_names(
        &sides,
        &statements,
        &folded,
        cache,
        limits,
        &mut memo,
    ));
    out
}

fn applicable_to(statements: &[Stmt<'_>], name: &str) -> Vec<usize> {
    let folded = name.to_ascii_lowercase();
    (0..statements.len())
        .filter(|&i| statements.get(i).is_some_and(|s| s.applies(&folded)))
        .collect()
}

/// Whether an Allow statement of the granting side is among the applicable ones.
fn grants(statements: &[Stmt<'_>], applicable: &[usize]) -> bool {
    applicable.iter().any(|&i| {
        statements
            .get(i)
            .is_some_and(|s| s.side == Side::Grant && s.data.effect == Effect::Allow)
    })
}

/// The names of services outside the catalog (and not named literally) that a wildcard or
/// `NotAction` of the granting side covers: one representative name per combination of
/// statements covering it.
fn other_names(
    sides: &witness::Sides<'_>,
    statements: &[Stmt<'_>],
    folded: &[String],
    cache: &mut Templates<'_>,
    limits: Limits,
    memo: &mut Memo,
) -> Vec<ActionDiff> {
    let open = statements.iter().any(|s| {
        s.side == Side::Grant
            && s.data.effect == Effect::Allow
            && (s.data.action_kind == ActionKind::NotAction
                || s.data.actions.iter().any(|p| has_wildcard(p)))
    });
    if !open {
        return Vec::new();
    }
    let action_nfas: Vec<Nfa> = statements
        .iter()
        .map(|s| {
            Nfa::union(
                s.data
                    .actions
                    .iter()
                    .map(|p| Nfa::pattern(p, true))
                    .collect::<Vec<_>>()
                    .iter(),
            )
        })
        .collect();
    let outside = cache.outside(sides.catalog, folded);
    let any = cache.any.clone();
    let mut parts: Vec<(&Nfa, Want)> = vec![
        (&outside.shape, Want::Accept),
        (&outside.excluded, Want::Reject),
        (&outside.covered, Want::Reject),
    ];
    parts.extend(action_nfas.iter().map(|nfa| (nfa, Want::Observe)));
    let found = match signatures(&parts, limits.states) {
        Ok(found) => found,
        Err(LimitReached) => {
            return vec![ActionDiff {
                action: "*".into(),
                in_catalog: false,
                differences: any
                    .iter()
                    .map(|template| possible(
                        template,
                        "the actions outside the catalog that wildcards cover have too many combinations to search".into(),
                    ))
                    .collect(),
            }];
        }
    };
    let mut out = Vec::new();
    for (_, name) in found {
        let applicable = applicable_to(statements, &name);
        if let Some(diff) = analyze(
            sides,
            statements,
            &name,
            None,
            &any,
            &applicable,
            limits,
            memo,
        ) {
            out.push(diff);
        }
    }
    out
}

/// What a template's automaton and the ARNs a search reports in it depend on: its text, and per
/// variable (in the bindings' order, the order [`witness::familiar`] tries them) how it is
/// bound as far as [`template_nfa`] and [`witness::familiar`] tell bindings apart. Two actions
/// whose templates have one shape share their automaton and their search results.
fn shape_key(resource: &Resource) -> String {
    let mut key = resource.template().as_str().to_string();
    for (name, binding) in &resource.entry().bindings {
        key.push('\u{1}');
        key.push_str(name);
        match binding {
            Binding::Region { .. } => key.push_str("\u{2}region"),
            Binding::Account => key.push_str("\u{2}account"),
            Binding::Param { .. } => key.push_str("\u{2}param"),
            Binding::ResourceType { values, .. } => {
                key.push_str("\u{2}type");
                for word in values.values() {
                    key.push('\u{3}');
                    key.push_str(word);
                }
            }
        }
    }
    key
}

/// A template's automaton: literals as written, a region variable one of the known regions, an
/// account digits, a resource-type variable one of its ARN words, any other variable a
/// non-empty run without `:`. Variables in `fixed` are their given value.
pub(super) fn template_nfa(resource: &Resource, fixed: &FxHashMap<String, String>) -> Nfa {
    let mut nfa = Nfa::literal("");
    for segment in resource.template().segments() {
        let part = match segment {
            Segment::Literal(text) => Nfa::literal(text),
            Segment::Variable(name) => match fixed.get(name) {
                Some(value) => Nfa::literal(value),
                None => variable_nfa(resource.entry().bindings.get(name)),
            },
        };
        nfa = nfa.then(&part);
    }
    nfa
}

/// Whether a variable's value is in [`variable_nfa`]'s language (without building it).
pub(super) fn variable_accepts(binding: Option<&Binding>, value: &str) -> bool {
    match binding {
        Some(Binding::Region { .. }) => crate::facts::REGIONS.contains(&value),
        Some(Binding::Account) => !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()),
        Some(Binding::ResourceType { values, .. }) => values.values().any(|word| word == value),
        _ => !value.is_empty() && !value.contains(':'),
    }
}

pub(super) fn variable_nfa(binding: Option<&Binding>) -> Nfa {
    match binding {
        Some(Binding::Region { .. }) => Nfa::words(crate::facts::REGIONS.iter().copied()),
        Some(Binding::Account) => {
            Nfa::sequence(&[Piece::One(Class::Digit), Piece::Run(Class::Digit)])
        }
        Some(Binding::ResourceType { values, .. }) => {
            Nfa::words(values.values().map(String::as_str))
        }
        _ => Nfa::sequence(&[Piece::One(Class::NotColon), Piece::Run(Class::NotColon)]),
    }
}

/// Search results by (template, statements that apply on each side and role), and the
/// automata the searches share (so their subset constructions are shared too).
#[derive(Default)]
pub(super) struct Memo {
    found: FxHashMap<MemoKey, Result<Option<String>, LimitReached>>,
    contributors: FxHashMap<MemoKey, (Vec<usize>, Vec<String>)>,
    plans: FxHashMap<Vec<usize>, Rc<Plan>>,
    /// The union of some statements' `Resource` automata, by their indices in order.
    unions: FxHashMap<Vec<usize>, Rc<Nfa>>,
    /// One `Resource` pattern's automaton.
    patterns: FxHashMap<String, Rc<Nfa>>,
}

/// The representative contexts of a set of applicable statements, one per distinct
/// combination of statements whose conditions they meet.
pub(super) struct Plan {
    contexts: Vec<(ContextMap, Vec<bool>)>,
    incomplete: Option<String>,
}

impl Memo {
    /// The plan of the applicable statements, computed once per distinct set (many actions
    /// share one).
    fn plan(&mut self, statements: &[Stmt<'_>], applicable: &[usize], limits: Limits) -> Rc<Plan> {
        if let Some(plan) = self.plans.get(applicable) {
            return plan.clone();
        }
        let entries: Vec<&crate::condition::ConditionEntry> = applicable
            .iter()
            .filter_map(|&i| statements.get(i))
            .flat_map(|s| s.data.condition.entries.iter())
            .collect();
        let found = contexts(&entries, limits.contexts);
        let mut plan = Plan {
            contexts: Vec::new(),
            incomplete: found.incomplete,
        };
        for context in found.list {
            let met: Vec<bool> = applicable
                .iter()
                .filter_map(|&i| statements.get(i))
                .map(|s| s.data.condition.evaluate(&context, &mut Vec::new()).is_ok())
                .collect();
            if !plan.contexts.iter().any(|(_, seen)| *seen == met) {
                plan.contexts.push((context, met));
            }
        }
        let plan = Rc::new(plan);
        self.plans.insert(applicable.to_vec(), plan.clone());
        plan
    }

    /// The union of the statements' `Resource` automata (the same automaton as a union of
    /// unions of consecutive parts of `indices`).
    fn union(&mut self, statements: &[Stmt<'_>], indices: &[usize]) -> Rc<Nfa> {
        if let Some(nfa) = self.unions.get(indices) {
            return nfa.clone();
        }
        let nfa = Rc::new(Nfa::union(
            indices
                .iter()
                .filter_map(|&i| statements.get(i))
                .map(|s| &s.resources),
        ));
        self.unions.insert(indices.to_vec(), nfa.clone());
        nfa
    }

    fn pattern(&mut self, pattern: &str) -> Rc<Nfa> {
        if let Some(nfa) = self.patterns.get(pattern) {
            return nfa.clone();
        }
        let nfa = Rc::new(Nfa::pattern(pattern, false));
        self.patterns.insert(pattern.to_string(), nfa.clone());
        nfa
    }
}

/// A template and the statements in force by role.
type MemoKey = (usize, [Vec<usize>; 4]);

/// The statements one context leaves in force, by role.
struct Roles {
    grant_allow: Vec<usize>,
    grant_deny: Vec<usize>,
    other_allow: Vec<usize>,
    other_deny: Vec<usize>,
}

impl Roles {
    fn of(statements: &[Stmt<'_>], indices: impl Iterator<Item = usize>) -> Roles {
        let mut roles = Roles {
            grant_allow: Vec::new(),
            grant_deny: Vec::new(),
            other_allow: Vec::new(),
            other_deny: Vec::new(),
        };
        for index in indices {
            let Some(s) = statements.get(index) else {
                continue;
            };
            let list = match (s.side, s.data.effect) {
                (Side::Grant, Effect::Allow) => &mut roles.grant_allow,
                (Side::Grant, Effect::Deny) => &mut roles.grant_deny,
                (Side::Other, Effect::Allow) => &mut roles.other_allow,
                (Side::Other, Effect::Deny) => &mut roles.other_deny,
            };
            list.push(index);
        }
        roles
    }

    /// The roles of the applicable statements whose conditions are met.
    fn met(statements: &[Stmt<'_>], applicable: &[usize], met: &[bool]) -> Roles {
        let indices = applicable
            .iter()
            .zip(met)
            .filter(|(_, &m)| m)
            .map(|(&i, _)| i);
        Roles::of(statements, indices)
    }

    fn key(&self) -> [Vec<usize>; 4] {
        [
            self.grant_allow.clone(),
            self.grant_deny.clone(),
            self.other_allow.clone(),
            self.other_deny.clone(),
        ]
    }
}

/// An ARN of the template the granting side allows and the other denies, under these roles.
fn search_arn(
    statements: &[Stmt<'_>],
    template: &TemplateSpec<'_>,
    roles: &Roles,
    limits: Limits,
    memo: &mut Memo,
) -> Result<Option<String>, LimitReached> {
    let key = (template.shape, roles.key());
    if let Some(found) = memo.found.get(&key) {
        return found.clone();
    }
    let allow = memo.union(statements, &roles.grant_allow);
    let found = search_within(statements, template, roles, &allow, limits, memo);
    memo.found.insert(key, found.clone());
    found
}

/// An ARN of the template within `allow` that the granting side's Denies and the other side
/// leave denied: outside its Allows, or inside its Denies.
fn search_within(
    statements: &[Stmt<'_>],
    template: &TemplateSpec<'_>,
    roles: &Roles,
    allow: &Nfa,
    limits: Limits,
    memo: &mut Memo,
) -> Result<Option<String>, LimitReached> {
    let grant_deny = memo.union(statements, &roles.grant_deny);
    let either: Vec<usize> = roles
        .grant_deny
        .iter()
        .chain(&roles.other_allow)
        .copied()
        .collect();
    let blocked = memo.union(statements, &either);
    // A search with an automaton to avoid that accepts everything finds nothing: known without
    // building the template's automaton (most actions a `*` Allow of both sides covers).
    let mut found = Ok(None);
    if !blocked.accepts_everything() {
        let first = [
            (template.nfa(), Want::Accept),
            (allow, Want::Accept),
            (&*blocked, Want::Reject),
        ];
        found =
            find(&first, limits.states).map(|arn| arn.map(|arn| familiar(template, arn, &first)));
    }
    if matches!(found, Ok(None)) && !roles.other_deny.is_empty() && !grant_deny.accepts_everything()
    {
        let denied = memo.union(statements, &roles.other_deny);
        let second = [
            (template.nfa(), Want::Accept),
            (allow, Want::Accept),
            (&*grant_deny, Want::Reject),
            (&*denied, Want::Accept),
        ];
        found =
            find(&second, limits.states).map(|arn| arn.map(|arn| familiar(template, arn, &second)));
    }
    found
}

/// The ARN with a familiar region and account where the same wants still hold.
fn familiar(template: &TemplateSpec<'_>, arn: String, parts: &[(&Nfa, Want)]) -> String {
    let Some((_, resource)) = template.resource else {
        return arn;
    };
    witness::familiar(resource, arn, |candidate| meets_all(parts, candidate))
}

/// The differences of one action.
#[allow(clippy::too_many_arguments)]
fn analyze(
    sides: &witness::Sides<'_>,
    statements: &[Stmt<'_>],
    name: &str,
    action: Option<&Action>,
    templates: &[TemplateSpec<'_>],
    applicable: &[usize],
    limits: Limits,
    memo: &mut Memo,
) -> Option<ActionDiff> {
    if !grants(statements, applicable) {
        return None;
    }
    let plan = memo.plan(statements, applicable, limits);
    // Per template: the candidates found, in context order.
    let mut candidates: Vec<Vec<Candidate>> = templates.iter().map(|_| Vec::new()).collect();
    // Per template: the granting Allow statements that alone make some difference.
    let mut contributing: Vec<Vec<usize>> = templates.iter().map(|_| Vec::new()).collect();
    let mut contributing_patterns: Vec<Vec<String>> =
        templates.iter().map(|_| Vec::new()).collect();
    let mut bounded: Vec<Option<String>> = templates.iter().map(|_| None).collect();
    for (context, met) in &plan.contexts {
        let roles = Roles::met(statements, applicable, met);
        if roles.grant_allow.is_empty() {
            continue;
        }
        for (index, template) in templates.iter().enumerate() {
            match search_arn(statements, template, &roles, limits, memo) {
                Ok(Some(arn)) => {
                    let (found, patterns) =
                        contributors(statements, template, &roles, limits, memo);
                    if let Some(all) = contributing.get_mut(index) {
                        all.extend(found);
                    }
                    if let Some(all) = contributing_patterns.get_mut(index) {
                        all.extend(patterns);
                    }
                    let Some(list) = candidates.get_mut(index) else {
                        continue;
                    };
                    if list.len() < 3 {
                        list.push(Candidate {
                            arn,
                            context: Some(context.clone()),
                            granting: roles.grant_allow.clone(),
                            reason: None,
                        });
                    }
                }
                Ok(None) => {}
                Err(LimitReached) => {
                    if let Some(slot) = bounded.get_mut(index) {
                        slot.get_or_insert_with(|| {
                            format!(
                                "the search of `{}` reached its limit of {} automaton states",
                                template.text, limits.states
                            )
                        });
                    }
                }
            }
        }
    }
    let vectors_seen: Vec<Vec<bool>> = plan.contexts.iter().map(|(_, met)| met.clone()).collect();
    if let Some(why) = &plan.incomplete {
        abstract_search(
            statements,
            templates,
            applicable,
            &vectors_seen,
            why,
            limits,
            memo,
            &mut candidates,
            &mut bounded,
        );
    }
    let mut differences = Vec::new();
    for (index, template) in templates.iter().enumerate() {
        let list = candidates.get(index).map(Vec::as_slice).unwrap_or_default();
        let mut granting = contributing.get(index).cloned().unwrap_or_default();
        let mut patterns = contributing_patterns
            .get(index)
            .cloned()
            .unwrap_or_default();
        // Candidates of the search that treats conditions as free were not refined.
        for candidate in list.iter().filter(|c| c.context.is_none()) {
            granting.extend(candidate.granting.iter().copied());
            patterns.extend(patterns_matching(statements, &candidate.granting));
        }
        crate::sort::sort_unstable(&mut granting);
        granting.dedup();
        patterns.sort();
        patterns.dedup();
        if let Some(difference) = witness::decide(
            sides, statements, name, action, template, templates, list, &granting, patterns,
        ) {
            differences.push(difference);
        } else if let Some(Some(why)) = bounded.get(index) {
            differences.push(possible(template, why.clone()));
        }
    }
    (!differences.is_empty()).then(|| ActionDiff {
        action: name.to_string(),
        in_catalog: action.is_some(),
        differences,
    })
}

/// When the representative contexts may miss a combination: every combination of the distinct
/// condition blocks met or not (identical blocks together), each searched as above; what it
/// finds beyond the contexts tried is only possible.
#[allow(clippy::too_many_arguments)]
fn abstract_search(
    statements: &[Stmt<'_>],
    templates: &[TemplateSpec<'_>],
    applicable: &[usize],
    vectors_seen: &[Vec<bool>],
    why: &str,
    limits: Limits,
    memo: &mut Memo,
    candidates: &mut [Vec<Candidate>],
    bounded: &mut [Option<String>],
) {
    let block = |s: &Stmt<'_>| -> String {
        s.data
            .condition
            .entries
            .iter()
            .map(|e| {
                format!(
                    "{}\u{1}{}\u{1}{}",
                    e.written_operator(),
                    e.key,
                    e.values.join("\u{2}")
                )
            })
            .collect::<Vec<_>>()
            .join("\u{3}")
    };
    let blocks: Vec<String> = applicable
        .iter()
        .filter_map(|&i| statements.get(i))
        .map(block)
        .collect();
    let mut distinct: Vec<&String> = blocks.iter().filter(|b| !b.is_empty()).collect();
    crate::sort::sort(&mut distinct);
    distinct.dedup();
    if distinct.len() > 12 {
        for (slot, template) in bounded.iter_mut().zip(templates) {
            slot.get_or_insert_with(|| {
                format!(
                    "{why}, and the statements of `{}` have more than 12 distinct conditions",
                    template.text
                )
            });
        }
        return;
    }
    for mask in 0u32..(1 << distinct.len()) {
        let met: Vec<bool> = blocks
            .iter()
            .map(|b| {
                b.is_empty()
                    || distinct
                        .iter()
                        .position(|d| *d == b)
                        .is_some_and(|p| mask & (1 << p) != 0)
            })
            .collect();
        if vectors_seen.contains(&met) {
            continue;
        }
        let roles = Roles::met(statements, applicable, &met);
        if roles.grant_allow.is_empty() {
            continue;
        }
        for (index, template) in templates.iter().enumerate() {
            let Some(list) = candidates.get_mut(index) else {
                continue;
            };
            if !list.is_empty() {
                continue;
            }
            match search_arn(statements, template, &roles, limits, memo) {
                Ok(Some(arn)) => list.push(Candidate {
                    arn,
                    context: None,
                    granting: roles.grant_allow.clone(),
                    reason: Some(format!("{why}; some combination of the conditions the representative values do not reach may allow it")),
                }),
                Ok(None) => {}
                Err(LimitReached) => {
                    if let Some(slot) = bounded.get_mut(index) {
                        slot.get_or_insert_with(|| format!("{why}, and the search of `{}` reached its state limit", template.text));
                    }
                }
            }
        }
    }
}

/// The granting Allow statements in force that alone, with the same other statements, make a
/// difference on the template (a limit reached counts as making one), and their `Resource`
/// patterns that alone make one.
fn contributors(
    statements: &[Stmt<'_>],
    template: &TemplateSpec<'_>,
    roles: &Roles,
    limits: Limits,
    memo: &mut Memo,
) -> (Vec<usize>, Vec<String>) {
    let key = (template.shape, roles.key());
    if let Some(found) = memo.contributors.get(&key) {
        return found.clone();
    }
    let makes = |found: Result<Option<String>, LimitReached>| !matches!(found, Ok(None));
    let chosen: Vec<usize> = if roles.grant_allow.len() == 1 {
        roles.grant_allow.clone()
    } else {
        roles
            .grant_allow
            .iter()
            .copied()
            .filter(|&one| {
                let alone = Roles {
                    grant_allow: vec![one],
                    grant_deny: roles.grant_deny.clone(),
                    other_allow: roles.other_allow.clone(),
                    other_deny: roles.other_deny.clone(),
                };
                makes(search_arn(statements, template, &alone, limits, memo))
            })
            .collect()
    };
    let mut patterns = Vec::new();
    for statement in chosen.iter().filter_map(|&i| statements.get(i)) {
        if statement.data.resources.len() == 1 {
            patterns.extend(statement.data.resources.iter().cloned());
            continue;
        }
        for pattern in &statement.data.resources {
            let alone = memo.pattern(pattern);
            if makes(search_within(
                statements, template, roles, &alone, limits, memo,
            )) {
                patterns.push(pattern.clone());
            }
        }
    }
    memo.contributors
        .insert(key, (chosen.clone(), patterns.clone()));
    (chosen, patterns)
}

/// The `Resource` patterns of statements.
pub(super) fn patterns_matching(statements: &[Stmt<'_>], indices: &[usize]) -> Vec<String> {
    let mut out: Vec<String> = indices
        .iter()
        .filter_map(|&i| statements.get(i))
        .flat_map(|s| s.data.resources.iter().cloned())
        .collect();
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// A possible difference without a witness.
pub(super) fn possible(template: &TemplateSpec<'_>, reason: String) -> Difference {
    Difference {
        certainty: Certainty::Possible,
        template: template.text.clone(),
        patterns: Vec::new(),
        witness: None,
        statements: Vec::new(),
        denied_by: Vec::new(),
        conditions_only: Vec::new(),
        reason: Some(reason),
    }
}

/// The context of a candidate, for witnesses (an empty one when the search was abstract).
pub(super) fn context_of(candidate: &Candidate) -> ContextMap {
    candidate.context.clone().unwrap_or_default()
}
