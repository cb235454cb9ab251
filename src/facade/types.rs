//! The facade's JSON, as types: one input type and one output type per export. Inputs derive
//! `Deserialize` with `deny_unknown_fields`; outputs derive `Serialize`. The TypeScript
//! declarations of the WebAssembly module (`src/facade/facade.d.ts`) are generated from these
//! types ([`super::typescript`]), so the contract is written once and checked by the compiler.
//!
//! Output members are written in the order of a [`serde_json::Value`] (alphabetical) by
//! [`super::to_value`], which every front end goes through, so the bytes are the same as when
//! the answers were built as values.

use crate::catalog::model::{ResourceEntry, Source};
use crate::catalog::{Action, Catalog, Edition, Erratum, FactSource};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[cfg(test)]
use ts_rs::TS;

/// A policy as the exports take it: the document as written (results point into it by line and
/// column) and the name results call it by (the CLI uses the file path).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(TS))]
pub struct PolicyText {
    pub name: String,
    pub text: String,
}

/// The options of `evaluate`, `explain` and `evaluateAndExplain`; absent, empty or `{}` means
/// none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(TS), ts(rename = "CallOptions"))]
pub struct OptionsInput {
    /// Condition keys and values; they replace the input's values of those keys (as the CLI's
    /// `--context KEY=VALUE`).
    #[serde(default)]
    #[cfg_attr(test, ts(optional, as = "Option<BTreeMap<String, ContextValues>>"))]
    pub context: BTreeMap<String, ContextValues>,
    /// The front end's clock, e.g. `new Date().toISOString()`: `acs:CurrentTime` of a call whose
    /// policies use that key and whose input gives none ([`super::current_time`]). The library
    /// never reads a clock.
    #[serde(default)]
    #[cfg_attr(test, ts(optional = nullable))]
    pub current_time: Option<String>,
    /// `explain` with kind `actiontrail`: explain every event, not only the denied ones.
    #[serde(default)]
    #[cfg_attr(test, ts(optional, as = "Option<bool>"))]
    pub all: bool,
}

/// A context key's value or values: strings, numbers or booleans (numbers and booleans are
/// taken as their JSON text).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(TS), ts(type = "Scalar | Scalar[]"))]
pub struct ContextValues(pub Vec<String>);

/// A parameter's or context key's value as written in JSON.
#[cfg(test)]
#[derive(TS)]
#[ts(type = "string | number | boolean")]
pub struct Scalar;

impl<'de> Deserialize<'de> for ContextValues {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Values;
        const EXPECTED: &str = "a string, number or boolean, or an array of those";
        impl<'de> Visitor<'de> for Values {
            type Value = Vec<String>;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(vec![value.to_string()])
            }
            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
                Ok(vec![value.to_string()])
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
                Ok(vec![serde_json::Number::from(value).to_string()])
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
                Ok(vec![serde_json::Number::from(value).to_string()])
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
                serde_json::Number::from_f64(value)
                    .map(|number| vec![number.to_string()])
                    .ok_or_else(|| E::custom("a number that is not finite"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<Scalar>()? {
                    values.push(value.0);
                }
                Ok(values)
            }
        }
        /// One element of an array: a scalar only.
        struct Scalar(String);
        impl<'de> Deserialize<'de> for Scalar {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct One;
                impl<'de> Visitor<'de> for One {
                    type Value = String;
                    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                        formatter.write_str(EXPECTED)
                    }
                    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
                        Ok(value.to_string())
                    }
                    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
                        Ok(value.to_string())
                    }
                    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
                        Ok(serde_json::Number::from(value).to_string())
                    }
                    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
                        Ok(serde_json::Number::from(value).to_string())
                    }
                    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
                        serde_json::Number::from_f64(value)
                            .map(|number| number.to_string())
                            .ok_or_else(|| E::custom("a number that is not finite"))
                    }
                }
                deserializer.deserialize_any(One).map(Scalar)
            }
        }
        deserializer.deserialize_any(Values).map(ContextValues)
    }
}

