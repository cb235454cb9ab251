//! Hostile inputs: each ends with a clear error or a correct answer, in bounded time and memory,
//! never a crash (death by signal) or a hang.
//!
//! Through the CLI (`ram-policy resolve`, the command that reads user files today), each child
//! runs under `sh -c 'ulimit -v …'` (4 GiB of address space) and is killed if it is still
//! running after [`HANG_LIMIT`]: a hang detector, not a performance assertion. Policies have no
//! CLI reader on this branch yet, so the policy cases go through the library (the same
//! functions the CLI will call); see docs/RELIABILITY.md for the follow-ups once `eval`, `lint`,
//! `explain` and `generate` are merged. Files are written under the system temporary directory,
//! never into the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ram_policy::eval::{reference, CompiledPolicySet, Decision, PolicySet};
use ram_policy::policy::PolicyDocument;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Far above any expected run time (debug build, a 2-core machine loaded by other builds and
/// fuzzers: the 50 MB lint case once took 60 s there): only a hang gets here.
const HANG_LIMIT: Duration = Duration::from_secs(300);
/// The address-space cap of each child, in KiB (4 GiB).
const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;

/// A file under the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str) -> Self {
        TempFile(
            std::env::temp_dir().join(format!("ram-policy-hostile-{}-{name}", std::process::id())),
        )
    }

    fn with(name: &str, bytes: &[u8]) -> Self {
        let file = TempFile::new(name);
        std::fs::write(&file.0, bytes).unwrap();
        file
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `ram-policy` with a memory cap and a hang detector; fails on a signal or a hang.
fn run(args: &[&str]) -> Outcome {
    // A number per run: tests run in parallel, and two runs must never share an output file.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let stdout = TempFile::new(&format!("stdout-{run}"));
    let stderr = TempFile::new(&format!("stderr-{run}"));
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_ram-policy"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout.0).unwrap())
        .stderr(File::create(&stderr.0).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > HANG_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`ram-policy {args:?}` still ran after {HANG_LIMIT:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout_text = String::from_utf8_lossy(&std::fs::read(&stdout.0).unwrap()).into_owned();
    let stderr_text = String::from_utf8_lossy(&std::fs::read(&stderr.0).unwrap()).into_owned();
    let Some(code) = status.code() else {
        panic!("`ram-policy {args:?}` was killed by a signal ({status:?}): {stderr_text}");
    };
    assert!(
        !stderr_text.contains("panicked"),
        "`ram-policy {args:?}` panicked: {stderr_text}"
    );
    Outcome {
        code,
        stdout: stdout_text,
        stderr: stderr_text,
    }
}

/// A bad-input error: exit code 2 and one `error: <file>: …` line that contains `expected`.
fn assert_clear_error(outcome: &Outcome, expected: &str) {
    assert_eq!(outcome.code, 2, "stderr: {}", outcome.stderr);
    let first = outcome.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{}", outcome.stderr);
    assert!(first.contains(expected), "`{expected}` not in: {first}");
    assert!(first.len() < 500, "the message stays short: {first}");
}

const MB: usize = 1_000_000;

#[test]
fn a_50_mb_request_is_answered() {
    // 50 MB in a parameter no template uses: read, parsed, and correctly ignored.
    let padding = "x".repeat(50 * MB);
    let request = format!(
        r#"{{"action":"ecs:StartInstance","account":"1","region":"cn-hangzhou","params":{{"InstanceId":"i-1","Description":"{padding}"}}}}"#
    );
    let file = TempFile::with("50mb.json", request.as_bytes());
    let outcome = run(&["resolve", file.path(), "--format", "json"]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(
        value["resources"],
        serde_json::json!(["acs:ecs:cn-hangzhou:1:instance/i-1"])
    );
}

#[test]
fn a_file_over_the_64_mib_limit_is_refused_before_parsing() {
    let file = TempFile::new("65mib.json");
    // A sparse file: no 65 MiB written to disk.
    File::create(&file.0)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let outcome = run(&["resolve", file.path()]);
    assert_clear_error(&outcome, "it is larger than 64 MiB");
}

#[test]
fn json_nested_100_000_deep_is_an_error() {
    for (name, text) in [
        ("arrays", "[".repeat(100_000) + &"]".repeat(100_000)),
        (
            "objects",
            r#"{"action":"ecs:StartInstance","params":"#.to_string() + &"{\"a\":".repeat(100_000),
        ),
    ] {
        let file = TempFile::with(&format!("deep-{name}.json"), text.as_bytes());
        let outcome = run(&["resolve", file.path()]);
        assert_clear_error(&outcome, "JSON nested deeper than 128 levels");
    }
    // Policies: the span-aware parser refuses past 256 levels before recursing.
    let deep = "{\"Statement\":".repeat(100_000) + "1" + &"}".repeat(100_000);
    let error = PolicyDocument::parse(&deep).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("JSON nested deeper than 256 levels"),
        "{error}"
    );
}

#[test]
fn invalid_utf8_is_an_error_with_the_offset() {
    let mut bytes = br#"{"action": "ecs:StartInstance", "params": {"InstanceId": "i-"#.to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"\xff\xfe\"}}");
    let file = TempFile::with("invalid-utf8.json", &bytes);
    let outcome = run(&["resolve", file.path()]);
    assert_clear_error(
        &outcome,
        &format!("it is not UTF-8 text (invalid byte at offset {offset})"),
    );
}

#[test]
fn an_empty_file_is_an_error() {
    for (name, content) in [("empty", ""), ("blank", " \n\t\n")] {
        let file = TempFile::with(&format!("{name}.json"), content.as_bytes());
        let outcome = run(&["resolve", file.path()]);
        assert_clear_error(&outcome, "the text is empty; a request is a JSON object");
        let json = run(&["resolve", file.path(), "--format", "json"]);
        assert_eq!(json.code, 2);
        let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(value["error"]["kind"], "malformed_json", "{value}");
    }
    let error = PolicyDocument::parse("").unwrap_err();
    assert!(error.to_string().contains("no JSON value"), "{error}");
}

#[test]
fn a_request_with_100_000_parameters_is_answered() {
    // 100,000 security groups: one ARN each, in numeric order, after the image and before the
    // rest; then 100,000 parameters no template uses, which change nothing.
    let mut params = serde_json::Map::new();
    params.insert("ImageId".into(), "m-1".into());
    for index in 1..=100_000 {
        params.insert(
            format!("SecurityGroupIds.{index}"),
            format!("sg-{index}").into(),
        );
    }
    let request = serde_json::json!({"action": "ecs:RunInstances", "account": "1",
        "region": "cn-hangzhou", "params": params});
    let file = TempFile::with("100k-params.json", request.to_string().as_bytes());
    let outcome = run(&["resolve", file.path(), "--format", "json"]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    let resources: Vec<&str> = value["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|arn| arn.as_str().unwrap())
        .collect();
    let groups: Vec<&str> = resources
        .iter()
        .copied()
        .filter(|arn| arn.contains(":securitygroup/"))
        .collect();
    assert_eq!(groups.len(), 100_000);
    assert_eq!(groups[0], "acs:ecs:cn-hangzhou:1:securitygroup/sg-1");
    assert_eq!(groups[9], "acs:ecs:cn-hangzhou:1:securitygroup/sg-10");
    assert_eq!(
        groups[99_999],
        "acs:ecs:cn-hangzhou:1:securitygroup/sg-100000"
    );

    let mut unused = serde_json::Map::new();
    unused.insert("InstanceId".into(), "i-1".into());
    for index in 0..100_000 {
        unused.insert(format!("Tag.{index}.Key"), format!("k{index}").into());
    }
    let request = serde_json::json!({"action": "ecs:StartInstance", "account": "1",
        "region": "cn-hangzhou", "params": unused});
    let file = TempFile::with("100k-unused.json", request.to_string().as_bytes());
    let outcome = run(&["resolve", file.path(), "--format", "json"]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(
        value["resources"],
        serde_json::json!(["acs:ecs:cn-hangzhou:1:instance/i-1"])
    );
}

fn policy(resource: &str) -> String {
    serde_json::json!({"Version": "1", "Statement": [
        {"Effect": "Allow", "Action": "ecs:StartInstance", "Resource": resource}]})
    .to_string()
}

/// Both evaluators' decision for one ARN, checked to agree and timed against the hang limit.
fn decide(set: &PolicySet, arn: &str) -> Decision {
    let started = Instant::now();
    let context = BTreeMap::new();
    let expected = reference::evaluate(set, "ecs:StartInstance", &[arn], &context).decision;
    let compiled = CompiledPolicySet::new(set.clone());
    assert_eq!(
        compiled.decide("ecs:StartInstance", &[arn], &context),
        expected
    );
    assert!(started.elapsed() < HANG_LIMIT, "a hang");
    expected
}

#[test]
fn a_resource_pattern_of_10_000_stars_is_matched_correctly() {
    // Through the library: the `eval` command is not on this branch yet.
    let arn = "acs:ecs:cn-hangzhou:1:instance/i-1";
    let stars = "*".repeat(10_000);
    let set = PolicySet::parse(&[("stars", policy(&stars))]).unwrap();
    assert_eq!(decide(&set, arn), Decision::Allow);
    // Stars around literals: matching stays linear (automata), and right.
    let spread = format!("acs:{stars}:instance/{stars}1");
    let set = PolicySet::parse(&[("spread", policy(&spread))]).unwrap();
    assert_eq!(decide(&set, arn), Decision::Allow);
    assert_eq!(
        decide(&set, "acs:ecs:cn-hangzhou:1:instance/i-2"),
        Decision::ImplicitDeny
    );
    // Stars that cannot collapse, within RAM's 6,144-character document limit:
    // matching is then O(pattern × ARN) at worst (see docs/RELIABILITY.md).
    let alternating = "*i".repeat(1_000) + "*";
    let set = PolicySet::parse(&[("alternating", policy(&alternating))]).unwrap();
    assert_eq!(
        decide(&set, arn),
        Decision::ImplicitDeny,
        "the ARN has two `i`s"
    );
    let long_arn = format!("acs:ecs:cn-hangzhou:1:instance/{}", "i".repeat(1_000));
    assert_eq!(decide(&set, &long_arn), Decision::Allow);
}

#[test]
fn a_50_mb_policy_is_read_or_refused_clearly() {
    // One line, non-ASCII text in every value: positions used to be counted from the line start
    // for every node, which made this quadratic (minutes for a few MB, hours for 50 MB).
    let value = format!("\"acs:ecs:*:*:instance/é-{}\"", "x".repeat(1_000));
    let count = 50 * MB / (value.len() + 1);
    let resources = vec![value.as_str(); count].join(",");
    let text = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"ecs:StartInstance","Resource":[{resources}]}}]}}"#
    );
    assert!(text.len() > 50 * MB - 1000);
    let started = Instant::now();
    let document = PolicyDocument::parse(&text).unwrap();
    assert_eq!(document.errors().count(), 0);
    let resource = document.statements[0].resource.as_ref().unwrap();
    assert_eq!(resource.value.len(), count);
    let last = &resource.value[count - 1].span;
    // Columns count characters: one `é` (two bytes) in each value before.
    assert_eq!(last.start.column, last.offset + 1 - (count - 1));
    assert!(started.elapsed() < HANG_LIMIT, "a hang");
    // The same text as a request file through the CLI: read, then refused clearly.
    let file = TempFile::with("50mb-policy.json", text.as_bytes());
    let outcome = run(&["resolve", file.path()]);
    assert_clear_error(&outcome, "unknown member `/Statement` in the request");
}

