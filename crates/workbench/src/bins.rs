//! Finding programs: the workspace's own binaries and installed engines.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).unwrap_or(here).to_path_buf()
}

/// The book's records and figures: `chapters/figures/` in the workspace.
pub fn book_figures_dir() -> PathBuf {
    workspace_root().join("chapters/figures")
}

/// Cargo's target directory: `CARGO_TARGET_DIR`, else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

/// `<target>/NAME`, created if missing: a run's working files (state
/// files, logs) that outlive the run but are not results.
pub fn target_subdir(name: &str) -> Result<PathBuf> {
    let dir = target_dir().join(name);
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

/// Build `bin` of `package` in release mode (a no-op when up to date) and
/// return its path.
///
/// Examples that start worker processes need this inside a notebook, where
/// the running executable is the kernel's, not the chapter's binary.
pub fn cargo_bin(package: &str, bin: &str) -> Result<PathBuf> {
    cargo_bin_with_features(package, bin, &[])
}

/// [`cargo_bin`] for a binary that needs cargo features of its package
/// (e.g. an MPI program behind `--features mpi`).
pub fn cargo_bin_with_features(
    package: &str,
    bin: &str,
    features: &[&str],
) -> Result<PathBuf> {
    // `--workspace`, not `--package`: features are then resolved for the
    // whole workspace, as `cargo xtask notebooks` and `figures` build every
    // binary, so the dependencies compiled there serve here too instead of
    // being compiled again with another feature set. Binary names are unique
    // in the workspace; only `bin` and what it depends on is built.
    Build {
        scope: Scope::Workspace,
        package,
        bin,
        features,
    }
    .run()
}

/// Whose features cargo resolves when it builds a binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The whole workspace's, as `cargo build --workspace --bins`.
    Workspace,
    /// The package's alone, as `cargo run --release -p <package>`.
    Package,
}

/// `bin` of `package` to build in release mode, with `features` of the
/// package, resolved as `scope` says.
#[derive(Debug, Clone, Copy)]
struct Build<'a> {
    scope: Scope,
    package: &'a str,
    bin: &'a str,
    features: &'a [&'a str],
}

impl Build<'_> {
    /// The arguments of `cargo` that build it.
    fn args(self) -> Vec<String> {
        let Build {
            scope,
            package,
            bin,
            features,
        } = self;
        let mut args: Vec<String> = ["build", "--quiet", "--release", "--locked"]
            .map(String::from)
            .into();
        match scope {
            Scope::Workspace => args.push("--workspace".into()),
            Scope::Package => args.extend(["--package".into(), package.into()]),
        }
        args.extend(["--bin".into(), bin.into()]);
        if !features.is_empty() {
            let qualified: Vec<String> =
                features.iter().map(|f| format!("{package}/{f}")).collect();
            args.extend(["--features".into(), qualified.join(",")]);
        }
        args.extend(["--message-format".into(), "json-render-diagnostics".into()]);
        args
    }

    /// Build it (a no-op when up to date); the path of the executable.
    fn run(self) -> Result<PathBuf> {
        let (package, bin) = (self.package, self.bin);
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        // Build in the environment of a terminal (and of `cargo xtask`, whose
        // commands drop the same variables), not in the one `cargo run` or
        // `cargo test` gives this program: ring's build script reads
        // `CARGO_PKG_NAME` and friends, so cargo would rebuild ring and every
        // crate above it (rustls, the AWS SDK) here, and again in the terminal.
        for (name, _) in std::env::vars_os() {
            if name.to_str().is_some_and(is_set_by_cargo_run) {
                command.env_remove(name);
            }
        }
        let output = command
            .current_dir(workspace_root())
            .args(self.args())
            .env("CARGO_TARGET_DIR", target_dir())
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("running cargo to build {package}'s {bin}"))?;
        if !output.status.success() {
            bail!(
                "cargo could not build {package}'s binary {bin} ({})",
                output.status
            );
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        for line in stdout.lines() {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if message["reason"] == "compiler-artifact"
                && message["target"]["name"] == bin
                && let Some(exe) = message["executable"].as_str()
            {
                return Ok(PathBuf::from(exe));
            }
        }
        bail!("cargo built {package} but reported no executable named {bin}")
    }
}

