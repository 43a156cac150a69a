package dev.impush.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An APNs-protocol vendor that answers after a configurable latency: HTTP/2 over TLS (ALPN h2),
 * {@code 200} with an {@code apns-id} to every {@code POST /3/device/{token}}, the reply scheduled on
 * the connection's event loop (never blocking it). Replies that come due in the same pass of the
 * event loop go out in one flush, as a server with Netty's {@code FlushConsolidationHandler} sends
 * them: one TLS record and one write for many replies, not one each. Records the arrival of each request's payload
 * {@code messageId} in {@link Arrivals}. It does not check JWTs, tokens or topics: MockApns does.
 */
final class LatencyApns implements AutoCloseable {
    private static final byte[] MESSAGE_ID = "\"messageId\":\"".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group;
    private final Channel server;
    private final int port;

    private LatencyApns(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    static LatencyApns start(BenchCredentials creds, long delayMs, int maxConcurrentStreams, int threads) throws Exception {
        SslContext ssl = SslContextBuilder.forServer(creds.serverKey(), creds.serverCertificate())
                .sslProvider(SslProvider.JDK)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(ssl.newHandler(c.alloc()),
                                Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
                                        .build(),
                                new Responder(delayMs));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new LatencyApns(group, ch);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** One per connection; event-loop confined. */
    private static final class Responder extends ChannelInboundHandlerAdapter {
        private static final AtomicLong IDS = new AtomicLong();
        private final long delayMs;
        private final Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
        private boolean flushPending;

        Responder(long delayMs) {
            this.delayMs = delayMs;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    if (h.isEndStream()) {
                        received(ctx, h.stream(), new byte[0]);
                    } else {
                        bodies.put(h.stream().id(), new ByteArrayOutputStream(512));
                    }
                } else if (msg instanceof Http2DataFrame d) {
                    ByteArrayOutputStream body = bodies.computeIfAbsent(d.stream().id(), k -> new ByteArrayOutputStream(512));
                    ByteBuf content = d.content();
                    content.getBytes(content.readerIndex(), body, content.readableBytes());
                    ctx.write(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes()).stream(d.stream()));
                    if (d.isEndStream()) {
                        bodies.remove(d.stream().id());
                        received(ctx, d.stream(), body.toByteArray());
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void received(ChannelHandlerContext ctx, Http2FrameStream stream, byte[] body) {
            Arrivals.record(messageId(body));
            long id = IDS.incrementAndGet();
            Http2Headers headers = new DefaultHttp2Headers().status("200")
                    .add("apns-id", new UUID(0x1234L, id).toString());
            if (delayMs <= 0) {
                ctx.write(new DefaultHttp2HeadersFrame(headers, true).stream(stream));
            } else {
                ctx.executor().schedule(() -> {
                    ctx.write(new DefaultHttp2HeadersFrame(headers, true).stream(stream));
                    if (!flushPending) {
                        // runs after every scheduled reply that is due now: they were queued first
                        flushPending = true;
                        ctx.executor().execute(() -> {
                            flushPending = false;
                            ctx.flush();
                        });
                    }
                }, delayMs, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static String messageId(byte[] body) {
            outer:
            for (int i = 0; i + MESSAGE_ID.length <= body.length; i++) {
                for (int j = 0; j < MESSAGE_ID.length; j++) {
                    if (body[i + j] != MESSAGE_ID[j]) {
                        continue outer;
                    }
                }
                int start = i + MESSAGE_ID.length;
                int end = start;
                while (end < body.length && body[end] != '"') {
                    end++;
                }
                return new String(body, start, end - start, StandardCharsets.UTF_8);
            }
            return null;
        }
    }
}
