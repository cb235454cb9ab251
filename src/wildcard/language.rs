//! RAM wildcard patterns as languages, what lint reasons with: matching, whether two patterns
//! can match a common string (intersection), and whether every string one pattern matches is
//! matched by another (containment).
//!
//! A pattern is a sequence of [`Token`]s. Policy patterns read `*` as [`Token::Star`] and `?` as
//! [`Token::Any`]; catalog templates read `$variables` as `Star` and keep every other character,
//! `*` included, literal (RAM checks the ARN `…:instance/*` as written).
//!
//! - [`intersects`] is exact: a dynamic programme over positions of both patterns.
//! - [`contains`] is sound but incomplete: it answers `true` only when the inner pattern,
//!   read as a string whose wildcards are symbols, is matched by the outer pattern, where an
//!   outer `*` may absorb any symbols (wildcards included) and an outer `?` any one non-star
//!   symbol. Whenever it says `true`, every string of the inner pattern is in the outer
//!   pattern; it may say `false` for exotic inclusions (`a*` ⊆ `*a*`-like rearrangements are
//!   still found, but e.g. `?*` ⊆ `*?` is found while a few inclusions that need case analysis
//!   are not). Checks built on it never report a false positive.

/// One symbol of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Token {
    /// A character that stands for itself.
    Lit(char),
    /// `?`: exactly one character.
    Any,
    /// `*`: any run of characters.
    Star,
    /// A template variable: any run of characters other than `:` (a region, an account or an
    /// id never contains the ARN field separator).
    Field,
}

impl Token {
    /// Whether a variable-length token can produce this single-character token.
    fn absorbs(self, symbol: Token) -> bool {
        match (self, symbol) {
            (Token::Star, Token::Lit(_) | Token::Any) => true,
            (Token::Field, Token::Lit(c)) => c != ':',
            (Token::Field, Token::Any) => true,
            _ => false,
        }
    }

    fn is_run(self) -> bool {
        matches!(self, Token::Star | Token::Field)
    }
}

/// A policy pattern (`*`, `?` wildcards), optionally with ASCII letters folded to lowercase.
pub fn tokens(pattern: &str, fold_case: bool) -> Vec<Token> {
    pattern
        .chars()
        .map(|character| match character {
            '*' => Token::Star,
            '?' => Token::Any,
            other if fold_case => Token::Lit(other.to_ascii_lowercase()),
            other => Token::Lit(other),
        })
        .collect()
}

