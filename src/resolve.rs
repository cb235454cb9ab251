//! Resolution: a request → the ordered list of ARNs RAM checks.
//!
//! For each resource of the action, in catalog order:
//! 1. a resource with `unless_params` is skipped when any of those parameters carries a value
//!    (the `…/*` half of a Describe-style pair is checked only when no ids are given);
//! 2. every `$variable` is bound: the region from the binding's parameter, else `RegionId`, else
//!    the request's endpoint `region`; the account from the request; parameters through
//!    [`ParamReader`], in every shape the API accepts (`Name.1`, `Name.2`, … in numeric order,
//!    arrays, JSON-array strings, structures such as `NetworkInterface.1.SecurityGroupId`, and
//!    comma lists where the catalog says so), one value each; a value in a shape it cannot read
//!    is an error naming the parameter, never skipped;
//! 3. an optional resource whose parameters are absent is skipped (and reported as skipped);
//!    a required one is an error naming the action and the parameter;
//! 4. one ARN is produced per combination of values, values in request order.
//!
//! An action without resource-level authorization resolves to the single resource `*`.
//!
//! The condition keys RAM derives from the request's parameters
//! ([`crate::condition::derived`]) are read here too, with the same [`ParamReader`]: a request
//! whose parameters those keys cannot read is refused by `resolve` with the error `eval` gives,
//! so a request that resolves always evaluates.

use crate::catalog::api::Shape;
use crate::catalog::{Action, Arity, Binding, Catalog, LookupError, Resource, Segment};
use crate::condition::derived::{self, Derivation};
use crate::request::params::{Format, Found, ParamError, ParamReader};
use crate::request::Request;
use serde::Serialize;
use std::sync::Arc;

/// The result of resolving a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolution {
    /// `ecs:<CanonicalName>`.
    pub action: String,
    /// The ARNs RAM checks, in order.
    pub resources: ResolvedResources,
    /// Catalog resources that were not checked for this request, and why.
    pub skipped: Vec<SkippedResource>,
    /// The condition keys RAM derives from the request's parameters, and those it leaves
    /// unknown (not part of the serialized resolution).
    #[serde(skip)]
    pub derivation: Derivation,
}

/// One ARN RAM checks, with where it came from, as [`ResolvedResources`] gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedResource {
    /// The ARN (or `*` for an action without resource-level authorization).
    pub arn: String,
    /// Index of the resource in the action's catalog entry (`None` for `*`).
    pub template_index: Option<usize>,
    /// The template it was made from (`*` for an action without resource-level authorization).
    pub template: Arc<str>,
    /// Where each variable's value came from.
    pub bindings: Vec<BoundVariable>,
}

/// The ARNs of a resolution in order, kept per catalog resource as its template and each
/// variable's values, once: an ARN and its bindings are made when they are read. A request
/// naming 600,000 security groups keeps their values and parameter names (about 45 bytes
/// each), not 600,000 ARNs with their bindings (about 400 bytes each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedResources {
    groups: Vec<ResourceArns>,
    len: usize,
}

/// The ARNs of one catalog resource: one per combination of its variables' values, the last
/// variable varying fastest (values in request order).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ResourceArns {
    template_index: Option<usize>,
    template: Arc<str>,
    pieces: Vec<Piece>,
    variables: Vec<VariableValues>,
    /// Per variable, how many ARNs one of its values spans (the product of the later
    /// variables' counts).
    strides: Vec<usize>,
    count: usize,
}

/// A part of an ARN template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(Box<str>),
    /// The value of the variable at this position of [`ResourceArns::variables`].
    Variable(usize),
}

/// A variable's values with their sources, in request order, as text back to back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct VariableValues {
    name: Arc<str>,
    text: String,
    /// Per value: where the value starts, where it ends (and its source starts) and where the
    /// source ends in `text`.
    spans: Vec<[u32; 3]>,
    /// The value and source of a variable with one value (the region, the account), shared by
    /// every ARN's bindings.
    single: Option<(Arc<str>, Arc<str>)>,
}

