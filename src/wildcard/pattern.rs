//! Compiled patterns: one ([`Pattern`]) or many at once ([`PatternSet`]).

#[cfg(not(target_arch = "wasm32"))]
use super::index::FragmentIndex;
#[cfg(target_arch = "wasm32")]
use super::Glob;
use super::{has_wildcard, is_everything, CaseRule};
#[cfg(not(target_arch = "wasm32"))]
use super::{reference_match, star_match};
#[cfg(not(target_arch = "wasm32"))]
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::collections::HashMap;

/// One compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    case: CaseRule,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// Only stars (at least one): matches everything.
    Everything,
    /// No wildcard: plain comparison with the folded source.
    Literal(String),
    /// A compiled automaton.
    #[cfg(not(target_arch = "wasm32"))]
    Automaton(Regex),
    /// The automaton would exceed the regex size limit: the reference matcher (quadratic, but
    /// only reachable with patterns far beyond RAM's 6,144-character document limit).
    #[cfg(not(target_arch = "wasm32"))]
    Fallback(String),
    /// The bit-parallel automaton (wasm32).
    #[cfg(target_arch = "wasm32")]
    Glob(Glob),
}

impl Pattern {
    /// Compiles a pattern.
    pub fn new(source: &str, case: CaseRule) -> Self {
        let folded = case.fold(source).into_owned();
        let kind = if is_everything(&folded) {
            Kind::Everything
        } else if !has_wildcard(&folded) {
            Kind::Literal(folded)
        } else {
            compile(folded)
        };
        Pattern {
            source: source.to_string(),
            case,
            kind,
        }
    }

