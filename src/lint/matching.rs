//! Action patterns against action names and the catalog, letter case ignored (as RAM compares
//! actions): what several checks and the context's per-document cache ask.

use crate::catalog::{Action, Catalog};
use crate::wildcard::language;

/// The catalog actions an action pattern matches (letter case ignored).
pub fn catalog_matches<'c>(catalog: &'c Catalog, pattern: &str) -> Vec<&'c Action> {
    if !crate::wildcard::has_wildcard(pattern) {
        return match split_action(pattern) {
            Some((service, _)) if catalog.covers(service) => {
                catalog.action(pattern).into_iter().collect()
            }
            _ => Vec::new(),
        };
    }
    let prefix = literal_prefix(pattern);
    let mut candidates: Vec<usize> = catalog.action_indices_with_prefix(prefix).collect();
    crate::sort::sort_unstable(&mut candidates);
    let actions = catalog.actions();
    let candidates = candidates
        .into_iter()
        .filter_map(|index| actions.get(index));
    // `prefix*` (the usual `ecs:Describe*`): every name with the prefix matches.
    if pattern
        .get(prefix.len()..)
        .is_some_and(crate::wildcard::is_everything)
    {
        return candidates.collect();
    }
    let tokens = language::tokens(pattern, true);
    let mut name: Vec<char> = Vec::with_capacity(64);
    candidates
        .filter(|action| {
            name.clear();
            name.extend(
                action
                    .qualified_name()
                    .chars()
                    .map(|c| c.to_ascii_lowercase()),
            );
            language::matches(&tokens, &name)
        })
        .collect()
}

/// The pattern's text before its first wildcard: a name that does not start with it (letter
/// case ignored) is rejected before anything is allocated.
fn literal_prefix(pattern: &str) -> &str {
    pattern
        .bytes()
        .position(|byte| matches!(byte, b'*' | b'?'))
        .and_then(|end| pattern.get(..end))
        .unwrap_or(pattern)
}

fn starts_with_ignoring_case(name: &str, prefix: &str) -> bool {
    name.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Whether an action pattern matches the qualified action name (letter case ignored).
pub fn action_matches(pattern: &str, action: &str) -> bool {
    if !crate::wildcard::has_wildcard(pattern) {
        return pattern.eq_ignore_ascii_case(action);
    }
    if !starts_with_ignoring_case(action, literal_prefix(pattern)) {
        return false;
    }
    let name: Vec<char> = action.to_ascii_lowercase().chars().collect();
    language::matches(&language::tokens(pattern, true), &name)
}

/// `service:Name` split, when the pattern has that shape.
pub fn split_action(pattern: &str) -> Option<(&str, &str)> {
    let colon = pattern.bytes().position(|byte| byte == b':')?;
    let (service, name) = (pattern.get(..colon)?, pattern.get(colon + 1..)?);
    let service_ok = !service.is_empty()
        && service
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'*' | b'?'));
    let name_ok = !name.is_empty()
        && if name.is_ascii() {
            // Graphic ASCII: neither whitespace nor a control character; `:` is excluded.
            name.bytes()
                .all(|byte| byte.is_ascii_graphic() && byte != b':')
        } else {
            !name.contains(':') && name.chars().all(|c| !c.is_whitespace() && !c.is_control())
        };
    (service_ok && name_ok).then_some((service, name))
}

/// Whether an action pattern is `*`-only (every action of every service).
pub fn is_all_actions(pattern: &str) -> bool {
    crate::wildcard::is_everything(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Edition;
    use proptest::prelude::*;

    /// Every catalog action the pattern matches, by a scan of the whole catalog.
    fn scanned<'c>(catalog: &'c Catalog, pattern: &str) -> Vec<&'c Action> {
        if !crate::wildcard::has_wildcard(pattern) {
            return catalog_matches(catalog, pattern);
        }
        catalog
            .actions()
            .iter()
            .filter(|action| action_matches(pattern, action.qualified_name()))
            .collect()
    }

    fn names(actions: &[&Action]) -> Vec<String> {
        actions
            .iter()
            .map(|action| action.qualified_name().to_string())
            .collect()
    }

    #[test]
    fn the_prefix_index_finds_what_a_scan_finds() {
        for edition in [Edition::Seed, Edition::Current] {
            let catalog = Catalog::edition(edition).unwrap();
            for pattern in [
                "ecs:Describe*",
                "ECS:describe*",
                "ecs:Describe*s",
                "ecs:*Instance*",
                "*:DescribeInstances",
                "ecs:Describ?Instances",
                "ecs:Delete*",
                "e*",
                "*",
                "ecs:*",
                "vpc:*Vpc*",
                "ecs:Nothing*",
                "ecs:DescribeInstances*",
                "ecs:D*s?",
                "écs:*",
            ] {
                let found = catalog_matches(catalog, pattern);
                assert_eq!(
                    names(&found),
                    names(&scanned(catalog, pattern)),
                    "{pattern}"
                );
            }
            assert!(catalog_matches(catalog, "ecs:Describe*").len() > 10);
        }
    }

    proptest! {
        #[test]
        fn the_prefix_index_agrees_with_a_scan(
            pattern in "(ecs|ECS|vpc|e|\\*):(Describe|describe|Delete|Create|Modify|In|\\*|\\?){0,3}(Instance|Disk|s|\\*|\\?){0,2}",
        ) {
            for edition in [Edition::Seed, Edition::Current] {
                let catalog = Catalog::edition(edition).unwrap();
                let found = catalog_matches(catalog, &pattern);
                prop_assert_eq!(names(&found), names(&scanned(catalog, &pattern)), "{}", pattern);
            }
        }
    }
}
