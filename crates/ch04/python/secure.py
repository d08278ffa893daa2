"""Chapter 4 · What Celery needs for a broker over TLS.

A rediss:// URL must say how Celery checks the server's certificate
(ssl_cert_reqs); an amqps:// broker takes its TLS options from
broker_use_ssl. Both verify the certificate, against the authority named by
SSL_CERT_FILE when it is set (as OpenSSL and the Rust workers read it).
Nothing here turns verification off.
"""

import os
import ssl
from urllib.parse import quote


def redis_url(url):
    """`url`, with certificate checking spelled out when it is rediss://."""
    if not url.startswith("rediss://") or "ssl_cert_reqs=" in url:
        return url
    url += ("&" if "?" in url else "?") + "ssl_cert_reqs=CERT_REQUIRED"
    ca = os.environ.get("SSL_CERT_FILE")
    if ca:
        url += "&ssl_ca_certs=" + quote(ca, safe="/")
    return url


def broker_use_ssl(url):
    """Celery's broker_use_ssl for an amqps:// broker, else False."""
    if not url.startswith("amqps://"):
        return False
    options = {"cert_reqs": ssl.CERT_REQUIRED}
    ca = os.environ.get("SSL_CERT_FILE")
    if ca:
        options["ca_certs"] = ca
    return options
