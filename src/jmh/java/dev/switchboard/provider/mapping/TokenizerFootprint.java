package dev.switchboard.provider.mapping;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.openjdk.jol.info.GraphLayout;

/**
 * The {@code o200k_base} table's load time and retained heap, packed ({@link O200kCounter})
 * against jtokkit's encoding, by JOL's walk of each object graph. Run with the jmh profile's
 * classpath and {@code -Djol.magicFieldOffset=true} (jtokkit's pattern holds lambdas):
 * {@code java -cp <test classpath> dev.switchboard.provider.mapping.TokenizerFootprint}.
 */
public final class TokenizerFootprint {
    private TokenizerFootprint() {
    }

    public static void main(String[] args) {
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            O200kCounter counter = O200kCounter.load();
            long loaded = System.nanoTime();
            Encoding jtokkit = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
            jtokkit.countTokensOrdinary("x");
            long jtokkitLoaded = System.nanoTime();
            System.out.printf("load: packed %.0f ms, jtokkit %.0f ms%n", (loaded - start) / 1e6, (jtokkitLoaded - loaded) / 1e6);
            if (round == 2) {
                GraphLayout packed = GraphLayout.parseInstance(counter);
                GraphLayout encoding = GraphLayout.parseInstance(jtokkit);
                System.out.printf("retained: packed %.1f MB in %d objects, jtokkit %.1f MB in %d objects%n",
                        packed.totalSize() / 1e6, packed.totalCount(), encoding.totalSize() / 1e6, encoding.totalCount());
            }
        }
    }
}
