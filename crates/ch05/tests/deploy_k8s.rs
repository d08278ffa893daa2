//! Chapter 5 · Packaging: the Kubernetes files checked offline for what a
//! reviewer would ask — Redis's data on a volume claim, limits on every
//! container, locked-down pods, the password only in a Secret, a Job.

#[path = "support/manifests.rs"]
mod manifests;

use manifests::{
    container_env, find, first, k8s_docs, pod_spec, read, seq, text, volume_at,
};
use yaml_serde::Value;

const WORKER_IMAGE: &str = "localhost/ch05-worker";

/// Every pod template (Deployment, StatefulSet, Job) with its file.
fn pods(docs: &[(String, Value)]) -> Vec<(String, &Value)> {
    docs.iter()
        .filter_map(|(file, d)| {
            let name = text(&d["metadata"]["name"]);
            pod_spec(d).map(|pod| (format!("{file}: {name}"), pod))
        })
        .collect()
}

fn runs_image(pod: &Value, image: &str) -> bool {
    seq(&pod["containers"])
        .iter()
        .any(|c| text(&c["image"]).starts_with(image))
}

/// Redis's settings: its config file (from a ConfigMap) and its arguments.
fn redis_setting(docs: &[(String, Value)], container: &Value, key: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for (_, doc) in docs.iter().filter(|(_, d)| d["kind"] == "ConfigMap") {
        if let Some(conf) = doc["data"].get("redis.conf") {
            lines.extend(text(conf).lines().map(str::to_owned));
        }
    }
    let args: Vec<String> = seq(&container["args"]).iter().map(text).collect();
    for pair in args.windows(2) {
        if pair[0] == format!("--{key}") {
            lines.push(format!("{key} {}", pair[1]));
        }
    }
    let prefix = format!("{key} ");
    let found = lines.iter().rev().find_map(|l| l.strip_prefix(&prefix));
    // The official image's working directory is Redis's default `dir`.
    found.map_or_else(
        || {
            if key == "dir" {
                "/data".into()
            } else {
                String::new()
            }
        },
        |v| v.trim().to_owned(),
    )
}

#[test]
fn redis_keeps_its_append_only_file_on_a_volume_claim() {
    let docs = k8s_docs();
    let redis = first(&docs, "Redis workload", |d| {
        pod_spec(d).is_some_and(|p| runs_image(p, "docker.io/library/redis"))
    });
    let container = &pod_spec(redis).expect("a pod")["containers"][0];
    assert_eq!(redis_setting(&docs, container, "appendonly"), "yes");
    let dir = redis_setting(&docs, container, "dir");
    let mount = seq(&container["volumeMounts"])
        .iter()
        .find(|m| text(&m["mountPath"]) == dir)
        .unwrap_or_else(|| panic!("no volume mounted at Redis's dir {dir}"));
    let volume = text(&mount["name"]);
    let claims: Vec<String> = seq(&redis["spec"]["volumeClaimTemplates"])
        .iter()
        .map(|c| text(&c["metadata"]["name"]))
        .collect();
    let pod = pod_spec(redis).expect("a pod");
    let from_pvc = seq(&pod["volumes"]).iter().any(|v| {
        text(&v["name"]) == volume && v.get("persistentVolumeClaim").is_some()
    });
    assert!(
        claims.contains(&volume) || from_pvc,
        "{dir} is volume {volume}, not a PersistentVolumeClaim"
    );
}

#[test]
fn every_container_has_requests_and_limits() {
    let docs = k8s_docs();
    for (name, pod) in pods(&docs) {
        for container in seq(&pod["containers"]) {
            for bound in ["requests", "limits"] {
                for resource in ["cpu", "memory"] {
                    assert!(
                        container["resources"][bound].get(resource).is_some(),
                        "{name}: no {bound}.{resource}"
                    );
                }
            }
        }
    }
}

/// The securityContext fields every pod of the chapter must set.
fn assert_locked_down(name: &str, pod: &Value) {
    let ctx = &pod["securityContext"];
    assert_eq!(ctx["runAsNonRoot"], true, "{name}: runAsNonRoot");
    assert!(
        ctx["runAsUser"].as_u64().is_some_and(|u| u > 0),
        "{name}: a uid"
    );
    for container in seq(&pod["containers"]) {
        let sc = &container["securityContext"];
        assert_eq!(sc["allowPrivilegeEscalation"], false, "{name}");
        assert_eq!(sc["readOnlyRootFilesystem"], true, "{name}");
        let drop: Vec<String> =
            seq(&sc["capabilities"]["drop"]).iter().map(text).collect();
        assert_eq!(drop, ["ALL"], "{name}: capabilities.drop");
    }
}

#[test]
fn worker_pods_run_unprivileged_read_only_and_without_a_token() {
    let docs = k8s_docs();
    let workers: Vec<_> = pods(&docs)
        .into_iter()
        .filter(|(_, pod)| runs_image(pod, WORKER_IMAGE))
        .collect();
    assert!(workers.len() >= 2, "the worker Deployment and the Job");
    for (name, pod) in workers {
        assert_eq!(pod["automountServiceAccountToken"], false, "{name}");
        assert_locked_down(&name, pod);
    }
}

