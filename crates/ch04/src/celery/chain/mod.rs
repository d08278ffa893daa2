//! Chapter 4 · Chains (Python: `chain(fib.s(6), fib.s(), echo.si("done"))`):
//! tasks run one after another, each given the result of the one before.
//!
//! Celery's protocol v2 carries a chain inside the first task's message:
//! the body's `embed.chain` lists the signatures still to run, last-to-run
//! first. A worker that finishes a task successfully pops the next
//! signature, puts the result in front of its arguments (unless the
//! signature is immutable, Python's `.si()`), and sends it on with the rest
//! of the chain. The ids of every link are chosen by the sender, so the
//! chain's result is the last link's result.
//!
//! The `celery` crate reads none of this (and fails on Python's chains, as
//! it expects strings where Python puts signatures); [`follow`] adds it.

use celery::protocol::{Message, MessageHeaders, MessageProperties};
use celery::task::Task;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub mod broker;
pub mod follow;
pub mod next;

// ANCHOR: link
/// One task of a chain, in the form Python serializes a signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub task: String,
    #[serde(default)]
    pub args: Vec<Value>,
    #[serde(default)]
    pub kwargs: Map<String, Value>,
    /// `task_id`, `queue`, `reply_to`, ... as Python's `apply_async` takes.
    #[serde(default)]
    pub options: Map<String, Value>,
    #[serde(default)]
    pub subtask_type: Option<String>,
    /// Python's `.si()`: do not prepend the previous result.
    #[serde(default)]
    pub immutable: bool,
}

impl Link {
    /// `T.s(*args)`: the previous result goes in front of `args`.
    pub fn to<T: Task>(args: Vec<Value>) -> Self {
        Link {
            task: T::NAME.to_owned(),
            args,
            kwargs: Map::new(),
            options: Map::new(),
            subtask_type: None,
            immutable: false,
        }
    }

    /// `T.si(*args)`: run with exactly `args`, whatever came before.
    pub fn immutable<T: Task>(args: Vec<Value>) -> Self {
        Link {
            immutable: true,
            ..Self::to::<T>(args)
        }
    }
}
// ANCHOR_END: link

/// Where a link's message comes from: the task before it in the chain.
#[derive(Debug, Clone, Default)]
pub struct Parent {
    pub id: Option<String>,
    pub root_id: Option<String>,
}

// ANCHOR: message
/// The protocol v2 message that runs `link` (with `previous` in front of
/// its arguments unless it is immutable) and then `rest`, the links after
/// it, last-to-run first.
pub fn link_message(
    link: &Link,
    previous: Option<&Value>,
    rest: &[Link],
    parent: &Parent,
) -> serde_json::Result<Message> {
    let id = match link.options.get("task_id").and_then(Value::as_str) {
        Some(id) => id.to_owned(),
        None => uuid::Uuid::new_v4().to_string(),
    };
    // ANCHOR: embed
    let mut args = link.args.clone();
    if let (Some(previous), false) = (previous, link.immutable) {
        args.insert(0, previous.clone());
    }
    let chain = (!rest.is_empty()).then(|| rest.to_vec());
    let embed = json!({"callbacks": null, "errbacks": null,
                       "chain": chain, "chord": null});
    let body = serde_json::to_vec(&json!([args, link.kwargs, embed]))?;
    // ANCHOR_END: embed
    let option = |name: &str| link.options.get(name).and_then(Value::as_str);
    let headers = MessageHeaders {
        id: id.clone(),
        task: link.task.clone(),
        lang: Some("rs".into()),
        root_id: Some(parent.root_id.clone().unwrap_or_else(|| id.clone())),
        parent_id: parent.id.clone(),
        group: option("group_id").map(str::to_owned),
        retries: Some(0),
        argsrepr: Some(Value::Array(args).to_string()),
        kwargsrepr: Some(Value::Object(link.kwargs.clone()).to_string()),
        ..MessageHeaders::default()
    };
    let properties = MessageProperties {
        correlation_id: id,
        content_type: "application/json".into(),
        content_encoding: "utf-8".into(),
        reply_to: option("reply_to").map(str::to_owned),
        delivery_info: None,
    };
    Ok(Message {
        properties,
        headers,
        raw_body: body,
    })
}
// ANCHOR_END: message

// ANCHOR: chain
/// A chain built on the client: every link gets its id now, so the caller
/// knows them all before anything runs.
#[derive(Debug, Clone)]
pub struct Chain {
    links: Vec<Link>,
}

impl Chain {
    /// The links in the order they run. A chain needs at least one.
    pub fn new(links: Vec<Link>) -> Self {
        let links = links
            .into_iter()
            .map(|mut link| {
                if !link.options.contains_key("task_id") {
                    let id = uuid::Uuid::new_v4().to_string();
                    link.options.insert("task_id".into(), id.into());
                }
                link
            })
            .collect();
        Chain { links }
    }

    /// Every link's task id, in the order they run; the last is the chain's.
    pub fn ids(&self) -> Vec<String> {
        let id = |l: &Link| l.options["task_id"].as_str().map(str::to_owned);
        self.links.iter().filter_map(id).collect()
    }

    /// The first link's message, carrying the rest last-to-run first.
    pub fn first_message(&self) -> serde_json::Result<Option<Message>> {
        let Some((first, later)) = self.links.split_first() else {
            return Ok(None);
        };
        let rest: Vec<Link> = later.iter().rev().cloned().collect();
        link_message(first, None, &rest, &Parent::default()).map(Some)
    }
}
// ANCHOR_END: chain
