//! Chapter 4 · The Celery compatibility layer: what the chapter adds to
//! the `celery` crate so that Rust and Python Celery share a queue.

pub mod amqp;
pub mod backend;
pub mod broker;
pub mod chain;
pub mod client;
pub mod connection;
pub mod events;
pub mod meta;
pub mod worker;
