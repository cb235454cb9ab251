//! From per-action grants to policy documents: grouping, widening, fitting, splitting.
//!
//! - **Exact grants**: each action with exactly the ARNs its calls resolved to (and its
//!   conditions).
//! - **Grouping** (`by_action`, the default): one statement per distinct (resource set,
//!   condition); its actions are the actions needing exactly that set. Under size pressure the
//!   other exact grouping is tried too (`by_resource`: one statement per distinct set of actions
//!   sharing ARNs, so that every ARN is written once); the smaller wins. Both grant exactly the
//!   same (action, ARN) pairs.
//! - **Widening ladder**: first every id group — ARNs `acs:<service>:<region>:<account>:<type>/<id>`
//!   sharing service, region, account and type — becomes `<type>/*`, the groups with the most
//!   ids first (they are the least specific already); then every region group — patterns sharing
//!   service, account and resource — gets region `*`, the groups spanning most regions first.
//!   `--generalize ids` applies every id step, `regions` every step; size pressure applies the
//!   fewest further steps (found by bisection over the ladder) after which the policy fits.
//! - **Splitting**: when even the fully widened policy does not fit, statements (split by
//!   resources, then by actions, when one alone is too large) are packed first-fit-decreasing
//!   into policies.
//!
//! Sizes are characters of the compact JSON (no insignificant whitespace), the count lint's
//! `POLICY_SIZE_EXCEEDS_QUOTA` uses.

use super::{Generalize, GenerateError, DETAIL_LIMIT};
use crate::arn::Arn;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// `operator → key → values`, all sorted.
pub type Condition = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// One action with the resources and condition it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub action: String,
    /// Sorted, distinct.
    pub resources: Vec<String>,
    pub condition: Condition,
}

/// One `Allow` statement of a generated policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Statement {
    #[serde(rename = "Effect")]
    effect: Effect,
    /// Sorted.
    #[serde(rename = "Action")]
    pub actions: Vec<String>,
    /// Sorted.
    #[serde(rename = "Resource")]
    pub resources: Vec<String>,
    #[serde(rename = "Condition", skip_serializing_if = "BTreeMap::is_empty")]
    pub condition: Condition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
enum Effect {
    Allow,
}

impl Statement {
    fn new(actions: Vec<String>, resources: Vec<String>, condition: Condition) -> Self {
        Statement {
            effect: Effect::Allow,
            actions,
            resources,
            condition,
        }
    }

    /// Characters of the statement's compact JSON.
    pub fn size(&self) -> usize {
        serde_json::to_string(self).map_or(0, |text| text.chars().count())
    }
}

#[derive(Serialize)]
struct Document<'s> {
    #[serde(rename = "Version")]
    version: &'static str,
    #[serde(rename = "Statement")]
    statement: &'s [Statement],
}

/// `{"Version":"1","Statement":[` and `]}`.
const DOCUMENT_OVERHEAD: usize = 30;

/// Characters of a policy's compact JSON: what `--max-size` limits.
pub fn policy_size(statements: &[Statement]) -> usize {
    size_of(statements.iter().map(Statement::size))
}

fn size_of(sizes: impl Iterator<Item = usize>) -> usize {
    let mut total = DOCUMENT_OVERHEAD;
    for (index, size) in sizes.enumerate() {
        total += size + usize::from(index > 0);
    }
    total
}

/// The policy, pretty-printed (two-space indent, members in grammar order), with a final newline.
pub fn render(statements: &[Statement]) -> String {
    let document = Document {
        version: "1",
        statement: statements,
    };
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// The policy as a JSON value.
pub fn to_value(statements: &[Statement]) -> serde_json::Value {
    serde_json::to_value(Document {
        version: "1",
        statement: statements,
    })
    .unwrap_or_default()
}

/// What a widening replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum WideningKind {
    /// Ids of one type in one region and account → `<type>/*`.
    Ids,
    /// Regions → `*`.
    Regions,
}