impl VariableValues {
    fn new(name: Arc<str>) -> Self {
        VariableValues {
            name,
            ..VariableValues::default()
        }
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    /// Adds a value and its source at the end of `text`, returning its span (`None` past
    /// 4 GiB of text, which no request the CLI reads reaches).
    fn append(&mut self, value: &str, source: &str) -> Option<[u32; 3]> {
        let start = u32::try_from(self.text.len()).ok()?;
        self.text.push_str(value);
        let middle = u32::try_from(self.text.len()).ok()?;
        self.text.push_str(source);
        let end = u32::try_from(self.text.len()).ok()?;
        Some([start, middle, end])
    }

    fn push(&mut self, value: &str, source: &str) -> Option<()> {
        let span = self.append(value, source)?;
        self.spans.push(span);
        Some(())
    }

    /// The value and the source at `index`.
    fn get(&self, index: usize) -> (&str, &str) {
        let Some(&[start, middle, end]) = self.spans.get(index) else {
            return ("", "");
        };
        let at = |from: u32, to: u32| self.text.get(from as usize..to as usize).unwrap_or("");
        (at(start, middle), at(middle, end))
    }
}

impl ResourceArns {
    /// The value index of each variable for the ARN at `index`.
    fn pick(&self, index: usize, variable: usize) -> usize {
        let stride = self.strides.get(variable).copied().unwrap_or(1).max(1);
        let count = self
            .variables
            .get(variable)
            .map_or(1, VariableValues::len)
            .max(1);
        (index / stride) % count
    }

    fn write_arn(&self, index: usize, arn: &mut String) {
        for piece in &self.pieces {
            match piece {
                Piece::Literal(text) => arn.push_str(text),
                Piece::Variable(variable) => {
                    if let Some(values) = self.variables.get(*variable) {
                        arn.push_str(values.get(self.pick(index, *variable)).0);
                    }
                }
            }
        }
    }

    fn arn(&self, index: usize) -> String {
        let mut arn = String::new();
        self.write_arn(index, &mut arn);
        arn
    }

    fn resource(&self, index: usize) -> ResolvedResource {
        let bindings = self
            .variables
            .iter()
            .enumerate()
            .map(|(position, values)| {
                let (value, source) = match &values.single {
                    Some((value, source)) => (Arc::clone(value), Arc::clone(source)),
                    None => {
                        let (value, source) = values.get(self.pick(index, position));
                        (Arc::from(value), Arc::from(source))
                    }
                };
                BoundVariable {
                    variable: Arc::clone(&values.name),
                    value,
                    source,
                }
            })
            .collect();
        ResolvedResource {
            arn: self.arn(index),
            template_index: self.template_index,
            template: Arc::clone(&self.template),
            bindings,
        }
    }
}

impl ResolvedResources {
    /// How many ARNs.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there is no ARN (every resource of the action was skipped).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The resources in order, each made as it is read.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ResolvedResource> + '_ {
        Each {
            resources: self,
            next: 0,
            make: ResourceArns::resource,
        }
    }

    /// The ARNs in order, each made as it is read.
    pub fn arns(&self) -> impl ExactSizeIterator<Item = String> + '_ {
        Each {
            resources: self,
            next: 0,
            make: ResourceArns::arn,
        }
    }

    /// The resource at `index`.
    pub fn get(&self, index: usize) -> Option<ResolvedResource> {
        self.locate(index)
            .map(|(group, within)| group.resource(within))
    }

    /// The ARN at `index`.
    pub fn arn(&self, index: usize) -> Option<String> {
        self.locate(index).map(|(group, within)| group.arn(within))
    }

    /// The resource group holding the ARN at `index`, and the ARN's index in it.
    fn locate(&self, mut index: usize) -> Option<(&ResourceArns, usize)> {
        for group in &self.groups {
            if index < group.count {
                return Some((group, index));
            }
            index -= group.count;
        }
        None
    }

    fn push(&mut self, group: ResourceArns) {
        self.len = self.len.saturating_add(group.count);
        self.groups.push(group);
    }
}

/// An iterator over [`ResolvedResources`] making each item with `make`.
struct Each<'a, T> {
    resources: &'a ResolvedResources,
    next: usize,
    make: fn(&ResourceArns, usize) -> T,
}

impl<T> Iterator for Each<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let (group, within) = self.resources.locate(self.next)?;
        self.next += 1;
        Some((self.make)(group, within))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.resources.len.saturating_sub(self.next);
        (left, Some(left))
    }
}

impl<T> ExactSizeIterator for Each<'_, T> {}

