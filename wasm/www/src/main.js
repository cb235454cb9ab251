// The policy editor page: CodeMirror with lint findings and quick fixes, the request panel with
// the decision and its explanation, and the policy generator. Every result shown comes from the
// WebAssembly module (see api.js); this file only displays it.
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Compartment, StateEffect, StateField, RangeSetBuilder } from "@codemirror/state";
import { Decoration } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { load, loadFull, fullModuleLoaded, has, call, EXPORTS } from "./api.js";
import { parameterFields, requestForm, searchActions, ARITY_HELP } from "./request.js";
import { toDiagnostics, fixChanges, sameFinding, summarize, SEVERITY_LABEL, messageNode } from "./lint.js";
import { policiesJson, callOptions, statementLines, decidingStatements, generateOptions, newAccessStatements, diffCounts } from "./results.js";

/** The name results give the editor's policy (the CLI gives a policy its path). */
export const POLICY_NAME = "policy.json";

/** Lint debounce: CodeMirror runs the linter this long after the last change. Linting a policy of
 * RAM's largest size takes a few milliseconds in the module (the latency test reports it), so the
 * linter runs as soon as the change is applied, and changes applied together lint once. */
const LINT_DELAY_MS = 0;
/** Where the full module is (`explain`, `generate` and `diff` besides the main exports): fetched
 * only when the Generate or Compare panel first needs it. */
function fullModuleUrl() {
  return new URL("build/ram_policy_full_bg.wasm", document.baseURI);
}

/** Decision debounce after a change of the document. */
const DECISION_DELAY_MS = 150;

const STORAGE = {
  document: "ram-policy-editor:document",
  request: "ram-policy-editor:request",
  generator: "ram-policy-editor:generator",
  compare: "ram-policy-editor:compare-old",
  edition: "ram-policy-editor:catalog-edition",
};

const DEFAULT_DOCUMENT = `{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ecs:DescribeInstances"],
      "Resource": "*"
    }
  ]
}
`;

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function storageGet(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function storageSet(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or quota: the page still works, it just forgets on reload.
  }
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

function pendingNote(names) {
  const missing = names.filter((name) => !has(name));
  if (missing.length === 0) return null;
  const parts = missing.map((name) => `\`${name}\` (issue ${EXPORTS[name].issue})`);
  return `Pending: this needs the ${parts.join(" and ")} export${missing.length > 1 ? "s" : ""} of the library, not in this build yet.`;
}

/** Replaces a node's children, leaving out `null`, `undefined` and `false` (which the DOM would
 * otherwise show as text). */
function setChildren(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
}

function renderCode(text) {
  // Turns `code` spans of a message into <code> elements (one rule with lint.js's messageNode).
  return [...messageNode(String(text)).childNodes];
}

/* ---------------------------------------------------------------- editor and findings */

const lintCompartment = new Compartment();

/**
 * A layer of highlighted statements: `[{from, to, kind}]` line ranges (1-based, inclusive), set
 * as a whole with `layer.set(view, ranges)`. The decision panel and the Compare panel each own one,
 * so neither clears the other's.
 */
function highlightLayer() {
  const setRanges = StateEffect.define();
  const field = StateField.define({
    create: () => Decoration.none,
    update(decorations, transaction) {
      let next = decorations.map(transaction.changes);
      for (const effect of transaction.effects) {
        if (!effect.is(setRanges)) continue;
        const builder = new RangeSetBuilder();
        const doc = transaction.state.doc;
        const lines = new Map();
        for (const range of effect.value) {
          for (let line = Math.max(1, range.from); line <= Math.min(range.to, doc.lines); line += 1) {
            if (!lines.has(line)) lines.set(line, range.kind);
          }
        }
        for (const line of [...lines.keys()].sort((a, b) => a - b)) {
          const kind = lines.get(line);
          builder.add(doc.line(line).from, doc.line(line).from, Decoration.line({ class: `cm-statement-${kind}`, attributes: { "data-highlight": kind } }));
        }
        next = builder.finish();
      }
      return next;
    },
    provide: (owner) => EditorView.decorations.from(owner),
  });
  return { field, set: (view, ranges) => view.dispatch({ effects: setRanges.of(ranges) }) };
}

/** The statements that decide the request panel's decision. */
const decisionHighlights = highlightLayer();
/** The statements that grant new access against the Compare panel's earlier version. */
const compareHighlights = highlightLayer();

function highlightStatements(view, ranges) {
  decisionHighlights.set(view, ranges);
}

/** Called after every change of the document (the decision panel re-runs, debounced). */
const documentListeners = [];
/** Counts the document's changes: the decision panel records which revision it decided. */
let documentRevision = 0;

function createEditor() {
  const saveDocument = debounce((text) => {
    storageSet(STORAGE.document, text);
    $("doc-status").textContent = "Saved in this browser";
  }, 200);
  const stored = storageGet(STORAGE.document);
  const view = new EditorView({
    parent: $("editor"),
    state: EditorState.create({
      doc: stored ?? DEFAULT_DOCUMENT,
      extensions: [
        basicSetup,
        json(),
        lintCompartment.of([]),
        decisionHighlights.field,
        compareHighlights.field,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            documentRevision += 1;
            $("doc-status").textContent = "Editing…";
            saveDocument(update.state.doc.toString());
            for (const listener of documentListeners) listener(update.view);
          }
        }),
        EditorView.contentAttributes.of({ "aria-label": "Policy document" }),
      ],
    }),
  });
  $("doc-status").textContent = stored === null ? "New document" : "Restored from this browser";
  return view;
}

