//! Today's authorization reference against the file it was imported from: re-running the import
//! script on `../shared/reference/current` must reproduce `src/catalog/authorization/*.json`
//! byte for byte (so a stale or hand-edited data file fails), and the data must agree with the
//! reference's own counts and with the API metadata. The reference lives outside the repository;
//! without it the comparison skips with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ram_policy::catalog::{api, authorization};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn reference_dir() -> Option<PathBuf> {
    common::shared_path("reference/current/ecs-ram-authorization.md")?;
    common::shared_path("reference/current")
}

#[test]
fn data_files_are_what_the_import_script_writes() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let out = std::env::temp_dir().join(format!("ram-policy-authz-import-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("python3")
        .arg(root.join("scripts/catalog/import_authorization.py"))
        .arg(&reference)
        .arg(&out)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "the import script failed");
    for (service, embedded) in authorization::EMBEDDED {
        let fresh = std::fs::read_to_string(out.join(format!("{service}.json"))).unwrap();
        assert!(
            fresh == *embedded,
            "src/catalog/authorization/{service}.json is stale: run scripts/catalog/import_authorization.py"
        );
    }
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn every_row_of_the_reference_is_imported() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let text = std::fs::read_to_string(reference.join("ecs-ram-authorization.md")).unwrap();
    let ecs = authorization::service("ecs").unwrap();
    // Each row opens with the action alone on a line, followed by its API link.
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let rows: Vec<&str> = lines
        .windows(2)
        .filter(|pair| pair[0].starts_with("ecs:") && pair[1].starts_with('['))
        .map(|pair| &pair[0]["ecs:".len()..])
        .collect();
    assert_eq!(rows.len(), 273);
    let imported: Vec<&str> = ecs
        .actions
        .iter()
        .map(|action| action.name.as_str())
        .collect();
    assert_eq!(imported, rows);
    for action in &ecs.actions {
        for key in &action.condition_keys {
            let documented = ecs.condition_key(key).is_some()
                || key == "ecs:tag"
                || key == "vpc:tag"
                || !key.contains(':');
            assert!(
                documented,
                "{}: key {key} is not in the Condition section",
                action.name
            );
        }
        for resource in &action.resources {
            for arn in &resource.arns {
                assert!(arn.starts_with("acs:"), "{}: {arn}", action.name);
            }
        }
    }
}

#[test]
fn the_reference_and_the_api_metadata_agree_on_names() {
    let ecs = authorization::service("ecs").unwrap();
    let apis = api::service("ecs").unwrap();
    let missing: Vec<&str> = ecs
        .actions
        .iter()
        .filter(|action| apis.api(&action.name).is_none())
        .map(|action| action.name.as_str())
        .collect();
    // The reference README names these five: authorized actions with no API in the metadata.
    assert_eq!(
        missing,
        [
            "DescribeLockedSnapshots",
            "DisableNetworkInterfaceQoS",
            "EnableNetworkInterfaceQoS",
            "LockSnapshot",
            "UnlockSnapshot"
        ]
    );
}
