"""CACHE_URL=redis://… as the README deploys it: the client library is installed and pinned."""

from pathlib import Path

from django.core.cache.backends.redis import RedisCache

from config.env import cache_from_url

ROOT = Path(__file__).resolve().parents[2]


def test_redis_cache_url_builds_a_client_without_contacting_a_server():
    config = cache_from_url("redis://127.0.0.1:1/0", default_dir=Path("/nonexistent"))
    backend = RedisCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"]})
    # Building the client imports the `redis` package (a 500 on every page when it is missing);
    # the connection itself is opened lazily, on the first command, so nothing is contacted here.
    client = backend._cache.get_client("any-key", write=True)
    assert client.connection_pool.connection_kwargs["port"] == 1


def test_redis_is_pinned_for_runtime_and_in_pyproject():
    runtime = (ROOT / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("redis==") for line in runtime)
    assert '"redis' in (ROOT / "pyproject.toml").read_text()
