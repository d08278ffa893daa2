//! Chapter 5 · The cloud: what a worker needs before it can live on rented
//! machines.
//!
//! The book's chapter is a tour of the AWS console. The code that has to
//! change for the cloud is the worker itself: [`config`] reads its settings
//! from flags and the environment, [`health`] answers an orchestrator's
//! liveness and readiness probes, [`worker`] consumes fib jobs from a Redis
//! list without losing one when the machine is taken away (SIGTERM, or a
//! crash), and [`demo`] shows all of it on one machine; [`hosts`] puts
//! broker and workers on separate network namespaces. The deployment files
//! are under `crates/ch05/deploy/`.
//!
//! ## What is where, in the page's order
//!
//! | Section of the page | Module |
//! |---|---|
//! | The console steps as code | [`cloud`] (`connect`, `iam`, `access`, `bucket`, `steps`, `instance`, `cleanup`) |
//! | The worker in the cloud: SQS and S3 | [`cloud`] (`tasks`, `sqs_worker`) |
//! | The same worker on Redis | [`worker`]: `job`, `queue` |
//! | Configuration from the environment | [`worker`]: `config` |
//! | A job is never only in a worker's memory | [`worker`]: `queue` |
//! | Health endpoints | [`worker`]: `health`, `probe` |
//! | Graceful shutdown on SIGTERM | [`worker`] (the serving loop) |
//! | The demo: SIGTERM in the middle of a job | [`demo`], with `fleet` and `report` |
//! | How long does a worker take to leave? | [`demo`]: `stop` |
//! | The comparison through SQS and S3; its price | [`cloud`] (`compare`, `cost`, `price`) |
//! | Several hosts on one machine | [`hosts`], with `hosts_demo` |
//! | Exercises | [`exercises`] |
//!
//! The command line is `main.rs`, `run.rs` and `run_cloud.rs`; the worker
//! programs are `src/bin/`. The modules in the folders are also
//! re-exported at the top (`ch05::queue`, `ch05::fleet`, ...), the paths
//! the notebook, the programs and the tests use.

pub mod cloud;
pub mod demo;
pub mod exercises;
pub mod hosts;
pub mod worker;

pub use demo::{fleet, report, stop};
pub use hosts::hosts_demo;
pub use worker::{config, health, job, probe, queue};

pub use config::WorkerConfig;
pub use job::Job;
