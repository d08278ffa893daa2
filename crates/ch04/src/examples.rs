//! Chapter 4 · The book's tour of Celery, each example a function that
//! returns what it saw: echo (delay, ready, result), exchange rates with a
//! time-out and a failing task, chains, purge, and Python interoperability.

use std::fmt::Write;
use std::time::Duration;

use anyhow::{Result, ensure};
use workbench::rates::{RateService, rate_of};
use workbench::services::TempDir;

use crate::celery::chain::{Chain, Link};
use crate::celery::client::Outcome;
use crate::python::{PythonWorker, run_client};
use crate::setup::Setup;
use crate::tasks::{echo, fail, fib, nap, rate, sort};
use serde_json::json;

/// The pairs of the book's `currency.py`.
pub const BOOK_PAIRS: [&str; 6] =
    ["EURUSD", "CHFUSD", "GBPUSD", "GBPEUR", "CADUSD", "CADEUR"];

const WAIT: Duration = Duration::from_secs(30);

// ANCHOR: echo
/// The book's `test.py`: send, ask whether it is ready, get the result.
pub fn echo_demo(setup: &Setup) -> Result<String> {
    let _workers = setup.workers(1, 1)?;
    let (runtime, client) = setup.client()?;
    let mut out = String::new();
    runtime.block_on(async {
        let id = client.send(echo::new("Hello, Celery!".into())).await?;
        writeln!(out, "sent echo → task {id}")?;
        writeln!(out, "ready right away? {}", client.ready(&id).await?)?;
        let outcome = client
            .wait(std::slice::from_ref(&id), WAIT)
            .await?
            .remove(0);
        writeln!(out, "result: {:?}", outcome.clone().value::<String>()?)?;
        writeln!(out, "ready now? {}", client.ready(&id).await?)?;
        Ok(out)
    })
}
// ANCHOR_END: echo

// ANCHOR: rates
/// The book's `currency.py`: one `rate` task per pair, results with a
/// time-out; an unknown pair and the `fail` task, whose errors reach us.
pub fn rates_demo(setup: &Setup, latency: Duration) -> Result<String> {
    let service = RateService::start(latency)?;
    let _workers = setup.workers_with(2, 4, Some(&service.base_url()))?;
    let (runtime, client) = setup.client()?;
    let mut out = String::new();
    runtime.block_on(async {
        let group = BOOK_PAIRS
            .iter()
            .map(|p| rate::new(p.to_string()))
            .collect();
        let outcomes = client.run_all(group, Duration::from_secs(10)).await?;
        for (pair, outcome) in BOOK_PAIRS.iter().zip(outcomes) {
            let value: f64 = outcome.value()?;
            ensure!(Some(value) == rate_of(pair), "wrong rate for {pair}");
            writeln!(out, "{pair} = {value}")?;
        }
        let unknown = client.call(rate::new("XYZUSD".into()), WAIT).await?;
        writeln!(out, "XYZUSD → {}", describe(&unknown))?;
        let failed = client
            .call(fail::new("this task always fails".into()), WAIT)
            .await?;
        writeln!(out, "fail → {}", describe(&failed))?;
        let id = client.send(nap::new(2.0)).await?;
        let late = client.wait(&[id], Duration::from_millis(500)).await;
        writeln!(
            out,
            "nap(2 s) with get(timeout=0.5 s) → {}",
            match late {
                Ok(_) => "answered?!".to_owned(),
                Err(err) => format!("{err}"),
            }
        )?;
        Ok(out)
    })
}
// ANCHOR_END: rates

/// The book's chains: fib(fib(fib(6))), a sort followed by an immutable
/// echo (`.si`), and a chain broken by a failing link.
pub fn chain_demo(setup: &Setup) -> Result<String> {
    let _workers = setup.workers(2, 2)?;
    let (runtime, client) = setup.client()?;
    let mut out = String::new();
    let chains = [
        (
            "fib(6) | fib() | fib()",
            Chain::new(vec![
                Link::to::<fib>(vec![json!(6)]),
                Link::to::<fib>(vec![]),
                Link::to::<fib>(vec![]),
            ]),
        ),
        (
            "sort([9, 1, 5]) | echo.si(\"sorted\")",
            Chain::new(vec![
                Link::to::<sort>(vec![json!([9, 1, 5])]),
                Link::immutable::<echo>(vec![json!("sorted")]),
            ]),
        ),
        (
            "fib(6) | fail.si(\"a broken link\") | echo()",
            Chain::new(vec![
                Link::to::<fib>(vec![json!(6)]),
                Link::immutable::<fail>(vec![json!("a broken link")]),
                Link::to::<echo>(vec![]),
            ]),
        ),
    ];
    runtime.block_on(async {
        for (name, chain) in &chains {
            let last = client.run_chain(chain, WAIT).await?;
            writeln!(out, "{name}\n  chain → {}", describe(&last))?;
            for (i, id) in chain.ids().iter().enumerate() {
                let step = if client.ready(id).await? {
                    let done = client.wait(std::slice::from_ref(id), WAIT).await?;
                    done.first().map_or_else(|| "no outcome".into(), describe)
                } else {
                    "never ran".to_owned()
                };
                writeln!(out, "  link {}: {step}", i + 1)?;
            }
        }
        Ok(out)
    })
}

fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Success(value) => format!("succeeded: {value}"),
        Outcome::Failure { exc_type, message } => {
            format!("raised {exc_type}: {message}")
        }
    }
}

/// Purge: tasks queued while no worker runs are thrown away.
pub fn purge_demo(setup: &Setup, count: usize) -> Result<String> {
    let (runtime, client) = setup.client()?;
    runtime.block_on(async {
        for _ in 0..count {
            client.send(nap::new(1.0)).await?;
        }
        let queued = client.queued().await?;
        let purged = client.purge().await?;
        let left = client.queued().await?;
        Ok(format!(
            "queued {queued} tasks, purged {purged}, {left} left\n"
        ))
    })
}

// ANCHOR: interop
/// Python client → Rust workers, then Rust client → a Python worker.
pub fn interop_demo(setup: &Setup) -> Result<String> {
    let mut out = String::new();
    {
        let _workers = setup.workers(2, 1)?;
        let report = run_client(setup.broker())?;
        writeln!(out, "Python client, Rust workers: {report}")?;
    }
    let logs = TempDir::new("ch04-interop")?;
    let _python =
        PythonWorker::start(setup.broker(), None, &logs.path().join("py.log"))?;
    let (runtime, client) = setup.client()?;
    runtime.block_on(async {
        let said = client.call(echo::new("from Rust".into()), WAIT).await?;
        let fib20 = client.call(fib::new(20), WAIT).await?;
        let failed = client
            .call(fail::new("raised in Python".into()), WAIT)
            .await?;
        writeln!(out, "Rust client, Python worker: echo {}", describe(&said))?;
        writeln!(
            out,
            "Rust client, Python worker: fib(20) {}",
            describe(&fib20)
        )?;
        writeln!(
            out,
            "Rust client, Python worker: fail {}",
            describe(&failed)
        )?;
        Ok(out)
    })
}
// ANCHOR_END: interop
