// Lint findings → CodeMirror diagnostics. The findings are those of issue 4's `lint` export:
// `{"findings": [{code, severity, message, path, line, column, end_line, end_column, fix?}]}`
// with 1-based lines and columns. Until that export is in the module, the editor shows the
// findings panel as pending and never calls this.

/** Finding severity → CodeMirror severity. */
export const SEVERITY = {
  error: "error",
  security_warning: "warning",
  warning: "warning",
  suggestion: "info",
};

/** A 1-based line/column of `doc` (a CodeMirror `Text`) as an offset, clamped into the doc. */
export function offsetOf(doc, line, column) {
  const lineNumber = Math.min(Math.max(1, Number(line) || 1), doc.lines);
  const info = doc.line(lineNumber);
  const col = Math.max(1, Number(column) || 1);
  return Math.min(info.from + col - 1, info.to);
}

/** The diagnostics of a lint result for document `doc`. */
export function toDiagnostics(doc, result) {
  const findings = (result && result.findings) || [];
  return findings.map((finding) => {
    const from = offsetOf(doc, finding.line, finding.column);
    let to = offsetOf(doc, finding.end_line ?? finding.line, finding.end_column ?? finding.column);
    if (to <= from) to = Math.min(from + 1, doc.length);
    return {
      from,
      to,
      severity: SEVERITY[finding.severity] || "warning",
      source: finding.code,
      message: finding.message,
      finding,
    };
  });
}
