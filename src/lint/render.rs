//! Findings for people: `file:line:col`, severity and code, the message, and the source line
//! with the span underlined, then the fix as a before/after pair of lines, in the layout rustc
//! made familiar. Colour is the caller's choice, so that the CLI can honour `NO_COLOR` and
//! terminals.
//!
//! The cost is linear in the text plus the findings: line starts are indexed once per file, and
//! each finding shows a window of bounded width around its span (at most [`CONTEXT`] characters
//! each side, a long span or replacement cut in the middle with `…`). A one-line minified policy
//! with thousands of findings therefore prints a few lines per finding, never the whole line
//! twice per finding. Every piece of source or message is escaped ([`crate::text::escape`]):
//! a control or bidirectional-override character in a policy never reaches the terminal.

use super::{Finding, Severity};
use crate::text::escape;
use std::fmt::Write;

/// Characters of source shown on each side of a span.
pub const CONTEXT: usize = 40;
/// The most characters of one span or replacement shown; longer ones keep their two ends.
pub const MAX_SPAN: usize = 80;
/// The most replacement lines shown for one edit, and the most edits shown for one fix.
const MAX_FIX_LINES: usize = 8;
const MAX_EDITS: usize = 4;

/// Renders the findings of one file.
pub fn render_text(file: &str, source: &str, findings: &[Finding], color: bool) -> String {
    let lines = LineStarts::new(source);
    let style = Style { color };
    let file = escape(file);
    let mut out = String::new();
    for finding in findings {
        let (name, paint) = level(finding.severity);
        let _ = writeln!(
            out,
            "{}: {} [{}]",
            style.paint(paint, name),
            style.bold(&escape(&finding.message)),
            finding.code
        );
        let start = fit(source, finding.region.offset);
        let end = fit(source, finding.region.end_offset).max(start);
        let line = lines.line_of(start);
        let number = (line + 1).to_string();
        let gutter = " ".repeat(number.len());
        let _ = writeln!(
            out,
            "{gutter}{} {file}:{}:{}",
            style.paint(BLUE, "-->"),
            finding.region.line,
            finding.region.column
        );
        let bar = style.paint(BLUE, "|");
        let _ = writeln!(out, "{gutter} {bar}");
        let excerpt = Excerpt::new(source, &lines, start, end);
        let _ = writeln!(
            out,
            "{} {bar} {}{}{}",
            style.paint(BLUE, &number),
            excerpt.before,
            excerpt.span,
            excerpt.after
        );
        let marks = "^".repeat(excerpt.span_width.max(1));
        let _ = writeln!(
            out,
            "{gutter} {bar} {}{}",
            " ".repeat(excerpt.before_width),
            style.paint(paint, &marks)
        );
        if let Some(fix) = &finding.fix {
            let _ = writeln!(out, "{gutter} {bar}");
            let _ = writeln!(
                out,
                "{}: fix: {}",
                style.paint(CYAN, "help"),
                escape(&fix.title)
            );
            for edit in fix.edits.iter().take(MAX_EDITS) {
                let start = fit(source, edit.region.offset);
                let end = fit(source, edit.region.end_offset).max(start);
                let excerpt = Excerpt::new(source, &lines, start, end);
                let number = (lines.line_of(start) + 1).to_string();
                let pad = " ".repeat(gutter.len().saturating_sub(number.len()));
                let _ = writeln!(out, "{gutter} {bar}");
                let _ = writeln!(
                    out,
                    "{pad}{} {} {}{}{}",
                    style.paint(BLUE, &number),
                    style.paint(RED, "-"),
                    excerpt.before,
                    excerpt.span,
                    excerpt.after
                );
                let replacement: Vec<&str> = edit.replacement.split('\n').collect();
                let shown = replacement.len().min(MAX_FIX_LINES);
                for (index, part) in replacement.iter().take(shown).enumerate() {
                    let before = if index == 0 {
                        excerpt.before.as_str()
                    } else {
                        ""
                    };
                    let after = if index + 1 == replacement.len() {
                        excerpt.after.as_str()
                    } else {
                        ""
                    };
                    let _ = writeln!(
                        out,
                        "{pad}{} {} {before}{}{after}",
                        style.paint(BLUE, &number),
                        style.paint(GREEN, "+"),
                        cut(part, MAX_SPAN).0
                    );
                }
                if replacement.len() > shown {
                    let _ = writeln!(
                        out,
                        "{gutter} {bar} … {} more lines",
                        replacement.len() - shown
                    );
                }
            }
            if fix.edits.len() > MAX_EDITS {
                let _ = writeln!(
                    out,
                    "{gutter} {bar} … {} more edits",
                    fix.edits.len() - MAX_EDITS
                );
            }
            let _ = writeln!(out, "{gutter} {bar}");
        }
        out.push('\n');
    }
    out
}

