//! The README's "Install" and "Using it" blocks are commands a new user types: each one must run
//! from the repository root on the files it names (exit 0 or 1, never a usage or input error).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

/// The `ram-policy …` lines of the first `sh` block after `heading`, split into arguments, with a
/// trailing `> file` redirection dropped (the test reads standard output instead).
fn commands_under(heading: &str) -> Vec<Vec<String>> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}`"))..];
    let block = &section[section.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    block
        .lines()
        .map(|line| line.split('#').next().unwrap().trim())
        .filter(|line| line.starts_with("ram-policy "))
        .map(|line| {
            let line = line.split(" > ").next().unwrap();
            line.split_whitespace().skip(1).map(String::from).collect()
        })
        .collect()
}

fn run_all(heading: &str, expect: &[i32]) -> usize {
    let commands = commands_under(heading);
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = common::run(&args, b"");
        let code = output.status.code().unwrap();
        assert!(
            expect.contains(&code),
            "`ram-policy {}` exited with {code}:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            !output.stdout.is_empty(),
            "`ram-policy {}` printed nothing",
            args.join(" ")
        );
    }
    commands.len()
}

#[test]
fn the_install_block_runs() {
    assert_eq!(run_all("## Install", &[0]), 1);
}

#[test]
fn every_using_it_example_runs_on_the_repository_files() {
    // 0: allowed / clean; 1: denied / findings — both are the example's point. 2 would be an
    // example that names a missing file or a wrong option.
    assert_eq!(run_all("## Using it", &[0, 1]), 7);
}
