//! Deterministic benchmark workloads: realistic RAM policy sets and requests drawn from the
//! catalog, the same for a given seed on every machine.
//!
//! Used by the side-by-side benchmark against Cedar (`benches/peers/`) and available to any
//! other benchmark. A workload has:
//! - **policies** of [`STATEMENTS_PER_POLICY`] statements each, mixing exact ARNs, wildcard
//!   ARNs, `*`, exact and wildcard actions, `NotAction`, `Deny` statements and conditions
//!   (`StringEquals`, `StringNotEquals`, `StringLike`, `NumericLessThanEquals`,
//!   `NumericGreaterThan`, `DateLessThan`, `DateGreaterThan`, `Bool`, `IpAddress`,
//!   `NotIpAddress`);
//! - **requests**: a catalog action with the parameters its ARN templates need, an account, a
//!   region and a context, each resolved to the ARNs RAM checks.
//!
//! The generator stays inside what both RAM and Cedar can express, so that the benchmark can
//! translate every statement faithfully: no `?` wildcard (Cedar's `like` has only `*`), no
//! `…IgnoreCase` operators (Cedar has no case folding), integers only for numeric keys (Cedar's
//! `Long`), one value per context key, and request values always valid for their key's type.
//!
//! ```
//! use ram_policy::workload::{Workload, WorkloadConfig};
//! let config = WorkloadConfig { seed: 8, statements: 30, requests: 50 };
//! let workload = Workload::generate(&config).unwrap();
//! assert_eq!(workload.statement_count(), 30);
//! assert_eq!(workload.requests.len(), 50);
//! assert_eq!(workload, Workload::generate(&config).unwrap());
//! ```

use crate::catalog::{Action, Arity, Binding, Catalog, CatalogError, Segment};
use crate::request::{ParamValue, Request};
use crate::resolve::resolve_with;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Statements in each generated policy (the last policy may have fewer).
pub const STATEMENTS_PER_POLICY: usize = 10;

/// The account that owns the resources most requests touch and most statements name.
pub const ACCOUNT: &str = "1234567890123456";
/// Another account, for requests that cross accounts.
pub const OTHER_ACCOUNT: &str = "9876543210987654";
/// The regions requests and statements use.
pub const REGIONS: &[&str] = &["cn-hangzhou", "cn-beijing", "cn-shanghai"];
/// Distinct ids per resource type (`i-00000` … `i-00499`).
pub const IDS_PER_TYPE: u64 = 500;

/// The type of a context key the workload uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContextType {
    String,
    /// A whole number (compared as a number by RAM, as a `Long` by Cedar).
    Integer,
    /// An RFC 3339 time in UTC.
    Date,
    Bool,
    /// An IPv4 address.
    Ip,
}

/// Every context key a workload request may carry, with its type. `app:Amount` is a custom key
/// (the registry has no numeric key), so RAM applies no registry type check to it.
pub const CONTEXT_KEYS: &[(&str, ContextType)] = &[
    ("acs:SourceIp", ContextType::Ip),
    ("acs:SecureTransport", ContextType::Bool),
    ("acs:MFAPresent", ContextType::Bool),
    ("acs:SourceVpc", ContextType::String),
    ("acs:CurrentTime", ContextType::Date),
    ("ecs:InstanceType", ContextType::String),
    ("app:Amount", ContextType::Integer),
];

/// The type of a workload context key, `None` for keys the workload never uses.
pub fn context_type(key: &str) -> Option<ContextType> {
    CONTEXT_KEYS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, kind)| *kind)
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkloadConfig {
    pub seed: u64,
    /// Statements in all, across `ceil(statements / STATEMENTS_PER_POLICY)` policies.
    pub statements: usize,
    pub requests: usize,
}

/// One request of a workload, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadRequest {
    pub request: Request,
    /// `ecs:<CanonicalName>`.
    pub action: String,
    /// The ARNs RAM checks, in order.
    pub arns: Vec<String>,
}

impl WorkloadRequest {
    /// The ARNs as string slices, as the evaluators take them.
    pub fn arn_refs(&self) -> Vec<&str> {
        self.arns.iter().map(String::as_str).collect()
    }
}

/// A generated policy set and requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// `(name, policy document JSON)` pairs, for [`crate::eval::PolicySet::parse`].
    pub policies: Vec<(String, String)>,
    pub requests: Vec<WorkloadRequest>,
}