/// One widening, as the summary lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Widening {
    pub kind: WideningKind,
    /// `generalize` (asked by `--generalize`) or `size` (to fit `--max-size`).
    pub reason: &'static str,
    /// The pattern written instead.
    pub to: String,
    /// How many distinct ARNs (or patterns) it replaces.
    pub replaces: usize,
    /// The first [`DETAIL_LIMIT`] of them, sorted.
    pub from: Vec<String>,
    /// The actions whose resources changed.
    pub actions: Vec<String>,
}

impl Widening {
    /// One line for the text summary.
    pub fn describe(&self) -> String {
        let shown: Vec<String> = self
            .from
            .iter()
            .take(3)
            .map(|arn| format!("`{arn}`"))
            .collect();
        let more = if self.replaces > shown.len() {
            format!(" and {} more", self.replaces - shown.len())
        } else {
            String::new()
        };
        format!(
            "`{}` replaces {} for {}: {}{more}",
            self.to,
            crate::text::plural(self.replaces, "resource", "resources"),
            self.actions.join(", "),
            shown.join(", ")
        )
    }
}

/// The fitted policies, with what was done to them.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub policies: Vec<Vec<Statement>>,
    pub widenings: Vec<Widening>,
    /// `by_action` or `by_resource`.
    pub layout: &'static str,
}

/// An id group: service, region, account, resource type.
type IdKey = (String, String, String, String);
/// A region group: service, account, resource.
type RegionKey = (String, String, String);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Ids(IdKey),
    Regions(RegionKey),
}

/// The state of the ladder: which groups are widened.
#[derive(Debug, Default)]
struct Applied {
    ids: HashSet<IdKey>,
    regions: HashSet<RegionKey>,
}

impl Applied {
    fn new(steps: &[Step]) -> Self {
        let mut applied = Applied::default();
        for step in steps {
            match step {
                Step::Ids(key) => {
                    applied.ids.insert(key.clone());
                }
                Step::Regions(key) => {
                    applied.regions.insert(key.clone());
                }
            }
        }
        applied
    }

    fn widen(&self, arn: &str) -> String {
        let Ok(parsed) = arn.parse::<Arn>() else {
            return arn.to_string();
        };
        let mut resource = parsed.resource().to_string();
        if let Some((kind, id)) = parsed.resource().split_once('/') {
            if id != "*" && !self.ids.is_empty() {
                let key = id_key(&parsed, kind);
                if self.ids.contains(&key) {
                    resource = format!("{kind}/*");
                }
            }
        }
        let mut region = parsed.region();
        if !region.is_empty() && region != "*" && !self.regions.is_empty() {
            let key = (
                parsed.service().to_string(),
                parsed.account().to_string(),
                resource.clone(),
            );
            if self.regions.contains(&key) {
                region = "*";
            }
        }
        format!(
            "acs:{}:{region}:{}:{resource}",
            parsed.service(),
            parsed.account()
        )
    }

    fn apply(&self, grants: &[Grant]) -> Vec<Grant> {
        if self.ids.is_empty() && self.regions.is_empty() {
            return grants.to_vec();
        }
        let mut cache: HashMap<&str, String> = HashMap::new();
        grants
            .iter()
            .map(|grant| {
                // Inserted one by one: `collect()` would sort first, with a stable sort
                // instantiated for this type alone (`crate::sort` says why that matters on
                // WebAssembly).
                let mut resources = BTreeSet::new();
                for arn in &grant.resources {
                    resources.insert(
                        cache
                            .entry(arn.as_str())
                            .or_insert_with(|| self.widen(arn))
                            .clone(),
                    );
                }
                Grant {
                    action: grant.action.clone(),
                    resources: resources.into_iter().collect(),
                    condition: grant.condition.clone(),
                }
            })
            .collect()
    }
}

fn id_key(arn: &Arn, kind: &str) -> IdKey {
    (
        arn.service().to_string(),
        arn.region().to_string(),
        arn.account().to_string(),
        kind.to_string(),
    )
}

