//! Chapter 2 · criterion benches: one group per workload, one id per variant.

use std::hint::black_box;
use std::time::Duration;

use ch02::fetch::asynchronous::AsyncClient;
use ch02::fetch::h2::H2Client;
use ch02::fetch::{H2_CONNECTIONS, blocking_agent};
use ch02::fetch::{fetch_pool, fetch_seq, fetch_threads};
use ch02::pipeline::grep::{grep_async, grep_seq, grep_threads};
use criterion::{Criterion, criterion_group, criterion_main};
use workbench::rates::{self, RateService};
use workbench::testing::bench::variants;

fn grep_group(c: &mut Criterion) {
    let path = match ch02::pipeline::corpus::ensure() {
        Ok(path) => path,
        Err(err) => panic!("the corpus could not be written: {err:#}"),
    };
    let size = "corpus";
    let mut group = variants(c, "grep", size, 10, 3);
    group
        .bench("seq", || grep_seq(black_box(&path), "love", true))
        .bench("threads", || grep_threads(black_box(&path), "love", true))
        .bench("async", || grep_async(black_box(&path), "love", true));
    group.finish();
}

fn fetch_group(c: &mut Criterion) {
    let service = match RateService::start_with_threads(Duration::from_millis(50), 2)
    {
        Ok(service) => service,
        Err(err) => panic!("the rate service did not start: {err:#}"),
    };
    let url = service.base_url();
    let mut group = variants(c, "fetch", "", 10, 3);
    let agent = blocking_agent();
    let keep_alive = AsyncClient::keep_alive().expect("a client");
    let h2 = H2Client::new(H2_CONNECTIONS).expect("a client");
    for count in [10usize, 1000] {
        let pairs = rates::pairs(count);
        group.at(count.to_string());
        if count <= 10 {
            group.bench("seq", || fetch_seq(&agent, &url, black_box(&pairs)));
        }
        group
            .bench("threads", || fetch_threads(&agent, &url, black_box(&pairs)))
            .bench("pool", || fetch_pool(&agent, &url, black_box(&pairs), 100))
            .bench("async", || keep_alive.fetch(&url, black_box(&pairs), 1000))
            .bench("async-h2", || h2.fetch(&url, black_box(&pairs), 1000));
    }
    group.finish();
}

criterion_group!(benches, grep_group, fetch_group);
criterion_main!(benches);
