//! Wildcard patterns and catalog templates as finite automata, and a breadth-first search over
//! the product of several automata: what `diff` uses to find a string that some patterns match
//! and others do not, or to list every combination of patterns some string matches.
//!
//! The automata are small and built here rather than taken from a crate: the `regex` family is
//! not part of the WebAssembly build (see `docs/wasm.md`, "Size"), and `diff` runs there too.
//! Each automaton is a nondeterministic one without ε-moves; the search keeps one set of states
//! per automaton (the subset construction, done lazily) and visits each reachable combination
//! once, so it is exact: it finds a string whenever one exists, or reports that
//! its state limit was reached.
//!
//! Characters are not enumerated one by one: every character that no automaton names literally
//! behaves like every other such character of the same [`Class`], so the search tries each
//! literal character plus one fresh character per class (a digit, `:`, anything else).
//!
//! (The example is the test `documented_example` below, this module being private.)

use rustc_hash::{FxHashMap, FxHashSet};

/// A set of characters one transition accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Exactly this character.
    Char(char),
    /// Any character.
    Any,
    /// Any character but `:` (an ARN field).
    NotColon,
    /// An ASCII digit (an account id).
    Digit,
}

impl Class {
    /// Whether the class holds the character.
    pub fn holds(self, character: char) -> bool {
        match self {
            Class::Char(expected) => expected == character,
            Class::Any => true,
            Class::NotColon => character != ':',
            Class::Digit => character.is_ascii_digit(),
        }
    }
}

/// A nondeterministic automaton without ε-moves.
#[derive(Debug, Clone, Default)]
pub struct Nfa {
    edges: Vec<Vec<(Class, usize)>>,
    start: Vec<usize>,
    accepting: Vec<bool>,
    /// States from which every continuation is accepted (an accepting state that loops on any
    /// character): a search that must avoid this automaton can stop there.
    universal: Vec<bool>,
}

/// One piece of a sequence automaton.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Exactly one character of the class.
    One(Class),
    /// Any run of characters of the class, also none.
    Run(Class),
}

impl Nfa {
    /// The automaton of a sequence of pieces: state `i` means "the first `i` pieces are read".
    pub fn sequence(pieces: &[Piece]) -> Nfa {
        let count = pieces.len() + 1;
        // ε-closure: a run may be skipped.
        let closure = |mut state: usize| {
            let mut out = vec![state];
            while let Some(Piece::Run(_)) = pieces.get(state) {
                state += 1;
                out.push(state);
            }
            out
        };
        let mut nfa = Nfa {
            edges: vec![Vec::new(); count],
            start: closure(0),
            accepting: vec![false; count],
            universal: vec![false; count],
        };
        for state in 0..count {
            let reach = closure(state);
            if let Some(slot) = nfa.accepting.get_mut(state) {
                *slot = reach.contains(&(count - 1));
            }
            let mut edges = Vec::new();
            for &from in &reach {
                match pieces.get(from) {
                    Some(Piece::One(class)) => {
                        edges.extend(closure(from + 1).into_iter().map(|to| (*class, to)));
                    }
                    Some(Piece::Run(class)) => {
                        edges.extend(closure(from).into_iter().map(|to| (*class, to)));
                    }
                    None => {}
                }
            }
            crate::sort::sort_by_key(&mut edges, |(_, to)| *to);
            edges.dedup();
            if let Some(slot) = nfa.edges.get_mut(state) {
                *slot = edges;
            }
        }
        nfa.mark_universal();
        nfa
    }

    /// A policy pattern: `*` any run, `?` one character, the rest literal; with `fold`, ASCII
    /// letters are lowercased (actions compare without case: fold the text the same way).
    pub fn pattern(pattern: &str, fold: bool) -> Nfa {
        let pieces: Vec<Piece> = pattern
            .chars()
            .map(|character| match character {
                '*' => Piece::Run(Class::Any),
                '?' => Piece::One(Class::Any),
                other if fold => Piece::One(Class::Char(other.to_ascii_lowercase())),
                other => Piece::One(Class::Char(other)),
            })
            .collect();
        Nfa::sequence(&pieces)
    }

