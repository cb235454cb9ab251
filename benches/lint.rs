//! Linting a realistic ~6 KB policy (every check, the embedded catalog already loaded).
//!
//! `cargo bench --bench lint`; the figure is recorded in `docs/PERFORMANCE.md`.

fn main() {
    divan::main();
}

#[path = "common/policy.rs"]
mod common_policy;
use common_policy::policy;

#[divan::bench]
fn lint_6kb_policy(bencher: divan::Bencher) {
    let text = policy();
    let _ = ram_policy::catalog::Catalog::embedded();
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| ram_policy::lint::lint(divan::black_box(&text)));
}

/// The same policy with each catalog edition named explicitly (`seed`: the 2020 table, 161
/// actions; `current`: today's reference and every ECS/VPC API, 758 actions).
#[divan::bench(args = ["seed", "current"])]
fn lint_6kb_policy_edition(bencher: divan::Bencher, edition: &str) {
    use ram_policy::catalog::{Catalog, Edition};
    let text = policy();
    let catalog = Edition::parse(edition)
        .ok()
        .and_then(|edition| Catalog::edition(edition).ok());
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench(|| ram_policy::lint::lint_with(divan::black_box(&text), catalog));
}

#[divan::bench]
fn size_and_findings() -> usize {
    // Keeps the policy honest: about 6 KB, and clean apart from suggestions.
    let text = policy();
    assert!((5_000..7_500).contains(&text.len()), "{}", text.len());
    ram_policy::lint::lint(&text).len()
}

#[divan::bench]
fn parse_only_6kb_policy(bencher: divan::Bencher) {
    let text = policy();
    bencher.bench(|| ram_policy::policy::PolicyDocument::parse(divan::black_box(&text)).is_ok());
}
