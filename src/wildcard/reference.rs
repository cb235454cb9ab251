//! The reference matcher: the definition of the wildcard language, written plainly.

/// The reference matcher: `*` any run of characters (across `:` and `/`), `?` exactly one
/// character, everything else itself. Used by the reference evaluator, by `explain`, to check the
/// automata in tests, and as the fallback for oversized patterns.
///
/// The pattern's characters up to its first `*` and after its last `*` are compared with the
/// text's ends first, then the middle goes to [`star_match`]; a pattern equal to the text matches
/// at once (every character of a pattern matches itself). So an exact ARN, a `prefix*` pattern and
/// a suggested statement naming the request's own ARN (whose id may hold `*` or `?`: both are
/// caller input) cost O(text); the rest costs at most O(middle of the pattern × middle of the text)
/// and allocates nothing.
pub fn reference_match(pattern: &str, text: &str) -> bool {
    if pattern == text {
        return true;
    }
    let fits = |token: char, character: char| token == '?' || token == character;
    let (mut pattern_chars, mut text_chars) = (pattern.chars(), text.chars());
    loop {
        let (rest_pattern, rest_text) = (pattern_chars.clone(), text_chars.clone());
        match (pattern_chars.next(), text_chars.next()) {
            (Some('*'), _) | (_, None) | (None, _) => {
                (pattern_chars, text_chars) = (rest_pattern, rest_text);
                break;
            }
            (Some(token), Some(character)) if fits(token, character) => {}
            _ => return false,
        }
    }
    loop {
        let (rest_pattern, rest_text) = (pattern_chars.clone(), text_chars.clone());
        match (pattern_chars.next_back(), text_chars.next_back()) {
            (Some('*'), _) | (_, None) | (None, _) => {
                (pattern_chars, text_chars) = (rest_pattern, rest_text);
                break;
            }
            (Some(token), Some(character)) if fits(token, character) => {}
            _ => return false,
        }
    }
    star_match(pattern_chars.as_str(), text_chars.as_str())
}

/// Whether `text` matches `pattern` (`*` any run, `?` one character), without allocating: the
/// usual greedy scan that backtracks to the last `*`. It costs O(pattern × text) at worst and
/// O(text) for patterns with few stars and long runs. Both are valid UTF-8, so a literal compared
/// byte by byte matches exactly the same characters, and `?` consumes one whole character.
pub fn star_match(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0usize, 0usize);
    // After the last `*` seen: where the pattern resumes, and where the star's run ends so far.
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                resume = Some((p, t));
                continue;
            }
            Some(b'?') => {
                p += 1;
                t += char_len(text.get(t).copied());
                continue;
            }
            Some(byte) if text.get(t) == Some(byte) => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        // Mismatch: let the last star swallow one more character, or fail.
        let Some((after_star, star_end)) = resume else {
            return false;
        };
        let next = star_end + char_len(text.get(star_end).copied());
        resume = Some((after_star, next));
        p = after_star;
        t = next;
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|byte| *byte == b'*'))
}

/// The length of the UTF-8 character that starts with `lead` (1 past the end).
fn char_len(lead: Option<u8>) -> usize {
    match lead {
        Some(byte) if byte >= 0xF0 => 4,
        Some(byte) if byte >= 0xE0 => 3,
        Some(byte) if byte >= 0xC0 => 2,
        _ => 1,
    }
}

/// Whether `text` matches `pattern` with ASCII letters compared without case, compiling
/// nothing: for a pattern used once (`--principal`).
pub fn matches_ignoring_ascii_case(pattern: &str, text: &str) -> bool {
    reference_match(&pattern.to_ascii_lowercase(), &text.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The wildcard language by its definition, for the tests: dynamic programming over
    /// characters (`matched[j]`: the pattern read so far matches the text's first `j` characters).
    fn definition(pattern: &str, text: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        let mut matched = vec![false; text.len() + 1];
        matched[0] = true;
        for token in pattern.chars() {
            let mut next = vec![false; text.len() + 1];
            for j in 0..=text.len() {
                next[j] = match token {
                    '*' => matched[j] || (j > 0 && next[j - 1]),
                    '?' => j > 0 && matched[j - 1],
                    other => j > 0 && matched[j - 1] && text[j - 1] == other,
                };
            }
            matched = next;
        }
        matched[text.len()]
    }

    #[test]
    fn edges() {
        for (pattern, text, expected) in [
            ("", "", true),
            ("*", "", true),
            ("?", "", false),
            ("?", "é", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("*a", "ba", true),
            ("a**", "a", true),
            ("i-?", "i-ab", false),
            ("*x*", "ÿÿxÿ", true),
            ("a*?", "a", false),
            ("?*?", "é", false),
        ] {
            assert_eq!(
                reference_match(pattern, text),
                expected,
                "{pattern} ~ {text}"
            );
            assert_eq!(star_match(pattern, text), expected, "{pattern} ~ {text}");
            assert_eq!(definition(pattern, text), expected, "{pattern} ~ {text}");
        }
    }

    #[test]
    fn a_long_id_with_wildcards_matched_against_itself_is_linear() {
        // The suggested statement of `explain` names the request's ARN; an id full of `*` and
        // `?` (caller input) made that check quadratic (found by the `explain` fuzz target).
        let arn = format!(
            "acs:ecs:cn-hangzhou:1:instance/*{}?{}*",
            "?*".repeat(100_000),
            "a".repeat(100_000)
        );
        assert!(reference_match(&arn, &arn));
    }

    proptest! {
        #[test]
        fn the_matchers_are_the_definition(pattern in "[ab*?é:]{0,9}", text in "[abé:]{0,10}") {
            let expected = definition(&pattern, &text);
            prop_assert_eq!(reference_match(&pattern, &text), expected);
            prop_assert_eq!(star_match(&pattern, &text), expected);
        }
    }
}