    /// Exactly this text.
    pub fn literal(text: &str) -> Nfa {
        let pieces: Vec<Piece> = text.chars().map(|c| Piece::One(Class::Char(c))).collect();
        Nfa::sequence(&pieces)
    }

    /// Exactly one of these words, as a trie: deterministic, so a search over it stays in one
    /// state at a time however many words there are.
    pub fn words<'w>(words: impl IntoIterator<Item = &'w str>) -> Nfa {
        let mut nfa = Nfa {
            edges: vec![Vec::new()],
            start: vec![0],
            accepting: vec![false],
            universal: Vec::new(),
        };
        for word in words {
            let mut state = 0;
            for character in word.chars() {
                let existing = nfa
                    .edges
                    .get(state)
                    .and_then(|edges| {
                        edges
                            .iter()
                            .find(|(class, _)| *class == Class::Char(character))
                    })
                    .map(|&(_, to)| to);
                state = match existing {
                    Some(to) => to,
                    None => {
                        let to = nfa.edges.len();
                        nfa.edges.push(Vec::new());
                        nfa.accepting.push(false);
                        if let Some(edges) = nfa.edges.get_mut(state) {
                            edges.push((Class::Char(character), to));
                        }
                        to
                    }
                };
            }
            if let Some(slot) = nfa.accepting.get_mut(state) {
                *slot = true;
            }
        }
        nfa.mark_universal();
        nfa
    }

    /// Every string either automaton accepts (a disjoint union).
    pub fn union<'n>(parts: impl IntoIterator<Item = &'n Nfa>) -> Nfa {
        let mut out = Nfa::default();
        for part in parts {
            let offset = out.edges.len();
            out.edges.extend(
                part.edges
                    .iter()
                    .map(|edges| edges.iter().map(|&(c, to)| (c, to + offset)).collect()),
            );
            out.start
                .extend(part.start.iter().map(|state| state + offset));
            out.accepting.extend(&part.accepting);
            out.universal.extend(&part.universal);
        }
        out
    }

    /// The concatenation: a string of `self` followed by one of `next`.
    pub fn then(&self, next: &Nfa) -> Nfa {
        let offset = self.edges.len();
        let mut out = self.clone();
        out.edges.extend(
            next.edges
                .iter()
                .map(|edges| edges.iter().map(|&(c, to)| (c, to + offset)).collect()),
        );
        out.accepting = vec![false; offset];
        let next_start_accepts = next
            .start
            .iter()
            .any(|&state| next.accepting.get(state).copied().unwrap_or(false));
        // Every accepting state of `self` also moves as `next`'s start states do.
        let start_edges: Vec<(Class, usize)> = next
            .start
            .iter()
            .flat_map(|&state| next.edges.get(state).into_iter().flatten())
            .map(|&(c, to)| (c, to + offset))
            .collect();
        for state in 0..offset {
            if self.accepting.get(state).copied().unwrap_or(false) {
                if let Some(edges) = out.edges.get_mut(state) {
                    edges.extend(start_edges.iter().copied());
                }
                if let Some(slot) = out.accepting.get_mut(state) {
                    *slot = next_start_accepts;
                }
            }
        }
        if self
            .start
            .iter()
            .any(|&state| self.accepting.get(state).copied().unwrap_or(false))
        {
            out.start
                .extend(next.start.iter().map(|state| state + offset));
        }
        out.accepting.extend(&next.accepting);
        out.universal = vec![false; out.edges.len()];
        out.mark_universal();
        out
    }

    fn mark_universal(&mut self) {
        self.universal = (0..self.edges.len())
            .map(|state| {
                self.accepting.get(state).copied().unwrap_or(false)
                    && self
                        .edges
                        .get(state)
                        .is_some_and(|edges| edges.contains(&(Class::Any, state)))
            })
            .collect();
    }

    /// The number of states (what the tests check of a trie's size).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// Whether the automaton accepts the text (for tests and checks).
    pub fn accepts(&self, text: &str) -> bool {
        let mut states = StateSet::of(&self.start);
        for character in text.chars() {
            states = states.step(self, character);
        }
        states.accepts(self)
    }

    fn classes(&self) -> impl Iterator<Item = Class> + '_ {
        self.edges.iter().flatten().map(|(class, _)| *class)
    }
}

