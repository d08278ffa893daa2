//! `cargo xtask secrets`: no derived `Debug` can print a password.
//!
//! A derived `Debug` prints every field as it is, so a type that holds a
//! broker URL prints its password in a failed assertion, a panic or a log
//! line: CI once showed `redis://app:62b3…@127.0.0.1:…/0` that way. This
//! check reads every `.rs` file under `crates/` and fails on each type that
//! derives `Debug` and has a field of a string type (`String`, `&str`,
//! `Option<String>`, `Vec<String>`, …) that is
//!
//! - named like a secret or a URL: a word of its name (`broker_url` →
//!   `broker`, `url`; `RedisUrl` → `redis`, `url`) is in [`WORDS`], or
//! - read from such an environment variable (`#[arg(env = "REDIS_URL")]`,
//!   or a name [`workbench::redact::is_secret_name`] calls secret).
//!
//! For a tuple struct or an enum's tuple variant, the type's or the
//! variant's name is the field's (`Redis(String)`).
//!
//! Such a type keeps a password in a `workbench::redact::Password` (its
//! `Debug` shows `***`, so the type still derives `Debug`), writes its
//! `Debug` by hand with [`workbench::redact::Redacted`] for a URL, or does
//! without `Debug`. A field whose name misleads (a URL that never holds
//! credentials, a network namespace called `broker`) is listed in
//! [`ALLOWED`] with the reason; an entry that no longer matches a field
//! fails the check too.
//!
//! The scan parses each file with `syn` and visits every struct and enum,
//! also those in modules, functions and impl blocks, and in a macro's
//! input that parses as items; a `derive(Debug)` inside `cfg_attr` counts
//! too. A file that does not parse fails the check. It does not see a type
//! that a macro builds (a `macro_rules!` body, a proc macro's output), nor
//! a secret in a field of another type (that type's own `Debug` is checked
//! where it is defined).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use proc_macro2::{TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{
    Attribute, Fields, GenericArgument, ItemEnum, ItemStruct, Lit, Macro, Meta,
    PathArguments, Token, Type,
};

/// Words of a field's name that say it may hold a secret or a URL with
/// credentials in it; a plural (`urls`) counts as its singular.
pub const WORDS: [&str; 14] = [
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "credential",
    "auth",
    "url",
    "uri",
    "dsn",
    "broker",
    "backend",
    "redis",
    "amqp",
];

/// Fields named like a secret that hold none: (file, `Type.field`, why).
pub const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "crates/ch02/src/probe.rs",
        "Probe.base_url",
        "the rate service's base URL: plain http, and the service has no \
         authentication, so no credentials",
    ),
    (
        "crates/ch02/src/fetch/dist.rs",
        "Batch.base_url",
        "the rate service's base URL: plain http, and the service has no \
         authentication, so no credentials",
    ),
    (
        "crates/ch04/src/rpc/mod.rs",
        "RateBookObject.rates_url",
        "the rate service's base URL: plain http, and the service has no \
         authentication, so no credentials",
    ),
    (
        "crates/ch05/src/cloud/tasks.rs",
        "TaskQueue.queue_url",
        "an SQS queue URL names the queue; the credentials travel apart",
    ),
    (
        "crates/ch05/src/cloud/sqs_worker.rs",
        "SqsWorkerConfig.queue_url",
        "an SQS queue URL names the queue; the credentials travel apart",
    ),
    (
        "crates/ch05/src/hosts/mod.rs",
        "Hosts.broker",
        "the name of the broker host's network namespace, not a URL",
    ),
];

/// A type deriving `Debug` with a field that may hold a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line of the field.
    pub line: usize,
    /// The type, and the field (its name, the variant's, or its index).
    pub field: String,
    /// Why it is suspect: the word or the environment variable.
    pub why: String,
}

/// Check every `.rs` file under `root/crates`; fail naming each finding.
pub fn check(root: &Path) -> Result<()> {
    let problems = problems(root)?;
    if !problems.is_empty() {
        for problem in &problems {
            eprintln!("{problem}");
        }
        bail!(
            "{} secrets a derived Debug would print (see above): write the \
             Debug by hand with workbench::redact::Redacted, or allow the \
             field in crates/xtask/src/secrets.rs with the reason",
            problems.len()
        );
    }
    println!("ok: no derived Debug prints a field named like a secret or a URL");
    Ok(())
}

