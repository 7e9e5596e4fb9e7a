package dev.wren.tools;

import dev.wren.mqtt.testing.MosquittoExtension;
import dev.wren.tools.testing.Proc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./wren} launcher as a user runs it, from a copy of the checkout (the launcher and wren.jar) in a
 * temporary folder: which Java it picks, and its class-data-sharing archive in {@code $XDG_CACHE_HOME/wren}.
 * Behaviour only, no timings. A fake Java 17 home (a {@code release} file saying 17 and a {@code bin/java} that
 * prints a marker) stands for an old default Java: it must never run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherIT {

    @RegisterExtension
    static final MosquittoExtension BROKER = MosquittoExtension.builder().build();

    private static final String FAKE_MARKER = "fake java 17 ran";
    private static final long WAIT_MILLIS = 60_000;

    @TempDir
    Path dir;

    private Path launcher;
    private Path jar;
    private Path cache;
    private Path fake17;
    /** The home of the JDK running the tests (21+, from the build's toolchain). */
    private Path jdk;

    @BeforeEach
    void copyCheckoutAndMakeFakeJava17() throws IOException {
        launcher = dir.resolve("checkout/wren");
        jar = dir.resolve("checkout/tools/cli/target/wren.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Path.of(System.getProperty("wren.launcher", "../../wren")), launcher);
        Files.copy(Path.of(System.getProperty("wren.jar", "target/wren.jar")), jar);
        cache = dir.resolve("cache");
        fake17 = dir.resolve("jdk-17");
        Files.createDirectories(fake17.resolve("bin"));
        Files.writeString(fake17.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"17.0.15\"\n");
        Path fakeJava = fake17.resolve("bin/java");
        Files.writeString(fakeJava, "#!/bin/sh\necho '" + FAKE_MARKER + "'\necho '" + FAKE_MARKER + "' >&2\nexit 42\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        jdk = Path.of(Proc.java()).toRealPath().getParent().getParent();
        assertTrue(Runtime.version().feature() >= 21, "the tests run on Java 21+");
    }

    @Test
    void javaHomeOf21IsUsedWhenTheJavaOnThePathIs17() {
        Map<String, String> env = env(jdk, fake17.resolve("bin") + ":" + System.getenv("PATH"));
        assertEquals(jdk.resolve("bin/java").toString(), dryRunJava(env));
        assertRunsPubHelp(env);
    }

    @Test
    void javaHome17IsSkippedForA21OnThePath() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("path-bin"));
        Files.createSymbolicLink(bin.resolve("java"), jdk.resolve("bin/java"));
        Map<String, String> env = env(fake17, bin + ":" + System.getenv("PATH"));
        assertEquals(jdk.resolve("bin/java").toString(), dryRunJava(env));
        assertRunsPubHelp(env);
    }

    /** With only 17 in JAVA_HOME and on the PATH it takes a 21+ from /usr/lib/jvm or says it needs one. */
    @Test
    void neverRunsAJava17() {
        Map<String, String> env = env(fake17, fake17.resolve("bin") + ":/usr/bin:/bin");
        Proc help = Proc.startWithEnv(env, launcher.toString(), "pub", "--help").await(WAIT_MILLIS);
        String all = new String(help.out(), StandardCharsets.UTF_8) + help.err();
        assertFalse(all.contains(FAKE_MARKER), all);
        if (help.exitCode() != 0) {
            assertEquals(1, help.exitCode(), all);
            assertTrue(help.err().contains("needs a Java 21 or newer runtime"), all);
        }
    }

    @Test
    void archiveIsMadeByTheFirstRunAndUsedByTheNext() throws IOException {
        Map<String, String> env = env(jdk, System.getenv("PATH"));
        assertPublishes(env);
        Path archive = pubArchive();
        FileTime made = Files.getLastModifiedTime(archive);

        env.put("JDK_JAVA_OPTIONS", "-Xlog:class+load=info");
        Proc second = publish(env);
        assertTrue(loadedFromArchive(second, "dev.wren.tools.pub.PubCommand"), second.err());
        assertEquals(made, Files.getLastModifiedTime(archive), "the archive is used, not made again");
    }

    /**
     * A jar rebuilt since the archive was made (a day ago): the JVM refuses the old archive (class path mismatch)
     * and does not make it again by itself, so the run must not fail or warn, and the launcher must have a new
     * archive made.
     */
    @Test
    void archiveOfAnOlderJarIsReplacedAndTheRunSucceeds() throws IOException {
        Map<String, String> env = env(jdk, System.getenv("PATH"));
        assertPublishes(env);
        Path archive = pubArchive();
        Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L));
        rebuildJarWithOneMoreEntry();

        assertPublishes(env);
        pubArchive();
        env.put("JDK_JAVA_OPTIONS", "-Xlog:class+load=info");
        Proc third = publish(env);
        assertTrue(loadedFromArchive(third, "dev.wren.tools.pub.PubCommand"), "archive used again: " + third.err());
    }

    private Map<String, String> env(Path javaHome, String path) {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("PATH", path);
        env.put("XDG_CACHE_HOME", cache.toString());
        env.put("WREN_DRY_RUN", null);
        env.put("WREN_CDS", null);
        env.put("JDK_JAVA_OPTIONS", null);
        env.put("JAVA_TOOL_OPTIONS", null);
        return env;
    }

    private String dryRunJava(Map<String, String> env) {
        Map<String, String> dry = new HashMap<>(env);
        dry.put("WREN_DRY_RUN", "1");
        Proc run = Proc.startWithEnv(dry, launcher.toString(), "pub", "-t", "t", "-m", "x").await(WAIT_MILLIS);
        assertEquals(0, run.exitCode(), run.err());
        return new String(run.out(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }

    private void assertRunsPubHelp(Map<String, String> env) {
        Proc help = Proc.startWithEnv(env, launcher.toString(), "pub", "--help").await(WAIT_MILLIS);
        String out = new String(help.out(), StandardCharsets.UTF_8);
        assertEquals(0, help.exitCode(), help.err());
        assertTrue(out.startsWith("Usage: wren pub"), out);
        assertFalse((out + help.err()).contains(FAKE_MARKER), out + help.err());
    }

    private Proc publish(Map<String, String> env) {
        return Proc.startWithEnv(env, launcher.toString(), "pub", "-h", BROKER.host(), "-p",
                Integer.toString(BROKER.port()), "-t", "launcher/test", "-m", "x").await(WAIT_MILLIS);
    }

    /** A publish that exits 0 with nothing on standard output or standard error (no CDS warning either). */
    private void assertPublishes(Map<String, String> env) {
        Proc pub = publish(env);
        assertEquals(0, pub.exitCode(), pub.err());
        assertEquals("", new String(pub.out(), StandardCharsets.UTF_8) + pub.err());
    }

    private static boolean loadedFromArchive(Proc run, String className) {
        return new String(run.out(), StandardCharsets.UTF_8).lines()
                .anyMatch(l -> l.contains(" " + className + " source: shared objects file"));
    }

    private Path pubArchive() throws IOException {
        List<Path> archives = archives();
        assertEquals(1, archives.size(), "one archive for pub: " + archives);
        return archives.get(0);
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(cache.resolve("wren"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("pub_")).toList();
        }
    }

    /** Writes the jar again with one more entry, as a newer build would: another size, and the time now. */
    private void rebuildJarWithOneMoreEntry() throws IOException {
        Path rebuilt = jar.resolveSibling("rebuilt.jar");
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zin = new ZipInputStream(in);
             OutputStream out = Files.newOutputStream(rebuilt); ZipOutputStream zout = new ZipOutputStream(out)) {
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                zout.putNextEntry(new ZipEntry(e.getName()));
                zin.transferTo(zout);
                zout.closeEntry();
            }
            zout.putNextEntry(new ZipEntry("newer-build.txt"));
            zout.write("a newer build\n".getBytes(StandardCharsets.UTF_8));
            zout.closeEntry();
        }
        Files.move(rebuilt, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
