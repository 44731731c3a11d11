"""HTTP plumbing on the standard library (``http.client``): keep-alive connections per thread and origin,
streamed request bodies with a known length, and transport failures as :class:`UnavailableException`."""

from __future__ import annotations

import http.client
import io
import os
import re
import socket
import ssl
import threading
import uuid
from typing import BinaryIO, Callable, Dict, Iterator, List, Mapping, Optional, Tuple, Union
from urllib.parse import quote, urlsplit

from .errors import ModelMeshException, UnavailableException, error_for

CHUNK = 1 << 20  # bytes read from a file and sent at a time

ProgressCallback = Callable[[int], None]


class Response:
    """A complete answer: status, headers (lower-case names) and body."""

    def __init__(self, status: int, headers: Dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def retry_after(self) -> Optional[int]:
        """``Retry-After`` in whole seconds (the HTTP-date form is not used by ModelMesh servers and is ignored)."""
        v = self.headers.get("retry-after", "").strip()
        return int(v) if v.isdigit() and len(v) <= 9 else None


class Multipart:
    """A multipart/form-data body whose file parts stream from disk or memory with a known total length."""

    def __init__(self) -> None:
        self.boundary = "mm-" + uuid.uuid4().hex
        self._parts: List[Tuple[bytes, Optional[BinaryIO], int, bool]] = []  # head, stream, size, counted
        self._starts: List[Tuple[BinaryIO, int]] = []

    @property
    def content_type(self) -> str:
        return "multipart/form-data; boundary=" + self.boundary

    def field(self, name: str, value: str) -> "Multipart":
        head = ("--{}\r\nContent-Disposition: form-data; name=\"{}\"\r\nContent-Type: text/plain; charset=UTF-8"
                "\r\n\r\n").format(self.boundary, name).encode("utf-8") + value.encode("utf-8") + b"\r\n"
        self._parts.append((head, None, 0, False))
        return self

    def file(self, name: str, filename: str, stream: BinaryIO, size: int, counted: bool = False) -> "Multipart":
        """A file part of ``size`` bytes read from ``stream``; ``counted`` parts report progress."""
        safe = filename.replace("\"", "").replace("\r", "").replace("\n", "")
        head = ("--{}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: "
                "application/octet-stream\r\n\r\n").format(self.boundary, name, safe).encode("utf-8")
        self._parts.append((head, stream, size, counted))
        self._starts.append((stream, stream.tell()))
        return self

    def rewind(self) -> None:
        """Puts every file part back at its start, to send the body again."""
        for stream, start in self._starts:
            stream.seek(start)

    def _tail(self) -> bytes:
        return "--{}--\r\n".format(self.boundary).encode("utf-8")

    def length(self) -> int:
        return sum(len(h) + size + (2 if s is not None else 0) for h, s, size, _ in self._parts) + len(self._tail())

    def chunks(self, progress: Optional[ProgressCallback] = None) -> Iterator[bytes]:
        for head, stream, size, counted in self._parts:
            yield head
            if stream is None:
                continue
            left, sent = size, 0
            while left > 0:
                block = stream.read(min(CHUNK, left))
                if not block:
                    raise ModelMeshException(400, "invalid_input", "the file of part '{}' ended after {} of its {} "
                                             "bytes (was it changed while being sent?)".format(
                                                 head.split(b"name=\"")[1].split(b"\"")[0].decode(), sent, size))
                left -= len(block)
                sent += len(block)
                yield block
                if counted and progress is not None:
                    progress(sent)
            yield b"\r\n"
        yield self._tail()


Body = Union[None, bytes, Multipart]


def redact(url: str) -> str:
    """A URL without its user info's password (``user:***@``), for messages."""
    return re.sub(r"(//[^/@:]*):[^/@]*@", r"\1:***@", url)


def enc(segment: str) -> str:
    """Percent-encodes one path segment or query value."""
    return quote(segment, safe="")


def transport_error(status: int, error: str, message: str) -> UnavailableException:
    e = UnavailableException(status, error, message)
    e.transport = True  # type: ignore[attr-defined]  # no answer came: see RetryPolicy.classify
    return e


class Transport:
    """Sends requests over keep-alive connections, one per thread and origin."""

    def __init__(self, ssl_context: Optional[ssl.SSLContext], connect_timeout: float = 5.0) -> None:
        self._ssl = ssl_context
        self._connect_timeout = connect_timeout
        self._local = threading.local()

    def _connection(self, scheme: str, netloc: str, timeout: float) -> Tuple[http.client.HTTPConnection, bool]:
        pool: Dict[Tuple[str, str], http.client.HTTPConnection] = self._local.__dict__.setdefault("pool", {})
        conn = pool.get((scheme, netloc))
        if conn is not None:
            conn.timeout = timeout
            if conn.sock is not None:
                conn.sock.settimeout(timeout)
            return conn, True
        parts = urlsplit("{}://{}".format(scheme, netloc))
        host, port = parts.hostname or "127.0.0.1", parts.port
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=self._connect_timeout,
                                               context=self._ssl or ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self._connect_timeout)
        conn.connect()
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        conn.timeout = timeout
        pool[(scheme, netloc)] = conn
        return conn, False

    def _drop(self, scheme: str, netloc: str) -> None:
        pool = self._local.__dict__.get("pool", {})
        conn = pool.pop((scheme, netloc), None)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        for conn in self._local.__dict__.get("pool", {}).values():
            conn.close()
        self._local.__dict__["pool"] = {}

    def send(self, method: str, url: str, headers: Mapping[str, str], body: Body = None, timeout: float = 60.0,
             progress: Optional[ProgressCallback] = None) -> Response:
        """Sends one request and reads the whole answer. A kept-alive connection the server closed while idle is
        replaced and the request sent again once (the server never saw it). Raises :class:`UnavailableException`
        for transport failures."""
        parts = urlsplit(url)
        where = redact("{}://{}".format(parts.scheme, parts.netloc))
        target = parts.path + ("?" + parts.query if parts.query else "")
        for fresh_retry in (False, True):
            try:
                conn, reused = self._connection(parts.scheme, parts.netloc, timeout)
            except ssl.SSLError as e:
                raise self._tls(where, e)
            except socket.timeout:
                raise transport_error(503, "unavailable", "cannot reach {} (connect timeout): is it running? Start "
                                                          "the local stack with 'mmctl up'".format(where))
            except OSError as e:
                raise transport_error(503, "unavailable", "cannot reach {} ({}): is it running? Start the local "
                                                          "stack with 'mmctl up'".format(where, _describe(e)))
            sent = False
            try:
                try:
                    self._write(conn, method, target, parts.netloc, headers, body, progress)
                except (ConnectionResetError, BrokenPipeError):
                    if not isinstance(body, Multipart):
                        raise
                    # A server refuses an upload it will not read (announced over its limit, no token) at once and
                    # closes; the refusal may be waiting on the socket: read it rather than report the broken write.
                    res = self._early_answer(conn)
                    if res is None:
                        raise  # not sent: on a kept-alive connection the server closed while idle, sent again below
                else:
                    sent = True
                    res = conn.getresponse()
                data = res.read()
                out = Response(res.status, {k.lower(): v for k, v in res.getheaders()}, data)
                if res.will_close:
                    self._drop(parts.scheme, parts.netloc)
                return out
            except ssl.SSLError as e:
                self._drop(parts.scheme, parts.netloc)
                raise self._tls(where, e)
            except socket.timeout:
                self._drop(parts.scheme, parts.netloc)
                raise transport_error(504, "timeout", "no answer from {} within the timeout ({:g} s)".format(
                    where, timeout))
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                self._drop(parts.scheme, parts.netloc)
                if reused and not fresh_retry and (not sent or isinstance(e, http.client.RemoteDisconnected)):
                    if isinstance(body, Multipart):
                        body.rewind()
                    continue  # the server closed an idle keep-alive connection: send again on a new one
                raise transport_error(503, "unavailable", "request to {} failed: {}".format(where, _describe(e)))
            except (OSError, http.client.HTTPException) as e:
                self._drop(parts.scheme, parts.netloc)
                raise transport_error(503, "unavailable", "request to {} failed: {}".format(where, _describe(e)))
        raise AssertionError("unreachable")

    @staticmethod
    def _early_answer(conn: http.client.HTTPConnection) -> Optional[http.client.HTTPResponse]:
        """The answer a server sent before a failed write, if it arrived before the connection broke."""
        try:
            return conn.getresponse()
        except (OSError, http.client.HTTPException):
            return None

    @staticmethod
    def _write(conn: http.client.HTTPConnection, method: str, target: str, netloc: str,
               headers: Mapping[str, str], body: Body, progress: Optional[ProgressCallback]) -> None:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", netloc.rsplit("@", 1)[-1])
        for k, v in headers.items():
            conn.putheader(k, v)
        if isinstance(body, Multipart):
            conn.putheader("Content-Length", str(body.length()))
            conn.endheaders()
            for chunk in body.chunks(progress):
                conn.send(chunk)
        else:
            data = body or b""
            if data or method in ("POST", "PUT"):
                conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data if data else None)

    @staticmethod
    def _tls(where: str, e: Exception) -> UnavailableException:
        return transport_error(503, "tls", "TLS with {} failed ({}): if its certificate is signed by your own CA, "
                                           "trust that CA with tls_ca= or MM_TLS_CA; if the server does not serve "
                                           "https, use an http:// URL".format(where, e))


def _describe(e: Exception) -> str:
    return "{}: {}".format(type(e).__name__, e) if str(e) else type(e).__name__


def check(res: Response, where: str) -> Response:
    """Raises the typed exception of an error answer."""
    if res.status >= 400:
        raise error_for(res.status, res.body, res.retry_after(), where)
    return res


def file_size(stream: BinaryIO) -> int:
    """The bytes left in a seekable stream from its current position."""
    pos = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(pos)
    return end - pos


def ssl_context(ca_file: Optional[str]) -> Optional[ssl.SSLContext]:
    """A context trusting only the CA certificates in ``ca_file`` (PEM), or None for the system's default."""
    if not ca_file:
        return None
    if not os.path.isfile(ca_file):
        raise ValueError("the CA bundle {} does not exist".format(ca_file))
    return ssl.create_default_context(cafile=ca_file)
