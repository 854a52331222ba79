"""The handlers the lessons deploy, unit-tested as plain functions (the lessons test them deployed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

LESSON_FUNCTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "functions"


def load(folder: str, module: str = "handler"):
    spec = importlib.util.spec_from_file_location(f"{folder}_{module}", LESSON_FUNCTIONS / folder / f"{module}.py")
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def proxy_event(method: str, resource: str, path: str, body: str | None = None, **path_parameters) -> dict:
    return {
        "httpMethod": method,
        "resource": resource,
        "path": path,
        "pathParameters": path_parameters or None,
        "queryStringParameters": None,
        "body": body,
    }


@pytest.fixture
def orders():
    return load("orders_api")


def test_orders_reads_an_order_and_says_when_there_is_none(orders):
    found = orders.handler(proxy_event("GET", "/orders/{order_id}", "/orders/42", order_id="42"), None)
    missing = orders.handler(proxy_event("GET", "/orders/{order_id}", "/orders/7", order_id="7"), None)
    assert found["statusCode"] == 200 and json.loads(found["body"])["item"] == "coffee beans"
    assert missing["statusCode"] == 404 and json.loads(missing["body"]) == {"error": "no order 7"}
    assert found["headers"] == {"Content-Type": "application/json"}


def test_orders_creates_with_a_stable_id(orders):
    body = json.dumps({"item": "tea", "quantity": 2})
    first = orders.handler(proxy_event("POST", "/orders", "/orders", body), None)
    again = orders.handler(proxy_event("POST", "/orders", "/orders", body), None)
    assert first["statusCode"] == 201 and first["body"] == again["body"]
    assert json.loads(first["body"])["order_id"] == json.loads(again["body"])["order_id"]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{not json", "the body is not valid JSON"),
        ('["tea"]', "an order needs an item"),
        ('{"quantity": 1}', "an order needs an item"),
    ],
)
def test_orders_refuses_bad_bodies_with_400(orders, body, error):
    answer = orders.handler(proxy_event("POST", "/orders", "/orders", body), None)
    assert answer["statusCode"] == 400 and json.loads(answer["body"]) == {"error": error}


def test_orders_answers_404_for_unknown_routes_and_raises_on_a_bad_quantity(orders):
    unknown = orders.handler(proxy_event("DELETE", "/{proxy+}", "/shelves/3", proxy="shelves/3"), None)
    assert unknown["statusCode"] == 404 and json.loads(unknown["body"]) == {"error": "no route for DELETE /shelves/3"}
    with pytest.raises(ValueError, match="invalid literal for int"):
        orders.handler(
            proxy_event("POST", "/orders", "/orders", json.dumps({"item": "tea", "quantity": "three"})), None
        )
