//! Catalog editions: which authorization data decides.
//!
//! - `seed`: the seed's 2020 table with its errata, alone (the system the seed describes).
//! - `current` (the default): today's reference over the seed. For an action the reference
//!   lists, the reference decides its resources, access level and condition keys; a template
//!   the seed also has keeps the seed's bindings (which parameters fill it, optionality,
//!   Describe-style pairs); a new template is bound from the API metadata. Actions only the seed
//!   lists keep the seed's entry. Every API of the metadata without an entry is added with its
//!   authorization marked undocumented.
//!
//! The default edition of a process is set by the front end ([`Edition::set_default`]), else
//! read from `RAM_POLICY_CATALOG_EDITION`, else `current`.

use super::api::{self, Shape};
use super::authorization::{self, AuthorizedAction, AuthorizedResource};
use super::model::{ActionEntry, ResourceEntry};
use super::{Action, Arity, Binding, Catalog, CatalogError, ParamSource, Resource};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU8, Ordering};

/// The environment variable that chooses the default edition (`seed` or `current`).
pub const EDITION_ENV: &str = "RAM_POLICY_CATALOG_EDITION";

/// Which authorization data decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Edition {
    /// The seed's 2020 table with its errata.
    Seed,
    /// Today's reference over the seed (the default).
    #[default]
    Current,
}

/// An edition name that is neither `seed` nor `current`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown catalog edition `{0}`: expected `seed` or `current`")]
pub struct UnknownEdition(pub String);

/// 0: not set; 1: seed; 2: current.
static DEFAULT: AtomicU8 = AtomicU8::new(0);

impl Edition {
    /// Every edition, in order.
    pub const ALL: [Edition; 2] = [Edition::Seed, Edition::Current];

    /// The name used in options and output.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Seed => "seed",
            Edition::Current => "current",
        }
    }

    /// Parses `seed` or `current` (any letter case, surrounding blanks ignored).
    pub fn parse(text: &str) -> Result<Edition, UnknownEdition> {
        let trimmed = text.trim();
        Edition::ALL
            .into_iter()
            .find(|edition| edition.name().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| UnknownEdition(text.to_string()))
    }

    /// The edition named by `RAM_POLICY_CATALOG_EDITION`, if it is set (an invalid value is an
    /// error for the front end to report).
    pub fn from_env() -> Option<Result<Edition, UnknownEdition>> {
        std::env::var(EDITION_ENV)
            .ok()
            .filter(|value| !value.trim().is_empty())
            .map(|value| Edition::parse(&value))
    }

    /// Makes this the process's default edition (the CLI after reading its option, the
    /// WebAssembly module when the editor's selector changes).
    pub fn set_default(self) {
        DEFAULT.store(self as u8 + 1, Ordering::Relaxed);
    }

    /// The process's default edition: the one set with [`Edition::set_default`], else a valid
    /// `RAM_POLICY_CATALOG_EDITION`, else `current`.
    pub fn default_edition() -> Edition {
        match DEFAULT.load(Ordering::Relaxed) {
            1 => Edition::Seed,
            2 => Edition::Current,
            _ => Edition::from_env().and_then(Result::ok).unwrap_or_default(),
        }
    }
}

impl std::fmt::Display for Edition {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

/// Where an action's authorization facts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum FactSource {
    /// The seed's table or overview (2020).
    Seed,
    /// Today's authorization reference.
    Reference,
    /// Only the API metadata: a real API whose authorization is not documented.
    ApiMetadata,
}

impl FactSource {
    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            FactSource::Seed => "seed",
            FactSource::Reference => "reference",
            FactSource::ApiMetadata => "api_metadata",
        }
    }
}

/// What the catalog knows of an action beyond its templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// The service prefix (`ecs`).
    pub service: String,
    /// Where the authorization facts come from.
    pub source: FactSource,
    /// Whether the name is an API of the service's metadata.
    pub is_api: bool,
    /// The access level (`get`, `list`, `create`, `update`, `delete`, `none`), when known.
    pub access: Option<String>,
    /// The resource types RAM checks, when known (the reference's names).
    pub resource_types: Vec<String>,
    /// The service condition keys the action supports (from the reference).
    pub condition_keys: Vec<String>,
    /// The line of the action's row in the reference.
    pub reference_line: Option<u32>,
    /// In the `current` edition, for an action whose resources differ from the seed's: the
    /// seed's templates (`[]` when the seed checks `*` only).
    pub seed_templates: Option<Vec<String>>,
    /// Variables of the reference's templates that no request parameter fills (the resource is
    /// skipped; RAM checks an ARN the request does not name).
    pub unbound: Vec<String>,
}

