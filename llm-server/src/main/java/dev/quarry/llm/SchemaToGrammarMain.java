package dev.quarry.llm;

import de.kherud.llama.LlamaModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-process entry point: {@code SchemaToGrammarMain OUTPUT_FILE} reads a JSON schema on stdin
 * and writes llama.cpp's GBNF grammar for it to OUTPUT_FILE (a file, because the native library
 * writes its own messages to stdout). It exists because the native converter aborts its whole
 * process on a schema it cannot handle (an uncaught C++ exception); see {@link JsonSchemaGrammars}.
 */
public final class SchemaToGrammarMain {
  private SchemaToGrammarMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: SchemaToGrammarMain OUTPUT_FILE < schema.json");
      System.exit(2);
    }
    String schema = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    String grammar = LlamaModel.jsonSchemaToGrammar(schema);
    Files.writeString(Path.of(args[0]), grammar, StandardCharsets.UTF_8);
    System.exit(0);
  }
}