#[test]
fn redis_runs_as_its_own_user_with_a_read_only_root_and_a_tmp() {
    let docs = k8s_docs();
    let (name, pod) = pods(&docs)
        .into_iter()
        .find(|(_, pod)| runs_image(pod, "docker.io/library/redis"))
        .expect("a Redis pod");
    assert_locked_down(&name, pod);
    assert!(
        pod["securityContext"]["fsGroup"].as_u64().is_some(),
        "fsGroup"
    );
    let container = &pod["containers"][0];
    let volume = volume_at(pod, container, "/tmp");
    assert!(volume.get("emptyDir").is_some(), "/tmp is an emptyDir");
}

/// A password written into a URL: `scheme://user:PASSWORD@host`.
fn url_password(value: &str) -> Option<&str> {
    let rest = &value[value.find("://")? + 3..];
    let userinfo = &rest[..rest.find('@')?];
    userinfo.split_once(':').map(|(_, p)| p)
}

#[test]
fn the_broker_password_comes_from_a_secret_and_is_written_nowhere() {
    let docs = k8s_docs();
    let secrets: Vec<&(String, Value)> =
        docs.iter().filter(|(_, d)| d["kind"] == "Secret").collect();
    assert_eq!(secrets.len(), 1, "one Secret template");
    let (file, secret) = secrets[0];
    assert!(
        file.trim_start_matches("k8s/").contains('/'),
        "{file}: the template sits outside the directory `kubectl apply -f` takes"
    );
    assert!(
        read(file).contains("kubectl create secret"),
        "{file} says how"
    );
    let data = secret["stringData"].as_mapping().expect("stringData");
    for (key, value) in data {
        assert!(
            text(value).starts_with("CHANGE-ME"),
            "{file}: {key:?} is a placeholder"
        );
    }
    let secret_name = text(&secret["metadata"]["name"]);
    for (name, pod) in pods(&docs) {
        for container in seq(&pod["containers"]) {
            let env = container_env(&docs, container);
            for (var, value) in &env {
                if var.contains("PASSWORD") || var.ends_with("_AUTH") {
                    assert!(
                        value.starts_with(&format!("secret:{secret_name}/")),
                        "{name}: {var} = {value}, not from the Secret"
                    );
                }
                if let Some(password) = url_password(value) {
                    assert!(
                        password.starts_with("$("),
                        "{name}: {var} has a password"
                    );
                }
            }
            let argv: Vec<String> = seq(&container["command"])
                .iter()
                .chain(seq(&container["args"]))
                .map(text)
                .collect();
            assert!(
                !argv.iter().any(|a| a.contains("--requirepass")),
                "{name}: a password in argv, recorded by the runtime"
            );
        }
    }
    let worker = find(&docs, "Deployment", "ch05-worker");
    let env =
        container_env(&docs, &worker["spec"]["template"]["spec"]["containers"][0]);
    assert!(env["REDIS_URL"].contains("$(REDIS_PASSWORD)"), "{env:?}");
    for (_, doc) in docs.iter().filter(|(_, d)| d["kind"] == "ConfigMap") {
        for (key, value) in doc["data"].as_mapping().expect("data") {
            let value = text(value);
            assert!(url_password(&value).is_none(), "ConfigMap {key:?}");
            assert!(!value.contains("requirepass"), "ConfigMap {key:?}");
        }
    }
}

#[test]
fn worker_settings_come_from_a_config_map() {
    let docs = k8s_docs();
    for (name, pod) in pods(&docs)
        .into_iter()
        .filter(|(_, p)| runs_image(p, WORKER_IMAGE))
    {
        let container = &pod["containers"][0];
        let maps: Vec<String> = seq(&container["envFrom"])
            .iter()
            .map(|f| text(&f["configMapRef"]["name"]))
            .collect();
        assert!(!maps.is_empty(), "{name}: envFrom a ConfigMap");
        for map in maps {
            find(&docs, "ConfigMap", &map); // exists
        }
        let env = container_env(&docs, container);
        assert!(env.contains_key("CH05_QUEUE"), "{name}: the queue");
    }
}

#[test]
fn a_job_runs_a_batch_with_a_restart_policy_and_a_backoff_limit() {
    let docs = k8s_docs();
    let job = first(&docs, "Job", |d| d["kind"] == "Job");
    let spec = &job["spec"];
    assert!(spec["backoffLimit"].as_u64().is_some(), "backoffLimit");
    assert!(
        spec["activeDeadlineSeconds"].as_u64().is_some(),
        "a deadline"
    );
    let policy = text(&spec["template"]["spec"]["restartPolicy"]);
    assert!(
        ["Never", "OnFailure"].contains(&policy.as_str()),
        "{policy}"
    );
    let container = &spec["template"]["spec"]["containers"][0];
    let argv: Vec<String> = seq(&container["command"])
        .iter()
        .chain(seq(&container["args"]))
        .map(text)
        .collect();
    assert_eq!(argv[0], "/usr/local/bin/ch05", "{argv:?}");
    // Every flag the Job passes is one the program documents.
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_ch05"))
        .args([&argv[1], "--help"])
        .output()
        .expect("ch05 runs");
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in argv.iter().filter(|a| a.starts_with("--")) {
        assert!(
            help.contains(flag.as_str()),
            "ch05 {} has no {flag}",
            argv[1]
        );
    }
}
