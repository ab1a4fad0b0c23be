package dev.switchboard.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds what the integration tests deploy: the real {@code target/switchboard.war} as Maven
 * packaged it (so a jar missing from the WAR fails the tests), plus a context descriptor whose
 * JNDI entry {@code switchboard/config} names a configuration file written for the test (Tomcat),
 * and a context parameter naming the same file (Jetty).
 */
public final class GatewayDeployment {
    private GatewayDeployment() {
    }

    public static WebArchive withConfig(String name, String configJson) {
        return withConfig(name, configJson, "");
    }

    /** With attributes for the {@code <Context>} element, such as {@code unloadDelay="2000"}. */
    public static WebArchive withConfig(String name, String configJson, String contextAttributes) {
        String war = System.getProperty("switchboard.war", "target/switchboard.war");
        Path config;
        try {
            Path dir = Files.createDirectories(Path.of("target", "it-config"));
            config = dir.resolve(name + ".json").toAbsolutePath();
            Files.writeString(config, configJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the test configuration", e);
        }
        String contextXml = "<Context " + contextAttributes + ">\n"
                + "  <Environment name=\"switchboard/config\" type=\"java.lang.String\" override=\"false\" value=\""
                + config + "\"/>\n"
                + "</Context>\n";
        // Named after the test's configuration, so each deployment has a context path of its own.
        WebArchive archive = ShrinkWrap.create(ZipImporter.class, name + ".war").importFrom(new File(war))
                .as(WebArchive.class)
                .addAsManifestResource(new StringAsset(contextXml), "context.xml");
        // Jetty reads no META-INF/context.xml: there the same file is named by the context parameter.
        return archive.setWebXML(new StringAsset(withContextParameter(archive, config.toString())));
    }

    private static String withContextParameter(WebArchive archive, String configFile) {
        String webXml;
        try (InputStream in = archive.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the WAR's web.xml", e);
        }
        String parameter = "  <context-param>\n"
                + "    <param-name>switchboard.config</param-name>\n"
                + "    <param-value>" + configFile + "</param-value>\n"
                + "  </context-param>\n";
        int end = webXml.lastIndexOf("</web-app>");
        return webXml.substring(0, end) + parameter + webXml.substring(end);
    }
}
