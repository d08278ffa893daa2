//! Chapter 5 · The cloud worker as a program: tasks from SQS, data in S3,
//! settings from the environment, SIGTERM drains.
//!
//! Environment: `CH05_SQS_QUEUE_URL`, `CH05_BUCKET`, and the standard AWS
//! ones (`AWS_REGION`, credentials, `AWS_ENDPOINT_URL` for a local endpoint);
//! `CH05_HEALTH_ADDR` for `/healthz` and `/readyz` (default 127.0.0.1:8080).
//! A missing setting exits 2 saying what to set.

use std::process::ExitCode;

use anyhow::{Context, Result};
use ch05::cloud::Aws;
use ch05::cloud::sqs_worker::{SqsWorkerConfig, serve};
use ch05::health::Health;
use workbench::cli::UsageError;

fn main() -> ExitCode {
    workbench::logs::init("info");
    workbench::cli::exit_code(run())
}

fn run() -> Result<()> {
    let config = SqsWorkerConfig::from_vars(|name| std::env::var(name).ok())
        .map_err(UsageError)?;
    let runtime = tokio::runtime::Runtime::new().context("starting tokio")?;
    runtime.block_on(async {
        let aws = Aws::from_env().await?;
        let health = Health::new("sqs-worker");
        let listener = tokio::net::TcpListener::bind(config.health_addr).await;
        let listener = listener
            .with_context(|| format!("listening on {}", config.health_addr))?;
        let app = ch05::health::router(health.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        serve(&aws, &config, &health, ch05::worker::stop_signal()).await?;
        tracing::info!(done = health.status().done, "stopped");
        Ok(())
    })
}
