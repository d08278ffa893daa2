//! `cargo xtask compare` · Chapter 4: Python-RQ (PyPI `rq`, two `rq worker`
//! processes) against the chapter's RQ-style queue on apalis (two
//! `rq-worker` processes), the same eight jobs through the same Redis.

use anyhow::{Context, Result, ensure};
use serde_json::Value;
use workbench::Record;

use super::ch04::seeded_numbers;
use super::{Pair, RustSide, bar, line, reps};

/// The jobs of both sides (`crates/ch04/src/rq/example.rs`).
const FIBS: [u32; 4] = [24, 25, 26, 27];
const SORT_NUMBERS: usize = 200_000;

/// `ch04 rq` prints a table ending `8 jobs on 2 workers in 0.53 s` and
/// fails unless every job's result was verified: its record is that line.
fn rq_record(_own: &std::path::Path, stdout: &str) -> Result<Record> {
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.contains(" jobs on "))
        .context("`ch04 rq` printed no `N jobs on W workers in S s` line")?;
    let words: Vec<&str> = last.split_whitespace().collect();
    let (jobs, workers, seconds) = match words.as_slice() {
        [jobs, "jobs", "on", workers, "workers", "in", seconds, "s"] => (
            jobs.parse::<u64>()?,
            workers.parse::<usize>()?,
            seconds.parse()?,
        ),
        _ => anyhow::bail!("`{last}` is not `N jobs on W workers in S s`"),
    };
    let size = serde_json::json!({ "jobs": jobs, "workers": workers });
    let mut record = Record::new("ch04", "rq", size);
    record
        .runs
        .push(workbench::Run::new("rq", workers, seconds, 0.0));
    Ok(record)
}

pub fn rq() -> Pair {
    Pair {
        redis: true,
        rust: RustSide::Converted {
            flags: false,
            convert: rq_record,
            // `ch04 rq` times one pass; the Python side takes the median
            // of its rounds.
            rounds: 5,
        },
        rust_args: |_| line("rq --workers 2"),
        python_args: |ctx| {
            line(&format!("--workers 2 --reps {}", reps(ctx.scale, false)))
        },
        same_size: &["jobs", "workers"],
        bars: vec![bar("4 fib + 4 sort jobs, 2 workers", "rq", "rq", 2)],
        check: |_, answer, _| {
            let fibs: Vec<u64> = FIBS
                .iter()
                .map(|&n| workbench::fib::fib_expected(n))
                .collect();
            ensure!(
                answer["fib"] == Value::from(fibs.clone()),
                "Python's fib jobs answered {}, Rust verified {fibs:?}",
                answer["fib"]
            );
            let numbers = seeded_numbers(SORT_NUMBERS, 4);
            let sums: Vec<i64> = numbers
                .chunks(SORT_NUMBERS.div_ceil(4))
                .map(|c| c.iter().sum())
                .collect();
            ensure!(
                answer["sort_input_sums"] == Value::from(sums),
                "the Python side sorted other chunks than ch04's seeded input"
            );
            Ok(())
        },
        ..Pair::plain("ch04", "rq", "ch04.rqjobs")
    }
}

#[cfg(test)]
mod tests {
    use super::rq_record;

    #[test]
    fn the_rq_table_s_last_line_is_the_record() {
        let stdout = "job  function  worker  result  verified\n\
                      8 jobs on 2 workers in 0.53 s\n";
        let record = rq_record("unused".as_ref(), stdout).expect("a record");
        assert_eq!(record.size["jobs"], 8);
        let run = record.run("rq", 2).expect("the rq run");
        assert_eq!(run.wall_s, 0.53);
        assert!(rq_record("unused".as_ref(), "no table\n").is_err());
        let odd = "8 jobs on two workers in 0.53 s\n";
        assert!(rq_record("unused".as_ref(), odd).is_err());
    }
}
