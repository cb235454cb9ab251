//! Streaming record input, shared by every reader of many records (`--requests`, ActionTrail):
//! splitting a byte stream into top-level JSON values, and reading a line, each bounded by
//! [`MAX_RECORD_BYTES`], so that memory holds one record at a time whatever the input. A record
//! over the limit (or one whose brackets never close) is reported and its bytes are dropped as
//! they arrive, not buffered to the end of the input.
//!
//! The readers keep their own layout detection and messages; the splitter only finds where
//! records begin and end, by tracking brackets and strings (the records themselves are parsed by
//! serde_json).

use std::io::{BufRead, Read};

/// The largest record read, in bytes (16 MiB); a larger record is reported and skipped.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// Which values count as records between records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grammar {
    /// Any JSON value (ActionTrail): scalars and strings too, and a top-level array's elements
    /// need their `,`.
    AnyValue,
    /// Objects and arrays only (requests): other text between them is stray (reported once per
    /// run), and commas in a top-level array are not checked.
    Containers,
}

/// What the splitter produces.
#[derive(Debug)]
pub(crate) enum Split {
    /// A whole record, and where it starts.
    Record {
        bytes: Vec<u8>,
        line: usize,
        column: usize,
    },
    /// A record longer than [`MAX_RECORD_BYTES`] (its bytes were dropped).
    TooLarge { line: usize },
    /// A separator out of place ([`Grammar::AnyValue`]).
    Separator {
        message: &'static str,
        line: usize,
        column: usize,
    },
    /// The first byte of a run of text that is no record ([`Grammar::Containers`]).
    Stray { byte: u8, line: usize },
    /// The input ends inside a record that started here.
    UnclosedRecord { line: usize },
    /// The input ends inside the top-level array that started on this line.
    UnclosedArray { line: usize },
}

/// Splits a byte stream into top-level JSON values (and the elements of a top-level array).
#[derive(Debug)]
pub(crate) struct Splitter {
    grammar: Grammar,
    /// The position of the next byte (from 1).
    pub(crate) line: usize,
    column: usize,
    buffer: Vec<u8>,
    oversized: bool,
    /// Inside a value: its bracket depth, string state, scalar state.
    in_value: bool,
    depth: usize,
    in_string: bool,
    escape: bool,
    scalar: bool,
    start_line: usize,
    start_column: usize,
    /// Inside a top-level array.
    pub(crate) in_array: bool,
    array_line: usize,
    /// In an array: an element was read and no `,` followed yet.
    need_comma: bool,
    /// Stray text was reported and no record has started since.
    stray: bool,
    /// The number of records completed.
    pub(crate) completed: usize,
}

impl Splitter {
    /// A splitter whose first byte is on `line`, column 1.
    pub(crate) fn new(grammar: Grammar, line: usize) -> Self {
        Splitter {
            grammar,
            line,
            column: 1,
            buffer: Vec::new(),
            oversized: false,
            in_value: false,
            depth: 0,
            in_string: false,
            escape: false,
            scalar: false,
            start_line: line,
            start_column: 1,
            in_array: false,
            array_line: line,
            need_comma: false,
            stray: false,
            completed: 0,
        }
    }

    /// The bytes held for the open record (at most [`MAX_RECORD_BYTES`]).
    #[cfg(test)]
    pub(crate) fn buffered(&self) -> usize {
        self.buffer.len()
    }

    /// Whether no record is open.
    pub(crate) fn between_records(&self) -> bool {
        !self.in_value
    }

    fn push(&mut self, byte: u8) {
        if self.buffer.len() >= MAX_RECORD_BYTES {
            self.oversized = true;
        } else {
            self.buffer.push(byte);
        }
    }

