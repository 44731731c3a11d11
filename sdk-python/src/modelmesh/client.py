"""``ModelMeshClient``: the control plane (registry, deployments, rollouts, monitoring, tokens) and the data plane
(predictions), over the REST API in docs/CONTRACTS.md. Answers are the platform's JSON records as plain dicts
(snake_case field names, as ``mmctl -o json`` prints them)."""

from __future__ import annotations

import collections.abc
import io
import json
import os
import random
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import inputs as _inputs
from . import tokens as _tokens
from ._http import Multipart, ProgressCallback, Response, Transport, check, enc, file_size, redact, ssl_context
from .balancer import NodeBalancer
from .errors import ConflictException, InvalidRequestException, ModelMeshException, UnavailableException
from .retry import Retry, RetryPolicy
from .serialize import framework_name, serialize

DEFAULT_CONTROL_PLANE = "http://127.0.0.1:8080"
JSON_TYPE = "application/json"
WRITE_TIMEOUT = 300.0
"""Seconds a write may take: a deploy waits for nodes to acknowledge (bounded by the server's push timeout)."""
REGISTER_TIMEOUT = 1800.0
"""Seconds a registration may take: the upload, then the control plane loading (or converting) the model."""

Json = Dict[str, Any]
PathLike = Union[str, "os.PathLike[str]"]


