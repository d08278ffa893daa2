//! The variants of one example as an `enum`: a comparison dispatches on it
//! with a `match` that names every variant, so a name added to the list
//! without its code is a compile error, not another variant's code run
//! under the new name. `--help` names them: a subcommand adds
//! `#[command(mut_arg("variants", workbench::variants::listed::<V>))]`.

use anyhow::Result;

use crate::cli::CommonArgs;

#[doc(hidden)]
pub use clap; // for `variants!` in crates that do not depend on clap

/// An example's variants: every value in [`Variant::ALL`], each with the
/// name the command line, the records and the book use.
pub trait Variant: Copy + Sized + 'static {
    /// Every variant, in the order they are shown.
    const ALL: &'static [Self];
    /// The variant's name (`seq`, `threads`, ...).
    fn name(self) -> &'static str;
}

/// Declare an example's variants: an `enum` implementing [`Variant`],
/// `clap::ValueEnum` and `FromStr`, and a constant array of their names.
///
/// ```
/// workbench::variants! {
///     /// The variants of the sum comparison.
///     pub enum SumVariant, names SUM_VARIANTS {
///         Seq = "seq",
///         Threads = "threads",
///     }
/// }
/// assert_eq!(SUM_VARIANTS, ["seq", "threads"]);
/// assert_eq!("threads".parse::<SumVariant>(), Ok(SumVariant::Threads));
/// ```
#[macro_export]
macro_rules! variants {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident, names $list:ident {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $crate::variants::Variant for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl $crate::variants::clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                <Self as $crate::variants::Variant>::ALL
            }
            fn to_possible_value(
                &self,
            ) -> ::std::option::Option<$crate::variants::clap::builder::PossibleValue> {
                let name = $crate::variants::Variant::name(*self);
                Some($crate::variants::clap::builder::PossibleValue::new(name))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::string::String;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(::std::format!(
                        "unknown variant `{s}`; this example has: {}",
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::variants::Variant::name(*self))
            }
        }

        /// The names of the variants, in the order they are shown.
        $vis const $list: [&str; [$($text),+].len()] = [$($text),+];
    };
}

/// `--variants`' help naming every variant of `V`: for a subcommand's
/// `#[command(mut_arg("variants", workbench::variants::listed::<V>))]`.
pub fn listed<V: Variant>(arg: clap::Arg) -> clap::Arg {
    let names: Vec<&str> = V::ALL.iter().map(|v| v.name()).collect();
    arg.help(format!(
        "Variants to run, comma-separated: {} (default: all)",
        names.join(", ")
    ))
}

impl CommonArgs {
    /// The worker counts to run `variant` on: `seq` once, on one worker;
    /// any other on each of [`CommonArgs::worker_counts`].
    pub fn workers_for<V: Variant>(&self, variant: V) -> Vec<usize> {
        if variant.name() == "seq" {
            vec![1]
        } else {
            self.worker_counts()
        }
    }

    /// The variants asked for with `--variants` (default: all of `V`), in
    /// the order given, each once; an unknown name is a usage error.
    pub fn variants_of<V: Variant + PartialEq>(&self) -> Result<Vec<V>> {
        let all: Vec<&str> = V::ALL.iter().map(|v| v.name()).collect();
        let mut variants = Vec::new();
        for name in self.variants_among(&all)? {
            let found = V::ALL.iter().copied().find(|v| v.name() == name);
            if let Some(variant) = found.filter(|v| !variants.contains(v)) {
                variants.push(variant);
            }
        }
        Ok(variants)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::UsageError;

    crate::variants! {
        enum Demo, names DEMO {
            Seq = "seq",
            Threads = "threads",
            Dist = "dist",
        }
    }

    fn asking(names: &[&str]) -> CommonArgs {
        CommonArgs {
            variants: Some(names.iter().map(|s| s.to_string()).collect()),
            ..CommonArgs::default()
        }
    }

    #[test]
    fn the_names_list_matches_the_enum() {
        assert_eq!(DEMO, ["seq", "threads", "dist"]);
        let names: Vec<_> = Demo::ALL.iter().map(|v| v.to_string()).collect();
        assert_eq!(names, DEMO);
    }

    #[test]
    fn variants_come_in_the_order_asked_once_and_all_by_default() {
        let asked = asking(&["dist", "seq", "dist"]).variants_of::<Demo>();
        assert_eq!(asked.expect("known"), [Demo::Dist, Demo::Seq]);
        let all = CommonArgs::default().variants_of::<Demo>();
        assert_eq!(all.expect("all"), Demo::ALL);
    }

    #[test]
    fn help_lists_the_variants_and_value_enum_knows_them() {
        use clap::{CommandFactory, Parser, ValueEnum};
        #[derive(Parser)]
        struct Cli {
            #[command(subcommand)]
            example: Example,
        }
        #[derive(clap::Subcommand)]
        enum Example {
            #[command(mut_arg("variants", listed::<Demo>))]
            Fib {
                #[command(flatten)]
                common: CommonArgs,
            },
        }
        let mut command = Cli::command();
        let fib = command.find_subcommand_mut("fib").expect("fib");
        let help = fib.render_help().to_string();
        assert!(
            help.contains("comma-separated: seq, threads, dist"),
            "{help}"
        );
        assert_eq!(Demo::value_variants(), Demo::ALL);
        assert_eq!(Demo::from_str("dist", false), Ok(Demo::Dist));
    }

    #[test]
    fn seq_runs_on_one_worker_the_others_on_each_count() {
        let common = CommonArgs {
            workers: Some(vec![2, 4]),
            ..CommonArgs::default()
        };
        assert_eq!(common.workers_for(Demo::Seq), [1]);
        assert_eq!(common.workers_for(Demo::Threads), [2, 4]);
    }

    #[test]
    fn an_unknown_name_is_a_usage_error() {
        let err = asking(&["seq", "processes"])
            .variants_of::<Demo>()
            .expect_err("processes is not a Demo variant");
        assert!(err.downcast_ref::<UsageError>().is_some(), "{err:#}");
        assert!(err.to_string().contains("processes"), "{err}");
        assert!("processes".parse::<Demo>().is_err());
    }
}
