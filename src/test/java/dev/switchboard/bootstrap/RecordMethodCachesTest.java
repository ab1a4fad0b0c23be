package dev.switchboard.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A record loaded by a class loader of its own, as a web application's records are: once one of its
 * generated methods has run, its loader can be collected only after {@link RecordMethodCaches#release}
 * (on Java 17, JDK-8078641; on a later JDK it is collected either way).
 */
class RecordMethodCachesTest {
    @ParameterizedTest
    @ValueSource(strings = {"equals", "hashCode", "toString"})
    void aRecordsLoaderIsCollectedAfterItsGeneratedMethodRanAndTheCachesWereReleased(String method) throws Exception {
        WeakReference<ClassLoader> loader = runInOwnLoader(method);

        RecordMethodCaches.release();

        for (int i = 0; i < 50 && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(loader.get()).as("the record's class loader after " + method).isNull();
    }

    /** Loads {@link RecordProbe} in a new loader and runs {@code method} on it; only a weak reference leaves. */
    private static WeakReference<ClassLoader> runInOwnLoader(String method) throws Exception {
        OwnLoader loader = new OwnLoader();
        Class<?> kind = loader.loadClass(RecordProbe.Kind.class.getName());
        Class<?> probe = loader.loadClass(RecordProbe.class.getName());
        assertThat(probe.getClassLoader()).isSameAs(loader);
        Object one = kind.getEnumConstants()[0];
        Object a = probe.getConstructor(String.class, kind).newInstance("a", one);
        Object b = probe.getConstructor(String.class, kind).newInstance("a", one);
        switch (method) {
            case "equals" -> assertThat(a.equals(b)).isTrue();
            case "hashCode" -> assertThat(a.hashCode()).isEqualTo(b.hashCode());
            default -> assertThat(a.toString()).isEqualTo("RecordProbe[name=a, kind=ONE]");
        }
        return new WeakReference<>(loader);
    }

    /** Defines {@link RecordProbe} and its {@code Kind} itself from this test's class files; all else from its parent. */
    private static final class OwnLoader extends ClassLoader {
        OwnLoader() {
            super(RecordMethodCachesTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(RecordProbe.class.getName()) && !name.equals(RecordProbe.Kind.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }
}
