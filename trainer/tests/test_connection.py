"""The trainer worker's connection settings (connection.py), and a real mutual-TLS connection to
the real Temporal Server (scripts/ensure-temporal-server.sh) with temporal-config/tls-dev.yaml and
the certificates of scripts/make-test-certs.sh, as the Java TLS tests use them."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.service import TLSConfig

from quarry_trainer import connection
from quarry_trainer.worker import connect

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_are_a_plain_local_dev_server():
    c = connection.from_env({})
    assert (c.address, c.namespace, c.tls, c.api_key) == ("127.0.0.1:7233", "default", False, None)


def test_quarry_variables_win_over_temporal_ones_and_the_command_line_over_both():
    env = {"QUARRY_TEMPORAL_ADDRESS": "frontend:7233", "TEMPORAL_ADDRESS": "other:1",
           "QUARRY_TEMPORAL_NAMESPACE": "quarry", "TEMPORAL_NAMESPACE": "x"}
    assert (connection.from_env(env).address, connection.from_env(env).namespace) == ("frontend:7233", "quarry")
    assert connection.from_env({"TEMPORAL_ADDRESS": "old:7233"}).address == "old:7233"
    assert connection.from_env(env, "cli:1", "ns").address == "cli:1"
    assert connection.from_env(env, "cli:1", "ns").namespace == "ns"


def test_tls_files_are_read_and_imply_tls(tmp_path: Path):
    (tmp_path / "ca.pem").write_bytes(b"CA")
    (tmp_path / "c.pem").write_bytes(b"CERT")
    (tmp_path / "c.key").write_bytes(b"KEY")
    c = connection.from_env({"QUARRY_TEMPORAL_TLS_SERVER_CA": str(tmp_path / "ca.pem"),
                             "QUARRY_TEMPORAL_TLS_CLIENT_CERT": str(tmp_path / "c.pem"),
                             "QUARRY_TEMPORAL_TLS_CLIENT_KEY": str(tmp_path / "c.key"),
                             "QUARRY_TEMPORAL_TLS_SERVER_NAME": "temporal.example"})
    assert c.tls == TLSConfig(server_root_ca_cert=b"CA", client_cert=b"CERT", client_private_key=b"KEY",
                              domain="temporal.example")
    assert "mutual TLS" in c.describe() and "CERT" not in c.describe()


def test_tls_flag_and_api_key_use_the_system_cas():
    assert connection.from_env({"QUARRY_TEMPORAL_TLS": "true"}).tls is True
    assert connection.from_env({"QUARRY_TEMPORAL_TLS": "false"}).tls is False
    c = connection.from_env({"QUARRY_TEMPORAL_API_KEY": "secret-key"})
    assert c.tls is True and c.api_key == "secret-key"
    assert "secret-key" not in c.describe()


@pytest.mark.parametrize("env, names", [
    ({"QUARRY_TEMPORAL_TLS_CLIENT_CERT": "{d}/c.pem"}, "QUARRY_TEMPORAL_TLS_CLIENT_KEY"),
    ({"QUARRY_TEMPORAL_TLS_SERVER_CA": "{d}/missing.pem"}, "QUARRY_TEMPORAL_TLS_SERVER_CA"),
    ({"QUARRY_TEMPORAL_ADDRESS": "frontend"}, "QUARRY_TEMPORAL_ADDRESS"),
    ({"QUARRY_PAYLOAD_KEYS": "k1:AAAA"}, "QUARRY_PAYLOAD_KEYS"),
    ({"QUARRY_PAYLOAD_KEYS_FILE": "/etc/keys"}, "QUARRY_PAYLOAD_KEYS_FILE"),
])
def test_bad_settings_name_the_variable_to_fix(tmp_path: Path, env: dict, names: str):
    (tmp_path / "c.pem").write_bytes(b"CERT")
    env = {k: v.format(d=tmp_path) for k, v in env.items()}
    with pytest.raises(connection.ConnectionSettingsError, match=names):
        connection.from_env(env)


def _free_range(count: int) -> int:
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65535:
            continue
        try:
            for port in range(base, base + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no ten consecutive free ports")


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """The real Temporal Server whose frontend accepts only mutual TLS: (address, certs dir)."""
    home = Path(os.environ.get("QUARRY_HOME", ROOT / ".quarry"))
    binary = home / "bin" / "temporal-server"
    if not os.access(binary, os.X_OK):
        pytest.fail(f"{binary} is missing: run scripts/ensure-temporal-server.sh (make temporal-server)")
    work = tmp_path_factory.mktemp("tls")
    certs = work / "certs"
    subprocess.run([str(ROOT / "scripts/make-test-certs.sh"), str(certs)], check=True, capture_output=True)
    base = _free_range(10)
    env = dict(os.environ, QUARRY_TLS_DIR=str(certs), QUARRY_TLS_PORT_BASE=str(base),
               QUARRY_DYNAMIC_CONFIG=str(ROOT / "temporal-config/dynamic-config.yaml"))
    log = open(work / "temporal-server.log", "wb")
    server = subprocess.Popen([str(binary), "--root", "/", "--config", str(ROOT / "temporal-config"), "--env",
                               "tls-dev", "--allow-no-auth", "start"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", base), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("temporal-server did not start: " + (work / "temporal-server.log").read_text()[-2000:])
                time.sleep(0.2)
        address = f"127.0.0.1:{base}"
        # The port opens before the frontend is healthy; wait (over mutual TLS) until it answers.
        good = connection.from_env(_tls_env(address, certs))
        while True:
            try:
                asyncio.run(_system_info(good))
                break
            except RuntimeError as e:
                if "not healthy" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(1)
        yield address, certs
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _tls_env(address: str, certs: Path, client: str = "client") -> dict:
    return {"QUARRY_TEMPORAL_ADDRESS": address,
            "QUARRY_TEMPORAL_TLS_SERVER_CA": str(certs / "ca.pem"),
            "QUARRY_TEMPORAL_TLS_CLIENT_CERT": str(certs / f"{client}.pem"),
            "QUARRY_TEMPORAL_TLS_CLIENT_KEY": str(certs / f"{client}.key")}


async def _system_info(target: connection.Connection) -> str:
    client = await connect(target)
    info = await client.workflow_service.get_system_info(GetSystemInfoRequest())
    return info.server_version


def test_connects_over_mutual_tls_to_the_real_server(tls_server):
    address, certs = tls_server
    version = asyncio.run(_system_info(connection.from_env(_tls_env(address, certs))))
    assert version  # the server answered over mutual TLS


def test_the_server_refuses_a_client_without_a_certificate_of_its_ca(tls_server):
    address, certs = tls_server
    # Proves the mutual-TLS test above is not passing through a server that would take anyone.
    for env in (_tls_env(address, certs, "other-client"),
                {"QUARRY_TEMPORAL_ADDRESS": address, "QUARRY_TEMPORAL_TLS_SERVER_CA": str(certs / "ca.pem")},
                {"QUARRY_TEMPORAL_ADDRESS": address}):
        with pytest.raises(Exception) as refused:
            asyncio.run(asyncio.wait_for(_system_info(connection.from_env(env)), 30))
        assert "not healthy" not in str(refused.value)
