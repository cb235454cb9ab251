//! The compact form of the catalog data that the library embeds.
//!
//! The JSON files under `src/catalog/` (the seed's table, today's authorization reference, the API
//! metadata) are the reviewed source: the import scripts write them and `docs/catalog.md`
//! describes them. What the library embeds and loads is a compact form of each, generated from
//! them by [`encode_sources`] and committed beside its source as `<name>.compact`: the same
//! values in the same order without member names, quotes or indentation. It is smaller in the
//! WebAssembly module, and loading it needs no serde deserializer per data type (see
//! `docs/wasm.md`, "Sizes").
//!
//! A test compares each committed compact file with the compact form of its source and decodes it
//! back to exactly the source's values; regenerate after changing a source with
//!
//! ```text
//! UPDATE_COMPACT=1 cargo test --lib catalog::compact
//! ```
//!
//! # Format
//!
//! UTF-8 text, one value per line: the first line names the format and the layer
//! (`ram-policy compact 1 seed`). A string is its text with `\` written `\\`, a line feed `\n`
//! and a carriage return `\r`; a number is decimal; a flag is `0` or `1`; an optional number is
//! empty when absent; an optional string is a flag line followed, when set, by the string; a list
//! or a map is its length followed by its items (a map's items are key then value); a record is
//! its fields in declaration order; an enum is its variant's name followed by the variant's
//! fields. The API metadata's shapes, the bulk of the data, are one letter: `s`, `i`, `b`, `n` for
//! the scalars `string`, `integer`, `boolean`, `number`; `L` (list), `F` (flat list), `O` (an
//! object, followed by its members) and `J` (JSON-encoded), each followed by the inner shape.

use super::api::{Api, ListStyle, Param, Scalar, ServiceApis, Shape, Source as ApiSource};
use super::authorization::{
    AuthorizedAction, AuthorizedResource, ConditionKey, ReferenceSource, ServiceAuthorization,
};
use super::model::{
    ActionEntry, Arity, Binding, CatalogFile, Erratum, ParamSource, PrintedName, ResourceEntry,
    Source,
};
use std::collections::BTreeMap;

/// The format's version, on the first line of every compact file.
const VERSION: &str = "ram-policy compact 1";

/// A compact file that cannot be read: the line and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CompactError {
    /// 1-based line of the compact file.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

/// Writes values in the compact form.
pub struct Writer {
    out: String,
}

/// Reads values written by a [`Writer`], in the same order.
pub struct Reader<'a> {
    rest: &'a str,
    line: usize,
}

/// A value with a compact form; `read` reads back exactly what `write` wrote.
pub trait Compact: Sized {
    /// Appends the value.
    fn write(&self, out: &mut Writer);
    /// Reads one value.
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError>;
}

impl Writer {
    /// A compact file of this layer (`seed`, `authorization`, `api`).
    pub fn new(layer: &str) -> Writer {
        let mut writer = Writer { out: String::new() };
        writer.token(&format!("{VERSION} {layer}"));
        writer
    }

    /// The text written so far.
    pub fn finish(self) -> String {
        self.out
    }

    fn token(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn string(&mut self, text: &str) {
        for character in text.chars() {
            match character {
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                other => self.out.push(other),
            }
        }
        self.out.push('\n');
    }

    fn variant(&mut self, name: &str) {
        self.token(name);
    }
}

impl<'a> Reader<'a> {
    /// Reads a compact file of this layer; fails unless its first line names the format and it.
    pub fn new(text: &'a str, layer: &str) -> Result<Reader<'a>, CompactError> {
        let mut reader = Reader {
            rest: text,
            line: 0,
        };
        let header = reader.token()?;
        if header
            .strip_prefix(VERSION)
            .and_then(|rest| rest.strip_prefix(' '))
            != Some(layer)
        {
            return Err(reader.error(format!("expected `{VERSION} {layer}`")));
        }
        Ok(reader)
    }

    /// Fails unless every line has been read.
    pub fn finish(mut self) -> Result<(), CompactError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            self.line += 1;
            Err(self.error("expected the end of the file".into()))
        }
    }

