"""Orders API: one Lambda function behind an API Gateway REST API (Lambda proxy integration).

API Gateway hands the whole HTTP request to the function as an event (method, path, path
parameters, query string, headers, body as a string) and turns the dictionary the function returns
(statusCode, headers, body as a string) back into the HTTP response.

    GET  /orders/{order_id}   read an order
    POST /orders              create an order from a JSON body {"item": ..., "quantity": ...}
    anything else             404 from the function, reached through the {proxy+} route
"""

import hashlib
import json
import logging

logger = logging.getLogger()
logger.setLevel(logging.INFO)

# Stands in for a database, so this lesson stays about API Gateway and Lambda.
ORDERS = {"42": {"order_id": "42", "item": "coffee beans", "quantity": 2}}


def respond(status: int, body: dict) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def get_order(event: dict) -> dict:
    order_id = event["pathParameters"]["order_id"]
    order = ORDERS.get(order_id)
    return respond(200, order) if order else respond(404, {"error": f"no order {order_id}"})


def create_order(event: dict) -> dict:
    try:
        payload = json.loads(event.get("body") or "")
    except json.JSONDecodeError:
        return respond(400, {"error": "the body is not valid JSON"})
    if not isinstance(payload, dict) or "item" not in payload:
        return respond(400, {"error": "an order needs an item"})
    # Deliberately trusting: a quantity like "three" makes int() raise, and an unhandled exception
    # in a proxy integration reaches the caller as 502 Internal server error (see the lesson).
    quantity = int(payload.get("quantity", 1))
    order = {"item": payload["item"], "quantity": quantity}
    # The same order always gets the same id, so a client that retries does not order twice.
    order["order_id"] = hashlib.sha256(json.dumps(order, sort_keys=True).encode()).hexdigest()[:8]
    return respond(201, order)


ROUTES = {("GET", "/orders/{order_id}"): get_order, ("POST", "/orders"): create_order}


def handler(event: dict, context) -> dict:
    route = ROUTES.get((event["httpMethod"], event["resource"]))
    response = route(event) if route else respond(404, {"error": f"no route for {event['httpMethod']} {event['path']}"})
    logger.info(json.dumps({"method": event["httpMethod"], "path": event["path"], "status": response["statusCode"]}))
    return response
