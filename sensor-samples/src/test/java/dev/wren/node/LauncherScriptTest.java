package dev.wren.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/wren-node}, the launcher the systemd unit runs: it picks a Java 21 or newer among several, and with
 * none says so in one line and exits 78. Run with fake {@code java} programs and a PATH holding only the tools the
 * script uses, so the machine's own Java does not matter.
 */
class LauncherScriptTest {
  private static final Path SCRIPT = Path.of("deploy/wren-node").toAbsolutePath();

  @TempDir
  Path dir;

  @Test
  void onlyAJava17IsOneLineNamingItAndExit78() throws Exception {
    Path java17 = fakeJdk("jdk17", "17.0.13", true);
    Path noJvms = Files.createDirectories(dir.resolve("no-jvms"));
    Result r = run(Map.of("PATH", bin(java17).toString(), "WREN_JVM_ROOT", noJvms.toString()), "--check");
    assertEquals(78, r.status, r.toString());
    List<String> lines = r.stderr.lines().toList();
    assertEquals(1, lines.size(), r.toString());
    assertTrue(lines.get(0).startsWith("wren-node: needs Java 21 or newer (Pi4J 3), found: "), r.toString());
    assertTrue(lines.get(0).contains("/bin/java (17)"), r.toString());
    assertTrue(lines.get(0).contains("openjdk-21-jre-headless") && lines.get(0).contains("Temurin 21"), r.toString());
  }

  @Test
  void aJava21BesideTheDefault17IsTheOneThatRunsTheNodeWithItsArguments() throws Exception {
    Path java17 = fakeJdk("jdk17", "17.0.13", true);
    Path jvms = dir.resolve("jvm");
    fakeJdk("jvm/temurin-21", "21.0.5", true);
    Result r = run(Map.of("PATH", bin(java17).toString(), "WREN_JVM_ROOT", jvms.toString()),
        "--config", "/etc/wren/node.yaml");
    assertEquals(0, r.status, r.toString());
    assertTrue(r.stdout.contains("temurin-21/bin/java ran: -Xmx16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
        + " -XX:-UsePerfData -jar "), r.toString());
    assertTrue(r.stdout.trim().endsWith("wren-node.jar --config /etc/wren/node.yaml"), r.toString());
  }

  @Test
  void aJavaWithoutReleaseFileIsAskedForItsVersion() throws Exception {
    Path java25 = fakeJdk("bare25", "25", false);
    Result r = run(Map.of("PATH", bin(null).toString(), "WREN_JAVA", java25.toString(), "WREN_JVM_ROOT", "/nonexistent",
        "WREN_JAVA_OPTS", "-Xmx32m"), "--probe");
    assertEquals(0, r.status, r.toString());
    assertTrue(r.stdout.contains("bare25/bin/java ran: -Xmx32m -jar "), r.toString());
  }

  /**
   * A JDK folder with a {@code bin/java} that prints what it ran with, or its version when asked like the script
   * asks; with {@code releaseFile} a {@code release} file as JDKs ship it.
   */
  private Path fakeJdk(String name, String version, boolean releaseFile) throws IOException {
    Path home = dir.resolve(name);
    Path java = home.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(java, """
        #!/bin/sh
        if [ "$1" = "-XshowSettings:properties" ]; then
          echo "    java.specification.version = VERSION" >&2
          exit 0
        fi
        echo "$0 ran: $*"
        """.replace("VERSION", version));
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (releaseFile) {
      Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
    }
    return java;
  }

  /** A folder with the tools the script uses (and {@code java} when given): the whole PATH of the run. */
  private Path bin(Path java) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("sh", "sed", "dirname", "readlink")) {
      Path real = Path.of("/usr/bin", tool);
      Files.createSymbolicLink(bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
    }
    if (java != null) {
      Files.createSymbolicLink(bin.resolve("java"), java);
    }
    return bin;
  }

  private record Result(int status, String stdout, String stderr) {
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("/bin/sh", SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not end within 30 s");
    }
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
