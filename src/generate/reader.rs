//! Streaming `--requests` input: a JSON array of requests (pretty-printed or not), JSON Lines
//! (one request per line; a line holding an array counts as several), or concatenated
//! pretty-printed requests. One request is held at a time, never the whole input.
//!
//! The form is decided on the first non-blank line: when it holds a whole JSON value (or a
//! syntax error), the input is JSON Lines and every line is read alone, so a broken line is one
//! malformed record and the next line is read normally. Otherwise values are split by tracking
//! brackets and strings (`src/stream.rs`, shared with the ActionTrail reader, which detects its
//! layouts its own way). A record (a line, in JSON Lines) over [`MAX_RECORD_BYTES`] is reported
//! and skipped, so one unclosed `{` never buffers the rest of the input.

use super::Origin;
use crate::request::Request;
use crate::stream::{self, Grammar, Split, Splitter, MAX_RECORD_BYTES};
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
    line_buffer: Vec<u8>,
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
        splitter: Splitter::new(Grammar::Containers, 1),
        line_buffer: Vec::new(),
    }
}

impl<R: BufRead> RequestReader<R> {
    fn next_record(&mut self) -> usize {
        self.record += 1;
        self.record
    }

    fn push_value(&mut self, value: Value, line: usize) {
        let record = self.next_record();
        let item = Request::from_owned_value(value, "")
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
                for item in items {
                    self.push_value(item, line);
                }
            }
            Ok(value) => self.push_value(value, line),
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

    /// Splits bytes of a document into requests.
    fn feed(&mut self, bytes: &[u8]) {
        let mut outputs = Vec::new();
        self.splitter.feed_all(bytes, &mut outputs);
        self.handle(outputs);
    }

    fn handle(&mut self, outputs: Vec<Split>) {
        for output in outputs {
            match output {
                Split::Record { bytes, line, .. } => self.complete(&bytes, line),
                Split::Stray { byte, line } => {
                    let shown = char::from(byte);
                    self.push_error(
                        line,
                        format!("unexpected `{shown}` between requests: expected `{{`"),
                    );
                }
                Split::TooLarge { line, .. } => self.push_error(line, too_large()),
                Split::UnclosedRecord { line, .. } => {
                    self.push_error(
                        line,
                        "the input ends before the request does (unclosed bracket or string)"
                            .into(),
                    );
                    // The array's missing `]` follows from the open record: one message.
                    return;
                }
                Split::UnclosedArray { line } => {
                    // A truncated array: every request read so far is kept, and the cut said.
                    self.push_error(
                        line,
                        format!("the input ends before the array that starts on line {line} is closed with `]`: the input may be truncated"),
                    );
                }
                // Not produced by `Grammar::Containers`.
                Split::Separator { .. } => {}
            }
        }
    }

    fn complete(&mut self, bytes: &[u8], line: usize) {
        if self.duplicate(bytes, line) {
            return;
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(value) => self.push_value(value, line),
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
        if self.mode == Mode::Document {
            return self.scan();
        }
        let line = self.line;
        let read = stream::read_line(&mut self.reader, &mut self.line_buffer);
        let read = match read {
            Err(error) => return self.fail(line, &error),
            Ok(stream::Line::End) => {
                self.done = true;
                return;
            }
            Ok(read) => read,
        };
        self.line += 1;
        let mut bytes = std::mem::take(&mut self.line_buffer);
        if line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match (self.mode, read) {
            (Mode::Lines, stream::Line::TooLong) => {
                stream::skip_line(&mut self.reader);
                self.push_error(line, too_large());
            }
            (Mode::Lines, _) => {
                let trimmed = bytes.trim_ascii();
                if !trimmed.is_empty() {
                    self.read_line_value(trimmed, line);
                }
            }
            // The first line is longer than a record (a long one-line array): it is split as a
            // document, its rest read as it comes.
            (_, stream::Line::TooLong) => {
                self.mode = Mode::Document;
                self.splitter.line = line;
                self.feed(&bytes);
            }
            (_, _) => {
                let trimmed = bytes.trim_ascii();
                if !trimmed.is_empty() {
                    let whole = match serde_json::from_slice::<Value>(trimmed) {
                        Ok(_) => true,
                        Err(error) => !error.is_eof(),
                    };
                    if whole {
                        self.mode = Mode::Lines;
                        self.read_line_value(trimmed, line);
                    } else {
                        self.mode = Mode::Document;
                        self.splitter.line = line;
                        self.feed(&bytes);
                    }
                }
            }
        }
        self.line_buffer = bytes;
    }

    /// A document: splits one buffer's worth of bytes.
    fn scan(&mut self) {
        let buffer = match self.reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => return,
            Err(error) => return self.fail(self.splitter.line, &error),
        };
        if buffer.is_empty() {
            self.done = true;
            let mut outputs = Vec::new();
            self.splitter.finish(&mut outputs);
            return self.handle(outputs);
        }
        let mut outputs = Vec::new();
        self.splitter.feed_all(buffer, &mut outputs);
        let used = buffer.len();
        self.reader.consume(used);
        self.handle(outputs);
    }

