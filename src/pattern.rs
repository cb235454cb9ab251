//! RAM wildcard patterns: `*` matches any run of characters (also `:` and `/`), `?` exactly one
//! character; every other character stands for itself.
//!
//! Actions compare without ASCII letter case ([`CaseRule::IgnoreAsciiCase`]), resources and
//! `StringLike` values with letter case ([`CaseRule::Sensitive`]); see `docs/semantics.md`.
//!
//! Matching is linear in the lengths of pattern and text whatever the pattern: patterns compile
//! to automata (the `regex` crate never backtracks), so `*a*a*a…*b` against a long ARN is cheap.
//! [`PatternSet`] matches many patterns in one pass.
//!
//! On `wasm32` the automata are [`Glob`]s instead: a bit-parallel simulation of the same
//! automaton, linear in the text times the pattern's length / 64, without the `regex` crate's
//! code (about 50 KB of the gzipped WebAssembly module; see `docs/wasm.md`). The tests check
//! both against the reference matcher.
//!
//! ```
//! use ram_policy::pattern::{CaseRule, Pattern};
//! let pattern = Pattern::new("acs:ecs:*:*:instance/i-?bc*", CaseRule::Sensitive);
//! assert!(pattern.matches("acs:ecs:cn-hangzhou:123:instance/i-abc9"));
//! assert!(!pattern.matches("acs:ecs:cn-hangzhou:123:instance/i-ABC9"));
//! assert!(Pattern::new("ECS:describe*", CaseRule::IgnoreAsciiCase).matches("ecs:DescribeInstances"));
//! ```

#[cfg(not(target_arch = "wasm32"))]
use regex::{Regex, RegexSet, RegexSetBuilder};
use std::borrow::Cow;
use std::collections::HashMap;

/// How letter case is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseRule {
    /// `A` ≠ `a` (resources, `StringLike`).
    Sensitive,
    /// ASCII letters compare without case (actions); other characters exactly.
    IgnoreAsciiCase,
}

impl CaseRule {
    /// The text as compared under this rule.
    pub fn fold<'t>(self, text: &'t str) -> Cow<'t, str> {
        match self {
            CaseRule::IgnoreAsciiCase if text.bytes().any(|byte| byte.is_ascii_uppercase()) => {
                Cow::Owned(text.to_ascii_lowercase())
            }
            _ => Cow::Borrowed(text),
        }
    }
}

