//! Keeping secrets out of what the workbook prints, logs and passes on:
//! the one redaction every chapter uses for URLs and environment variables.
//!
//! A broker URL may carry a password (`redis://app:s3cret@db:6379/0`);
//! every URL that reaches stdout, stderr, a log line or an error message
//! goes through [`url`] (or [`text`], for a message that may contain one).
//! Credentials travel to child processes by environment variable, never in
//! their argv (which every user of the machine can read in `/proc`).

/// What a hidden secret is replaced with.
pub const MASK: &str = "***";

/// A password a struct holds: its `Debug` shows [`MASK`], so the struct
/// derives `Debug` and a failed assertion or a log line that prints it
/// leaks nothing; [`Password::expose`] hands it to what must have it (a
/// config file, a URL).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Hold `password`.
    pub fn new(password: String) -> Self {
        Password(password)
    }

    /// The password itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(MASK, f)
    }
}

/// A user name alone that looks like a token (`https://ghp_…@host`): long,
/// with no separator a person's name would have.
const TOKEN_LEN: usize = 20;

/// `url` with the password of its userinfo (and a userinfo that looks like a
/// token) replaced by `***`; scheme, user, host, port and path are kept.
/// Text that is not a URL comes back unchanged.
///
/// `redis://app:s3cret@db:6379/0` → `redis://app:***@db:6379/0`
pub fn url(url: &str) -> String {
    text(url)
}

/// A URL as a hand-written `Debug` shows it: redacted as [`url`] does and
/// quoted like a string, so the host and port stay visible and the password
/// never is. A type holding a URL that may carry a password writes its
/// `Debug` with it instead of deriving one (which would print the URL as
/// it is, in a failed assertion, a log line or a panic):
///
/// ```
/// use workbench::redact::Redacted;
///
/// struct Config { broker: String, backend: Option<String> }
///
/// impl std::fmt::Debug for Config {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.debug_struct("Config")
///             .field("broker", &Redacted(&self.broker))
///             .field("backend", &self.backend.as_deref().map(Redacted))
///             .finish()
///     }
/// }
///
/// let config = Config {
///     broker: "redis://app:s3cret@127.0.0.1:6379/0".into(),
///     backend: None,
/// };
/// assert_eq!(
///     format!("{config:?}"),
///     r#"Config { broker: "redis://app:***@127.0.0.1:6379/0", backend: None }"#
/// );
/// ```
///
/// A field that is a password itself is a [`Password`].
#[derive(Clone, Copy)]
pub struct Redacted<'a>(pub &'a str);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&url(self.0), f)
    }
}

