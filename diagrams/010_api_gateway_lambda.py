"""010 · API Gateway + Lambda + CloudWatch Logs."""

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.compute import Lambda
from diagrams.aws.management import Cloudwatch
from diagrams.aws.network import APIGateway
from diagrams.aws.security import IAMRole
from diagrams.onprem.client import Client
from lesson_diagram import lesson_diagram


def draw(filename: str) -> Diagram:
    with lesson_diagram("API Gateway + Lambda + CloudWatch Logs", filename) as diagram:
        client = Client("HTTP client")
        with Cluster("REST API · stage dev"):
            api = APIGateway("/orders/{order_id}\n/{proxy+}")
        with Cluster("Lambda"):
            handler = Lambda("orders handler")
            role = IAMRole("execution role\n(logs only)")
        logs = Cloudwatch("/aws/lambda/…\nlog group")
        client >> Edge(label="GET / POST") >> api
        api >> Edge(label="AWS_PROXY\n(invoke permission)") >> handler
        handler - Edge(style="dashed") - role
        handler >> Edge(label="print / logging") >> logs
    return diagram
