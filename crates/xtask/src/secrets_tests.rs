use super::*;

/// `Type.field` of each finding in `source`.
fn fields(source: &str) -> Vec<String> {
    let findings = scan(source).expect("the source parses");
    findings.into_iter().map(|f| f.field).collect()
}

#[test]
fn a_derived_debug_of_a_url_or_a_password_is_found() {
    let source = r#"
/// A config.
#[derive(Debug, Clone)]
pub struct Config {
    /// The broker.
    #[arg(long, env = "REDIS_URL", hide_env_values = true)]
    pub broker: String,
    pub(crate) redis_url: Option<String>,
    password: Option<&'static str>,
    api_token: Box<str>,
    urls: Vec<String>,
    port: u16,
    queue: String,
}
"#;
    assert_eq!(
        fields(source),
        [
            "Config.broker",
            "Config.redis_url",
            "Config.password",
            "Config.api_token",
            "Config.urls",
        ]
    );
    let first = &scan(source).expect("the source parses")[0];
    assert_eq!(first.line, 7, "the field's line");
}

#[test]
fn a_field_read_from_a_secret_variable_is_found_whatever_its_name() {
    let source = r#"
#[derive(Debug, clap::Args)]
struct Args {
    #[arg(
        long,
        env = "CH04_RATES_URL",
        value_name = "URL"
    )]
    rates: Option<String>,
    #[arg(long, env = "CH05_QUEUE", default_value = "ch05:jobs")]
    queue: String,
    #[arg(long, env = "APP_API_KEY")]
    key: String,
}
"#;
    assert_eq!(fields(source), ["Args.rates", "Args.key"]);
}

#[test]
fn enums_tuple_structs_and_generics_are_read() {
    let source = r#"
#[derive(Debug, Clone, PartialEq)]
pub enum Store {
    /// A file.
    Sqlite(PathBuf),
    Redis(String),
    Remote { name: String, backend: Option<String> },
    Plain,
    Numbered = 3,
}

#[derive(Debug)]
pub struct BrokerUrl(pub String);

#[derive(std::fmt::Debug)]
pub struct Ctx<'a, T: Fn() -> u8>
where
    T: Clone,
{
    pub scale: HashMap<String, Vec<u8>>,
    pub url: Option<&'a str>,
    pub f: T,
}
"#;
    assert_eq!(
        fields(source),
        [
            "Store::Redis.0",
            "Store::Remote.backend",
            "BrokerUrl.0",
            "Ctx.url"
        ]
    );
}

#[test]
fn what_does_not_derive_debug_or_is_not_text_passes() {
    let source = r##"
// #[derive(Debug)] struct Commented { url: String }
#[derive(Clone)]
pub struct NoDebug {
    url: String,
}

impl std::fmt::Debug for NoDebug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoDebug")
            .field("url", &workbench::redact::Redacted(&self.url))
            .finish()
    }
}

#[derive(Debug)]
struct Typed {
    broker: Box<dyn Broker>,
    url: workbench::redact::Redacted<'static>,
    tokens: usize,
    author: String,
    keys: Keys,
}

fn f() -> &'static str {
    let c = '"';
    let d = '\'';
    "#[derive(Debug)] struct InAString { url: String }"
}
"##;
    assert_eq!(fields(source), Vec::<String>::new());
}

#[test]
fn strings_and_comments_do_not_confuse_the_braces() {
    let source = r####"
#[derive(Debug)]
struct A {
    #[arg(default_value = "{", help = r#"a "}" brace"#)]
    x: u8, // }
    /* } */ secret: String,
}
#[derive(Debug)]
struct B { token: String }
"####;
    assert_eq!(fields(source), ["A.secret", "B.token"]);
}

#[test]
fn nested_types_cfg_attr_and_macro_input_are_read() {
    let source = r#"
mod inner {
    #[cfg_attr(test, derive(Clone, Debug))]
    pub struct A { url: String }
    #[cfg_attr(feature = "x", cfg_attr(unix, derive(PartialEq, Debug)))]
    pub struct Secret(&'static str);
    #[cfg_attr(test, derive(Clone))]
    pub struct NotDebug { url: String }
}
impl Thing {
    fn f() {
        #[derive(Debug)]
        enum Local { Token(std::borrow::Cow<'static, str>) }
    }
}
some_macro! {
    #[derive(Debug)]
    struct InMacro { dsn: [String; N] }
}
"#;
    assert_eq!(
        fields(source),
        ["A.url", "Secret.0", "Local::Token.0", "InMacro.dsn"]
    );
}

#[test]
fn a_file_that_does_not_parse_is_an_error() {
    let err = scan("#[derive(Debug)]\nstruct A { url: String")
        .expect_err("an unclosed brace");
    assert_eq!(err.span().start().line, 2, "{err}");
}

#[test]
fn names_split_into_words() {
    assert_eq!(words("redis_url"), ["redis", "url"]);
    assert_eq!(words("RedisUrl"), ["redis", "url"]);
    assert_eq!(words("BROKER"), ["broker"]);
    assert_eq!(words("urls"), ["urls"]);
    assert_eq!(words("s3_url"), ["s3", "url"]);
}

/// The workspace itself: every type deriving `Debug` hides its secrets, and
/// every allowance still names a field.
#[test]
fn no_derived_debug_in_the_workspace_prints_a_secret() -> Result<()> {
    let problems = problems(&crate::paths::root())?;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    Ok(())
}

#[test]
fn every_allowance_gives_a_reason() {
    for (file, field, why) in ALLOWED {
        assert!(
            file.starts_with("crates/") && file.ends_with(".rs"),
            "{file}"
        );
        assert!(field.contains('.'), "{field}");
        assert!(why.split_whitespace().count() >= 5, "{field}: {why}");
    }
}
