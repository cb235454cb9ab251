//! The compact form of the data the library embeds (the catalog's layers, the lint rules).
//!
//! The JSON files are the reviewed source of that data: the import scripts write the catalog's,
//! people edit `src/lint/rules.json`, and the docs describe them. What the library embeds and
//! loads is a compact form of each, generated from it and committed beside it as `<name>.compact`:
//! the same values in the same order without member names, quotes or indentation. It is smaller
//! in the WebAssembly module, and reading it needs no serde deserializer per data type (see
//! `docs/wasm.md`, "Sizes"). Each type says how it is written by implementing [`Compact`] beside
//! its other impls ([`crate::catalog::compact`], [`crate::lint::meta`]).
//!
//! A test compares each committed compact file with the compact form of its source, and each
//! owner tests that its file decodes back to exactly the source's values; regenerate after
//! changing a source with
//!
//! ```text
//! UPDATE_COMPACT=1 cargo test --lib compact
//! ```
//!
//! # Format
//!
//! UTF-8 text, one value per line: the first line names the format and the layer
//! (`ram-policy compact 1 seed`). A string is its text with `\` written `\\`, a line feed `\n`
//! and a carriage return `\r`; a number is decimal; a flag is `0` or `1`; an optional value is a
//! flag followed, when set, by the value; a list or a map is its length followed by its items (a
//! map's items are key then value); a record is its fields in declaration order; an enum is its
//! variant's name followed by the variant's fields.

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

/// Writes values in the compact form. Like every writing half here, compiled for the tests only:
/// they write the committed compact files and keep them fresh; the library only reads them.
#[cfg(test)]
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
    #[cfg(test)]
    fn write(&self, out: &mut Writer);
    /// Reads one value.
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError>;
}

#[cfg(test)]
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

    /// Writes one line as it is (no escapes: for names and numbers).
    pub fn token(&mut self, text: &str) {
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

    /// Writes an enum variant's name.
    pub fn variant(&mut self, name: &str) {
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

    /// An error at the line read last.
    pub fn error(&self, message: String) -> CompactError {
        CompactError {
            line: self.line,
            message,
        }
    }

    /// Reads one line as it is written.
    pub fn token(&mut self) -> Result<&'a str, CompactError> {
        self.line += 1;
        let Some((token, rest)) = self.rest.split_once('\n') else {
            return Err(self.error("the file ends early".into()));
        };
        self.rest = rest;
        Ok(token)
    }

    /// The line read last (1-based).
    pub fn line(&self) -> usize {
        self.line
    }

    fn number<T: std::str::FromStr>(&mut self) -> Result<T, CompactError> {
        let token = self.token()?;
        token
            .parse()
            .map_err(|_| self.error(format!("expected a number, found `{token}`")))
    }

    /// Reads an enum variant's name.
    pub fn variant(&mut self) -> Result<&'a str, CompactError> {
        self.token()
    }

    /// The error for a variant name `read` does not know.
    pub fn unknown_variant<T>(&self, kind: &str, name: &str) -> Result<T, CompactError> {
        Err(self.error(format!("unknown {kind} `{name}`")))
    }
}

impl Compact for String {
    #[cfg(test)]
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
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        out.token(&self.to_string());
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        input.number()
    }
}

impl Compact for usize {
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        out.token(&self.to_string());
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        input.number()
    }
}

impl Compact for bool {
    #[cfg(test)]
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

impl<T: Compact> Compact for Option<T> {
    #[cfg(test)]
    fn write(&self, out: &mut Writer) {
        self.is_some().write(out);
        if let Some(value) = self {
            value.write(out);
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
        if bool::read(input)? {
            T::read(input).map(Some)
        } else {
            Ok(None)
        }
    }
}

impl<T: Compact> Compact for Vec<T> {
    #[cfg(test)]
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
    #[cfg(test)]
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
            #[cfg(test)]
            fn write(&self, out: &mut Writer) {
                $(self.$field.write(out);)*
            }
            fn read(input: &mut Reader<'_>) -> Result<Self, CompactError> {
                Ok($type { $($field: Compact::read(input)?,)* })
            }
        }
    };
}
pub(crate) use compact_record;

/// Encodes one value as a compact file of `layer`.
#[cfg(test)]
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

/// Every compact file the library embeds, as (path from the repository root, the compact form
/// of its source computed now): what the staleness test below compares with the files.
#[cfg(test)]
fn embedded_files() -> Result<Vec<(String, String)>, String> {
    let mut files: Vec<(String, String)> = crate::catalog::compact::encode_sources()?
        .into_iter()
        .map(|(path, text)| (format!("src/catalog/{path}"), text))
        .collect();
    files.push((
        "src/lint/rules.compact".to_string(),
        crate::lint::meta::encode_rules()?,
    ));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn committed_compact_files_are_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let update = std::env::var_os("UPDATE_COMPACT").is_some();
        for (path, fresh) in embedded_files().unwrap() {
            let file = root.join(&path);
            if update {
                std::fs::write(&file, &fresh).unwrap();
                continue;
            }
            let committed = std::fs::read_to_string(&file).unwrap_or_default();
            assert!(
                committed == fresh,
                "{path} is stale: run `UPDATE_COMPACT=1 cargo test --lib compact`, then the tests again"
            );
        }
    }

    #[derive(Debug, PartialEq)]
    struct Sample {
        text: String,
        line: u32,
        absent: Option<u32>,
        words: Vec<Option<String>>,
    }
    compact_record!(Sample {
        text,
        line,
        absent,
        words
    });

    #[test]
    fn strings_with_escapes_and_absent_values_round_trip() {
        let sample = Sample {
            text: "E\\1 line\nfeed\r \\n オプション".into(),
            line: 4_294_967_295,
            absent: None,
            words: vec![None, Some(String::new()), Some("1".into())],
        };
        let text = encode("x", &sample);
        assert_eq!(text.lines().count(), 10);
        assert_eq!(decode::<Sample>("x", &text).unwrap(), sample);
    }

    #[test]
    fn damaged_files_are_refused_with_their_line() {
        let text = encode("a", &vec![true, false]);
        assert_eq!(
            decode::<Vec<bool>>("b", &text).unwrap_err(),
            CompactError {
                line: 1,
                message: "expected `ram-policy compact 1 b`".into()
            }
        );
        let cut = text.trim_end_matches("0\n");
        assert_eq!(decode::<Vec<bool>>("a", cut).unwrap_err().line, 4);
        let longer = format!("{text}1\n");
        assert_eq!(
            decode::<Vec<bool>>("a", &longer).unwrap_err(),
            CompactError {
                line: 5,
                message: "expected the end of the file".into()
            }
        );
        let bad_flag = text.replace("\n0\n", "\nno\n");
        assert_eq!(decode::<Vec<bool>>("a", &bad_flag).unwrap_err().line, 4);
        assert_eq!(
            decode::<String>("a", "ram-policy compact 1 a\na\\x\n")
                .unwrap_err()
                .line,
            2
        );
        assert_eq!(
            decode::<u32>("a", "ram-policy compact 1 a\n-1\n").unwrap_err(),
            CompactError {
                line: 2,
                message: "expected a number, found `-1`".into()
            }
        );
    }
}
