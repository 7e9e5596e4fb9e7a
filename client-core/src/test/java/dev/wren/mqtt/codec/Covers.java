package dev.wren.mqtt.codec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the MQTT 3.1.1 normative statements a test checks, as ids of
 * {@code shared/spec/mqtt-3.1.1-normative-statements.csv}; {@link NormativeCoverageTest} verifies and counts them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface Covers {
    /** Statement ids, e.g. {@code "MQTT-2.2.2-2"}. */
    String[] value();
}
