"""What needs no ModelMesh stack: the error mapping, the retry policy and its use over real sockets (a scripted
local HTTP server), node balancing with a hand-driven clock, and input conversion."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from modelmesh import (Conflict, InvalidInput, ModelMeshClient, ModelMeshException, NotFound, PayloadTooLarge,
                       Retry, RetryPolicy, Unauthorized, Unavailable)
from modelmesh import inputs
from modelmesh.balancer import COOL_DOWN, NodeBalancer
from modelmesh.errors import error_for


def body(status, error, message, **extra):
    return json.dumps(dict({"status": status, "error": error, "message": message}, **extra)).encode()


@pytest.mark.parametrize("status,cls", [(400, InvalidInput), (422, InvalidInput), (401, Unauthorized),
                                        (403, Unauthorized), (404, NotFound), (409, Conflict),
                                        (413, PayloadTooLarge), (429, Unavailable), (502, Unavailable),
                                        (503, Unavailable), (504, Unavailable), (507, Unavailable),
                                        (500, ModelMeshException)])
def test_each_status_maps_to_its_exception(status, cls):
    e = error_for(status, body(status, "some_code", "what happened", request_id="r-1"), retry_after=None)
    assert type(e) is cls
    assert (e.status, e.error, e.message, e.request_id) == (status, "some_code", "what happened", "r-1")
    assert "what happened" in str(e) and "r-1" in str(e)


def test_other_error_shapes_keep_their_message():
    oip = error_for(404, b'{"error": "model m is not deployed", "code": "not_found", "status": 404}')
    assert (type(oip), oip.error, oip.message) == (NotFound, "not_found", "model m is not deployed")
    text = error_for(502, b"Bad Gateway\n", retry_after=3)
    assert (type(text), text.error, text.message, text.retry_after) == (Unavailable, "http_502", "Bad Gateway", 3)
    empty = error_for(500, b"", where="http://h:1")
    assert empty.message == "HTTP 500 from http://h:1"
    details = error_for(400, body(400, "invalid_manifest", "2 problems", details=[{"file": "a.yaml", "line": 3}]))
    assert details.details == [{"file": "a.yaml", "line": 3}]


def test_backoff_doubles_with_equal_jitter_up_to_the_cap_and_honours_retry_after():
    policy = RetryPolicy(5, base_delay=0.1, max_delay=0.3)
    assert policy.delay(1, random=lambda: 0.0) == pytest.approx(0.05)
    assert policy.delay(1, random=lambda: 0.999999) == pytest.approx(0.1, abs=1e-6)
    assert policy.delay(2, random=lambda: 0.0) == pytest.approx(0.1)
    assert policy.delay(3, random=lambda: 0.0) == pytest.approx(0.15)  # capped at 0.3, half of it
    assert policy.delay(60, random=lambda: 0.0) == pytest.approx(0.15)
    assert policy.delay(1, retry_after=1, random=lambda: 0.0) == pytest.approx(0.3)  # asked 1 s, capped
    assert policy.allows_another(4) and not policy.allows_another(5)
    assert not RetryPolicy.none().allows_another(1)
    with pytest.raises(ValueError):
        RetryPolicy(0)
    with pytest.raises(ValueError):
        RetryPolicy(3, base_delay=1.0, max_delay=0.5)


def test_what_is_retried_and_where():
    overloaded = error_for(429, body(429, "overloaded", "busy"))
    assert RetryPolicy.classify(overloaded, prediction=True) is Retry.OTHER_NODE
    assert RetryPolicy.classify(overloaded, prediction=False) is Retry.ANY_NODE
    shutting = error_for(503, body(503, "shutting_down", "bye"))
    assert RetryPolicy.classify(shutting, prediction=True) is Retry.ANY_NODE
    assert RetryPolicy.classify(error_for(404, body(404, "not_found", "x")), True) is Retry.NO
    assert RetryPolicy.classify(error_for(500, body(500, "internal", "x")), False) is Retry.NO


class Scripted:
    """A local HTTP server answering each request with the next scripted (status, headers, body)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests = []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                scripted.requests.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
                status, headers, payload = scripted.answers.pop(0)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                self.close_connection = headers.get("X-Then-Close") == "1"  # closes without saying so

            do_GET = do_POST = do_DELETE = answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:{}".format(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers():
    made = []

    def make(*answers):
        s = Scripted(answers)
        made.append(s)
        return s
    yield make
    for s in made:
        s.close()


OK = (200, {"Content-Type": "application/json"}, b'{"name": "m"}')
UNAVAILABLE = (503, {"Retry-After": "0"}, body(503, "unavailable", "not ready"))
FAST = RetryPolicy(3, base_delay=0.0, max_delay=0.0)


def test_reads_are_retried_until_they_succeed_or_attempts_run_out(servers):
    s = servers(UNAVAILABLE, UNAVAILABLE, OK)
    client = ModelMeshClient(s.url, token="t", retry_policy=FAST)
    assert client.get_model("m") == {"name": "m"}
    assert len(s.requests) == 3
    assert s.requests[0][2]["Authorization"] == "Bearer t"

    s2 = servers(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE)
    with pytest.raises(Unavailable) as e:
        ModelMeshClient(s2.url, token="t", retry_policy=FAST).get_model("m")
    assert e.value.retry_after == 0 and len(s2.requests) == 3


