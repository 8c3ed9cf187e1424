package dev.quarry.workflows.scalequest;

import dev.quarry.core.config.RoleConfig;
import java.util.List;

/**
 * Ask the question generator for one question: a raw completion of {@code prefix}. The language
 * filter runs on the reply right away (it is cheap and needs the text).
 */
public record QuestionRequest(
    String key,
    RoleConfig generator,
    String prefix,
    List<String> stop,
    String generatorVersion,
    long seed,
    double minLatinShare,
    double minEnglishWordShare) {}
