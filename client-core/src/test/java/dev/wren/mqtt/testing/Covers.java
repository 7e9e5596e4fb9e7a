package dev.wren.mqtt.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the MQTT 3.1.1 normative statements a test checks, as ids of
 * {@code shared/spec/mqtt-3.1.1-normative-statements.csv} (same convention as the codec tests' {@code @Covers}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Covers {
    /** Statement ids, e.g. {@code "MQTT-4.4.0-1"}. */
    String[] value();
}
