package dev.wren.device.ds18b20;

import dev.wren.device.DeviceException;
import dev.wren.device.DeviceException.Reason;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DS18B20 sensors on the Linux 1-Wire bus (w1-gpio + w1-therm drivers, {@code dtoverlay=w1-gpio} on a Pi), found in
 * sysfs under {@code /sys/bus/w1/devices/28-xxxxxxxxxxxx}. The root directory is injectable so tests and the
 * simulation can use a temporary directory. Discovery allocates; reading ({@link Ds18b20Sensor}) does not.
 */
public final class Ds18b20Bus {
    /** Where the kernel lists 1-Wire slaves. */
    public static final Path DEFAULT_ROOT = Path.of("/sys/bus/w1/devices");
    /** DS18B20 family code, the id prefix (DS18B20 datasheet, "64-bit Lasered ROM Code": family 28h). */
    public static final String FAMILY_PREFIX = "28-";

    private final Path root;

    /**
     * Creates a bus view.
     *
     * @param root the sysfs devices directory, normally {@link #DEFAULT_ROOT}
     */
    public Ds18b20Bus(Path root) {
        this.root = root;
    }

    /** The directory scanned. */
    public Path root() {
        return root;
    }

    /**
     * Lists the DS18B20 ids present, sorted.
     *
     * @return ids like {@code "28-0316a2794cff"}; empty when the bus has none
     * @throws DeviceException NOT_FOUND naming the root when it does not exist (1-Wire overlay not enabled)
     */
    public String[] discover() throws DeviceException {
        if (!Files.isDirectory(root)) {
            throw new DeviceException(Reason.NOT_FOUND, "1-Wire root " + root
                    + " does not exist (is dtoverlay=w1-gpio enabled?)");
        }
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root, FAMILY_PREFIX + "*")) {
            for (Path p : dir) {
                ids.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new DeviceException(Reason.NOT_RESPONDING, "1-Wire root " + root + ": cannot list: " + e.getMessage(), e);
        }
        ids.sort(null);
        return ids.toArray(new String[0]);
    }

    /**
     * Opens one sensor by id.
     *
     * @param deviceId e.g. {@code "28-0316a2794cff"}
     * @return the sensor; close it on shutdown
     * @throws DeviceException NOT_FOUND naming the id and path when the sensor is absent
     * @throws IllegalArgumentException when the id is not {@code 28-} followed by 12 hex digits
     */
    public Ds18b20Sensor open(String deviceId) throws DeviceException {
        if (deviceId == null || !deviceId.matches("28-[0-9a-fA-F]{12}")) {
            throw new IllegalArgumentException("DS18B20 id '" + deviceId + "' is not 28- followed by 12 hex digits");
        }
        return new Ds18b20Sensor(deviceId, root.resolve(deviceId));
    }
}
