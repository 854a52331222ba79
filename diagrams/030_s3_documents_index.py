"""030 · Large documents in S3, indexed in DynamoDB."""

from diagrams import Cluster, Diagram, Edge
from diagrams.aws.compute import Lambda
from diagrams.aws.database import Dynamodb
from diagrams.aws.storage import S3
from diagrams.onprem.client import Client
from lesson_diagram import lesson_diagram


def draw(filename: str) -> Diagram:
    with lesson_diagram("Large documents in S3, indexed in DynamoDB", filename) as diagram:
        app = Client("application")
        with Cluster("storage"):
            bucket = S3("documents bucket\n(any size, cheap per GB)")
            table = Dynamodb("index table\npointer + queryable fields\nGSI by category")
        indexer = Lambda("indexer\n(ObjectCreated / ObjectRemoved)")
        app >> Edge(label="1 · PutObject") >> bucket
        app >> Edge(label="2 · PutItem (pointer)") >> table
        app >> Edge(label="Query GSI, then GetObject", style="dashed") >> table
        bucket >> Edge(label="S3 event notification") >> indexer
        indexer >> Edge(label="maintains the index") >> table
    return diagram
