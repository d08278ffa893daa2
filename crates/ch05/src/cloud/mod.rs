//! Chapter 5 · The cloud as code: the book's AWS console steps made with the
//! AWS SDK for Rust (S3, SQS, IAM; EC2 with the `ec2` feature).
//!
//! [`connect`] configures the SDK from the standard environment (so the
//! same binary talks to real AWS) or, by default, from a local AWS-compatible
//! endpoint it starts itself: moto's server on a free loopback port.

pub mod access;
pub mod bucket;
#[cfg(feature = "ec2")]
pub mod cleanup;
pub mod compare;
pub mod connect;
pub mod cost;
pub mod iam;
#[cfg(feature = "ec2")]
pub mod instance;
pub mod price;
pub mod session;
pub mod sqs_worker;
pub mod steps;
pub mod tasks;
#[cfg(feature = "ec2")]
pub mod tour;

pub use connect::{Aws, Target};
