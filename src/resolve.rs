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
use crate::request::params::{Format, ParamError, ParamItem, ParamReader};
use crate::request::Request;
use serde::Serialize;
use std::sync::Arc;

/// The result of resolving a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolution {
    /// `ecs:<CanonicalName>`.
    pub action: String,
    /// The ARNs RAM checks, in order.
    pub resources: Vec<ResolvedResource>,
    /// Catalog resources that were not checked for this request, and why.
    pub skipped: Vec<SkippedResource>,
    /// The condition keys RAM derives from the request's parameters, and those it leaves
    /// unknown (not part of the serialized resolution).
    #[serde(skip)]
    pub derivation: Derivation,
}

/// One ARN RAM checks, with where it came from. The template, variable names and values that
/// every ARN of a resource shares (region, account) are one shared string each, not a copy per
/// ARN: a request naming 600,000 security groups resolves to 600,000 of these.
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
    pub fn arns(&self) -> Vec<&str> {
        self.resources
            .iter()
            .map(|resource| resource.arn.as_str())
            .collect()
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
        resources: Vec::new(),
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
        resolution.resources.push(ResolvedResource {
            arn: "*".into(),
            template_index: None,
            template: "*".into(),
            bindings: Vec::new(),
        });
        return Ok(());
    }
    for (index, resource) in action.resources().iter().enumerate() {
        if let Some(reason) =
            resolve_resource(action, resource, index, request, &mut resolution.resources)?
        {
            resolution.skipped.push(SkippedResource {
                template_index: index,
                template: resource.template().as_str().to_string(),
                reason,
            });
        }
    }
    Ok(())
}

/// Why a resource gave no ARN (`None`: its ARNs were added).
type Skipped = Option<String>;

/// One value of a variable with its origin (shared by every ARN that uses it).
type Valued = (Arc<str>, Arc<str>);

/// Adds a resource's ARNs to `arns`, one per combination of its variables' values.
fn resolve_resource(
    action: &Action,
    resource: &Resource,
    index: usize,
    request: &Request,
    arns: &mut Vec<ResolvedResource>,
) -> Result<Skipped, ResolveError> {
    let entry = resource.entry();
    let reader = ParamReader::new(action.qualified_name(), &request.params);
    if let Some(given) = entry
        .unless_params
        .iter()
        .find(|name| reader.is_given(name, format_of(action, name)))
    {
        return Ok(Some(format!("checked only when `{given}` is not given")));
    }
    let mut variables: Vec<(Arc<str>, Vec<Valued>)> = Vec::new();
    for variable in resource.template().variables() {
        let Some(binding) = entry.bindings.get(variable) else {
            // Catalog::from_json guarantees a binding for every variable.
            continue;
        };
        let values = bind(action, binding, request, &reader)?;
        if values.is_empty() {
            let params = binding_params(binding);
            if entry.optional {
                return Ok(Some(format!(
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
        variables.push((Arc::from(variable), values));
    }
    let template: Arc<str> = Arc::from(resource.template().as_str());
    // The exact number, so that 600,000 ARNs take no room to grow (a number too large to
    // reserve is left to grow as before).
    let combinations = variables.iter().try_fold(1usize, |product, (_, values)| {
        product.checked_mul(values.len())
    });
    if let Some(count) = combinations {
        let _ = arns.try_reserve_exact(count);
    }
    let mut choice = vec![0usize; variables.len()];
    loop {
        let mut bindings = Vec::with_capacity(variables.len());
        for ((name, values), &pick) in variables.iter().zip(&choice) {
            if let Some((value, source)) = values.get(pick) {
                bindings.push(BoundVariable {
                    variable: Arc::clone(name),
                    value: Arc::clone(value),
                    source: Arc::clone(source),
                });
            }
        }
        arns.push(ResolvedResource {
            arn: render(resource, &bindings),
            template_index: Some(index),
            template: Arc::clone(&template),
            bindings,
        });
        // Advance the odometer: the last variable varies fastest, so values stay in request order.
        let mut position = choice.len();
        loop {
            if position == 0 {
                return Ok(None);
            }
            position -= 1;
            let limit = variables
                .get(position)
                .map_or(0, |(_, values)| values.len());
            if let Some(slot) = choice.get_mut(position) {
                *slot += 1;
                if *slot < limit {
                    break;
                }
                *slot = 0;
            }
        }
    }
}

fn render(resource: &Resource, bindings: &[BoundVariable]) -> String {
    render_with(resource, |name| {
        bindings
            .iter()
            .find(|bound| &*bound.variable == name)
            .map(|bound| &*bound.value)
    })
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

fn bind(
    action: &Action,
    binding: &Binding,
    request: &Request,
    reader: &ParamReader<'_>,
) -> Result<Vec<Valued>, ResolveError> {
    let name = || action.qualified_name().to_string();
    let bad = |error: ParamError| bad_parameter(action, error);
    match binding {
        Binding::Region { param: Some(param) } => Ok(reader
            .single(param)
            .map_err(bad)?
            .map(valued)
            .into_iter()
            .collect()),
        Binding::Region { param: None } => {
            if let Some(item) = reader.single("RegionId").map_err(bad)? {
                return Ok(vec![valued(item)]);
            }
            match &request.region {
                Some(region) if !region.is_empty() => {
                    Ok(vec![(Arc::from(region.as_str()), Arc::from("region"))])
                }
                _ => Err(ResolveError::MissingRegion { action: name() }),
            }
        }
        Binding::Account => match &request.account {
            Some(account) if !account.is_empty() => {
                Ok(vec![(Arc::from(account.as_str()), Arc::from("account"))])
            }
            _ => Err(ResolveError::MissingAccount { action: name() }),
        },
        Binding::Param { params } => {
            let mut values = Vec::new();
            for source in params {
                let items = reader
                    .read_borrowed(&source.name, format_for(source.arity))
                    .map_err(bad)?;
                if source.arity == Arity::Single && items.len() > 1 && !source.name.contains(".N") {
                    let listed = reader.api().and_then(|api| api.param(&source.name));
                    if listed.is_none_or(|param| matches!(param.shape(), Shape::Scalar(_))) {
                        return Err(ResolveError::BadParameter {
                            action: name(),
                            param: source.name.clone(),
                            problem: format!("takes one value, found {}", items.len()),
                        });
                    }
                }
                values.extend(
                    items
                        .iter()
                        .map(|item| (Arc::from(&*item.value), Arc::from(&*item.source))),
                );
            }
            Ok(values)
        }
        Binding::ResourceType { param, values } => {
            let Some(given) = reader.single(param).map_err(bad)? else {
                return Ok(Vec::new());
            };
            match values.get(&given.value.to_ascii_lowercase()) {
                Some(kind) => Ok(vec![(Arc::from(kind.as_str()), Arc::from(given.source))]),
                None => Err(ResolveError::BadParameter {
                    action: name(),
                    param: param.clone(),
                    problem: format!(
                        "has unknown resource type `{}`; expected one of {}",
                        given.value,
                        values
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

fn valued(item: ParamItem) -> Valued {
    (Arc::from(item.value), Arc::from(item.source))
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
