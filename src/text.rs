//! Renderings for people: what the CLI prints without `--format json`.

use crate::catalog::Catalog;
use crate::eval::Evaluation;
use crate::resolve::Resolution;
use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character must not reach a terminal as is: C0 and C1 control characters (ESC starts
/// terminal escape sequences, BEL rings), DEL, and the bidirectional overrides, embeddings,
/// isolates and marks that reorder how a line reads ("Trojan Source").
fn is_unsafe(character: char) -> bool {
    matches!(character,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{061c}' | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character (see `is_unsafe`) written as a visible escape: `\n`,
/// `\t`, `\r`, or `\u{1b}`. For a value inside a one-line message (a file name, an ARN).
/// Escaping twice changes nothing, since the output holds no unsafe character.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_keeping(text, false)
}

/// [`escape`] for a whole rendering: line feeds and tabs are layout and stay; every other
/// unsafe character is escaped. Every human-readable renderer passes its output through this
/// (lint, eval, explain, resolve, generate's summary, the CLI's notes and errors).
pub fn escape_output(text: &str) -> Cow<'_, str> {
    escape_keeping(text, true)
}

fn escape_keeping(text: &str, layout: bool) -> Cow<'_, str> {
    let keep = |character: char| layout && matches!(character, '\n' | '\t');
    if !text
        .chars()
        .any(|character| is_unsafe(character) && !keep(character))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        if !is_unsafe(character) || keep(character) {
            out.push(character);
            continue;
        }
        match character {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            other => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(other));
            }
        }
    }
    Cow::Owned(out)
}

/// `1 file`, `2 files`: a count with the word that fits it.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The catalog as a table: one action a line (name, access level, source, category and
/// description when known), then its templates indented, then its condition keys.
pub fn catalog(catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "catalog edition: {}\n", catalog.edition_name());
    for action in catalog.actions() {
        let entry = action.entry();
        let facts = action.facts();
        let mut line = format!("{}  [{}]", action.qualified_name(), facts.source.name());
        if let Some(access) = &facts.access {
            let _ = write!(line, "  access: {access}");
        }
        if !entry.category.is_empty() {
            let _ = write!(line, "  [{}]", entry.category);
        }
        if !entry.description.is_empty() {
            let _ = write!(line, "  {}", entry.description);
        }
        let _ = writeln!(out, "{line}");
        if !action.authorization_documented() {
            let _ = writeln!(
                out,
                "    authorization not documented: RAM may check resources other than `*`"
            );
        } else if !action.has_resource_level_authorization() {
            let _ = writeln!(out, "    *  (no resource-level authorization)");
        }
        if !facts.resource_types.is_empty() {
            let _ = writeln!(
                out,
                "    resource types: {}",
                facts.resource_types.join(", ")
            );
        }
        for resource in action.resources() {
            let data = resource.entry();
            let mut notes = Vec::new();
            if data.optional {
                notes.push("optional".to_string());
            }
            if !data.unless_params.is_empty() {
                notes.push(format!("only without {}", data.unless_params.join(", ")));
            }
            if !data.errata.is_empty() {
                notes.push(format!("corrected: {}", data.errata.join(", ")));
            }
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", notes.join("; "))
            };
            let _ = writeln!(out, "    {}{}", data.template, notes);
        }
        for template in &facts.unbound {
            let _ = writeln!(out, "    {template}  (no request parameter fills it)");
        }
        if let Some(before) = &facts.seed_templates {
            let before = if before.is_empty() {
                "*".to_string()
            } else {
                before.join(", ")
            };
            let _ = writeln!(out, "    changed since the seed, which checks: {before}");
        }
        if !facts.condition_keys.is_empty() {
            let _ = writeln!(
                out,
                "    condition keys: {}",
                facts.condition_keys.join(", ")
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{} actions, {} with resource-level authorization, {} errata (see docs/catalog.md)",
        catalog.actions().len(),
        catalog
            .actions()
            .iter()
            .filter(|action| action.has_resource_level_authorization())
            .count(),
        catalog.errata().len()
    );
    out
}

/// A rendering handed to `sink` through [`escape_output`] a piece at a time, so that a long one
/// (600,000 ARNs) is never held as one string: escaping is character by character, so the
/// pieces escaped one by one give the text escaped whole.
pub(crate) struct Escaping<F: FnMut(&str)> {
    sink: F,
    pending: String,
}

impl<F: FnMut(&str)> Escaping<F> {
    const PIECE: usize = 1 << 16;

    pub(crate) fn new(sink: F) -> Self {
        Escaping {
            sink,
            pending: String::new(),
        }
    }

    fn flush_pending(&mut self) {
        (self.sink)(&escape_output(&self.pending));
        self.pending.clear();
    }

    /// Hands over what is left.
    pub(crate) fn finish(mut self) {
        self.flush_pending();
    }
}

impl<F: FnMut(&str)> Write for Escaping<F> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.pending.push_str(text);
        if self.pending.len() >= Self::PIECE {
            self.flush_pending();
        }
        Ok(())
    }
}

