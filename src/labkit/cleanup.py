"""Find and delete what the suite created: resources whose name starts with the suite's prefix *and*
that carry its tag (see :mod:`labkit.naming`). Each lesson's Cleanup section deletes its own
resources with plain boto3 and then asks :func:`leftovers` to prove nothing is left; :func:`sweep`
deletes whatever an interrupted lesson left behind.

Log groups are the one exception to the tag rule: Lambda creates ``/aws/lambda/<function>`` by
itself, untagged, so a log group named after one of the suite's functions counts as the suite's.

    python -m labkit sweep --dry-run     # list what would go
    python -m labkit sweep               # delete it
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from botocore.exceptions import ClientError

from labkit import clients
from labkit.naming import PREFIX, TAG_KEY


@dataclass(frozen=True)
class Found:
    kind: str
    name: str
    lesson: str
    delete: Callable[[], None]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


def _ours(name: str) -> bool:
    return name.startswith(f"{PREFIX}-")


def _tagged(tags: dict[str, str] | list[dict[str, str]] | None) -> str | None:
    """The lesson a resource's tags name, or None when it lacks the suite's tag."""
    if isinstance(tags, list):
        tags = {t.get("Key", t.get("key")): t.get("Value", t.get("value")) for t in tags}
    return (tags or {}).get(TAG_KEY)


def _quietly(call: Callable[[], object]) -> None:
    """Delete calls race with each other and with LocalStack's own clean-up: gone is fine."""
    try:
        call()
    except ClientError as problem:
        code = problem.response["Error"]["Code"]
        if "NotFound" not in code and code not in ("NoSuchEntity", "NoSuchBucket", "QueueDoesNotExist"):
            raise


# --- one finder per service, in the order things must be deleted -----------------------------------


def _step_functions() -> Iterator[Found]:
    sfn = clients.client("stepfunctions")
    for page in sfn.get_paginator("list_state_machines").paginate():
        for machine in page["stateMachines"]:
            if _ours(machine["name"]):
                lesson = _tagged(sfn.list_tags_for_resource(resourceArn=machine["stateMachineArn"])["tags"])
                if lesson:
                    arn = machine["stateMachineArn"]
                    yield Found(
                        "state machine",
                        machine["name"],
                        lesson,
                        lambda arn=arn: _quietly(lambda: sfn.delete_state_machine(stateMachineArn=arn)),
                    )


def _functions() -> Iterator[Found]:
    lam = clients.client("lambda")
    for page in lam.get_paginator("list_functions").paginate():
        for function in page["Functions"]:
            name = function["FunctionName"]
            if not _ours(name):
                continue
            lesson = _tagged(lam.list_tags(Resource=function["FunctionArn"]).get("Tags"))
            if lesson:
                yield Found("Lambda function", name, lesson, lambda name=name: _delete_function(lam, name))


def _delete_function(lam, name: str) -> None:
    for mapping in lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"]:
        _quietly(lambda uuid=mapping["UUID"]: lam.delete_event_source_mapping(UUID=uuid))
    _quietly(lambda: lam.delete_function(FunctionName=name))


def _rest_apis() -> Iterator[Found]:
    apigw = clients.client("apigateway")
    for page in apigw.get_paginator("get_rest_apis").paginate():
        for api in page["items"]:
            lesson = _tagged(api.get("tags"))
            if _ours(api["name"]) and lesson:
                yield Found(
                    "REST API",
                    api["name"],
                    lesson,
                    lambda api_id=api["id"]: _quietly(lambda: apigw.delete_rest_api(restApiId=api_id)),
                )


def _event_buses() -> Iterator[Found]:
    events = clients.client("events")
    for bus in events.list_event_buses()["EventBuses"]:
        name = bus["Name"]
        bus_lesson = _tagged(events.list_tags_for_resource(ResourceARN=bus["Arn"])["Tags"]) if _ours(name) else None
        for rule in events.list_rules(EventBusName=name)["Rules"]:
            lesson = (
                _tagged(events.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]) if _ours(rule["Name"]) else None
            )
            if lesson or bus_lesson:
                yield Found(
                    "EventBridge rule",
                    f"{name}/{rule['Name']}",
                    lesson or bus_lesson,
                    lambda bus=name, rule=rule["Name"]: _delete_rule(events, bus, rule),
                )
        if bus_lesson:
            yield Found(
                "event bus", name, bus_lesson, lambda name=name: _quietly(lambda: events.delete_event_bus(Name=name))
            )


def _delete_rule(events, bus: str, rule: str) -> None:
    targets = events.list_targets_by_rule(Rule=rule, EventBusName=bus)["Targets"]
    if targets:
        events.remove_targets(Rule=rule, EventBusName=bus, Ids=[t["Id"] for t in targets])
    _quietly(lambda: events.delete_rule(Name=rule, EventBusName=bus))


def _tables() -> Iterator[Found]:
    ddb = clients.client("dynamodb")
    for page in ddb.get_paginator("list_tables").paginate():
        for name in page["TableNames"]:
            if _ours(name):
                arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
                lesson = _tagged(ddb.list_tags_of_resource(ResourceArn=arn).get("Tags"))
                if lesson:
                    yield Found(
                        "DynamoDB table",
                        name,
                        lesson,
                        lambda name=name: _quietly(lambda: ddb.delete_table(TableName=name)),
                    )


