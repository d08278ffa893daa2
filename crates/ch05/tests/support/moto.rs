//! Chapter 5 · Test support: a moto server started for the test, with a
//! task queue and its bucket on it.

use std::time::Duration;

use ch05::cloud::Aws;
use ch05::cloud::tasks::TaskQueue;

/// A local endpoint (moto on a free loopback port) holding the queue
/// `queue` and the bucket `bucket`; `visibility` as the queue's timeout.
pub async fn local_queue(
    queue: &str,
    bucket: &str,
    visibility: Duration,
) -> (Aws, TaskQueue) {
    let aws = Aws::local().await.expect("moto's server starts");
    let made = TaskQueue::create(&aws, queue, bucket, visibility).await;
    (aws, made.expect("queue and bucket"))
}
