//! Stable sorting, written once for every element type on WebAssembly.
//!
//! The standard library's stable sort is instantiated for each element type and comparator, and
//! each instantiation is several kilobytes of code (driftsort, its quicksort, small-sorts and
//! merges): about 20 of them made 10 KB of the gzipped WebAssembly module. On `wasm32` these
//! helpers sort a list of indexes with one merge sort that is not generic (the comparator is a
//! `dyn` closure over indexes) and then move the elements into place with swaps, so each call
//! site adds only a few hundred bytes. Elsewhere they are the standard library's sorts.
//!
//! Both are stable, so they give the same order: a stable sort's result is fully determined by the
//! comparator. Call sites that used `sort_unstable` on values whose equal elements are
//! indistinguishable (numbers, strings, tuples of them) lose nothing by being stable.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal elements in their order.
pub(crate) fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if cfg!(target_arch = "wasm32") {
        let order = stable_order(items.len(), &mut |left, right| match (
            items.get(left),
            items.get(right),
        ) {
            (Some(left), Some(right)) => compare(left, right),
            _ => Ordering::Equal,
        });
        permute(items, order);
    } else {
        items.sort_by(compare);
    }
}

/// Sorts `items` by the key `key` gives each, keeping equal keys in their order.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |left, right| key(left).cmp(&key(right)));
}

/// Sorts `items` in their natural order.
pub(crate) fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Sorts `items` in their natural order, for elements whose equal values cannot be told apart
/// (numbers, strings, tuples of them), where a stable and an unstable sort agree: natively the
/// standard library's faster unstable sort, on WebAssembly the compact stable one.
pub(crate) fn sort_unstable<T: Ord>(items: &mut [T]) {
    if cfg!(target_arch = "wasm32") {
        sort(items);
    } else {
        items.sort_unstable();
    }
}

/// The indexes `0..len` in the stable order `compare` defines: a bottom-up merge sort.
fn stable_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged = Vec::with_capacity(len);
    let mut width = 1;
    while width < len {
        merged.clear();
        for runs in order.chunks(width.saturating_mul(2)) {
            let (left, right) = runs.split_at(width.min(runs.len()));
            merge(left, right, &mut merged, compare);
        }
        std::mem::swap(&mut order, &mut merged);
        width = width.saturating_mul(2);
    }
    order
}

/// Appends the merge of two sorted runs to `out`, taking from `right` only when it is strictly
/// smaller: that keeps the sort stable.
fn merge(
    left: &[usize],
    right: &[usize],
    out: &mut Vec<usize>,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) {
    let (mut left, mut right) = (
        left.iter().copied().peekable(),
        right.iter().copied().peekable(),
    );
    while let (Some(&first), Some(&second)) = (left.peek(), right.peek()) {
        if compare(second, first) == Ordering::Less {
            out.push(second);
            right.next();
        } else {
            out.push(first);
            left.next();
        }
    }
    out.extend(left);
    out.extend(right);
}

/// Moves the element at `order[k]` to position `k`, following each cycle of the permutation once.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut current = start;
        while let Some(slot) = order.get_mut(current) {
            let next = *slot;
            if next == current {
                break;
            }
            // Marks `current` done: after the swap it holds the element it should.
            *slot = current;
            if next == start {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The index merge sort orders like the standard library's stable sort, equal keys
        /// included (the tag tells equal keys apart).
        #[test]
        fn index_sort_is_the_standard_stable_sort(keys in prop::collection::vec(0u8..6, 0..200)) {
            let tagged: Vec<(u8, usize)> = keys.into_iter().enumerate().map(|(tag, key)| (key, tag)).collect();
            let mut expected = tagged.clone();
            expected.sort_by_key(|item| item.0);
            let mut sorted = tagged.clone();
            let order = stable_order(sorted.len(), &mut |left, right| tagged[left].0.cmp(&tagged[right].0));
            permute(&mut sorted, order);
            prop_assert_eq!(sorted, expected);
        }
    }

    #[test]
    fn wrappers_sort() {
        let mut words = vec!["pear", "apple", "fig", "apple"];
        sort(&mut words);
        assert_eq!(words, ["apple", "apple", "fig", "pear"]);
        sort_by_key(&mut words, |word| std::cmp::Reverse(word.len()));
        assert_eq!(words, ["apple", "apple", "pear", "fig"]);
    }
}
