//! Chapter 4 · Where the `dist` variants run: the broker named by
//! `--broker` or `REDIS_URL`, else a `redis-server` this program starts on
//! a free loopback port (or, as in the book, a RabbitMQ node of its own
//! with Redis for the results); and the worker program.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use workbench::redact::Redacted;
use workbench::services::{RabbitMq, RedisServer};

use crate::celery::client::Client;
use crate::celery::worker::WorkerConfig;
use crate::launcher::{Workers, worker_program};

/// A broker and the worker program to start against it. Its `Debug`
/// hides the URLs' passwords.
pub struct Setup {
    broker: String,
    backend: Option<String>,
    program: PathBuf,
    embedded: Option<RedisServer>,
    rabbitmq: Option<RabbitMq>,
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("broker", &Redacted(&self.broker))
            .field("backend", &self.backend.as_deref().map(Redacted))
            .field("program", &self.program)
            .field("embedded", &self.embedded)
            .field("rabbitmq", &self.rabbitmq)
            .finish()
    }
}

impl Setup {
    /// `broker`, else `REDIS_URL`, else a Redis of our own. An `amqp://`
    /// broker gets a Redis of our own for the results.
    pub fn new(broker: Option<&str>) -> Result<Self> {
        Self::with_worker(broker, worker_program()?)
    }

    /// The same, with the worker program given (a test's own build).
    pub fn with_worker(broker: Option<&str>, program: PathBuf) -> Result<Self> {
        let given = broker
            .map(str::to_owned)
            .or_else(|| std::env::var("REDIS_URL").ok());
        match given {
            Some(url) if url.starts_with("amqp") => {
                let redis = local_redis()?;
                Ok(Setup {
                    broker: url,
                    backend: Some(redis.url()),
                    program,
                    embedded: Some(redis),
                    rabbitmq: None,
                })
            }
            Some(url) => Ok(Setup {
                broker: url,
                backend: None,
                program,
                embedded: None,
                rabbitmq: None,
            }),
            None => {
                let redis = local_redis()?;
                Ok(Setup {
                    broker: redis.url(),
                    backend: None,
                    program,
                    embedded: Some(redis),
                    rabbitmq: None,
                })
            }
        }
    }

    /// The book's set-up: a RabbitMQ node of our own as the broker and a
    /// Redis of our own for the results (RabbitMQ takes seconds to start).
    pub fn rabbitmq() -> Result<Self> {
        let rabbitmq =
            RabbitMq::start().context("starting a local RabbitMQ node")?;
        let mut setup = Self::new(Some(&rabbitmq.url()))?;
        setup.rabbitmq = Some(rabbitmq);
        Ok(setup)
    }

    pub fn broker(&self) -> &str {
        &self.broker
    }

    /// Did this program start the broker itself?
    pub fn is_embedded(&self) -> bool {
        self.rabbitmq.is_some()
            || (self.embedded.is_some() && self.backend.is_none())
    }

    /// Start `count` worker processes running `concurrency` tasks each.
    pub fn workers(&self, count: usize, concurrency: u16) -> Result<Workers> {
        self.workers_with(count, concurrency, None)
    }

    /// The same, consuming `queue`: pools of several sizes, each on a queue
    /// of its own, can run side by side (a comparison measured in rounds).
    pub fn workers_on(
        &self,
        queue: &str,
        count: usize,
        concurrency: u16,
    ) -> Result<Workers> {
        let config = WorkerConfig {
            backend: self.backend.clone(),
            concurrency,
            visibility_timeout: Duration::from_secs(30),
            queue: queue.to_owned(),
            ..WorkerConfig::new(&self.broker)
        };
        Workers::start(&self.program, &config, count, None)
    }

    /// The same, with a rate service for the `rate` task.
    pub fn workers_with(
        &self,
        count: usize,
        concurrency: u16,
        rates: Option<&str>,
    ) -> Result<Workers> {
        let config = WorkerConfig {
            backend: self.backend.clone(),
            concurrency,
            visibility_timeout: Duration::from_secs(30),
            rates: rates.map(str::to_owned),
            ..WorkerConfig::new(&self.broker)
        };
        Workers::start(&self.program, &config, count, None)
    }

    /// A client of the default queue, on a runtime of its own.
    pub fn client(&self) -> Result<(tokio::runtime::Runtime, Client)> {
        self.client_on("celery")
    }

    /// A client sending to `queue`, on a runtime of its own.
    pub fn client_on(
        &self,
        queue: &str,
    ) -> Result<(tokio::runtime::Runtime, Client)> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting the client's runtime")?;
        let client = match &self.backend {
            Some(backend) => runtime.block_on(Client::connect_amqp(
                &self.broker,
                backend,
                queue,
            ))?,
            None => {
                let client =
                    runtime.block_on(Client::connect(&self.broker, queue))?;
                // Nothing left from earlier runs, on a Redis of our own or a
                // queue of the example's own only: the `celery` queue of a
                // broker given by --broker or REDIS_URL may hold others' work.
                if self.is_embedded() || queue != "celery" {
                    runtime.block_on(client.purge())?;
                }
                client
            }
        };
        Ok((runtime, client))
    }
}

fn local_redis() -> Result<RedisServer> {
    RedisServer::start().context(
        "starting a local Redis broker (or point --broker/REDIS_URL at one)",
    )
}
