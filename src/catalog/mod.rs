//! The authorization catalog: which resource ARNs RAM checks for each action, the action's access
//! level and the condition keys it supports, as data with provenance.
//!
//! Three layers of data, each embedded at compile time and described in `docs/catalog.md`:
//! - the seed's 2020 ECS table (`src/catalog/ecs.json`), every template exactly as printed with
//!   the corrected template and the erratum that explains the difference;
//! - today's authorization reference (`src/catalog/authorization/<service>.json`, see
//!   [`authorization`]);
//! - the API metadata (`src/catalog/api/<service>.json`, see [`api`]): which names are APIs.
//!
//! An [`Edition`] chooses how they combine: `seed` is the seed's table alone (the system the seed
//! describes), `current` (the default) is today's reference over it, plus every API of the
//! metadata (an API without an authorization entry is known, and marked undocumented).
//!
//! ```
//! use ram_policy::catalog::{Catalog, Edition};
//! let catalog = Catalog::edition(Edition::Seed).unwrap();
//! let action = catalog.lookup("ecs:attachdisk").unwrap();
//! assert_eq!(action.name(), "AttachDisk");
//! assert_eq!(action.qualified_name(), "ecs:AttachDisk");
//! let current = Catalog::edition(Edition::Current).unwrap();
//! assert!(current.action("vpc:TagResources").is_some());
//! ```

pub mod api;
pub mod authorization;
pub(crate) mod compact;
mod edition;
pub(crate) mod model;
mod template;

use crate::suggest;
pub use edition::{differences_markdown, Edition, FactSource, Facts, UnknownEdition, EDITION_ENV};
pub use model::{ActionEntry, PrintedName, ResourceEntry, Source};
pub use model::{Arity, Binding, CatalogFile, Erratum, ParamSource};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;
pub use template::{Segment, Template};

pub use crate::compact::CompactError;

/// The seed's table as data (the reviewed source, `src/catalog/ecs.json`).
pub const ECS_CATALOG_JSON: &str = include_str!("ecs.json");

/// What the library loads: the compact form of [`ECS_CATALOG_JSON`] (see `compact`), embedded
/// at compile time.
pub const ECS_CATALOG_COMPACT: &str = include_str!("ecs.compact");

/// The catalog: every action of its services with the ARN templates RAM checks for it.
#[derive(Debug)]
pub struct Catalog {
    edition: Edition,
    file: CatalogFile,
    /// Service prefixes in data order; a name without a prefix belongs to the first.
    services: Vec<String>,
    actions: Vec<Action>,
    /// Lower-case qualified name (`ecs:runinstances`) → index.
    by_lower_name: FxHashMap<String, usize>,
    /// The same names in byte order: the names that start with a given text are one run of it
    /// ([`Catalog::action_indices_with_prefix`]).
    lower_sorted: Vec<(String, usize)>,
}

/// One action of the catalog with its parsed templates.
#[derive(Debug)]
pub struct Action {
    entry: ActionEntry,
    qualified: String,
    resources: Vec<Resource>,
    facts: Facts,
}

/// One resource of an action: the data entry and its parsed template.
#[derive(Debug, Clone)]
pub struct Resource {
    entry: ResourceEntry,
    template: Template,
}

/// Why the catalog data could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The file is not valid JSON of the catalog's shape.
    #[error("the catalog data is malformed at line {line}, column {column}: {message}")]
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
    /// Two actions share a name (ignoring case).
    #[error("the catalog lists action `{name}` twice")]
    DuplicateAction { name: String },
    /// A template is not well formed, or its variables and bindings disagree.
    #[error("the catalog's template `{template}` of `{action}` is invalid: {reason}")]
    InvalidTemplate {
        action: String,
        template: String,
        reason: String,
    },
}

/// An action name that the catalog does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LookupError {
    /// The name's service prefix is not a service of the catalog.
    #[error("`{name}` is not {}", services_named(.services))]
    OtherService { name: String, services: Vec<String> },
    /// No action has this name.
    #[error("unknown action `{name}`{}", did_you_mean(.suggestions))]
    UnknownAction {
        name: String,
        suggestions: Vec<String>,
    },
}

impl crate::error::Details for CatalogError {
    /// A broken embedded catalog is a build defect, never the user's input.
    fn kind(&self) -> &'static str {
        "catalog"
    }
}

