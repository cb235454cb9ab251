//! The API metadata layer: every API of a service and the shape of each request parameter.
//!
//! This layer answers two questions the authorization table cannot: *is this name an API of the
//! service at all?* (a real API with no authorization entry is not a typo), and *in which shapes
//! may a parameter arrive?* (`SecurityGroupIds.1`, a JSON-encoded list, `NetworkInterface.1.
//! SecurityGroupId`, …), so that a request is read the way the service reads it.
//!
//! The data lives in `src/catalog/api/<service>.json`, one file per service, written by
//! `scripts/catalog/import_api_metadata.py` from the OpenAPI metadata in
//! `../shared/reference/current/openapi/` (see `docs/catalog.md`). Shapes are written as:
//!
//! | data | shape | how a request carries it |
//! | --- | --- | --- |
//! | `"string"`, `"integer"`, `"boolean"`, `"number"` | [`Shape::Scalar`] | `Name=value` |
//! | `{"list": SHAPE}` | [`Shape::List`] with [`ListStyle::RepeatList`] | `Name.1`, `Name.2`, … |
//! | `{"flat_list": SHAPE}` | [`Shape::List`] with [`ListStyle::Flat`] | serialised like a repeat list |
//! | `{"object": [[MEMBER, SHAPE], …]}` | [`Shape::Object`] | `Name.Member` |
//! | `{"json": SHAPE}` | [`Shape::Json`] | one JSON-encoded string |
//!
//! ```
//! use ram_policy::catalog::api::{self, Shape};
//! let ecs = api::service("ecs").unwrap();
//! let run = ecs.api("runinstances").unwrap();
//! assert_eq!(run.name(), "RunInstances");
//! let groups = run.param("SecurityGroupIds").unwrap();
//! assert!(matches!(groups.shape(), Shape::List { .. }));
//! assert!(ecs.api("RunInstance").is_none());
//! ```

use rustc_hash::FxHashMap;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::sync::OnceLock;

/// The metadata files (the reviewed source of the data), by service prefix.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("ecs", include_str!("ecs.json")),
    ("vpc", include_str!("vpc.json")),
];

/// What the library loads: the compact form of each file of [`EMBEDDED`] (see
/// `super::compact`), embedded at compile time.
pub const COMPACT: &[(&str, &str)] = &[
    ("ecs", include_str!("ecs.compact")),
    ("vpc", include_str!("vpc.compact")),
];

/// Every API of one service.
#[derive(Debug, PartialEq)]
pub struct ServiceApis {
    pub(super) service: String,
    pub(super) version: String,
    pub(super) source: Source,
    pub(super) apis: Vec<Api>,
    by_lower_name: FxHashMap<String, usize>,
}

/// Where a service's metadata comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The reference file it was imported from.
    pub file: String,
    /// Where that file comes from (repository, path and commit).
    pub origin: String,
}

/// One API and its request parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub(super) name: String,
    pub(super) deprecated: bool,
    pub(super) params: Vec<Param>,
}

/// One request parameter: its name and shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub(super) name: String,
    pub(super) shape: Shape,
}

/// How a parameter's value is structured.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// One value.
    Scalar(Scalar),
    /// A list of values: `Name.1`, `Name.2`, …
    List {
        /// The shape of each item.
        items: Box<Shape>,
        /// The metadata's serialisation style.
        style: ListStyle,
    },
    /// A structure: `Name.Member`, members in the metadata's order.
    Object(Vec<Param>),
    /// A value sent as one JSON-encoded string.
    Json(Box<Shape>),
}

/// The type of a single value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scalar {
    String,
    Integer,
    Boolean,
    Number,
}

/// How the metadata says a list is serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// `repeatList`: `Name.1`, `Name.2`, …
    RepeatList,
    /// `flat`: serialised like a repeat list by the SDKs.
    Flat,
}