    fn complete(&mut self, outputs: &mut Vec<Split>) {
        self.in_value = false;
        self.scalar = false;
        self.in_string = false;
        self.escape = false;
        self.depth = 0;
        self.completed += 1;
        let bytes = std::mem::take(&mut self.buffer);
        let (line, column) = (self.start_line, self.start_column);
        if self.oversized {
            self.oversized = false;
            outputs.push(Split::TooLarge { line });
        } else {
            outputs.push(Split::Record {
                bytes,
                line,
                column,
            });
        }
    }

    fn advance(&mut self, byte: u8) {
        if byte == b'\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
    }

    /// Reads every byte of a chunk.
    pub(crate) fn feed_all(&mut self, bytes: &[u8], outputs: &mut Vec<Split>) {
        for &byte in bytes {
            self.feed(byte, outputs);
        }
    }

    /// Reads one byte.
    pub(crate) fn feed(&mut self, byte: u8, outputs: &mut Vec<Split>) {
        if self.in_value && self.scalar {
            if byte.is_ascii_whitespace() || matches!(byte, b',' | b']' | b'[' | b'{' | b'}') {
                self.complete(outputs);
            } else {
                self.push(byte);
                self.advance(byte);
                return;
            }
        }
        if self.in_value {
            self.push(byte);
            if self.in_string {
                if self.escape {
                    self.escape = false;
                } else if byte == b'\\' {
                    self.escape = true;
                } else if byte == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        self.complete(outputs);
                    }
                }
            } else {
                match byte {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth = self.depth.saturating_sub(1);
                        if self.depth == 0 {
                            self.complete(outputs);
                        }
                    }
                    _ => {}
                }
            }
            self.advance(byte);
            return;
        }
        self.between(byte, outputs);
        self.advance(byte);
    }

    /// A byte between records.
    fn between(&mut self, byte: u8, outputs: &mut Vec<Split>) {
        let containers = self.grammar == Grammar::Containers;
        match byte {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'[' if !self.in_array => {
                self.in_array = true;
                self.array_line = self.line;
                self.need_comma = false;
                self.stray = false;
            }
            b']' if self.in_array => {
                self.in_array = false;
                self.need_comma = false;
            }
            b',' if self.in_array && (self.need_comma || containers) => self.need_comma = false,
            _ if containers && !matches!(byte, b'{' | b'[') => {
                if !self.stray {
                    self.stray = true;
                    outputs.push(Split::Stray {
                        byte,
                        line: self.line,
                    });
                }
            }
            b',' => outputs.push(Split::Separator {
                message: "unexpected `,`",
                line: self.line,
                column: self.column,
            }),
            _ => {
                if self.in_array && self.need_comma && !containers {
                    outputs.push(Split::Separator {
                        message: "expected `,` or `]` between array elements",
                        line: self.line,
                        column: self.column,
                    });
                }
                self.start_value(byte);
            }
        }
    }

    fn start_value(&mut self, byte: u8) {
        self.in_value = true;
        self.stray = false;
        self.start_line = self.line;
        self.start_column = self.column;
        self.need_comma = self.in_array;
        self.buffer.clear();
        self.buffer.push(byte);
        match byte {
            b'{' | b'[' => {
                self.depth = 1;
                self.scalar = false;
            }
            b'"' => {
                self.in_string = true;
                self.depth = 0;
                self.scalar = false;
            }
            _ => self.scalar = true,
        }
    }

    /// End of input: a trailing scalar completes; an open record, then an open array, are
    /// reported.
    pub(crate) fn finish(&mut self, outputs: &mut Vec<Split>) {
        if self.in_value {
            if self.scalar {
                self.complete(outputs);
            } else {
                self.in_value = false;
                self.oversized = false;
                self.depth = 0;
                self.buffer = Vec::new();
                outputs.push(Split::UnclosedRecord {
                    line: self.start_line,
                });
            }
        }
        if self.in_array {
            self.in_array = false;
            outputs.push(Split::UnclosedArray {
                line: self.array_line,
            });
        }
    }
}

