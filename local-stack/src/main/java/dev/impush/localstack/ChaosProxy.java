package dev.impush.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback that can cut every connection through it at once (RST), as a load
 * balancer or a vendor's front end does mid-stream. TLS and HTTP/2 pass through untouched.
 */
public final class ChaosProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;

    private ChaosProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("chaos-proxy-accept").start(this::accept);
    }

    public static ChaosProxy to(String host, int port) {
        try {
            return new ChaosProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start proxy", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Resets every open connection (both sides see a connection reset). */
    public void resetConnections() {
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
        sockets.clear();
    }

    /** Connections currently open through the proxy (each counted once per side). */
    public int openConnections() {
        return sockets.size() / 2;
    }

    private void accept() {
        while (open) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 2000);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // reset or closed: close the other side too
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException e) {
                // ignore
            }
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    @Override
    public void close() {
        open = false;
        resetConnections();
        try {
            server.close();
        } catch (IOException e) {
            // ignore
        }
    }
}
