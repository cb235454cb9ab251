//! One entry point per feature. The CLI's `--format json` and the WebAssembly module both call
//! these functions, so the front ends cannot drift apart.
//!
//! Each export has one input type and one output type (`types`): inputs are read with serde
//! (`deny_unknown_fields`), outputs are `Serialize` types, and the TypeScript declarations of
//! the WebAssembly module (`src/facade/facade.d.ts`) are generated from them, so the JSON
//! contract is written once. A failure is an [`Error`]; [`answer`] turns either into the JSON
//! text the WebAssembly exports return.

mod evaluation;
mod form;
mod types;
#[cfg(test)]
mod typescript;

use crate::catalog::Catalog;
use crate::error::Error;
use crate::eval::{Evaluation, PolicySet};
use crate::explain::inputs::{InputKind, Report};
use crate::request::Request;
use crate::resolve::{resolve_with, Resolution};
use serde::Serialize;
use serde_json::Value;

pub use evaluation::{EvaluationJson, EvaluationView};
pub use form::{build_request, ContextRow, FormParameter, RequestForm};
pub use types::{
    ActionView, CatalogView, ContextValues, EditionChoice, ErrorOutput, EvaluationAndExplanation,
    ExplainKind, ExplainOutput, GenerateOutput, LintOutput, OneOrMany, OptionsInput, PolicyText,
    RequestDocument, ResourceView, RulesOutput, ScopedResource,
};

/// Any output as a JSON value: members in alphabetical order, as every front end prints them.
pub fn to_value(output: &impl Serialize) -> Value {
    serde_json::to_value(output).unwrap_or(Value::Null)
}

/// A facade result as the JSON text a WebAssembly export returns: the value, or
/// `{"error": …}` ([`ErrorOutput`]).
pub fn answer<T: Serialize>(result: Result<T, Error>) -> String {
    match result {
        Ok(output) => to_value(&output).to_string(),
        Err(error) => to_value(&error.output()).to_string(),
    }
}

/// The catalog as data: the edition, and every action with its service, access level, resource
/// types, condition keys, source, seed lines and resources.
pub fn catalog() -> Result<Value, Error> {
    Ok(to_value(&CatalogView::new(Catalog::embedded()?)))
}

/// Chooses the catalog edition of later calls (`seed` or `current`): the WebAssembly module's
/// `setCatalogEdition`.
pub fn set_catalog_edition(name: &str) -> Result<EditionChoice, Error> {
    let edition = crate::catalog::Edition::parse(name).map_err(|error| Error::Input {
        message: error.to_string(),
    })?;
    edition.set_default();
    Ok(EditionChoice { edition })
}

/// Parses and resolves a request given as JSON text.
pub fn resolve_request(request_text: &str) -> Result<Resolution, Error> {
    resolve_parsed(&Request::from_json(request_text)?)
}

/// [`resolve_request`] taking the text, dropped once it is read: the CLI's `resolve`, which
/// for a 23.8 MB request would otherwise hold the text beside the `Request` it became.
pub fn resolve_request_text(request_text: String) -> Result<Resolution, Error> {
    let request = Request::from_json(&request_text)?;
    drop(request_text);
    resolve_parsed(&request)
}

fn resolve_parsed(request: &Request) -> Result<Resolution, Error> {
    let catalog = Catalog::embedded()?;
    Ok(resolve_with(catalog, request)?)
}

/// `resolve`: `{"action": "ecs:Name", "resources": ["acs:…", …]}` (`types::Resolution`), as
/// `ram-policy resolve --format json` prints it.
pub fn resolve(request_text: &str) -> Result<Value, Error> {
    Ok(to_value(&resolution_json(&resolve_request(request_text)?)))
}

/// A resolution as `resolve` gives it, to serialize (the CLI writes it without building the
/// whole value).
pub fn resolution_json(resolution: &Resolution) -> impl Serialize + '_ {
    types::Resolution {
        action: &resolution.action,
        resources: &resolution.resources,
    }
}

/// Parses the policies and the request and evaluates the request (reference evaluator, so the
/// result carries the trace).
pub fn evaluate_request<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    request_text: &str,
) -> Result<Evaluation, Error> {
    evaluate_report(policies, request_text, &CallOptions::default())
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

/// Evaluates a request (JSON text) against policies with [`CallOptions`]: the options' context
/// values replace the request's values of those keys (key names compare with letter case), and
/// `current_time` fills `acs:CurrentTime` when the request has none (see [`current_time`]).
/// The CLI's `eval` and the WebAssembly `evaluate` export both call this.
pub fn evaluate_report<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    request_text: &str,
    options: &CallOptions,
) -> Result<Evaluation, Error> {
    evaluate_parsed_report(policies, Request::from_json(request_text)?, options)
}

