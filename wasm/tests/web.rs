//! The exports, run in headless Chromium by `wasm-bindgen-test-runner` (see `wasm/test.sh`).
#![cfg(target_arch = "wasm32")]
#![forbid(unsafe_code)]

use ram_policy::facade;
use ram_policy_wasm::{catalog, resolve};
use serde_json::{json, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("every export returns JSON text")
}

/// A request for `action` with a value for every parameter its templates bind.
fn full_request(action: &Value) -> Value {
    let mut params = serde_json::Map::new();
    for resource in action["resources"].as_array().into_iter().flatten() {
        for binding in resource["bindings"]
            .as_object()
            .into_iter()
            .flat_map(|b| b.values())
        {
            for source in binding["params"].as_array().into_iter().flatten() {
                let name = source["name"].as_str().unwrap();
                match source["arity"].as_str().unwrap() {
                    "repeat" => {
                        params.insert(name.replacen(".N", ".1", 1), json!("v-1"));
                        params.insert(name.replacen(".N", ".2", 1), json!("v-2"));
                    }
                    "json_array" => {
                        params.insert(name.into(), json!("[\"v-1\",\"v-2\"]"));
                    }
                    "comma_list" => {
                        params.insert(name.into(), json!("v-1,v-2"));
                    }
                    _ => {
                        params.insert(name.into(), json!("v-1"));
                    }
                }
            }
        }
    }
    json!({"action": action["action"], "account": "1234567890123456", "region": "cn-hangzhou", "params": params})
}

#[wasm_bindgen_test]
fn catalog_is_the_facade_catalog() {
    let value = parse(&catalog());
    assert!(value.get("error").is_none(), "{value}");
    assert_eq!(value, facade::catalog().unwrap());
    assert!(!value["actions"].as_array().unwrap().is_empty());
}

#[wasm_bindgen_test]
fn resolve_every_catalog_action() {
    let catalog = parse(&catalog());
    for action in catalog["actions"].as_array().unwrap() {
        let request = full_request(action).to_string();
        let value = parse(&resolve(&request));
        assert_eq!(
            value,
            facade::to_json(facade::resolve(&request)),
            "{request}"
        );
        assert!(value.get("error").is_none(), "{request} -> {value}");
        assert_eq!(value["action"], action["action"]);
        for arn in value["resources"].as_array().unwrap() {
            let arn = arn.as_str().unwrap();
            assert!(arn == "*" || arn.starts_with("acs:"), "{arn}");
        }
    }
}

#[wasm_bindgen_test]
fn resolve_run_instances_security_groups() {
    let request = json!({
        "action": "ecs:RunInstances", "account": "1234567890123456", "region": "cn-hangzhou",
        "params": {"SecurityGroupIds.1": "sg-1", "SecurityGroupIds.2": "sg-2"}
    });
    let value = parse(&resolve(&request.to_string()));
    let arns: Vec<&str> = value["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        arns.contains(&"acs:ecs:cn-hangzhou:1234567890123456:securitygroup/sg-1"),
        "{value}"
    );
    assert!(
        arns.contains(&"acs:ecs:cn-hangzhou:1234567890123456:securitygroup/sg-2"),
        "{value}"
    );
}

#[wasm_bindgen_test]
fn resolve_errors_are_data_with_a_kind_and_message() {
    let cases = [
        ("", "malformed_json"),
        ("{", "malformed_json"),
        ("[]", "wrong_type"),
        ("{}", "missing_member"),
        (
            r#"{"action": "ecs:RunInstances", "bogus": 1}"#,
            "unknown_member",
        ),
        (
            r#"{"action": "ecs:RunInstancez", "account": "1", "region": "r"}"#,
            "unknown_action",
        ),
        (r#"{"action": "oss:GetObject"}"#, "unsupported_service"),
        (
            r#"{"action": "ecs:RunInstances", "region": "cn-hangzhou", "params": {"SecurityGroupId": "sg-1"}}"#,
            "missing_account",
        ),
    ];
    for (input, kind) in cases {
        let value = parse(&resolve(input));
        assert_eq!(value["error"]["kind"], kind, "{input} -> {value}");
        assert!(!value["error"]["message"].as_str().unwrap().is_empty());
        assert_eq!(value, facade::to_json(facade::resolve(input)), "{input}");
    }
}

#[wasm_bindgen_test]
fn hostile_inputs_give_errors_not_traps() {
    let deep = "[".repeat(100_000);
    assert_eq!(parse(&resolve(&deep))["error"]["kind"], "malformed_json");
    let long_name = format!(r#"{{"action": "ecs:{}"}}"#, "A".repeat(1 << 20));
    assert_eq!(
        parse(&resolve(&long_name))["error"]["kind"],
        "unknown_action"
    );
    let nul = "{\"action\": \"ecs:Run\u{0}Instances\"}";
    assert!(parse(&resolve(nul)).get("error").is_some());
}
