//! Chapter 5 · Tasks through SQS and S3, against a moto server the test
//! starts: every task answered once its message is gone, and a message a
//! worker took but never deleted (it died) comes back and is answered.

#[path = "support/moto.rs"]
mod moto;

use std::time::{Duration, Instant};

use ch05::cloud::tasks::{handle, receive};
use moto::local_queue;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_whose_worker_died_comes_back_and_none_is_lost() {
    let visibility = Duration::from_secs(1);
    let (mut aws, queue) = local_queue("ch05-tasks", "ch05-data", visibility).await;
    let tasks: Vec<(String, u32)> =
        (0..4).map(|i| (format!("fib-{i}"), 20 + i)).collect();
    for (id, n) in &tasks {
        queue.submit(&aws, id, *n).await.expect("submitted");
    }

    // A worker takes one task and dies before deleting its message.
    let taken = receive(&aws, &queue, Duration::from_secs(1)).await;
    let lost_worker = taken.expect("receive").expect("a message");

    // The living worker drains the queue; the dead one's task comes back.
    let mut handled = Vec::new();
    let give_up = Instant::now() + Duration::from_secs(60);
    while handled.len() < tasks.len() && Instant::now() < give_up {
        let Some(received) = receive(&aws, &queue, Duration::from_secs(1))
            .await
            .expect("receive")
        else {
            continue;
        };
        let result = handle(&aws, &queue, &received).await.expect("handled");
        assert_eq!(result.answer, workbench::fib::fib_expected(result.n));
        handled.push((received.task.id.clone(), received.receive_count));
    }
    let again = handled.iter().find(|(id, _)| *id == lost_worker.task.id);
    let (_, count) = again.expect("the dead worker's task came back");
    assert!(*count >= 2, "received {count} times");
    for (id, n) in &tasks {
        let result = queue.result(&aws, id).await.expect("read").expect("stored");
        assert_eq!(result.n, *n);
    }
    let left = receive(&aws, &queue, Duration::from_secs(1))
        .await
        .expect("receive");
    assert!(left.is_none(), "a message was left: {left:?}");
    aws.stop().expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cost_run_answers_every_task_and_leaves_the_queue_empty() {
    let visibility = Duration::from_secs(30);
    let (mut aws, queue) = local_queue("ch05-cost", "ch05-cost", visibility).await;
    let cost = ch05::cloud::cost::measure(&aws, &queue, 3)
        .await
        .expect("measured");
    assert_eq!(cost.tasks, 3);
    for i in 0..3 {
        let stored = queue
            .result(&aws, &format!("cost-{i}"))
            .await
            .expect("read");
        assert_eq!(stored.map(|r| r.answer), Some(1));
    }
    let left = receive(&aws, &queue, Duration::from_secs(1))
        .await
        .expect("receive");
    assert!(left.is_none(), "a message was left: {left:?}");
    aws.stop().expect("stops");
}
