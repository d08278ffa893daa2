//! Chapter 2 · Coroutines: iteration by hand (the book's `iteration.py`).
//!
//! Python's iterator protocol is `__iter__` plus a `__next__` that raises
//! `StopIteration` at the end; Rust's is one trait, `Iterator`, whose
//! `next` returns `Some(item)` or `None`. A `for` loop calls it for us.

use std::collections::VecDeque;

// ANCHOR: iterator
/// Hands out the items it was given, front first, until none are left.
#[derive(Debug, Clone)]
pub struct Handout<T> {
    items: VecDeque<T>,
}

impl<T> Handout<T> {
    pub fn new(items: impl IntoIterator<Item = T>) -> Self {
        Handout {
            items: items.into_iter().collect(),
        }
    }
}

impl<T> Iterator for Handout<T> {
    type Item = T;

    /// Python's `__next__`; `None` is `StopIteration`.
    fn next(&mut self) -> Option<T> {
        self.items.pop_front()
    }
}
// ANCHOR_END: iterator

/// What `ch02 iteration` prints: each item of a hand-written iterator,
/// then the same iterator driven by hand to show the end of iteration.
pub fn demo(mut out: impl std::io::Write) -> std::io::Result<()> {
    // ANCHOR: loop
    for item in Handout::new([0, 1, 2]) {
        writeln!(out, "{item}")?;
    }
    // ANCHOR_END: loop
    let mut by_hand = Handout::new(["only"]);
    writeln!(out, "next() = {:?}", by_hand.next())?;
    writeln!(
        out,
        "next() = {:?}  (Python would raise StopIteration)",
        by_hand.next()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_hands_out_in_order_then_stops() {
        let mut handout = Handout::new(["a", "b"]);
        assert_eq!(handout.next(), Some("a"));
        assert_eq!(handout.next(), Some("b"));
        assert_eq!(handout.next(), None);
        assert_eq!(handout.next(), None, "stays finished");
        let doubled: Vec<i32> = Handout::new([1, 2, 3]).map(|x| x * 2).collect();
        assert_eq!(doubled, [2, 4, 6], "every iterator adapter works on it");
    }

    #[test]
    fn the_demo_prints_the_items() {
        let mut out = Vec::new();
        demo(&mut out).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("0\n1\n2\n"), "{text}");
        assert!(text.contains("next() = None"), "{text}");
    }
}
