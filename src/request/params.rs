//! Reading request parameters in every shape the API accepts.
//!
//! One API parameter reaches us in many spellings. The RPC form flattens it (`SecurityGroupIds.1`,
//! `NetworkInterface.1.SecurityGroupId`, `Tag.2.Key`); SDKs and ActionTrail records also send a
//! list as a JSON array, as a string holding a JSON array (`"[\"sg-1\",\"sg-2\"]"`), a structure as
//! a JSON object or a string holding one, and people copy the documentation's placeholder
//! (`"SecurityGroupIds.N": [...]`). [`ParamReader`] reads a parameter *path* in all of them:
//!
//! | path | reads |
//! | --- | --- |
//! | `ImageId` | one value |
//! | `SecurityGroupIds` or `SecurityGroupIds.N` | every item of a list |
//! | `NetworkInterface.N.SecurityGroupId` | a member of every item of a list of structures |
//! | `NetworkInterface.N.SecurityGroupIds.N` | a list inside a list of structures |
//! | `ImageOptions.LoginAsNonRoot` | a member of a structure |
//!
//! `N` stands for "every item". The API metadata ([`crate::catalog::api`]) says which parameters
//! are lists and structures, so `SecurityGroupIds` and `SecurityGroupIds.N` read the same.
//!
//! A value the reader cannot place is an error naming the parameter, never skipped: a list item
//! that is not numbered from 1 (`SecurityGroupIds.0`, `SecurityGroupIds.first`), an array where
//! one value is taken, a plain string that looks like several values (`sg-1,sg-2`), text that
//! starts like JSON and is not, a name that differs from the API's only in letter case.
//!
//! (The example is the test `documented_example` below, this module being private.)

use super::ParamValue;
use crate::catalog::api::{self, Api, Shape};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Reads parameters of one request, using the API metadata of its action when there is some.
#[derive(Debug, Clone, Copy)]
pub struct ParamReader<'r> {
    params: &'r BTreeMap<String, ParamValue>,
    api: Option<&'static Api>,
}

/// One value read from a request, with the spelling it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamItem {
    /// The value as text.
    pub value: String,
    /// Where it came from: the flattened name (`SecurityGroupIds.2`,
    /// `NetworkInterface.1.SecurityGroupId`), or the parameter with the item's 1-based position
    /// for arrays and JSON text (`SecurityGroupIds[2]`).
    pub source: String,
}

/// What [`ParamReader::read_each`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found<'a> {
    /// How many values there are, and their bytes with their sources' (given first).
    Sizes { count: usize, bytes: usize },
    /// A value and where it came from, as [`ParamItem`].
    Value { value: &'a str, source: &'a str },
}

/// One value read from a request, borrowed from it where it is given as is (a flattened
/// `SecurityGroupIds.7` is its own value and source): reading 600,000 list items allocates
/// nothing per item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef<'r> {
    /// The value as text.
    pub value: Cow<'r, str>,
    /// Where it came from, as [`ParamItem::source`].
    pub source: Cow<'r, str>,
}

impl ItemRef<'_> {
    /// The item with its own strings.
    pub fn into_owned(self) -> ParamItem {
        ParamItem {
            value: self.value.into_owned(),
            source: self.source.into_owned(),
        }
    }
}

/// What a path holds, without keeping its values ([`ParamReader::survey`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Survey {
    /// How many values.
    pub count: usize,
    /// The first and the last value in request order (the same item when there is one).
    pub first: Option<ParamItem>,
    pub last: Option<ParamItem>,
}

/// A parameter the reader cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{param}` {problem}")]
pub struct ParamError {
    /// The parameter as given in the request.
    pub param: String,
    /// What is wrong, starting with a verb (`must be …`, `takes one value, …`).
    pub problem: String,
}

/// How a value that the API declares as one string carries several values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// As the API metadata says (one value, or a list or structure in any accepted shape).
    Auto,
    /// A string holding a JSON array of values (`InstanceIds` of `DescribeInstances`).
    JsonArray,
    /// A comma-separated list (`ImageId` of `DescribeImages`).
    CommaList,
}

/// One segment of a parameter path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Every item of a list.
    Items,
    /// A member of a structure (or the parameter's own name).
    Member(String),
}

impl<'r> ParamReader<'r> {
    /// A reader for a request, with the API metadata of its action (`ecs:RunInstances` →
    /// `RunInstances` of `ecs`) when the metadata has it (the tests' shorthand for [`Self::new`]).
    #[cfg(test)]
    pub fn for_request(request: &'r super::Request) -> Self {
        ParamReader::new(&request.action, &request.params)
    }

    /// A reader for parameters of an action (`ecs:RunInstances`, any letter case; without a
    /// service prefix, `ecs` is meant).
    pub fn new(action: &str, params: &'r BTreeMap<String, ParamValue>) -> Self {
        let (service, name) = action.split_once(':').unwrap_or(("ecs", action));
        let api = api::service(service).and_then(|apis| apis.api(name));
        ParamReader { params, api }
    }

