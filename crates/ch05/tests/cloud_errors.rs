//! Chapter 5 · Bad input to the cloud calls: a missing bucket (a moto
//! server the test starts) and a throttling endpoint (a stand-in the test
//! serves on a free loopback port) are errors naming the action, the object
//! and the service's error code; the throttled call was retried.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// S3's answer to a client that sends too fast.
const SLOW_DOWN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\
<Code>SlowDown</Code><Message>Please reduce your request rate.</Message>\
<RequestId>ch05</RequestId></Error>";

/// Answer every request on a free loopback port with 503 SlowDown; the
/// address and the number of requests so far.
fn throttling_endpoint() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("its address");
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            // The request's head (a GET has no body), then the answer.
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if line == "\r\n" {
                    break;
                }
                line.clear();
            }
            seen.fetch_add(1, Ordering::SeqCst);
            let answer = format!(
                "HTTP/1.1 503 Slow Down\r\ncontent-type: application/xml\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{SLOW_DOWN}",
                SLOW_DOWN.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_call_is_retried_then_named_with_its_code() {
    let (endpoint, requests) = throttling_endpoint();
    let aws = Aws::at(&endpoint).await;
    let queue = TaskQueue {
        queue_url: format!("{endpoint}/123456789012/ch05-throttled"),
        bucket: "ch05-busy".into(),
    };
    let err = queue.result(&aws, "t1").await.expect_err("throttled");
    let text = format!("{err:#}");
    assert!(text.contains("s3:GetObject"), "{text}");
    assert!(text.contains("ch05-busy/results/t1.json"), "{text}");
    assert!(text.contains("SlowDown"), "{text}");
    // RetryConfig::standard().with_max_attempts(3): the first try and two
    // retries with backoff.
    assert_eq!(requests.load(Ordering::SeqCst), 3, "{text}");
}
