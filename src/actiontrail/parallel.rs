//! Reading events on several threads, in the order one thread would give them.
//!
//! Splitting an input into records needs every byte in turn (a string or a bracket may span a
//! buffer), so one thread splits; parsing a record needs only its bytes, so `workers` threads
//! parse batches of records at once. The caller's thread gets the events back in input order:
//! batches carry a sequence number, arrive in any order, and wait until the ones before them have
//! been handed on. Record numbers are given in that order too (a batch is numbered from 1 while it
//! is parsed, then shifted by the number of records before it), so every item, error messages
//! included, is the one [`EventReader`]'s iterator gives.
//!
//! Memory stays bounded: at most twice `workers` batches wait to be parsed, and parsed batches
//! wait only for the one batch before them that is still being parsed.

use super::event::{Event, EventError};
use super::reader::{parse_piece, EventReader, Piece};
use std::collections::{BTreeMap, VecDeque};
use std::io::BufRead;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Mutex;

/// Records per batch: large enough that a batch costs much more to parse than to pass between
/// threads, small enough that a few batches in flight hold little memory.
const BATCH: usize = 512;

type Item = Result<Event, EventError>;

/// Parsed items of one batch and the number of record numbers they take.
struct Parsed {
    items: VecDeque<Item>,
    records: usize,
}

/// Reads every event of `reader` with `workers` parsing threads and gives each item to `sink`,
/// in input order, numbered as [`EventReader`] numbers them. With `workers` 0 it reads on the
/// calling thread alone.
pub fn for_each_event<R: BufRead + Send>(reader: R, workers: usize, mut sink: impl FnMut(Item)) {
    if workers == 0 {
        EventReader::new(reader).for_each(sink);
        return;
    }
    let (job_sender, job_receiver) = sync_channel::<(usize, Vec<Piece>)>(workers * 2);
    let (done_sender, done_receiver) = sync_channel::<(usize, Parsed)>(workers * 2);
    let jobs = Mutex::new(job_receiver);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut events = EventReader::new(reader);
            let mut batch = Vec::with_capacity(BATCH);
            let mut sequence = 0;
            while let Some(piece) = events.next_piece() {
                batch.push(piece);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if job_sender.send((sequence, full)).is_err() {
                        return;
                    }
                    sequence += 1;
                }
            }
            if !batch.is_empty() {
                let _ = job_sender.send((sequence, batch));
            }
        });
        for _ in 0..workers {
            let done_sender = done_sender.clone();
            let jobs = &jobs;
            scope.spawn(move || {
                while let Some((sequence, pieces)) = next_job(jobs) {
                    let mut parsed = Parsed {
                        items: VecDeque::with_capacity(pieces.len()),
                        records: 0,
                    };
                    for piece in pieces {
                        parse_piece(piece, &mut parsed.records, &mut parsed.items);
                    }
                    if done_sender.send((sequence, parsed)).is_err() {
                        return;
                    }
                }
            });
        }
        // Only the workers' clones keep the channel open: it closes when the last one is done.
        drop(done_sender);
        let mut waiting: BTreeMap<usize, Parsed> = BTreeMap::new();
        let mut next = 0;
        let mut records_before = 0;
        for (sequence, parsed) in done_receiver {
            waiting.insert(sequence, parsed);
            while let Some(parsed) = waiting.remove(&next) {
                for mut item in parsed.items {
                    match &mut item {
                        Ok(event) => event.record += records_before,
                        Err(error) => error.shift_record(records_before),
                    }
                    sink(item);
                }
                records_before += parsed.records;
                next += 1;
            }
        }
    });
}

/// The next batch to parse, or `None` when the splitter is done.
fn next_job(jobs: &Mutex<Receiver<(usize, Vec<Piece>)>>) -> Option<(usize, Vec<Piece>)> {
    // A poisoned lock means another worker panicked; the scope re-raises that panic.
    let receiver = jobs.lock().ok()?;
    receiver.recv().ok()
}

/// How many parsing threads to use for `threads` threads in all: the others are the splitting
/// thread and the caller's. `0` means one parsing thread per core: the splitter only finds line
/// ends and the caller only merges, so leaving them a core of their own wasted half the machine
/// on two cores (one worker was slower than reading on one thread; see docs/PERFORMANCE.md).
pub fn workers_for(threads: usize) -> usize {
    if threads == 0 {
        let cores = std::thread::available_parallelism().map_or(1, |count| count.get());
        return if cores == 1 { 0 } else { cores };
    }
    // One thread in all means no helper thread; otherwise the splitter takes one.
    threads - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every layout, broken records among good ones, an array in a line and a LookupEvents
    /// response: the same items, numbered the same, with any number of workers.
    #[test]
    fn items_are_those_of_one_thread() {
        let good = |n: usize| {
            format!(
                r#"{{"eventName":"StartInstance","eventSource":"ecs.aliyuncs.com","acsRegion":"cn-hangzhou","requestParameters":{{"InstanceId":"i-{n}"}},"userIdentity":{{"type":"ram-user","accountId":"1234567890123456"}}}}"#
            )
        };
        let mut lines = Vec::new();
        for n in 0..3000 {
            lines.push(match (n + 5) % 97 {
                0 => "{\"eventName\": ".to_string(),
                1 => "[1, 2]".to_string(),
                2 => format!("[{}, {}]", good(n), good(n + 1)),
                3 => format!(
                    r#"{{"Events": [{}, {}], "RequestId": "r"}}"#,
                    good(n),
                    good(n + 1)
                ),
                4 => r#"{"eventName": "A", "eventName": "B"}"#.to_string(),
                _ => good(n),
            });
        }
        let json_lines = lines.join("\n");
        let array = format!(
            "[\n{}\n]",
            lines
                .iter()
                .filter(|line| !line.starts_with("{\"eventName\": "))
                .cloned()
                .collect::<Vec<_>>()
                .join(",\n")
        );
        for text in [json_lines, array] {
            let expected: Vec<String> = EventReader::new(text.as_bytes())
                .map(|item| format!("{item:?}"))
                .collect();
            assert!(expected.len() > 2900, "{expected:?}");
            for workers in [0, 1, 3] {
                let mut got = Vec::new();
                for_each_event(text.as_bytes(), workers, |item| {
                    got.push(format!("{item:?}"))
                });
                assert_eq!(got, expected, "{workers} workers");
            }
        }
    }
}