    /// The input cannot be read: the stream ends.
    fn fail(&mut self, line: usize, error: &std::io::Error) {
        self.pending.push_back(Err(Malformed {
            record: self.record,
            line,
            message: format!("after line {}: {error}", line.saturating_sub(1)),
            io: true,
        }));
        self.done = true;
    }
}

/// The message for a record over the limit.
fn too_large() -> String {
    format!("the record is larger than {MAX_RECORD_BYTES} bytes")
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

    /// An endless string: the first `prefix` bytes, then `x` for `length` bytes in all.
    struct Endless {
        prefix: &'static [u8],
        sent: usize,
        length: usize,
    }

    impl std::io::Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let count = out.len().min(self.length - self.sent);
            for (index, slot) in out.iter_mut().take(count).enumerate() {
                *slot = self.prefix.get(self.sent + index).copied().unwrap_or(b'x');
            }
            self.sent += count;
            Ok(count)
        }
    }

    #[test]
    fn an_unclosed_brace_does_not_buffer_the_rest_of_the_input() {
        for prefix in [
            &b"{\"action\": \""[..],
            b"[\n{\"action\": \"a\"},\n{\"action\": \"",
        ] {
            let input = Endless {
                prefix,
                sent: 0,
                length: 3 * MAX_RECORD_BYTES,
            };
            let mut reader = read_requests(std::io::BufReader::new(input));
            while !reader.done {
                reader.read_more();
                assert!(reader.splitter.buffered() <= MAX_RECORD_BYTES);
                assert!(reader.line_buffer.len() <= MAX_RECORD_BYTES + 1);
            }
            let items: Vec<Item> = reader.collect();
            let last = items.last().unwrap().as_ref().unwrap_err();
            assert_eq!(last.line, if prefix.starts_with(b"[") { 3 } else { 1 });
            assert!(
                last.message.contains("ends before the request does"),
                "{}",
                last.message
            );
        }
    }

    #[test]
    fn records_and_lines_over_the_limit_are_refused_and_skipped() {
        let big = format!("{{\"action\": \"{}\"}}", "a".repeat(MAX_RECORD_BYTES));
        let items = read(&format!("[\n{big},\n{{\"action\": \"b\"}}\n]\n"));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_ref().unwrap_err().line, 2);
        assert!(items[0]
            .as_ref()
            .unwrap_err()
            .message
            .contains("larger than"));
        assert_eq!(items[1].as_ref().unwrap().0.action, "b");
        let items = read(&format!(
            "{{\"action\": \"a\"}}\n{big}\n{{\"action\": \"b\"}}\n"
        ));
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].as_ref().unwrap_err().line, 2);
        assert_eq!(items[2].as_ref().unwrap().1.line, 3);
    }

    #[test]
    fn a_one_line_array_longer_than_a_record_is_streamed() {
        let one = "{\"action\": \"ecs:DescribeInstances\"},";
        let count = MAX_RECORD_BYTES / one.len() + 10;
        let text = format!("[{}{{\"action\": \"last\"}}]\n", one.repeat(count));
        let items = read(&text);
        assert_eq!(items.len(), count + 1);
        assert!(items.iter().all(|item| item.as_ref().unwrap().1.line == 1));
        assert_eq!(items[count].as_ref().unwrap().0.action, "last");
    }
}