impl crate::error::Details for LookupError {
    fn kind(&self) -> &'static str {
        match self {
            LookupError::UnknownAction { .. } => "unknown_action",
            LookupError::OtherService { .. } => "unsupported_service",
        }
    }

    fn locate(&self, body: &mut crate::error::ErrorBody) {
        if let LookupError::UnknownAction { suggestions, .. } = self {
            body.suggestions = Some(suggestions.clone());
        }
    }
}

pub(crate) use crate::suggest::did_you_mean;

fn services_named(services: &[String]) -> String {
    let named: Vec<String> = services
        .iter()
        .map(|service| format!("`{service}:`"))
        .collect();
    match services {
        [only] => format!(
            "{} action: the catalog covers the {} service only",
            service_noun(only),
            named.join("")
        ),
        _ => format!("an action of the catalog's services ({})", named.join(", ")),
    }
}

/// `ecs` → `an ECS`, `vpc` → `a VPC`: services are spelt as initialisms, so the article
/// follows the name of the first letter.
pub fn service_noun(service: &str) -> String {
    let name = service.to_ascii_uppercase();
    let vowel_sound =
        name.starts_with(['A', 'E', 'F', 'H', 'I', 'L', 'M', 'N', 'O', 'R', 'S', 'X']);
    format!("{} {name}", if vowel_sound { "an" } else { "a" })
}

