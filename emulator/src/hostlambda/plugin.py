"""The plux plugin LocalStack finds through the ``localstack.lambda.runtime_executor`` entry point.

It stays tiny and imports the executor only when LocalStack loads it, as LocalStack's own Docker
plugin does. Select it with ``LAMBDA_RUNTIME_EXECUTOR=host``.
"""

from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin


class HostRuntimeExecutorPlugin(RuntimeExecutorPlugin):
    name = "host"

    def load(self, *args, **kwargs):
        from hostlambda import localstack_patches
        from hostlambda.executor import HostRuntimeExecutor

        localstack_patches.apply()
        return HostRuntimeExecutor
