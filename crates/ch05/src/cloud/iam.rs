//! Chapter 5 · The cloud as code: the book's IAM step — a user whose policy
//! reaches only the chapter's bucket and queue, an access key, and the
//! chapter's calls made as that user; all of it tagged, and removed again.

use anyhow::{Context, Result};
use aws_sdk_iam::types::Tag;
use workbench::services::MotoServer;

use super::Aws;
use super::steps::{Console, TAG_KEY, TAG_VALUE, failed, names};

/// Requests a moto server answers before it enforces IAM: the three that
/// make the administrator of [`Aws::local_enforcing_iam`].
const FREE_REQUESTS: &str = "3";

impl Aws {
    /// A moto server that checks every request against IAM, as AWS does,
    /// and the clients of an administrator made with its first three
    /// requests (as an account's root user would make one).
    pub async fn local_enforcing_iam() -> Result<Self> {
        let vars = [("INITIAL_NO_AUTH_ACTION_COUNT", FREE_REQUESTS)];
        let start = move || MotoServer::start_with_env(&vars);
        let server = tokio::task::spawn_blocking(start)
            .await
            .context("starting moto's server")??;
        let root = Aws::local_on(server).await;
        let key = make_admin(&root).await?;
        Ok(root.into_user(&key))
    }
}

/// User `ch05-admin`, allowed everything, and its access key.
async fn make_admin(root: &Aws) -> Result<AccessKey> {
    let user = "ch05-admin";
    let all = serde_json::json!({ "Version": "2012-10-17", "Statement": [
        { "Effect": "Allow", "Action": "*", "Resource": "*" } ] });
    let create = root.iam.create_user().user_name(user).send().await;
    create.map_err(|e| failed("iam:CreateUser", user, &e))?;
    let put = root.iam.put_user_policy().user_name(user);
    let put = put
        .policy_name("everything")
        .policy_document(all.to_string());
    put.send()
        .await
        .map_err(|e| failed("iam:PutUserPolicy", user, &e))?;
    let key = root.iam.create_access_key().user_name(user).send().await;
    let key = key.map_err(|e| failed("iam:CreateAccessKey", user, &e))?;
    let key = key.access_key.context("CreateAccessKey returned no key")?;
    Ok(AccessKey {
        user: user.to_string(),
        id: key.access_key_id,
        secret: key.secret_access_key,
    })
}

// ANCHOR: policy
/// The least the chapter needs: its objects and its queue, nothing else.
pub fn chapter_policy(bucket: &str, queue: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Sid": "ListTheChaptersBucket", "Effect": "Allow",
              "Action": ["s3:ListBucket"],
              "Resource": format!("arn:aws:s3:::{bucket}") },
            { "Sid": "ItsObjects", "Effect": "Allow",
              "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
              "Resource": format!("arn:aws:s3:::{bucket}/*") },
            { "Sid": "ItsQueue", "Effect": "Allow",
              "Action": ["sqs:SendMessage", "sqs:ReceiveMessage",
                         "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                         "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
              "Resource": format!("arn:aws:sqs:*:*:{queue}") },
        ]
    })
    .to_string()
}
// ANCHOR_END: policy

/// An access key of a user. The secret is never printed.
#[derive(Clone)]
pub struct AccessKey {
    pub user: String,
    pub id: String,
    pub secret: String,
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (user, id) = (&self.user, &self.id);
        write!(
            f,
            "AccessKey {{ user: {user}, id: {id}, secret: (hidden) }}"
        )
    }
}

fn chapter_tag() -> Result<Tag> {
    Ok(Tag::builder().key(TAG_KEY).value(TAG_VALUE).build()?)
}

