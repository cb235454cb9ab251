//! Arbitrary event or request streams through `generate` (see `checks::check_generate`).
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_generate(data));