/// The part of a line shown for a span: escaped, with bounded context on each side.
struct Excerpt {
    before: String,
    span: String,
    after: String,
    /// Display columns of `before` and `span` (for the underline).
    before_width: usize,
    span_width: usize,
}

impl Excerpt {
    /// The span's first line: up to [`CONTEXT`] characters before it and after it (to the end of
    /// its line), the span itself cut to [`MAX_SPAN`] characters; `…` marks a cut.
    fn new(source: &str, lines: &LineStarts, start: usize, end: usize) -> Excerpt {
        let line = lines.line_of(start);
        let line_start = lines.start(line);
        let line_end = lines.end(source, line);
        let span_end = end.min(line_end);
        let context_start = back(source, start, CONTEXT).max(line_start);
        let context_end = forward(source, span_end, CONTEXT).min(line_end);
        let mut before = String::new();
        if context_start > line_start {
            before.push('…');
        }
        let (shown, _) = cut(
            source.get(context_start..start).unwrap_or_default(),
            usize::MAX,
        );
        before.push_str(&shown);
        let (span, _) = cut(source.get(start..span_end).unwrap_or_default(), MAX_SPAN);
        let mut after = String::new();
        let (shown, _) = cut(
            source.get(span_end..context_end).unwrap_or_default(),
            usize::MAX,
        );
        after.push_str(&shown);
        if context_end < line_end {
            after.push('…');
        }
        if end > line_end {
            // The span goes on past this line (a whole statement, say).
            after.push_str(" …");
        }
        Excerpt {
            before_width: width(&before),
            span_width: width(&span),
            before,
            span,
            after,
        }
    }
}

/// Text for one line of output: tabs as four spaces, other unsafe characters escaped, and at
/// most `max` characters (the first and last halves, `…` between). Returns the text and whether
/// it was cut. The work is bounded by `max`, not by the text's length.
fn cut(text: &str, max: usize) -> (String, bool) {
    let render = |part: &str| -> String {
        part.split('\t')
            .map(|piece| escape(piece).into_owned())
            .collect::<Vec<_>>()
            .join("    ")
    };
    if text.char_indices().nth(max).is_none() {
        return (render(text), false);
    }
    let half = max / 2;
    let head_end = text
        .char_indices()
        .nth(half)
        .map_or(text.len(), |(at, _)| at);
    let tail_start = text
        .char_indices()
        .rev()
        .nth(half.saturating_sub(1))
        .map_or(head_end, |(at, _)| at.max(head_end));
    let head = text.get(..head_end).unwrap_or_default();
    let tail = text.get(tail_start..).unwrap_or_default();
    (format!("{}…{}", render(head), render(tail)), true)
}

/// Display columns of rendered text: one a character (escapes are already expanded).
fn width(rendered: &str) -> usize {
    rendered.chars().count()
}

/// Byte offsets of line starts, computed once per file.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(source: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(
            source
                .bytes()
                .enumerate()
                .filter(|(_, byte)| *byte == b'\n')
                .map(|(at, _)| at + 1),
        );
        LineStarts(starts)
    }

    /// The 0-based line holding a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.0
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    fn start(&self, line: usize) -> usize {
        self.0.get(line).copied().unwrap_or(0)
    }

    /// The end of a line, before its `\n` (and `\r`).
    fn end(&self, source: &str, line: usize) -> usize {
        let end = self
            .0
            .get(line + 1)
            .map_or(source.len(), |next| next.saturating_sub(1));
        if end > self.start(line) && source.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }
}

