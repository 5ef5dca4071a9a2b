"""Batches given careless or hostile settings: a bad scheduler address, a
service that is not Dask, a manifest of the wrong shape, two batches into one
folder.  Each ends with a French message (exit 2) or rebuilds, never hangs."""

from __future__ import annotations

import fcntl
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from annuaire.cli import main
from annuaire.editions import batch
from annuaire.errors import AnnuaireError

ROOT = Path(__file__).resolve().parents[2]
CSV_INPUT = ROOT / "sample_data" / "enseignement_auvergne.csv"
BATCH = ["batch", str(CSV_INPUT), "--par", "departement", "--theme", "enseignement", "--jobs", "1"]


def run(*args):
    return CliRunner().invoke(main, [*BATCH, *map(str, args)])


@pytest.mark.parametrize(
    "address", ["garbage", "http://127.0.0.1:8786", "tcp://127.0.0.1", "tcp://h:99999", "tcp://127.0.0.1:8786/x"]
)
def test_a_malformed_scheduler_address_is_refused_at_once(tmp_path, address):
    with pytest.raises(AnnuaireError, match="tcp://HÔTE:PORT"):
        batch.check_scheduler_address(address)
    result = run("--scheduler", address, "--out-dir", tmp_path)
    assert result.exit_code == 2 and "invalide" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # refused before anything was written


class JunkServer:
    """A TCP service on a loopback port that is not Dask: it answers every
    connection with a line of junk, and stops by itself."""

    def __init__(self, junk: bytes):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(30)  # ends by itself even if nobody connects
        self.port = self.sock.getsockname()[1]
        self.junk = junk
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            while True:
                conn, _ = self.sock.accept()
                conn.sendall(self.junk)
                threading.Timer(10, conn.close).start()
        except OSError:
            pass

    def close(self):
        self.sock.close()


@pytest.mark.parametrize(
    "junk", [b"SSH-2.0-OpenSSH_9.2\r\n", b"HTTP/1.0 200 OK\r\nContent-Length: 99999999999\r\n\r\n" + b"\xff" * 64, b""]
)
def test_a_service_that_is_not_dask_gives_a_french_error(tmp_path, monkeypatch, junk):
    monkeypatch.setattr(batch, "DASK_CONNECT_TIMEOUT", "2s")
    server = JunkServer(junk)
    try:
        result = run("--scheduler", f"tcp://127.0.0.1:{server.port}", "--out-dir", tmp_path)
    finally:
        server.close()
    assert result.exit_code == 2, result.output
    assert "Impossible de joindre l'ordonnanceur Dask" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "content, said",
    [
        ("[1, 2, 3]", "reconstruit"),
        ('"manifest"', "reconstruit"),
        ('{"format": 1, "editions": ["annuaire-enseignement-cantal.pdf"]}', "reconstruit"),
        (
            '{"format": 1, "editions": {"annuaire-enseignement-cantal.pdf": "construite", "x.pdf": [1]}}',
            "2 entrée(s) illisible(s)",
        ),
        ('{"format": 1, "editions": {"annuaire-enseignement-cantal.pdf": {"key": 3, "size": "gros"}}}', None),
    ],
)
def test_a_manifest_of_the_wrong_shape_is_rebuilt_and_said(tmp_path, content, said):
    (tmp_path / batch.MANIFEST).write_text(content, encoding="utf-8")
    result = run("--out-dir", tmp_path)
    assert result.exit_code == 0, result.output
    if said:
        assert said in result.stderr
    data = json.loads((tmp_path / batch.MANIFEST).read_text(encoding="utf-8"))
    assert data["format"] == batch.MANIFEST_FORMAT
    built = sorted(p.name for p in tmp_path.glob("annuaire-*.pdf") if "couverture" not in p.name)
    assert built and all(name in data["editions"] for name in built)


def test_a_second_batch_into_a_busy_folder_is_refused(tmp_path):
    with open(tmp_path / batch.LOCK_FILE, "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another batch is running
        result = run("--out-dir", tmp_path)
    assert result.exit_code == 2 and "Un autre « annuaire batch »" in result.output
    assert not list(tmp_path.glob("*.pdf")) and not (tmp_path / batch.MANIFEST).exists()


def test_two_batches_at_once_lose_nothing(tmp_path):
    """Two real processes into one folder: each finishes its work or is
    refused clearly; the manifest lists every PDF and every PDF is whole."""
    cmd = [sys.executable, "-m", "annuaire", *BATCH, "--out-dir", str(tmp_path)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    for code, out, err in outcomes:
        assert code == 0 or (code == 2 and "Un autre « annuaire batch »" in err), (code, out, err)
    assert any(code == 0 for code, _, _ in outcomes)
    data = json.loads((tmp_path / batch.MANIFEST).read_text(encoding="utf-8"))
    pdfs = sorted(p.name for p in tmp_path.glob("annuaire-*.pdf") if "couverture" not in p.name)
    assert pdfs and sorted(data["editions"]) == pdfs
    for name in pdfs:
        assert (tmp_path / name).read_bytes().rstrip().endswith(b"%%EOF")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