/// What `explain`'s input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(test, derive(TS), ts(rename_all = "snake_case"))]
pub enum ExplainKind {
    /// A request, as for `resolve`.
    Request,
    /// ActionTrail events: one event, a JSON array, JSON lines, a Log Service export, a
    /// `LookupEvents` response.
    Actiontrail,
    /// An ECS error body with `AccessDeniedDetail`, or a `DecodeDiagnosticMessage` response.
    Error,
}

/// A request, as `resolve`, `evaluate` and `explain` take it (JSON text; read by
/// [`crate::request::Request::from_json`], which names the place of a mistake) and as
/// `buildRequest` makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "ResolveRequest"))]
pub struct RequestDocument {
    /// With or without the `ecs:` prefix, any letter case.
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional, as = "Option<Scalar>"))]
    pub account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub region: Option<String>,
    /// Parameter values: strings, numbers, booleans, or arrays of those.
    #[serde(serialize_with = "ordered_map")]
    #[cfg_attr(test, ts(optional, as = "Option<BTreeMap<String, ContextValues>>"))]
    pub params: Vec<(String, String)>,
    /// Condition keys and their value or values.
    #[serde(serialize_with = "ordered_map")]
    #[cfg_attr(test, ts(optional, as = "Option<BTreeMap<String, ContextValues>>"))]
    pub context: Vec<(String, OneOrMany)>,
}

/// One value, or several (a context key given several times).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// Pairs as a JSON object, in their order (the editor shows the request as built).
fn ordered_map<S: serde::Serializer, V: Serialize>(
    pairs: &[(String, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(key, value)| (key, value)))
}

/// `setCatalogEdition`'s value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct EditionChoice {
    pub edition: Edition,
}

/// `catalog`'s value: the same JSON as `ram-policy actions --format json`.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "Catalog"))]
pub struct CatalogView<'a> {
    /// The edition in use (`setCatalogEdition`).
    pub edition: Edition,
    /// The service prefixes the catalog covers.
    pub services: &'a [String],
    pub source: &'a Source,
    pub actions: Vec<ActionView<'a>>,
    pub errata: &'a [Erratum],
}

impl<'a> CatalogView<'a> {
    /// The catalog as data.
    pub fn new(catalog: &'a Catalog) -> Self {
        CatalogView {
            edition: catalog.edition_name(),
            services: catalog.services(),
            source: &catalog.file().source,
            actions: catalog.actions().iter().map(ActionView::new).collect(),
            errata: catalog.errata(),
        }
    }
}

/// One action of the catalog.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "CatalogAction"))]
pub struct ActionView<'a> {
    /// `ecs:Name`, `vpc:Name`.
    pub action: &'a str,
    pub name: &'a str,
    pub service: &'a str,
    /// Where the authorization facts come from.
    pub source: FactSource,
    /// Whether the name is an API of the service's metadata.
    pub api: bool,
    /// False for a real API that no authorization entry documents.
    pub authorization_documented: bool,
    /// `get`, `list`, `create`, `update`, `delete` or `none` (today's reference), or null.
    pub access_level: Option<&'a str>,
    pub resource_types: &'a [String],
    pub condition_keys: &'a [String],
    pub reference_line: Option<u32>,
    /// Edition `current`: the seed's templates where they differ (`[]`: `*` only), else null.
    pub seed_resources: Option<&'a [String]>,
    /// Reference templates no request parameter fills.
    pub unbound_resources: &'a [String],
    pub category: &'a str,
    pub description: &'a str,
    pub overview_line: Option<u32>,
    pub table_line: Option<u32>,
    pub api_page_line: Option<u32>,
    pub resource_level: bool,
    pub resources: Vec<ResourceView<'a>>,
}

