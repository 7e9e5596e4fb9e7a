/**
 * Implementation of the client session (state machine, receive loop, in-flight window, keep-alive). Not API:
 * nothing here is meant to be used outside {@code dev.wren.mqtt}.
 */
package dev.wren.mqtt.internal;
