//! Chapter 8 · Everything side by side: which model each variant belongs to.
//!
//! Every chapter names its variants after what they run on. Here those names
//! are sorted into the book's four models of execution, so that chapter 3's
//! `rayon` and chapter 1's `atomic` count as threads, and chapter 6's
//! `slurm-array` as distributed.

use std::fmt;

/// A model of execution, as the book's chapters introduce them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Model {
    /// One thread, one task after another: the baseline.
    Seq,
    /// Threads sharing memory: std threads, pools, rayon, locks, atomics.
    Threads,
    /// Tasks on an event loop (tokio), with or without extra threads.
    Async,
    /// Separate processes exchanging messages: worker processes, a task
    /// broker, RPC, MPI ranks, batch jobs.
    Dist,
    /// Weak scaling (`*-weak`): the problem grows with the workers, so the
    /// number is a scaled speed-up and is not compared with the others.
    Scaled,
    /// Anything else a chapter measured (an external tool, a latency probe).
    Other,
}

// ANCHOR: model_of
/// The model a variant name belongs to.
pub fn model_of(variant: &str) -> Model {
    if variant.ends_with("-weak") {
        return Model::Scaled;
    }
    match variant {
        "seq" => Model::Seq,
        "threads" | "pool" | "rayon" | "spawn_blocking" | "mutex" | "atomic"
        | "channel" | "dataflow" => Model::Threads,
        v if v.starts_with("async") => Model::Async,
        "dist" | "processes" | "mpi" | "slurm-array" | "celery" | "rq" | "rpc"
        | "dataflow-dist" => Model::Dist,
        _ => Model::Other,
    }
}
// ANCHOR_END: model_of

impl Model {
    /// The three models compared against `seq`, in column order.
    pub const COMPARED: [Model; 3] = [Model::Threads, Model::Async, Model::Dist];

    pub fn name(self) -> &'static str {
        match self {
            Model::Seq => "seq",
            Model::Threads => "threads",
            Model::Async => "async",
            Model::Dist => "dist",
            Model::Scaled => "scaled",
            Model::Other => "other",
        }
    }

    /// Whether a run of this model may be called a record's best variant.
    pub fn may_be_best(self) -> bool {
        !matches!(self, Model::Seq | Model::Scaled)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chapter_variant_finds_its_model() {
        for (variant, model) in [
            ("seq", Model::Seq),
            ("rayon", Model::Threads),
            ("atomic", Model::Threads),
            ("async-h2", Model::Async),
            ("processes", Model::Dist),
            ("slurm-array", Model::Dist),
            ("threads-weak", Model::Scaled),
            ("dataflow", Model::Threads),
            ("dataflow-dist", Model::Dist),
            ("grep", Model::Other),
        ] {
            assert_eq!(model_of(variant), model, "{variant}");
        }
        assert!(Model::Other.may_be_best() && !Model::Scaled.may_be_best());
    }
}
