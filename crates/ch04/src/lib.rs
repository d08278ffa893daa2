//! Chapter 4 · Distributed applications with Celery: tasks sent through a
//! real broker (Redis or RabbitMQ) in the Celery message protocol, so Rust
//! and Python Celery workers and clients can share a queue.
//!
//! What is where, in the order of the chapter's sections:
//!
//! - [`setup`]: running the examples — the broker, started or given
//! - [`launcher`]: starting and stopping worker processes
//! - [`sizes`]: the problem sizes behind `--size`
//! - [`logs`]: the programs' logs
//! - [`tasks`]: the tasks, named as in Python
//! - [`limits`]: the bounds on every task's input
//! - [`rates_client`]: the one HTTP client of the rate service
//! - [`examples`]: a tour of Celery (`echo`, `rates`, `chain`, `interop`)
//! - [`python`]: Rust and Python, both ways: the Python worker and client
//! - [`mergesort`]: the distributed merge sort
//! - [`compare`]: merge sort and fib tasks, seq / threads / async / dist
//! - [`overhead`]: the price of distribution, a round trip against a PING
//! - [`crossover`]: when distributing fib(n) tasks pays
//! - [`rate_group`]: the book's `currency.py`, measured
//! - [`figures`]: the figures that are not bar charts
//! - [`rpc`]: remote objects, the book's Pyro on tarpc
//! - [`rq`]: an RQ-style queue on apalis
//! - [`celery`]: under the hood, the Celery compatibility layer
//! - [`exercises`]: the exercises' solutions
//! - [`traced`]: chapter 7, one task's life across processes
//! - [`refusal`]: chapter 5, a wrong password refused by Redis and RabbitMQ
//!   over TLS (captured for the secure-brokers page)
//!
//! Besides the library: the `ch04` command (`main.rs`, `run.rs`), and the
//! programs `worker`, `rq-worker` and `rpc-server` in `bin/`.

pub mod celery;
pub mod compare;
pub mod crossover;
pub mod examples;
pub mod exercises;
pub mod figures;
pub mod launcher;
pub mod limits;
pub mod logs;
pub mod mergesort;
pub mod overhead;
pub mod python;
pub mod rate_group;
pub mod rates_client;
pub mod refusal;
pub mod rpc;
pub mod rq;
pub mod setup;
pub mod sizes;
pub mod tasks;
pub mod traced;