/// [`template_tokens`], computed once for the embedded catalog's templates (the checks ask for
/// them for every statement) and on demand for any other template.
pub fn catalog_template_tokens(
    template: &crate::catalog::Template,
) -> std::borrow::Cow<'static, [Token]> {
    use rustc_hash::FxHashMap;
    use std::sync::OnceLock;
    static EMBEDDED: OnceLock<FxHashMap<&'static str, Vec<Token>>> = OnceLock::new();
    let cache = EMBEDDED.get_or_init(|| {
        crate::catalog::Catalog::embedded()
            .map(|catalog| {
                catalog
                    .actions()
                    .iter()
                    .flat_map(|action| action.resources())
                    .map(|resource| {
                        (
                            resource.template().as_str(),
                            template_tokens(resource.template()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    match cache.get(template.as_str()) {
        Some(tokens) => std::borrow::Cow::Borrowed(tokens.as_slice()),
        None => std::borrow::Cow::Owned(template_tokens(template)),
    }
}

/// A catalog template: `$variables` become [`Token::Field`], everything else is literal.
fn template_tokens(template: &crate::catalog::Template) -> Vec<Token> {
    use crate::catalog::Segment;
    let mut out = Vec::new();
    for segment in template.segments() {
        match segment {
            Segment::Literal(text) => out.extend(text.chars().map(Token::Lit)),
            Segment::Variable(_) => out.push(Token::Field),
        }
    }
    out
}

/// Whether the pattern matches the text (the text's characters are all literal).
pub fn matches(pattern: &[Token], text: &[char]) -> bool {
    absorbs(pattern, text)
}

/// Whether some string matches both patterns (exact).
pub fn intersects(a: &[Token], b: &[Token]) -> bool {
    // No pattern's language is empty, so a universal one meets every other.
    if is_universal(a) || is_universal(b) {
        return true;
    }
    // Leading and trailing literals must agree where both sides are literal; where they do, a
    // common string starts (ends) with them, so they drop out of the programme.
    let (Some(a), Some(b)) = strip_common_literals(a, b) else {
        return false;
    };
    // The programme is symmetric: the shorter pattern becomes the bit row.
    let (long, short) = if a.len() < b.len() { (b, a) } else { (a, b) };
    if short.len() < 128 {
        intersects_by_rows(long, short)
    } else {
        intersects_by_table(long, short)
    }
}

/// The two patterns without their common literal prefix and suffix; `None` when a literal pair
/// there differs (no string matches both).
fn strip_common_literals<'x, 'y>(
    mut a: &'x [Token],
    mut b: &'y [Token],
) -> (Option<&'x [Token]>, Option<&'y [Token]>) {
    while let (Some((Token::Lit(c), rest_a)), Some((Token::Lit(d), rest_b))) =
        (a.split_first(), b.split_first())
    {
        if c != d {
            return (None, None);
        }
        (a, b) = (rest_a, rest_b);
    }
    while let (Some((Token::Lit(c), rest_a)), Some((Token::Lit(d), rest_b))) =
        (a.split_last(), b.split_last())
    {
        if c != d {
            return (None, None);
        }
        (a, b) = (rest_a, rest_b);
    }
    (Some(a), Some(b))
}

/// [`intersects`]'s programme with one row of pairs per token of `a`, the positions of `b` as
/// the bits of a word (`b` at most 127 tokens): state (i, j) means the first i tokens of `a`
/// and the first j of `b` can produce a common string. Moves within a row (`b`'s run goes on
/// or ends, `a`'s run produces `b`'s symbol) are a carry along the word; moves to the next row
/// (`a`'s run ends, `b`'s run produces `a`'s symbol, two single symbols agree) are masks and
/// one shift.
fn intersects_by_rows(a: &[Token], b: &[Token]) -> bool {
    let (mut star, mut field, mut any, mut literal) = (0u128, 0u128, 0u128, 0u128);
    // The positions of each ASCII literal of `b` (others are looked up by a scan of `b`).
    let mut ascii = [0u128; 128];
    let mut bit = 1u128;
    for token in b {
        match token {
            Token::Star => star |= bit,
            Token::Field => field |= bit,
            Token::Any => any |= bit,
            Token::Lit(c) => {
                literal |= bit;
                if let Some(slot) = ascii.get_mut(*c as usize) {
                    *slot |= bit;
                }
            }
        }
        bit <<= 1;
    }
    let colon = ascii.get(usize::from(b':')).copied().unwrap_or(0);
    let runs = star | field;
    let every = (1u128 << b.len() << 1).wrapping_sub(1);
    let mut row: u128 = 1;
    for (i, x) in a
        .iter()
        .copied()
        .chain(std::iter::once(Token::Any))
        .enumerate()
    {
        let last = i == a.len();
        // Within the row: from j to j + 1 where `b`'s token j is a run, or `a`'s run reads it.
        let along = match (last, x) {
            (true, _) => runs,
            (false, Token::Star) => runs | literal | any,
            (false, Token::Field) => runs | (literal & !colon) | any,
            (false, Token::Lit(_) | Token::Any) => runs,
        };
        row |= (row & along).wrapping_add(along) ^ along;
        if last {
            break;
        }
        // To the next row: `a`'s run ends, or `b`'s run reads `a`'s symbol (staying at j);
        // two single symbols that agree (moving to j + 1).
        let (down, diagonal) = match x {
            Token::Star | Token::Field => (every, 0),
            Token::Any => (runs, literal | any),
            Token::Lit(c) => {
                let same = match ascii.get(c as usize) {
                    Some(positions) => *positions,
                    None => b.iter().rev().fold(0, |mask, token| {
                        mask << 1 | u128::from(*token == Token::Lit(c))
                    }),
                };
                (if c == ':' { star } else { runs }, same | any)
            }
        };
        row = (row & down) | ((row & diagonal) << 1);
        if row == 0 {
            return false;
        }
    }
    (row >> b.len()) & 1 == 1
}

/// [`intersects`]'s programme as a table of pairs, for patterns of any length.
fn intersects_by_table(a: &[Token], b: &[Token]) -> bool {
    let width = b.len() + 1;
    let mut reached = vec![false; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    if let Some(first) = reached.first_mut() {
        *first = true;
    }
    // Every move advances i or j, so visiting pairs in lexicographic order is a topological order.
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if !reached.get(at(i, j)).copied().unwrap_or(false) {
                continue;
            }
            let x = a.get(i).copied();
            let y = b.get(j).copied();
            let mut mark = |ni: usize, nj: usize| {
                if let Some(slot) = reached.get_mut(at(ni, nj)) {
                    *slot = true;
                }
            };
            if let Some(run) = x.filter(|token| token.is_run()) {
                mark(i + 1, j); // the run of `a` ends
                if y.is_some_and(|symbol| run.absorbs(symbol)) {
                    mark(i, j + 1); // the run of `a` produces what `b` needs
                }
            }
            if let Some(run) = y.filter(|token| token.is_run()) {
                mark(i, j + 1);
                if x.is_some_and(|symbol| run.absorbs(symbol)) {
                    mark(i + 1, j);
                }
            }
            if let (Some(p), Some(q)) = (x, y) {
                let step = match (p, q) {
                    (Token::Lit(c), Token::Lit(d)) => c == d,
                    (Token::Lit(_) | Token::Any, Token::Lit(_) | Token::Any) => true,
                    _ => false,
                };
                if step {
                    mark(i + 1, j + 1);
                }
            }
        }
    }
    reached.last().copied().unwrap_or(false)
}

/// Whether every string `inner` matches is matched by `outer` (sound, incomplete; see the module
/// documentation).
pub fn contains(outer: &[Token], inner: &[Token]) -> bool {
    is_universal(outer) || absorbs(outer, inner)
}

/// What a pattern is read against: a text, whose characters are all literal ([`matches`]), or
/// another pattern's tokens, read as symbols ([`contains`]).
///
/// [`absorbs`] is generic over it, so each kind gets its own compiled copy of the one dynamic
/// programme: the text case (the hot path of the catalog scans) pays nothing for the token case.
trait Symbol: Copy {
    /// Whether the pattern's literal `expected` reads this symbol.
    fn is_literal(self, expected: char) -> bool;
    /// Whether the pattern's `?` reads this symbol.
    fn fits_any(self) -> bool;
    /// Whether the pattern's run (`*` or a field) produces this symbol in full.
    fn fits_run(self, run: Token) -> bool;
}

impl Symbol for char {
    fn is_literal(self, expected: char) -> bool {
        self == expected
    }

    fn fits_any(self) -> bool {
        true
    }

    fn fits_run(self, run: Token) -> bool {
        // A field cannot run across a `:` of the text.
        run == Token::Star || self != ':'
    }
}

impl Symbol for Token {
    fn is_literal(self, expected: char) -> bool {
        self == Token::Lit(expected)
    }

    fn fits_any(self) -> bool {
        matches!(self, Token::Lit(_) | Token::Any)
    }

    fn fits_run(self, run: Token) -> bool {
        match (run, self) {
            (Token::Star, _) | (Token::Field, Token::Field) => true,
            (Token::Field, Token::Lit(c)) => c != ':',
            _ => false,
        }
    }
}

/// Whether the pattern reads the whole sequence of symbols: a dynamic programme over the
/// symbols, one row per pattern token, after a fast rejection on the pattern's literal prefix.
fn absorbs<S: Symbol>(pattern: &[Token], symbols: &[S]) -> bool {
    let prefix = pattern
        .iter()
        .take_while(|token| matches!(token, Token::Lit(_)))
        .count();
    if prefix > symbols.len() {
        return false;
    }
    for (token, symbol) in pattern.iter().zip(symbols).take(prefix) {
        if let Token::Lit(expected) = *token {
            if !symbol.is_literal(expected) {
                return false;
            }
        }
    }
    let pattern = pattern.get(prefix..).unwrap_or_default();
    let symbols = symbols.get(prefix..).unwrap_or_default();
    if pattern.is_empty() {
        return symbols.is_empty();
    }
    // reached[j]: the pattern tokens read so far absorb the first j symbols. Updated in place,
    // on the stack for the short texts of the catalog scans.
    let mut on_stack = [false; 96];
    let mut on_heap = Vec::new();
    let reached = match on_stack.get_mut(..=symbols.len()) {
        Some(row) => row,
        None => {
            on_heap.resize(symbols.len() + 1, false);
            on_heap.as_mut_slice()
        }
    };
    let Some((start, rest)) = reached.split_first_mut() else {
        return false;
    };
    *start = true;
    for &token in pattern {
        let mut any = false;
        match token {
            Token::Star | Token::Field => {
                // A run goes on from every prefix reached, over the symbols it can produce.
                let mut reachable = *start;
                any |= reachable;
                for (slot, symbol) in rest.iter_mut().zip(symbols) {
                    reachable = (reachable && symbol.fits_run(token)) || *slot;
                    *slot = reachable;
                    any |= reachable;
                }
            }
            Token::Any | Token::Lit(_) => {
                // One symbol: each reached prefix moves one further, when the token reads it.
                let mut before = std::mem::replace(start, false);
                for (slot, symbol) in rest.iter_mut().zip(symbols) {
                    let fits = match token {
                        Token::Lit(expected) => symbol.is_literal(expected),
                        _ => symbol.fits_any(),
                    };
                    let here = *slot;
                    *slot = before && fits;
                    any |= *slot;
                    before = here;
                }
            }
        }
        if !any {
            return false;
        }
    }
    rest.last().copied().unwrap_or(*start)
}

/// Whether the tokens are only stars (they match every string).
fn is_universal(pattern: &[Token]) -> bool {
    !pattern.is_empty() && pattern.iter().all(|token| *token == Token::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(text: &str) -> Vec<Token> {
        tokens(text, false)
    }

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    /// Every string over {a, b} of length at most `max`.
    fn strings(max: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..max {
            let mut next = Vec::new();
            for text in &layer {
                for c in ['a', 'b'] {
                    next.push(format!("{text}{c}"));
                }
            }
            all.extend(next.iter().cloned());
            layer = next;
        }
        all
    }

    #[test]
    fn examples() {
        assert!(intersects(
            &t("acs:ecs:*:*:instance/*"),
            &t("acs:ecs:cn-*:1:*")
        ));
        // `*` crosses `:`, so these two policy patterns share `acs:ecs:a:b:disk/:instance/c`…
        assert!(intersects(
            &t("acs:ecs:*:*:disk/*"),
            &t("acs:ecs:*:*:instance/*")
        ));
        // …but a template's variables never contain `:`.
        let template = [
            t("acs:ecs:"),
            vec![Token::Field],
            t(":"),
            vec![Token::Field],
            t(":instance/"),
            vec![Token::Field],
        ]
        .concat();
        assert!(!intersects(&t("acs:ecs:*:*:disk/*"), &template));
        assert!(intersects(&t("acs:ecs:*:*:instance/i-1"), &template));
        assert!(contains(&t("acs:ecs:*:*:instance/*"), &template));
        assert!(!contains(&t("acs:ecs:*:*:instance/i-*"), &template));
        assert!(intersects(&t("*"), &t("")));
        assert!(!intersects(&t("?"), &t("")));
        assert!(contains(&t("ecs:Describe*"), &t("ecs:DescribeInstances")));
        assert!(contains(&t("*"), &t("a?b*")));
        assert!(contains(&t("a*"), &t("ab*")));
        assert!(!contains(&t("ab*"), &t("a*")));
        assert!(!contains(&t("a?"), &t("a*")));
        assert!(matches(&t("a*c"), &chars("abbc")));
        let literal_star = vec![Token::Lit('x'), Token::Lit('*')];
        assert!(!intersects(&t("xy"), &literal_star));
        assert!(intersects(&t("x?"), &literal_star));
    }

    fn pattern() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![Just('a'), Just('b'), Just('*'), Just('?')],
            0..6,
        )
        .prop_map(|chars| chars.into_iter().collect())
    }

    /// A plain recursive matcher, the reference for token patterns with fields.
    fn naive(pattern: &[Token], text: &[char]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some((Token::Star, rest)) => (0..=text.len()).any(|k| naive(rest, &text[k..])),
            Some((Token::Field, rest)) => (0..=text.len())
                .take_while(|&k| k == 0 || text[k - 1] != ':')
                .any(|k| naive(rest, &text[k..])),
            Some((Token::Any, rest)) => !text.is_empty() && naive(rest, &text[1..]),
            Some((Token::Lit(c), rest)) => text.first() == Some(c) && naive(rest, &text[1..]),
        }
    }

    fn token_pattern() -> impl Strategy<Value = Vec<Token>> {
        proptest::collection::vec(
            prop_oneof![
                Just(Token::Lit('a')),
                Just(Token::Lit(':')),
                Just(Token::Any),
                Just(Token::Star),
                Just(Token::Field)
            ],
            0..6,
        )
    }

    /// Every string over {a, :} of length at most `max`.
    fn colon_strings(max: usize) -> Vec<Vec<char>> {
        strings(max)
            .into_iter()
            .map(|s| s.chars().map(|c| if c == 'b' { ':' } else { c }).collect())
            .collect()
    }

    /// A longer pattern over literals (one of them outside ASCII), `:`, both wildcards and fields.
    fn long_token_pattern(max: usize) -> impl Strategy<Value = Vec<Token>> {
        proptest::collection::vec(
            prop_oneof![
                4 => Just(Token::Lit('a')),
                2 => Just(Token::Lit('b')),
                1 => Just(Token::Lit('é')),
                2 => Just(Token::Lit(':')),
                1 => Just(Token::Any),
                1 => Just(Token::Star),
                1 => Just(Token::Field)
            ],
            0..max,
        )
    }

    #[test]
    fn rows_agree_with_the_table_at_the_word_limit() {
        let lits = |n: usize, c: char| vec![Token::Lit(c); n];
        let cases = [
            ([lits(126, 'a'), vec![Token::Star]].concat(), lits(200, 'a')),
            (
                [lits(126, 'a'), vec![Token::Field]].concat(),
                [lits(130, 'a'), lits(1, ':')].concat(),
            ),
            (
                [vec![Token::Star], lits(126, 'a')].concat(),
                [lits(127, 'a'), vec![Token::Any]].concat(),
            ),
            (
                [vec![Token::Any], lits(126, 'b')].concat(),
                [vec![Token::Star], lits(126, 'b')].concat(),
            ),
        ];
        for (x, y) in cases {
            for (p, q) in [(&x, &y), (&y, &x)] {
                let expected = intersects_by_table(p, q);
                if q.len() < 128 {
                    assert_eq!(intersects_by_rows(p, q), expected, "{p:?} ∩ {q:?}");
                }
                assert_eq!(intersects(p, q), expected, "{p:?} ∩ {q:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn fields_agree_with_brute_force(a in token_pattern(), b in token_pattern()) {
            let all = colon_strings(a.len() + b.len());
            for s in &all {
                prop_assert_eq!(matches(&a, s), naive(&a, s));
            }
            let brute = all.iter().any(|s| naive(&a, s) && naive(&b, s));
            prop_assert_eq!(intersects(&a, &b), brute, "{:?} ∩ {:?}", a, b);
            if contains(&a, &b) {
                for s in colon_strings(8) {
                    if naive(&b, &s) {
                        prop_assert!(naive(&a, &s), "{:?} ⊆ {:?} fails on {:?}", b, a, s);
                    }
                }
            }
        }

        /// The word-row programme (what `intersects` runs below 128 tokens) agrees with the
        /// table (above), with and without the common literals stripped.
        #[test]
        fn rows_agree_with_the_table(a in long_token_pattern(40), b in long_token_pattern(40)) {
            let expected = intersects_by_table(&a, &b);
            prop_assert_eq!(intersects_by_rows(&a, &b), expected, "{:?} ∩ {:?}", a, b);
            prop_assert_eq!(intersects(&a, &b), expected, "{:?} ∩ {:?}", a, b);
        }

        #[test]
        fn intersection_agrees_with_brute_force(a in pattern(), b in pattern()) {
            let (x, y) = (t(&a), t(&b));
            // A witness, when there is one, is at most |a| + |b| long.
            let brute = strings(a.len() + b.len())
                .iter()
                .any(|s| matches(&x, &chars(s)) && matches(&y, &chars(s)));
            prop_assert_eq!(intersects(&x, &y), brute, "{} ∩ {}", a, b);
        }

        #[test]
        fn matching_agrees_with_the_reference(a in pattern(), s in "[ab]{0,6}") {
            prop_assert_eq!(matches(&t(&a), &chars(&s)), crate::wildcard::reference_match(&a, &s));
        }

        #[test]
        fn containment_is_sound(a in pattern(), b in pattern()) {
            if contains(&t(&a), &t(&b)) {
                for s in strings(8) {
                    if matches(&t(&b), &chars(&s)) {
                        prop_assert!(matches(&t(&a), &chars(&s)), "{} ⊆ {} fails on {}", b, a, s);
                    }
                }
            }
        }

        #[test]
        fn containment_finds_equal_and_star_patterns(a in pattern()) {
            prop_assert!(contains(&t(&a), &t(&a)));
            // `a*` contains `a`: this goes through the dynamic programme (an all-star outer
            // pattern would return before it).
            let starred = format!("{a}*");
            prop_assert!(contains(&t(&starred), &t(&a)));
        }

        /// `matches` (a text) agrees with `contains` (tokens) on a literal inner pattern.
        #[test]
        fn matches_agrees_with_contains_on_literals(a in pattern(), s in "[ab:]{0,8}") {
            let literal: Vec<Token> = s.chars().map(Token::Lit).collect();
            prop_assert_eq!(matches(&t(&a), &chars(&s)), contains(&t(&a), &literal));
        }
    }
}
