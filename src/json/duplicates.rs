//! Duplicate member names: RAM and serde_json keep the last of two equal names silently, so every
//! input other than a policy refuses them with both places ([`DuplicateMember`]), after a fast
//! check that finds none in the common case ([`has_duplicate_members`]).

use super::{parse, JsonNode, JsonValue};

/// A member name that occurs twice in one object, with both places: the error every input
/// other than a policy gives (requests, ActionTrail events, error bodies, the editor's
/// options). Policies report the same fact as a problem (`duplicate_element`) from
/// [`JsonNode::duplicate_keys`], which this is built on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` occurs more than once at `{pointer}`: line {line}, column {column}, and first at line {first_line}, column {first_column}")]
pub struct DuplicateMember {
    /// The member's name.
    pub key: String,
    /// JSON pointer to the second occurrence.
    pub pointer: String,
    /// Where the second occurrence's name starts.
    pub line: usize,
    pub column: usize,
    /// Where the first occurrence's name starts.
    pub first_line: usize,
    pub first_column: usize,
}

impl DuplicateMember {
    /// The same duplicate in a text that starts at `line`:`column` of a larger input (a record
    /// of a stream): positions on the text's first line move by the column, others by lines.
    pub fn shifted(mut self, line: usize, column: usize) -> Self {
        let shift = |at_line: &mut usize, at_column: &mut usize| {
            if *at_line == 1 {
                *at_column += column.saturating_sub(1);
            }
            *at_line += line.saturating_sub(1);
        };
        shift(&mut self.line, &mut self.column);
        shift(&mut self.first_line, &mut self.first_column);
        self
    }
}

/// The first duplicate member of a JSON text (in document order of its second occurrence), or
/// `None` when there is none or the text is not JSON (its parser reports that).
///
/// Cheap when there is none, the usual case: one pass of serde_json that keeps each object's
/// member names (borrowed from the text). Only when a duplicate is found is the text parsed
/// into a span-aware tree to name both places.
///
/// (The example is the test `documented_example` below, this module being private.)
pub fn find_duplicate_member(text: &str) -> Option<DuplicateMember> {
    if !has_duplicate_members(text.as_bytes()) {
        return None;
    }
    let node = parse(text).ok()?;
    first_duplicate(&node, "")
}

/// Whether some object of a JSON text holds a member name twice (`false` for text that is not
/// JSON).
pub fn has_duplicate_members(bytes: &[u8]) -> bool {
    match serde_json::from_slice::<unique::Checked>(bytes) {
        Ok(_) => false,
        Err(error) => error.is_data(),
    }
}

/// The first duplicate member under a node, by the position of its second occurrence.
fn first_duplicate(node: &JsonNode, pointer: &str) -> Option<DuplicateMember> {
    let mut best: Option<DuplicateMember> = None;
    let mut consider = |found: DuplicateMember| {
        if best
            .as_ref()
            .is_none_or(|b| (found.line, found.column) < (b.line, b.column))
        {
            best = Some(found);
        }
    };
    match &node.value {
        JsonValue::Object(members) => {
            for (member, first) in JsonNode::duplicate_keys(members) {
                consider(DuplicateMember {
                    key: member.key.clone(),
                    pointer: format!("{pointer}/{}", crate::request::escape_pointer(&member.key)),
                    line: member.key_span.start.line,
                    column: member.key_span.start.column,
                    first_line: first.start.line,
                    first_column: first.start.column,
                });
            }
            for member in members {
                let here = format!("{pointer}/{}", crate::request::escape_pointer(&member.key));
                if let Some(found) = first_duplicate(&member.value, &here) {
                    consider(found);
                }
            }
        }
        JsonValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                if let Some(found) = first_duplicate(item, &format!("{pointer}/{index}")) {
                    consider(found);
                }
            }
        }
        _ => {}
    }
    best
}

/// A serde pass that accepts any JSON value and fails (with a data error) on an object that
/// holds a member name twice; its parts also check the members the ActionTrail reader skips
/// (`src/actiontrail/event.rs`, `fast`).
pub(crate) mod unique {
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::borrow::Cow;
    use std::collections::HashSet;
    use std::fmt;

    /// Any JSON value, kept nowhere, with no object holding a member name twice.
    pub(crate) struct Checked;

    /// A member name, borrowed from the text when it has no escapes.
    pub(crate) struct Name<'de>(pub(crate) Cow<'de, str>);

    impl<'de> Deserialize<'de> for Name<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct NameVisitor;
            impl<'de> Visitor<'de> for NameVisitor {
                type Value = Name<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a member name")
                }
                fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Name<'de>, E> {
                    Ok(Name(Cow::Borrowed(v)))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Name<'de>, E> {
                    Ok(Name(Cow::Owned(v.to_string())))
                }
            }
            deserializer.deserialize_str(NameVisitor)
        }
    }

    impl<'de> Deserialize<'de> for Checked {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(CheckedVisitor)
        }
    }

    struct CheckedVisitor;

    impl<'de> Visitor<'de> for CheckedVisitor {
        type Value = Checked;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_unit<E>(self) -> Result<Checked, E> {
            Ok(Checked)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
            while seq.next_element::<Checked>()?.is_some() {}
            Ok(Checked)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
            let mut names = MemberNames::default();
            while let Some(name) = map.next_key::<Name<'de>>()? {
                map.next_value::<Checked>()?;
                if !names.insert(name.0) {
                    return Err(de::Error::custom("duplicate member"));
                }
            }
            Ok(Checked)
        }
    }

    /// The member names of one object seen so far.
    #[derive(Default)]
    pub(crate) struct MemberNames<'de> {
        names: Vec<Cow<'de, str>>,
        // Objects of events and requests have a handful of members: a scan is cheaper than
        // hashing; a set keeps large objects linear.
        set: Option<HashSet<Cow<'de, str>>>,
    }

    impl<'de> MemberNames<'de> {
        /// Adds a name; `false` when the object already has it.
        pub(crate) fn insert(&mut self, name: Cow<'de, str>) -> bool {
            match &mut self.set {
                Some(set) => set.insert(name),
                None if self.names.len() >= 16 => {
                    let mut all: HashSet<Cow<'de, str>> = self.names.drain(..).collect();
                    let new = all.insert(name);
                    self.set = Some(all);
                    new
                }
                None => {
                    let new = !self.names.contains(&name);
                    self.names.push(name);
                    new
                }
            }
        }
    }
}

#[cfg(test)]
mod documented_example {
    #[test]
    fn example() {
        let duplicate = crate::json::find_duplicate_member(
            "{\"action\": \"ecs:DeleteInstance\",\n \"action\": \"ecs:StartInstance\"}",
        )
        .unwrap();
        assert_eq!(duplicate.pointer, "/action");
        assert_eq!((duplicate.line, duplicate.column), (2, 2));
        assert_eq!((duplicate.first_line, duplicate.first_column), (1, 2));
    }
}