/// The id steps, least specific (most ids) first, then the region steps on the id-widened ARNs.
fn ladder(grants: &[Grant]) -> (Vec<Step>, usize) {
    let mut id_groups: BTreeMap<IdKey, BTreeSet<&str>> = BTreeMap::new();
    for grant in grants {
        for arn in &grant.resources {
            let Ok(parsed) = arn.parse::<Arn>() else {
                continue;
            };
            if let Some((kind, id)) = parsed.resource().split_once('/') {
                if id != "*" {
                    id_groups
                        .entry(id_key(&parsed, kind))
                        .or_default()
                        .insert(arn.as_str());
                }
            }
        }
    }
    let mut id_steps: Vec<(usize, IdKey)> = id_groups
        .into_iter()
        .map(|(key, arns)| (arns.len(), key))
        .collect();
    crate::sort::sort_by(&mut id_steps, |a, b| {
        b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
    });
    let mut steps: Vec<Step> = id_steps
        .into_iter()
        .map(|(_, key)| Step::Ids(key))
        .collect();
    let id_count = steps.len();
    let widened = Applied::new(&steps).apply(grants);
    let mut region_groups: BTreeMap<RegionKey, BTreeSet<String>> = BTreeMap::new();
    for grant in &widened {
        for arn in &grant.resources {
            let Ok(parsed) = arn.parse::<Arn>() else {
                continue;
            };
            if !parsed.region().is_empty() && parsed.region() != "*" {
                region_groups
                    .entry((
                        parsed.service().to_string(),
                        parsed.account().to_string(),
                        parsed.resource().to_string(),
                    ))
                    .or_default()
                    .insert(parsed.region().to_string());
            }
        }
    }
    let mut region_steps: Vec<(usize, RegionKey)> = region_groups
        .into_iter()
        .map(|(key, regions)| (regions.len(), key))
        .collect();
    crate::sort::sort_by(&mut region_steps, |a, b| {
        b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
    });
    steps.extend(region_steps.into_iter().map(|(_, key)| Step::Regions(key)));
    (steps, id_count)
}

/// One statement per distinct (resources, condition).
fn by_action(grants: &[Grant]) -> Vec<Statement> {
    let mut groups: BTreeMap<(&[String], &Condition), Vec<String>> = BTreeMap::new();
    for grant in grants {
        groups
            .entry((&grant.resources, &grant.condition))
            .or_default()
            .push(grant.action.clone());
    }
    let mut statements: Vec<Statement> = groups
        .into_iter()
        .map(|((resources, condition), mut actions)| {
            crate::sort::sort(&mut actions);
            Statement::new(actions, resources.to_vec(), condition.clone())
        })
        .collect();
    crate::sort::sort(&mut statements);
    statements
}

/// One statement per distinct (set of actions sharing an ARN, condition): every ARN once per
/// condition.
fn by_resource(grants: &[Grant]) -> Vec<Statement> {
    let mut per_condition: BTreeMap<&Condition, BTreeMap<&str, Vec<&str>>> = BTreeMap::new();
    for grant in grants {
        let arns = per_condition.entry(&grant.condition).or_default();
        for arn in &grant.resources {
            arns.entry(arn.as_str())
                .or_default()
                .push(grant.action.as_str());
        }
    }
    let mut statements = Vec::new();
    for (condition, arns) in per_condition {
        let mut groups: BTreeMap<Vec<&str>, Vec<String>> = BTreeMap::new();
        for (arn, mut actions) in arns {
            crate::sort::sort_unstable(&mut actions);
            actions.dedup();
            groups.entry(actions).or_default().push(arn.to_string());
        }
        for (actions, resources) in groups {
            statements.push(Statement::new(
                actions.into_iter().map(str::to_string).collect(),
                resources,
                condition.clone(),
            ));
        }
    }
    crate::sort::sort(&mut statements);
    statements
}

/// The exact layout to use: `by_action` when it fits, else the smaller of the two.
fn best_layout(grants: &[Grant], max_size: usize) -> (Vec<Statement>, &'static str, usize) {
    let actions = by_action(grants);
    let action_size = policy_size(&actions);
    if action_size <= max_size {
        return (actions, "by_action", action_size);
    }
    let resources = by_resource(grants);
    let resource_size = policy_size(&resources);
    if resource_size < action_size {
        (resources, "by_resource", resource_size)
    } else {
        (actions, "by_action", action_size)
    }
}

