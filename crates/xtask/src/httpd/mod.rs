//! The rendered book on 127.0.0.1: tower-http's `ServeDir` on hyper, for
//! `cargo xtask book --serve` and the browser test.
//!
//! It never leaves loopback and answers one request per connection. hyper
//! gives a client [`HEAD_DEADLINE`] to send a request head of at most
//! [`MAX_HEAD`] bytes; at most [`MAX_CONNECTIONS`] are served at once and
//! the rest are told 503 at once. `ServeDir` keeps every path inside the
//! book (a path that leaves it is a 404) and answers GET and HEAD only.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use hyper::header::{CACHE_CONTROL, HeaderValue};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// How long a client may take to send its request line and headers.
pub const HEAD_DEADLINE: Duration = Duration::from_secs(5);

/// The longest request head read (hyper's smallest buffer limit).
pub const MAX_HEAD: usize = 8 * 1024;

/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 32;

const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\
    Connection: close\r\n\r\n";

/// A running server; it stops when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    /// One worker thread running [`serve`]; dropping the runtime cancels
    /// it and every connection's task, and waits for its threads.
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    /// Serve `root` on 127.0.0.1:`port` (0: any free port).
    pub fn start(root: &Path, port: u16) -> Result<Server> {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .with_context(|| format!("binding 127.0.0.1:{port}"))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("book-server")
            .enable_all()
            .build()?;
        let listener = {
            let _inside = runtime.enter();
            TcpListener::from_std(listener)?
        };
        runtime.spawn(serve(listener, root.to_path_buf()));
        Ok(Server {
            addr,
            _runtime: runtime,
        })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

/// Accept connections, each on its own task, until the runtime stops.
async fn serve(listener: TcpListener, root: PathBuf) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let no_store = HeaderValue::from_static("no-store");
    let files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, no_store))
        .service(ServeDir::new(root));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            let _ = stream.try_write(BUSY);
            continue;
        };
        let service = TowerToHyperService::new(files.clone());
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEAD_DEADLINE)
                .max_buf_size(MAX_HEAD)
                .keep_alive(false);
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
            drop(slot);
        });
    }
}

#[cfg(test)]
mod tests;
