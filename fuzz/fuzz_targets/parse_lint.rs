//! Arbitrary bytes as a policy document: JSON, document model, problems, policy set, evaluation.
//! `checks::check_parse_lint` also runs every lint rule on the document and applies its fixes.
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_parse_lint(data));