/// A set of states of one automaton, sorted (the sets are small even when the automaton is
/// not: a trie of names is in one state at a time).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct StateSet(Vec<u32>);

impl StateSet {
    fn of(states: &[usize]) -> StateSet {
        let mut set: Vec<u32> = states
            .iter()
            .filter_map(|&s| u32::try_from(s).ok())
            .collect();
        crate::sort::sort_unstable(&mut set);
        set.dedup();
        StateSet(set)
    }

    fn states(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().map(|&state| state as usize)
    }

    fn step(&self, nfa: &Nfa, character: char) -> StateSet {
        let mut next = Vec::new();
        for state in self.states() {
            for &(class, to) in nfa.edges.get(state).into_iter().flatten() {
                if class.holds(character) {
                    if let Ok(to) = u32::try_from(to) {
                        next.push(to);
                    }
                }
            }
        }
        crate::sort::sort_unstable(&mut next);
        next.dedup();
        StateSet(next)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn accepts(&self, nfa: &Nfa) -> bool {
        self.states()
            .any(|state| nfa.accepting.get(state).copied().unwrap_or(false))
    }

    fn is_universal(&self, nfa: &Nfa) -> bool {
        self.states()
            .any(|state| nfa.universal.get(state).copied().unwrap_or(false))
    }
}

/// What a search wants of one automaton.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The string must be accepted.
    Accept,
    /// The string must not be accepted.
    Reject,
    /// Either (the automaton is only observed, for [`signatures`]).
    Observe,
}

/// The search visited more combinations of states than its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitReached;

/// A string that meets every automaton's [`Want`] (found depth first: not always a shortest
/// one), `None` when there is none, or [`LimitReached`] after `limit` combinations of states.
pub fn find(parts: &[(&Nfa, Want)], limit: usize) -> Result<Option<String>, LimitReached> {
    let mut found = None;
    walk(parts, limit, Order::Deepest, |accepts, word| {
        let wanted = meets(parts, accepts);
        if wanted {
            found = Some(word());
        }
        !wanted
    })?;
    Ok(found)
}

/// Every combination of automata that some string is accepted by exactly (a string for each
/// reachable vector of "accepted" flags, shortest first), among strings that meet the parts'
/// [`Want`]s other than [`Want::Observe`] — e.g. the regions of a Venn diagram of patterns.
pub fn signatures(
    parts: &[(&Nfa, Want)],
    limit: usize,
) -> Result<Vec<(Vec<bool>, String)>, LimitReached> {
    let mut out: Vec<(Vec<bool>, String)> = Vec::new();
    walk(parts, limit, Order::Shortest, |accepts, word| {
        let wanted = meets(parts, accepts);
        if wanted && !out.iter().any(|(seen, _)| seen.as_slice() == accepts) {
            out.push((accepts.to_vec(), word()));
        }
        true
    })?;
    Ok(out)
}

/// Whether the accepted flags meet every part's want.
fn meets(parts: &[(&Nfa, Want)], accepts: &[bool]) -> bool {
    parts
        .iter()
        .zip(accepts)
        .all(|((_, want), &accepted)| match want {
            Want::Accept => accepted,
            Want::Reject => !accepted,
            Want::Observe => true,
        })
}

/// Whether a string meets every part's want (the automata run on it directly).
pub fn meets_all(parts: &[(&Nfa, Want)], text: &str) -> bool {
    let accepts: Vec<bool> = parts.iter().map(|(nfa, _)| nfa.accepts(text)).collect();
    meets(parts, &accepts)
}