function setDocument(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  view.focus();
}

/** Applies a finding's quick fix as one CodeMirror transaction (undoable as one step). */
function applyFix(view, finding, lintedDoc) {
  let target = finding;
  let doc = lintedDoc;
  if (view.state.doc !== lintedDoc) {
    // The text changed since the lint: lint the current text and fix the same finding there.
    const fresh = call("lint", view.state.doc.toString());
    target = fresh.value ? sameFinding(fresh.value, finding) : null;
    doc = view.state.doc;
    if (!target || !target.fix) return false;
  }
  view.dispatch({ changes: fixChanges(doc, target.fix), userEvent: "input.fix", scrollIntoView: true });
  view.focus();
  return true;
}

function wireFindings(view, rules) {
  const note = pendingNote(["lint"]);
  if (note) {
    // No linter runs: the panel says why instead of showing an empty (misleading) list.
    $("findings-pending").replaceChildren(...renderCode(note), " Findings will be underlined in the editor as you type, with the severity in the gutter and a list here.");
    $("findings-pending").hidden = false;
    $("findings-count").textContent = "not available";
    return;
  }
  const summaries = new Map((rules?.rules || []).map((rule) => [rule.code, rule.summary]));
  const list = $("findings");
  list.hidden = false;
  const source = (editor) => {
    const doc = editor.state.doc;
    const started = performance.now();
    const result = call("lint", doc.toString());
    const lintMs = performance.now() - started;
    if (result.error) {
      list.replaceChildren(el("li", { class: "finding error" }, `lint failed: ${result.error.message}`));
      return [];
    }
    const onFix = (target, finding) => applyFix(target, finding, doc);
    const diagnostics = toDiagnostics(doc, result.value, onFix);
    $("findings-count").textContent = summarize(result.value.findings);
    list.replaceChildren(
      ...diagnostics.map((diagnostic) => {
        const { finding } = diagnostic;
        const line = doc.lineAt(diagnostic.from);
        const jump = () => {
          editor.dispatch({ selection: { anchor: diagnostic.from, head: diagnostic.to }, scrollIntoView: true });
          editor.focus();
        };
        return el(
          "li",
          {
            class: `finding ${finding.severity}`,
            tabindex: "0",
            title: summaries.get(finding.code) || finding.code,
            "data-code": finding.code,
            onclick: jump,
            onkeydown: (event) => {
              if (event.key === "Enter") jump();
            },
          },
          el("span", { class: "where" }, `${line.number}:${diagnostic.from - line.from + 1}`),
          el("span", { class: "severity" }, SEVERITY_LABEL[finding.severity] || finding.severity),
          el("code", {}, finding.code),
          el("span", { class: "message" }, ...renderCode(finding.message)),
          finding.fix
            ? el(
                "button",
                {
                  type: "button",
                  class: "fix-button",
                  onclick: (event) => {
                    event.stopPropagation();
                    onFix(editor, finding);
                  },
                },
                `Fix: ${finding.fix.title}`,
              )
            : null,
        );
      }),
    );
    // For the end-to-end test's latency measurement, and for anyone curious.
    window.ramPolicyEditor.lastLint = { ms: lintMs, bytes: new TextEncoder().encode(doc.toString()).length, findings: diagnostics.length };
    return diagnostics;
  };
  view.dispatch({ effects: lintCompartment.reconfigure([linter(source, { delay: LINT_DELAY_MS }), lintGutter()]) });
  forceLinting(view);
}

/* ---------------------------------------------------------------- examples */

async function loadExamples(view) {
  const select = $("examples");
  let examples = [];
  try {
    const response = await fetch("build/examples.json");
    if (response.ok) examples = (await response.json()).examples || [];
  } catch {
    examples = [];
  }
  if (examples.length === 0) {
    select.replaceChildren(el("option", {}, "No example policies in policies/ yet"));
    select.disabled = true;
    return;
  }
  select.replaceChildren(
    el("option", { value: "" }, "An example policy…"),
    ...examples.map((example, index) => el("option", { value: String(index) }, example.name)),
  );
  select.disabled = false;
  select.addEventListener("change", () => {
    const example = examples[Number(select.value)];
    if (select.value !== "" && example) { setDocument(view, example.text); lastLoaded = example.text; }
    select.value = "";
  });
}

