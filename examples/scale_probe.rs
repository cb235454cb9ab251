//! Times the compiled evaluator alone on the Cedar-comparison workload, for a quick look at how
//! it scales: `cargo run --release --features workload --example scale_probe -- 10000 5000`.
use ram_policy::eval::{CompiledPolicySet, PolicySet};
use ram_policy::workload::{Workload, WorkloadConfig};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let statements: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let requests: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let Ok(workload) = Workload::generate(&WorkloadConfig {
        seed: 8,
        statements,
        requests,
    }) else {
        return;
    };
    let Ok(set) = PolicySet::parse(&workload.policies) else {
        return;
    };
    let start = Instant::now();
    let compiled = CompiledPolicySet::new(set);
    println!("compile: {:?}", start.elapsed());
    let mut times = Vec::with_capacity(requests);
    for request in &workload.requests {
        let arns = request.arn_refs();
        let start = Instant::now();
        std::hint::black_box(compiled.decide(&request.action, &arns, &request.request.context));
        times.push(start.elapsed().as_nanos());
    }
    times.sort_unstable();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q) as usize)
            .copied()
            .unwrap_or(0)
    };
    println!(
        "{statements} statements, {requests} requests: median {} ns, p99 {} ns, max {} ns",
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
