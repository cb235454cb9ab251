//! Arbitrary bytes as a policy document: JSON, document model, problems, policy set, evaluation.
//! After the lint engine lands, `checks::check_parse_lint` also runs every lint rule on the document.
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_parse_lint(data));
