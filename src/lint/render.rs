//! Findings for people: `file:line:col`, severity and code, the message, and the source line
//! with the span underlined (rustc's renderer). Colour is the caller's choice, so that the CLI
//! can honour `NO_COLOR` and terminals.

use super::{Finding, Severity};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Patch, Renderer, Snippet};

/// Renders the findings of one file.
pub fn render_text(file: &str, source: &str, findings: &[Finding], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for finding in findings {
        let title = format!("{} [{}]", finding.message, finding.code);
        let level = level(finding.severity);
        let span = clamp(source, finding.region.offset, finding.region.end_offset);
        let mut report: Vec<Group<'_>> = vec![level.primary_title(title).element(
            Snippet::source(source)
                .line_start(1)
                .path(file)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span)),
        )];
        if let Some(fix) = &finding.fix {
            let mut snippet = Snippet::source(source)
                .line_start(1)
                .path(file.to_string())
                .fold(true);
            for edit in &fix.edits {
                snippet = snippet.patch(Patch::new(
                    clamp(source, edit.region.offset, edit.region.end_offset),
                    edit.replacement.clone(),
                ));
            }
            report.push(
                Level::HELP
                    .secondary_title(format!("fix: {}", fix.title))
                    .element(snippet),
            );
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::SecurityWarning => Level::WARNING.with_name(Some("security warning")),
        Severity::Warning => Level::WARNING,
        Severity::Suggestion => Level::NOTE.with_name(Some("suggestion")),
    }
}

/// A byte range inside the text and on character boundaries, so the renderer never slices
/// inside a character.
fn clamp(source: &str, start: usize, end: usize) -> std::ops::Range<usize> {
    let fit = |mut at: usize| {
        at = at.min(source.len());
        while !source.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = fit(start);
    start..fit(end).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Edit, Fix, Region};

    #[test]
    fn shows_location_code_message_and_underline() {
        let source = "{\n  \"Effect\": \"allow\"\n}";
        let region = Region {
            line: 2,
            column: 13,
            end_line: 2,
            end_column: 20,
            offset: 14,
            end_offset: 21,
        };
        let finding = Finding {
            code: "INVALID_EFFECT",
            severity: Severity::Error,
            message: "`allow` is not a valid Effect; use `Allow` or `Deny`".into(),
            path: "/Effect".into(),
            region,
            fix: Some(Fix {
                title: "replace with `\"Allow\"`".into(),
                edits: vec![Edit {
                    region,
                    replacement: "\"Allow\"".into(),
                }],
            }),
        };
        let text = render_text("p.json", source, &[finding], false);
        assert!(
            text.contains(
                "error: `allow` is not a valid Effect; use `Allow` or `Deny` [INVALID_EFFECT]"
            ),
            "{text}"
        );
        assert!(text.contains("p.json:2:13"), "{text}");
        assert!(text.contains("^^^^^^^"), "{text}");
        assert!(text.contains("fix: replace with"), "{text}");
    }
}
