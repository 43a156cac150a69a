package dev.impush.localstack;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Where the mock vendors listen and the name clients reach them by. By default the loopback interface
 * and {@code 127.0.0.1} (tests, the quickstart, the bench). With {@code IMPUSH_MOCK_HOST} (environment,
 * or the system property {@code impush.mock.host}) set to a host name, as a container's name in a
 * compose network, every interface, advertised under that name: workers in other containers reach them.
 */
public final class MockNetwork {
    public static final String HOST_ENV = "IMPUSH_MOCK_HOST";
    private static final String LOOPBACK = "127.0.0.1";

    private MockNetwork() {}

    /** The host name or address the mocks' URLs and certificates carry. */
    public static String host() {
        String h = System.getProperty("impush.mock.host", System.getenv(HOST_ENV));
        return h == null || h.isBlank() ? LOOPBACK : h.trim();
    }

    /** Whether the mocks are reachable from other hosts. */
    public static boolean shared() {
        return !host().equals(LOOPBACK);
    }

    /** An ephemeral port on the interface(s) the mocks listen on. */
    public static InetSocketAddress bindAddress() {
        return shared() ? new InetSocketAddress(0) : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** {@code http://<host>:<port>}. */
    public static URI http(int port) {
        return URI.create("http://" + host() + ":" + port);
    }
}
