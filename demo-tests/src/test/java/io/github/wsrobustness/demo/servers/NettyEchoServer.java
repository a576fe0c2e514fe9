package io.github.wsrobustness.demo.servers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * In-process Netty 4.2 WebSocket echo server, used as a demo target for the robustness tests.
 *
 * <p>The pipeline is the one Netty's documentation and examples build: {@link HttpServerCodec},
 * {@link HttpObjectAggregator} (the upgrade request arrives as one {@code FullHttpRequest}), {@link
 * WebSocketServerProtocolHandler} on {@code /echo} (it does the handshake, answers pings, drops
 * pongs, echoes the close frame and fails the connection on protocol violations), then {@link
 * WebSocketFrameAggregator} and an echo handler. The aggregator is there because a typical
 * application wants whole messages: without it the handler would see each fragment as its own
 * {@code TextWebSocketFrame}/{@code ContinuationWebSocketFrame} and have to stitch them together
 * itself. The echo handler sends every text message back as text and every binary message back as
 * binary. Netty's protocol handling is otherwise left at its defaults, so the tests see how a stock
 * Netty reacts to RFC 6455 violations.
 *
 * <p>The protocol handler is built with {@code allowExtensions = false}. Netty's example passes
 * {@code true} because it also installs {@code WebSocketServerCompressionHandler}; this server
 * negotiates no extension, and the flag is all the frame decoder consults about the RSV bits: with
 * {@code true} it hands frames with RSV bits set to the application instead of failing the
 * connection (RFC 6455 §5.2), whatever was negotiated.
 *
 * <p>Limits: a frame and an aggregated message may each be up to {@value #MAX_MESSAGE_BYTES} bytes
 * (32 MiB). Netty's default frame limit is 64 KiB, and Autobahn's section 9 sends 16 MiB messages,
 * some in one frame, so a team running the catalogue would raise both, as done here.
 *
 * <pre>{@code
 * try (NettyEchoServer server = NettyEchoServer.start()) {
 *     URI target = server.uri(); // ws://127.0.0.1:<port>/echo
 * }
 * }</pre>
 *
 * <p>Thread-safety: {@link #port()} and {@link #uri()} are fixed once {@link #start()} returns and
 * may be called from any thread. {@link #close()} is meant to be called once, by the owner. Each
 * connection gets its own pipeline, handled on one event-loop thread, so connections share no
 * mutable state.
 */
public final class NettyEchoServer implements AutoCloseable {

  /** The largest frame payload and the largest aggregated message accepted: 32 MiB. */
  public static final int MAX_MESSAGE_BYTES = 32 << 20;

  /** The upgrade request has no body; 64 KiB is what Netty's examples give the aggregator. */
  private static final int MAX_HANDSHAKE_BYTES = 64 << 10;

  private static final long BIND_TIMEOUT_SECONDS = 10;
  private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final Channel serverChannel;
  private final ChannelGroup connections;
  private final int port;

  private NettyEchoServer(
      EventLoopGroup bossGroup,
      EventLoopGroup workerGroup,
      Channel serverChannel,
      ChannelGroup connections) {
    this.bossGroup = bossGroup;
    this.workerGroup = workerGroup;
    this.serverChannel = serverChannel;
    this.connections = connections;
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /**
   * Starts a server on {@code 127.0.0.1} with a random free port; returns once it accepts
   * connections.
   *
   * @throws IllegalStateException if the port cannot be bound within 10 seconds
   */
  public static NettyEchoServer start() throws InterruptedException {
    // Netty 4.2's replacement for the deprecated NioEventLoopGroup.
    EventLoopGroup bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workerGroup = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    // Open connections, so that close() can end them while their event loops still run: a close
    // whose listeners find the loop already terminated makes Netty log a rejected task.
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    try {
      ServerBootstrap bootstrap =
          new ServerBootstrap()
              .group(bossGroup, workerGroup)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                      connections.add(channel);
                      channel
                          .pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(MAX_HANDSHAKE_BYTES))
                          .addLast(
                              new WebSocketServerProtocolHandler(
                                  "/echo", null, false, MAX_MESSAGE_BYTES))
                          .addLast(new WebSocketFrameAggregator(MAX_MESSAGE_BYTES))
                          .addLast(new EchoHandler());
                    }
                  });
      ChannelFuture bind = bootstrap.bind(new InetSocketAddress("127.0.0.1", 0));
      if (!bind.await(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "Netty did not bind 127.0.0.1 within " + BIND_TIMEOUT_SECONDS + " s");
      }
      if (!bind.isSuccess()) {
        throw new IllegalStateException("Netty could not bind 127.0.0.1", bind.cause());
      }
      return new NettyEchoServer(bossGroup, workerGroup, bind.channel(), connections);
    } catch (InterruptedException | RuntimeException e) {
      shutDown(bossGroup, workerGroup);
      throw e;
    }
  }

  /** The port the server listens on. */
  public int port() {
    return port;
  }

  /** The echo endpoint, {@code ws://127.0.0.1:<port>/echo}. */
  public URI uri() {
    return URI.create("ws://127.0.0.1:" + port + "/echo");
  }

  /**
   * Closes the listening socket and shuts both event-loop groups down, dropping any open
   * connections; waits at most 10 seconds for them to terminate.
   *
   * @throws IllegalStateException if the groups do not terminate in time (or the thread is
   *     interrupted meanwhile)
   */
  @Override
  public void close() {
    try {
      serverChannel.close().await(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      connections.close().await(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!shutDown(bossGroup, workerGroup)) {
        throw new IllegalStateException(
            "Netty's event loops did not terminate within " + SHUTDOWN_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping Netty", e);
    }
  }

  /** Shuts both groups down without a quiet period; whether both terminated in time. */
  private static boolean shutDown(EventLoopGroup... groups) throws InterruptedException {
    for (EventLoopGroup group : groups) {
      // No quiet period: the tests are done with the server, so nothing more will be submitted.
      group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_TIMEOUT_SECONDS);
    boolean terminated = true;
    for (EventLoopGroup group : groups) {
      long left = Math.max(0, deadline - System.nanoTime());
      terminated &= group.awaitTermination(left, TimeUnit.NANOSECONDS);
    }
    return terminated;
  }

  /**
   * Echoes each whole message as the same type. Pings, pongs and close frames never get here:
   * {@link WebSocketServerProtocolHandler} handles them. One instance per connection.
   */
  private static final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      // SimpleChannelInboundHandler releases the frame after this method, so the echo takes its own
      // reference to the payload; a fresh frame (FIN set, no RSV bits) carries it back.
      if (frame instanceof TextWebSocketFrame) {
        ctx.writeAndFlush(new TextWebSocketFrame(frame.content().retainedDuplicate()));
      } else if (frame instanceof BinaryWebSocketFrame) {
        ctx.writeAndFlush(new BinaryWebSocketFrame(frame.content().retainedDuplicate()));
      }
    }

    /**
     * Netty reports each protocol violation here (a {@code CorruptedWebSocketFrameException}, once
     * the decoder has sent its close frame and begun closing), as well as reset connections and the
     * aggregator's {@code TooLongFrameException}. The catalogue provokes hundreds of them on
     * purpose, so the handler only closes the connection, as Netty's examples do, and logs nothing:
     * left unhandled, every one would reach the pipeline's tail and be logged as a warning with a
     * stack trace.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
