//! "Did you mean" suggestions for misspelt names (actions, condition keys, regions).

/// The candidates nearest to `input`, best first, at most `limit` of them.
///
/// Comparison ignores letter case. A candidate qualifies when its normalised Damerau–Levenshtein
/// similarity is at least 0.7, or when one name is a prefix of the other and the shorter has at
/// least five characters (`DescribeInstance` → `DescribeInstances`, `DescribeInstanceStatus`).
pub fn nearest<'a, I>(input: &str, candidates: I, limit: usize) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let needle = input.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_ascii_lowercase();
            if lower == needle {
                return None;
            }
            let mut score = strsim::normalized_damerau_levenshtein(&needle, &lower);
            let (short, long) = if needle.len() <= lower.len() {
                (&needle, &lower)
            } else {
                (&lower, &needle)
            };
            if short.len() >= 5 && long.starts_with(short.as_str()) {
                score = score.max(0.7);
            }
            (score >= 0.7).then_some((score, candidate))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
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
    }
}
