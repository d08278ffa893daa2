//! Debian packages: which program or file tells each is present, and apt-get.

use std::path::Path;

use anyhow::{Result, bail};

use super::Needs;
use crate::process::{RunExt, cmd, which};

/// How to tell that a package is already installed.
#[derive(Debug)]
enum Check {
    /// A program found on `PATH`.
    OnPath(&'static str),
    /// A file at a fixed path.
    File(&'static str),
    /// A shared library `lib<name>.so*` or `lib<name>-<version>.so*`.
    Lib(&'static str),
    /// A command that exits 0.
    Runs(&'static [&'static str]),
}

/// One row of the table: what to check, which packages bring it, who needs it.
#[derive(Debug)]
struct Row {
    what: &'static str,
    check: Check,
    packages: &'static [&'static str],
    needed: fn(Needs) -> bool,
}

const fn row(
    what: &'static str,
    check: Check,
    packages: &'static [&'static str],
    needed: fn(Needs) -> bool,
) -> Row {
    Row {
        what,
        check,
        packages,
        needed,
    }
}

/// Everything the workbook takes from Debian. Add a row to add a package.
const TABLE: &[Row] = &[
    row(
        "redis-server",
        Check::OnPath("redis-server"),
        &["redis-server"],
        svc,
    ),
    row(
        "rabbitmq-server",
        Check::File("/usr/sbin/rabbitmq-server"),
        &["rabbitmq-server"],
        svc,
    ),
    row(
        "mpirun",
        Check::OnPath("mpirun"),
        &["openmpi-bin", "libopenmpi-dev"],
        svc,
    ),
    row("libclang", Check::Lib("clang"), &["libclang-dev"], svc),
    row("sbatch", Check::OnPath("sbatch"), &["slurm-wlm"], svc),
    row("munged", Check::File("/usr/sbin/munged"), &["munge"], svc),
    row("ip", Check::OnPath("ip"), &["iproute2"], svc),
    row("chromium", Check::OnPath("chromium"), &["chromium"], |n| {
        n.browser
    }),
    row("npm", Check::OnPath("npm"), &["nodejs", "npm"], |n| {
        n.browser || n.mdbook
    }),
    // A font with Chinese glyphs, so that the browser test's screenshots of
    // the Chinese edition show text, not boxes.
    row(
        "CJK font",
        Check::File("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        &["fonts-wqy-microhei"],
        |n| n.browser,
    ),
    // msgmerge for `cargo xtask i18n update` (the Chinese edition).
    row("msgmerge", Check::OnPath("msgmerge"), &["gettext"], |n| {
        n.mdbook
    }),
    row(
        "python3 venv",
        Check::Runs(&["python3", "-c", "import ensurepip, venv"]),
        &["python3-venv"],
        |n| n.jupyter,
    ),
];

fn svc(needs: Needs) -> bool {
    needs.services
}

/// Install the missing packages of the rows `needs` selects.
pub fn ensure(needs: Needs) -> Result<()> {
    let missing = ensure_as_root(needs)?;
    if missing.is_empty() {
        return Ok(());
    }
    bail!(
        "missing Debian packages; as root, run:\n  apt-get update && {}",
        install_line(&missing)
    )
}

/// As [`ensure`], but a user who is not root gets the list of what is
/// missing (and the command that would install it) instead of an error.
pub fn ensure_or_report(needs: Needs) -> Result<Vec<String>> {
    let missing = ensure_as_root(needs)?;
    if !missing.is_empty() {
        println!(
            "warning: not root, so these Debian packages cannot be installed: {}\n\
             \x20        as root, run: apt-get update && {}",
            missing.join(" "),
            install_line(&missing)
        );
    }
    Ok(missing.iter().map(|p| (*p).to_owned()).collect())
}

fn install_command(missing: &[&str]) -> std::process::Command {
    let mut install = cmd("apt-get", ["install", "-y", "--no-install-recommends"]);
    install
        .args(missing)
        .env("DEBIAN_FRONTEND", "noninteractive");
    install
}

fn install_line(missing: &[&str]) -> String {
    crate::process::show(&install_command(missing))
}

/// Install what is missing when root; the packages still missing otherwise.
fn ensure_as_root(needs: Needs) -> Result<Vec<&'static str>> {
    let mut missing: Vec<&str> = Vec::new();
    for row in TABLE.iter().filter(|row| (row.needed)(needs)) {
        if present(&row.check) {
            println!("ok: {} present", row.what);
        } else {
            println!("missing: {} (package {})", row.what, row.packages.join(" "));
            missing.extend(row.packages);
        }
    }
    if missing.is_empty() || !is_root() {
        return Ok(missing);
    }
    println!("installing: {}", missing.join(" "));
    cmd("apt-get", ["update"]).run()?;
    install_command(&missing).run()?;
    Ok(Vec::new())
}

fn present(check: &Check) -> bool {
    match check {
        Check::OnPath(name) => which(name).is_some(),
        Check::File(path) => Path::new(path).exists(),
        Check::Lib(name) => has_lib(name),
        Check::Runs([program, args @ ..]) => cmd(program, args).succeeds(),
        Check::Runs([]) => true,
    }
}

/// `lib<name>.so*` or `lib<name>-<digit>…so*` in the usual library dirs.
fn has_lib(name: &str) -> bool {
    let exact = format!("lib{name}.so");
    let versioned = format!("lib{name}-");
    let mut dirs = vec![
        "/usr/lib/x86_64-linux-gnu".into(),
        "/usr/lib/aarch64-linux-gnu".into(),
        "/usr/lib".into(),
    ];
    if let Ok(entries) = std::fs::read_dir("/usr/lib") {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with("llvm-") {
                dirs.push(entry.path().join("lib"));
            }
        }
    }
    dirs.iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .any(|entries| {
            entries.flatten().any(|entry| {
                let file = entry.file_name().to_string_lossy().into_owned();
                let rest = file.strip_prefix(&versioned).unwrap_or("");
                file.starts_with(&exact)
                    || (rest.starts_with(|c: char| c.is_ascii_digit())
                        && rest.contains(".so"))
            })
        })
}

/// Root can run apt-get; read the real uid from /proc (no unsafe libc call).
fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().next().map(|uid| uid == "0"))
        .unwrap_or(false)
}