impl Workload {
    /// Generates the policies and requests of a configuration against the embedded catalog.
    pub fn generate(config: &WorkloadConfig) -> Result<Workload, CatalogError> {
        let catalog = Catalog::embedded()?;
        Ok(Workload {
            policies: generate_policies(catalog, config.seed, config.statements),
            requests: generate_requests(catalog, config.seed, config.requests),
        })
    }

    /// The number of statements over all policies.
    pub fn statement_count(&self) -> usize {
        self.policies
            .iter()
            .map(|(_, text)| {
                serde_json::from_str::<Value>(text)
                    .ok()
                    .and_then(|document| document.get("Statement")?.as_array().map(Vec::len))
                    .unwrap_or(0)
            })
            .sum()
    }
}

/// A small deterministic generator (SplitMix64): the same numbers for a seed everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// An index into a slice of `len` items.
    pub fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One item of a non-empty slice (`None` for an empty one).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }
}

fn pick_str(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    rng.pick(items).copied().unwrap_or_default()
}

/// The id prefix of a resource type (`instance` → `i-`).
pub fn id_prefix(resource_type: &str) -> &'static str {
    match resource_type {
        "instance" => "i-",
        "disk" => "d-",
        "snapshot" => "s-",
        "securitygroup" => "sg-",
        "image" => "m-",
        "keypair" => "kp-",
        "vswitch" => "vsw-",
        "vpc" => "vpc-",
        "volume" => "v-",
        _ => "x-",
    }
}

/// The resource types statements name, weighted towards the common ones.
const RESOURCE_TYPES: &[&str] = &[
    "instance",
    "instance",
    "instance",
    "disk",
    "disk",
    "snapshot",
    "securitygroup",
    "securitygroup",
    "image",
    "keypair",
];

/// Wildcard action patterns statements use.
const ACTION_WILDCARDS: &[&str] = &[
    "ecs:Describe*",
    "ecs:Create*",
    "ecs:Delete*",
    "ecs:Modify*",
    "ecs:Start*",
    "ecs:Stop*",
    "ecs:*Instance*",
    "ecs:*Snapshot*",
    "ecs:*SecurityGroup*",
    "ecs:*Disk*",
    "ecs:*Image*",
    "ecs:List*",
];

const VPCS: u64 = 20;
const INSTANCE_TYPES: &[&str] = &[
    "ecs.g6.large",
    "ecs.g6.xlarge",
    "ecs.c6.large",
    "ecs.r6.2xlarge",
    "ecs.t5-lc1m1.small",
];

fn id(rng: &mut Rng, resource_type: &str) -> String {
    format!("{}{:05}", id_prefix(resource_type), rng.below(IDS_PER_TYPE))
}

fn generate_policies(catalog: &Catalog, seed: u64, statements: usize) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed ^ 0x5354_4154_454D_454E);
    let actions = ActionNames {
        all: catalog
            .actions()
            .iter()
            .map(Action::qualified_name)
            .collect(),
        resourceless: catalog
            .actions()
            .iter()
            .filter(|action| !action.has_resource_level_authorization())
            .map(Action::qualified_name)
            .collect(),
    };
    // About three broad statements per set whatever its size (mostly under a condition); the
    // rest are specific grants and guards, so that each size keeps a mix of allowed, implicitly
    // denied and explicitly denied requests.
    let broad_per_10k = (30_000 / statements.max(1)).min(2_500) as u64;
    let mut policies = Vec::new();
    let mut remaining = statements;
    while remaining > 0 {
        let count = remaining.min(STATEMENTS_PER_POLICY);
        remaining -= count;
        let body: Vec<Value> = (0..count)
            .map(|_| statement(&mut rng, &actions, broad_per_10k))
            .collect();
        let document = json!({"Version": "1", "Statement": body});
        policies.push((
            format!("policy-{:04}", policies.len()),
            document.to_string(),
        ));
    }
    policies
}

/// One of `actions`, in lower case one time in ten (RAM compares actions without letter case).
fn exact_action(rng: &mut Rng, actions: &[&str]) -> String {
    let name = rng
        .pick(actions)
        .copied()
        .unwrap_or("ecs:DescribeInstances");
    if rng.percent(10) {
        name.to_ascii_lowercase()
    } else {
        name.to_string()
    }
}

