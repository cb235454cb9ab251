//! WebAssembly front end of `ram-policy` (issue 7).
//!
//! This crate adds no logic: every export is one call to the library's JSON facade
//! ([`ram_policy::facade`]), the same functions the CLI's `--format json` prints, and returns the
//! facade's value as JSON text. A failure comes back as data, `{"error": {"kind", "message", …}}`,
//! never as an exception.
//!
//! The facade returns `Result`s and the library denies `unwrap`, `expect`, `panic!` and slice
//! indexing, so no export is expected to panic. Should one panic all the same, the panic hook
//! installed at start-up writes the panic's message to the browser console (the call itself then
//! throws `RuntimeError: unreachable`, as a wasm trap always does).
//!
//! The TypeScript declarations of the exports, with the shapes of their JSON inputs and outputs,
//! are in [`TS_TYPES`] and end up in `ram_policy_wasm.d.ts`.
//!
//! Exports still to come with the features of other issues: `lint`, `evaluate`, `explain`,
//! `generate`. Each will be one more function of the same form as [`resolve`].
#![forbid(unsafe_code)]

use ram_policy::facade;
use wasm_bindgen::prelude::*;

/// TypeScript shapes of the exports' JSON, appended to the generated `.d.ts`.
#[wasm_bindgen(typescript_custom_section)]
pub const TS_TYPES: &'static str = r#"
/** JSON text whose parsed value has type `T` (a string at run time). */
export type JsonText<T> = string & { readonly __json?: T };

/** Every export's failure: `{"error": {...}}`. `kind` is stable; `message` is for people. */
export interface FacadeError {
  error: {
    kind:
      | "malformed_json" | "wrong_type" | "missing_member" | "unknown_member"
      | "unknown_action" | "unsupported_service" | "missing_parameter"
      | "missing_account" | "missing_region" | "bad_parameter" | "catalog" | "input"
      | string;
    message: string;
    /** `malformed_json`: 1-based position in the input text. */
    line?: number;
    column?: number;
    /** `wrong_type`, `unknown_member`: JSON pointer to the offending value. */
    pointer?: string;
    /** `unknown_action`: the closest action names. */
    suggestions?: string[];
    /** `missing_parameter`: the parameters of which one is needed. */
    parameters?: string[];
  };
}

/** How many values a request parameter carries. */
export type Arity = "single" | "repeat" | "json_array" | "comma_list";

/** Where one `$variable` of an ARN template gets its value. */
export type Binding =
  | { from: "region"; param?: string }
  | { from: "account" }
  | { from: "param"; params: { name: string; arity: Arity; seed_line?: number }[] }
  | { from: "resource_type"; param: string; values: Record<string, string> };

/** One resource RAM checks for an action. Actions without resource-level authorization have
 * the single entry `{"template": "*"}`. */
export interface CatalogResource {
  template: string;
  printed?: string;
  line?: number;
  optional?: boolean;
  unless_params?: string[];
  bindings?: Record<string, Binding>;
  errata?: string[];
}

export interface CatalogAction {
  /** `ecs:Name`. */
  action: string;
  name: string;
  category: string;
  description: string;
  overview_line: number | null;
  table_line: number | null;
  api_page_line: number | null;
  resource_level: boolean;
  resources: CatalogResource[];
}

export interface Erratum {
  id: string;
  line: number;
  action: string;
  kind: string;
  printed: string;
  corrected: string;
  reason: string;
}

/** `catalog()`'s value: the same JSON as `ram-policy actions --format json`. */
export interface Catalog {
  source: { seed: string; document_version: string };
  actions: CatalogAction[];
  errata: Erratum[];
}

/** `resolve()`'s input: a request, as for `ram-policy resolve FILE`. */
export interface ResolveRequest {
  /** With or without the `ecs:` prefix, any letter case. */
  action: string;
  account?: string | number;
  region?: string;
  /** Parameter values: strings, numbers, booleans, or arrays of those. */
  params?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  /** Condition keys and their value or values. */
  context?: Record<string, string | number | boolean | (string | number | boolean)[]>;
}

/** `resolve()`'s value: the same JSON as `ram-policy resolve FILE --format json`. */
export interface Resolution {
  action: string;
  resources: string[];
}
"#;

/// Runs once when the module is instantiated: turns any panic into a console message.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The catalog: every action with its ARN templates and their parameter bindings, as JSON text
/// (`Catalog`, or `FacadeError` if the embedded catalog is broken).
#[wasm_bindgen(unchecked_return_type = "JsonText<Catalog | FacadeError>")]
pub fn catalog() -> String {
    facade::to_json(facade::catalog()).to_string()
}

/// Resolves a request (JSON text of a `ResolveRequest`) to the ARNs RAM checks, as JSON text
/// (`Resolution`, or `FacadeError` for malformed or unresolvable input).
#[wasm_bindgen(unchecked_return_type = "JsonText<Resolution | FacadeError>")]
pub fn resolve(
    #[wasm_bindgen(unchecked_param_type = "JsonText<ResolveRequest> | string")] request: &str,
) -> String {
    facade::to_json(facade::resolve(request)).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn catalog_is_the_facade_value() {
        let value: Value = serde_json::from_str(&catalog()).unwrap();
        assert_eq!(value, facade::catalog().unwrap());
    }

    #[test]
    fn resolve_errors_are_data() {
        let value: Value = serde_json::from_str(&resolve("{")).unwrap();
        assert_eq!(value["error"]["kind"], "malformed_json");
    }
}
