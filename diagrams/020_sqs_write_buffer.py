"""020 · SQS as a write buffer in front of DynamoDB."""

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.compute import Lambda
from diagrams.aws.database import Dynamodb
from diagrams.aws.integration import SQS
from diagrams.onprem.client import Users
from lesson_diagram import lesson_diagram


def draw(filename: str) -> Diagram:
    with lesson_diagram("SQS as a write buffer in front of DynamoDB", filename) as diagram:
        producers = Users("producers\n(a burst of writes)")
        with Cluster("buffer"):
            queue = SQS("writes queue\nvisibility 6× timeout")
            dlq = SQS("dead-letter queue\n(maxReceiveCount 3)")
        writer = Lambda("writer\nbatch · partial failures")
        table = Dynamodb("readings table\nconditional puts")
        producers >> Edge(label="SendMessageBatch\n(spiky)") >> queue
        queue >> Edge(label="event source mapping\nbatch size · window · max concurrency") >> writer
        writer >> Edge(label="PutItem, once per id\n(smooth)") >> table
        queue >> Edge(label="poison, after 3 receives", style="dashed", color="firebrick") >> dlq
    return diagram
