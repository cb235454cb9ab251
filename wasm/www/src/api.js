// The WebAssembly module, loaded once. Every export takes and returns JSON text; `call` parses
// the result and says whether it is a value or the facade's `{"error": …}`.
import init, * as wasm from "../../pkg/ram_policy_wasm.js";
// The full module (every export: the main ones plus `explain`, `generate` and `diff`), fetched
// only when the Generate or Compare panel first needs it.
import initFull, * as fullWasm from "../../pkg-full/ram_policy_wasm.js";

/** The facade exports the editor knows about, with what each needs and brings. */
export const EXPORTS = {
  catalog: { issue: 2, brings: "the action picker" },
  resolve: { issue: 2, brings: "the resolved ARNs of a request" },
  lint: { issue: 4, brings: "findings underlined as you type" },
  rules: { issue: 4, brings: "the summary of each lint check" },
  buildRequest: { issue: 17, brings: "the request a form makes" },
  evaluate: { issue: 3, brings: "the decision on a request" },
  explain: { issue: 5, brings: "why a request is allowed or denied", module: "full" },
  evaluateAndExplain: { issue: 17, brings: "the decision on a request and why, in one call" },
  generate: { issue: 6, brings: "policies generated from requests and ActionTrail events", module: "full" },
  diff: { issue: 16, brings: "what the editor's policy newly allows against an earlier version", module: "full" },
};

let ready = null;
let fullReady = null;
let fullLoaded = false;

/** Loads and instantiates the module (once). `wasmUrl` is where the optimized module is. */
export function load(wasmUrl) {
  if (!ready) ready = init({ module_or_path: wasmUrl });
  return ready;
}

/**
 * Loads the full module (once), with the catalog edition `edition` chosen in it too (each module
 * keeps its own). Resolves to `{ error }` when the module cannot be loaded.
 */
export function loadFull(wasmUrl, edition) {
  if (!fullReady) {
    fullReady = initFull({ module_or_path: wasmUrl }).then(
      () => {
        fullLoaded = true;
        if (edition) fullWasm.setCatalogEdition(edition);
        return {};
      },
      (exception) => ({ error: { kind: "unavailable", message: `the module of the Generate and Compare panels did not load: ${exception && exception.message || exception}` } }),
    );
  }
  return fullReady;
}

/** Whether the full module is loaded (a call of its exports then answers at once). */
export function fullModuleLoaded() {
  return fullLoaded;
}

/** The module that has export `name`. */
function moduleOf(name) {
  return EXPORTS[name] && EXPORTS[name].module === "full" ? fullWasm : wasm;
}

/** Whether the build has the export `name` (in the main module, or in the full one). */
export function has(name) {
  return typeof moduleOf(name)[name] === "function";
}

/**
 * Calls export `name` with JSON-text arguments. Returns `{ value }` or `{ error }` where
 * `error` is the facade's `{kind, message, …}`; a trap (which no export should raise) comes
 * back as `{ error: { kind: "trap", message } }` rather than as an exception.
 */
export function call(name, ...args) {
  if (!has(name)) {
    return { error: { kind: "unavailable", message: `this build has no \`${name}\` export` } };
  }
  const module = moduleOf(name);
  if (module === fullWasm && !fullLoaded) {
    return { error: { kind: "unavailable", message: "the module of the Generate and Compare panels is not loaded yet" } };
  }
  let text;
  try {
    text = module[name](...args);
  } catch (exception) {
    return { error: { kind: "trap", message: String(exception && exception.message || exception) } };
  }
  const parsed = JSON.parse(text);
  if (parsed && typeof parsed === "object" && "error" in parsed && Object.keys(parsed).length === 1) {
    return { error: parsed.error };
  }
  return { value: parsed };
}
