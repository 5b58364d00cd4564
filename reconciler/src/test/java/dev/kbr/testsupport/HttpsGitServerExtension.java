package dev.kbr.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link HttpsGitServer}, with the {@link TestTls} CA and certificate it serves, shared by all
 * the tests of a class: made in a new temporary folder and started before the class's first test,
 * stopped and removed after its last. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final HttpsGitServerExtension https = new HttpsGitServerExtension("kbr-bot", PASSWORD);
 * }</pre>
 *
 * <p>JUnit starts it before the class's {@code @BeforeAll} methods run (so they may use {@link
 * #tls()}) and stops it after its {@code @AfterAll} methods. Without the tools of {@code
 * ci/setup-git-servers} the class fails in CI and is skipped elsewhere ({@link RequiredTools}).
 */
public final class HttpsGitServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final String user;
    private final String password;
    private Path dir;
    private TestTls tls;
    private HttpsGitServer server;

    /**
     * Prepares the server; it starts before the class's tests.
     *
     * @param user the only user the server accepts, for fetch and push alike
     * @param password that user's password
     */
    public HttpsGitServerExtension(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("kbr-https-git-");
        tls = TestTls.create(dir);
        server = HttpsGitServer.start(dir, tls, user, password);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (dir != null) {
                Trees.delete(dir);
            }
        }
    }

    /** The running server; only between the class's first and last test. */
    public HttpsGitServer server() {
        return server;
    }

    /** The CA (its {@link TestTls#ca()} is what a client passes as {@code --ca-file}) and certificate of the server. */
    public TestTls tls() {
        return tls;
    }
}