fn action_pattern(rng: &mut Rng, actions: &[&str]) -> String {
    match rng.below(100) {
        0..=59 => exact_action(rng, actions),
        60..=95 => pick_str(rng, ACTION_WILDCARDS).to_string(),
        _ => "ecs:*".to_string(),
    }
}

fn narrow_action(rng: &mut Rng, actions: &[&str]) -> String {
    if rng.percent(92) {
        exact_action(rng, actions)
    } else {
        pick_str(rng, ACTION_WILDCARDS).to_string()
    }
}

fn narrow_resource(rng: &mut Rng) -> String {
    scoped_resource(rng, 59, 89, false)
}

fn resource_pattern(rng: &mut Rng) -> String {
    let kind = pick_str(rng, RESOURCE_TYPES);
    let region = pick_str(rng, REGIONS);
    match rng.below(100) {
        0..=39 => format!("acs:ecs:{region}:{ACCOUNT}:{kind}/{}", id(rng, kind)),
        40..=59 => format!("acs:ecs:{region}:{ACCOUNT}:{kind}/*"),
        60..=69 => format!("acs:ecs:*:{ACCOUNT}:{kind}/*"),
        70..=79 => {
            // An id prefix: `i-001*` covers ten ids.
            let full = id(rng, kind);
            let cut = full.len().saturating_sub(1);
            format!(
                "acs:ecs:*:{ACCOUNT}:{kind}/{}*",
                full.get(..cut).unwrap_or("")
            )
        }
        80..=87 => format!("acs:ecs:*:{ACCOUNT}:*"),
        _ => "*".to_string(),
    }
}

fn condition(rng: &mut Rng, deny: bool) -> (String, String, Value) {
    let (operator, key, values) = match rng.below(if deny { 6 } else { 9 }) {
        // Deny-style guards first (0..6), allow-style requirements after.
        0 => (
            "NotIpAddress",
            "acs:SourceIp",
            json!(["10.0.0.0/8", "172.16.0.0/12"]),
        ),
        1 => (
            "Bool",
            "acs:SecureTransport",
            json!([rng.percent(80).to_string()]),
        ),
        2 => (
            "StringNotEquals",
            "acs:SourceVpc",
            json!([
                format!("vpc-{:03}", rng.below(VPCS)),
                format!("vpc-{:03}", rng.below(VPCS))
            ]),
        ),
        3 => (
            "DateGreaterThan",
            "acs:CurrentTime",
            json!([format!("2026-{:02}-01T00:00:00Z", 1 + rng.below(12))]),
        ),
        4 => ("NumericGreaterThan", "app:Amount", json!([rng.below(20)])),
        5 => (
            "StringLike",
            "ecs:InstanceType",
            json!([pick_str(rng, &["ecs.g6.*", "ecs.r6.*", "*xlarge"])]),
        ),
        6 => (
            "IpAddress",
            "acs:SourceIp",
            json!([format!("10.{}.0.0/16", rng.below(8)), "192.168.0.0/16"]),
        ),
        7 => (
            "StringEquals",
            "acs:SourceVpc",
            json!([format!("vpc-{:03}", rng.below(VPCS))]),
        ),
        _ => match rng.below(3) {
            0 => (
                "DateLessThan",
                "acs:CurrentTime",
                json!([format!("2027-{:02}-01T00:00:00Z", 1 + rng.below(12))]),
            ),
            1 => (
                "NumericLessThanEquals",
                "app:Amount",
                json!([5 + rng.below(15)]),
            ),
            _ => ("Bool", "acs:MFAPresent", json!([true])),
        },
    };
    (operator.to_string(), key.to_string(), values)
}

/// A `Deny` targets specific actions and resources (a guard on a production instance, a
/// freeze of one snapshot), as real deny statements do; broad denies would deny everything
/// at the larger sizes and leave nothing to measure but the deny path.
fn deny_action(rng: &mut Rng, actions: &[&str]) -> String {
    if rng.percent(85) {
        rng.pick(actions)
            .copied()
            .unwrap_or("ecs:DeleteInstance")
            .to_string()
    } else {
        pick_str(
            rng,
            &["ecs:Delete*", "ecs:Stop*", "ecs:Modify*", "ecs:Reboot*"],
        )
        .to_string()
    }
}

