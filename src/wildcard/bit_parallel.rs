//! The bit-parallel automaton the WebAssembly build matches patterns with: linear in the text
//! times the pattern's length / 64, without the `regex` crate's code (about 50 KB of the
//! gzipped WebAssembly module; see `docs/wasm.md`).

use std::collections::HashMap;

/// A wildcard pattern as a bit-parallel automaton (shift-and with self-loops for `*`): state
/// `j` means "the first `j` tokens are matched"; each character of the text moves every state
/// at once, a word of 64 states per operation. Time: text length × (tokens / 64 + 1); no
/// backtracking, no allocation per character. The same language as [`super::reference_match`].
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