/// A byte offset inside the text and on a character boundary.
fn fit(source: &str, offset: usize) -> usize {
    let mut at = offset.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The offset `count` characters before `offset` (or the text's start).
fn back(source: &str, offset: usize, count: usize) -> usize {
    source
        .get(..offset)
        .unwrap_or_default()
        .char_indices()
        .rev()
        .take(count)
        .last()
        .map_or(offset, |(at, _)| at)
}

/// The offset `count` characters after `offset` (or the text's end).
fn forward(source: &str, offset: usize, count: usize) -> usize {
    let rest = source.get(offset..).unwrap_or_default();
    rest.char_indices()
        .nth(count)
        .map_or(source.len(), |(at, _)| offset + at)
}

const RED: &str = "\u{1b}[1;31m";
const YELLOW: &str = "\u{1b}[1;33m";
const GREEN: &str = "\u{1b}[1;32m";
const BLUE: &str = "\u{1b}[1;34m";
const CYAN: &str = "\u{1b}[1;36m";
const MAGENTA: &str = "\u{1b}[1;35m";

fn level(severity: Severity) -> (&'static str, &'static str) {
    match severity {
        Severity::Error => ("error", RED),
        Severity::SecurityWarning => ("security warning", MAGENTA),
        Severity::Warning => ("warning", YELLOW),
        Severity::Suggestion => ("suggestion", GREEN),
    }
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.paint("\u{1b}[1m", text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Edit, Fix, Region};

    fn finding(source: &str, start: usize, end: usize, replacement: Option<&str>) -> Finding {
        let region = Region {
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            offset: start,
            end_offset: end,
        };
        let _ = source;
        Finding {
            code: "INVALID_EFFECT",
            severity: Severity::Error,
            message: "`allow` is not a valid Effect; use `Allow` or `Deny`".into(),
            path: "/Effect".into(),
            region,
            fix: replacement.map(|replacement| Fix {
                title: "replace with `\"Allow\"`".into(),
                edits: vec![Edit {
                    region,
                    replacement: replacement.into(),
                }],
            }),
        }
    }

    #[test]
    fn shows_location_code_message_underline_and_fix() {
        let source = "{\n  \"Effect\": \"allow\"\n}";
        let mut found = finding(source, 14, 21, Some("\"Allow\""));
        found.region.line = 2;
        found.region.column = 13;
        let text = render_text("p.json", source, &[found], false);
        assert_eq!(
            text,
            "error: `allow` is not a valid Effect; use `Allow` or `Deny` [INVALID_EFFECT]
 --> p.json:2:13
  |
2 |   \"Effect\": \"allow\"
  |             ^^^^^^^
  |
help: fix: replace with `\"Allow\"`
  |
2 -   \"Effect\": \"allow\"
2 +   \"Effect\": \"Allow\"
  |

"
        );
    }

    #[test]
    fn long_lines_show_a_bounded_window_with_ellipses() {
        let head = "x".repeat(10_000);
        let tail = "y".repeat(10_000);
        let source = format!("{head}\"allow\"{tail}");
        let start = head.len();
        let found = finding(&source, start, start + 7, Some("\"Allow\""));
        let text = render_text("p.json", &source, &[found], false);
        assert!(text.len() < 1_000, "{}", text.len());
        let context = "x".repeat(CONTEXT);
        assert!(text.contains(&format!("1 | …{context}\"allow\"")), "{text}");
        assert!(text.contains(&format!("1 + …{context}\"Allow\"{}…", "y".repeat(CONTEXT))));
        let underline = format!("  | {}^^^^^^^\n", " ".repeat(CONTEXT + 1));
        assert!(text.contains(&underline), "{text}");
        // A huge span keeps its two ends.
        let found = finding(&source, 0, source.len(), None);
        let text = render_text("p.json", &source, &[found], false);
        assert!(text.len() < 1_000, "{}", text.len());
        assert!(text.contains(&format!("{}…{}", "x".repeat(40), "y".repeat(40))));
    }

    #[test]
    fn hostile_characters_are_escaped_and_underlines_stay_aligned() {
        let source = "{\"a\u{1b}[2J\u{202e}\": \"allow\"}";
        let start = source.find("\"allow\"").unwrap_or_default();
        let found = finding(source, start, start + 7, None);
        let text = render_text("evil\u{7}.json", source, &[found], false);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'));
        assert!(text.contains("evil\\u{7}.json"), "{text}");
        let line = text
            .lines()
            .find(|line| line.starts_with("1 |"))
            .unwrap_or_default();
        let marks = text
            .lines()
            .find(|line| line.contains('^'))
            .unwrap_or_default();
        let column = |text: &str, needle: &str| {
            text.find(needle)
                .map(|at| text.get(..at).unwrap_or_default().chars().count())
        };
        assert_eq!(column(line, "\"allow\""), column(marks, "^"));
    }
}