/// Renders through [`Escaping`] into `out`, with the first error writing met.
fn write_escaped(
    out: &mut dyn std::io::Write,
    render: impl FnOnce(&mut dyn Write),
) -> std::io::Result<()> {
    let mut failed = None;
    let mut escaping = Escaping::new(|piece: &str| {
        if failed.is_none() {
            failed = out.write_all(piece.as_bytes()).err();
        }
    });
    render(&mut escaping);
    escaping.finish();
    failed.map_or(Ok(()), Err)
}

/// A rendering written by `write` into one string.
fn rendered(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// A resolution: the ARNs and where each value came from, then skipped resources.
pub fn resolution(resolution: &Resolution) -> String {
    rendered(|out| write_resolution(out, resolution))
}

/// [`resolution`] written to `out` as it is rendered.
pub fn write_resolution(
    out: &mut dyn std::io::Write,
    resolution: &Resolution,
) -> std::io::Result<()> {
    write_escaped(out, |out| {
        let _ = writeln!(out, "{}", resolution.action);
        for resource in &resolution.resources {
            let _ = writeln!(out, "  {}", resource.arn);
            let sources: Vec<String> = resource
                .bindings
                .iter()
                .filter(|bound| &*bound.source != "account")
                .map(|bound| {
                    format!(
                        "${} = {} (from {})",
                        bound.variable, bound.value, bound.source
                    )
                })
                .collect();
            if !sources.is_empty() {
                let _ = writeln!(out, "      {}", sources.join(", "));
            } else if resource.template_index.is_none() {
                let _ = writeln!(out, "      no resource-level authorization: RAM checks `*`");
            }
        }
        for skipped in &resolution.skipped {
            let _ = writeln!(out, "  skipped {}: {}", skipped.template, skipped.reason);
        }
    })
}

/// An evaluation: the decision first, then per ARN its decision and deciding statements as
/// `policy:line:column`, then absent context keys and the statements that did not apply.
pub fn evaluation(evaluation: &Evaluation) -> String {
    rendered(|out| write_evaluation(out, evaluation))
}

/// [`evaluation`] written to `out` as it is rendered.
pub fn write_evaluation(
    out: &mut dyn std::io::Write,
    evaluation: &Evaluation,
) -> std::io::Result<()> {
    write_escaped(out, |out| {
        let _ = writeln!(out, "{}", evaluation.decision.name());
        let _ = writeln!(out, "action {}", evaluation.action);
        for note in &evaluation.notes {
            let _ = writeln!(out, "note: {note}");
        }
        for resource in &evaluation.resources {
            let _ = writeln!(out, "  {}: {}", resource.arn, resource.decision.name());
            if resource.arn == "*" {
                let _ = writeln!(
                    out,
                    "      no resource-level authorization: RAM checks the literal resource `*`"
                );
            }
            let undetermined = resource.undetermined.iter().map(|statement| {
                (
                    statement,
                    " may apply: its condition depends on keys not known from the input",
                )
            });
            for (statement, note) in resource
                .statements
                .iter()
                .map(|statement| (statement, ""))
                .chain(undetermined)
            {
                let _ = writeln!(
                    out,
                    "      {}:{}:{}  statement {} ({}){note}",
                    statement.policy,
                    statement.line,
                    statement.column,
                    statement.statement + 1,
                    statement.effect.name()
                );
            }
        }
        if !evaluation.unknown_context_keys.is_empty() {
            let _ = writeln!(
            out,
            "not known from the input (RAM sets them from facts the request does not carry; the answer depends on them, give them with --context): {}",
            evaluation.unknown_context_keys.join(", ")
        );
        }
        if !evaluation.missing_context_keys.is_empty() {
            let _ = writeln!(
                out,
                "absent context keys (negated operators treat them as met): {}",
                evaluation.missing_context_keys.join(", ")
            );
        }
        if let Some(why) = &evaluation.depends_on_authorization {
            let _ = writeln!(
                out,
                "undetermined: {why} (catalog edition {})",
                crate::catalog::Edition::default_edition()
            );
        }
        if !evaluation.trace.is_empty() {
            let _ = writeln!(out, "not applied:");
            for entry in &evaluation.trace {
                let _ = writeln!(
                    out,
                    "  {}:{}:{}  statement {}: {}",
                    entry.policy,
                    entry.line,
                    entry.column,
                    entry.statement + 1,
                    entry.reason
                );
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_escaped_once() {
        let hostile = "a\u{1b}[31mred\u{7}\u{202e}txt\u{9b}\r\n\tb";
        let escaped = escape(hostile);
        assert_eq!(
            escaped,
            "a\\u{1b}[31mred\\u{7}\\u{202e}txt\\u{9b}\\r\\n\\tb"
        );
        assert_eq!(escape(&escaped), escaped, "idempotent");
        assert_eq!(
            escape_output(hostile),
            "a\\u{1b}[31mred\\u{7}\\u{202e}txt\\u{9b}\\r\n\tb"
        );
        assert!(matches!(escape("plain é 中"), Cow::Borrowed(_)));
    }
}
