//! Workbench · Logs of the workbook's programs: human-readable lines on
//! stderr, filtered by `RUST_LOG` when it is set, else by the program's
//! own default. Every chapter's binaries start with [`init`]; a chapter
//! that teaches logging (chapter 7's JSON lines) builds its own subscriber.

/// Install the subscriber for this process; `default_filter` (say `"info"`
/// or `"warn,ch04=info"`) applies when `RUST_LOG` is unset or invalid. A
/// second call (a notebook cell run again) leaves the first in place.
pub fn init(default_filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
