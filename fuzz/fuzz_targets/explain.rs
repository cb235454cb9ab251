//! Long ARNs and ActionTrail events through `explain` (see `checks::check_explain`).
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_explain(data));
