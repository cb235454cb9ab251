use super::inputs::{run, InputKind, Options};
use super::*;
use crate::eval::Decision;

const ACCOUNT: &str = "1234567890123456";

fn policies(sources: &[(&str, &str)]) -> Policies {
    Policies::parse(sources).unwrap()
}

fn request(action: &str, params: &[(&str, &str)], context: &[(&str, &str)]) -> Request {
    let mut request = Request::new(action);
    request.account = Some(ACCOUNT.into());
    request.region = Some("cn-hangzhou".into());
    for (name, value) in params {
        request.params.insert(
            (*name).to_string(),
            crate::request::ParamValue::One((*value).to_string()),
        );
    }
    for (key, value) in context {
        request
            .context
            .insert((*key).to_string(), vec![(*value).to_string()]);
    }
    request
}

fn explain_request(policies: &Policies, request: &Request) -> Explanation {
    explain(policies, &Call::from_request(request).unwrap(), None)
}

const MIXED: &str = r#"{"Version":"1","Statement":[
  {"Effect":"Allow","Action":["ecs:Describe*","ecs:StopInstance"],"Resource":"acs:ecs:cn-hangzhou:*:instance/*"},
  {"Effect":"Allow","Action":"ecs:RunInstances","Resource":["acs:ecs:*:*:instance/*","acs:ecs:*:*:image/*","acs:ecs:*:*:securitygroup/sg-1"]},
  {"Effect":"Deny","Action":"ecs:RunInstances","Resource":"acs:ecs:*:*:securitygroup/sg-bad"},
  {"Effect":"Allow","NotAction":["ecs:Delete*"],"Resource":"acs:ecs:cn-beijing:*:*",
   "Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"},"Bool":{"acs:SecureTransport":"true"}}},
  {"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{"StringNotEquals":{"acs:SourceVpc":["vpc-1"]}}}
]}"#;

#[test]
fn the_analysis_agrees_with_the_evaluator_on_matching_statements() {
    let set = policies(&[("mixed.json", MIXED)]);
    let requests = [
        request("ecs:DescribeInstances", &[], &[("acs:SourceVpc", "vpc-1")]),
        request("ecs:StopInstance", &[("InstanceId", "i-1")], &[]),
        request(
            "ecs:RunInstances",
            &[
                ("ImageId", "m-1"),
                ("SecurityGroupIds.1", "sg-1"),
                ("SecurityGroupIds.2", "sg-bad"),
                ("RegionId", "cn-beijing"),
            ],
            &[("acs:SourceIp", "10.1.1.1"), ("acs:SourceVpc", "vpc-1")],
        ),
        request(
            "ecs:StartInstance",
            &[("InstanceId", "i-2"), ("RegionId", "cn-beijing")],
            &[
                ("acs:SourceIp", "10.1.1.1"),
                ("acs:SecureTransport", "true"),
                ("acs:SourceVpc", "vpc-1"),
            ],
        ),
        request("ecs:DeleteInstance", &[("InstanceId", "i-3")], &[]),
    ];
    for request in &requests {
        let call = Call::from_request(request).unwrap();
        let arns = call.arns();
        let context = call.condition_context();
        let evaluation = reference::evaluate(&set.set, &call.action, &arns, &context);
        let analyses = analyse(&set.set, &call.action, &arns, &context);
        for (index, decided) in evaluation.resources.iter().enumerate() {
            let mut allows = Vec::new();
            let mut denies = Vec::new();
            for analysis in analyses.iter().filter(|analysis| analysis.matches(index)) {
                let entry = (analysis.policy.to_string(), analysis.statement.index);
                match analysis.effect {
                    Effect::Allow => allows.push(entry),
                    Effect::Deny => denies.push(entry),
                }
            }
            let decided_statements: Vec<(String, usize)> = decided
                .statements
                .iter()
                .map(|reference| (reference.policy.clone(), reference.statement))
                .collect();
            let expected = if denies.is_empty() { allows } else { denies };
            assert_eq!(
                decided_statements, expected,
                "{} {}",
                call.action, decided.arn
            );
        }
    }
}