    /// The API metadata used, if any.
    pub fn api(&self) -> Option<&'static Api> {
        self.api
    }

    /// Every value at `path`, in request order (list items by their number).
    pub fn read(&self, path: &str, format: Format) -> Result<Vec<ParamItem>, ParamError> {
        Ok(self
            .read_borrowed(path, format)?
            .into_iter()
            .map(ItemRef::into_owned)
            .collect())
    }

    /// [`Self::read`] borrowing from the request where it can.
    pub fn read_borrowed(
        &self,
        path: &str,
        format: Format,
    ) -> Result<Vec<ItemRef<'r>>, ParamError> {
        let mut found: Vec<(Numbers, ItemRef<'r>)> = Vec::new();
        self.scan(path, format, &mut |numbers, item| {
            found.push((numbers.clone(), item));
        })?;
        // Flattened items sort by their numbers; arrays and JSON text keep their own order.
        crate::sort::sort_by(&mut found, |left, right| left.0.cmp(&right.0));
        Ok(found.into_iter().map(|(_, item)| item).collect())
    }

    /// [`Self::read_borrowed`] for many values: gives `take` first [`Found::Sizes`] (how many
    /// values `path` holds, and their bytes with their sources'), then each value and its
    /// source as [`Found::Value`] as it is found (in the order of the parameters' names), and
    /// returns the order of those values in request order (`order[k]` is the number of the
    /// value, counted from 0 in the order given, that comes `k`-th). Only list numbers and value
    /// numbers are kept while sorting, not the items, and nothing grows by doubling: what the
    /// resolver needs of 600,000 security groups.
    pub fn read_each(
        &self,
        path: &str,
        format: Format,
        take: &mut dyn FnMut(Found<'_>),
    ) -> Result<Vec<usize>, ParamError> {
        let (mut count, mut bytes, mut packable) = (0usize, 0usize, true);
        self.scan(path, format, &mut |numbers, item| {
            count += 1;
            bytes = bytes.saturating_add(item.value.len() + item.source.len());
            packable &= numbers.packed().is_some();
        })?;
        take(Found::Sizes { count, bytes });
        // The order of `read_borrowed`'s stable sort: equal numbers keep the order of reading
        // (the value numbers), with no room for a stable sort's scratch copy. The numbers of
        // every catalog path pack into one `u64` (16 bytes a value to sort, not 40).
        if packable {
            let key = |numbers: &Numbers| numbers.packed().unwrap_or(u64::MAX);
            return self.value_order(path, format, count, take, key);
        }
        self.value_order(path, format, count, take, Numbers::clone)
    }

    /// Gives `take` each value of `path` and returns their order in request order, sorting
    /// the values' numbers by `key` (ties keep the order of reading).
    fn value_order<K: Ord>(
        &self,
        path: &str,
        format: Format,
        count: usize,
        take: &mut dyn FnMut(Found<'_>),
        key: impl Fn(&Numbers) -> K,
    ) -> Result<Vec<usize>, ParamError> {
        let mut found: Vec<(K, usize)> = Vec::with_capacity(count);
        self.scan(path, format, &mut |numbers, item| {
            take(Found::Value {
                value: &item.value,
                source: &item.source,
            });
            found.push((key(numbers), found.len()));
        })?;
        crate::sort::sort_unstable(&mut found);
        Ok(found.into_iter().map(|(_, number)| number).collect())
    }

    /// How many values `path` holds and the first and last in request order, calling `each`
    /// with every value (in no particular order) and keeping none: what a condition key that
    /// is a flag (`ecs:NotSpecifySecurityGroupId`) needs of 600,000 security groups.
    pub fn survey(
        &self,
        path: &str,
        format: Format,
        mut each: impl FnMut(&str),
    ) -> Result<Survey, ParamError> {
        let mut count = 0usize;
        let mut first: Option<(Numbers, ItemRef<'r>)> = None;
        let mut last: Option<(Numbers, ItemRef<'r>)> = None;
        self.scan(path, format, &mut |numbers, item| {
            count += 1;
            each(&item.value);
            // Equal numbers keep the order of reading, as the stable sort of `read` does.
            if first.as_ref().is_none_or(|(least, _)| numbers < least) {
                first = Some((numbers.clone(), item.clone()));
            }
            if last.as_ref().is_none_or(|(most, _)| numbers >= most) {
                last = Some((numbers.clone(), item));
            }
        })?;
        Ok(Survey {
            count,
            first: first.map(|(_, item)| item.into_owned()),
            last: last.map(|(_, item)| item.into_owned()),
        })
    }

    /// Every value at `path` with the list numbers that order it, in the order of the
    /// parameters' names (the first error in that order is the one returned).
    fn scan(
        &self,
        path: &str,
        format: Format,
        each: &mut dyn FnMut(&Numbers, ItemRef<'r>),
    ) -> Result<(), ParamError> {
        let steps = self.normalise(path);
        let Some(Step::Member(root)) = steps.first() else {
            return Ok(());
        };
        for (name, value) in self.params {
            let segments: Vec<&str> = name.split('.').collect();
            let Some(&first) = segments.first() else {
                continue;
            };
            if first != root {
                if first.eq_ignore_ascii_case(root) && !self.declares(first) {
                    return Err(ParamError {
                        param: name.clone(),
                        problem: format!(
                            "is not read: parameter names are case-sensitive and the API's is `{root}`"
                        ),
                    });
                }
                continue;
            }
            if let Some((numbers, items)) = read_flat(name, &segments, value, &steps, format)? {
                for item in items {
                    each(&numbers, item);
                }
            }
        }
        Ok(())
    }

    /// The one value at `path`: `None` when absent, an error when several are given.
    pub fn single(&self, path: &str) -> Result<Option<ParamItem>, ParamError> {
        let survey = self.survey(path, Format::Auto, |_| {})?;
        match survey.count {
            0 | 1 => Ok(survey.first),
            count => Err(ParamError {
                param: path.to_string(),
                problem: format!("takes one value, found {count}"),
            }),
        }
    }

    /// Whether any value is given at `path` (a shape error counts as given).
    pub fn is_given(&self, path: &str, format: Format) -> bool {
        self.survey(path, format, |_| {})
            .map_or(true, |survey| survey.count > 0)
    }

    /// `Tag.N.Key` / `Tag.N.Value` style pairs of a list of structures: `(key, value)` per item
    /// that has a key, in item order; an item without a value has the empty value.
    pub fn pairs(
        &self,
        list: &str,
        key: &str,
        value: &str,
    ) -> Result<Vec<(ParamItem, Option<ParamItem>)>, ParamError> {
        let keys = self.read(&format!("{list}.N.{key}"), Format::Auto)?;
        let values = self.read(&format!("{list}.N.{value}"), Format::Auto)?;
        let item_of = |source: &str, member: &str| {
            source
                .strip_suffix(member)
                .map(|head| head.trim_end_matches('.').to_string())
        };
        // The first value of each item (a map keeps many tags linear).
        let mut by_item: std::collections::HashMap<String, &ParamItem> =
            std::collections::HashMap::new();
        for candidate in &values {
            if let Some(item) = item_of(&candidate.source, value) {
                by_item.entry(item).or_insert(candidate);
            }
        }
        Ok(keys
            .into_iter()
            .map(|key_item| {
                let value_item = item_of(&key_item.source, key)
                    .and_then(|item| by_item.get(&item))
                    .map(|found| (*found).clone());
                (key_item, value_item)
            })
            .collect())
    }

    /// Whether the metadata lists a parameter of exactly this name.
    fn declares(&self, name: &str) -> bool {
        self.api.is_some_and(|api| {
            api.params()
                .iter()
                .any(|param| param.name() == name || param.name().split('.').next() == Some(name))
        })
    }

    /// The path as steps, with the lists the metadata declares made explicit
    /// (`SecurityGroupIds` → `SecurityGroupIds.N`).
    fn normalise(&self, path: &str) -> Vec<Step> {
        let written: Vec<Step> = path
            .split('.')
            .map(|segment| match segment {
                "N" => Step::Items,
                other => Step::Member(other.to_string()),
            })
            .collect();
        let Some(api) = self.api else {
            return written;
        };
        let Some(Step::Member(root)) = written.first() else {
            return written;
        };
        let Some(param) = api.param(root) else {
            return written;
        };
        let mut steps = vec![Step::Member(root.clone())];
        let mut shape = Some(param.shape());
        let mut rest = written.iter().skip(1).peekable();
        loop {
            // A JSON-encoded value has the shape of what it encodes.
            while let Some(Shape::Json(inner)) = shape {
                shape = Some(inner);
            }
            match (shape, rest.peek()) {
                (Some(Shape::List { items, .. }), next) => {
                    if next == Some(&&Step::Items) {
                        rest.next();
                    }
                    steps.push(Step::Items);
                    shape = Some(items);
                }
                (Some(Shape::Object(_)), Some(Step::Member(member))) => {
                    shape = shape
                        .and_then(|object| object.member(member))
                        .map(|m| m.shape());
                    steps.push(Step::Member(member.clone()));
                    rest.next();
                }
                (_, Some(step)) => {
                    shape = None;
                    steps.push((*step).clone());
                    rest.next();
                }
                (_, None) => return steps,
            }
        }
    }
}

/// The list numbers that order a parameter's items (`NetworkInterface.2.SecurityGroupIds.1` →
/// 2, 1; a literal `N` → 0), compared as a sequence; two levels are kept inline (every path of
/// the catalog), deeper ones on the heap.
#[derive(Debug, Clone)]
enum Numbers {
    Inline { len: u8, numbers: [u64; 2] },
    Spilled(Vec<u64>),
}

impl Numbers {
    fn new() -> Self {
        Numbers::Inline {
            len: 0,
            numbers: [0; 2],
        }
    }

    fn push(&mut self, number: u64) {
        match self {
            Numbers::Inline { len, numbers } => match numbers.get_mut(usize::from(*len)) {
                Some(slot) => {
                    *slot = number;
                    *len += 1;
                }
                None => {
                    let mut spilled = numbers.to_vec();
                    spilled.push(number);
                    *self = Numbers::Spilled(spilled);
                }
            },
            Numbers::Spilled(numbers) => numbers.push(number),
        }
    }

    /// The numbers as one key that orders as the sequence does, for at most two numbers below
    /// `u32::MAX`: each plus one in 32 bits, the first above the second (none: 0).
    fn packed(&self) -> Option<u64> {
        let numbers = self.as_slice();
        if numbers.len() > 2 {
            return None;
        }
        let mut key = 0u64;
        for (position, number) in numbers.iter().enumerate() {
            let part = u32::try_from(*number).ok()?.checked_add(1)?;
            key |= u64::from(part) << if position == 0 { 32 } else { 0 };
        }
        Some(key)
    }

    fn as_slice(&self) -> &[u64] {
        match self {
            Numbers::Inline { len, numbers } => numbers.get(..usize::from(*len)).unwrap_or(&[]),
            Numbers::Spilled(numbers) => numbers,
        }
    }
}

impl PartialEq for Numbers {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Numbers {}

impl PartialOrd for Numbers {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Numbers {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

/// Items with the list numbers that order them.
type Numbered<'r> = (Numbers, Vec<ItemRef<'r>>);

/// Reads one flattened parameter (`name`, split into `segments`) against the path's `steps`:
/// `None` when it is another parameter (another member), the items it holds otherwise, with
/// the list numbers that order them.
fn read_flat<'r>(
    name: &'r str,
    segments: &[&str],
    value: &'r ParamValue,
    steps: &[Step],
    format: Format,
) -> Result<Option<Numbered<'r>>, ParamError> {
    let bad = |problem: String| ParamError {
        param: name.to_string(),
        problem,
    };
    let mut order = Numbers::new();
    // The depth of the last `N` written literally (`SecurityGroupIds.N`): the value there
    // stands for the whole list.
    let mut placeholder = None;
    for (depth, segment) in segments.iter().enumerate() {
        match steps.get(depth) {
            Some(Step::Member(member)) => {
                if segment != member {
                    return Ok(None);
                }
            }
            Some(Step::Items) => {
                if *segment == "N" {
                    placeholder = Some(depth);
                    order.push(0);
                } else {
                    order.push(item_number(segment).ok_or_else(|| {
                        bad(format!(
                            "is not a list item: `{segment}` is not an item number (items are numbered 1, 2, …)"
                        ))
                    })?);
                }
            }
            None => {
                return Err(bad(format!(
                    "has parts below `{}`, which takes one value",
                    segments.get(..depth).unwrap_or_default().join(".")
                )))
            }
        }
    }
    let (rest, label): (&[Step], Cow<'r, str>) = match placeholder {
        Some(depth) if depth + 1 == segments.len() => (
            steps.get(depth..).unwrap_or_default(),
            Cow::Owned(segments.get(..depth).unwrap_or_default().join(".")),
        ),
        _ => (
            steps.get(segments.len()..).unwrap_or_default(),
            Cow::Borrowed(name),
        ),
    };
    let items = match value {
        ParamValue::One(text) => read_text(name, &label, text, rest, format)?,
        ParamValue::Many(values) => {
            // An array stands for a list: at `Name` (or `Name.N`) of a list, or where a format
            // says one string carries several values.
            let item_steps = match rest.split_first() {
                Some((Step::Items, inner)) => inner,
                None if format != Format::Auto => rest,
                _ if values.len() <= 1 => {
                    return match values.first() {
                        Some(one) => read_text(name, &label, one, rest, format)
                            .map(|items| Some((order, items))),
                        None => Ok(Some((order, Vec::new()))),
                    }
                }
                _ => {
                    return Err(bad(format!(
                        "takes one value, found an array of {}",
                        values.len()
                    )))
                }
            };
            if !item_steps.is_empty() {
                return Err(bad(format!(
                    "must hold structures with `{}`, found an array of values",
                    join_steps(item_steps)
                )));
            }
            let mut items = Vec::new();
            for (index, one) in values.iter().enumerate() {
                let source: Cow<'r, str> = if values.len() == 1 {
                    label.clone()
                } else {
                    Cow::Owned(format!("{label}[{}]", index + 1))
                };
                for mut item in read_text(name, &label, one, &[], Format::Auto)? {
                    item.source = source.clone();
                    items.push(item);
                }
            }
            items
        }
    };
    Ok(Some((order, items)))
}

/// A list item number: `1`, `2`, … without leading zeros.
fn item_number(segment: &str) -> Option<u64> {
    segment.parse().ok().filter(|&number: &u64| {
        number > 0 && !segment.starts_with('0') && !segment.starts_with('+')
    })
}

fn join_steps(steps: &[Step]) -> String {
    steps
        .iter()
        .map(|step| match step {
            Step::Items => "N",
            Step::Member(member) => member.as_str(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Reads the text of one parameter that stands at `rest` steps above the values.
fn read_text<'r>(
    name: &str,
    label: &Cow<'r, str>,
    text: &'r str,
    rest: &[Step],
    format: Format,
) -> Result<Vec<ItemRef<'r>>, ParamError> {
    let bad = |problem: String| ParamError {
        param: name.to_string(),
        problem,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Vec::new());
    }
    let one = || {
        vec![ItemRef {
            value: Cow::Borrowed(text),
            source: label.clone(),
        }]
    };
    if rest.is_empty() {
        return match format {
            // Refused only when it really is JSON: a password may start with `{`.
            Format::Auto if is_json_container(trimmed) => Err(bad(format!(
                "takes one value, found JSON text `{}`",
                shorten(trimmed)
            ))),
            Format::Auto => Ok(one()),
            Format::CommaList => Ok(trimmed
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .enumerate()
                .map(|(index, item)| ItemRef {
                    value: Cow::Borrowed(item),
                    source: Cow::Owned(format!("{label}[{}]", index + 1)),
                })
                .collect::<Vec<_>>())
            .map(|items| single_unlabelled(items, label)),
            Format::JsonArray if looks_like_json(trimmed) => {
                let parsed: Value = serde_json::from_str(trimmed).map_err(|_| {
                    bad(format!(
                        "must be a JSON array of ids such as `[\"id-1\",\"id-2\"]`, found `{}`",
                        shorten(trimmed)
                    ))
                })?;
                read_json(name, &parsed, &[Step::Items], label.to_string())
                    .map(|items| single_unlabelled(items, label))
            }
            Format::JsonArray if is_single_token(trimmed) => Ok(one()),
            Format::JsonArray => Err(bad(format!(
                "must be a JSON array of ids such as `[\"id-1\",\"id-2\"]`, found `{}`",
                shorten(trimmed)
            ))),
        };
    }
    if looks_like_json(trimmed) {
        let parsed: Value = serde_json::from_str(trimmed).map_err(|error| {
            bad(format!(
                "starts like JSON but is not valid JSON ({}): `{}`",
                super::strip_position(&error.to_string()),
                shorten(trimmed)
            ))
        })?;
        return read_json(name, &parsed, rest, label.to_string())
            .map(|items| single_unlabelled(items, label));
    }
    match rest {
        [Step::Items] if is_single_token(trimmed) => Ok(one()),
        [Step::Items] => Err(bad(format!(
            "must be a list (`{label}.1`, `{label}.2`, …, an array, or a JSON array in a string), found `{}`",
            shorten(trimmed)
        ))),
        _ => Err(bad(format!(
            "must hold `{}` (flattened as `{label}.{}`, or as JSON), found `{}`",
            join_steps(rest),
            join_steps(rest).replacen('N', "1", 1),
            shorten(trimmed)
        ))),
    }
}

/// Values read from one JSON value, labelled by position (`Name[2].SecurityGroupId`).
fn read_json<'r>(
    name: &str,
    value: &Value,
    rest: &[Step],
    label: String,
) -> Result<Vec<ItemRef<'r>>, ParamError> {
    let bad = |problem: String| ParamError {
        param: name.to_string(),
        problem,
    };
    let owned = |value: String, source: String| {
        vec![ItemRef {
            value: Cow::Owned(value),
            source: Cow::Owned(source),
        }]
    };
    match (rest.split_first(), value) {
        (_, Value::Null) => Ok(Vec::new()),
        (None, Value::String(text)) if text.is_empty() => Ok(Vec::new()),
        (None, Value::String(text)) => Ok(owned(text.clone(), label)),
        (None, Value::Number(number)) => Ok(owned(number.to_string(), label)),
        (None, Value::Bool(flag)) => Ok(owned(flag.to_string(), label)),
        (None, other) => Err(bad(format!(
            "must hold one value at `{label}`, found {}",
            super::type_name(other)
        ))),
        (Some((Step::Items, inner)), Value::Array(items)) => {
            let mut values = Vec::new();
            for (index, item) in items.iter().enumerate() {
                values.extend(read_json(
                    name,
                    item,
                    inner,
                    format!("{label}[{}]", index + 1),
                )?);
            }
            Ok(values)
        }
        (Some((Step::Items, inner)), scalar) if inner.is_empty() && !scalar.is_object() => {
            read_json(name, scalar, inner, label)
        }
        (Some((Step::Member(member), inner)), Value::Object(members)) => {
            match members.get(member) {
                Some(found) => read_json(name, found, inner, format!("{label}.{member}")),
                None => Ok(Vec::new()),
            }
        }
        (Some((step, _)), other) => Err(bad(format!(
            "must hold {} at `{label}`, found {}",
            match step {
                Step::Items => "a list".to_string(),
                Step::Member(member) => format!("a structure with `{member}`"),
            },
            super::type_name(other)
        ))),
    }
}

/// One item keeps the parameter's own name as its source (as a flattened value would).
fn single_unlabelled<'r>(mut items: Vec<ItemRef<'r>>, name: &Cow<'r, str>) -> Vec<ItemRef<'r>> {
    if let [only] = items.as_mut_slice() {
        if only.source.strip_prefix(name.as_ref()) == Some("[1]") {
            only.source = name.clone();
        }
    }
    items
}

/// Text that a JSON reader should read: it starts an array, an object or a JSON string.
fn looks_like_json(text: &str) -> bool {
    text.starts_with('[') || text.starts_with('{')
}

/// Text that parses as a JSON array or object.
fn is_json_container(text: &str) -> bool {
    looks_like_json(text)
        && serde_json::from_str::<Value>(text)
            .is_ok_and(|value| value.is_array() || value.is_object())
}

/// A plain string that stands for one list item: nothing that separates or encloses values.
fn is_single_token(text: &str) -> bool {
    !text.chars().any(|character| {
        character.is_whitespace() || matches!(character, ',' | ';' | '[' | ']' | '{' | '}' | '"')
    })
}

/// Long values are cut in messages.
fn shorten(text: &str) -> String {
    const LIMIT: usize = 60;
    match text.char_indices().nth(LIMIT) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text)),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Request;

    /// The packed key orders as the sequence of numbers does.
    #[test]
    fn packed_numbers_order_as_the_numbers() {
        let lists: Vec<Vec<u64>> = vec![
            vec![],
            vec![0],
            vec![0, 0],
            vec![0, 7],
            vec![1],
            vec![1, 0],
            vec![1, 2],
            vec![2],
            vec![10, 1],
            vec![u64::from(u32::MAX) - 1, u64::from(u32::MAX) - 1],
        ];
        let make = |list: &[u64]| {
            let mut numbers = Numbers::new();
            list.iter().for_each(|number| numbers.push(*number));
            numbers
        };
        for left in &lists {
            for right in &lists {
                let (a, b) = (make(left), make(right));
                assert_eq!(a.packed().cmp(&b.packed()), a.cmp(&b), "{left:?} {right:?}");
            }
        }
        assert_eq!(make(&[u64::from(u32::MAX)]).packed(), None);
        assert_eq!(make(&[1, 2, 3]).packed(), None);
    }

    fn request(params: &str) -> Request {
        Request::from_json(&format!(
            r#"{{"action": "ecs:RunInstances", "params": {params}}}"#
        ))
        .unwrap()
    }

    fn values(params: &str, path: &str) -> Result<Vec<String>, ParamError> {
        let request = request(params);
        ParamReader::for_request(&request)
            .read(path, Format::Auto)
            .map(|items| items.into_iter().map(|item| item.value).collect())
    }

    #[test]
    fn every_shape_of_a_list_reads_the_same() {
        let expected = vec!["sg-1".to_string(), "sg-2".to_string()];
        for params in [
            r#"{"SecurityGroupIds.2": "sg-2", "SecurityGroupIds.1": "sg-1"}"#,
            r#"{"SecurityGroupIds": ["sg-1", "sg-2"]}"#,
            r#"{"SecurityGroupIds": "[\"sg-1\",\"sg-2\"]"}"#,
            r#"{"SecurityGroupIds": " [\"sg-1\", \"sg-2\"] "}"#,
            r#"{"SecurityGroupIds.N": ["sg-1", "sg-2"]}"#,
            r#"{"SecurityGroupIds.N": "[\"sg-1\",\"sg-2\"]"}"#,
        ] {
            for path in ["SecurityGroupIds", "SecurityGroupIds.N"] {
                assert_eq!(values(params, path).unwrap(), expected, "{params} {path}");
            }
        }
        assert_eq!(
            values(r#"{"SecurityGroupIds": "sg-1"}"#, "SecurityGroupIds").unwrap(),
            ["sg-1"]
        );
        assert_eq!(
            values(
                r#"{"SecurityGroupIds.10": "b", "SecurityGroupIds.9": "a"}"#,
                "SecurityGroupIds"
            )
            .unwrap(),
            ["a", "b"]
        );
    }

    #[test]
    fn survey_and_borrowed_reading_agree_with_read() {
        for (params, path) in [
            (
                r#"{"SecurityGroupIds.10": "b", "SecurityGroupIds.9": "a", "SecurityGroupIds.2": "c"}"#,
                "SecurityGroupIds",
            ),
            (
                r#"{"SecurityGroupIds": ["sg-1", "sg-2", "sg-3"]}"#,
                "SecurityGroupIds",
            ),
            (
                r#"{"SecurityGroupIds.N": "[\"sg-1\",\"sg-2\"]"}"#,
                "SecurityGroupIds",
            ),
            (
                r#"{"NetworkInterface.2.SecurityGroupIds.1": "d", "NetworkInterface.1": {"SecurityGroupIds": ["a", "b"]}, "NetworkInterface.1.SecurityGroupIds.N": "c", "NetworkInterface.10.SecurityGroupIds.2": "f", "NetworkInterface.10.SecurityGroupIds.1": "e"}"#,
                "NetworkInterface.N.SecurityGroupIds",
            ),
            (r#"{"ImageId": "m-1"}"#, "ImageId"),
            (r#"{"ImageId": "m-1"}"#, "SecurityGroupIds"),
        ] {
            let request = request(params);
            let reader = ParamReader::for_request(&request);
            let read = reader.read(path, Format::Auto).unwrap();
            let borrowed: Vec<ParamItem> = reader
                .read_borrowed(path, Format::Auto)
                .unwrap()
                .into_iter()
                .map(ItemRef::into_owned)
                .collect();
            assert_eq!(borrowed, read, "{params}");
            let mut seen = Vec::new();
            let survey = reader
                .survey(path, Format::Auto, |value| seen.push(value.to_string()))
                .unwrap();
            assert_eq!(survey.count, read.len(), "{params}");
            assert_eq!(survey.first.as_ref(), read.first(), "{params}");
            assert_eq!(survey.last.as_ref(), read.last(), "{params}");
            let mut values: Vec<String> = read.into_iter().map(|item| item.value).collect();
            values.sort();
            seen.sort();
            assert_eq!(seen, values, "{params}");
        }
        let error = ParamReader::for_request(&request(r#"{"SecurityGroupIds.0": "sg-1"}"#))
            .survey("SecurityGroupIds", Format::Auto, |_| {})
            .unwrap_err();
        assert_eq!(error.param, "SecurityGroupIds.0");
    }

    #[test]
    fn unreadable_list_shapes_are_errors_naming_the_parameter() {
        for (params, param, fragment) in [
            (
                r#"{"SecurityGroupIds": "sg-1,sg-2"}"#,
                "SecurityGroupIds",
                "must be a list",
            ),
            (
                r#"{"SecurityGroupIds": "sg-1 sg-2"}"#,
                "SecurityGroupIds",
                "must be a list",
            ),
            (
                r#"{"SecurityGroupIds": "[sg-1]"}"#,
                "SecurityGroupIds",
                "not valid JSON",
            ),
            (
                r#"{"SecurityGroupIds": "{\"a\":1}"}"#,
                "SecurityGroupIds",
                "must hold a list",
            ),
            (
                r#"{"SecurityGroupIds.1": ["sg-1", "sg-2"]}"#,
                "SecurityGroupIds.1",
                "takes one value",
            ),
            (
                r#"{"SecurityGroupIds.1": "[\"sg-1\"]"}"#,
                "SecurityGroupIds.1",
                "JSON text",
            ),
            (
                r#"{"SecurityGroupIds.0": "sg-1"}"#,
                "SecurityGroupIds.0",
                "not an item number",
            ),
            (
                r#"{"SecurityGroupIds.01": "sg-1"}"#,
                "SecurityGroupIds.01",
                "not an item number",
            ),
            (
                r#"{"SecurityGroupIds.first": "sg-1"}"#,
                "SecurityGroupIds.first",
                "not an item number",
            ),
            (
                r#"{"SecurityGroupIds.1.Id": "sg-1"}"#,
                "SecurityGroupIds.1.Id",
                "has parts below",
            ),
            (
                r#"{"securitygroupids.1": "sg-1"}"#,
                "securitygroupids.1",
                "case-sensitive",
            ),
            (
                r#"{"SecurityGroupIds": "[[\"sg-1\"]]"}"#,
                "SecurityGroupIds",
                "one value",
            ),
        ] {
            let error = values(params, "SecurityGroupIds").unwrap_err();
            assert_eq!(error.param, param, "{params}");
            assert!(error.problem.contains(fragment), "{params}: {error}");
        }
    }

    #[test]
    fn structures_in_every_shape() {
        let path = "NetworkInterface.N.SecurityGroupId";
        for params in [
            r#"{"NetworkInterface.1.SecurityGroupId": "sg-1", "NetworkInterface.2.SecurityGroupId": "sg-2"}"#,
            r#"{"NetworkInterface": [{"SecurityGroupId": "sg-1"}, {"SecurityGroupId": "sg-2", "VSwitchId": "v"}]}"#,
            r#"{"NetworkInterface": "[{\"SecurityGroupId\":\"sg-1\"},{\"SecurityGroupId\":\"sg-2\"}]"}"#,
            r#"{"NetworkInterface.1": {"SecurityGroupId": "sg-1"}, "NetworkInterface.2.SecurityGroupId": "sg-2"}"#,
        ] {
            assert_eq!(values(params, path).unwrap(), ["sg-1", "sg-2"], "{params}");
        }
        assert_eq!(
            values(
                r#"{"NetworkInterface.1.SecurityGroupIds.2": "b", "NetworkInterface.1.SecurityGroupIds.1": "a"}"#,
                "NetworkInterface.N.SecurityGroupIds"
            )
            .unwrap(),
            ["a", "b"]
        );
        assert_eq!(
            values(
                r#"{"ImageOptions": {"LoginAsNonRoot": true}}"#,
                "ImageOptions.LoginAsNonRoot"
            )
            .unwrap(),
            ["true"]
        );
        let error = values(r#"{"NetworkInterface": ["sg-1"]}"#, path).unwrap_err();
        assert!(error.problem.contains("structures"), "{error}");
        let error = values(r#"{"NetworkInterface": "sg-1"}"#, path).unwrap_err();
        assert_eq!(error.param, "NetworkInterface");
    }

    #[test]
    fn tags_read_as_pairs() {
        let tagged = request(
            r#"{"Tag.2.Key": "team", "Tag.2.Value": "db", "Tag.1.Key": "env", "Tag.3.Key": "bare"}"#,
        );
        let pairs = ParamReader::for_request(&tagged)
            .pairs("Tag", "Key", "Value")
            .unwrap();
        let flat: Vec<(String, Option<String>)> = pairs
            .into_iter()
            .map(|(key, value)| (key.value, value.map(|value| value.value)))
            .collect();
        assert_eq!(
            flat,
            [
                ("env".into(), None),
                ("team".into(), Some("db".into())),
                ("bare".into(), None)
            ]
        );
        let other = request(r#"{"Tag": [{"Key": "env", "Value": "prod"}]}"#);
        let pairs = ParamReader::for_request(&other)
            .pairs("Tag", "Key", "Value")
            .unwrap();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].1.as_ref().unwrap().value, "prod");
    }

    #[test]
    fn scalars_and_formats() {
        assert_eq!(values(r#"{"ImageId": "m-1"}"#, "ImageId").unwrap(), ["m-1"]);
        assert_eq!(
            values(r#"{"ImageId": ["m-1"]}"#, "ImageId").unwrap(),
            ["m-1"]
        );
        assert!(values(r#"{"ImageId": ["m-1", "m-2"]}"#, "ImageId").is_err());
        assert!(values(r#"{"ImageId": ""}"#, "ImageId").unwrap().is_empty());
        // Text that only starts like JSON is one value where the API takes one (a password).
        assert_eq!(
            values(r#"{"Password": "{Abc[123"}"#, "Password").unwrap(),
            ["{Abc[123"]
        );
        let params: BTreeMap<String, ParamValue> = [
            (
                "InstanceIds".to_string(),
                ParamValue::One("[\"i-1\",\"i-2\"]".into()),
            ),
            ("ImageId".to_string(), ParamValue::One("m-1, m-2".into())),
        ]
        .into();
        let reader = ParamReader::new("ecs:DescribeInstances", &params);
        let ids = reader.read("InstanceIds", Format::JsonArray).unwrap();
        assert_eq!(ids[1].source, "InstanceIds[2]");
        let images = reader.read("ImageId", Format::CommaList).unwrap();
        assert_eq!(images.len(), 2);
        assert!(reader.read("ImageId", Format::JsonArray).is_err());
    }
}

#[cfg(test)]
mod documented_example {
    #[test]
    fn example() {
        use crate::request::{
            params::{Format, ParamReader},
            Request,
        };
        let request = Request::from_json(
            r#"{"action": "ecs:RunInstances", "params": {
            "SecurityGroupIds": "[\"sg-1\",\"sg-2\"]",
            "NetworkInterface": [{"SecurityGroupId": "sg-3"}]}}"#,
        )
        .unwrap();
        let reader = ParamReader::for_request(&request);
        let groups = reader.read("SecurityGroupIds", Format::Auto).unwrap();
        assert_eq!(
            groups
                .iter()
                .map(|item| item.value.as_str())
                .collect::<Vec<_>>(),
            ["sg-1", "sg-2"]
        );
        let eni = reader
            .read("NetworkInterface.N.SecurityGroupId", Format::Auto)
            .unwrap();
        assert_eq!(eni[0].value, "sg-3");
        assert_eq!(eni[0].source, "NetworkInterface.1.SecurityGroupId");
        let bad = Request::from_json(
            r#"{"action": "ecs:RunInstances",
            "params": {"SecurityGroupIds": "sg-1,sg-2"}}"#,
        )
        .unwrap();
        let error = ParamReader::for_request(&bad)
            .read("SecurityGroupIds", Format::Auto)
            .unwrap_err();
        assert_eq!(error.param, "SecurityGroupIds");
    }
}
