//! `generate --emit-calls` and `generate --from-calls`: the distinct calls of an input with how
//! many times each came, as JSON Lines, so that a log too big for one pass is read part by part
//! (the map step) and the parts' calls are merged into one policy (the reduce step).
//!
//! A calls file starts with a header line, `{"conditions":[…],"ram_policy_calls":1}` (the format's
//! version and the `--condition` keys the calls were read with), followed by one line per distinct
//! call, `{"count":N,"request":{…}}`, the request as `--requests` reads it with only the
//! `--condition` keys of its context. The lines are sorted by their text, so a file does not
//! depend on the order of its input.
//!
//! Why merging gives the policy of one pass: a policy depends on each distinct call (its ARNs and
//! condition values, which are sets) and on whether some call lacked a `--condition` value, never
//! on the order of calls; a call that came `N` times is taken in as `N` calls. The event filters
//! (`--principal`, `--since`, `--until`, `--include-failed`) and `--condition` belong to the
//! emitting step; `--generalize`, `--max-size` and `--split` to the merging one.

use super::{GenerateError, Generator, Origin, Summary};
use crate::request::Request;
use crate::stream::{read_line, skip_line, Line, MAX_RECORD_BYTES};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::BufRead;

/// The version of the calls format that this build writes and reads.
pub const CALLS_FORMAT: u64 = 1;

/// The header line of a calls file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallsHeader {
    /// The `--condition` keys the calls were read with, in the registry's spelling, sorted.
    pub conditions: Vec<String>,
}

/// Why a calls file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CallsFileError {
    /// The line, from 1.
    pub line: usize,
    pub message: String,
}

impl CallsFileError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        CallsFileError {
            line,
            message: message.into(),
        }
    }
}

/// Reads the header line of a calls file (the file's first line).
pub fn read_header<R: BufRead>(reader: &mut R) -> Result<CallsHeader, CallsFileError> {
    let mut buffer = Vec::new();
    let value = match next_line(reader, &mut buffer, 1)? {
        Some(value) => value,
        None => return Err(CallsFileError::at(1, "the file is empty: a calls file starts with a `{\"conditions\":[…],\"ram_policy_calls\":1}` line, as `generate --emit-calls` writes it")),
    };
    let version = value.get("ram_policy_calls").and_then(Value::as_u64);
    if version != Some(CALLS_FORMAT) {
        return Err(CallsFileError::at(
            1,
            format!("not a calls file of format {CALLS_FORMAT}: the first line must be `{{\"conditions\":[…],\"ram_policy_calls\":{CALLS_FORMAT}}}`, as `generate --emit-calls` writes it"),
        ));
    }
    let conditions = match value.get("conditions") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str().map(str::to_string).ok_or_else(|| {
                    CallsFileError::at(1, "`conditions` must be an array of key names")
                })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(CallsFileError::at(
                1,
                "`conditions` must be an array of key names",
            ))
        }
    };
    Ok(CallsHeader { conditions })
}

/// Reads the next non-blank line as JSON; `None` at the end of the input.
fn next_line<R: BufRead>(
    reader: &mut R,
    buffer: &mut Vec<u8>,
    line: usize,
) -> Result<Option<Value>, CallsFileError> {
    let unreadable =
        |error: std::io::Error| CallsFileError::at(line, format!("cannot read: {error}"));
    match read_line(reader, buffer).map_err(unreadable)? {
        Line::End => return Ok(None),
        Line::TooLong => {
            skip_line(reader);
            return Err(CallsFileError::at(
                line,
                format!("the line is longer than {MAX_RECORD_BYTES} bytes"),
            ));
        }
        Line::Read => {}
    }
    let text = std::str::from_utf8(buffer)
        .map_err(|_| CallsFileError::at(line, "the line is not UTF-8"))?
        .trim();
    if text.is_empty() {
        return Err(CallsFileError::at(
            line,
            "a blank line: a calls file has one JSON object per line",
        ));
    }
    serde_json::from_str(text)
        .map(Some)
        .map_err(|error| CallsFileError::at(line, format!("not JSON: {error}")))
}

impl Generator {
    /// Keeps every distinct used call and its count, for [`Generator::finish_calls`].
    pub fn keep_calls(&mut self) {
        self.emitted.get_or_insert_with(HashMap::new);
    }

    /// The calls file of what was read (header first), instead of a policy, with the summary.
    pub fn finish_calls(mut self) -> (Summary, Result<Vec<String>, GenerateError>) {
        self.summary.distinct_calls = self.seen.len() as u64;
        if let Some(message) = self.unreadable.take() {
            return (self.summary, Err(GenerateError::Unreadable { message }));
        }
        let header = json!({
            "ram_policy_calls": CALLS_FORMAT,
            "conditions": self.keys.iter().map(|key| key.name.as_str()).collect::<Vec<_>>(),
        });
        let mut lines: Vec<String> = self
            .emitted
            .take()
            .unwrap_or_default()
            .into_values()
            .map(|(request, count)| json!({"count": count, "request": request}).to_string())
            .collect();
        crate::sort::sort(&mut lines);
        lines.insert(0, header.to_string());
        (self.summary, Ok(lines))
    }

    /// The `--condition` keys this generator was made with, as a calls file's header names them.
    pub fn calls_header(&self) -> CallsHeader {
        CallsHeader {
            conditions: self.keys.iter().map(|key| key.name.clone()).collect(),
        }
    }

    /// Takes in the calls of one calls file whose header line has been read (`header`): each
    /// call counts as many times as it came. The file must have been written with this
    /// generator's `--condition` keys.
    pub fn add_calls<R: BufRead>(
        &mut self,
        header: &CallsHeader,
        mut reader: R,
    ) -> Result<(), CallsFileError> {
        let expected = self.calls_header();
        if header.conditions != expected.conditions {
            return Err(CallsFileError::at(
                1,
                format!(
                    "written with --condition {} but the merge uses {}: emit every part with the same keys",
                    describe(&header.conditions),
                    describe(&expected.conditions)
                ),
            ));
        }
        let mut buffer = Vec::new();
        let mut line = 1;
        loop {
            line += 1;
            let Some(value) = next_line(&mut reader, &mut buffer, line)? else {
                return Ok(());
            };
            let count = value
                .get("count")
                .and_then(Value::as_u64)
                .filter(|count| *count > 0)
                .ok_or_else(|| CallsFileError::at(line, "`count` must be a positive integer"))?;
            let request = value
                .get("request")
                .ok_or_else(|| CallsFileError::at(line, "`request` is missing"))
                .and_then(|request| {
                    Request::from_value(request, "/request")
                        .map_err(|error| CallsFileError::at(line, error.to_string()))
                })?;
            if let Some(member) = value.as_object().and_then(|object| {
                object
                    .keys()
                    .find(|key| *key != "count" && *key != "request")
            }) {
                return Err(CallsFileError::at(
                    line,
                    format!("unknown member `{member}`"),
                ));
            }
            self.use_request(
                &request,
                Origin {
                    record: line - 1,
                    line,
                },
                count,
            );
        }
    }
}

fn describe(keys: &[String]) -> String {
    if keys.is_empty() {
        "no key".to_string()
    } else {
        keys.iter()
            .map(|key| format!("`{key}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
