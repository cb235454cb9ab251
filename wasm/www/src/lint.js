// Lint findings → CodeMirror diagnostics, and quick fixes → CodeMirror changes. The findings are
// those of the `lint` export: `{"findings": [{code, severity, message, path, line, column,
// end_line, end_column, offset, end_offset, fix?: {title, edits: [{line, column, end_line,
// end_column, offset, end_offset, replacement}]}}]}`. Lines are 1-based; columns count Unicode
// characters (code points), offsets are UTF-8 bytes. CodeMirror counts UTF-16 units, so positions
// are converted from line and column, never from the byte offsets.

/** Finding severity → CodeMirror severity. */
export const SEVERITY = {
  error: "error",
  security_warning: "warning",
  warning: "warning",
  suggestion: "info",
};

/** Severity → the word shown to people. */
export const SEVERITY_LABEL = {
  error: "error",
  security_warning: "security warning",
  warning: "warning",
  suggestion: "suggestion",
};

/**
 * A 1-based line and 1-based column counted in code points, in `doc` (a CodeMirror `Text`), as a
 * UTF-16 offset. Clamped into the document: a line past the end is the last line, a column past
 * the end of its line is the line's end (where `end_column` points just past a line's last
 * character).
 */
export function offsetOf(doc, line, column) {
  const lineNumber = Math.min(Math.max(1, Number(line) || 1), doc.lines);
  const info = doc.line(lineNumber);
  let remaining = Math.max(1, Number(column) || 1) - 1;
  let unit = 0;
  const text = info.text;
  while (remaining > 0 && unit < text.length) {
    const code = text.charCodeAt(unit);
    unit += code >= 0xd800 && code <= 0xdbff && unit + 1 < text.length ? 2 : 1;
    remaining -= 1;
  }
  // A column one past the line's end (remaining > 0 here) addresses the line break: clamp.
  return info.from + Math.min(unit, text.length);
}

/** The CodeMirror changes of a finding's fix, for document `doc` (the text that was linted). */
export function fixChanges(doc, fix) {
  return (fix?.edits || []).map((edit) => ({
    from: offsetOf(doc, edit.line, edit.column),
    to: offsetOf(doc, edit.end_line, edit.end_column),
    insert: edit.replacement,
  }));
}

/** A message with its `code` spans as <code> elements (browser only: called when shown). */
export function messageNode(message) {
  const span = document.createElement("span");
  for (const part of message.split(/(`[^`]+`)/)) {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) {
      const code = document.createElement("code");
      code.textContent = part.slice(1, -1);
      span.append(code);
    } else if (part) {
      span.append(part);
    }
  }
  return span;
}

/**
 * The diagnostics of a lint result for document `doc`. `onFix(view, finding)` is called by a
 * diagnostic's quick-fix action (shown in the hover tooltip).
 */
export function toDiagnostics(doc, result, onFix) {
  const findings = (result && result.findings) || [];
  return findings.map((finding) => {
    const from = offsetOf(doc, finding.line, finding.column);
    let to = offsetOf(doc, finding.end_line ?? finding.line, finding.end_column ?? finding.column);
    if (to <= from) to = Math.min(from + 1, doc.length);
    const diagnostic = {
      from,
      to,
      severity: SEVERITY[finding.severity] || "warning",
      source: finding.code,
      message: finding.message,
      // Inline code (`ecs:DescribeInstances`) drawn as code, not as backticks.
      renderMessage: () => messageNode(finding.message),
      finding,
    };
    if (finding.fix && onFix) {
      diagnostic.actions = [{ name: `Fix: ${finding.fix.title}`, apply: (view) => onFix(view, finding) }];
    }
    return diagnostic;
  });
}

/**
 * The same finding in a newer lint result: same code, path and message (positions move as the
 * text changes). Used to apply a quick fix to the current text when it changed since the lint.
 */
export function sameFinding(result, finding) {
  return ((result && result.findings) || []).find(
    (other) => other.code === finding.code && other.path === finding.path && other.message === finding.message,
  );
}

/** Counts by severity, most severe first, e.g. "1 error, 2 warnings". */
export function summarize(findings) {
  if (findings.length === 0) return "no findings";
  const order = ["error", "security_warning", "warning", "suggestion"];
  return order
    .map((severity) => {
      const count = findings.filter((finding) => finding.severity === severity).length;
      if (count === 0) return null;
      const label = SEVERITY_LABEL[severity];
      return `${count} ${label}${count > 1 ? "s" : ""}`;
    })
    .filter(Boolean)
    .join(", ");
}
