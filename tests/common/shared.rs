//! Helpers shared by the integration tests (`tests/common`) and, through a `#[path]` module in
//! `src/lib.rs` compiled only for tests, the library's unit tests:
//! the one place that decides what a test does when `../shared/` is missing.
//!
//! `../shared/` (beside the repository) holds the seed, today's reference and the published
//! samples; it is not part of the repository. A test that needs it asks [`shared_path`]:
//! - present: the path;
//! - absent: `None`, and the test skips — saying so on stderr, and appending its name to the file
//!   named by `RAM_POLICY_SKIP_LOG` (how `scripts/test` counts skipped tests apart from passed);
//! - absent with `RAM_POLICY_REQUIRE_SHARED=1` (set by CI): the test fails, so a missing folder
//!   cannot pass for a green run.
#![allow(dead_code, clippy::panic)]

use std::io::Write;
use std::path::PathBuf;

/// `../shared/<relative>` when it exists; otherwise `None` after recording the skip (or a panic
/// when `RAM_POLICY_REQUIRE_SHARED=1`).
pub fn shared_path(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    let reason = format!("{} is absent (../shared/ is missing)", path.display());
    if std::env::var("RAM_POLICY_REQUIRE_SHARED").is_ok_and(|value| value == "1") {
        panic!("{reason}, and RAM_POLICY_REQUIRE_SHARED=1 makes that a failure");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_string();
    eprintln!("skipping {test}: {reason}");
    if let Some(log) = std::env::var_os("RAM_POLICY_SKIP_LOG") {
        // The log is a convenience for the summary; failing to write it must not fail the test.
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(file, "{} {test}", env!("CARGO_CRATE_NAME"));
        }
    }
    None
}

/// The text of a sample from `../shared/reference/samples/`, or `None` when the folder is absent
/// (see [`shared_path`]).
pub fn shared_sample(name: &str) -> Option<String> {
    let path = shared_path(&format!("reference/samples/{name}"))?;
    std::fs::read_to_string(&path)
        .map_err(|error| format!("{}: {error}", path.display()))
        .map_or_else(|error| panic!("{error}"), Some)
}
