//! Chapter 5 · Packaging: the Compose file checked offline — every service
//! read-only, without capabilities or new privileges, Redis's data on a
//! named volume, the password only in an ignored `.env` file.

#[path = "support/manifests.rs"]
mod manifests;

use manifests::{read, seq, text, yaml};
use yaml_serde::Value;

fn services() -> Vec<(String, Value)> {
    let doc = &yaml("compose.yaml")[0];
    doc["services"]
        .as_mapping()
        .expect("services")
        .iter()
        .map(|(name, service)| (text(name), service.clone()))
        .collect()
}

#[test]
fn every_service_is_read_only_without_capabilities_or_new_privileges() {
    for (name, service) in services() {
        assert_eq!(service["read_only"], true, "{name}: read_only");
        let drop: Vec<String> = seq(&service["cap_drop"]).iter().map(text).collect();
        assert_eq!(drop, ["ALL"], "{name}: cap_drop");
        let options: Vec<String> =
            seq(&service["security_opt"]).iter().map(text).collect();
        assert!(
            options.contains(&"no-new-privileges:true".to_owned()),
            "{name}: no-new-privileges"
        );
        let limits = &service["deploy"]["resources"]["limits"];
        assert!(limits.get("memory").is_some(), "{name}: a memory limit");
    }
}

#[test]
fn redis_keeps_its_data_on_a_named_volume() {
    let doc = &yaml("compose.yaml")[0];
    let redis = &doc["services"]["redis"];
    let command = seq(&redis["command"])
        .iter()
        .map(text)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(command.contains("--appendonly yes"), "{command}");
    let data = seq(&redis["volumes"])
        .iter()
        .map(text)
        .find(|v| v.ends_with(":/data"))
        .expect("a volume at /data, Redis's dir in the image");
    let volume = data.trim_end_matches(":/data");
    assert!(
        doc["volumes"].get(volume).is_some(),
        "{volume} is a named volume, kept by `down`"
    );
}

#[test]
fn the_password_comes_from_an_ignored_env_file_and_is_written_nowhere() {
    let file = read("compose.yaml");
    // Every use is Compose's `${REDIS_PASSWORD:?…}`: no value, no start.
    for (name, service) in services() {
        let env = service["environment"]
            .as_mapping()
            .cloned()
            .unwrap_or_default();
        for (key, value) in env {
            let (key, value) = (text(&key), text(&value));
            if key.contains("PASSWORD") || key.ends_with("_AUTH") {
                assert!(value.starts_with("${REDIS_PASSWORD:?"), "{name}: {key}");
            }
            if let Some(at) = value.find('@') {
                let userinfo = &value[value.find("://").map_or(0, |i| i + 3)..at];
                let password = userinfo.split_once(':').map_or("", |(_, p)| p);
                assert!(password.starts_with("${"), "{name}: {key} has a password");
            }
        }
        let argv: String = seq(&service["command"]).iter().map(text).collect();
        assert!(
            !argv.contains("--requirepass"),
            "{name}: a password in argv"
        );
    }
    assert!(
        file.contains("openssl rand"),
        "the file says how to make one"
    );
    let example = read(".env.example");
    assert!(
        example.contains("REDIS_PASSWORD=CHANGE-ME"),
        "a placeholder"
    );
    let ignored = read(".gitignore");
    assert!(
        ignored.lines().any(|l| l == ".env"),
        ".env is never committed"
    );
    let context = read("Containerfile.dockerignore");
    assert!(
        context.lines().any(|l| l == "**/.env"),
        "nor sent to a build"
    );
}
