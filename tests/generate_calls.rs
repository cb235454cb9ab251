//! `generate --emit-calls` and `--from-calls`: a log split into parts, each part's calls emitted
//! and the parts merged, gives the byte-identical policy of one pass over the whole log, whatever
//! the order of the events and wherever the log is cut.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::run;
use std::path::{Path, PathBuf};

/// A small deterministic generator (a linear congruential one: the test needs no quality, only
/// repeatability).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const REGIONS: [&str; 3] = ["cn-hangzhou", "cn-beijing", "ap-southeast-1"];
const ACCOUNTS: [&str; 2] = ["1234567890123456", "2345678901234567"];
const SOURCES: [&str; 3] = ["203.0.113.7", "198.51.100.20", "192.0.2.33"];

/// One ActionTrail event: an ECS call on a small pool of resources, sometimes failed, sometimes
/// a VPC call; `DeleteDisk` sometimes without a source address and `DeleteSnapshot` sometimes
/// from a private one (both then get no `acs:SourceIp` condition), the rest from public ones.
fn event(rng: &mut Lcg, serial: usize) -> String {
    let region = REGIONS[rng.below(REGIONS.len())];
    let account = ACCOUNTS[rng.below(ACCOUNTS.len())];
    let (service, action, params) = match rng.below(8) {
        0 => (
            "ecs",
            "DescribeInstances",
            format!(r#""RegionId":"{region}""#),
        ),
        1 | 2 => (
            "ecs",
            ["StartInstance", "StopInstance", "RebootInstance"][rng.below(3)],
            format!(
                r#""RegionId":"{region}","InstanceId":"i-{:04}""#,
                rng.below(40)
            ),
        ),
        3 => (
            "ecs",
            "AttachDisk",
            format!(
                r#""RegionId":"{region}","InstanceId":"i-{:04}","DiskId":"d-{:04}""#,
                rng.below(40),
                rng.below(30)
            ),
        ),
        4 => (
            "ecs",
            "DeleteSnapshot",
            format!(
                r#""RegionId":"{region}","SnapshotId":"s-{:04}""#,
                rng.below(20)
            ),
        ),
        5 => (
            "ecs",
            "AuthorizeSecurityGroup",
            format!(
                r#""RegionId":"{region}","SecurityGroupId":"sg-{:03}""#,
                rng.below(8)
            ),
        ),
        6 => ("vpc", "DescribeVpcs", format!(r#""RegionId":"{region}""#)),
        _ => (
            "ecs",
            "DeleteDisk",
            format!(r#""RegionId":"{region}","DiskId":"d-{:04}""#, rng.below(30)),
        ),
    };
    let failed = if rng.below(50) == 0 {
        r#","errorCode":"Forbidden.RAM""#
    } else {
        ""
    };
    let source = match (action, rng.below(6)) {
        ("DeleteDisk", 0) => String::new(),
        ("DeleteSnapshot", 0) => r#","sourceIpAddress":"10.1.2.3""#.to_string(),
        (_, pick) => format!(r#","sourceIpAddress":"{}""#, SOURCES[pick % SOURCES.len()]),
    };
    format!(
        r#"{{"eventId":"e-{serial}","eventVersion":"1","eventSource":"{service}.aliyuncs.com","eventType":"ApiCall","eventName":"{action}","serviceName":"{service}","acsRegion":"{region}","eventTime":"2026-11-01T00:{:02}:{:02}Z","userIdentity":{{"type":"ram-user","accountId":"{account}","principalId":"2754{serial:012}","userName":"deployer"}},"requestParameters":{{{params}}}{failed}{source}}}"#,
        (serial / 60) % 60,
        serial % 60
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ram-policy-calls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Runs `ram-policy generate ARGS`, expecting success; its standard output.
fn generate(args: &[&str]) -> Vec<u8> {
    let mut all = vec!["generate"];
    all.extend_from_slice(args);
    let output = run(&all, b"");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{all:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn emitted_parts_merge_into_the_policy_of_one_pass() {
    let dir = scratch("merge");
    let mut rng = Lcg(7);
    let events: Vec<String> = (0..3000).map(|serial| event(&mut rng, serial)).collect();
    let whole = dir.join("whole.jsonl");
    std::fs::write(&whole, events.join("\n")).unwrap();

    // (what the emitting step is given, what the merging step is given)
    let option_sets: [(&[&str], &[&str]); 4] = [
        (&[], &[]),
        (&[], &["--generalize", "ids"]),
        (&["--condition", "acs:SourceIp"], &[]),
        (
            &["--condition", "acs:SourceIp"],
            &["--generalize", "regions", "--max-size", "1500"],
        ),
    ];
    for round in 0..4 {
        // Shuffle the events and cut them into 1 to 5 parts at random places.
        let mut shuffled = events.clone();
        for index in (1..shuffled.len()).rev() {
            shuffled.swap(index, rng.below(index + 1));
        }
        let parts = 1 + round % 5;
        let mut cuts: Vec<usize> = (1..parts).map(|_| rng.below(shuffled.len())).collect();
        cuts.sort_unstable();
        cuts.insert(0, 0);
        cuts.push(shuffled.len());
        for (emit_options, merge_options) in option_sets {
            let mut one_pass = vec!["--actiontrail", path(&whole)];
            one_pass.extend_from_slice(emit_options);
            one_pass.extend_from_slice(merge_options);
            let expected = generate(&one_pass);
            let policy = String::from_utf8_lossy(&expected);
            assert!(policy.contains("ecs:AttachDisk"), "{policy}");
            if !emit_options.is_empty() {
                assert!(policy.contains("\"acs:SourceIp\": ["), "{policy}");
            }

            let mut calls_files = Vec::new();
            for (index, window) in cuts.windows(2).enumerate() {
                let part = dir.join(format!("part-{index}.jsonl"));
                std::fs::write(&part, shuffled[window[0]..window[1]].join("\n")).unwrap();
                let mut emit = vec!["--actiontrail", path(&part), "--emit-calls"];
                emit.extend_from_slice(emit_options);
                let calls = dir.join(format!("part-{index}.calls"));
                std::fs::write(&calls, generate(&emit)).unwrap();
                calls_files.push(calls);
            }
            let mut merge = vec!["--from-calls"];
            merge.extend(calls_files.iter().map(|file| path(file)));
            merge.extend_from_slice(merge_options);
            let merged = generate(&merge);
            assert_eq!(
                String::from_utf8_lossy(&merged),
                String::from_utf8_lossy(&expected),
                "round {round}, {parts} parts, emit {emit_options:?}, merge {merge_options:?}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_calls_file_does_not_depend_on_the_order_of_its_input() {
    let dir = scratch("order");
    let mut rng = Lcg(11);
    let mut events: Vec<String> = (0..500).map(|serial| event(&mut rng, serial)).collect();
    let first = dir.join("first.jsonl");
    std::fs::write(&first, events.join("\n")).unwrap();
    events.reverse();
    let second = dir.join("second.jsonl");
    std::fs::write(&second, events.join("\n")).unwrap();
    let emit = |file: &Path| {
        generate(&[
            "--actiontrail",
            path(file),
            "--emit-calls",
            "--condition",
            "acs:SourceIp",
        ])
    };
    let calls = emit(&first);
    assert_eq!(calls, emit(&second));
    let text = String::from_utf8(calls).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(r#"{"conditions":["acs:SourceIp"],"ram_policy_calls":1}"#)
    );
    let counted: u64 = lines
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            // Only the `--condition` keys of the context are kept.
            let context = value["request"]["context"].as_object().unwrap();
            assert!(context.keys().all(|key| key == "acs:SourceIp"), "{line}");
            value["count"].as_u64().unwrap()
        })
        .sum();
    // Every used call is counted once: failed and VPC calls are not used.
    let summary = run(
        &[
            "generate",
            "--actiontrail",
            path(&first),
            "--summary-format",
            "json",
        ],
        b"",
    );
    let summary: serde_json::Value = serde_json::from_slice(&summary.stderr).unwrap();
    assert_eq!(counted, summary["used"].as_u64().unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unusable_calls_files_and_options_are_refused() {
    let dir = scratch("refused");
    let mut rng = Lcg(3);
    let events: Vec<String> = (0..50).map(|serial| event(&mut rng, serial)).collect();
    let log = dir.join("log.jsonl");
    std::fs::write(&log, events.join("\n")).unwrap();
    let plain = dir.join("plain.calls");
    std::fs::write(
        &plain,
        generate(&["--actiontrail", path(&log), "--emit-calls"]),
    )
    .unwrap();
    let with_ip = dir.join("with-ip.calls");
    let emitted = generate(&[
        "--actiontrail",
        path(&log),
        "--emit-calls",
        "--condition",
        "acs:SourceIp",
    ]);
    std::fs::write(&with_ip, &emitted).unwrap();

    let refused = |args: &[&str], expected: &str| {
        let mut all = vec!["generate"];
        all.extend_from_slice(args);
        let output = run(&all, b"");
        assert_eq!(output.status.code(), Some(2), "{all:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{all:?}: {stderr}");
    };
    // Parts emitted with different `--condition` keys cannot be merged.
    refused(
        &["--from-calls", path(&plain), path(&with_ip)],
        "with-ip.calls: not a usable calls file: line 1: written with --condition `acs:SourceIp` but the merge uses no key",
    );
    // A broken line is named by its number.
    let mut lines: Vec<&str> = std::str::from_utf8(&emitted).unwrap().lines().collect();
    lines.insert(2, r#"{"count":0,"request":{"action":"ecs:StartInstance"}}"#);
    let broken = dir.join("broken.calls");
    std::fs::write(&broken, lines.join("\n")).unwrap();
    refused(
        &["--from-calls", path(&broken)],
        "broken.calls: not a usable calls file: line 3: `count` must be a positive integer",
    );
    // A policy or a log is not a calls file.
    refused(
        &["--from-calls", path(&log)],
        "log.jsonl: not a usable calls file: line 1: not a calls file of format 1",
    );
    // The filters and `--condition` belong to the emitting step, the layout to the merging one.
    refused(
        &["--from-calls", path(&plain), "--condition", "acs:SourceIp"],
        "cannot be used with",
    );
    refused(
        &[
            "--actiontrail",
            path(&log),
            "--emit-calls",
            "--generalize",
            "ids",
        ],
        "cannot be used with",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Reading on several threads gives the same policy and the same summary (record numbers of
/// skipped records included) as one thread, on shuffled logs with broken records among them.
#[test]
fn threads_do_not_change_the_output() {
    let dir = scratch("threads");
    let mut rng = Lcg(5);
    let mut events: Vec<String> = (0..4000).map(|serial| event(&mut rng, serial)).collect();
    for round in 0..3 {
        for index in (1..events.len()).rev() {
            events.swap(index, rng.below(index + 1));
        }
        let mut lines = events.clone();
        // Broken records: an unclosed one, one that is not an object, one with a member twice.
        lines.insert(
            1 + rng.below(3000),
            r#"{"eventName": "StartInstance", "#.to_string(),
        );
        lines.insert(1 + rng.below(3000), "[1, 2]".to_string());
        lines.insert(
            1 + rng.below(3000),
            r#"{"eventName": "A", "eventName": "B"}"#.to_string(),
        );
        let log = dir.join(format!("log-{round}.jsonl"));
        std::fs::write(&log, lines.join("\n")).unwrap();
        let run_with = |threads: &str| {
            let output = run(
                &[
                    "generate",
                    "--actiontrail",
                    path(&log),
                    "--condition",
                    "acs:SourceIp",
                    "--summary-format",
                    "json",
                    "--threads",
                    threads,
                ],
                b"",
            );
            assert_eq!(
                output.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            (output.stdout, output.stderr)
        };
        let one = run_with("1");
        let summary = String::from_utf8_lossy(&one.1);
        assert!(summary.contains("\"malformed\""), "{summary}");
        // Each skipped record's message says what is wrong; its line and record are beside it.
        assert!(
            summary.contains("\"message\": \"expected an event object, found a number\""),
            "{summary}"
        );
        for threads in ["2", "4", "0"] {
            assert!(
                run_with(threads) == one,
                "round {round}, --threads {threads}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
