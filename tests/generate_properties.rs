//! The guarantees of `generate`, checked with the evaluator on random call sets:
//! (a) every used call is allowed by the output (exact, generalized, widened under size
//!     pressure, split: by the union of the policies);
//! (b) with `--generalize none` and no size pressure, the policy is exact: a call is allowed
//!     exactly when its action is an input action and each of its ARNs is covered by an ARN
//!     an input call of the same action resolved to; so a call that differs from every input
//!     call in action, or in an ARN no input call of that action had, is denied;
//! (c) the output is a valid document that the evaluator accepts, within the size limit, with
//!     catalog actions and well-formed ARNs only, and lint reports nothing at `warning` or above;
//! (d) the output is byte-identical for shuffled input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use ram_policy::catalog::{Action, Arity, Binding, Catalog};
use ram_policy::eval::{CompiledPolicySet, Decision, PolicySet};
use ram_policy::generate::{Generalize, Generator, Options};
use ram_policy::policy::PolicyDocument;
use ram_policy::resolve_with;
use ram_policy::wildcard::reference_match;
use ram_policy::{ParamValue, Request};
use std::collections::{BTreeMap, BTreeSet};

const REGIONS: [&str; 4] = [
    "cn-hangzhou",
    "cn-beijing",
    "ap-southeast-1",
    "eu-central-1",
];
const ACCOUNTS: [&str; 3] = ["1234567890123456", "2345678901234567", "3456789012345678"];
/// Public addresses, and one private one (for which no `acs:SourceIp` condition is written).
const IPS: [&str; 5] = [
    "203.0.113.7",
    "198.51.100.20",
    "2001:db8::1",
    "192.0.2.44",
    "10.1.2.3",
];

fn catalog() -> &'static Catalog {
    Catalog::embedded().unwrap()
}

/// A small deterministic generator, so that a call is a pair (action, seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// An id from a small pool, so that calls share resources.
fn id(rng: &mut Rng, name: &str) -> String {
    let prefix: String = name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(2)
        .collect::<String>()
        .to_ascii_lowercase();
    format!("{prefix}-{}", rng.below(5))
}

fn set_param(params: &mut BTreeMap<String, ParamValue>, name: &str, arity: Arity, rng: &mut Rng) {
    let count = 1 + rng.below(3);
    match arity {
        Arity::Single => {
            params.insert(name.into(), ParamValue::One(id(rng, name)));
        }
        Arity::Repeat => {
            for n in 1..=count {
                let key = if name.contains(".N") {
                    name.replacen(".N", &format!(".{n}"), 1)
                } else {
                    format!("{name}.{n}")
                };
                params.insert(key, ParamValue::One(id(rng, name)));
            }
        }
        Arity::JsonArray => {
            let ids: Vec<String> = (0..count).map(|_| id(rng, name)).collect();
            params.insert(
                name.into(),
                ParamValue::One(serde_json::to_string(&ids).unwrap()),
            );
        }
        Arity::CommaList => {
            let ids: Vec<String> = (0..count).map(|_| id(rng, name)).collect();
            params.insert(name.into(), ParamValue::One(ids.join(",")));
        }
    }
}

/// A request for an action that binds every variable of a random subset of its resources
/// (every required one), in a random region and account, with a random source IP (or none).
fn build(action: &Action, seed: u64) -> Request {
    let mut rng = Rng(seed | 1);
    let mut request = Request::new(action.qualified_name());
    request.region = Some(REGIONS[rng.below(REGIONS.len())].into());
    request.account = Some(ACCOUNTS[rng.below(ACCOUNTS.len())].into());
    if rng.below(6) != 0 {
        request.context.insert(
            "acs:SourceIp".into(),
            vec![IPS[rng.below(IPS.len())].into()],
        );
    }
    for resource in action.resources() {
        let entry = resource.entry();
        if entry.optional && rng.below(2) == 0 {
            continue;
        }
        for binding in entry.bindings.values() {
            match binding {
                Binding::Param { params } => {
                    let source = &params[rng.below(params.len())];
                    set_param(&mut request.params, &source.name, source.arity, &mut rng);
                }
                Binding::ResourceType { param, values } => {
                    let keys: Vec<&String> = values.keys().collect();
                    let key = keys[rng.below(keys.len())].clone();
                    request.params.insert(param.clone(), ParamValue::One(key));
                }
                Binding::Region { param: Some(param) } => {
                    let region = REGIONS[rng.below(REGIONS.len())];
                    request
                        .params
                        .insert(param.clone(), ParamValue::One(region.into()));
                }
                Binding::Region { param: None } | Binding::Account => {}
            }
        }
    }
    request
}

