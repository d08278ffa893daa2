//! Chapter 5 · The IAM step, against a moto server the test starts with IAM
//! enforced (`INITIAL_NO_AUTH_ACTION_COUNT`): the user does a task through
//! the chapter's bucket and queue, is denied another bucket, and the
//! cleanup removes the user, its key and its policy.

use ch05::cloud::access::{self, IamNames};
use ch05::cloud::steps::Console;
use ch05::cloud::{Aws, iam};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_may_use_the_chapters_bucket_and_queue_and_nothing_else() {
    let mut aws = Aws::local_enforcing_iam()
        .await
        .expect("moto enforcing IAM");
    let names = IamNames::with_suffix("test");
    aws.s3
        .create_bucket()
        .bucket(&names.outside)
        .send()
        .await
        .expect("the administrator makes another bucket");

    let mut console = Console::new(Some(&aws), false, true);
    let report = access::iam_step(&mut console, &names).await.expect("iam");
    assert_eq!(report.answer, Some(6765), "fib(20) done as the user");
    let denied = report.denied.expect("the other bucket is denied");
    assert!(denied.contains("AccessDenied"), "{denied}");
    assert!(denied.contains("s3:ListObjectsV2"), "{denied}");
    assert!(denied.contains(&names.outside), "{denied}");
    let key = report.key.expect("a key");
    assert!(!format!("{key:?}").contains(&key.secret), "{key:?}");

    // The user cannot make itself more powerful either.
    let user = aws.as_user(&key);
    let err = user
        .iam
        .create_user()
        .user_name("ch05-intruder")
        .send()
        .await
        .expect_err("the user may not create users");
    let err = format!(
        "{:#}",
        ch05::cloud::steps::failed("iam:CreateUser", "ch05-intruder", &err)
    );
    assert!(
        err.contains("not authorized to perform: iam:CreateUser"),
        "{err}"
    );

    access::remove(&mut console, &names).await.expect("removed");
    let (users, policies) = iam::tagged(&mut console).await.expect("listed");
    assert!(
        users.is_empty() && policies.is_empty(),
        "{users:?} {policies:?}"
    );
    let queues = access::tagged_queues(&mut console).await.expect("queues");
    assert!(queues.is_empty(), "{queues:?}");
    let keys = aws
        .iam
        .list_access_keys()
        .user_name(&names.user)
        .send()
        .await;
    assert!(keys.is_err(), "the user is gone, and with it its key");
    aws.stop().expect("stops");
}

#[test]
fn the_policy_names_only_the_chapters_bucket_and_queue() {
    let policy = iam::chapter_policy("ch05-data-x", "ch05-tasks-x");
    let policy: serde_json::Value = serde_json::from_str(&policy).expect("JSON");
    let statements = policy["Statement"].as_array().expect("statements");
    let resources: Vec<&str> = statements
        .iter()
        .filter_map(|s| s["Resource"].as_str())
        .collect();
    assert_eq!(
        resources,
        [
            "arn:aws:s3:::ch05-data-x",
            "arn:aws:s3:::ch05-data-x/*",
            "arn:aws:sqs:*:*:ch05-tasks-x"
        ]
    );
    assert!(statements.iter().all(|s| s["Effect"] == "Allow"));
}

#[test]
fn exercise_5_the_reader_policy_reads_results_and_nothing_else() {
    let local =
        ch05::cloud::session::Local::start(true).expect("moto enforcing IAM");
    let policy = ch05::exercises::reader_policy("ch05-reader");
    let attempts = local.try_reader_policy(&policy).expect("tried");
    assert_eq!(attempts.len(), 4);
    for attempt in &attempts {
        assert_eq!(attempt.allowed, attempt.expected, "{attempt:?}");
    }
    // The chapter's own policy is too generous for a reader.
    let generous = ch05::cloud::iam::chapter_policy("ch05-reader", "none");
    let attempts = local.try_reader_policy(&generous).expect("tried");
    assert!(
        attempts.iter().any(|a| a.allowed != a.expected),
        "{attempts:?}"
    );
    local.stop().expect("stops");
}
