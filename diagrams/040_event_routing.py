"""040 · Event routing: producers, router, consumers."""

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.compute import Lambda
from diagrams.aws.integration import SNS, SQS, Eventbridge
from diagrams.programming.language import Python
from lesson_diagram import lesson_diagram


def draw(filename: str) -> Diagram:
    with lesson_diagram("Event routing: producers, router, consumers", filename, splines="spline") as diagram:
        with Cluster("producers (know no consumer)"):
            orders = Python("orders service")
            payments = Python("payments service")
            desk = Python("support desk")
        bus = Eventbridge("custom event bus\nrules = the router")
        topic = SNS("order events topic\nfilter policies")
        with Cluster("consumers"):
            shipping = SQS("shipping\n(body filter)")
            fraud = SQS("fraud\n(body filter)")
            priority = SQS("priority\n(attribute filter)")
            marketing = SQS("marketing")
            audit = Lambda("audit function")
            retired = SQS("retired consumer\n(gone)")
        dlq = SQS("undelivered\n(subscription DLQ)")
        orders >> Edge(label="PutEvents") >> bus
        payments >> Edge(label="PutEvents") >> bus
        desk >> Edge(label="Publish + attributes") >> topic
        bus >> Edge(label="order events (prefix)") >> topic
        bus >> Edge(label="big payments (numeric)") >> audit
        bus >> Edge(label="coupons (exists, anything-but)") >> marketing
        topic >> [shipping, fraud, priority]
        topic >> Edge(style="dashed", color="firebrick") >> retired
        retired >> Edge(label="cannot deliver", style="dashed", color="firebrick") >> dlq
    return diagram
