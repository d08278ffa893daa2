//! Chapter 5 · The cloud as code: one console step = one SDK call, named by
//! its action and resource, printed first, skipped under `--dry-run`.

use std::future::Future;

use anyhow::{Result, anyhow};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata};

use super::Aws;

/// The tag every resource the chapter makes carries, so that `cleanup`
/// finds them all (and nothing else).
pub const TAG_KEY: &str = "workbook";
pub const TAG_VALUE: &str = "ch05";

/// What was (or, under `--dry-run`, would have been) done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub action: &'static str,
    pub resource: String,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:<28} {}", self.action, self.resource)
    }
}

/// The console: the SDK clients (none when only planning), and whether
/// calls that change something are only printed (`--dry-run`).
#[derive(Debug)]
pub struct Console<'a> {
    aws: Option<&'a Aws>,
    dry_run: bool,
    quiet: bool,
    pub steps: Vec<Step>,
}

impl<'a> Console<'a> {
    /// Make the calls on `aws`; with `dry_run`, only those that read.
    pub fn new(aws: Option<&'a Aws>, dry_run: bool, quiet: bool) -> Self {
        Console {
            aws,
            dry_run: dry_run || aws.is_none(),
            quiet,
            steps: Vec::new(),
        }
    }

    /// The SDK clients, when there is an endpoint.
    pub fn aws(&self) -> Option<&'a Aws> {
        self.aws
    }

    pub fn is_dry_run(&self) -> bool {
        self.dry_run
    }

    /// A call that only reads: made even under `--dry-run` (when there is
    /// an endpoint), not printed.
    pub async fn read<T, E, F>(
        &mut self,
        action: &'static str,
        resource: &str,
        call: impl FnOnce(&'a Aws) -> F,
    ) -> Result<Option<T>>
    where
        F: Future<Output = Result<T, E>>,
        E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    {
        let Some(aws) = self.aws else { return Ok(None) };
        call(aws)
            .await
            .map(Some)
            .map_err(|err| failed(action, resource, &err))
    }

    // ANCHOR: call
    /// Run `call` (one SDK request that changes something) as `action` on
    /// `resource`, printed first; `None` under `--dry-run`. A failure names
    /// both, and the service's error code.
    pub async fn call<T, E, F>(
        &mut self,
        action: &'static str,
        resource: &str,
        call: impl FnOnce(&'a Aws) -> F,
    ) -> Result<Option<T>>
    where
        F: Future<Output = Result<T, E>>,
        E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
    {
        let step = Step {
            action,
            resource: resource.to_string(),
        };
        if !self.quiet {
            let mark = if self.is_dry_run() { "would" } else { "" };
            println!("{mark:>5} {step}");
        }
        self.steps.push(step);
        let Some(aws) = self.aws.filter(|_| !self.dry_run) else {
            return Ok(None);
        };
        call(aws)
            .await
            .map(Some)
            .map_err(|err| failed(action, resource, &err))
    }
    // ANCHOR_END: call
}

/// The names in a listing's answer (`None` under `--dry-run` without an
/// endpoint: none): each of its `items` that has a `name`.
pub fn names<P, I>(
    page: Option<P>,
    items: impl Fn(&P) -> &[I],
    name: impl Fn(&I) -> Option<&str>,
) -> Vec<String> {
    let all = page.iter().flat_map(items);
    all.filter_map(|i| name(i).map(str::to_string)).collect()
}

/// An error naming the action, the resource and the service's error code
/// and message (or, when no answer came, why: a timeout, a refused
/// connection).
pub fn failed<E>(action: &str, resource: &str, err: &E) -> anyhow::Error
where
    E: std::error::Error + ProvideErrorMetadata,
{
    match (err.code(), err.message()) {
        (Some(code), Some(message)) => {
            anyhow!("{action} on {resource} failed ({code}): {message}")
        }
        (Some(code), None) => anyhow!("{action} on {resource} failed ({code})"),
        _ => anyhow!(
            "{action} on {resource} failed: {}",
            DisplayErrorContext(err)
        ),
    }
}