impl<'a> IntoIterator for &'a ResolvedResources {
    type Item = ResolvedResource;
    type IntoIter = Box<dyn ExactSizeIterator<Item = ResolvedResource> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl Serialize for ResolvedResources {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A variable's value and its origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BoundVariable {
    /// The variable name, without `$`.
    #[cfg_attr(test, ts(type = "string"))]
    pub variable: Arc<str>,
    /// The value put into the ARN.
    #[cfg_attr(test, ts(type = "string"))]
    pub value: Arc<str>,
    /// The request parameter it came from (`SecurityGroupIds.2`, `RegionId`), or `region` /
    /// `account` for the request's own members.
    #[cfg_attr(test, ts(type = "string"))]
    pub source: Arc<str>,
}

/// A catalog resource that this request does not check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SkippedResource {
    pub template_index: usize,
    pub template: String,
    pub reason: String,
}

/// Why a request could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The action is unknown.
    #[error(transparent)]
    Lookup(#[from] LookupError),
    /// A required parameter is absent.
    #[error("`{action}` needs parameter {}{}", join_params(.params), hint(.near))]
    MissingParameter {
        action: String,
        params: Vec<String>,
        /// A parameter given with a different letter case, if any.
        near: Option<String>,
    },
    /// The request has no account and the action's ARNs need one.
    #[error("`{action}` needs the request's `account` to build its ARNs")]
    MissingAccount { action: String },
    /// The request has no region and no `RegionId`.
    #[error("`{action}` needs a region: give the request a `region` or the parameter `RegionId`")]
    MissingRegion { action: String },
    /// A parameter value has the wrong shape.
    #[error("parameter `{param}` of `{action}` {problem}")]
    BadParameter {
        action: String,
        param: String,
        problem: String,
    },
}

impl crate::error::Details for ResolveError {
    fn kind(&self) -> &'static str {
        match self {
            ResolveError::Lookup(error) => error.kind(),
            ResolveError::MissingParameter { .. } => "missing_parameter",
            ResolveError::MissingAccount { .. } => "missing_account",
            ResolveError::MissingRegion { .. } => "missing_region",
            ResolveError::BadParameter { .. } => "bad_parameter",
        }
    }

    fn locate(&self, body: &mut crate::error::ErrorBody) {
        match self {
            ResolveError::Lookup(error) => error.locate(body),
            ResolveError::MissingParameter { params, .. } => body.parameters = Some(params.clone()),
            _ => {}
        }
    }
}

fn join_params(params: &[String]) -> String {
    let quoted: Vec<String> = params.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(" or ")
}

fn hint(near: &Option<String>) -> String {
    near.as_ref()
        .map(|name| format!(" (the request has `{name}`: parameter names are case-sensitive)"))
        .unwrap_or_default()
}

impl Resolution {
    /// The ARNs alone, in order.
    pub fn arns(&self) -> Vec<String> {
        self.resources.arns().collect()
    }
}

/// Resolves a request against the embedded catalog.
pub fn resolve(request: &Request) -> Result<Resolution, ResolveError> {
    let catalog = Catalog::embedded().map_err(|error| ResolveError::BadParameter {
        action: request.action.clone(),
        param: "-".into(),
        problem: error.to_string(),
    })?;
    resolve_with(catalog, request)
}

/// Resolves a request against a given catalog.
pub fn resolve_with(catalog: &Catalog, request: &Request) -> Result<Resolution, ResolveError> {
    let action = catalog.lookup(&request.action)?;
    resolve_action(action, request)
}

/// Resolves a request whose action is already looked up.
pub fn resolve_action(action: &Action, request: &Request) -> Result<Resolution, ResolveError> {
    let mut resolution = Resolution {
        action: action.qualified_name().to_string(),
        resources: ResolvedResources::default(),
        skipped: Vec::new(),
        derivation: Derivation::default(),
    };
    resolve_resources(action, request, &mut resolution)?;
    // After the ARNs, so that an error of the ARNs' own parameters comes first, as in `eval`.
    resolution.derivation = derive_keys(action.qualified_name(), request)?;
    Ok(resolution)
}

/// The condition keys RAM derives from a request's parameters for `action` (the catalog's
/// name); a parameter they read in a shape the reader cannot read is the error `resolve` and
/// `eval` both give.
pub fn derive_keys(action: &str, request: &Request) -> Result<Derivation, ResolveError> {
    derived::derive_for(action, request).map_err(|error| ResolveError::BadParameter {
        action: action.to_string(),
        param: error.param,
        problem: error.problem,
    })
}