// ANCHOR: user
/// Create user `user` and the managed policy `user`-policy holding
/// `policy`, both tagged; attach one to the other; make an access key.
/// `None` under `--dry-run`.
pub async fn create_user(
    console: &mut Console<'_>,
    user: &str,
    policy: &str,
) -> Result<Option<AccessKey>> {
    let tag = chapter_tag()?;
    console
        .call("iam:CreateUser", user, |aws| {
            aws.iam
                .create_user()
                .user_name(user)
                .tags(tag.clone())
                .send()
        })
        .await?;
    let name = format!("{user}-policy");
    let made = console.call("iam:CreatePolicy", &name, |aws| {
        let create = aws.iam.create_policy().policy_name(&name);
        create.policy_document(policy).tags(tag).send()
    });
    let arn = made.await?.and_then(|m| m.policy?.arn);
    let arn = arn.unwrap_or_else(|| format!("(the arn of {name})"));
    console
        .call("iam:AttachUserPolicy", user, |aws| {
            let attach = aws.iam.attach_user_policy().user_name(user);
            attach.policy_arn(&arn).send()
        })
        .await?;
    let key = console.call("iam:CreateAccessKey", user, |aws| {
        aws.iam.create_access_key().user_name(user).send()
    });
    // ANCHOR_END: user
    let Some(made) = key.await? else {
        return Ok(None);
    };
    let key = made.access_key.context("CreateAccessKey returned no key")?;
    Ok(Some(AccessKey {
        user: user.to_string(),
        id: key.access_key_id,
        secret: key.secret_access_key,
    }))
}

/// The users and the managed policies tagged as the chapter's.
pub async fn tagged(
    console: &mut Console<'_>,
) -> Result<(Vec<String>, Vec<String>)> {
    let users =
        console.read("iam:ListUsers", "all", |aws| aws.iam.list_users().send());
    let users = names(users.await?, |u| u.users(), |u| Some(u.user_name()));
    let mut ours = Vec::new();
    for name in users {
        let tags = console.read("iam:ListUserTags", &name, |aws| {
            aws.iam.list_user_tags().user_name(&name).send()
        });
        if tags.await?.is_some_and(|t| is_ours(t.tags())) {
            ours.push(name);
        }
    }
    let policies = console.read("iam:ListPolicies", "local", |aws| {
        let list = aws.iam.list_policies();
        list.scope(aws_sdk_iam::types::PolicyScopeType::Local)
            .send()
    });
    let arns = names(policies.await?, |p| p.policies(), |p| p.arn());
    let mut our_policies = Vec::new();
    for arn in arns {
        let tags = console.read("iam:ListPolicyTags", &arn, |aws| {
            aws.iam.list_policy_tags().policy_arn(&arn).send()
        });
        if tags.await?.is_some_and(|t| is_ours(t.tags())) {
            our_policies.push(arn);
        }
    }
    Ok((ours, our_policies))
}

fn is_ours(tags: &[Tag]) -> bool {
    tags.iter()
        .any(|t| t.key() == TAG_KEY && t.value() == TAG_VALUE)
}

// ANCHOR: cleanup
/// Remove the chapter's users (their keys and attachments first), then
/// its policies.
pub async fn cleanup(console: &mut Console<'_>) -> Result<()> {
    let (users, policies) = tagged(console).await?;
    for user in &users {
        let keys = console.read("iam:ListAccessKeys", user, |aws| {
            aws.iam.list_access_keys().user_name(user).send()
        });
        let keys = keys.await?;
        for key in keys.iter().flat_map(|k| k.access_key_metadata()) {
            let id = key.access_key_id().unwrap_or_default();
            console
                .call("iam:DeleteAccessKey", id, |aws| {
                    let delete = aws.iam.delete_access_key().user_name(user);
                    delete.access_key_id(id).send()
                })
                .await?;
        }
        let attached = console.read("iam:ListAttachedUserPolicies", user, |aws| {
            aws.iam.list_attached_user_policies().user_name(user).send()
        });
        let attached = attached.await?;
        for policy in attached.iter().flat_map(|a| a.attached_policies()) {
            let arn = policy.policy_arn().unwrap_or_default();
            console
                .call("iam:DetachUserPolicy", user, |aws| {
                    let detach = aws.iam.detach_user_policy().user_name(user);
                    detach.policy_arn(arn).send()
                })
                .await?;
        }
        console
            .call("iam:DeleteUser", user, |aws| {
                aws.iam.delete_user().user_name(user).send()
            })
            .await?;
    }
    for arn in &policies {
        console
            .call("iam:DeletePolicy", arn, |aws| {
                aws.iam.delete_policy().policy_arn(arn).send()
            })
            .await?;
    }
    Ok(())
}
// ANCHOR_END: cleanup