class ModelMeshClient:
    """A client for one ModelMesh control plane and its data-plane nodes. Thread-safe; create one and share it.

    :param base_url: the control plane (default ``MM_CONTROL_PLANE``, else http://127.0.0.1:8080)
    :param token: the bearer token for the control plane (default: ``token_file``, ``MM_TOKEN``, then
        ``$MM_HOME/admin-token``, as mmctl finds it), also sent to nodes unless ``predict_token`` is given
    :param data_plane: node URL(s) for predictions (default ``MM_DATA_PLANE``, comma-separated, else the control
        plane's live nodes)
    :param timeout: seconds to wait for an answer to a read or a prediction
    :param token_file: a file holding the token (mmctl ``--token-file``); must exist and hold one
    :param predict_token: the token sent to nodes (an application's token with scope ``predict``)
    :param tls_ca: PEM CA bundle that https servers are verified against (default ``MM_TLS_CA``, else the system's)
    :param retry_policy: how reads and predictions are retried (``RetryPolicy.none()`` turns it off); writes never are
    """

    def __init__(self, base_url: Optional[str] = None, token: Optional[str] = None,
                 data_plane: Union[None, str, Sequence[str]] = None, timeout: float = 60.0, *,
                 token_file: Optional[PathLike] = None, predict_token: Optional[str] = None,
                 tls_ca: Optional[PathLike] = None, retry_policy: RetryPolicy = RetryPolicy.DEFAULT) -> None:
        env = os.environ
        self.control_plane = _strip(base_url or env.get("MM_CONTROL_PLANE", "").strip() or DEFAULT_CONTROL_PLANE)
        if isinstance(data_plane, str):
            data_plane = [data_plane]
        configured = list(data_plane) if data_plane is not None else [
            u for u in (env.get("MM_DATA_PLANE") or "").split(",") if u.strip()]
        self._configured_nodes = [_strip(u.strip()) for u in configured]
        self.timeout = float(timeout)
        self._token = _tokens.resolve(token, None if token_file is None else os.fspath(token_file))
        self._predict_token = predict_token.strip() if predict_token and predict_token.strip() else self._token
        ca = os.fspath(tls_ca) if tls_ca is not None else (env.get("MM_TLS_CA") or "").strip() or None
        self._http = Transport(ssl_context(ca))
        self.retry_policy = retry_policy
        self._balancer: Optional[NodeBalancer] = None
        self._lock = threading.Lock()

    def with_token(self, token: Optional[str]) -> "ModelMeshClient":
        """This client (same connections and nodes) sending another token to the control plane; None sends none."""
        other = object.__new__(ModelMeshClient)
        other.__dict__.update(self.__dict__)
        other._token = token.strip() if token and token.strip() else None
        other._lock = threading.Lock()
        return other

    def close(self) -> None:
        """Closes this thread's kept-alive connections (others close when their threads end)."""
        self._http.close()

    def __enter__(self) -> "ModelMeshClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "ModelMeshClient(base_url={!r}, data_plane={!r})".format(redact(self.control_plane),
                                                                        [redact(u) for u in self._configured_nodes])

    # ---- registry -------------------------------------------------------------------------------------------------

    def register_model(self, name: str, model_object: Any = None, path: Optional[PathLike] = None,
                       framework: Optional[str] = None, version: Optional[str] = None,
                       features: Optional[Sequence[str]] = None, metadata: Optional[Mapping[str, Any]] = None,
                       reference: Any = None, deploy: bool = True, *, example_input: Any = None,
                       progress: Optional[ProgressCallback] = None) -> Json:
        """Registers a new version from a trained object (serialised in memory) or a file (streamed from disk).

        :param model_object: a scikit-learn estimator or pipeline, a ``torch.nn.Module``, an ``onnx.ModelProto`` or
            a model file's bytes (give this or ``path``)
        :param path: a model file (.onnx, .pt, .pkl/.joblib, .pmml)
        :param framework: onnx, torchscript, sklearn or pmml; default: from the object, else detected by the server
        :param version: semantic version X.Y.Z; default: the next one
        :param features: the input columns' names, in order
        :param metadata: free-form key/values (values are sent as text)
        :param reference: drift reference rows stored with the version: a CSV/JSON file path, or rows (list of rows,
            numpy ``[N, F]`` array, pandas DataFrame); 500..50,000 rows
        :param deploy: whether the first version of a new model goes live at once
        :param example_input: a batch of rows to trace a ``torch.nn.Module`` with (else it is scripted)
        :param progress: called with the number of the model's bytes sent so far
        :return: ``RegistrationResult`` {version, created, deployment}
        """
        if (model_object is None) == (path is None):
            raise ValueError("give exactly one of model_object and path")
        form = Multipart().field("name", name)
        streams: List[BinaryIO] = []
        try:
            if model_object is not None:
                data, declared, filename = serialize(model_object, framework, example_input)
                model: BinaryIO = io.BytesIO(data)
                size = len(data)
            else:
                declared = framework_name(framework)
                if example_input is not None:
                    raise ValueError("example_input is for a torch.nn.Module given as model_object")
                model = _open(path, "model file")
                streams.append(model)
                size, filename = file_size(model), Path(os.fspath(path)).name  # type: ignore[arg-type]
            if version is not None:
                form.field("version", version)
            if declared is not None:
                form.field("framework", declared)
            if features:
                form.field("features", ",".join(features))
            for key, value in (metadata or {}).items():
                form.field("meta", "{}={}".format(key, value))
            form.field("deploy", "true" if deploy else "false")
            if reference is not None:
                ref, ref_name = self._reference(reference)
                streams.append(ref)
                form.file("reference", ref_name, ref, file_size(ref))
            form.file("file", filename, model, size, counted=True)
            res = self._http.send("POST", self.control_plane + "/models", self._headers(self.control_plane, {
                "Content-Type": form.content_type}), form, REGISTER_TIMEOUT, progress)
            return _json(check(res, redact(self.control_plane)))
        finally:
            for s in streams:
                s.close()

    register = register_model  # the Java SDK's name

    @staticmethod
    def _reference(reference: Any) -> Tuple[BinaryIO, str]:
        if isinstance(reference, (str, os.PathLike)):
            return _open(reference, "reference"), Path(os.fspath(reference)).name
        return io.BytesIO(_inputs.dumps(_inputs.rows(reference))), "reference.json"

    def list_models(self, page: int = 0, size: int = 50, framework: Optional[str] = None) -> Json:
        """A page of models: ``{items: [ModelSummary], page, size, total}``."""
        q = "/models?page={}&size={}".format(int(page), int(size))
        if framework is not None:
            q += "&framework=" + enc(framework_name(framework) or "")
        return self._get(q)

    def get_model(self, name: str) -> Json:
        """The model's ``ModelSummary`` (latest and live version, number of versions)."""
        return self._get("/models/" + enc(name))

    model = get_model  # the Java SDK's name

    def versions(self, name: str) -> List[Json]:
        """Every ``ModelVersion`` of the model in semver order (schema, metadata, served artifact)."""
        return self._get("/models/{}/versions".format(enc(name)))

    def version(self, name: str, version: str) -> Json:
        """One ``ModelVersion``."""
        return self._get("/models/{}/versions/{}".format(enc(name), enc(version)))

    def delete(self, name: str, version: Optional[str] = None) -> Json:
        """Deletes one version, or the whole model with its history (admin token). Refused with
        :class:`ConflictException` while it serves traffic. Returns the ``ModelDeletion``."""
        path = "/models/" + enc(name) + ("" if version is None else "/versions/" + enc(version))
        return self._write("DELETE", self.control_plane, path, None)

    # ---- aliases and stages ---------------------------------------------------------------------------------------

    def set_alias(self, name: str, alias: str, version: str) -> Json:
        """Points the model's alias (``champion`` or ``@champion``) at ``version``, or at the version another alias
        names (``@challenger``). Anything that takes a version takes ``@alias``. Returns the ``ModelAlias``."""
        return self._write("PUT", self.control_plane, "/models/{}/aliases/{}".format(enc(name), enc(_strip_at(alias))),
                           {"version": version})

    def aliases(self, name: Optional[str] = None) -> List[Json]:
        """The model's aliases (``ModelAlias``: model, alias, version), or every model's when ``name`` is None."""
        return self._get("/aliases" if name is None else "/models/{}/aliases".format(enc(name)))

    def delete_alias(self, name: str, alias: str) -> Optional[Json]:
        """Removes the alias: the ``ModelAlias`` removed, or None when there was none (idempotent)."""
        return self._write("DELETE", self.control_plane,
                           "/models/{}/aliases/{}".format(enc(name), enc(_strip_at(alias))), None)

    def set_stage(self, name: str, version: str, stage: str) -> Json:
        """Sets the stage of a version (or alias): ``staging``, ``production`` or ``archived``. A stage labels a
        version; it never moves traffic. Returns the ``ModelVersion``."""
        return self._write("PUT", self.control_plane,
                           "/models/{}/versions/{}/stage".format(enc(name), enc(version)), {"stage": stage})

    # ---- deployments and nodes ------------------------------------------------------------------------------------

    def deploy(self, name: str, version: str, *, max_batch_size: Optional[int] = None,
               max_latency_ms: Optional[int] = None, cache_ttl_seconds: Optional[int] = None,
               drift_window: Optional[int] = None, max_concurrency: Optional[int] = None,
               max_queue: Optional[int] = None, timeout_ms: Optional[int] = None, fallback: Optional[str] = None,
               default_output: Optional[Mapping[str, Any]] = None, dry_run: bool = False) -> Json:
        """Puts ``version`` (a version or an alias, ``@champion``) live at 100 % and waits for live nodes to
        acknowledge. Settings not given keep the model's current ones (see docs/cli.md, "Serving settings"). Returns
        the ``DeploymentStatus``; with ``dry_run`` the one the control plane would make, validated, with nothing
        changed (``id`` 0)."""
        body = _compact({"model": name, "version": version, "max_batch_size": max_batch_size,
                         "max_latency_ms": max_latency_ms, "cache_ttl_seconds": cache_ttl_seconds,
                         "drift_window": drift_window, "max_concurrency": max_concurrency, "max_queue": max_queue,
                         "timeout_ms": timeout_ms, "fallback": fallback, "default_output": default_output})
        return self._post("/deployments?dry_run=true" if dry_run else "/deployments", body)

    def undeploy(self, name: str) -> Json:
        """Takes the model off every node; its versions stay registered."""
        return self._write("DELETE", self.control_plane, "/deployments/" + enc(name), None)

    def deployment(self, name: str) -> Json:
        """The model's current ``DeploymentStatus`` (revision, route, nodes acknowledged)."""
        return self._get("/deployments/" + enc(name))

    def history(self, name: str) -> List[Json]:
        """Every deployment revision of the model, newest first, each with its spec, author, time and change."""
        return self._get("/deployments/{}/history".format(enc(name)))

    def rollback(self, name: str, to_revision: Optional[int] = None) -> Json:
        """To ``to_revision``'s traffic split (as a new revision) when given, else the running canary back to 0 %,
        else the revision before the current one (:class:`ConflictException` when there is none)."""
        return self._post("/deployments/{}/rollback".format(enc(name)), _compact({"to_revision": to_revision}))

    def nodes(self) -> List[Json]:
        """Every registered node (``NodeStatus``: id, url, state LIVE or DEAD, serving revision)."""
        return self._get("/nodes")

    def routing(self) -> Json:
        """The current ``RoutingTable``."""
        return self._get("/routing")

    def health(self) -> Json:
        """The control plane's health document (``status``, ``checks``)."""
        return self._get("/health")

    # ---- rollouts -------------------------------------------------------------------------------------------------

    def create_canary(self, name: str, candidate_version: str, initial_percentage: Optional[int] = None,
                      auto_rollback_threshold: Optional[float] = None, steps: Optional[Sequence[int]] = None, *,
                      step_interval_seconds: Optional[int] = None, max_p99_ms: Optional[float] = None,
                      min_requests: Optional[int] = None, window_seconds: Optional[int] = None,
                      max_psi: Optional[float] = None) -> Json:
        """Starts a canary of ``candidate_version`` next to the model's stable version, under automatic analysis.

        :param initial_percentage: the canary's share of traffic (a fixed share without ``steps``)
        :param auto_rollback_threshold: the error rate (0..1) over ``window_seconds`` that rolls the canary back
            (the server's ``max_error_rate``, default 0.05)
        :param steps: percentages to move through, e.g. ``[5, 25, 50, 100]``, each after a healthy
            ``step_interval_seconds``
        :param max_p99_ms: a p99 latency that rolls it back; ``min_requests``: the sample it needs first
        :param max_psi: a drift gate: PSI of any input feature against the candidate's reference
        :return: the ``RolloutStatus`` (id, state, percent, step)
        """
        body = _compact({"model": name, "version": candidate_version, "percent": initial_percentage,
                         "steps": list(steps) if steps is not None else None,
                         "step_interval_seconds": step_interval_seconds, "max_error_rate": auto_rollback_threshold,
                         "max_p99_ms": max_p99_ms, "min_requests": min_requests, "window_seconds": window_seconds,
                         "max_psi": max_psi})
        return self._post("/deployments/canary", body)

    canary = create_canary  # the Java SDK's name

    def rollout(self, rollout_id: int) -> Json:
        """One rollout's ``RolloutStatus``."""
        return self._get("/deployments/canary/{}".format(int(rollout_id)))

    def rollout_of(self, name: str) -> Json:
        """The model's latest rollout (:class:`NotFoundException` when it never had one)."""
        return self._get("/deployments/{}/canary".format(enc(name)))

    def promote_canary(self, name: str) -> Json:
        """Makes the model's running canary stable at 100 % (:class:`NotFoundException` without one)."""
        return self._post("/deployments/{}/promote".format(enc(name)), None)

    promote = promote_canary  # the Java SDK's name

    def promote_rollout(self, rollout_id: int) -> Json:
        return self._post("/deployments/canary/{}/promote".format(int(rollout_id)), None)

    def rollback_rollout(self, rollout_id: int) -> Json:
        return self._post("/deployments/canary/{}/rollback".format(int(rollout_id)), None)

    def abort_rollout(self, name: str) -> Json:
        """Aborts the model's running canary (Argo's abort): back to 0 %, the rollout ends ABORTED."""
        return self._post("/rollouts/{}/abort".format(enc(name)), None)

    def pause_rollout(self, name: str) -> Json:
        """Pauses the model's running canary: it keeps its share; neither its steps nor its analysis act until
        :meth:`resume_rollout`."""
        return self._post("/rollouts/{}/pause".format(enc(name)), None)

    def resume_rollout(self, name: str) -> Json:
        """Resumes the model's paused canary; its current step starts again."""
        return self._post("/rollouts/{}/resume".format(enc(name)), None)

    def retry_rollout(self, name: str) -> Json:
        """Starts the model's rolled-back or aborted canary again from its first step (a new rollout)."""
        return self._post("/rollouts/{}/retry".format(enc(name)), None)

    def create_shadow(self, name: str, production_version: Optional[str] = None,
                      shadow_version: Optional[str] = None, percent: Optional[int] = None) -> Json:
        """Mirrors ``percent`` % (default 100) of the model's requests to ``shadow_version``; users keep getting
        ``production_version``'s answers, and the two are compared (:meth:`shadow_report`).

        ``production_version``, when given, must be the version serving the model now
        (:class:`ConflictException` otherwise: deploy it first); the shadow always runs next to the stable version.
        """
        if shadow_version is None:
            raise ValueError("shadow_version is required")
        if production_version is not None:
            stable = _stable_version(self.deployment(name))
            if stable != production_version:
                raise ConflictException(409, "conflict", "{} serves version {}, not {}: deploy {} first "
                                        "(client.deploy)".format(name, stable, production_version,
                                                                 production_version))
        return self.shadow(name, shadow_version, percent)

    def shadow(self, name: str, version: str, percent: Optional[int] = None) -> Json:
        """The Java SDK's ``shadow``: mirrors requests to ``version`` next to the stable version."""
        return self._post("/deployments/shadow", _compact({"model": name, "version": version, "percent": percent}))

    def stop_shadow(self, name: str) -> Json:
        """Removes the model's shadow: back to its stable version alone."""
        return self._write("DELETE", self.control_plane, "/deployments/{}/shadow".format(enc(name)), None)

    def shadow_report(self, name: str, samples: int = 20) -> Json:
        """The latest shadow comparison (``ShadowReport``: mirrored, compared, agreement rate, mean/max absolute
        difference, latency delta, up to ``samples`` sampled diffs)."""
        return self._get("/monitoring/shadow/{}?samples={}".format(enc(name), int(samples)))

    def create_ab(self, name: str, arms: Union[Mapping[str, int], Iterable[Tuple[str, int]]],
                  sticky_key: Optional[str] = None) -> Json:
        """Splits the model's traffic over sticky A/B arms: ``{"1.0.0": 50, "1.1.0": 50}`` (weights add to 100).
        A user keyed by the ``sticky_key`` header (default ``X-User-Id``: ``predict(..., user_id=...)``) stays on
        one arm."""
        pairs = arms.items() if isinstance(arms, collections.abc.Mapping) else arms
        body = _compact({"model": name, "arms": [{"version": v, "weight": int(w)} for v, w in pairs],
                         "sticky_key": sticky_key})
        return self._post("/deployments/ab", body)

    ab = create_ab  # the Java SDK's name

    def chaos(self, name: str, version: str, error_rate: Optional[float] = None, latency_ms: Optional[int] = None,
              duration_seconds: Optional[int] = None, clear: bool = False) -> Json:
        """Injects a fault into one version on every node (or ``clear=True`` removes it); admin token."""
        body = {"model": name, "version": version, "clear": True} if clear else _compact({
            "model": name, "version": version, "error_rate": error_rate, "latency_ms": latency_ms,
            "duration_seconds": duration_seconds})
        return self._post("/deployments/chaos", body)

    def apply(self, manifest_paths: Union[PathLike, Sequence[PathLike]], dry_run: bool = False) -> Json:
        """Applies ``ModelDeployment`` manifests (files, or directories: their ``*.yaml``/``*.yml``, sorted) in one
        transaction, or with ``dry_run`` says what would change. Invalid manifests raise
        :class:`InvalidRequestException` whose ``details`` name file, line, column and field."""
        paths = [manifest_paths] if isinstance(manifest_paths, (str, os.PathLike)) else list(manifest_paths)
        files = []
        for p in paths:
            for f in _manifest_files(Path(os.fspath(p))):
                try:
                    files.append({"name": str(f), "content": f.read_text(encoding="utf-8")})
                except (OSError, UnicodeDecodeError) as e:
                    raise InvalidRequestException(400, "invalid_input", "cannot read {}: {}".format(f, e)) from None
        if not files:
            raise InvalidRequestException(400, "invalid_input", "no manifest files in {}".format(
                ", ".join(str(p) for p in paths)))
        return self._post("/manifests/apply", {"files": files, "dry_run": bool(dry_run)})

    def diff(self, manifest_paths: Union[PathLike, Sequence[PathLike]]) -> Json:
        """:meth:`apply` as a dry run: the ``ApplyResult`` of what would change."""
        return self.apply(manifest_paths, dry_run=True)

    # ---- monitoring -----------------------------------------------------------------------------------------------

    def traffic(self, name: str) -> Json:
        """Per version of the model: role, weight, requests, errors, error rate and latency percentiles."""
        return self._get("/monitoring/traffic/" + enc(name))

    def latency(self, name: Optional[str] = None) -> Any:
        """Requests, errors and p50/p95/p99 over the last 1, 5 and 15 minutes per version (``LatencyReport``);
        without a name, a list for every model deployed or served within 15 minutes."""
        return self._get("/monitoring/latency" + ("" if name is None else "/" + enc(name)))

    def drift(self, name: str) -> Json:
        """Per version and feature: PSI and the KS test of the current input window against the reference."""
        return self._get("/monitoring/drift/" + enc(name))

    # ---- tokens (admin) -------------------------------------------------------------------------------------------

    def create_token(self, name: str, scopes: Sequence[str], expires_in_seconds: Optional[int] = None,
                     rate_limit: Optional[Tuple[float, int]] = None) -> Json:
        """Creates a token (``CreatedToken {token, info}``; the token is shown only here). ``rate_limit`` is
        (requests per second, burst)."""
        body = _compact({"name": name, "scopes": list(scopes), "expires_in_seconds": expires_in_seconds,
                         "rate_limit": None if rate_limit is None else {"per_second": rate_limit[0],
                                                                        "burst": rate_limit[1]}})
        return self._post("/tokens", body)

    def tokens(self, include_revoked: bool = False) -> List[Json]:
        """Active tokens (with ``include_revoked``, revoked ones too), without their secrets."""
        return self._get("/tokens" + ("?all=true" if include_revoked else ""))

    def revoke_token(self, name: str) -> Json:
        return self._write("DELETE", self.control_plane, "/tokens/" + enc(name), None)

    # ---- predictions ----------------------------------------------------------------------------------------------

    def predict(self, name: str, inputs: Any, version: Optional[str] = None, user_id: Optional[str] = None,
                headers: Optional[Mapping[str, str]] = None) -> Json:
        """Predicts one row: a list in the model's feature order, a dict of feature to value, a numpy array or a
        one-row pandas DataFrame. Returns the ``Prediction``: ``{model, model_version, request_id, cached,
        outputs}``; a classifier's ``outputs`` are ``{"label": ..., "probabilities": {class: p}}``.

        :param version: a specific version instead of the routed one
        :param user_id: sent as ``X-User-Id``, which keeps a user on one A/B arm or canary side
        """
        body = _inputs.dumps({"inputs": _inputs.row(inputs)})
        return self._predict("/predict/" + enc(name), version, body, _predict_headers(user_id, headers))

    def preview(self, name: str, inputs: Any, version: str, headers: Optional[Mapping[str, str]] = None) -> Json:
        """A preview call: ``version`` (a version or an alias) answers one row whether or not a route sends it
        traffic, outside splits, traffic statistics and canary analysis. Needs a token with scope ``preview`` (or
        admin) on the node."""
        if not version:
            raise ValueError("a preview names the version to try")
        h = dict(headers or {})
        h["X-ModelMesh-Preview"] = "true"
        body = _inputs.dumps({"inputs": _inputs.row(inputs)})
        return self._predict("/predict/" + enc(name), version, body, h)

    def predict_batch(self, name: str, instances: Any, version: Optional[str] = None, user_id: Optional[str] = None,
                      headers: Optional[Mapping[str, str]] = None) -> Json:
        """Predicts several rows (a list of rows, a numpy ``[N, F]`` array or a DataFrame); each output holds one
        entry per row."""
        body = _inputs.dumps({"instances": _inputs.rows(instances)})
        return self._predict("/predict/{}/batch".format(enc(name)), version, body,
                             _predict_headers(user_id, headers))

    def infer(self, name: str, inputs: Any, version: Optional[str] = None, outputs: Optional[Sequence[str]] = None,
              headers: Optional[Mapping[str, str]] = None) -> Json:
        """An Open Inference Protocol v2 request. ``inputs`` is a list of OIP tensors (dicts with name, shape,
        datatype, data), a dict of feature to column values (one tensor per feature), or rows (sent as one FP32
        ``[N, F]`` tensor). Returns the OIP answer ``{model_name, model_version, outputs: [tensors]}``."""
        body: Dict[str, Any] = {"inputs": _inputs.oip_tensors(inputs)}
        if outputs:
            body["outputs"] = [{"name": o} for o in outputs]
        path = "/v2/models/" + enc(name) + ("" if version is None else "/versions/" + enc(version)) + "/infer"
        return self._predict(path, None, _inputs.dumps(body), dict(headers or {}))

    def model_metadata(self, name: str, version: Optional[str] = None) -> Json:
        """A node's OIP v2 metadata of the model: inputs, outputs (with class labels) and features."""
        path = "/v2/models/" + enc(name) + ("" if version is None else "/versions/" + enc(version))
        return self._predict(path, None, None, {})

    def wait_ready(self, name: str, timeout: float = 60.0) -> Json:
        """Waits until every node serves the model's current deployment revision with each version of its route
        loaded, and returns that ``DeploymentStatus``.

        A deploy (or a registration that deploys, a canary, a shadow, a rollback) returns once live nodes
        acknowledge or the server's push timeout passes; a node that took longer to download, validate and load a
        new artifact catches up on its next heartbeat. Call this before predicting when that matters.

        :raises InvalidRequestException: a node could not load a version of the model (the reason is in the message)
        :raises UnavailableException: not ready within ``timeout`` seconds
        """
        status = self.deployment(name)
        # nodes report the cluster's routing revision; "id" is the model's own revision number (1, 2, 3...)
        revision = int(status.get("routing_revision") or status["id"])
        versions = {t["version"] for t in (status.get("route") or {}).get("targets") or []}
        deadline = time.monotonic() + timeout
        for url in self.data_planes():
            while True:
                res = self._http.send("GET", url + "/health", {"Accept": JSON_TYPE}, None, self.timeout)
                health = _json(res) if res.status in (200, 503) else _json(check(res, redact(url)))
                failed = (health.get("failed") or {}).get(name)
                if failed:
                    raise InvalidRequestException(422, "not_loaded", "node {} cannot serve {}: {}".format(
                        health.get("node_id", redact(url)), name, failed))
                if health.get("ready") and int(health.get("serving_revision") or 0) >= revision \
                        and versions <= set((health.get("models") or {}).get(name) or []):
                    break
                if time.monotonic() > deadline:
                    raise UnavailableException(504, "timeout", "node {} does not serve revision {} of {} (versions "
                                               "{}) after {:g} s; it serves revision {}".format(
                                                   redact(url), revision, name, sorted(versions), timeout,
                                                   health.get("serving_revision")))
                time.sleep(0.05)
        return status

    def data_planes(self) -> List[str]:
        """The nodes predictions go to: the configured ones, else the control plane's live nodes (all registered
        ones when none is live), looked up once."""
        return self._nodes().urls()

    # ---- plumbing -------------------------------------------------------------------------------------------------

    def _nodes(self) -> NodeBalancer:
        with self._lock:
            if self._balancer is None:
                urls = self._configured_nodes
                if not urls:
                    # LIVE nodes; when none is (a node busy loading a model may miss heartbeats), every registered one
                    registered = self.nodes()
                    urls = [_strip(n["url"]) for n in registered if n.get("state") == "LIVE"] \
                        or [_strip(n["url"]) for n in registered]
                if not urls:
                    raise UnavailableException(503, "unavailable", "no live data-plane node is registered with {} "
                                               "(start one: mmctl up)".format(redact(self.control_plane)))
                self._balancer = NodeBalancer(urls)
            return self._balancer

    def _predict(self, path: str, version: Optional[str], body: Optional[bytes],
                 headers: Dict[str, str]) -> Json:
        """Sends a prediction to a node chosen by power of two choices, retried by the retry policy: a node that
        cannot be reached or is shutting down sits out a cool-down and the request goes to another node (at once,
        then with backoff); an overloaded node's refusal goes to another node only."""
        if version is not None:
            path += "?version=" + enc(version)
        nodes = self._nodes()
        failed = None
        attempt = 1
        while True:
            node = nodes.acquire(failed)
            try:
                h = dict(headers)
                h.setdefault("Accept", JSON_TYPE)
                if self._predict_token:
                    h["Authorization"] = "Bearer " + self._predict_token
                if body is not None:
                    h["Content-Type"] = JSON_TYPE
                res = self._http.send("GET" if body is None else "POST", node.url + path, h, body, self.timeout)
                return _json(check(res, redact(node.url)))
            except ModelMeshException as e:
                how = RetryPolicy.classify(e, True)
                if how is Retry.ANY_NODE:
                    nodes.mark_down(node)
                another = len(nodes.nodes) > 1
                if how is Retry.NO or not self.retry_policy.allows_another(attempt) \
                        or (how is Retry.OTHER_NODE and not another):
                    raise
                if not (another and attempt == 1):  # the first move to another node goes at once
                    self._pause(attempt, e)
                failed = node
            finally:
                nodes.release(node)
            attempt += 1

    def _pause(self, retry: int, e: ModelMeshException) -> None:
        time.sleep(self.retry_policy.delay(retry, getattr(e, "retry_after", None), random.random))

    def _headers(self, base: str, extra: Mapping[str, str]) -> Dict[str, str]:
        h = {"Accept": JSON_TYPE}
        if base == self.control_plane and self._token:
            h["Authorization"] = "Bearer " + self._token
        h.update(extra)
        return h

    def _get(self, path: str) -> Any:
        """A read, retried by the retry policy when it failed in a way a later try may not."""
        attempt = 1
        while True:
            try:
                res = self._http.send("GET", self.control_plane + path, self._headers(self.control_plane, {}),
                                      None, self.timeout)
                return _json(check(res, redact(self.control_plane)))
            except ModelMeshException as e:
                if RetryPolicy.classify(e, False) is Retry.NO or not self.retry_policy.allows_another(attempt):
                    raise
                self._pause(attempt, e)
            attempt += 1

    def _post(self, path: str, body: Optional[Mapping[str, Any]]) -> Any:
        return self._write("POST", self.control_plane, path, body)

    def _write(self, method: str, base: str, path: str, body: Optional[Mapping[str, Any]]) -> Any:
        """A write: never retried (its answer may have been lost after it happened)."""
        data = b"" if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        sends_body = method in ("POST", "PUT")
        extra = {"Content-Type": JSON_TYPE} if sends_body else {}
        res = self._http.send(method, base + path, self._headers(base, extra), data if sends_body else None,
                              WRITE_TIMEOUT)
        return _json(check(res, redact(base)))


