//! Wildcard patterns and catalog templates as finite automata, and a breadth-first search over
//! the product of several automata: what `diff` uses to find a string that some patterns match
//! and others do not, or to list every combination of patterns some string matches.
//!
//! The automata are small and built here rather than taken from a crate: the `regex` family is
//! not part of the WebAssembly build (see `docs/wasm.md`, "Size"), and `diff` runs there too.
//! Each automaton is a nondeterministic one without ε-moves; the search keeps one set of states
//! per automaton (the subset construction, done lazily) and visits each reachable combination
//! once, so it is exact: it finds a string whenever one exists, or reports that
//! its state limit was reached. Each automaton keeps the sets and steps of its subset
//! construction between searches, so a search over automata that earlier searches walked (a
//! diff searches the same template and statements for many actions and contexts) mostly looks
//! steps up.
//!
//! Characters are not enumerated one by one: every character that no automaton names literally
//! behaves like every other such character of the same [`Class`], so the search tries each
//! literal character plus one fresh character per class (a digit, `:`, anything else).
//!
//! (The example is the test `documented_example` below, this module being private.)

use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::Cell;

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
    /// The subset construction as far as searches have taken it: a search over an automaton
    /// that an earlier search walked reuses its state sets and steps.
    lazy: Lazy,
}

/// An automaton's [`Table`], taken by a search while it runs and put back after it (a `Cell`:
/// nothing is borrowed across a search, and an automaton given twice to one search simply
/// starts a second table).
#[derive(Default)]
struct Lazy(Cell<Table>);

impl Clone for Lazy {
    /// A copy starts empty: constructors change their copies (`then`), and a table belongs to
    /// the automaton it was built from.
    fn clone(&self) -> Self {
        Lazy::default()
    }
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lazy")
    }
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
            lazy: Lazy::default(),
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
            lazy: Lazy::default(),
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

    /// The concatenation: a string of `self` followed by one of `next` (built in place:
    /// templates are built segment by segment).
    pub fn then(mut self, next: &Nfa) -> Nfa {
        let offset = self.edges.len();
        let start_accepts = self
            .start
            .iter()
            .any(|&state| self.accepting.get(state).copied().unwrap_or(false));
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
        for (edges, accepting) in self.edges.iter_mut().zip(self.accepting.iter_mut()) {
            if *accepting {
                edges.extend(start_edges.iter().copied());
                *accepting = next_start_accepts;
            }
        }
        self.edges.extend(
            next.edges
                .iter()
                .map(|edges| edges.iter().map(|&(c, to)| (c, to + offset)).collect()),
        );
        if start_accepts {
            self.start
                .extend(next.start.iter().map(|state| state + offset));
        }
        self.accepting.extend(&next.accepting);
        self.mark_universal();
        // A changed automaton starts a new table.
        self.lazy = Lazy::default();
        self
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

    /// Whether the automaton is known to accept every string from its start (a state that
    /// accepts and loops on any character): a search that must avoid it finds nothing.
    pub fn accepts_everything(&self) -> bool {
        StateSet::of(&self.start).is_universal(self)
    }

    /// Whether the automaton accepts the text (for tests and checks).
    pub fn accepts(&self, text: &str) -> bool {
        // Through the automaton's table: `diff` asks the same automata about many similar ARNs.
        let mut table = self.lazy.0.take();
        table.prepare(self);
        let mut set = START;
        for character in text.chars() {
            set = table.step(self, set, character);
            if table.dead(set, Want::Accept) {
                break;
            }
        }
        let accepted = table.accepts(set);
        self.lazy.0.set(table);
        accepted
    }

    fn classes(&self) -> impl Iterator<Item = Class> + '_ {
        self.edges.iter().flatten().map(|(class, _)| *class)
    }
}

/// A set of states of one automaton, sorted (the sets are small even when the automaton is
/// not: a trie of names is in one state at a time).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct StateSet(Vec<u32>);

