//! An index of wildcard patterns by a literal fragment each must find in the text.
//!
//! A pattern such as `acs:ecs:*:123:instance/i-00*` can only match a text that contains its
//! literal runs (`acs:ecs:`, `:123:instance/i-00`). The index keeps, for each pattern, its longest
//! run, finds every indexed run in a text with one Aho-Corasick pass, and checks only the patterns
//! whose run was found. A set of thousands of patterns that name ids then costs about one pass over
//! the text plus the few patterns that share its runs, where one automaton for the whole set grows
//! with the number of patterns (its states are combinations of theirs).
//!
//! Patterns whose longest run is shorter than [`MIN_FRAGMENT`] would be checked for almost every
//! text; [`FragmentIndex::split`] leaves them to the caller's automaton.

use super::star_match;
use aho_corasick::{AhoCorasick, MatchKind};

/// The shortest literal run worth indexing (`acs:`, `:` and `/` occur in every ARN).
pub const MIN_FRAGMENT: usize = 5;

/// Wildcard patterns indexed by their longest literal run.
#[derive(Debug, Clone)]
pub struct FragmentIndex {
    automaton: AhoCorasick,
    /// For each fragment (by the automaton's pattern id), the distinct patterns that carry it:
    /// the (folded) source and the caller-side indices of its copies (a policy set repeats
    /// `acs:ecs:*:<account>:*` in many statements; each distinct pattern is checked once).
    patterns_by_fragment: Vec<Vec<(Box<str>, Vec<usize>)>>,
}

impl FragmentIndex {
    /// Splits `(index, folded wildcard pattern)` pairs into an index of those with a run of at
    /// least [`MIN_FRAGMENT`] bytes and the rest. `None` when no pattern qualifies (or the
    /// automaton cannot be built, which then leaves every pattern to the caller).
    pub fn split(patterns: Vec<(usize, String)>) -> (Option<FragmentIndex>, Vec<(usize, String)>) {
        let mut fragments: Vec<String> = Vec::new();
        let mut fragment_ids: std::collections::HashMap<String, usize> = Default::default();
        let mut patterns_by_fragment: Vec<Vec<(Box<str>, Vec<usize>)>> = Vec::new();
        let mut rest = Vec::new();
        // Each distinct pattern's place in its fragment's list.
        let mut slots: std::collections::HashMap<String, usize> = Default::default();
        for (index, pattern) in patterns {
            let run = longest_run(&pattern);
            if run.len() < MIN_FRAGMENT {
                rest.push((index, pattern));
                continue;
            }
            let id = *fragment_ids.entry(run.to_string()).or_insert_with(|| {
                fragments.push(run.to_string());
                patterns_by_fragment.push(Vec::new());
                fragments.len() - 1
            });
            // A pattern's fragment follows from its text, so equal texts share a fragment.
            let Some(list) = patterns_by_fragment.get_mut(id) else {
                continue;
            };
            match slots.get(&pattern) {
                Some(&slot) => {
                    if let Some((_, copies)) = list.get_mut(slot) {
                        copies.push(index);
                    }
                }
                None => {
                    slots.insert(pattern.clone(), list.len());
                    list.push((pattern.into_boxed_str(), vec![index]));
                }
            }
        }
        if fragments.is_empty() {
            return (None, rest);
        }
        match AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&fragments)
        {
            Ok(automaton) => (
                Some(FragmentIndex {
                    automaton,
                    patterns_by_fragment,
                }),
                rest,
            ),
            Err(_) => {
                let mut all = rest;
                for (source, copies) in patterns_by_fragment.into_iter().flatten() {
                    all.extend(copies.into_iter().map(|index| (index, source.to_string())));
                }
                (None, all)
            }
        }
    }

    /// Calls `found` with the index of every indexed pattern that matches the (folded) text, each
    /// once, in no set order.
    pub fn for_each_match(&self, text: &str, mut found: impl FnMut(usize)) {
        let mut hit: Vec<usize> = self
            .automaton
            .find_overlapping_iter(text)
            .map(|found| found.pattern().as_usize())
            .collect();
        crate::sort::sort_unstable(&mut hit);
        hit.dedup();
        for fragment in hit {
            for (pattern, copies) in self
                .patterns_by_fragment
                .get(fragment)
                .into_iter()
                .flatten()
            {
                if star_match(pattern, text) {
                    copies.iter().for_each(|index| found(*index));
                }
            }
        }
    }

    /// Whether any indexed pattern matches the (folded) text.
    pub fn is_match(&self, text: &str) -> bool {
        let mut any = false;
        self.for_each_match(text, |_| any = true);
        any
    }
}

/// The longest run of a pattern between wildcards (the first of equal length).
fn longest_run(pattern: &str) -> &str {
    pattern.split(['*', '?']).fold(
        "",
        |best, run| if run.len() > best.len() { run } else { best },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wildcard::reference_match;
    use proptest::prelude::*;

    #[test]
    fn the_longest_run_is_indexed_and_short_ones_are_left_over() {
        let (index, rest) = FragmentIndex::split(vec![
            (0, "acs:ecs:*:123:instance/i-00*".to_string()),
            (1, "acs:*".to_string()),
            (2, "*:instance/i-01?".to_string()),
        ]);
        assert_eq!(rest, vec![(1, "acs:*".to_string())]);
        let index = index.expect("two patterns qualify");
        let mut found = Vec::new();
        index.for_each_match("acs:ecs:cn-hangzhou:123:instance/i-001", |i| found.push(i));
        assert_eq!(found, vec![0]);
        found.clear();
        index.for_each_match("acs:ecs:cn-hangzhou:9:instance/i-01é", |i| found.push(i));
        assert_eq!(found, vec![2]);
        assert_eq!(longest_run("a*bcd?ef"), "bcd");
    }

    proptest! {
        #[test]
        fn the_index_finds_exactly_the_matching_patterns(
            patterns in proptest::collection::vec("[ab*?:]{0,9}", 0..12),
            text in "[ab:]{0,12}",
        ) {
            let pairs: Vec<(usize, String)> = patterns.iter().cloned().enumerate()
                .filter(|(_, p)| p.contains(['*', '?'])).collect();
            let (index, rest) = FragmentIndex::split(pairs.clone());
            let mut found: Vec<usize> = rest.iter()
                .filter(|(_, p)| reference_match(p, &text)).map(|(i, _)| *i).collect();
            if let Some(index) = index {
                index.for_each_match(&text, |i| found.push(i));
            }
            crate::sort::sort_unstable(&mut found);
            let expected: Vec<usize> = pairs.iter()
                .filter(|(_, p)| reference_match(p, &text)).map(|(i, _)| *i).collect();
            prop_assert_eq!(found, expected);
        }
    }
}