#[test]
fn a_near_miss_action_gets_did_you_mean() {
    let set = policies(&[(
        "p.json",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:DescribeInstance","Resource":"*"}]}"#,
    )]);
    let explanation = explain_request(&set, &request("ecs:DescribeInstances", &[], &[]));
    assert_eq!(explanation.headline(), "DENIED (no statement allows it)");
    let closest = &explanation.resources[0].closest[0];
    assert_eq!(closest.score, 2);
    match &closest.differences[0] {
        Difference::Action { did_you_mean, .. } => {
            assert_eq!(did_you_mean.as_deref(), Some("ecs:DescribeInstances"))
        }
        other => panic!("{other:?}"),
    }
    let fix = explanation.fix.unwrap();
    assert!(fix.allowed_after);
    assert_eq!(
        fix.statement.unwrap()["Resource"][0],
        format!("acs:ecs:cn-hangzhou:{ACCOUNT}:instance/*")
    );
}

#[test]
fn segments_regions_and_conditions_are_named() {
    let set = policies(&[(
        "p.json",
        r#"{"Version":"1","Statement":[
  {"Effect":"Allow","Action":"ecs:StopInstance","Resource":"acs:ecs:cn-beijing:*:instance/*"},
  {"Effect":"Allow","Action":"ecs:StopInstance","Resource":"acs:ecs:cn-hangzhou:*:instance/*",
   "Condition":{"IpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}]}"#,
    )]);
    let explanation = explain_request(
        &set,
        &request(
            "ecs:StopInstance",
            &[("InstanceId", "i-1")],
            &[("acs:SourceIp", "203.0.113.7")],
        ),
    );
    let closest = &explanation.resources[0].closest;
    assert_eq!(closest.len(), 2);
    let segments: Vec<&str> = closest
        .iter()
        .flat_map(|closest| &closest.differences)
        .filter_map(|difference| match difference {
            Difference::Resource { segments, .. } => Some(segments[0].segment.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(segments, vec!["region"]);
    let condition = closest
        .iter()
        .flat_map(|closest| &closest.differences)
        .find_map(|difference| match difference {
            Difference::Condition {
                operator,
                key,
                request_values,
                ..
            } => Some((operator.clone(), key.clone(), request_values.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        condition,
        (
            "IpAddress".to_string(),
            "acs:SourceIp".to_string(),
            Some(vec!["203.0.113.7".to_string()])
        )
    );
    assert_eq!(explanation.context_keys[0].key, "acs:SourceIp");
    assert!(!explanation.context_keys[0].undocumented);
}

#[test]
fn absent_keys_are_flagged_undocumented() {
    let set = policies(&[(
        "p.json",
        r#"{"Version":"1","Statement":[
  {"Effect":"Allow","Action":"ecs:*","Resource":"*"},
  {"Effect":"Deny","Action":"ecs:*","Resource":"*","Condition":{"StringNotEquals":{"acs:SourceVpc":"vpc-1"}}}]}"#,
    )]);
    let explanation = explain_request(&set, &request("ecs:DescribeRegions", &[], &[]));
    assert_eq!(explanation.decision, Decision::ExplicitDeny);
    let key = &explanation.context_keys[0];
    assert_eq!(key.key, "acs:SourceVpc");
    assert!(key.undocumented && key.values.is_none());
    let deciding = &explanation.resources[0].deciding[0];
    assert!(deciding
        .because
        .iter()
        .any(|reason| reason.contains("undocumented")));
    let fix = explanation.fix.unwrap();
    assert_eq!(fix.change_deny.len(), 1);
    assert!(fix.statement.is_none());
    assert!(fix.allowed_after);
    let text = render::text(&explain_request(
        &set,
        &request("ecs:DescribeRegions", &[], &[]),
    ));
    assert!(text.starts_with("DENIED (explicit deny)\n"), "{text}");
    assert!(text.contains("UNDOCUMENTED"), "{text}");
}

#[test]
fn a_blocked_suggestion_names_the_deny() {
    // sg-bad is denied explicitly and allowed by nothing; sg-2 is only not allowed.
    let set = policies(&[("mixed.json", MIXED)]);
    let explanation = explain_request(
        &set,
        &request(
            "ecs:RunInstances",
            &[
                ("ImageId", "m-1"),
                ("SecurityGroupIds.1", "sg-2"),
                ("SecurityGroupIds.2", "sg-bad"),
            ],
            &[("acs:SourceVpc", "vpc-1")],
        ),
    );
    assert_eq!(explanation.headline(), "DENIED (explicit deny)");
    let fix = explanation.fix.unwrap();
    let resources = fix.statement.unwrap()["Resource"].clone();
    assert_eq!(
        resources,
        serde_json::json!([
            format!("acs:ecs:cn-hangzhou:{ACCOUNT}:securitygroup/sg-2"),
            format!("acs:ecs:cn-hangzhou:{ACCOUNT}:securitygroup/sg-bad"),
        ])
    );
    assert_eq!(fix.blocked_by.len(), 1);
    assert_eq!(fix.blocked_by[0].location, "mixed.json:4:3");
    assert_eq!(fix.change_deny[0].statement.statement, 2);
    assert!(fix.allowed_after);
}

#[test]
fn not_action_and_literal_star_are_explained() {
    let set = policies(&[(
        "p.json",
        r#"{"Version":"1","Statement":[
  {"Effect":"Allow","NotAction":"ecs:Delete*","Resource":"*"},
  {"Effect":"Allow","Action":"ecs:DescribeRegions","Resource":"acs:ecs:*:*:*"}]}"#,
    )]);
    let explanation = explain_request(
        &set,
        &request("ecs:DeleteInstance", &[("InstanceId", "i-1")], &[]),
    );
    let messages: Vec<&str> = explanation.resources[0]
        .closest
        .iter()
        .flat_map(|closest| closest.differences.iter().map(Difference::message))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`NotAction` lists `ecs:Delete*`")),
        "{messages:?}"
    );
    // DescribeRegions has no resource-level authorization: RAM checks `*`, which `acs:ecs:*:*:*`
    // does not match... but statement 0 allows it.
    let explanation = explain_request(&set, &request("ecs:DescribeRegions", &[], &[]));
    assert_eq!(explanation.decision, Decision::Allow);
    assert!(explanation.fix.is_none());
}

#[test]
fn masked_arns_get_a_note_and_options_fill_context() {
    // The sample as published: the ARN holds masked ids.
    let detail = r#"{"Code":"NoPermission","Message":"You are not authorized to do this action. Resource: acs:ecs:cn-hangzhou:104758519118****:instance/i-bp1bzvz55uz27hf**** Action: ecs:StopInstance",
      "AccessDeniedDetail":{"PolicyType":"AccountLevelIdentityBasedPolicy","AuthPrincipalOwnerId":"104758519118****","NoPermissionType":"ImplicitDeny","AuthAction":"ecs:StopInstance"}}"#;
    let set = policies(&[(
        "p.json",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:StartInstance","Resource":"*",
          "Condition":{"DateLessThan":{"acs:CurrentTime":"2030-01-01T00:00:00Z"}}}]}"#,
    )]);
    let report = run(&set, InputKind::Error, detail, &Options::default()).unwrap();
    let explanation = &report.explanations[0].explanation;
    assert_eq!(explanation.decision, Decision::ImplicitDeny);
    let fix = explanation.fix.as_ref().unwrap();
    assert!(
        fix.notes.iter().any(|note| note.contains("masked")),
        "{:?}",
        fix.notes
    );
    let ram = explanation.ram.as_ref().unwrap();
    assert_eq!(ram.agrees, Some(true));
    assert_eq!(report.exit_code(), 1);

    let options = Options {
        context: vec![("acs:SourceIp".into(), "10.0.0.1".into())],
        current_time: Some("2026-01-01T00:00:00Z".into()),
    };
    let input = format!(
        r#"{{"action":"ecs:StartInstance","account":"{ACCOUNT}","region":"cn-hangzhou","params":{{"InstanceId":"i-1"}}}}"#
    );
    let report = run(&set, InputKind::Request, &input, &options).unwrap();
    let explanation = &report.explanations[0].explanation;
    assert_eq!(explanation.decision, Decision::Allow);
    assert_eq!(report.exit_code(), 0);
    let key = &explanation.context_keys[0];
    assert_eq!(key.key, "acs:CurrentTime");
    assert_eq!(key.filled_by.as_deref(), Some("the CLI, from the clock"));
    let text = render::report(&report);
    assert!(text.starts_with("ALLOWED\n"));
    assert!(text.contains("filled by the CLI, from the clock"), "{text}");
}

