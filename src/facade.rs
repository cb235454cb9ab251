//! One JSON-in/JSON-out entry point per feature. The CLI's `--format json` and the WebAssembly
//! module both call these functions, so the front ends cannot drift apart.
//!
//! Every function takes the user's text as given and returns either the result as a JSON value
//! or an [`Error`] whose [`Error::to_json`] says what is wrong and where.

use crate::catalog::{Action, Catalog};
use crate::error::Error;
use crate::eval::{Evaluation, PolicySet};
use crate::request::Request;
use crate::resolve::{resolve_with, Resolution};
use serde_json::{json, Value};

/// The catalog as data: every action with its category, description, seed lines and resources.
pub fn catalog() -> Result<Value, Error> {
    let catalog = Catalog::embedded()?;
    let actions: Vec<Value> = catalog.actions().iter().map(action_json).collect();
    Ok(json!({
        "source": catalog.file().source,
        "actions": actions,
        "errata": catalog.errata(),
    }))
}

fn action_json(action: &Action) -> Value {
    let entry = action.entry();
    let resources: Vec<Value> = if action.has_resource_level_authorization() {
        action
            .resources()
            .iter()
            .map(|resource| {
                let data = resource.entry();
                json!({
                    "template": data.template,
                    "printed": data.printed,
                    "line": data.line,
                    "optional": data.optional,
                    "unless_params": data.unless_params,
                    "bindings": data.bindings,
                    "errata": data.errata,
                })
            })
            .collect()
    } else {
        vec![json!({"template": "*"})]
    };
    json!({
        "action": action.qualified_name(),
        "name": entry.name,
        "category": entry.category,
        "description": entry.description,
        "overview_line": entry.overview_line,
        "table_line": entry.table_line,
        "api_page_line": entry.api_page_line,
        "resource_level": action.has_resource_level_authorization(),
        "resources": resources,
    })
}

/// Parses and resolves a request given as JSON text.
pub fn resolve_request(request_text: &str) -> Result<Resolution, Error> {
    let request = Request::from_json(request_text)?;
    let catalog = Catalog::embedded()?;
    Ok(resolve_with(catalog, &request)?)
}

/// `resolve`: `{"action": "ecs:Name", "resources": ["acs:…", …]}`.
pub fn resolve(request_text: &str) -> Result<Value, Error> {
    let resolution = resolve_request(request_text)?;
    Ok(json!({"action": resolution.action, "resources": resolution.arns()}))
}

/// Parses the policies and the request and evaluates the request (reference evaluator, so the
/// result carries the trace).
pub fn evaluate_request<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    request_text: &str,
) -> Result<Evaluation, Error> {
    let request = Request::from_json(request_text)?;
    evaluate_parsed_request(policies, &request)
}

/// Like [`evaluate_request`] with a request already parsed (the CLI adds `--context` values).
pub fn evaluate_parsed_request<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    request: &Request,
) -> Result<Evaluation, Error> {
    let set = PolicySet::parse(policies)?;
    let catalog = Catalog::embedded()?;
    Ok(crate::eval::evaluate_with(catalog, &set, request)?)
}

/// `eval`: `{"decision", "action", "resources": [{"arn", "decision", "statements": [{"policy",
/// "statement", "effect", "line", "column"}]}], "missing_context_keys", "trace"}`.
pub fn evaluate<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    request_text: &str,
) -> Result<Value, Error> {
    Ok(evaluation_json(&evaluate_request(policies, request_text)?))
}

/// An evaluation as the documented JSON shape.
pub fn evaluation_json(evaluation: &Evaluation) -> Value {
    let resources: Vec<Value> = evaluation
        .resources
        .iter()
        .map(|resource| {
            json!({
                "arn": resource.arn,
                "decision": resource.decision.name(),
                "statements": resource.statements.iter().map(|statement| json!({
                    "policy": statement.policy,
                    "statement": statement.statement,
                    "effect": statement.effect.name(),
                    "line": statement.line,
                    "column": statement.column,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let trace: Vec<Value> = evaluation
        .trace
        .iter()
        .map(|entry| {
            json!({
                "policy": entry.policy,
                "statement": entry.statement,
                "effect": entry.effect.name(),
                "line": entry.line,
                "column": entry.column,
                "reason": entry.reason,
                "message": entry.reason.to_string(),
            })
        })
        .collect();
    json!({
        "decision": evaluation.decision.name(),
        "action": evaluation.action,
        "resources": resources,
        "missing_context_keys": evaluation.missing_context_keys,
        "trace": trace,
    })
}

/// `explain`: why a call is allowed or denied, where, and the smallest fix, as a report.
/// `policies` are `(name, text)` pairs; `kind` says what `input` is.
pub fn explain_report<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    kind: crate::explain::inputs::InputKind,
    input: &str,
    options: &crate::explain::inputs::Options,
) -> Result<crate::explain::inputs::Report, Error> {
    let policies = crate::explain::Policies::parse(policies)?;
    crate::explain::inputs::run(&policies, kind, input, options)
}

/// `explain` as JSON (see [`crate::explain::inputs::Report::to_json`]).
pub fn explain<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    kind: crate::explain::inputs::InputKind,
    input: &str,
    options: &crate::explain::inputs::Options,
) -> Result<Value, Error> {
    explain_report(policies, kind, input, options).map(|report| report.to_json())
}

/// `lint`: `{"findings": [...]}` for a policy document. Malformed JSON is a finding, so this
/// never fails.
pub fn lint(text: &str) -> Value {
    json!({ "findings": findings_json(&crate::lint::lint(text)) })
}

/// Findings as the JSON array of `lint`'s output (the CLI adds `file` to each).
pub fn findings_json(findings: &[crate::lint::Finding]) -> Vec<Value> {
    findings
        .iter()
        .map(|finding| serde_json::to_value(finding).unwrap_or(Value::Null))
        .collect()
}

/// `rules`: every lint check with its severity, summary, documentation and examples.
pub fn lint_rules() -> Value {
    json!({ "rules": crate::lint::rules() })
}

/// `generate`: requests or ActionTrail events (as text) and options (JSON, see
/// [`crate::generate::OptionsSpec`]) → `{"policy": …, "policy_text": …, "summary": …}` or, when
/// split, `{"policies": […], "policy_texts": […], "summary": …}`.
pub fn generate(input_text: &str, options_json: &str) -> Result<Value, Error> {
    use crate::generate::{generate_text, OptionsSpec};
    let (kind, options) = OptionsSpec::from_json(options_json)?.resolve()?;
    Ok(generate_text(input_text, kind, options)?.to_json()?)
}

/// Any facade result as JSON: the value, or `{"error": …}`.
pub fn to_json(result: Result<Value, Error>) -> Value {
    result.unwrap_or_else(|error| error.to_json())
}
