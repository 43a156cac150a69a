package dev.impush.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ChaosProxyTest {

    private static int echo(Socket s, int b) throws IOException {
        s.getOutputStream().write(b);
        s.getOutputStream().flush();
        return s.getInputStream().read();
    }

    @Test
    void forwards_resets_andAcceptsNewConnectionsAfterwards() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException e) {
                                // reset
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            try (ChaosProxy proxy = ChaosProxy.to("127.0.0.1", server.getLocalPort())) {
                Socket first = new Socket("127.0.0.1", proxy.port());
                assertEquals(7, echo(first, 7));
                proxy.resetConnections();
                assertThrows(IOException.class, () -> {
                    for (int i = 0; i < 10; i++) {
                        if (echo(first, 8) < 0) {
                            throw new IOException("closed");
                        }
                    }
                });
                try (Socket second = new Socket("127.0.0.1", proxy.port())) {
                    assertEquals(9, echo(second, 9));
                }
            }
        }
    }
}