#[test]
fn decoded_messages_name_policies_not_given() {
    // The documented DecodeDiagnosticMessage sample, inline.
    let decoded = r#"{"RequestId":"D2331703-AADF-5564-BA9B-26CD51A33BA0","DecodedDiagnosticMessage":{
      "ExplicitDeny":true,"NoPermissionPolicyType":"AccountLevelIdentityBasedPolicy",
      "AuthAction":"ram:DecodeDiagnosticMessage","AuthResource":"*",
      "AuthPrincipal":{"AuthPrincipalType":"SubUser","AuthPrincipalOwnerId":"196813200012****","AuthPrincipalDisplayName":"28877424437521****"},
      "AuthConditions":[{"ConditionKey":"acs:SourceIp","ConditionValues":["172.16.215.218"]}],
      "MatchedPolicies":[{"Effect":"Deny","PolicyIdentifier":"MyPolicyName","PolicyType":"Custom","PolicyVersion":"v1","AttachedEntityType":"RamUser","AttachedScope":"Account"}]}}"#;
    let allow = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ram:DecodeDiagnosticMessage","Resource":"*"}]}"#;
    let set = policies(&[("dir/other.json", allow)]);
    let report = run(&set, InputKind::Error, decoded, &Options::default()).unwrap();
    let ram = report.explanations[0].explanation.ram.as_ref().unwrap();
    assert_eq!(ram.agrees, Some(false));
    assert_eq!(ram.policies_not_given, vec!["MyPolicyName".to_string()]);
    assert!(ram.reasons[0].contains("`MyPolicyName`"));
    // Given under its name, the policy is recognised.
    let deny = r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"ram:*","Resource":"*",
      "Condition":{"NotIpAddress":{"acs:SourceIp":"10.0.0.0/8"}}}]}"#;
    let set = policies(&[("dir/other.json", allow), ("dir/MyPolicyName.json", deny)]);
    let report = run(&set, InputKind::Error, decoded, &Options::default()).unwrap();
    let ram = report.explanations[0].explanation.ram.as_ref().unwrap();
    assert_eq!(ram.agrees, Some(true));
    assert!(ram.policies_not_given.is_empty());
}

