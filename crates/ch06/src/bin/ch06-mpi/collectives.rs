//! Chapter 6 · MPI collectives: broadcast, scatter, gather and all-reduce.
//!
//! A collective is called by every rank of the communicator; the library
//! moves the data. Rank 0 is the root that owns the full data set.

use mpi::collective::SystemOperation;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;

// ANCHOR: collectives
pub fn run(world: &SimpleCommunicator) {
    let (rank, size) = (world.rank(), world.size() as usize);
    let root = world.process_at_rank(0);

    // Broadcast: the root's value reaches every rank.
    let mut per_rank = if rank == 0 { 3u64 } else { 0 };
    root.broadcast_into(&mut per_rank);

    // Scatter: the root deals out `per_rank` numbers to each rank.
    let mut mine = vec![0u64; per_rank as usize];
    if rank == 0 {
        let all: Vec<u64> = (1..=per_rank * size as u64).collect();
        root.scatter_into_root(&all[..], &mut mine[..]);
    } else {
        root.scatter_into(&mut mine[..]);
    }
    let my_sum: u64 = mine.iter().sum();

    // Gather: the root collects one partial sum per rank.
    if rank == 0 {
        let mut sums = vec![0u64; size];
        root.gather_into_root(&my_sum, &mut sums[..]);
        println!("gather: partial sums {sums:?}");
    } else {
        root.gather_into(&my_sum);
    }

    // All-reduce: every rank gets the total, no root needed.
    let mut total = 0u64;
    world.all_reduce_into(&my_sum, &mut total, SystemOperation::sum());
    println!("rank {rank}: got {mine:?}, partial {my_sum}, total {total}");
}
// ANCHOR_END: collectives
