package dev.quarry.llm;

import static dev.quarry.llm.ScriptedReplies.mix;
import static dev.quarry.llm.ScriptedReplies.systemOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.core.scalequest.QpoDirection;
import dev.quarry.core.scalequest.ScaleQuestPrompts;
import dev.quarry.core.sparq.SparqPrompts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scripted answers of the math methods' roles (SPARQ and ScaleQuest), so their rounds can run
 * end to end with rows in the dataset, which a small CPU model almost never yields.
 *
 * <p>Every problem is a word problem whose answer is the sum of the integers in it. The solvers add
 * them up, but one rollout in three (chosen by the request's seed and the choice index) is off by
 * one: solve rates and fail rates then spread over the range the methods' filters keep, instead of
 * being all 0 or all 1. Problems are varied in wording, not only in numbers, so the run's
 * near-duplicate filter keeps them apart as it would keep apart real problems.
 *
 * <p>Roles are told by the system message their prompt builders write, compared verbatim.
 */
final class ScriptedMathReplies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INTEGER = Pattern.compile("(?<![\\w.])\\d{1,9}(?![\\w.])");

  private static final String SPARQ_GENERATOR = systemOf(SparqPrompts.generator(""));
  private static final String SPARQ_SOLVER = systemOf(SparqPrompts.solver(""));
  private static final String SPARQ_TAGGER = systemOf(SparqPrompts.skillTagger("", List.of(), 1));
  private static final String JUDGE = systemOf(ScaleQuestPrompts.judge(""));
  private static final String REWARD = systemOf(ScaleQuestPrompts.reward("", ""));
  private static final String REWRITER =
      systemOf(ScaleQuestPrompts.rewrite("", QpoDirection.DIFFICULTY));

  private static final String[] PEOPLE = {
    "A baker", "Maria", "A farmer", "The school library", "Kenji", "A train conductor",
    "Priya", "The museum shop", "An orchard keeper", "Tomasz", "A beekeeper", "The robotics club"
  };
  private static final String[] THINGS = {
    "loaves",
    "stamps",
    "apples",
    "books",
    "marbles",
    "tickets",
    "pears",
    "postcards",
    "jars of honey",
    "bolts",
    "seashells",
    "paper cranes"
  };
  private static final String[] ARRIVALS = {
    "arrive", "are added", "turn up", "are delivered", "come in", "are found"
  };
  private static final String[] WHEN = {
    "On Monday",
    "After lunch",
    "Later that week",
    "In the evening",
    "The next morning",
    "Before closing"
  };

  private ScriptedMathReplies() {}

  /** The reply of a math role, or empty when the system message is none of theirs. */
  static Optional<String> chat(
      String system, String lastUser, long key, long seed, int index, JsonNode schema) {
    return chat(system, lastUser, key, seed, index, schema, false);
  }

  /**
   * @param mixed solvers of per-problem difficulty ({@link MixedDifficulty})
   */
  static Optional<String> chat(
      String system,
      String lastUser,
      long key,
      long seed,
      int index,
      JsonNode schema,
      boolean mixed) {
    if (system.equals(SPARQ_GENERATOR)) {
      return Optional.of(sparqProblem(mix(key, index)));
    }
    if (system.equals(SPARQ_SOLVER) || system.equals(ScaleQuestPrompts.SOLVER_SYSTEM)) {
      return Optional.of(
          mixed ? mixedSolution(lastUser, seed, index) : solution(lastUser, seed, index));
    }
    if (system.equals(SPARQ_TAGGER) && schema != null) {
      return Optional.of(skills(schema, mix(key, index)));
    }
    if (system.equals(JUDGE)) {
      return Optional.of(
          "Every quantity is given and the question asks for one number.\nVerdict: solvable");
    }
    if (system.equals(REWARD)) {
      return Optional.of("{\"score\": " + (5 + Math.floorMod(mix(key, index), 6)) + "}");
    }
    if (system.equals(REWRITER)) {
      return Optional.of(harder(lastUser, mix(key, index)));
    }
    return Optional.empty();
  }

  /** A raw-prefix completion: ScaleQuest's question generator writes one question. */
  static String question(long key) {
    return wordProblem(key, 2);
  }

  /** A word problem with {@code parts} quantities; its answer is their sum. */
  static String wordProblem(long key, int parts) {
    String person = pick(PEOPLE, key, 1);
    String thing = pick(THINGS, key, 2);
    StringBuilder text = new StringBuilder();
    text.append(person)
        .append(" has ")
        .append(number(key, 0))
        .append(' ')
        .append(thing)
        .append(". ");
    for (int i = 1; i < parts; i++) {
      text.append(pick(WHEN, key, 10 + i))
          .append(", ")
          .append(number(key, i))
          .append(" more ")
          .append(thing)
          .append(' ')
          .append(pick(ARRIVALS, key, 20 + i))
          .append(". ");
    }
    text.append("How many ").append(thing).append(" are there now?");
    return text.toString();
  }

  /** A two-sentence setting for QueST's scripted "add two integers" problem. */
  static String story(long key) {
    String person = pick(PEOPLE, key, 1);
    String thing = pick(THINGS, key, 2);
    return person
        + " keeps "
        + thing
        + " in two crates, a in the first and b in the second. "
        + pick(WHEN, key, 3)
        + ", an inspector asks how many "
        + thing
        + " there are in all.";
  }

  /** The sum of the integers in a problem: the answer every scripted problem has. */
  static long answerOf(String problem) {
    long sum = 0;
    Matcher m = INTEGER.matcher(problem);
    while (m.find()) {
      sum += Long.parseLong(m.group());
    }
    return sum;
  }

  /** Whether this rollout is the one in three that is off by one (by seed and index only). */
  static boolean wrong(long seed, int index) {
    return Math.floorMod(mix(seed, index), 3) == 0;
  }

  private static String sparqProblem(long key) {
    String problem = wordProblem(key, 2 + Math.floorMod(key, 2));
    long answer = answerOf(problem);
    ObjectNode reply = JSON.createObjectNode();
    reply.put("problem", problem);
    reply.put(
        "solution", "Add the quantities: the total is " + answer + ". \\boxed{" + answer + "}");
    reply.put("answer", Long.toString(answer));
    return reply.toString();
  }

  private static String solution(String lastUser, long seed, int index) {
    long answer = answerOf(lastUser) + (wrong(seed, index) ? 1 : 0);
    return "Adding every quantity in the problem gives "
        + answer
        + ".\n\nThe answer is \\boxed{"
        + answer
        + "}.";
  }

  private static String mixedSolution(String lastUser, long seed, int index) {
    boolean right = MixedDifficulty.right(lastUser, seed, index);
    long answer = answerOf(lastUser) + (right ? 0 : MixedDifficulty.wrongOffset(seed, index));
    return MixedDifficulty.reasoning()
        + "Adding every quantity in the problem gives "
        + answer
        + ".\n\nThe answer is \\boxed{"
        + answer
        + "}.";
  }

  /** One to maxItems distinct skills from the schema's enum, chosen by the request. */
  private static String skills(JsonNode schema, long key) {
    JsonNode property = schema.path("properties").path("skills");
    List<String> vocabulary = new ArrayList<>();
    property.path("items").path("enum").forEach(v -> vocabulary.add(v.asText()));
    int max = Math.max(1, Math.min(property.path("maxItems").asInt(1), vocabulary.size()));
    ObjectNode reply = JSON.createObjectNode();
    ArrayNode chosen = reply.putArray("skills");
    int count = 1 + Math.floorMod(key, max);
    for (int i = 0; i < vocabulary.size() && chosen.size() < count; i++) {
      String skill = vocabulary.get(Math.floorMod(mix(key, i), vocabulary.size()));
      if (!containsText(chosen, skill)) {
        chosen.add(skill);
      }
    }
    return reply.toString();
  }

  private static String harder(String lastUser, long key) {
    // The rewrite is a new problem of the same kind with one more quantity.
    return wordProblem(mix(key, answerOf(lastUser)), 3);
  }

  private static boolean containsText(ArrayNode array, String text) {
    for (JsonNode node : array) {
      if (node.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }

  private static long number(long key, int i) {
    return 2 + Math.floorMod(mix(key, 100 + i), 97);
  }

  private static String pick(String[] options, long key, int salt) {
    return options[Math.floorMod(mix(key, salt), options.length)];
  }
}
