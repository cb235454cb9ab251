//! Side-by-side benchmark: ram-policy against Cedar on the same generated workload.
//!
//! For every policy-set size: generate the RAM policies (`ram_policy::workload`), translate
//! them into Cedar policies (`translate.rs`), check that ram-policy and Cedar reach the same
//! decision (allow, explicit deny, implicit deny) on **every** request, and only then time
//! both on the same requests in this one process: ram-policy's compiled evaluator, Cedar's
//! `Authorizer::is_authorized` (once per resolved ARN, answers combined as RAM does), and
//! ram-policy's plain reference evaluator as a third column. Prints a markdown table.
//!
//! What is timed is the decision only, for every engine: requests are resolved, Cedar requests,
//! contexts and the entity store are built, and policies are parsed and compiled before the
//! clock starts (those one-off costs are printed separately).
//!
//! Usage: `benches/peers/run.sh [--requests N] [--sizes 10,100,1000,10000] [--seed S]
//!         [--sample N]` where `--sample` caps the requests timed per size for the two
//! linear-scan engines (Cedar and the reference evaluator) at the larger sizes; the agreement
//! check always covers every request.
#![forbid(unsafe_code)]

mod translate;

use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicySet,
    Request as CedarRequest, RestrictedExpression,
};
use ram_policy::catalog::Catalog;
use ram_policy::eval::{reference, CompiledPolicySet, Decision, PolicySet as RamPolicySet};
use ram_policy::workload::{context_type, ContextType, Workload, WorkloadConfig};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hint::black_box;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Instant;

