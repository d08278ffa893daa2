//! Chapter 7 · A bug found by simulation, kept as a regression test: the
//! seed on which the bank applied a deposit twice, on the buggy filter and
//! on the fix.

use ch07::simulate::deposits::{
    CONGESTED, Day, Dedup, FOUND_SEED, first_double_deposit, simulate,
};

fn every_deposit_once() -> Vec<u32> {
    (1..=20).collect()
}

#[test]
fn the_kept_seed_doubles_a_deposit_with_the_last_only_filter() {
    let day = Day::new(FOUND_SEED, Dedup::LastOnly).congested(CONGESTED);
    let books = simulate(&day).expect("ran");
    assert!(!books.doubled().is_empty(), "{:#?}", books.transcript);
    assert!(books.transcript.iter().any(|l| l.contains("APPLIED")));
}

#[test]
fn the_kept_seed_applies_every_deposit_once_with_the_fix() {
    let day = Day::new(FOUND_SEED, Dedup::UpToLast).congested(CONGESTED);
    let books = simulate(&day).expect("ran");
    assert_eq!(
        books.applied,
        every_deposit_once(),
        "{:#?}",
        books.transcript
    );
    assert!(
        books.resent > 0,
        "the seed resends: the filter is exercised"
    );
}

#[test]
fn the_search_finds_the_kept_seed_first() {
    let found = first_double_deposit(0..FOUND_SEED + 1, Dedup::LastOnly);
    assert_eq!(found.expect("ran"), Some(FOUND_SEED));
}

#[test]
fn the_fix_holds_on_other_seeds_of_the_congested_network() {
    let found = first_double_deposit(0..20, Dedup::UpToLast).expect("ran");
    assert_eq!(found, None);
}

#[test]
fn a_healthy_network_never_shows_the_bug() {
    for seed in 0..20 {
        let books = simulate(&Day::new(seed, Dedup::LastOnly)).expect("ran");
        assert_eq!(books.applied, every_deposit_once(), "seed {seed}");
    }
}

#[test]
fn the_same_seed_tells_the_same_story() {
    let day = Day::new(FOUND_SEED, Dedup::LastOnly).congested(CONGESTED);
    assert_eq!(simulate(&day).expect("ran"), simulate(&day).expect("ran"));
}
