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
    let tokens = language::tokens(pattern, true);
    let prefix = literal_prefix(pattern);
    let mut name: Vec<char> = Vec::with_capacity(64);
    catalog
        .actions()
        .iter()
        .filter(|action| {
            let qualified = action.qualified_name();
            if !starts_with_ignoring_case(qualified, prefix) {
                return false;
            }
            name.clear();
            name.extend(qualified.chars().map(|c| c.to_ascii_lowercase()));
            language::matches(&tokens, &name)
        })
        .collect()
}

/// The pattern's text before its first wildcard: a name that does not start with it (letter
/// case ignored) is rejected before anything is allocated.
fn literal_prefix(pattern: &str) -> &str {
    pattern
        .find(['*', '?'])
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
    let (service, name) = pattern.split_once(':')?;
    let service_ok = !service.is_empty()
        && service
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '?'));
    let name_ok = !name.is_empty()
        && !name.contains(':')
        && name.chars().all(|c| !c.is_whitespace() && !c.is_control());
    (service_ok && name_ok).then_some((service, name))
}

/// Whether an action pattern is `*`-only (every action of every service).
pub fn is_all_actions(pattern: &str) -> bool {
    crate::wildcard::is_everything(pattern)
}
