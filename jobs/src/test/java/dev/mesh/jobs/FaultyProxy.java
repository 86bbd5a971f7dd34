package dev.mesh.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a server, whose faults a test switches at any moment: pass bytes through,
 * delay every chunk, or hang (accept and read, answer nothing, close nothing), as a store does that is overloaded or
 * half down.
 */
final class FaultyProxy implements AutoCloseable {
    enum Mode { PASS, SLOW, HANG }

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.PASS;
    private volatile long delayMillis;

    private FaultyProxy(int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::accept, "faulty-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FaultyProxy to(int targetPort) throws IOException {
        return new FaultyProxy(targetPort);
    }

    String endpoint() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    void pass() {
        mode = Mode.PASS;
    }

    /** Every chunk of every answer and request waits this long. */
    void slow(long millis) {
        delayMillis = millis;
        mode = Mode.SLOW;
    }

    /** From now on nothing passes, in either direction, on old or new connections. */
    void hang() {
        mode = Mode.HANG;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or the target is gone: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    while (mode == Mode.HANG) {
                        Thread.sleep(50);
                    }
                    if (mode == Mode.SLOW) {
                        Thread.sleep(delayMillis);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "faulty-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(FaultyProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
