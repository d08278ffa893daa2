//! Chapter 5 · The cloud as code: the SDK reaches a moto server the code
//! started on a free loopback port, and the server is gone afterwards.

use aws_sdk_s3::primitives::ByteStream;
use ch05::cloud::Aws;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_and_sqs_answer_on_a_local_endpoint_that_stops_afterwards() {
    let mut aws = Aws::local().await.expect("moto's server starts");
    let endpoint = aws.endpoint().expect("a local endpoint").to_string();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{endpoint}");

    aws.s3
        .create_bucket()
        .bucket("ch05-connect")
        .send()
        .await
        .expect("bucket");
    let body = ByteStream::from_static(b"fib(27) = 196418");
    aws.s3
        .put_object()
        .bucket("ch05-connect")
        .key("results/27")
        .body(body)
        .send()
        .await
        .expect("put");
    let got = aws.s3.get_object().bucket("ch05-connect").key("results/27");
    let got = got
        .send()
        .await
        .expect("get")
        .body
        .collect()
        .await
        .expect("body");
    assert_eq!(got.into_bytes().as_ref(), b"fib(27) = 196418");

    let queue = aws
        .sqs
        .create_queue()
        .queue_name("ch05-connect")
        .send()
        .await;
    let url = queue.expect("queue").queue_url.expect("a queue url");
    aws.sqs
        .send_message()
        .queue_url(&url)
        .message_body("27")
        .send()
        .await
        .expect("send");
    let received = aws.sqs.receive_message().queue_url(&url).send().await;
    let messages = received.expect("receive").messages.unwrap_or_default();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].body(), Some("27"));

    aws.stop().expect("stops");
    let port: u16 = endpoint
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let gone = std::net::TcpStream::connect(("127.0.0.1", port));
    assert!(gone.is_err(), "moto's server still listens on {port}");
}
