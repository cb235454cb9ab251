//! Reads ActionTrail events from a file (or `-` for standard input) and prints counts: a quick
//! throughput check for the streaming reader.
//!
//! `cargo run --release --example count_events -- events.jsonl`

use ram_policy::actiontrail::{read_events, EventFilter};
use std::collections::BTreeMap;
use std::io::BufReader;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".into());
    let input: Box<dyn std::io::Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(&path)?)
    };
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
    Ok(())
}