fn deny_resource(rng: &mut Rng) -> String {
    scoped_resource(rng, 74, 94, true)
}

/// An exact ARN (`below(100) <= exact`), an id-prefix wildcard (`<= prefix`; in every region
/// unless `prefix_keeps_region`), or every resource of a type in one region.
fn scoped_resource(rng: &mut Rng, exact: u64, prefix: u64, prefix_keeps_region: bool) -> String {
    let kind = pick_str(rng, RESOURCE_TYPES);
    let region = pick_str(rng, REGIONS);
    let full = id(rng, kind);
    let roll = rng.below(100);
    if roll <= exact {
        format!("acs:ecs:{region}:{ACCOUNT}:{kind}/{full}")
    } else if roll <= prefix {
        let cut = full.len().saturating_sub(1);
        let prefix_region = if prefix_keeps_region { region } else { "*" };
        format!(
            "acs:ecs:{prefix_region}:{ACCOUNT}:{kind}/{}*",
            full.get(..cut).unwrap_or("")
        )
    } else {
        format!("acs:ecs:{region}:{ACCOUNT}:{kind}/*")
    }
}

/// The catalog's actions, and those without resource-level authorization (checked on `*`).
struct ActionNames<'c> {
    all: Vec<&'c str>,
    resourceless: Vec<&'c str>,
}

fn statement(rng: &mut Rng, actions: &ActionNames<'_>, broad_per_10k: u64) -> Value {
    let deny = rng.percent(15);
    // A few broad statements per set (an admin or read-only grant, a guard over a whole
    // account), the rest specific.
    let broad = rng.below(10_000) < broad_per_10k;
    // A specific grant of an action without resource-level authorization on `*`.
    let resourceless = !deny && !broad && rng.percent(12);
    let not_action = if broad {
        rng.percent(if deny { 40 } else { 10 })
    } else {
        deny && rng.percent(10)
    };
    let count = 1 + rng.below(if deny { 2 } else { 3 });
    let patterns: Vec<String> = (0..count)
        .map(|_| {
            if not_action {
                pick_str(rng, ACTION_WILDCARDS).to_string()
            } else if resourceless {
                rng.pick(&actions.resourceless)
                    .copied()
                    .unwrap_or("ecs:DescribeRegions")
                    .to_string()
            } else if broad && deny {
                pick_str(
                    rng,
                    &["ecs:Delete*", "ecs:Stop*", "ecs:Modify*", "ecs:Reboot*"],
                )
                .to_string()
            } else if deny {
                deny_action(rng, &actions.all)
            } else if broad {
                action_pattern(rng, &actions.all)
            } else {
                narrow_action(rng, &actions.all)
            }
        })
        .collect();
    let resources: Vec<String> = if resourceless {
        vec!["*".to_string()]
    } else {
        (0..1 + rng.below(if deny { 2 } else { 3 }))
            .map(|_| {
                if broad && deny {
                    pick_str(
                        rng,
                        &[
                            "acs:ecs:*:1234567890123456:*",
                            "acs:ecs:*:1234567890123456:instance/*",
                            "acs:ecs:cn-beijing:1234567890123456:*",
                        ],
                    )
                    .to_string()
                } else if deny {
                    deny_resource(rng)
                } else if broad {
                    resource_pattern(rng)
                } else {
                    narrow_resource(rng)
                }
            })
            .collect()
    };
    let mut statement = serde_json::Map::new();
    statement.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
    statement.insert(
        if not_action { "NotAction" } else { "Action" }.into(),
        json!(patterns),
    );
    statement.insert("Resource".into(), json!(resources));
    // Half the denies carry a guard condition, most broad allows and a third of the specific
    // ones carry requirements.
    if rng.percent(if broad {
        75
    } else if deny {
        50
    } else {
        35
    }) {
        let mut block: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
        for _ in 0..1 + rng.below(2) {
            let (operator, key, values) = condition(rng, deny);
            block.entry(operator).or_default().insert(key, values);
        }
        statement.insert("Condition".into(), json!(block));
    }
    Value::Object(statement)
}

