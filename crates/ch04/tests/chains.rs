//! Chapter 4 · Chains on Rust workers through a real Redis: each link gets
//! the result before it, an immutable link does not, and a failing link
//! stops the chain and reaches the caller.

mod common;

use std::time::Duration;

use ch04::celery::chain::{Chain, Link, Parent, link_message};
use ch04::celery::client::Outcome;
use ch04::tasks::{echo, fail, fib, sort};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(60);

#[test]
fn a_rust_chain_runs_link_by_link_on_rust_workers() {
    let (redis, _logs, _workers) = common::on_redis("ch04-chains", 2, 2);
    common::with_client(&redis.url(), async |client| {
        // fib(fib(fib(6))) = fib(fib(8)) = fib(21) = 10946
        let nested = Chain::new(vec![
            Link::to::<fib>(vec![json!(6)]),
            Link::to::<fib>(vec![]),
            Link::to::<fib>(vec![]),
        ]);
        let last = client.run_chain(&nested, WAIT).await.expect("the chain");
        assert_eq!(last, Outcome::Success(json!(10_946)));
        let steps = client.wait(&nested.ids(), WAIT).await.expect("every link");
        let steps: Vec<u64> =
            steps.into_iter().map(|o| o.value().expect("n")).collect();
        assert_eq!(steps, [8, 21, 10_946]);

        let sorted_then_said = Chain::new(vec![
            Link::to::<sort>(vec![json!([9, 1, 5])]),
            Link::immutable::<echo>(vec![json!("sorted")]),
        ]);
        let said = client
            .run_chain(&sorted_then_said, WAIT)
            .await
            .expect("ends");
        assert_eq!(said, Outcome::Success(json!("sorted")));
        let first = client.wait(&sorted_then_said.ids()[..1], WAIT).await;
        assert_eq!(first.expect("sort")[0], Outcome::Success(json!([1, 5, 9])));

        let broken = Chain::new(vec![
            Link::to::<fib>(vec![json!(6)]),
            Link::immutable::<fail>(vec![json!("a broken link")]),
            Link::to::<echo>(vec![]),
        ]);
        let failed = client.run_chain(&broken, WAIT).await.expect("ends");
        assert_eq!(
            failed,
            Outcome::Failure {
                exc_type: "ExpectedError".into(),
                message: "a broken link".into()
            }
        );
        let after = &broken.ids()[2];
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !client.ready(after).await.expect("asks"),
            "ran after a failure"
        );
    });
}

#[test]
fn the_first_message_carries_the_rest_last_to_run_first() {
    let chain = Chain::new(vec![
        Link::to::<fib>(vec![json!(6)]),
        Link::to::<fib>(vec![]),
        Link::immutable::<echo>(vec![json!("done")]),
    ]);
    let ids = chain.ids();
    let message = chain.first_message().expect("json").expect("a link");
    assert_eq!(message.headers.id, ids[0]);
    assert_eq!(message.headers.root_id.as_deref(), Some(ids[0].as_str()));
    let body: Value = serde_json::from_slice(&message.raw_body).expect("json");
    assert_eq!(body[0], json!([6]));
    let rest = &body[2]["chain"];
    assert_eq!(rest[0]["task"], "echo");
    assert_eq!(rest[0]["immutable"], true);
    assert_eq!(rest[0]["options"]["task_id"], ids[2].as_str());
    assert_eq!(rest[1]["options"]["task_id"], ids[1].as_str());
}

#[test]
fn a_mutable_link_gets_the_previous_result_first() {
    let link = Link::to::<fib>(vec![]);
    let parent = Parent {
        id: Some("p".into()),
        root_id: Some("r".into()),
    };
    let message = link_message(&link, Some(&json!(8)), &[], &parent).expect("m");
    let body: Value = serde_json::from_slice(&message.raw_body).expect("json");
    assert_eq!(body[0], json!([8]));
    assert_eq!(body[2]["chain"], Value::Null);
    assert_eq!(message.headers.parent_id.as_deref(), Some("p"));
    assert_eq!(message.headers.root_id.as_deref(), Some("r"));
    let fixed = Link::immutable::<echo>(vec![json!("done")]);
    let message = link_message(&fixed, Some(&json!(8)), &[], &parent).expect("m");
    let body: Value = serde_json::from_slice(&message.raw_body).expect("json");
    assert_eq!(body[0], json!(["done"]));
}
