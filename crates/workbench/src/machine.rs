//! The machine a record was measured on, noted with every figure.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Machine {
    /// Logical CPUs this process may use.
    pub cpus: usize,
    /// Processor model from `/proc/cpuinfo`, when readable.
    #[serde(default)]
    pub cpu_model: String,
    pub os: String,
    /// `rustc --version` of the compiler that built the measuring code.
    pub rustc: String,
    /// `release` or `debug`: debug builds are several times slower.
    #[serde(default)]
    pub profile: String,
    /// When the measurement finished, RFC 3339.
    pub when: String,
}

impl Machine {
    pub fn describe() -> Self {
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model: cpu_model().unwrap_or_default(),
            os: os_name(),
            rustc: env!("WORKBENCH_RUSTC_VERSION").to_owned(),
            profile: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            }
            .into(),
            when: humantime::format_rfc3339_seconds(std::time::SystemTime::now())
                .to_string(),
        }
    }

    /// One line for the foot of a table or a figure.
    pub fn summary(&self) -> String {
        format!("{}, {}", self.without_time(), self.when)
    }

    /// [`Machine::summary`] without the time of measurement: what the
    /// records of one machine share.
    pub fn without_time(&self) -> String {
        let model = if self.cpu_model.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.cpu_model)
        };
        format!(
            "{} CPUs{model}, {}, {}, {} build",
            self.cpus, self.os, self.rustc, self.profile
        )
    }
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_owned())
}

fn os_name() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_owned())
        });
    let arch = std::env::consts::ARCH;
    match pretty {
        Some(name) => format!("{name} {arch}"),
        None => format!("{} {arch}", std::env::consts::OS),
    }
}
