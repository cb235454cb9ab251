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
//! Exports: `setCatalogEdition`, `catalog`, `resolve`, `lint`, `rules`, `evaluate`, `explain`, `generate`. Where an
//! export takes several policies, they are JSON text `[{"name": …, "text": …}]`, parsed by the
//! library ([`facade::policies_from_json`]), so this crate holds no logic at all.
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
      | "missing_account" | "missing_region" | "bad_parameter" | "malformed_policy_json"
      | "invalid_policy" | "no_calls" | "catalog" | "input" | "trap"
      | string;
    message: string;
    /** `malformed_policy_json`, `invalid_policy`: the policy's name. */
    file?: string;
    /** `malformed_json`, `*_policy*`: 1-based position in the input text. */
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
  /** `ecs:Name`, `vpc:Name`. */
  action: string;
  name: string;
  service: string;
  /** Where the authorization facts come from. */
  source: "seed" | "reference" | "api_metadata";
  /** Whether the name is an API of the service's metadata. */
  api: boolean;
  /** False for a real API that no authorization entry documents. */
  authorization_documented: boolean;
  /** `get`, `list`, `create`, `update`, `delete` or `none` (today's reference), or null. */
  access_level: string | null;
  resource_types: string[];
  condition_keys: string[];
  reference_line: number | null;
  /** Edition `current`: the seed's templates where they differ (`[]`: `*` only), else null. */
  seed_resources: string[] | null;
  /** Reference templates no request parameter fills. */
  unbound_resources: string[];
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
  /** The edition in use (`setCatalogEdition`). */
  edition: "seed" | "current";
  /** The service prefixes the catalog covers. */
  services: string[];
  source: { service: string; seed: string; document_version: string };
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

/** A place in a policy document: 1-based lines, columns counting Unicode characters (not UTF-16
 * units), `end_*` just past the last character; byte offsets into the UTF-8 text. */
export interface Region {
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  offset: number;
  end_offset: number;
}

/** Replace the text of the region with `replacement`. */
export interface Edit extends Region {
  replacement: string;
}

export type Severity = "error" | "security_warning" | "warning" | "suggestion";

/** One lint finding (`ram-policy lint FILE --format json` adds `file`). */
export interface Finding extends Region {
  /** Stable UPPER_SNAKE_CASE code, see `rules()`. */
  code: string;
  severity: Severity;
  message: string;
  /** JSON pointer to the offending value; empty for the whole document. */
  path: string;
  /** A machine-applicable fix: edits that never overlap, offsets into the linted text. */
  fix?: { title: string; edits: Edit[] };
}

/** `lint()`'s value. Malformed JSON is a finding, so lint never fails. */
export interface LintResult {
  findings: Finding[];
}

/** `rules()`'s value: `ram-policy rules --format json`. */
export interface Rules {
  rules: {
    code: string;
    severity: Severity;
    summary: string;
    [member: string]: unknown;
  }[];
}

/** Policies as JSON text for `evaluate` and `explain`: each document as written (results point
 * into it by line and column) and the name results call it by (the CLI uses the file path). */
export type Policies = { name: string; text: string }[];

/** Options of `evaluate` and `explain`, as JSON text; absent, empty or `{}` means none. */
export interface CallOptions {
  /** Condition keys and values; they replace the input's values of those keys (as the CLI's
   * `--context KEY=VALUE`). */
  context?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  /** `acs:CurrentTime` when the input has none, e.g. `new Date().toISOString()`. The library
   * never reads the clock. */
  current_time?: string | null;
  /** `explain` with kind `actiontrail`: explain every event, not only the denied ones. */
  all?: boolean;
}

/** `Indeterminate`: the answer depends on condition keys RAM sets from facts the input does
 * not carry (listed in `unknown_context_keys`); never an allow. */
export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny" | "Indeterminate";

/** A statement that decided an ARN (0-based `statement` index, 1-based line/column). */
export interface StatementRef {
  policy: string;
  statement: number;
  effect: "Allow" | "Deny";
  line: number;
  column: number;
}

/** `evaluate()`'s value: `ram-policy eval --format json`. */
export interface Evaluation {
  decision: Decision;
  action: string;
  resources: {
    arn: string;
    decision: Decision;
    statements: StatementRef[];
    /** Statements whose conditions depend on keys not known from the input. */
    undetermined?: StatementRef[];
  }[];
  missing_context_keys: string[];
  /** Keys RAM sets from facts the input does not carry; the answer depends on them. */
  unknown_context_keys?: string[];
  trace: (StatementRef & { reason: unknown; message: string })[];
}

/** A statement as shown by `explain`, with its source lines (its line range in the policy). */
export interface StatementView {
  policy: string;
  statement: number;
  effect: "Allow" | "Deny";
  line: number;
  column: number;
  location: string;
  source: { line: number; text: string }[];
}

export interface Difference {
  dimension: "action" | "resource" | "condition" | string;
  element: string;
  message: string;
  place?: { line: number; column: number; end_line: number; end_column: number; pointer: string };
  [member: string]: unknown;
}

/** One explained call: `ram-policy explain --format json` for a request or an error body (with
 * `input`), or each item of `explanations` for ActionTrail (with `event`). */
