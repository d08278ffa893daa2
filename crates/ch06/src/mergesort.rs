//! Chapter 6 · The merge sort of chapter 4, the pieces an MPI job needs:
//! a seeded shuffle to sort and a k-way merge of sorted runs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The numbers `0..len` in a shuffled order fixed by `seed`
/// (Fisher–Yates driven by SplitMix64, so no RNG crate is needed).
pub fn shuffled(len: usize, seed: u64) -> Vec<u32> {
    let mut rng = workbench::seeded::SplitMix64::new(seed);
    let mut next = move || rng.next_u64();
    let mut numbers: Vec<u32> = (0..len as u32).collect();
    for i in (1..numbers.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        numbers.swap(i, j);
    }
    numbers
}

// ANCHOR: merge
/// Merge sorted runs into one sorted vector: a min-heap holds the head of
/// every run, so each step takes the smallest head in O(log k).
pub fn merge_runs(runs: &[&[u32]]) -> Vec<u32> {
    let mut heads: BinaryHeap<Reverse<(u32, usize, usize)>> = runs
        .iter()
        .enumerate()
        .filter_map(|(run, items)| Some(Reverse((*items.first()?, run, 0))))
        .collect();
    let mut merged = Vec::with_capacity(runs.iter().map(|r| r.len()).sum());
    while let Some(Reverse((value, run, at))) = heads.pop() {
        merged.push(value);
        if let Some(&next) = runs[run].get(at + 1) {
            heads.push(Reverse((next, run, at + 1)));
        }
    }
    merged
}
// ANCHOR_END: merge

/// The sequential baseline: sort the whole shuffle at once.
pub fn sort_seq(len: usize, seed: u64) -> Vec<u32> {
    let mut numbers = shuffled(len, seed);
    numbers.sort_unstable();
    numbers
}

/// A sort of `shuffled(len, _)` must give back exactly `0..len`.
pub fn verify(len: usize, sorted: &[u32]) -> anyhow::Result<()> {
    anyhow::ensure!(sorted.len() == len, "{} numbers for {len}", sorted.len());
    if let Some(i) = sorted
        .iter()
        .enumerate()
        .position(|(i, &v)| v as usize != i)
    {
        anyhow::bail!("position {i} holds {}, not {i}", sorted[i]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_seeded_permutations() {
        let a = shuffled(1000, 6);
        assert_eq!(a, shuffled(1000, 6));
        assert_ne!(a, shuffled(1000, 7));
        assert_ne!(a, (0..1000).collect::<Vec<u32>>());
        let mut sorted = a.clone();
        sorted.sort_unstable();
        verify(1000, &sorted).expect("a permutation of 0..1000");
    }

    #[test]
    fn merging_sorted_pieces_sorts_the_whole() {
        let data = shuffled(10_001, 3);
        let mut pieces: Vec<Vec<u32>> =
            data.chunks(997).map(<[u32]>::to_vec).collect();
        pieces.iter_mut().for_each(|p| p.sort_unstable());
        let runs: Vec<&[u32]> = pieces.iter().map(Vec::as_slice).collect();
        verify(10_001, &merge_runs(&runs)).expect("merged");
        assert!(merge_runs(&[]).is_empty());
        assert!(verify(3, &[0, 2, 1]).is_err());
    }
}