/// Every finding not allowed, and every allowance that matches nothing.
pub fn problems(root: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files)?;
    files.sort();
    let mut problems = Vec::new();
    let mut used = vec![false; ALLOWED.len()];
    for path in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let rel = path.strip_prefix(root).unwrap_or(&path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let findings = scan(&text).map_err(|err| {
            let at = err.span().start();
            anyhow!("{rel}:{}:{}: not Rust: {err}", at.line, at.column + 1)
        })?;
        for finding in findings {
            let allowed = ALLOWED.iter().position(|(file, field, _)| {
                *file == rel && *field == finding.field
            });
            match allowed {
                Some(at) => used[at] = true,
                None => problems.push(format!(
                    "{rel}:{}: {} derives Debug and may hold a secret ({})",
                    finding.line, finding.field, finding.why
                )),
            }
        }
    }
    for ((file, field, _), used) in ALLOWED.iter().zip(used) {
        if !used {
            problems.push(format!(
                "{file}: {field} is allowed in secrets.rs but no longer found"
            ));
        }
    }
    Ok(problems)
}

/// The `.rs` files under `dir`, skipping `target` directories.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|name| name != "target") {
                rust_files(&path, out)?;
            }
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The types in `text` that derive `Debug` and have a field that may hold
/// a secret; an error if `text` is not Rust.
pub fn scan(text: &str) -> syn::Result<Vec<Finding>> {
    let mut scan = Scan(Vec::new());
    scan.visit_file(&syn::parse_file(text)?);
    Ok(scan.0)
}

/// The visitor: it reaches every struct and enum, nested ones too.
struct Scan(Vec<Finding>);

impl Visit<'_> for Scan {
    fn visit_item_struct(&mut self, item: &ItemStruct) {
        if derives_debug(&item.attrs) {
            let name = item.ident.to_string();
            self.fields(&item.fields, &name, &name);
        }
        visit::visit_item_struct(self, item);
    }

    fn visit_item_enum(&mut self, item: &ItemEnum) {
        if derives_debug(&item.attrs) {
            for variant in &item.variants {
                let owner = format!("{}::{}", item.ident, variant.ident);
                self.fields(&variant.fields, &owner, &variant.ident.to_string());
            }
        }
        visit::visit_item_enum(self, item);
    }

    /// A macro's input is read too when it parses as items
    /// (`some_macro! { #[derive(Debug)] struct … }`).
    fn visit_macro(&mut self, mac: &Macro) {
        if let Ok(file) = syn::parse2::<syn::File>(mac.tokens.clone()) {
            self.visit_file(&file);
        }
    }
}

impl Scan {
    /// Record the suspect `fields` of `owner`; a tuple field goes by `name`.
    fn fields(&mut self, fields: &Fields, owner: &str, name: &str) {
        for (index, field) in fields.iter().enumerate() {
            let (name, label, line) = match &field.ident {
                Some(ident) => (
                    ident.to_string(),
                    ident.to_string(),
                    ident.span().start().line,
                ),
                None => (
                    name.to_owned(),
                    index.to_string(),
                    field.ty.span().start().line,
                ),
            };
            if let Some(why) = suspect(&name, &env_vars(&field.attrs), &field.ty) {
                let field = format!("{owner}.{label}");
                self.0.push(Finding { line, field, why });
            }
        }
    }
}

/// Does one of `attrs` derive `Debug` (`Debug`, `std::fmt::Debug`), also
/// inside `cfg_attr`?
fn derives_debug(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| debug_in(&attr.meta))
}

/// Does `meta` (an attribute's contents) derive `Debug`?
fn debug_in(meta: &Meta) -> bool {
    let Meta::List(list) = meta else {
        return false;
    };
    if list.path.is_ident("derive") {
        let paths = list
            .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated);
        paths.is_ok_and(|paths| {
            paths
                .iter()
                .any(|path| path.segments.last().is_some_and(|s| s.ident == "Debug"))
        })
    } else if list.path.is_ident("cfg_attr") {
        // The condition, then the attributes it applies.
        let metas =
            list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated);
        metas.is_ok_and(|metas| metas.iter().skip(1).any(debug_in))
    } else {
        false
    }
}

