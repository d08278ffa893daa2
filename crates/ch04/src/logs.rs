//! Chapter 4 · Logs of the chapter's programs: to stderr, filtered by
//! `RUST_LOG` when it is set, else by the program's own default.

/// Install the subscriber every ch04 binary uses; `default_filter` applies
/// when `RUST_LOG` is unset or invalid.
pub fn to_stderr(default_filter: &str) {
    workbench::logs::init(default_filter);
}
