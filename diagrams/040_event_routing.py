"""040 · Event routing: producers, router, consumers."""

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.compute import Lambda
from diagrams.aws.integration import SNS, SQS, Eventbridge
from diagrams.programming.language import Python


def draw(filename: str) -> Diagram:
    with Diagram("Event routing: producers, router, consumers", filename=filename, outformat="png", show=False,
                 direction="LR", graph_attr={"pad": "0.4", "splines": "spline"}) as diagram:
        with Cluster("producers (know no consumer)"):
            orders = Python("orders service")
            payments = Python("payments service")
        bus = Eventbridge("custom event bus\nrules = the router")
        topic = SNS("order events topic\nfilter policies")
        with Cluster("consumers"):
            shipping = SQS("shipping queue\n(attribute filter)")
            fraud = SQS("fraud queue\n(body filter)")
            audit = Lambda("audit function")
            broken = SQS("gone queue")
        dlq = SQS("subscription DLQ")
        orders >> Edge(label="PutEvents") >> bus
        payments >> Edge(label="PutEvents") >> bus
        bus >> Edge(label="rule: order events") >> topic
        bus >> Edge(label="rule: big payments") >> audit
        topic >> shipping
        topic >> fraud
        topic >> Edge(style="dashed", color="firebrick") >> broken
        broken >> Edge(label="cannot deliver", style="dashed", color="firebrick") >> dlq
    return diagram
