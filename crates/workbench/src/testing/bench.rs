//! Workbench · testing::bench: one criterion group per workload and one
//! `BenchmarkId::new(variant, size)` per variant, set up alike for every
//! chapter's `benches/variants.rs` (feature `bench`).

use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion};

/// A criterion group of a workload's variants, all at one size.
pub struct Variants<'c> {
    group: BenchmarkGroup<'c, WallTime>,
    size: String,
}

/// The group `workload` at `size`: `samples` samples, measured for
/// `seconds` per variant.
pub fn variants<'c>(
    c: &'c mut Criterion,
    workload: &str,
    size: impl Into<String>,
    samples: usize,
    seconds: u64,
) -> Variants<'c> {
    let mut group = c.benchmark_group(workload);
    group
        .sample_size(samples)
        .measurement_time(Duration::from_secs(seconds));
    Variants {
        group,
        size: size.into(),
    }
}

impl std::fmt::Debug for Variants<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Variants")
            .field("size", &self.size)
            .finish()
    }
}

impl Variants<'_> {
    /// Bench `variant`: `run` once per iteration, its answer kept alive.
    pub fn bench<R>(
        &mut self,
        variant: &str,
        mut run: impl FnMut() -> R,
    ) -> &mut Self {
        let id = BenchmarkId::new(variant, &self.size);
        self.group.bench_function(id, |b| b.iter(&mut run));
        self
    }

    /// The size the following variants run at.
    pub fn at(&mut self, size: impl Into<String>) -> &mut Self {
        self.size = size.into();
        self
    }

    /// Done: criterion writes the group's summary.
    pub fn finish(self) {
        self.group.finish();
    }
}