/// [`evaluate_report`] with the request already parsed: the CLI's `eval`, which drops the
/// request's text once it is read.
pub fn evaluate_parsed_report<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    mut request: Request,
    options: &CallOptions,
) -> Result<Evaluation, Error> {
    options.apply_to(&mut request.context);
    evaluate_parsed_request(policies, &request)
}

/// Context values and the current time added to a call, as for `--context KEY=VALUE`. The same
/// type as `explain`'s options.
pub type CallOptions = crate::explain::inputs::Options;

/// The key [`current_time`] fills.
pub const CURRENT_TIME: &str = "acs:CurrentTime";

/// The one `acs:CurrentTime` rule of `eval`, `explain` and the editor. The library never reads
/// a clock: a front end passes its reading (`clock`), and it becomes the options'
/// `current_time` when a policy uses the key (key names compare with letter case, so a policy
/// that does not name it cannot consult it). [`CallOptions::apply_to`] then fills the key of
/// each call whose context gives none.
pub fn current_time<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    clock: impl FnOnce() -> Option<String>,
) -> Option<String> {
    let used = policies
        .iter()
        .any(|(_, text)| text.as_ref().contains(CURRENT_TIME));
    if used {
        clock()
    } else {
        None
    }
}

/// Policies given as JSON text, the form the WebAssembly exports take:
/// `[{"name": "policy.json", "text": "{\"Version\": \"1\", …}"}, …]` ([`PolicyText`]). Each
/// `text` is the policy document as written (so findings and explanations point into it);
/// `name` is what results call the policy, as the CLI calls it by its path.
pub fn policies_from_json(policies_json: &str) -> Result<Vec<(String, String)>, Error> {
    let policies: Vec<PolicyText> = read_input(
        policies_json,
        "array",
        "the policies must be a JSON array of {\"name\": …, \"text\": …}",
    )?;
    Ok(policies
        .into_iter()
        .map(|policy| (policy.name, policy.text))
        .collect())
}

/// Reads an input of the exports with serde (`top` says whether it is an `array` or an
/// `object`), refusing a member given twice (serde keeps the last) and an array inside an array
/// (serde would read a struct from it; no input holds one); `what` starts the message of an
/// [`Error::Input`].
fn read_input<T: serde::de::DeserializeOwned>(
    text: &str,
    top: &str,
    what: &str,
) -> Result<T, Error> {
    let bad = |message: String| Error::Input {
        message: format!("{what}: {message}"),
    };
    let value: Value = serde_json::from_str(text).map_err(|error| bad(error.to_string()))?;
    if let Some(duplicate) = crate::json::find_duplicate_member(text) {
        return Err(bad(duplicate.to_string()));
    }
    let kind = match &value {
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        _ => "",
    };
    if kind != top {
        return Err(bad(format!("not a JSON {top}")));
    }
    if let Some(pointer) = nested_array(&value, "") {
        return Err(bad(format!(
            "`{pointer}` is an array where an object is expected"
        )));
    }
    serde_json::from_value(value).map_err(|error| bad(error.to_string()))
}

/// The pointer of the first array inside an array.
fn nested_array(value: &Value, pointer: &str) -> Option<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| match item {
                Value::Array(_) => Some(format!("{pointer}/{index}")),
                other => nested_array(other, &format!("{pointer}/{index}")),
            }),
        Value::Object(members) => members.iter().find_map(|(key, member)| {
            nested_array(
                member,
                &format!("{pointer}/{}", crate::request::escape_pointer(key)),
            )
        }),
        _ => None,
    }
}

