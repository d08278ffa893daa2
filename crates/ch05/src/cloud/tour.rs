//! Chapter 5 · The cloud as code: the book's whole console tour in one
//! function — website bucket, IAM user, instance, cleanup — for the CLI and
//! the test.

use anyhow::{Context, Result, ensure};

use super::steps::Console;
use super::{bucket, cleanup, instance};

/// What the tour saw.
#[derive(Debug, Clone, Default)]
pub struct TourReport {
    /// The page fetched back from the bucket's website.
    pub page: Option<String>,
    /// The instance as described while it ran.
    pub instance: Option<instance::InstanceView>,
    /// The IAM step: the user's task and the call it was denied.
    pub iam: super::access::IamReport,
    /// Resources still tagged after `cleanup` (should be none).
    pub leftovers: Vec<cleanup::Leftover>,
}

/// Names of the tour's resources; a suffix keeps runs apart.
#[derive(Debug, Clone)]
pub struct TourNames {
    pub bucket: String,
    pub key_pair: String,
    pub iam: super::access::IamNames,
}

impl TourNames {
    pub fn with_suffix(suffix: &str) -> Self {
        TourNames {
            bucket: format!("ch05-website-{suffix}"),
            key_pair: format!("ch05-key-{suffix}"),
            iam: super::access::IamNames::with_suffix(suffix),
        }
    }
}

/// Run every step; under `--dry-run` only print them.
pub async fn tour(
    console: &mut Console<'_>,
    names: &TourNames,
) -> Result<TourReport> {
    let mut report = TourReport::default();
    bucket::create_website(console, &names.bucket).await?;
    if let Some(aws) = console.aws().filter(|_| !console.is_dry_run()) {
        let url = bucket::website_url(aws, &names.bucket);
        let page = tokio::task::spawn_blocking(move || bucket::fetch_page(&url));
        report.page = Some(page.await.context("fetching the page")??);
    }
    report.iam = super::access::iam_step(console, &names.iam).await?;
    let image = instance::find_image(console).await?;
    let image = image.unwrap_or_else(|| "ami-(dry-run)".into());
    let id = instance::launch(console, &image, &names.key_pair).await?;
    report.instance = instance::describe(console, &id).await?;
    if let Some(view) = &report.instance {
        ensure!(
            view.state == "running" || view.state == "pending",
            "{view:?}"
        );
    }
    cleanup::cleanup(console).await?;
    report.leftovers = cleanup::leftovers(console).await?;
    Ok(report)
}
