//! Chapter 4 · The exercises' solutions against a real broker and workers.

mod common;

use std::time::Duration;

use ch04::exercises::{best_chunk_count, run_windowed};
use ch04::mergesort::seeded_numbers;
use ch04::tasks::fib;

#[test]
fn windowed_runs_keep_order_and_best_chunks_sorts_right() {
    let (redis, _logs, _workers) = common::on_redis("ch04-exercises", 2, 1);
    common::with_client(&redis.url(), async |client| {
        let ns: Vec<u32> = (0..25).collect();
        let wait = Duration::from_secs(60);
        let signatures = ns.iter().map(|&n| fib::new(n)).collect();
        let outcomes = run_windowed(&client, signatures, 4, wait)
            .await
            .expect("runs");
        let values: Vec<u64> = outcomes
            .into_iter()
            .map(|o| o.value().expect("fib"))
            .collect();
        let expected: Vec<u64> = ns
            .iter()
            .map(|&n| workbench::fib::fib_expected(n))
            .collect();
        assert_eq!(values, expected);
        assert!(
            run_windowed(&client, vec![fib::new(3)], 0, wait)
                .await
                .is_err()
        );
        let numbers = seeded_numbers(20_000, 11);
        let (parts, _) = best_chunk_count(&client, &numbers, &[2, 4, 8])
            .await
            .expect("every count sorts");
        assert!([2, 4, 8].contains(&parts));
    });
}
