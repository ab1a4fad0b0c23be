package dev.switchboard.it;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The integration-test Tomcat's JVM over the JMX port Arquillian opens ({@code it.jmx.port}): its
 * threads, and its Host's check for undeployed applications whose class loader is still reachable
 * (the Manager's "find leaks", docs/operations.md#redeploying-in-place).
 */
final class TomcatJmx implements AutoCloseable {
    /** The Host every IT deploys to (Tomcat's {@code StandardHost} MBean). */
    static final String HOST = "Catalina:type=Host,host=localhost";
    /**
     * How long a class loader no longer pinned may take to be collected: each check forces a full
     * collection, but what a finalizer or a cleaner still held goes only in a later one.
     */
    static final long COLLECT_MS = 3_000;
    /** Set to a directory to get a heap dump of Tomcat's JVM there when the leak check fails. */
    static final String HEAP_DUMP_PROPERTY = "it.heap.dump.dir";

    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private TomcatJmx(JMXConnector connector) throws Exception {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    static TomcatJmx connect() throws Exception {
        String port = System.getProperty("it.jmx.port");
        if (port == null) {
            throw new IllegalStateException("it.jmx.port is not set for this failsafe execution (pom.xml)");
        }
        return new TomcatJmx(JMXConnectorFactory.connect(new JMXServiceURL(
                "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi")));
    }

    ThreadMXBean threads() throws Exception {
        return ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
    }

    /**
     * Whether the stopped application at {@code contextPath} still has its class loader after full
     * collections, as Tomcat's {@code findReloadedContextMemoryLeaks} reports it (it collects first);
     * asked again until {@link #COLLECT_MS} has passed. Dumps the heap when it does and
     * {@value #HEAP_DUMP_PROPERTY} names a directory.
     */
    boolean classLoaderKept(String contextPath) throws Exception {
        long deadline = System.currentTimeMillis() + COLLECT_MS;
        List<String> leaking;
        do {
            leaking = Arrays.asList((String[]) server.invoke(new ObjectName(HOST), "findReloadedContextMemoryLeaks",
                    null, null));
        } while (leaking.contains(contextPath) && System.currentTimeMillis() < deadline && pause());
        boolean kept = leaking.contains(contextPath);
        String dumps = System.getProperty(HEAP_DUMP_PROPERTY);
        if (kept && dumps != null) {
            Path file = Path.of(dumps).toAbsolutePath().resolve("leak" + contextPath.replace('/', '-') + ".hprof");
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            server.invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap",
                    new Object[] {file.toString(), true}, new String[] {String.class.getName(), boolean.class.getName()});
        }
        return kept;
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }

    @Override
    public void close() throws Exception {
        connector.close();
    }
}
