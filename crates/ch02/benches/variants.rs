//! Chapter 2 · criterion benches: one group per workload, one id per variant.

use std::hint::black_box;
use std::time::Duration;

use ch02::fetch::asynchronous::AsyncClient;
use ch02::fetch::h2::H2Client;
use ch02::fetch::{H2_CONNECTIONS, blocking_agent};
use ch02::fetch::{fetch_pool, fetch_seq, fetch_threads};
use ch02::pipeline::grep::{grep_async, grep_seq, grep_threads};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use workbench::rates::{self, RateService};

fn grep_group(c: &mut Criterion) {
    let path = match ch02::pipeline::corpus::ensure() {
        Ok(path) => path,
        Err(err) => panic!("the corpus could not be written: {err:#}"),
    };
    let size = "corpus";
    let mut group = c.benchmark_group("grep");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    group.bench_function(BenchmarkId::new("seq", size), |b| {
        b.iter(|| grep_seq(black_box(&path), "love", true))
    });
    group.bench_function(BenchmarkId::new("threads", size), |b| {
        b.iter(|| grep_threads(black_box(&path), "love", true))
    });
    group.bench_function(BenchmarkId::new("async", size), |b| {
        b.iter(|| grep_async(black_box(&path), "love", true))
    });
    group.finish();
}

fn fetch_group(c: &mut Criterion) {
    let service = match RateService::start_with_threads(Duration::from_millis(50), 2)
    {
        Ok(service) => service,
        Err(err) => panic!("the rate service did not start: {err:#}"),
    };
    let url = service.base_url();
    let mut group = c.benchmark_group("fetch");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(3));
    let agent = blocking_agent();
    let keep_alive = AsyncClient::keep_alive().expect("a client");
    let h2 = H2Client::new(H2_CONNECTIONS).expect("a client");
    for count in [10usize, 1000] {
        let pairs = rates::pairs(count);
        let size = count.to_string();
        if count <= 10 {
            group.bench_function(BenchmarkId::new("seq", &size), |b| {
                b.iter(|| fetch_seq(&agent, &url, black_box(&pairs)))
            });
        }
        group.bench_function(BenchmarkId::new("threads", &size), |b| {
            b.iter(|| fetch_threads(&agent, &url, black_box(&pairs)))
        });
        group.bench_function(BenchmarkId::new("pool", &size), |b| {
            b.iter(|| fetch_pool(&agent, &url, black_box(&pairs), 100))
        });
        group.bench_function(BenchmarkId::new("async", &size), |b| {
            b.iter(|| keep_alive.fetch(&url, black_box(&pairs), 1000))
        });
        group.bench_function(BenchmarkId::new("async-h2", &size), |b| {
            b.iter(|| h2.fetch(&url, black_box(&pairs), 1000))
        });
    }
    group.finish();
}

criterion_group!(benches, grep_group, fetch_group);
criterion_main!(benches);