/// Whether a pattern has any wildcard.
pub fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

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
        let kind = if !folded.is_empty() && folded.bytes().all(|byte| byte == b'*') {
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

/// A wildcard pattern as a bit-parallel automaton (shift-and with self-loops for `*`): state
/// `j` means "the first `j` tokens are matched"; each character of the text moves every state
/// at once, a word of 64 states per operation. Time: text length × (tokens / 64 + 1); no
/// backtracking, no allocation per character. The same language as [`reference_match`].
#[derive(Debug, Clone)]
pub struct Glob {
    /// For each literal character, the tokens that are that character (bit `j`: token `j`).
    literals: HashMap<char, Vec<u64>>,
    /// Tokens `?`.
    any: Vec<u64>,
    /// Tokens `*` (runs of stars are one token).
    star: Vec<u64>,
    /// The number of tokens: state `tokens` accepts.
    tokens: usize,
}

impl Glob {
    /// Compiles a (folded) pattern.
    pub fn new(pattern: &str) -> Self {
        let mut tokens: Vec<char> = Vec::with_capacity(pattern.len());
        for character in pattern.chars() {
            if character == '*' && tokens.last() == Some(&'*') {
                continue;
            }
            tokens.push(character);
        }
        let words = tokens.len() / 64 + 1;
        let mut literals: HashMap<char, Vec<u64>> = HashMap::new();
        let mut any = vec![0; words];
        let mut star = vec![0; words];
        for (index, token) in tokens.iter().enumerate() {
            let set = match token {
                '*' => &mut star,
                '?' => &mut any,
                other => literals.entry(*other).or_insert_with(|| vec![0; words]),
            };
            if let Some(word) = set.get_mut(index / 64) {
                *word |= 1 << (index % 64);
            }
        }
        Glob {
            literals,
            any,
            star,
            tokens: tokens.len(),
        }
    }

    /// Follows `*` tokens without reading a character: a state on a star also reaches the next
    /// state. One step is enough: stars are never adjacent.
    fn close(&self, state: &mut [u64]) {
        let mut carry = 0;
        for (word, star) in state.iter_mut().zip(&self.star) {
            let on_star = *word & star;
            *word |= (on_star << 1) | carry;
            carry = on_star >> 63;
        }
    }

    /// Whether the whole (folded) text matches.
    pub fn matches(&self, text: &str) -> bool {
        let words = self.any.len();
        let mut state = vec![0u64; words];
        if let Some(first) = state.first_mut() {
            *first = 1;
        }
        self.close(&mut state);
        for character in text.chars() {
            let literal = self.literals.get(&character);
            let mut carry = 0;
            let mut alive = 0;
            for (index, word) in state.iter_mut().enumerate() {
                let any = self.any.get(index).copied().unwrap_or(0);
                let star = self.star.get(index).copied().unwrap_or(0);
                let same = literal
                    .and_then(|masks| masks.get(index))
                    .copied()
                    .unwrap_or(0);
                let moved = *word & (any | same);
                let next = (moved << 1) | carry | (*word & star);
                carry = moved >> 63;
                *word = next;
                alive |= next;
            }
            if alive == 0 {
                return false;
            }
            self.close(&mut state);
        }
        state
            .get(self.tokens / 64)
            .is_some_and(|word| word & (1 << (self.tokens % 64)) != 0)
    }
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

/// The plain reference matcher: dynamic programming over characters. Used by tests to check
/// the automata, by `explain`, and as a fallback for oversized patterns.
///
/// The pattern's leading and trailing characters up to its first and last `*` are compared
/// with the text's ends one by one first, so a pattern without `*` (an exact ARN from a
/// request, which callers control) or with a star only at the end costs O(text); the rest is
/// O(middle of the pattern × middle of the text).
pub fn reference_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let fits = |token: char, character: char| token == '?' || token == character;
    let (mut pattern, mut text) = (pattern.as_slice(), text.as_slice());
    while let (Some((&token, rest)), Some((&character, more))) =
        (pattern.split_first(), text.split_first())
    {
        if token == '*' {
            break;
        }
        if !fits(token, character) {
            return false;
        }
        (pattern, text) = (rest, more);
    }
    while let (Some((&token, rest)), Some((&character, more))) =
        (pattern.split_last(), text.split_last())
    {
        if token == '*' {
            break;
        }
        if !fits(token, character) {
            return false;
        }
        (pattern, text) = (rest, more);
    }
    // matched[j]: the pattern prefix read so far matches text prefix of length j.
    let mut matched = vec![false; text.len() + 1];
    if let Some(first) = matched.first_mut() {
        *first = true;
    }
    for &token in pattern {
        let mut next = vec![false; text.len() + 1];
        match token {
            '*' => {
                let mut reachable = false;
                for (slot, was) in next.iter_mut().zip(&matched) {
                    reachable |= *was;
                    *slot = reachable;
                }
            }
            other => {
                for (index, character) in text.iter().enumerate() {
                    let previous = matched.get(index).copied().unwrap_or(false);
                    if previous && (other == '?' || other == *character) {
                        if let Some(slot) = next.get_mut(index + 1) {
                            *slot = true;
                        }
                    }
                }
            }
        }
        matched = next;
    }
    matched.last().copied().unwrap_or(false)
}

/// Many patterns matched together: literals through a hash map, pure-star patterns always,
/// wildcard patterns through one automaton.
#[derive(Debug, Clone)]
pub struct PatternSet {
    case: CaseRule,
    literals: HashMap<String, Vec<usize>>,
    everything: Vec<usize>,
    wildcard_ids: Vec<usize>,
    wildcards: Wildcards,
    len: usize,
}

#[derive(Debug, Clone)]
enum Wildcards {
    #[cfg(not(target_arch = "wasm32"))]
    Set(RegexSet),
    /// The set would exceed the regex size limit: one pattern at a time.
    Each(Vec<Pattern>),
}

/// The lazy DFA cache and compiled-size limit of a [`PatternSet`]'s automaton.
#[cfg(not(target_arch = "wasm32"))]
const DFA_CACHE_BYTES: usize = 64 << 20;

impl PatternSet {
    /// Compiles the patterns; match results are indices into `patterns`.
    pub fn new<S: AsRef<str>>(patterns: &[S], case: CaseRule) -> Self {
        let mut literals: HashMap<String, Vec<usize>> = HashMap::new();
        let mut everything = Vec::new();
        let mut wildcard_ids = Vec::new();
        let mut wildcard_sources = Vec::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let folded = case.fold(pattern.as_ref()).into_owned();
            if !folded.is_empty() && folded.bytes().all(|byte| byte == b'*') {
                everything.push(index);
            } else if has_wildcard(&folded) {
                wildcard_ids.push(index);
                wildcard_sources.push(folded);
            } else {
                literals.entry(folded).or_default().push(index);
            }
        }
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
        let wildcards = match RegexSetBuilder::new(wildcard_sources.iter().map(|p| regex_source(p)))
            .dfa_size_limit(DFA_CACHE_BYTES)
            .size_limit(DFA_CACHE_BYTES)
            .build()
        {
            Ok(set) => Wildcards::Set(set),
            Err(_) => each(&wildcard_sources),
        };
        #[cfg(target_arch = "wasm32")]
        let wildcards = each(&wildcard_sources);
        PatternSet {
            case,
            literals,
            everything,
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
        match &self.wildcards {
            #[cfg(not(target_arch = "wasm32"))]
            Wildcards::Set(set) => set.is_match(&text),
            Wildcards::Each(patterns) => patterns.iter().any(|pattern| pattern.matches(&text)),
        }
    }

    /// The indices of all matching patterns, ascending.
    pub fn matches(&self, text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        self.for_each_match(text, |index| found.push(index));
        found.sort_unstable();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
