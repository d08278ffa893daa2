//! Chapter 4 · How a task ended, read from its result document.

use anyhow::{Context, Result, bail};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::celery::meta::exc_message;

/// How a task ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Success(Value),
    Failure { exc_type: String, message: String },
}

impl Outcome {
    /// The task's value, or its failure as an error.
    pub fn value<T: DeserializeOwned>(self) -> Result<T> {
        match self {
            Outcome::Success(value) => {
                serde_json::from_value(value).context("decoding a task's result")
            }
            Outcome::Failure { exc_type, message } => {
                bail!("the task failed: {exc_type}: {message}")
            }
        }
    }

    /// A result document, if it says the task has finished.
    pub(super) fn from_document(doc: &Value) -> Option<Outcome> {
        match doc["status"].as_str()? {
            "SUCCESS" => Some(Outcome::Success(doc["result"].clone())),
            "FAILURE" | "REVOKED" => Some(Outcome::Failure {
                exc_type: doc["result"]["exc_type"].as_str().unwrap_or("?").into(),
                message: exc_message(&doc["result"]),
            }),
            _ => None, // PENDING, STARTED, RETRY: not yet
        }
    }
}
