//! Tests of the ActionTrail reader and mapping.

use super::event::fast;
use super::*;
use crate::request::ParamValue;
use crate::stream::MAX_RECORD_BYTES;
use proptest::prelude::*;

/// Inline copy of `samples/actiontrail-describe-instances.json`.
const DESCRIBE: &str = r#"{"eventId":"239EB588-D6A8-4C47-9E95-7E8F1F5C0F7D","eventVersion":1,"eventSource":"ecs.cn-hangzhou.aliyuncs.com","sourceIpAddress":"10.10.**.**","eventType":"ApiCall","userIdentity":{"accountId":"104758519118****","principalId":"24549429003625****","type":"ram-user","userName":"alice"},"serviceName":"Ecs","apiVersion":"2016-01-20","requestId":"239EB588-D6A8-4C47-9E95-7E8F1F5C0F7D","eventTime":"2021-08-05T09:21:32Z","isGlobal":false,"acsRegion":"cn-hangzhou","eventName":"DescribeInstances"}"#;

/// Inline copy of `samples/actiontrail-create-network-interface.json`.
const CREATE_ENI: &str = r#"{
  "eventId": "F23A3DD5-7842-4EF9-9DA1-3776396A****",
  "responseElements": {
    "RequestId": "F23A3DD5-7842-4EF9-9DA1-3776396AD58D",
    "NetworkInterfaceId": "eni-bp12f9rjbjqauktz****"
  },
  "eventVersion": "1",
  "requestParameters": {
    "Tag.1.Key": "CreatedBy",
    "RequestId": "F23A3DD5-7842-4EF9-9DA1-3776396AD58D",
    "SecurityGroupId": "sg-bp10mvd8143rlfks****",
    "Tag.1.Value": "StreamCompute",
    "VSwitchId": "vsw-bp1iqqmaj41noh2c8****",
    "RegionId": "cn-hangzhou",
    "SignatureType": "",
    "stsTokenPlayerUid": 1652665569470000
  },
  "eventSource": "ecs.aliyuncs.com",
  "sourceIpAddress": "11.168.XX.XX",
  "userIdentity": {
    "sessionContext": {
      "attributes": {
        "mfaAuthenticated": "false",
        "creationDate": "2020-01-09T12:12:14Z"
      }
    },
    "accessKeyId": "STS.NUnj6nuqKaEoMZGsT****",
    "accountId": "116214825062****",
    "principalId": "31645666448606****:116214825062****",
    "userName": "aliyunstreamdefaultrole:116214825062****",
    "type": "assumed-role"
  },
  "eventType": "ApiCall",
  "referencedResources": {
    "VSwitch": ["vsw-bp1iqqma1noh402c8****"],
    "SecurityGroup": ["sg-bp10mvd143r6lfks****"]
  },
  "serviceName": "Ecs",
  "additionalEventData": {"Scheme": "http"},
  "apiVersion": "2014-05-26",
  "requestId": "F23A3DD5-7842-4EF9-9DA1-3776396AD58D",
  "eventTime": "2020-01-09T12:12:14Z",
  "acsRegion": "cn-hangzhou",
  "eventName": "CreateNetworkInterface"
}
"#;

fn ok(items: Vec<Result<Event, EventError>>) -> Vec<Event> {
    items.into_iter().map(|item| item.unwrap()).collect()
}

use crate::test_support::shared_sample as sample;

fn check_describe(event: &Event) {
    assert_eq!(event.action().as_deref(), Some("ecs:DescribeInstances"));
    assert!(event.is_catalog_service());
    assert_eq!(event.skip_reason(), None);
    let request = event.request();
    assert_eq!(request.action, "ecs:DescribeInstances");
    assert_eq!(request.account.as_deref(), Some("104758519118****"));
    assert_eq!(request.region.as_deref(), Some("cn-hangzhou"));
    assert!(request.params.is_empty());
    // The masked source IP is kept out of the context, and said.
    assert!(!request.context.contains_key("acs:SourceIp"));
    assert_eq!(
        request.context["acs:CurrentTime"],
        vec!["2021-08-05T09:21:32Z".to_string()]
    );
    assert!(event.masked.contains(&"/sourceIpAddress".to_string()));
    assert!(event
        .gaps()
        .iter()
        .any(|gap| gap.subject == "acs:SourceIp" && gap.reason.contains("masked")));
    assert_eq!(event.user_identity.user_name.as_deref(), Some("alice"));
    assert_eq!(
        event.user_identity.arns(),
        vec!["acs:ram::104758519118****:user/alice".to_string()]
    );
}

