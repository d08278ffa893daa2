//! Chapter 5 · The console steps from the command line: `--aws env` with
//! nothing to go on says what to set and exits 2; `--dry-run` needs no
//! endpoint; `tour` runs against a moto server it starts itself.

use std::process::{Command, Output};

use workbench::testing::text;

/// `ch05 ARGS` with no AWS setting at all: no AWS_* variable, a HOME
/// without ~/.aws, and the instance-metadata lookup off (no network).
fn ch05_without_aws(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().expect("a home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_ch05"));
    for (name, _) in std::env::vars() {
        if name.starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command
        .args(args)
        .env("HOME", home.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(env.iter().copied())
        .output()
        .expect("ch05 runs")
}

/// `ch05 ARGS` without AWS settings, which must succeed: its stdout.
fn succeeds(args: &[&str]) -> String {
    let out = ch05_without_aws(args, &[]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    stdout
}

/// `ch05 ARGS` with `env`, which must be a usage error (exit 2): its stderr.
fn exits_2(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = ch05_without_aws(args, env);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{env:?}: {stderr}");
    stderr
}

#[test]
fn no_region_or_no_credentials_exits_2_saying_what_to_set() {
    let cases: [&[(&str, &str)]; 2] = [&[], &[("AWS_REGION", "eu-west-1")]];
    for env in cases {
        let stderr = exits_2(&["website", "--aws", "env"], env);
        assert!(stderr.contains("AWS_ACCESS_KEY_ID"), "{env:?}: {stderr}");
        assert!(stderr.contains("--aws local"), "{env:?}: {stderr}");
    }
}

#[cfg(feature = "ec2")]
#[test]
fn a_dry_run_needs_no_endpoint_and_prints_the_calls() {
    let stdout = succeeds(&["tour", "--dry-run"]);
    assert!(stdout.contains("would s3:CreateBucket"), "{stdout}");
    assert!(stdout.contains("would ec2:RunInstances"), "{stdout}");
    assert!(!stdout.contains("endpoint"), "{stdout}");
}

#[cfg(feature = "ec2")]
#[test]
fn the_tour_runs_against_a_local_endpoint_and_leaves_nothing() {
    let stdout = succeeds(&["tour"]);
    assert!(stdout.contains("Hello from a bucket"), "{stdout}");
    assert!(stdout.contains("s3:DeleteBucket"), "{stdout}");
}

#[test]
fn the_comparison_writes_a_verified_record_of_the_four_variants() {
    let dir = tempfile::tempdir().expect("a directory");
    let json = dir.path().join("ch05-cloud.json");
    let svg = dir.path().join("ch05-cloud.svg");
    let (json_s, svg_s) =
        (json.to_str().expect("utf-8"), svg.to_str().expect("utf-8"));
    let args = ["cloud", "--size", "20", "--reps", "1", "--quiet"];
    let out = ch05_without_aws(
        &[&args[..], &["--json", json_s, "--svg", svg_s]].concat(),
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let record = workbench::Record::load_json(&json).expect("a record");
    let variants: Vec<&str> =
        record.runs.iter().map(|r| r.variant.as_str()).collect();
    assert_eq!(variants, ["seq", "threads", "async", "dist"]);
    assert!(record.runs.iter().all(|r| r.verified));
    assert!(
        record.runs.iter().all(|r| r.extra.contains_key("round1_s")),
        "every round is kept: {:?}",
        record.runs
    );
    assert!(svg.is_file());
}

#[test]
fn an_unknown_variant_exits_2_naming_the_known_ones() {
    let stderr = exits_2(&["cloud", "--variants", "seq,lambda"], &[]);
    assert!(stderr.contains("seq, threads, async, dist"), "{stderr}");
}

#[cfg(not(feature = "ec2"))]
#[test]
fn without_the_ec2_feature_the_tour_says_how_to_get_it() {
    let stderr = exits_2(&["tour", "--dry-run"], &[]);
    assert!(stderr.contains("--features ec2"), "{stderr}");
}

#[test]
fn the_iam_step_is_denied_outside_its_policy_and_removes_what_it_made() {
    let stdout = succeeds(&["iam"]);
    assert!(stdout.contains("fib(20) = 6765"), "{stdout}");
    assert!(stdout.contains("denied:"), "{stdout}");
    assert!(stdout.contains("(AccessDenied)"), "{stdout}");
    for removed in ["iam:DeleteAccessKey", "iam:DeleteUser", "iam:DeletePolicy"] {
        assert!(stdout.contains(removed), "{removed} missing: {stdout}");
    }
    assert!(!stdout.contains("SecretAccessKey"), "{stdout}");
}

#[test]
fn the_iam_step_under_dry_run_needs_no_endpoint() {
    let stdout = succeeds(&["iam", "--dry-run"]);
    assert!(stdout.contains("would iam:CreateUser"), "{stdout}");
    assert!(stdout.contains("would iam:AttachUserPolicy"), "{stdout}");
}
