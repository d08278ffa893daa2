//! Chapter 4 · The remote-object comparison: a `RateBook` object in a
//! server process, called synchronously (`seq`: one call at a time) and
//! concurrently (`async`: every call in flight) — the book's Pyro
//! `main.py` (1.55 s against 0.29 s).

use std::time::Duration;

use anyhow::Result;
use workbench::rates::{self, RateService};
use workbench::{CommonArgs, Contender, Experiment, Record, Size};

use crate::launcher::chapter_program;
use crate::rpc::{RpcServer, connect, rates_concurrent, rates_sync};

/// Pairs asked: quick 20, full 100, N: N (at most 1,000).
pub fn pair_count(size: Size) -> usize {
    match size {
        Size::Quick => 20,
        Size::Full => 100,
        Size::N(n) => n.clamp(1, 1_000) as usize,
    }
}

// ANCHOR: rpc
/// Start the rate service and the object's server, then time the two ways
/// of calling it on the same connection, in rounds.
pub fn rpc_comparison(common: &CommonArgs, latency: Duration) -> Result<Record> {
    let pairs = rates::pairs(pair_count(common.size));
    let service = RateService::start(latency)?;
    let server = RpcServer::start(
        &chapter_program("rpc-server", "CH04_RPC_SERVER")?,
        &service.base_url(),
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let book = runtime.block_on(connect(server.addr()))?;
    let size = serde_json::json!({
        "calls": pairs.len(),
        "latency_ms": latency.as_millis() as u64,
    });
    let mut exp = Experiment::new("ch04", "rpc", size, common.measure_opts());
    let check = |got: &Vec<f64>| {
        let quotes: Vec<rates::Quote> = pairs
            .iter()
            .zip(got)
            .map(|(pair, &rate)| rates::Quote {
                pair: pair.clone(),
                rate,
            })
            .collect();
        rates::verify(&pairs, &quotes)
    };
    // ANCHOR: ways
    let sync = || runtime.block_on(rates_sync(&book, &pairs));
    let concurrent = || runtime.block_on(rates_concurrent(&book, &pairs));
    exp.measure_rounds(vec![
        Contender::new("seq", 1, sync, check),
        Contender::new("async", pairs.len(), concurrent, check),
    ])?;
    // ANCHOR_END: ways
    Ok(exp.finish())
}
// ANCHOR_END: rpc
