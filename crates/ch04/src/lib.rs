//! Chapter 4 · Distributed applications with Celery: tasks sent through a
//! real broker (Redis or RabbitMQ) in the Celery message protocol, so Rust
//! and Python Celery workers and clients can share a queue.
//!
//! The `celery` crate provides the protocol, the task macro and the worker
//! loop; this crate adds a reliable Redis broker and a result backend that
//! behave like Python Celery's, and a client that waits on published
//! results instead of polling.

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
pub mod rpc;
pub mod rq;
pub mod setup;
pub mod sizes;
pub mod tasks;
pub mod traced;