impl Facts {
    /// The facts of a seed-edition action.
    pub(super) fn seed(service: &str, name: &str) -> Facts {
        Facts::bare(service, FactSource::Seed, is_api(service, name))
    }

    /// Facts that say only where the action comes from and whether it is an API.
    fn bare(service: &str, source: FactSource, is_api: bool) -> Facts {
        Facts {
            service: service.to_string(),
            source,
            is_api,
            access: None,
            resource_types: Vec::new(),
            condition_keys: Vec::new(),
            reference_line: None,
            seed_templates: None,
            unbound: Vec::new(),
        }
    }

    /// Whether the action's resources differ between the editions (`current` edition only).
    pub fn authorization_changed(&self) -> bool {
        self.seed_templates.is_some()
    }
}

fn is_api(service: &str, name: &str) -> bool {
    api::service(service).is_some_and(|apis| apis.api(name).is_some())
}

/// An embedded data file that does not load (a build of the repository is broken).
fn embedded_data_error(error: impl std::fmt::Display) -> CatalogError {
    CatalogError::Malformed {
        line: 0,
        column: 0,
        message: error.to_string(),
    }
}

/// Builds the `current` edition over the seed edition.
pub(super) fn current(seed: &Catalog) -> Result<Catalog, CatalogError> {
    let mut actions: BTreeMap<String, Action> = BTreeMap::new();
    let mut services: Vec<String> = seed.services.clone();
    for data in authorization::services().map_err(embedded_data_error)? {
        push_service(&mut services, &data.service);
        for row in &data.actions {
            let action = from_reference(seed, &data.service, row)?;
            actions.insert(action.qualified.to_ascii_lowercase(), action);
        }
    }
    for action in seed.actions() {
        let key = action.qualified.to_ascii_lowercase();
        actions.entry(key).or_insert_with(|| Action {
            entry: action.entry.clone(),
            qualified: action.qualified.clone(),
            resources: action.resources.clone(),
            facts: action.facts.clone(),
        });
    }
    let apis = api::services().map_err(embedded_data_error)?;
    for service in apis {
        push_service(&mut services, service.service());
        for api in service.apis() {
            let qualified = format!("{}:{}", service.service(), api.name());
            actions
                .entry(qualified.to_ascii_lowercase())
                .or_insert_with(|| Action {
                    entry: bare_entry(api.name(), Vec::new()),
                    qualified,
                    resources: Vec::new(),
                    facts: Facts::bare(service.service(), FactSource::ApiMetadata, true),
                });
        }
    }
    Catalog::assemble(
        super::Edition::Current,
        seed.file.clone(),
        services,
        actions.into_values().collect(),
    )
}

fn push_service(services: &mut Vec<String>, service: &str) {
    if !services.iter().any(|known| known == service) {
        services.push(service.to_string());
    }
}

fn bare_entry(name: &str, resources: Vec<ResourceEntry>) -> ActionEntry {
    ActionEntry {
        name: name.to_string(),
        category: String::new(),
        description: String::new(),
        overview_line: None,
        table_line: None,
        api_page_line: None,
        printed_names: Vec::new(),
        resources,
    }
}

