//! RAM wildcard patterns, in one place: what `*` and `?` mean, how they are matched, and how
//! two patterns are compared as languages.
//!
//! # The language
//! `*` matches any run of characters (also none, and across `:` and `/`), `?` exactly one
//! character (one Unicode scalar value); every other character stands for itself, so `[`, `.`
//! or `{` are literal. Actions compare without ASCII letter case ([`CaseRule::IgnoreAsciiCase`]),
//! resources and `StringLike` values with letter case ([`CaseRule::Sensitive`]); see
//! `docs/semantics.md`.
//!
//! # Which matcher to use
//! - [`Pattern`]: one pattern, compiled once, matched against many texts (conditions, the
//!   evaluator). Linear in the text whatever the pattern: patterns compile to automata (the
//!   `regex` crate never backtracks; on `wasm32` the bit-parallel [`Glob`]).
//! - [`PatternSet`]: many patterns against one text in one pass (a policy set's `Action` and
//!   `Resource` lists).
//! - [`reference_match`]: the plain dynamic programme, with no compilation. It defines the
//!   language: the tests check every automaton against it, and `explain` and one-off
//!   comparisons (`--principal` patterns) use it directly.
//! - `language`: patterns as sets of strings, for lint: whether two patterns can match a
//!   common string (`language::intersects`) and whether one covers the other
//!   (`language::contains`), with catalog templates' `$variables` as a token of their own.
//!
//! ```
//! use ram_policy::wildcard::{CaseRule, Pattern};
//! let pattern = Pattern::new("acs:ecs:*:*:instance/i-?bc*", CaseRule::Sensitive);
//! assert!(pattern.matches("acs:ecs:cn-hangzhou:123:instance/i-abc9"));
//! assert!(!pattern.matches("acs:ecs:cn-hangzhou:123:instance/i-ABC9"));
//! assert!(Pattern::new("ECS:describe*", CaseRule::IgnoreAsciiCase).matches("ecs:DescribeInstances"));
//! ```

pub(crate) mod automaton;
mod bit_parallel;
#[cfg(not(target_arch = "wasm32"))]
mod index;
pub(crate) mod language;
mod pattern;
mod reference;

pub use bit_parallel::Glob;
#[cfg(not(target_arch = "wasm32"))]
pub use pattern::regex_source;
pub use pattern::{Pattern, PatternSet};
pub use reference::{matches_ignoring_ascii_case, reference_match, star_match};

use std::borrow::Cow;

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
    // Both are ASCII, so no byte of another character can be taken for them.
    pattern.bytes().any(|byte| matches!(byte, b'*' | b'?'))
}

/// Whether a pattern is only stars (at least one): it matches every text.
pub fn is_everything(pattern: &str) -> bool {
    !pattern.is_empty() && pattern.bytes().all(|byte| byte == b'*')
}
