package dev.wren.mqtt;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fence around client-core's API: the module descriptor (compiled at release 9 into {@code META-INF/versions/9})
 * exports every package but {@code internal}, requires nothing beyond {@code java.base}, and every other class stays
 * Java 8 bytecode, so the jar still loads on Java 8.
 */
class ModuleFenceTest {

    private static final Path CLASSES = Paths.get("target/classes");
    private static final Path DESCRIPTOR = CLASSES.resolve("META-INF/versions/9/module-info.class");

    @Test
    void moduleExportsEveryPackageButInternal() throws IOException {
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(DESCRIPTOR)) {
            descriptor = ModuleDescriptor.read(in);
        }
        Set<String> exported = descriptor.exports().stream()
                .peek(e -> assertTrue(e.targets().isEmpty(), "qualified export " + e))
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        Set<String> apiPackages = packagesUnder(CLASSES);
        apiPackages.remove("dev.wren.mqtt.internal");

        assertEquals("dev.wren.mqtt", descriptor.name());
        assertEquals(apiPackages, exported, "exported packages vs the packages a user needs (all but internal)");
        assertFalse(exported.contains("dev.wren.mqtt.internal"));
        assertEquals(Set.of("java.base"), descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()), "requires");
        assertEquals(Set.of("dev.wren.mqtt.transport.TransportFactory"), descriptor.uses(),
                "uses: how ssl:// and mqtts:// find the TLS layer (client-tls) through ServiceLoader");
    }

    @Test
    void everyClassButTheDescriptorIsJava8Bytecode() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev"))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                    in.readInt(); // 0xCAFEBABE
                    in.readUnsignedShort(); // minor
                    assertEquals(52, in.readUnsignedShort(), "class file major version of " + file);
                }
            }
        }
    }

    private static Set<String> packagesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("dev"))) {
            return files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> root.relativize(f.getParent()).toString().replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
