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
 * The statements of policy `name` to highlight for an explanation: the deciding ones (`deny`
 * for an explicit deny, `allow` for an allowed call), or for an implicit deny the closest Allow
 * statement of each ARN (`closest`). Each once, as `{from, to, kind, statement}`.
 */
export function decidingStatements(explanation, name) {
  const seen = new Map();
  for (const resource of explanation?.resources || []) {
    const deciding = resource.deciding || [];
    const chosen = deciding.length > 0 ? deciding : (resource.closest || []).slice(0, 1);
    for (const statement of chosen) {
      if (statement.policy !== name || seen.has(statement.statement)) continue;
      const kind = deciding.length === 0 ? "closest" : statement.effect === "Deny" ? "deny" : "allow";
      seen.set(statement.statement, { ...statementLines(statement), kind, statement: statement.statement });
    }
  }
  return [...seen.values()].sort((a, b) => a.from - b.from);
}

/** `generate`'s options JSON from the generator form: `{input, generalize, include_failed}`. */
export function generateOptions(form) {
  const options = { input: form.kind === "requests" ? "requests" : "actiontrail" };
  if (form.generalize && form.generalize !== "none") options.generalize = form.generalize;
  if (form.includeFailed) options.include_failed = true;
  return JSON.stringify(options);
}
