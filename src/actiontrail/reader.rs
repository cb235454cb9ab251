//! Reading a stream of records: detecting the layout (one event, an array, JSON Lines,
//! pretty-printed documents) and splitting it into records, one at a time.

use super::event::{fast, Event, EventError};
use crate::stream::{self, Grammar, Split, Splitter, MAX_RECORD_BYTES};
use serde::Serialize;
use serde_json::Value;
use std::collections::VecDeque;
use std::io::BufRead;

// ---------------------------------------------------------------------------------------------
// Reading

/// How the input is laid out, as detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Not decided yet (nothing read).
    Unknown,
    /// One value per line.
    JsonLines,
    /// A top-level array of records.
    Array,
    /// One or more values, pretty-printed.
    Document,
}

/// A streaming reader of ActionTrail events: an iterator of `Result<Event, EventError>`, one
/// item per record (an error does not end the stream, except [`EventError::Io`]).
///
/// Reading has two steps: splitting the input into records (`Piece`s: finding where each
/// record starts and ends, which needs every byte before it) and parsing each record (which needs
/// only its own bytes). The iterator does both in turn; `EventReader::next_piece` gives the
/// records unparsed, so that other threads can parse them (`generate` does, see
/// `src/actiontrail/parallel.rs`).
pub struct EventReader<R> {
    reader: R,
    layout: Layout,
    splitter: Splitter,
    /// Whether something other than whitespace was seen (for deciding the layout).
    started: bool,
    line_buffer: Vec<u8>,
    pieces: VecDeque<Piece>,
    pending: VecDeque<Result<Event, EventError>>,
    record: usize,
    done: bool,
}

/// One record as split from the input, not parsed yet.
#[derive(Debug)]
pub(crate) enum Piece {
    /// A record's bytes, where it starts, and whether the input is JSON Lines (where a line
    /// holding an array is several records).
    Record {
        bytes: Vec<u8>,
        line: usize,
        column: usize,
        lines_mode: bool,
    },
    /// A record the splitter found broken (its record number is 0 until [`parse_piece`] numbers
    /// it), or the input's read error.
    Broken(EventError),
}

/// Reads events from any buffered reader.
pub fn read_events<R: BufRead>(reader: R) -> EventReader<R> {
    EventReader::new(reader)
}

/// Reads every event of a text (tests, the wasm module).
pub fn parse_events(text: &str) -> Vec<Result<Event, EventError>> {
    EventReader::new(text.as_bytes()).collect()
}

impl<R: BufRead> EventReader<R> {
    pub fn new(reader: R) -> Self {
        EventReader {
            reader,
            layout: Layout::Unknown,
            splitter: Splitter::new(Grammar::AnyValue, 1),
            started: false,
            line_buffer: Vec::new(),
            pieces: VecDeque::new(),
            pending: VecDeque::new(),
            record: 0,
            done: false,
        }
    }

    /// The layout detected so far.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The next record, split but not parsed; `None` at the end of the input.
    pub(crate) fn next_piece(&mut self) -> Option<Piece> {
        loop {
            if let Some(piece) = self.pieces.pop_front() {
                return Some(piece);
            }
            if self.done {
                return None;
            }
            if self.layout == Layout::JsonLines {
                self.read_line();
            } else {
                self.scan();
            }
        }
    }

    fn emit(&mut self, bytes: Vec<u8>, line: usize, column: usize, lines_mode: bool) {
        self.pieces.push_back(Piece::Record {
            bytes,
            line,
            column,
            lines_mode,
        });
    }

    fn broken(&mut self, error: EventError) {
        self.pieces.push_back(Piece::Broken(error));
    }

