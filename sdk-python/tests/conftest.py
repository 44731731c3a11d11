"""A real local stack for the whole test session: the worktree's own mmctl (from the freshly built dist) starts a
control plane with its embedded PostgreSQL and one data-plane node in a temporary MM_HOME on free ports, and stops
them at the end.

Settings (environment): MM_DIST_LIB, the dist's jar directory (default: REPO/dist/target/modelmesh/lib, which
`mvn -o package -pl dist -am` or ./install.sh builds); MM_JAVA, else JAVA_HOME/bin/java, else java on PATH: a JDK 21+.
A missing dist or JDK fails the session with what to do; nothing is skipped. MM_VALIDATION_TIMEOUT (default
here 60s) is passed to the servers: a loaded CI machine can take longer than 10 s to validate a TorchScript upload.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import pytest

SDK = Path(__file__).resolve().parents[1]
REPO = SDK.parent
sys.path.insert(0, str(SDK / "src"))  # the package under test, also when it is not installed

from modelmesh import ModelMeshClient  # noqa: E402

FIXTURES = REPO / "fixtures" / "models"
IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
CLIENT_ENV = ("MM_TOKEN", "MM_CONTROL_PLANE", "MM_DATA_PLANE", "MM_TLS_CA", "MM_TLS_CERT", "MM_TLS_KEY",
              "MM_DATABASE_URL", "MM_HOME")


@dataclass
class Stack:
    home: Path
    control_plane: str
    node: str
    admin_token: str
    env: Dict[str, str]

    def mmctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(mmctl_command() + list(args), env=self.env, capture_output=True, text=True,
                              timeout=timeout)


def java() -> str:
    explicit = os.environ.get("MM_JAVA")
    if explicit:
        return explicit
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return os.path.join(home, "bin", "java")
    found = shutil.which("java")
    if not found:
        pytest.fail("no java: set JAVA_HOME (or MM_JAVA) to a JDK 21 or newer", pytrace=False)
    return found


def dist_lib() -> Path:
    lib = Path(os.environ.get("MM_DIST_LIB") or REPO / "dist" / "target" / "modelmesh" / "lib")
    if not lib.is_dir() or not any(lib.glob("modelmesh-cli-*.jar")):
        pytest.fail("no ModelMesh dist at {}: build it first (mvn -o -DskipTests package -pl dist -am, or "
                    "./install.sh), or point MM_DIST_LIB at its lib directory".format(lib), pytrace=False)
    return lib


def mmctl_command() -> List[str]:
    return [java(), "--enable-native-access=ALL-UNNAMED", "-cp", str(dist_lib()) + "/*", "io.modelmesh.cli.MmCtl"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("mm-home")
    cp_port, node_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in CLIENT_ENV}
    env["MM_HOME"] = str(home)
    # The servers inherit this: a loaded CI machine may need more than the default 10 s to start the validation
    # child's libtorch and warm a TorchScript model.
    env.setdefault("MM_VALIDATION_TIMEOUT", "60s")
    # A small upload limit, so that test_registry can send artifacts over it (every fixture is far below).
    env.setdefault("MM_MAX_UPLOAD_BYTES", "16MiB")
    up = subprocess.run(mmctl_command() + ["up", "--detach", "--home", str(home), "--port", str(cp_port),
                                           "--node-port", str(node_port), "--nodes", "1", "-o", "json"],
                        env=env, capture_output=True, text=True, timeout=180)
    started = Stack(home, "http://127.0.0.1:{}".format(cp_port), "http://127.0.0.1:{}".format(node_port), "", env)
    try:
        if up.returncode != 0:
            pytest.fail("mmctl up failed (exit {}):\n{}\n{}".format(up.returncode, up.stderr, _log_tails(home)),
                        pytrace=False)
        result = json.loads(up.stdout)
        started.control_plane = result["control_plane"]["url"]
        started.node = result["nodes"][0]["url"]
        started.admin_token = (home / "admin-token").read_text().strip()
        saved = {k: os.environ.pop(k) for k in CLIENT_ENV if k in os.environ}
        os.environ["MM_HOME"] = str(home)  # clients find the admin token as mmctl does
        os.environ["MM_CONTROL_PLANE"] = started.control_plane
        admin = ModelMeshClient(started.control_plane, started.admin_token)
        wait_until("the node to be LIVE", lambda: [n for n in admin.nodes() if n["state"] == "LIVE"], timeout=60)
        try:
            yield started
        finally:
            for k in CLIENT_ENV:
                os.environ.pop(k, None)
            os.environ.update(saved)
    finally:
        down = started.mmctl("down", "--home", str(home), timeout=120)
        if down.returncode != 0:
            print("mmctl down failed (exit {}): {}".format(down.returncode, down.stderr), file=sys.stderr)


def _log_tails(home: Path) -> str:
    out = []
    for log in sorted((home / "logs").glob("*.log")) if (home / "logs").is_dir() else []:
        out.append("--- {} (tail)\n{}".format(log, "\n".join(log.read_text(errors="replace").splitlines()[-30:])))
    return "\n".join(out)


@pytest.fixture(scope="session")
def client(stack: Stack) -> ModelMeshClient:
    """A client configured like a notebook's: control plane from MM_CONTROL_PLANE, token from MM_HOME/admin-token."""
    return ModelMeshClient()


def unique(prefix: str) -> str:
    return "{}-{}".format(prefix, uuid.uuid4().hex[:8])


def wait_until(what: str, check: Callable[[], Any], timeout: float = 30.0, every: float = 0.1) -> Any:
    """Polls ``check`` until it returns something truthy (the value is returned) or fails after ``timeout``."""
    deadline = time.monotonic() + timeout
    last: Optional[BaseException] = None
    while True:
        try:
            value = check()
            if value:
                return value
        except AssertionError as e:
            last = e
        if time.monotonic() > deadline:
            raise AssertionError("timed out after {} s waiting for {}{}".format(
                timeout, what, ": {}".format(last) if last else ""))
        time.sleep(every)


def iris_data():
    """scikit-learn's iris data with float32-exact values (the platform reads inputs as float32)."""
    import numpy as np
    from sklearn.datasets import load_iris

    x, y = load_iris(return_X_y=True)
    return x.astype(np.float32).astype(np.float64), np.array(["setosa", "versicolor", "virginica"])[y]


@pytest.fixture(scope="session")
def iris_rf(client: ModelMeshClient) -> Dict[str, Any]:
    """A random forest registered (and deployed) from the object, shared by the serving and monitoring tests."""
    from sklearn.ensemble import RandomForestClassifier

    x, y = iris_data()
    model = RandomForestClassifier(n_estimators=10, max_depth=4, random_state=0).fit(x, y)
    name = unique("iris-rf")
    reg = client.register_model(name, model_object=model, features=IRIS_FEATURES, version="1.0.0")
    client.wait_ready(name)
    return {"name": name, "model": model, "x": x, "registration": reg}
