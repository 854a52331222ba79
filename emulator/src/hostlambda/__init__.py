"""Lambda for LocalStack without Docker: Python functions run as host processes.

Three parts, each in its own process:

* :mod:`hostlambda.executor` runs inside LocalStack: its ``RuntimeExecutor`` for one execution
  environment, registered by :mod:`hostlambda.plugin`.
* :mod:`hostlambda.bridge`, also inside LocalStack, speaks LocalStack's ``/invoke`` protocol on one
  side and the Lambda Runtime API on the other, and owns timeouts, logs and resets.
* :mod:`hostlambda.zygote` runs in the Lambda runtime's own interpreter and forks one process per
  environment, in which AWS's Runtime Interface Client (``awslambdaric``) runs the handler.

:mod:`hostlambda.localstack_patches` changes three things in LocalStack's Lambda service (a delete
bug, and CloudWatch metrics and logs delivered in batches), each explained there.
"""
