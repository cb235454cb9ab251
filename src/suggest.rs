//! "Did you mean" suggestions for misspelt names (actions, condition keys, regions).

/// `a`, `` `a` or `b` ``, `` `a`, `b` or `c` `` for messages.
pub fn quoted_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [rest @ .., last] => {
            let listed: Vec<String> = rest.iter().map(|name| format!("`{name}`")).collect();
            format!("{} or `{last}`", listed.join(", "))
        }
    }
}

/// "; did you mean `a` or `b`?" for an error message, or nothing when there is no suggestion.
pub fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", quoted_list(suggestions))
    }
}

/// [`did_you_mean`], or "; check the spelling" when there is no suggestion.
pub fn did_you_mean_or_check(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "; check the spelling".to_string()
    } else {
        did_you_mean(suggestions)
    }
}

/// The candidates nearest to `input`, best first, at most `limit` of them.
///
/// Comparison ignores letter case and uses the Damerau–Levenshtein distance (a swap of two
/// neighbouring letters counts as one edit). A candidate qualifies when it is at most a quarter
/// of the input's length away (at least 2 edits are always allowed), and only candidates within
/// one edit of the best are kept, so a clear winner is suggested alone.
pub fn nearest<'a, I>(input: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let needle = input.to_ascii_lowercase();
    let length = needle.chars().count();
    let allowed = (length / 4).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            // The length difference is a lower bound of the distance: skipping hopeless
            // candidates keeps a huge input (a 1 MiB action name) from costing seconds.
            if candidate.chars().count().abs_diff(length) > allowed {
                return None;
            }
            let distance = strsim::damerau_levenshtein(&needle, &candidate.to_ascii_lowercase());
            (distance > 0 && distance <= allowed).then_some((distance, candidate))
        })
        .collect();
    let best = scored
        .iter()
        .map(|(distance, _)| *distance)
        .min()
        .unwrap_or(0);
    scored.retain(|(distance, _)| *distance <= best + 1);
    crate::sort::sort_by(&mut scored, |a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, name)| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn finds_typos_and_prefixes() {
        let names = [
            "DescribeInstances",
            "DescribeInstanceStatus",
            "StartInstance",
        ];
        assert_eq!(
            nearest("DescribeInstaces", names, 3),
            vec!["DescribeInstances".to_string()]
        );
        assert_eq!(nearest("startinstance", names, 3), Vec::<String>::new());
        assert_eq!(nearest("StartInstances", names, 3), vec!["StartInstance"]);
        assert!(nearest("Zzz", names, 3).is_empty());
        let huge = "DescribeInstances".repeat(60_000);
        assert!(nearest(&huge, names, 3).is_empty());
    }
}
