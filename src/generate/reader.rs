//! Streaming `--requests` input: a JSON array of requests (pretty-printed or not), JSON Lines
//! (one request per line; a line holding an array counts as several), or concatenated
//! pretty-printed requests. One request is held at a time, never the whole input.
//!
//! The form is decided on the first non-blank line: when it holds a whole JSON value (or a
//! syntax error), the input is JSON Lines and every line is read alone, so a broken line is one
//! malformed record and the next line is read normally. Otherwise values are split by tracking
//! brackets and strings. ActionTrail input has its own reader ([`crate::actiontrail`]).

use super::Origin;
use crate::request::Request;
use serde_json::Value;
use std::collections::VecDeque;
use std::io::BufRead;

/// A record that is not a request, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub record: usize,
    pub line: usize,
    pub message: String,
    /// The input itself could not be read (the stream ends).
    pub io: bool,
}

/// One item of the stream.
pub type Item = Result<(Request, Origin), Malformed>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Unknown,
    Lines,
    Document,
}

/// Reads requests one at a time from a buffered reader.
#[derive(Debug)]
pub struct RequestReader<R> {
    reader: R,
    mode: Mode,
    /// The number of the next line to read, from 1.
    line: usize,
    record: usize,
    pending: VecDeque<Item>,
    done: bool,
    splitter: Splitter,
}

#[derive(Debug, Default)]
struct Splitter {
    buffer: Vec<u8>,
    depth: usize,
    in_string: bool,
    escape: bool,
    in_array: bool,
    /// The line of the top-level array's `[`.
    array_line: usize,
    start_line: usize,
    junk_line: Option<usize>,
}

/// Reads requests from any buffered reader.
pub fn read_requests<R: BufRead>(reader: R) -> RequestReader<R> {
    RequestReader {
        reader,
        mode: Mode::Unknown,
        line: 1,
        record: 0,
        pending: VecDeque::new(),
        done: false,
        splitter: Splitter::default(),
    }
}

impl<R: BufRead> RequestReader<R> {
    fn next_record(&mut self) -> usize {
        self.record += 1;
        self.record
    }

    fn push_value(&mut self, value: &Value, line: usize) {
        let record = self.next_record();
        let item = Request::from_value(value, "")
            .map(|request| (request, Origin { record, line }))
            .map_err(|error| Malformed {
                record,
                line,
                message: error.to_string(),
                io: false,
            });
        self.pending.push_back(item);
    }

    fn push_error(&mut self, line: usize, message: String) {
        let record = self.next_record();
        self.pending.push_back(Err(Malformed {
            record,
            line,
            message,
            io: false,
        }));
    }

    /// Reports a duplicate member of a record (the last would silently win); `true` when
    /// there is one.
    fn duplicate(&mut self, bytes: &[u8], line: usize) -> bool {
        if !crate::json::has_duplicate_members(bytes) {
            return false;
        }
        let Some(duplicate) = std::str::from_utf8(bytes)
            .ok()
            .and_then(crate::json::find_duplicate_member)
        else {
            return false;
        };
        self.push_error(line, duplicate.shifted(line, 1).to_string());
        true
    }

