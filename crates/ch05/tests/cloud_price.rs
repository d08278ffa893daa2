//! Chapter 5 · The price of distribution: tiny tasks through S3 + SQS (a
//! moto server) and through the chapter's Redis queue (a `redis-server`),
//! both started by the test; every answer checked, one record of both, in
//! rounds.

use ch05::cloud::{Aws, price};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_ways_answer_every_task_and_make_a_record() {
    let mut aws = Aws::local().await.expect("moto's server starts");
    let price = price::measure(&aws, 3).await.expect("measured");
    aws.stop().expect("stops");
    assert_eq!((price.cloud.tasks, price.redis.tasks), (3, 3));

    let record = price.record();
    let variants: Vec<&str> =
        record.runs.iter().map(|r| r.variant.as_str()).collect();
    assert_eq!(variants, ["s3+sqs", "redis", "ping"]);
    for way in ["s3+sqs", "redis"] {
        let run = record.run(way, 1).expect("a run");
        for key in ["submit_ms", "work_ms", "fetch_ms", "x_ping"] {
            assert!(run.extra.contains_key(key), "{way}: {key} missing");
        }
    }
    // Measured in rounds, every round kept: a busy moment shows as one
    // round apart from the others, not as the number.
    assert_eq!(price.rounds.len(), price::ROUNDS);
    for way in ["s3+sqs", "redis", "ping"] {
        let run = record.run(way, 1).expect("a run");
        for round in 1..=price::ROUNDS {
            let key = format!("round{round}_s");
            assert!(run.extra.contains_key(&key), "{way}: {key} missing");
        }
    }
    let figure = price.figure();
    assert!(figure.starts_with("<svg"), "{figure:.80}");
    assert!(
        figure.contains("s3+sqs") && figure.contains("ping"),
        "no legend"
    );
    let text = price.to_string();
    assert!(
        text.contains("S3 + SQS") && text.contains("Redis"),
        "{text}"
    );
}
