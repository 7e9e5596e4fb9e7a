package dev.wren.node;

import dev.wren.mqtt.MqttConfig;
import java.net.URI;
import java.net.URISyntaxException;

/** Checks a broker URL before the client sees it, so a mistake is reported with its line in the config. */
final class BrokerUrl {
  private BrokerUrl() {
  }

  /**
   * Returns null when {@code url} is {@code tcp|mqtt|ssl|mqtts://host[:port]} with a port in 1..65535 and
   * nothing else, otherwise what is wrong, naming the value (its password masked).
   */
  static String check(String url) {
    String shown = "'" + MqttConfig.maskPassword(url) + "'";
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return shown + " is not a URL: " + e.getReason();
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("tcp") || scheme.equals("mqtt") || scheme.equals("ssl")
        || scheme.equals("mqtts"))) {
      return shown + " must start with tcp://, mqtt://, ssl:// or mqtts://";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return shown + " names no host (expected e.g. " + scheme + "://broker.local:1883)";
    }
    if (uri.getUserInfo() != null) {
      return shown + " carries credentials: put them under broker.username and broker.password_file";
    }
    if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return shown + " has a path, query or fragment; only scheme://host[:port] is allowed";
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      return shown + " has port " + uri.getPort() + ", outside 1..65535";
    }
    return null;
  }
}
