package dev.mesh.runtime.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesh.error.Secrets;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/**
 * Log lines as the launcher writes them: secrets masked, and without --verbose no stack frame, whether it comes as
 * the event's throwable or inside the text of a message (Spark writes a failed task's frames into its own).
 */
class RedactingLogConverterTest {
    private static final String SECRET = "log-secret-5e1d9a";

    @Test
    void secretsAreMaskedAndFramesInAMessagesTextDropped() {
        Secrets.register(SECRET);
        String message = "Lost task 0.0 in stage 3.0: java.lang.RuntimeException: boom " + SECRET + "\n"
                + "\tat org.apache.spark.sql.catalyst.expressions.GeneratedClass.processNext(Unknown Source)\n"
                + "\tat org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:624)\n"
                + "\t... 3 more\n"
                + "Driver stacktrace:\n"
                + "\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2898)\n";
        LogEvent event = Log4jLogEvent.newBuilder().setLevel(Level.WARN).setLoggerName("TaskSetManager")
                .setMessage(new SimpleMessage(message)).setThrown(new IllegalStateException("thrown")).build();

        String brief = layout("%redact{%p %c: %m%n}{drop}").toSerializable(event);
        assertThat(brief).isEqualTo("WARN TaskSetManager: Lost task 0.0 in stage 3.0: java.lang.RuntimeException: boom "
                + "****\n");

        String verbose = layout("%redact{%p %c: %m%n%xEx}{keep}").toSerializable(event);
        assertThat(verbose).contains("\tat org.apache.spark.executor.Executor$TaskRunner.run", "Driver stacktrace:",
                "java.lang.IllegalStateException: thrown").doesNotContain(SECRET);
    }

    private static PatternLayout layout(String pattern) {
        DefaultConfiguration configuration = new DefaultConfiguration();
        configuration.getPluginPackages().add(RedactingLogConverter.class.getPackageName());
        return PatternLayout.newBuilder().withConfiguration(configuration).withPattern(pattern)
                .withAlwaysWriteExceptions(false).build();
    }
}