/// The resource type a variable's value names in a template (`…:instance/$instanceId` →
/// `instance`), if a literal `type/` precedes it.
fn type_before(segments: &[Segment], variable: &str) -> Option<String> {
    let position = segments
        .iter()
        .position(|segment| matches!(segment, Segment::Variable(name) if name == variable))?;
    let previous = segments.get(position.checked_sub(1)?)?;
    let Segment::Literal(text) = previous else {
        return None;
    };
    let head = text.strip_suffix('/')?;
    Some(head.rsplit(':').next().unwrap_or(head).to_string())
}

fn ids(rng: &mut Rng, resource_type: &str) -> Vec<String> {
    let count = match rng.below(10) {
        0..=6 => 1,
        7 | 8 => 2,
        _ => 3,
    };
    (0..count).map(|_| id(rng, resource_type)).collect()
}

/// Fills the parameters an action's ARN templates need (resource types first, so that ids get
/// the prefix of the type chosen).
fn fill_params(rng: &mut Rng, action: &Action, request: &mut Request) {
    for resource in action.resources() {
        let entry = resource.entry();
        if entry.optional && rng.percent(30) {
            continue;
        }
        let mut chosen_type: Option<String> = None;
        for binding in entry.bindings.values() {
            let Binding::ResourceType { param, values } = binding else {
                continue;
            };
            if let Some(ParamValue::One(given)) = request.param(param) {
                chosen_type = values.get(&given.to_ascii_lowercase()).cloned();
                continue;
            }
            let keys: Vec<&String> = values.keys().collect();
            if let Some(key) = rng.pick(&keys) {
                request
                    .params
                    .insert(param.clone(), ParamValue::One((*key).clone()));
                chosen_type = values.get(*key).cloned();
            }
        }
        let segments = resource.template().segments();
        for (variable, binding) in &entry.bindings {
            match binding {
                Binding::Region { param: Some(param) } => {
                    if request.param(param).is_none() {
                        request.params.insert(
                            param.clone(),
                            ParamValue::One(pick_str(rng, REGIONS).into()),
                        );
                    }
                }
                Binding::Param { params } => {
                    let Some(source) = params.first() else {
                        continue;
                    };
                    let first_name = source.name.replace(".N", ".1");
                    if request.param(&first_name).is_some() {
                        continue;
                    }
                    let kind = type_before(segments, variable)
                        .filter(|kind| !kind.is_empty())
                        .or_else(|| chosen_type.clone())
                        .unwrap_or_else(|| "instance".into());
                    let values = match source.arity {
                        Arity::Single => vec![id(rng, &kind)],
                        _ => ids(rng, &kind),
                    };
                    match source.arity {
                        Arity::Single => {
                            request
                                .params
                                .insert(source.name.clone(), ParamValue::One(values.concat()));
                        }
                        Arity::Repeat => {
                            for (index, value) in values.into_iter().enumerate() {
                                let name = source.name.replace(".N", &format!(".{}", index + 1));
                                request.params.insert(name, ParamValue::One(value));
                            }
                        }
                        Arity::JsonArray => {
                            request.params.insert(
                                source.name.clone(),
                                ParamValue::One(json!(values).to_string()),
                            );
                        }
                        Arity::CommaList => {
                            request
                                .params
                                .insert(source.name.clone(), ParamValue::One(values.join(",")));
                        }
                    }
                }
                Binding::Region { param: None }
                | Binding::Account
                | Binding::ResourceType { .. } => {}
            }
        }
    }
}

fn context(rng: &mut Rng) -> BTreeMap<String, Vec<String>> {
    let mut context = BTreeMap::new();
    let mut put = |key: &str, value: String| {
        context.insert(key.to_string(), vec![value]);
    };
    let ip = match rng.below(10) {
        0..=6 => format!(
            "10.{}.{}.{}",
            rng.below(10),
            rng.below(256),
            1 + rng.below(254)
        ),
        7 | 8 => format!("192.168.{}.{}", rng.below(256), 1 + rng.below(254)),
        _ => format!("203.0.113.{}", 1 + rng.below(254)),
    };
    put("acs:SourceIp", ip);
    if rng.percent(95) {
        put("acs:SecureTransport", rng.percent(85).to_string());
    }
    if rng.percent(90) {
        put("acs:MFAPresent", rng.percent(60).to_string());
    }
    if rng.percent(60) {
        put("acs:SourceVpc", format!("vpc-{:03}", rng.below(VPCS)));
    }
    put(
        "acs:CurrentTime",
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:00Z",
            2025 + rng.below(3),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60)
        ),
    );
    if rng.percent(50) {
        put("ecs:InstanceType", pick_str(rng, INSTANCE_TYPES).into());
    }
    if rng.percent(50) {
        put("app:Amount", rng.below(25).to_string());
    }
    context
}

