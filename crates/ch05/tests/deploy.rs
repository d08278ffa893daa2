//! Chapter 5 · The deployment files, checked offline against the code
//! (no docker or kubectl here): the same variable names, values the
//! worker accepts, the health port and probe paths, grace periods longer
//! than the worker's own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ch05::WorkerConfig;
use ch05::exercises::load_all;
use ch05::health::{LIVE_PATH, READY_PATH};
use serde::Deserialize;
use yaml_serde::Value;

fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(file)
}

fn read(file: &str) -> String {
    std::fs::read_to_string(deploy(file)).expect("the deployment file exists")
}

/// Every document of a (multi-document) YAML file.
fn yaml(file: &str) -> Vec<Value> {
    yaml_serde::Deserializer::from_str(&read(file))
        .map(|doc| Value::deserialize(doc).expect("valid YAML"))
        .collect()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("expected a scalar, found {other:?}"),
    }
}

/// The environment a file gives the worker: every name must be one the
/// worker reads, and together the values must pass its checks.
fn check_env(env: &HashMap<String, String>) -> WorkerConfig {
    let known = WorkerConfig::env_names();
    for name in env.keys() {
        assert!(known.contains(name), "{name} is not read by the worker");
    }
    load_all(env).unwrap_or_else(|errors| panic!("bad values: {errors:?}"))
}

#[test]
fn the_containerfile_builds_locked_in_two_stages_and_agrees_with_the_code() {
    let file = read("Containerfile");
    let lines: Vec<&str> = file.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(lines.iter().filter(|l| l.starts_with("FROM ")).count() >= 2);
    let build = file.split("RUN ").nth(1).expect("a RUN step");
    for needed in ["cargo build", "--release", "--locked", "--bin ch05-worker"] {
        assert!(build.contains(needed), "the build step lacks {needed}");
    }
    assert!(file.contains(r#"ENTRYPOINT ["/usr/local/bin/ch05-worker"]"#));
    assert!(file.contains("STOPSIGNAL SIGTERM"));
    let env = HashMap::from([
        ("CH05_HEALTH_ADDR".to_owned(), "0.0.0.0:8080".to_owned()),
        ("CH05_GRACE_SECONDS".to_owned(), "20".to_owned()),
    ]);
    for (name, value) in &env {
        assert!(file.contains(&format!("{name}={value}")), "{name}");
    }
    let config = check_env(&env);
    let port = config.health_addr.port();
    assert!(file.contains(&format!("EXPOSE {port}")), "EXPOSE {port}");
    let ignore = read("Containerfile.dockerignore");
    assert!(ignore.lines().any(|l| l == "target"), "target/ stays out");
}

#[test]
fn compose_runs_redis_and_healthy_workers_with_a_long_enough_grace() {
    let doc = &yaml("compose.yaml")[0];
    let services = &doc["services"];
    assert!(services["redis"]["healthcheck"].is_mapping());
    let worker = &services["worker"];
    let env: HashMap<String, String> = worker["environment"]
        .as_mapping()
        .expect("an environment map")
        .iter()
        .map(|(k, v)| (text(k), text(v)))
        .collect();
    let config = check_env(&env);
    assert!(
        config.redis_url.starts_with("redis://redis:"),
        "the redis service"
    );
    let test: Vec<String> = worker["healthcheck"]["test"]
        .as_sequence()
        .expect("a health check")
        .iter()
        .map(text)
        .collect();
    assert_eq!(test[1..], ["/usr/local/bin/ch05-worker", "probe", "ready"]);
    assert_eq!(
        worker["depends_on"]["redis"]["condition"],
        "service_healthy"
    );
    assert_eq!(worker["stop_signal"], "SIGTERM");
    let grace = humantime::parse_duration(&text(&worker["stop_grace_period"]))
        .expect("a duration");
    assert!(
        grace >= config.grace_seconds + Duration::from_secs(5),
        "{grace:?}"
    );
    assert!(worker["deploy"]["replicas"].as_u64().expect("replicas") >= 2);
    assert_eq!(
        worker["build"]["dockerfile"],
        "crates/ch05/deploy/Containerfile"
    );
    let context = deploy("").join(text(&worker["build"]["context"]));
    assert!(
        context.join("Cargo.lock").is_file(),
        "builds from the workspace"
    );
}

#[test]
fn kubernetes_probes_ports_and_grace_agree_with_the_worker() {
    let redis = yaml("k8s/redis.yaml");
    let service = redis
        .iter()
        .find(|d| d["kind"] == "Service")
        .expect("a Service");
    let redis_deploy = redis
        .iter()
        .find(|d| d["kind"] == "Deployment")
        .expect("redis");
    let labels = &redis_deploy["spec"]["template"]["metadata"]["labels"];
    assert_eq!(
        &service["spec"]["selector"], labels,
        "the Service finds redis"
    );
    let service_port = service["spec"]["ports"][0]["port"]
        .as_u64()
        .expect("a port");

    let worker = &yaml("k8s/worker.yaml")[0];
    let spec = &worker["spec"];
    assert_eq!(
        spec["selector"]["matchLabels"],
        spec["template"]["metadata"]["labels"]
    );
    let pod = &spec["template"]["spec"];
    let container = &pod["containers"][0];
    let mut env = HashMap::new();
    for var in container["env"].as_sequence().expect("env") {
        let name = text(&var["name"]);
        match var.get("value") {
            Some(value) => env.insert(name, text(value)),
            None => env.insert(name, "pod-name".to_owned()), // fieldRef
        };
    }
    let config = check_env(&env);
    let name = text(&service["metadata"]["name"]);
    assert!(
        config
            .redis_url
            .starts_with(&format!("redis://{name}:{service_port}/")),
        "{} reaches the Service",
        config.redis_url
    );
    let port = &container["ports"][0];
    assert_eq!(
        port["containerPort"].as_u64(),
        Some(config.health_addr.port().into())
    );
    for (probe, path) in
        [("livenessProbe", LIVE_PATH), ("readinessProbe", READY_PATH)]
    {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["path"], path, "{probe}");
        assert_eq!(get["port"], port["name"], "{probe} asks the health port");
    }
    let grace = pod["terminationGracePeriodSeconds"].as_u64().expect("set");
    assert!(
        Duration::from_secs(grace) >= config.grace_seconds + Duration::from_secs(5),
        "SIGKILL must come after the worker's own grace"
    );
    let default_grace = WorkerConfig::new("redis://x").grace_seconds;
    assert!(Duration::from_secs(grace) > default_grace);
}
