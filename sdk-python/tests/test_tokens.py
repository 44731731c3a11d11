"""Token handling: mmctl's lookup order (argument, token file, MM_TOKEN, then MM_HOME/admin-token), scopes, revoked
tokens and the token sent to nodes."""

import pytest

from conftest import FIXTURES, unique, wait_until
from modelmesh import InvalidInput, ModelMeshClient, Unauthorized
from modelmesh import tokens


@pytest.fixture
def empty_home(tmp_path, monkeypatch):
    """A client environment with no token at all: an MM_HOME without admin-token, no MM_TOKEN."""
    monkeypatch.setenv("MM_HOME", str(tmp_path))
    monkeypatch.delenv("MM_TOKEN", raising=False)
    return tmp_path


def test_no_token_is_unauthorized(stack, empty_home):
    with pytest.raises(Unauthorized) as e:
        ModelMeshClient(stack.control_plane).list_models()
    assert e.value.status == 401 and e.value.error == "unauthorized" and "Bearer" in e.value.message


def test_a_token_from_mm_token_is_sent_and_its_scope_holds(client, stack, empty_home, monkeypatch):
    name = unique("reader")
    monkeypatch.setenv("MM_TOKEN", client.create_token(name, ["read"])["token"])
    reader = ModelMeshClient(stack.control_plane)
    assert isinstance(reader.list_models()["items"], list)
    with pytest.raises(Unauthorized) as e:
        reader.deploy("anything", "1.0.0")
    assert e.value.status == 403 and "deploy" in e.value.message


def test_mm_token_comes_before_the_admin_token_file(stack, monkeypatch):
    monkeypatch.setenv("MM_HOME", str(stack.home))  # holds the stack's admin-token
    monkeypatch.setenv("MM_TOKEN", "not-a-token")
    with pytest.raises(Unauthorized) as e:
        ModelMeshClient(stack.control_plane).list_models()
    assert e.value.status == 401


def test_a_token_from_the_mm_home_file_authors_what_it_changes(client, stack, empty_home):
    author = unique("ci-deploy")
    (empty_home / "admin-token").write_text(client.create_token(author, ["deploy"])["token"] + "\n")
    deployer = ModelMeshClient(stack.control_plane)
    res = deployer.register_model(unique("authored"), path=FIXTURES / "iris.onnx")
    assert res["version"]["created_by"] == author
    assert res["deployment"]["created_by"] == author


def test_the_argument_and_the_token_file_come_first(client, stack, tmp_path, empty_home, monkeypatch):
    monkeypatch.setenv("MM_TOKEN", "not-a-token")
    assert ModelMeshClient(stack.control_plane, token=stack.admin_token).health()["status"] == "UP"
    file = tmp_path / "token"
    file.write_text(stack.admin_token)
    assert ModelMeshClient(stack.control_plane, token_file=file).list_models(size=1)["size"] == 1
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(InvalidInput, match="is empty"):
        ModelMeshClient(stack.control_plane, token_file=tmp_path / "empty")
    with pytest.raises(InvalidInput, match="cannot read the token file"):
        ModelMeshClient(stack.control_plane, token_file=tmp_path / "missing")
    with pytest.raises(Unauthorized):
        client.with_token(None).list_models()


def test_tokens_are_listed_and_a_revoked_one_is_refused(client, stack):
    name = unique("short-lived")
    created = client.create_token(name, ["read"], expires_in_seconds=3600, rate_limit=(50, 100))
    assert created["info"]["name"] == name and created["info"]["rate_limit"]["burst"] == 100
    assert name in [t["name"] for t in client.tokens()]
    reader = client.with_token(created["token"])
    assert reader.get_model  # a client for the same stack
    reader.list_models()
    assert client.revoke_token(name)["revoked_at"] is not None
    with pytest.raises(Unauthorized):
        reader.list_models()
    assert name not in [t["name"] for t in client.tokens()]
    assert name in [t["name"] for t in client.tokens(include_revoked=True)]


def test_the_predict_token_goes_to_the_nodes(client, stack, iris_rf):
    predictor = client.create_token(unique("app"), ["predict"])["token"]
    app = ModelMeshClient(stack.control_plane, data_plane=stack.node, predict_token=predictor)

    def accepted():  # nodes learn new tokens from their next heartbeat
        try:
            return app.predict(iris_rf["name"], inputs=iris_rf["x"][0])
        except Unauthorized:
            return None
    assert wait_until("the node to accept the new predict token", accepted)["model_version"] == "1.0.0"
    bogus = ModelMeshClient(stack.control_plane, data_plane=stack.node, predict_token="nope")
    with pytest.raises(Unauthorized) as e:
        bogus.predict(iris_rf["name"], inputs=iris_rf["x"][0])
    assert e.value.status == 401


def test_lookup_order_without_a_server(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "admin-token").write_text("from-file\n")
    env = {"MM_HOME": str(home)}
    assert tokens.resolve(env=env) == "from-file"
    assert tokens.resolve(env=dict(env, MM_TOKEN=" from-env ")) == "from-env"
    assert tokens.resolve(env=dict(env, MM_TOKEN="  ")) == "from-file"  # blank is unset
    (tmp_path / "t").write_text("from-token-file")
    assert tokens.resolve(token_file=str(tmp_path / "t"), env=dict(env, MM_TOKEN="x")) == "from-token-file"
    assert tokens.resolve(token="from-argument", token_file=str(tmp_path / "t")) == "from-argument"
    assert tokens.resolve(env={"MM_HOME": str(tmp_path / "nowhere")}) is None
    assert tokens.home({}).name == ".modelmesh"