impl Catalog {
    /// The catalog of the process's default edition ([`Edition::default_edition`]: set by the
    /// front end, else `RAM_POLICY_CATALOG_EDITION`, else `current`), built once.
    pub fn embedded() -> Result<&'static Catalog, CatalogError> {
        Catalog::edition(Edition::default_edition())
    }

    /// The catalog of one edition, built once.
    pub fn edition(edition: Edition) -> Result<&'static Catalog, CatalogError> {
        static SEED: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        static CURRENT: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        match edition {
            Edition::Seed => SEED.get_or_init(|| Catalog::from_compact(ECS_CATALOG_COMPACT)),
            Edition::Current => CURRENT.get_or_init(|| {
                let seed = Catalog::edition(Edition::Seed)?;
                edition::current(seed)
            }),
        }
        .as_ref()
        .map_err(Clone::clone)
    }

    /// Parses and checks seed-format catalog data (the `seed` edition's layout).
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile =
            serde_json::from_str(text).map_err(|error| CatalogError::Malformed {
                line: error.line(),
                column: error.column(),
                message: error.to_string(),
            })?;
        Catalog::from_file(file)
    }

    /// Reads seed-format catalog data in its compact form (see `compact`).
    pub fn from_compact(text: &str) -> Result<Catalog, CatalogError> {
        let file =
            compact::decode(compact::SEED, text).map_err(|error| CatalogError::Malformed {
                line: error.line,
                column: 1,
                message: error.message,
            })?;
        Catalog::from_file(file)
    }

    /// Checks seed-format catalog data and builds the `seed` edition from it.
    fn from_file(file: CatalogFile) -> Result<Catalog, CatalogError> {
        let service = file.source.service.clone();
        let mut by_lower_name = FxHashMap::default();
        let mut actions = Vec::with_capacity(file.actions.len());
        for entry in &file.actions {
            let lower = entry.name.to_ascii_lowercase();
            if by_lower_name.insert(lower, actions.len()).is_some() {
                return Err(CatalogError::DuplicateAction {
                    name: entry.name.clone(),
                });
            }
            let resources = entry
                .resources
                .iter()
                .map(|resource| Resource::new(&entry.name, resource))
                .collect::<Result<Vec<_>, _>>()?;
            actions.push(Action {
                qualified: format!("{service}:{}", entry.name),
                entry: entry.clone(),
                resources,
                facts: Facts::seed(&service, &entry.name),
            });
        }
        let by_lower_name = by_lower_name
            .into_iter()
            .map(|(name, index)| (format!("{service}:{name}"), index))
            .collect();
        let lower_sorted = sorted_names(&actions);
        Ok(Catalog {
            edition: Edition::Seed,
            file,
            services: vec![service],
            actions,
            lower_sorted,
            by_lower_name,
        })
    }

    /// Assembles a catalog from actions already built (sorted by qualified name).
    fn assemble(
        edition: Edition,
        file: CatalogFile,
        services: Vec<String>,
        actions: Vec<Action>,
    ) -> Result<Catalog, CatalogError> {
        let mut by_lower_name = FxHashMap::default();
        for (index, action) in actions.iter().enumerate() {
            if by_lower_name
                .insert(action.qualified.to_ascii_lowercase(), index)
                .is_some()
            {
                return Err(CatalogError::DuplicateAction {
                    name: action.qualified.clone(),
                });
            }
        }
        let lower_sorted = sorted_names(&actions);
        Ok(Catalog {
            edition,
            file,
            services,
            actions,
            lower_sorted,
            by_lower_name,
        })
    }

    /// The edition this catalog is.
    pub fn edition_name(&self) -> Edition {
        self.edition
    }

    /// The service prefixes the catalog covers, in data order (`ecs` first).
    pub fn services(&self) -> &[String] {
        &self.services
    }

    /// Whether the catalog covers this service prefix (any letter case).
    pub fn covers(&self, service: &str) -> bool {
        self.services
            .iter()
            .any(|known| known.eq_ignore_ascii_case(service))
    }

    /// Every action, sorted by qualified name.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// Every erratum: what the seed prints and what the catalog uses instead.
    pub fn errata(&self) -> &[Erratum] {
        &self.file.errata
    }

    /// The raw data file.
    pub fn file(&self) -> &CatalogFile {
        &self.file
    }

    /// Finds an action by name, with a service prefix or without one (the first service's), in
    /// any letter case.
    pub fn action(&self, name: &str) -> Option<&Action> {
        let (service, bare) = self.split(name).ok()?;
        // The lower-case key, on the stack for every real name (the lookup runs for every
        // action of every linted statement).
        let mut on_stack = [0u8; 128];
        let mut on_heap = Vec::new();
        let length = service.len() + 1 + bare.len();
        let key = match on_stack.get_mut(..length) {
            Some(key) => key,
            None => {
                on_heap.resize(length, 0);
                on_heap.as_mut_slice()
            }
        };
        let (head, tail) = key.split_at_mut(service.len());
        head.copy_from_slice(service.as_bytes());
        let (colon, rest) = tail.split_first_mut()?;
        *colon = b':';
        rest.copy_from_slice(bare.as_bytes());
        rest.make_ascii_lowercase();
        // Lowering ASCII letters keeps the bytes UTF-8.
        let key = std::str::from_utf8(key).ok()?;
        self.by_lower_name
            .get(key)
            .and_then(|&index| self.actions.get(index))
    }

    /// The indices (in [`Catalog::actions`]) of the actions whose qualified name starts with
    /// `prefix`, ASCII letter case ignored, in no particular order: what a wildcard pattern's
    /// literal prefix leaves to match.
    pub fn action_indices_with_prefix<'s>(
        &'s self,
        prefix: &str,
    ) -> impl Iterator<Item = usize> + 's {
        let prefix = prefix.to_ascii_lowercase();
        let start = self
            .lower_sorted
            .partition_point(|(name, _)| name.as_str() < prefix.as_str());
        self.lower_sorted
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |(name, _)| name.starts_with(prefix.as_str()))
            .map(|(_, index)| *index)
    }

    /// Like [`Catalog::action`], with an error that suggests the nearest names.
    pub fn lookup(&self, name: &str) -> Result<&Action, LookupError> {
        self.split(name).map_err(|()| LookupError::OtherService {
            name: name.into(),
            services: self.services.clone(),
        })?;
        self.action(name).ok_or_else(|| LookupError::UnknownAction {
            name: name.into(),
            suggestions: self.suggest(name),
        })
    }

    /// The qualified names nearest to a misspelt action name, within its service.
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let Ok((service, bare)) = self.split(name) else {
            return Vec::new();
        };
        let names = self
            .actions
            .iter()
            .filter(|action| action.facts.service == service)
            .map(Action::name);
        suggest::nearest(bare, names, 3)
            .into_iter()
            .map(|found| format!("{service}:{found}"))
            .collect()
    }

    /// `ecs:Name` → (`ecs`, `Name`); `Name` → (first service, `Name`); an unknown prefix → `Err`.
    fn split<'n>(&self, name: &'n str) -> Result<(&str, &'n str), ()> {
        let colon = name.bytes().position(|byte| byte == b':');
        match colon.map(|at| {
            (
                name.get(..at).unwrap_or(""),
                name.get(at + 1..).unwrap_or(""),
            )
        }) {
            None => self
                .services
                .first()
                .map(|service| (service.as_str(), name))
                .ok_or(()),
            Some((prefix, rest)) => self
                .services
                .iter()
                .find(|service| service.eq_ignore_ascii_case(prefix))
                .map(|service| (service.as_str(), rest))
                .ok_or(()),
        }
    }
}