fn named(name: &'static str) -> impl Strategy<Value = usize> {
    let index = catalog()
        .actions()
        .iter()
        .position(|action| action.name() == name)
        .unwrap();
    Just(index)
}

/// Any catalog action, with the multi-ARN ones over-represented.
fn any_action() -> impl Strategy<Value = usize> {
    let count = catalog().actions().len();
    prop_oneof![
        3 => 0..count,
        1 => named("RunInstances"),
        1 => named("AttachDisk"),
        1 => named("DescribeInstances"),
        1 => named("CopyImage"),
    ]
}

fn calls(max: usize) -> impl Strategy<Value = Vec<(usize, u64)>> {
    proptest::collection::vec((any_action(), any::<u64>()), 1..max)
}

fn requests(calls: &[(usize, u64)]) -> Vec<Request> {
    calls
        .iter()
        .map(|&(index, seed)| build(&catalog().actions()[index], seed))
        .collect()
}

/// The policies and the summary; no policy (and no text) when no call was usable.
fn generate(
    requests: &[Request],
    options: Options,
) -> (Vec<String>, ram_policy::generate::Summary) {
    let mut generator = Generator::new(options).unwrap();
    for (index, request) in requests.iter().enumerate() {
        generator.add_request(request, index + 1, index + 1);
    }
    let generation = generator.finish();
    match generation.result {
        Ok(output) => (output.texts, generation.summary),
        Err(ram_policy::generate::GenerateError::NoCalls { .. }) => {
            (Vec::new(), generation.summary)
        }
        Err(error) => panic!("{error}"),
    }
}

/// The policies as one set (an empty set when there is none: everything is denied).
fn policy_set(texts: &[String]) -> CompiledPolicySet {
    let sources: Vec<(String, &str)> = texts
        .iter()
        .enumerate()
        .map(|(index, text)| (format!("policy-{}", index + 1), text.as_str()))
        .collect();
    CompiledPolicySet::new(PolicySet::parse(&sources).unwrap())
}

/// The decision for a request that resolves to at least one ARN (a request that resolves to
/// none is denied by any policy, and `generate` reports it as `no_arn`).
fn decide(set: &CompiledPolicySet, request: &Request) -> Option<Decision> {
    let resolution = resolve_with(catalog(), request).ok()?;
    if resolution.resources.is_empty() {
        return None;
    }
    Some(set.decide(&resolution.action, &resolution.arns(), &request.context))
}

/// (a): every used call is allowed; every call the generator could resolve was used.
fn assert_all_allowed(
    requests: &[Request],
    texts: &[String],
    used: u64,
) -> Result<(), TestCaseError> {
    let set = policy_set(texts);
    let mut resolvable = 0;
    for request in requests {
        if let Some(decision) = decide(&set, request) {
            resolvable += 1;
            prop_assert_eq!(
                decision,
                Decision::Allow,
                "{:?}\n{}",
                request,
                texts.join("\n")
            );
        }
    }
    prop_assert_eq!(resolvable, used);
    Ok(())
}