/// `message` with every URL in it redacted as [`url`] does: for an error
/// message or a log line that may quote a URL.
pub fn text(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        // The authority ends at the path, query, fragment or the end of
        // the word (a URL quoted in a sentence).
        let end = tail
            .find(|c: char| {
                "/?#".contains(c) || c.is_whitespace() || "`'\"<>".contains(c)
            })
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str(&userinfo(&authority[..at]));
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn userinfo(info: &str) -> String {
    match info.split_once(':') {
        Some((user, _password)) => format!("{user}:{MASK}"),
        None if looks_like_token(info) => MASK.to_owned(),
        None => info.to_owned(),
    }
}

fn looks_like_token(user: &str) -> bool {
    user.len() >= TOKEN_LEN
        && user.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Does an environment variable of this name hold a secret? Names that
/// contain TOKEN, PASSWORD, PASSWD, SECRET, KEY, CREDENTIAL or AUTH.
pub fn is_secret_name(name: &str) -> bool {
    const WORDS: [&str; 7] = [
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "KEY",
        "CREDENTIAL",
        "AUTH",
    ];
    let upper = name.to_ascii_uppercase();
    WORDS.iter().any(|word| upper.contains(word))
}

/// The variables safe to print or log: secret-named ones dropped
/// ([`is_secret_name`]), URLs in the values of the rest redacted.
pub fn env(
    vars: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    vars.into_iter()
        .filter(|(name, _)| !is_secret_name(name))
        .map(|(name, value)| (name, text(&value)))
        .collect()
}

/// What brokers answer a wrong user or password with, and the name the
/// message gives it: Redis's `WRONGPASS` (the `redis` crate calls it
/// `AuthenticationFailed`) and `NOAUTH`, AMQP's `ACCESS_REFUSED`.
const REFUSALS: [(&str, &str); 5] = [
    ("WRONGPASS", "WRONGPASS"),
    ("NOAUTH", "NOAUTH"),
    ("AuthenticationFailed", "WRONGPASS"),
    ("authentication failed", "WRONGPASS"),
    ("ACCESS_REFUSED", "ACCESS_REFUSED"),
];

// ANCHOR: refused
/// When `error` (a client library's message) says the broker refused the
/// credentials: the error a reader sees, naming the broker by its redacted
/// URL and what to check, never the password. `None` for other errors.
///
/// `Redis at rediss://app:***@127.0.0.1:6390/0 refused the credentials
/// (WRONGPASS); check --broker / REDIS_URL`
pub fn refused_credentials(
    broker: &str,
    url_given: &str,
    error: &str,
    check: &str,
) -> Option<String> {
    let (_, code) = REFUSALS.iter().find(|(said, _)| error.contains(said))?;
    Some(format!(
        "{broker} at {} refused the credentials ({code}); check {check}",
        url(url_given)
    ))
}
// ANCHOR_END: refused

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_broker_and_not_the_password() {
        let said = refused_credentials(
            "Redis",
            "rediss://app:s3cret@127.0.0.1:6390/0",
            "WRONGPASS: invalid username-password pair",
            "REDIS_URL",
        )
        .expect("a refusal");
        assert_eq!(
            said,
            "Redis at rediss://app:***@127.0.0.1:6390/0 refused the \
             credentials (WRONGPASS); check REDIS_URL"
        );
        let other = refused_credentials("Redis", "redis://h", "timed out", "");
        assert_eq!(other, None);
    }

    #[test]
    fn a_password_is_masked_and_the_rest_kept() {
        assert_eq!(
            url("redis://app:s3cret@db.example:6379/0"),
            "redis://app:***@db.example:6379/0"
        );
        assert_eq!(
            url("redis://:s3cret@127.0.0.1:6379"),
            "redis://:***@127.0.0.1:6379"
        );
        assert_eq!(
            url("amqp://guest:guest@127.0.0.1:5672/%2f"),
            "amqp://guest:***@127.0.0.1:5672/%2f"
        );
        assert_eq!(
            url("https://u:p@ss:w@host/path?q=1#f"),
            "https://u:***@host/path?q=1#f"
        );
    }

    #[test]
    fn urls_without_secrets_are_unchanged() {
        for plain in [
            "redis://127.0.0.1:6379/0",
            "redis://app@db:6379",
            "sqlite:/tmp/jobs.db",
            "http://127.0.0.1:8080/rate/EURUSD",
            "not a url at all",
            "",
        ] {
            assert_eq!(url(plain), plain);
        }
    }

    #[test]
    fn redacted_shows_host_and_port_and_never_the_password() {
        let shown = format!("{:?}", Redacted("rediss://app:s3cret@db:6390/0"));
        assert_eq!(shown, r#""rediss://app:***@db:6390/0""#);
        let some = Some("amqp://app:hunter2@127.0.0.1:5672/%2f");
        let shown = format!("{:?}", some.map(Redacted));
        assert_eq!(shown, r#"Some("amqp://app:***@127.0.0.1:5672/%2f")"#);
        let plain = format!("{:?}", Redacted("http://127.0.0.1:8080"));
        assert_eq!(plain, r#""http://127.0.0.1:8080""#);
    }

    #[test]
    fn redacted_keeps_the_formatters_flags() {
        #[derive(Debug)]
        #[allow(dead_code)] // read by Debug only
        struct Config<'a> {
            broker: Redacted<'a>,
        }
        let config = Config {
            broker: Redacted("redis://app:s3cret@127.0.0.1:6379/0"),
        };
        let pretty = format!("{config:#?}");
        assert!(!pretty.contains("s3cret"), "{pretty}");
        assert!(
            pretty.contains("broker: \"redis://app:***@127.0.0.1:6379/0\",\n"),
            "{pretty}"
        );
    }

    #[test]
    fn a_token_as_user_name_is_masked() {
        assert_eq!(
            url("https://ghp_abcdefghijklmnopqrstuvwxyz@github.com/x.git"),
            "https://***@github.com/x.git"
        );
    }

    #[test]
    fn every_url_in_a_message_is_redacted() {
        let message = "cannot reach `redis://a:s3cret@h:1/0`; tried \
                       amqp://b:hunter2@h:2/%2f and redis://h:3 too";
        let clean = text(message);
        assert!(
            !clean.contains("s3cret") && !clean.contains("hunter2"),
            "{clean}"
        );
        assert!(clean.contains("`redis://a:***@h:1/0`"), "{clean}");
        assert!(clean.contains("amqp://b:***@h:2/%2f"), "{clean}");
        assert!(clean.contains("redis://h:3 too"), "{clean}");
    }

    #[test]
    fn secret_variables_are_dropped_and_urls_redacted() {
        let vars = [
            ("CARGO_REGISTRY_TOKEN", "cio_abc"),
            ("AWS_SECRET_ACCESS_KEY", "k"),
            ("REDIS_PASSWORD", "p"),
            ("REDIS_URL", "redis://app:s3cret@db:6379/0"),
            ("CARGO_HOME", "/home/reader/.cargo"),
        ]
        .map(|(n, v)| (n.to_owned(), v.to_owned()));
        let kept = env(vars);
        assert_eq!(
            kept,
            [
                ("REDIS_URL".into(), "redis://app:***@db:6379/0".into()),
                ("CARGO_HOME".into(), "/home/reader/.cargo".into()),
            ]
        );
    }
}
