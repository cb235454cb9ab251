//! Reads ActionTrail events from a file (or `-` for standard input) and prints counts: a quick
//! throughput check for the streaming reader.
//!
//! `cargo run --release --example count_events -- events.jsonl`
//!
//! With `--duplicate-cost` after the file (JSON Lines only), it also times, in the same run,
//! the duplicate-member check alone over every line (`json::has_duplicate_members`, the separate
//! pass the reader ran on every record until its one-pass parse checked duplicates itself) and
//! prints it as a share of the whole read.

use ram_policy::{read_events, EventFilter};
use std::collections::BTreeMap;
use std::io::BufReader;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".into());
    let input: Box<dyn std::io::Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(&path)?)
    };
    let started = std::time::Instant::now();
    let filter = EventFilter::default();
    let (mut used, mut errors) = (0usize, 0usize);
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut actions: BTreeMap<String, usize> = BTreeMap::new();
    for item in read_events(BufReader::with_capacity(1 << 16, input)) {
        match item {
            Ok(event) => match filter.check(&event) {
                Some(reason) => *skipped.entry(reason.kind()).or_default() += 1,
                None => {
                    used += 1;
                    *actions.entry(event.into_request().action).or_default() += 1;
                }
            },
            Err(error) => {
                errors += 1;
                if errors <= 5 {
                    eprintln!("{error}");
                }
            }
        }
    }
    println!("used {used}, errors {errors}, skipped {skipped:?}");
    println!("actions {}", actions.len());
    let whole = started.elapsed();
    if std::env::args().nth(2).as_deref() == Some("--duplicate-cost") && path != "-" {
        let text = std::fs::read(&path)?;
        let started = std::time::Instant::now();
        let duplicates = text
            .split(|byte| *byte == b'\n')
            .filter(|line| ram_policy::__private::json::has_duplicate_members(line))
            .count();
        let check = started.elapsed();
        println!(
            "read and filter {:.3} s; duplicate check alone {:.3} s ({:.0}% of the read; {duplicates} records with duplicates)",
            whole.as_secs_f64(),
            check.as_secs_f64(),
            100.0 * check.as_secs_f64() / whole.as_secs_f64()
        );
    }
    Ok(())
}