/// One action of the reference, its templates bound.
fn from_reference(
    seed: &Catalog,
    service: &str,
    row: &AuthorizedAction,
) -> Result<Action, CatalogError> {
    let qualified = format!("{service}:{}", row.name);
    let seed_action = seed.action(&qualified);
    let api = api::service(service).and_then(|apis| apis.api(&row.name));
    let mut entries: Vec<ResourceEntry> = Vec::new();
    let mut unbound: Vec<String> = Vec::new();
    for resource in &row.resources {
        for printed in &resource.arns {
            let entry = bind(seed_action, api, row, resource, printed, &mut unbound);
            if let Some(entry) = entry {
                if !entries.iter().any(|known| known.template == entry.template) {
                    entries.push(entry);
                }
            }
        }
    }
    // Templates the seed also has keep the seed's order (resolution lists ARNs in that order),
    // new ones follow in the reference's.
    if let Some(action) = seed_action {
        let position = |entry: &ResourceEntry| {
            action
                .resources()
                .iter()
                .position(|known| known.entry().template == entry.template)
                .unwrap_or(usize::MAX)
        };
        crate::sort::sort_by_key(&mut entries, position);
    }
    let resources = entries
        .iter()
        .map(|entry| Resource::new(&row.name, entry))
        .collect::<Result<Vec<_>, _>>()?;
    let seed_templates = seed_action.and_then(|action| {
        let before: Vec<String> = action
            .resources()
            .iter()
            .map(|resource| shape_of_template(resource.template()).to_ascii_lowercase())
            .collect();
        let mut after: Vec<String> = resources
            .iter()
            .map(|resource| shape_of_template(resource.template()).to_ascii_lowercase())
            .collect();
        after.extend(
            unbound
                .iter()
                .map(|template| shape_of_reference(template).to_ascii_lowercase()),
        );
        let (mut sorted_before, mut sorted_after) = (before.clone(), after);
        crate::sort::sort(&mut sorted_before);
        sorted_before.dedup();
        crate::sort::sort(&mut sorted_after);
        sorted_after.dedup();
        (sorted_before != sorted_after).then(|| {
            action
                .resources()
                .iter()
                .map(|resource| resource.template().as_str().to_string())
                .collect()
        })
    });
    let entry = match seed_action {
        Some(action) => ActionEntry {
            resources: entries,
            ..action.entry.clone()
        },
        None => bare_entry(&row.name, entries),
    };
    let mut resource_types: Vec<String> = Vec::new();
    for resource in &row.resources {
        if !resource_types.contains(&resource.resource_type) {
            resource_types.push(resource.resource_type.clone());
        }
    }
    Ok(Action {
        entry,
        qualified,
        resources,
        facts: Facts {
            service: service.to_string(),
            source: FactSource::Reference,
            is_api: api.is_some(),
            access: Some(row.access.clone()),
            resource_types,
            condition_keys: row.condition_keys.clone(),
            reference_line: Some(row.line),
            seed_templates,
            unbound,
        },
    })
}

/// A template's text with every variable as `{}` (literal `*` kept).
fn shape_of_template(template: &super::Template) -> String {
    template
        .segments()
        .iter()
        .map(|segment| match segment {
            super::Segment::Literal(text) => text.as_str(),
            super::Segment::Variable(_) => "{}",
        })
        .collect()
}