/// Why a metadata file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiMetadataError {
    /// The file is not valid JSON of the metadata's shape.
    #[error(
        "the API metadata of `{service}` is malformed at line {line}, column {column}: {message}"
    )]
    Malformed {
        service: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// Two APIs share a name (ignoring case).
    #[error("the API metadata of `{service}` lists `{name}` twice")]
    DuplicateApi { service: String, name: String },
}

/// The embedded metadata of every service, parsed once.
pub fn services() -> Result<&'static [ServiceApis], ApiMetadataError> {
    static PARSED: OnceLock<Result<Vec<ServiceApis>, ApiMetadataError>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            COMPACT
                .iter()
                .map(|(service, text)| ServiceApis::from_compact(service, text))
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

/// The embedded metadata of one service (`ecs`, `vpc`), by its prefix in any letter case.
pub fn service(prefix: &str) -> Option<&'static ServiceApis> {
    services()
        .ok()?
        .iter()
        .find(|apis| apis.service.eq_ignore_ascii_case(prefix))
}

impl ServiceApis {
    /// Parses and checks one service's metadata file.
    pub fn from_json(service: &str, text: &str) -> Result<ServiceApis, ApiMetadataError> {
        let file: FileData =
            serde_json::from_str(text).map_err(|error| ApiMetadataError::Malformed {
                service: service.to_string(),
                line: error.line(),
                column: error.column(),
                message: error.to_string(),
            })?;
        let apis = file
            .apis
            .into_iter()
            .map(|(name, data)| Api {
                name,
                deprecated: data.deprecated,
                params: data.params.into_iter().map(Param::from).collect(),
            })
            .collect();
        ServiceApis::new(file.service, file.version, file.source, apis)
    }

    /// Reads one service's metadata in its compact form (see `super::compact`).
    pub fn from_compact(service: &str, text: &str) -> Result<ServiceApis, ApiMetadataError> {
        super::compact::decode(super::compact::API, text).map_err(|error| {
            ApiMetadataError::Malformed {
                service: service.to_string(),
                line: error.line,
                column: 1,
                message: error.message,
            }
        })
    }

    /// Checks and indexes the APIs of one service (sorted by name).
    pub(super) fn new(
        service: String,
        version: String,
        source: Source,
        apis: Vec<Api>,
    ) -> Result<ServiceApis, ApiMetadataError> {
        let mut by_lower_name = FxHashMap::default();
        for (index, api) in apis.iter().enumerate() {
            if by_lower_name
                .insert(api.name.to_ascii_lowercase(), index)
                .is_some()
            {
                return Err(ApiMetadataError::DuplicateApi {
                    service,
                    name: api.name.clone(),
                });
            }
        }
        Ok(ServiceApis {
            service,
            version,
            source,
            apis,
            by_lower_name,
        })
    }

    /// The service prefix (`ecs`).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The API version the metadata describes (`2014-05-26`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Where the metadata comes from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Every API, sorted by name.
    pub fn apis(&self) -> &[Api] {
        &self.apis
    }

    /// The API of this name, in any letter case, without the service prefix.
    pub fn api(&self, name: &str) -> Option<&Api> {
        self.by_lower_name
            .get(&name.to_ascii_lowercase())
            .and_then(|&index| self.apis.get(index))
    }
}

impl Api {
    /// The API's name as the service spells it (`RunInstances`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the metadata marks the API as deprecated.
    pub fn deprecated(&self) -> bool {
        self.deprecated
    }

    /// The request parameters, in the metadata's order.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The parameter of this exact name (parameter names are case-sensitive in the APIs).
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|param| param.name == name)
    }
}

impl Param {
    /// The parameter's name (`SecurityGroupIds`, `SystemDisk.Category`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How its value is structured.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }
}

impl Shape {
    /// The member of this object shape (looking through a JSON encoding), if any.
    pub fn member(&self, name: &str) -> Option<&Param> {
        match self {
            Shape::Object(members) => members.iter().find(|member| member.name == name),
            Shape::Json(inner) => inner.member(name),
            Shape::Scalar(_) | Shape::List { .. } => None,
        }
    }
}

