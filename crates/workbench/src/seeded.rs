//! Inputs fixed by a seed: the merge sorts of chapters 4 and 6 sort the
//! same numbers on every run, in Rust and in Python (`python/ch04`).

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state advanced by
/// a constant and mixed; enough for test inputs, no RNG crate needed.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next value of the sequence.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `count` integers below 10,000,000 from `seed`: chapter 4's merge-sort
/// input, which `cargo xtask compare` checks the Python side sorted too.
pub fn seeded_numbers(count: usize, seed: u64) -> Vec<i64> {
    let mut rng = SplitMix64::new(seed);
    (0..count)
        .map(|_| (rng.next_u64() % 10_000_000) as i64)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_splitmix64() {
        // The published first outputs for seed 0 (the reference C code).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn the_numbers_depend_on_the_seed_alone() {
        let a = seeded_numbers(1000, 2016);
        assert_eq!(a, seeded_numbers(1000, 2016));
        assert_ne!(a, seeded_numbers(1000, 2017));
        assert!(a.iter().all(|&n| (0..10_000_000).contains(&n)));
    }
}
