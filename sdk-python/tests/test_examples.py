"""The examples in examples/ run end to end against the test stack, as a user would run them."""

import os
import subprocess
import sys

import pytest

from conftest import REPO, SDK, unique


@pytest.mark.parametrize("script,expect", [
    ("sklearn_end_to_end.py", ["served as pmml by jpmml-sklearn", "labels agree with scikit-learn: True",
                               "promoted: 2.0.0 is PROMOTED", "shadow 3.0.0 vs 2.0.0: 100 compared",
                               "now served by 1.0.0"]),
    ("pytorch_end_to_end.py", ["as torchscript", "ROLLED_BACK after", "promoted: PROMOTED",
                               "shadow 3.0.0 vs 2.0.0: 60 compared", "now served by 1.0.0"]),
])
def test_the_example_runs_against_a_local_stack(stack, script, expect):
    env = dict(os.environ, PYTHONPATH=str(SDK / "src"), MM_CONTROL_PLANE=stack.control_plane,
               MM_HOME=str(stack.home))
    env.pop("MM_TOKEN", None)
    run = subprocess.run([sys.executable, str(REPO / "examples" / script), "--name", unique("example")], env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, "exit {}\n{}\n{}".format(run.returncode, run.stdout, run.stderr)
    for line in expect:
        assert line in run.stdout, "{!r} not in:\n{}".format(line, run.stdout)