fn check_create_eni(event: &Event) {
    assert_eq!(
        event.action().as_deref(),
        Some("ecs:CreateNetworkInterface")
    );
    let request = event.request();
    assert_eq!(request.account.as_deref(), Some("116214825062****"));
    assert_eq!(
        request.param("SecurityGroupId"),
        Some(&ParamValue::One("sg-bp10mvd8143rlfks****".into()))
    );
    assert_eq!(
        request.param("stsTokenPlayerUid"),
        Some(&ParamValue::One("1652665569470000".into()))
    );
    assert_eq!(request.context["acs:MFAPresent"], vec!["false".to_string()]);
    assert_eq!(
        request.context["acs:SecureTransport"],
        vec!["false".to_string()]
    );
    assert!(!request.context.contains_key("acs:AccessId"));
    assert!(!request.context.contains_key("acs:SourceIp"));
    for pointer in [
        "/sourceIpAddress",
        "/userIdentity/accessKeyId",
        "/requestParameters/SecurityGroupId",
        "/requestParameters/VSwitchId",
    ] {
        assert!(event.masked.iter().any(|m| m == pointer), "{pointer}");
    }
    assert_eq!(
        event.user_identity.role_name(),
        Some("aliyunstreamdefaultrole")
    );
    assert!(event.user_identity.arns().contains(
        &"acs:ram::116214825062****:assumed-role/aliyunstreamdefaultrole/116214825062****"
            .to_string()
    ));
}

#[test]
fn the_fast_path_agrees_with_the_full_reader() {
    let texts = [
            DESCRIBE.to_string(),
            CREATE_ENI.to_string(),
            r#"{"eventName": "RunInstances", "eventSource": "ecs.aliyuncs.com", "eventTime": "2024-03-01T08:00:00.5+08:00", "recipientAccountId": 12, "errorCode": "",
               "userIdentity": {"type": "ram-user", "sessionContext": {"attributes": {"mfaAuthenticated": true}}}, "additionalEventData": {"Scheme": "https"},
               "requestParameters": {"A": 1.5, "B": [1, true, "x"], "C": {"D": [{"E": null}]}, "F": -3}}"#.to_string(),
        ];
    for text in texts {
        let slow = Event::from_value(serde_json::from_str(&text).unwrap(), 4, 9).unwrap();
        let quick = fast::read(text.as_bytes(), 4, 9).unwrap();
        assert_eq!(slow, quick);
    }
    // Unusual records are left to the full reader.
    for text in [
        r#"{"event": "{}"}"#,
        r#"{"eventName": "A", "requestParameters": "{}"}"#,
        r#"{"eventName": "A", "eventTime": "nope"}"#,
        r#"{"eventName": "A", "eventName": "B"}"#,
        // Objects are objects: an array is not read by position.
        r#"{"eventName": "A", "additionalEventData": ["https"]}"#,
        r#"{"eventName": "A", "userIdentity": ["ram-user"]}"#,
        r#"[null, "A"]"#,
    ] {
        assert!(fast::read(text.as_bytes(), 1, 1).is_none(), "{text}");
    }
}