/// The actions' lower-case qualified names with their indices, in byte order.
fn sorted_names(actions: &[Action]) -> Vec<(String, usize)> {
    let mut names: Vec<(String, usize)> = actions
        .iter()
        .enumerate()
        .map(|(index, action)| (action.qualified.to_ascii_lowercase(), index))
        .collect();
    crate::sort::sort_unstable(&mut names);
    names
}

impl Action {
    /// The canonical API name, e.g. `RunInstances`.
    pub fn name(&self) -> &str {
        &self.entry.name
    }
    /// The name as written in a policy, e.g. `ecs:RunInstances`.
    pub fn qualified_name(&self) -> &str {
        &self.qualified
    }
    /// The data entry (category, description, seed lines).
    pub fn entry(&self) -> &ActionEntry {
        &self.entry
    }
    /// The resources RAM checks, in catalog order. Empty when the action has no resource-level
    /// authorization (RAM checks `*`).
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }
    /// Whether RAM authorizes this action per resource.
    pub fn has_resource_level_authorization(&self) -> bool {
        !self.resources.is_empty()
    }
    /// The service prefix (`ecs`).
    pub fn service(&self) -> &str {
        &self.facts.service
    }
    /// What the catalog knows of the action beyond its templates, and where it comes from.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }
    /// Whether an authorization entry (the seed's table or overview, or today's reference)
    /// documents which resources RAM checks. A real API without one resolves to `*`, but RAM
    /// may check resource ARNs for it.
    pub fn authorization_documented(&self) -> bool {
        self.facts.source != FactSource::ApiMetadata
    }
}

impl Resource {
    fn new(action: &str, entry: &ResourceEntry) -> Result<Self, CatalogError> {
        let invalid = |reason: String| CatalogError::InvalidTemplate {
            action: action.into(),
            template: entry.template.clone(),
            reason,
        };
        let template = Template::parse(&entry.template).map_err(invalid)?;
        for variable in template.variables() {
            if !entry.bindings.contains_key(variable) {
                return Err(invalid(format!("variable `${variable}` has no binding")));
            }
        }
        for variable in entry.bindings.keys() {
            if !template.variables().any(|name| name == variable) {
                return Err(invalid(format!("binding `{variable}` is not used")));
            }
        }
        Ok(Resource {
            entry: entry.clone(),
            template,
        })
    }
    /// The data entry (printed text, seed line, bindings, errata).
    pub fn entry(&self) -> &ResourceEntry {
        &self.entry
    }
    /// The corrected template, parsed.
    pub fn template(&self) -> &Template {
        &self.template
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_loads() {
        let catalog = Catalog::embedded().unwrap();
        assert!(catalog.actions().len() >= 150);
    }

    #[test]
    fn lookup_ignores_case_and_prefix() {
        let catalog = Catalog::embedded().unwrap();
        for name in ["RunInstances", "ecs:runinstances", "ECS:RUNINSTANCES"] {
            assert_eq!(catalog.lookup(name).unwrap().name(), "RunInstances");
        }
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let catalog = Catalog::edition(Edition::Seed).unwrap();
        let error = catalog.lookup("ecs:DescribeInstnces").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown action `ecs:DescribeInstnces`; did you mean `ecs:DescribeInstances`?"
        );
        let seed = Catalog::edition(Edition::Seed).unwrap();
        assert!(matches!(
            seed.lookup("vpc:DescribeVpcs"),
            Err(LookupError::OtherService { .. })
        ));
    }

    #[test]
    fn rejects_inconsistent_data() {
        let data = r#"{"source":{"service":"ecs","seed":"s","document_version":"1"},"errata":[],"actions":[
            {"name":"A","category":"c","description":"d","overview_line":null,"table_line":1,
             "api_page_line":null,"resources":[{"printed":"acs:ecs:$regionid:$accountid:x/$id",
             "line":1,"template":"acs:ecs:$regionid:$accountid:x/$id","optional":false,
             "bindings":{"regionid":{"from":"region"},"accountid":{"from":"account"}}}]}]}"#;
        let error = Catalog::from_json(data).unwrap_err();
        assert!(error.to_string().contains("variable `$id` has no binding"));
    }
}
