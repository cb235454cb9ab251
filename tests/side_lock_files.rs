//! The fuzz targets (`fuzz/`) and the Cedar benchmark (`benches/peers/`) are workspaces of their
//! own with their own `Cargo.lock`, built with `--locked`; a dependency added to the library must
//! reach their lock files too, or their scripts fail. This checks it without network or build:
//! the library's entry in each side lock file lists exactly the library's non-optional
//! dependencies (both depend on it with `default-features = false`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn toml_file(path: &str) -> toml::Table {
    let text = std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap();
    text.parse()
        .unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Names of the library's dependencies that every build has (not optional), on any target.
fn required_dependencies() -> BTreeSet<String> {
    let manifest = toml_file("Cargo.toml");
    let mut tables = vec![manifest["dependencies"].as_table().unwrap().clone()];
    if let Some(targets) = manifest.get("target").and_then(|t| t.as_table()) {
        for target in targets.values() {
            if let Some(dependencies) = target.get("dependencies").and_then(|d| d.as_table()) {
                tables.push(dependencies.clone());
            }
        }
    }
    tables
        .iter()
        .flat_map(|table| table.iter())
        .filter(|(_, spec)| spec.get("optional").and_then(|o| o.as_bool()) != Some(true))
        .map(|(name, _)| name.clone())
        .collect()
}

fn locked_dependencies(lock_path: &str) -> BTreeSet<String> {
    let lock = toml_file(lock_path);
    let package = lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .find(|package| package["name"].as_str() == Some("ram-policy"))
        .unwrap_or_else(|| panic!("{lock_path} has no `ram-policy` package"));
    package["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        // An entry is `name` or `name version` when two versions are locked.
        .map(|entry| {
            entry
                .as_str()
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn side_lock_files_list_the_librarys_dependencies() {
    let required = required_dependencies();
    for lock in ["benches/peers/Cargo.lock", "fuzz/Cargo.lock"] {
        let locked = locked_dependencies(lock);
        assert_eq!(
            locked,
            required,
            "{lock} is stale: run `cargo metadata --format-version 1 --manifest-path {}` once \
             (it rewrites the lock file) and commit it",
            lock.replace("Cargo.lock", "Cargo.toml")
        );
    }
}