    /// JSON Lines: reads and emits one line.
    fn read_line(&mut self) {
        let line = self.splitter.line;
        let read = stream::read_line(&mut self.reader, &mut self.line_buffer);
        match read {
            Err(error) => {
                self.broken(EventError::Io {
                    line,
                    message: error.to_string(),
                });
                self.done = true;
                return;
            }
            Ok(stream::Line::End) => {
                self.done = true;
                return;
            }
            Ok(stream::Line::TooLong) => {
                stream::skip_line(&mut self.reader);
                self.splitter.line += 1;
                self.broken(EventError::TooLarge {
                    record: 0,
                    line,
                    limit: MAX_RECORD_BYTES,
                });
                return;
            }
            Ok(stream::Line::Read) => {}
        }
        self.splitter.line += 1;
        let bytes = std::mem::take(&mut self.line_buffer);
        let trimmed = bytes.trim_ascii();
        if !trimmed.is_empty() {
            let offset = bytes.len() - bytes.trim_ascii_start().len();
            self.emit(trimmed.to_vec(), line, offset + 1, true);
        }
        self.line_buffer = bytes;
    }

    /// Pretty-printed documents and arrays: scans one buffer's worth of bytes.
    fn scan(&mut self) {
        let buffer = match self.reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => return,
            Err(error) => {
                self.broken(EventError::Io {
                    line: self.splitter.line,
                    message: error.to_string(),
                });
                self.done = true;
                return;
            }
        };
        if buffer.is_empty() {
            self.done = true;
            let mut outputs = Vec::new();
            self.splitter.finish(&mut outputs);
            self.handle(outputs);
            return;
        }
        if !self.started && buffer.starts_with(b"\xEF\xBB\xBF") {
            // A UTF-8 byte order mark before the first value is skipped.
            self.reader.consume(3);
            return;
        }
        let mut outputs = Vec::new();
        let mut used = 0;
        for &byte in buffer {
            used += 1;
            self.splitter.feed(byte, &mut outputs);
            if !byte.is_ascii_whitespace() {
                self.started = true;
            }
            if self.layout == Layout::Unknown && self.started {
                if self.splitter.in_array {
                    self.layout = Layout::Array;
                } else if byte == b'\n' {
                    self.layout = if self.splitter.between_records() && self.splitter.completed > 0
                    {
                        Layout::JsonLines
                    } else {
                        Layout::Document
                    };
                    break;
                }
            }
        }
        self.reader.consume(used);
        self.handle(outputs);
    }

    fn handle(&mut self, outputs: Vec<Split>) {
        for output in outputs {
            let error = match output {
                Split::Record {
                    bytes,
                    line,
                    column,
                } => {
                    self.emit(bytes, line, column, false);
                    continue;
                }
                Split::Separator {
                    message,
                    line,
                    column,
                } => EventError::Json {
                    record: 0,
                    line,
                    column,
                    message: message.into(),
                },
                Split::UnclosedRecord { line, .. } => EventError::Incomplete {
                    record: 0,
                    line,
                    what: "the input ends inside the record",
                },
                Split::UnclosedArray { line } => EventError::Incomplete {
                    record: 0,
                    line,
                    what: "the input ends before the array's closing `]`",
                },
                Split::TooLarge { line, .. } => EventError::TooLarge {
                    record: 0,
                    line,
                    limit: MAX_RECORD_BYTES,
                },
                // Not produced by `Grammar::AnyValue`.
                Split::Stray { .. } => continue,
            };
            self.broken(error);
        }
    }
}

/// Parses one record into its items (one, or several for an array in a JSON Lines line or a
/// LookupEvents response), numbering them from `*record + 1` on; every item but a read error
/// takes one record number.
pub(crate) fn parse_piece(
    piece: Piece,
    record: &mut usize,
    out: &mut VecDeque<Result<Event, EventError>>,
) {
    match piece {
        Piece::Record {
            bytes,
            line,
            column,
            lines_mode,
        } => parse_record(&bytes, line, column, lines_mode, record, out),
        Piece::Broken(mut error) => {
            if error.record().is_some() {
                *record += 1;
                error.shift_record(*record);
            }
            out.push_back(Err(error));
        }
    }
}

