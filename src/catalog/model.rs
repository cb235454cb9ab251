//! The shape of `ecs.json`, the catalog data file. Every field is documented in `docs/catalog.md`.
//!
//! Unknown fields are rejected so that a typo in the data file fails the build's tests instead of
//! being silently ignored.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The whole catalog file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Where the data comes from.
    pub source: Source,
    /// Every ECS action: the table's 80 and the overview's 150, merged by canonical name.
    pub actions: Vec<ActionEntry>,
    /// Every correction made to what the seed prints.
    pub errata: Vec<Erratum>,
}

/// The seed document the catalog was read from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Source {
    /// The service prefix of the seed's actions (`ecs`).
    pub service: String,
    /// File name of the seed (`000_5d5991c6436aa2be.txt`).
    pub seed: String,
    /// The document version the seed states.
    pub document_version: String,
}

/// One ECS API action.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionEntry {
    /// Canonical API name, without the `ecs:` prefix (`RunInstances`).
    pub name: String,
    /// English name of the overview category (`Instances`, `Disks`, …).
    pub category: String,
    /// One English line saying what the action does.
    pub description: String,
    /// Seed line of the action's row in the overview (section 1), if it has one.
    pub overview_line: Option<u32>,
    /// Seed line of the action's row in the authorization table (section 2), if it has one.
    pub table_line: Option<u32>,
    /// Seed line of the heading of the action's API page (sections 3–11), if it has one.
    pub api_page_line: Option<u32>,
    /// Names under which the seed prints this action elsewhere, when they differ from `name`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub printed_names: Vec<PrintedName>,
    /// The resources RAM checks. Empty means no resource-level authorization: the resource is `*`.
    #[serde(default)]
    pub resources: Vec<ResourceEntry>,
}

/// A spelling of an action name as printed somewhere in the seed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintedName {
    pub name: String,
    /// `overview`, `table` or `api_page`.
    pub place: String,
    pub line: u32,
    /// The erratum that explains the difference.
    pub erratum: String,
}

/// One ARN template of an action.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceEntry {
    /// The template exactly as the seed prints it (without a `(オプション)` prefix).
    pub printed: String,
    /// Seed line of the printed template.
    pub line: u32,
    /// The template that is used: equal to `printed` unless an erratum corrects it.
    pub template: String,
    /// Whether the seed prints `(オプション)` before the template.
    #[serde(default)]
    pub printed_optional: bool,
    /// When true, the resource is skipped if its parameters are absent; when false, a missing
    /// parameter is an error.
    pub optional: bool,
    /// The resource is checked only when none of these parameters is given (the `…/*` half of a
    /// Describe-style pair).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless_params: Vec<String>,
    /// How each `$variable` of `template` gets its value, by variable name without `$`.
    pub bindings: BTreeMap<String, Binding>,
    /// Errata that changed this resource.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errata: Vec<String>,
}

/// Where a template variable's value comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Binding {
    /// Without `param`: the `RegionId` parameter, or the request's endpoint region when the
    /// parameter is absent. With `param`: that parameter only (CopyImage's
    /// `DestinationRegionId`), missing when absent.
    Region {
        /// The parameter that names this region instead of `RegionId`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(test, ts(optional))]
        param: Option<String>,
    },
    /// The request's account id.
    Account,
    /// Request parameters, read in order; their values are concatenated.
    Param { params: Vec<ParamSource> },
    /// The resource type named by a parameter (the tag actions), mapped to the ARN's type word.
    ResourceType {
        param: String,
        /// Lower-case parameter value → ARN resource type.
        values: BTreeMap<String, String>,
    },
}

/// One request parameter feeding a binding.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ParamSource {
    /// The parameter name; a repeat list is written with `.N` (`SecurityGroupIds.N`,
    /// `DataDisk.N.SnapshotId`).
    pub name: String,
    /// How many values the parameter carries.
    pub arity: Arity,
    /// Seed line where the parameter is documented, when the seed has an API page for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub seed_line: Option<u32>,
}

/// How a parameter carries its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Arity {
    /// One value.
    Single,
    /// `Name.1`, `Name.2`, … (written `Name.N`).
    Repeat,
    /// A JSON array in a string: `'["i-1","i-2"]'` (a real JSON array is accepted too).
    JsonArray,
    /// A comma-separated list: `m-1,m-2`.
    CommaList,
}

/// A correction to what the seed prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Erratum {
    /// Stable id, `E01`, `E02`, …
    pub id: String,
    /// Seed line of the mistake.
    pub line: u32,
    /// The action concerned (canonical name).
    pub action: String,
    /// `wrong_resource_type`, `truncated_template`, `wrong_service`, `variable_spelling`,
    /// `action_name`, `optionality`, `unbindable_variable`, …
    pub kind: String,
    /// What the seed prints.
    pub printed: String,
    /// What the catalog uses instead.
    pub corrected: String,
    /// Why.
    pub reason: String,
}
