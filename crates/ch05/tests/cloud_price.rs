//! Chapter 5 · The price of distribution: tiny tasks through S3 + SQS (a
//! moto server) and through the chapter's Redis queue (a `redis-server`),
//! both started by the test; every answer checked, the numbers noted on
//! the record's `dist` run.

use ch05::cloud::{Aws, price};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_ways_answer_every_task_and_land_on_the_dist_run() {
    let mut aws = Aws::local().await.expect("moto's server starts");
    let price = price::measure(&aws, 3).await.expect("measured");
    aws.stop().expect("stops");
    assert_eq!((price.cloud.tasks, price.redis.tasks), (3, 3));

    let mut record = workbench::Record::new("ch05", "cloud", serde_json::json!({}));
    record.runs = vec![
        workbench::record::Run::new("seq", 1, 1.0, 1.0),
        workbench::record::Run::new("dist", 2, 1.0, 1.0),
    ];
    price.note(&mut record);
    let dist = record.run("dist", 2).expect("dist");
    for key in ["cloud_task_ms", "redis_task_ms", "ping_ms"] {
        assert!(
            dist.extra.contains_key(key),
            "{key} missing: {:?}",
            dist.extra
        );
    }
    assert!(record.run("seq", 1).expect("seq").extra.is_empty());
    let text = price.to_string();
    assert!(
        text.contains("S3 + SQS") && text.contains("Redis"),
        "{text}"
    );
}
