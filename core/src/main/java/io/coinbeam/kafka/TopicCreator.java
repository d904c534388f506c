package io.coinbeam.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates missing topics, leaving existing ones alone. The ingester and the replay tool call it so
 * that records never land in auto-created topics with a broker's default settings, and so that a
 * fresh broker is ready for the pipeline's Kafka source before anything is produced.
 */
public final class TopicCreator {
  private TopicCreator() {}

  /**
   * Makes sure each of {@code topics} exists.
   *
   * @return the topics that were created now (the others existed)
   * @throws KafkaUnavailableException when the broker does not answer within {@code timeout}
   */
  public static List<String> ensure(
      String bootstrapServers, Collection<String> topics, int partitions, Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
    try (Admin admin = Admin.create(props)) {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, partitions, (short) 1).configs(Map.of()));
        }
      }
      List<String> created = new ArrayList<>();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e; // made by someone else in the meantime is fine; anything else is not
          }
        }
      }
      return created;
    } catch (TimeoutException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new KafkaUnavailableException(
          "Kafka at " + bootstrapServers + " did not answer (" + cause + ")", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted while talking to Kafka", e);
    }
  }
}