/// A set hashes and compares as its list: a table looks a stepped list up without building a
/// set of it.
impl std::borrow::Borrow<[u32]> for StateSet {
    fn borrow(&self) -> &[u32] {
        &self.0
    }
}

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

    /// The states one character leads to, sorted, into `next` (cleared first).
    fn step_into(&self, nfa: &Nfa, character: char, next: &mut Vec<u32>) {
        next.clear();
        for state in self.states() {
            for &(class, to) in nfa.edges.get(state).into_iter().flatten() {
                if class.holds(character) {
                    if let Ok(to) = u32::try_from(to) {
                        next.push(to);
                    }
                }
            }
        }
        crate::sort::sort_unstable(next);
        next.dedup();
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

/// The walk over combinations of state sets. `visit` gets each combination's accepted flags and
/// a way to spell the string that led to it; it returns whether to go on. Each automaton's
/// table is taken for the walk and put back after it, also when the walk stops early.
fn walk(
    parts: &[(&Nfa, Want)],
    limit: usize,
    order: Order,
    visit: impl FnMut(&[bool], &dyn Fn() -> String) -> bool,
) -> Result<(), LimitReached> {
    let mut tables: Vec<Table> = parts.iter().map(|(nfa, _)| nfa.lazy.0.take()).collect();
    let walked = walk_tables(parts, &mut tables, limit, order, visit);
    for ((nfa, _), table) in parts.iter().zip(tables) {
        nfa.lazy.0.set(table);
    }
    walked
}

fn walk_tables(
    parts: &[(&Nfa, Want)],
    tables: &mut [Table],
    limit: usize,
    order: Order,
    mut visit: impl FnMut(&[bool], &dyn Fn() -> String) -> bool,
) -> Result<(), LimitReached> {
    for ((nfa, _), table) in parts.iter().zip(tables.iter_mut()) {
        table.prepare(nfa);
    }
    let alphabet = alphabet(tables.iter().map(|table| table.literals.as_slice()));
    let width = parts.len();
    // Every table holds its start set as set 0.
    if parts
        .iter()
        .zip(tables.iter())
        .any(|((_, want), table)| table.dead(START, *want))
    {
        return Ok(());
    }
    // Every node: its state sets (by id, `width` per node, in `sets`), its parent and the
    // character that led to it.
    let mut sets: Vec<u32> = vec![START; width];
    let mut links: Vec<(usize, char)> = vec![(usize::MAX, ' ')];
    let mut seen = Seen::new(width);
    seen.insert(&sets);
    // The nodes still to visit: a queue (breadth first) or a stack (depth first).
    let mut frontier: std::collections::VecDeque<usize> = std::collections::VecDeque::from([0]);
    let mut accepts = vec![false; width];
    let mut current: Vec<u32> = Vec::with_capacity(width);
    let mut stepped: Vec<u32> = Vec::with_capacity(width);
    loop {
        let taken = match order {
            Order::Shortest => frontier.pop_front(),
            Order::Deepest => frontier.pop_back(),
        };
        let Some(next) = taken else { break };
        let Some(node) = sets.get(next * width..(next + 1) * width) else {
            break;
        };
        current.clear();
        current.extend_from_slice(node);
        for ((slot, table), &set) in accepts.iter_mut().zip(tables.iter()).zip(&current) {
            *slot = table.accepts(set);
        }
        let spell = || spell(&links, next);
        if !visit(&accepts, &spell) {
            return Ok(());
        }
        let children = links.len();
        for &character in &alphabet {
            stepped.clear();
            let mut dead = false;
            for (((nfa, want), table), &set) in parts.iter().zip(tables.iter_mut()).zip(&current) {
                let to = table.step(nfa, set, character);
                if table.dead(to, *want) {
                    dead = true;
                    break;
                }
                stepped.push(to);
            }
            if dead || seen.contains(&stepped) {
                continue;
            }
            if links.len() >= limit {
                return Err(LimitReached);
            }
            seen.insert(&stepped);
            sets.extend_from_slice(&stepped);
            links.push((next, character));
        }
        match order {
            Order::Shortest => frontier.extend(children..links.len()),
            // The first character of the alphabet is tried first.
            Order::Deepest => frontier.extend((children..links.len()).rev()),
        }
    }
    Ok(())
}

/// The combinations of state sets a walk has met: packed into one number when there are at most
/// four automata (what `diff`'s ARN searches use), else as lists.
enum Seen {
    Packed(FxHashSet<u128>),
    Wide(FxHashSet<Vec<u32>>),
}

impl Seen {
    fn new(width: usize) -> Seen {
        if width <= 4 {
            Seen::Packed(FxHashSet::default())
        } else {
            Seen::Wide(FxHashSet::default())
        }
    }

    fn pack(sets: &[u32]) -> u128 {
        sets.iter()
            .fold(0u128, |packed, &set| (packed << 32) | u128::from(set))
    }

    fn contains(&self, sets: &[u32]) -> bool {
        match self {
            Seen::Packed(seen) => seen.contains(&Seen::pack(sets)),
            Seen::Wide(seen) => seen.contains(sets),
        }
    }

    fn insert(&mut self, sets: &[u32]) {
        match self {
            Seen::Packed(seen) => {
                seen.insert(Seen::pack(sets));
            }
            Seen::Wide(seen) => {
                seen.insert(sets.to_vec());
            }
        }
    }
}

/// In which order a walk visits combinations of states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// Breadth first: each string found is a shortest one.
    Shortest,
    /// Depth first: a string is found after far fewer visits, not always a shortest one.
    Deepest,
}

/// The id of an automaton's start set in its table.
const START: u32 = 0;

