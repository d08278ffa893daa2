//! Chapter 5 · The deployment files, checked offline against the code
//! (no docker or kubectl here): the same variable names, values the
//! worker accepts, the health port and probe paths, grace periods longer
//! than the worker's own.

#[path = "support/manifests.rs"]
mod manifests;

use std::collections::HashMap;
use std::time::Duration;

use ch05::WorkerConfig;
use ch05::exercises::load_all;
use ch05::health::{LIVE_PATH, READY_PATH};
use manifests::{container_env, deploy, expand, find, k8s_docs, read, text, yaml};

/// A stand-in for a password a file takes from a Secret or the environment.
const SAMPLE_PASSWORD: &str = "0123abcd";

/// The environment a file gives the worker: every name must be one the
/// worker reads, and together the values must pass its checks.
fn check_env(env: &HashMap<String, String>) -> WorkerConfig {
    let known = WorkerConfig::env_names();
    for name in env.keys() {
        assert!(known.contains(name), "{name} is not read by the worker");
    }
    load_all(env).unwrap_or_else(|errors| panic!("bad values: {errors:?}"))
}

/// Compose's `${REDIS_PASSWORD:?message}` as Compose fills it in from `.env`.
fn compose_expand(value: &str) -> String {
    let mut out = value.to_owned();
    while let Some(start) = out.find("${") {
        let end = out[start..].find('}').expect("a closing }") + start;
        let name = out[start + 2..end].split(':').next().unwrap_or_default();
        assert_eq!(name, "REDIS_PASSWORD", "only the password is interpolated");
        out.replace_range(start..=end, SAMPLE_PASSWORD);
    }
    out
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
        .map(|(k, v)| (text(k), compose_expand(&text(v))))
        .collect();
    let config = check_env(&env);
    let url = format!("redis://:{SAMPLE_PASSWORD}@redis:");
    assert!(config.redis_url.starts_with(&url), "the redis service");
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
    let docs = k8s_docs();
    let service = find(&docs, "Service", "redis");
    let redis = find(&docs, "StatefulSet", "redis");
    let labels = &redis["spec"]["template"]["metadata"]["labels"];
    assert_eq!(
        &service["spec"]["selector"], labels,
        "the Service finds redis"
    );
    let service_port = service["spec"]["ports"][0]["port"]
        .as_u64()
        .expect("a port");

    let worker = find(&docs, "Deployment", "ch05-worker");
    let spec = &worker["spec"];
    assert_eq!(
        spec["selector"]["matchLabels"],
        spec["template"]["metadata"]["labels"]
    );
    let pod = &spec["template"]["spec"];
    let container = &pod["containers"][0];
    // What the worker sees: the Secret's value in place of `$(REDIS_PASSWORD)`;
    // REDIS_PASSWORD itself is only there to be expanded.
    let raw = container_env(&docs, container);
    let mut env: HashMap<String, String> = raw
        .iter()
        .filter(|(name, _)| name.as_str() != "REDIS_PASSWORD")
        .map(|(name, value)| {
            let value = expand(value, |var| {
                assert!(raw[var].starts_with("secret:"), "{var}");
                SAMPLE_PASSWORD.to_owned()
            });
            (name.clone(), value)
        })
        .collect();
    if env["CH05_WORKER_ID"].starts_with("field:") {
        env.insert("CH05_WORKER_ID".into(), "pod-name".into());
    }
    let config = check_env(&env);
    let name = text(&service["metadata"]["name"]);
    let url = format!("redis://:{SAMPLE_PASSWORD}@{name}:{service_port}/");
    assert!(
        config.redis_url.starts_with(&url),
        "{} reaches the Service",
        workbench::redact::url(&config.redis_url)
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