def _streams() -> Iterator[Found]:
    kinesis = clients.client("kinesis")
    for name in kinesis.list_streams()["StreamNames"]:
        if _ours(name):
            lesson = _tagged(kinesis.list_tags_for_stream(StreamName=name)["Tags"])
            if lesson:
                yield Found(
                    "Kinesis stream",
                    name,
                    lesson,
                    lambda name=name: _quietly(
                        lambda: kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
                    ),
                )


def _queues() -> Iterator[Found]:
    sqs = clients.client("sqs")
    for url in sqs.list_queues(QueueNamePrefix=f"{PREFIX}-").get("QueueUrls", []):
        lesson = _tagged(sqs.list_queue_tags(QueueUrl=url).get("Tags"))
        if lesson:
            yield Found(
                "SQS queue",
                url.rsplit("/", 1)[-1],
                lesson,
                lambda url=url: _quietly(lambda: sqs.delete_queue(QueueUrl=url)),
            )


def _topics() -> Iterator[Found]:
    sns = clients.client("sns")
    for page in sns.get_paginator("list_topics").paginate():
        for topic in page["Topics"]:
            arn = topic["TopicArn"]
            if _ours(arn.rsplit(":", 1)[-1]):
                lesson = _tagged(sns.list_tags_for_resource(ResourceArn=arn)["Tags"])
                if lesson:
                    yield Found(
                        "SNS topic",
                        arn.rsplit(":", 1)[-1],
                        lesson,
                        lambda arn=arn: _quietly(lambda: sns.delete_topic(TopicArn=arn)),
                    )


def _buckets() -> Iterator[Found]:
    s3 = clients.client("s3")
    for bucket in s3.list_buckets()["Buckets"]:
        name = bucket["Name"]
        if not _ours(name):
            continue
        try:
            lesson = _tagged(s3.get_bucket_tagging(Bucket=name)["TagSet"])
        except ClientError:
            continue  # no tags: not the suite's
        if lesson:
            yield Found("S3 bucket", name, lesson, lambda name=name: _delete_bucket(s3, name))


def _delete_bucket(s3, name: str) -> None:
    """A bucket must be empty, old versions and delete markers included, before it can go."""
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
        doomed = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        if doomed:
            s3.delete_objects(Bucket=name, Delete={"Objects": doomed, "Quiet": True})
    _quietly(lambda: s3.delete_bucket(Bucket=name))


def _roles() -> Iterator[Found]:
    iam = clients.client("iam")
    for page in iam.get_paginator("list_roles").paginate():
        for role in page["Roles"]:
            name = role["RoleName"]
            if _ours(name):
                lesson = _tagged(iam.list_role_tags(RoleName=name)["Tags"])
                if lesson:
                    yield Found("IAM role", name, lesson, lambda name=name: _delete_role(iam, name))


def _delete_role(iam, name: str) -> None:
    for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        iam.delete_role_policy(RoleName=name, PolicyName=policy)
    for policy in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=name, PolicyArn=policy["PolicyArn"])
    _quietly(lambda: iam.delete_role(RoleName=name))


def _log_groups() -> Iterator[Found]:
    logs = clients.client("logs")
    for prefix in (f"/aws/lambda/{PREFIX}-", f"/aws/vendedlogs/states/{PREFIX}-", f"{PREFIX}-"):
        for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=prefix):
            for group in page["logGroups"]:
                name = group["logGroupName"]
                lesson = _tagged(logs.list_tags_log_group(logGroupName=name).get("tags")) or _lesson_of(name)
                yield Found(
                    "log group",
                    name,
                    lesson,
                    lambda name=name: _quietly(lambda: logs.delete_log_group(logGroupName=name)),
                )


def _lesson_of(log_group: str) -> str:
    """``/aws/lambda/slnb-010-orders`` → ``"010"``: the lesson is the name's second part."""
    parts = log_group.rsplit("/", 1)[-1].split("-")
    return parts[1] if len(parts) > 1 else "?"


FINDERS = (
    _step_functions,
    _functions,
    _rest_apis,
    _event_buses,
    _tables,
    _streams,
    _queues,
    _topics,
    _buckets,
    _roles,
    _log_groups,
)


def find(lesson: str | None = None) -> list[Found]:
    """Everything of the suite (of one lesson, when given) that exists now."""
    return [found for finder in FINDERS for found in finder() if lesson in (None, found.lesson)]


def leftovers(lesson: str | None = None) -> list[str]:
    """What is left, as ``"<kind> <name>"`` lines; a clean account gives ``[]``."""
    return [str(found) for found in find(lesson)]


def sweep(lesson: str | None = None, dry_run: bool = False) -> list[str]:
    """Delete everything :func:`find` finds, in dependency order; returns what it deleted."""
    deleted = []
    for found in find(lesson):
        if not dry_run:
            found.delete()
        deleted.append(str(found))
    return deleted
