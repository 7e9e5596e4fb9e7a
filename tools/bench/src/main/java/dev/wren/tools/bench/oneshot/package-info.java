/**
 * Programs that each run alone in a fresh JVM for the one-shot footprint figure: connect, publish one retained
 * QoS 1 message, disconnect. Each is one self-contained class (no nested classes, nothing else from tools) so the
 * bench can run it with only its client's jars on the class path. Arguments: host, port, topic.
 */
package dev.wren.tools.bench.oneshot;