/// The breadth-first walk over combinations of state sets. `visit` gets each combination's
/// accepted flags and a way to spell its shortest string; it returns whether to go on.
fn walk(
    parts: &[(&Nfa, Want)],
    limit: usize,
    order: Order,
    mut visit: impl FnMut(&[bool], &dyn Fn() -> String) -> bool,
) -> Result<(), LimitReached> {
    let alphabet = alphabet(parts.iter().map(|(nfa, _)| *nfa));
    let mut lazy: Vec<Lazy<'_>> = parts
        .iter()
        .map(|(nfa, want)| Lazy::new(nfa, *want))
        .collect();
    let start: Vec<u32> = lazy.iter().map(|_| 0).collect();
    if lazy.iter().zip(&start).any(|(part, &set)| part.dead(set)) {
        return Ok(());
    }
    // Every node: its state sets (by id, per part), its parent and the character that led to it.
    let mut nodes: Vec<(Vec<u32>, usize, char)> = Vec::new();
    let mut seen: FxHashSet<Vec<u32>> = FxHashSet::default();
    seen.insert(start.clone());
    nodes.push((start, usize::MAX, ' '));
    // The nodes still to visit: a queue (breadth first) or a stack (depth first).
    let mut frontier: std::collections::VecDeque<usize> = std::collections::VecDeque::from([0]);
    let mut accepts = vec![false; parts.len()];
    loop {
        let taken = match order {
            Order::Shortest => frontier.pop_front(),
            Order::Deepest => frontier.pop_back(),
        };
        let Some(next) = taken else { break };
        let Some((sets, _, _)) = nodes.get(next) else {
            break;
        };
        let sets = sets.clone();
        for ((slot, part), &set) in accepts.iter_mut().zip(&lazy).zip(&sets) {
            *slot = part.accepts(set);
        }
        let spell = || spell(&nodes, next);
        if !visit(&accepts, &spell) {
            return Ok(());
        }
        let children = nodes.len();
        for (letter, &character) in alphabet.iter().enumerate() {
            let mut stepped = Vec::with_capacity(sets.len());
            let mut dead = false;
            for (part, &set) in lazy.iter_mut().zip(&sets) {
                let to = part.step(set, letter, character);
                if part.dead(to) {
                    dead = true;
                    break;
                }
                stepped.push(to);
            }
            if dead || seen.contains(&stepped) {
                continue;
            }
            if nodes.len() >= limit {
                return Err(LimitReached);
            }
            seen.insert(stepped.clone());
            nodes.push((stepped, next, character));
        }
        match order {
            Order::Shortest => frontier.extend(children..nodes.len()),
            // The first character of the alphabet is tried first.
            Order::Deepest => frontier.extend((children..nodes.len()).rev()),
        }
    }
    Ok(())
}

/// In which order a walk visits combinations of states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Breadth first: each string found is a shortest one.
    Shortest,
    /// Depth first: a string is found after far fewer visits, not always a shortest one.
    Deepest,
}

/// One automaton of a search, determinized on demand: each state set met gets an id, each
/// (set, character) step is computed once.
struct Lazy<'n> {
    nfa: &'n Nfa,
    want: Want,
    sets: Vec<StateSet>,
    ids: FxHashMap<StateSet, u32>,
    steps: FxHashMap<(u32, usize), u32>,
    /// Per set: accepted, and whether no continuation can meet the want.
    flags: Vec<(bool, bool)>,
}

impl<'n> Lazy<'n> {
    fn new(nfa: &'n Nfa, want: Want) -> Self {
        let mut lazy = Lazy {
            nfa,
            want,
            sets: Vec::new(),
            ids: FxHashMap::default(),
            steps: FxHashMap::default(),
            flags: Vec::new(),
        };
        lazy.intern(StateSet::of(&nfa.start));
        lazy
    }

