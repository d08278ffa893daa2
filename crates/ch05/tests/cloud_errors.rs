//! Chapter 5 · Bad input to the cloud calls, against a moto server the test
//! starts: a missing bucket is an error naming the action, the bucket and
//! the service's error code.

use std::time::Duration;

use ch05::cloud::Aws;
use ch05::cloud::tasks::TaskQueue;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_bucket_is_named_with_the_action_that_needed_it() {
    let mut aws = Aws::local().await.expect("moto's server starts");
    let made = TaskQueue::create(
        &aws,
        "ch05-errors",
        "ch05-errors",
        Duration::from_secs(5),
    )
    .await
    .expect("queue and bucket");
    let queue = TaskQueue {
        queue_url: made.queue_url,
        bucket: "ch05-never-made".into(),
    };

    let err = queue.submit(&aws, "t1", 10).await.expect_err("no bucket");
    let text = format!("{err:#}");
    assert!(text.contains("s3:PutObject"), "{text}");
    assert!(text.contains("ch05-never-made"), "{text}");
    assert!(text.contains("NoSuchBucket"), "{text}");

    let err = queue.result(&aws, "t1").await.expect_err("no bucket");
    let text = format!("{err:#}");
    assert!(text.contains("s3:GetObject"), "{text}");
    assert!(text.contains("ch05-never-made"), "{text}");
    assert!(text.contains("NoSuchBucket"), "{text}");
    aws.stop().expect("stops");
}
