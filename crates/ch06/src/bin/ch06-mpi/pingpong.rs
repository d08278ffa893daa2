//! Chapter 6 · MPI point to point: the ping-pong latency and bandwidth test.
//!
//! Rank 0 sends a message to rank 1, which sends it straight back. Half the
//! round trip is the one-way latency; size over latency is the bandwidth.

use mpi::topology::SimpleCommunicator;
use mpi::traits::*;

// ANCHOR: pingpong
/// Seconds per round trip of `bytes`-long messages between ranks 0 and 1,
/// the median of `iters` trips after a short warm-up (rank 0 only).
fn round_trip(world: &SimpleCommunicator, bytes: usize, iters: usize) -> f64 {
    let mut message = vec![7u8; bytes];
    let mut trips = Vec::with_capacity(iters);
    let warm_up = (iters / 10).max(5);
    for trip in 0..warm_up + iters {
        world.barrier();
        if world.rank() == 0 {
            let start = mpi::time();
            world.process_at_rank(1).send(&message[..]);
            world.process_at_rank(1).receive_into(&mut message[..]);
            if trip >= warm_up {
                trips.push(mpi::time() - start);
            }
        } else if world.rank() == 1 {
            world.process_at_rank(0).receive_into(&mut message[..]);
            world.process_at_rank(0).send(&message[..]);
        }
    }
    trips.sort_by(f64::total_cmp);
    trips.get(trips.len() / 2).copied().unwrap_or(0.0)
}
// ANCHOR_END: pingpong

/// Run every size; rank 0 prints one JSON line per size.
pub fn run(world: &SimpleCommunicator, sizes: &[usize], iters: usize) {
    assert!(world.size() >= 2, "ping-pong needs two ranks, got one");
    for &bytes in sizes {
        // Large messages take long: fewer trips, at least fifty.
        let trips = (iters * 1024 / bytes.max(1024)).clamp(50, iters.max(50));
        let seconds = round_trip(world, bytes, trips);
        if world.rank() == 0 {
            let latency_us = seconds / 2.0 * 1e6;
            let bandwidth = bytes as f64 / (seconds / 2.0) / 1e6;
            println!(
                "{{\"impl\":\"rust\",\"bytes\":{bytes},\"iters\":{trips},\
                 \"latency_us\":{latency_us:.3},\"bandwidth_mb_s\":{bandwidth:.3}}}"
            );
        }
    }
}