    fn intern(&mut self, set: StateSet) -> u32 {
        if let Some(&id) = self.ids.get(&set) {
            return id;
        }
        let id = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        let dead = match self.want {
            Want::Accept => set.is_empty(),
            Want::Reject => set.is_universal(self.nfa),
            Want::Observe => false,
        };
        self.flags.push((set.accepts(self.nfa), dead));
        self.ids.insert(set.clone(), id);
        self.sets.push(set);
        id
    }

    fn step(&mut self, set: u32, letter: usize, character: char) -> u32 {
        if let Some(&to) = self.steps.get(&(set, letter)) {
            return to;
        }
        let stepped = match self.sets.get(set as usize) {
            Some(states) => states.step(self.nfa, character),
            None => StateSet(Vec::new()),
        };
        let to = self.intern(stepped);
        self.steps.insert((set, letter), to);
        to
    }

    fn accepts(&self, set: u32) -> bool {
        self.flags
            .get(set as usize)
            .is_some_and(|(accepts, _)| *accepts)
    }

    /// Whether no continuation can meet the want: an automaton to accept has no state left, or
    /// one to reject is in a state that accepts everything from here.
    fn dead(&self, set: u32) -> bool {
        self.flags.get(set as usize).is_some_and(|(_, dead)| *dead)
    }
}

fn spell(nodes: &[(Vec<u32>, usize, char)], mut index: usize) -> String {
    let mut out = Vec::new();
    while let Some((_, parent, character)) = nodes.get(index) {
        if *parent == usize::MAX {
            break;
        }
        out.push(*character);
        index = *parent;
    }
    out.iter().rev().collect()
}

