use super::*;

const ACCOUNT: &str = "1234567890123456";

fn request(action: &str, params: &[(&str, &str)]) -> Request {
    let mut request = Request::new(action);
    request.account = Some(ACCOUNT.into());
    request.region = Some("cn-hangzhou".into());
    for (name, value) in params {
        request.params.insert(
            (*name).to_string(),
            crate::request::ParamValue::One((*value).to_string()),
        );
    }
    request
}

fn generate(requests: &[Request], options: Options) -> Generation {
    let mut generator = Generator::new(options).unwrap();
    for (index, request) in requests.iter().enumerate() {
        generator.add_request(request, index + 1, index + 1);
    }
    generator.finish()
}

#[test]
fn exact_policy_groups_actions_by_resource_set() {
    let requests = vec![
        request("ecs:StopInstance", &[("InstanceId", "i-2")]),
        request("ecs:StartInstance", &[("InstanceId", "i-1")]),
        request("ecs:StartInstance", &[("InstanceId", "i-2")]),
        request("ecs:StopInstance", &[("InstanceId", "i-1")]),
        request("ecs:DescribeRegions", &[]),
    ];
    let generation = generate(&requests, Options::default());
    let output = generation.result.unwrap();
    let expected = r#"{
  "Version": "1",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ecs:DescribeRegions"
      ],
      "Resource": [
        "*"
      ]
    },
    {
      "Effect": "Allow",
      "Action": [
        "ecs:StartInstance",
        "ecs:StopInstance"
      ],
      "Resource": [
        "acs:ecs:cn-hangzhou:1234567890123456:instance/i-1",
        "acs:ecs:cn-hangzhou:1234567890123456:instance/i-2"
      ]
    }
  ]
}
"#;
    assert_eq!(output.texts[0], expected);
    let summary = generation.summary;
    assert_eq!(
        (summary.read, summary.used, summary.distinct_calls),
        (5, 5, 5)
    );
    assert_eq!(
        (summary.actions, summary.arns, summary.statements),
        (3, 3, 2)
    );
    let compact: String =
        serde_json::to_string(&serde_json::from_str::<serde_json::Value>(expected).unwrap())
            .unwrap();
    // serde_json's map orders keys; the count is what matters.
    assert_eq!(summary.sizes, vec![compact.chars().count()]);
    assert_eq!(summary.sizes[0], layout::policy_size(&output.policies[0]));
}

#[test]
fn skips_are_counted_by_reason() {
    let requests = vec![
        request("vpc:DescribeVpcs", &[]),
        request("ecs:DescribeNothing", &[]),
        request("ecs:StartInstance", &[]),
        request("ecs:StartInstance", &[("InstanceId", "i-bp1****")]),
        request("ecs:StartInstance", &[("InstanceId", "i-1")]),
    ];
    let generation = generate(&requests, Options::default());
    let summary = generation.summary;
    assert_eq!(summary.used, 1);
    assert_eq!(summary.skipped(), 4);
    assert_eq!(summary.skipped["not_ecs"].by["vpc"], 1);
    assert_eq!(
        summary.skipped["not_in_catalog"].by["ecs:DescribeNothing"],
        1
    );
    assert_eq!(summary.skipped["unresolvable"].count, 1);
    assert_eq!(summary.skipped["masked"].records[0].record, 4);
    let text = summary.to_text();
    assert!(
        text.contains("skipped 1 calls not to ECS: vpc (1)"),
        "{text}"
    );
}

#[test]
fn no_calls_is_an_error() {
    let generation = generate(&[request("vpc:DescribeVpcs", &[])], Options::default());
    assert!(matches!(
        generation.result,
        Err(GenerateError::NoCalls {
            read: 1,
            skipped: 1,
            ..
        })
    ));
}

