//! Chapter 5 · The console steps as code, against a moto server the test
//! starts: a bucket website fetched back over HTTP, an instance launched and
//! terminated, `cleanup` leaving nothing tagged; `--dry-run` calls nothing.

#![cfg(feature = "ec2")]

use ch05::cloud::steps::Console;
use ch05::cloud::tour::{TourNames, tour};
use ch05::cloud::{Aws, bucket, cleanup};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tour_serves_a_page_runs_an_instance_and_cleans_up_after_itself() {
    let mut aws = Aws::local().await.expect("moto's server starts");
    let names = TourNames::with_suffix("test");
    let mut console = Console::new(Some(&aws), false, true);
    let report = tour(&mut console, &names).await.expect("the tour");

    let page = report.page.expect("the page was fetched");
    assert!(page.contains("Hello from a bucket"), "{page}");
    let instance = report.instance.expect("the instance was described");
    assert!(instance.image.starts_with("ami-"), "{instance:?}");
    assert!(
        instance.volumes.iter().any(|v| v == "/dev/sdf"),
        "{instance:?}"
    );
    assert!(report.leftovers.is_empty(), "{:?}", report.leftovers);

    let actions: Vec<&str> = console.steps.iter().map(|s| s.action).collect();
    for expected in [
        "s3:PutBucketPolicy",
        "ec2:TerminateInstances",
        "s3:DeleteBucket",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    aws.stop().expect("stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_index_html_is_public_and_untagged_buckets_are_left_alone() {
    let mut aws = Aws::local().await.expect("moto's server starts");
    aws.s3
        .create_bucket()
        .bucket("not-the-chapters")
        .send()
        .await
        .expect("bucket");
    let mut console = Console::new(Some(&aws), false, true);
    bucket::create_website(&mut console, "ch05-policy")
        .await
        .expect("website");

    let policy = aws
        .s3
        .get_bucket_policy()
        .bucket("ch05-policy")
        .send()
        .await;
    let policy = policy.expect("a policy").policy.expect("its text");
    let policy: serde_json::Value = serde_json::from_str(&policy).expect("JSON");
    let statement = &policy["Statement"][0];
    assert_eq!(statement["Resource"], "arn:aws:s3:::ch05-policy/index.html");
    assert_eq!(statement["Action"], "s3:GetObject");

    cleanup::cleanup(&mut console).await.expect("cleanup");
    let left = aws.s3.list_buckets().send().await.expect("list");
    let names: Vec<&str> = left.buckets().iter().filter_map(|b| b.name()).collect();
    assert_eq!(names, ["not-the-chapters"]);
    aws.stop().expect("stops");
}

#[tokio::test]
async fn a_dry_run_prints_every_step_and_calls_nothing() {
    let mut console = Console::new(None, true, true);
    let report = tour(&mut console, &TourNames::with_suffix("plan")).await;
    let report = report.expect("a plan needs no endpoint");
    assert!(report.page.is_none() && report.instance.is_none());
    let actions: Vec<&str> = console.steps.iter().map(|s| s.action).collect();
    for expected in ["s3:CreateBucket", "s3:PutBucketWebsite", "ec2:RunInstances"] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_call_names_its_action_resource_and_error_code() {
    let mut aws = Aws::local().await.expect("moto's server starts");
    let mut console = Console::new(Some(&aws), false, true);
    let err = cleanup::delete_bucket(&mut console, "ch05-never-made")
        .await
        .expect_err("no such bucket");
    let text = format!("{err:#}");
    assert!(text.contains("ch05-never-made"), "{text}");
    assert!(text.contains("s3:ListObjectsV2"), "{text}");
    assert!(text.contains("NoSuchBucket"), "{text}");
    aws.stop().expect("stops");
}
