//! How the catalog's layers are written in the compact form ([`crate::compact`]): the seed's
//! table (`ecs.compact`), today's authorization reference (`authorization/<service>.compact`) and
//! the API metadata (`api/<service>.compact`), each generated from the JSON file beside it.
//! The API metadata's shapes, the bulk of the data, are one letter: `s`, `i`, `b`, `n` for the
//! scalars `string`, `integer`, `boolean`, `number`; `L` (list), `F` (flat list), `O` (an object,
//! followed by its members) and `J` (JSON-encoded), each followed by the inner shape.

use super::api::{Api, ListStyle, Param, Scalar, ServiceApis, Shape, Source as ApiSource};
use super::authorization::{
    AuthorizedAction, AuthorizedResource, ConditionKey, ReferenceSource, ServiceAuthorization,
};
use super::model::{
    ActionEntry, Arity, Binding, CatalogFile, Erratum, ParamSource, PrintedName, ResourceEntry,
    Source,
};
pub use crate::compact::decode;
use crate::compact::{compact_record, Compact, CompactError, Reader};
#[cfg(test)]
use crate::compact::{encode, Writer};

// The seed's table (`src/catalog/ecs.json`, `model.rs`).
compact_record!(CatalogFile {
    source,
    actions,
    errata
});
compact_record!(Source {
    service,
    seed,
    document_version
});
compact_record!(ActionEntry {
    name,
    category,
    description,
    overview_line,
    table_line,
    api_page_line,
    printed_names,
    resources,
});
compact_record!(PrintedName {
    name,
    place,
    line,
    erratum
});
compact_record!(ResourceEntry {
    printed,
    line,
    template,
    printed_optional,
    optional,
    unless_params,
    bindings,
    errata,
});
compact_record!(ParamSource {
    name,
    arity,
    seed_line
});
compact_record!(Erratum {
    id,
    line,
    action,
    kind,
    printed,
    corrected,
    reason,
});

impl Compact for Binding {
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        match self {
            Binding::Region { param } => {
                out.variant("region");
                param.write(out);
            }
            Binding::Account => out.variant("account"),
            Binding::Param { params } => {
                out.variant("param");
                params.write(out);
            }
            Binding::ResourceType { param, values } => {
                out.variant("resource_type");
                param.write(out);
                values.write(out);
            }
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        Ok(match input.variant()? {
            "region" => Binding::Region {
                param: Compact::read(input)?,
            },
            "account" => Binding::Account,
            "param" => Binding::Param {
                params: Compact::read(input)?,
            },
            "resource_type" => Binding::ResourceType {
                param: Compact::read(input)?,
                values: Compact::read(input)?,
            },
            other => return input.unknown_variant("binding", other),
        })
    }
}

impl Compact for super::Edition {
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        out.variant(self.name());
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        let name = input.variant()?;
        super::Edition::parse(name).or_else(|_| input.unknown_variant("edition", name))
    }
}

impl Compact for Arity {
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        out.variant(match self {
            Arity::Single => "single",
            Arity::Repeat => "repeat",
            Arity::JsonArray => "json_array",
            Arity::CommaList => "comma_list",
        });
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        Ok(match input.variant()? {
            "single" => Arity::Single,
            "repeat" => Arity::Repeat,
            "json_array" => Arity::JsonArray,
            "comma_list" => Arity::CommaList,
            other => return input.unknown_variant("arity", other),
        })
    }
}

// Today's authorization reference (`src/catalog/authorization/<service>.json`). The index by
// name is not data: it is built after reading.
impl Compact for ServiceAuthorization {
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        self.service.write(out);
        self.source.write(out);
        self.actions.write(out);
        self.resource_types.write(out);
        self.condition_keys.write(out);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        let data = ServiceAuthorization {
            service: Compact::read(input)?,
            source: Compact::read(input)?,
            actions: Compact::read(input)?,
            resource_types: Compact::read(input)?,
            condition_keys: Compact::read(input)?,
            by_lower_name: Default::default(),
        };
        let line = input.line();
        data.indexed().map_err(|error| CompactError {
            line,
            message: error.to_string(),
        })
    }
}
compact_record!(ReferenceSource { file, lines });
compact_record!(AuthorizedAction {
    name,
    api,
    line,
    access,
    resources,
    condition_keys,
});
compact_record!(AuthorizedResource {
    resource_type,
    required,
    arns,
});
compact_record!(ConditionKey {
    key,
    data_type,
    line,
});