#[test]
fn generalize_ids_and_regions() {
    let requests = vec![
        request("ecs:StartInstance", &[("InstanceId", "i-1")]),
        request(
            "ecs:StartInstance",
            &[("InstanceId", "i-2"), ("RegionId", "cn-beijing")],
        ),
        request("ecs:StartInstance", &[("InstanceId", "i-3")]),
    ];
    let options = Options {
        generalize: Generalize::Ids,
        ..Options::default()
    };
    let generation = generate(&requests, options);
    let policy = &generation.result.unwrap().policies[0];
    assert_eq!(
        policy[0].resources,
        [
            "acs:ecs:cn-beijing:1234567890123456:instance/*",
            "acs:ecs:cn-hangzhou:1234567890123456:instance/*"
        ]
    );
    let widenings = &generation.summary.widenings;
    assert_eq!(widenings.len(), 2);
    assert_eq!(widenings[0].replaces, 2, "the largest group first");
    assert_eq!(widenings[0].reason, "generalize");
    let options = Options {
        generalize: Generalize::Regions,
        ..Options::default()
    };
    let generation = generate(&requests, options);
    let policy = &generation.result.unwrap().policies[0];
    assert_eq!(
        policy[0].resources,
        ["acs:ecs:*:1234567890123456:instance/*"]
    );
    assert_eq!(generation.summary.widenings.len(), 3);
}

#[test]
fn size_pressure_widens_then_splits() {
    let requests: Vec<Request> = (0..200)
        .map(|n| request("ecs:StartInstance", &[("InstanceId", &format!("i-{n:05}"))]))
        .chain((0..50).map(|n| {
            request(
                "ecs:AttachDisk",
                &[("InstanceId", "i-00001"), ("DiskId", &format!("d-{n:05}"))],
            )
        }))
        .collect();
    let generation = generate(&requests, Options::default());
    let output = generation.result.unwrap();
    assert_eq!(output.policies.len(), 1);
    assert!(generation.summary.sizes[0] <= DEFAULT_MAX_SIZE);
    assert!(generation
        .summary
        .widenings
        .iter()
        .all(|w| w.reason == "size"));
    assert!(!generation.summary.widenings.is_empty());
    // Too small for one policy even fully widened.
    let options = Options {
        max_size: 150,
        ..Options::default()
    };
    let generation = generate(&requests, options.clone());
    match generation.result {
        Err(GenerateError::TooLarge {
            policies,
            limit: 150,
            ..
        }) => assert!(policies >= 2),
        other => panic!("{other:?}"),
    }
    let generation = generate(
        &requests,
        Options {
            split: true,
            ..options
        },
    );
    let output = generation.result.unwrap();
    assert!(output.policies.len() >= 2);
    for policy in &output.policies {
        assert!(layout::policy_size(policy) <= 150);
    }
    // Smaller than one action on one resource.
    let generation = generate(
        &requests,
        Options {
            max_size: 60,
            split: true,
            ..Options::default()
        },
    );
    assert!(
        matches!(generation.result, Err(GenerateError::CannotFit { .. })),
        "{:?}",
        generation.result
    );
}

#[test]
fn source_ip_conditions() {
    let mut one = request("ecs:StartInstance", &[("InstanceId", "i-1")]);
    one.context
        .insert("acs:SourceIp".into(), vec!["203.0.113.9".into()]);
    let mut two = request("ecs:StartInstance", &[("InstanceId", "i-1")]);
    two.context
        .insert("acs:SourceIp".into(), vec!["198.51.100.20".into()]);
    let three = request("ecs:StopInstance", &[("InstanceId", "i-1")]);
    let options = Options {
        conditions: vec!["acs:sourceip".into()],
        ..Options::default()
    };
    let generation = generate(&[one, two, three], options);
    let output = generation.result.unwrap();
    let start = &output.policies[0][0];
    assert_eq!(start.actions, ["ecs:StartInstance"]);
    assert_eq!(
        start.condition["IpAddress"]["acs:SourceIp"],
        ["198.51.100.20", "203.0.113.9"]
    );
    assert!(output.policies[0][1].condition.is_empty());
    let report = &generation.summary.conditions[0];
    assert_eq!(report.omitted.len(), 1);
    assert!(report.omitted[0].contains("ecs:StopInstance"));
    // A private address in `acs:SourceIp` would not lint clean: that action gets no condition.
    let mut private = request("ecs:RebootInstance", &[("InstanceId", "i-1")]);
    private
        .context
        .insert("acs:SourceIp".into(), vec!["10.10.1.2".into()]);
    let generation = generate(
        &[private],
        Options {
            conditions: vec!["acs:SourceIp".into()],
            ..Options::default()
        },
    );
    let output = generation.result.unwrap();
    assert!(output.policies[0][0].condition.is_empty());
    let report = &generation.summary.conditions[0];
    assert!(report.actions.is_empty());
    assert!(
        report.omitted[0].contains("private address `10.10.1.2`"),
        "{:?}",
        report.omitted
    );
    assert!(generation.summary.lint.is_empty());
    assert!(matches!(
        Generator::new(Options {
            conditions: vec!["acs:CurrentTime".into()],
            ..Options::default()
        }),
        Err(GenerateError::UnsupportedConditionKey { .. })
    ));
    assert!(matches!(
        Generator::new(Options {
            conditions: vec!["acs:SourceIpp".into()],
            ..Options::default()
        }),
        Err(GenerateError::UnsupportedConditionKey { .. })
    ));
}

