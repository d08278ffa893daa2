//! Chapter 6 · The earlier chapters' work spread over MPI ranks: fib tasks
//! (chapter 3) and the merge sort (chapter 4).

use ch06::mergesort::{merge_runs, shuffled};
use mpi::Count;
use mpi::collective::SystemOperation;
use mpi::datatype::{Partition, PartitionMut};
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use workbench::fib::fib as fib_of;

// ANCHOR: fib
/// `tasks` copies of fib(n): rank r takes tasks r, r + size, r + 2·size...
/// and a sum-reduction puts every answer in its slot on rank 0. The clock
/// starts when every rank is ready (a barrier), so the seconds reported are
/// the computation and the reduction, not the ranks' staggered start.
pub fn fib_tasks(world: &SimpleCommunicator, n: u32, tasks: usize) {
    let (rank, size) = (world.rank() as usize, world.size() as usize);
    world.barrier();
    let start = mpi::time();
    let mut mine = vec![0u64; tasks];
    for slot in mine.iter_mut().skip(rank).step_by(size) {
        *slot = fib_of(n);
    }
    let root = world.process_at_rank(0);
    if rank == 0 {
        let mut answers = vec![0u64; tasks];
        root.reduce_into_root(&mine[..], &mut answers[..], SystemOperation::sum());
        let seconds = mpi::time() - start;
        println!(
            "{{\"answers\":{answers:?},\"ranks\":{size},\"seconds\":{seconds:.6}}}"
        );
    } else {
        root.reduce_into(&mine[..], SystemOperation::sum());
    }
}
// ANCHOR_END: fib

// ANCHOR: mergesort
/// Rank 0 shuffles 0..len, deals out one slice per rank (scatter), every
/// rank sorts its slice, rank 0 collects them (gather) and merges.
pub fn mergesort(world: &SimpleCommunicator, len: usize, seed: u64) {
    let (rank, size) = (world.rank() as usize, world.size() as usize);
    let counts: Vec<Count> = (0..size)
        .map(|r| (len / size + usize::from(r < len % size)) as Count)
        .collect();
    let offsets: Vec<Count> = counts
        .iter()
        .scan(0, |at, &c| Some(std::mem::replace(at, *at + c)))
        .collect();
    // ANCHOR: scatter_gather
    let root = world.process_at_rank(0);
    let mut piece = vec![0u32; counts[rank] as usize];
    let start = mpi::time();
    if rank == 0 {
        let data = shuffled(len, seed);
        let parts = Partition::new(&data[..], &counts[..], &offsets[..]);
        root.scatter_varcount_into_root(&parts, &mut piece[..]);
    } else {
        root.scatter_varcount_into(&mut piece[..]);
    }
    piece.sort_unstable();
    if rank == 0 {
        let mut sorted_pieces = vec![0u32; len];
        let mut parts =
            PartitionMut::new(&mut sorted_pieces[..], &counts[..], &offsets[..]);
        root.gather_varcount_into_root(&piece[..], &mut parts);
        let runs: Vec<&[u32]> = offsets
            .iter()
            .zip(&counts)
            .map(|(&at, &c)| &sorted_pieces[at as usize..(at + c) as usize])
            .collect();
        let sorted = merge_runs(&runs);
        // ANCHOR_END: scatter_gather
        let seconds = mpi::time() - start;
        let in_place = sorted.iter().enumerate().all(|(i, &v)| v as usize == i);
        println!(
            "{{\"len\":{},\"ranks\":{size},\"sorted\":{in_place},\"seconds\":{seconds:.6}}}",
            sorted.len()
        );
    } else {
        root.gather_varcount_into(&piece[..]);
    }
}
// ANCHOR_END: mergesort
