// The policy editor page: CodeMirror, the request panel, and the panels that wait for exports
// still to come. Every result shown comes from the WebAssembly module (see api.js).
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Compartment } from "@codemirror/state";
import { json } from "@codemirror/lang-json";
import { linter, lintGutter } from "@codemirror/lint";
import { load, has, call, EXPORTS } from "./api.js";
import { parameterFields, buildRequest, searchActions, ARITY_HELP } from "./request.js";
import { toDiagnostics } from "./lint.js";

const STORAGE = {
  document: "ram-policy-editor:document",
  request: "ram-policy-editor:request",
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
  for (const child of children.flat()) {
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

function renderCode(text) {
  // Turns `code` spans of a note into <code> elements.
  return text.split(/(`[^`]+`)/).map((part) =>
    part.startsWith("`") ? el("code", {}, part.slice(1, -1)) : part,
  );
}

/* ---------------------------------------------------------------- editor and findings */

const lintCompartment = new Compartment();

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
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            $("doc-status").textContent = "Editing…";
            saveDocument(update.state.doc.toString());
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

function wireFindings(view) {
  const note = pendingNote(["lint"]);
  if (note) {
    // No linter runs: the panel says why instead of showing an empty (misleading) list.
    $("findings-pending").replaceChildren(...renderCode(note), " Findings will be underlined in the editor as you type, with the severity in the gutter and a list here.");
    $("findings-pending").hidden = false;
    $("findings-count").textContent = "not available";
    return;
  }
  const list = $("findings");
  list.hidden = false;
  const source = (editor) => {
    const result = call("lint", editor.state.doc.toString());
    if (result.error) {
      list.replaceChildren(el("li", { class: "finding error" }, `lint failed: ${result.error.message}`));
      return [];
    }
    const diagnostics = toDiagnostics(editor.state.doc, result.value);
    $("findings-count").textContent = diagnostics.length === 0 ? "no findings" : `${diagnostics.length} finding${diagnostics.length > 1 ? "s" : ""}`;
    list.replaceChildren(
      ...diagnostics.map((diagnostic) => {
        const line = editor.state.doc.lineAt(diagnostic.from);
        return el(
          "li",
          {
            class: `finding ${diagnostic.finding.severity}`,
            tabindex: "0",
            onclick: () => {
              editor.dispatch({ selection: { anchor: diagnostic.from, head: diagnostic.to }, scrollIntoView: true });
              editor.focus();
            },
          },
          el("span", { class: "where" }, `${line.number}:${diagnostic.from - line.from + 1}`),
          el("span", { class: "severity" }, diagnostic.finding.severity),
          el("code", {}, diagnostic.finding.code),
          el("span", { class: "message" }, diagnostic.message),
        );
      }),
    );
    return diagnostics;
  };
  view.dispatch({ effects: lintCompartment.reconfigure([linter(source, { delay: 100 }), lintGutter()]) });
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
    if (select.value !== "" && example) setDocument(view, example.text);
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

function wireRequestPanel(catalog) {
  const actions = catalog.actions;
  const byName = new Map(actions.map((action) => [action.action, action]));
  const state = loadRequestState();
  if (!byName.has(state.action)) state.action = "";
  let visible = actions;
  let active = -1;

  $("catalog-status").textContent = `${actions.length} ECS actions · document version ${catalog.source.document_version}`;
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
      el("p", {}, action.description),
      el("p", { class: "muted" }, action.resource_level ? "Resource-level authorization: RAM checks these resources:" : "No resource-level authorization: RAM checks the resource *."),
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

  function update() {
    save();
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
    const request = buildRequest(state, parameterFields(action));
    const text = JSON.stringify(request, null, 2);
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
        result.error.message,
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

/* ---------------------------------------------------------------- start */

function showPending() {
  $("decision-pending").replaceChildren(
    ...renderCode(pendingNote(["evaluate", "explain"]) || "The module has `evaluate` and `explain`; their panel is not wired in this build yet."),
    " The decision, the explanation and the deciding statement highlighted in the editor will appear here.",
  );
  $("generate-pending").replaceChildren(
    ...renderCode(pendingNote(["generate"]) || "The module has `generate`; its panel is not wired in this build yet."),
    " Paste requests or ActionTrail events here to get a least-privilege policy.",
  );
}

async function start() {
  const view = createEditor();
  window.ramPolicyEditor = { view };
  try {
    await load(new URL("build/ram_policy_wasm_bg.wasm", document.baseURI));
  } catch (exception) {
    $("load-error").hidden = false;
    $("load-error").textContent = `The WebAssembly module did not load: ${exception.message || exception}. Run wasm/build.sh and serve wasm/www.`;
    $("module-status").textContent = "Module not loaded";
    return;
  }
  const catalog = call("catalog");
  if (catalog.error) {
    $("load-error").hidden = false;
    $("load-error").textContent = `The catalog did not load: ${catalog.error.message}`;
    return;
  }
  const exported = Object.keys(EXPORTS).filter(has);
  $("module-status").textContent = `WebAssembly module loaded · exports: ${exported.join(", ")} · pending: ${Object.keys(EXPORTS).filter((name) => !has(name)).join(", ") || "none"}`;
  wireFindings(view);
  wireRequestPanel(catalog.value);
  showPending();
  await loadExamples(view);
  document.body.dataset.ready = "true";
}

start();
