package io.lakestream.check;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TCP listener on 127.0.0.1 that speaks TLS with a self-signed certificate (made by the JDK's keytool) and
 * nothing else: enough to meet a Kafka client's TLS handshake the way a broker with an untrusted certificate
 * does, or to leave a plaintext client without an answer.
 */
final class TlsServer implements AutoCloseable {

    static final String PASSWORD = "changeit";

    private final ServerSocket server;
    private final Thread acceptor;
    private final Path keystore;

    private TlsServer(ServerSocket server, Path keystore) {
        this.server = server;
        this.keystore = keystore;
        this.acceptor = new Thread(this::acceptLoop, "tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static TlsServer start(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        Path keystore = dir.resolve("broker.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "broker", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return new TlsServer(tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                keystore);
    }

    /** A keystore holding the server's certificate, usable as a client truststore that trusts this server. */
    Path keystore() {
        return keystore;
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> handshakeAndDrain(socket), "tls-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void handshakeAndDrain(Socket socket) {
        try (socket) {
            ((SSLSocket) socket).startHandshake();
            socket.getInputStream().transferTo(OutputSink.INSTANCE);
        } catch (IOException expected) {
            // A client that rejects the certificate, or does not speak TLS, ends here.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
