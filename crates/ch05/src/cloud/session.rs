//! Chapter 5 · The console steps and the comparison from a notebook (or any
//! program without a runtime): blocking calls on a tokio runtime of their
//! own, against a moto server started here and stopped by [`Local::stop`].

use std::path::Path;

use anyhow::{Context, Result};
use tokio::runtime::Runtime;
use workbench::{MeasureOpts, Record};

use super::access::{self, IamNames, IamReport};
use super::compare::{self, CloudVariant};
use super::price::{self, Price};
use super::steps::Console;
use super::{Aws, bucket};
use workbench::variants::Variant;

/// A local endpoint and a runtime to call it from.
#[derive(Debug)]
pub struct Local {
    rt: Runtime,
    aws: Aws,
}

/// What a console step did: its calls, one per line, and what it saw.
#[derive(Debug, Clone)]
pub struct Done<T> {
    pub calls: Vec<String>,
    pub seen: T,
}

impl Local {
    /// A moto server; with `enforce_iam`, one that checks every call
    /// against IAM, the calls made as an administrator.
    pub fn start(enforce_iam: bool) -> Result<Self> {
        let rt = Runtime::new().context("starting tokio")?;
        let aws = match enforce_iam {
            true => rt.block_on(Aws::local_enforcing_iam())?,
            false => rt.block_on(Aws::local())?,
        };
        Ok(Local { rt, aws })
    }

    pub fn aws(&self) -> &Aws {
        &self.aws
    }

    /// The `iam` step: bucket, queue, user; a task as the user; a denial.
    pub fn iam(&self, names: &IamNames) -> Result<Done<IamReport>> {
        let mut console = Console::new(Some(&self.aws), false, true);
        let seen = self.rt.block_on(access::iam_step(&mut console, names))?;
        Ok(Done {
            calls: console.steps.iter().map(ToString::to_string).collect(),
            seen,
        })
    }

    /// Remove what the `iam` step made.
    pub fn remove_iam(&self, names: &IamNames) -> Result<Vec<String>> {
        let mut console = Console::new(Some(&self.aws), false, true);
        self.rt.block_on(access::remove(&mut console, names))?;
        Ok(console.steps.iter().map(ToString::to_string).collect())
    }

    /// The `website` step: the page as fetched back over HTTP.
    pub fn website(&self, name: &str) -> Result<Done<String>> {
        let mut console = Console::new(Some(&self.aws), false, true);
        self.rt
            .block_on(bucket::create_website(&mut console, name))?;
        let page = bucket::fetch_page(&bucket::website_url(&self.aws, name))?;
        Ok(Done {
            calls: console.steps.iter().map(ToString::to_string).collect(),
            seen: page,
        })
    }

    /// The comparison: `tasks` four ways, `dist` on `workers` processes
    /// of `program` (`ch05-sqs-worker`), in `reps` rounds.
    pub fn compare(
        &self,
        program: &Path,
        tasks: &[u32],
        workers: usize,
        reps: usize,
    ) -> Result<Record> {
        let opts = MeasureOpts {
            warmup: 1,
            reps,
            progress: false,
        };
        let variants = CloudVariant::ALL;
        compare::compare(
            &self.rt, &self.aws, program, tasks, workers, variants, opts,
        )
    }

    /// What one tiny task costs through S3 + SQS and through Redis.
    pub fn price(&self, tasks: usize) -> Result<Price> {
        self.rt.block_on(price::measure(&self.aws, tasks))
    }

    /// Stop the endpoint.
    pub fn stop(mut self) -> Result<()> {
        self.aws.stop()
    }
}

/// One call tried as a user: what it was, whether it went through, and
/// whether it should have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub call: &'static str,
    pub allowed: bool,
    pub expected: bool,
}

impl Local {
    /// Exercise 5's check: a user with `policy` on a bucket holding
    /// `results/1.json` and `inputs/1.json` tries to read a result (should
    /// work), read an input, write a result and list the bucket (should
    /// not). Needs an endpoint that enforces IAM.
    pub fn try_reader_policy(&self, policy: &str) -> Result<Vec<Attempt>> {
        self.rt.block_on(reader_attempts(&self.aws, policy))
    }
}

async fn reader_attempts(aws: &Aws, policy: &str) -> Result<Vec<Attempt>> {
    use aws_sdk_s3::primitives::ByteStream;
    let bucket = "ch05-reader";
    aws.s3.create_bucket().bucket(bucket).send().await?;
    for key in ["results/1.json", "inputs/1.json"] {
        let body = ByteStream::from_static(b"{}");
        let put = aws.s3.put_object().bucket(bucket).key(key).body(body);
        put.send().await?;
    }
    let user = format!("ch05-reader-{}", std::process::id());
    let mut console = Console::new(Some(aws), false, true);
    let key = super::iam::create_user(&mut console, &user, policy).await?;
    let reader = aws.as_user(&key.context("no access key")?);
    let s3 = &reader.s3;
    let get = |key: &'static str| s3.get_object().bucket(bucket).key(key).send();
    let put = s3
        .put_object()
        .bucket(bucket)
        .key("results/2.json")
        .body(ByteStream::from_static(b"{}"));
    let attempts = vec![
        attempt(
            "get results/1.json",
            get("results/1.json").await.is_ok(),
            true,
        ),
        attempt(
            "get inputs/1.json",
            get("inputs/1.json").await.is_ok(),
            false,
        ),
        attempt("put results/2.json", put.send().await.is_ok(), false),
        attempt(
            "list the bucket",
            s3.list_objects_v2().bucket(bucket).send().await.is_ok(),
            false,
        ),
    ];
    super::iam::cleanup(&mut console).await?;
    bucket::delete_bucket(&mut console, bucket).await?;
    Ok(attempts)
}

fn attempt(call: &'static str, allowed: bool, expected: bool) -> Attempt {
    Attempt {
        call,
        allowed,
        expected,
    }
}
