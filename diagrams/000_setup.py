"""000 · How a notebook cell reaches AWS, LocalStack in Docker or the embedded LocalStack."""

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.general import General, GenericSDK
from diagrams.onprem.container import Docker
from diagrams.programming.language import Python
from lesson_diagram import lesson_diagram


def draw(filename: str) -> Diagram:
    with lesson_diagram("Where boto3 sends a cell's calls", filename, splines="spline") as diagram:
        cell = Python('notebook cell\nboto3.client("s3")')
        sdk = GenericSDK("SDK settings\nAWS_ENDPOINT_URL\nregion · credentials")
        with Cluster("LABKIT_TARGET unset: local"):
            docker = Docker("LocalStack in Docker\n127.0.0.1:4566")
            embedded = Python("embedded LocalStack\n127.0.0.1:4566")
        aws = General("real AWS\n(LABKIT_TARGET=aws)")
        cell >> sdk
        sdk >> Edge(label="if one answers") >> docker
        sdk >> Edge(label="else started by labkit") >> embedded
        sdk >> Edge(label="explicit opt-in only", style="dashed") >> aws
    return diagram