/// A reference template's text with every `{#variable}` as `{}`.
fn shape_of_reference(printed: &str) -> String {
    let mut out = String::with_capacity(printed.len());
    let mut rest = printed;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        out.push_str("{}");
        rest = rest[start..]
            .find('}')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The reference's `{#name}` variables of a template, in order.
fn variables(printed: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = printed;
    while let Some(start) = rest.find("{#") {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        found.push(&rest[start + 2..start + end]);
        rest = &rest[start + end + 1..];
    }
    found
}

/// A reference template as a catalog resource: the seed's entry when the seed has the same
/// template, else bound from the API metadata. `None` (and the template in `unbound`) when a
/// variable has no parameter.
fn bind(
    seed_action: Option<&Action>,
    api: Option<&api::Api>,
    row: &AuthorizedAction,
    resource: &AuthorizedResource,
    printed: &str,
    unbound: &mut Vec<String>,
) -> Option<ResourceEntry> {
    // Same shape: the same text with variables in the same places (a variable is not a literal
    // `*`: `disk/{#diskId}` is the seed's `disk/$diskId`, not its `disk/*`).
    let shape = shape_of_reference(printed);
    if let Some(known) = seed_action.and_then(|action| {
        action
            .resources()
            .iter()
            .find(|known| shape_of_template(known.template()).eq_ignore_ascii_case(&shape))
    }) {
        return Some(ResourceEntry {
            printed: printed.to_string(),
            line: row.line,
            printed_optional: !resource.required,
            errata: Vec::new(),
            ..known.entry().clone()
        });
    }
    let mut template = String::with_capacity(printed.len());
    let mut bindings = BTreeMap::new();
    let mut rest = printed;
    let mut names = variables(printed).into_iter();
    while let Some(start) = rest.find("{#") {
        template.push_str(&rest[..start]);
        let name = names.next()?;
        let lower = name.to_ascii_lowercase();
        let binding = match lower.as_str() {
            "regionid" => Binding::Region { param: None },
            "accountid" => Binding::Account,
            _ => match api.and_then(|api| params_for(api, name)) {
                Some(params) => Binding::Param { params },
                None => {
                    if !unbound.iter().any(|known| known == printed) {
                        unbound.push(printed.to_string());
                    }
                    return None;
                }
            },
        };
        template.push('$');
        template.push_str(name);
        bindings.insert(name.to_string(), binding);
        rest = rest[start..]
            .find('}')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    template.push_str(rest);
    let has_params = bindings
        .values()
        .any(|binding| matches!(binding, Binding::Param { .. }));
    Some(ResourceEntry {
        printed: printed.to_string(),
        line: row.line,
        template,
        printed_optional: !resource.required,
        // A parameter the request leaves out names no resource: the template is skipped (and
        // reported as skipped) rather than refusing the request.
        optional: has_params,
        unless_params: Vec::new(),
        bindings,
        errata: Vec::new(),
    })
}

/// Words the reference uses in variable names for resources whose parameters say it longer.
const VARIABLE_WORDS: &[(&str, &str)] = &[
    ("ddh", "dedicatedhost"),
    ("eni", "networkinterface"),
    ("snapshotpolicy", "autosnapshotpolicy"),
    ("keypair", "keypairname"),
    ("ddhcluster", "dedicatedhostcluster"),
];

/// The request parameters that carry a variable's values: `instanceId` → `InstanceId`,
/// `InstanceIds` (a JSON list) or `InstanceId.N` (a repeat list), by the metadata's shapes.
fn params_for(api: &api::Api, variable: &str) -> Option<Vec<ParamSource>> {
    let lower = variable.to_ascii_lowercase();
    let mut stems = vec![lower.clone()];
    if let Some(word) = lower.strip_suffix("id") {
        for (short, long) in VARIABLE_WORDS {
            if word == *short {
                stems.push(if long.ends_with("name") {
                    (*long).to_string()
                } else {
                    format!("{long}id")
                });
            }
        }
    }
    let mut found = Vec::new();
    for stem in &stems {
        for param in api.params() {
            let name = param.name().to_ascii_lowercase();
            let plural = name.strip_suffix('s') == Some(stem.as_str());
            if name != *stem && !plural {
                continue;
            }
            let source = match param.shape() {
                Shape::Scalar(_) if plural => ParamSource {
                    name: param.name().to_string(),
                    arity: Arity::JsonArray,
                    seed_line: None,
                },
                Shape::Scalar(_) => ParamSource {
                    name: param.name().to_string(),
                    arity: Arity::Single,
                    seed_line: None,
                },
                Shape::List { items, .. } if matches!(**items, Shape::Scalar(_)) => ParamSource {
                    name: format!("{}.N", param.name()),
                    arity: Arity::Repeat,
                    seed_line: None,
                },
                Shape::Json(inner) if matches!(**inner, Shape::List { .. }) => ParamSource {
                    name: param.name().to_string(),
                    arity: Arity::JsonArray,
                    seed_line: None,
                },
                _ => continue,
            };
            found.push(source);
        }
        if !found.is_empty() {
            break;
        }
    }
    (!found.is_empty()).then_some(found)
}

/// The table of every difference between the editions, for `docs/catalog.md` (a test keeps the
/// committed table equal to this): each action whose checked resources differ, what the seed
/// checks, what today's reference lists, and what changes for a user.
pub fn differences_markdown() -> Result<String, CatalogError> {
    use std::fmt::Write;
    let current = Catalog::edition(Edition::Current)?;
    let seed = Catalog::edition(Edition::Seed)?;
    let code = |templates: &[String]| -> String {
        if templates.is_empty() {
            "`*`".to_string()
        } else {
            templates
                .iter()
                .map(|template| format!("`{template}`"))
                .collect::<Vec<_>>()
                .join("<br>")
        }
    };
    let mut out = String::new();
    out.push_str(
        "| action | seed (2020) checks | today's reference lists | what changes for a user |\n",
    );
    out.push_str("| --- | --- | --- | --- |\n");
    let mut rows = 0;
    for action in current.actions() {
        let Some(before) = &action.facts().seed_templates else {
            continue;
        };
        rows += 1;
        let mut today: Vec<String> = action
            .resources()
            .iter()
            .map(|resource| resource.template().as_str().to_string())
            .collect();
        today.extend(
            action
                .facts()
                .unbound
                .iter()
                .map(|printed| format!("{printed} (no parameter fills it)")),
        );
        let change = match (before.is_empty(), today.is_empty()) {
            (false, true) => "authorized on `*` only today: a statement scoped by ARN no longer matches (`AUTHORIZATION_CHANGED`); give it `\"*\"` and narrow it with the action's condition keys",
            (true, false) => "authorized per resource today: it can be scoped to these ARNs; a statement on `*` still matches, one scoped by ARN now does",
            _ if !action.facts().unbound.is_empty() => "the reference adds a resource no request parameter fills: `eval`/`explain` answer Indeterminate where a scoped statement would decide",
            _ => "other ARNs are checked: a statement scoped to the seed's resources may stop (or start) matching (`AUTHORIZATION_CHANGED`)",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {change} |",
            action.qualified_name(),
            code(before),
            code(&today)
        );
    }
    let new: Vec<String> = current
        .actions()
        .iter()
        .filter(|action| {
            action.facts().source == FactSource::Reference
                && seed.action(action.qualified_name()).is_none()
        })
        .map(|action| format!("`{}`", action.name()))
        .collect();
    let seed_only: Vec<String> = current
        .actions()
        .iter()
        .filter(|action| action.facts().source == FactSource::Seed)
        .map(|action| {
            let api = if action.facts().is_api {
                ""
            } else {
                " (no API today)"
            };
            format!("`{}`{api}", action.name())
        })
        .collect();
    let undocumented = current
        .actions()
        .iter()
        .filter(|action| action.facts().source == FactSource::ApiMetadata)
        .count();
    let _ = write!(
        out,
        "\n{rows} actions check other resources today. {} actions of today's reference are not in the seed (the `current` edition adds them): {}.\n\n{} seed actions are not in today's reference; the `current` edition keeps the seed's entry for them: {}.\n\n{undocumented} APIs of the metadata have no authorization entry at all; the `current` edition knows them with their authorization marked undocumented (`UNDOCUMENTED_AUTHORIZATION`).\n",
        new.len(),
        new.join(", "),
        seed_only.len(),
        seed_only.join(", ")
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_parse_and_name_themselves() {
        assert_eq!(Edition::parse(" Seed "), Ok(Edition::Seed));
        assert_eq!(Edition::parse("current"), Ok(Edition::Current));
        assert!(Edition::parse("2020").is_err());
        assert_eq!(Edition::default(), Edition::Current);
    }

    #[test]
    fn the_reference_decides_and_the_seed_fills_in() {
        let current = Catalog::edition(Edition::Current).unwrap();
        let seed = Catalog::edition(Edition::Seed).unwrap();
        // Real APIs the seed does not know.
        for name in [
            "ecs:DeleteInstances",
            "ecs:AllocateDedicatedHosts",
            "vpc:TagResources",
        ] {
            assert!(current.action(name).is_some(), "{name}");
            assert!(seed.action(name).is_none(), "{name}");
        }
        let run = current.action("ecs:RunInstances").unwrap();
        assert!(!run.has_resource_level_authorization());
        assert!(run.facts().authorization_changed());
        assert!(run
            .facts()
            .condition_keys
            .iter()
            .any(|key| key == "vpc:VPC"));
        let invoke = current.action("ecs:InvokeCommand").unwrap();
        let templates: Vec<&str> = invoke
            .resources()
            .iter()
            .map(|resource| resource.template().as_str())
            .collect();
        assert_eq!(
            templates,
            [
                "acs:ecs:$regionId:$accountId:command/$commandId",
                "acs:ecs:$regionId:$accountId:instance/$instanceId"
            ]
        );
        let vpc = current.action("vpc:DescribeVpcs").unwrap();
        assert!(!vpc.authorization_documented());
        // A seed action's bindings are kept where the templates agree.
        let attach = current.action("ecs:AttachDisk").unwrap();
        assert!(!attach.facts().authorization_changed());
        assert_eq!(attach.facts().access.as_deref(), Some("update"));
    }

    #[test]
    fn variables_bind_from_the_metadata() {
        let ecs = api::service("ecs").unwrap();
        let delete = ecs.api("DeleteInstances").unwrap();
        let params = params_for(delete, "instanceId").unwrap();
        assert_eq!(params[0].name, "InstanceId.N");
        assert_eq!(params[0].arity, Arity::Repeat);
        assert_eq!(
            shape_of_reference("acs:ecs:{#regionId}:{#accountId}:ddh/*"),
            "acs:ecs:{}:{}:ddh/*"
        );
    }
}
