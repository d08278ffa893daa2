//! Chapter 5 · The console steps as subcommands: `tour`, `website`,
//! `instance`, `cleanup`, each against a local endpoint or the standard AWS
//! environment, each with `--dry-run`.

use anyhow::{Context, Result};
use ch05::cloud::compare::{self, CloudVariant};
use ch05::cloud::steps::Console;
use ch05::cloud::{Aws, Target, bucket};

/// Where the calls go and whether they are made.
#[derive(Debug, Clone, clap::Args)]
pub struct CloudArgs {
    /// `local`: a moto server started on a free loopback port and stopped
    /// afterwards; `env`: the standard AWS environment (AWS_ENDPOINT_URL,
    /// AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE).
    #[arg(long, value_enum, default_value = "local")]
    aws: Target,
    /// Print the calls that would change something; make only those that read.
    #[arg(long)]
    dry_run: bool,
    /// Appended to the names of what is created (bucket, key pair).
    #[arg(long, default_value = "demo", value_parser = parse_suffix)]
    suffix: String,
}

fn parse_suffix(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text.len() <= 20
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(text.to_string())
    } else {
        Err("use 1 to 20 of a-z, 0-9 and '-' (it goes into a bucket name)".into())
    }
}

/// Which console step.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    Tour,
    Iam,
    Website,
    Instance,
    Cleanup,
    TaskCost,
}

pub fn run(step: Step, args: &CloudArgs) -> Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting tokio")?;
    runtime.block_on(run_async(step, args))
}

async fn run_async(step: Step, args: &CloudArgs) -> Result<()> {
    // A plan needs no endpoint, except cleanup's, which lists what exists.
    let offline = args.dry_run && !matches!(step, Step::Cleanup);
    let mut aws = match (offline, step, args.aws) {
        (true, _, _) => None,
        // The local endpoint of the IAM step checks every call against IAM.
        (false, Step::Iam, Target::Local) => Some(Aws::local_enforcing_iam().await?),
        (false, _, target) => Some(Aws::connect(target).await?),
    };
    if let Some(endpoint) = aws.as_ref().and_then(Aws::endpoint) {
        println!("endpoint {}", workbench::redact::url(endpoint));
    }
    let mut console = Console::new(aws.as_ref(), args.dry_run, false);
    let result = steps(step, &mut console, &args.suffix).await;
    drop(console);
    if let Some(aws) = aws.as_mut() {
        aws.stop()?;
    }
    result
}

async fn steps(step: Step, console: &mut Console<'_>, suffix: &str) -> Result<()> {
    match step {
        Step::Website => {
            let bucket = format!("ch05-website-{suffix}");
            bucket::create_website(console, &bucket).await?;
            if let Some(aws) = console.aws().filter(|_| !console.is_dry_run()) {
                let url = bucket::website_url(aws, &bucket);
                let page =
                    tokio::task::spawn_blocking(move || bucket::fetch_page(&url));
                println!("\n{}", page.await.context("fetching the page")??);
            }
        }
        Step::TaskCost => task_cost(console).await?,
        Step::Iam => iam(console, suffix).await?,
        Step::Tour | Step::Instance | Step::Cleanup => {
            ec2_steps(step, console, suffix).await?;
        }
    }
    Ok(())
}

/// The steps that call EC2 (built with `--features ec2`).
#[cfg(feature = "ec2")]
async fn ec2_steps(
    step: Step,
    console: &mut Console<'_>,
    suffix: &str,
) -> Result<()> {
    use ch05::cloud::{cleanup, instance, tour};
    let names = tour::TourNames::with_suffix(suffix);
    match step {
        Step::Tour => {
            let report = tour::tour(console, &names).await?;
            if let Some(page) = &report.page {
                println!("\nthe bucket's website answered:\n{page}");
            }
            match &report.iam.denied {
                Some(why) if why.contains("AccessDenied") => {
                    println!("the IAM user, outside its policy: {why}");
                }
                _ if report.iam.answer.is_some() => println!(
                    "this endpoint does not enforce IAM: `ch05 iam` runs the \
                     step on one that does"
                ),
                _ => {}
            }
            if let Some(view) = &report.instance {
                println!(
                    "instance {} was {} from {} with {:?}",
                    view.id, view.state, view.image, view.volumes
                );
            }
            let left = &report.leftovers;
            anyhow::ensure!(left.is_empty(), "left tagged: {left:?}");
        }
        Step::Instance => {
            let image = instance::find_image(console).await?;
            let image = image.unwrap_or_else(|| "ami-(dry-run)".into());
            let id = instance::launch(console, &image, &names.key_pair).await?;
            if let Some(view) = instance::describe(console, &id).await? {
                println!("{view:?}");
            }
            instance::terminate(console, &id).await?;
        }
        Step::Cleanup => cleanup::cleanup(console).await?,
        Step::Website | Step::TaskCost | Step::Iam => {}
    }
    Ok(())
}

