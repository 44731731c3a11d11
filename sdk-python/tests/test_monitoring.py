"""Monitoring and platform reads: traffic, latency windows, drift, nodes, routing, health."""

import pytest

from conftest import wait_until
from modelmesh import NotFound


@pytest.fixture(scope="module")
def served(client, iris_rf):
    for i in range(30):
        client.predict(iris_rf["name"], inputs=iris_rf["x"][i])
    return iris_rf["name"]


def test_traffic_counts_what_the_nodes_served(client, served):
    def counted():
        stats = client.traffic(served)
        return stats if stats["versions"] and stats["versions"][0]["requests"] >= 30 else None
    stats = wait_until("30 requests in the traffic statistics", counted)
    v = stats["versions"][0]
    assert (stats["model"], v["version"], v["role"], v["weight"], v["errors"]) == (served, "1.0.0", "STABLE", 100, 0)
    assert v["p99_ms"] > 0


def test_latency_has_1_5_and_15_minute_windows(client, served):
    def reported():
        report = client.latency(served)
        return report if report["versions"] and report["versions"][0]["windows"][0]["requests"] > 0 else None
    report = wait_until("latency windows with requests", reported)
    assert [w["minutes"] for w in report["versions"][0]["windows"]] == [1, 5, 15]
    assert served in [r["model"] for r in client.latency()]
    with pytest.raises(NotFound):
        client.latency("no-such-model")


def test_drift_reports_each_version(client, served):
    report = client.drift(served)
    assert report["model"] == served
    assert report["versions"][0]["version"] == "1.0.0"
    assert report["versions"][0]["state"] in ("collecting_reference", "filling_window", "evaluated")
    with pytest.raises(NotFound):
        client.drift("no-such-model")


def test_nodes_routing_and_health(client, stack, served):
    nodes = client.nodes()
    assert [n["url"] for n in nodes] == [stack.node]
    routing = client.routing()
    assert routing["models"][served]["targets"][0]["version"] == "1.0.0" and routing["revision"] > 0
    health = client.health()
    assert health["status"] == "UP" and health["checks"]["database"] == "UP"