/// One automaton determinized on demand: each state set met gets an id, each step from a set
/// is computed once, for every search over the automaton.
///
/// A step depends on the character only through its column: each character the automaton
/// names is one, and every other character behaves as the others of its kind do (a digit, `:`,
/// anything else), since only [`Class::Char`] tells characters apart beyond their kind.
#[derive(Default)]
struct Table {
    sets: Vec<StateSet>,
    ids: FxHashMap<StateSet, u32>,
    /// Per set, per column: the set a step leads to ([`UNKNOWN`] until computed).
    steps: Vec<u32>,
    /// Per set: whether it accepts, whether it is empty, whether it accepts every continuation.
    flags: Vec<SetFlags>,
    /// The characters the automaton names, sorted (for the search's alphabet); column `i` is
    /// `literals[i]`, then come the digit, `:` and other columns.
    literals: Vec<char>,
    /// The column of each ASCII character.
    ascii: Vec<u16>,
    /// The id of the empty set, once met: most steps lead there, and it needs no lookup.
    empty: Option<u32>,
    /// Where a step's states are gathered before they are looked up.
    scratch: Vec<u32>,
}

/// A step not computed yet.
const UNKNOWN: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct SetFlags {
    accepts: bool,
    empty: bool,
    universal: bool,
}

impl Table {
    /// Interns the start set as [`START`] and lists the literals, the first time.
    fn prepare(&mut self, nfa: &Nfa) {
        if !self.sets.is_empty() {
            return;
        }
        let mut literals: Vec<char> = nfa
            .classes()
            .filter_map(|class| match class {
                Class::Char(character) => Some(character),
                _ => None,
            })
            .collect();
        crate::sort::sort_unstable(&mut literals);
        literals.dedup();
        self.literals = literals;
        self.ascii = (0..128u8)
            .map(|byte| self.column_of(char::from(byte)))
            .collect();
        let start = StateSet::of(&nfa.start);
        self.intern(nfa, &start.0);
    }

    fn columns(&self) -> usize {
        self.literals.len() + 3
    }

    fn column_of(&self, character: char) -> u16 {
        let column = match self.literals.binary_search(&character) {
            Ok(index) => index,
            Err(_) if character.is_ascii_digit() => self.literals.len(),
            Err(_) if character == ':' => self.literals.len() + 1,
            Err(_) => self.literals.len() + 2,
        };
        u16::try_from(column).unwrap_or(u16::MAX)
    }

    fn column(&self, character: char) -> usize {
        let ascii = usize::try_from(u32::from(character))
            .ok()
            .and_then(|code| self.ascii.get(code));
        usize::from(match ascii {
            Some(&column) => column,
            None => self.column_of(character),
        })
    }

    fn intern(&mut self, nfa: &Nfa, states: &[u32]) -> u32 {
        let empty = states.is_empty();
        if let (true, Some(id)) = (empty, self.empty) {
            return id;
        }
        if let Some(&id) = self.ids.get(states) {
            return id;
        }
        let set = StateSet(states.to_vec());
        let id = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        if empty {
            self.empty = Some(id);
        }
        self.flags.push(SetFlags {
            accepts: set.accepts(nfa),
            empty: set.is_empty(),
            universal: set.is_universal(nfa),
        });
        self.ids.insert(set.clone(), id);
        self.sets.push(set);
        self.steps
            .extend(std::iter::repeat_n(UNKNOWN, self.literals.len() + 3));
        id
    }

    fn step(&mut self, nfa: &Nfa, set: u32, character: char) -> u32 {
        let slot = set as usize * self.columns() + self.column(character);
        if let Some(&to) = self.steps.get(slot) {
            if to != UNKNOWN {
                return to;
            }
        }
        let mut stepped = std::mem::take(&mut self.scratch);
        match self.sets.get(set as usize) {
            Some(states) => states.step_into(nfa, character, &mut stepped),
            None => stepped.clear(),
        }
        let to = self.intern(nfa, &stepped);
        self.scratch = stepped;
        if let Some(known) = self.steps.get_mut(slot) {
            *known = to;
        }
        to
    }

    fn accepts(&self, set: u32) -> bool {
        self.flags
            .get(set as usize)
            .is_some_and(|flags| flags.accepts)
    }

    /// Whether no continuation can meet the want: an automaton to accept has no state left, or
    /// one to reject is in a state that accepts everything from here.
    fn dead(&self, set: u32, want: Want) -> bool {
        self.flags
            .get(set as usize)
            .is_some_and(|flags| match want {
                Want::Accept => flags.empty,
                Want::Reject => flags.universal,
                Want::Observe => false,
            })
    }
}

fn spell(links: &[(usize, char)], mut index: usize) -> String {
    let mut out = Vec::new();
    while let Some((parent, character)) = links.get(index) {
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
fn alphabet<'l>(lists: impl Iterator<Item = &'l [char]>) -> Vec<char> {
    let mut literals: Vec<char> = lists.flatten().copied().collect();
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
