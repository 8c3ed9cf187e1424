"""How the trainer worker reaches Temporal: the same settings, read from the same environment
variables, as Quarry's Java workers (docs/security.md), so one environment serves every worker
process of a namespace, on a dev server or on a cluster.

  QUARRY_TEMPORAL_ADDRESS          host:port of the frontend (TEMPORAL_ADDRESS is read too)
  QUARRY_TEMPORAL_NAMESPACE        the namespace (TEMPORAL_NAMESPACE is read too)
  QUARRY_TEMPORAL_TLS              true: TLS, trusting the system's CAs
  QUARRY_TEMPORAL_TLS_SERVER_CA    PEM of the CA that signed the server's certificate
  QUARRY_TEMPORAL_TLS_CLIENT_CERT  PEM of this worker's client certificate (mutual TLS)
  QUARRY_TEMPORAL_TLS_CLIENT_KEY   its private key (PEM)
  QUARRY_TEMPORAL_TLS_SERVER_NAME  the name the server's certificate is checked against
  QUARRY_TEMPORAL_API_KEY          an API key (implies TLS: a key must not travel in clear)

Any of the TLS files, the server name or an API key switches TLS on, as on the Java side.
Payload encryption (QUARRY_PAYLOAD_KEYS, QUARRY_PAYLOAD_KEYS_FILE) is not implemented here: a
worker that cannot read encrypted payloads would fail every task, so it refuses to start instead.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Mapping

from temporalio.service import TLSConfig

DEFAULT_ADDRESS = "127.0.0.1:7233"
DEFAULT_NAMESPACE = "default"
TRUE = {"1", "true", "yes", "on"}


class ConnectionSettingsError(ValueError):
    """A connection setting that cannot work; the message names the variable to fix."""


@dataclasses.dataclass(frozen=True)
class Connection:
    address: str
    namespace: str
    tls: TLSConfig | bool
    api_key: str | None

    def describe(self) -> str:
        """For logs: never the key or certificate contents."""
        if self.tls is False:
            security = "plain"
        elif self.tls is True:
            security = "TLS (system CAs)"
        else:
            security = "mutual TLS" if self.tls.client_cert else "TLS"
        if self.api_key:
            security += ", API key"
        return f"{self.address} (namespace {self.namespace}, {security})"


def _first(env: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return value
    return None


def _read(env: Mapping[str, str], name: str) -> bytes | None:
    path = _first(env, name)
    if path is None:
        return None
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise ConnectionSettingsError(f"{name}: cannot read {path}: {e.strerror or e}") from e


def from_env(env: Mapping[str, str], address: str | None = None, namespace: str | None = None) -> Connection:
    """The connection the environment describes; ``address``/``namespace`` (command line) win."""
    for name in ("QUARRY_PAYLOAD_KEYS", "QUARRY_PAYLOAD_KEYS_FILE"):
        if _first(env, name):
            raise ConnectionSettingsError(
                f"{name} is set, but the Python trainer worker cannot encrypt or decrypt payloads yet:"
                " run it in a namespace without payload encryption (unset the variable), or train with"
                " the Java train worker (trainer.backend: record or container)")
    address = address or _first(env, "QUARRY_TEMPORAL_ADDRESS", "TEMPORAL_ADDRESS") or DEFAULT_ADDRESS
    if ":" not in address:
        raise ConnectionSettingsError(f"Temporal address '{address}' has no port: give host:port (QUARRY_TEMPORAL_ADDRESS)")
    namespace = namespace or _first(env, "QUARRY_TEMPORAL_NAMESPACE", "TEMPORAL_NAMESPACE") or DEFAULT_NAMESPACE
    server_ca = _read(env, "QUARRY_TEMPORAL_TLS_SERVER_CA")
    client_cert = _read(env, "QUARRY_TEMPORAL_TLS_CLIENT_CERT")
    client_key = _read(env, "QUARRY_TEMPORAL_TLS_CLIENT_KEY")
    server_name = _first(env, "QUARRY_TEMPORAL_TLS_SERVER_NAME")
    api_key = _first(env, "QUARRY_TEMPORAL_API_KEY")
    if (client_cert is None) != (client_key is None):
        raise ConnectionSettingsError(
            "mutual TLS needs both QUARRY_TEMPORAL_TLS_CLIENT_CERT and QUARRY_TEMPORAL_TLS_CLIENT_KEY; only "
            + ("the certificate" if client_cert is not None else "the key") + " is set")
    wanted = (_first(env, "QUARRY_TEMPORAL_TLS") or "").lower() in TRUE
    if server_ca or client_cert or server_name or api_key:
        wanted = True
    tls: TLSConfig | bool = False
    if wanted:
        if server_ca or client_cert or server_name:
            tls = TLSConfig(server_root_ca_cert=server_ca, client_cert=client_cert,
                            client_private_key=client_key, domain=server_name)
        else:
            tls = True
    return Connection(address=address, namespace=namespace, tls=tls, api_key=api_key)
