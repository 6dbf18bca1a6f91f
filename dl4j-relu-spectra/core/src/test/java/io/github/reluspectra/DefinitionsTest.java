package io.github.reluspectra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/definitions.md is the project's reference: every numbered fact in it names the test class that checks it,
 * and that class cites the fact; no source or document of the project refers to a file outside it.
 */
class DefinitionsTest {

    /** A table row of a fact: {@code | F2 | statement | ... | SomeTest, OtherTest |}. */
    private static final Pattern FACT = Pattern.compile("^\\| ([A-Z]\\d) \\|.*\\| ([A-Za-z, `]+Test`?)[` ]*\\|$");

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs").resolve("definitions.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("the repository root above " + Path.of("").toAbsolutePath())
                .isNotNull();
        return dir;
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(suffix))
                    .filter(p -> !root.relativize(p).toString().contains("target"))
                    .filter(p -> !root.relativize(p).startsWith(".git"))
                    .toList();
        }
    }

    @Test
    void everyNumberedFactIsCitedByTheTestThatChecksIt() throws IOException {
        Path root = root();
        List<String> facts = new ArrayList<>();
        List<Path> sources = files(root, "Test.java");
        for (String line : Files.readAllLines(root.resolve("docs/definitions.md"))) {
            Matcher m = FACT.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String fact = m.group(1);
            facts.add(fact);
            for (String name : m.group(2).replace("`", "").split(",\\s*")) {
                Path test = sources.stream()
                        .filter(p -> p.getFileName().toString().equals(name.strip() + ".java"))
                        .findFirst()
                        .orElse(null);
                assertThat(test)
                        .as(fact + " names " + name + ", which must exist")
                        .isNotNull();
                assertThat(Files.readString(test)).as(name + " cites " + fact).containsPattern("\\b" + fact + "\\b");
            }
        }
        assertThat(facts).contains("F1", "F7", "A1", "A5", "G1", "G4", "P1", "P3");
    }

    @Test
    void nothingRefersToAFileOutsideTheProject() throws IOException {
        Path root = root();
        List<Path> checked = new ArrayList<>(files(root, ".java"));
        checked.addAll(files(root, ".md"));
        Pattern outside = Pattern.compile("shared/|SPEC[ .§]|\\.\\./shared");
        checked.removeIf(file -> file.getFileName().toString().equals("DefinitionsTest.java"));
        for (Path file : checked) {
            assertThat(outside.matcher(Files.readString(file)).find())
                    .as(root.relativize(file).toString())
                    .isFalse();
        }
    }
}
