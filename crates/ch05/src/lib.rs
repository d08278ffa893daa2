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
//! | The same worker on Redis | [`job`], [`queue`] |
//! | Configuration from the environment | [`config`] |
//! | A job is never only in a worker's memory | [`queue`] |
//! | Health endpoints | [`health`], [`probe`] |
//! | Graceful shutdown on SIGTERM | [`worker`] |
//! | The demo: SIGTERM in the middle of a job | [`demo`], [`fleet`], [`report`] |
//! | How long does a worker take to leave? | [`stop`] |
//! | The comparison through SQS and S3; its price | [`cloud`] (`compare`, `cost`, `price`) |
//! | Several hosts on one machine | [`hosts`], [`hosts_demo`] |
//! | Exercises | [`exercises`] |
//!
//! The command line is `main.rs`, `run.rs` and `run_cloud.rs`; the worker
//! programs are `src/bin/`.

pub mod cloud;
pub mod config;
pub mod demo;
pub mod exercises;
pub mod fleet;
pub mod health;
pub mod hosts;
pub mod hosts_demo;
pub mod job;
pub mod probe;
pub mod queue;
pub mod report;
pub mod stop;
pub mod worker;

pub use config::WorkerConfig;
pub use job::Job;
