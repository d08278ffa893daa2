//! Chapter 5 · The cloud as code: the book's S3 steps — a bucket, an
//! `index.html` that only it is public, the bucket as a website, the page
//! fetched back over HTTP.

use std::time::Duration;

use anyhow::{Context, Result};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    ErrorDocument, IndexDocument, Tag, Tagging, WebsiteConfiguration,
};

use super::Aws;
use super::steps::{Console, TAG_KEY, TAG_VALUE, names};

/// The page the bucket serves.
pub const INDEX_HTML: &str = "<!doctype html>\n<title>ch05</title>\n\
<h1>Hello from a bucket</h1>\n<p>Served by S3 as a website.</p>\n";

/// A policy that lets anyone GET `index.html`, and nothing else.
pub fn public_read_policy(bucket: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "PublicReadIndexOnly",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{bucket}/index.html"),
        }]
    })
    .to_string()
}

/// Create `bucket`, tagged as the chapter's; upload `index.html`; make
/// only it public by a bucket policy; serve the bucket as a website.
pub async fn create_website(console: &mut Console<'_>, bucket: &str) -> Result<()> {
    create_tagged(console, bucket).await?;
    publish(console, bucket).await
}

/// Create `bucket`, tagged as the chapter's (so that `cleanup` finds it).
pub async fn create_tagged(console: &mut Console<'_>, bucket: &str) -> Result<()> {
    console
        .call("s3:CreateBucket", bucket, |aws| {
            aws.s3.create_bucket().bucket(bucket).send()
        })
        .await?;
    let tag = Tag::builder().key(TAG_KEY).value(TAG_VALUE).build()?;
    let tagging = Tagging::builder().tag_set(tag).build()?;
    console
        .call("s3:PutBucketTagging", bucket, |aws| {
            let put = aws.s3.put_bucket_tagging().bucket(bucket);
            put.tagging(tagging).send()
        })
        .await?;
    Ok(())
}

// ANCHOR: website
/// Upload `index.html`, make only it public, serve the bucket as a website.
async fn publish(console: &mut Console<'_>, bucket: &str) -> Result<()> {
    let page = format!("{bucket}/index.html");
    console
        .call("s3:PutObject", &page, |aws| {
            let body = ByteStream::from_static(INDEX_HTML.as_bytes());
            let put = aws.s3.put_object().bucket(bucket).key("index.html");
            put.content_type("text/html").body(body).send()
        })
        .await?;
    console
        .call("s3:PutBucketPolicy", bucket, |aws| {
            let put = aws.s3.put_bucket_policy().bucket(bucket);
            put.policy(public_read_policy(bucket)).send()
        })
        .await?;
    let website = WebsiteConfiguration::builder()
        .index_document(IndexDocument::builder().suffix("index.html").build()?)
        .error_document(ErrorDocument::builder().key("index.html").build()?)
        .build();
    console
        .call("s3:PutBucketWebsite", bucket, |aws| {
            let put = aws.s3.put_bucket_website().bucket(bucket);
            put.website_configuration(website).send()
        })
        .await?;
    Ok(())
}
// ANCHOR_END: website

/// Where a browser finds the page: AWS's website endpoint for the region,
/// or the object's path-style URL on a local endpoint.
pub fn website_url(aws: &Aws, bucket: &str) -> String {
    match aws.endpoint() {
        Some(endpoint) => {
            format!("{}/{bucket}/index.html", endpoint.trim_end_matches('/'))
        }
        None => {
            let region = aws.config.region().map_or("us-east-1", |r| r.as_ref());
            format!("http://{bucket}.s3-website-{region}.amazonaws.com/")
        }
    }
}

/// GET `url` anonymously (no AWS signature), as a browser would; the body.
pub fn fetch_page(url: &str) -> Result<String> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent();
    let mut answer = agent
        .get(url)
        .call()
        .with_context(|| format!("GET {url} (the bucket's website)"))?;
    answer
        .body_mut()
        .read_to_string()
        .with_context(|| format!("reading the page at {url}"))
}

/// Delete every object of `bucket`, then the bucket.
pub async fn delete_bucket(console: &mut Console<'_>, bucket: &str) -> Result<()> {
    let objects = console.read("s3:ListObjectsV2", bucket, |aws| {
        aws.s3.list_objects_v2().bucket(bucket).send()
    });
    let keys = names(objects.await?, |l| l.contents(), |o| o.key());
    for key in keys {
        let object = format!("{bucket}/{key}");
        console
            .call("s3:DeleteObject", &object, |aws| {
                aws.s3.delete_object().bucket(bucket).key(&key).send()
            })
            .await?;
    }
    console
        .call("s3:DeleteBucket", bucket, |aws| {
            aws.s3.delete_bucket().bucket(bucket).send()
        })
        .await?;
    Ok(())
}
