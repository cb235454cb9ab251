//! Invariants of ARNs and resolution, checked on random input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use ram_policy::catalog::Catalog;
use ram_policy::resolve;
use ram_policy::Arn;
use ram_policy::{ParamValue, Request};

fn field() -> impl Strategy<Value = String> {
    "[a-z0-9*?-]{1,12}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Printing a parsed ARN gives the text back, and parsing a printed ARN gives the ARN back.
    #[test]
    fn arn_parse_print_round_trips(
        service in field(),
        region in prop_oneof![Just(String::new()), field()],
        account in "[0-9*]{1,16}",
        resource in "[a-zA-Z0-9/:*?._-]{1,30}",
    ) {
        let arn = Arn::new(&service, &region, &account, &resource).unwrap();
        let text = arn.to_string();
        let parsed: Arn = text.parse().unwrap();
        prop_assert_eq!(&parsed, &arn);
        prop_assert_eq!(parsed.to_string(), text);
    }

    /// Any text either parses as an ARN that prints back identically, or is an error.
    #[test]
    fn arn_parse_never_panics(text in prop_oneof![
        ".{0,60}",
        // Mostly ARN-shaped, so that the round trip is checked, not only the refusal.
        "acs:[a-z*]{0,6}:[a-z0-9*-]{0,12}:[0-9*]{0,16}:[^\n]{0,30}",
    ]) {
        if let Ok(arn) = text.parse::<Arn>() {
            prop_assert_eq!(arn.to_string(), text);
        }
    }
}

fn any_action() -> impl Strategy<Value = String> {
    let names: Vec<String> = Catalog::embedded()
        .unwrap()
        .actions()
        .iter()
        .map(|action| action.qualified_name().to_string())
        .collect();
    prop_oneof![proptest::sample::select(names), "[a-zA-Z:]{0,20}",]
}

fn any_param_value() -> impl Strategy<Value = ParamValue> {
    let text = prop_oneof![
        "[a-z0-9-]{0,8}",
        Just("[\"i-1\",\"i-2\"]".to_string()),
        Just("[1, {}]".to_string()),
        Just("[".to_string()),
        Just("a,,b".to_string()),
        Just("instance".to_string()),
        Just("disk".to_string()),
    ];
    prop_oneof![
        text.clone().prop_map(ParamValue::One),
        proptest::collection::vec(text, 0..4).prop_map(ParamValue::Many),
    ]
}

fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "RegionId",
            "InstanceId",
            "InstanceIds",
            "DiskId",
            "ImageId",
            "SecurityGroupId",
            "SecurityGroupIds.1",
            "SecurityGroupIds.2",
            "SecurityGroupIds.0",
            "SecurityGroupIds.x",
            "DataDisk.1.SnapshotId",
            "KeyPairName",
            "KeyPairNames",
            "SnapshotId",
            "ResourceType",
            "ResourceId",
            "DestinationRegionId",
            "VSwitchId",
            "DiskIds",
            "SnapshotIds",
        ])
        .prop_map(String::from),
        "[A-Za-z.0-9]{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Resolution returns ARNs or an error for any request; it never panics, and every ARN it
    /// returns is `*` or parses as an ARN.
    #[test]
    fn resolution_never_panics(
        action in any_action(),
        account in proptest::option::of("[0-9]{0,16}"),
        region in proptest::option::of("[a-z-]{0,12}"),
        params in proptest::collection::btree_map(param_name(), any_param_value(), 0..8),
    ) {
        let request = Request { action, account, region, params, ..Request::default() };
        if let Ok(resolution) = resolve(&request) {
            for arn in resolution.arns() {
                prop_assert!(arn == "*" || arn.parse::<Arn>().is_ok(), "bad ARN {arn}");
            }
        }
    }
}
