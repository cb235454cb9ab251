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
//! The TypeScript declarations of the exports' JSON are generated from the facade's Rust types
//! (`src/facade/facade.d.ts`, checked for staleness by `cargo test --lib facade::typescript`)
//! and end up in `ram_policy_wasm.d.ts` through [`TS_TYPES`].
//!
//! Exports: `setCatalogEdition`, `catalog`, `resolve`, `buildRequest`, `lint`, `rules`,
//! `evaluate`, `evaluateAndExplain`; with the feature `full` (the module the editor loads on
//! demand for its Generate and Compare panels) also `explain`, `generate` and `diff`. Where an
//! export takes several policies, they are JSON text `[{"name": …, "text": …}]`, read by the library
//! ([`facade::policies_from_json`]), so this crate holds no logic at all.
#![forbid(unsafe_code)]

use ram_policy::facade;
use wasm_bindgen::prelude::*;

/// TypeScript shapes of the exports' JSON, appended to the generated `.d.ts`.
#[wasm_bindgen(typescript_custom_section)]
pub const TS_TYPES: &'static str = include_str!("../../src/facade/facade.d.ts");

/// Runs once when the module is instantiated: turns any panic into a console message.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The catalog: every action with its ARN templates and their parameter bindings, as JSON text
/// (`Catalog`, or `FacadeError` if the embedded catalog is broken).
#[wasm_bindgen(unchecked_return_type = "JsonText<Catalog | FacadeError>")]
pub fn catalog() -> String {
    facade::answer(facade::catalog())
}

/// Chooses the catalog edition every later call uses (`"seed"` or `"current"`, the default), as
/// `--catalog-edition` does for the CLI. Returns `{"edition": NAME}` as JSON text, or
/// `FacadeError` (`input`) for an unknown name.
#[wasm_bindgen(js_name = setCatalogEdition, unchecked_return_type = "JsonText<EditionChoice | FacadeError>")]
pub fn set_catalog_edition(edition: &str) -> String {
    facade::answer(facade::set_catalog_edition(edition))
}

/// Resolves a request (JSON text of a `ResolveRequest`) to the ARNs RAM checks, as JSON text
/// (`Resolution`, or `FacadeError` for malformed or unresolvable input).
#[wasm_bindgen(unchecked_return_type = "JsonText<Resolution | FacadeError>")]
pub fn resolve(
    #[wasm_bindgen(unchecked_param_type = "JsonText<ResolveRequest> | string")] request: &str,
) -> String {
    facade::answer(facade::resolve(request))
}

/// The request the editor's form makes (JSON text of a `RequestForm`: the action, account,
/// region, each parameter field with its arity and typed text, the context rows), as JSON text
/// (`ResolveRequest`, or `FacadeError` for a malformed form). Parameters are encoded by arity
/// here, in the library, as the request reader decodes them.
#[wasm_bindgen(js_name = buildRequest, unchecked_return_type = "JsonText<ResolveRequest | FacadeError>")]
pub fn build_request(
    #[wasm_bindgen(unchecked_param_type = "JsonText<RequestForm> | string")] form: &str,
) -> String {
    facade::build_request_json(form).unwrap_or_else(|error| facade::answer::<()>(Err(error)))
}

/// Lints a policy document (the text as written), as JSON text: `LintResult`, the same findings
/// as `ram-policy lint FILE --format json` (without `file`).
#[wasm_bindgen(unchecked_return_type = "JsonText<LintResult>")]
pub fn lint(policy: &str) -> String {
    facade::answer(Ok(facade::lint_typed(policy)))
}

/// Every lint check, as JSON text (`Rules`, as `ram-policy rules --format json`).
#[wasm_bindgen(unchecked_return_type = "JsonText<Rules>")]
pub fn rules() -> String {
    facade::answer(Ok(facade::rules_typed()))
}

/// Evaluates a request against policies, as JSON text (`Evaluation`, as `ram-policy eval
/// --format json`, or `FacadeError`).
#[wasm_bindgen(unchecked_return_type = "JsonText<Evaluation | FacadeError>")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "JsonText<PolicyText[]> | string")] policies: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<ResolveRequest> | string")] request: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<CallOptions> | string | null")] options: Option<
        String,
    >,
) -> String {
    facade::answer(facade::evaluate_json(policies, request, options.as_deref()))
}

/// Evaluates a request against policies and explains the answer in one call (the editor's call
/// per edit), as JSON text (`EvaluationAndExplanation`: what `evaluate` and `explain` with kind
/// `request` return, or the `FacadeError` `evaluate` would return).
#[wasm_bindgen(js_name = evaluateAndExplain, unchecked_return_type = "JsonText<EvaluationAndExplanation | FacadeError>")]
pub fn evaluate_and_explain(
    #[wasm_bindgen(unchecked_param_type = "JsonText<PolicyText[]> | string")] policies: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<ResolveRequest> | string")] request: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<CallOptions> | string | null")] options: Option<
        String,
    >,
) -> String {
    facade::answer(facade::evaluate_and_explain_json(
        policies,
        request,
        options.as_deref(),
    ))
}

/// Explains why a call is allowed or denied and the smallest fix, as JSON text (`Explanation`
/// for kinds `request` and `error`, `ExplainReport` for `actiontrail`, as `ram-policy explain
/// --format json`; or `FacadeError`).
#[cfg(feature = "full")]
#[wasm_bindgen(unchecked_return_type = "JsonText<ExplainOutput | FacadeError>")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "JsonText<PolicyText[]> | string")] policies: &str,
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "ExplainKind")] kind: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<CallOptions> | string | null")] options: Option<
        String,
    >,
) -> String {
    facade::answer(facade::explain_json(
        policies,
        input,
        kind,
        options.as_deref(),
    ))
}

/// Generates a least-privilege policy from requests (a JSON array or JSON lines) or ActionTrail
/// events, as JSON text (`Generated`, as `ram-policy generate --format json`, or `FacadeError`).
#[cfg(feature = "full")]
#[wasm_bindgen(unchecked_return_type = "JsonText<GenerateOutput | FacadeError>")]
pub fn generate(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<GenerateOptions> | string")] options: &str,
) -> String {
    facade::answer(facade::generate(input, options))
}

/// What the new policies allow that the old ones did not, and the reverse, each difference with a
/// witness request the evaluator decided (`DiffReport`, as `ram-policy diff --format json`).
#[cfg(feature = "full")]
#[wasm_bindgen(unchecked_return_type = "JsonText<DiffReport | FacadeError>")]
pub fn diff(
    #[wasm_bindgen(unchecked_param_type = "JsonText<PolicyText[]> | string")] old: &str,
    #[wasm_bindgen(unchecked_param_type = "JsonText<PolicyText[]> | string")] new: &str,
) -> String {
    facade::answer(facade::diff_json(old, new))
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