#[test]
fn several_events_explain_the_denied_ones_or_all() {
    let event = |name: &str, error: Option<&str>| {
        let error = error
            .map(|code| format!(r#","errorCode":"{code}""#))
            .unwrap_or_default();
        format!(
            r#"{{"eventId":"{name}","eventType":"ApiCall","serviceName":"Ecs","eventName":"{name}","acsRegion":"cn-hangzhou","userIdentity":{{"accountId":"{ACCOUNT}","type":"ram-user","userName":"bob"}},"requestParameters":{{"InstanceId":"i-1"}}{error}}}"#
        )
    };
    let lines = [
        event("StartInstance", None),
        event("StopInstance", Some("Forbidden.RAM")),
        event("RebootInstance", Some("InvalidInstance.NotFound")),
        "{broken".to_string(),
    ]
    .join("\n");
    let set = policies(&[(
        "p.json",
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:StartInstance","ecs:RebootInstance"],"Resource":"*"}]}"#,
    )]);
    let report = run(
        &set,
        InputKind::ActionTrail { all: false },
        &lines,
        &Options::default(),
    )
    .unwrap();
    let names: Vec<&str> = report
        .explanations
        .iter()
        .map(|item| item.explanation.action.as_str())
        .collect();
    assert_eq!(names, vec!["ecs:StopInstance", "ecs:RebootInstance"]);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.errors.len(), 1);
    assert_eq!(report.exit_code(), 2);
    let reboot = report.explanations[1].explanation.ram.as_ref().unwrap();
    assert_eq!(reboot.agrees, None);
    let report = run(
        &set,
        InputKind::ActionTrail { all: true },
        &lines,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(report.explanations.len(), 3);
    assert!(report.to_json()["explanations"].is_array());
}

#[test]
fn policy_stems() {
    assert_eq!(policy_stem("a/b/MyPolicy.json"), "MyPolicy");
    assert_eq!(policy_stem("MyPolicy"), "MyPolicy");
}

fn options(explanation: &Explanation) -> &[fixes::FixOption] {
    &explanation.fix.as_ref().unwrap().options
}

#[test]
fn an_unconditional_deny_has_no_fix_that_keeps_it_and_the_removal_is_labelled() {
    let set = policies(&[(
        "guard.json",
        r#"{"Version":"1","Statement":[
  {"Effect":"Allow","Action":"ecs:*","Resource":"*"},
  {"Effect":"Deny","Action":"ecs:DeleteInstance","Resource":"*"}]}"#,
    )]);
    let explanation = explain_request(
        &set,
        &request("ecs:DeleteInstance", &[("InstanceId", "i-1")], &[]),
    );
    assert_eq!(explanation.decision, Decision::ExplicitDeny);
    let options = options(&explanation);
    assert_eq!(options.len(), 1, "{options:?}");
    assert_eq!(options[0].kind, fixes::FixKind::ChangeDeny);
    assert!(options[0]
        .weakens
        .as_deref()
        .unwrap()
        .contains("statement 2 at guard.json:3:3"));
    let text = render::text(&explanation);
    assert!(
        text.contains("No fix keeps every Deny statement and condition"),
        "{text}"
    );
    assert!(
        text.contains("Weakens a guard rail: removes or narrows the Deny statement 2"),
        "{text}"
    );
}

