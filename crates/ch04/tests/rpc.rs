//! Chapter 4 · The remote object: answers one call at a time and all at
//! once, keeps its state in the server, and a dead server is an error.

use std::path::Path;
use std::time::Duration;

use ch04::rpc::{RpcServer, connect, rates_concurrent, rates_sync};
use tarpc::context;
use workbench::rates::{self, RateService};

#[test]
fn a_remote_object_answers_sync_and_concurrent_calls() {
    let service =
        RateService::start(Duration::from_millis(5)).expect("rate service");
    let program = Path::new(env!("CARGO_BIN_EXE_rpc-server"));
    let server = RpcServer::start(program, &service.base_url()).expect("server");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let book = connect(server.addr()).await.expect("a proxy");
        let pairs = rates::pairs(12);
        let expected: Vec<f64> = pairs
            .iter()
            .map(|p| rates::rate_of(p).expect("known"))
            .collect();
        assert_eq!(rates_sync(&book, &pairs).await.expect("sync"), expected);
        assert_eq!(
            rates_concurrent(&book, &pairs).await.expect("concurrent"),
            expected
        );
        let served = book.lookups(context::current()).await.expect("lookups");
        assert_eq!(served, 24, "the object's state lives in the server");
        let unknown = rates_sync(&book, &["XYZUSD".to_owned()]).await;
        assert!(
            format!("{:#}", unknown.expect_err("unknown"))
                .contains("no rate for XYZUSD")
        );
    });
    let addr = server.addr();
    runtime.block_on(async {
        let book = connect(addr).await.expect("a proxy");
        drop(server); // the server process is killed
        let pairs = ["EURUSD".to_owned()];
        let call = rates_sync(&book, &pairs);
        let err = tokio::time::timeout(Duration::from_secs(10), call)
            .await
            .expect("an error, not a hang")
            .expect_err("the server is gone");
        assert!(!format!("{err:#}").is_empty());
        let refused = connect(addr).await.expect_err("nobody listens");
        assert!(format!("{refused:#}").contains("connecting to the rate book"));
    });
}
