//! Chapter 8 · Dataflow: the word count's variants under criterion — the
//! sequential count and timely workers in one process, per corpus size.
//! (The processes variant starts a cluster per run; the CLI measures it.)

use std::hint::black_box;
use std::sync::Arc;

use ch08::dataflow::{corpus, count_dataflow, count_seq, merge};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn wordcount(c: &mut Criterion) {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut group = c.benchmark_group("wordcount");
    group.sample_size(10);
    for lines in [10_000, 100_000] {
        let text = Arc::new(corpus(lines, ch08::wordcount::SEED));
        let expected = count_seq(&text);
        let dataflow = |text: &Arc<Vec<String>>| {
            count_dataflow(Arc::clone(text), timely::Config::process(workers))
                .expect("the dataflow runs")
        };
        let counted = merge(dataflow(&text)).expect("each word owned once");
        assert_eq!(counted, expected, "verify before timing");
        group.bench_with_input(BenchmarkId::new("seq", lines), &text, |b, text| {
            b.iter(|| black_box(count_seq(text)))
        });
        group.bench_with_input(
            BenchmarkId::new("dataflow", lines),
            &text,
            |b, text| b.iter(|| black_box(dataflow(text))),
        );
    }
    group.finish();
}

criterion_group!(benches, wordcount);
criterion_main!(benches);
