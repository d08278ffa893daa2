//! Certificates for the local brokers' TLS listeners: a private CA and a
//! server certificate for `127.0.0.1` and `localhost`, made with `openssl`
//! in a temporary directory (Debian: `openssl`).
//!
//! A client trusts the CA through the standard `SSL_CERT_FILE` variable
//! (OpenSSL, Python's `ssl` and rustls-native-certs all read it); nothing
//! here turns verification off.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use super::TempDir;
use crate::bins::require_program;

/// A private CA and one server certificate signed by it; the files are
/// removed when this is dropped.
#[derive(Debug)]
pub struct Certificates {
    dir: TempDir,
}

/// The server certificate's extensions: valid for loopback only.
const SERVER_EXT: &str = "basicConstraints=critical,CA:FALSE\n\
    keyUsage=critical,digitalSignature,keyEncipherment\n\
    extendedKeyUsage=serverAuth\n\
    subjectAltName=IP:127.0.0.1,DNS:localhost\n";

impl Certificates {
    /// Make a CA (`ca.pem`) and a server key and certificate
    /// (`server.key`, `server.pem`) for 127.0.0.1 / localhost, valid for
    /// two days: enough for a test or an example run.
    pub fn new() -> Result<Self> {
        let openssl = require_program("openssl", "openssl")?;
        let dir = TempDir::new("workbench-tls")?;
        let run = |args: &[&str]| -> Result<()> {
            let out = Command::new(&openssl)
                .args(args)
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .output()
                .context("running openssl")?;
            if !out.status.success() {
                bail!(
                    "openssl {} failed: {}",
                    args.first().copied().unwrap_or_default(),
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
            Ok(())
        };
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
        run(&[
            &["req", "-x509", "-nodes", "-days", "2"],
            &ec[..],
            &[
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-subj",
                "/CN=workbench private CA",
            ],
        ]
        .concat())?;
        run(&[
            &["req", "-nodes"],
            &ec[..],
            &[
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost",
            ],
        ]
        .concat())?;
        std::fs::write(dir.path().join("server.ext"), SERVER_EXT)?;
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ])?;
        Ok(Certificates { dir })
    }

    /// The CA certificate clients trust (`SSL_CERT_FILE`).
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// The server's certificate (PEM).
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("server.pem")
    }

    /// The server's private key (PEM, readable by this user only).
    pub fn key(&self) -> PathBuf {
        self.dir.path().join("server.key")
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// A random password (24 hex digits from `/dev/urandom`).
pub fn random_password() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 12];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading /dev/urandom")?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_makes_a_ca_and_a_server_certificate_it_verifies() {
        let certs = Certificates::new().expect("certificates");
        let out = Command::new("openssl")
            .arg("verify")
            .arg("-CAfile")
            .arg(certs.ca())
            .arg("-verify_ip")
            .arg("127.0.0.1")
            .arg(certs.cert())
            .output()
            .expect("openssl verify runs");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && said.contains("OK"), "{said}");
        let dir = certs.dir().to_path_buf();
        drop(certs);
        assert!(!dir.exists());
    }

    #[test]
    fn passwords_are_random_hex() {
        let a = random_password().expect("a password");
        let b = random_password().expect("another");
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