    /// The pattern as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the whole text matches the pattern.
    pub fn matches(&self, text: &str) -> bool {
        if let Kind::Everything = self.kind {
            return true;
        }
        let text = self.case.fold(text);
        match &self.kind {
            Kind::Everything => true,
            Kind::Literal(literal) => literal.as_str() == text.as_ref(),
            #[cfg(not(target_arch = "wasm32"))]
            Kind::Automaton(regex) => regex.is_match(&text),
            #[cfg(not(target_arch = "wasm32"))]
            Kind::Fallback(folded) => reference_match(folded, &text),
            #[cfg(target_arch = "wasm32")]
            Kind::Glob(glob) => glob.matches(&text),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn compile(folded: String) -> Kind {
    match Regex::new(&regex_source(&folded)) {
        Ok(regex) => Kind::Automaton(regex),
        Err(_) => Kind::Fallback(folded),
    }
}

#[cfg(target_arch = "wasm32")]
fn compile(folded: String) -> Kind {
    Kind::Glob(Glob::new(&folded))
}

/// The regular expression for a (folded) wildcard pattern: anchored, `.` across newlines,
/// runs of `*` collapsed, every other character escaped.
#[cfg(not(target_arch = "wasm32"))]
pub fn regex_source(pattern: &str) -> String {
    let mut source = String::with_capacity(pattern.len() + 8);
    source.push_str("(?s)^");
    let mut literal = String::new();
    let mut previous_star = false;
    for character in pattern.chars() {
        match character {
            '*' | '?' => {
                source.push_str(&regex::escape(&literal));
                literal.clear();
                if character == '?' {
                    source.push('.');
                    previous_star = false;
                } else if !previous_star {
                    source.push_str(".*");
                    previous_star = true;
                }
            }
            other => {
                literal.push(other);
                previous_star = false;
            }
        }
    }
    source.push_str(&regex::escape(&literal));
    source.push('$');
    source
}

/// Many patterns matched together: literals through a hash map, pure-star patterns always,
/// wildcard patterns with a long literal run through a `FragmentIndex` (native builds), the
/// others through one automaton.
#[derive(Debug, Clone)]
pub struct PatternSet {
    case: CaseRule,
    literals: HashMap<String, Vec<usize>>,
    everything: Vec<usize>,
    /// Wildcard patterns with a literal run long enough to index (native builds).
    #[cfg(not(target_arch = "wasm32"))]
    indexed: Option<FragmentIndex>,
    /// The other wildcard patterns' indices, in the order of `wildcards`.
    wildcard_ids: Vec<usize>,
    wildcards: Wildcards,
    len: usize,
}

#[derive(Debug, Clone)]
enum Wildcards {
    #[cfg(not(target_arch = "wasm32"))]
    Set(RegexSet),
    /// A few patterns (the folded sources), each matched in turn: cheaper than building and
    /// running an automaton for them (a compiled policy set has one small set per action).
    #[cfg(not(target_arch = "wasm32"))]
    Few(Vec<String>),
    /// The set would exceed the regex size limit: one pattern at a time.
    Each(Vec<Pattern>),
}

/// Up to this many wildcard patterns are matched one by one (native builds): each costs a
/// literal comparison or two, where an automaton costs a pass over the text and its build.
#[cfg(not(target_arch = "wasm32"))]
const FEW_WILDCARDS: usize = 8;

/// The lazy DFA cache and compiled-size limit of a [`PatternSet`]'s automaton.
#[cfg(not(target_arch = "wasm32"))]
const DFA_CACHE_BYTES: usize = 64 << 20;

impl PatternSet {
    /// Compiles the patterns; match results are indices into `patterns`.
    pub fn new<S: AsRef<str>>(patterns: &[S], case: CaseRule) -> Self {
        let mut literals: HashMap<String, Vec<usize>> = HashMap::new();
        let mut everything = Vec::new();
        let mut wildcard_patterns = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let folded = case.fold(pattern.as_ref()).into_owned();
            if is_everything(&folded) {
                everything.push(index);
            } else if has_wildcard(&folded) {
                wildcard_patterns.push((index, folded));
            } else {
                literals.entry(folded).or_default().push(index);
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let (indexed, wildcard_patterns) = if wildcard_patterns.len() <= FEW_WILDCARDS {
            (None, wildcard_patterns)
        } else {
            FragmentIndex::split(wildcard_patterns)
        };
        let (wildcard_ids, wildcard_sources): (Vec<usize>, Vec<String>) =
            wildcard_patterns.into_iter().unzip();
        let each = |sources: &[String]| {
            Wildcards::Each(
                sources
                    .iter()
                    .map(|source| Pattern::new(source, CaseRule::Sensitive))
                    .collect(),
            )
        };
        // A set of thousands of wildcard patterns outgrows the lazy DFA's default 2 MB cache,
        // which then thrashes and falls back to the slow engine (p99 of 20 ms at 10,000
        // statements); 64 MB keeps it a DFA (p99 1.4 ms there; see docs/PERFORMANCE.md).
        #[cfg(not(target_arch = "wasm32"))]
        let wildcards = if wildcard_sources.len() <= FEW_WILDCARDS {
            Wildcards::Few(wildcard_sources)
        } else {
            match RegexSetBuilder::new(wildcard_sources.iter().map(|p| regex_source(p)))
                .dfa_size_limit(DFA_CACHE_BYTES)
                .size_limit(DFA_CACHE_BYTES)
                .build()
            {
                Ok(set) => Wildcards::Set(set),
                Err(_) => each(&wildcard_sources),
            }
        };
        #[cfg(target_arch = "wasm32")]
        let wildcards = each(&wildcard_sources);
        PatternSet {
            case,
            literals,
            everything,
            #[cfg(not(target_arch = "wasm32"))]
            indexed,
            wildcard_ids,
            wildcards,
            len: patterns.len(),
        }
    }

    /// The number of patterns.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set has no pattern.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Calls `found` with the index of every pattern that matches `text` (in no set order).
    pub fn for_each_match(&self, text: &str, mut found: impl FnMut(usize)) {
        let text = self.case.fold(text);
        self.everything.iter().for_each(|index| found(*index));
        if let Some(indices) = self.literals.get(text.as_ref()) {
            indices.iter().for_each(|index| found(*index));
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(indexed) = &self.indexed {
            indexed.for_each_match(&text, &mut found);
        }
        if self.wildcard_ids.is_empty() {
            return;
        }
        match &self.wildcards {
            #[cfg(not(target_arch = "wasm32"))]
            Wildcards::Set(set) => {
                for matched in set.matches(&text).iter() {
                    if let Some(index) = self.wildcard_ids.get(matched) {
                        found(*index);
                    }
                }
            }
            #[cfg(not(target_arch = "wasm32"))]
            Wildcards::Few(sources) => {
                for (source, index) in sources.iter().zip(&self.wildcard_ids) {
                    if star_match(source, &text) {
                        found(*index);
                    }
                }
            }
            Wildcards::Each(patterns) => {
                for (pattern, index) in patterns.iter().zip(&self.wildcard_ids) {
                    if pattern.matches(&text) {
                        found(*index);
                    }
                }
            }
        }
    }

    /// Whether any pattern matches `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let text = self.case.fold(text);
        if !self.everything.is_empty() || self.literals.contains_key(text.as_ref()) {
            return true;
        }
        #[cfg(not(target_arch = "wasm32"))]
        if self
            .indexed
            .as_ref()
            .is_some_and(|indexed| indexed.is_match(&text))
        {
            return true;
        }
        match &self.wildcards {
            #[cfg(not(target_arch = "wasm32"))]
            Wildcards::Set(set) => set.is_match(&text),
            #[cfg(not(target_arch = "wasm32"))]
            Wildcards::Few(sources) => sources.iter().any(|source| star_match(source, &text)),
            Wildcards::Each(patterns) => patterns.iter().any(|pattern| pattern.matches(&text)),
        }
    }

    /// The indices of all matching patterns, ascending.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        self.for_each_match(text, |index| found.push(index));
        crate::sort::sort_unstable(&mut found);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wildcard::{reference_match, Glob};
    use proptest::prelude::*;

    #[test]
    fn stars_cross_colons_and_slashes() {
        let pattern = Pattern::new("acs:ecs:*", CaseRule::Sensitive);
        assert!(pattern.matches("acs:ecs:cn-hangzhou:123:instance/i-1"));
        assert!(Pattern::new("*", CaseRule::Sensitive).matches(""));
        assert!(Pattern::new("acs:*:*cn-beijing*:*:*", CaseRule::Sensitive)
            .matches("acs:ecs:cn-beijing:1:instance/i"));
        assert!(!Pattern::new("acs:ecs:*:*:instance/*", CaseRule::Sensitive).matches("*"));
        assert!(Pattern::new("*", CaseRule::Sensitive).matches("*"));
    }

    #[test]
    fn question_mark_is_exactly_one_character() {
        let pattern = Pattern::new("i-?", CaseRule::Sensitive);
        assert!(pattern.matches("i-é"));
        assert!(!pattern.matches("i-"));
        assert!(!pattern.matches("i-ab"));
    }

    #[test]
    fn other_metacharacters_are_literal() {
        for literal in [
            "a[b]c", "a{b,c}", "a\\b", "a.b", "a+b", "(a)|b", "^a$", "a**b",
        ] {
            let pattern = Pattern::new(literal, CaseRule::Sensitive);
            let expected = literal.replace("**", "*");
            assert!(
                pattern.matches(&expected) || literal.contains('*'),
                "{literal}"
            );
        }
        assert!(!Pattern::new("a.b", CaseRule::Sensitive).matches("axb"));
        assert!(Pattern::new("a[b]*", CaseRule::Sensitive).matches("a[b]xyz"));
        assert!(!Pattern::new("a[b]*", CaseRule::Sensitive).matches("ab"));
        let set = PatternSet::new(&["a.b", "x{1}", "*", "a?b"], CaseRule::Sensitive);
        assert_eq!(set.matches("a.b"), vec![0, 2, 3]);
        assert_eq!(set.matches("x{1}"), vec![1, 2]);
    }

    #[test]
    fn case_rules() {
        let action = Pattern::new("ecs:describe*", CaseRule::IgnoreAsciiCase);
        assert!(action.matches("ECS:DescribeInstances"));
        let resource = Pattern::new("acs:ecs:*:*:instance/I-*", CaseRule::Sensitive);
        assert!(!resource.matches("acs:ecs:r:1:instance/i-1"));
        let set = PatternSet::new(&["ECS:RunInstances", "ecs:run*"], CaseRule::IgnoreAsciiCase);
        assert_eq!(set.matches("ecs:runinstances"), vec![0, 1]);
    }

    #[test]
    fn glob_automaton_across_word_boundaries() {
        // More than 64 and 128 tokens: states cross words, stars sit at word edges.
        for width in [62, 63, 64, 65, 127, 128, 129] {
            let literal = "a".repeat(width);
            let glob = Glob::new(&format!("{literal}*?b"));
            assert!(glob.matches(&format!("{literal}xb")), "{width}");
            assert!(glob.matches(&format!("{literal}xyzb")), "{width}");
            assert!(!glob.matches(&format!("{literal}b")), "{width}");
            let stars = Glob::new(&format!("{}*{}", "?".repeat(width), "é"));
            assert!(
                stars.matches(&format!("{}é", "😀".repeat(width))),
                "{width}"
            );
            assert!(!stars.matches(&"é".repeat(width)), "{width}");
            assert!(stars.matches(&"é".repeat(width + 1)), "{width}");
        }
        assert!(Glob::new("").matches(""));
        assert!(!Glob::new("").matches("a"));
        assert!(Glob::new("***").matches("anything"));
        let pattern = "*a".repeat(300) + "*b";
        assert!(!Glob::new(&pattern).matches(&"a".repeat(100_000)));
        assert!(Glob::new(&pattern).matches(&("a".repeat(100_000) + "b")));
    }

    #[test]
    fn many_stars_against_a_long_text_do_not_blow_up() {
        let pattern = "*a".repeat(300) + "*b";
        let text = "a".repeat(100_000);
        assert!(!Pattern::new(&pattern, CaseRule::Sensitive).matches(&text));
        let text_b = text.clone() + "b";
        assert!(Pattern::new(&pattern, CaseRule::Sensitive).matches(&text_b));
        let set = PatternSet::new(&[pattern.as_str(), "*b"], CaseRule::Sensitive);
        assert_eq!(set.matches(&text), Vec::<usize>::new());
        assert_eq!(set.matches(&text_b), vec![0, 1]);
    }

    fn naive(pattern: &[char], text: &[char]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some(('*', rest)) => (0..=text.len()).any(|skip| naive(rest, &text[skip..])),
            Some((first, rest)) => match text.split_first() {
                Some((head, tail)) => (*first == '?' || first == head) && naive(rest, tail),
                None => false,
            },
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn automata_agree_with_the_reference(
            pattern in "[aAbB:/*?.é]{0,10}",
            text in "[aAbB:/*?.é]{0,12}",
        ) {
            let chars: Vec<char> = pattern.chars().collect();
            let text_chars: Vec<char> = text.chars().collect();
            let expected = naive(&chars, &text_chars);
            prop_assert_eq!(reference_match(&pattern, &text), expected);
            prop_assert_eq!(Glob::new(&pattern).matches(&text), expected);
            prop_assert_eq!(Pattern::new(&pattern, CaseRule::Sensitive).matches(&text), expected);
            let folded = naive(
                &pattern.to_ascii_lowercase().chars().collect::<Vec<_>>(),
                &text.to_ascii_lowercase().chars().collect::<Vec<_>>(),
            );
            prop_assert_eq!(
                Pattern::new(&pattern, CaseRule::IgnoreAsciiCase).matches(&text),
                folded
            );
            let set = PatternSet::new(&[pattern.as_str(), "a*", "b"], CaseRule::Sensitive);
            prop_assert_eq!(set.matches(&text).contains(&0), expected);
        }
    }
}
