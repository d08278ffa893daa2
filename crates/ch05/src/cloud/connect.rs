//! Chapter 5 · The cloud as code: one SDK configuration for S3, SQS, IAM and
//! EC2, from the standard AWS environment or from a local endpoint started
//! here.

use std::time::Duration;

use anyhow::{Context, Result};
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_s3::config::{
    Credentials, ProvideCredentials, Region, SharedCredentialsProvider,
};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use workbench::cli::UsageError;
use workbench::services::MotoServer;

use super::iam::AccessKey;

/// Where the chapter's AWS calls go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// A moto server started on a free loopback port, stopped afterwards.
    Local,
    /// The standard AWS environment: `AWS_ENDPOINT_URL`, `AWS_REGION`,
    /// credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` or a
    /// profile. Real AWS when no endpoint is set.
    Env,
}

/// The SDK clients of the chapter, and the local endpoint they talk to (if
/// one was started: it stops when this is dropped).
#[derive(Debug)]
pub struct Aws {
    pub config: aws_config::SdkConfig,
    pub s3: aws_sdk_s3::Client,
    pub sqs: aws_sdk_sqs::Client,
    pub iam: aws_sdk_iam::Client,
    #[cfg(feature = "ec2")]
    pub ec2: aws_sdk_ec2::Client,
    local: Option<MotoServer>,
}

// ANCHOR: sdk_config
/// Every call gets a deadline and the SDK's standard retries (exponential
/// backoff with jitter, 3 attempts); one HTTP client (hyper + rustls/ring).
pub fn loader() -> aws_config::ConfigLoader {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .operation_attempt_timeout(Duration::from_secs(10))
        .operation_timeout(Duration::from_secs(30))
        .build();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .timeout_config(timeouts)
        .retry_config(RetryConfig::standard().with_max_attempts(3))
}
// ANCHOR_END: sdk_config

impl Aws {
    /// Connect to `target`: start a moto server for [`Target::Local`].
    pub async fn connect(target: Target) -> Result<Self> {
        match target {
            Target::Local => Self::local().await,
            Target::Env => Self::from_env().await,
        }
    }

    /// The standard environment, as the AWS CLI reads it. No region or no
    /// credentials is a usage error (exit 2) that says what to set.
    pub async fn from_env() -> Result<Self> {
        let config = loader().load().await;
        check_env(&config).await?;
        Ok(Self::with_config(config, None))
    }

    /// A moto server of our own; fixed test credentials, region us-east-1.
    pub async fn local() -> Result<Self> {
        let server = tokio::task::spawn_blocking(MotoServer::start)
            .await
            .context("starting moto's server")??;
        Ok(Self::local_on(server).await)
    }

    /// The clients for `server` (a moto server started by the caller, e.g.
    /// one that enforces IAM); it stops when the result is dropped.
    pub async fn local_on(server: MotoServer) -> Self {
        let mut aws = Self::at(&server.endpoint()).await;
        aws.local = Some(server);
        aws
    }

    /// The clients for an endpoint someone else runs (a test's stand-in),
    /// with moto's test credentials and region us-east-1.
    pub async fn at(endpoint: &str) -> Self {
        let config = loader()
            .endpoint_url(endpoint)
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "testing",
                "testing",
                None,
                None,
                "ch05-local",
            ))
            .load()
            .await;
        Self::with_config(config, None)
    }

    // ANCHOR: as_user
    /// The same endpoint and region, with `key`'s credentials: calls made
    /// as that user, allowed only what its policy allows.
    pub fn as_user(&self, key: &AccessKey) -> Self {
        let credentials =
            Credentials::new(&key.id, &key.secret, None, None, "ch05-iam-user");
        let config = self
            .config
            .to_builder()
            .credentials_provider(SharedCredentialsProvider::new(credentials))
            .build();
        Self::with_config(config, None)
    }
    // ANCHOR_END: as_user

    /// [`Aws::as_user`], keeping the local endpoint (stopped when the
    /// result is dropped).
    pub fn into_user(mut self, key: &AccessKey) -> Self {
        let mut user = self.as_user(key);
        user.local = self.local.take();
        user
    }

    fn with_config(
        config: aws_config::SdkConfig,
        local: Option<MotoServer>,
    ) -> Self {
        // Path-style bucket URLs (`endpoint/bucket/key`): a local endpoint
        // has no wildcard DNS for `bucket.endpoint`.
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(local.is_some() || config.endpoint_url().is_some())
            .build();
        Aws {
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            sqs: aws_sdk_sqs::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            #[cfg(feature = "ec2")]
            ec2: aws_sdk_ec2::Client::new(&config),
            config,
            local,
        }
    }

    /// The endpoint the calls go to (`None`: AWS's own, from the region).
    pub fn endpoint(&self) -> Option<&str> {
        self.config.endpoint_url()
    }

    /// Whether the calls go to a moto server started here.
    pub fn is_local(&self) -> bool {
        self.local.is_some()
    }

    /// Stop the local endpoint, if one was started.
    pub fn stop(&mut self) -> Result<()> {
        match self.local.as_mut() {
            Some(server) => server.stop(),
            None => Ok(()),
        }
    }
}

/// What `--aws env` needs, said when it is missing.
pub const WHAT_TO_SET: &str = "set AWS_REGION, and AWS_ACCESS_KEY_ID with \
AWS_SECRET_ACCESS_KEY (or AWS_PROFILE naming a profile of ~/.aws/credentials); \
AWS_ENDPOINT_URL=http://host:port sends the calls to an AWS-compatible \
endpoint instead of AWS. Or use --aws local (a moto server started here).";

/// A region, and credentials the provider chain can find within 10 s.
async fn check_env(config: &aws_config::SdkConfig) -> Result<()> {
    if config.region().is_none() {
        let why = format!("--aws env: no AWS region is configured; {WHAT_TO_SET}");
        return Err(UsageError(why).into());
    }
    let Some(provider) = config.credentials_provider() else {
        let why = format!("--aws env: no credentials provider; {WHAT_TO_SET}");
        return Err(UsageError(why).into());
    };
    let wait = Duration::from_secs(10);
    match tokio::time::timeout(wait, provider.provide_credentials()).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(err)) => {
            let why =
                format!("--aws env found no AWS credentials ({err}); {WHAT_TO_SET}");
            Err(UsageError(why).into())
        }
        Err(_) => {
            let why = format!(
                "--aws env: no AWS credentials within {wait:?}; {WHAT_TO_SET}"
            );
            Err(UsageError(why).into())
        }
    }
}