fn generate_requests(catalog: &Catalog, seed: u64, count: usize) -> Vec<WorkloadRequest> {
    let mut rng = Rng::new(seed ^ 0x5245_5155_4553_5453);
    let mut requests = Vec::with_capacity(count);
    // Every catalog action resolves with the parameters `fill_params` gives; the bound on
    // attempts only guards against a catalog where that stops being true.
    let mut attempts = 0usize;
    while requests.len() < count && attempts < count.saturating_mul(20).max(1000) {
        attempts += 1;
        let Some(action) = rng.pick(catalog.actions()) else {
            break;
        };
        let mut request = Request::new(action.qualified_name());
        request.account = Some(
            if rng.percent(92) {
                ACCOUNT
            } else {
                OTHER_ACCOUNT
            }
            .into(),
        );
        let region = pick_str(&mut rng, REGIONS);
        if rng.percent(50) {
            request
                .params
                .insert("RegionId".into(), ParamValue::One(region.into()));
        } else {
            request.region = Some(region.into());
        }
        fill_params(&mut rng, action, &mut request);
        request.context = context(&mut rng);
        let Ok(resolution) = resolve_with(catalog, &request) else {
            continue;
        };
        let arns: Vec<String> = resolution.arns();
        if arns.is_empty() {
            continue;
        }
        requests.push(WorkloadRequest {
            action: resolution.action,
            arns,
            request,
        });
    }
    requests
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{reference, CompiledPolicySet, Decision, PolicySet};

    #[test]
    fn the_same_seed_gives_the_same_workload_and_another_seed_another() {
        let config = WorkloadConfig {
            seed: 1,
            statements: 25,
            requests: 200,
        };
        let first = Workload::generate(&config).unwrap();
        assert_eq!(first, Workload::generate(&config).unwrap());
        assert_eq!(first.policies.len(), 3);
        assert_eq!(first.statement_count(), 25);
        let other = Workload::generate(&WorkloadConfig { seed: 2, ..config }).unwrap();
        assert_ne!(first, other);
    }

    #[test]
    fn every_policy_parses_and_every_catalog_action_is_reachable() {
        let workload = Workload::generate(&WorkloadConfig {
            seed: 8,
            statements: 300,
            requests: 3000,
        })
        .unwrap();
        assert_eq!(workload.requests.len(), 3000);
        let set = PolicySet::parse(&workload.policies).unwrap();
        assert_eq!(set.statement_count(), 300);
        let catalog = Catalog::embedded().unwrap();
        for action in catalog.actions() {
            assert!(
                workload
                    .requests
                    .iter()
                    .any(|request| request.action == action.qualified_name()),
                "no request for {}",
                action.qualified_name()
            );
        }
        // No `?`: the Cedar translation relies on it.
        assert!(workload
            .policies
            .iter()
            .all(|(_, text)| !text.contains('?')));
    }

    #[test]
    fn the_mix_has_every_decision_and_both_evaluators_agree() {
        let workload = Workload::generate(&WorkloadConfig {
            seed: 8,
            statements: 3000,
            requests: 2000,
        })
        .unwrap();
        let set = PolicySet::parse(&workload.policies).unwrap();
        let compiled = CompiledPolicySet::new(set.clone());
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, request) in workload.requests.iter().enumerate() {
            let arns = request.arn_refs();
            let context = &request.request.context;
            let decision = compiled.decide(&request.action, &arns, context);
            // The reference evaluator is slow in debug builds: check it on one request in 40.
            if index % 40 == 0 {
                let expected = reference::evaluate(&set, &request.action, &arns, context);
                assert_eq!(decision, expected.decision);
            }
            *counts.entry(decision.name()).or_default() += 1;
        }
        for decision in [
            Decision::Allow,
            Decision::ExplicitDeny,
            Decision::ImplicitDeny,
        ] {
            assert!(
                counts.get(decision.name()).copied().unwrap_or(0) > 200,
                "{counts:?}"
            );
        }
    }
}
