/**
 * Stands in for LocalStack's DynamoDB Local agent (ddb-local-loader), which LocalStack downloads from
 * GitHub on first use and passes to the JVM with -javaagent. That agent only lifts DynamoDB Local's
 * limit of 20 global secondary indexes per table; with this one the limit stays, and nothing is
 * downloaded. labkit compiles it with the system JDK when it prepares the emulator.
 */
public final class NoopAgent {
    private NoopAgent() {
    }

    public static void premain(String args, java.lang.instrument.Instrumentation instrumentation) {
        // nothing to change
    }
}