#[test]
fn duplicate_members_anywhere_in_a_record_are_errors() {
    // The one pass that reads an event checks every object of the record, the members it
    // skips too; each record is refused with the duplicate's pointer, as the separate check did.
    let cases = [
        (r#"{"eventName": "A", "eventName": "B"}"#, "/eventName"),
        (r#"{"eventName": "A", "eventName": null}"#, "/eventName"),
        (
            r#"{"eventName": "A", "isGlobal": false, "isGlobal": true}"#,
            "/isGlobal",
        ),
        (r#"{"eventName": "A", "x": 1, "\u0078": 2}"#, "/x"),
        (
            r#"{"eventName": "A", "responseElements": {"Id": 1, "Id": 2}}"#,
            "/responseElements/Id",
        ),
        (
            r#"{"eventName": "A", "responseElements": [{"a": {"b": 1, "b": 2}}]}"#,
            "/responseElements/0/a/b",
        ),
        (
            r#"{"eventName": "A", "requestParameters": {"InstanceId": "i-1", "InstanceId": "i-2"}}"#,
            "/requestParameters/InstanceId",
        ),
        (
            r#"{"eventName": "A", "requestParameters": {"Tag": [{"Key": "a", "Key": "b"}]}}"#,
            "/requestParameters/Tag/0/Key",
        ),
        (
            r#"{"eventName": "A", "userIdentity": {"type": "ram-user", "type": "root-account"}}"#,
            "/userIdentity/type",
        ),
        (
            r#"{"eventName": "A", "userIdentity": {"x": 1, "x": 2}}"#,
            "/userIdentity/x",
        ),
        (
            r#"{"eventName": "A", "userIdentity": {"sessionContext": {"attributes": {"mfaAuthenticated": "true", "mfaAuthenticated": "false"}}}}"#,
            "/userIdentity/sessionContext/attributes/mfaAuthenticated",
        ),
        (
            r#"{"eventName": "A", "userIdentity": {"sessionContext": {"attributes": {"creationDate": 1, "creationDate": 2}}}}"#,
            "/userIdentity/sessionContext/attributes/creationDate",
        ),
        (
            r#"{"eventName": "A", "userIdentity": {"sessionContext": {"attributes": null, "attributes": {}}}}"#,
            "/userIdentity/sessionContext/attributes",
        ),
        (
            r#"{"eventName": "A", "additionalEventData": {"Scheme": "http", "Scheme": "https"}}"#,
            "/additionalEventData/Scheme",
        ),
        (
            r#"{"eventName": "A", "additionalEventData": {"x": [], "x": []}}"#,
            "/additionalEventData/x",
        ),
    ];
    for (text, pointer) in cases {
        assert!(fast::read(text.as_bytes(), 1, 1).is_none(), "{text}");
        let items = parse_events(&format!("{DESCRIBE}\n{text}\n"));
        assert_eq!(items.len(), 2, "{text}");
        match &items[1] {
            Err(EventError::Value {
                record: 2,
                line: 2,
                error: crate::json::JsonInputError::Duplicate(duplicate),
                in_event_string: false,
            }) => assert_eq!(duplicate.pointer, pointer, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn nesting_beyond_the_json_limit_is_malformed_in_any_member() {
    // serde_json refuses more than 128 levels; a member the event does not read was once skipped
    // without counting them.
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    for member in ["responseElements", "requestParameters"] {
        let text = format!("{{\"eventName\": \"A\", \"{member}\": {{\"a\": {deep}}}}}");
        assert!(fast::read(text.as_bytes(), 1, 1).is_none());
        match &parse_events(&text)[..] {
            [Err(EventError::Json { message, .. })] => {
                assert!(message.contains("recursion limit"), "{message}")
            }
            other => panic!("{member}: {other:?}"),
        }
    }
}

#[test]
fn a_record_that_is_not_utf8_is_malformed_wherever_the_bytes_are() {
    // In a member the event does not read, too (the typed parse once skipped those strings
    // without checking them).
    for bytes in [
        &b"{\"eventName\": \"A\xff\"}"[..],
        &b"{\"eventName\": \"A\", \"apiVersion\": \"\xff\"}"[..],
        &b"{\"eventName\": \"A\", \"responseElements\": {\"\xff\": 1}}"[..],
    ] {
        assert!(fast::read(bytes, 1, 1).is_none());
        let items: Vec<_> = read_events(bytes).collect();
        assert!(
            matches!(
                items[..],
                [Err(EventError::Json {
                    record: 1,
                    line: 1,
                    ..
                })]
            ),
            "{items:?}"
        );
    }
}

#[test]
fn reads_the_inline_samples() {
    let events = ok(parse_events(DESCRIBE));
    assert_eq!(events.len(), 1);
    check_describe(&events[0]);
    let events = ok(parse_events(CREATE_ENI));
    assert_eq!(events.len(), 1);
    check_create_eni(&events[0]);
    assert_eq!(events[0].line, 1);
}

#[test]
fn reads_the_shared_samples() {
    if let Some(text) = sample("actiontrail-describe-instances.json") {
        let events = ok(parse_events(&text));
        assert_eq!(events.len(), 1);
        check_describe(&events[0]);
    }
    if let Some(text) = sample("actiontrail-create-network-interface.json") {
        let events = ok(parse_events(&text));
        assert_eq!(events.len(), 1);
        check_create_eni(&events[0]);
    }
}

#[test]
fn reads_a_pretty_array_and_detects_the_layout() {
    let text = format!("[\n{CREATE_ENI},\n  {DESCRIBE}\n]\n");
    let mut reader = read_events(text.as_bytes());
    let events: Vec<Event> = reader.by_ref().map(|item| item.unwrap()).collect();
    assert_eq!(reader.layout(), Layout::Array);
    assert_eq!(events.len(), 2);
    check_create_eni(&events[0]);
    check_describe(&events[1]);
    assert_eq!((events[0].record, events[0].line), (1, 2));
    assert_eq!((events[1].record, events[1].line), (2, 48));
    // On one line too, with a byte order mark and an empty array after.
    let text = format!("\u{feff}[{DESCRIBE},{DESCRIBE}] []");
    let events = ok(parse_events(&text));
    assert_eq!(events.len(), 2);
}

#[test]
fn reads_json_lines_with_blank_lines() {
    let text = format!("\n{DESCRIBE}\n\n   \n{DESCRIBE}\r\n{DESCRIBE}");
    let mut reader = read_events(text.as_bytes());
    let events: Vec<Event> = reader.by_ref().map(|item| item.unwrap()).collect();
    assert_eq!(reader.layout(), Layout::JsonLines);
    let places: Vec<(usize, usize)> = events.iter().map(|e| (e.record, e.line)).collect();
    assert_eq!(places, vec![(1, 2), (2, 5), (3, 6)]);
}

#[test]
fn reads_concatenated_pretty_documents() {
    let text = format!("{CREATE_ENI}\n{CREATE_ENI}");
    let mut reader = read_events(text.as_bytes());
    let events: Vec<Event> = reader.by_ref().map(|item| item.unwrap()).collect();
    assert_eq!(reader.layout(), Layout::Document);
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].line, 47);
}

#[test]
fn malformed_records_in_the_middle_of_json_lines_are_reported_and_skipped() {
    let text = format!(
        "{DESCRIBE}\n{{\"eventName\": ,}}\n{{\"eventName\": \"X\"\n[1]\n\"text\"\n{DESCRIBE}\n"
    );
    let items = parse_events(&text);
    assert_eq!(items.len(), 6, "{items:#?}");
    assert!(items[0].is_ok());
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(
        error.to_string(),
        "line 2 (record 2): malformed JSON at column 15: expected value"
    );
    assert_eq!(
        items[2].as_ref().unwrap_err().to_string(),
        "line 3 (record 3): the JSON value is not complete: the line ends before the value does"
    );
    // A line holding an array counts each element as a record.
    assert_eq!(
        items[3].as_ref().unwrap_err().to_string(),
        "line 4 (record 4): expected an event object, found a number"
    );
    assert_eq!(
        items[4].as_ref().unwrap_err().to_string(),
        "line 5 (record 5): expected an event object, found a string"
    );
    let last = items[5].as_ref().unwrap();
    assert_eq!((last.record, last.line), (6, 6));
}

#[test]
fn malformed_records_in_an_array_are_reported_and_skipped() {
    let text = format!("[\n{DESCRIBE},\n{{\"a\": tru}},\n{DESCRIBE} {DESCRIBE}\n,,{DESCRIBE}\n]");
    let items = parse_events(&text);
    let summary: Vec<String> = items
        .iter()
        .map(|item| match item {
            Ok(event) => format!("ok {}", event.line),
            Err(error) => error.to_string(),
        })
        .collect();
    assert_eq!(
            summary,
            vec![
                "ok 2".to_string(),
                "line 3 (record 2): malformed JSON at column 10: expected ident".into(),
                "ok 4".into(),
                format!("line 4 (record 4): malformed JSON at column {}: expected `,` or `]` between array elements", DESCRIBE.len() + 2),
                "ok 4".into(),
                "line 5 (record 6): malformed JSON at column 2: unexpected `,`".into(),
                "ok 5".into(),
            ]
        );
}

#[test]
fn unclosed_documents_are_reported_once() {
    let items = parse_events("[\n{\"eventName\": \"A\"");
    let errors: Vec<String> = items
        .iter()
        .map(|item| item.as_ref().unwrap_err().to_string())
        .collect();
    assert_eq!(
            errors,
            vec![
                "line 2 (record 1): the JSON value is not complete: the input ends inside the record",
                "line 1 (record 2): the JSON value is not complete: the input ends before the array's closing `]`",
            ]
        );
    assert!(parse_events("").is_empty());
    assert!(parse_events("  \n\n ").is_empty());
}

#[test]
fn reads_log_service_exports() {
    let embedded = serde_json::to_string(DESCRIBE).unwrap();
    let record = format!(
        r#"{{"__topic__": "actiontrail_audit_event", "__time__": 1628155292, "event": {embedded}}}"#
    );
    // As JSON lines.
    let text = format!("{record}\n{record}\n");
    let events = ok(parse_events(&text));
    assert_eq!(events.len(), 2);
    assert!(events[0].from_log_service);
    check_describe(&events[1]);
    // As an array.
    let text = format!("[{record},\n{record}]");
    let events = ok(parse_events(&text));
    assert_eq!(events.len(), 2);
    check_describe(&events[0]);
    // The event as an object.
    let text = format!(r#"{{"event": {DESCRIBE}}}"#);
    check_describe(&ok(parse_events(&text))[0]);
    // A broken embedded event.
    let items = parse_events(r#"{"event": "{\"eventName\": }"}"#);
    assert_eq!(
            items[0].as_ref().unwrap_err().to_string(),
            "line 1 (record 1): the Log Service field `event` is not JSON: expected value at column 15 of the string"
        );
    let items = parse_events(r#"{"event": 5}"#);
    assert!(matches!(
        items[0],
        Err(EventError::Value {
            error: crate::json::JsonInputError::WrongType { ref pointer, .. },
            ..
        }) if pointer == "/event"
    ));
}

#[test]
fn maps_fields_to_a_request() {
    let text = r#"{"eventName": "RunInstances", "eventSource": "ecs-cn-beijing.aliyuncs.com",
            "eventType": "ApiCall", "recipientAccountId": 1234567890123456, "acsRegion": "cn-beijing",
            "sourceIpAddress": "203.0.113.7", "userAgent": "aliyun-cli/3", "eventTime": "2024-03-01T08:00:00.5+08:00",
            "additionalEventData": {"Scheme": "HTTPS"},
            "userIdentity": {"type": "ram-user", "accountId": "99", "userName": "bob", "accessKeyId": "LTAI5t",
                "sessionContext": {"attributes": {"mfaAuthenticated": true}}},
            "requestParameters": {"ImageId": "m-1", "Amount": 2, "DryRun": false, "Gone": null,
                "SecurityGroupIds": ["sg-1", "sg-2"], "SystemDisk": {"Category": "cloud_essd"},
                "Tag": [{"Key": "k", "Value": "v"}], "DataDisk": [{"Size": 40, "Encrypted": true}]}}"#;
    let event = ok(parse_events(text)).remove(0);
    assert_eq!(event.service().as_deref(), Some("ecs"));
    let request = event.request();
    assert_eq!(request.action, "ecs:RunInstances");
    assert_eq!(request.account.as_deref(), Some("1234567890123456"));
    let one = |text: &str| Some(ParamValue::One(text.into()));
    assert_eq!(request.param("Amount").cloned(), one("2"));
    assert_eq!(request.param("DryRun").cloned(), one("false"));
    assert_eq!(request.param("Gone"), None);
    assert_eq!(
        request.param("SecurityGroupIds").cloned(),
        Some(ParamValue::Many(vec!["sg-1".into(), "sg-2".into()]))
    );
    assert_eq!(
        request.param("SystemDisk.Category").cloned(),
        one("cloud_essd")
    );
    assert_eq!(request.param("Tag.1.Key").cloned(), one("k"));
    assert_eq!(request.param("DataDisk.1.Encrypted").cloned(), one("true"));
    let context = |key: &str| request.context.get(key).map(|v| v[0].as_str());
    assert_eq!(context("acs:SourceIp"), Some("203.0.113.7"));
    assert_eq!(context("acs:MFAPresent"), Some("true"));
    assert_eq!(context("acs:AccessId"), Some("LTAI5t"));
    assert_eq!(context("acs:UserAgent"), Some("aliyun-cli/3"));
    assert_eq!(context("acs:SecureTransport"), Some("true"));
    assert_eq!(context("acs:CurrentTime"), Some("2024-03-01T00:00:00.500Z"));
    assert!(event.masked.is_empty());
    // `into_request` gives the same request.
    assert_eq!(event.clone().into_request(), request);
}

#[test]
fn wrong_types_name_the_pointer() {
    let cases = [
        (
            r#"{"eventName": ["a"]}"#,
            "`/eventName` must be a string, number or boolean, found an array",
        ),
        (
            r#"{"eventName": "A", "requestParameters": [1]}"#,
            "`/requestParameters` must be an object, found an array",
        ),
        (
            r#"{"eventName": "A", "eventTime": "yesterday"}"#,
            "`/eventTime` is not an ISO 8601 time: `yesterday`",
        ),
    ];
    for (text, message) in cases {
        let items = parse_events(text);
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].as_ref().unwrap_err().to_string(),
            format!("line 1 (record 1): {message}")
        );
    }
    // Arrays of arrays flatten like arrays of objects.
    let event = ok(parse_events(
        r#"{"eventName": "A", "requestParameters": {"X": [{"a": [{}]}, {"b": {"c": [[1]]}}]}}"#,
    ))
    .remove(0);
    assert_eq!(
        event.params["X.2.b.c.1"],
        ParamValue::Many(vec!["1".into()])
    );
    // requestParameters as a JSON string holding an object is accepted.
    let event = ok(parse_events(
        r#"{"eventName":"A","requestParameters":"{\"InstanceId\":\"i-1\"}"}"#,
    ))
    .remove(0);
    assert_eq!(event.params["InstanceId"], ParamValue::One("i-1".into()));
}

#[test]
fn skip_reasons() {
    let reason = |text: &str| ok(parse_events(text)).remove(0).skip_reason();
    assert_eq!(
        reason(r#"{"serviceName": "Ecs"}"#),
        Some(SkipReason::NoEventName)
    );
    assert_eq!(
        reason(r#"{"eventName": "CreateVpc", "serviceName": "Vpc", "eventType": "ApiCall"}"#),
        Some(SkipReason::OtherService {
            service: "vpc".into()
        })
    );
    assert_eq!(
        reason(
            r#"{"eventName": "ConsoleSignin", "eventType": "ConsoleSignin", "serviceName": "AasSub"}"#
        ),
        Some(SkipReason::NotACall {
            event_type: "ConsoleSignin".into()
        })
    );
    for kind in ["ConsoleOperation", "ConsoleCall", "apicall"] {
        let text = format!(
            r#"{{"eventName": "StopInstance", "eventType": "{kind}", "serviceName": "Ecs"}}"#
        );
        assert_eq!(reason(&text), None, "{kind}");
    }
    assert_eq!(
        reason(
            r#"{"eventName": "Instance:SystemFailure.Reboot", "eventType": "AliyunServiceEvent", "serviceName": "Ecs", "additionalEventData": []}"#
        ),
        Some(SkipReason::ServiceEvent {
            event_type: "AliyunServiceEvent".into()
        })
    );
    assert_eq!(
        reason(
            r#"{"eventName": "DeleteDisk", "eventType": "ApiCall", "serviceName": "Ecs", "userIdentity": {"type": "system", "userName": "ecs.aliyuncs.com"}}"#
        ),
        Some(SkipReason::SystemIdentity {
            name: "ecs.aliyuncs.com".into()
        })
    );
    assert_eq!(
        reason(
            r#"{"eventName": "CreateNetworkInterface", "serviceName": "Ecs", "userIdentity": {"type": "assumed-role", "userName": "AliyunServiceRoleForECS:ecs"}}"#
        ),
        Some(SkipReason::ServiceLinkedRole {
            role: "AliyunServiceRoleForECS".into()
        })
    );
    // A service role the account made (and gave policies) is an ordinary role.
    assert_eq!(
        reason(
            r#"{"eventName": "CreateNetworkInterface", "serviceName": "Ecs", "userIdentity": {"type": "assumed-role", "userName": "aliyunstreamdefaultrole:1"}}"#
        ),
        None
    );
    // The root account's calls are calls (explain says RAM policies do not restrict it);
    // generate's filter skips them.
    let root = ok(parse_events(
        r#"{"eventName": "StopInstance", "serviceName": "Ecs", "userIdentity": {"type": "root-account", "accountId": "1"}}"#,
    ))
    .remove(0);
    assert_eq!(root.skip_reason(), None);
    assert!(root.is_root_account());
    assert_eq!(
        EventFilter::default().check(&root),
        Some(SkipReason::RootAccount)
    );
    assert_eq!(
        reason(r#"{"eventName": "StopInstance", "eventSource": "ecs.aliyuncs.com"}"#),
        None
    );
    assert_eq!(
        reason(r#"{"eventName": "StopInstance"}"#),
        Some(SkipReason::OtherService {
            service: "unknown".into()
        })
    );
    assert_eq!(
        SkipReason::OtherService {
            service: "vpc".into()
        }
        .to_string(),
        "the call is to `vpc`, not ECS"
    );
    assert_eq!(SkipReason::OutsideWindow.kind(), "outside_window");
}

#[test]
fn filters_by_failure_principal_and_window() {
    let failed = ok(parse_events(
            r#"{"eventName": "StopInstance", "serviceName": "Ecs", "errorCode": "NoPermission", "eventTime": "2024-01-02T00:00:00Z",
                "userIdentity": {"type": "assumed-role", "accountId": "123", "userName": "ops:alice", "principalId": "3333:alice"}}"#,
        ))
        .remove(0);
    assert!(failed.is_failed());
    let mut filter = EventFilter::default();
    assert_eq!(
        filter.check(&failed),
        Some(SkipReason::Failed {
            error_code: "NoPermission".into()
        })
    );
    filter.include_failed = true;
    assert_eq!(filter.check(&failed), None);
    for principal in [
        "ops:alice",
        "OPS",
        "3333:alice",
        "acs:ram::123:assumed-role/ops/alice",
        "acs:ram::123:role/ops",
        "acs:ram::123:assumed-role/ops/*",
    ] {
        filter.principal = Some(principal.into());
        assert_eq!(filter.check(&failed), None, "{principal}");
    }
    for principal in [
        "alice",
        "acs:ram::123:user/ops",
        "acs:ram::124:role/ops",
        "",
    ] {
        filter.principal = Some(principal.into());
        assert_eq!(
            filter.check(&failed),
            Some(SkipReason::OtherPrincipal),
            "{principal}"
        );
    }
    filter.principal = None;
    filter.since = parse_time("2024-01-02");
    assert_eq!(filter.check(&failed), None, "since is inclusive");
    filter.until = parse_time("2024-01-02T00:00:00Z");
    assert_eq!(
        filter.check(&failed),
        Some(SkipReason::OutsideWindow),
        "until is exclusive"
    );
    let timeless = ok(parse_events(
        r#"{"eventName": "StopInstance", "serviceName": "Ecs"}"#,
    ))
    .remove(0);
    assert_eq!(filter.check(&timeless), Some(SkipReason::NoEventTime));
}

#[test]
fn parses_times() {
    let iso = |text: &str| parse_time(text).map(|time| format_time(&time));
    assert_eq!(
        iso("2020-01-09T12:12:14Z").as_deref(),
        Some("2020-01-09T12:12:14Z")
    );
    assert_eq!(
        iso("2020-01-09T20:12:14+08:00").as_deref(),
        Some("2020-01-09T12:12:14Z")
    );
    assert_eq!(
        iso("2020-01-09 12:12:14").as_deref(),
        Some("2020-01-09T12:12:14Z")
    );
    assert_eq!(
        iso("2020-01-09T12:12:14.250").as_deref(),
        Some("2020-01-09T12:12:14.250Z")
    );
    assert_eq!(iso("2020-01-09").as_deref(), Some("2020-01-09T00:00:00Z"));
    assert_eq!(iso("2020-13-09"), None);
    assert_eq!(iso(""), None);
}

#[test]
fn masks() {
    for masked in [
        "10.10.**.**",
        "11.168.XX.XX",
        "104758519118****",
        "STS.abc****",
        "2001:db8::XX",
    ] {
        assert!(is_masked(masked), "{masked}");
    }
    for plain in [
        "*",
        "203.0.113.7",
        "acs:ecs:*:*:instance/*",
        "i-bp1x",
        "2001:db8::1",
        "STS.XXabc",
    ] {
        assert!(!is_masked(plain), "{plain}");
    }
}

#[test]
fn oversized_lines_are_refused_without_stopping() {
    let big = format!("{{\"eventName\": \"{}\"}}", "a".repeat(MAX_RECORD_BYTES));
    let text = format!("{DESCRIBE}\n{big}\n{DESCRIBE}\n");
    let items = parse_events(&text);
    assert_eq!(items.len(), 3);
    assert!(matches!(
        items[1],
        Err(EventError::TooLarge {
            record: 2,
            line: 2,
            ..
        })
    ));
    assert!(items[2].is_ok());
}

#[test]
fn io_errors_end_the_stream() {
    struct Failing;
    impl std::io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    let items: Vec<_> = read_events(std::io::BufReader::new(Failing)).collect();
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().to_string(),
        "cannot read the ActionTrail input after line 1: disk on fire"
    );
}

/// JSON texts made of an event's member names (and others, one spelled with an escape) at any
/// depth, names repeated now and then, values of every type.
fn event_like_json() -> impl Strategy<Value = String> {
    let name = proptest::sample::select(vec![
        "eventName",
        "eventId",
        "eventTime",
        "errorCode",
        "userIdentity",
        "type",
        "sessionContext",
        "attributes",
        "mfaAuthenticated",
        "additionalEventData",
        "Scheme",
        "requestParameters",
        "InstanceId",
        "x",
        "\\u0078",
    ]);
    let leaf = proptest::sample::select(vec![
        "null",
        "true",
        "-3",
        "1.5",
        "\"\"",
        "\"a\"",
        "\"2024-01-01T00:00:00Z\"",
        "\"{}\"",
        "[]",
        "{}",
    ])
    .prop_map(String::from);
    let value = leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            proptest::collection::vec((name.clone(), inner), 0..6).prop_map(|members| {
                let members: Vec<String> = members
                    .iter()
                    .map(|(name, value)| format!("\"{name}\":{value}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    proptest::collection::vec(value, 1..4).prop_map(|values| {
        // Mostly an event (`eventName` first), its other members from the values.
        let names = ["userIdentity", "requestParameters", "additionalEventData"];
        let mut members = vec!["\"eventName\":\"A\"".to_string()];
        for (name, value) in names.iter().zip(&values) {
            members.push(format!("\"{name}\":{value}"));
        }
        format!("{{{}}}", members.join(","))
    })
}

proptest! {
    #[test]
    fn the_one_pass_reader_agrees_with_the_full_reader(text in event_like_json()) {
        // Whatever the one-pass reader gives, the duplicate check and the full reader give
        // too; and it gives nothing for a record holding a duplicate member.
        let quick = fast::read(text.as_bytes(), 3, 7);
        if crate::json::find_duplicate_member(&text).is_some() {
            prop_assert!(quick.is_none(), "{}", text);
        }
        if let Some(event) = quick {
            prop_assert!(crate::json::find_duplicate_member(&text).is_none(), "{}", text);
            let full = Event::from_value(serde_json::from_str(&text).unwrap(), 3, 7);
            prop_assert_eq!(Ok(event), full, "{}", text);
        }
    }

    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let count = read_events(bytes.as_slice()).take(1000).count();
        prop_assert!(count <= 1000);
    }

    #[test]
    fn never_panics_on_json_ish_lines(
        lines in proptest::collection::vec("[\\[\\]{}\",:a-z0-9 \\\\\\n]{0,40}", 0..12)
    ) {
        let text = lines.join("\n");
        for item in parse_events(&text) {
            if let Err(error) = item {
                prop_assert!(!error.to_string().is_empty());
            }
        }
    }

    #[test]
    fn every_good_line_survives_bad_neighbours(
        bad in proptest::collection::vec("[{}\\[\\]\",:a-z ]{1,20}", 1..6)
    ) {
        // One good event per line after the first good line: each still comes out.
        let mut text = format!("{DESCRIBE}\n");
        for line in &bad {
            text.push_str(&line.replace('\n', " "));
            text.push('\n');
            text.push_str(DESCRIBE);
            text.push('\n');
        }
        let good = parse_events(&text).into_iter().filter(|item| item.is_ok()).count();
        prop_assert!(good > bad.len());
    }
}
