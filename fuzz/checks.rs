//! The checks behind the fuzz targets, shared with the regression test.
//!
//! Each `check_*` function takes the raw fuzz input and panics when an invariant breaks. The fuzz
//! targets (`fuzz/fuzz_targets/*.rs`) call them on what libFuzzer generates; the normal test
//! `tests/fuzz_regressions.rs` calls them on every file under `tests/data/fuzz-regressions/<target>/`,
//! so a crash input found once stays a test for good. Both include this file with `#[path]`.
//!
//! Structured inputs are decoded from the bytes by [`Bytes`] (no `arbitrary` crate), so that a
//! stored input means the same thing to every build.

use ram_policy::catalog::{Arity, Binding, Catalog};
use ram_policy::eval::{reference, CompiledPolicySet, Decision, Evaluation, PolicySet};
use ram_policy::policy::Operator;
use ram_policy::policy::PolicyDocument;
use ram_policy::{resolve, resolve_with};
use ram_policy::{ParamValue, Request};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A target's checks on one input: returns normally or panics.
pub type Check = fn(&[u8]);

/// The fuzz targets this file serves, by name: the folder name under
/// `tests/data/fuzz-regressions/` and the `fuzz/fuzz_targets/<name>.rs` file.
pub const TARGETS: &[(&str, Check)] = &[
    ("parse_lint", check_parse_lint),
    ("resolve", check_resolve),
    ("evaluate", check_evaluate),
    ("generate", check_generate),
    ("explain", check_explain),
];

/// Decodes structured choices from fuzz bytes; reads zeros once the bytes run out.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let wide = if n > 256 {
            usize::from(self.byte()) << 8 | usize::from(self.byte())
        } else {
            usize::from(self.byte())
        };
        wide % n
    }

    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }

    /// Up to `max` pieces of the alphabet, concatenated.
    pub fn text(&mut self, alphabet: &[&str], max: usize) -> String {
        let count = self.below(max + 1);
        (0..count).map(|_| *self.pick(alphabet)).collect()
    }

    /// The rest of the bytes.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}

fn catalog() -> &'static Catalog {
    Catalog::embedded().expect("the embedded catalog loads")
}

fn action_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        catalog()
            .actions()
            .iter()
            .map(|action| action.qualified_name().to_string())
            .collect()
    })
}

/// Every parameter name the catalog binds (`Name.N` turned into `Name.1`), plus `RegionId`.
fn param_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(collect_param_names)
}

