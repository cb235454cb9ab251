//! The API metadata layer against the reference it was imported from: re-running the import
//! script on `../shared/reference/current` must reproduce `src/catalog/api/*.json` byte for byte
//! (so a stale or hand-edited data file fails), and every API of the reference must be known.
//! The reference lives outside the repository; without it these tests skip with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ram_policy::catalog::api;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn reference_dir() -> Option<PathBuf> {
    common::shared_path("reference/current/openapi")?;
    common::shared_path("reference/current")
}

#[test]
fn data_files_are_what_the_import_script_writes() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let out = std::env::temp_dir().join(format!("ram-policy-api-import-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("python3")
        .arg(root.join("scripts/catalog/import_api_metadata.py"))
        .arg(&reference)
        .arg(&out)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "the import script failed");
    for (service, embedded) in api::EMBEDDED {
        let fresh = std::fs::read_to_string(out.join(format!("{service}.json"))).unwrap();
        assert!(
            fresh == *embedded,
            "src/catalog/api/{service}.json is stale: run scripts/catalog/import_api_metadata.py"
        );
    }
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn every_reference_api_and_parameter_is_known() {
    let Some(reference) = reference_dir() else {
        return;
    };
    for (service, file) in [
        ("ecs", "ecs-2014-05-26-api-docs.json"),
        ("vpc", "vpc-2016-04-28-api-docs.json"),
    ] {
        let text = std::fs::read_to_string(reference.join("openapi").join(file)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let apis = value["apis"].as_object().unwrap();
        let known = api::service(service).unwrap();
        assert_eq!(known.apis().len(), apis.len(), "{service}");
        for (name, body) in apis {
            let api = known
                .api(name)
                .unwrap_or_else(|| panic!("{service}:{name} missing"));
            for param in body["parameters"].as_array().unwrap() {
                let param = param["name"].as_str().unwrap();
                assert!(api.param(param).is_some(), "{service}:{name} lacks {param}");
            }
        }
    }
}