/* ---------------------------------------------------------------- request panel */

function loadRequestState() {
  try {
    const parsed = JSON.parse(storageGet(STORAGE.request) || "null");
    if (parsed && typeof parsed === "object") {
      return { action: "", fields: {}, account: "", region: "", context: [], ...parsed };
    }
  } catch {
    // A broken entry is replaced below.
  }
  return { action: "", fields: {}, account: "", region: "", context: [] };
}

function wireRequestPanel(catalog, view) {
  const actions = catalog.actions;
  const byName = new Map(actions.map((action) => [action.action, action]));
  const state = loadRequestState();
  if (!byName.has(state.action)) state.action = "";
  let visible = actions;
  let active = -1;

  const services = (catalog.services || ["ecs"]).map((service) => service.toUpperCase()).join("/");
  $("catalog-status").textContent = `${actions.length} ${services} actions · edition ${catalog.edition || "seed"} · seed document version ${catalog.source.document_version}`;
  $("action-search").placeholder = `Search ${actions.length} actions by name, category or description`;

  const save = () => storageSet(STORAGE.request, JSON.stringify(state));

  function renderList() {
    const list = $("action-list");
    list.replaceChildren(
      ...visible.map((action, index) =>
        el(
          "li",
          {
            role: "option",
            id: `action-${index}`,
            class: [action.action === state.action ? "selected" : "", index === active ? "active" : ""].join(" ").trim() || undefined,
            "aria-selected": action.action === state.action ? "true" : "false",
            "data-action": action.action,
            onmousedown: (event) => event.preventDefault(),
            onclick: () => choose(action.action),
          },
          el("span", { class: "name" }, action.name),
          el("span", { class: "category" }, action.category),
        ),
      ),
    );
    if (visible.length === 0) list.append(el("li", { class: "empty" }, "No action matches"));
    const current = list.querySelector(".active") || list.querySelector(".selected");
    if (current) current.scrollIntoView({ block: "nearest" });
  }

  function choose(name) {
    state.action = name;
    renderList();
    renderAction();
    update();
  }

  function renderAction() {
    const action = byName.get(state.action);
    const info = $("action-info");
    if (!action) {
      info.hidden = true;
      $("param-fieldset").hidden = true;
      return;
    }
    info.hidden = false;
    info.replaceChildren(
      el("div", { class: "action-title" }, el("strong", {}, action.action), el("span", { class: "tag" }, action.category)),
      action.description ? el("p", {}, action.description) : null,
      el(
        "p",
        { class: "muted" },
        [
          action.access_level ? `Access level: ${action.access_level}` : null,
          action.resource_types && action.resource_types.length ? `resource types: ${action.resource_types.join(", ")}` : null,
          action.source ? `source: ${action.source}` : null,
        ].filter(Boolean).join(" · "),
      ),
      el(
        "p",
        { class: "muted" },
        action.authorization_documented === false
          ? "Authorization not documented: the catalog evaluates *, and RAM may check resource ARNs (a scoped statement makes the answer Indeterminate)."
          : action.resource_level
            ? "Resource-level authorization: RAM checks these resources:"
            : "No resource-level authorization: RAM checks the resource *.",
      ),
      action.resource_level
        ? el(
            "ul",
            { class: "templates" },
            action.resources.map((resource) =>
              el(
                "li",
                {},
                el("code", {}, resource.template),
                resource.optional ? el("span", { class: "tag" }, "when its parameter is given") : null,
                resource.unless_params && resource.unless_params.length
                  ? el("span", { class: "tag" }, `unless ${resource.unless_params.join(", ")}`)
                  : null,
              ),
            ),
          )
        : null,
      action.seed_resources
        ? el("p", { class: "muted" }, `Changed since the seed's 2020 table, which checks: ${action.seed_resources.length ? action.seed_resources.join(", ") : "*"}`)
        : null,
      action.condition_keys && action.condition_keys.length
        ? el("p", { class: "muted" }, `Condition keys: ${action.condition_keys.join(", ")}`)
        : null,
    );
    const fields = parameterFields(action);
    const box = $("param-fields");
    box.replaceChildren(
      ...fields.map((field) => {
        const id = `param-${field.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
        const value = state.fields[field.name] ?? "";
        const input = field.choices
          ? el(
              "select",
              { id, "data-param": field.name },
              el("option", { value: "" }, "—"),
              field.choices.map((choice) => el("option", { value: choice, selected: choice === value }, choice)),
            )
          : el("input", {
              id,
              "data-param": field.name,
              autocomplete: "off",
              spellcheck: "false",
              value,
              placeholder: field.region ? "defaults to the request's region" : "",
            });
        input.addEventListener("input", () => {
          state.fields[field.name] = input.value;
          update();
        });
        return el(
          "div",
          { class: "field" },
          el("label", { for: id }, el("code", {}, field.name)),
          input,
          el("small", { class: "muted" }, field.region ? "one value; optional" : ARITY_HELP[field.arity] || field.arity),
        );
      }),
    );
    $("param-fieldset").hidden = fields.length === 0;
  }

  function renderContext() {
    const rows = $("context-rows");
    rows.replaceChildren(
      ...state.context.map((row, index) => {
        const key = el("input", { "aria-label": "Context key", placeholder: "acs:SourceIp", value: row.key, spellcheck: "false" });
        const value = el("input", { "aria-label": "Context value", placeholder: "203.0.113.7", value: row.value, spellcheck: "false" });
        key.addEventListener("input", () => {
          row.key = key.value;
          update();
        });
        value.addEventListener("input", () => {
          row.value = value.value;
          update();
        });
        const remove = el("button", {
          type: "button",
          class: "icon-button",
          "aria-label": "Remove this context key",
          title: "Remove",
          onclick: () => {
            state.context.splice(index, 1);
            renderContext();
            update();
          },
        }, "×");
        return el("div", { class: "context-row" }, key, value, remove);
      }),
    );
  }

  const decideSoon = debounce(() => decide(), DECISION_DELAY_MS);
  documentListeners.push(decideSoon);

  /** The request the form makes, built by the library (`buildRequest`). */
  function buildRequest(action) {
    const built = call("buildRequest", JSON.stringify(requestForm(state, parameterFields(action))));
    return built.error ? { action: state.action } : built.value;
  }

  function decide() {
    const action = byName.get(state.action);
    const request = action ? JSON.stringify(buildRequest(action), null, 2) : null;
    renderDecision(view, request);
  }

  function update() {
    save();
    decide();
    const action = byName.get(state.action);
    const arns = $("arns");
    const error = $("resolve-error");
    if (!action) {
      $("resolve-empty").hidden = false;
      arns.hidden = true;
      error.hidden = true;
      $("request-json").textContent = "";
      return;
    }
    const text = JSON.stringify(buildRequest(action), null, 2);
    $("request-json").textContent = text;
    const result = call("resolve", text);
    $("resolve-empty").hidden = true;
    if (result.error) {
      arns.hidden = true;
      error.hidden = false;
      const suggestions = result.error.suggestions || [];
      error.replaceChildren(
        el("strong", {}, result.error.kind.replace(/_/g, " ")),
        ": ",
        ...renderCode(result.error.message),
      );
      if (suggestions.length) {
        const names = suggestions.flatMap((name, index) => (index ? [", ", el("code", {}, name)] : [el("code", {}, name)]));
        error.append(el("div", {}, "Did you mean ", names, "?"));
      }
      return;
    }
    error.hidden = true;
    arns.hidden = false;
    arns.replaceChildren(...result.value.resources.map((arn) => el("li", {}, el("code", {}, arn))));
  }

  const search = $("action-search");
  search.addEventListener("input", () => {
    visible = searchActions(actions, search.value);
    active = visible.length > 0 ? 0 : -1;
    renderList();
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (visible.length === 0) return;
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + visible.length) % visible.length;
      renderList();
    } else if (event.key === "Enter" && active >= 0 && visible[active]) {
      event.preventDefault();
      choose(visible[active].action);
    }
  });
  for (const id of ["account", "region"]) {
    const input = $(id);
    input.value = state[id] || "";
    input.addEventListener("input", () => {
      state[id] = input.value;
      update();
    });
  }
  $("add-context").addEventListener("click", () => {
    state.context.push({ key: "", value: "" });
    renderContext();
    update();
    const inputs = $("context-rows").querySelectorAll("input");
    if (inputs.length >= 2) inputs[inputs.length - 2].focus();
  });

  renderList();
  renderAction();
  renderContext();
  update();
}

/* ---------------------------------------------------------------- decision and explanation */


function statementButton(view, statement, kind) {
  const lines = statementLines(statement);
  const label = `${statement.policy} statement ${statement.statement + 1} (${lines.from === lines.to ? `line ${lines.from}` : `lines ${lines.from}–${lines.to}`})`;
  if (statement.policy !== POLICY_NAME) return el("code", {}, label);
  return el(
    "button",
    {
      type: "button",
      class: `link-button statement-link ${kind}`,
      onclick: () => {
        const doc = view.state.doc;
        const from = doc.line(Math.min(lines.from, doc.lines)).from;
        view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
        view.focus();
      },
    },
    label,
  );
}

function renderDecision(view, requestText) {
  const box = $("decision");
  const note = pendingNote(["evaluateAndExplain"]);
  if (note) {
    $("decision-pending").replaceChildren(...renderCode(note), " The decision, the explanation and the deciding statement highlighted in the editor will appear here.");
    $("decision-pending").hidden = false;
    box.hidden = true;
    return;
  }
  $("decision-pending").hidden = true;
  box.hidden = false;
  delete box.dataset.decision;
  // Which text the decision is about: tests wait for it before reading or screenshotting.
  box.dataset.revision = String(documentRevision);
  if (requestText === null) {
    box.replaceChildren(el("p", { class: "muted" }, "Pick an action to see whether this policy allows the request, and why."));
    highlightStatements(view, []);
    return;
  }
  const policies = policiesJson(POLICY_NAME, view.state.doc.toString());
  const options = callOptions(new Date());
  // One call per edit: the decision and its explanation from one parse of the policies.
  const answer = call("evaluateAndExplain", policies, requestText, options);
  const failure = answer.error;
  if (failure) {
    const where = failure.file && failure.line ? ` (${failure.file}:${failure.line}:${failure.column})` : "";
    box.dataset.decision = "error";
    box.replaceChildren(
      el("div", { class: "banner error", id: "decision-error" }, el("strong", {}, failure.kind.replace(/_/g, " ")), `${where}: `, ...renderCode(failure.message)),
    );
    highlightStatements(view, []);
    return;
  }
  const value = answer.value.explanation;
  const decision = answer.value.evaluation.decision;
  box.dataset.decision = decision;
  const ranges = decidingStatements(value, POLICY_NAME);
  const kinds = new Set(ranges.map((range) => range.kind));
  highlightStatements(view, ranges);
  const resources = value.resources.map((resource) =>
    el(
      "li",
      { class: `resource ${resource.decision}` },
      el("div", { class: "resource-head" }, el("code", {}, resource.arn), el("span", { class: `tag decision-tag ${resource.decision}` }, resource.decision)),
      resource.deciding.length
        ? el(
            "ul",
            { class: "because" },
            resource.deciding.map((statement) =>
              el("li", {}, statementButton(view, statement, statement.effect === "Deny" ? "deny" : "allow"), " matches: ", ...renderCode(statement.because.join("; "))),
            ),
          )
        : null,
      resource.closest.length
        ? el(
            "ul",
            { class: "because" },
            resource.closest.slice(0, 2).map((statement) =>
              el(
                "li",
                {},
                "Closest: ",
                statementButton(view, statement, "closest"),
                el("ul", {}, statement.differences.map((difference) => el("li", {}, ...renderCode(difference.message)))),
              ),
            ),
          )
        : null,
      !resource.deciding.length && !resource.closest.length && resource.decision !== "Allow"
        ? el("p", { class: "muted" }, "No Allow statement in the policy.")
        : null,
    ),
  );
  const contextNotes = value.context_keys
    .filter((key) => key.undocumented || key.unknown_key)
    .map((key) => el("li", {}, el("code", {}, key.key), key.unknown_key ? " is not a known condition key" : " is absent; RAM's treatment of absent keys is not documented"));
  const fix = value.fix;
  setChildren(
    box,
    // One headline, in the CLI's words.
    el("div", { class: `decision-badge ${decision}`, id: "decision-value" }, value.headline),
    ranges.length
      ? el(
          "p",
          { class: "muted" },
          kinds.has("closest")
            ? "No statement allows it; the closest Allow statement is highlighted in the editor."
            : kinds.has("deny")
              ? "The deciding Deny statement is highlighted in the editor."
              : "The deciding Allow statement is highlighted in the editor.",
        )
      : null,
    el("ul", { class: "resources", id: "explain-resources" }, resources),
    contextNotes.length ? el("ul", { class: "notes" }, contextNotes) : null,
    fix
      ? el(
          "div",
          { class: "fix", id: "explain-fix" },
          el("h4", {}, "Fixes, those that keep every Deny and condition first"),
          fix.options.length && fix.options.every((option) => option.weakens)
            ? el("p", { class: "weakens" }, "No fix keeps every Deny statement and condition: each one below weakens a guard rail.")
            : null,
          fix.options.length
            ? el(
                "ol",
                { class: "fix-options" },
                fix.options.map((option) =>
                  el(
                    "li",
                    { "data-kind": option.kind, "data-weakens": option.weakens ? "true" : "false" },
                    el("p", {}, ...renderCode(option.sentence + (option.allowed_after ? "." : " (checked: the call would still not be allowed)."))),
                    option.weakens ? el("p", { class: "weakens" }, "Weakens a guard rail: ", ...renderCode(option.weakens + ".")) : null,
                    option.statement_text ? el("pre", {}, option.statement_text) : null,
                  ),
                ),
              )
            : el("p", {}, "No fix found."),
          fix.change_deny.length
            ? el("p", { class: "muted" }, "Deny statements that match: ", fix.change_deny.map((statement, index) => [index ? ", " : "", statementButton(view, statement, "deny")]))
            : null,
          el("p", { class: "muted" }, "Each fix was checked by evaluating the policies with it."),
          fix.notes.length ? el("ul", { class: "notes" }, fix.notes.map((text) => el("li", {}, ...renderCode(text)))) : null,
        )
      : null,
    value.notes.length ? el("ul", { class: "notes" }, value.notes.map((text) => el("li", {}, ...renderCode(text)))) : null,
    answer.value.evaluation.missing_context_keys.length
      ? el("p", { class: "muted" }, "Condition keys the request does not give: ", answer.value.evaluation.missing_context_keys.join(", "))
      : null,
    (answer.value.evaluation.unknown_context_keys || []).length
      ? el("p", { class: "muted" }, "Not known from the input (the answer depends on them): ", answer.value.evaluation.unknown_context_keys.join(", "))
      : null,
  );
}

/* ---------------------------------------------------------------- generator */

function wireGenerator(view, edition) {
  const note = pendingNote(["generate"]);
  if (note) {
    $("generate-pending").replaceChildren(...renderCode(note), " Paste requests or ActionTrail events here to get a least-privilege policy.");
    $("generate-pending").hidden = false;
    $("generate-form").hidden = true;
    return;
  }
  $("generate-pending").hidden = true;
  $("generate-form").hidden = false;
  let stored = {};
  try {
    stored = JSON.parse(storageGet(STORAGE.generator) || "{}") || {};
  } catch {
    stored = {};
  }
  const input = $("generate-input");
  const kind = $("generate-kind");
  const generalize = $("generate-generalize");
  const includeFailed = $("generate-include-failed");
  const conditions = $("generate-condition");
  const maxSize = $("generate-max-size");
  input.value = stored.input || "";
  kind.value = ["requests", "actiontrail"].includes(stored.kind) ? stored.kind : "auto";
  generalize.value = ["ids", "regions"].includes(stored.generalize) ? stored.generalize : "none";
  includeFailed.checked = Boolean(stored.includeFailed);
  conditions.value = typeof stored.conditions === "string" ? stored.conditions : "";
  maxSize.value = typeof stored.maxSize === "string" && stored.maxSize ? stored.maxSize : "6144";
  const form = () => ({
    input: input.value,
    kind: kind.value,
    generalize: generalize.value,
    includeFailed: includeFailed.checked,
    conditions: conditions.value,
    maxSize: maxSize.value,
  });
  const save = () => storageSet(STORAGE.generator, JSON.stringify(form()));
  for (const control of [input, kind, generalize, includeFailed, conditions, maxSize]) control.addEventListener("change", save);
  input.addEventListener("input", debounce(save, 300));

  let generated = null;
  $("generate-run").addEventListener("click", async () => {
    const current = form();
    const output = $("generate-output");
    output.hidden = false;
    generated = null;
    // The generator's module is fetched the first time Generate is pressed.
    if (!fullModuleLoaded()) {
      output.dataset.state = "loading";
      output.replaceChildren(el("p", { class: "muted" }, "Loading the generator's module…"));
    }
    const loaded = await loadFull(fullModuleUrl(), edition);
    const result = loaded.error ? { error: loaded.error } : call("generate", current.input, generateOptions(current));
    if (result.error) {
      output.dataset.state = "error";
      output.replaceChildren(el("div", { class: "banner error", id: "generate-error" }, el("strong", {}, result.error.kind.replace(/_/g, " ")), ": ", ...renderCode(result.error.message)));
      return;
    }
    const value = result.value;
    const texts = value.policy_texts || [value.policy_text];
    generated = texts[0];
    const summary = value.summary;
    const widened = (summary.widenings || []).map((widening) =>
      el("li", {}, el("code", {}, widening.to), ` replaces ${widening.replaces} (${widening.reason}): `, (widening.from || []).map((arn, index) => [index ? ", " : "", el("code", {}, arn)])),
    );
    output.dataset.state = "ok";
    output.dataset.input = value.detected_input || current.kind;
    setChildren(
      output,
      el(
        "p",
        { id: "generate-headline" },
        `${summary.read} record${summary.read === 1 ? "" : "s"} read, ${summary.used} call${summary.used === 1 ? "" : "s"} used, ${summary.skipped_total} skipped · `,
        `${(summary.sizes || []).join(" + ")} characters`,
        value.detected_input ? ` · read as ${value.detected_input === "requests" ? "requests" : "ActionTrail events"}` : "",
      ),
      texts.length > 1 ? el("p", { class: "muted" }, `Split into ${texts.length} policies; the first is shown.`) : null,
      widened.length ? el("div", { id: "generate-widened" }, el("h4", {}, "Widened resources"), el("ul", {}, widened)) : null,
      el("details", { id: "generate-summary", open: "" }, el("summary", {}, "Summary (as the CLI writes it)"), el("pre", {}, ...renderCode(summary.text || ""))),
      el("pre", { id: "generate-policy" }, generated),
      el(
        "div",
        { class: "row" },
        el("button", { type: "button", id: "generate-load", onclick: () => loadGenerated(view, generated) }, "Load into the editor"),
        el("button", { type: "button", id: "generate-copy", onclick: () => copyText(generated) }, "Copy"),
        el("button", { type: "button", id: "generate-download", onclick: () => downloadText(generated, "policy.json") }, "Download"),
      ),
    );
  });
}

/** Replaces the editor's policy with a generated one, asking first when that would lose work. */
function loadGenerated(view, text) {
  if (text === null) return;
  const current = view.state.doc.toString();
  const unsaved = current.trim() !== "" && current !== text && current !== lastLoaded;
  if (unsaved && !window.confirm("Replace the policy in the editor with the generated one? The current text will be lost (undo brings it back).")) return;
  setDocument(view, text);
  lastLoaded = text;
}

/** The text of the last policy loaded into the editor (an example or a generated policy). */
let lastLoaded = null;

async function copyText(text) {
  if (text === null) return;
  try {
    await navigator.clipboard.writeText(text);
    $("generate-copy").textContent = "Copied";
  } catch {
    $("generate-copy").textContent = "Copy failed: select the text and copy it";
  }
}

function downloadText(text, name) {
  if (text === null) return;
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/* ---------------------------------------------------------------- compare */

/** The earlier version's name in the Compare panel's answers (the editor's policy is `POLICY_NAME`). */
const OLD_NAME = "old.json";

/** Counts a noun: `1 action`, `2 actions`. */
function counted(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** One side's differences, grouped by action; `view` makes the editor's statements clickable. */
function renderDifferences(view, actions, id, grantingSide) {
  return el(
    "ul",
    { id, class: "compare-list" },
    actions.map((action) =>
      el(
        "li",
        { class: "compare-action", "data-action": action.action },
        el("div", { class: "resource-head" }, el("code", {}, action.action), action.in_catalog ? null : el("span", { class: "tag" }, "not in the catalog")),
        el(
          "ul",
          { class: "differences" },
          action.differences.map((difference) => {
            const witness = difference.witness;
            const conditions = (difference.conditions_only || []).map((setting) =>
              [el("code", {}, setting.key), setting.values === null || setting.values === undefined ? " absent" : [" = ", setting.values.map((value, index) => [index ? ", " : "", el("code", {}, value)])]],
            );
            return el(
              "li",
              { class: "difference", "data-certainty": difference.certainty },
              el("span", { class: `tag certainty ${difference.certainty}` }, difference.certainty === "exact" ? "proven" : "possible"),
              " on ",
              el("code", {}, difference.template),
              difference.patterns.length ? [" through ", difference.patterns.map((pattern, index) => [index ? ", " : "", el("code", {}, pattern)])] : null,
              difference.statements.length
                ? el("div", { class: "because" }, grantingSide === "new" ? "Granted by " : "Was granted by ", difference.statements.map((place, index) => [index ? ", " : "", statementButton(view, { ...place, source: [{ line: place.line }, { line: place.end_line }] }, "new-access")]))
                : null,
              conditions.length ? el("div", { class: "muted" }, "Only conditions differ: ", conditions.map((item, index) => [index ? "; " : "", item])) : null,
              difference.reason ? el("div", { class: "muted reason" }, ...renderCode(difference.reason)) : null,
              witness
                ? el(
                    "details",
                    { class: "witness" },
                    el("summary", {}, difference.certainty === "exact" ? "Witness: a request the evaluator decided" : "Candidate request (not confirmed)"),
                    el("div", {}, "ARNs RAM checks: ", witness.arns.map((arn, index) => [index ? ", " : "", el("code", {}, arn)])),
                    el("pre", {}, JSON.stringify({ action: witness.action, account: witness.account, region: witness.region, params: witness.params, context: witness.context }, null, 2)),
                  )
                : null,
            );
          }),
        ),
      ),
    ),
  );
}

function wireCompare(view, edition) {
  const note = pendingNote(["diff"]);
  if (note) {
    $("compare-pending").replaceChildren(...renderCode(note), " Paste an earlier version of the policy to see what the editor's version newly allows.");
    $("compare-pending").hidden = false;
    $("compare-form").hidden = true;
    return;
  }
  $("compare-pending").hidden = true;
  $("compare-form").hidden = false;
  const old = $("compare-old");
  const output = $("compare-output");
  old.value = storageGet(STORAGE.compare) || "";

  const compare = async () => {
    storageSet(STORAGE.compare, old.value);
    if (old.value.trim() === "") {
      output.dataset.revision = String(documentRevision);
      output.hidden = true;
      delete output.dataset.state;
      compareHighlights.set(view, []);
      return;
    }
    output.hidden = false;
    // The comparison's module is fetched the first time there is something to compare.
    if (!output.dataset.state) output.replaceChildren(el("p", { class: "muted" }, "Loading the comparison module…"));
    const loaded = await loadFull(fullModuleUrl(), edition);
    output.dataset.revision = String(documentRevision);
    const answer = loaded.error ? { error: loaded.error } : call("diff", policiesJson(OLD_NAME, old.value), policiesJson(POLICY_NAME, view.state.doc.toString()));
    if (answer.error) {
      const failure = answer.error;
      const where = failure.file && failure.line ? ` (${failure.file}:${failure.line}:${failure.column})` : "";
      output.dataset.state = "error";
      output.replaceChildren(el("div", { class: "banner error", id: "compare-error" }, el("strong", {}, failure.kind.replace(/_/g, " ")), `${where}: `, ...renderCode(failure.message)));
      compareHighlights.set(view, []);
      return;
    }
    const report = answer.value;
    const counts = diffCounts(report);
    compareHighlights.set(view, newAccessStatements(report, POLICY_NAME));
    output.dataset.state = counts.added.actions ? "new-access" : "no-new-access";
    const added = counts.added.actions
      ? `The editor's policy newly allows ${counted(counts.added.actions, "action")}: ${counts.added.exact} proven by a witness request, ${counts.added.possible} possible.`
      : "No new access: every request the editor's policy allows, the earlier version allowed too.";
    const removed = counts.removed.actions ? ` It no longer allows ${counted(counts.removed.actions, "action")} the earlier version allowed.` : "";
    setChildren(
      output,
      el("p", { id: "compare-headline" }, added, removed),
      counts.added.actions ? el("div", {}, el("h4", {}, "New access"), renderDifferences(view, report.new_access, "compare-new", "new")) : null,
      counts.removed.actions ? el("details", { id: "compare-removed-box" }, el("summary", {}, "Removed access"), renderDifferences(view, report.removed_access, "compare-removed", "old")) : null,
    );
  };
  const later = debounce(compare, DECISION_DELAY_MS);
  old.addEventListener("input", later);
  documentListeners.push(later);
  $("compare-file").addEventListener("change", async (event) => {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    old.value = await file.text();
    compare();
  });
  $("compare-snapshot").addEventListener("click", () => {
    old.value = view.state.doc.toString();
    compare();
  });
  compare();
}

/* ---------------------------------------------------------------- start */

async function start() {
  const view = createEditor();
  window.ramPolicyEditor = { view, lastLint: null, lintDelayMs: LINT_DELAY_MS, revision: () => documentRevision };
  try {
    await load(new URL("build/ram_policy_wasm_bg.wasm", document.baseURI));
  } catch (exception) {
    $("load-error").hidden = false;
    $("load-error").textContent = `The WebAssembly module did not load: ${exception.message || exception}. Run wasm/build.sh and serve wasm/www.`;
    $("module-status").textContent = "Module not loaded";
    return;
  }
  // The catalog edition: kept across visits; changing it reloads the page (every panel then
  // uses the chosen data).
  const editionSelect = $("catalog-edition");
  const savedEdition = storageGet(STORAGE.edition);
  if (savedEdition && has("setCatalogEdition")) call("setCatalogEdition", savedEdition);
  const catalog = call("catalog");
  if (editionSelect && catalog.value && catalog.value.edition) editionSelect.value = catalog.value.edition;
  if (editionSelect) {
    editionSelect.disabled = !has("setCatalogEdition");
    editionSelect.addEventListener("change", () => {
      const chosen = call("setCatalogEdition", editionSelect.value);
      if (!chosen.error) {
        storageSet(STORAGE.edition, editionSelect.value);
        location.reload();
      }
    });
  }
  if (catalog.error) {
    $("load-error").hidden = false;
    $("load-error").replaceChildren("The catalog did not load: ", ...renderCode(catalog.error.message));
    return;
  }
  const exported = Object.keys(EXPORTS).filter(has);
  $("module-status").textContent = `WebAssembly module loaded · exports: ${exported.join(", ")} · pending: ${Object.keys(EXPORTS).filter((name) => !has(name)).join(", ") || "none"}`;
  const rules = call("rules");
  wireFindings(view, rules.value);
  wireRequestPanel(catalog.value, view);
  wireGenerator(view, catalog.value.edition);
  wireCompare(view, catalog.value.edition);
  await loadExamples(view);
  document.body.dataset.ready = "true";
}

start();
