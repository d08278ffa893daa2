//! Chapter 4 · Under the hood: the Celery compatibility layer — what this
//! crate adds to the `celery` crate (celery-rs 0.6, pinned exactly because
//! the layer implements its `Broker` and `ResultBackend` traits) so that
//! Rust and Python Celery workers and clients share one queue.
//!
//! celery-rs gives the protocol v2 messages, the `#[celery::task]` macro,
//! the worker loop and an AMQP broker. What it lacks, the part here that
//! makes up for it, and the upstream change that would make that part
//! unnecessary:
//!
//! - [`broker`]: its Redis broker polls with `RPOP`, sleeps a second on an
//!   empty queue, and records unacknowledged messages where nothing
//!   restores them. Ours waits with `BLMOVE`, pops and records in one Lua
//!   script, renews leases, restores a dead worker's messages after a
//!   visibility timeout and dead-letters poison messages, in kombu's keys.
//!   Upstream: a blocking fetch and kombu's `unacked` restore in its broker.
//! - [`backend`] and [`meta`]: its Redis backend stores a result but never
//!   `PUBLISH`es it, so Python's `AsyncResult.get()` (subscribed to
//!   `celery-task-meta-<id>`) never hears; failures are stored in a form
//!   Python cannot rebuild. Upstream: publish after storing, and write
//!   `exc_type` / `exc_message` / `exc_module` as Python does.
//! - [`chain`]: it ignores the chain in a message's `embed` and fails on
//!   Python's chains (it expects strings where Python puts signatures).
//!   Upstream: parse signatures in `embed.chain`, send the next link
//!   after a success.
//! - [`client`]: its `AsyncResult::get` polls the backend at an interval
//!   and reads a failure's `exc_message` as a string (Python writes a
//!   list); ours subscribes to the result's channel, as Python's
//!   `AsyncResult.get()` does. Upstream: wait on the channel.
//! - [`amqp`]: when RabbitMQ's connection drops its consumer stream just
//!   ends (the error callback is a to-do) and its broker does not
//!   reconnect; [`amqp::Reconnecting`] reports the end as a lost
//!   connection. Upstream: report the stream's end as a `BrokerError`.
//! - [`connection`]: fail within seconds on an absent Redis, retry with
//!   backoff while it is away. Upstream: a connect deadline and a retry
//!   policy on the backend as on the broker.
//! - [`worker`]: its builder makes its own broker and panics on any
//!   scheme but `redis://` and `amqp://`, so ours is put in its place;
//!   on SIGTERM its loop waits for running tasks without limit, so a
//!   grace period ends it. `amqps://`
//!   works only because this crate turns on lapin's rustls features.
//!   Upstream: accept a broker instance and TLS URLs (a `tls` feature),
//!   and a bounded shutdown.
//! - [`events`]: it publishes no events and answers no remote control, so
//!   Flower, `celery events` and `celery inspect ping` do not see a Rust
//!   worker. Upstream: an event dispatcher and pidbox replies.
//!
//! The broker wrappers ([`amqp::Reconnecting`], [`chain::broker::Follow`],
//! [`events::wrap::Watch`]) are each a [`layer::Layer`]: `Layered` forwards
//! the `Broker` trait once, a layer says only what it adds.

/// `Debug` for a type of this layer that shows only the fields named
/// (the others hold connections, streams or callbacks).
macro_rules! debug_fields {
    ($ty:ident { $($field:ident),+ }) => {
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($ty))
                    $(.field(stringify!($field), &self.$field))+
                    .finish()
            }
        }
    };
}
pub(crate) use debug_fields;

pub mod amqp;
pub mod backend;
pub mod broker;
pub mod chain;
pub mod client;
pub mod connection;
pub mod events;
pub mod layer;
pub mod meta;
pub mod worker;