/// The policy-reading commands on hostile policy files: `lint` reports (exit 1 for the errors
/// it finds, never a crash or a hang), `eval` answers or refuses clearly.
#[test]
fn policy_commands_survive_hostile_policy_files() {
    let request = TempFile::with(
        "request.json",
        br#"{"action":"ecs:StartInstance","account":"1","region":"cn-hangzhou","params":{"InstanceId":"i-1"}}"#,
    );
    // 50 MB: one statement with about 48,000 resources (far past RAM's 6,144 characters).
    let value = format!("\"acs:ecs:*:*:instance/é-{}\"", "x".repeat(1_000));
    let count = 50 * MB / (value.len() + 1);
    let resources = vec![value.as_str(); count].join(",");
    let big = TempFile::with(
        "50mb-lint.json",
        format!(r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"ecs:StartInstance","Resource":[{resources}]}}]}}"#).as_bytes(),
    );
    let outcome = run(&["lint", big.path(), "--format", "json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(outcome.stdout.contains("POLICY_SIZE_EXCEEDS_QUOTA"));
    let outcome = run(&["eval", "--policy", big.path(), "--request", request.path()]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(
        outcome.stdout.starts_with("ImplicitDeny"),
        "{}",
        outcome.stdout
    );
    // A Resource of 10,000 `*` then `x`: matched in bounded time, and lint reports it.
    let stars = TempFile::with(
        "stars.json",
        format!(r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"ecs:StartInstance","Resource":"{}x"}}]}}"#, "*".repeat(10_000)).as_bytes(),
    );
    let outcome = run(&[
        "eval",
        "--policy",
        stars.path(),
        "--request",
        request.path(),
    ]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(
        outcome.stdout.starts_with("ImplicitDeny"),
        "{}",
        outcome.stdout
    );
    let outcome = run(&["lint", stars.path(), "--format", "json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    // Nested 100,000 deep, invalid UTF-8 and an empty file: a JSON_SYNTAX_ERROR finding or a
    // clear error naming the file.
    let deep = TempFile::with("deep.json", "[".repeat(100_000).as_bytes());
    let outcome = run(&["lint", deep.path(), "--format", "json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(
        outcome.stdout.contains("JSON_SYNTAX_ERROR"),
        "{}",
        outcome.stdout
    );
    let outcome = run(&["eval", "--policy", deep.path(), "--request", request.path()]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(outcome.stderr.contains("deep.json"), "{}", outcome.stderr);
    let binary = TempFile::with("binary.json", &[0xff, 0xfe, 0x00, b'{']);
    let outcome = run(&["lint", binary.path()]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(outcome.stderr.contains("not UTF-8"), "{}", outcome.stderr);
    let empty = TempFile::with("empty-policy.json", b"");
    let outcome = run(&["lint", empty.path(), "--format", "json"]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(
        outcome.stdout.contains("JSON_SYNTAX_ERROR"),
        "{}",
        outcome.stdout
    );
}

/// `explain` and `generate` on hostile files: an answer or a clear error, never a crash or a hang.
#[test]
fn explain_and_generate_survive_hostile_files() {
    let request = TempFile::with(
        "explain-request.json",
        br#"{"action":"ecs:StartInstance","account":"1","region":"cn-hangzhou","params":{"InstanceId":"i-1"}}"#,
    );
    let stars = TempFile::with(
        "explain-stars.json",
        format!(r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"ecs:StartInstance","Resource":"{}x"}}]}}"#, "*".repeat(10_000)).as_bytes(),
    );
    let outcome = run(&[
        "explain",
        "--policy",
        stars.path(),
        "--request",
        request.path(),
    ]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(
        outcome
            .stdout
            .starts_with("DENIED (no statement allows it)"),
        "{}",
        outcome.stdout
    );
    let deep = TempFile::with("explain-deep.json", "[".repeat(100_000).as_bytes());
    let outcome = run(&[
        "explain",
        "--policy",
        deep.path(),
        "--request",
        request.path(),
    ]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    let outcome = run(&[
        "explain",
        "--policy",
        stars.path(),
        "--actiontrail",
        deep.path(),
    ]);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    // generate: 50 MB of events (one call repeated) is one distinct call; garbage is reported.
    let event = r#"{"eventName":"StopInstance","serviceName":"Ecs","eventType":"ApiCall","acsRegion":"cn-hangzhou","recipientAccountId":"1234567890123456","requestParameters":{"InstanceId":"i-1","RegionId":"cn-hangzhou"}}"#;
    let count = 50 * MB / (event.len() + 1);
    let events = TempFile::with(
        "50mb-events.jsonl",
        format!("{event}\n").repeat(count).as_bytes(),
    );
    let outcome = run(&["generate", "--actiontrail", events.path()]);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(
        outcome
            .stdout
            .contains("acs:ecs:cn-hangzhou:1234567890123456:instance/i-1"),
        "{}",
        outcome.stdout
    );
    for (name, bytes) in [
        ("events-deep.json", "[".repeat(100_000).into_bytes()),
        ("events-binary.json", vec![0xff, 0xfe, 0x00, b'{']),
        ("events-empty.json", Vec::new()),
    ] {
        let file = TempFile::with(name, &bytes);
        let outcome = run(&["generate", "--actiontrail", file.path()]);
        assert_eq!(outcome.code, 2, "{name}: {}", outcome.stderr);
        assert!(
            outcome.stderr.contains("error"),
            "{name}: {}",
            outcome.stderr
        );
    }
}

/// A directory tree under the temporary directory, removed when dropped.
#[cfg(unix)]
struct TempTree(PathBuf);

#[cfg(unix)]
impl TempTree {
    fn new(name: &str) -> Self {
        let root =
            std::env::temp_dir().join(format!("ram-policy-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        TempTree(root)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn path(&self, relative: &str) -> String {
        self.0.join(relative).to_str().unwrap().to_string()
    }
}

#[cfg(unix)]
impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A policy allowing one made-up action: lint reports it by name (`INVALID_ACTION`), and eval
/// and explain list its statement, so every output shows which files were read.
#[cfg(unix)]
fn marker_policy(name: &str) -> String {
    format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"ecs:Marker{name}","Resource":"*"}}]}}"#
    )
}

