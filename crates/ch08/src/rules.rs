//! Chapter 8 · A decision guide: the rules, each with the judge that
//! checks it against the records.

use crate::guide::Rule;
use crate::judges::{
    async_for_waiting, async_not_for_cpu, not_beyond_cores, small_tasks_stay_local,
    threads_before_processes, threads_for_cpu,
};

pub use crate::judges::{reached, round_trip_ms};

/// The guide, in the order a reader would ask the questions.
pub const RULES: [Rule; 6] = [
    Rule {
        advice: "CPU-bound work on one machine: use threads (rayon); they scale with the cores",
        evidence: "CPU-bound records: the best threads-model run with 2 ≤ workers ≤ CPUs \
                   reaches at least 75 % efficiency",
        elsewhere: "more cores keep paying only while tasks outnumber cores and the serial \
                    part stays small (chapter 1's Amdahl fit)",
        judge: threads_for_cpu,
    },
    Rule {
        advice: "Async does not make CPU-bound work faster than threads do",
        evidence: "CPU-bound records with both: the best async run is no more than 5 % \
                   faster than the best threads run",
        elsewhere: "a multi-threaded runtime is at best a thread pool; where async wins \
                    here, the threads paid for more than the work (a channel hand-over per \
                    line in chapter 2's pipelines) or the two are a few per cent apart",
        judge: async_not_for_cpu,
    },
    Rule {
        advice: "Waiting (I/O-bound) work: async, or a thread per request, overlaps the waits",
        evidence: "waiting records: the best async run reaches at least half of the ideal \
                   speed-up (its number of concurrent requests)",
        elsewhere: "independent of cores; bounded by connections and the server \
                    (see the machine notes on connection bursts)",
        judge: async_for_waiting,
    },
    Rule {
        advice: "Tasks shorter than the broker round trip: don't distribute them",
        evidence: "the echo round trip (p50) of chapter 4's overhead record; every problem \
                   size whose seq time per task is below it: dist is slower than seq",
        elsewhere: "across real machines the round trip grows, so the crossover moves to \
                    larger tasks",
        judge: small_tasks_stay_local,
    },
    Rule {
        advice: "More CPU-bound workers than cores buys nothing",
        evidence: "CPU-bound records with runs of one model both beyond and within the \
                   CPU count (≥ 2 workers): the best run beyond is no faster than the \
                   best within (+10 %)",
        elsewhere: "the limit is the core count, so it moves with the machine",
        judge: not_beyond_cores,
    },
    Rule {
        advice: "On one machine, prefer threads to processes, brokers or MPI ranks",
        evidence: "records with threads and dist runs at the same worker count (≥ 2): the \
                   best dist run is slower than the best threads run",
        elsewhere: "processes win when they must (many machines, isolation, a GIL); on one \
                    machine messages cost more than shared memory",
        judge: threads_before_processes,
    },
];

/// The guide as the book prints it (`ch08 guide`, `ch08-guide.md`):
/// [`RULES`] and the exercise's seventh, [`ASYNC_SAVES_CPU`].
///
/// [`ASYNC_SAVES_CPU`]: crate::exercises::ASYNC_SAVES_CPU
pub fn book_rules() -> Vec<Rule> {
    RULES
        .iter()
        .copied()
        .chain([crate::exercises::ASYNC_SAVES_CPU])
        .collect()
}