/// The environment variables `attrs` name (`env = "…"`, at any depth).
fn env_vars(attrs: &[Attribute]) -> Vec<String> {
    fn walk(tokens: TokenStream, vars: &mut Vec<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (k, token) in tokens.iter().enumerate() {
            match (token, tokens.get(k + 1), tokens.get(k + 2)) {
                (TokenTree::Group(group), ..) => walk(group.stream(), vars),
                (
                    TokenTree::Ident(env),
                    Some(TokenTree::Punct(eq)),
                    Some(TokenTree::Literal(lit)),
                ) if env == "env" && eq.as_char() == '=' => {
                    if let Lit::Str(name) = Lit::new(lit.clone()) {
                        vars.push(name.value());
                    }
                }
                _ => {}
            }
        }
    }
    let mut vars = Vec::new();
    for attr in attrs {
        if let Meta::List(list) = &attr.meta {
            walk(list.tokens.clone(), &mut vars);
        }
    }
    vars
}

/// Why a field named `name`, read from `env`, of type `ty` may hold a
/// secret; `None` if it may not.
fn suspect(name: &str, env: &[String], ty: &Type) -> Option<String> {
    if !stringy(ty) {
        return None;
    }
    if let Some(word) = words(name).into_iter().find(|w| secret_word(w)) {
        return Some(format!("a string named `{word}`"));
    }
    let secret_env = env.iter().find(|var| {
        workbench::redact::is_secret_name(var)
            || var.split('_').any(|w| secret_word(&w.to_ascii_lowercase()))
    });
    secret_env.map(|var| format!("a string read from ${var}"))
}

/// Is `word` (lowercase) or its singular in [`WORDS`]?
fn secret_word(word: &str) -> bool {
    let singular = word.strip_suffix('s').unwrap_or(word);
    WORDS.contains(&word) || WORDS.contains(&singular)
}

/// The words of a snake_case or CamelCase name, lowercase.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut word = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_uppercase() && prev_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            word.extend(c.to_lowercase());
        }
        out.push(word);
    }
    out
}

/// Is `ty` text: `String`, `str`, `&str`, `&'a str`, `Box<str>`,
/// `Cow<'_, str>`, or an `Option`, `Vec`, `Box`, `Arc`, `Rc`, `Cow`, array
/// or slice of one? A path may go through `std`, `core`, `alloc` and their
/// modules (`std::string::String`), no other.
fn stringy(ty: &Type) -> bool {
    const MODULES: [&str; 10] = [
        "std", "core", "alloc", "string", "borrow", "sync", "rc", "option", "vec",
        "boxed",
    ];
    let path = match ty {
        Type::Reference(inner) => return stringy(&inner.elem),
        Type::Array(inner) => return stringy(&inner.elem),
        Type::Slice(inner) => return stringy(&inner.elem),
        Type::Paren(inner) => return stringy(&inner.elem),
        Type::Group(inner) => return stringy(&inner.elem),
        Type::Path(path) if path.qself.is_none() => &path.path,
        _ => return false,
    };
    let Some(last) = path.segments.last() else {
        return false;
    };
    let mut modules = path.segments.iter().take(path.segments.len() - 1);
    if !modules.all(|m| MODULES.iter().any(|name| m.ident == name)) {
        return false;
    }
    match (last.ident.to_string().as_str(), &last.arguments) {
        ("String" | "str", PathArguments::None) => true,
        (
            "Option" | "Vec" | "Box" | "Arc" | "Rc" | "Cow",
            PathArguments::AngleBracketed(args),
        ) => {
            let mut types = args
                .args
                .iter()
                .filter(|arg| !matches!(arg, GenericArgument::Lifetime(_)));
            match (types.next(), types.next()) {
                (Some(GenericArgument::Type(inner)), None) => stringy(inner),
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
#[path = "secrets_tests.rs"]
mod tests;