    fn error(&self, message: String) -> CompactError {
        CompactError {
            line: self.line,
            message,
        }
    }

    fn token(&mut self) -> Result<&'a str, CompactError> {
        self.line += 1;
        let Some((token, rest)) = self.rest.split_once('\n') else {
            return Err(self.error("the file ends early".into()));
        };
        self.rest = rest;
        Ok(token)
    }

    fn number<T: std::str::FromStr>(&mut self) -> Result<T, CompactError> {
        let token = self.token()?;
        token
            .parse()
            .map_err(|_| self.error(format!("expected a number, found `{token}`")))
    }

    fn variant(&mut self) -> Result<&'a str, CompactError> {
        self.token()
    }

    fn unknown_variant<T>(&self, kind: &str, name: &str) -> Result<T, CompactError> {
        Err(self.error(format!("unknown {kind} `{name}`")))
    }
}

impl Compact for String {
    fn write(&self, out: &mut Writer) {
        out.string(self);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        let token = input.token()?;
        let mut text = String::with_capacity(token.len());
        let mut characters = token.chars();
        while let Some(character) = characters.next() {
            if character != '\\' {
                text.push(character);
                continue;
            }
            text.push(match characters.next() {
                Some('\\') => '\\',
                Some('n') => '\n',
                Some('r') => '\r',
                _ => return Err(input.error("a `\\` starts no escape".into())),
            });
        }
        Ok(text)
    }
}

impl Compact for u32 {
    fn write(&self, out: &mut Writer) {
        out.token(&self.to_string());
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        input.number()
    }
}

impl Compact for usize {
    fn write(&self, out: &mut Writer) {
        out.token(&self.to_string());
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        input.number()
    }
}

impl Compact for bool {
    fn write(&self, out: &mut Writer) {
        out.token(if *self { "1" } else { "0" });
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        match input.token()? {
            "0" => Ok(false),
            "1" => Ok(true),
            other => Err(input.error(format!("expected `0` or `1`, found `{other}`"))),
        }
    }
}

impl Compact for Option<u32> {
    fn write(&self, out: &mut Writer) {
        match self {
            Some(number) => number.write(out),
            None => out.token(""),
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        if input.rest.starts_with('\n') {
            input.token()?;
            return Ok(None);
        }
        input.number().map(Some)
    }
}

impl Compact for Option<String> {
    fn write(&self, out: &mut Writer) {
        self.is_some().write(out);
        if let Some(text) = self {
            text.write(out);
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        if bool::read(input)? {
            String::read(input).map(Some)
        } else {
            Ok(None)
        }
    }
}

impl<T: Compact> Compact for Vec<T> {
    fn write(&self, out: &mut Writer) {
        self.len().write(out);
        for item in self {
            item.write(out);
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        let len: usize = input.number()?;
        // The length comes from the file: grow as items are read rather than trusting it.
        let mut items = Vec::new();
        for _ in 0..len {
            items.push(T::read(input)?);
        }
        Ok(items)
    }
}

impl<V: Compact> Compact for BTreeMap<String, V> {
    fn write(&self, out: &mut Writer) {
        self.len().write(out);
        for (key, value) in self {
            key.write(out);
            value.write(out);
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        let len: usize = input.number()?;
        let mut map = BTreeMap::new();
        for _ in 0..len {
            let key = String::read(input)?;
            map.insert(key, V::read(input)?);
        }
        Ok(map)
    }
}

/// Implements [`Compact`] for a struct with named fields: its fields in declaration order.
macro_rules! compact_record {
    ($type:ident { $($field:ident),* $(,)? }) => {
        impl Compact for $type {
            fn write(&self, out: &mut Writer) {
                $(self.$field.write(out);)*
            }
            fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
                Ok($type { $($field: Compact::read(input)?,)* })
            }
        }
    };
}

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

impl Compact for Arity {
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
        let line = input.line;
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
        let line = input.line;
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

/// Encodes one value as a compact file of `layer`.
pub fn encode<T: Compact>(layer: &str, value: &T) -> String {
    let mut writer = Writer::new(layer);
    value.write(&mut writer);
    writer.finish()
}

/// Decodes a compact file of `layer` holding exactly one value.
pub fn decode<T: Compact>(layer: &str, text: &str) -> Result<T, CompactError> {
    let mut reader = Reader::new(text, layer)?;
    let value = T::read(&mut reader)?;
    reader.finish()?;
    Ok(value)
}

/// The layers' names on the first line of their compact files.
pub const SEED: &str = "seed";
/// See [`SEED`].
pub const AUTHORIZATION: &str = "authorization";
/// See [`SEED`].
pub const API: &str = "api";

/// Every compact file the library embeds, as (path under `src/catalog/`, compact form of its
/// JSON source), computed from the sources. A test keeps the committed files equal to it.
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
    use std::path::Path;

