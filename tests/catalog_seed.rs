//! The catalog against the seed it was read from: every template printed in the seed's
//! authorization table (section 2) must stand verbatim in the catalog, under the right action and
//! line, and every action of the overview (section 1) must be there. The seed lives outside the
//! repository, in `../shared/seed/`; without it these tests skip with a message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use ram_policy::catalog::{Catalog, Segment};
use std::collections::BTreeSet;

const SEED: &str = "000_5d5991c6436aa2be.txt";
const TABLE_LINES: std::ops::RangeInclusive<usize> = 655..=911;
const OVERVIEW_LINES: std::ops::RangeInclusive<usize> = 133..=597;

mod common;

fn seed_lines() -> Option<Vec<String>> {
    let path = common::shared_path(&format!("seed/{SEED}"))?;
    let text = std::fs::read_to_string(&path).unwrap();
    Some(text.lines().map(String::from).collect())
}

/// One printed template of the table: (action as printed, template, 1-based line, optional marker).
#[derive(Debug)]
struct Printed {
    action: String,
    template: String,
    line: usize,
    optional: bool,
}

fn is_action_name(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Reads the table independently of the catalog: an action name starts a row, templates follow
/// on the same line or the next ones; page-break lines are skipped.
fn parse_table(lines: &[String]) -> Vec<Printed> {
    let mut rows = Vec::new();
    let mut action: Option<String> = None;
    for number in TABLE_LINES {
        let line = lines[number - 1].trim();
        if line.is_empty()
            || line == "2.認証ルール"
            || line == "Action Resource"
            || !line.is_ascii() && !line.contains("acs:")
        {
            continue;
        }
        let mut rest = line;
        if let Some((first, tail)) = line
            .split_once(' ')
            .map(|(a, b)| (a, b.trim()))
            .or(Some((line, "")))
        {
            if is_action_name(first) {
                action = Some(first.to_string());
                rest = tail;
            }
        }
        if rest.is_empty() {
            continue;
        }
        let (optional, template) = match rest.strip_prefix("(オプション)") {
            Some(tail) => (true, tail.trim()),
            None => (false, rest),
        };
        assert!(
            template.starts_with("acs:"),
            "line {number}: unexpected text `{line}`"
        );
        rows.push(Printed {
            action: action
                .clone()
                .unwrap_or_else(|| panic!("line {number}: template before any action")),
            template: template.to_string(),
            line: number,
            optional,
        });
    }
    rows
}

#[test]
fn every_printed_template_is_in_the_catalog_verbatim_under_its_action() {
    let Some(lines) = seed_lines() else { return };
    let printed = parse_table(&lines);
    let actions: BTreeSet<&str> = printed.iter().map(|row| row.action.as_str()).collect();
    assert_eq!(actions.len(), 80, "the table has 80 actions");
    assert_eq!(printed.len(), 111, "the table has 111 templates");

    let catalog = Catalog::embedded().unwrap();
    for row in &printed {
        let action = catalog
            .actions()
            .iter()
            .find(|action| {
                let entry = action.entry();
                entry.name == row.action
                    || entry
                        .printed_names
                        .iter()
                        .any(|alias| alias.name == row.action && alias.place == "table")
            })
            .unwrap_or_else(|| {
                panic!(
                    "table action `{}` (line {}) is not in the catalog",
                    row.action, row.line
                )
            });
        let resource = action
            .resources()
            .iter()
            .find(|resource| resource.entry().line as usize == row.line)
            .unwrap_or_else(|| {
                panic!(
                    "`{}` has no resource for seed line {}",
                    row.action, row.line
                )
            });
        assert_eq!(resource.entry().printed, row.template, "line {}", row.line);
        assert_eq!(
            resource.entry().printed_optional,
            row.optional,
            "line {}",
            row.line
        );
    }
    let in_catalog: usize = catalog
        .actions()
        .iter()
        .map(|action| action.resources().len())
        .sum();
    assert_eq!(
        in_catalog,
        printed.len(),
        "the catalog has no template the table does not print"
    );
    assert_eq!(
        catalog
            .actions()
            .iter()
            .filter(|action| action.entry().table_line.is_some())
            .count(),
        80
    );
}

#[test]
fn every_overview_action_is_in_the_catalog() {
    let Some(lines) = seed_lines() else { return };
    let catalog = Catalog::embedded().unwrap();
    let mut names = BTreeSet::new();
    // A row starts after a blank line: the action name, then its description on the same line
    // or the next ones (wrapped descriptions never follow a blank line).
    for number in OVERVIEW_LINES {
        let line = lines[number - 1].trim();
        let after_blank = lines[number - 2].trim().is_empty();
        let first = line.split(' ').next().unwrap_or("");
        if after_blank && is_action_name(first) && first.chars().any(|c| c.is_ascii_lowercase()) {
            names.insert((first.to_string(), number));
        }
    }
    assert_eq!(
        names.len(),
        150,
        "the overview lists 150 actions: {names:?}"
    );
    for (name, line) in &names {
        let found = catalog.actions().iter().any(|action| {
            let entry = action.entry();
            (entry.name == *name && entry.overview_line == Some(*line as u32))
                || entry
                    .printed_names
                    .iter()
                    .any(|alias| alias.name == *name && alias.line as usize == *line)
        });
        assert!(
            found,
            "overview action `{name}` (line {line}) is not in the catalog"
        );
    }
}

#[test]
fn every_erratum_is_used_and_every_correction_is_recorded() {
    let catalog = Catalog::embedded().unwrap();
    let ids: BTreeSet<&str> = catalog
        .errata()
        .iter()
        .map(|erratum| erratum.id.as_str())
        .collect();
    assert_eq!(ids.len(), catalog.errata().len(), "erratum ids are unique");
    for action in catalog.actions() {
        for resource in action.resources() {
            let entry = resource.entry();
            for id in &entry.errata {
                assert!(
                    ids.contains(id.as_str()),
                    "`{}` cites unknown erratum {id}",
                    action.name()
                );
            }
            if entry.printed != entry.template {
                assert!(
                    !entry.errata.is_empty(),
                    "`{}` line {} is corrected without an erratum",
                    action.name(),
                    entry.line
                );
            }
            // Only region, account and the declared bindings appear in the corrected template.
            for segment in resource.template().segments() {
                if let Segment::Variable(name) = segment {
                    assert!(entry.bindings.contains_key(name));
                }
            }
        }
    }
}