/// The options of `evaluate` and `explain` as JSON text ([`OptionsInput`]; an empty or absent
/// text means none): `{"context": {"acs:SourceIp": "203.0.113.7", "acs:MFAPresent": true},
/// "current_time": "2026-01-01T00:00:00Z", "all": false}`. Returns the options and `all`.
pub fn call_options_from_json(options_json: Option<&str>) -> Result<(CallOptions, bool), Error> {
    let text = options_json.unwrap_or("").trim();
    if text.is_empty() {
        return Ok((CallOptions::default(), false));
    }
    let input: OptionsInput = read_input(text, "object", "the options are not usable")?;
    let mut options = CallOptions {
        current_time: input.current_time,
        ..CallOptions::default()
    };
    for (name, values) in input.context {
        // The one rule for context values (`crate::context`): empty or unreadable values are
        // refused, naming the key.
        crate::context::check(&name, &values.0).map_err(|error| Error::Context {
            place: format!(
                "the options' `/context/{}`",
                crate::request::escape_pointer(&name)
            ),
            error: Box::new(error),
        })?;
        options
            .context
            .extend(values.0.into_iter().map(|text| (name.clone(), text)));
    }
    Ok((options, input.all))
}

/// Named policy texts, the call options and `all`.
type EditorInputs = (Vec<(String, String)>, CallOptions, bool);

/// The policies and options of the editor's calls, with the options' `current_time` kept only
/// when a policy uses `acs:CurrentTime` ([`current_time`]).
fn editor_inputs(policies_json: &str, options_json: Option<&str>) -> Result<EditorInputs, Error> {
    let policies = policies_from_json(policies_json)?;
    let (mut options, all) = call_options_from_json(options_json)?;
    let clock = options.current_time.take();
    options.current_time = current_time(&policies, || clock);
    Ok((policies, options, all))
}

/// `evaluate` with JSON text in: the policies as for [`policies_from_json`], the request as for
/// `resolve`, the options as for [`call_options_from_json`]. The value is the same as the CLI's
/// `ram-policy eval --format json` (both go through [`evaluate_report`] and
/// [`EvaluationJson`]).
pub fn evaluate_json(
    policies_json: &str,
    request_text: &str,
    options_json: Option<&str>,
) -> Result<Value, Error> {
    let (policies, options, _) = editor_inputs(policies_json, options_json)?;
    Ok(evaluation_json(&evaluate_report(
        &policies,
        request_text,
        &options,
    )?))
}

impl ExplainKind {
    /// The kind by name: `request`, `actiontrail` or `error`.
    pub fn parse(kind: &str) -> Result<ExplainKind, Error> {
        match kind {
            "request" => Ok(ExplainKind::Request),
            "actiontrail" => Ok(ExplainKind::Actiontrail),
            "error" => Ok(ExplainKind::Error),
            other => Err(Error::Input {
                message: format!(
                    "unknown input kind `{other}`; expected `request`, `actiontrail` or `error`"
                ),
            }),
        }
    }

    /// The library's input kind; `all` explains every ActionTrail event.
    pub fn input_kind(self, all: bool) -> InputKind {
        match self {
            ExplainKind::Request => InputKind::Request,
            ExplainKind::Actiontrail => InputKind::ActionTrail { all },
            ExplainKind::Error => InputKind::Error,
        }
    }
}

/// The input kinds of `explain` by name: `request`, `actiontrail` or `error`.
pub fn explain_input_kind(kind: &str, all: bool) -> Result<InputKind, Error> {
    ExplainKind::parse(kind).map(|kind| kind.input_kind(all))
}

/// `explain` with JSON text in: the policies as for [`policies_from_json`], the input of `kind`
/// (`request`, `actiontrail`, `error`), the options as for [`call_options_from_json`]. The value
/// is the same as the CLI's `ram-policy explain --format json` (both call [`explain_report`]).
pub fn explain_json(
    policies_json: &str,
    input: &str,
    kind: &str,
    options_json: Option<&str>,
) -> Result<Value, Error> {
    let (policies, options, all) = editor_inputs(policies_json, options_json)?;
    let kind = explain_input_kind(kind, all)?;
    explain(&policies, kind, input, &options)
}

/// `evaluateAndExplain`, the editor's one call per edit: the request (JSON text) evaluated and
/// explained against the policies, parsed once. Fails as `evaluate` would on the same input.
pub fn evaluate_and_explain_json(
    policies_json: &str,
    request_text: &str,
    options_json: Option<&str>,
) -> Result<Value, Error> {
    let (policies, options, _) = editor_inputs(policies_json, options_json)?;
    let mut request = Request::from_json(request_text)?;
    options.apply_to(&mut request.context);
    let parsed = crate::explain::Policies::parse(&policies)?;
    let catalog = Catalog::embedded()?;
    let evaluation = crate::eval::evaluate_with(catalog, &parsed.set, &request)?;
    let report = crate::explain::inputs::run_request(&parsed, request_text, &options)?;
    Ok(to_value(&EvaluationAndExplanation {
        evaluation: EvaluationJson(&evaluation),
        explanation: report.view(),
    }))
}