/// Turns one complete record's bytes into an item (or several, for an array in a line).
fn parse_record(
    bytes: &[u8],
    line: usize,
    column: usize,
    lines_mode: bool,
    record: &mut usize,
    out: &mut VecDeque<Result<Event, EventError>>,
) {
    // Every record number this record takes follows `first`.
    let first = *record + 1;
    let mut next_record = || {
        *record += 1;
        *record
    };
    // The usual record in one pass, which also finds that no object holds a member twice.
    if let Some(event) = fast::read(bytes, first, line) {
        next_record();
        out.push_back(Ok(event));
        return;
    }
    // Anything else: a duplicate member anywhere is the error, else the full reader's.
    if crate::json::has_duplicate_members(bytes) {
        let duplicate = std::str::from_utf8(bytes)
            .ok()
            .and_then(crate::json::find_duplicate_member);
        if let Some(duplicate) = duplicate {
            out.push_back(Err(EventError::Value {
                record: next_record(),
                line,
                error: crate::json::JsonInputError::Duplicate(Box::new(
                    duplicate.shifted(line, column),
                )),
                in_event_string: false,
            }));
            return;
        }
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(items)) if lines_mode => {
            for item in items {
                out.push_back(Event::from_value(item, next_record(), line));
            }
        }
        Ok(Value::Object(mut object)) if is_lookup_response(&object) => {
            // `{"RequestId": …, "NextToken": …, "Events": […]}`: each event is a record
            // (`NextToken` and the rest are ignored).
            let lines = std::str::from_utf8(bytes)
                .map(lookup_event_lines)
                .unwrap_or_default();
            let Some(Value::Array(items)) = object.remove("Events") else {
                return;
            };
            for (index, item) in items.into_iter().enumerate() {
                let at = lines.get(index).map_or(line, |offset| line + offset - 1);
                out.push_back(Event::from_value(item, next_record(), at));
            }
        }
        Ok(value) => out.push_back(Event::from_value(value, next_record(), line)),
        Err(error) => {
            let record = next_record();
            let item = if error.is_eof() {
                EventError::Incomplete {
                    record,
                    line,
                    what: if lines_mode {
                        "the line ends before the value does"
                    } else {
                        "the record ends before the value does"
                    },
                }
            } else {
                let (error_line, error_column) = (error.line(), error.column());
                EventError::Json {
                    record,
                    line: line + error_line.saturating_sub(1),
                    column: if error_line <= 1 {
                        error_column + column.saturating_sub(1)
                    } else {
                        error_column
                    },
                    message: crate::request::strip_position(&error.to_string()),
                }
            };
            out.push_back(Err(item));
        }
    }
}

/// Whether a record is a LookupEvents response (what the API and `aliyun actiontrail
/// LookupEvents` print): an `Events` array and no event of its own.
fn is_lookup_response(object: &serde_json::Map<String, Value>) -> bool {
    object.get("Events").is_some_and(Value::is_array)
        && !["eventName", "eventId", "event"]
            .iter()
            .any(|key| object.contains_key(*key))
}

/// The line (within the record, from 1) where each element of a LookupEvents response's
/// `Events` starts, so that each event's messages point at it.
fn lookup_event_lines(text: &str) -> Vec<usize> {
    use crate::json::JsonValue;
    let Ok(node) = crate::json::parse(text) else {
        return Vec::new();
    };
    let JsonValue::Object(members) = node.value else {
        return Vec::new();
    };
    members
        .into_iter()
        .find(|member| member.key == "Events")
        .and_then(|member| match member.value.value {
            JsonValue::Array(items) => {
                Some(items.iter().map(|item| item.span.start.line).collect())
            }
            _ => None,
        })
        .unwrap_or_default()
}

impl<R: BufRead> Iterator for EventReader<R> {
    type Item = Result<Event, EventError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            let piece = self.next_piece()?;
            parse_piece(piece, &mut self.record, &mut self.pending);
        }
    }
}