// The API metadata (`src/catalog/api/<service>.json`). The index by name is built after reading.
impl Compact for ServiceApis {
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        self.service.write(out);
        self.version.write(out);
        self.source.write(out);
        self.apis.write(out);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        let service = String::read(input)?;
        let version = String::read(input)?;
        let source = ApiSource::read(input)?;
        let apis = Vec::<Api>::read(input)?;
        let line = input.line();
        ServiceApis::new(service, version, source, apis).map_err(|error| CompactError {
            line,
            message: error.to_string(),
        })
    }
}
compact_record!(ApiSource { file, origin });
compact_record!(Api {
    name,
    deprecated,
    params,
});
compact_record!(Param { name, shape });

impl Compact for Shape {
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        match self {
            Shape::Scalar(Scalar::String) => out.variant("s"),
            Shape::Scalar(Scalar::Integer) => out.variant("i"),
            Shape::Scalar(Scalar::Boolean) => out.variant("b"),
            Shape::Scalar(Scalar::Number) => out.variant("n"),
            Shape::List {
                items,
                style: ListStyle::RepeatList,
            } => {
                out.variant("L");
                items.write(out);
            }
            Shape::List {
                items,
                style: ListStyle::Flat,
            } => {
                out.variant("F");
                items.write(out);
            }
            Shape::Object(members) => {
                out.variant("O");
                members.write(out);
            }
            Shape::Json(inner) => {
                out.variant("J");
                inner.write(out);
            }
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        Ok(match input.variant()? {
            "s" => Shape::Scalar(Scalar::String),
            "i" => Shape::Scalar(Scalar::Integer),
            "b" => Shape::Scalar(Scalar::Boolean),
            "n" => Shape::Scalar(Scalar::Number),
            "L" => Shape::List {
                items: Box::new(Shape::read(input)?),
                style: ListStyle::RepeatList,
            },
            "F" => Shape::List {
                items: Box::new(Shape::read(input)?),
                style: ListStyle::Flat,
            },
            "O" => Shape::Object(Compact::read(input)?),
            "J" => Shape::Json(Box::new(Shape::read(input)?)),
            other => return input.unknown_variant("shape", other),
        })
    }
}

/// The layers' names on the first line of their compact files.
pub const SEED: &str = "seed";
/// See [`SEED`].
pub const AUTHORIZATION: &str = "authorization";
/// See [`SEED`].
pub const API: &str = "api";

/// The catalog's compact files, as (path under `src/catalog/`, compact form of its JSON source),
/// computed from the sources. A test keeps the committed files equal to them.
#[cfg(test)]
pub fn encode_sources() -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    let seed: CatalogFile = serde_json::from_str(super::ECS_CATALOG_JSON)
        .map_err(|error| format!("ecs.json: {error}"))?;
    files.push(("ecs.compact".to_string(), encode(SEED, &seed)));
    for (service, text) in super::authorization::EMBEDDED {
        let data = ServiceAuthorization::from_json(service, text).map_err(|e| e.to_string())?;
        files.push((
            format!("authorization/{service}.compact"),
            encode(AUTHORIZATION, &data),
        ));
    }
    for (service, text) in super::api::EMBEDDED {
        let data = ServiceApis::from_json(service, text).map_err(|e| e.to_string())?;
        files.push((format!("api/{service}.compact"), encode(API, &data)));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_compact_forms_decode_to_the_sources() {
        let seed: CatalogFile = serde_json::from_str(super::super::ECS_CATALOG_JSON).unwrap();
        let compact: CatalogFile = decode(SEED, super::super::ECS_CATALOG_COMPACT).unwrap();
        assert_eq!(compact, seed);

        let sources = super::super::authorization::EMBEDDED;
        let compacts = super::super::authorization::COMPACT;
        assert_eq!(sources.len(), compacts.len());
        for ((service, json), (compact_service, compact)) in sources.iter().zip(compacts) {
            assert_eq!(service, compact_service);
            let from_json = ServiceAuthorization::from_json(service, json).unwrap();
            let from_compact = ServiceAuthorization::from_compact(service, compact).unwrap();
            assert_eq!(from_compact, from_json, "{service}");
        }

        let sources = super::super::api::EMBEDDED;
        let compacts = super::super::api::COMPACT;
        assert_eq!(sources.len(), compacts.len());
        for ((service, json), (compact_service, compact)) in sources.iter().zip(compacts) {
            assert_eq!(service, compact_service);
            let from_json = ServiceApis::from_json(service, json).unwrap();
            let from_compact = ServiceApis::from_compact(service, compact).unwrap();
            assert_eq!(from_compact, from_json, "{service}");
        }
    }
}
