package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLocatorTest {
    @TempDir
    Path dir;

    private Path jndiFile;
    private Path propertyFile;
    private Path envFile;
    private Path catalinaBase;
    private Path conventionalFile;

    @BeforeEach
    void createFiles() throws IOException {
        jndiFile = Files.writeString(dir.resolve("jndi.json"), "{}");
        propertyFile = Files.writeString(dir.resolve("property.json"), "{}");
        envFile = Files.writeString(dir.resolve("env.json"), "{}");
        catalinaBase = Files.createDirectories(dir.resolve("tomcat"));
        conventionalFile = Files.writeString(Files.createDirectories(catalinaBase.resolve("conf")).resolve("switchboard.json"), "{}");
    }

    private static String s(Path path) {
        return path.toString();
    }

    @Test
    void jndiComesFirst() {
        ConfigLocator.Located located = ConfigLocator.locate(s(jndiFile), null, s(propertyFile), s(envFile), s(catalinaBase)).orElseThrow();

        assertThat(located.path()).isEqualTo(jndiFile);
        assertThat(located.origin()).contains(ConfigLocator.JNDI_NAME);
    }

    @Test
    void theContextParameterComesSecond() {
        ConfigLocator.Located located = ConfigLocator.locate(null, s(envFile), s(propertyFile), null, s(catalinaBase))
                .orElseThrow();

        assertThat(located.path()).isEqualTo(envFile);
        assertThat(located.origin()).isEqualTo("context parameter " + ConfigLocator.CONTEXT_PARAMETER);
    }

    @Test
    void systemPropertyComesNext() {
        ConfigLocator.Located located = ConfigLocator.locate(null, null, s(propertyFile), s(envFile), s(catalinaBase)).orElseThrow();

        assertThat(located.path()).isEqualTo(propertyFile);
        assertThat(located.origin()).contains(ConfigLocator.SYSTEM_PROPERTY);
    }

    @Test
    void environmentVariableComesAfterThat() {
        ConfigLocator.Located located = ConfigLocator.locate(null, null, null, s(envFile), s(catalinaBase)).orElseThrow();

        assertThat(located.path()).isEqualTo(envFile);
        assertThat(located.origin()).contains(ConfigLocator.ENV_VARIABLE);
    }

    @Test
    void catalinaBaseConfComesLast() {
        ConfigLocator.Located located = ConfigLocator.locate(null, null, null, null, s(catalinaBase)).orElseThrow();

        assertThat(located.path()).isEqualTo(conventionalFile);
        assertThat(located.origin()).contains("catalina.base");
    }

    @Test
    void blankValuesAreSkippedLikeMissingOnes() {
        ConfigLocator.Located located = ConfigLocator.locate("", null, "  ", "\t", s(catalinaBase)).orElseThrow();

        assertThat(located.path()).isEqualTo(conventionalFile);
    }

    @Test
    void surroundingSpacesInANamedPathAreIgnored() {
        ConfigLocator.Located located = ConfigLocator.locate(null, null, "  " + propertyFile + " \n", null, null).orElseThrow();

        assertThat(located.path()).isEqualTo(propertyFile);
    }

    @Test
    void nothingFoundIsEmpty() {
        assertThat(ConfigLocator.locate(null, null, null, null, null)).isEmpty();
        assertThat(ConfigLocator.locate(null, null, null, null, s(dir))).as("catalina.base without conf/switchboard.json").isEmpty();
    }

    @Test
    void conventionalPathThatIsADirectoryIsIgnored() throws IOException {
        Path base = Files.createDirectories(dir.resolve("other/conf/switchboard.json")).getParent().getParent();

        assertThat(ConfigLocator.locate(null, null, null, null, s(base))).isEqualTo(Optional.empty());
    }

    @ParameterizedTest(name = "named by {0}")
    @CsvSource({"JNDI, " + ConfigLocator.JNDI_NAME, "property, " + ConfigLocator.SYSTEM_PROPERTY, "env, " + ConfigLocator.ENV_VARIABLE})
    void explicitlyNamedMissingFileIsAnErrorNotAFallThrough(String source, String origin) {
        String missing = s(dir.resolve("typo.json"));
        String jndi = source.equals("JNDI") ? missing : null;
        String property = source.equals("property") ? missing : null;
        String env = source.equals("env") ? missing : null;

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLocator.locate(jndi, null, property, env, s(catalinaBase)));

        assertThat(e.field()).isNull();
        assertThat(e.getMessage()).contains(origin).contains(missing).contains("not a readable file");
    }

    @Test
    void missingJndiFileWinsOverAValidSystemProperty() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLocator.locate(s(dir.resolve("nope.json")), null, s(propertyFile), null, null));

        assertThat(e.getMessage()).contains("JNDI");
    }

    @Test
    void namedDirectoryIsAnError() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLocator.locate(null, null, null, s(dir), null));

        assertThat(e.getMessage()).contains(s(dir));
    }
}
