"""One exception hierarchy for everything the platform refuses or cannot serve.

It mirrors the Java SDK's ``io.modelmesh.sdk.ModelMeshException`` and the server's one error body
``{"status", "error", "message", "request_id"}`` (under ``/v2``: ``{"error": message, "code", "status"}``).
The short names the issue asks for (``NotFound``, ``Conflict``, ``InvalidInput``, ``Unauthorized``,
``Unavailable``) are the same classes as the Java-style names, so either may be caught.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional


class ModelMeshException(Exception):
    """A request the platform refused or could not serve.

    ``status`` is the HTTP status (or one made up for transport failures: 503 unreachable, 504 timeout),
    ``error`` the stable machine-readable code (``not_found``, ``conflict``, ``invalid_input``, ...),
    ``message`` what went wrong and what to do, ``request_id`` the server's request id when it sent one,
    ``details`` the precise problems (each invalid manifest field), empty when none.
    """

    def __init__(self, status: int, error: str, message: str, request_id: Optional[str] = None,
                 details: Optional[List[Dict[str, Any]]] = None) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.request_id = request_id
        self.details: List[Dict[str, Any]] = list(details or [])

    def __str__(self) -> str:
        suffix = " (request id {})".format(self.request_id) if self.request_id else ""
        return "{} {}: {}{}".format(self.status, self.error, self.message, suffix)

    def __repr__(self) -> str:
        return "{}(status={!r}, error={!r}, message={!r}, request_id={!r})".format(
            type(self).__name__, self.status, self.error, self.message, self.request_id)


class InvalidRequestException(ModelMeshException):
    """400 or 422: the request (or the uploaded artifact) is wrong; the message says what to fix."""


class UnauthorizedException(ModelMeshException):
    """401 (no token, or an unknown, expired or revoked one) or 403 (a token without the scope needed)."""


class NotFoundException(ModelMeshException):
    """404: unknown model, version, deployment, rollout or token."""


class ConflictException(ModelMeshException):
    """409: the request contradicts stored state (same version with other bytes, a version serving traffic...)."""


class PayloadTooLargeException(ModelMeshException):
    """413: the upload or body is over the server's limit."""


class UnavailableException(ModelMeshException):
    """The server is unreachable, overloaded, shutting down, not ready or out of storage (connection refused,
    a timeout, TLS failure, 429, 502-504, 507). The client has already retried what could be retried.

    ``retry_after`` is the server's ``Retry-After`` in whole seconds, when it sent one.
    """

    def __init__(self, status: int, error: str, message: str, request_id: Optional[str] = None,
                 details: Optional[List[Dict[str, Any]]] = None, retry_after: Optional[int] = None) -> None:
        super().__init__(status, error, message, request_id, details)
        self.retry_after = retry_after


# The short names of the issue; the same classes.
InvalidInput = InvalidRequestException
Unauthorized = UnauthorizedException
NotFound = NotFoundException
Conflict = ConflictException
PayloadTooLarge = PayloadTooLargeException
Unavailable = UnavailableException


def error_for(status: int, body: bytes, retry_after: Optional[int] = None,
              where: str = "the server") -> ModelMeshException:
    """Maps an HTTP error answer to the typed exception for its status (as ``ModelMeshException.of`` in Java)."""
    error, message, request_id, details = _parse_body(status, body, where)
    if status in (429, 502, 503, 504, 507):
        return UnavailableException(status, error, message, request_id, details, retry_after)
    cls = {400: InvalidRequestException, 422: InvalidRequestException, 401: UnauthorizedException,
           403: UnauthorizedException, 404: NotFoundException, 409: ConflictException,
           413: PayloadTooLargeException}.get(status, ModelMeshException)
    return cls(status, error, message, request_id, details)


def _parse_body(status: int, body: bytes, where: str):
    """The error code, message, request id and details of an error body in either ModelMesh shape."""
    try:
        doc = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        doc = None
    if isinstance(doc, dict):
        request_id = doc.get("request_id")
        details = doc.get("details") if isinstance(doc.get("details"), list) else None
        if isinstance(doc.get("message"), str):
            return str(doc.get("error") or "http_{}".format(status)), doc["message"], request_id, details
        if isinstance(doc.get("error"), str) and isinstance(doc.get("code"), str):  # the OIP v2 shape
            return doc["code"], doc["error"], request_id, details
    text = body.decode("utf-8", "replace").strip() if body else ""
    return "http_{}".format(status), text or "HTTP {} from {}".format(status, where), None, None
