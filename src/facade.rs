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

/// The catalog as data: the edition, and every action with its service, access level, resource
/// types, condition keys, source, seed lines and resources.
pub fn catalog() -> Result<Value, Error> {
    let catalog = Catalog::embedded()?;
    let actions: Vec<Value> = catalog.actions().iter().map(action_json).collect();
    Ok(json!({
        "edition": catalog.edition_name(),
        "services": catalog.services(),
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
    let facts = action.facts();
    json!({
        "action": action.qualified_name(),
        "name": entry.name,
        "service": facts.service,
        "source": facts.source,
        "api": facts.is_api,
        "authorization_documented": action.authorization_documented(),
        "access_level": facts.access,
        "resource_types": facts.resource_types,
        "condition_keys": facts.condition_keys,
        "reference_line": facts.reference_line,
        "seed_resources": facts.seed_templates,
        "unbound_resources": facts.unbound,
        "category": entry.category,
        "description": entry.description,
        "overview_line": entry.overview_line,
        "table_line": entry.table_line,
        "api_page_line": entry.api_page_line,
        "resource_level": action.has_resource_level_authorization(),
        "resources": resources,
    })
}

/// Chooses the catalog edition of later calls (`seed` or `current`): the WebAssembly module's
/// `setCatalogEdition`. Returns `{"edition": NAME}`.
pub fn set_catalog_edition(name: &str) -> Result<Value, Error> {
    let edition = crate::catalog::Edition::parse(name).map_err(|error| Error::Input {
        message: error.to_string(),
    })?;
    edition.set_default();
    Ok(json!({ "edition": edition }))
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
/// `current_time` fills `acs:CurrentTime` when the request has none. The CLI's `eval` and the
/// WebAssembly `evaluate` export both call this.
pub fn evaluate_report<N: AsRef<str>, T: AsRef<str>>(
    policies: &[(N, T)],
    request_text: &str,
    options: &CallOptions,
) -> Result<Evaluation, Error> {
    let mut request = Request::from_json(request_text)?;
    options.apply_to(&mut request.context);
    evaluate_parsed_request(policies, &request)
}

/// Context values and the current time added to a call, as for `--context KEY=VALUE`. The same
/// type as `explain`'s options.
pub type CallOptions = crate::explain::inputs::Options;

/// Policies given as JSON text, the form the WebAssembly exports take:
/// `[{"name": "policy.json", "text": "{\"Version\": \"1\", …}"}, …]`. Each `text` is the
/// policy document as written (so findings and explanations point into it); `name` is what
/// results call the policy, as the CLI calls it by its path.
pub fn policies_from_json(policies_json: &str) -> Result<Vec<(String, String)>, Error> {
    let bad = |message: String| Error::Input {
        message: format!(
            "the policies must be a JSON array of {{\"name\": …, \"text\": …}}: {message}"
        ),
    };
    let value: Value =
        serde_json::from_str(policies_json).map_err(|error| bad(error.to_string()))?;
    if let Some(duplicate) = crate::json::find_duplicate_member(policies_json) {
        return Err(bad(duplicate.to_string()));
    }
    let Value::Array(items) = value else {
        return Err(bad("not an array".into()));
    };
    let mut policies = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let Value::Object(object) = item else {
            return Err(bad(format!("item {index} is not an object")));
        };
        if let Some(key) = object.keys().find(|key| *key != "name" && *key != "text") {
            return Err(bad(format!("item {index} has an unknown member `{key}`")));
        }
        let member = |key: &str| match object.get(key) {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(_) => Err(bad(format!("`{key}` of item {index} is not a string"))),
            None => Err(bad(format!("item {index} has no `{key}`"))),
        };
        policies.push((member("name")?, member("text")?));
    }
    Ok(policies)
}

/// The options of `evaluate` and `explain` as JSON text (an empty or absent text means none):
/// `{"context": {"acs:SourceIp": "203.0.113.7", "acs:MFAPresent": true, "ecs:tag/env": ["a", "b"]},
///   "current_time": "2026-01-01T00:00:00Z", "all": false}`. Context values are strings, numbers
/// or booleans, or arrays of those; `all` (explain, ActionTrail input only) explains every event.
/// Returns the options and `all`.
pub fn call_options_from_json(options_json: Option<&str>) -> Result<(CallOptions, bool), Error> {
    let bad = |message: String| Error::Input {
        message: format!("the options are not usable: {message}"),
    };
    let mut options = CallOptions::default();
    let text = options_json.unwrap_or("").trim();
    if text.is_empty() {
        return Ok((options, false));
    }
    let value: Value = serde_json::from_str(text).map_err(|error| bad(error.to_string()))?;
    if let Some(duplicate) = crate::json::find_duplicate_member(text) {
        return Err(bad(duplicate.to_string()));
    }
    let Value::Object(object) = value else {
        return Err(bad("not a JSON object".into()));
    };
    let mut all = false;
    for (key, value) in &object {
        match (key.as_str(), value) {
            ("context", Value::Object(context)) => {
                for (name, value) in context {
                    let values = match value {
                        Value::Array(values) => values.iter().collect(),
                        other => vec![other],
                    };
                    let mut texts = Vec::with_capacity(values.len());
                    for value in values {
                        texts.push(match value {
                            Value::String(text) => text.clone(),
                            Value::Number(number) => number.to_string(),
                            Value::Bool(flag) => flag.to_string(),
                            _ => {
                                return Err(bad(format!(
                                    "the value of context key `{name}` is not a string, number or boolean"
                                )))
                            }
                        });
                    }
                    // The one rule for context values (`crate::context`): empty or unreadable
                    // values are refused, naming the key.
                    crate::context::check(name, &texts).map_err(|error| Error::Context {
                        place: format!(
                            "the options' `/context/{}`",
                            crate::request::escape_pointer(name)
                        ),
                        error: Box::new(error),
                    })?;
                    options
                        .context
                        .extend(texts.into_iter().map(|text| (name.clone(), text)));
                }
            }
            ("current_time", Value::String(time)) => options.current_time = Some(time.clone()),
            ("current_time", Value::Null) => {}
            ("all", Value::Bool(flag)) => all = *flag,
            ("context" | "current_time" | "all", _) => {
                return Err(bad(format!("`{key}` has the wrong type")))
            }
            (other, _) => return Err(bad(format!("unknown member `{other}`"))),
        }
    }
    Ok((options, all))
}

/// `evaluate` with JSON text in: the policies as for [`policies_from_json`], the request as for
/// `resolve`, the options as for [`call_options_from_json`]. The value is the same as the CLI's
/// `ram-policy eval --format json` (both go through [`evaluate_report`] and
/// [`evaluation_json`]).
pub fn evaluate_json(
    policies_json: &str,
    request_text: &str,
    options_json: Option<&str>,
) -> Result<Value, Error> {
    let policies = policies_from_json(policies_json)?;
    let (options, _) = call_options_from_json(options_json)?;
    Ok(evaluation_json(&evaluate_report(
        &policies,
        request_text,
        &options,
    )?))
}

/// The input kinds of `explain` by name: `request`, `actiontrail` or `error`.
pub fn explain_input_kind(
    kind: &str,
    all: bool,
) -> Result<crate::explain::inputs::InputKind, Error> {
    use crate::explain::inputs::InputKind;
    match kind {
        "request" => Ok(InputKind::Request),
        "actiontrail" => Ok(InputKind::ActionTrail { all }),
        "error" => Ok(InputKind::Error),
        other => Err(Error::Input {
            message: format!(
                "unknown input kind `{other}`; expected `request`, `actiontrail` or `error`"
            ),
        }),
    }
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
    let policies = policies_from_json(policies_json)?;
    let (options, all) = call_options_from_json(options_json)?;
    let kind = explain_input_kind(kind, all)?;
    explain(&policies, kind, input, &options)
}

/// An evaluation as the documented JSON shape.
pub fn evaluation_json(evaluation: &Evaluation) -> Value {
    serde_json::to_value(EvaluationJson(evaluation)).unwrap_or(Value::Null)
}

/// The JSON of [`evaluation_json`], serialized straight from the evaluation: the CLI writes it
/// to standard output without building a [`Value`] first, so memory follows the output. Members
/// are in alphabetical order, as in a [`Value`].
pub struct EvaluationJson<'a>(pub &'a Evaluation);

impl serde::Serialize for EvaluationJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::Serialize;
        #[derive(Serialize)]
        struct Statement<'a> {
            column: usize,
            effect: &'static str,
            line: usize,
            policy: &'a str,
            statement: usize,
        }
        #[derive(Serialize)]
        struct Resource<'a> {
            arn: &'a str,
            decision: &'static str,
            statements: Vec<Statement<'a>>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            undetermined: Vec<Statement<'a>>,
        }
        fn refs(statements: &[crate::eval::StatementRef]) -> Vec<Statement<'_>> {
            statements
                .iter()
                .map(|statement| Statement {
                    column: statement.column,
                    effect: statement.effect.name(),
                    line: statement.line,
                    policy: &statement.policy,
                    statement: statement.statement,
                })
                .collect()
        }
        #[derive(Serialize)]
        struct Trace<'a> {
            column: usize,
            effect: &'static str,
            line: usize,
            message: String,
            policy: &'a str,
            /// A `Value`, so that its members are sorted as in [`evaluation_json`].
            reason: Value,
            statement: usize,
        }
        struct Resources<'a>(&'a [crate::eval::ResourceDecision]);
        impl Serialize for Resources<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.iter().map(|resource| Resource {
                    arn: &resource.arn,
                    decision: resource.decision.name(),
                    statements: refs(&resource.statements),
                    undetermined: refs(&resource.undetermined),
                }))
            }
        }
        struct Traces<'a>(&'a [crate::eval::TraceEntry]);
        impl Serialize for Traces<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.iter().map(|entry| Trace {
                    column: entry.column,
                    effect: entry.effect.name(),
                    line: entry.line,
                    message: entry.reason.to_string(),
                    policy: &entry.policy,
                    reason: serde_json::to_value(&entry.reason).unwrap_or(Value::Null),
                    statement: entry.statement,
                }))
            }
        }
        #[derive(Serialize)]
        struct View<'a> {
            action: &'a str,
            catalog_edition: crate::catalog::Edition,
            decision: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            depends_on_authorization: Option<&'a str>,
            missing_context_keys: &'a [String],
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            notes: &'a [String],
            resources: Resources<'a>,
            trace: Traces<'a>,
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            unknown_context_keys: &'a [String],
        }
        View {
            action: &self.0.action,
            catalog_edition: crate::catalog::Edition::default_edition(),
            decision: self.0.decision.name(),
            depends_on_authorization: self.0.depends_on_authorization.as_deref(),
            missing_context_keys: &self.0.missing_context_keys,
            notes: &self.0.notes,
            resources: Resources(&self.0.resources),
            trace: Traces(&self.0.trace),
            unknown_context_keys: &self.0.unknown_context_keys,
        }
        .serialize(serializer)
    }
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
    let mut value = generate_text(input_text, kind, options)?.to_json()?;
    if let (true, Some(object)) = (detected, value.as_object_mut()) {
        object.insert("detected_input".into(), json!(kind.name()));
    }
    Ok(value)
}

/// Any facade result as JSON: the value, or `{"error": …}`.
pub fn to_json(result: Result<Value, Error>) -> Value {
    result.unwrap_or_else(|error| error.to_json())
}