/// Directories with a symlink to a file outside, a symlink to a folder outside, a symlink loop,
/// a FIFO, a hidden folder, `node_modules` and a `.gitignore`: `lint`, `eval --policy DIR` and
/// `explain --policy DIR` read exactly the expected files, in every format, and finish; no byte
/// of the outside files appears in any output, with or without `--follow`.
#[cfg(unix)]
#[test]
fn directory_walks_read_only_the_expected_files() {
    let outside = TempTree::new("walk-outside");
    outside.write("secret.json", &marker_policy("OutsideSecret"));
    outside.write("dir/other.json", &marker_policy("OutsideFolder"));
    let tree = TempTree::new("walk-tree");
    tree.write("a.json", &marker_policy("Top"));
    tree.write("sub/b.json", &marker_policy("Nested"));
    tree.write(".hidden/h.json", &marker_policy("Hidden"));
    tree.write(".dot.json", &marker_policy("DotFile"));
    tree.write("node_modules/pkg/n.json", &marker_policy("NodeModules"));
    tree.write("build/g.json", &marker_policy("GitIgnored"));
    tree.write(".gitignore", "build/\n");
    let link =
        |target: String, at: &str| std::os::unix::fs::symlink(target, tree.path(at)).unwrap();
    link(outside.path("secret.json"), "leak.json");
    link(outside.path("dir"), "leakdir");
    link(tree.path("a.json"), "sub/again.json");
    link(tree.path(""), "sub/loop");
    link("/proc/self/environ".into(), "environ.json");
    let fifo = tree.path("pipe.json");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let request = TempFile::with(
        "walk-request.json",
        br#"{"action":"ecs:StartInstance","account":"1","region":"cn-hangzhou","params":{"InstanceId":"i-1"}}"#,
    );
    let root = tree.path("").trim_end_matches('/').to_string();
    let all = [
        "Top",
        "Nested",
        "Hidden",
        "DotFile",
        "NodeModules",
        "GitIgnored",
    ];
    let files = [
        "/a.json",
        "/sub/b.json",
        "/.hidden/h.json",
        "/.dot.json",
        "/node_modules/pkg/n.json",
        "/build/g.json",
    ];
    let never = ["OutsideSecret", "OutsideFolder", "PATH=", "HOME="];
    let cases: [(&[&str], &[&str]); 4] = [
        (&[], &["Top", "Nested"]),
        (&["--follow"], &["Top", "Nested"]),
        (&["--no-ignore"], &all),
        (&["--no-ignore", "--follow"], &all),
    ];
    for (flags, expected) in cases {
        let mut runs = Vec::new();
        for format in ["text", "json", "sarif"] {
            let mut args = vec!["lint", root.as_str(), "--format", format];
            args.extend_from_slice(flags);
            runs.push((args.join(" "), run(&args)));
        }
        for format in ["text", "json"] {
            for command in ["eval", "explain"] {
                let mut args = vec![
                    command,
                    "--policy",
                    root.as_str(),
                    "--request",
                    request.path(),
                    "--format",
                    format,
                ];
                args.extend_from_slice(flags);
                runs.push((args.join(" "), run(&args)));
            }
        }
        for (what, outcome) in &runs {
            assert_eq!(outcome.code, 1, "{what}: {}", outcome.stderr);
            let output = format!("{}{}", outcome.stdout, outcome.stderr);
            for (marker, file) in all.iter().zip(files) {
                // lint reports each marker action with its file, eval lists every statement it
                // did not apply with its file; explain shows the three closest statements.
                let shown = output.contains(&format!("Marker{marker}")) || output.contains(file);
                let complete = !what.starts_with("explain") || expected.len() <= 3;
                if shown || complete {
                    assert_eq!(
                        shown,
                        expected.contains(marker),
                        "{what}: `{file}`: {output}"
                    );
                }
            }
            for secret in never {
                assert!(
                    !output.contains(secret),
                    "{what}: `{secret}` leaked: {output}"
                );
            }
            assert!(
                outcome
                    .stderr
                    .contains("pipe.json`: not a regular file (a FIFO)"),
                "{what}: {}",
                outcome.stderr
            );
            if flags.contains(&"--follow") {
                assert!(
                    outcome
                        .stderr
                        .contains("leak.json`: the link leads outside"),
                    "{what}: {}",
                    outcome.stderr
                );
                assert!(
                    outcome
                        .stderr
                        .contains("environ.json`: the link leads outside"),
                    "{what}: {}",
                    outcome.stderr
                );
                assert!(
                    outcome.stderr.contains("a symlink loop back to"),
                    "{what}: {}",
                    outcome.stderr
                );
                assert!(
                    outcome.stderr.contains("again.json`: the same file as"),
                    "{what}: {}",
                    outcome.stderr
                );
            } else {
                assert!(
                    outcome.stderr.contains("leak.json`: a symlink"),
                    "{what}: {}",
                    outcome.stderr
                );
            }
        }
        // Each file once: lint's summary counts the files it read.
        let lint_text = &runs[0].1;
        let files = expected.len();
        assert!(
            lint_text
                .stderr
                .contains(&format!("{files} files, {files} findings")),
            "{}",
            lint_text.stderr
        );
    }
    // A FIFO named on the command line is the user's choice and is read (here, one that is
    // written to); inside a directory it is never opened, which the runs above show by ending.
}