/// The widenings of `steps`, computed in one pass over the grants: an id step replaces the ARNs
/// of its group; a region step (the ladder puts them after every id step) replaces the
/// id-widened patterns of its group.
fn describe_steps(steps: &[Step], reason: &'static str, grants: &[Grant], out: &mut Vec<Widening>) {
    if steps.is_empty() {
        return;
    }
    type Seen<'g> = (BTreeSet<String>, BTreeSet<&'g str>);
    let mut by_id: HashMap<&IdKey, Seen> = HashMap::new();
    let mut by_region: HashMap<&RegionKey, Seen> = HashMap::new();
    for step in steps {
        match step {
            Step::Ids(key) => {
                by_id.insert(key, Seen::default());
            }
            Step::Regions(key) => {
                by_region.insert(key, Seen::default());
            }
        }
    }
    for grant in grants {
        for arn in &grant.resources {
            let Ok(parsed) = arn.parse::<Arn>() else {
                continue;
            };
            let mut resource = parsed.resource().to_string();
            if let Some((kind, id)) = parsed.resource().split_once('/') {
                if id != "*" {
                    let key = id_key(&parsed, kind);
                    if let Some((from, actions)) = by_id.get_mut(&key) {
                        from.insert(arn.clone());
                        actions.insert(grant.action.as_str());
                    }
                    resource = format!("{kind}/*");
                }
            }
            if by_region.is_empty() || parsed.region().is_empty() || parsed.region() == "*" {
                continue;
            }
            let key = (
                parsed.service().to_string(),
                parsed.account().to_string(),
                resource.clone(),
            );
            if let Some((from, actions)) = by_region.get_mut(&key) {
                from.insert(format!(
                    "acs:{}:{}:{}:{resource}",
                    parsed.service(),
                    parsed.region(),
                    parsed.account()
                ));
                actions.insert(grant.action.as_str());
            }
        }
    }
    for step in steps {
        let (kind, to, seen) = match step {
            Step::Ids(key) => {
                let (service, region, account, kind) = key;
                (
                    WideningKind::Ids,
                    format!("acs:{service}:{region}:{account}:{kind}/*"),
                    by_id.get(key),
                )
            }
            Step::Regions(key) => {
                let (service, account, resource) = key;
                (
                    WideningKind::Regions,
                    format!("acs:{service}:*:{account}:{resource}"),
                    by_region.get(key),
                )
            }
        };
        let Some((from, actions)) = seen else {
            continue;
        };
        out.push(Widening {
            kind,
            reason,
            to,
            replaces: from.len(),
            from: from.iter().take(DETAIL_LIMIT).cloned().collect(),
            actions: actions.iter().map(|s| s.to_string()).collect(),
        });
    }
}

/// Grants → policies: `--generalize`, then the fewest widenings that fit `max_size`, then a
/// split (when `split`). On failure, the error and the widenings tried.
pub fn fit(
    grants: Vec<Grant>,
    generalize: Generalize,
    max_size: usize,
    split: bool,
) -> Result<Fitted, (GenerateError, Vec<Widening>)> {
    let (steps, id_count) = ladder(&grants);
    let start = match generalize {
        Generalize::None => 0,
        Generalize::Ids => id_count,
        Generalize::Regions => steps.len(),
    };
    let fits = |count: usize| -> (bool, Vec<Statement>, &'static str) {
        let applied = Applied::new(steps.get(..count).unwrap_or(&steps));
        let (statements, layout, size) = best_layout(&applied.apply(&grants), max_size);
        (size <= max_size, statements, layout)
    };
    let (ok, statements, layout) = fits(start);
    let mut chosen = (start, statements, layout);
    if !ok {
        let (ok_all, statements_all, layout_all) = fits(steps.len());
        if ok_all {
            // Bisection for the fewest further steps that fit.
            let (mut low, mut high) = (start, steps.len());
            let mut best = (steps.len(), statements_all, layout_all);
            while high - low > 1 {
                let middle = low + (high - low) / 2;
                let (ok_middle, statements_middle, layout_middle) = fits(middle);
                if ok_middle {
                    high = middle;
                    best = (middle, statements_middle, layout_middle);
                } else {
                    low = middle;
                }
            }
            chosen = best;
        } else {
            chosen = (steps.len(), statements_all, layout_all);
        }
    }
    let (count, statements, layout) = chosen;
    let mut widenings = Vec::new();
    describe_steps(
        steps.get(..start).unwrap_or_default(),
        "generalize",
        &grants,
        &mut widenings,
    );
    describe_steps(
        steps.get(start..count).unwrap_or_default(),
        "size",
        &grants,
        &mut widenings,
    );
    let size = policy_size(&statements);
    if size <= max_size {
        return Ok(Fitted {
            policies: vec![statements],
            widenings,
            layout,
        });
    }
    let policies = match split_policies(&statements, max_size) {
        Ok(policies) => policies,
        Err(error) => return Err((error, widenings)),
    };
    if !split {
        return Err((
            GenerateError::TooLarge {
                size,
                limit: max_size,
                policies: policies.len(),
            },
            widenings,
        ));
    }
    Ok(Fitted {
        policies,
        widenings,
        layout,
    })
}