fn resolve_resources(
    action: &Action,
    request: &Request,
    resolution: &mut Resolution,
) -> Result<(), ResolveError> {
    if !action.has_resource_level_authorization() {
        resolution.resources.push(ResourceArns {
            template_index: None,
            template: "*".into(),
            pieces: vec![Piece::Literal("*".into())],
            variables: Vec::new(),
            strides: Vec::new(),
            count: 1,
        });
        return Ok(());
    }
    for (index, resource) in action.resources().iter().enumerate() {
        match resolve_resource(action, resource, index, request)? {
            Ok(arns) => resolution.resources.push(arns),
            Err(reason) => resolution.skipped.push(SkippedResource {
                template_index: index,
                template: resource.template().as_str().to_string(),
                reason,
            }),
        }
    }
    Ok(())
}

/// A resource's ARNs, or why it gives none.
type Resolved = Result<ResourceArns, String>;

/// A resource's ARNs, one per combination of its variables' values.
fn resolve_resource(
    action: &Action,
    resource: &Resource,
    index: usize,
    request: &Request,
) -> Result<Resolved, ResolveError> {
    let entry = resource.entry();
    let reader = ParamReader::new(action.qualified_name(), &request.params);
    if let Some(given) = entry
        .unless_params
        .iter()
        .find(|name| reader.is_given(name, format_of(action, name)))
    {
        return Ok(Err(format!("checked only when `{given}` is not given")));
    }
    let mut variables: Vec<VariableValues> = Vec::new();
    for variable in resource.template().variables() {
        let Some(binding) = entry.bindings.get(variable) else {
            // Catalog::from_json guarantees a binding for every variable.
            continue;
        };
        let mut values = VariableValues::new(Arc::from(variable));
        bind(action, binding, request, &reader, &mut values)?;
        if values.len() == 0 {
            let params = binding_params(binding);
            if entry.optional {
                return Ok(Err(format!(
                    "optional, and {} is not given",
                    join_params(&params)
                )));
            }
            return Err(ResolveError::MissingParameter {
                action: action.qualified_name().into(),
                near: params.iter().find_map(|name| near_param(request, name)),
                params,
            });
        }
        values.text.shrink_to_fit();
        values.spans.shrink_to_fit();
        if values.len() == 1 {
            let (value, source) = values.get(0);
            values.single = Some((Arc::from(value), Arc::from(source)));
        }
        variables.push(values);
    }
    // The last variable varies fastest, so values stay in request order.
    let mut strides = vec![1usize; variables.len()];
    let mut count = 1usize;
    for (stride, values) in strides.iter_mut().zip(&variables).rev() {
        *stride = count;
        count = count
            .checked_mul(values.len())
            .ok_or_else(|| ResolveError::BadParameter {
                action: action.qualified_name().into(),
                param: values.name.to_string(),
                problem: "gives more ARNs than can be counted".into(),
            })?;
    }
    let pieces = resource
        .template()
        .segments()
        .iter()
        .map(|segment| match segment {
            Segment::Literal(text) => Piece::Literal(text.as_str().into()),
            Segment::Variable(name) => variables
                .iter()
                .position(|values| &*values.name == name)
                .map_or(Piece::Literal("".into()), Piece::Variable),
        })
        .collect();
    Ok(Ok(ResourceArns {
        template_index: Some(index),
        template: Arc::from(resource.template().as_str()),
        pieces,
        variables,
        strides,
        count,
    }))
}

/// A resource's ARN with each variable's value (an unbound one is empty).
pub(crate) fn render_with<'v>(
    resource: &Resource,
    value: impl Fn(&str) -> Option<&'v str>,
) -> String {
    resource
        .template()
        .segments()
        .iter()
        .map(|segment| match segment {
            Segment::Literal(text) => text.as_str(),
            Segment::Variable(name) => value(name).unwrap_or(""),
        })
        .collect()
}

fn binding_params(binding: &Binding) -> Vec<String> {
    match binding {
        Binding::Region { param: Some(param) } => vec![param.clone()],
        Binding::Region { param: None } => vec!["RegionId".into()],
        Binding::Account => vec!["account".into()],
        Binding::Param { params } => params.iter().map(|source| source.name.clone()).collect(),
        Binding::ResourceType { param, .. } => vec![param.clone()],
    }
}

