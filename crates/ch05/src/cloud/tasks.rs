//! Chapter 5 · A worker that lives in the cloud: tasks from SQS, inputs
//! from S3, results to S3; a message is deleted only after its result is
//! stored, so a worker that dies mid-task loses nothing.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use aws_sdk_s3::primitives::ByteStream;
use serde::{Deserialize, Serialize};

use super::Aws;
use super::steps::failed;
use crate::job::MAX_N;

/// Where the tasks travel: a queue for the messages, a bucket for the data.
#[derive(Debug, Clone)]
pub struct TaskQueue {
    pub queue_url: String,
    pub bucket: String,
}

/// A task message: small, it only points at its input in the bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskMessage {
    pub id: String,
    pub input: String,
}

/// The input object of a task, and the result object a worker writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FibInput {
    pub n: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FibResult {
    pub id: String,
    pub n: u32,
    pub answer: u64,
}

/// The key of task `id`'s result.
pub fn result_key(id: &str) -> String {
    format!("results/{id}.json")
}

impl TaskQueue {
    /// Create (or find) queue `name` with the given visibility timeout and
    /// bucket `bucket`.
    pub async fn create(
        aws: &Aws,
        name: &str,
        bucket: &str,
        visibility: Duration,
    ) -> Result<Self> {
        let seconds = visibility.as_secs().max(1).to_string();
        let made = aws.sqs.create_queue().queue_name(name);
        let made = made.attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            seconds,
        );
        let made = made
            .send()
            .await
            .map_err(|e| failed("sqs:CreateQueue", name, &e))?;
        let queue_url = made.queue_url.context("CreateQueue returned no URL")?;
        let bucket_call = aws.s3.create_bucket().bucket(bucket).send().await;
        if let Err(err) = bucket_call {
            let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&err);
            // Ours already: fine, a second producer may have made it.
            if code != Some("BucketAlreadyOwnedByYou") {
                return Err(failed("s3:CreateBucket", bucket, &err));
            }
        }
        Ok(TaskQueue {
            queue_url,
            bucket: bucket.to_string(),
        })
    }

    /// `bucket/key`: how an error names an object.
    pub fn object(&self, key: &str) -> String {
        format!("{}/{key}", self.bucket)
    }

    // ANCHOR: submit
    /// Store the input of task `id` in the bucket, then send its message.
    pub async fn submit(&self, aws: &Aws, id: &str, n: u32) -> Result<()> {
        let input = format!("inputs/{id}.json");
        let body = serde_json::to_vec(&FibInput { n })?;
        let put = aws.s3.put_object().bucket(&self.bucket).key(&input);
        put.body(ByteStream::from(body))
            .send()
            .await
            .map_err(|e| failed("s3:PutObject", &self.object(&input), &e))?;
        let message = serde_json::to_string(&TaskMessage {
            id: id.into(),
            input,
        })?;
        let send = aws.sqs.send_message().queue_url(&self.queue_url);
        send.message_body(message)
            .send()
            .await
            .map_err(|e| failed("sqs:SendMessage", &self.queue_url, &e))?;
        Ok(())
    }
    // ANCHOR_END: submit

    /// The result of task `id`, if a worker has stored it.
    pub async fn result(&self, aws: &Aws, id: &str) -> Result<Option<FibResult>> {
        let key = result_key(id);
        let got = aws
            .s3
            .get_object()
            .bucket(&self.bucket)
            .key(&key)
            .send()
            .await;
        let object = match got {
            Ok(object) => object,
            Err(err)
                if err.as_service_error().is_some_and(|e| e.is_no_such_key()) =>
            {
                return Ok(None);
            }
            Err(err) => {
                return Err(failed("s3:GetObject", &self.object(&key), &err));
            }
        };
        let bytes = object
            .body
            .collect()
            .await
            .with_context(|| format!("reading {key}"))?;
        Ok(Some(serde_json::from_slice(&bytes.into_bytes())?))
    }
}

/// One received message: its task and the handle that deletes it.
#[derive(Debug, Clone)]
pub struct Received {
    pub task: TaskMessage,
    pub receipt: String,
    /// How many times SQS has handed this message out (1 = first time).
    pub receive_count: u32,
}

/// Wait up to `wait` (long polling) for one message.
pub async fn receive(
    aws: &Aws,
    queue: &TaskQueue,
    wait: Duration,
) -> Result<Option<Received>> {
    let wait_s = i32::try_from(wait.as_secs().min(20))?;
    let ask = aws.sqs.receive_message().queue_url(&queue.queue_url);
    let ask = ask.max_number_of_messages(1).wait_time_seconds(wait_s);
    let ask = ask.message_system_attribute_names(
        aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount,
    );
    let answer = ask
        .send()
        .await
        .map_err(|e| failed("sqs:ReceiveMessage", &queue.queue_url, &e))?;
    let Some(message) = answer.messages.unwrap_or_default().into_iter().next()
    else {
        return Ok(None);
    };
    let body = message.body().context("a message without a body")?;
    let task: TaskMessage = serde_json::from_str(body).context("a task message")?;
    let count = message.attributes().and_then(|a| {
        a.get(
            &aws_sdk_sqs::types::MessageSystemAttributeName::ApproximateReceiveCount,
        )
    });
    Ok(Some(Received {
        task,
        receipt: message
            .receipt_handle()
            .context("no receipt handle")?
            .to_string(),
        receive_count: count.and_then(|c| c.parse().ok()).unwrap_or(1),
    }))
}

/// Read and check the input object `key`: the `n` of a fib task.
async fn read_input(aws: &Aws, queue: &TaskQueue, key: &str) -> Result<u32> {
    let get = aws.s3.get_object().bucket(&queue.bucket).key(key);
    let object = get
        .send()
        .await
        .map_err(|e| failed("s3:GetObject", &queue.object(key), &e))?;
    let bytes = object.body.collect().await;
    let bytes = bytes
        .with_context(|| format!("reading {key}"))?
        .into_bytes();
    let FibInput { n } = serde_json::from_slice(&bytes)?;
    ensure!(n <= MAX_N, "{key}: fib({n}) is past the limit {MAX_N}");
    Ok(n)
}

// ANCHOR: handle
/// Do one task: read its input, compute, store the result, and only then
/// delete the message. A worker that dies before the delete leaves the
/// message to come back after its visibility timeout.
pub async fn handle(
    aws: &Aws,
    queue: &TaskQueue,
    received: &Received,
) -> Result<FibResult> {
    let n = read_input(aws, queue, &received.task.input).await?;
    let answer = tokio::task::spawn_blocking(move || workbench::fib::fib(n)).await?;
    let id = received.task.id.clone();
    let result = FibResult { id, n, answer };

    let key = result_key(&result.id);
    let body = ByteStream::from(serde_json::to_vec(&result)?);
    let put = aws
        .s3
        .put_object()
        .bucket(&queue.bucket)
        .key(&key)
        .body(body);
    put.send()
        .await
        .map_err(|e| failed("s3:PutObject", &queue.object(&key), &e))?;

    let delete = aws.sqs.delete_message().queue_url(&queue.queue_url);
    let delete = delete.receipt_handle(&received.receipt).send().await;
    delete.map_err(|e| failed("sqs:DeleteMessage", &result.id, &e))?;
    Ok(result)
}
// ANCHOR_END: handle