impl<'a> ActionView<'a> {
    fn new(action: &'a Action) -> Self {
        let entry = action.entry();
        let facts = action.facts();
        let resource_level = action.has_resource_level_authorization();
        ActionView {
            action: action.qualified_name(),
            name: &entry.name,
            service: &facts.service,
            source: facts.source,
            api: facts.is_api,
            authorization_documented: action.authorization_documented(),
            access_level: facts.access.as_deref(),
            resource_types: &facts.resource_types,
            condition_keys: &facts.condition_keys,
            reference_line: facts.reference_line,
            seed_resources: facts.seed_templates.as_deref(),
            unbound_resources: &facts.unbound,
            category: &entry.category,
            description: &entry.description,
            overview_line: entry.overview_line,
            table_line: entry.table_line,
            api_page_line: entry.api_page_line,
            resource_level,
            resources: if resource_level {
                action
                    .resources()
                    .iter()
                    .map(|resource| ResourceView::Scoped(ScopedResource::new(resource.entry())))
                    .collect()
            } else {
                vec![ResourceView::Any { template: "*" }]
            },
        }
    }
}

/// One resource RAM checks for an action. Actions without resource-level authorization have
/// the single entry `{"template": "*"}`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
#[cfg_attr(test, derive(TS), ts(rename = "CatalogResource"))]
pub enum ResourceView<'a> {
    Any { template: &'static str },
    Scoped(ScopedResource<'a>),
}

/// A resource with its ARN template and where each variable's value comes from.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ScopedResource<'a> {
    pub template: &'a str,
    pub printed: &'a str,
    pub line: u32,
    pub optional: bool,
    pub unless_params: &'a [String],
    pub bindings: &'a BTreeMap<String, crate::catalog::Binding>,
    pub errata: &'a [String],
}

impl<'a> ScopedResource<'a> {
    fn new(data: &'a ResourceEntry) -> Self {
        ScopedResource {
            template: &data.template,
            printed: &data.printed,
            line: data.line,
            optional: data.optional,
            unless_params: &data.unless_params,
            bindings: &data.bindings,
            errata: &data.errata,
        }
    }
}

/// `resolve`'s value: the same JSON as `ram-policy resolve FILE --format json`.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Resolution<'a> {
    pub action: &'a str,
    // The ARNs, each made as it is written (a plain comment: doc comments reach facade.d.ts).
    #[serde(serialize_with = "arns")]
    #[cfg_attr(test, ts(as = "Vec<String>"))]
    pub resources: &'a crate::resolve::ResolvedResources,
}

fn arns<S: serde::Serializer>(
    resources: &crate::resolve::ResolvedResources,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(resources.arns())
}

/// `lint`'s value. Malformed JSON is a finding, so lint never fails.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "LintResult"))]
pub struct LintOutput {
    pub findings: Vec<crate::lint::Finding>,
}

/// `rules`'s value: `ram-policy rules --format json`.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "Rules"))]
pub struct RulesOutput {
    pub rules: &'static [crate::lint::RuleMeta],
}

/// `explain`'s value ([`crate::explain::inputs::Report::view`]).
pub type ExplainOutput<'a> = crate::explain::inputs::ReportView<'a>;

/// `generate`'s value ([`crate::generate::Generation::view`]), with the input kind found when
/// the options said `"input": "auto"`.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct GenerateOutput<'a> {
    #[serde(flatten)]
    pub generation: crate::generate::GenerationView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub detected_input: Option<&'static str>,
}

/// `evaluateAndExplain`'s value: the editor's one call per edit.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct EvaluationAndExplanation<'a> {
    #[cfg_attr(test, ts(as = "super::EvaluationView<'a>"))]
    pub evaluation: super::EvaluationJson<'a>,
    pub explanation: ExplainOutput<'a>,
}

/// Every export's failure: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "FacadeError"))]
pub struct ErrorOutput {
    pub error: crate::error::ErrorBody,
}