/// `diff`: what the NEW policies allow that the OLD ones did not, and the reverse, each side given
/// as for [`policies_from_json`] (see [`crate::diff`](mod@crate::diff)); the value `ram-policy diff --format json`
/// prints.
pub fn diff_json(
    old_policies_json: &str,
    new_policies_json: &str,
) -> Result<crate::diff::DiffReport, Error> {
    let old = policies_from_json(old_policies_json)?;
    let new = policies_from_json(new_policies_json)?;
    crate::diff::diff_sources(&old, &new)
}

/// `buildRequest`: the editor's request form ([`RequestForm`], JSON text) as request JSON text
/// ([`RequestDocument`]), members in the order a person reads them.
pub fn build_request_json(form_json: &str) -> Result<String, Error> {
    let form: RequestForm = read_input(form_json, "object", "the request form is not usable")?;
    serde_json::to_string(&build_request(&form)).map_err(|error| Error::Input {
        message: error.to_string(),
    })
}

/// An evaluation as the documented JSON shape ([`EvaluationView`]).
pub fn evaluation_json(evaluation: &Evaluation) -> Value {
    to_value(&EvaluationJson(evaluation))
}

/// `explain`: why a call is allowed or denied, where, and the smallest fix, as a report.
/// `policies` are `(name, text)` pairs; `kind` says what `input` is.
pub fn explain_report<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    kind: InputKind,
    input: &str,
    options: &CallOptions,
) -> Result<Report, Error> {
    let policies = crate::explain::Policies::parse(policies)?;
    crate::explain::inputs::run(&policies, kind, input, options)
}

/// `explain` as JSON ([`ExplainOutput`]).
pub fn explain<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    kind: InputKind,
    input: &str,
    options: &CallOptions,
) -> Result<Value, Error> {
    explain_report(policies, kind, input, options).map(|report| to_value(&report.view()))
}

/// `lint`: `{"findings": [...]}` for a policy document. Malformed JSON is a finding, so this
/// never fails.
pub fn lint(text: &str) -> Value {
    to_value(&lint_typed(text))
}

/// [`lint`] as its type.
pub fn lint_typed(text: &str) -> LintOutput {
    LintOutput {
        findings: crate::lint::lint(text),
    }
}

/// Findings as the JSON array of `lint`'s output (the CLI adds `file` to each).
pub fn findings_json(findings: &[crate::lint::Finding]) -> Vec<Value> {
    findings.iter().map(to_value).collect()
}

/// `rules`: every lint check with its severity, summary, documentation and examples.
pub fn lint_rules() -> Value {
    to_value(&rules_typed())
}

/// [`lint_rules`] as its type.
pub fn rules_typed() -> RulesOutput {
    RulesOutput {
        rules: crate::lint::rules(),
    }
}

/// `generate`: requests or ActionTrail events (as text) and options (JSON, see
/// [`crate::generate::OptionsSpec`]) → `{"policy": …, "policy_text": …, "summary": …}` or, when
/// split, `{"policies": […], "policy_texts": […], "summary": …}`; with `"input": "auto"`, also
/// `detected_input`.
pub fn generate(input_text: &str, options_json: &str) -> Result<Value, Error> {
    use crate::generate::{generate_text, GenerateError, InputKind, OptionsSpec};
    let mut spec = OptionsSpec::from_json(options_json)?;
    // `"input": "auto"` (the editor's default): the first record tells.
    let detected = spec.input.as_deref() == Some("auto");
    if detected {
        let kind = InputKind::detect(input_text).ok_or_else(|| GenerateError::BadOption {
            option: "input".into(),
            message: "cannot tell whether the input holds requests (with `action`) or ActionTrail events (with `eventName`): choose the input kind".into(),
        })?;
        spec.input = Some(kind.name().to_string());
    }
    let (kind, options) = spec.resolve()?;
    let generation = generate_text(input_text, kind, options)?;
    Ok(to_value(&GenerateOutput {
        generation: generation.view()?,
        detected_input: detected.then(|| kind.name()),
    }))
}

/// Any facade result as JSON: the value, or `{"error": …}`.
pub fn to_json(result: Result<Value, Error>) -> Value {
    result.unwrap_or_else(|error| error.to_json())
}
