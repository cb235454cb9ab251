//! `POLICY_SIZE_EXCEEDS_QUOTA`: RAM limits a custom policy document to 6,144 characters.
//!
//! Whether RAM counts whitespace is undocumented. The check counts characters (Unicode scalar
//! values) twice, as written and without insignificant whitespace (outside strings), fires when
//! even the whitespace-free count is over the limit, and says both figures.

use crate::facts::POLICY_SIZE_LIMIT;
use crate::lint::context::{Check, Context};

/// Characters as written, and without whitespace outside strings. Counted on bytes: a
/// character is one byte that is not a UTF-8 continuation byte, and the bytes that matter here
/// (quote, backslash, whitespace) are ASCII, which no other character's bytes can be.
pub fn character_counts(text: &str) -> (usize, usize) {
    let mut total = 0;
    let mut significant = 0;
    let mut in_string = false;
    let mut escaped = false;
    for byte in text.bytes() {
        let starts_character = usize::from(byte & 0xC0 != 0x80);
        total += starts_character;
        if in_string {
            significant += starts_character;
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'"' => {
                in_string = true;
                significant += 1;
            }
            _ => significant += starts_character,
        }
    }
    (total, significant)
}

/// This check in the registry ([`super::CHECKS`]).
pub const CHECK: Check = Check {
    codes: &["POLICY_SIZE_EXCEEDS_QUOTA"],
    run: check,
};

/// Reports a document over the limit.
pub fn check(context: &mut Context<'_>) {
    // No more characters than bytes: a text within the limit in bytes is within it.
    if context.text.len() <= POLICY_SIZE_LIMIT {
        return;
    }
    let (total, significant) = character_counts(context.text);
    if significant > POLICY_SIZE_LIMIT {
        context.report(
            "POLICY_SIZE_EXCEEDS_QUOTA",
            context.root.span,
            "",
            format!(
                "the document has {significant} characters without whitespace ({total} as written), over RAM's limit of {POLICY_SIZE_LIMIT}; split it into several policies or use wildcards"
            ),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::test_support::found;

    #[test]
    fn counts_whitespace_outside_strings_only() {
        assert_eq!(character_counts("{ \"a b\" : 1 }"), (13, 9));
        assert_eq!(character_counts("\"\\\" \""), (5, 5));
    }

    /// The counts by characters, as the check first counted them.
    fn by_characters(text: &str) -> (usize, usize) {
        let (mut total, mut significant, mut in_string, mut escaped) = (0, 0, false, false);
        for character in text.chars() {
            total += 1;
            if in_string {
                significant += 1;
                if escaped {
                    escaped = false;
                } else if character == '\\' {
                    escaped = true;
                } else if character == '"' {
                    in_string = false;
                }
                continue;
            }
            match character {
                ' ' | '\t' | '\n' | '\r' => {}
                '"' => {
                    in_string = true;
                    significant += 1;
                }
                _ => significant += 1,
            }
        }
        (total, significant)
    }

    proptest::proptest! {
        #[test]
        fn bytes_count_what_characters_count(text in "[ \t\n\r\"\\\\a:é中😀]{0,40}") {
            proptest::prop_assert_eq!(character_counts(&text), by_characters(&text));
        }
    }

    #[test]
    fn fires_only_over_the_limit() {
        let actions: Vec<String> = (0..300)
            .map(|n| format!("\"ecs:DescribeInstances{n:03}\""))
            .collect();
        let text = format!(
            "{{\"Version\": \"1\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [{}], \"Resource\": \"*\"}}]}}",
            actions.join(", ")
        );
        let hits = found(&text, "POLICY_SIZE_EXCEEDS_QUOTA");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, text);
        assert!(hits[0].1.message.contains("as written"));
        let short = "{\"Version\": \"1\", \"Statement\": []}";
        assert!(found(short, "POLICY_SIZE_EXCEEDS_QUOTA").is_empty());
    }
}
