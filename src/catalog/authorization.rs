//! Today's authorization reference of a service: for each action, its access level, the
//! resource types and ARN templates RAM checks, and the condition keys it supports; beside it the
//! service's resource types and condition keys with their data types.
//!
//! The data lives in `src/catalog/authorization/<service>.json`, one file per service, written by
//! `scripts/catalog/import_authorization.py` from `../shared/reference/current/` (see
//! `docs/catalog.md`). Templates are kept as the reference prints them, with `{#variable}`
//! placeholders; the `current` edition of the catalog turns them into `$variable` templates.
//!
//! ```
//! use ram_policy::catalog::authorization;
//! let ecs = authorization::service("ecs").unwrap();
//! let invoke = ecs.action("invokecommand").unwrap();
//! assert_eq!(invoke.access, "update");
//! assert_eq!(invoke.condition_keys, ["ecs:CommandRunAs"]);
//! assert!(ecs.action("RunInstances").unwrap().resources.is_empty()); // `*` only
//! ```

use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The reference files (the reviewed source of the data), by service prefix.
pub const EMBEDDED: &[(&str, &str)] = &[("ecs", include_str!("authorization/ecs.json"))];

/// What the library loads: the compact form of each file of [`EMBEDDED`] (see
/// `super::compact`), embedded at compile time.
pub const COMPACT: &[(&str, &str)] = &[("ecs", include_str!("authorization/ecs.compact"))];

/// One service's authorization reference.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceAuthorization {
    /// The service prefix (`ecs`).
    pub service: String,
    /// The reference file the data was imported from.
    pub source: ReferenceSource,
    /// Every action of the Action table, in the reference's order (sorted by name).
    pub actions: Vec<AuthorizedAction>,
    /// The Resource section: resource type → its ARN templates.
    pub resource_types: BTreeMap<String, Vec<String>>,
    /// The Condition section: the service's own condition keys.
    pub condition_keys: Vec<ConditionKey>,
    #[serde(skip)]
    pub(super) by_lower_name: FxHashMap<String, usize>,
}

/// Where the data comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSource {
    /// The reference file (`ecs-ram-authorization.md`).
    pub file: String,
    /// Its number of lines (a changed file shows up in review).
    pub lines: usize,
}

/// One row of the Action table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizedAction {
    /// The action name without the service prefix (`RunInstances`).
    pub name: String,
    /// The API operation, when its name differs from the action's (never, today).
    #[serde(default)]
    pub api: Option<String>,
    /// The line of the row in the reference file.
    pub line: u32,
    /// `get`, `list`, `create`, `update`, `delete` or `none`.
    pub access: String,
    /// The resource types RAM checks; empty: RAM checks `*` only (`All Resources`).
    pub resources: Vec<AuthorizedResource>,
    /// The service condition keys the action supports, as printed (`ecs:tag` stands for the
    /// `ecs:tag/<key>` family).
    #[serde(default)]
    pub condition_keys: Vec<String>,
}

/// One resource type of an action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizedResource {
    /// The resource type (`Instance`, `SecurityGroup`).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Whether the reference marks the type mandatory (`*Instance`).
    pub required: bool,
    /// The ARN templates, with `{#variable}` placeholders.
    pub arns: Vec<String>,
}

/// One key of the Condition section.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionKey {
    /// The key (`ecs:CommandRunAs`).
    pub key: String,
    /// Its data type, lower case (`string`, `boolean`).
    #[serde(rename = "type")]
    pub data_type: String,
    /// The line of the key in the reference file.
    pub line: u32,
}

/// Why a reference file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthorizationError {
    /// The file is not valid JSON of the expected shape.
    #[error("the authorization data of `{service}` is malformed at line {line}, column {column}: {message}")]
    Malformed {
        service: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Two actions share a name (ignoring case).
    #[error("the authorization data of `{service}` lists `{name}` twice")]
    DuplicateAction { service: String, name: String },
}

/// The embedded reference of every service, parsed once.
pub fn services() -> Result<&'static [ServiceAuthorization], AuthorizationError> {
    static PARSED: OnceLock<Result<Vec<ServiceAuthorization>, AuthorizationError>> =
        OnceLock::new();
    PARSED
        .get_or_init(|| {
            COMPACT
                .iter()
                .map(|(service, text)| ServiceAuthorization::from_compact(service, text))
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

/// The embedded reference of one service, by its prefix in any letter case.
pub fn service(prefix: &str) -> Option<&'static ServiceAuthorization> {
    services()
        .ok()?
        .iter()
        .find(|data| data.service.eq_ignore_ascii_case(prefix))
}

impl ServiceAuthorization {
    /// Parses and checks one service's reference data.
    pub fn from_json(service: &str, text: &str) -> Result<Self, AuthorizationError> {
        let data: ServiceAuthorization =
            serde_json::from_str(text).map_err(|error| AuthorizationError::Malformed {
                service: service.to_string(),
                line: error.line(),
                column: error.column(),
                message: error.to_string(),
            })?;
        data.indexed()
    }

    /// Reads one service's reference data in its compact form (see `super::compact`).
    pub fn from_compact(service: &str, text: &str) -> Result<Self, AuthorizationError> {
        super::compact::decode(super::compact::AUTHORIZATION, text).map_err(|error| {
            AuthorizationError::Malformed {
                service: service.to_string(),
                line: error.line,
                column: 1,
                message: error.message,
            }
        })
    }

    /// Builds the index by name; fails when two actions share a name.
    pub(super) fn indexed(mut self) -> Result<Self, AuthorizationError> {
        self.by_lower_name.clear();
        for (index, action) in self.actions.iter().enumerate() {
            if self
                .by_lower_name
                .insert(action.name.to_ascii_lowercase(), index)
                .is_some()
            {
                return Err(AuthorizationError::DuplicateAction {
                    service: self.service.clone(),
                    name: action.name.clone(),
                });
            }
        }
        Ok(self)
    }

    /// An action by name without the prefix, in any letter case.
    pub fn action(&self, name: &str) -> Option<&AuthorizedAction> {
        self.by_lower_name
            .get(&name.to_ascii_lowercase())
            .and_then(|&index| self.actions.get(index))
    }

    /// A condition key of the Condition section, in any letter case.
    pub fn condition_key(&self, key: &str) -> Option<&ConditionKey> {
        self.condition_keys
            .iter()
            .find(|known| known.key.eq_ignore_ascii_case(key))
    }
}

impl AuthorizedAction {
    /// Whether RAM checks `*` only for this action (`All Resources`).
    pub fn star_only(&self) -> bool {
        self.resources.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_reference_loads() {
        let ecs = service("ECS").unwrap();
        assert_eq!(ecs.actions.len(), 273);
        assert_eq!(ecs.condition_keys.len(), 23);
        let allocate = ecs.action("AllocateDedicatedHosts").unwrap();
        assert_eq!(allocate.access, "create");
        assert_eq!(
            allocate.resources[0].arns,
            ["acs:ecs:{#regionId}:{#accountId}:ddh/*"]
        );
        assert!(ecs.condition_key("ecs:commandrunas").is_some());
    }

    #[test]
    fn rejects_duplicate_actions() {
        let row = r#"{"name":"A","line":1,"access":"get","resources":[]}"#;
        let text = format!(
            r#"{{"service":"x","source":{{"file":"f","lines":1}},"actions":[{row},{row}],"resource_types":{{}},"condition_keys":[]}}"#
        );
        assert!(matches!(
            ServiceAuthorization::from_json("x", &text),
            Err(AuthorizationError::DuplicateAction { .. })
        ));
    }
}
