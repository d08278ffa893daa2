//! Chapter 7 · Software environments and permissions: what a program writes
//! down about where it runs, before it does anything else.
//!
//! Two runs that behave differently are easier to explain when each one
//! logged its version, compiler, host, user and the environment variables
//! that steer it.

use serde::Serialize;

/// Variables that change how this workbook's programs (or their engines)
/// behave; anything starting with one of these prefixes is recorded.
pub const RELEVANT_PREFIXES: [&str; 8] = [
    "RUST_", "CARGO_", "SLURM_", "OMPI_", "REDIS_", "AMQP_", "CELERY_", "CH07_",
];

/// Single variables worth recording.
pub const RELEVANT_NAMES: [&str; 6] =
    ["PATH", "HOME", "USER", "LANG", "TZ", "HOSTNAME"];

// ANCHOR: environment
// ANCHOR: environment_struct
/// Everything a later reader of the logs needs to know about this process.
#[derive(Debug, Clone, Serialize)]
pub struct Environment {
    pub program: String,
    pub version: &'static str,
    pub rustc: String,
    pub build: String,
    pub os: String,
    pub cpus: usize,
    pub cpu_model: String,
    pub host: String,
    pub pid: u32,
    /// Real user and group ids, from `/proc/self/status` (permissions).
    pub uid: String,
    pub gid: String,
    pub cwd: String,
    pub vars: Vec<(String, String)>,
}
// ANCHOR_END: environment_struct

impl Environment {
    pub fn capture() -> Self {
        let machine = workbench::Machine::describe();
        let status =
            std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        Environment {
            program: std::env::args().next().unwrap_or_default(),
            version: env!("CARGO_PKG_VERSION"),
            rustc: machine.rustc,
            build: machine.profile,
            os: machine.os,
            cpus: machine.cpus,
            cpu_model: machine.cpu_model,
            host: host_name(),
            pid: std::process::id(),
            uid: first_id(&status, "Uid:"),
            gid: first_id(&status, "Gid:"),
            cwd: std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
            vars: relevant_vars(std::env::vars()),
        }
    }
}
// ANCHOR_END: environment

impl Environment {
    /// One JSON object, for a log line.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A readable report, one item per line.
    pub fn report(&self) -> String {
        let items = [
            ("program", format!("{} {}", self.program, self.version)),
            ("rustc", format!("{} ({} build)", self.rustc, self.build)),
            ("os", self.os.clone()),
            ("cpus", format!("{} {}", self.cpus, self.cpu_model)),
            ("host", self.host.clone()),
            ("pid", self.pid.to_string()),
            ("uid/gid", format!("{}/{}", self.uid, self.gid)),
            ("cwd", self.cwd.clone()),
        ];
        let vars = self.vars.iter().map(|(k, v)| ("env", format!("{k}={v}")));
        items
            .into_iter()
            .chain(vars)
            .map(|(label, value)| format!("{label:<8} {value}\n"))
            .collect()
    }
}

/// Keep the variables that steer the program, sorted by name, without
/// secrets: tokens, passwords and keys dropped, passwords in URLs masked
/// (`workbench::redact::env`). `CARGO_REGISTRY_TOKEN` is a `CARGO_` one.
pub fn relevant_vars(
    vars: impl Iterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    let relevant = vars.filter(|(name, _)| {
        RELEVANT_NAMES.contains(&name.as_str())
            || RELEVANT_PREFIXES.iter().any(|p| name.starts_with(p))
    });
    let mut kept = workbench::redact::env(relevant);
    kept.sort();
    kept
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into())
}

fn first_id(status: &str, key: &str) -> String {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("?")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_relevant_variables_are_kept() {
        let vars = [
            ("RUST_LOG", "debug"),
            ("SECRET_TOKEN", "x"),
            ("PATH", "/bin"),
            ("SLURM_JOB_ID", "7"),
            ("CARGO_REGISTRY_TOKEN", "cio_x"),
            ("REDIS_URL", "redis://app:s3cret@db:6379/0"),
        ]
        .map(|(n, v)| (n.to_owned(), v.to_owned()));
        let kept = relevant_vars(vars.into_iter());
        let names: Vec<_> = kept.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["PATH", "REDIS_URL", "RUST_LOG", "SLURM_JOB_ID"]);
        assert_eq!(kept[1].1, "redis://app:***@db:6379/0");
    }

    #[test]
    fn the_capture_names_this_process() {
        let env = Environment::capture();
        assert_eq!(env.pid, std::process::id());
        assert!(env.cpus >= 1 && env.rustc.starts_with("rustc"), "{env:?}");
        assert!(env.uid.parse::<u32>().is_ok(), "{}", env.uid);
        assert!(env.to_json().contains("\"vars\""));
    }
}
