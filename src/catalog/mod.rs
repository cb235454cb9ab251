//! The ECS authorization catalog: which resource ARNs RAM checks for each ECS action.
//!
//! The data lives in one file, `src/catalog/ecs.json`, embedded in the binary at compile time
//! and described in `docs/catalog.md`. It keeps each ARN template exactly as the seed prints it,
//! and beside it the corrected template that the library uses, with the erratum that explains
//! the difference.
//!
//! ```
//! use ram_policy::catalog::Catalog;
//! let catalog = Catalog::embedded().unwrap();
//! let action = catalog.lookup("ecs:attachdisk").unwrap();
//! assert_eq!(action.name(), "AttachDisk");
//! assert_eq!(action.qualified_name(), "ecs:AttachDisk");
//! ```

pub mod api;
pub mod authorization;
pub mod model;
pub mod template;

use crate::suggest;
use model::{ActionEntry, ResourceEntry};
pub use model::{Arity, Binding, CatalogFile, Erratum, ParamSource};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;
pub use template::{Segment, Template};

/// The catalog data, embedded at compile time.
pub const ECS_CATALOG_JSON: &str = include_str!("ecs.json");

/// The service prefix of every action in the catalog.
pub const SERVICE: &str = "ecs";

/// The catalog: every ECS action with the ARN templates RAM checks for it.
#[derive(Debug)]
pub struct Catalog {
    file: CatalogFile,
    actions: Vec<Action>,
    by_lower_name: FxHashMap<String, usize>,
}

/// One action of the catalog with its parsed templates.
#[derive(Debug)]
pub struct Action {
    entry: ActionEntry,
    qualified: String,
    resources: Vec<Resource>,
}

/// One resource of an action: the data entry and its parsed template.
#[derive(Debug)]
pub struct Resource {
    entry: ResourceEntry,
    template: Template,
}

/// Why the catalog data could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
pub enum LookupError {
    /// The name has a service prefix other than `ecs:`.
    #[error("`{name}` is not an ECS action: the catalog covers the `ecs:` service only")]
    OtherService { name: String },
    /// No action has this name.
    #[error("unknown action `{name}`{}", did_you_mean(.suggestions))]
    UnknownAction {
        name: String,
        suggestions: Vec<String>,
    },
}

pub(crate) use crate::suggest::did_you_mean;

impl Catalog {
    /// The catalog embedded in the library, parsed once.
    pub fn embedded() -> Result<&'static Catalog, CatalogError> {
        static EMBEDDED: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| Catalog::from_json(ECS_CATALOG_JSON))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and checks catalog data.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile =
            serde_json::from_str(text).map_err(|error| CatalogError::Malformed {
                line: error.line(),
                column: error.column(),
                message: error.to_string(),
            })?;
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
                qualified: format!("{SERVICE}:{}", entry.name),
                entry: entry.clone(),
                resources,
            });
        }
        Ok(Catalog {
            file,
            actions,
            by_lower_name,
        })
    }

    /// Every action, in the data file's order (sorted by name).
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

    /// Finds an action by name, with or without the `ecs:` prefix, in any letter case.
    pub fn action(&self, name: &str) -> Option<&Action> {
        let bare = strip_service(name).ok()?;
        self.by_lower_name
            .get(&bare.to_ascii_lowercase())
            .and_then(|&index| self.actions.get(index))
    }

    /// Like [`Catalog::action`], with an error that suggests the nearest names.
    pub fn lookup(&self, name: &str) -> Result<&Action, LookupError> {
        let bare =
            strip_service(name).map_err(|()| LookupError::OtherService { name: name.into() })?;
        self.action(bare).ok_or_else(|| LookupError::UnknownAction {
            name: name.into(),
            suggestions: self.suggest(bare),
        })
    }

    /// The qualified names (`ecs:Name`) nearest to a misspelt action name.
    pub fn suggest(&self, name: &str) -> Vec<String> {
        let bare = strip_service(name).unwrap_or(name);
        suggest::nearest(bare, self.actions.iter().map(Action::name), 3)
            .into_iter()
            .map(|found| format!("{SERVICE}:{found}"))
            .collect()
    }
}

/// `ecs:Name` → `Name`; `Name` → `Name`; `vpc:Name` → `Err`.
fn strip_service(name: &str) -> Result<&str, ()> {
    match name.split_once(':') {
        None => Ok(name),
        Some((service, rest)) if service.eq_ignore_ascii_case(SERVICE) => Ok(rest),
        Some(_) => Err(()),
    }
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
        let catalog = Catalog::embedded().unwrap();
        let error = catalog.lookup("ecs:DescribeInstnces").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown action `ecs:DescribeInstnces`; did you mean `ecs:DescribeInstances`?"
        );
        assert!(matches!(
            catalog.lookup("vpc:DescribeVpcs"),
            Err(LookupError::OtherService { .. })
        ));
    }

    #[test]
    fn rejects_inconsistent_data() {
        let data = r#"{"source":{"seed":"s","document_version":"1"},"errata":[],"actions":[
            {"name":"A","category":"c","description":"d","overview_line":null,"table_line":1,
             "api_page_line":null,"resources":[{"printed":"acs:ecs:$regionid:$accountid:x/$id",
             "line":1,"template":"acs:ecs:$regionid:$accountid:x/$id","optional":false,
             "bindings":{"regionid":{"from":"region"},"accountid":{"from":"account"}}}]}]}"#;
        let error = Catalog::from_json(data).unwrap_err();
        assert!(error.to_string().contains("variable `$id` has no binding"));
    }
}
