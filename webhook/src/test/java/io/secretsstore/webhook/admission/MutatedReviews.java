package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Structure-aware generated reviews: valid reviews of every kind the webhook judges (the objects
 * of test-manifests/ and its admission examples), with one to three fields or elements changed
 * into a shape the model does not expect.
 */
public final class MutatedReviews {

  private MutatedReviews() {}

  /** One CREATE and one UPDATE review of every judged object under test-manifests/. */
  public static List<ObjectNode> seeds(Path root) throws Exception {
    List<ObjectNode> reviews = new ArrayList<>();
    for (Path file : ManifestReader.manifestFiles(root.resolve("test-manifests"))) {
      if (file.toString().endsWith("expectations.yaml")) {
        continue;
      }
      for (ManifestDocument doc : ManifestReader.read(file)) {
        if (!doc.isValid() || !doc.object().isObject()
            || ReviewedKind.of(doc.object()) == null) {
          continue;
        }
        ObjectNode create = AdmissionReviews.create("seed-" + reviews.size(), doc.object(), "default");
        reviews.add(create);
        ObjectNode update = create.deepCopy();
        ObjectNode request = (ObjectNode) update.get("request");
        request.put("uid", "seed-" + reviews.size()).put("operation", "UPDATE");
        request.set("oldObject", doc.object().deepCopy());
        reviews.add(update);
      }
    }
    for (Path file : ManifestReader.manifestFiles(root.resolve("test-manifests/admission"))) {
      reviews.add((ObjectNode) KubeJson.MAPPER.readTree(Files.readAllBytes(file)));
    }
    return reviews;
  }

  /** One change at a place picked among all the tree's fields and elements. */
  public record Mutation(int where, int how, int length) {}

  public record Case(int seed, List<Mutation> mutations) {}

  /**
   * {@code count} cases, each a review picked from the seeds with one to three mutations. The
   * same {@code randomSeed} gives the same cases, so a failure names a case that can be replayed.
   */
  public static Stream<Case> cases(long randomSeed, int count) {
    SplittableRandom random = new SplittableRandom(randomSeed);
    return IntStream.range(0, count)
        .mapToObj(i -> new Case(
            random.nextInt(Integer.MAX_VALUE),
            IntStream.range(0, 1 + random.nextInt(3))
                .mapToObj(m -> new Mutation(random.nextInt(Integer.MAX_VALUE),
                    random.nextInt(How.values().length), random.nextInt(401)))
                .toList()));
  }

  /** The seed of a run: {@code -Dgenerated.seed=N} replays one, otherwise a fixed default. */
  public static long randomSeed() {
    return Long.getLong("generated.seed", 20261130L);
  }

  public static ObjectNode mutate(List<ObjectNode> seeds, Case c) {
    ObjectNode review = seeds.get(c.seed() % seeds.size()).deepCopy();
    for (Mutation m : c.mutations()) {
      List<JsonNode> containers = new ArrayList<>();
      collect(review.path("request"), containers);
      if (containers.isEmpty()) {
        break;
      }
      ContainerNode<?> at = (ContainerNode<?>) containers.get(m.where() % containers.size());
      How.values()[m.how()].apply(at, m, review);
    }
    return review;
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainer() && !node.isEmpty()) {
      out.add(node);
      for (JsonNode child : node) {
        collect(child, out);
      }
    }
  }

  /** The kinds of change: the shapes the model does not expect. */
  enum How {
    NULL, NUMBER, BOOLEAN, STRING, LONG_STRING, EMPTY_MAP, EMPTY_LIST, LIST_OF_NULL,
    MAP_WHERE_SCALAR, REMOVE, INSERT_NULL, OTHER_SUBTREE;

    void apply(ContainerNode<?> at, Mutation m, ObjectNode review) {
      if (this == INSERT_NULL) {
        if (at instanceof ArrayNode array) {
          array.insertNull(m.where() % (array.size() + 1));
        } else {
          ((ObjectNode) at).putNull(((ObjectNode) at).propertyNames().iterator().next());
        }
        return;
      }
      if (at instanceof ArrayNode array) {
        int i = m.where() % array.size();
        if (this == REMOVE) {
          array.remove(i);
        } else {
          array.set(i, value(m, review));
        }
      } else {
        ObjectNode map = (ObjectNode) at;
        List<String> names = new ArrayList<>(map.propertyNames());
        String name = names.get(m.where() % names.size());
        if (this == REMOVE) {
          map.remove(name);
        } else {
          map.set(name, value(m, review));
        }
      }
    }

    private JsonNode value(Mutation m, ObjectNode review) {
      var f = KubeJson.MAPPER.getNodeFactory();
      return switch (this) {
        case NULL -> f.nullNode();
        case NUMBER -> m.length() % 2 == 0 ? f.numberNode(m.length() - 200) : f.numberNode(1e300);
        case BOOLEAN -> f.booleanNode(m.length() % 2 == 0);
        case STRING -> f.stringNode(m.length() % 3 == 0 ? "" : "x-" + m.length());
        case LONG_STRING -> f.stringNode("n".repeat(250 + m.length()));
        case EMPTY_MAP -> f.objectNode();
        case EMPTY_LIST -> f.arrayNode();
        case LIST_OF_NULL -> f.arrayNode().addNull();
        case MAP_WHERE_SCALAR -> f.objectNode().put("name", m.length()).putNull("value");
        case OTHER_SUBTREE -> review.path("request").path("object").path("metadata").deepCopy();
        default -> throw new IllegalStateException(name());
      };
    }
  }
}
