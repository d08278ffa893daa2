//! Chapter 5 · The cloud as code: the book's EC2 steps — a key pair, an
//! instance launched from an image with an extra volume, described, then
//! terminated.

use anyhow::{Context, Result};
use aws_sdk_ec2::types::{
    BlockDeviceMapping, EbsBlockDevice, Filter, InstanceStateName, InstanceType,
    ResourceType, Tag, TagSpecification, VolumeType,
};

use super::steps::{Console, TAG_KEY, TAG_VALUE};

/// What `describe` tells of a running instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceView {
    pub id: String,
    pub state: String,
    pub image: String,
    pub volumes: Vec<String>,
}

/// A tag specification marking a new `kind` of resource as the chapter's.
pub fn chapter_tags(kind: ResourceType) -> TagSpecification {
    let tag = Tag::builder().key(TAG_KEY).value(TAG_VALUE).build();
    TagSpecification::builder()
        .resource_type(kind)
        .tags(tag)
        .build()
}

/// The newest Amazon Linux image the account can see (`None` if none).
pub async fn find_image(console: &mut Console<'_>) -> Result<Option<String>> {
    let name = Filter::builder().name("name").values("amzn*").build();
    let images = console.call("ec2:DescribeImages", "owner amazon, amzn*", |aws| {
        let ask = aws.ec2.describe_images().owners("amazon").filters(name);
        ask.send()
    });
    let Some(images) = images.await? else {
        return Ok(None);
    };
    let mut images = images.images.unwrap_or_default();
    images.sort_by(|a, b| a.creation_date().cmp(&b.creation_date()));
    let newest = images.last().and_then(|image| image.image_id());
    newest
        .map(str::to_string)
        .context("no Amazon Linux image is visible")
        .map(Some)
}

/// Create the key pair `key`, then launch one small instance from `image`
/// with it; every part tagged as the chapter's. The instance's id.
pub async fn launch(
    console: &mut Console<'_>,
    image: &str,
    key: &str,
) -> Result<String> {
    console
        .call("ec2:CreateKeyPair", key, |aws| {
            let create = aws.ec2.create_key_pair().key_name(key);
            let tags = chapter_tags(ResourceType::KeyPair);
            create.tag_specifications(tags).send()
        })
        .await?;
    run_instance(console, image, key).await
}

// ANCHOR: launch
/// One small instance from `image`, reachable with the key pair `key`,
/// with an extra 1 GiB volume that goes when the instance goes.
async fn run_instance(
    console: &mut Console<'_>,
    image: &str,
    key: &str,
) -> Result<String> {
    let volume = EbsBlockDevice::builder()
        .volume_size(1)
        .volume_type(VolumeType::Gp3)
        .delete_on_termination(true)
        .build();
    let extra = BlockDeviceMapping::builder()
        .device_name("/dev/sdf")
        .ebs(volume)
        .build();
    let run = console
        .call("ec2:RunInstances", image, |aws| {
            aws.ec2
                .run_instances()
                .image_id(image)
                .instance_type(InstanceType::T3Micro)
                .key_name(key)
                .block_device_mappings(extra)
                .tag_specifications(chapter_tags(ResourceType::Instance))
                .tag_specifications(chapter_tags(ResourceType::Volume))
                .min_count(1)
                .max_count(1)
                .send()
        })
        .await?;
    let Some(run) = run else {
        return Ok("i-(dry-run)".into());
    };
    let instance = run.instances().first().and_then(|i| i.instance_id());
    let instance = instance.context("RunInstances returned no instance")?;
    Ok(instance.to_string())
}
// ANCHOR_END: launch

/// Describe instance `id`: its state, image and volumes.
pub async fn describe(
    console: &mut Console<'_>,
    id: &str,
) -> Result<Option<InstanceView>> {
    let answer = console.call("ec2:DescribeInstances", id, |aws| {
        aws.ec2.describe_instances().instance_ids(id).send()
    });
    let Some(answer) = answer.await? else {
        return Ok(None);
    };
    let instance = answer
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .find(|i| i.instance_id() == Some(id))
        .with_context(|| format!("instance {id} is not described"))?;
    let state = instance.state().and_then(|s| s.name());
    let volumes = instance.block_device_mappings().iter();
    Ok(Some(InstanceView {
        id: id.to_string(),
        state: state
            .map_or("unknown", InstanceStateName::as_str)
            .to_string(),
        image: instance.image_id().unwrap_or_default().to_string(),
        volumes: volumes
            .filter_map(|b| b.device_name())
            .map(str::to_string)
            .collect(),
    }))
}

/// Terminate instance `id` (its extra volume goes with it).
pub async fn terminate(console: &mut Console<'_>, id: &str) -> Result<()> {
    console
        .call("ec2:TerminateInstances", id, |aws| {
            aws.ec2.terminate_instances().instance_ids(id).send()
        })
        .await?;
    Ok(())
}
