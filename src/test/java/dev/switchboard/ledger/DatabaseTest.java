package dev.switchboard.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.switchboard.config.DatabaseConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void theEmbeddedDatabaseKeepsASmallPageCache(@TempDir Path catalinaBase) throws Exception {
        try (Database database = Database.open(DatabaseConfig.DEFAULTS, catalinaBase.toString(), null, "");
             Connection connection = database.connection(); Statement statement = connection.createStatement();
             ResultSet cache = statement.executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'CACHE_SIZE'")) {
            assertEquals(true, cache.next());
            assertEquals(String.valueOf(Database.EMBEDDED_CACHE_KB), cache.getString(1));
        }
    }
}