struct Options {
    requests: usize,
    sizes: Vec<usize>,
    seed: u64,
    sample: usize,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        requests: 100_000,
        sizes: vec![10, 100, 1_000, 10_000],
        seed: 8,
        sample: 10_000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        let number = |text: &str| {
            text.replace('_', "")
                .parse::<usize>()
                .map_err(|error| format!("`{flag} {text}`: {error}"))
        };
        match flag.as_str() {
            "--requests" => options.requests = number(&value)?,
            "--seed" => options.seed = number(&value)? as u64,
            "--sample" => options.sample = number(&value)?,
            "--sizes" => {
                options.sizes = value
                    .split(',')
                    .map(number)
                    .collect::<Result<Vec<_>, _>>()?
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(options)
}

fn uid(kind: &str, id: &str) -> Result<EntityUid, String> {
    let kind = EntityTypeName::from_str(kind).map_err(|error| error.to_string())?;
    Ok(EntityUid::from_type_name_and_id(kind, EntityId::new(id)))
}

/// A workload request as Cedar requests, one per resolved ARN.
struct CedarCase {
    requests: Vec<CedarRequest>,
}

fn cedar_context(context: &BTreeMap<String, Vec<String>>) -> Result<Context, String> {
    let mut pairs = Vec::new();
    for (key, values) in context {
        let [value] = values.as_slice() else {
            return Err(format!("`{key}`: one value per key translates"));
        };
        let expression = match context_type(key) {
            Some(ContextType::String) => RestrictedExpression::new_string(value.clone()),
            Some(ContextType::Bool) => RestrictedExpression::new_bool(value == "true"),
            Some(ContextType::Integer) => RestrictedExpression::new_long(
                value
                    .parse::<i64>()
                    .map_err(|error| format!("`{key}`: {error}"))?,
            ),
            Some(ContextType::Ip) => RestrictedExpression::new_ip(value),
            Some(ContextType::Date) => RestrictedExpression::new_datetime(value),
            None => return Err(format!("`{key}` is not a workload key")),
        };
        pairs.push((key.clone(), expression));
    }
    Context::from_pairs(pairs).map_err(|error| error.to_string())
}

fn cedar_cases(workload: &Workload) -> Result<(Vec<CedarCase>, Entities), String> {
    let principal = uid("User", "bench")?;
    let mut arns = BTreeSet::new();
    let mut cases = Vec::with_capacity(workload.requests.len());
    for request in &workload.requests {
        let action = uid("Action", &request.action)?;
        let context = cedar_context(&request.request.context)?;
        let mut requests = Vec::with_capacity(request.arns.len());
        for arn in &request.arns {
            arns.insert(arn.clone());
            requests.push(
                CedarRequest::new(
                    principal.clone(),
                    action.clone(),
                    uid("Arn", arn)?,
                    context.clone(),
                    None,
                )
                .map_err(|error| error.to_string())?,
            );
        }
        cases.push(CedarCase { requests });
    }
    let entities = arns
        .into_iter()
        .map(|arn| {
            let attributes = HashMap::from([(
                "arn".to_string(),
                RestrictedExpression::new_string(arn.clone()),
            )]);
            Entity::new(uid("Arn", &arn)?, attributes, HashSet::new())
                .map_err(|error| error.to_string())
        })
        .collect::<Result<Vec<_>, String>>()?;
    let entities = Entities::from_entities(entities, None).map_err(|error| error.to_string())?;
    Ok((cases, entities))
}

/// Cedar's answer for one request: forbid → explicit deny, permit → allow, neither → implicit
/// deny; per ARN, combined as RAM combines. Evaluation errors are returned, not hidden.
fn cedar_decide(
    authorizer: &Authorizer,
    policies: &PolicySet,
    entities: &Entities,
    case: &CedarCase,
) -> Result<Decision, String> {
    let mut decisions = Vec::with_capacity(case.requests.len());
    for request in &case.requests {
        let response = authorizer.is_authorized(request, policies, entities);
        if let Some(error) = response.diagnostics().errors().next() {
            return Err(error.to_string());
        }
        decisions.push(match response.decision() {
            cedar_policy::Decision::Allow => Decision::Allow,
            cedar_policy::Decision::Deny if response.diagnostics().reason().next().is_some() => {
                Decision::ExplicitDeny
            }
            cedar_policy::Decision::Deny => Decision::ImplicitDeny,
        });
    }
    Ok(Decision::combine(decisions))
}

/// Per-request times in nanoseconds.
struct Timing {
    samples: Vec<u64>,
}

impl Timing {
    fn new(capacity: usize) -> Self {
        Timing {
            samples: Vec::with_capacity(capacity),
        }
    }

    fn measure<T>(&mut self, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = black_box(work());
        self.samples
            .push(u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX));
        result
    }

    /// The total over the first `count` requests, in milliseconds.
    fn total_ms(&self, count: usize) -> f64 {
        self.samples.iter().take(count).sum::<u64>() as f64 / 1e6
    }

    fn quantiles(&self) -> (u64, u64) {
        let mut sorted = self.samples.clone();
        sorted.sort_unstable();
        let at = |q: f64| {
            let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
            sorted.get(index).copied().unwrap_or(0)
        };
        (at(0.5), at(0.99))
    }
}

struct Row {
    statements: usize,
    cedar_policies: usize,
    decisions: BTreeMap<&'static str, usize>,
    compiled: Timing,
    cedar: Timing,
    reference: Timing,
    compile_ms: f64,
    cedar_parse_ms: f64,
}

fn run_size(options: &Options, statements: usize, catalog: &Catalog) -> Result<Row, String> {
    let workload = Workload::generate(&WorkloadConfig {
        seed: options.seed,
        statements,
        requests: options.requests,
    })
    .map_err(|error| error.to_string())?;
    let started = Instant::now();
    let set = RamPolicySet::parse(&workload.policies).map_err(|error| error.to_string())?;
    let compiled = CompiledPolicySet::new(set.clone());
    let compile_ms = started.elapsed().as_secs_f64() * 1e3;
    let cedar_text = translate::translate(catalog, &workload.policies)?;
    let started = Instant::now();
    let cedar_policies = PolicySet::from_str(&cedar_text).map_err(|error| error.to_string())?;
    let cedar_parse_ms = started.elapsed().as_secs_f64() * 1e3;
    let (cases, entities) = cedar_cases(&workload)?;
    let authorizer = Authorizer::new();

    // 1. Agreement on every request before any timing.
    let mut decisions: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut disagreements = 0usize;
    for (request, case) in workload.requests.iter().zip(&cases) {
        let arns = request.arn_refs();
        let context = &request.request.context;
        let ours = compiled.decide(&request.action, &arns, context);
        let theirs = cedar_decide(&authorizer, &cedar_policies, &entities, case)
            .map_err(|error| format!("Cedar failed on {request:?}: {error}"))?;
        *decisions.entry(ours.name()).or_default() += 1;
        if ours != theirs {
            disagreements += 1;
            if disagreements <= 5 {
                let evaluation = reference::evaluate(&set, &request.action, &arns, context);
                eprintln!(
                    "DISAGREEMENT at {statements} statements: ram-policy {} vs Cedar {}\n  action {}\n  arns {:?}\n  context {:?}\n  ram-policy per ARN: {:?}",
                    ours.name(),
                    theirs.name(),
                    request.action,
                    arns,
                    context,
                    evaluation.resources.iter().collect::<Vec<_>>()
                );
            }
        }
    }
    // The reference evaluator agrees with the compiled one on the sample it is timed on.
    let sample = options.sample.min(workload.requests.len());
    let linear_count = if statements >= 10_000 {
        sample
    } else {
        workload.requests.len()
    };
    for request in workload.requests.iter().take(linear_count) {
        let arns = request.arn_refs();
        let context = &request.request.context;
        let expected = reference::evaluate(&set, &request.action, &arns, context).decision;
        if expected != compiled.decide(&request.action, &arns, context) {
            disagreements += 1;
            eprintln!("DISAGREEMENT reference vs compiled: {request:?}");
        }
    }
    if disagreements > 0 {
        return Err(format!(
            "{disagreements} disagreements at {statements} statements: no timing"
        ));
    }

    // 2. Timing, same requests, same process.
    let mut compiled_timing = Timing::new(workload.requests.len());
    for request in &workload.requests {
        let arns = request.arn_refs();
        compiled_timing
            .measure(|| compiled.decide(&request.action, &arns, &request.request.context));
    }
    let mut cedar_timing = Timing::new(linear_count);
    for case in cases.iter().take(linear_count) {
        let _ =
            cedar_timing.measure(|| cedar_decide(&authorizer, &cedar_policies, &entities, case));
    }
    let mut reference_timing = Timing::new(linear_count);
    for request in workload.requests.iter().take(linear_count) {
        let arns = request.arn_refs();
        reference_timing.measure(|| {
            reference::evaluate(&set, &request.action, &arns, &request.request.context).decision
        });
    }
    Ok(Row {
        statements,
        cedar_policies: cedar_policies.policies().count(),
        decisions,
        compiled: compiled_timing,
        cedar: cedar_timing,
        reference: reference_timing,
        compile_ms,
        cedar_parse_ms,
    })
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let catalog = match Catalog::embedded() {
        Ok(catalog) => catalog,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let mut rows = Vec::new();
    for &statements in &options.sizes {
        let started = Instant::now();
        match run_size(&options, statements, catalog) {
            Ok(row) => {
                eprintln!(
                    "{statements} statements: agreed on all {} requests; done in {:.1} s",
                    options.requests,
                    started.elapsed().as_secs_f64()
                );
                rows.push(row);
            }
            Err(error) => {
                eprintln!("error: {error}");
                return ExitCode::from(1);
            }
        }
    }
    print_report(&options, &rows);
    ExitCode::SUCCESS
}

fn print_report(options: &Options, rows: &[Row]) {
    println!(
        "Workload: seed {}, {} requests; every decision agreed between ram-policy and Cedar.\n",
        options.seed, options.requests
    );
    println!("| statements | Cedar policies | requests timed (ram-policy / Cedar, reference) | ram-policy compiled median / p99 (ns) | Cedar median / p99 (ns) | Cedar ÷ ram-policy (median / p99) | reference median / p99 (ns) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let (cm, cp) = row.compiled.quantiles();
        let (dm, dp) = row.cedar.quantiles();
        let (rm, rp) = row.reference.quantiles();
        println!(
            "| {} | {} | {} / {} | {} / {} | {} / {} | {:.1}× / {:.1}× | {} / {} |",
            row.statements,
            row.cedar_policies,
            row.compiled.samples.len(),
            row.cedar.samples.len(),
            cm,
            cp,
            dm,
            dp,
            dm as f64 / cm.max(1) as f64,
            dp as f64 / cp.max(1) as f64,
            rm,
            rp
        );
    }
    println!("\nDecisions per size (allow / explicit deny / implicit deny), one-off costs:\n");
    println!("| statements | Allow | ExplicitDeny | ImplicitDeny | ram-policy parse + compile (ms) | Cedar parse (ms) |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        let count = |name: &str| row.decisions.get(name).copied().unwrap_or(0);
        println!(
            "| {} | {} | {} | {} | {:.1} | {:.1} |",
            row.statements,
            count("Allow"),
            count("ExplicitDeny"),
            count("ImplicitDeny"),
            row.compile_ms,
            row.cedar_parse_ms
        );
    }
    println!(
        "\nTotal time for the first N requests (ms), to show growth with the number of requests:\n"
    );
    println!("| statements | engine | 1,000 | 10,000 | 100,000 |");
    println!("|---:|---|---:|---:|---:|");
    for row in rows {
        for (name, timing) in [
            ("ram-policy compiled", &row.compiled),
            ("Cedar", &row.cedar),
            ("reference", &row.reference),
        ] {
            let cell = |count: usize| {
                if timing.samples.len() >= count {
                    format!("{:.1}", timing.total_ms(count))
                } else {
                    "–".to_string()
                }
            };
            println!(
                "| {} | {name} | {} | {} | {} |",
                row.statements,
                cell(1_000),
                cell(10_000),
                cell(100_000)
            );
        }
    }
}