def _json(res: Response) -> Any:
    if not res.body:
        return None
    try:
        return json.loads(res.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ModelMeshException(res.status, "bad_response", "unreadable answer: {}".format(e)) from None


def _compact(d: Mapping[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _strip(url: str) -> str:
    return url[:-1] if url.endswith("/") else url


def _open(path: Any, what: str) -> BinaryIO:
    try:
        return open(os.fspath(path), "rb")
    except OSError as e:
        raise InvalidRequestException(400, "invalid_input", "cannot read the {} {}: {}".format(
            what, path, e.strerror or e)) from None


def _strip_at(alias: str) -> str:
    return alias[1:] if alias.startswith("@") else alias


def _predict_headers(user_id: Optional[str], headers: Optional[Mapping[str, str]]) -> Dict[str, str]:
    h = dict(headers or {})
    if user_id is not None:
        h["X-User-Id"] = str(user_id)
    return h


def _stable_version(status: Json) -> Optional[str]:
    for t in (status.get("route") or {}).get("targets") or []:
        if t.get("role") == "STABLE":
            return t.get("version")
    return None


def _manifest_files(p: Path) -> List[Path]:
    if p.is_dir():
        return sorted(f for f in p.iterdir() if f.is_file() and f.suffix in (".yaml", ".yml"))
    if not p.is_file():
        raise InvalidRequestException(400, "invalid_input", "no such manifest file or directory: {}".format(p))
    return [p]
