//! Chapter 5 · The cloud as code: `cleanup` — find every resource tagged as
//! the chapter's and remove it; what is left tagged, for the test.

use anyhow::Result;
use aws_sdk_ec2::types::Filter;

pub use super::bucket::delete_bucket;
use super::steps::{Console, TAG_KEY, TAG_VALUE, names};

fn tagged() -> Filter {
    let name = format!("tag:{TAG_KEY}");
    Filter::builder().name(name).values(TAG_VALUE).build()
}

fn alive() -> Filter {
    let states = ["pending", "running", "stopping", "stopped"];
    let filter = Filter::builder().name("instance-state-name");
    states.iter().fold(filter, |f, s| f.values(*s)).build()
}

/// A resource tagged as the chapter's that still exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// `instance`, `key-pair`, `volume`, `bucket`, `queue`, `iam-user` or
    /// `iam-policy`.
    pub kind: &'static str,
    pub id: String,
    /// A volume's state: only an `available` one is deleted by itself; an
    /// attached one goes with its instance.
    pub state: String,
}

impl std::fmt::Display for Leftover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.kind, self.id, self.state)
    }
}

fn leftover(kind: &'static str, id: Option<&str>, state: &str) -> Leftover {
    let id = id.unwrap_or("?").to_string();
    Leftover {
        kind,
        id,
        state: state.to_string(),
    }
}

/// Everything tagged as the chapter's that still exists: instances not
/// terminated, key pairs, volumes not being deleted, buckets.
pub async fn leftovers(console: &mut Console<'_>) -> Result<Vec<Leftover>> {
    let mut found = Vec::new();
    let instances = console.read("ec2:DescribeInstances", "tagged", |aws| {
        aws.ec2
            .describe_instances()
            .filters(tagged())
            .filters(alive())
            .send()
    });
    for reservation in instances.await?.iter().flat_map(|a| a.reservations()) {
        for instance in reservation.instances() {
            found.push(leftover("instance", instance.instance_id(), ""));
        }
    }
    let keys = console.read("ec2:DescribeKeyPairs", "tagged", |aws| {
        aws.ec2.describe_key_pairs().filters(tagged()).send()
    });
    for key in keys.await?.iter().flat_map(|a| a.key_pairs()) {
        found.push(leftover("key-pair", key.key_name(), ""));
    }
    let volumes = console.read("ec2:DescribeVolumes", "tagged", |aws| {
        aws.ec2.describe_volumes().filters(tagged()).send()
    });
    for volume in volumes.await?.iter().flat_map(|a| a.volumes()) {
        let state = volume.state().map_or("", |s| s.as_str());
        if state != "deleting" && state != "deleted" {
            found.push(leftover("volume", volume.volume_id(), state));
        }
    }
    for bucket in tagged_buckets(console).await? {
        found.push(leftover("bucket", Some(&bucket), ""));
    }
    for queue in super::access::tagged_queues(console).await? {
        found.push(leftover("queue", Some(&queue), ""));
    }
    let (users, policies) = super::iam::tagged(console).await?;
    for user in users {
        found.push(leftover("iam-user", Some(&user), ""));
    }
    for policy in policies {
        found.push(leftover("iam-policy", Some(&policy), ""));
    }
    Ok(found)
}

/// The buckets whose tags say they are the chapter's.
pub async fn tagged_buckets(console: &mut Console<'_>) -> Result<Vec<String>> {
    let list =
        console.read("s3:ListBuckets", "all", |aws| aws.s3.list_buckets().send());
    let buckets = names(list.await?, |l| l.buckets(), |b| b.name());
    let mut ours = Vec::new();
    for name in buckets {
        // A bucket without tags answers NoSuchTagSet: not ours.
        let tags = console.read("s3:GetBucketTagging", &name, |aws| {
            aws.s3.get_bucket_tagging().bucket(&name).send()
        });
        let Ok(Some(tags)) = tags.await else { continue };
        if tags
            .tag_set()
            .iter()
            .any(|t| t.key() == TAG_KEY && t.value() == TAG_VALUE)
        {
            ours.push(name);
        }
    }
    Ok(ours)
}

// ANCHOR: cleanup
/// Remove every resource the chapter made: instances (their volumes go
/// with them), key pairs, loose volumes, buckets with their objects,
/// queues, IAM users (their keys first) and policies.
pub async fn cleanup(console: &mut Console<'_>) -> Result<()> {
    super::iam::cleanup(console).await?;
    for found in leftovers(console).await? {
        let id = found.id.as_str();
        match found.kind {
            "instance" => super::instance::terminate(console, id).await?,
            "key-pair" => delete_key_pair(console, id).await?,
            "volume" if found.state == "available" => {
                delete_volume(console, id).await?;
            }
            "bucket" => delete_bucket(console, id).await?,
            "queue" => super::access::delete_queue(console, id).await?,
            _ => {}
        }
    }
    Ok(())
}
// ANCHOR_END: cleanup

async fn delete_key_pair(console: &mut Console<'_>, name: &str) -> Result<()> {
    console
        .call("ec2:DeleteKeyPair", name, |aws| {
            aws.ec2.delete_key_pair().key_name(name).send()
        })
        .await?;
    Ok(())
}

async fn delete_volume(console: &mut Console<'_>, id: &str) -> Result<()> {
    console
        .call("ec2:DeleteVolume", id, |aws| {
            aws.ec2.delete_volume().volume_id(id).send()
        })
        .await?;
    Ok(())
}
