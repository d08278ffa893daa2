//! Chapter 6 · MPI in Rust: starting the rank program and measuring point
//! to point against C.
//!
//! [`launch`] starts the `ch06-mpi` binary under `mpirun` or `srun`;
//! [`pingpong`] measures it against the same program in C, and
//! [`pingpong_plot`] draws the result.

pub mod launch;
pub mod pingpong;
pub mod pingpong_plot;
