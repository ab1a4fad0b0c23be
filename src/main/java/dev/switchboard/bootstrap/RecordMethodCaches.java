package dev.switchboard.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets go of the application's classes that the JDK's record methods still hold after the
 * application stops. Stateless; called once, as the last step of stopping.
 *
 * <p>A record's {@code equals}, {@code hashCode} and {@code toString} are built on their first call
 * by {@link ObjectMethods#bootstrap}, which adapts a few method handles shared by the whole JVM to
 * the record's types with {@code MethodHandle.asType}. On Java 17 each such handle remembers its
 * last adaptation strongly (JDK-8078641, fixed in Java 18 by a soft second-level cache), so the
 * last record of this application to be compared, hashed or printed keeps its class, and with it
 * this application's class loader and every class it loaded, after an undeploy
 * (docs/operations.md#stopping). Building the three methods once more for a JDK class puts JDK
 * types in those caches instead. On a JDK without the defect this does no harm.
 */
final class RecordMethodCaches {
    private static final Logger LOG = LoggerFactory.getLogger(RecordMethodCaches.class);

    private RecordMethodCaches() {
    }

    /**
     * Builds {@code equals}, {@code hashCode} and {@code toString} for {@link String} viewed as a
     * record of one {@code String} component: every shared handle the record methods adapt to a
     * record's own type and its reference components' types is adapted to {@code String} last.
     */
    static void release() {
        try {
            MethodHandle component = MethodHandles.publicLookup().findVirtual(String.class, "strip",
                    MethodType.methodType(String.class));
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (String method : new String[] {"equals", "hashCode", "toString"}) {
                ObjectMethods.bootstrap(lookup, method, MethodHandle.class, String.class, "value", component);
            }
        } catch (Throwable e) {
            // Nothing is lost but the class loader's memory, which a redeploy would then keep.
            LOG.warn("Could not release the JDK's record-method caches at stop; a redeploy may keep this"
                    + " application's classes in memory ({})", e.toString());
        }
    }
}
