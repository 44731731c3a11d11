"""`pip install ./sdk-python` into a fresh virtual environment of Debian's python, offline, gives a typed package."""

import subprocess
import sys
from pathlib import Path

from conftest import SDK


def test_pip_installs_the_package_offline_into_a_fresh_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    build = tmp_path / "src"  # a copy, so the build leaves nothing in the worktree
    subprocess.run(["cp", "-r", str(SDK), str(build)], check=True)
    pip = subprocess.run([str(python), "-m", "pip", "install", "--no-index", "--no-build-isolation", "-q",
                          str(build)], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    probe = subprocess.run([str(python), "-c", "import modelmesh, pathlib, sys; p = pathlib.Path(modelmesh.__file__)"
                            "; print(p.parent); print((p.parent / 'py.typed').is_file()); "
                            "print(modelmesh.ModelMeshClient.__name__, modelmesh.__version__)"],
                           capture_output=True, text=True, cwd=str(tmp_path))
    assert probe.returncode == 0, probe.stderr
    location, typed, names = probe.stdout.splitlines()
    assert Path(location).is_relative_to(venv) and typed == "True" and names == "ModelMeshClient 0.1.0"


def test_the_core_imports_none_of_the_model_libraries():
    probe = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, {!r}); import modelmesh; "
                            "print(sorted(m for m in ('torch', 'sklearn', 'onnx', 'numpy', 'pandas', 'joblib') "
                            "if m in sys.modules))".format(str(SDK / "src"))], capture_output=True, text=True)
    assert probe.returncode == 0 and probe.stdout.strip() == "[]", probe.stdout + probe.stderr