/// What [`read_line`] read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The end of the input: nothing was read.
    End,
    /// A line (with its `\n`, if any) is in the buffer.
    Read,
    /// The line is longer than [`MAX_RECORD_BYTES`]: the buffer holds its first
    /// [`MAX_RECORD_BYTES`] + 1 bytes, and the rest is still to be read (or skipped with
    /// [`skip_line`]).
    TooLong,
}

/// Reads one line into `buffer` (cleared first), at most [`MAX_RECORD_BYTES`] + 1 bytes of it.
pub(crate) fn read_line<R: BufRead>(reader: &mut R, buffer: &mut Vec<u8>) -> std::io::Result<Line> {
    buffer.clear();
    let limit = (MAX_RECORD_BYTES + 1) as u64;
    if Read::take(&mut *reader, limit).read_until(b'\n', buffer)? == 0 {
        return Ok(Line::End);
    }
    if buffer.len() <= MAX_RECORD_BYTES || buffer.last() == Some(&b'\n') {
        Ok(Line::Read)
    } else {
        Ok(Line::TooLong)
    }
}

/// Skips the rest of a line, a bounded piece at a time (after [`Line::TooLong`]).
pub(crate) fn skip_line<R: BufRead>(reader: &mut R) {
    let limit = (MAX_RECORD_BYTES + 1) as u64;
    let mut rest = Vec::new();
    loop {
        rest.clear();
        match Read::take(&mut *reader, limit).read_until(b'\n', &mut rest) {
            Ok(0) | Err(_) => break,
            Ok(_) if rest.last() == Some(&b'\n') => break,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(grammar: Grammar, text: &str) -> Vec<Split> {
        let mut splitter = Splitter::new(grammar, 1);
        let mut outputs = Vec::new();
        splitter.feed_all(text.as_bytes(), &mut outputs);
        splitter.finish(&mut outputs);
        outputs
    }

    #[test]
    fn an_unclosed_record_holds_at_most_the_limit() {
        let mut splitter = Splitter::new(Grammar::Containers, 1);
        let mut outputs = Vec::new();
        splitter.feed_all(b"{\"a\": \"", &mut outputs);
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..20 {
            splitter.feed_all(&chunk, &mut outputs);
        }
        assert!(splitter.buffer.len() <= MAX_RECORD_BYTES);
        splitter.finish(&mut outputs);
        assert!(matches!(
            outputs.as_slice(),
            [Split::UnclosedRecord { line: 1 }]
        ));
    }

    #[test]
    fn grammars_differ_between_records() {
        let any = split(Grammar::AnyValue, "[1 2,,\"s\"]");
        assert!(matches!(
            any.as_slice(),
            [
                Split::Record { .. },
                Split::Separator { column: 4, .. },
                Split::Record { .. },
                Split::Separator { column: 6, .. },
                Split::Record { .. },
            ]
        ));
        let containers = split(Grammar::Containers, "xx {}\n[{} {},,]\n1");
        assert!(matches!(
            containers.as_slice(),
            [
                Split::Stray {
                    byte: b'x',
                    line: 1
                },
                Split::Record {
                    line: 1,
                    column: 4,
                    ..
                },
                Split::Record { line: 2, .. },
                Split::Record { line: 2, .. },
                Split::Stray {
                    byte: b'1',
                    line: 3
                },
            ]
        ));
    }

    #[test]
    fn long_lines_are_cut_and_skipped() {
        let text = format!("{}\nnext\n", "a".repeat(MAX_RECORD_BYTES + 10));
        let mut reader = text.as_bytes();
        let mut buffer = Vec::new();
        assert_eq!(read_line(&mut reader, &mut buffer).unwrap(), Line::TooLong);
        skip_line(&mut reader);
        assert_eq!(read_line(&mut reader, &mut buffer).unwrap(), Line::Read);
        assert_eq!(buffer, b"next\n");
        assert_eq!(read_line(&mut reader, &mut buffer).unwrap(), Line::End);
    }
}