/// Reads a variable's values into `values`.
fn bind(
    action: &Action,
    binding: &Binding,
    request: &Request,
    reader: &ParamReader<'_>,
    values: &mut VariableValues,
) -> Result<(), ResolveError> {
    let name = || action.qualified_name().to_string();
    let bad = |error: ParamError| bad_parameter(action, error);
    let too_large = |param: &str| ResolveError::BadParameter {
        action: name(),
        param: param.to_string(),
        problem: "holds more than 4 GiB of values".into(),
    };
    let mut one =
        |value: &str, source: &str| values.push(value, source).ok_or_else(|| too_large(source));
    match binding {
        Binding::Region { param: Some(param) } => {
            if let Some(item) = reader.single(param).map_err(bad)? {
                one(&item.value, &item.source)?;
            }
            Ok(())
        }
        Binding::Region { param: None } => {
            if let Some(item) = reader.single("RegionId").map_err(bad)? {
                return one(&item.value, &item.source);
            }
            match &request.region {
                Some(region) if !region.is_empty() => one(region, "region"),
                _ => Err(ResolveError::MissingRegion { action: name() }),
            }
        }
        Binding::Account => match &request.account {
            Some(account) if !account.is_empty() => one(account, "account"),
            _ => Err(ResolveError::MissingAccount { action: name() }),
        },
        Binding::Param { params } => {
            for source in params {
                read_values(action, reader, source, values)?;
            }
            Ok(())
        }
        Binding::ResourceType {
            param,
            values: kinds,
        } => {
            let Some(given) = reader.single(param).map_err(bad)? else {
                return Ok(());
            };
            match kinds.get(&given.value.to_ascii_lowercase()) {
                Some(kind) => one(kind, &given.source),
                None => Err(ResolveError::BadParameter {
                    action: name(),
                    param: param.clone(),
                    problem: format!(
                        "has unknown resource type `{}`; expected one of {}",
                        given.value,
                        kinds
                            .keys()
                            .map(|key| format!("`{key}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }),
            }
        }
    }
}

/// Adds the values of one parameter a binding reads to `values`, in request order: the text
/// is written as the reader finds the values, and only their spans are put in order.
fn read_values(
    action: &Action,
    reader: &ParamReader<'_>,
    source: &crate::catalog::ParamSource,
    values: &mut VariableValues,
) -> Result<(), ResolveError> {
    // This parameter's spans go after those of the binding's earlier parameters, in the
    // reader's order, and are then put in request order in place.
    let first = values.spans.len();
    let mut overflow = false;
    let mut order = reader
        .read_each(
            &source.name,
            format_for(source.arity),
            &mut |item| match item {
                Found::Sizes { count, bytes } => {
                    values.spans.reserve_exact(count);
                    values.text.reserve_exact(bytes);
                }
                Found::Value { value, source } => {
                    if values.push(value, source).is_none() {
                        overflow = true;
                    }
                }
            },
        )
        .map_err(|error| bad_parameter(action, error))?;
    if overflow {
        return Err(ResolveError::BadParameter {
            action: action.qualified_name().into(),
            param: source.name.clone(),
            problem: "holds more than 4 GiB of values".into(),
        });
    }
    if source.arity == Arity::Single && order.len() > 1 && !source.name.contains(".N") {
        let listed = reader.api().and_then(|api| api.param(&source.name));
        if listed.is_none_or(|param| matches!(param.shape(), Shape::Scalar(_))) {
            return Err(ResolveError::BadParameter {
                action: action.qualified_name().into(),
                param: source.name.clone(),
                problem: format!("takes one value, found {}", order.len()),
            });
        }
    }
    if let Some(spans) = values.spans.get_mut(first..) {
        permute(spans, &mut order);
    }
    Ok(())
}

/// Puts `items` in the order `order` gives (`order[k]` is the index of the item that goes
/// `k`-th) in place, following each cycle of the permutation; `order` is used up.
fn permute<T: Copy>(items: &mut [T], order: &mut [usize]) {
    const PLACED: usize = usize::MAX;
    for start in 0..order.len() {
        let Some(held) = items.get(start).copied() else {
            return;
        };
        let mut at = start;
        loop {
            let Some(from) = order
                .get_mut(at)
                .map(|from| std::mem::replace(from, PLACED))
            else {
                return;
            };
            if from == PLACED {
                break;
            }
            let moved = if from == start {
                Some(held)
            } else {
                items.get(from).copied()
            };
            if let (Some(slot), Some(moved)) = (items.get_mut(at), moved) {
                *slot = moved;
            }
            if from == start {
                break;
            }
            at = from;
        }
    }
}

/// How the catalog says a parameter carries its values (the format of the first binding that
/// reads it; the metadata's shape otherwise).
fn format_of(action: &Action, name: &str) -> Format {
    action
        .resources()
        .iter()
        .flat_map(|resource| resource.entry().bindings.values())
        .find_map(|binding| match binding {
            Binding::Param { params } => params
                .iter()
                .find(|source| source.name == name)
                .map(|source| format_for(source.arity)),
            _ => None,
        })
        .unwrap_or(Format::Auto)
}

fn format_for(arity: Arity) -> Format {
    match arity {
        Arity::Single | Arity::Repeat => Format::Auto,
        Arity::JsonArray => Format::JsonArray,
        Arity::CommaList => Format::CommaList,
    }
}

fn bad_parameter(action: &Action, error: ParamError) -> ResolveError {
    ResolveError::BadParameter {
        action: action.qualified_name().into(),
        param: error.param,
        problem: error.problem,
    }
}

/// A parameter present under a different letter case.
fn near_param(request: &Request, name: &str) -> Option<String> {
    let stem = name.split(".N").next().unwrap_or(name);
    request
        .params
        .keys()
        .find(|given| {
            given.len() >= stem.len()
                && given
                    .get(..stem.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(stem))
                && !given.starts_with(stem)
        })
        .cloned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn variable(name: &str, values: &[&str]) -> VariableValues {
        let mut variable = VariableValues::new(Arc::from(name));
        for (position, value) in values.iter().enumerate() {
            variable
                .push(value, &format!("{name}.{}", position + 1))
                .unwrap();
        }
        variable
    }

    /// In-place permutation gives what gathering into a new list gives, for every order of up
    /// to six items.
    #[test]
    fn permute_gathers_in_place() {
        fn orders(n: usize) -> Vec<Vec<usize>> {
            if n == 0 {
                return vec![Vec::new()];
            }
            let mut out = Vec::new();
            for shorter in orders(n - 1) {
                for at in 0..n {
                    let mut order = shorter.clone();
                    order.insert(at, n - 1);
                    out.push(order);
                }
            }
            out
        }
        for n in 0..=6 {
            for order in orders(n) {
                let items: Vec<usize> = (100..100 + n).collect();
                let gathered: Vec<usize> = order.iter().map(|&from| items[from]).collect();
                let mut permuted = items.clone();
                permute(&mut permuted, &mut order.clone());
                assert_eq!(permuted, gathered, "{order:?}");
            }
        }
    }

    /// Two variables of several values: one ARN per combination, the last variable varying
    /// fastest, and `get` agreeing with `iter` at every index.
    #[test]
    fn combinations_come_in_request_order() {
        let mut resources = ResolvedResources::default();
        resources.push(ResourceArns {
            template_index: Some(0),
            template: Arc::from("a/$x/b/$y"),
            pieces: vec![
                Piece::Literal("a/".into()),
                Piece::Variable(0),
                Piece::Literal("/b/".into()),
                Piece::Variable(1),
            ],
            variables: vec![variable("x", &["1", "2"]), variable("y", &["p", "q", "r"])],
            strides: vec![3, 1],
            count: 6,
        });
        resources.push(ResourceArns {
            template_index: None,
            template: Arc::from("*"),
            pieces: vec![Piece::Literal("*".into())],
            variables: Vec::new(),
            strides: Vec::new(),
            count: 1,
        });
        let arns: Vec<String> = resources.arns().collect();
        assert_eq!(
            arns,
            ["a/1/b/p", "a/1/b/q", "a/1/b/r", "a/2/b/p", "a/2/b/q", "a/2/b/r", "*"]
        );
        assert_eq!(resources.len(), 7);
        let made: Vec<ResolvedResource> = resources.iter().collect();
        for (index, resource) in made.iter().enumerate() {
            assert_eq!(resources.get(index).as_ref(), Some(resource));
            assert_eq!(resources.arn(index).as_deref(), Some(resource.arn.as_str()));
        }
        assert_eq!(resources.get(7), None);
        let bound: Vec<(&str, &str)> = made[4]
            .bindings
            .iter()
            .map(|bound| (&*bound.value, &*bound.source))
            .collect();
        assert_eq!(bound, [("2", "x.2"), ("q", "y.2")]);
    }
}