/// One character per class of characters the automata cannot tell apart: a fresh letter and a
/// fresh digit, every literal, and `:` when no automaton names it.
fn alphabet<'n>(nfas: impl Iterator<Item = &'n Nfa>) -> Vec<char> {
    let mut literals: Vec<char> = Vec::new();
    for nfa in nfas {
        for class in nfa.classes() {
            if let Class::Char(character) = class {
                literals.push(character);
            }
        }
    }
    crate::sort::sort_unstable(&mut literals);
    literals.dedup();
    let fresh = |candidates: Vec<char>| {
        candidates
            .into_iter()
            .find(|candidate| literals.binary_search(candidate).is_err())
    };
    let letter = fresh(
        ('x'..='z')
            .chain('a'..='w')
            .chain('A'..='Z')
            .chain('\u{e0}'..='\u{ff}')
            .collect(),
    );
    let digit = fresh(('0'..='9').collect());
    let colon = fresh(vec![':']);
    // Fresh characters first: among strings of one length, the search then prefers `x1` over
    // punctuation taken from the patterns.
    let mut out: Vec<char> = letter.into_iter().chain(digit).collect();
    out.extend(literals.iter().copied());
    out.extend(colon);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wildcard::reference_match;
    use proptest::prelude::*;

    fn pattern() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![Just('a'), Just(':'), Just('*'), Just('?')],
            0..5,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    /// Every string over {a, :, c} up to `max` characters (`c` stands for fresh letters).
    fn strings(max: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..max {
            let mut next = Vec::new();
            for text in &layer {
                for c in ['a', ':', 'c'] {
                    next.push(format!("{text}{c}"));
                }
            }
            all.extend(next.iter().cloned());
            layer = next;
        }
        all
    }

    #[test]
    fn templates_keep_fields_apart() {
        let field = [Piece::One(Class::NotColon), Piece::Run(Class::NotColon)];
        let template = Nfa::literal("x:")
            .then(&Nfa::sequence(&field))
            .then(&Nfa::literal(":y"));
        assert!(template.accepts("x:abc:y"));
        assert!(!template.accepts("x::y"));
        assert!(!template.accepts("x:a:b:y"));
        let regions = Nfa::union([&Nfa::literal("cn-a"), &Nfa::literal("cn-b")]);
        let arn = Nfa::literal("r/").then(&regions).then(&Nfa::literal("/z"));
        assert!(arn.accepts("r/cn-b/z") && !arn.accepts("r/cn-c/z"));
        let pattern = Nfa::pattern("r/*a/*", false);
        let word = find(&[(&arn, Want::Accept), (&pattern, Want::Accept)], 1000).unwrap();
        assert_eq!(word.as_deref(), Some("r/cn-a/z"));
        let none = find(
            &[
                (&arn, Want::Accept),
                (&Nfa::pattern("*", false), Want::Reject),
            ],
            1000,
        );
        assert_eq!(none, Ok(None));
    }

    #[test]
    fn words_are_a_trie() {
        let words = Nfa::words(["cn-a", "cn-ab", "us-b"]);
        assert!(words.accepts("cn-a") && words.accepts("cn-ab") && words.accepts("us-b"));
        assert!(!words.accepts("cn-") && !words.accepts("cn-abc") && !words.accepts(""));
        assert_eq!(words.len(), 10);
    }

    #[test]
    fn folded_patterns_match_folded_text() {
        let action = Nfa::pattern("ECS:Describe*", true);
        assert!(action.accepts("ecs:describeinstances"));
    }

    proptest! {
        /// Each pattern automaton is the reference matcher.
        #[test]
        fn patterns_are_the_reference(p in pattern(), text in "[a:c]{0,7}") {
            prop_assert_eq!(Nfa::pattern(&p, false).accepts(&text), reference_match(&p, &text));
        }

        /// `find` is exact: it finds a string exactly when brute force does, and the string
        /// meets every want by the reference matcher.
        #[test]
        fn find_agrees_with_brute_force(a in pattern(), b in pattern(), c in pattern()) {
            let (na, nb, nc) = (Nfa::pattern(&a, false), Nfa::pattern(&b, false), Nfa::pattern(&c, false));
            let either = Nfa::union([&nb, &nc]);
            let found = find(&[(&na, Want::Accept), (&either, Want::Reject)], 100_000).unwrap();
            let wanted = |s: &str| reference_match(&a, s) && !reference_match(&b, s) && !reference_match(&c, s);
            match &found {
                Some(word) => prop_assert!(wanted(word), "{} found for {} - {} - {}", word, a, b, c),
                None => prop_assert!(!strings(7).iter().any(|s| wanted(s)), "none found for {} - {} - {}", a, b, c),
            }
        }

        /// `signatures` lists exactly the combinations some string realises.
        #[test]
        fn signatures_are_complete(a in pattern(), b in pattern()) {
            let (na, nb) = (Nfa::pattern(&a, false), Nfa::pattern(&b, false));
            let found = signatures(&[(&na, Want::Observe), (&nb, Want::Observe)], 100_000).unwrap();
            for (vector, word) in &found {
                prop_assert_eq!(vector.clone(), vec![reference_match(&a, word), reference_match(&b, word)]);
            }
            for s in strings(7) {
                let vector = vec![reference_match(&a, &s), reference_match(&b, &s)];
                prop_assert!(found.iter().any(|(seen, _)| *seen == vector), "{:?} of {} missing", vector, s);
            }
        }
    }
}

#[cfg(test)]
mod documented_example {
    #[test]
    fn example() {
        use crate::wildcard::automaton::{find, Nfa, Want};
        let granted = Nfa::pattern("acs:ecs:*:*:instance/*", false);
        let before = Nfa::pattern("acs:ecs:*:*:instance/i-1*", false);
        let word = find(&[(&granted, Want::Accept), (&before, Want::Reject)], 10_000).unwrap();
        let word = word.expect("a string the first pattern matches and the second does not");
        assert!(crate::wildcard::reference_match(
            "acs:ecs:*:*:instance/*",
            &word
        ));
        assert!(!crate::wildcard::reference_match(
            "acs:ecs:*:*:instance/i-1*",
            &word
        ));
    }
}
