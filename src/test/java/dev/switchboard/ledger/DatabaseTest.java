package dev.switchboard.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseTest {
    @Test
    void theRootContextUsesTheDocumentedFile() {
        assertEquals(Path.of("/srv/tomcat/data/switchboard").toAbsolutePath(),
                Database.embeddedFile("/srv/tomcat", null, ""));
        assertEquals(Path.of("/srv/jetty/data/switchboard").toAbsolutePath(),
                Database.embeddedFile(null, "/srv/jetty", "/"));
    }

    @Test
    void twoContextsInOneContainerNeverShareAFile() {
        Path root = Database.embeddedFile("/srv/tomcat", null, "");
        Path gateway = Database.embeddedFile("/srv/tomcat", null, "/gateway");
        Path other = Database.embeddedFile("/srv/tomcat", null, "/team/gateway");
        assertNotEquals(root, gateway);
        assertNotEquals(gateway, other);
        assertEquals("switchboard-gateway", gateway.getFileName().toString());
        assertEquals("switchboard-team-gateway", other.getFileName().toString());
    }

    @Test
    void aContextPathCannotLeaveTheDataDirectory() {
        Path escaped = Database.embeddedFile("/srv/tomcat", null, "/../../etc");
        assertEquals(Path.of("/srv/tomcat/data").toAbsolutePath(), escaped.getParent());
    }
}
