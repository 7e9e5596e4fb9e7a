package dev.wren.mqtt.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the MQTT 5.0 normative statements a test checks, as ids of
 * {@code shared/spec/mqtt-5.0-normative-statements.csv}. Kept apart from {@link Covers}: the two lists reuse ids
 * for different statements (MQTT-3.1.2-1 is not the same rule in 3.1.1 and 5.0).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Covers5 {
    /** Statement ids, e.g. {@code "MQTT-3.3.2-8"}. */
    String[] value();
}
