//! Whether a statement's `Resource` patterns reach what RAM checks for a catalog action: what
//! `RESOURCE_MISMATCH` and `AUTHORIZATION_CHANGED` decide, and the context's per-document memo
//! of it.
//!
//! Decided by intersecting glob languages ([`language::intersects`]), never by guessing: each
//! catalog template becomes a pattern whose `$variables` match anything but `:` and whose other
//! characters, `*` included, are literal (RAM checks `…:instance/*` as written). An action
//! without resource-level authorization is checked against the literal resource `*`, as the
//! evaluator does: only a pattern matching the one-character string `*` reaches it.
//!
//! The answer for one resource pattern and one template text is the same wherever they meet,
//! so it is kept for the whole document: statements repeat their resources (an operator's
//! policy names the same instances in several statements), catalog actions share templates,
//! and both checks ask.

use crate::catalog::Action;
use crate::policy::Located;
use crate::wildcard::language::{self, Token};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// The resource patterns of one document, each read once, and the answers found so far.
#[derive(Default)]
pub struct Reach<'a> {
    /// Resource pattern text → its number (user input: std's hasher, which resists crafted
    /// collisions).
    numbers: HashMap<&'a str, usize>,
    /// The patterns as glob tokens, by number.
    tokens: Vec<Vec<Token>>,
    /// (pattern number, template text) → whether some ARN of the template matches the pattern.
    answers: FxHashMap<(usize, &'a str), bool>,
}

impl<'a> Reach<'a> {
    /// The numbers of a statement's resource patterns (in their order).
    pub fn numbers(&mut self, resources: &'a [Located<String>]) -> Vec<usize> {
        resources
            .iter()
            .map(|resource| {
                let text = resource.value.as_str();
                *self.numbers.entry(text).or_insert_with(|| {
                    self.tokens.push(language::tokens(text, false));
                    self.tokens.len() - 1
                })
            })
            .collect()
    }

    /// Whether one of the resource patterns (by [`Reach::numbers`]) can match an ARN RAM checks
    /// for the action.
    pub fn reachable(&mut self, action: &'a Action, resources: &[usize]) -> bool {
        if !action.has_resource_level_authorization() {
            return resources.iter().any(|&number| {
                self.tokens
                    .get(number)
                    .is_some_and(|tokens| language::matches(tokens, &['*']))
            });
        }
        action.resources().iter().any(|kind| {
            let text = kind.template().as_str();
            let mut template = None;
            resources.iter().any(|&number| {
                if let Some(known) = self.answers.get(&(number, text)) {
                    return *known;
                }
                let template = template
                    .get_or_insert_with(|| language::catalog_template_tokens(kind.template()));
                let found = self
                    .tokens
                    .get(number)
                    .is_some_and(|tokens| language::intersects(tokens, template));
                self.answers.insert((number, text), found);
                found
            })
        })
    }
}
