package dev.switchboard.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds what the integration tests deploy: the real {@code target/switchboard.war} as Maven
 * packaged it (so a jar missing from the WAR fails the tests), plus a context descriptor whose
 * JNDI entry {@code switchboard/config} names a configuration file written for the test.
 */
public final class GatewayDeployment {
    private GatewayDeployment() {
    }

    public static WebArchive withConfig(String name, String configJson) {
        String war = System.getProperty("switchboard.war", "target/switchboard.war");
        Path config;
        try {
            Path dir = Files.createDirectories(Path.of("target", "it-config"));
            config = dir.resolve(name + ".json").toAbsolutePath();
            Files.writeString(config, configJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the test configuration", e);
        }
        String contextXml = "<Context>\n"
                + "  <Environment name=\"switchboard/config\" type=\"java.lang.String\" override=\"false\" value=\""
                + config + "\"/>\n"
                + "</Context>\n";
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(war))
                .addAsManifestResource(new StringAsset(contextXml), "context.xml");
    }
}
