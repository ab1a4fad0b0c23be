package dev.switchboard;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package plan of docs/architecture.md true: data flows one way, from {@code web}
 * through {@code routing} and {@code provider} to {@code upstream}, everything else sits below,
 * and {@code bootstrap} alone knows everything. Each package has a rank; a class may depend only
 * on packages of a lower rank (or its own), packages of equal rank are strangers to each other,
 * and a package missing from the plan fails the build until it is given its place.
 */
class ArchitectureTest {
    /**
     * The plan, as package → rank (higher packages may use lower ones). Packages not yet written
     * (state, spend, identity, tracing, the ingress doors) have their places already.
     */
    static final Map<String, Integer> PLAN = Map.ofEntries(
            Map.entry("bootstrap", 100),
            Map.entry("web", 90),
            Map.entry("ingress.chat", 80),
            Map.entry("ingress.messages", 80),
            Map.entry("ingress.responses", 80),
            Map.entry("ingress.embeddings", 80),
            Map.entry("identity", 75),
            Map.entry("spend", 75),
            Map.entry("ledger", 73),
            Map.entry("state", 70),
            Map.entry("routing", 60),
            Map.entry("provider.openai", 50),
            Map.entry("provider.anthropic", 50),
            Map.entry("provider.gemini", 50),
            Map.entry("provider.echo", 50),
            Map.entry("provider.http", 45),
            Map.entry("provider.mapping", 44),
            Map.entry("provider", 40),
            Map.entry("upstream", 30),
            Map.entry("tracing", 28),
            Map.entry("auth", 26),
            Map.entry("telemetry", 25),
            Map.entry("chat", 22),
            Map.entry("config", 20),
            Map.entry("limits", 19),
            Map.entry("llm", 18),
            Map.entry("sse", 12),
            Map.entry("error", 11),
            Map.entry("json", 10),
            Map.entry("time", 10));

    static final String ROOT = "dev.switchboard.";
    static final int MAX_LINES = 500;

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.switchboard");
    }

    /** The planned package a class belongs to, or null when the plan has no place for it. */
    static String planned(String packageName) {
        if (!packageName.startsWith(ROOT)) {
            return null;
        }
        String relative = packageName.substring(ROOT.length());
        return PLAN.containsKey(relative) ? relative : null;
    }

    @Test
    void everyPackageHasAPlaceInThePlan() {
        List<String> unplanned = classes.stream().map(JavaClass::getPackageName).distinct()
                .filter(name -> planned(name) == null).sorted().toList();
        assertThat(unplanned).as("packages the plan (ArchitectureTest.PLAN, docs/architecture.md) does not place")
                .isEmpty();
    }

    @Test
    void dependenciesGoOnlyDownThePlan() {
        ArchRule rule = ArchRuleDefinition.classes().that().resideInAPackage("dev.switchboard..")
                .should(new ArchCondition<JavaClass>("depend only on packages below their own in the plan") {
                    @Override
                    public void check(JavaClass javaClass, ConditionEvents events) {
                        String from = planned(javaClass.getPackageName());
                        if (from == null) {
                            return;
                        }
                        for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
                            String to = planned(dependency.getTargetClass().getPackageName());
                            if (to == null || to.equals(from)) {
                                continue;
                            }
                            if (PLAN.get(to) >= PLAN.get(from)) {
                                events.add(SimpleConditionEvent.violated(dependency, from + " (rank "
                                        + PLAN.get(from) + ") may not use " + to + " (rank " + PLAN.get(to) + "): "
                                        + dependency.getDescription()));
                            }
                        }
                    }
                });
        rule.check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.switchboard.(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * Comments too: a class comment that names a class of a higher package, or links to one,
     * points the reader the wrong way (a lower package cannot know who uses it). Siblings may
     * mention each other in prose (a Gemini rule "as for Anthropic"), though not depend on each other.
     */
    @Test
    void noSourceNamesAHigherPackage() throws IOException {
        Path sources = Path.of("src/main/java/dev/switchboard");
        Map<String, String> packageOfClass = new HashMap<>();
        Map<String, Integer> declarations = new HashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(path -> path.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replace(".java", "");
            String pkg = packageOf(sources, file);
            declarations.merge(name, 1, Integer::sum);
            packageOfClass.put(name, pkg);
        }
        List<String> violations = new ArrayList<>();
        Pattern qualified = Pattern.compile("dev\\.switchboard\\.([a-z][a-z.]*[a-z])");
        // Class-like words only: two humps (ChatExchange) or a link ({@link Router}); one-hump words
        // such as "Thinking" are as often plain English.
        Pattern word = Pattern.compile("\\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\\b|(?<=\\{@link )[A-Z][A-Za-z0-9]*");
        for (Path file : files) {
            String from = packageOf(sources, file);
            if (!PLAN.containsKey(from)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher q = qualified.matcher(line);
                while (q.find()) {
                    String target = longestPlanned(q.group(1));
                    if (target != null && !target.equals(from) && PLAN.get(target) > PLAN.get(from)) {
                        violations.add(sources.relativize(file) + ":" + (i + 1) + " names " + q.group());
                    }
                }
                Matcher w = word.matcher(line);
                while (w.find()) {
                    String target = packageOfClass.get(w.group());
                    if (target != null && declarations.get(w.group()) == 1 && !target.equals(from)
                            && PLAN.containsKey(target) && PLAN.get(target) > PLAN.get(from)) {
                        violations.add(sources.relativize(file) + ":" + (i + 1) + " names " + target + "." + w.group());
                    }
                }
            }
        }
        assertThat(violations).as("source lines that name a higher package").isEmpty();
    }

    @Test
    void noMainClassIsLongerThanTheLimit() throws IOException {
        List<String> tooLong = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(Path.of("src/main/java"))) {
            for (Path file : walk.filter(path -> path.toString().endsWith(".java")).toList()) {
                long lines = Files.readAllLines(file).size();
                if (lines > MAX_LINES) {
                    tooLong.add(file + ": " + lines + " lines");
                }
            }
        }
        assertThat(tooLong).as("classes over " + MAX_LINES + " lines").isEmpty();
    }

    private static String packageOf(Path root, Path file) {
        return root.relativize(file.getParent()).toString().replace('/', '.');
    }

    private static String longestPlanned(String name) {
        String candidate = name;
        while (!candidate.isEmpty()) {
            if (PLAN.containsKey(candidate)) {
                return candidate;
            }
            int dot = candidate.lastIndexOf('.');
            candidate = dot < 0 ? "" : candidate.substring(0, dot);
        }
        return null;
    }
}