    /// A whole line in JSON Lines mode.
    fn read_line_value(&mut self, bytes: &[u8], line: usize) {
        if self.duplicate(bytes, line) {
            return;
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Array(items)) => {
                for item in &items {
                    self.push_value(item, line);
                }
            }
            Ok(value) => self.push_value(&value, line),
            Err(error) if error.is_eof() => {
                self.push_error(line, "the line ends before the JSON value does".into())
            }
            Err(error) => self.push_error(
                line,
                format!(
                    "malformed JSON at column {}: {}",
                    error.column(),
                    crate::request::strip_position(&error.to_string())
                ),
            ),
        }
    }

    fn feed(&mut self, bytes: &[u8], line: usize) {
        for &byte in bytes {
            let s = &mut self.splitter;
            if s.depth > 0 {
                s.buffer.push(byte);
                if s.in_string {
                    if s.escape {
                        s.escape = false;
                    } else if byte == b'\\' {
                        s.escape = true;
                    } else if byte == b'"' {
                        s.in_string = false;
                    }
                    continue;
                }
                match byte {
                    b'"' => s.in_string = true,
                    b'{' | b'[' => s.depth += 1,
                    b'}' | b']' => {
                        s.depth -= 1;
                        if s.depth == 0 {
                            let value = std::mem::take(&mut s.buffer);
                            let start = s.start_line;
                            self.complete(&value, start);
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match byte {
                b' ' | b'\t' | b'\r' | b'\n' => {}
                b'[' if !s.in_array => {
                    s.in_array = true;
                    s.array_line = line;
                    s.junk_line = None;
                }
                b',' if s.in_array => {}
                b']' if s.in_array => s.in_array = false,
                b'{' | b'[' => {
                    s.buffer.clear();
                    s.buffer.push(byte);
                    s.depth = 1;
                    s.start_line = line;
                    s.junk_line = None;
                }
                _ => {
                    if s.junk_line.is_none() {
                        s.junk_line = Some(line);
                        let shown = char::from(byte);
                        self.push_error(
                            line,
                            format!("unexpected `{shown}` between requests: expected `{{`"),
                        );
                    }
                }
            }
        }
    }

    fn complete(&mut self, bytes: &[u8], line: usize) {
        if self.duplicate(bytes, line) {
            return;
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(value) => self.push_value(&value, line),
            Err(error) => self.push_error(
                line + error.line().saturating_sub(1),
                format!(
                    "malformed JSON at column {}: {}",
                    error.column(),
                    crate::request::strip_position(&error.to_string())
                ),
            ),
        }
    }

    fn read_more(&mut self) {
        let mut bytes = Vec::new();
        let line = self.line;
        match self.reader.read_until(b'\n', &mut bytes) {
            Err(error) => {
                self.pending.push_back(Err(Malformed {
                    record: self.record,
                    line,
                    message: format!("after line {}: {error}", line.saturating_sub(1)),
                    io: true,
                }));
                self.done = true;
                return;
            }
            Ok(0) => {
                self.done = true;
                if self.splitter.depth > 0 {
                    let start = self.splitter.start_line;
                    self.splitter.depth = 0;
                    self.push_error(
                        start,
                        "the input ends before the request does (unclosed bracket or string)"
                            .into(),
                    );
                } else if self.splitter.in_array {
                    // A truncated array: every request read so far is kept, and the cut said.
                    let start = self.splitter.array_line;
                    self.splitter.in_array = false;
                    self.push_error(
                        start,
                        format!("the input ends before the array that starts on line {start} is closed with `]`: the input may be truncated"),
                    );
                }
                return;
            }
            Ok(_) => {}
        }
        self.line += 1;
        if line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match self.mode {
            Mode::Lines => {
                let trimmed = bytes.trim_ascii();
                if !trimmed.is_empty() {
                    self.read_line_value(trimmed, line);
                }
            }
            Mode::Document => self.feed(&bytes, line),
            Mode::Unknown => {
                let trimmed = bytes.trim_ascii();
                if trimmed.is_empty() {
                    return;
                }
                let whole = match serde_json::from_slice::<Value>(trimmed) {
                    Ok(_) => true,
                    Err(error) => !error.is_eof(),
                };
                if whole {
                    self.mode = Mode::Lines;
                    self.read_line_value(trimmed, line);
                } else {
                    self.mode = Mode::Document;
                    self.feed(&bytes, line);
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for RequestReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            self.read_more();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Item> {
        read_requests(text.as_bytes()).collect()
    }

    #[test]
    fn reads_json_lines_with_a_broken_line() {
        let items = read(
            "{\"action\":\"ecs:StartInstance\"}\n\n{\"action\": \n{\"action\":\"ecs:StopInstance\"}\n",
        );
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_ref().unwrap().1, Origin { record: 1, line: 1 });
        let error = items[1].as_ref().unwrap_err();
        assert_eq!((error.record, error.line), (2, 3));
        assert_eq!(items[2].as_ref().unwrap().0.action, "ecs:StopInstance");
        assert_eq!(items[2].as_ref().unwrap().1.line, 4);
    }

    #[test]
    fn reads_a_pretty_array_with_line_numbers() {
        let items = read("[\n  {\n    \"action\": \"a\"\n  },\n  {\"action\": \"b\", \"x\": 1},\n  {\"action\": \"c\"}\n]\n");
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].as_ref().unwrap().1, Origin { record: 1, line: 2 });
        let error = items[1].as_ref().unwrap_err();
        assert_eq!(error.line, 5);
        assert!(
            error.message.contains("unknown member `/x`"),
            "{}",
            error.message
        );
        assert_eq!(items[2].as_ref().unwrap().0.action, "c");
    }

    #[test]
    fn reads_a_one_line_array_and_concatenated_documents() {
        let items = read("[{\"action\":\"a\"},{\"action\":\"b\"}]");
        assert_eq!(items.len(), 2);
        let items = read("{\n\"action\":\"a\"\n}\n{\n\"action\":\"b\"\n}\n");
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].as_ref().unwrap().1.line, 4);
    }

    #[test]
    fn reports_unclosed_and_stray_text() {
        let items = read("[\n{\"action\":\"a\"},\nxx\n{\"action\":\n");
        assert_eq!(items.len(), 3);
        assert!(items[1]
            .as_ref()
            .unwrap_err()
            .message
            .contains("unexpected `x`"));
        let last = items[2].as_ref().unwrap_err();
        assert_eq!(last.line, 4);
        assert!(last.message.contains("ends before"));
    }
}