/// (c): no lint finding at `warning` or above; the document parses without any problem, fits,
/// and names only catalog actions and well-formed resources.
fn assert_clean(texts: &[String], limit: usize) -> Result<(), TestCaseError> {
    for text in texts {
        let findings: Vec<_> = ram_policy::lint::lint(text)
            .into_iter()
            .filter(|finding| finding.severity >= ram_policy::lint::Severity::Warning)
            // The library's `Options` take any limit (these tests use a large one to mean "no
            // size pressure"); the command line and the facade refuse more than 6,144.
            .filter(|finding| !(finding.code == "POLICY_SIZE_EXCEEDS_QUOTA" && limit > 6144))
            .collect();
        prop_assert!(findings.is_empty(), "{:#?}\n{}", findings, text);
        let document = PolicyDocument::parse(text).unwrap();
        prop_assert!(document.problems.is_empty(), "{:?}", document.problems);
        let compact =
            serde_json::to_string(&serde_json::from_str::<serde_json::Value>(text).unwrap())
                .unwrap();
        prop_assert!(compact.chars().count() <= limit);
        for statement in &document.statements {
            for action in &statement.action.as_ref().unwrap().patterns {
                prop_assert!(
                    catalog().action(&action.value).is_some(),
                    "{}",
                    action.value
                );
            }
            for resource in &statement.resource.as_ref().unwrap().value {
                let arn = &resource.value;
                if arn != "*" {
                    let parsed: ram_policy::Arn = arn.parse().unwrap();
                    prop_assert!(
                        parsed.account().bytes().all(|b| b.is_ascii_digit()),
                        "{}",
                        arn
                    );
                    prop_assert!(!parsed.resource().contains("**"), "{}", arn);
                }
            }
        }
    }
    Ok(())
}

