//! Chapter 8 · A decision guide: rules of thumb, each checked against the
//! records it can be checked against.
//!
//! A rule names its evidence and a judge: a function that reads the
//! comparison and returns one finding per record (or problem size) the rule
//! speaks about, each saying whether the numbers agree with the rule.

use std::fmt::Write;

use crate::side::Comparison;

/// One record's word on a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// `ch03 fib` (and the size, when a record has several).
    pub record: String,
    pub supports: bool,
    /// The numbers, e.g. `rayon ×2 reached 1.97× (99 % of 2 CPUs)`.
    pub detail: String,
}

/// What the records say about a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Supported,
    /// Some records agree and some do not.
    Mixed,
    Contradicted,
    /// No record measures what the rule speaks about.
    NoEvidence,
}

// ANCHOR: rule
/// A rule of thumb and how to test it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub advice: &'static str,
    /// What the judge reads, in words.
    pub evidence: &'static str,
    /// What may change on a machine with more cores (or a real network).
    pub elsewhere: &'static str,
    pub judge: fn(&Comparison) -> Vec<Finding>,
}
// ANCHOR_END: rule

/// A rule with its findings.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub rule: Rule,
    pub findings: Vec<Finding>,
}

impl Verdict {
    pub fn of(findings: &[Finding]) -> Verdict {
        let agree = findings.iter().filter(|f| f.supports).count();
        match (agree, findings.len()) {
            (_, 0) => Verdict::NoEvidence,
            (a, n) if a == n => Verdict::Supported,
            (0, _) => Verdict::Contradicted,
            _ => Verdict::Mixed,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Mixed => "mixed",
            Verdict::Contradicted => "contradicted",
            Verdict::NoEvidence => "no evidence here",
        }
    }
}

impl Evaluation {
    pub fn verdict(&self) -> Verdict {
        Verdict::of(&self.findings)
    }

    /// `supported (3 of 3 records)`.
    pub fn summary(&self) -> String {
        let agree = self.findings.iter().filter(|f| f.supports).count();
        match self.verdict() {
            Verdict::NoEvidence => Verdict::NoEvidence.name().into(),
            v => format!(
                "{} ({agree} of {} findings agree)",
                v.name(),
                self.findings.len()
            ),
        }
    }
}

/// Judge every rule against the comparison.
pub fn evaluate(rules: &[Rule], comparison: &Comparison) -> Vec<Evaluation> {
    rules
        .iter()
        .map(|rule| Evaluation {
            rule: *rule,
            findings: (rule.judge)(comparison),
        })
        .collect()
}

/// The guide as Markdown: one section per rule, its verdict and findings.
pub fn markdown(evaluations: &[Evaluation]) -> String {
    let mut out = String::new();
    for (i, eval) in evaluations.iter().enumerate() {
        let _ = writeln!(
            out,
            "**{}. {}** — *{}*\n",
            i + 1,
            eval.rule.advice,
            eval.summary()
        );
        let _ = writeln!(out, "- evidence: {}", eval.rule.evidence);
        for f in &eval.findings {
            let mark = if f.supports { "agrees" } else { "disagrees" };
            let _ = writeln!(out, "- {}: {} — {mark}", f.record, f.detail);
        }
        let _ = writeln!(out, "- elsewhere: {}\n", eval.rule.elsewhere);
    }
    out
}

/// The guide for a terminal.
pub fn text(evaluations: &[Evaluation]) -> String {
    let mut out = String::new();
    for (i, eval) in evaluations.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. {}\n   verdict: {}",
            i + 1,
            eval.rule.advice,
            eval.summary()
        );
        let _ = writeln!(out, "   evidence: {}", eval.rule.evidence);
        for f in &eval.findings {
            let mark = if f.supports { "+" } else { "-" };
            let _ = writeln!(out, "   {mark} {}: {}", f.record, f.detail);
        }
        let _ = writeln!(out, "   elsewhere: {}", eval.rule.elsewhere);
    }
    out
}
