//! `generate --actiontrail` against the floor of reading the same events: parsing each line with
//! `serde_json` and nothing else, in the same run. Prints the median wall time of each (three
//! runs) and the ratios.
//!
//! ```sh
//! cargo bench --bench generate                     # 200,000 events, 2,000 distinct calls
//! GENERATE_BENCH_EVENTS=1000000 cargo bench --bench generate
//! GENERATE_BENCH_INPUT=events.jsonl cargo bench --bench generate   # your own events
//! ```
//!
//! The events come from `scripts/gen-actiontrail.py` (deterministic; needs `python3`), written to
//! a temporary file first, so the disk cache is warm for every measured run.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::indexing_slicing
)]

use ram_policy::generate::{Generator, InputKind, Options};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn input() -> PathBuf {
    if let Ok(path) = std::env::var("GENERATE_BENCH_INPUT") {
        return PathBuf::from(path);
    }
    // `cargo test` runs benchmarks once without `--bench`, to check they work: a small input then.
    let default = if std::env::args().any(|arg| arg == "--bench") {
        "200000"
    } else {
        "2000"
    };
    let events = std::env::var("GENERATE_BENCH_EVENTS").unwrap_or_else(|_| default.into());
    let path = std::env::temp_dir().join(format!("ram-policy-generate-bench-{events}.jsonl"));
    if !path.exists() {
        let root = env!("CARGO_MANIFEST_DIR");
        let output = std::process::Command::new("python3")
            .arg(Path::new(root).join("scripts/gen-actiontrail.py"))
            .args(["--events", &events, "--seed", "7", "--distinct", "2000"])
            .output()
            .expect("python3 scripts/gen-actiontrail.py");
        assert!(output.status.success());
        std::fs::write(&path, output.stdout).unwrap();
    }
    path
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn measure(mut run: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::new();
    let mut result = 0;
    for _ in 0..3 {
        let start = Instant::now();
        result = run();
        times.push(start.elapsed());
    }
    (median(times), result)
}

fn main() {
    let path = input();
    let bytes = std::fs::metadata(&path).unwrap().len();
    let open = || BufReader::with_capacity(1 << 16, std::fs::File::open(&path).unwrap());
    let (floor, lines) = measure(|| {
        let mut parsed = 0;
        for line in open().lines() {
            let line = line.unwrap();
            if serde_json::from_str::<serde_json::Value>(&line).is_ok() {
                parsed += 1;
            }
        }
        parsed
    });
    let generate = |threads: usize| {
        measure(|| {
            let mut generator = Generator::new(Options {
                threads,
                ..Options::default()
            })
            .unwrap();
            generator.read(InputKind::ActionTrail, open());
            let generation = generator.finish();
            assert!(generation.result.is_ok());
            generation.summary.used as usize
        })
    };
    let (one, used) = generate(1);
    let (all, _) = generate(0);
    let cores = std::thread::available_parallelism().map_or(1, |count| count.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{lines} events ({:.1} MB, {used} calls used), {cores} cores, load average {}",
        bytes as f64 / 1e6,
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("| run | median of 3 | × the serde_json floor |");
    println!("| --- | ---: | ---: |");
    let row = |name: &str, time: Duration| {
        println!(
            "| {name} | {:.3} s | {:.2}× |",
            time.as_secs_f64(),
            time.as_secs_f64() / floor.as_secs_f64()
        );
    };
    row(
        "floor: `serde_json::from_str::<Value>` on each line, one thread",
        floor,
    );
    row("`generate`, one thread (`--threads 1`)", one);
    row(
        &format!("`generate`, every core (`--threads 0`: {cores})"),
        all,
    );
}
