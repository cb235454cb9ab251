// Pure functions between the page and the exports `evaluate`, `explain` and `generate`: the JSON
// texts they take, and the editor lines a result points at. No DOM here (node --test checks them).

/** The editor's policy as the exports take policies: `[{"name", "text"}]` as JSON text. */
export function policiesJson(name, text) {
  return JSON.stringify([{ name, text }]);
}

/**
 * The options of `evaluate`/`explain`: the browser's clock as `acs:CurrentTime`, used only when
 * the request has none (the library never reads a clock). `date` is a `Date`.
 */
export function callOptions(date) {
  return JSON.stringify({ current_time: date.toISOString().replace(/\.\d{3}Z$/, "Z") });
}

/** A statement's line range (1-based, inclusive) from `explain`'s statement view (its source lines). */
export function statementLines(view) {
  const lines = (view.source || []).map((entry) => entry.line).filter(Number.isFinite);
  if (lines.length === 0) return { from: view.line, to: view.line };
  return { from: Math.min(...lines), to: Math.max(...lines) };
}

/**
 * The statements of policy `name` that decide an explanation, to highlight: for an explicit deny
 * the matching Deny statements (`deny`), for an allowed call the matching Allow statements
 * (`allow`), for an implicit deny the closest Allow statement of each denied ARN (`closest`).
 * Each once, as `{from, to, kind, statement}`, in line order.
 */
export function decidingStatements(explanation, name) {
  const seen = new Map();
  const add = (statement, kind) => {
    if (statement.policy !== name || seen.has(statement.statement)) return;
    seen.set(statement.statement, { ...statementLines(statement), kind, statement: statement.statement });
  };
  const decision = explanation?.decision;
  for (const resource of explanation?.resources || []) {
    if (decision === "ExplicitDeny") {
      (resource.deciding || []).filter((statement) => statement.effect === "Deny").forEach((statement) => add(statement, "deny"));
    } else if (decision === "Allow") {
      (resource.deciding || []).forEach((statement) => add(statement, "allow"));
    } else if (resource.decision !== "Allow") {
      (resource.closest || []).slice(0, 1).forEach((statement) => add(statement, "closest"));
    }
  }
  return [...seen.values()].sort((a, b) => a.from - b.from);
}

/**
 * `generate`'s options JSON from the generator form: `{input, generalize, include_failed,
 * conditions, max_size}`. `input` is `auto` (the module tells from the first record), `requests`
 * or `actiontrail`; `conditions` is a comma- or space-separated list of keys; an empty `maxSize`
 * is left out.
 */
export function generateOptions(form) {
  const input = ["requests", "actiontrail"].includes(form.kind) ? form.kind : "auto";
  const options = { input };
  if (form.generalize && form.generalize !== "none") options.generalize = form.generalize;
  if (form.includeFailed) options.include_failed = true;
  const conditions = (form.conditions || "").split(/[\s,]+/).filter(Boolean);
  if (conditions.length) options.conditions = conditions;
  // Given as typed when it is not a whole number, so that the module says what is wrong with it.
  const maxSize = String(form.maxSize ?? "").trim();
  if (maxSize) options.max_size = /^\d+$/.test(maxSize) ? Number(maxSize) : maxSize;
  return JSON.stringify(options);
}

/**
 * The statements of policy `name` that grant new access in a `diff` report (its `new_access`),
 * to highlight: each once, as `{from, to, kind: "new-access", statement}`, in line order. A
 * statement's place carries its first and last line.
 */
export function newAccessStatements(report, name) {
  const seen = new Map();
  for (const action of report?.new_access || []) {
    for (const difference of action.differences || []) {
      for (const place of difference.statements || []) {
        if (place.policy !== name || seen.has(place.statement)) continue;
        seen.set(place.statement, { from: place.line, to: place.end_line ?? place.line, kind: "new-access", statement: place.statement });
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.from - b.from);
}

/**
 * Counts of a `diff` report, for its headline: actions and differences with new access (exact
 * and possible) and with removed access.
 */
export function diffCounts(report) {
  const count = (actions) => {
    const differences = actions.flatMap((action) => action.differences || []);
    return {
      actions: actions.length,
      exact: differences.filter((difference) => difference.certainty === "exact").length,
      possible: differences.filter((difference) => difference.certainty !== "exact").length,
    };
  };
  return { added: count(report?.new_access || []), removed: count(report?.removed_access || []) };
}
