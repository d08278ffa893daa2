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
