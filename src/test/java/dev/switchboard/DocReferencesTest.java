package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every documentation reference in the source resolves inside this repository, so that a reader
 * of a comment can follow it: a cited Markdown file exists, and each section cited right after it
 * ({@code §7.2}, {@code §6.3–6.4}, {@code A4}, {@code B6.1}, {@code Part B}) is a heading in that
 * file. A name without a directory is resolved from the repository root like any other, so a bare
 * note name that lives elsewhere fails. Also checks that the relative links of README.md, bench/
 * and docs/ point at files that exist. Reads files only.
 */
class DocReferencesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** Text files under src/ that may cite documentation. */
    private static final Set<String> SCANNED = Set.of("java", "md", "xml", "properties", "txt");
    /** This file: its comments describe citations rather than make them. */
    private static final Path SELF = Path.of("src/test/java/dev/switchboard/DocReferencesTest.java");

    /** A path ending in .md that is not part of a URL or a longer name. */
    private static final Pattern MD_REFERENCE =
            Pattern.compile("(?<![\\w/.:-])((?:\\.{1,2}/)*[\\w-][\\w.-]*(?:/[\\w.-]+)*\\.md)(?![\\w-])");
    /** Between two cited sections: spaces, comment continuations, commas, "and". */
    private static final Pattern SEPARATOR = Pattern.compile("(?:[\\s*/]|,|\\band\\b)*");
    /** A section, or a range of them: §7.2, §2.3–§2.5, §6.3–6.4, A4, B6.2, Part B. */
    private static final Pattern SECTION = Pattern.compile(
            "(§\\s?\\d+(?:\\.\\d+)*|[AB]\\d+(?:\\.\\d+)*|Part [AB])(?![\\w])"
                    + "(?:\\s?[–-]\\s?(§?\\d+(?:\\.\\d+)*|[AB]\\d+(?:\\.\\d+)*)(?![\\w]))?");
    /** Markdown link targets: [text](target). */
    private static final Pattern MD_LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    record Citation(Path file, int line, String reference, List<String> sections) {
    }

    @Test
    void everyDocReferenceInTheSourceResolvesInsideTheRepository() {
        List<Citation> citations = new ArrayList<>();
        for (Path source : sources()) {
            citations.addAll(citations(ROOT.relativize(source), read(source)));
        }
        List<String> problems = new ArrayList<>();
        for (Citation citation : citations) {
            problems.addAll(check(citation));
        }

        // The scan must find the citations the code is known to make, or the check proves nothing.
        assertThat(citations).hasSizeGreaterThan(50);
        assertThat(citations).anySatisfy(c -> assertThat(c.sections()).isNotEmpty());
        assertThat(problems).isEmpty();
    }

    @Test
    void relativeLinksInTheDocsPointAtFilesThatExist() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("bench/README.md")));
        try (Stream<Path> tree = Files.walk(ROOT.resolve("docs"))) {
            tree.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        List<String> problems = new ArrayList<>();
        for (Path doc : docs) {
            Matcher link = MD_LINK.matcher(read(doc));
            while (link.find()) {
                String target = link.group(1);
                if (target.contains("://") || target.startsWith("#") || target.startsWith("mailto:")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                if (!Files.exists(doc.getParent().resolve(file).normalize())) {
                    problems.add(ROOT.relativize(doc) + ": link to " + target + ": no such file");
                }
            }
        }
        assertThat(docs).hasSizeGreaterThan(10);
        assertThat(problems).isEmpty();
    }

    // The scanner itself, on text whose answer is known, so that a change to it cannot silently
    // make it find nothing.

    @Test
    void readsTheSectionsCitedAfterAFileName() {
        String text = " * (docs/protocols/openai-to-anthropic.md §1–§4, §6.1). Pure\n"
                + " * (docs/protocols/x.md §2.3,\n * B6.2 and A4; later §9)\n"
                + " * (docs/protocols/y.md §4, option b) and Part B\n"
                + " * column of docs/protocols/z.md B5.1. Stateless\n"
                + " * see docs/protocols/w.md Part A, not Google's\n";
        List<Citation> found = citations(Path.of("Example.java"), text);

        assertThat(found).extracting(Citation::sections).containsExactly(
                List.of("§1", "§4", "§6.1"),
                List.of("§2.3", "B6.2", "A4"),
                List.of("§4"),
                List.of("B5.1"),
                List.of("Part A"));
        assertThat(found).extracting(Citation::line).containsExactly(1, 2, 4, 5, 6);
    }

    @Test
    void aRangeWithoutItsOwnMarkCitesTheSameKindOfSection() {
        List<Citation> found = citations(Path.of("Example.java"), "(docs/a.md §6.3–6.4; docs/b.md A2.1-A2.3)");

        assertThat(found).extracting(Citation::sections).containsExactly(
                List.of("§6.3", "§6.4"), List.of("A2.1", "A2.3"));
    }

    @Test
    void ignoresUrlsAndLongerNames() {
        String text = "https://github.com/org/repo/blob/main/README.md and notes.mdx and x.md5";

        assertThat(citations(Path.of("Example.java"), text)).isEmpty();
    }

    @Test
    void aBareNoteNameOrAMissingHeadingIsReported() {
        Citation bare = new Citation(Path.of("Example.java"), 3, "openai-chat.md", List.of("§7.2"));
        Citation missingHeading = new Citation(Path.of("Example.java"), 4, "docs/protocols/openai-chat.md",
                List.of("§7.2", "§99"));
        Citation numberPrefix = new Citation(Path.of("Example.java"), 5, "docs/protocols/openai-chat.md",
                List.of("§7"));

        assertThat(check(bare)).singleElement().asString().contains("no such file");
        assertThat(check(missingHeading)).singleElement().asString().contains("§99");
        assertThat(check(numberPrefix)).isEmpty();
        assertThat(headingExists("## 7. Errors\n### 7.2 Status codes\n", "7")).isTrue();
        assertThat(headingExists("### 7.2 Status codes\n", "7")).isFalse();
        assertThat(headingExists("Text mentioning 7.2 but no heading\n", "7.2")).isFalse();
        assertThat(headingExists("## A4. Streaming\n", "A4")).isTrue();
        assertThat(headingExists("### A4.1 Framing\n", "A4")).isFalse();
        assertThat(headingExists("# Part B — Mapping\n", "Part B")).isTrue();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static List<Path> sources() {
        try (Stream<Path> tree = Files.walk(ROOT.resolve("src"))) {
            return tree.filter(Files::isRegularFile)
                    .filter(p -> SCANNED.contains(extension(p)))
                    .filter(p -> !ROOT.relativize(p).equals(SELF))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String extension(Path path) {
        String name = path.getFileName().toString();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each Markdown file named in {@code text}, with the sections cited right after it. */
    static List<Citation> citations(Path file, String text) {
        List<Citation> found = new ArrayList<>();
        Matcher reference = MD_REFERENCE.matcher(text);
        Matcher separator = SEPARATOR.matcher(text);
        Matcher section = SECTION.matcher(text);
        while (reference.find()) {
            List<String> sections = new ArrayList<>();
            int at = reference.end();
            while (true) {
                separator.region(at, text.length());
                int start = separator.lookingAt() ? separator.end() : at;
                section.region(start, text.length());
                if (!section.lookingAt()) {
                    break;
                }
                String first = section.group(1).replace("§ ", "§");
                sections.add(first);
                if (section.group(2) != null) {
                    String last = section.group(2);
                    sections.add(first.startsWith("§") && !last.startsWith("§") ? "§" + last : last);
                }
                at = section.end();
            }
            int line = 1 + (int) text.substring(0, reference.start()).chars().filter(c -> c == '\n').count();
            found.add(new Citation(file, line, reference.group(1), sections));
        }
        return found;
    }

    /** What is wrong with one citation: a missing file, or a cited section that is no heading there. */
    static List<String> check(Citation citation) {
        String where = citation.file() + ":" + citation.line() + ": " + citation.reference();
        Path base = citation.reference().startsWith(".") && citation.file().getParent() != null
                ? citation.file().getParent() : ROOT;
        Path target = base.resolve(citation.reference()).normalize();
        if (!Files.isRegularFile(target)) {
            return List.of(where + ": no such file in the repository (" + ROOT.relativize(target.toAbsolutePath())
                    + ")");
        }
        String text = read(target);
        List<String> problems = new ArrayList<>();
        for (String section : citation.sections()) {
            String key = section.startsWith("§") ? section.substring(1) : section;
            if (!headingExists(text, key)) {
                problems.add(where + " " + section + ": no heading for this section in that file");
            }
        }
        return problems;
    }

    /** Whether a Markdown heading starts with this section number (§ optional), and not a deeper one. */
    static boolean headingExists(String markdown, String key) {
        return Pattern.compile("^#{1,6}\\s+§?" + Pattern.quote(key) + "(?![\\w]|\\.\\d)", Pattern.MULTILINE)
                .matcher(markdown).find();
    }
}