#[test]
fn calls_with_invalid_regions_or_accounts_are_skipped_with_the_reason() {
    let mut bad_region = request("ecs:StopInstance", &[("InstanceId", "i-1")]);
    bad_region.region = Some("zz-nowhere".into());
    let mut bad_account = request("ecs:StopInstance", &[("InstanceId", "i-2")]);
    bad_account.account = Some("alice".into());
    // Found by fuzzing: a `:` in a value shifts the ARN's fields (`…:12::instance/i-4`).
    let mut colon_account = request("ecs:StopInstance", &[("InstanceId", "i-4")]);
    colon_account.account = Some("12:".into());
    let colon_id = request("ecs:StopInstance", &[("InstanceId", "i-5:x")]);
    let good = request("ecs:StopInstance", &[("InstanceId", "i-3")]);
    let generation = generate(
        &[bad_region, bad_account, colon_account, colon_id, good],
        Options::default(),
    );
    let skipped = &generation.summary.skipped["invalid_arn"];
    assert_eq!(skipped.count, 4);
    assert!(skipped.records.iter().any(|record| record
        .message
        .as_deref()
        .is_some_and(|message| message.contains("`i-5:x` (from `InstanceId`) contains `:`"))));
    let text = generation.result.unwrap().texts.join("\n");
    assert!(
        text.contains("instance/i-3") && !text.contains("zz-nowhere") && !text.contains("alice")
    );
    assert!(!text.contains("i-4") && !text.contains("i-5"));
}

#[test]
fn the_input_kind_is_detected_from_the_first_record() {
    let request = r#"{"action": "ecs:StartInstance", "account": "1234567890123456", "region": "cn-hangzhou", "params": {"InstanceId": "i-1"}}"#;
    let event = r#"{"eventId": "e-1", "eventName": "StartInstance", "eventType": "ApiCall"}"#;
    for (text, kind) in [
        (request.to_string(), Some(InputKind::Requests)),
        (format!("[{request}]"), Some(InputKind::Requests)),
        (format!("{request}\n{request}\n"), Some(InputKind::Requests)),
        (event.to_string(), Some(InputKind::ActionTrail)),
        (format!("{event}\n{event}"), Some(InputKind::ActionTrail)),
        (
            format!(r#"{{"Events": [{event}], "NextToken": "x"}}"#),
            Some(InputKind::ActionTrail),
        ),
        ("[]".to_string(), None),
        (r#"{"hello": 1}"#.to_string(), None),
        ("not json".to_string(), None),
    ] {
        assert_eq!(InputKind::detect(&text), kind, "{text}");
    }
    let value = crate::facade::generate(request, r#"{"input": "auto"}"#).unwrap();
    assert_eq!(value["detected_input"], "requests");
    assert!(value["summary"]["text"]
        .as_str()
        .unwrap()
        .starts_with("generate: 1 records read, 1 calls used"));
    let error = crate::facade::generate("{}", r#"{"input": "auto"}"#).unwrap_err();
    assert!(
        error.to_string().contains("choose the input kind"),
        "{error}"
    );
}
