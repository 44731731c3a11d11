"""Where the client finds the token it sends, in mmctl's order (``io.modelmesh.cli.TokenSource``).

1. the ``token`` argument (mmctl has no such flag: its command lines are visible to every user; Python code is not),
2. the ``token_file`` argument (mmctl ``--token-file``): the file must exist and hold a token,
3. the environment variable ``MM_TOKEN``,
4. the file ``$MM_HOME/admin-token`` (``MM_HOME`` defaults to ``~/.modelmesh``), which a control plane started by
   ``mmctl up`` writes with mode 600; skipped when missing or unreadable.

None found: requests go without a token and the control plane answers 401 saying what it needs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Optional

from .errors import InvalidRequestException

ENV = "MM_TOKEN"
FILE = "admin-token"


def home(env: Optional[Mapping[str, str]] = None) -> Path:
    """``MM_HOME``, else ``~/.modelmesh``."""
    env = os.environ if env is None else env
    v = (env.get("MM_HOME") or "").strip()
    return Path(v).expanduser().absolute() if v else Path.home() / ".modelmesh"


def resolve(token: Optional[str] = None, token_file: Optional[str] = None,
            env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The token to send, or None when none is configured.

    :raises InvalidRequestException: when ``token_file`` is given but cannot be read or is empty
    """
    env = os.environ if env is None else env
    if token is not None and token.strip():
        return token.strip()
    if token_file is not None:
        return _read(Path(token_file), required=True)
    from_env = env.get(ENV)
    if from_env is not None and from_env.strip():
        return from_env.strip()
    file = home(env) / FILE
    if file.is_file() and os.access(str(file), os.R_OK):
        return _read(file, required=False) or None
    return None


def _read(file: Path, required: bool) -> str:
    try:
        text = file.read_text(encoding="utf-8").strip()
    except OSError as e:
        if not required:
            return ""
        raise InvalidRequestException(400, "invalid_input", "cannot read the token file {}: {}".format(
            file, e.strerror or e)) from None
    if not text and required:
        raise InvalidRequestException(400, "invalid_input", "the token file {} is empty".format(file))
    return text
