package dev.quarry.core.prompts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.core.sandbox.Language;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class ParsingTest {
  @Test
  void extractsTheLastPythonBlock() {
    String reply = "Idea:\n```python\nprint(1)\n```\nBetter:\n```python\nprint(2)\n```\n";
    assertEquals("print(2)\n", CodeExtractor.program(reply));
  }

  @Test
  void keepsAnUnclosedFenceAndAPlainReply() {
    assertEquals("x = 1\nprint(x)\n", CodeExtractor.program("```python\nx = 1\nprint(x)"));
    assertEquals("print(3)\n", CodeExtractor.program("print(3)"));
  }

  @Test
  void parsesTestInputsTolerantly() {
    var inputs =
        TestInputParser.parse("Sure! {\"inputs\": [\"1 2\", \"3 4\\n\", \"1 2\", \" \"]} done", 5);
    assertEquals(List.of("1 2\n", "3 4\n"), inputs.orElseThrow());
    assertTrue(TestInputParser.parse("no json here", 3).isEmpty());
    assertTrue(TestInputParser.parse("{\"inputs\": []}", 3).isEmpty());
    assertEquals(1, TestInputParser.parse("{\"inputs\": [\"a\", \"b\"]}", 1).orElseThrow().size());
  }

  @Test
  void cppRepliesAndPromptsWork() {
    String reply = "Here:\n```cpp\n#include <iostream>\nint main(){}\n```\nand notes";
    Assertions.assertEquals("#include <iostream>\nint main(){}\n", CodeExtractor.program(reply));
    Assertions.assertEquals("int main(){}\n", CodeExtractor.program("```c++\nint main(){}\n```"));
    String prompt = PromptTemplates.solver("Add two numbers.", Language.CPP).get(1).content();
    Assertions.assertTrue(prompt.contains("C++17") && prompt.contains("```cpp"), prompt);
    Assertions.assertTrue(PromptTemplates.solver("x").get(1).content().contains("Python 3"));
  }
}