/// A variable `cargo run` sets for the program it runs (its package's
/// name, version and manifest), not one of cargo's settings: a program that
/// starts cargo (or anything else) drops these, which describe itself.
pub fn is_set_by_cargo_run(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_MANIFEST_")
        || matches!(
            name,
            "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE"
        )
}

/// This very program (the running executable).
pub fn this_program() -> Result<PathBuf> {
    std::env::current_exe().context("locating this program")
}

/// A chapter's program `bin` of `package`, the one way every chapter finds
/// it: the path in the environment variable `variable` when it is set; the
/// running program when it is `bin`; its sibling `bin` when the running
/// program is `package`'s CLI, built (release, the package's features)
/// when it is missing; otherwise built by cargo ([`cargo_bin`]) — inside a
/// notebook, a bench or a test the running program is not ours.
pub fn chapter_program(
    package: &str,
    bin: &str,
    variable: Option<&str>,
) -> Result<PathBuf> {
    if let Some(path) = variable.and_then(std::env::var_os) {
        return Ok(PathBuf::from(path));
    }
    let here = this_program()?;
    if here.file_stem().is_some_and(|stem| stem == bin) {
        return Ok(here);
    }
    if here.file_stem().is_some_and(|stem| stem == package) {
        let sibling = here.with_file_name(bin);
        if sibling.is_file() {
            return Ok(sibling);
        }
        // `cargo run [--release] -p <package>` built this program alone,
        // with the package's features: the same resolution builds the
        // sibling from the dependencies already compiled. `--workspace`
        // would resolve other features and compile them all again.
        let build = Build {
            scope: Scope::Package,
            package,
            bin,
            features: &[],
        };
        return build.run();
    }
    cargo_bin(package, bin)
}

/// Find an installed program on `PATH` (and the sbin directories, where
/// Debian puts servers); a missing one is an error naming the package.
pub fn require_program(name: &str, debian_package: &str) -> Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    dirs.extend(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from));
    dirs.into_iter()
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .with_context(|| {
            format!(
                "`{name}` is not installed: `apt-get install {debian_package}` \
                 (or `cargo xtask setup`, which installs every engine)"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_holds_the_workspace_manifest() {
        assert!(workspace_root().join("Cargo.toml").is_file());
        assert!(workspace_root().join("crates/workbench").is_dir());
    }

    #[test]
    fn a_sibling_is_built_with_its_package_features_only() {
        let args = Build {
            scope: Scope::Package,
            package: "ch05",
            bin: "ch05-sqs-worker",
            features: &[],
        }
        .args();
        let args = args.join(" ");
        assert!(args.contains("--release --locked --package ch05"), "{args}");
        assert!(args.contains("--bin ch05-sqs-worker"), "{args}");
        assert!(!args.contains("--workspace"), "{args}");
    }

    #[test]
    fn what_cargo_run_sets_is_not_passed_to_the_build() {
        for name in [
            "CARGO_PKG_NAME",
            "CARGO_PKG_VERSION_MAJOR",
            "CARGO_MANIFEST_DIR",
        ] {
            assert!(is_set_by_cargo_run(name), "{name}");
        }
        for name in [
            "CARGO_HOME",
            "CARGO_TARGET_DIR",
            "CARGO_INCREMENTAL",
            "PATH",
        ] {
            assert!(!is_set_by_cargo_run(name), "{name}");
        }
    }

    #[test]
    fn a_notebook_builds_with_the_workspace_features() {
        let args = Build {
            scope: Scope::Workspace,
            package: "ch06",
            bin: "ch06-mpi",
            features: &["mpi"],
        }
        .args();
        let args = args.join(" ");
        assert!(args.contains("--release --locked --workspace"), "{args}");
        assert!(
            args.contains("--bin ch06-mpi --features ch06/mpi"),
            "{args}"
        );
        assert!(!args.contains("--package"), "{args}");
    }

    #[test]
    fn a_missing_program_names_its_package() {
        let err = require_program("no-such-engine-here", "engine-pkg")
            .expect_err("missing");
        assert!(
            err.to_string().contains("apt-get install engine-pkg"),
            "{err}"
        );
        assert!(require_program("sh", "dash").is_ok());
    }
}
