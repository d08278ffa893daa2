//! Chapter 5 · Packaging: reading the deployment files in tests — every
//! YAML document of every manifest, the pods they run, the environment a
//! container gets from its Deployment, ConfigMaps and Secrets.
#![allow(dead_code)] // each test file uses a part

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use yaml_serde::Value;

pub fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(file)
}

pub fn read(file: &str) -> String {
    std::fs::read_to_string(deploy(file)).expect("the deployment file exists")
}

/// Every document of a (multi-document) YAML file.
pub fn yaml(file: &str) -> Vec<Value> {
    yaml_serde::Deserializer::from_str(&read(file))
        .map(|doc| Value::deserialize(doc).expect("valid YAML"))
        .collect()
}

/// Every `.yaml` file under `deploy/k8s`, templates included, by path.
pub fn k8s_files() -> Vec<String> {
    let mut files = Vec::new();
    let mut dirs = vec![deploy("k8s")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("k8s/ is a directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let rel = path.strip_prefix(deploy("")).expect("under deploy/");
                files.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    files.sort();
    files
}

/// Every Kubernetes document, with the file it came from.
pub fn k8s_docs() -> Vec<(String, Value)> {
    k8s_files()
        .into_iter()
        .flat_map(|f| yaml(&f).into_iter().map(move |d| (f.clone(), d)))
        .collect()
}

pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("expected a scalar, found {other:?}"),
    }
}

pub fn seq(value: &Value) -> &[Value] {
    value.as_sequence().map_or(&[], Vec::as_slice)
}

/// The first document that `matches`; `what` names it if there is none.
pub fn first<'a>(
    docs: &'a [(String, Value)],
    what: &str,
    matches: impl Fn(&Value) -> bool,
) -> &'a Value {
    let mut all = docs.iter().map(|(_, d)| d);
    all.find(|d| matches(d))
        .unwrap_or_else(|| panic!("no {what}"))
}

/// The volume of `pod` that `container` mounts at `path`.
pub fn volume_at<'a>(pod: &'a Value, container: &Value, path: &str) -> &'a Value {
    let mount = seq(&container["volumeMounts"])
        .iter()
        .find(|m| m["mountPath"] == path)
        .unwrap_or_else(|| panic!("no volume mounted at {path}"));
    seq(&pod["volumes"])
        .iter()
        .find(|v| v["name"] == mount["name"])
        .unwrap_or_else(|| panic!("no volume for the mount at {path}"))
}

/// The one document of `kind` named `name`.
pub fn find<'a>(docs: &'a [(String, Value)], kind: &str, name: &str) -> &'a Value {
    let found: Vec<&Value> = docs
        .iter()
        .map(|(_, d)| d)
        .filter(|d| d["kind"] == kind && d["metadata"]["name"] == name)
        .collect();
    assert_eq!(found.len(), 1, "one {kind} named {name}");
    found[0]
}

/// The pod template of a Deployment, StatefulSet or Job.
pub fn pod_spec(doc: &Value) -> Option<&Value> {
    let kind = doc["kind"].as_str()?;
    ["Deployment", "StatefulSet", "Job"]
        .contains(&kind)
        .then(|| &doc["spec"]["template"]["spec"])
}

/// The environment `container` gets: `envFrom` ConfigMaps' data, then its
/// `env` list; a Secret's value is `secret:NAME/KEY`, a field reference
/// `field:PATH`; `$(VAR)` in a value is left as written.
pub fn container_env(
    docs: &[(String, Value)],
    container: &Value,
) -> HashMap<String, String> {
    let mut env = HashMap::new();
    for from in seq(&container["envFrom"]) {
        let name = text(&from["configMapRef"]["name"]);
        let map = find(docs, "ConfigMap", &name);
        for (key, value) in map["data"].as_mapping().expect("data") {
            env.insert(text(key), text(value));
        }
    }
    for var in seq(&container["env"]) {
        let name = text(&var["name"]);
        let value = if let Some(value) = var.get("value") {
            text(value)
        } else if let Some(secret) = var["valueFrom"].get("secretKeyRef") {
            format!("secret:{}/{}", text(&secret["name"]), text(&secret["key"]))
        } else {
            format!("field:{}", text(&var["valueFrom"]["fieldRef"]["fieldPath"]))
        };
        env.insert(name, value);
    }
    env
}

/// Replace each `$(NAME)` in `value` by `with(NAME)`, as the kubelet does
/// with variables defined earlier in the container's environment.
pub fn expand(value: &str, with: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(')').expect("a closing )") + start;
        out.push_str(&with(&rest[start + 2..end]));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}