/// The file as stored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileData {
    service: String,
    version: String,
    source: Source,
    /// Sorted by name, as in the file.
    apis: std::collections::BTreeMap<String, ApiData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiData {
    params: Vec<(String, Shape)>,
    #[serde(default)]
    deprecated: bool,
}

impl From<(String, Shape)> for Param {
    fn from((name, shape): (String, Shape)) -> Self {
        Param { name, shape }
    }
}

/// The written form of a shape (see the module documentation).
#[derive(Deserialize)]
#[serde(untagged)]
enum ShapeData {
    Scalar(Scalar),
    Composite(CompositeData),
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum CompositeData {
    List(Shape),
    FlatList(Shape),
    Object(Vec<(String, Shape)>),
    Json(Shape),
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let data = ShapeData::deserialize(deserializer).map_err(|_| {
            de::Error::custom(
                "expected a shape: a scalar type name or one of `list`, `flat_list`, `object`, `json`",
            )
        })?;
        Ok(match data {
            ShapeData::Scalar(scalar) => Shape::Scalar(scalar),
            ShapeData::Composite(CompositeData::List(items)) => Shape::List {
                items: Box::new(items),
                style: ListStyle::RepeatList,
            },
            ShapeData::Composite(CompositeData::FlatList(items)) => Shape::List {
                items: Box::new(items),
                style: ListStyle::Flat,
            },
            ShapeData::Composite(CompositeData::Object(members)) => {
                Shape::Object(members.into_iter().map(Param::from).collect())
            }
            ShapeData::Composite(CompositeData::Json(inner)) => Shape::Json(Box::new(inner)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_metadata_loads_with_every_api() {
        let services = services().unwrap();
        let counts: Vec<(&str, usize)> = services
            .iter()
            .map(|apis| (apis.service(), apis.apis().len()))
            .collect();
        assert_eq!(counts, [("ecs", 356), ("vpc", 394)]);
        assert_eq!(service("ECS").unwrap().version(), "2014-05-26");
    }

    #[test]
    fn nested_shapes_are_kept() {
        let run = service("ecs").unwrap().api("RunInstances").unwrap();
        let Some(Shape::List { items, style }) = run.param("NetworkInterface").map(Param::shape)
        else {
            panic!("NetworkInterface is a list");
        };
        assert_eq!(*style, ListStyle::RepeatList);
        assert_eq!(
            items.member("SecurityGroupId").map(Param::shape),
            Some(&Shape::Scalar(Scalar::String))
        );
        assert!(matches!(
            items.member("SecurityGroupIds").map(Param::shape),
            Some(Shape::List { .. })
        ));
        assert!(matches!(
            run.param("SystemDisk").map(Param::shape),
            Some(Shape::Object(_))
        ));
        let nat = service("vpc").unwrap().api("CreateNatGateway").unwrap();
        assert!(matches!(
            nat.param("AccessMode").map(Param::shape),
            Some(Shape::Json(_))
        ));
    }

    #[test]
    fn lookups_ignore_case_of_api_names_only() {
        let ecs = service("ecs").unwrap();
        assert_eq!(
            ecs.api("describeinstances").unwrap().name(),
            "DescribeInstances"
        );
        let run = ecs.api("RunInstances").unwrap();
        assert!(run.param("securitygroupids").is_none());
    }

    #[test]
    fn malformed_and_duplicate_data_are_refused() {
        let bad = r#"{"service":"x","version":"1","source":{"file":"f","origin":"o"},"apis":{"A":{"params":[["P",{"tuple":"string"}]]}}}"#;
        assert!(matches!(
            ServiceApis::from_json("x", bad),
            Err(ApiMetadataError::Malformed { .. })
        ));
        let twice = r#"{"service":"x","version":"1","source":{"file":"f","origin":"o"},"apis":{"A":{"params":[]},"a":{"params":[]}}}"#;
        assert_eq!(
            ServiceApis::from_json("x", twice).unwrap_err(),
            ApiMetadataError::DuplicateApi {
                service: "x".into(),
                name: "a".into()
            }
        );
    }
}
