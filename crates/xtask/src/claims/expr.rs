//! Pages (issue 12): arithmetic on record references, and claims' checks.
//!
//! Tokens are split on whitespace (names contain `-`), so operators stand
//! apart: `ch06-fib:dist@2.speedup / ch06-fib:threads@2.speedup > 0.9`.

use anyhow::{Result, anyhow, bail};

use super::records::{Found, Records};

/// A number: a literal, a reference, or two numbers and an operator.
#[derive(Debug, Clone, PartialEq)]
pub enum Num {
    Lit(f64),
    Ref(String),
    Bin(Box<Num>, char, Box<Num>),
}

/// `lhs op rhs`, op one of `<`, `<=`, `>`, `>=`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmp {
    pub lhs: Num,
    pub op: String,
    pub rhs: Num,
}

/// A claim's check: any of the groups holds when all its comparisons do.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub any_of: Vec<Vec<Cmp>>,
}

fn tokens(text: &str) -> Vec<String> {
    text.replace('(', " ( ")
        .replace(')', " ) ")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The arithmetic operators by precedence, loosest first.
const LEVELS: [&[char]; 2] = [&['+', '-'], &['*', '/']];

/// `token` as one of `ops`, if it is one.
fn operator(token: &str, ops: &[char]) -> Option<char> {
    let mut chars = token.chars();
    let op = chars.next().filter(|c| ops.contains(c))?;
    chars.next().is_none().then_some(op)
}

struct Parser {
    tokens: Vec<String>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next(&mut self) -> Result<String> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token.ok_or_else(|| anyhow!("the expression ends too early"))
    }

    fn sum(&mut self) -> Result<Num> {
        self.operands(0)
    }

    /// Operands joined by the operators of `LEVELS[level]`, left to
    /// right; an operand binds the tighter levels (at the last, an atom).
    fn operands(&mut self, level: usize) -> Result<Num> {
        let operand = |p: &mut Self| match level + 1 < LEVELS.len() {
            true => p.operands(level + 1),
            false => p.atom(),
        };
        let mut num = operand(self)?;
        while let Some(op) = self.peek().and_then(|t| operator(t, LEVELS[level])) {
            self.at += 1;
            num = Num::Bin(Box::new(num), op, Box::new(operand(self)?));
        }
        Ok(num)
    }

    fn atom(&mut self) -> Result<Num> {
        let token = self.next()?;
        if token == "(" {
            let inner = self.sum()?;
            if self.next()? != ")" {
                bail!("a `(` without its `)`");
            }
            return Ok(inner);
        }
        if let Ok(value) = token.parse::<f64>() {
            return Ok(Num::Lit(value));
        }
        if token.contains(':') {
            return Ok(Num::Ref(token));
        }
        bail!("`{token}` is neither a number nor RECORD:PATH")
    }

    fn cmp(&mut self) -> Result<Cmp> {
        let lhs = self.sum()?;
        let op = self.next()?;
        if !matches!(op.as_str(), "<" | "<=" | ">" | ">=") {
            bail!("`{op}` is not a comparison (<, <=, >, >=)");
        }
        let rhs = self.sum()?;
        Ok(Cmp { lhs, op, rhs })
    }

    fn done(&self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(extra) => bail!("unexpected `{extra}`"),
        }
    }
}

/// Parse `EXPR` (arithmetic on references and numbers).
pub fn parse_num(text: &str) -> Result<Num> {
    let mut parser = Parser {
        tokens: tokens(text),
        at: 0,
    };
    let num = parser.sum()?;
    parser.done()?;
    Ok(num)
}

/// Parse a claim's check: comparisons joined by `and` / `or`.
pub fn parse_check(text: &str) -> Result<Check> {
    let mut parser = Parser {
        tokens: tokens(text),
        at: 0,
    };
    let mut any_of = vec![vec![parser.cmp()?]];
    while let Some(word @ ("and" | "or")) = parser.peek() {
        let or = word == "or";
        parser.at += 1;
        let cmp = parser.cmp()?;
        match any_of.last_mut() {
            Some(group) if !or => group.push(cmp),
            _ => any_of.push(vec![cmp]),
        }
    }
    parser.done()?;
    Ok(Check { any_of })
}

impl Num {
    /// Its value, looking references up in `records`.
    pub fn eval(&self, records: &Records) -> Result<f64> {
        Ok(match self {
            Num::Lit(value) => *value,
            Num::Ref(name) => records.get(name)?.value,
            Num::Bin(a, op, b) => {
                let (a, b) = (a.eval(records)?, b.eval(records)?);
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ => a / b,
                }
            }
        })
    }

    /// Every reference in it, in order.
    pub fn refs(&self) -> Vec<&str> {
        match self {
            Num::Lit(_) => Vec::new(),
            Num::Ref(name) => vec![name.as_str()],
            Num::Bin(a, _, b) => [a.refs(), b.refs()].concat(),
        }
    }
}

impl Cmp {
    pub fn holds(&self, records: &Records) -> Result<bool> {
        let (a, b) = (self.lhs.eval(records)?, self.rhs.eval(records)?);
        Ok(match self.op.as_str() {
            "<" => a < b,
            "<=" => a <= b,
            ">" => a > b,
            _ => a >= b,
        })
    }
}

impl Check {
    /// Whether it holds on `records` (an error: a reference is missing).
    pub fn holds(&self, records: &Records) -> Result<bool> {
        for group in &self.any_of {
            let mut all = true;
            for cmp in group {
                all &= cmp.holds(records)?;
            }
            if all {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `ref = value` for every reference, as measured in `records`.
    pub fn values(&self, records: &Records) -> Vec<(String, Result<Found>)> {
        let mut out: Vec<(String, Result<Found>)> = Vec::new();
        let cmps = self.any_of.iter().flatten();
        for name in cmps.flat_map(|c| [c.lhs.refs(), c.rhs.refs()].concat()) {
            if !out.iter().any(|(seen, _)| seen == name) {
                out.push((name.to_string(), records.get(name)));
            }
        }
        out
    }
}
