//! Arbitrary requests (JSON text or structured from the catalog's parameter names) → resolution.
#![no_main]

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_resolve(data));