    #[test]
    fn committed_compact_files_are_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/catalog");
        let update = std::env::var_os("UPDATE_COMPACT").is_some();
        for (path, fresh) in encode_sources().unwrap() {
            let file = root.join(&path);
            if update {
                std::fs::write(&file, &fresh).unwrap();
                continue;
            }
            let committed = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(
                committed == fresh,
                "src/catalog/{path} is stale: run `UPDATE_COMPACT=1 cargo test --lib catalog::compact`"
            );
        }
    }

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

    #[test]
    fn strings_with_escapes_and_absent_values_round_trip() {
        let entry = Erratum {
            id: "E\\1".into(),
            line: 7,
            action: String::new(),
            kind: "line\nfeed\r".into(),
            printed: "\\n".into(),
            corrected: "オプション".into(),
            reason: String::new(),
        };
        let text = encode(SEED, &entry);
        assert_eq!(decode::<Erratum>(SEED, &text).unwrap(), entry);
        let lines: Vec<Option<u32>> = vec![None, Some(0), Some(4_294_967_295), None];
        assert_eq!(
            decode::<Vec<Option<u32>>>(SEED, &encode(SEED, &lines)).unwrap(),
            lines
        );
        let params: Vec<Option<String>> = vec![None, Some(String::new()), Some("1".into())];
        assert_eq!(
            decode::<Vec<Option<String>>>(SEED, &encode(SEED, &params)).unwrap(),
            params
        );
    }

    #[test]
    fn damaged_files_are_refused_with_their_line() {
        let text = encode(SEED, &vec![true, false]);
        assert_eq!(
            decode::<Vec<bool>>(API, &text).unwrap_err(),
            CompactError {
                line: 1,
                message: "expected `ram-policy compact 1 api`".into()
            }
        );
        let cut = text.trim_end_matches("0\n");
        assert_eq!(decode::<Vec<bool>>(SEED, cut).unwrap_err().line, 4);
        let longer = format!("{text}1\n");
        assert_eq!(
            decode::<Vec<bool>>(SEED, &longer).unwrap_err(),
            CompactError {
                line: 5,
                message: "expected the end of the file".into()
            }
        );
        let bad_flag = text.replace("\n0\n", "\nno\n");
        assert_eq!(decode::<Vec<bool>>(SEED, &bad_flag).unwrap_err().line, 4);
        assert_eq!(
            decode::<String>(SEED, "ram-policy compact 1 seed\na\\x\n")
                .unwrap_err()
                .line,
            2
        );
        assert_eq!(
            decode::<Shape>(API, "ram-policy compact 1 api\nx\n").unwrap_err(),
            CompactError {
                line: 2,
                message: "unknown shape `x`".into()
            }
        );
    }
}