def test_writes_and_client_errors_are_never_retried(servers):
    s = servers(UNAVAILABLE, (400, {}, body(400, "invalid_input", "bad")))
    client = ModelMeshClient(s.url, token="t", retry_policy=FAST)
    with pytest.raises(Unavailable):
        client.deploy("m", "1.0.0")
    assert len(s.requests) == 1 and json.loads(s.requests[0][3]) == {"model": "m", "version": "1.0.0"}
    assert s.requests[0][2]["Content-Type"] == "application/json"
    with pytest.raises(InvalidInput):
        client.get_model("m")
    assert len(s.requests) == 2


def test_an_overloaded_node_is_left_for_another_and_a_lone_one_is_not_asked_again(servers):
    overloaded = (429, {"Retry-After": "1"}, body(429, "overloaded", "queue full"))
    prediction = (200, {}, b'{"model": "m", "model_version": "1.0.0", "outputs": {}}')
    busy, idle = servers(overloaded), servers(prediction)
    both = ModelMeshClient("http://127.0.0.1:1", data_plane=[busy.url, idle.url], retry_policy=FAST)
    both._balancer = NodeBalancer([busy.url, idle.url], randint=lambda n: 0)  # the busy node is drawn first
    assert both.predict("m", [1, 2])["model_version"] == "1.0.0"
    assert len(busy.requests) == 1 and len(idle.requests) == 1
    assert json.loads(idle.requests[0][3]) == {"inputs": [1, 2]}

    alone = servers(overloaded)
    with pytest.raises(Unavailable) as e:
        ModelMeshClient("http://127.0.0.1:1", data_plane=alone.url, retry_policy=FAST).predict("m", [1])
    assert e.value.retry_after == 1 and len(alone.requests) == 1

    closing = servers((503, {}, body(503, "shutting_down", "draining")), prediction)
    assert ModelMeshClient("http://127.0.0.1:1", data_plane=closing.url, retry_policy=FAST).predict(
        "m", [1])["model_version"] == "1.0.0"


def test_a_kept_alive_connection_the_server_closed_is_replaced_without_a_second_write(servers):
    s = servers((201, {"X-Then-Close": "1"}, b'{"id": 1}'), (201, {}, b'{"id": 2}'))
    client = ModelMeshClient(s.url, token="t", retry_policy=RetryPolicy.none())
    assert client.deploy("m", "1.0.0") == {"id": 1}
    assert client.deploy("m", "1.0.0") == {"id": 2}
    assert len(s.requests) == 2


def test_balancing_prefers_the_less_loaded_node_and_skips_unreachable_ones():
    now = [100.0]
    picks = iter([0, 0, 0, 0, 0, 0])
    b = NodeBalancer(["a", "b", "c"], clock=lambda: now[0], randint=lambda n: next(picks))
    first = b.acquire()  # candidates 0 and 1, equal: the first
    assert first.url == "a"
    second = b.acquire()  # a has one outstanding: b
    assert second.url == "b"
    b.release(first)
    b.release(second)
    b.mark_down(b.nodes[0])
    assert b.acquire().url == "b"  # a sits out its cool-down: candidates b and c
    now[0] += COOL_DOWN + 0.001
    single = NodeBalancer(["only"], clock=lambda: now[0])
    assert single.acquire(avoid=single.nodes[0]).url == "only"  # nothing else to go to
    with pytest.raises(ValueError):
        NodeBalancer([])


class FakeFrame:
    """Duck-types the part of pandas.DataFrame the SDK uses."""

    def __init__(self, records):
        self.records = records
        self.columns = list(records[0])
        self.iloc = None

    def to_dict(self, orient):
        assert orient == "records"
        return self.records

    def __getitem__(self, column):
        return [r[column] for r in self.records]


def test_inputs_become_json_rows():
    assert inputs.row([np.float32(1.5), 2]) == [1.5, 2]
    assert inputs.row(np.array([[1.0, 2.0]])) == [1.0, 2.0]
    assert inputs.row({"a": np.float64(0.5)}) == {"a": 0.5}
    assert inputs.row(FakeFrame([{"a": 1, "b": 2}])) == {"a": 1, "b": 2}
    with pytest.raises(ValueError, match="predict_batch"):
        inputs.row(FakeFrame([{"a": 1}, {"a": 2}]))
    assert inputs.rows(np.arange(4).reshape(2, 2)) == [[0, 1], [2, 3]]
    assert inputs.rows(FakeFrame([{"a": 1}, {"a": 2}])) == [{"a": 1}, {"a": 2}]
    with pytest.raises(TypeError):
        inputs.row("1,2,3")
    with pytest.raises(ValueError, match="finite"):
        inputs.dumps({"inputs": [float("inf")]})