#[test]
fn a_conditioned_deny_is_kept_by_the_first_fix() {
    let set = policies(&[(
        "guard.json",
        r#"{"Version":"1","Statement":[
  {"Effect":"Allow","Action":"ecs:*","Resource":"*"},
  {"Effect":"Deny","Action":"ecs:DeleteInstance","Resource":"*",
   "Condition":{"Bool":{"acs:MFAPresent":"false"}}}]}"#,
    )]);
    let explanation = explain_request(
        &set,
        &request(
            "ecs:DeleteInstance",
            &[("InstanceId", "i-1")],
            &[("acs:MFAPresent", "false")],
        ),
    );
    let options = options(&explanation);
    assert_eq!(options[0].kind, fixes::FixKind::ChangeRequest);
    assert_eq!(options[0].weakens, None);
    assert!(
        options[0]
            .sentence
            .contains("`acs:MFAPresent` must be `true`"),
        "{options:?}"
    );
    assert!(options.iter().all(|option| option.allowed_after));
    let last = options.last().unwrap();
    assert_eq!(last.kind, fixes::FixKind::ChangeDeny);
    assert!(last.weakens.is_some());
}

#[test]
fn a_tag_mismatch_is_fixed_first_by_the_tag_not_by_an_unconditioned_allow() {
    let set = policies(&[(
        "teams.json",
        r#"{"Version":"1","Statement":[
  {"Effect":"Allow","Action":"ecs:StopInstance","Resource":"*",
   "Condition":{"StringEquals":{"ecs:tag/team":"payments"}}}]}"#,
    )]);
    let explanation = explain_request(
        &set,
        &request(
            "ecs:StopInstance",
            &[("InstanceId", "i-1")],
            &[("ecs:tag/team", "growth")],
        ),
    );
    assert_eq!(explanation.decision, Decision::ImplicitDeny);
    let options = options(&explanation);
    let kinds: Vec<fixes::FixKind> = options.iter().map(|option| option.kind).collect();
    assert_eq!(
        kinds,
        [
            fixes::FixKind::ChangeRequest,
            fixes::FixKind::AddConditionValue,
            fixes::FixKind::AddStatement
        ]
    );
    assert!(options[0]
        .sentence
        .contains("the resource must carry the tag `team=payments`"));
    assert_eq!(options[0].weakens, None);
    assert_eq!(options[1].weakens, None);
    // The unconditioned statement bypasses the tag rule: offered last, and labelled.
    assert!(options[2]
        .weakens
        .as_deref()
        .unwrap()
        .contains("condition that statement 1 at teams.json:2:3 (on `ecs:tag/team`)"));
}

#[test]
fn the_streamed_json_and_text_of_one_explanation_are_the_whole_ones() {
    let set = policies(&[("mixed.json", MIXED)]);
    let input = format!(
        r#"{{"action":"ecs:RunInstances","account":"{ACCOUNT}","region":"cn-hangzhou",
            "params":{{"ImageId":"m-\u001b1","SecurityGroupIds":["sg-1","sg-bad","sg-2"]}}}}"#
    );
    let report = run(&set, InputKind::Request, &input, &Options::default()).unwrap();
    assert!(report.explanations[0].explanation.resources.len() > 3);
    assert_eq!(
        serde_json::to_string_pretty(&report.json()).unwrap(),
        serde_json::to_string_pretty(&report.to_json()).unwrap()
    );
    let mut pieces = Vec::new();
    render::write_report(&report, render::Detail::Verbose, |piece| {
        pieces.push(piece.to_string())
    });
    // The escaped pieces make the same text as one escaped rendering: no control character
    // through, the image id's escape whole.
    let text = pieces.concat();
    assert!(text.starts_with(&report.explanations[0].explanation.headline));
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("image/m-\\u{1b}1"), "{text}");
}
