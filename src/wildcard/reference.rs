//! The reference matcher: the definition of the wildcard language, written plainly.

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

/// Whether `text` matches `pattern` with ASCII letters compared without case, compiling
/// nothing: for a pattern used once (`--principal`).
pub fn matches_ignoring_ascii_case(pattern: &str, text: &str) -> bool {
    reference_match(&pattern.to_ascii_lowercase(), &text.to_ascii_lowercase())
}