fn collect_param_names() -> Vec<String> {
    let mut names = vec!["RegionId".to_string()];
    for action in catalog().actions() {
        for resource in action.resources() {
            for binding in resource.entry().bindings.values() {
                match binding {
                    Binding::Param { params } => {
                        for source in params {
                            names.push(source.name.replace(".N", ".1"));
                            if source.arity == Arity::Repeat {
                                names.push(source.name.replace(".N", ".2"));
                            }
                        }
                    }
                    Binding::Region { param: Some(param) }
                    | Binding::ResourceType { param, .. } => names.push(param.clone()),
                    Binding::Region { param: None } | Binding::Account => {}
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

// ---------------------------------------------------------------------------------------------
// parse_lint: arbitrary bytes as a policy document.

/// Arbitrary bytes → JSON, policy document and policy set: never a panic; spans stay inside
/// the text; every problem has a pointer and a message; the document serializes.
pub fn check_parse_lint(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        // The CLI refuses non-UTF-8 files before parsing (see `input::read_text`); the library
        // takes `&str`. Parse the lossy text so that these inputs still exercise the parser.
        let lossy = String::from_utf8_lossy(data).into_owned();
        return check_policy_text(&lossy);
    };
    check_policy_text(text);
}

fn check_policy_text(text: &str) {
    match ram_policy::__private::json::parse(text) {
        Ok(node) => {
            assert!(node.span.offset <= node.span.end_offset);
            assert!(node.span.end_offset <= text.len());
            assert!(text.is_char_boundary(node.span.offset));
        }
        Err(error) => {
            let (line, column) = error.position();
            assert!(line >= 1 && column >= 1, "{error:?}");
            assert!(!error.to_string().is_empty());
        }
    }
    if let Ok(document) = PolicyDocument::parse(text) {
        for problem in &document.problems {
            let span = problem.span();
            assert!(span.offset <= span.end_offset && span.end_offset <= text.len());
            assert!(problem.pointer().starts_with('/'), "{problem:?}");
            assert!(!problem.to_string().is_empty());
        }
        for statement in &document.statements {
            assert!(statement.span.end_offset <= text.len());
        }
        serde_json::to_string(&document).expect("a document serializes");
    }
    check_lint(text);
    match PolicySet::parse(&[("fuzz", text)]) {
        Ok(set) => {
            // A usable set evaluates without panicking, by both evaluators.
            let compiled = CompiledPolicySet::new(set.clone());
            let context = BTreeMap::new();
            for (action, arns) in [
                ("ecs:DescribeInstances", vec!["*"]),
                (
                    "ecs:StartInstance",
                    vec!["acs:ecs:cn-hangzhou:123:instance/i-1"],
                ),
            ] {
                let expected = reference::evaluate(&set, action, &arns, &context);
                let actual = compiled.evaluate(action, &arns, &context);
                assert_same(&expected, &actual);
            }
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

/// Every lint finding lies inside the text, on character boundaries, with a code and a message;
/// a fix applied to a document that is JSON keeps it JSON.
fn check_lint(text: &str) {
    let is_json = ram_policy::__private::json::parse(text).is_ok();
    for finding in ram_policy::lint::lint(text) {
        let region = finding.region;
        assert!(region.offset <= region.end_offset && region.end_offset <= text.len());
        assert!(text.is_char_boundary(region.offset) && text.is_char_boundary(region.end_offset));
        assert!(region.line >= 1 && region.column >= 1, "{finding:?}");
        assert!(!finding.message.is_empty() && ram_policy::lint::rule(finding.code).is_some());
        if let Some(fixed) = finding.fix.as_ref().and_then(|fix| fix.apply(text)) {
            if is_json {
                assert!(
                    ram_policy::__private::json::parse(&fixed).is_ok(),
                    "the fix of {} breaks the JSON: {fixed}",
                    finding.code
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// generate: arbitrary event streams.

/// Arbitrary text as ActionTrail events (the first byte picks events or requests, and options):
/// never a panic; a generated policy is a valid document that the evaluator accepts, and lint
/// reports nothing at `warning` or above in it.
pub fn check_generate(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let input = if mode & 1 == 0 {
        "actiontrail"
    } else {
        "requests"
    };
    let generalize = ["none", "ids", "regions"][usize::from(mode >> 1) % 3];
    let max_size = if mode & 0x40 != 0 { 400 } else { 6_144 };
    let conditions: &[&str] = if mode & 0x20 != 0 {
        &["acs:SourceIp"]
    } else {
        &[]
    };
    let options = serde_json::json!({
        "input": input, "generalize": generalize, "max_size": max_size, "split": true,
        "include_failed": mode & 0x80 != 0, "conditions": conditions,
    })
    .to_string();
    let Ok(output) = ram_policy::facade::generate(&text, &options) else {
        return;
    };
    let texts: Vec<String> = match (output.get("policy_text"), output.get("policy_texts")) {
        (Some(one), _) => one.as_str().map(String::from).into_iter().collect(),
        (None, Some(many)) => many
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item.as_str().map(String::from))
            .collect(),
        (None, None) => Vec::new(),
    };
    for policy in texts {
        let set = PolicySet::parse(&[("generated", policy.as_str())]);
        assert!(set.is_ok(), "the generated policy is refused: {policy}");
        // The generator's guarantee: no lint finding at `warning` or above.
        let findings: Vec<_> = ram_policy::lint::lint(&policy)
            .into_iter()
            .filter(|finding| finding.severity >= ram_policy::lint::Severity::Warning)
            .collect();
        assert!(
            findings.is_empty(),
            "lint findings in a generated policy: {findings:?}\n{policy}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// resolve: arbitrary requests.

const TEXT_PIECES: &[&str] = &[
    "i-1",
    "i-2",
    "sg-1",
    "d-1",
    "m-1",
    "s-1",
    "instance",
    "disk",
    "Instance",
    "snapshot",
    "securitygroup",
    "image",
    ",",
    "[",
    "]",
    "\"",
    " ",
    "1",
    "0",
    "cn-hangzhou",
    "*",
    ":",
    "/",
    "é",
    "{}",
    "null",
    "-",
    "$",
];

fn decode_param(bytes: &mut Bytes<'_>, names: &[String]) -> (String, ParamValue) {
    let name = if bytes.below(8) == 0 {
        bytes.text(&["Instance", "Id", "s", ".", "1", "N", "Region"], 4)
    } else {
        bytes.pick(names).clone()
    };
    let value = if bytes.below(4) == 0 {
        let count = bytes.below(4);
        ParamValue::Many((0..count).map(|_| bytes.text(TEXT_PIECES, 4)).collect())
    } else {
        ParamValue::One(bytes.text(TEXT_PIECES, 6))
    };
    (name, value)
}

/// A request decoded from bytes: a catalog action (or made-up text), account, region, up to
/// 12 parameters named like the catalog's.
pub fn decode_request(bytes: &mut Bytes<'_>, actions: &[String], names: &[String]) -> Request {
    let action = match bytes.below(10) {
        0 => bytes.text(&["ecs:", "Run", "Instances", "describe", "*", "é"], 4),
        1 => bytes.pick(actions).to_ascii_lowercase(),
        2 => bytes.pick(actions).trim_start_matches("ecs:").to_string(),
        _ => bytes.pick(actions).clone(),
    };
    let mut request = Request::new(action);
    if bytes.below(8) != 0 {
        request.account = Some(
            bytes
                .pick(&["123", "", "1234567890123456", "*"])
                .to_string(),
        );
    }
    if bytes.below(8) != 0 {
        request.region = Some(
            bytes
                .pick(&["cn-hangzhou", "", "cn-beijing", "é"])
                .to_string(),
        );
    }
    let count = bytes.below(13);
    for _ in 0..count {
        let (name, value) = decode_param(bytes, names);
        request.params.insert(name, value);
    }
    request
}

/// Arbitrary request text or structured requests → resolution: never a panic; an action
/// without resource-level authorization gives exactly `*`; every other ARN comes from its
/// template; resolving is deterministic and agrees with the JSON facade.
pub fn check_resolve(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let request = if bytes.byte().is_multiple_of(4) {
        let Ok(text) = std::str::from_utf8(bytes.rest()) else {
            return;
        };
        let facade = ram_policy::facade::to_json(ram_policy::facade::resolve(text));
        assert!(facade.is_object());
        match Request::from_json(text) {
            Ok(request) => request,
            Err(error) => {
                assert!(!error.to_string().is_empty());
                return;
            }
        }
    } else {
        decode_request(&mut bytes, action_names(), param_names())
    };
    check_resolution(&request);
}

fn check_resolution(request: &Request) {
    let first = resolve(request);
    let second = resolve_with(catalog(), request);
    assert_eq!(first, second, "resolution is deterministic");
    match first {
        Ok(resolution) => {
            let action = catalog()
                .lookup(&resolution.action)
                .expect("the resolved action is in the catalog");
            if action.has_resource_level_authorization() {
                for resource in &resolution.resources {
                    let index = resource
                        .template_index
                        .expect("a templated ARN names its template");
                    let template = action.resources()[index].template().as_str();
                    assert_eq!(&*resource.template, template);
                    let head = template.split('$').next().unwrap_or_default();
                    assert!(resource.arn.starts_with(head), "{resource:?}");
                }
                assert!(
                    resolution.resources.len() + resolution.skipped.len()
                        >= action.resources().len(),
                    "every resource is resolved or skipped (some several times)"
                );
            } else {
                assert_eq!(resolution.arns(), vec!["*"]);
            }
            serde_json::to_string(&resolution).expect("a resolution serializes");
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

// ---------------------------------------------------------------------------------------------
// evaluate: arbitrary policy/request pairs; the compiled evaluator agrees with the reference.

const ACTION_PIECES: &[&str] = &[
    "ecs:",
    "Describe",
    "Instances",
    "Run",
    "*",
    "?",
    "Create",
    "Snapshot",
    "ECS:",
    "e",
    "s",
    "Disk",
    ":",
    "é",
];
const RESOURCE_PIECES: &[&str] = &[
    "acs:ecs:",
    "cn-hangzhou",
    ":",
    "123",
    "instance/",
    "i-1",
    "disk/",
    "*",
    "?",
    "/",
    "é",
    "a",
    "A",
    "acs:ecs:cn-hangzhou:123:instance/i-1",
    "*",
];
const KEYS: &[&str] = &[
    "acs:SourceIp",
    "ACS:sourceip",
    "acs:SecureTransport",
    "acs:CurrentTime",
    "acs:SourceVpc",
    "acs:MFAPresent",
    "custom:n",
    "ecs:tag/env",
    "ecs:InstanceType",
];
const VALUE_PIECES: &[&str] = &[
    "10.",
    "1",
    ".",
    "0/8",
    "::1",
    "/",
    "2026-01-01",
    "T00:00:00Z",
    "+08:00",
    "true",
    "false",
    "TRUE",
    "-",
    "e5",
    "1.5",
    "vpc-",
    "*",
    "?",
    "a",
    "A",
    "é",
    " ",
    "\u{fb00}",
    "255",
    "0",
];

fn decode_condition_value(bytes: &mut Bytes<'_>) -> Value {
    match bytes.below(6) {
        0 => json!(bytes.flag()),
        1 => {
            let number: f64 = *bytes.pick(&[0.0, 1.0, -2.0, 3.5, 1e3, 7.0, 1e300]);
            json!(number)
        }
        _ => json!(bytes.text(VALUE_PIECES, 6)),
    }
}

fn decode_statement(bytes: &mut Bytes<'_>, actions: &[String]) -> Value {
    let mut statement = serde_json::Map::new();
    statement.insert(
        "Effect".into(),
        json!(if bytes.flag() { "Deny" } else { "Allow" }),
    );
    let action_count = 1 + bytes.below(3);
    let patterns: Vec<String> = (0..action_count)
        .map(|_| match bytes.below(3) {
            0 => bytes.text(ACTION_PIECES, 5),
            _ => bytes.pick(actions).clone(),
        })
        .collect();
    let element = if bytes.below(5) == 0 {
        "NotAction"
    } else {
        "Action"
    };
    statement.insert(element.into(), json!(patterns));
    let resource_count = 1 + bytes.below(3);
    let resources: Vec<String> = (0..resource_count)
        .map(|_| bytes.text(RESOURCE_PIECES, 6))
        .collect();
    statement.insert("Resource".into(), json!(resources));
    let operator_count = bytes.below(3);
    if operator_count > 0 {
        let mut block = serde_json::Map::new();
        for _ in 0..operator_count {
            let operator = bytes.pick(&Operator::ALL).name();
            let mut keys = serde_json::Map::new();
            for _ in 0..1 + bytes.below(2) {
                let key = *bytes.pick(KEYS);
                let values: Vec<Value> = (0..1 + bytes.below(3))
                    .map(|_| decode_condition_value(bytes))
                    .collect();
                keys.insert(key.to_string(), Value::Array(values));
            }
            block.insert(operator.to_string(), Value::Object(keys));
        }
        statement.insert("Condition".into(), Value::Object(block));
    }
    Value::Object(statement)
}

fn decode_context(bytes: &mut Bytes<'_>) -> BTreeMap<String, Vec<String>> {
    let mut context = BTreeMap::new();
    for _ in 0..bytes.below(5) {
        let key = bytes.pick(KEYS).to_string();
        let values = (0..1 + bytes.below(2))
            .map(|_| bytes.text(VALUE_PIECES, 6))
            .collect();
        context.insert(key, values);
    }
    context
}

/// The compiled evaluator's answer equals the reference evaluator's (decision, per-ARN decisions
/// and statements, missing keys), and the decision follows from the per-ARN decisions.
pub fn assert_same(expected: &Evaluation, actual: &Evaluation) {
    assert_eq!(actual.decision, expected.decision, "decision");
    assert_eq!(actual.resources, expected.resources, "per-ARN decisions");
    assert_eq!(
        actual.missing_context_keys, expected.missing_context_keys,
        "missing context keys"
    );
    let any_deny = expected
        .resources
        .iter()
        .any(|resource| resource.decision == Decision::ExplicitDeny);
    let all_allow = !expected.resources.is_empty()
        && expected
            .resources
            .iter()
            .all(|resource| resource.decision == Decision::Allow);
    let combined = if any_deny {
        Decision::ExplicitDeny
    } else if all_allow {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    };
    assert_eq!(
        expected.decision, combined,
        "combination of per-ARN decisions"
    );
}

/// Arbitrary policy/request pairs → both evaluators: never a panic, always the same answer.
/// Three shapes: structured statements against raw ARNs, structured statements against a
/// resolved request, and raw policy text with raw request text (split at the first 0xFF).
pub fn check_evaluate(data: &[u8]) {
    let mut bytes = Bytes::new(data);
    let mode = bytes.byte() % 4;
    if mode == 0 {
        let rest = bytes.rest();
        let (policy, request) = match rest.iter().position(|byte| *byte == 0xFF) {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &b""[..]),
        };
        let (Ok(policy), Ok(request)) = (std::str::from_utf8(policy), std::str::from_utf8(request))
        else {
            return;
        };
        let (Ok(set), Ok(request)) = (
            PolicySet::parse(&[("fuzz", policy)]),
            Request::from_json(request),
        ) else {
            return;
        };
        return check_request_against(&set, &request);
    }
    let actions = action_names();
    let mut policies = Vec::new();
    for policy in 0..1 + bytes.below(3) {
        let statements: Vec<Value> = (0..1 + bytes.below(4))
            .map(|_| decode_statement(&mut bytes, actions))
            .collect();
        let document = json!({"Version": "1", "Statement": statements});
        policies.push((format!("p{policy}"), document.to_string()));
    }
    let set = match PolicySet::parse(&policies) {
        Ok(set) => set,
        Err(error) => {
            assert!(!error.to_string().is_empty());
            return;
        }
    };
    if mode == 1 {
        let request = decode_request(&mut bytes, actions, param_names());
        let mut request = request;
        request.context = decode_context(&mut bytes);
        return check_request_against(&set, &request);
    }
    let action = match bytes.below(4) {
        0 => bytes.text(ACTION_PIECES, 4),
        _ => bytes.pick(actions).clone(),
    };
    let arns: Vec<String> = (0..1 + bytes.below(3))
        .map(|_| bytes.text(RESOURCE_PIECES, 6))
        .collect();
    let context = decode_context(&mut bytes);
    let expected = reference::evaluate(&set, &action, &arns, &context);
    // Candidates precomputed for every catalog action, or computed for the request's action.
    let compiled = if mode == 2 {
        CompiledPolicySet::new(set.clone())
    } else {
        CompiledPolicySet::with_catalog(set.clone(), None)
    };
    assert_same(&expected, &compiled.evaluate(&action, &arns, &context));
    assert_eq!(compiled.decide(&action, &arns, &context), expected.decision);
}

/// `resolve` and `eval` read a request alike: one refuses it exactly when the other does, with
/// the same error.
fn check_request_against(set: &PolicySet, request: &Request) {
    let resolution = match resolve(request) {
        Ok(resolution) => resolution,
        Err(error) => {
            let refused = ram_policy::eval::evaluate(set, request)
                .expect_err("a request that does not resolve does not evaluate");
            assert_eq!(refused, error, "`resolve` and `eval` refuse alike");
            return;
        }
    };
    let expected = match ram_policy::eval::evaluate(set, request) {
        Ok(evaluation) => evaluation,
        Err(error) => panic!("the request resolves but `eval` refuses it: {error}"),
    };
    let arns = resolution.arns();
    let compiled = CompiledPolicySet::with_catalog(set.clone(), None);
    assert_same(
        &expected,
        &compiled.evaluate(&resolution.action, &arns, &request.context),
    );
}

/// `explain` with long ARNs and events: a mode byte, then a Resource pattern (policy wildcards
/// and id fragments), then either a request whose id is a run of up to 200,000 characters (the
/// run's character and length from the bytes, some fragments around it) or arbitrary text as an
/// ActionTrail event stream. Checks: never a panic; the report's decision for a request equals
/// both evaluators'; the text and JSON renderings exist, hold no raw control character, and the
/// JSON streamed by the CLI equals `to_json`.
pub fn check_explain(data: &[u8]) {
    use ram_policy::explain::{InputKind, Options};
    let mut bytes = Bytes::new(data);
    let mode = bytes.byte();
    let fragments = [
        "i-", "*", "?", "a", "b", "/", ":", "1", "\u{1b}", "\u{202e}", "é",
    ];
    let pattern = format!(
        "acs:ecs:{}:*:instance/{}",
        bytes.pick(&["cn-hangzhou", "*", "cn-*", ""]),
        bytes.text(&fragments, 8)
    );
    let policy = json!({"Version": "1", "Statement": [
        {"Effect": if bytes.flag() { "Allow" } else { "Deny" },
         "Action": *bytes.pick(&["ecs:StartInstance", "ecs:Start*", "ecs:*", "ecs:StopInstance"]),
         "Resource": pattern},
        {"Effect": "Allow", "Action": "ecs:StartInstance",
         "Resource": format!("acs:ecs:cn-hangzhou:*:instance/{}", bytes.text(&fragments, 4))}]})
    .to_string();
    let policies = [("p.json", policy.as_str())];
    let options = Options::default();
    let (kind, input) = if mode.is_multiple_of(2) {
        let run = char::from(*bytes.pick(b"a*-i?"));
        let length = bytes.below(200_001);
        let id = format!(
            "{}{}{}",
            bytes.text(&fragments, 3),
            run.to_string().repeat(length),
            bytes.text(&fragments, 3)
        );
        let request = json!({"action": "ecs:StartInstance", "account": "1234567890123456",
            "region": "cn-hangzhou", "params": {"InstanceId": id}});
        (InputKind::Request, request.to_string())
    } else {
        let text = String::from_utf8_lossy(bytes.rest()).into_owned();
        (InputKind::ActionTrail { all: mode & 2 == 2 }, text)
    };
    let Ok(report) = ram_policy::facade::explain_report(&policies, kind, &input, &options) else {
        return;
    };
    let text = ram_policy::explain::report(&report);
    assert!(
        !text
            .chars()
            .any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202e}'),
        "raw control character in explain text"
    );
    let streamed = serde_json::to_value(report.json()).expect("the streamed JSON serializes");
    assert_eq!(streamed, report.to_json());
    if matches!(kind, InputKind::Request) {
        let Ok(set) = PolicySet::parse(&policies) else {
            return;
        };
        let Ok(request) = Request::from_json(&input) else {
            return;
        };
        if let Ok(resolution) = resolve(&request) {
            let arns = resolution.arns();
            let expected =
                reference::evaluate(&set, &resolution.action, &arns, &request.context).decision;
            for item in &report.explanations {
                assert_eq!(
                    item.explanation.decision, expected,
                    "explain disagrees with eval"
                );
            }
        }
    }
}