#[cfg(not(feature = "ec2"))]
async fn ec2_steps(_: Step, _: &mut Console<'_>, _: &str) -> Result<()> {
    let why = "`tour`, `instance` and `cleanup` call EC2, whose client is built only \
               with the `ec2` feature: `cargo run -p ch05 --features ec2 -- tour`";
    Err(workbench::cli::UsageError(why.into()).into())
}

/// `iam`: the user, one task as the user, a denied call; then remove it all.
async fn iam(console: &mut Console<'_>, suffix: &str) -> Result<()> {
    use ch05::cloud::access;
    let names = access::IamNames::with_suffix(suffix);
    let report = access::iam_step(console, &names).await?;
    if let Some(key) = &report.key {
        println!("\nas {} (key {}):", key.user, key.id);
    }
    if let Some(answer) = report.answer {
        println!("  a task through its queue and bucket: fib(20) = {answer}");
    }
    if console.aws().is_some() && !console.is_dry_run() {
        match &report.denied {
            Some(why) => println!("  outside its policy, denied: {why}\n"),
            None => println!(
                "  outside its policy, allowed: this endpoint does not enforce IAM\n"
            ),
        }
    }
    access::remove(console, &names).await
}

/// `task-cost`: 50 tiny tasks through S3 + SQS, one at a time, against the
/// same through Redis (a `redis-server` started here) and its PING.
async fn task_cost(console: &mut Console<'_>) -> Result<()> {
    let Some(aws) = console.aws().filter(|_| !console.is_dry_run()) else {
        println!("would time 50 tasks through S3 + SQS, and through Redis");
        return Ok(());
    };
    println!("{}", ch05::cloud::price::measure(aws, 50).await?);
    Ok(())
}

/// `cloud`: the headline comparison; `--aws` as for the console steps.
#[derive(Debug, Clone, clap::Args)]
pub struct CompareArgs {
    #[command(flatten)]
    common: workbench::CommonArgs,
    /// `local` (a moto server started here) or `env` (the standard AWS
    /// environment, passed on to the worker processes).
    #[arg(long, value_enum, default_value = "local")]
    aws: Target,
}

impl Default for CompareArgs {
    fn default() -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrap {
            #[command(flatten)]
            args: CompareArgs,
        }
        Wrap::parse_from(["ch05"]).args
    }
}

/// The `ch05-sqs-worker` beside this program, else built by cargo with this
/// program's feature set (`cargo run --release -p ch05` builds only `ch05`).
pub fn sqs_worker_program() -> Result<std::path::PathBuf> {
    workbench::bins::chapter_program("ch05", "ch05-sqs-worker", None)
}

pub fn compare(args: &CompareArgs) -> Result<()> {
    let common = &args.common;
    common.note_build_profile();
    let workers = common.worker_counts().into_iter().max().unwrap_or(1);
    let tasks = compare::tasks_at(common.size);
    let variants = common.variants_of::<CloudVariant>()?;
    let program = sqs_worker_program()?;
    let runtime = tokio::runtime::Runtime::new().context("starting tokio")?;
    let mut aws = runtime.block_on(Aws::connect(args.aws))?;
    let opts = common.measure_opts();
    let record =
        compare::compare(&runtime, &aws, &program, &tasks, workers, &variants, opts);
    aws.stop()?;
    let record = record?;
    common.emit(&record)?;
    common.warn_if_starved(&record);
    Ok(())
}
