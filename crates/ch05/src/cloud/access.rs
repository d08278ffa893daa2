//! Chapter 5 · The cloud as code: the `iam` step — the chapter's bucket and
//! queue, a user allowed only those, one task sent and done as that user,
//! and a call outside its policy that must be denied.

use std::time::Duration;

use anyhow::{Context, Result};

use super::iam::{self, AccessKey};
use super::steps::{Console, TAG_KEY, TAG_VALUE, failed};
use super::tasks::{TaskQueue, handle, receive};
use super::{Aws, bucket};

/// Names of the step's resources; a suffix keeps runs apart.
#[derive(Debug, Clone)]
pub struct IamNames {
    pub user: String,
    pub bucket: String,
    pub queue: String,
    /// A bucket the policy does not name: calls on it must be denied.
    pub outside: String,
}

impl IamNames {
    pub fn with_suffix(suffix: &str) -> Self {
        IamNames {
            user: format!("ch05-worker-{suffix}"),
            bucket: format!("ch05-data-{suffix}"),
            queue: format!("ch05-tasks-{suffix}"),
            outside: format!("ch05-outside-{suffix}"),
        }
    }
}

/// What the step saw (nothing under `--dry-run`).
#[derive(Debug, Clone, Default)]
pub struct IamReport {
    pub key: Option<AccessKey>,
    /// fib(n) of the task done as the user.
    pub answer: Option<u64>,
    /// Why the call outside the policy failed; `None` if it was allowed
    /// (an endpoint that does not enforce IAM).
    pub denied: Option<String>,
}

/// Create the bucket, the queue and the user; then, as the user, do one
/// task through them and try to list a bucket outside the policy.
pub async fn iam_step(
    console: &mut Console<'_>,
    names: &IamNames,
) -> Result<IamReport> {
    bucket::create_tagged(console, &names.bucket).await?;
    let queue = console.call("sqs:CreateQueue", &names.queue, |aws| {
        let create = aws.sqs.create_queue().queue_name(&names.queue);
        create.tags(TAG_KEY, TAG_VALUE).send()
    });
    let queue_url = queue.await?.and_then(|q| q.queue_url);
    let policy = iam::chapter_policy(&names.bucket, &names.queue);
    let key = iam::create_user(console, &names.user, &policy).await?;
    let (Some(aws), Some(key), Some(queue_url)) = (console.aws(), key, queue_url)
    else {
        return Ok(IamReport::default());
    };
    let queue = TaskQueue {
        queue_url,
        bucket: names.bucket.clone(),
    };
    let user = aws.as_user(&key);
    let answer = one_task(&user, &queue).await?;
    let denied = denied(&user, &names.outside).await;
    Ok(IamReport {
        key: Some(key),
        answer: Some(answer),
        denied,
    })
}

// ANCHOR: as_user
/// One fib task through the queue and the bucket, made as the user. A new
/// key takes a few seconds to reach every AWS endpoint: retry while the
/// key is unknown, as AWS's guidance says.
async fn one_task(user: &Aws, queue: &TaskQueue) -> Result<u64> {
    let mut tries = 0;
    while let Err(err) = queue.submit(user, "iam-check", 20).await {
        let text = format!("{err:#}");
        let unknown_key = text.contains("InvalidAccessKeyId")
            || text.contains("InvalidClientTokenId");
        tries += 1;
        if !unknown_key || tries == 10 {
            return Err(err.context("the user's first call"));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let received = receive(user, queue, Duration::from_secs(5)).await?;
    let received = received.context("the user's task did not arrive")?;
    Ok(handle(user, queue, &received).await?.answer)
}

/// Why listing `outside` failed as the user (`None`: it was allowed).
async fn denied(user: &Aws, outside: &str) -> Option<String> {
    let list = user.s3.list_objects_v2().bucket(outside).send().await;
    let err = list.err()?;
    Some(format!("{:#}", failed("s3:ListObjectsV2", outside, &err)))
}
// ANCHOR_END: as_user

/// The URLs of the queues tagged as the chapter's.
pub async fn tagged_queues(console: &mut Console<'_>) -> Result<Vec<String>> {
    let list = console.read("sqs:ListQueues", "ch05-*", |aws| {
        aws.sqs.list_queues().queue_name_prefix("ch05-").send()
    });
    let urls: Vec<String> = list
        .await?
        .map(|l| l.queue_urls.unwrap_or_default())
        .unwrap_or_default();
    let mut ours = Vec::new();
    for url in urls {
        let tags = console.read("sqs:ListQueueTags", &url, |aws| {
            aws.sqs.list_queue_tags().queue_url(&url).send()
        });
        let tags = tags.await?.and_then(|t| t.tags);
        if tags.is_some_and(|t| t.get(TAG_KEY).is_some_and(|v| v == TAG_VALUE)) {
            ours.push(url);
        }
    }
    Ok(ours)
}

/// Delete the queue at `url`.
pub async fn delete_queue(console: &mut Console<'_>, url: &str) -> Result<()> {
    console
        .call("sqs:DeleteQueue", url, |aws| {
            aws.sqs.delete_queue().queue_url(url).send()
        })
        .await?;
    Ok(())
}

/// Remove what the step made: the user (key, attachment), its policy,
/// the queue and the bucket.
pub async fn remove(console: &mut Console<'_>, names: &IamNames) -> Result<()> {
    iam::cleanup(console).await?;
    let url = console.read("sqs:GetQueueUrl", &names.queue, |aws| {
        aws.sqs.get_queue_url().queue_name(&names.queue).send()
    });
    let url = url.await.ok().flatten().and_then(|u| u.queue_url);
    if let Some(url) = url {
        delete_queue(console, &url).await?;
    }
    bucket::delete_bucket(console, &names.bucket)
        .await
        .with_context(|| format!("removing the bucket {}", names.bucket))
}
