//! Replays every stored fuzz input through the checks of its fuzz target: the crash inputs kept
//! under `tests/data/fuzz-regressions/<target>/` and the seed inputs under `fuzz/seeds/<target>/`.
//! The checks are the fuzz targets' own (`fuzz/checks.rs`), so a crash once found stays fixed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[allow(dead_code)]
#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn files(folder: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_stored_fuzz_input_passes_its_target_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut replayed = 0;
    for (target, check) in checks::TARGETS {
        let mut inputs = files(&root.join("tests/data/fuzz-regressions").join(target));
        let seeds = files(&root.join("fuzz/seeds").join(target));
        assert!(!seeds.is_empty(), "no seed inputs for `{target}`");
        inputs.extend(seeds);
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&bytes));
            assert!(outcome.is_ok(), "`{target}` fails on {}", input.display());
            replayed += 1;
        }
    }
    assert!(replayed >= checks::TARGETS.len());
}

#[test]
fn regression_folders_name_fuzz_targets() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            assert!(
                checks::TARGETS.iter().any(|(target, _)| *target == name),
                "`{name}` is not a fuzz target"
            );
        }
    }
}