/// Splits statements into pieces that each fit alone, then packs them first-fit-decreasing.
fn split_policies(
    statements: &[Statement],
    max_size: usize,
) -> Result<Vec<Vec<Statement>>, GenerateError> {
    let room = max_size.saturating_sub(DOCUMENT_OVERHEAD);
    let mut pieces: Vec<(usize, Statement)> = Vec::new();
    for statement in statements {
        let size = statement.size();
        if size <= room {
            pieces.push((size, statement.clone()));
            continue;
        }
        for piece in split_statement(statement, room)? {
            pieces.push((piece.size(), piece));
        }
    }
    crate::sort::sort_by(&mut pieces, |a, b| {
        b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
    });
    let mut bins: Vec<(usize, Vec<Statement>)> = Vec::new();
    for (size, piece) in pieces {
        let slot = bins
            .iter_mut()
            .find(|(used, items)| used + size + usize::from(!items.is_empty()) <= room);
        match slot {
            Some((used, items)) => {
                *used += size + usize::from(!items.is_empty());
                items.push(piece);
            }
            None => bins.push((size, vec![piece])),
        }
    }
    let mut policies: Vec<Vec<Statement>> = bins
        .into_iter()
        .map(|(_, mut items)| {
            crate::sort::sort(&mut items);
            items
        })
        .collect();
    crate::sort::sort(&mut policies);
    Ok(policies)
}

/// A statement too large alone → pieces with fewer actions, then fewer resources.
fn split_statement(statement: &Statement, room: usize) -> Result<Vec<Statement>, GenerateError> {
    let longest = statement
        .resources
        .iter()
        .max_by_key(|arn| arn.len())
        .cloned()
        .unwrap_or_default();
    // Action chunks such that each fits with the longest resource.
    let mut action_chunks: Vec<Vec<String>> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for action in &statement.actions {
        let mut candidate = current.clone();
        candidate.push(action.clone());
        let probe = Statement::new(
            candidate.clone(),
            vec![longest.clone()],
            statement.condition.clone(),
        );
        if probe.size() <= room {
            current = candidate;
            continue;
        }
        if current.is_empty() {
            return Err(GenerateError::CannotFit {
                action: action.clone(),
                resource: longest,
                size: probe.size() + DOCUMENT_OVERHEAD,
                limit: room + DOCUMENT_OVERHEAD,
            });
        }
        action_chunks.push(std::mem::take(&mut current));
        current.push(action.clone());
    }
    if !current.is_empty() {
        action_chunks.push(current);
    }
    let mut pieces = Vec::new();
    for actions in action_chunks {
        let mut resources: Vec<String> = Vec::new();
        for arn in &statement.resources {
            let mut candidate = resources.clone();
            candidate.push(arn.clone());
            let probe = Statement::new(
                actions.clone(),
                candidate.clone(),
                statement.condition.clone(),
            );
            if probe.size() <= room || resources.is_empty() {
                resources = candidate;
            } else {
                pieces.push(Statement::new(
                    actions.clone(),
                    std::mem::take(&mut resources),
                    statement.condition.clone(),
                ));
                resources.push(arn.clone());
            }
        }
        if !resources.is_empty() {
            pieces.push(Statement::new(
                actions,
                resources,
                statement.condition.clone(),
            ));
        }
    }
    Ok(pieces)
}
