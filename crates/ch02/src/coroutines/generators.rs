//! Chapter 2 · Coroutines: generators (the book's `generators.py`).
//!
//! A Python generator is a function that `yield`s: calling it makes a lazy
//! iterator that runs the body up to the next `yield` each time a value is
//! asked for. Stable Rust has no `yield`, so the paused state is spelled
//! out — in a closure's captured variables or in a struct's fields.

// ANCHOR: countdown
/// The countdown: starting from `n`, yield `n - 1`, `n - 2`, …, `0`.
/// The closure's captured `n` is the generator's paused local variable.
pub fn countdown(mut n: u32) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        if n == 0 {
            return None; // the generator's body returns: StopIteration
        }
        n -= 1;
        Some(n) // yield n
    })
}
// ANCHOR_END: countdown

// ANCHOR: struct
/// The same generator with its state in a named struct.
#[derive(Debug, Clone)]
pub struct Countdown {
    remaining: u32,
}

impl Countdown {
    pub fn new(n: u32) -> Self {
        Countdown { remaining: n }
    }
}

impl Iterator for Countdown {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.remaining = self.remaining.checked_sub(1)?;
        Some(self.remaining)
    }
}
// ANCHOR_END: struct

/// Generators are lazy: nothing runs until a value is asked for, so an
/// endless generator is fine as long as the consumer stops.
pub fn lazy_squares() -> impl Iterator<Item = u64> {
    (0u64..).map(|i| i * i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_counts_down_to_zero() {
        assert_eq!(countdown(3).collect::<Vec<_>>(), [2, 1, 0]);
        assert_eq!(Countdown::new(3).collect::<Vec<_>>(), [2, 1, 0]);
        assert_eq!(countdown(0).count(), 0);
    }

    #[test]
    fn an_endless_generator_is_fine_when_the_consumer_stops() {
        let first: Vec<u64> = lazy_squares().take(4).collect();
        assert_eq!(first, [0, 1, 4, 9]);
    }
}
