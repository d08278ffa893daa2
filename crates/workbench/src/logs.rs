//! Workbench · Logs of the workbook's programs: human-readable lines on
//! stderr, filtered by `RUST_LOG` when it is set (`info`,
//! `warn,ch04=debug`: a default level, then a level per target), else by
//! the program's own default. Every chapter's binaries start with
//! [`init`]; a chapter that teaches logging (chapter 7's JSON lines)
//! builds its own subscriber.

/// Install the subscriber for this process; `default_filter` (say `"info"`
/// or `"warn,ch04=info"`) applies when `RUST_LOG` is unset or not of that
/// form. A second call (a notebook cell run again) leaves the first in
/// place.
pub fn init(default_filter: &str) {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    // `Targets` reads `RUST_LOG`'s `level,target=level` form without a
    // regex engine (`EnvFilter` compiles one in: tens of seconds of every
    // notebook's first build).
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|given| given.parse::<Targets>().ok())
        .or_else(|| default_filter.parse::<Targets>().ok())
        .unwrap_or_default();
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
}
