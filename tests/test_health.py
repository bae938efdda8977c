import pytest
from django_q.conf import Conf


def test_healthz_answers_without_dependencies(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_redis_and_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "task_queue": "ok"}


@pytest.mark.django_db
def test_readyz_names_redis_when_it_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["redis"]
    assert body["checks"]["redis"].startswith("error:")


@pytest.mark.django_db
def test_readyz_names_the_task_queue_when_its_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(Conf, "REDIS", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["task_queue"]


def test_readyz_names_the_database_when_it_is_unreachable(client, settings, django_db_blocker):
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    original = settings_dict["PORT"], settings_dict["HOST"]
    connections["default"].close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", "1"
    try:
        with django_db_blocker.unblock():
            response = client.get("/readyz")
    finally:
        connections["default"].close()
        settings_dict["PORT"], settings_dict["HOST"] = original
    assert response.status_code == 503
    assert "database" in response.json()["failing"]