export interface Explanation {
  input?: "request" | "error";
  event?: { record: number; line: number; event_id?: string; event_time?: string; event_name?: string; error_code?: string; principal?: string };
  headline: string;
  decision: Decision;
  action: string;
  account?: string;
  region?: string;
  resources: {
    arn: string;
    decision: Decision;
    sources: { variable: string; value: string; source: string; [member: string]: unknown }[];
    named_by?: string;
    /** The matching Deny (explicit deny) or Allow (allowed) statements. */
    deciding: (StatementView & { because: string[] })[];
    /** Implicit deny: the Allow statements that came closest, best first. */
    closest: (StatementView & { score: number; matching: string[]; differences: Difference[] })[];
  }[];
  skipped: unknown[];
  context_keys: { key: string; values: string[] | null; undocumented: boolean; unknown_key: boolean; /** RAM sets the key from facts the input does not carry: what it depends on. */ not_known?: string; consulted_at: string[] }[];
  /** How to get the call allowed. */
  fix?: {
    statement?: unknown;
    statement_text?: string;
    policy_text?: string;
    blocked_by: StatementView[];
    change_deny: (StatementView & { arns: string[]; because: string[] })[];
    allowed_after: boolean;
    notes: string[];
    /** Every fix found, checked by evaluation: those that keep every Deny and condition first. */
    options: {
      kind: "change_request" | "widen_statement" | "add_condition_value" | "add_statement" | "change_deny";
      /** One sentence, as the CLI prints it. */
      sentence: string;
      /** The guard rail the fix weakens; absent when it keeps every Deny and condition. */
      weakens?: string;
      statement_text?: string;
      allowed_after: boolean;
    }[];
  };
  /** Error bodies and ActionTrail: what RAM said and whether this answer agrees. */
  ram?: { agrees: boolean; said: string; source: string; message: string; [member: string]: unknown };
  unknown: unknown[];
  notes: string[];
}

/** `explain()`'s value for kind `actiontrail`. */
export interface ExplainReport {
  input: "actiontrail";
  explanations: Explanation[];
  skipped: { record: number; line: number; reason: string }[];
  errors: { record?: number; line: number; kind: string; message: string }[];
}

export type ExplainKind = "request" | "actiontrail" | "error";

/** `generate()`'s options, as JSON text (every member optional; `ram-policy generate` flags). */
export interface GenerateOptions {
  input?: "requests" | "actiontrail";
  principal?: string;
  since?: string;
  until?: string;
  include_failed?: boolean;
  generalize?: "none" | "ids" | "regions";
  max_size?: number;
  split?: boolean;
  conditions?: string[];
}

/** `generate()`'s value: `ram-policy generate --format json`. One policy, or several when
 * `split` is set and one cannot fit `max_size`. */
export type Generated =
  | { policy: unknown; policy_text: string; summary: GenerateSummary }
  | { policies: unknown[]; policy_texts: string[]; summary: GenerateSummary };

export interface GenerateSummary {
  read: number;
  used: number;
  distinct_calls: number;
  skipped_total: number;
  sizes: number[];
  [member: string]: unknown;
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

/// Chooses the catalog edition every later call uses (`"seed"` or `"current"`, the default), as
/// `--catalog-edition` does for the CLI. Returns `{"edition": NAME}` as JSON text, or
/// `FacadeError` (`input`) for an unknown name.
#[wasm_bindgen(js_name = setCatalogEdition, unchecked_return_type = "JsonText<{ edition: \"seed\" | \"current\" } | FacadeError>")]
pub fn set_catalog_edition(edition: &str) -> String {
    facade::to_json(facade::set_catalog_edition(edition)).to_string()
}

/// Resolves a request (JSON text of a `ResolveRequest`) to the ARNs RAM checks, as JSON text
/// (`Resolution`, or `FacadeError` for malformed or unresolvable input).
#[wasm_bindgen(unchecked_return_type = "JsonText<Resolution | FacadeError>")]
pub fn resolve(
    #[wasm_bindgen(unchecked_param_type = "JsonText<ResolveRequest> | string")] request: &str,
) -> String {
    facade::to_json(facade::resolve(request)).to_string()
}

/// Lints a policy document (the text as written), as JSON text: `LintResult`, the same findings
/// as `ram-policy lint FILE --format json` (without `file`).
#[wasm_bindgen(unchecked_return_type = "JsonText<LintResult>")]
pub fn lint(policy: &str) -> String {
    facade::lint(policy).to_string()
}

/// Every lint check, as JSON text (`Rules`, as `ram-policy rules --format json`).
#[wasm_bindgen(unchecked_return_type = "JsonText<Rules>")]
pub fn rules() -> String {
    facade::lint_rules().to_string()
}

/// Evaluates a request against policies, as JSON text (`Evaluation`, as `ram-policy eval
/// --format json`, or `FacadeError`).
#[wasm_bindgen(unchecked_return_type = "JsonText<Evaluation | FacadeError>")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "JsonText<Policies> | string")] policies: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<ResolveRequest> | string")] request: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<CallOptions> | string | null")] options: Option<
        String,
    >,
) -> String {
    facade::to_json(facade::evaluate_json(policies, request, options.as_deref())).to_string()
}

/// Explains why a call is allowed or denied and the smallest fix, as JSON text (`Explanation`
/// for kinds `request` and `error`, `ExplainReport` for `actiontrail`, as `ram-policy explain
/// --format json`; or `FacadeError`).
#[wasm_bindgen(unchecked_return_type = "JsonText<Explanation | ExplainReport | FacadeError>")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "JsonText<Policies> | string")] policies: &str,
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "ExplainKind")] kind: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<CallOptions> | string | null")] options: Option<
        String,
    >,
) -> String {
    facade::to_json(facade::explain_json(
        policies,
        input,
        kind,
        options.as_deref(),
    ))
    .to_string()
}

/// Generates a least-privilege policy from requests (a JSON array or JSON lines) or ActionTrail
/// events, as JSON text (`Generated`, as `ram-policy generate --format json`, or `FacadeError`).
#[wasm_bindgen(unchecked_return_type = "JsonText<Generated | FacadeError>")]
pub fn generate(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<GenerateOptions> | string")] options: &str,
) -> String {
    facade::to_json(facade::generate(input, options)).to_string()
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