fn options(generalize: Generalize, max_size: usize, split: bool) -> Options {
    Options {
        generalize,
        max_size,
        split,
        ..Options::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// (a), (c) and (d) for every generalization, without and with size pressure.
    #[test]
    fn every_used_call_is_allowed(calls in calls(40), generalize in 0..3usize, pressure in any::<bool>(), max_size in 300..3000usize, rotate in any::<usize>()) {
        let requests = requests(&calls);
        let generalize = [Generalize::None, Generalize::Ids, Generalize::Regions][generalize];
        let limit = if pressure { max_size } else { 1_000_000 };
        let (texts, summary) = generate(&requests, options(generalize, limit, true));
        assert_all_allowed(&requests, &texts, summary.used)?;
        assert_clean(&texts, limit)?;
        if !pressure && generalize == Generalize::None {
            prop_assert!(summary.widenings.is_empty());
        }
        // (d): the same calls in another order give the same bytes.
        let mut shuffled = requests.clone();
        shuffled.reverse();
        let len = shuffled.len();
        shuffled.rotate_left(rotate % len);
        let (again, _) = generate(&shuffled, options(generalize, limit, true));
        prop_assert_eq!(texts, again);
    }

    /// (a) with `--condition acs:SourceIp`: the observed addresses allow every call.
    #[test]
    fn source_ip_conditions_allow_every_call(calls in calls(30)) {
        let requests = requests(&calls);
        let options = Options { conditions: vec!["acs:SourceIp".into()], ..Options::default() };
        let (texts, summary) = generate(&requests, options);
        assert_all_allowed(&requests, &texts, summary.used)?;
        assert_clean(&texts, 1_000_000)?;
        // With no usable call (e.g. only `DescribeTags` without a resource, which resolves to no
        // ARN) there is no policy and no condition report: nothing more to check.
        prop_assume!(summary.used > 0);
        // A call from an address never observed is denied wherever a condition was added.
        let report = &summary.conditions[0];
        let set = policy_set(&texts);
        for request in &requests {
            let name = catalog().action(&request.action).unwrap().qualified_name();
            // Calls that resolve to no ARN were not used (and `decide` has nothing to decide).
            if report.actions.iter().any(|action| action == name) && decide(&set, request).is_some() {
                let mut moved = request.clone();
                moved.context.insert("acs:SourceIp".into(), vec!["192.0.2.200".into()]);
                prop_assert_eq!(decide(&set, &moved), Some(Decision::ImplicitDeny));
            }
        }
    }

    /// (b): exact by default: allowed exactly when the action was used and every ARN is
    /// covered by that action's input ARNs.
    #[test]
    fn exact_policies_deny_everything_else(calls in calls(30), mutants in proptest::collection::vec((any_action(), any::<u64>(), 0..3usize), 1..30)) {
        let requests = requests(&calls);
        let (texts, summary) = generate(&requests, options(Generalize::None, 1_000_000, false));
        prop_assert!(summary.widenings.is_empty());
        let set = policy_set(&texts);
        let mut granted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for request in &requests {
            if let Ok(resolution) = resolve_with(catalog(), request) {
                granted.entry(resolution.action.clone()).or_default().extend(resolution.arns().iter().map(|arn| arn.to_string()));
            }
        }
        for (index, seed, how) in mutants {
            let mut request = build(&catalog().actions()[index], seed);
            match how {
                // Fresh ids that no input call has.
                0 => for value in request.params.values_mut() {
                    if let ParamValue::One(text) = value {
                        if text.contains('-') && !text.starts_with('[') && !REGIONS.contains(&text.as_str()) {
                            *text = format!("{text}x");
                        }
                    }
                },
                // Another region.
                1 => request.region = Some("us-west-1".into()),
                _ => {}
            }
            request.params.remove("RegionId");
            let Ok(resolution) = resolve_with(catalog(), &request) else { continue };
            if resolution.resources.is_empty() {
                continue;
            }
            let covered = granted.get(&resolution.action).is_some_and(|arns| {
                resolution.arns().iter().all(|arn| arns.iter().any(|pattern| reference_match(pattern, arn)))
            });
            let decision = set.decide(&resolution.action, &resolution.arns(), &request.context);
            prop_assert_eq!(decision == Decision::Allow, covered, "{:?}\n{}", request, texts[0]);
        }
    }
}

#[test]
fn mutants_are_mostly_denied() {
    // The property above is an equivalence; make sure its "denied" side is exercised.
    let requests: Vec<Request> = (0..20u64)
        .map(|seed| build(catalog().action("ecs:StartInstance").unwrap(), seed + 1))
        .collect();
    let (texts, _) = generate(&requests, Options::default());
    let set = policy_set(&texts);
    let mut other = build(catalog().action("ecs:StartInstance").unwrap(), 5);
    other
        .params
        .insert("InstanceId".into(), ParamValue::One("in-fresh".into()));
    assert_eq!(decide(&set, &other), Some(Decision::ImplicitDeny));
    let stop = build(catalog().action("ecs:StopInstance").unwrap(), 5);
    assert_eq!(decide(&set, &stop), Some(Decision::ImplicitDeny));
}

#[test]
fn every_catalog_action_is_generated_and_allowed() {
    let requests: Vec<Request> = catalog()
        .actions()
        .iter()
        .flat_map(|action| (1..4u64).map(move |seed| build(action, seed * 7919)))
        .collect();
    for (generalize, limit) in [
        (Generalize::None, 1_000_000),
        (Generalize::Ids, 1_000_000),
        (Generalize::Regions, 1_000_000),
        (Generalize::None, 6144),
        (Generalize::None, 1500),
    ] {
        let (texts, summary) = generate(&requests, options(generalize, limit, true));
        let set = policy_set(&texts);
        let resolvable = requests
            .iter()
            .filter(|request| decide(&set, request).is_some())
            .count();
        assert_eq!(summary.used as usize, resolvable, "{:?}", summary.skipped);
        assert!(
            resolvable * 10 >= requests.len() * 9,
            "{resolvable} of {}",
            requests.len()
        );
        assert!(summary.actions * 10 >= catalog().actions().len() * 9);
        for request in &requests {
            if let Some(decision) = decide(&set, request) {
                assert_eq!(decision, Decision::Allow, "{request:?}");
            }
        }
        assert_clean(&texts, limit).unwrap();
    }
}
